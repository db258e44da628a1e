#!/bin/bash
# tests/vm/runner.sh: run the cgroup v2 suite (tests/vm/suite/*.sh, or the
# names in $VM_TESTS) on this machine, which must be pure cgroup v2: the
# guest of run.sh, or a pure v2 host.  Prints each file's TAP output and
# ends with "N passed, N failed" (skips count as passed and are listed
# before it).  Exit 0 when nothing failed.
set -u -o pipefail
KURA_SOURCE_DIR=${KURA_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export KURA_SOURCE_DIR
export RUNTIME_UNDER_TEST=${RUNTIME_UNDER_TEST:-${KURA:?KURA is not set}}
export KURA=${KURA:-$RUNTIME_UNDER_TEST}
# The busybox rootfs is built on local disk (tmpfs in the guest), not in
# the build tree, which the guest sees over 9p.
export MKBUNDLE_CACHE=${VM_MKBUNDLE_CACHE:-${TMPDIR:-/tmp}/kura-vm-cache}
SUITE=$KURA_SOURCE_DIR/tests/vm/suite
# Seconds one runtime command may take (tests/lib/common.sh).
export KURA_CMD_TIMEOUT=${KURA_CMD_TIMEOUT:-30}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
t0=$(now_ms)

# In a scope delegated by run.sh (pure v2 host): move into a leaf, so that
# the scope can hand its controllers to the containers' cgroups, which the
# runtimes put next to that leaf (relative cgroupsPath).
if [ -n "${KURA_VM_SCOPE:-}" ]; then
	scope=/sys/fs/cgroup$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
	if ! { mkdir -p "$scope/runner" && echo $$ >"$scope/runner/cgroup.procs" &&
		echo "+cpuset +cpu +io +memory +pids" >"$scope/cgroup.subtree_control"; }; then
		echo "# cannot set up the delegated scope $scope"
		echo "0 passed, 1 failed"
		exit 1
	fi
fi
echo "# runtime under test: $RUNTIME_UNDER_TEST ($("$RUNTIME_UNDER_TEST" --version 2>&1 | head -1))"
echo "# kernel $(uname -r), $(nproc) CPU(s), cgroup $(cat /proc/self/cgroup)"

if [ -n "${VM_TESTS:-}" ]; then
	files=()
	for t in $VM_TESTS; do files+=("$SUITE/${t%.sh}.sh"); done
else
	files=("$SUITE"/*.sh)
fi

FILE_TIMEOUT=${VM_FILE_TIMEOUT:-240}
OUTF=${TMPDIR:-/tmp}/kura-vm-out.$$
export VM_MEASURE_FILE=${TMPDIR:-/tmp}/kura-vm-measure.$$
rm -f "$VM_MEASURE_FILE"
pass=0 fail=0 skip=0
failed=()
for f in "${files[@]}"; do
	name=$(basename "$f" .sh)
	ft0=$(now_ms)
	if [ ! -e "$f" ]; then
		echo "not ok - $name: no such test file"
		fail=$((fail + 1))
		failed+=("$name")
		continue
	fi
	# Live output, and a bound on each file so one hang does not eat the
	# whole run.
	TEST_NAME=vm-$name timeout -k 10 "$FILE_TIMEOUT" bash "$f" 2>&1 | tee "$OUTF"
	rc=${PIPESTATUS[0]}
	out=$(<"$OUTF")
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "not ok - $name: killed after ${FILE_TIMEOUT}s; processes now:"
		ps -eo pid,ppid,stat,etime,time,args 2>/dev/null | sed 's/^/#   /' | head -60
		out="$out
not ok - timeout"
	fi
	if [ -s "$VM_MEASURE_FILE" ]; then
		sed 's/^/# measured: /' "$VM_MEASURE_FILE"
		rm -f "$VM_MEASURE_FILE"
	fi
	p=$(grep -c '^ok ' <<<"$out")
	s=$(grep -c '^ok .* # SKIP' <<<"$out")
	n=$(grep -c '^not ok ' <<<"$out")
	# A file that bailed out or failed without a "not ok" still counts.
	if [ "$rc" != 0 ] && [ "$n" = 0 ]; then
		n=1
	fi
	pass=$((pass + p - s))
	skip=$((skip + s))
	fail=$((fail + n))
	[ "$n" = 0 ] || failed+=("$name")
	echo "# $name: $((p - s)) passed, $n failed, $s skipped ($(($(now_ms) - ft0)) ms)"
done

rm -f "$OUTF"
echo "# suite took $(($(now_ms) - t0)) ms; skipped: $skip; failed files: ${failed[*]:-none}"
echo "$((pass + skip)) passed, $fail failed"
[ "$fail" = 0 ]
