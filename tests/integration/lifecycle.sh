# integration/lifecycle: create -> start -> (exit | kill) -> delete, the
# status transitions and the state JSON at every step.
. "$(dirname "$0")/../lib/common.sh"

t_create_waits()
{
	new_bundle b sh -c 'echo started'
	k create --bundle "$B" --pid-file "$TEST_TMP/pid" c1 >"$TEST_TMP/out" 2>&1 ||
		fail "create failed: $(cat "$TEST_TMP/out")"
	assert_eq "$(state_of c1)" created "status after create"
	local pid
	pid=$(k state c1 | jq -r .pid)
	assert_match "$pid" '^[1-9][0-9]*$' "pid of a created container"
	pid_alive "$pid" || fail "init $pid of a created container is not alive"
	# The pid file holds the init's pid (runc writes it without a newline).
	assert_eq "$(tr -d '\n' <"$TEST_TMP/pid")" "$pid" "pid file"
	# process.args have not run yet.
	assert_eq "$(cat "$TEST_TMP/out")" "" "output before start"
	# The init already sits in the container's namespaces.
	assert_ne "$(readlink /proc/"$pid"/ns/pid)" "$(readlink /proc/self/ns/pid)" "pid ns of init"
	assert_ne "$(readlink /proc/"$pid"/ns/mnt)" "$(readlink /proc/self/ns/mnt)" "mount ns of init"
	kr start c1
	assert_ok "start"
	wait_status c1 stopped
	assert_eq "$(cat "$TEST_TMP/out")" started "output after start"
	kr delete c1
	assert_ok "delete of a stopped container"
	kr state c1
	assert_rc 1 "state after delete"
	assert_contains "$ERR" "does not exist"
}

t_transitions()
{
	new_bundle b sh -c 'while [ ! -e /ctl/go ]; do sleep 0.01; done; exit 3'
	add_ctl
	k create --bundle "$B" c1 || fail "create"
	assert_eq "$(state_of c1)" created
	local pid
	pid=$(k state c1 | jq -r .pid)
	k start c1 || fail "start"
	assert_eq "$(state_of c1)" running "status after start"
	assert_eq "$(k state c1 | jq -r .pid)" "$pid" "pid after start"
	touch "$CTL/go"
	wait_status c1 stopped
	# runc reports pid 0 once the process is gone.
	assert_eq "$(k state c1 | jq -r .pid)" 0 "pid of a stopped container"
	kr start c1
	assert_fails "start of a stopped container"
	kr delete c1
	assert_ok "delete"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 survived delete"
}

t_start_twice()
{
	new_bundle b sleep 1000
	k create --bundle "$B" c1 || fail "create"
	kr start c1
	assert_ok "first start"
	kr start c1
	assert_fails "second start"
	assert_eq "$(state_of c1)" running "status after a failed second start"
	kr kill c1 KILL
	assert_ok "kill"
	wait_status c1 stopped
}

t_state_json()
{
	new_bundle b sleep 1000
	edit '.annotations = {"org.example.k": "v", "kura.test": "1"}'
	local before after
	before=$(date -u +%s)
	k create --bundle "$B" c1 || fail "create"
	after=$(date -u +%s)
	kr state c1
	assert_ok "state"
	local s=$OUT
	echo "$s" | jq -e . >/dev/null || fail "state is not JSON: $s"
	assert_match "$(jq -r .ociVersion <<<"$s")" '^1\.' "ociVersion"
	assert_eq "$(jq -r .id <<<"$s")" c1 "id"
	assert_eq "$(jq -r .status <<<"$s")" created "status"
	assert_eq "$(jq -r .bundle <<<"$s")" "$B" "bundle (absolute)"
	assert_eq "$(jq -r .rootfs <<<"$s")" "$B/rootfs" "rootfs"
	assert_eq "$(jq -c '.annotations | to_entries | sort_by(.key)' <<<"$s")" \
		'[{"key":"kura.test","value":"1"},{"key":"org.example.k","value":"v"}]' "annotations"
	assert_eq "$(jq -r '.pid | type' <<<"$s")" number "pid type"
	# created: RFC 3339 UTC with nanoseconds, within this test's window.
	local created t
	created=$(jq -r .created <<<"$s")
	assert_match "$created" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$' "created"
	t=$(date -u -d "$(sed 's/\.[0-9]*Z$/Z/' <<<"$created")" +%s)
	[ "$t" -ge "$before" ] && [ "$t" -le "$after" ] ||
		fail "created $created is outside [$before, $after]"
	assert_eq "$(jq -r '.owner | type' <<<"$s")" string "owner"
	k start c1 || fail start
	assert_eq "$(k state c1 | jq -r .created)" "$created" "created is fixed at create"
}

t_bundle_relative()
{
	# --bundle is resolved against the caller's cwd and stored absolute.
	new_bundle b sleep 1000
	(cd "$TEST_TMP" && k create --bundle b c1) || fail "create with a relative bundle"
	assert_eq "$(k state c1 | jq -r .bundle)" "$B" "bundle"
}

t_died_reads_stopped()
{
	# The status is derived from the live process: a container whose init
	# is killed from outside reads as stopped.
	new_bundle b sleep 1000
	k create --bundle "$B" c1 || fail create
	k start c1 || fail start
	local pid
	pid=$(k state c1 | jq -r .pid)
	assert_match "$pid" '^[1-9][0-9]*$' "pid of a running container" || return
	kill -KILL "$pid"
	wait_status c1 stopped
	kr delete c1
	assert_ok "delete"
}

t_created_killed()
{
	# A created container can be killed before it ever starts.
	new_bundle b sleep 1000
	k create --bundle "$B" c1 || fail create
	local pid
	pid=$(k state c1 | jq -r .pid)
	kr kill c1 KILL
	assert_ok "kill of a created container"
	wait_status c1 stopped
	wait_until 5 eval '! pid_alive '"$pid" || fail "init $pid still alive"
	kr start c1
	assert_fails "start after the init was killed"
}

t_many_sequential()
{
	# Ids can be reused once deleted.
	new_bundle b true
	local i
	for i in 1 2 3 4 5; do
		kr run --bundle "$B" same
		assert_ok "run #$i"
		kr state same
		assert_rc 1 "state after run #$i"
	done
}

run_test "create leaves init waiting, start runs args, delete removes" t_create_waits
run_test "created -> running -> stopped, exit by itself" t_transitions
run_test "start twice fails and leaves it running" t_start_twice
run_test "state JSON fields" t_state_json
run_test "relative --bundle is stored absolute" t_bundle_relative
run_test "a container whose init died reads as stopped" t_died_reads_stopped
run_test "kill a created container" t_created_killed
run_test "an id can be reused after delete" t_many_sequential
finish
