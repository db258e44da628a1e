# integration/mounts: the root filesystem as config.json describes it:
# root.readonly, OCI mounts (bind, rbind, tmpfs with options, ro,
# propagation), the default /dev and linux.devices, maskedPaths and
# readonlyPaths, and that nothing reaches the host's mount table.
. "$(dirname "$0")/../lib/common.sh"

# The mount options of the mount at $2, from /proc/self/mountinfo text $1.
opts_at()
{
	awk -v m="$2" '$5 == m {print $6 " " $NF}' <<<"$1" | tail -1
}

t_root_readonly()
{
	new_bundle b sh -c 'touch /x 2>&1; echo rc=$?'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_contains "$OUT" "Read-only file system"
	edit '.root.readonly = false'
	kr run --bundle "$B" c1
	assert_contains "$OUT" "rc=0"
	[ -e "$B/rootfs/x" ] || fail "a write to a writable root did not land in root.path"
}

t_bind_and_tmpfs()
{
	local src=$TEST_TMP/src
	mkdir -p "$src/sub" && echo hello >"$src/file" && echo deep >"$src/sub/f"
	mount -t tmpfs tmpfs "$src/sub" && echo inner >"$src/sub/g"
	new_bundle b sh -c 'cat /ro/file; (echo x >/ro/new) 2>&1; cat /rb/sub/g 2>&1; cat /nb/sub/g 2>&1;
		echo y >/rw/w && echo rw_ok; cat /proc/self/mountinfo'
	edit '.mounts += [
		{"destination": "/ro", "type": "bind", "source": $s, "options": ["bind", "ro"]},
		{"destination": "/rb", "type": "bind", "source": $s, "options": ["rbind", "ro"]},
		{"destination": "/nb", "type": "bind", "source": $s, "options": ["bind"]},
		{"destination": "/rw", "type": "bind", "source": $s, "options": ["rbind", "rw"]},
		{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
			"options": ["nosuid", "nodev", "noexec", "size=1m", "mode=700"]}]' --arg s "$src"
	kr run --bundle "$B" c1
	umount "$src/sub"
	assert_ok "run"
	assert_contains "$OUT" hello "bind source visible"
	assert_contains "$OUT" "Read-only file system" "ro bind refuses writes"
	assert_contains "$OUT" inner "rbind brings the submount"
	assert_contains "$OUT" "can't open '/nb/sub/g'" "plain bind does not"
	assert_contains "$OUT" rw_ok
	[ -e "$src/w" ] || fail "write through the rw bind did not reach the source"
	[ ! -e "$src/new" ] || fail "write through the ro bind reached the source"
	local tmpfs
	tmpfs=$(opts_at "$OUT" /scratch)
	assert_contains "$tmpfs" nosuid
	assert_contains "$tmpfs" nodev
	assert_contains "$tmpfs" noexec
	assert_contains "$tmpfs" "size=1024k"
	assert_contains "$tmpfs" "mode=700"
}

t_propagation()
{
	# rslave: a mount made on the host under the source later shows up.
	local src=$TEST_TMP/prop
	mkdir -p "$src/later"
	mount --bind "$src" "$src" && mount --make-shared "$src" || fail "shared mount"
	new_bundle b sh -c 'while [ ! -e /ctl/go ]; do sleep 0.02; done; cat /p/later/f'
	add_ctl
	edit '.mounts += [{"destination": "/p", "type": "bind", "source": $s,
		"options": ["rbind", "rslave"]}]' --arg s "$src"
	k run -d --bundle "$B" c1 >"$TEST_TMP/out" 2>&1 || {
		umount "$src"
		fail "run -d: $(cat "$TEST_TMP/out")"
	}
	mount -t tmpfs tmpfs "$src/later" && echo propagated >"$src/later/f"
	kr exec c1 cat /p/later/f
	umount "$src/later"
	umount "$src"
	assert_eq "$OUT" propagated "an rslave mount receives the host's new mounts"
}

t_dev()
{
	new_bundle b sh -c 'ls /dev | tr "\n" " "; echo; stat -c "%t:%T %F" /dev/null /dev/zero /dev/full \
		/dev/random /dev/urandom /dev/tty /dev/kdev-test; for l in fd stdin ptmx; do readlink /dev/$l; done;
		head -c 5 /dev/kdev-test | wc -c'
	edit '.linux.devices = [{"path": "/dev/kdev-test", "type": "c", "major": 1, "minor": 5,
		"fileMode": 384, "uid": 0, "gid": 0}]'
	kr run --bundle "$B" c1
	assert_ok "run"
	local list
	list=$(sed -n 1p <<<"$OUT")
	for d in null zero full random urandom tty ptmx pts shm fd stdin stdout stderr kdev-test; do
		[[ " $list " == *" $d "* ]] || fail "/dev/$d missing: $list"
	done
	assert_contains "$OUT" "1:3 character special file"
	assert_contains "$OUT" "1:5 character special file"
	assert_contains "$OUT" "/proc/self/fd"
	assert_contains "$OUT" "pts/ptmx"
	assert_eq "$(tail -1 <<<"$OUT")" 5 "the linux.devices node is readable (device cgroup allows it)"
	# No host device the config did not ask for.
	[[ " $list " != *" sda "* && " $list " != *" vda "* && " $list " != *" mem "* ]] ||
		fail "a host device reached the container: $list"
}

t_masked_and_readonly_paths()
{
	new_bundle b sh -c 'wc -c </proc/timer_list; ls /proc/acpi 2>&1 | wc -l;
		(echo 1 >/proc/sys/kernel/domainname) 2>&1; echo rc=$?; cat /proc/self/mountinfo'
	edit '.linux.maskedPaths = ["/proc/timer_list", "/proc/acpi", "/does/not/exist"]
		| .linux.readonlyPaths = ["/proc/sys"]'
	kr run --bundle "$B" c1
	assert_ok "run"
	assert_eq "$(sed -n 1p <<<"$OUT")" 0 "masked /proc/timer_list reads empty"
	assert_eq "$(sed -n 2p <<<"$OUT")" 0 "masked /proc/acpi is an empty dir"
	assert_contains "$OUT" "Read-only file system" "readonlyPaths /proc/sys"
	assert_contains "$(opts_at "$OUT" /proc/sys)" ro
}

t_no_host_mounts_leak()
{
	# (Other tests may mount things meanwhile: look for ours only.)
	new_bundle b sleep 1000
	edit '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs"}]'
	k run -d --bundle "$B" c1 || fail "run -d"
	if grep -F "$B" /proc/self/mountinfo; then
		fail "a container mount is visible on the host"
	fi
	# The container itself has them.
	kr exec c1 grep -c " /scratch " /proc/self/mountinfo
	assert_eq "$OUT" 1 "the tmpfs inside"
}

t_bad_mounts()
{
	new_bundle b true
	edit '.mounts += [{"destination": "relative/path", "type": "tmpfs", "source": "tmpfs"}]'
	kr create --bundle "$B" c1
	assert_fails "a relative mount destination"
	assert_contains "$ERR" "mounts"
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
	new_bundle b2 true
	edit '.mounts += [{"destination": "/x", "type": "bind", "source": "/no/such/source",
		"options": ["bind"]}]'
	kr create --bundle "$B" c1
	assert_fails "a missing bind source"
	assert_contains "$ERR" "/no/such/source"
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
	[ ! -e "$B/rootfs/x" ] || fail "the destination was created for a failed mount"
}

run_test "root.readonly" t_root_readonly
run_test "bind, rbind, ro, rw and tmpfs options" t_bind_and_tmpfs
run_test "rslave propagation" t_propagation
run_test "the default /dev and linux.devices" t_dev
run_test "maskedPaths and readonlyPaths" t_masked_and_readonly_paths
run_test "no container mount reaches the host" t_no_host_mounts_leak
run_test "bad mounts are one clear error, nothing left" t_bad_mounts
finish
