# shellcheck shell=bash disable=SC2034
# tests/vm/lib.sh: what the cgroup v2 tests (tests/vm/suite/*.sh) share.
#
# Sourced after nothing else: it sources tests/lib/common.sh (TAP output,
# per-test logs shown on failure, leak checks of state, mounts, processes
# and cgroups) with KURA set to the runtime under test, so the suite runs
# the same against kura, crun or runc.
#
#   vbundle NAME [ARG...]   bundle $TEST_TMP/NAME (sets B) on the shared
#                           busybox rootfs, with a cgroup namespace so that
#                           the container's /sys/fs/cgroup is its own cgroup
#   res FILTER [JQ-ARGS]    edit .linux.resources of B's config with jq
#   start_ctr ID            create + start B as ID (stdout/stderr of the
#                           container go to $TEST_TMP/ID.out)
#   cg_dir ID               the container's cgroup directory, from the
#                           /proc/PID/cgroup of its init (on failure: a
#                           message, status 1; use `d=$(cg_dir ID) ||
#                           fail "$d"`)
#   cg_get ID FILE          a file of that directory
#   cg_stat ID FILE KEY     one "KEY value" line of a flat-keyed file
#   runtime_name            kura, crun or runc

export KURA=${RUNTIME_UNDER_TEST:-${KURA:?KURA is not set}}
. "$KURA_SOURCE_DIR/tests/lib/common.sh"

runtime_name()
{
	case $("$KURA" --version 2>/dev/null | head -1) in
	runc*) echo runc ;;
	crun*) echo crun ;;
	*) echo kura ;;
	esac
}
RUNTIME_NAME=$(runtime_name)

is_kura() { [ "$RUNTIME_NAME" = kura ]; }

_vm_rootfs=
_vm_spec_file=
# Stands in for `$KURA spec` in mkbundle: the runtime's spec, made once per
# file, with a cgroup namespace and a cgroup mount at /sys/fs/cgroup.
_vm_spec()
{
	if [ -z "$_vm_spec_file" ]; then
		_vm_spec_file=$TEST_TMP/.spec.json
		mkdir -p "$TEST_TMP/.spec" && rm -f "$TEST_TMP/.spec/config.json" &&
			"$KURA" spec --bundle "$TEST_TMP/.spec" || return 1
		jq '(if any(.linux.namespaces[]; .type == "cgroup") then .
			else .linux.namespaces += [{"type": "cgroup"}] end)
			| (if any(.mounts[]; .destination == "/sys/fs/cgroup") then .
			else .mounts += [{"destination": "/sys/fs/cgroup", "type": "cgroup",
				"source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}] end)' \
			"$TEST_TMP/.spec/config.json" >"$_vm_spec_file" || return 1
	fi
	cp "$_vm_spec_file" "$2/config.json"
}
MKBUNDLE_SPEC=_vm_spec

vbundle()
{
	[ -n "$_vm_rootfs" ] || _vm_rootfs=$(mkbundle_rootfs) || fail "cannot build the rootfs"
	B=$TEST_TMP/$1
	mkbundle_shared "$B" "$_vm_rootfs" "${@:2}" || fail "cannot build bundle $1"
}

res()
{
	local f=$1
	shift
	edit ".linux.resources |= ((. // {}) | $f)" "$@"
}

# create_ctr ID: create B as ID; the container's output goes to
# $TEST_TMP/ID.out.  start_ctr ID: create and start.
create_ctr()
{
	k create --bundle "$B" "$1" >"$TEST_TMP/$1.out" 2>&1 ||
		fail "create $1 failed: $(cat "$TEST_TMP/$1.out")"
}

start_only()
{
	k start "$1" >>"$TEST_TMP/$1.out" 2>&1 || fail "start $1 failed: $(cat "$TEST_TMP/$1.out")"
}

start_ctr()
{
	create_ctr "$1"
	start_only "$1"
}

# measure TEXT: a figure worth seeing even when the test passes (the
# runner prints these after each file).
measure()
{
	diag "$*"
	[ -z "${VM_MEASURE_FILE:-}" ] || echo "$TEST_NAME: $*" >>"$VM_MEASURE_FILE"
}

ctr_pid()
{
	k state "$1" 2>/dev/null | jq -r '.pid // empty'
}

cg_dir()
{
	local pid rel
	pid=$(ctr_pid "$1")
	[ -n "$pid" ] && [ "$pid" != 0 ] || { echo "no pid for $1 in its state"; return 1; }
	rel=$(awk -F: '$1 == "0" {print $3}' "/proc/$pid/cgroup")
	[ -n "$rel" ] || { echo "no cgroup v2 entry in /proc/$pid/cgroup of $1"; return 1; }
	[ "$rel" != / ] || { echo "the init of $1 (pid $pid) is in the root cgroup: the runtime made no cgroup"; return 1; }
	echo "/sys/fs/cgroup${rel%/}"
}

cg_get()
{
	local d
	d=$(cg_dir "$1") || fail "$d"
	cat "$d/$2" || fail "cannot read $d/$2"
}

cg_stat()
{
	cg_get "$1" "$2" | awk -v k="$3" '$1 == k {print $2; f = 1} END {if (!f) print ""}'
}

# usage_us DIR: cpu.stat usage_usec of a cgroup directory.
usage_us()
{
	awk '$1 == "usage_usec" {print $2}' "$1/cpu.stat"
}

# Floating point checks through awk: within A B TOL -> |A-B| <= TOL.
within()
{
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {d = a - b; if (d < 0) d = -d; exit !(d <= t)}'
}

calc()
{
	awk "BEGIN {printf \"%.4f\n\", $*}"
}

uptime_s()
{
	cut -d' ' -f1 /proc/uptime
}

# Relative cgroupsPaths go below the parent of our cgroup when ours holds
# processes (runc, and kura on pure v2): look for leaks there too.
_leaked_cgroups()
{
	local d
	for d in $(_own_cgroup_dirs); do
		find "$d" "${d%/*}" -maxdepth 1 -mindepth 1 -type d -name "$TEST_TAG*" 2>/dev/null
	done | sort -u
}

# Once per file, outside the tests' subshells: the rootfs and the spec.
_vm_rootfs=$(mkbundle_rootfs) || { echo "Bail out! cannot build the busybox rootfs"; exit 1; }
mkdir -p "$TEST_TMP/.spec0" && _vm_spec --bundle "$TEST_TMP/.spec0" ||
	{ echo "Bail out! '$KURA spec' failed"; exit 1; }
