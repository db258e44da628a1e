#!/bin/bash
# Install what kura needs from Debian 12 and build it into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(build-essential cmake pkg-config libjson-c-dev libseccomp-dev libcmocka-dev libcap-dev
	busybox-static jq qemu-system-x86 xz-utils zstd squashfs-tools erofs-utils e2fsprogs
	clang libclang-rt-14-dev libcap2-bin util-linux procps)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	# A fresh machine may have stale package lists: update once, then retry.
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q "${PKGS[@]}" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null && apt-get install -y -q "${PKGS[@]}" >/dev/null; }
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
