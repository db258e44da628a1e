#!/bin/bash
# Run the unit, integration and security suites against a kura built with
# AddressSanitizer and UndefinedBehaviorSanitizer; fail on a failed test
# or on any sanitizer report.
#   tests/sanitize/run.sh [BUILD_DIR] [CTEST_ARGS...]
# Builds with cmake -DKURA_SANITIZE=ON into BUILD_DIR (default build-asan
# next to the source); its ctest runs the host tests with KURA pointing at
# that build's binary.  Reports go to BUILD_DIR/sanitizer-logs (a process
# that already pivoted into a container cannot reach that path: it dies
# with "Can't open file", which fails its test just the same).
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-asan}
shift || true
logs=$build/sanitizer-logs

t0=$SECONDS
cmake -S "$src" -B "$build" -DKURA_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
	exit 1
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 || {
	tail -40 "$build/build.log"
	echo "not ok: the sanitizer build failed"
	exit 1
}
echo "# sanitizer build: $((SECONDS - t0)) s"

rm -rf "$logs"
mkdir -p "$logs"
# Whole stacks for leaks (the fast unwinder stops in libc); an exit code
# no test expects from kura.
export ASAN_OPTIONS=log_path=$logs/asan:exitcode=201:detect_leaks=1:fast_unwind_on_malloc=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=log_path=$logs/ubsan:exitcode=201:print_stacktrace=1:halt_on_error=1

# The symlink races of tests/security run their full count in the plain
# run; here a few rounds cover the same code under the sanitizers.
export KURA_RACE_RUNS=${KURA_RACE_RUNS:-8}

t0=$SECONDS
(cd "$build" && ctest -L '^(unit|integration|security)$' --output-on-failure "$@")
status=$?
echo "# sanitized suites: $((SECONDS - t0)) s"

if [ -n "$(ls -A "$logs")" ]; then
	for f in "$logs"/*; do
		echo "# ---- $f"
		head -60 "$f"
	done
	echo "not ok: sanitizer reports (above; kept in $logs)"
	exit 1
fi
[ "$status" = 0 ] || {
	echo "not ok: a test failed under ASan/UBSan"
	exit 1
}
echo "ok: unit, integration and security suites clean under ASan and UBSan"
