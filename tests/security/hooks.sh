# security/hooks: the six OCI hooks run in the runtime-spec's order, where
# the spec says (prestart, createRuntime, poststart and poststop in the
# runtime's namespaces; createContainer and startContainer in the
# container's), each with the state JSON on stdin; a hook that fails
# before start aborts create and leaves nothing behind; a failing poststop
# is only logged; a timeout kills the hook.
. "$(dirname "$0")/../lib/common.sh"

# The hook: `hook KIND DIR` saves its stdin to DIR/KIND.json and appends
# KIND to DIR/order.  One copy on the host, one in the rootfs (the
# startContainer path resolves in the container's root).
_write_hook()
{
	cat >"$1" <<-'EOF'
		#!/bin/sh
		cat >"$2/$1.json"
		echo "$1" >>"$2/order"
	EOF
	chmod 0755 "$1"
}

# new_hooked_bundle ARG...: B with $CTL at /ctl and every hook kind
# recording into $CTL.
new_hooked_bundle()
{
	new_bundle b "$@"
	add_ctl
	HOOK=$TEST_TMP/hook.sh
	_write_hook "$HOOK"
	_write_hook "$B/rootfs/hook.sh"
	edit '.hooks = {
		prestart: [{path: $h, args: ["hook", "prestart", $d]}],
		createRuntime: [{path: $h, args: ["hook", "createRuntime", $d]}],
		createContainer: [{path: $h, args: ["hook", "createContainer", $d]}],
		startContainer: [{path: "/hook.sh", args: ["hook", "startContainer", "/ctl"]}],
		poststart: [{path: $h, args: ["hook", "poststart", $d]}],
		poststop: [{path: $h, args: ["hook", "poststop", $d]}]}' \
		--arg h "$HOOK" --arg d "$CTL"
}

order()
{
	tr '\n' ' ' <"$CTL/order" 2>/dev/null | sed 's/ $//'
}

# check_state KIND STATUS PID: what the hook of KIND read on stdin.
check_state()
{
	local f=$CTL/$1.json
	[ -s "$f" ] || fail "$1 hook got no state on stdin"
	jq -e . "$f" >/dev/null || fail "$1 hook: state is not JSON: $(cat "$f")"
	assert_eq "$(jq -r .id "$f")" c1 "$1: id"
	assert_eq "$(jq -r .status "$f")" "$2" "$1: status"
	assert_eq "$(jq -r .pid "$f")" "$3" "$1: pid"
	assert_eq "$(jq -r .bundle "$f")" "$B" "$1: bundle"
	assert_match "$(jq -r .ociVersion "$f")" '^1\.' "$1: ociVersion"
}

t_all_six_in_order()
{
	local pid
	new_hooked_bundle sh -c 'while [ ! -e /ctl/go ]; do sleep 0.01; done; echo ran >>/ctl/order'
	kr create --bundle "$B" c1
	assert_ok "create"
	pid=$(k state c1 | jq -r .pid)
	assert_eq "$(order)" "prestart createRuntime createContainer" "hooks run by create"
	check_state prestart creating "$pid"
	check_state createRuntime creating "$pid"
	# In the container's pid namespace the init is pid 1 (as in runc).
	check_state createContainer creating 1
	kr start c1
	assert_ok "start"
	assert_eq "$(order)" "prestart createRuntime createContainer startContainer poststart" \
		"hooks run by start"
	touch "$CTL/go"
	wait_status c1 stopped
	check_state startContainer created 1
	check_state poststart running "$pid"
	kr delete c1
	assert_ok "delete"
	assert_eq "$(order)" \
		"prestart createRuntime createContainer startContainer poststart ran poststop" \
		"hooks run by delete"
	check_state poststop stopped 0
}

t_run_runs_all_six()
{
	new_hooked_bundle true
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(order)" \
		"prestart createRuntime createContainer startContainer poststart poststop" "order"
}

t_hook_args_env()
{
	new_bundle b true
	add_ctl
	cat >"$TEST_TMP/env.sh" <<-'EOF'
		#!/bin/sh
		echo "$0|$1|$2" >"$DIR/args"
		env | sort >"$DIR/env"
	EOF
	chmod 0755 "$TEST_TMP/env.sh"
	edit '.hooks.prestart = [{path: $h, args: ["argv0", "a b", "c"], env: ["DIR=" + $d, "X=1"]}]' \
		--arg h "$TEST_TMP/env.sh" --arg d "$CTL"
	kr create --bundle "$B" c1
	assert_ok "create"
	# sh sets $0 from the script path; $1 and $2 come from args[1..].
	assert_eq "$(cut -d'|' -f2- "$CTL/args")" "a b|c" "args"
	grep -qx X=1 "$CTL/env" || fail "env X=1 missing: $(cat "$CTL/env")"
	! grep -q KURA_TEST_TAG "$CTL/env" || fail "the runtime's env leaked into the hook"
}

# fail_before_start KIND: a KIND hook that fails aborts create cleanly.
fail_before_start()
{
	new_bundle b true
	edit '.hooks[$k] = [{path: "/bin/sh", args: ["sh", "-c", "echo hook says no >&2; exit 3"]}]' \
		--arg k "$1"
	kr create --bundle "$B" c1
	assert_fails "create with a failing $1 hook"
	assert_contains "$ERR" "$1 hook #0" "error names the hook"
	assert_contains "$ERR" "exited with status 3: hook says no" "error gives the status and stderr"
	assert_eq "$(wc -l <<<"$ERR")" 1 "error lines"
	kr state c1
	assert_fails "state after the failed create"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 left behind"
	# The harness checks that no process and no mount is left.
}

t_prestart_fails()
{
	fail_before_start prestart
}

t_create_runtime_fails()
{
	fail_before_start createRuntime
}

t_create_container_fails()
{
	fail_before_start createContainer
}

t_run_prestart_fails()
{
	new_bundle b true
	edit '.hooks.prestart = [{path: "/bin/false"}]'
	kr run --bundle "$B" c1
	assert_fails "run with a failing prestart hook"
	assert_contains "$ERR" "prestart hook #0 (/bin/false): exited with status 1"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 left behind"
}

t_missing_hook()
{
	new_bundle b true
	edit '.hooks.createRuntime = [{path: "/nonexistent/hook"}]'
	kr create --bundle "$B" c1
	assert_fails "create with a missing hook"
	assert_contains "$ERR" "createRuntime hook #0 (/nonexistent/hook): exec: No such file"
}

t_start_container_fails()
{
	new_bundle b sleep 1000
	edit '.hooks.startContainer = [{path: "/bin/false"}]'
	kr create --bundle "$B" c1
	assert_ok "create"
	kr start c1
	assert_fails "start with a failing startContainer hook"
	assert_contains "$ERR" "startContainer hook #0 (/bin/false): exited with status 1"
	wait_status c1 stopped
	kr delete c1
	assert_ok "delete"
}

t_poststart_fails_is_logged()
{
	new_bundle b sleep 1000
	edit '.hooks.poststart = [{path: "/bin/false"}]'
	kr create --bundle "$B" c1
	assert_ok "create"
	kr start c1
	assert_ok "start with a failing poststart hook"
	assert_contains "$ERR" "poststart hook #0 (/bin/false)" "warning"
	assert_eq "$(state_of c1)" running "status"
}

t_poststart_can_ask_state()
{
	# poststart runs after start released the container's lock.
	new_bundle b sleep 1000
	edit '.hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c",
		$k + " --root " + $r + " state c1 >" + $o], timeout: 20}]' \
		--arg k "$KURA" --arg r "$ROOT" --arg o "$TEST_TMP/st.json"
	kr create --bundle "$B" c1
	assert_ok "create"
	kr start c1
	assert_ok "start"
	assert_eq "$ERR" "" "start's stderr"
	assert_eq "$(jq -r .status "$TEST_TMP/st.json")" running "status seen by the poststart hook"
}

t_poststop_fails_is_logged()
{
	new_bundle b true
	edit '.hooks.poststop = [{path: "/bin/sh", args: ["sh", "-c", "echo cleanup failed; exit 4"]}]'
	kr create --bundle "$B" c1
	assert_ok "create"
	kr delete c1
	assert_ok "delete with a failing poststop hook"
	assert_contains "$ERR" "poststop hook #0 (/bin/sh): exited with status 4: cleanup failed" \
		"warning"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 left behind"
	# The json log gets it too.
	new_bundle b true
	edit '.hooks.poststop = [{path: "/bin/false"}]'
	kr create --bundle "$B" c2
	assert_ok "create c2"
	k --log "$TEST_TMP/log.json" --log-format json delete c2 2>/dev/null ||
		fail "delete c2 with --log"
	assert_contains "$(cat "$TEST_TMP/log.json")" "poststop hook #0 (/bin/false)" "log line"
}

t_poststop_after_bundle_removed()
{
	# delete must work (and run poststop) when the bundle is gone.
	new_bundle b true
	add_ctl
	_write_hook "$TEST_TMP/hook.sh"
	edit '.hooks.poststop = [{path: $h, args: ["hook", "poststop", $d]}]' \
		--arg h "$TEST_TMP/hook.sh" --arg d "$CTL"
	kr create --bundle "$B" c1
	assert_ok "create"
	rm -rf "$B"
	kr delete --force c1
	assert_ok "delete after the bundle was removed"
	assert_eq "$(order)" poststop "hooks run by delete"
}

t_timeout()
{
	local t0 ms
	new_bundle b true
	edit '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "echo $$ >" + $p + "; exec sleep 100"], timeout: 1}]' \
		--arg p "$TEST_TMP/hookpid"
	t0=$(_now_us)
	kr create --bundle "$B" c1
	ms=$((($(_now_us) - t0) / 1000))
	assert_fails "create with a hook that times out"
	assert_contains "$ERR" "createRuntime hook #0 (/bin/sh): timeout: still running after 1s, killed"
	[ "$ms" -lt 10000 ] || fail "create took ${ms} ms with a 1 s hook timeout"
	[ -s "$TEST_TMP/hookpid" ] || fail "the hook did not start"
	! pid_alive "$(cat "$TEST_TMP/hookpid")" || fail "the timed-out hook is still running"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 left behind"
}

run_test "all six hooks run in spec order with the right state" t_all_six_in_order
run_test "run runs all six hooks" t_run_runs_all_six
run_test "a hook gets exactly its args and env" t_hook_args_env
run_test "a failing prestart hook aborts create, nothing left" t_prestart_fails
run_test "a failing createRuntime hook aborts create, nothing left" t_create_runtime_fails
run_test "a failing createContainer hook aborts create, nothing left" t_create_container_fails
run_test "a failing prestart hook aborts run, nothing left" t_run_prestart_fails
run_test "a missing hook binary is a clear error" t_missing_hook
run_test "a failing startContainer hook fails start" t_start_container_fails
run_test "a failing poststart hook is logged, start succeeds" t_poststart_fails_is_logged
run_test "a poststart hook can run kura state" t_poststart_can_ask_state
run_test "a failing poststop hook is logged, delete succeeds" t_poststop_fails_is_logged
run_test "poststop runs after the bundle is removed" t_poststop_after_bundle_removed
run_test "a hook that outlives its timeout is killed and fails create" t_timeout
finish
