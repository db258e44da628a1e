# integration/exec: `kura exec` into a running container: the exit code
# comes back, --env, --cwd, --user, --detach with --pid-file, --process
# FILE; exec into a stopped container is a clear error.
. "$(dirname "$0")/../lib/common.sh"

# A running container c1 (sleep 1000) with /ctl.
running()
{
	new_bundle b sleep 1000
	add_ctl
	kr run -d --bundle "$B" c1
	assert_ok "run -d"
}

t_exit_code()
{
	running
	kr exec c1 sh -c 'exit 7'
	assert_rc 7 "exec of exit 7"
	kr exec c1 true
	assert_rc 0 "exec of true"
	kr exec c1 sh -c 'kill -TERM $$'
	assert_rc 143 "exec of a process killed by SIGTERM"
}

t_output_and_namespaces()
{
	running
	kr exec c1 sh -c 'echo out; echo err >&2; hostname; echo $$'
	assert_ok "exec"
	assert_contains "$OUT" out "stdout"
	assert_eq "$ERR" err "stderr"
	assert_eq "$(sed -n 2p <<<"$OUT")" "$(jq -r .hostname "$B/config.json")" "hostname"
	# In the container's pid namespace, not pid 1 (that is the init).
	assert_match "$(sed -n 3p <<<"$OUT")" '^[2-9][0-9]*$|^[1-9][0-9]+$' "pid in the container"
	kr exec c1 cat /proc/1/cmdline
	assert_contains "$OUT" sleep "pid 1 seen by exec"
}

t_env()
{
	running
	kr exec --env FOO=bar --env KURA_TEST_TAG=replaced-tag c1 sh -c 'echo "$FOO|$KURA_TEST_TAG|$PATH"'
	assert_ok "exec --env"
	assert_eq "$(cut -d'|' -f1-2 <<<"$OUT")" "bar|replaced-tag" "FOO and the replaced variable"
	assert_ne "$(cut -d'|' -f3 <<<"$OUT")" "" "PATH kept from the config"
	kr exec --env NOEQUALS c1 true
	assert_fails "exec --env without ="
}

t_cwd()
{
	running
	kr exec --cwd /tmp c1 pwd
	assert_ok "exec --cwd"
	assert_eq "$OUT" /tmp "cwd"
	kr exec --cwd /does/not/exist c1 pwd
	assert_fails "exec --cwd of a missing directory"
	assert_contains "$ERR" "/does/not/exist" "error names the directory"
	kr exec --cwd relative c1 pwd
	assert_fails "exec --cwd relative"
}

t_user()
{
	running
	kr exec --user 1000:1001 c1 sh -c 'id -u; id -g'
	assert_ok "exec --user"
	assert_eq "$OUT" "1000"$'\n'"1001" "uid and gid"
	kr exec --user 1000 c1 sh -c 'grep ^CapEff /proc/self/status'
	assert_ok "exec --user 1000"
	assert_match "$OUT" 'CapEff:[[:space:]]+0+$' "a non-root user has no effective capabilities"
	kr exec --user nobody-name c1 true
	assert_fails "exec --user with a name"
}

t_detach_pid_file()
{
	local pid
	running
	kr exec --detach --pid-file "$TEST_TMP/exec.pid" c1 sh -c 'echo $$ >/ctl/inner; sleep 1000'
	assert_ok "exec --detach"
	[ -s "$TEST_TMP/exec.pid" ] || fail "no pid file"
	pid=$(cat "$TEST_TMP/exec.pid")
	assert_match "$pid" '^[1-9][0-9]*$' "pid file"
	pid_alive "$pid" || fail "exec'd process $pid is not running"
	wait_file "$CTL/inner"
	# The pid file has the host pid; the process sees its own pid ns.
	assert_ne "$(cat "$CTL/inner")" "$pid" "pid inside vs pid file"
	assert_contains "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "sleep 1000" "cmdline of the pid"
	kr ps c1
	assert_ok "ps"
	assert_contains "$OUT" "$pid" "ps lists the exec'd process"
	kr delete --force c1
	assert_ok "delete --force"
	wait_until 5 eval '! pid_alive '"$pid" || fail "exec'd process $pid survived delete --force"
}

t_process_file()
{
	running
	cat >"$TEST_TMP/p.json" <<-'EOF'
		{"args": ["sh", "-c", "echo $A; pwd; id -u; exit 5"], "env": ["A=from-file", "PATH=/bin"],
		 "cwd": "/tmp", "user": {"uid": 1000, "gid": 1000}}
	EOF
	kr exec --process "$TEST_TMP/p.json" c1
	assert_rc 5 "exec --process"
	assert_eq "$OUT" "from-file"$'\n'"/tmp"$'\n'"1000" "output"
	echo '{"args": "not-an-array"}' >"$TEST_TMP/bad.json"
	kr exec --process "$TEST_TMP/bad.json" c1
	assert_fails "exec --process with a bad file"
	assert_contains "$ERR" "args" "error names the field"
	kr exec --process "$TEST_TMP/missing.json" c1
	assert_fails "exec --process with a missing file"
	assert_contains "$ERR" "missing.json" "error names the file"
}

t_missing_command()
{
	running
	kr exec c1 /no/such/binary
	assert_fails "exec of a missing binary"
	assert_contains "$ERR" "/no/such/binary" "error names the binary"
	assert_eq "$(state_of c1)" running "container after a failed exec"
}

t_stopped()
{
	new_bundle b true
	kr create --bundle "$B" c1
	assert_ok "create"
	kr start c1
	assert_ok "start"
	wait_status c1 stopped
	kr exec c1 true
	assert_fails "exec into a stopped container"
	assert_contains "$ERR" "stopped" "error"
	assert_eq "$(wc -l <<<"$ERR")" 1 "error lines"
	kr exec nosuch true
	assert_fails "exec into a container that does not exist"
	assert_contains "$ERR" "does not exist" "error"
}

run_test "the exit code comes back" t_exit_code
run_test "output, hostname and pid namespace of exec" t_output_and_namespaces
run_test "--env adds and replaces variables" t_env
run_test "--cwd" t_cwd
run_test "--user UID:GID" t_user
run_test "--detach --pid-file" t_detach_pid_file
run_test "--process FILE" t_process_file
run_test "a missing binary is a clear error" t_missing_command
run_test "exec into a stopped container fails clearly" t_stopped
finish
