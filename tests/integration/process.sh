# integration/process: what config.json's process says, as the process
# sees it: user (uid, gid, additionalGids, umask), capabilities (all five
# sets), rlimits, oom_score_adj, noNewPrivileges, env, cwd, and sysctl
# (namespaced keys; a clear error for the others).
. "$(dirname "$0")/../lib/common.sh"

# The value of a field of /proc/self/status printed by the container.
status_field()
{
	awk -v f="$1:" '$1 == f {print $2}' <<<"$OUT"
}

t_identity()
{
	new_bundle b sh -c 'id -u; id -g; id -G; umask; touch /tmp/f; stat -c %a /tmp/f'
	edit '.process.user = {"uid": 1234, "gid": 5678, "additionalGids": [11, 22], "umask": 63}
		| .mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
			"options": ["mode=1777"]}]'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(sed -n 1p <<<"$OUT")" 1234 uid
	assert_eq "$(sed -n 2p <<<"$OUT")" 5678 gid
	assert_eq "$(sed -n 3p <<<"$OUT")" "5678 11 22" "groups"
	assert_eq "$(sed -n 4p <<<"$OUT")" 0077 umask
	assert_eq "$(sed -n 5p <<<"$OUT")" 600 "mode of a new file under umask 077"
}

t_capabilities()
{
	# CAP_CHOWN (0), CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_SYS_ADMIN (21)
	new_bundle b cat /proc/self/status
	edit '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"],
		"effective": ["CAP_CHOWN", "CAP_KILL"],
		"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_KILL"],
		"ambient": ["CAP_KILL"]}'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(status_field CapBnd)" 0000000000200421 CapBnd
	# As with runc: root's execve raises the effective set to the
	# permitted one.
	assert_eq "$(status_field CapEff)" 0000000000000421 CapEff
	assert_eq "$(status_field CapPrm)" 0000000000000421 CapPrm
	assert_eq "$(status_field CapInh)" 0000000000000020 CapInh
	assert_eq "$(status_field CapAmb)" 0000000000000020 CapAmb
}

t_capabilities_non_root()
{
	# Without ambient caps, a non-root user keeps none across exec.
	new_bundle b cat /proc/self/status
	edit '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
			"permitted": ["CAP_KILL"]}'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(status_field CapEff)" 0000000000000000 "CapEff of uid 1000"
	assert_eq "$(status_field CapBnd)" 0000000000000020 "CapBnd of uid 1000"
}

t_unknown_capability()
{
	new_bundle b true
	edit '.process.capabilities.bounding += ["CAP_BOGUS"]'
	kr create --bundle "$B" c1
	assert_fails "unknown capability"
	assert_contains "$ERR" "process.capabilities.bounding"
	assert_contains "$ERR" CAP_BOGUS
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
}

t_rlimits_oom_nnp()
{
	new_bundle b sh -c 'ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj; grep NoNewPrivs /proc/self/status'
	edit '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}]
		| .process.oomScoreAdj = 123 | .process.noNewPrivileges = true'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(sed -n 1p <<<"$OUT")" 321 "soft RLIMIT_NOFILE"
	assert_eq "$(sed -n 2p <<<"$OUT")" 654 "hard RLIMIT_NOFILE"
	assert_eq "$(sed -n 3p <<<"$OUT")" 123 "oom_score_adj"
	assert_match "$(sed -n 4p <<<"$OUT")" 'NoNewPrivs:[[:space:]]+1' "no_new_privs"
	edit '.process.noNewPrivileges = false'
	kr run --bundle "$B" c1
	assert_match "$(sed -n 4p <<<"$OUT")" 'NoNewPrivs:[[:space:]]+0' "no_new_privs off"
}

t_env_cwd_args()
{
	new_bundle b sh -c 'pwd; echo "$FOO|$BAR"; echo "$PATH"'
	edit '.process.cwd = "/etc" | .process.env += ["FOO=a b", "BAR=x=y"]'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(sed -n 1p <<<"$OUT")" /etc cwd
	assert_eq "$(sed -n 2p <<<"$OUT")" "a b|x=y" env
	assert_contains "$(sed -n 3p <<<"$OUT")" /bin "PATH"
	# A cwd that does not exist is created, as runc does.
	edit '.process.cwd = "/new/dir" | .root.readonly = false'
	kr run --bundle "$B" c1
	assert_ok "run with a new cwd"
	assert_eq "$(sed -n 1p <<<"$OUT")" /new/dir "created cwd"
}

t_sysctl()
{
	new_bundle b sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax'
	edit '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "12345"}'
	local host_fwd host_msgmax
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_msgmax=$(cat /proc/sys/kernel/msgmax)
	kr run --bundle "$B" c1
	assert_ok "run with namespaced sysctls"
	assert_eq "$(sed -n 1p <<<"$OUT")" 1 "net.ipv4.ip_forward in the container"
	assert_eq "$(sed -n 2p <<<"$OUT")" 12345 "kernel.msgmax in the container"
	assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "host ip_forward untouched"
	assert_eq "$(cat /proc/sys/kernel/msgmax)" "$host_msgmax" "host msgmax untouched"
}

t_sysctl_refused()
{
	new_bundle b true
	edit '.linux.sysctl = {"vm.swappiness": "10"}'
	kr create --bundle "$B" c1
	assert_fails "a non-namespaced sysctl"
	assert_contains "$ERR" "vm.swappiness"
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
	# A net.* key needs the container's own network namespace.
	edit '.linux.sysctl = {"net.ipv4.ip_forward": "1"}
		| .linux.namespaces |= map(select(.type != "network"))'
	kr create --bundle "$B" c1
	assert_fails "net.* sysctl without a network namespace"
	assert_contains "$ERR" "net.ipv4.ip_forward"
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
}

run_test "uid, gid, additionalGids and umask" t_identity
run_test "all five capability sets" t_capabilities
run_test "a non-root user keeps no capabilities" t_capabilities_non_root
run_test "an unknown capability is one clear error" t_unknown_capability
run_test "rlimits, oom_score_adj, noNewPrivileges" t_rlimits_oom_nnp
run_test "env, cwd" t_env_cwd_args
run_test "namespaced sysctls apply inside only" t_sysctl
run_test "other sysctls are refused, nothing left" t_sysctl_refused
finish
