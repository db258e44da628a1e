# integration/cgroups: linux.resources through the host's hierarchies
# (v1 controllers on these machines, v2 on a pure v2 host): limits set
# and visible inside the container, enforced, changed live by update,
# pause/resume, events, kill --all, and no cgroup left after delete.
. "$(dirname "$0")/../lib/common.sh"

# The container's directory for a controller, from kura's record.
cg_dir()
{
	jq -r --arg c "$2" '.dirs[] | select((.controllers | split(",") | index($c)) or
		(.v2 and $c == "")) | .path' "$ROOT/$1/cgroup.json" | head -1
}

v2_host()
{
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]
}

# cat a cgroup file of the container, v1 name or v2 name.
cg_file()
{
	local id=$1 v1ctl=$2 v1file=$3 v2file=$4
	if v2_host; then
		cat "$(cg_dir "$id" "")/$v2file"
	else
		cat "$(cg_dir "$id" "$v1ctl")/$v1file"
	fi
}

t_limits_set_and_visible()
{
	new_bundle b sleep 1000
	edit '.linux.resources = {"memory": {"limit": 67108864, "swap": 134217728},
		"pids": {"limit": 42}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}'
	k run -d --bundle "$B" c1 || fail "run -d"
	assert_eq "$(cg_file c1 memory memory.limit_in_bytes memory.max)" 67108864 "memory limit"
	assert_eq "$(cg_file c1 pids pids.max pids.max)" 42 "pids.max"
	if v2_host; then
		assert_eq "$(cg_file c1 cpu - cpu.max)" "50000 100000" "cpu.max"
		assert_eq "$(cg_file c1 cpu - cpu.weight)" 59 "cpu.weight from shares 512"
	else
		assert_eq "$(cg_file c1 cpu cpu.cfs_quota_us -)" 50000 "cfs quota"
		assert_eq "$(cg_file c1 cpu cpu.shares -)" 512 "cpu.shares"
		assert_eq "$(cg_file c1 memory memory.memsw.limit_in_bytes -)" 134217728 "memsw"
	fi
	# Relative cgroupsPath: below our own cgroup in the memory hierarchy.
	local own
	own=$(awk -F: '$2 == "memory" || ($1 == 0 && $2 == "") {print $3; exit}' /proc/self/cgroup)
	case $(cg_dir c1 memory) in
	*"${own%/}/$TEST_TAG-"*) ;;
	*) fail "cgroup $(cg_dir c1 memory) is not below our own $own" ;;
	esac
	# The container sees its own limit in its /sys/fs/cgroup.
	local inside
	if v2_host; then
		inside=$(k exec c1 cat /sys/fs/cgroup/memory.max)
	else
		inside=$(k exec c1 cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
	fi
	assert_eq "$inside" 67108864 "memory limit seen inside"
}

t_pids_enforced()
{
	new_bundle b sh -c 'n=0; for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 5 & [ $? = 0 ] && n=$((n+1)); done; echo started; exit 0'
	edit '.linux.resources = {"pids": {"limit": 4}}'
	kr run --bundle "$B" c1
	assert_contains "$ERR$OUT" "fork" "a refused fork"
}

t_oom_killed()
{
	new_bundle b sh -c 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived'
	edit '.linux.resources = {"memory": {"limit": 33554432, "swap": 33554432}}'
	k run -d --bundle "$B" c1 || fail "run -d"
	wait_status c1 stopped
	kr events --stats c1
	# Stopped: events refuses, like runc; the OOM count is read before.
	k delete c1 || fail delete
	new_bundle b2 sh -c 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived'
	edit '.linux.resources = {"memory": {"limit": 33554432, "swap": 33554432}}'
	kr run --bundle "$B" c2
	assert_rc 137 "exit code of an OOM-killed container"
	assert_not_contains "$OUT" survived
}

t_update_live()
{
	new_bundle b sleep 1000
	edit '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 10}}'
	k run -d --bundle "$B" c1 || fail "run -d"
	kr update --pids-limit 20 c1
	assert_ok "update --pids-limit"
	assert_eq "$(cg_file c1 pids pids.max pids.max)" 20 "pids.max after update"
	echo '{"memory": {"limit": 100663296, "swap": -1}}' >"$TEST_TMP/r.json"
	kr update --resources "$TEST_TMP/r.json" c1
	assert_ok "update --resources"
	assert_eq "$(cg_file c1 memory memory.limit_in_bytes memory.max)" 100663296 "memory after update"
	echo '{"pids": {"limit": 12}}' | k update -r - c1 || fail "update -r -"
	assert_eq "$(cg_file c1 pids pids.max pids.max)" 12 "pids.max from stdin"
	kr update --memory banana c1
	assert_fails "update with a bad value"
	assert_contains "$ERR" "--memory"
	echo '{"cpu": {"shares": 1}}' >"$TEST_TMP/bad.json"
	kr update -r "$TEST_TMP/bad.json" c1
	assert_fails "update with shares 1"
	assert_contains "$ERR" "cpu.shares"
}

t_pause_resume()
{
	new_bundle b sh -c 'while :; do date +%s%N > /tmp/tick; sleep 0.05; done'
	k run -d --bundle "$B" c1 || fail "run -d"
	kr pause c1
	assert_ok pause
	assert_eq "$(state_of c1)" paused "status after pause"
	kr pause c1
	assert_fails "pause of a paused container"
	kr resume c1
	assert_ok resume
	assert_eq "$(state_of c1)" running "status after resume"
	kr resume c1
	assert_fails "resume of a running container"
	# A paused container can be killed and deleted.
	k pause c1 || fail pause
	kr delete --force c1
	assert_ok "delete --force of a paused container"
}

t_events_stats()
{
	new_bundle b sleep 1000
	edit '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 10}}'
	k run -d --bundle "$B" c1 || fail "run -d"
	kr events --stats c1
	assert_ok "events --stats"
	assert_eq "$(jq -r .type <<<"$OUT")" stats
	assert_eq "$(jq -r .id <<<"$OUT")" c1
	assert_eq "$(jq -r .data.pids.limit <<<"$OUT")" 10 "pids limit"
	assert_match "$(jq -r .data.pids.current <<<"$OUT")" '^[1-9]' "pids current"
	assert_match "$(jq -r .data.memory.usage.usage <<<"$OUT")" '^[1-9][0-9]*$' "memory usage"
	assert_eq "$(jq -r .data.memory.usage.limit <<<"$OUT")" 67108864 "memory limit"
	assert_match "$(jq -r .data.cpu.usage.total <<<"$OUT")" '^[0-9]+$' "cpu usage"
	# Streaming: two documents at a short interval.
	timeout 5 "$KURA" --root "$ROOT" events --interval 100ms c1 >"$TEST_TMP/ev" 2>&1 &
	local p=$!
	wait_until 4 eval '[ "$(wc -l <"$TEST_TMP/ev")" -ge 2 ]' || fail "no stream: $(cat "$TEST_TMP/ev")"
	kill "$p"
	wait "$p" 2>/dev/null || true
}

t_kill_all_and_ps()
{
	new_bundle b sh -c 'sleep 1000 & sleep 1000 & exec sleep 1000'
	edit 'del(.linux.namespaces[] | select(.type == "pid"))'
	k run -d --bundle "$B" c1 || fail "run -d"
	wait_until 5 eval '[ "$(k ps --format json c1 | jq length)" -ge 3 ]' ||
		fail "ps: $(k ps --format json c1)"
	kr kill --all c1 KILL
	assert_ok "kill --all"
	wait_status c1 stopped
	wait_until 5 eval '[ "$(k ps --format json c1 2>/dev/null | jq length)" = 0 ]' ||
		fail "processes left: $(k ps --format json c1)"
}

t_delete_leaves_nothing()
{
	new_bundle b sleep 1000
	edit '.linux.resources = {"pids": {"limit": 10}}'
	k run -d --bundle "$B" c1 || fail "run -d"
	local d
	d=$(cg_dir c1 pids)
	[ -d "$d" ] || fail "no cgroup $d"
	k delete --force c1 || fail "delete --force"
	[ ! -e "$d" ] || fail "cgroup $d left after delete"
}

t_bad_resources()
{
	new_bundle b true
	edit '.linux.resources = {"memory": {"limit": "lots"}}'
	kr run --bundle "$B" c1
	assert_fails "run with a bad memory limit"
	assert_contains "$ERR" "config.json: linux.resources.memory.limit: expected an integer"
	assert_eq "$(grep -c . <<<"$ERR")" 1 "one error line"
	edit '.linux.resources = {"cpu": {"burst": 10}} | .linux.cgroupsPath = "a/../../b"'
	kr run --bundle "$B" c1
	assert_fails "run with .. in cgroupsPath"
	assert_contains "$ERR" "linux.cgroupsPath"
}

run_test "limits are set and visible inside" t_limits_set_and_visible
run_test "pids.max stops forks" t_pids_enforced
run_test "a memory hog is OOM-killed (137)" t_oom_killed
run_test "update changes live limits" t_update_live
run_test "pause and resume" t_pause_resume
run_test "events --stats and streaming" t_events_stats
run_test "kill --all and ps through the cgroup" t_kill_all_and_ps
run_test "delete leaves no cgroup" t_delete_leaves_nothing
run_test "bad linux.resources fail cleanly" t_bad_resources
finish
