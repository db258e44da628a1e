#!/bin/bash
# Where the cgroup goes (absolute and relative cgroupsPath), kill --all,
# events --stats, and delete leaving no cgroup.
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

_own_cg()
{
	awk -F: '$1 == "0" {print $3}' /proc/self/cgroup
}

_is_stopped() { [ "$(state_of "$1")" = stopped ]; }

t_delete()
{
	local d pid
	vbundle b sh -c 'sleep 600 & sleep 600 & exec sleep 600'
	start_ctr c
	d=$(cg_dir c) || fail "$d"
	pid=$(ctr_pid c)
	grep -qx "$pid" "$d/cgroup.procs" || fail "init $pid not in $d/cgroup.procs"
	k kill c KILL || fail "kill"
	wait_until 10 _is_stopped c || fail "not stopped after SIGKILL: $(state_of c)"
	kr delete c
	assert_ok delete
	[ ! -e "$d" ] || fail "$d left after delete"
	# delete --force of a running container with children.
	start_ctr c2
	d=$(cg_dir c2) || fail "$d"
	kr delete --force c2
	assert_ok "delete --force"
	[ ! -e "$d" ] || fail "$d left after delete --force"
}

t_kill_all()
{
	local d
	vbundle b sh -c 'sleep 600 & sleep 600 & wait'
	start_ctr c
	d=$(cg_dir c) || fail "$d"
	wait_until 10 test "$(wc -l <"$d/cgroup.procs")" -ge 3 2>/dev/null
	kr kill --all c KILL
	assert_ok "kill --all"
	wait_until 10 _is_stopped c || fail "not stopped after kill --all: $(state_of c)"
	wait_until 10 test ! -s "$d/cgroup.procs" || fail "processes left: $(cat "$d/cgroup.procs")"
	kr delete c
	assert_ok delete
	[ ! -e "$d" ] || fail "$d left after delete"
}

t_abs_path()
{
	local p=/$TEST_TAG-abs/nested/c1
	vbundle b sleep 600
	edit '.linux.cgroupsPath = $p' --arg p "$p"
	res '.pids = {"limit": 33}'
	start_ctr a
	assert_eq "$(cg_dir a)" "/sys/fs/cgroup$p" "cgroup of an absolute cgroupsPath"
	assert_eq "$(cat "/sys/fs/cgroup$p/pids.max")" 33 pids.max
	kr delete --force a
	assert_ok "delete --force"
	[ ! -e "/sys/fs/cgroup$p" ] || fail "/sys/fs/cgroup$p left after delete"
	# The parents the runtime created may stay (runc) or go with the
	# container (kura); what stays must be empty.
	rmdir "/sys/fs/cgroup/$TEST_TAG-abs/nested" "/sys/fs/cgroup/$TEST_TAG-abs" 2>/dev/null
	[ ! -e "/sys/fs/cgroup/$TEST_TAG-abs" ] || fail "cannot remove the parents"
}

t_systemd_path()
{
	is_kura || skip "runc and crun need a systemd to talk to with --systemd-cgroup"
	local want=/sys/fs/cgroup/kura.slice/kura-$TEST_TAG.slice/kt-$TEST_TAG.scope
	vbundle b sleep 600
	edit '.linux.cgroupsPath = $p' --arg p "kura-$TEST_TAG.slice:kt:$TEST_TAG"
	res '.pids = {"limit": 21}'
	kr --systemd-cgroup run -d --bundle "$B" s
	assert_ok "run -d --systemd-cgroup"
	assert_eq "$(cg_dir s)" "$want" "the unit's directory, as systemd names it"
	assert_eq "$(cat "$want/pids.max")" 21 pids.max
	kr delete --force s
	assert_ok "delete --force (no flag: the path is recorded)"
	[ ! -e "$want" ] || fail "$want left after delete"
	rmdir "/sys/fs/cgroup/kura.slice/kura-$TEST_TAG.slice" "/sys/fs/cgroup/kura.slice" 2>/dev/null
	[ ! -e "/sys/fs/cgroup/kura.slice/kura-$TEST_TAG.slice" ] || fail "the slices are left"
}

t_rel_path()
{
	local own want
	own=$(_own_cg)
	vbundle b sleep 600
	edit '.linux.cgroupsPath = $p' --arg p "$TEST_TAG-rel/c1"
	start_ctr r
	# Relative paths nest below the runtime's own cgroup (kura) or its
	# parent (runc); the same place when the caller is in the root cgroup.
	case $own in
	/) want=/sys/fs/cgroup/$TEST_TAG-rel/c1 ;;
	*) want=/$TEST_TAG-rel/c1 ;;
	esac
	[[ $(cg_dir r) == *"$want" ]] || fail "cgroup of relative cgroupsPath: $(cg_dir r), expected $want"
	measure "relative cgroupsPath $TEST_TAG-rel/c1 from cgroup $own -> $(cg_dir r)"
	kr delete --force r
	assert_ok "delete --force"
	[ ! -e "$want" ] || fail "$want left after delete"
	rmdir "${want%/c1}" 2>/dev/null
	true
}

t_events()
{
	local j
	[ "$RUNTIME_NAME" != crun ] || skip "crun has no events command"
	vbundle b sh -c 'sleep 600 & exec sleep 600'
	res '.memory = {"limit": 67108864} | .pids = {"limit": 50}'
	start_ctr e
	kr events --stats e
	assert_ok "events --stats"
	diag "$OUT"
	j=$OUT
	assert_eq "$(jq -r .type <<<"$j")" stats ".type"
	jq -e '.data.cpu.usage.total > 0' <<<"$j" >/dev/null || fail ".data.cpu.usage.total: $j"
	jq -e '.data.memory.usage.usage > 0' <<<"$j" >/dev/null || fail ".data.memory.usage.usage: $j"
	jq -e '.data.memory.usage.limit == 67108864' <<<"$j" >/dev/null || fail ".data.memory.usage.limit: $j"
	jq -e '.data.pids.current >= 2' <<<"$j" >/dev/null || fail ".data.pids.current: $j"
	jq -e '.data.pids.limit == 50' <<<"$j" >/dev/null || fail ".data.pids.limit: $j"
}

run_test "delete and delete --force leave no cgroup" t_delete
run_test "kill --all empties the cgroup" t_kill_all
run_test "absolute cgroupsPath is used as is, below the v2 root" t_abs_path
run_test "--systemd-cgroup: slice:prefix:name to the unit's directory" t_systemd_path
run_test "relative cgroupsPath nests below the caller" t_rel_path
run_test "events --stats reports cpu, memory and pids" t_events
finish
