#!/bin/bash
# pause/resume freeze and thaw the container's cgroup (cgroup.freeze).
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

_frozen_is()
{
	[ "$(awk '$1 == "frozen" {print $2}' "$1/cgroup.events")" = "$2" ]
}

_counter_moved()
{
	[ "$(cat "$CTL/n" 2>/dev/null)" != "$1" ]
}

t_pause_resume()
{
	local d n1 n2
	vbundle b sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/ctl/n; usleep 100000; done'
	add_ctl
	start_ctr p
	d=$(cg_dir p) || fail "$d"
	wait_file "$CTL/n" 20
	kr pause p
	assert_ok pause
	assert_eq "$(state_of p)" paused "status after pause"
	assert_eq "$(cat "$d/cgroup.freeze")" 1 "cgroup.freeze after pause"
	wait_until 10 _frozen_is "$d" 1 || fail "cgroup.events never says frozen 1: $(cat "$d/cgroup.events")"
	n1=$(cat "$CTL/n")
	_nap 1
	n2=$(cat "$CTL/n")
	assert_eq "$n2" "$n1" "the counter while paused"
	kr resume p
	assert_ok resume
	assert_eq "$(state_of p)" running "status after resume"
	assert_eq "$(cat "$d/cgroup.freeze")" 0 "cgroup.freeze after resume"
	wait_until 10 _frozen_is "$d" 0 || fail "cgroup.events still frozen: $(cat "$d/cgroup.events")"
	wait_until 10 _counter_moved "$n2" || fail "the counter did not move after resume"
	# A paused container can be force-deleted, and leaves no cgroup.
	kr pause p
	assert_ok "second pause"
	kr delete --force p
	assert_ok "delete --force of a paused container"
	[ ! -e "$d" ] || fail "$d left after delete --force"
}

run_test "pause freezes and resume thaws the cgroup" t_pause_resume
finish
