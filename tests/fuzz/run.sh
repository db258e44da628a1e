#!/bin/bash
# Fuzz the config.json parser for N seconds (default 60); fail on a crash.
#   tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
# Builds the libFuzzer target with clang, ASan and UBSan (cmake
# -DKURA_FUZZ=ON) in BUILD_DIR (default build-fuzz next to the source),
# unless $KURA_FUZZ_BIN names a target built already; seeds it from
# tests/fuzz/corpus and the sample configs, and keeps the grown corpus in
# a temporary directory that is removed at exit.
set -euo pipefail

secs=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$src/../build-fuzz}

fuzzer=${KURA_FUZZ_BIN:-}
if [ -z "$fuzzer" ]; then
	# Warnings are gcc's job in the main build; clang's extra ones must not
	# keep the fuzzer from running.
	cmake -S "$src" -B "$build" -DKURA_FUZZ=ON -DCMAKE_C_COMPILER=clang \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DKURA_WERROR=OFF >/dev/null
	cmake --build "$build" --target fuzz-oci-config -j"$(nproc)" >/dev/null
	fuzzer=$build/fuzz-oci-config
fi

work=$(mktemp -d /tmp/kura-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle/rootfs" "$work/corpus" "$work/artifacts"
export KURA_FUZZ_BUNDLE=$work/bundle

cp "$src"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true
for f in "$src"/tests/data/configs/valid/*.json "$src"/tests/data/configs/invalid/*.json; do
	cp "$f" "$work/corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
done

# A dictionary of the spec's names makes the fuzzer reach deep fields fast.
for w in ociVersion 1.0.0 1.2.0 1.3.0 1.0.2-dev root path readonly process terminal \
	consoleSize height width user uid gid umask additionalGids args env cwd capabilities \
	bounding effective inheritable permitted ambient CAP_KILL CAP_SYS_ADMIN rlimits type soft \
	hard RLIMIT_NOFILE noNewPrivileges oomScoreAdj apparmorProfile selinuxLabel scheduler \
	policy SCHED_OTHER nice priority flags ioPriority class IOPRIO_CLASS_BE execCPUAffinity \
	initial final hostname domainname mounts destination source options bind rbind ro rw \
	rro rnoatime rslave private idmap tmpcopyup uidMappings gidMappings containerID hostID \
	size hooks prestart createRuntime createContainer startContainer poststart poststop \
	timeout annotations linux namespaces pid network mount ipc uts cgroup time \
	timeOffsets monotonic boottime secs nanosecs devices major minor fileMode cgroupsPath \
	resources sysctl maskedPaths readonlyPaths rootfsPropagation mountLabel seccomp \
	personality domain LINUX LINUX32 intelRdt memoryPolicy netDevices rootfs /dev/null \
	memory limit reservation swap swappiness disableOOMKiller cpu shares quota period burst \
	realtimeRuntime cpus mems idle pids blockIO weight leafWeight weightDevice \
	throttleReadBpsDevice rate hugepageLimits pageSize 2MB unified memory.high rdma \
	hcaHandles allow access rwm; do
	printf '"\\"%s\\""\n' "$w"
done >"$work/dict"
printf '"\\\\u0000"\n"null"\n"true"\n"false"\n"18446744073709551615"\n"-1"\n"{}"\n"[]"\n' >>"$work/dict"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
"$fuzzer" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	-rss_limit_mb=2048 -dict="$work/dict" \
	-artifact_prefix="$work/artifacts/" "$work/corpus" 2>"$work/log" || status=$?
grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs)' "$work/log" | tail -2 || true
if ls "$work/artifacts/"* >/dev/null 2>&1; then
	tail -60 "$work/log" >&2
	mkdir -p "$build/fuzz-crashes"
	cp "$work/artifacts/"* "$build/fuzz-crashes/"
	echo "not ok: fuzz-oci-config found a crash (inputs kept in $build/fuzz-crashes)" >&2
	exit 1
fi
if [ $status -ne 0 ]; then
	tail -30 "$work/log" >&2
	echo "not ok: fuzz-oci-config failed (exit $status)" >&2
	exit 1
fi
echo "ok: fuzz-oci-config ran ${secs}s without a crash"
