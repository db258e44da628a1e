# integration/roots: tenant roots chosen by run.kura.root.* annotations:
# overlay (shared lower, private or kept upper, size cap), sparse (host
# dirs read-only, private /etc /var /tmp, size cap), loop (ext4 and
# squashfs images); bad input is one error naming the annotation and
# leaves nothing; a kura killed in the middle of create leaves nothing
# that `delete --force` does not remove.  Besides the harness's own leak
# checks (mounts, state dirs, processes, cgroups), every test checks that
# no loop device is backed by a file under $TEST_TMP.
. "$(dirname "$0")/../lib/common.sh"

# Loop devices whose backing file is under $TEST_TMP.
_test_loops()
{
	local f
	for f in /sys/block/loop*/loop/backing_file; do
		[ -e "$f" ] || continue
		case "$(cat "$f" 2>/dev/null)" in "$TEST_TMP"/*) echo "$f" ;; esac
	done
}

_no_test_loops()
{
	[ -z "$(_test_loops)" ]
}

# Autoclear runs when the container's mount namespace is gone.
assert_no_loops()
{
	wait_until 5 _no_test_loops || fail "loop devices left: $(_test_loops)"
}

# root_bundle NAME TYPE [KEY=VALUE...] -- ARG...: a bundle whose root.path
# is an empty mount point, a writable root, and run.kura.root.* set.
root_bundle()
{
	local name=$1 type=$2 kv ann
	shift 2
	ann=$(jq -n --arg t "$type" '{"run.kura.root.type": $t}')
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		kv=$1
		ann=$(jq --arg k "run.kura.root.${kv%%=*}" --arg v "${kv#*=}" '.[$k] = $v' <<<"$ann")
		shift
	done
	shift
	new_bundle "$name" "$@"
	rm -rf "$B/rootfs" && mkdir -p "$B/mnt" || fail "mkdir $B/mnt"
	edit '.root = {"path": "mnt", "readonly": false} | .annotations += $a' --argjson a "$ann"
}

t_overlay_shared_lower()
{
	local lower
	lower=$(mkbundle_rootfs) || fail "rootfs"
	root_bundle a overlay lower="$lower" -- sh -c 'echo a >/a; test -e /b && echo saw_b; echo done'
	kr run --bundle "$B" c1
	assert_ok "run of overlay root a"
	assert_contains "$OUT" done
	root_bundle b overlay lower="$lower" -- sh -c 'test -e /a && echo saw_a; echo b >/b; echo done'
	kr run --bundle "$B" c2
	assert_ok "run of overlay root b"
	assert_not_contains "$OUT" saw_a
	[ ! -e "$lower/a" ] && [ ! -e "$lower/b" ] || fail "a write reached the shared lower"
	# The private uppers went with the state dirs.
	[ ! -e "$ROOT/c1" ] && [ ! -e "$ROOT/c2" ] || fail "state dir left"
	assert_no_loops
}

t_overlay_concurrent()
{
	local lower
	lower=$(mkbundle_rootfs) || fail "rootfs"
	root_bundle a overlay lower="$lower" -- sh -c 'echo a >/a; sleep 1000'
	k create --bundle "$B" c1 || fail "create c1"
	k start c1 || fail "start c1"
	root_bundle b overlay lower="$lower" volatile=true -- sh -c 'sleep 0.2; ls /; test -e /a && echo saw_a; echo done'
	kr run --bundle "$B" c2
	assert_ok "run c2 beside c1"
	assert_contains "$OUT" done
	assert_not_contains "$OUT" saw_a
	[ -e "$ROOT/c1/overlay/upper/a" ] || fail "c1's write is not in its upper"
	k delete --force c1 || fail "delete c1"
	[ ! -e "$ROOT/c1" ] || fail "c1's state dir (and upper) left"
}

t_overlay_kept_upper()
{
	local lower keep=$TEST_TMP/keep
	lower=$(mkbundle_rootfs) || fail "rootfs"
	root_bundle a overlay lower="$lower" upper="$keep" -- sh -c 'cat /kept 2>/dev/null; echo run >>/kept'
	kr run --bundle "$B" c1
	assert_ok "first run"
	kr run --bundle "$B" c1
	assert_ok "second run"
	assert_eq "$OUT" run "the second run sees the first one's write"
	[ -f "$keep/upper/kept" ] || fail "kept upper gone after delete"
	rm -rf "$keep"
}

t_overlay_size_cap()
{
	local lower
	lower=$(mkbundle_rootfs) || fail "rootfs"
	root_bundle a overlay lower="$lower" size=1m -- sh -c 'dd if=/dev/zero of=/big bs=1024 count=4096 2>&1; echo rc=$?'
	kr run --bundle "$B" c1
	assert_contains "$OUT" "No space left on device"
	assert_not_contains "$OUT" "rc=0"
}

t_sparse()
{
	root_bundle s sparse -- /bin/sh -c 'touch /usr/kura-x 2>&1; echo >/tmp/t && echo >/var/v && echo >/root/r && echo >/home/h && echo private_ok; cat /etc/hostname; busybox true && echo busybox_ok'
	edit '.hostname = "tenant7"'
	kr run --bundle "$B" c1
	assert_ok "run of a sparse root"
	assert_contains "$OUT" "Read-only file system"
	assert_contains "$OUT" private_ok
	assert_contains "$OUT" tenant7
	[ ! -e /usr/kura-x ] || fail "a write reached the host's /usr"
	[ -z "$(ls -A "$B/mnt")" ] || fail "something was written into the mount point"
}

t_sparse_readonly_root()
{
	root_bundle s sparse -- /bin/sh -c '(echo >/etc/x) 2>&1; echo >/tmp/t && echo >/var/v && echo data_ok'
	edit '.root.readonly = true'
	kr run --bundle "$B" c1
	assert_ok "run of a sparse root with root.readonly"
	assert_contains "$OUT" "Read-only file system"
	assert_contains "$OUT" data_ok
}

t_sparse_size_cap()
{
	root_bundle s sparse size=2m -- /bin/sh -c 'dd if=/dev/zero of=/tmp/big bs=1024 count=8192 2>&1; echo rc=$?'
	kr run --bundle "$B" c1
	assert_contains "$OUT" "No space left on device"
}

_image()
{
	local kind=$1 img=$2 src
	src=$(mkbundle_rootfs) || fail "rootfs"
	case $kind in
	ext4) truncate -s 32M "$img" && mkfs.ext4 -q -F -d "$src" "$img" ;;
	squashfs)
		command -v mksquashfs >/dev/null || skip "mksquashfs is not installed (squashfs-tools)"
		mksquashfs "$src" "$img" -noappend -quiet -no-progress >/dev/null
		;;
	erofs)
		command -v mkfs.erofs >/dev/null || skip "mkfs.erofs is not installed (erofs-utils)"
		mkfs.erofs "$img" "$src" >/dev/null 2>&1
		;;
	esac || fail "cannot make the $kind image"
}

t_loop_ext4()
{
	local img=$TEST_TMP/root.ext4
	_image ext4 "$img"
	root_bundle l loop image="$img" -- sh -c 'cat /persist 2>/dev/null; echo x >/persist; grep " / " /proc/mounts'
	kr run --bundle "$B" c1
	assert_ok "run of an ext4 loop root"
	assert_contains "$OUT" "/dev/loop"
	assert_contains "$OUT" ext4
	assert_no_loops
	kr run --bundle "$B" c1
	assert_ok "second run"
	assert_contains "$OUT" x
	assert_no_loops
}

t_loop_squashfs()
{
	local img=$TEST_TMP/root.sqfs
	_image squashfs "$img"
	root_bundle l loop image="$img" -- sh -c '(echo x >/persist) 2>&1; busybox echo shell_ok'
	kr run --bundle "$B" c1
	assert_ok "run of a squashfs loop root"
	assert_contains "$OUT" "Read-only file system"
	assert_contains "$OUT" shell_ok
	assert_no_loops
}

t_loop_erofs()
{
	local img=$TEST_TMP/root.erofs
	_image erofs "$img"
	root_bundle l loop image="$img" -- sh -c '(echo x >/persist) 2>&1; grep " / " /proc/mounts'
	kr run --bundle "$B" c1
	assert_ok "run of an erofs loop root"
	assert_contains "$OUT" "Read-only file system"
	assert_contains "$OUT" erofs
	assert_no_loops
}

t_loop_not_twice_rw()
{
	local img=$TEST_TMP/root.ext4
	_image ext4 "$img"
	root_bundle l loop image="$img" -- sleep 1000
	k create --bundle "$B" c1 || fail "create c1"
	kr create --bundle "$B" c2
	assert_fails "a second read-write attach"
	assert_contains "$ERR" "run.kura.root.image: \`$img\` is attached read-write on /dev/loop"
	[ ! -e "$ROOT/c2" ] || fail "state dir of the refused container"
	k delete --force c1 || fail "delete c1"
	assert_no_loops
}

t_bad_input()
{
	local lower
	lower=$(mkbundle_rootfs) || fail "rootfs"
	root_bundle a overlay lower="$lower:$TEST_TMP/nonexistent" -- true
	kr create --bundle "$B" c1
	assert_fails "missing lower"
	assert_contains "$ERR" "run.kura.root.lower: \`$TEST_TMP/nonexistent\`: No such file or directory"
	root_bundle b zfs -- true
	kr create --bundle "$B" c1
	assert_fails "unknown type"
	assert_contains "$ERR" 'run.kura.root.type: unknown root type "zfs"'
	echo "not an image" >"$TEST_TMP/junk.img"
	root_bundle c loop image="$TEST_TMP/junk.img" -- true
	kr create --bundle "$B" c1
	assert_fails "image that is no filesystem"
	assert_contains "$ERR" "run.kura.root.image: \`$TEST_TMP/junk.img\` is not an ext4, squashfs or erofs image"
	root_bundle d sparse inherit=/etc/hostname -- true
	kr create --bundle "$B" c1
	assert_fails "inherit of a file"
	assert_contains "$ERR" "run.kura.root.inherit: \`/etc/hostname\` is not a directory"
	[ ! -e "$ROOT/c1" ] || fail "state dir left by refused create"
	assert_no_loops
}

t_killed_create()
{
	local img=$TEST_TMP/root.ext4 lower i
	_image ext4 "$img"
	lower=$(mkbundle_rootfs) || fail "rootfs"
	for i in 1 2 3 4 5 6; do
		if [ $((i % 2)) = 0 ]; then
			root_bundle l$i loop image="$img" -- true
		else
			root_bundle o$i overlay lower="$lower" -- true
		fi
		k_bg "$TEST_TMP/kbg.out" create --bundle "$B" c$i
		read -r -t "0.0$((i * 3))" <&"$_nap_fd"
		kill -KILL "$KPID" 2>/dev/null
		wait "$KPID" 2>/dev/null
		k delete --force c$i >/dev/null 2>&1
		[ ! -e "$ROOT/c$i" ] || fail "state dir of c$i after delete --force"
		assert_no_loops
	done
}

run_test "overlay: writes are private, the shared lower is untouched" t_overlay_shared_lower
run_test "overlay: two running containers on one lower" t_overlay_concurrent
run_test "overlay: run.kura.root.upper is kept across runs" t_overlay_kept_upper
run_test "overlay: run.kura.root.size stops a writer with ENOSPC" t_overlay_size_cap
run_test "sparse: host dirs read-only, private /etc /var /tmp /root /home" t_sparse
run_test "sparse: root.readonly fixes / and /etc, /tmp and /var stay writable" t_sparse_readonly_root
run_test "sparse: run.kura.root.size stops a writer with ENOSPC" t_sparse_size_cap
run_test "loop: ext4 image, read-write, persists, device detached" t_loop_ext4
run_test "loop: squashfs image is read-only by nature" t_loop_squashfs
run_test "loop: erofs image, type detected" t_loop_erofs
run_test "loop: an image is never attached twice read-write" t_loop_not_twice_rw
run_test "bad run.kura.root.* input: one error naming it, nothing left" t_bad_input
run_test "kura killed during create: delete --force leaves nothing" t_killed_create
finish
