#!/bin/bash
# Every limit of linux.resources lands in the container's cgroup v2 files,
# as seen from the host and from inside the container (cgroup namespace).
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

# The disk run.sh attaches (or VM_IO_DEV=MAJ:MIN on a pure v2 host).
io_dev()
{
	if [ -n "${VM_IO_DEV:-}" ]; then
		echo "$VM_IO_DEV"
	elif [ -e /sys/block/vda/dev ]; then
		cat /sys/block/vda/dev
	fi
}

# cpu shares -> cpu.weight: kura uses the formula runc >= 1.3, crun >= 1.19
# and youki share; Debian 12's crun 1.8 and runc 1.1 use the old linear one.
weight_new() { awk -v s="$1" 'BEGIN {l = log(s) / log(2); e = (l * l + 125 * l) / 612 - 7 / 34; w = 10 ^ e; c = int(w); if (c < w) c++; print c}'; }
weight_old() { echo $((1 + (($1 - 2) * 9999) / 262142)); }

t_limits()
{
	local dev in id=lim
	dev=$(io_dev)
	vbundle b sh -c 'cd /sys/fs/cgroup && for f in cpu.max cpu.weight cpuset.cpus cpuset.mems memory.max memory.low memory.swap.max pids.max io.max; do echo "$f=$(cat $f | tr "\n" ";")"; done'
	res '.cpu = {"shares": 2048, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"}
		| .memory = {"limit": 67108864, "reservation": 33554432, "swap": 100663296}
		| .pids = {"limit": 42}
		| (if $dev != "" then .blockIO = {"throttleReadBpsDevice": [{"major": ($dev | split(":")[0] | tonumber), "minor": ($dev | split(":")[1] | tonumber), "rate": 1048576}],
			"throttleWriteIOPSDevice": [{"major": ($dev | split(":")[0] | tonumber), "minor": ($dev | split(":")[1] | tonumber), "rate": 120}]} else . end)' \
		--arg dev "$dev"
	# Keep the container around after its command, to look from outside.
	bundle_args "$B" sh -c "$(jq -r '.process.args[2]' "$B/config.json"); exec sleep 600" || fail "bundle_args"
	start_ctr $id
	wait_until 20 grep -q '^io.max=' "$TEST_TMP/$id.out" || fail "no output from the container: $(cat "$TEST_TMP/$id.out")"
	in=$(cat "$TEST_TMP/$id.out")
	diag "inside: $in"
	local d
	d=$(cg_dir $id) || fail "$d"
	diag "cgroup: $d"
	assert_eq "$(cat "$d/cpu.max")" "50000 100000" cpu.max
	assert_contains "$in" "cpu.max=50000 100000;" "cpu.max inside"
	local w wn wo
	w=$(cat "$d/cpu.weight")
	wn=$(weight_new 2048)
	wo=$(weight_old 2048)
	if is_kura; then
		assert_eq "$w" "$wn" "cpu.weight for shares 2048"
	else
		[ "$w" = "$wn" ] || [ "$w" = "$wo" ] || fail "cpu.weight $w is neither $wn nor $wo"
	fi
	assert_contains "$in" "cpu.weight=$w;" "cpu.weight inside"
	assert_eq "$(cat "$d/cpuset.cpus")" 0 cpuset.cpus
	assert_contains "$in" "cpuset.cpus=0;" "cpuset.cpus inside"
	assert_eq "$(cat "$d/cpuset.mems")" 0 cpuset.mems
	assert_eq "$(cat "$d/memory.max")" 67108864 memory.max
	assert_contains "$in" "memory.max=67108864;" "memory.max inside"
	assert_eq "$(cat "$d/memory.low")" 33554432 memory.low
	assert_contains "$in" "memory.low=33554432;" "memory.low inside"
	assert_eq "$(cat "$d/memory.swap.max")" 33554432 "memory.swap.max (swap - limit)"
	assert_contains "$in" "memory.swap.max=33554432;" "memory.swap.max inside"
	assert_eq "$(cat "$d/pids.max")" 42 pids.max
	assert_contains "$in" "pids.max=42;" "pids.max inside"
	if [ -n "$dev" ]; then
		assert_eq "$(cat "$d/io.max")" "$dev rbps=1048576 wbps=max riops=max wiops=120" io.max
		assert_contains "$in" "io.max=$dev rbps=1048576 wbps=max riops=max wiops=120;" "io.max inside"
	else
		diag "no test disk: io.max not checked"
	fi
	# The container's init is in that cgroup, and sees it as its root.
	grep -qx "$(ctr_pid $id)" "$d/cgroup.procs" || fail "init is not in $d/cgroup.procs"
}

t_unified()
{
	vbundle b sleep 600
	res '.unified = {"cpu.weight": "321", "memory.high": "50331648", "pids.max": "17"}'
	start_ctr u
	assert_eq "$(cg_get u cpu.weight)" 321 "cpu.weight from unified"
	assert_eq "$(cg_get u memory.high)" 50331648 "memory.high from unified"
	assert_eq "$(cg_get u pids.max)" 17 "pids.max from unified"
}

t_swap_lt_limit()
{
	vbundle b true
	res '.memory = {"limit": 67108864, "swap": 33554432}'
	kr run --bundle "$B" bad
	assert_fails "run with memory.swap < memory.limit"
	k delete --force bad >/dev/null 2>&1
	true
}

run_test "linux.resources -> cpu/cpuset/memory/pids/io files, seen inside" t_limits
run_test "linux.resources.unified passes through" t_unified
run_test "memory.swap below memory.limit is refused" t_swap_lt_limit
finish
