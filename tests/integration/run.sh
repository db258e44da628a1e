# integration/run: `run` in the foreground and detached, exit codes,
# signal forwarding, and that a foreground run cleans up after itself.
. "$(dirname "$0")/../lib/common.sh"

t_output_and_exit0()
{
	new_bundle b sh -c 'echo out; echo err >&2'
	kr run --bundle "$B" r1
	assert_ok "run"
	assert_eq "$OUT" out "stdout"
	assert_eq "$ERR" err "stderr"
	kr state r1
	assert_rc 1 "state after a foreground run"
	assert_contains "$ERR" "does not exist"
}

t_exit_code()
{
	local code
	new_bundle b true
	for code in 1 7 42 255; do
		bundle_args "$B" sh -c "exit $code"
		kr run --bundle "$B" r1
		assert_rc "$code" "run of 'exit $code'"
	done
}

t_killed_by_signal()
{
	# pid 1 ignores signals it has no handler for, except SIGKILL: 128+9.
	new_bundle b sleep 1000
	k_bg "$TEST_TMP/out" run --bundle "$B" r1
	wait_status r1 running
	k kill r1 KILL || fail "kill"
	wait_kpid
	assert_eq "$?" 137 "exit code of run when the container gets SIGKILL"
}

t_killed_by_signal_not_init()
{
	# Without a pid namespace the process is not an init, so an unhandled
	# SIGUSR1 kills it: 128+10.
	new_bundle b sh -c 'kill -USR1 $$; sleep 5'
	edit 'del(.linux.namespaces[] | select(.type == "pid"))'
	kr run --bundle "$B" r1
	assert_rc 138 "run of a process killed by SIGUSR1"
}

_forward()
{
	local sig=$1 code=$2
	new_bundle b sh -c "trap 'echo got $sig > /ctl/got; exit $code' $sig; touch /ctl/ready; while :; do sleep 0.01; done"
	add_ctl
	k_bg "$TEST_TMP/out" run --bundle "$B" r1
	wait_file "$CTL/ready"
	kill -"$sig" "$KPID"
	wait_kpid
	assert_eq "$?" "$code" "exit code of run after $sig"
	assert_eq "$(cat "$CTL/got")" "got $sig" "the container's trap ran"
}

t_forward_term()
{
	_forward TERM 42
}

t_forward_int()
{
	_forward INT 43
}

t_forward_hup_usr1()
{
	_forward HUP 44
	_forward USR1 45
}

t_detach()
{
	new_bundle b sleep 1000
	local t0 t1
	t0=$(_now_us)
	kr run -d --bundle "$B" --pid-file "$TEST_TMP/pid" r1
	t1=$(_now_us)
	assert_ok "run -d"
	assert_eq "$(state_of r1)" running "status after run -d"
	local pid
	pid=$(k state r1 | jq -r .pid)
	assert_eq "$(tr -d '\n' <"$TEST_TMP/pid")" "$pid" "pid file of run -d"
	[ $((t1 - t0)) -lt 5000000 ] || fail "run -d took $(((t1 - t0) / 1000)) ms"
	assert_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "sleep 1000 " "cmdline of the container process"
	kr delete r1
	assert_fails "delete of a running container"
	k kill r1 KILL || fail "kill"
	wait_status r1 stopped
	# A detached run is not removed when it exits.
	kr delete r1
	assert_ok "delete after the detached container stopped"
}

t_detach_long_form()
{
	new_bundle b sleep 1000
	kr run --detach --bundle "$B" r1
	assert_ok "run --detach"
	assert_eq "$(state_of r1)" running
}

t_bundle_default_cwd()
{
	# Without --bundle, the current directory is the bundle.
	new_bundle b sh -c 'echo from-cwd'
	OUT=$(cd "$B" && k run r1 2>&1) || fail "run in the bundle dir: $OUT"
	assert_eq "$OUT" from-cwd
}

t_stdin()
{
	new_bundle b sh -c 'read line; echo "got:$line"'
	OUT=$(echo hello | k run --bundle "$B" r1) || fail "run with stdin"
	assert_eq "$OUT" got:hello "stdin reaches the container"
}

t_args_intact()
{
	new_bundle b sh -c 'for a in "$@"; do echo "[$a]"; done' argv0 'two words' '' '$HOME' '*'
	kr run --bundle "$B" r1
	assert_ok
	assert_eq "$OUT" $'[two words]\n[]\n[$HOME]\n[*]' "arguments reach the process unchanged"
}

t_run_not_found()
{
	new_bundle b /bin/does-not-exist
	kr run --bundle "$B" r1
	assert_fails "run of a missing executable"
	kr state r1
	assert_rc 1 "no container left after a failed run"
}

run_test "foreground run: output, exit 0, removed after" t_output_and_exit0
run_test "run exits with the container's exit code" t_exit_code
run_test "run exits 137 when the container is SIGKILLed" t_killed_by_signal
run_test "run exits 128+N for a signal N (no pid ns)" t_killed_by_signal_not_init
run_test "run forwards SIGTERM" t_forward_term
run_test "run forwards SIGINT" t_forward_int
run_test "run forwards SIGHUP and SIGUSR1" t_forward_hup_usr1
run_test "run -d detaches and writes the pid file" t_detach
run_test "run --detach" t_detach_long_form
run_test "run without --bundle uses the cwd" t_bundle_default_cwd
run_test "stdin reaches a foreground container" t_stdin
run_test "arguments are passed unchanged" t_args_intact
run_test "run of a missing executable fails cleanly" t_run_not_found
finish
