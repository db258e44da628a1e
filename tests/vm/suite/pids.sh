#!/bin/bash
# pids.max: a fork bomb stops at the limit; a live update of pids.max.
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

_bomb_done()
{
	local ev
	ev=$(awk '$1 == "max" {print $2}' "$1/pids.events" 2>/dev/null)
	[ "${ev:-0}" -ge 1 ]
}

t_fork_bomb()
{
	local d ev cur cur2
	# Every process forks two more and becomes a sleep; a fork that fails
	# ends only the shell that tried it.  The container's init sleeps.  The
	# depth bounds the bomb at 127 processes should the limit be missing.
	vbundle b sh -c 'f() { if [ $1 -gt 0 ]; then f $(($1 - 1)) & f $(($1 - 1)) & fi; exec sleep 600; }; f 6 2>/dev/null & exec sleep 600'
	res '.pids = {"limit": 24}'
	create_ctr bomb
	d=$(cg_dir bomb) || fail "$d"
	assert_eq "$(cat "$d/pids.max")" 24 "pids.max before the bomb starts"
	start_only bomb
	wait_until 60 _bomb_done "$d" || fail "no fork failed within 60 s: pids.current $(cat "$d/pids.current"), pids.events $(cat "$d/pids.events")"
	_nap 1
	cur=$(cat "$d/pids.current")
	_nap 1
	cur2=$(cat "$d/pids.current")
	ev=$(awk '$1 == "max" {print $2}' "$d/pids.events")
	measure "fork bomb: pids.current $cur then $cur2, pids.events max=$ev"
	[ "$cur2" -le 24 ] || fail "pids.current $cur2 is above pids.max 24"
	[ "$cur2" -ge 12 ] || fail "pids.current $cur2: the bomb stopped far below the limit"
	assert_eq "$cur2" "$cur" "pids.current is stable (the bomb is held)"
	# The host still forks fine.
	assert_eq "$(sh -c 'echo ok')" ok "fork on the host"
	kr delete --force bomb
	assert_ok "delete --force of the bomb"
	[ ! -e "$d" ] || fail "$d is still there after delete --force"
}

t_update_pids()
{
	local d
	vbundle b sh -c 'exec sleep 600'
	res '.pids = {"limit": 100}'
	start_ctr p
	d=$(cg_dir p) || fail "$d"
	kr update --pids-limit 3 p
	assert_ok "update --pids-limit"
	assert_eq "$(cat "$d/pids.max")" 3 "pids.max after update"
	# Enforced: with init + exec'd shell, only one more process fits.
	kr exec p sh -c 'sleep 30 & sleep 30 & sleep 30 & wait' 
	diag "exec under pids.max 3: rc=$RC err=$ERR"
	local ev
	ev=$(awk '$1 == "max" {print $2}' "$d/pids.events")
	[ "${ev:-0}" -ge 1 ] || fail "pids.events max is '$ev' after spawning past the limit"
	echo '{"pids": {"limit": 55}}' >"$TEST_TMP/r.json"
	kr update --resources "$TEST_TMP/r.json" p
	assert_ok "update --resources"
	assert_eq "$(cat "$d/pids.max")" 55 "pids.max after update --resources"
}

run_test "a fork bomb stops at pids.max" t_fork_bomb
run_test "update changes pids.max of a live container" t_update_pids
finish
