#!/bin/bash
# io.max rbps holds within +-10% on the virtio-blk disk run.sh attaches
# (or VM_IO_DEV=MAJ:MIN / VM_IO_PATH=/dev/... on a pure v2 host).
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

RATE=$((2 * 1024 * 1024))
BS=$((256 * 1024))
COUNT=32 # 8 MiB: about 4 s at RATE

# io_rbps PATH [MAJ:MIN]: read 8 MiB of block device PATH with O_DIRECT in a
# container limited to RATE.
io_rbps()
{
	local dev path=$1 maj min out a b secs rate d rb
	dev=${2:-$(cat "/sys/class/block/${path#/dev/}/dev")}
	maj=${dev%:*}
	min=${dev#*:}
	vbundle b sh -c "a=\$(cut -d' ' -f1 /proc/uptime); dd if=/dev/disk0 of=/dev/null bs=$BS count=$COUNT iflag=direct 2>/dev/null; echo rc=\$? \$a \$(cut -d' ' -f1 /proc/uptime)"
	edit '.linux.devices += [{"path": "/dev/disk0", "type": "b", "major": $maj, "minor": $min, "fileMode": 288, "uid": 0, "gid": 0}]
		| .linux.resources.devices += [{"allow": true, "type": "b", "major": $maj, "minor": $min, "access": "r"}]
		| .linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": $maj, "minor": $min, "rate": $rate}]}' \
		--argjson maj "$maj" --argjson min "$min" --argjson rate "$RATE"
	create_ctr io
	d=$(cg_dir io) || fail "$d"
	assert_eq "$(cat "$d/io.max")" "$dev rbps=$RATE wbps=max riops=max wiops=max" io.max
	start_only io
	wait_until 60 grep -q '^rc=' "$TEST_TMP/io.out" || fail "the reader did not finish: $(cat "$TEST_TMP/io.out")"
	out=$(grep '^rc=' "$TEST_TMP/io.out")
	read -r rc a b <<<"$out"
	assert_eq "$rc" rc=0 "dd in the container"
	secs=$(calc "$b - $a")
	rate=$(calc "$BS * $COUNT / $secs")
	rb=$(awk -v d="$dev" '$1 == d {for (i = 2; i <= NF; i++) if ($i ~ /^rbytes=/) print substr($i, 8)}' "$d/io.stat")
	measure "io.max rbps=$RATE on $path: read $((BS * COUNT)) bytes in $secs s = $rate B/s ($(calc "$rate / $RATE") of the limit); io.stat rbytes=$rb"
	within "$rate" "$RATE" "$(calc "$RATE * 0.10")" || fail "read rate $rate is not within 10% of $RATE"
	[ "${rb:-0}" -ge $((BS * COUNT)) ] || fail "io.stat rbytes '$rb' < $((BS * COUNT))"
}

t_io_virtio()
{
	local path=${VM_IO_PATH:-/dev/vda}
	[ -b "$path" ] || skip "no test disk at $path"
	io_rbps "$path" "${VM_IO_DEV:-}"
}

t_io_loop()
{
	local img=$TEST_TMP/loop.img loop
	command -v losetup >/dev/null || skip "no losetup"
	truncate -s 64M "$img" || fail "truncate"
	loop=$(losetup -f --show "$img") || skip "no loop device"
	# shellcheck disable=SC2064
	trap "losetup -d $loop" EXIT
	io_rbps "$loop"
}

run_test "io.max rbps on a virtio-blk disk holds within 10%" t_io_virtio
run_test "io.max rbps on a loop device holds within 10%" t_io_loop
finish
