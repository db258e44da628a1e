# integration/namespaces: every namespace kura makes or joins, as the
# container sees it: pid, uts (hostname, domainname), ipc, net, cgroup,
# time (offsets), user (uid/gid maps written by the runtime), and joining
# existing namespaces by path.
. "$(dirname "$0")/../lib/common.sh"

ns_of()
{
	readlink "/proc/$1/ns/$2"
}

t_new_namespaces()
{
	new_bundle b sh -c 'echo "pid1=$$"; hostname; ls /sys/class/net | tr "\n" " "; echo;
		cat /proc/self/cgroup; sleep 1000'
	edit '.hostname = "zone-a" | .domainname = "tenants.example"
		| .linux.namespaces |= (map(select(.type != "cgroup")) + [{"type": "cgroup"}])'
	k run -d --bundle "$B" c1 >"$TEST_TMP/out" 2>&1 || fail "run -d: $(cat "$TEST_TMP/out")"
	local pid
	pid=$(k state c1 | jq -r .pid)
	for ns in pid mnt uts ipc net cgroup; do
		assert_ne "$(ns_of "$pid" $ns)" "$(ns_of $$ $ns)" "$ns namespace of the init"
	done
	# The user and time namespaces are the host's unless asked for.
	assert_eq "$(ns_of "$pid" user)" "$(ns_of $$ user)" "user namespace"
	kr exec c1 sh -c 'hostname; cat /proc/sys/kernel/domainname; echo $$'
	assert_ok "exec"
	assert_eq "$(sed -n 1p <<<"$OUT")" zone-a "hostname"
	assert_eq "$(sed -n 2p <<<"$OUT")" tenants.example "domainname"
	assert_match "$(sed -n 3p <<<"$OUT")" '^[0-9]+$' "pid in the container"
	[ "$(sed -n 3p <<<"$OUT")" -lt 100 ] || fail "exec's pid $(sed -n 3p <<<"$OUT") is not from a new pid namespace"
	kr exec c1 cat /proc/self/cgroup
	# Rooted at the container's own cgroup: v2 line "0::/", v1 lines ":/".
	assert_contains "$OUT" "0::/"
	kr exec c1 ls /sys/class/net
	assert_eq "$OUT" lo "only lo in a new network namespace"
	k delete --force c1 || fail "delete"
}

t_pid1()
{
	new_bundle b sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "; echo; ls -d /proc/[0-9]* | wc -l'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(sed -n 1p <<<"$OUT")" 1 "the process is pid 1"
	assert_eq "$(sed -n 2p <<<"$OUT")" "sh -c echo \$\$; cat /proc/1/cmdline | tr \"\\0\" \" \"; echo; ls -d /proc/[0-9]* | wc -l " "pid 1's cmdline"
	# sh, ls and wc: only the container's processes are listed.
	[ "$(sed -n 3p <<<"$OUT")" -le 4 ] || fail "/proc lists host processes: $(sed -n 3p <<<"$OUT")"
}

t_user_namespace()
{
	new_bundle b sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; touch /tmp/f && stat -c "%u:%g" /tmp/f'
	edit '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
		| .mounts |= map(select(.type != "cgroup"))
		| .mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}]
		| .root.readonly = true'
	# The rootfs belongs to the mapped root, as with runc.
	chown -R 100000:200000 "$B/rootfs"
	kr run --bundle "$B" c1
	assert_ok "run in a user namespace"
	assert_match "$(sed -n 1p <<<"$OUT")" '^ +0 +100000 +65536$' "uid_map"
	assert_match "$(sed -n 2p <<<"$OUT")" '^ +0 +200000 +65536$' "gid_map"
	assert_eq "$(sed -n 3p <<<"$OUT")" 0 "uid in the container"
	assert_eq "$(sed -n 4p <<<"$OUT")" 0 "gid in the container"
	assert_eq "$(sed -n 5p <<<"$OUT")" "0:0" "owner of a new file"
}

t_user_namespace_bad_map()
{
	new_bundle b true
	edit '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 0}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 1}]'
	kr create --bundle "$B" c1
	assert_fails "a zero-sized uid mapping"
	assert_contains "$ERR" "linux.uidMappings"
	[ ! -e "$ROOT/c1" ] || fail "state dir left after a refused create"
}

t_join_by_path()
{
	local netns=kura-$TEST_TAG
	ip netns add "$netns" || skip "cannot make a network namespace"
	ip -n "$netns" link add kv0 type veth peer name kv1 || {
		ip netns del "$netns"
		fail "veth pair in $netns"
	}
	new_bundle b sleep 1000
	edit '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)
		| .hostname = null | del(.hostname)' --arg p "/run/netns/$netns"
	k run -d --bundle "$B" c1 >"$TEST_TMP/out" 2>&1 || {
		ip netns del "$netns"
		fail "run -d: $(cat "$TEST_TMP/out")"
	}
	kr exec c1 ls /sys/class/net
	assert_contains "$OUT" kv0 "the joined namespace's links"
	local pid
	pid=$(k state c1 | jq -r .pid)
	assert_eq "$(ns_of "$pid" net)" "net:[$(stat -L -c %i "/run/netns/$netns")]" "joined netns"
	k delete --force c1
	ip netns del "$netns"
	[ ! -e "/run/netns/$netns" ] || fail "netns $netns left"
}

t_join_uts_of_another()
{
	# A second container joins the first one's uts namespace by path.
	new_bundle a sleep 1000
	edit '.hostname = "shared-uts"'
	k run -d --bundle "$B" c1 || fail "run -d c1"
	local pid
	pid=$(k state c1 | jq -r .pid)
	new_bundle b hostname
	edit 'del(.hostname) | .linux.namespaces |= map(if .type == "uts" then .path = $p else . end)' \
		--arg p "/proc/$pid/ns/uts"
	kr run --bundle "$B" c2
	assert_ok "run c2 in c1's uts namespace"
	assert_eq "$OUT" shared-uts "hostname seen through the joined namespace"
}

t_time_namespace()
{
	[ -e /proc/self/ns/time ] || skip "no time namespaces"
	new_bundle b cat /proc/uptime
	edit '.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"boottime": {"secs": 86400, "nanosecs": 0},
			"monotonic": {"secs": 3600, "nanosecs": 0}}'
	kr run --bundle "$B" c1
	assert_ok "run in a time namespace"
	local host inside
	host=$(cut -d. -f1 /proc/uptime)
	inside=$(cut -d. -f1 <<<"$OUT")
	[ $((inside - host)) -ge 86000 ] && [ $((inside - host)) -le 86800 ] ||
		fail "uptime $inside inside vs $host on the host: boottime offset not applied"
}

t_unknown_namespace()
{
	new_bundle b true
	edit '.linux.namespaces += [{"type": "bogus"}]'
	kr create --bundle "$B" c1
	assert_fails "unknown namespace"
	assert_contains "$ERR" "linux.namespaces"
	assert_eq "$(grep -c . <<<"$ERR")" 1 "one error line"
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
}

run_test "new pid, mount, uts, ipc, net and cgroup namespaces" t_new_namespaces
run_test "the process is pid 1 and sees only its own processes" t_pid1
run_test "user namespace with uid and gid maps" t_user_namespace
run_test "a bad id mapping is refused, nothing left" t_user_namespace_bad_map
run_test "join a network namespace by path" t_join_by_path
run_test "join another container's uts namespace" t_join_uts_of_another
run_test "time namespace offsets" t_time_namespace
run_test "an unknown namespace type is one clear error" t_unknown_namespace
finish
