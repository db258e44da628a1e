#!/bin/bash
# memory.max: a hog is OOM-killed inside its container, the neighbour keeps
# running, memory.events counts the kill; a live update of memory.max.
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

t_oom()
{
	local d n
	# The neighbour: same limit, small, keeps running.
	vbundle nb sh -c 'while :; do sleep 1; done'
	res '.memory = {"limit": 33554432, "swap": 33554432}'
	start_ctr nb
	# The hog: dd allocates a 128 MiB buffer and fills it; the init shell
	# reports dd's status and stays around.
	vbundle hog sh -c 'dd if=/dev/zero of=/dev/null bs=128M count=1 2>/dev/null; echo "dd=$?"; exec sleep 600'
	res '.memory = {"limit": 33554432, "swap": 33554432}'
	create_ctr hog
	d=$(cg_dir hog) || fail "$d"
	assert_eq "$(cat "$d/memory.max")" 33554432 "hog's memory.max"
	start_only hog
	wait_until 30 grep -q '^dd=' "$TEST_TMP/hog.out" || fail "hog did not finish: $(cat "$TEST_TMP/hog.out")"
	assert_eq "$(grep '^dd=' "$TEST_TMP/hog.out")" "dd=137" "hog's exit status (SIGKILL)"
	diag "hog memory.events: $(tr '\n' ' ' <"$d/memory.events")"
	n=$(awk '$1 == "oom_kill" {print $2}' "$d/memory.events")
	[ "${n:-0}" -ge 1 ] || fail "memory.events oom_kill is '${n}'"
	assert_eq "$(state_of hog)" running "hog container (its init survives)"
	assert_eq "$(state_of nb)" running "neighbour"
	pid_alive "$(ctr_pid nb)" || fail "neighbour's init died"
	n=$(cg_stat nb memory.events oom_kill)
	assert_eq "${n:-0}" 0 "neighbour's oom_kill"
	measure "memory.max 32 MiB: hog $(grep '^dd=' "$TEST_TMP/hog.out") oom_kill=$(cg_stat hog memory.events oom_kill); neighbour $(state_of nb), oom_kill=${n:-0}"
	if [ "$RUNTIME_NAME" != crun ]; then
		kr events --stats hog
		assert_ok "events --stats"
		diag "events --stats: $OUT"
		if is_kura; then
			# kura reports the OOM kill in its stats (issue 4).
			jq -e '[.. | objects | to_entries[] | select(.key | test("oom_kill")) | .value | numbers] | max >= 1' <<<"$OUT" >/dev/null ||
				fail "events --stats does not report the OOM kill: $OUT"
		fi
	fi
}

t_update_memory()
{
	local d
	vbundle b sh -c 'exec sleep 600'
	res '.memory = {"limit": 67108864}'
	start_ctr u
	d=$(cg_dir u) || fail "$d"
	assert_eq "$(cat "$d/memory.max")" 67108864 "memory.max before"
	kr update --memory 33554432 u
	assert_ok "update --memory"
	assert_eq "$(cat "$d/memory.max")" 33554432 "memory.max after update --memory"
	echo '{"memory": {"limit": 50331648, "reservation": 16777216}}' >"$TEST_TMP/r.json"
	kr update --resources "$TEST_TMP/r.json" u
	assert_ok "update --resources"
	assert_eq "$(cat "$d/memory.max")" 50331648 "memory.max after update --resources"
	assert_eq "$(cat "$d/memory.low")" 16777216 "memory.low after update --resources"
	# Enforced: a 64 MiB allocation is now OOM-killed.
	kr exec u sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo "dd=$?"'
	diag "exec: rc=$RC out=$OUT err=$ERR"
	[[ $OUT == *dd=137* ]] || [ "$RC" = 137 ] || fail "a 64 MiB allocation was not OOM-killed under the updated limit"
	assert_eq "$(state_of u)" running "container after the OOM kill of an exec'd process"
}

run_test "memory hog is OOM-killed in its container; the neighbour runs on" t_oom
run_test "update changes memory.max/memory.low of a live container" t_update_memory
finish
