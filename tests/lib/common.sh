# tests/lib/common.sh: the harness every tests/{integration,security,...}
# shell test sources.
#
# A test file sources this, defines functions and runs them:
#
#   . "$(dirname "$0")/../lib/common.sh"
#   t_hostname() { B=$(new_bundle b hostname); krun --bundle "$B" c1; ... }
#   run_test "hostname comes from config.json" t_hostname
#   finish
#
# Every test file gets a private temp dir ($TEST_TMP) and a private --root
# ($ROOT).  Each test body runs in a subshell with its output in a log that
# is shown only when it fails; an assertion failure ends that body.  After
# every test, all containers under $ROOT are force-deleted and the harness
# CHECKS that nothing leaked: no state directory under $ROOT, no mount under
# $TEST_TMP or the rootfs cache, no process carrying this file's tag
# (KURA_TEST_TAG, put into every container's env by mkbundle and into
# kura's env by k/kr), and no cgroup named after the tag below our own
# cgroups.  A leak fails the test and is then swept away (processes killed
# by pid, mounts detached, state and cgroup dirs removed), so one failure
# does not poison the next test or the host.
#
# Output is TAP: "ok N - desc", "not ok N - desc", "1..N", then a summary
# line; the script exits 1 when anything failed.

set -u -o pipefail

KURA_SOURCE_DIR=${KURA_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
if [ -z "${KURA:-}" ]; then
	if [ -n "${KURA_BUILD_DIR:-}" ]; then
		KURA=$KURA_BUILD_DIR/kura
	else
		KURA=$KURA_SOURCE_DIR/build/kura
	fi
fi
export KURA KURA_SOURCE_DIR
# Seconds any single kura command may take before it counts as hung.
KURA_CMD_TIMEOUT=${KURA_CMD_TIMEOUT:-60}

. "$KURA_SOURCE_DIR/tests/lib/mkbundle.sh"

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
TEST_TAG=kt$$r$RANDOM
TEST_TMP=
ROOT=
MKBUNDLE_TAG=$TEST_TAG
MKBUNDLE_CGROUP_PREFIX=$TEST_TAG

_n_run=0
_n_pass=0
_n_fail=0
_n_skip=0
_finished=0

if [ "$(id -u)" != 0 ]; then
	echo "Bail out! $TEST_NAME needs root"
	exit 1
fi
if [ ! -x "$KURA" ]; then
	echo "Bail out! no kura binary at $KURA (build it, or set KURA=)"
	exit 1
fi
for _tool in jq timeout flock; do
	command -v $_tool >/dev/null || {
		echo "Bail out! $_tool is not installed (scripts/setup-deps.sh)"
		exit 1
	}
done

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kura-$TEST_NAME.XXXXXX") || exit 1
# Traversable by the mapped root of a user namespace.
chmod 0755 "$TEST_TMP"
ROOT=$TEST_TMP/state
mkdir -p "$ROOT"
# A pipe nobody writes to: `read -t` on it is a sleep without a fork.
exec {_nap_fd}<> <(:)

# ---------------------------------------------------------------- helpers

# Is $KURA actually runc (used while kura is being written)?  Only for
# texts that runc words differently; never to skip a behaviour kura owes.
is_runc()
{
	[ -z "${_is_runc:-}" ] && { "$KURA" --version 2>/dev/null | grep -q '^runc' && _is_runc=1 || _is_runc=0; }
	[ "$_is_runc" = 1 ]
}

_nap()
{
	read -r -t "$1" -u "$_nap_fd" _ || true
}

_now_us()
{
	echo "${EPOCHREALTIME/./}"
}

# kura with this file's root, a timeout, and the tag in its environment.
k()
{
	KURA_TEST_TAG=$TEST_TAG timeout -k 5 "$KURA_CMD_TIMEOUT" "$KURA" --root "$ROOT" "$@"
}

# Like k, but captures: sets RC, OUT and ERR (stdout/stderr go to files,
# never pipes, so a container that inherits them cannot block us).
kr()
{
	local o=$TEST_TMP/.kr.$BASHPID.out e=$TEST_TMP/.kr.$BASHPID.err
	k "$@" >"$o" 2>"$e"
	RC=$?
	OUT=$(<"$o")
	ERR=$(<"$e")
	rm -f "$o" "$e"
	return 0
}

# Start `kura ARGS...` in the background without the timeout wrapper, so
# that signals sent to $KPID reach kura itself.
k_bg()
{
	local out=$1
	shift
	KURA_TEST_TAG=$TEST_TAG "$KURA" --root "$ROOT" "$@" >"$out" 2>&1 &
	KPID=$!
}

# Wait for the k_bg process and return its exit status; after
# $KURA_CMD_TIMEOUT seconds it is killed and the test fails.
wait_kpid()
{
	local i rc
	for ((i = 0; i < KURA_CMD_TIMEOUT * 100; i++)); do
		kill -0 "$KPID" 2>/dev/null || break
		_nap 0.01
	done
	if kill -0 "$KPID" 2>/dev/null; then
		kill -KILL "$KPID"
		wait "$KPID"
		fail "kura $KPID still running after ${KURA_CMD_TIMEOUT}s"
	fi
	wait "$KPID"
	rc=$?
	return $rc
}

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

skip()
{
	echo "SKIP: $*" >&2
	exit 77
}

diag()
{
	echo "$*" >&2
}

assert_eq()
{
	[ "$1" == "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

assert_ne()
{
	[ "$1" != "$2" ] || fail "${3:-value}: expected anything but '$2'"
}

assert_contains()
{
	[[ $1 == *"$2"* ]] || fail "${3:-output}: expected to contain '$2', got: $1"
}

assert_not_contains()
{
	[[ $1 != *"$2"* ]] || fail "${3:-output}: expected not to contain '$2', got: $1"
}

# Case-insensitive substring check (runc and kura differ in case).
assert_icontains()
{
	[[ ${1,,} == *"${2,,}"* ]] || fail "${3:-output}: expected to contain '$2' (any case), got: $1"
}

assert_match()
{
	[[ $1 =~ $2 ]] || fail "${3:-output}: expected to match /$2/, got: $1"
}

# After kr: the command succeeded / failed with the given code.
assert_ok()
{
	[ "$RC" = 0 ] || fail "${1:-command} failed (exit $RC): $ERR"
}

assert_rc()
{
	[ "$RC" = "$1" ] || fail "${2:-command}: expected exit $1, got $RC; stderr: $ERR; stdout: $OUT"
}

assert_fails()
{
	[ "$RC" != 0 ] || fail "${1:-command} succeeded but should have failed; stdout: $OUT"
	[ "$RC" -lt 124 ] || fail "${1:-command}: exit $RC looks like a crash or a timeout; stderr: $ERR"
}

# wait_until TIMEOUT_SECONDS CMD...: poll CMD (quickly at first) until it
# succeeds; returns 1 on timeout.
wait_until()
{
	local limit=$1 deadline nap=0.002
	shift
	deadline=$(($(_now_us) + ${limit%.*} * 1000000))
	while :; do
		"$@" && return 0
		[ "$(_now_us)" -lt "$deadline" ] || return 1
		_nap $nap
		case $nap in
		0.002) nap=0.005 ;;
		0.005) nap=0.01 ;;
		0.01) nap=0.02 ;;
		esac
	done
}

# state_of ID: the status field, or "" when state fails.
state_of()
{
	k state "$1" 2>/dev/null | jq -r .status 2>/dev/null
}

_status_is()
{
	[ "$(state_of "$1")" = "$2" ]
}

# wait_status ID STATUS [TIMEOUT]
wait_status()
{
	wait_until "${3:-10}" _status_is "$1" "$2" ||
		fail "container $1 did not reach status $2 (now: '$(state_of "$1")')"
}

# new_bundle NAME [ARG...]: a bundle at $TEST_TMP/NAME running ARG...;
# sets B to its path.  (Not meant for $(...): fail must end the test.)
new_bundle()
{
	B=$TEST_TMP/$1
	mkbundle "$B" "${@:2}" || fail "cannot build bundle $1"
}

# edit B's config.json with jq (see bundle_edit)
edit()
{
	bundle_edit "$B" "$@" || fail "cannot edit $B/config.json: $1"
}

# add_ctl: bind-mount a fresh host directory (path in CTL) read-write at
# /ctl in B, for files the container and the test hand to each other.
add_ctl()
{
	CTL=$B.ctl
	rm -rf "$CTL" && mkdir "$CTL" && chmod 0777 "$CTL" || fail "mkdir $CTL"
	edit '.mounts += [{"destination": "/ctl", "type": "bind", "source": $s,
		"options": ["rbind", "rw"]}]' --arg s "$CTL"
}

_exists()
{
	[ -e "$1" ]
}

# wait_file PATH [TIMEOUT]
wait_file()
{
	wait_until "${2:-10}" _exists "$1" || fail "$1 did not appear"
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive()
{
	local st
	st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# --------------------------------------------------------- leak checking

_tagged_pids()
{
	local f p
	for f in $(grep -lasF -- "KURA_TEST_TAG=$TEST_TAG" /proc/[0-9]*/environ 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/environ}
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		pid_alive "$p" && echo "$p"
	done
}

_leaked_mounts()
{
	awk -v a="$TEST_TMP/" -v b="$MKBUNDLE_CACHE/" \
		'index($5 "/", a) == 1 || index($5 "/", b) == 1 {print $5}' /proc/self/mountinfo
}

# Our own cgroup directory in every hierarchy we are in.
_own_cgroup_dirs()
{
	local id ctrls path base
	while IFS=: read -r id ctrls path; do
		if [ -z "$ctrls" ]; then
			base=/sys/fs/cgroup
			[ -e /sys/fs/cgroup/unified/cgroup.procs ] && base=/sys/fs/cgroup/unified
		else
			base=/sys/fs/cgroup/${ctrls#name=}
		fi
		[ -d "$base$path" ] && echo "$base${path%/}"
	done </proc/self/cgroup
}

_leaked_cgroups()
{
	local d
	for d in $(_own_cgroup_dirs); do
		find "$d" -maxdepth 1 -mindepth 1 -type d -name "$TEST_TAG*" 2>/dev/null
	done
}

_leaked_state()
{
	find "$ROOT" -mindepth 1 -maxdepth 1 2>/dev/null
}

_no_tagged_pids()
{
	[ -z "$(_tagged_pids)" ]
}

# Print one line per leaked object; nothing when clean.
check_leaks()
{
	local p
	# Killed containers may take a moment to be reaped.
	wait_until 5 _no_tagged_pids || true
	for p in $(_tagged_pids); do
		echo "process $p left running: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
	_leaked_mounts | sed 's/^/mount left: /'
	_leaked_state | sed 's/^/state left: /'
	_leaked_cgroups | sed 's/^/cgroup left: /'
}

# Force-delete every container of $ROOT.
delete_all()
{
	local ids id
	ids=$({
		k list -q 2>/dev/null
		ls "$ROOT" 2>/dev/null
	} | sort -u)
	for id in $ids; do
		k delete --force "$id" >/dev/null 2>&1
	done
}

# Remove whatever check_leaks found, without kura's help.
_sweep()
{
	local p m d
	for p in $(_tagged_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	wait_until 5 _no_tagged_pids || true
	# Deepest first.
	for m in $(_leaked_mounts | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	for d in $(_leaked_cgroups); do
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	if [ -z "$(_leaked_mounts)" ]; then
		rm -rf --one-file-system "${ROOT:?}"/* 2>/dev/null
	fi
}

# ------------------------------------------------------------ test runner

# run_test DESCRIPTION FUNCTION [ARG...]
run_test()
{
	local desc=$1 log rc t0 ms leaks
	shift
	_n_run=$((_n_run + 1))
	log=$TEST_TMP/.log.$_n_run
	t0=$(_now_us)
	(
		cd "$TEST_TMP" || exit 1
		"$@"
	) </dev/null >"$log" 2>&1
	rc=$?
	delete_all
	leaks=$(check_leaks)
	ms=$((($(_now_us) - t0) / 1000))
	if [ -n "$leaks" ]; then
		echo "FAIL: left behind after the test:" >>"$log"
		echo "$leaks" >>"$log"
		_sweep
		[ "$rc" = 77 ] || [ "$rc" = 0 ] && rc=1
	fi
	if [ "$rc" = 0 ]; then
		_n_pass=$((_n_pass + 1))
		echo "ok $_n_run - $desc (${ms} ms)"
	elif [ "$rc" = 77 ]; then
		_n_skip=$((_n_skip + 1))
		echo "ok $_n_run - $desc # SKIP $(grep -m1 '^SKIP: ' "$log" | cut -c7-)"
	else
		_n_fail=$((_n_fail + 1))
		echo "not ok $_n_run - $desc (${ms} ms)"
		sed 's/^/#   /' "$log"
	fi
	rm -f "$log"
	return 0
}

_cleanup()
{
	local leaks
	[ -n "$TEST_TMP" ] || return
	delete_all
	leaks=$(check_leaks)
	if [ -n "$leaks" ]; then
		echo "# left behind at exit:"
		echo "$leaks" | sed 's/^/#   /'
		_n_fail=$((_n_fail + 1))
		_sweep
	fi
	if [ -n "$(_leaked_mounts)" ]; then
		echo "# mounts still under $TEST_TMP; not removing it"
	else
		rm -rf --one-file-system "$TEST_TMP"
	fi
}

_on_exit()
{
	local rc=$?
	_cleanup
	if [ "$_finished" = 1 ]; then
		echo "1..$_n_run"
		echo "# $TEST_NAME: $_n_pass passed, $_n_fail failed, $_n_skip skipped"
		[ "$_n_fail" = 0 ] || exit 1
		exit 0
	fi
	echo "Bail out! $TEST_NAME ended early (exit $rc)"
	exit 1
}
trap _on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Call at the end of a test file.
finish()
{
	_finished=1
	exit 0
}

echo "# $TEST_NAME: KURA=$KURA root=$ROOT$(is_runc && echo ' (runc: compatibility run)')"
