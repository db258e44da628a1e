# security/seccomp: linux.seccomp is enforced on the container process and
# on `kura exec`: an errno rule fails the syscall with that errno, a kill
# rule kills, defaultAction errno with an allow list, SCMP_ACT_NOTIFY hands
# the notify fd and the state to listenerPath; a bad action is one error
# line naming the field and leaves nothing behind.
. "$(dirname "$0")/../lib/common.sh"

# mkdir on the container's /dev/shm (a writable tmpfs), then the status.
MKDIR='mkdir /dev/shm/d; echo "mkdir=$?"'

# deny_mkdir ACTION [ERRNO]: allow everything but mkdir/mkdirat.
deny_mkdir()
{
	edit '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: $a}
			+ (if $e == "" then {} else {errnoRet: ($e | tonumber)} end)]}' \
		--arg a "$1" --arg e "${2:-}"
}

t_no_filter_baseline()
{
	new_bundle b sh -c "$MKDIR"
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$OUT" "mkdir=0" "mkdir without a filter"
}

t_errno_rule()
{
	new_bundle b sh -c "$MKDIR; grep ^Seccomp: /proc/self/status"
	deny_mkdir SCMP_ACT_ERRNO 95
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_contains "$OUT" "mkdir=1" "mkdir under the filter"
	assert_contains "$ERR" "Operation not supported" "mkdir's error (errnoRet 95)"
	assert_match "$OUT" "Seccomp:[[:space:]]+2" "seccomp mode of the container process"
}

t_errno_default_eperm()
{
	new_bundle b sh -c "$MKDIR"
	deny_mkdir SCMP_ACT_ERRNO
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_contains "$ERR" "Operation not permitted" "mkdir's error (errnoRet defaults to EPERM)"
}

t_errno_without_nnp_non_root()
{
	# Without noNewPrivileges the filter is loaded before CAP_SYS_ADMIN
	# is dropped; the process runs as uid 1000 with no capabilities.
	new_bundle b sh -c "id -u; $MKDIR"
	deny_mkdir SCMP_ACT_ERRNO 95
	edit '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}
		| .process.capabilities = {}'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_contains "$OUT" "1000" "uid"
	assert_contains "$ERR" "Operation not supported" "mkdir's error"
}

t_kill_rule()
{
	local a
	for a in SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD; do
		new_bundle b sh -c "$MKDIR"
		deny_mkdir $a
		kr run --bundle "$B" c1
		assert_ok "run"
		# sh reports its child killed by SIGSYS: 128 + 31.
		assert_eq "$OUT" "mkdir=159" "mkdir under $a"
	done
}

t_kill_the_init()
{
	# The container process itself is killed: run reports SIGSYS.
	new_bundle b mkdir /dev/shm/d
	deny_mkdir SCMP_ACT_KILL_PROCESS
	kr run --bundle "$B" c1
	assert_rc 159 "run of a process killed by seccomp"
}

t_default_errno_allow_list()
{
	# Every syscall of this architecture but mkdir/mkdirat is allowed; the
	# default action refuses the rest with defaultErrnoRet.
	local hdr=/usr/include/x86_64-linux-gnu/asm/unistd_64.h names
	[ -r "$hdr" ] || skip "no $hdr to list syscalls from"
	[ "$(uname -m)" = x86_64 ] || skip "x86_64 only"
	names=$(sed -n 's/^#define __NR_\([a-z0-9_]*\) [0-9]*$/\1/p' "$hdr" |
		grep -vx -e mkdir -e mkdirat | jq -R . | jq -sc .)
	new_bundle b sh -c "echo alive; $MKDIR; ls / >/dev/null && echo ls-ok"
	edit '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 95,
		architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}' --argjson n "$names"
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$OUT" "alive"$'\n'"mkdir=1"$'\n'"ls-ok" "output"
	assert_contains "$ERR" "Operation not supported" "mkdir's error (defaultErrnoRet)"
}

t_args_condition()
{
	# Only a mode of 0700 is refused: an argument comparison (the mode
	# is argument 1 of chmod, 2 of fchmodat).
	new_bundle b sh -c 'touch /dev/shm/f; chmod 755 /dev/shm/f; echo "a=$?"
		chmod 700 /dev/shm/f; echo "b=$?"'
	edit '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["chmod"], action: "SCMP_ACT_ERRNO", errnoRet: 95,
				args: [{index: 1, value: 448, op: "SCMP_CMP_EQ"}]},
			{names: ["fchmodat"], action: "SCMP_ACT_ERRNO", errnoRet: 95,
				args: [{index: 2, value: 448, op: "SCMP_CMP_EQ"}]}]}'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$OUT" "a=0"$'\n'"b=1" "chmod 755, then chmod 700"
	assert_contains "$ERR" "Operation not supported" "chmod 700"
}

t_exec_gets_filter()
{
	new_bundle b sleep 1000
	deny_mkdir SCMP_ACT_ERRNO 95
	kr run -d --bundle "$B" c1
	assert_ok "run -d"
	kr exec c1 sh -c "$MKDIR"
	assert_ok "exec"
	assert_contains "$OUT" "mkdir=1" "mkdir in exec"
	assert_contains "$ERR" "Operation not supported" "mkdir's error in exec"
	# Without no_new_privs (loaded while CAP_SYS_ADMIN is still held).
	echo '{"args": ["sh", "-c", "mkdir /dev/shm/d2; echo mkdir=$?"], "cwd": "/",
		"user": {"uid": 1000, "gid": 1000}, "noNewPrivileges": false}' >"$TEST_TMP/p.json"
	kr exec --process "$TEST_TMP/p.json" c1
	assert_ok "exec --process"
	assert_contains "$OUT" "mkdir=1" "mkdir in exec --process"
	assert_contains "$ERR" "Operation not supported" "mkdir's error in exec --process"
}

# bad_config FILTER WORDS...: create fails with one line containing WORDS.
bad_config()
{
	local filter=$1 w
	shift
	new_bundle b true
	edit "$filter"
	kr create --bundle "$B" c1
	assert_fails "create with $filter"
	for w in "$@"; do
		assert_contains "$ERR" "$w" "error for $filter"
	done
	assert_eq "$(wc -l <<<"$ERR")" 1 "error lines"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 left behind"
}

t_bad_configs()
{
	bad_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_FOO"}]}' \
		"linux.seccomp.syscalls[0].action" "SCMP_ACT_FOO"
	bad_config '.linux.seccomp = {defaultAction: "SCMP_ACT_BAR"}' \
		"linux.seccomp.defaultAction" "SCMP_ACT_BAR"
	bad_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_KILL", errnoRet: 1}]}' \
		"linux.seccomp.syscalls[0].errnoRet"
	bad_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_Z80"]}' \
		"linux.seccomp.architectures" "SCMP_ARCH_Z80"
	bad_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}' \
		"linux.seccomp" "listenerPath"
}

t_unknown_syscall_skipped()
{
	# As runc and crun: a name this libseccomp does not know (profiles
	# list syscalls newer than the library) is skipped, the rest holds.
	new_bundle b sh -c "$MKDIR"
	edit '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["kura_no_such_syscall", "mkdir", "mkdirat"],
			action: "SCMP_ACT_ERRNO", errnoRet: 95}]}'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_contains "$ERR" "Operation not supported" "mkdir's error"
}

# A minimal seccomp agent: accept one connection, save the container
# process state (with the number of fds that came with it), answer one
# notification with -errno, save the syscall number.
AGENT='
import array, fcntl, json, os, socket, struct, sys
path, out, err = sys.argv[1], sys.argv[2], int(sys.argv[3])
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(30)
open(out + ".ready", "w").close()
conn, _ = srv.accept()
fds = array.array("i")
data = b""
while True:
    msg, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16))
    for level, typ, d in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            fds.frombytes(d[: len(d) - (len(d) % 4)])
    if not msg:
        break
    data += msg
state = json.loads(data)
state["received_fds"] = len(fds)
with open(out + ".tmp", "w") as f:
    json.dump(state, f)
os.rename(out + ".tmp", out)
buf = bytearray(80)
fcntl.ioctl(fds[0], 0xC0502100, buf, True)  # SECCOMP_IOCTL_NOTIF_RECV
nid, pid, flags, nr = struct.unpack_from("=QIIi", buf)
resp = bytearray(struct.pack("=QqiI", nid, 0, -err, 0))
fcntl.ioctl(fds[0], 0xC0182101, resp, True)  # SECCOMP_IOCTL_NOTIF_SEND
with open(out + ".nr", "w") as f:
    f.write(str(nr))
'

# start_agent ERRNO: the agent on $TEST_TMP/agent.sock, output in
# $TEST_TMP/agent.json; sets APID.
start_agent()
{
	command -v python3 >/dev/null || skip "python3 is not installed"
	rm -f "$TEST_TMP"/agent.*
	python3 -c "$AGENT" "$TEST_TMP/agent.sock" "$TEST_TMP/agent.json" "$1" \
		>"$TEST_TMP/agent.log" 2>&1 &
	APID=$!
	wait_file "$TEST_TMP/agent.json.ready"
}

stop_agent()
{
	kill "$APID" 2>/dev/null
	wait "$APID" 2>/dev/null
}

notify_mkdir()
{
	edit '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		listenerPath: $p, listenerMetadata: "kura-test-meta",
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' \
		--arg p "$TEST_TMP/agent.sock"
}

t_notify_listener()
{
	local s=$TEST_TMP/agent.json pid
	new_bundle b sh -c "$MKDIR"
	notify_mkdir
	start_agent 95
	kr create --bundle "$B" c1
	assert_ok "create"
	pid=$(k state c1 | jq -r .pid)
	wait_file "$s"
	assert_eq "$(jq -r .received_fds "$s")" 1 "fds received with the state"
	assert_eq "$(jq -c .fds "$s")" '["seccompFd"]' "fds"
	assert_eq "$(jq -r .metadata "$s")" kura-test-meta "metadata"
	assert_eq "$(jq -r .pid "$s")" "$pid" "pid"
	assert_eq "$(jq -r .state.id "$s")" c1 "state.id"
	assert_eq "$(jq -r .state.status "$s")" creating "state.status"
	assert_eq "$(jq -r .state.bundle "$s")" "$B" "state.bundle"
	kr start c1
	assert_ok "start"
	wait_status c1 stopped
	wait_file "$s.nr"
	stop_agent
	# The agent answered mkdir with -EOPNOTSUPP.
	assert_eq "$(cat "$s.nr")" 83 "syscall the agent saw (mkdir)"
	kr delete c1
	assert_ok "delete"
}

t_notify_exec()
{
	local s=$TEST_TMP/agent.json
	new_bundle b sleep 1000
	notify_mkdir
	start_agent 95
	kr run -d --bundle "$B" c1
	assert_ok "run -d"
	wait_file "$s"
	stop_agent
	start_agent 95
	kr exec c1 sh -c "$MKDIR"
	assert_ok "exec"
	assert_contains "$OUT" "mkdir=1" "mkdir in exec"
	assert_contains "$ERR" "Operation not supported" "the agent's answer"
	wait_file "$s"
	assert_eq "$(jq -r .state.status "$s")" running "state.status for exec"
	assert_ne "$(jq -r .pid "$s")" "$(jq -r .state.pid "$s")" "pid is the exec'd process"
	stop_agent
}

t_notify_no_listener()
{
	new_bundle b true
	notify_mkdir
	kr create --bundle "$B" c1
	assert_fails "create with nobody listening"
	assert_contains "$ERR" "listenerPath" "error"
	[ ! -e "$ROOT/c1" ] || fail "state dir $ROOT/c1 left behind"
}

run_test "without a filter mkdir works" t_no_filter_baseline
run_test "an errno rule fails the syscall with errnoRet" t_errno_rule
run_test "errnoRet defaults to EPERM" t_errno_default_eperm
run_test "the filter holds without noNewPrivileges for a non-root user" t_errno_without_nnp_non_root
run_test "kill rules kill the calling process" t_kill_rule
run_test "a kill rule on the container process ends run with SIGSYS" t_kill_the_init
run_test "defaultAction errno with an allow list" t_default_errno_allow_list
run_test "an argument comparison selects the call" t_args_condition
run_test "exec gets the container's filter" t_exec_gets_filter
run_test "unknown action, arch, errnoRet misuse: one error line, nothing left" t_bad_configs
run_test "an unknown syscall name is skipped, as in runc" t_unknown_syscall_skipped
run_test "SCMP_ACT_NOTIFY sends the fd and state to listenerPath" t_notify_listener
run_test "exec sends its notify fd to listenerPath" t_notify_exec
run_test "SCMP_ACT_NOTIFY with nobody listening fails create cleanly" t_notify_no_listener
finish
