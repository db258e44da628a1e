#!/bin/bash
# kura's main job: a busybox tenant with its own hostname, pid 1 and mounts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export KURA=$PWD/build/kura KURA_BUILD_DIR=$PWD/build
. tests/lib/mkbundle.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkbundle "$dir/b" sh -c 'echo "hostname: $(hostname)"; echo "my pid: $$"; echo "processes:"; ps; echo "mounts:"; cat /proc/self/mounts'
bundle_edit "$dir/b" '.hostname = "tenant-1"'
"$KURA" --root "$dir/state" run --bundle "$dir/b" demo
echo "host hostname: $(hostname)"
