# integration/console: process.terminal with --console-socket, as conmon
# and containerd's shim use it.  The far end is kura-console-recv
# (tests/security/console-recv.c): it receives the pty master over
# SCM_RIGHTS, writes what it got to OUT.meta, types INPUT and records the
# terminal's output.
. "$(dirname "$0")/../lib/common.sh"
. "$KURA_SOURCE_DIR/tests/security/lib.bash"

SOCK=$TEST_TMP/console.sock
TERM_OUT=$TEST_TMP/console.out

term_text()
{
	{ tr -d '\r' <"$TERM_OUT"; } 2>/dev/null
}

meta()
{
	cat "$TERM_OUT.meta" 2>/dev/null
}

t_create_start()
{
	new_bundle b sh -c 'stty size; tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo "stdio is a tty"
		read -r line; echo "read: $line"; echo "fds: $(ls /proc/self/fd | sort -n | tr "\n" " ")"'
	edit '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 111}'
	start_console_recv "$SOCK" "$TERM_OUT" $'typed by the test\n'
	kr create --console-socket "$SOCK" --bundle "$B" c1
	assert_ok "create"
	assert_eq "$(state_of c1)" created "status after create"
	# The master arrived (one fd, a pty master) before start, already
	# the configured size.
	wait_file "$TERM_OUT.meta"
	assert_contains "$(meta)" "fds=1" "fds received"
	assert_match "$(meta)" "ptn=[0-9]+" "the received fd is a pty master"
	assert_contains "$(meta)" "rows=33 cols=111" "window size on the master"
	kr start c1
	assert_ok "start"
	wait_console_recv || fail "the receiver failed: $(cat "$TERM_OUT.err")"
	assert_contains "$(term_text)" "33 111" "stty size in the container"
	assert_match "$(term_text)" $'\n/dev/pts/[0-9]+\n' "tty in the container"
	assert_contains "$(term_text)" "stdio is a tty"
	assert_contains "$(term_text)" "read: typed by the test" "input through the terminal"
	# Only the pty on 0-2 (and ls's own directory fd): the master and the
	# socket stay out.
	assert_contains "$(term_text)" "fds: 0 1 2 3 " "fds of the container process"
	wait_status c1 stopped
	kr delete c1
	assert_ok "delete"
}

t_run_exit_status()
{
	new_bundle b sh -c 'echo "on the terminal"; exit 7'
	edit '.process.terminal = true'
	start_console_recv "$SOCK" "$TERM_OUT"
	kr run --console-socket "$SOCK" --bundle "$B" c1
	assert_rc 7 "run with a console socket"
	wait_console_recv || fail "the receiver failed: $(cat "$TERM_OUT.err")"
	assert_contains "$(term_text)" "on the terminal"
	# Nothing of the terminal reaches kura's own stdout.
	assert_not_contains "$OUT" "on the terminal" "kura's stdout"
}

# `run` in the foreground with a terminal and no socket: kura takes the
# master itself and relays it to its own stdio.
t_run_relay()
{
	new_bundle b sh -c 'tty; read -r line; echo "read: $line"; exit 3'
	edit '.process.terminal = true'
	kr run --bundle "$B" c1 <<<"typed into kura"
	assert_rc 3 "run with a terminal and no --console-socket"
	OUT=${OUT//$'\r'/}
	assert_match "$OUT" "/dev/pts/[0-9]+" "tty relayed by kura"
	assert_contains "$OUT" "read: typed into kura" "input relayed by kura"
}

t_default_size()
{
	# Without consoleSize the size is the kernel's default, 0x0 (which
	# busybox's stty size refuses to print).
	new_bundle b true
	edit '.process.terminal = true'
	start_console_recv "$SOCK" "$TERM_OUT"
	kr run --console-socket "$SOCK" --bundle "$B" c1
	assert_ok "run"
	wait_console_recv || fail "the receiver failed"
	assert_contains "$(meta)" "rows=0 cols=0" "window size without consoleSize"
}

t_exec_tty()
{
	local pf
	new_bundle b sleep 1000
	kr run -d --bundle "$B" c1
	assert_ok "run -d"
	start_console_recv "$SOCK" "$TERM_OUT"
	kr exec --tty --console-socket "$SOCK" c1 sh -c 'tty; echo "exec on a tty"'
	assert_ok "exec --tty"
	wait_console_recv || fail "the receiver failed"
	assert_match "$(term_text)" "/dev/pts/[0-9]+" "tty of the exec process"
	assert_contains "$(term_text)" "exec on a tty"
	# consoleSize from --process.
	pf=$TEST_TMP/process.json
	jq '.process | .terminal = true | .consoleSize = {"height": 20, "width": 70}
		| .args = ["stty", "size"]' "$B/config.json" >"$pf"
	start_console_recv "$SOCK" "$TERM_OUT"
	kr exec --process "$pf" --console-socket "$SOCK" c1
	assert_ok "exec --process with a terminal"
	wait_console_recv || fail "the receiver failed"
	assert_contains "$(term_text)" "20 70" "stty size of the exec process"
}

t_errors()
{
	new_bundle b true
	edit '.process.terminal = true'
	kr create --bundle "$B" c1
	assert_fails "create with a terminal and no --console-socket"
	assert_contains "$ERR" "console"
	[ ! -e "$ROOT/c1" ] || fail "state left after a refused create"
	kr create --console-socket "$TEST_TMP/nobody-listens" --bundle "$B" c1
	assert_fails "create with a socket nobody listens on"
	assert_contains "$ERR" "nobody-listens"
	[ ! -e "$ROOT/c1" ] || fail "state left after a refused create"
	edit '.process.terminal = false'
	start_console_recv "$SOCK" "$TERM_OUT"
	kr create --console-socket "$SOCK" --bundle "$B" c1
	assert_fails "create with --console-socket and no terminal"
	assert_contains "$ERR" "terminal"
	kill "$RECV" 2>/dev/null
	wait_console_recv || true
}

run_test "create + start: the master over SCM_RIGHTS, size, input, output" t_create_start
run_test "run --console-socket: output on the terminal, the exit status kept" t_run_exit_status
run_test "run with a terminal and no socket relays it" t_run_relay
run_test "no consoleSize: the kernel's default size" t_default_size
run_test "exec --tty and exec --process with a terminal" t_exec_tty
run_test "terminal errors name the console socket" t_errors
finish
