#!/bin/bash
# cpu.max caps a busy container (usage within TOL of the cap, nr_throttled
# grows); cpu.weight 100:300 splits one CPU 1:3 (within TOL); shares follow
# the weights they map to.
. "$KURA_SOURCE_DIR/tests/vm/lib.sh"

# The goals are +-5% (bench/isolation.sh reports them); the tests allow
# +-10%, because a TCG guest on a busy host loses vCPU time while its
# clock runs on.  A cap or weight that is not applied misses by far more
# (usage 1.0, or a ratio of 1).
TOL=${VM_CPU_TOL:-0.10}

# Seconds over which CPU usage is measured, and how many such windows:
# the median of three keeps a burst of host load (which stalls the
# guest's vCPU while its clock runs on) from deciding the result.
WINDOW=${VM_CPU_WINDOW:-3}
WINDOWS=3

median()
{
	printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

_busy_running()
{
	[ "$(awk '$1 == "usage_usec" {print $2}' "$1/cpu.stat")" -gt 100000 ]
}

t_cpu_max()
{
	local d u0 u1 t0 t1 th0 th1 ratio
	vbundle b sh -c 'while :; do :; done'
	res '.cpu = {"quota": 50000, "period": 100000}'
	start_ctr busy
	d=$(cg_dir busy) || fail "$d"
	assert_eq "$(cat "$d/cpu.max")" "50000 100000" cpu.max
	wait_until 20 _busy_running "$d" || fail "the container does not use CPU"
	local ratios=() i
	th0=$(awk '$1 == "nr_throttled" {print $2}' "$d/cpu.stat")
	for ((i = 0; i < WINDOWS; i++)); do
		t0=$(_now_us)
		u0=$(usage_us "$d")
		_nap "$WINDOW"
		t1=$(_now_us)
		u1=$(usage_us "$d")
		ratios+=("$(calc "($u1 - $u0) / ($t1 - $t0)")")
	done
	th1=$(awk '$1 == "nr_throttled" {print $2}' "$d/cpu.stat")
	ratio=$(median "${ratios[@]}")
	measure "cpu.max 50000/100000: usage $ratio of a CPU (median of ${ratios[*]}, ${WINDOW}s each); nr_throttled $th0 -> $th1"
	diag "cpu.stat: $(tr '\n' ' ' <"$d/cpu.stat")"
	[ "$th1" -gt "$th0" ] || fail "nr_throttled did not grow ($th0 -> $th1)"
	within "$ratio" 0.50 "$(calc "0.50 * $TOL")" || fail "usage $ratio is not within $TOL of the 0.50 cap"
}

# usage_ratio DIR_A DIR_B: the median over the windows of b's CPU usage
# over a's; the single ratios go to $TEST_TMP/ratios (this runs in $(...)).
usage_ratio()
{
	local ua0 ub0 ua1 ub1 r=() i
	for ((i = 0; i < WINDOWS; i++)); do
		ua0=$(usage_us "$1")
		ub0=$(usage_us "$2")
		_nap "$WINDOW"
		ua1=$(usage_us "$1")
		ub1=$(usage_us "$2")
		r+=("$(calc "($ub1 - $ub0) / ($ua1 - $ua0)")")
	done
	echo "${r[*]}" >"$TEST_TMP/ratios"
	median "${r[@]}"
}

t_cpu_weight()
{
	local da db ua0 ub0 ua1 ub1 ratio
	vbundle a sh -c 'while :; do :; done'
	res '.cpu = {"cpus": "0"} | .unified = {"cpu.weight": "100"}'
	create_ctr wa
	vbundle b sh -c 'while :; do :; done'
	res '.cpu = {"cpus": "0"} | .unified = {"cpu.weight": "300"}'
	create_ctr wb
	# Created first, started together: a busy container slows everything
	# else down on one CPU.
	da=$(cg_dir wa) || fail "$da"
	db=$(cg_dir wb) || fail "$db"
	assert_eq "$(cat "$da/cpu.weight")" 100 "cpu.weight of a"
	assert_eq "$(cat "$db/cpu.weight")" 300 "cpu.weight of b"
	assert_eq "$(cat "$da/cpuset.cpus.effective")" 0 "a pinned to CPU 0"
	assert_eq "$(cat "$db/cpuset.cpus.effective")" 0 "b pinned to CPU 0"
	start_only wa
	start_only wb
	wait_until 20 _busy_running "$da" || fail "a does not use CPU"
	wait_until 20 _busy_running "$db" || fail "b does not use CPU"
	ratio=$(usage_ratio "$da" "$db")
	measure "cpu.weight 100:300 on one CPU: b/a = $ratio (median of $(cat "$TEST_TMP/ratios"), ${WINDOW}s each)"
	within "$ratio" 3 "$(calc "3 * $TOL")" || fail "usage ratio $ratio is not within $TOL of 3"
}

# runc's shares values for the same split (1024:3072), through each
# runtime's shares -> weight formula: the ratio of usage follows the ratio
# of the resulting weights.
t_cpu_shares()
{
	local da db wa wb ua0 ub0 ua1 ub1 ratio want
	vbundle a sh -c 'while :; do :; done'
	res '.cpu = {"cpus": "0", "shares": 1024}'
	create_ctr sa
	vbundle b sh -c 'while :; do :; done'
	res '.cpu = {"cpus": "0", "shares": 3072}'
	create_ctr sb
	da=$(cg_dir sa) || fail "$da"
	db=$(cg_dir sb) || fail "$db"
	wa=$(cat "$da/cpu.weight")
	wb=$(cat "$db/cpu.weight")
	start_only sa
	start_only sb
	diag "shares 1024 -> weight $wa, 3072 -> $wb"
	if is_kura; then
		assert_eq "$wa" 100 "cpu.weight for shares 1024"
	fi
	want=$(calc "$wb / $wa")
	wait_until 20 _busy_running "$da" || fail "a does not use CPU"
	wait_until 20 _busy_running "$db" || fail "b does not use CPU"
	ratio=$(usage_ratio "$da" "$db")
	measure "shares 1024:3072 -> weights $wa:$wb; usage b/a = $ratio, weights give $want (median of $(cat "$TEST_TMP/ratios"))"
	within "$ratio" "$want" "$(calc "$want * $TOL")" || fail "usage ratio $ratio is not within $TOL of $want"
}

run_test "cpu.max 50% caps a busy container and throttles it" t_cpu_max
run_test "cpu.weight 100:300 on one CPU gives 1:3" t_cpu_weight
run_test "cpu shares 1024:3072 on one CPU follow the weights" t_cpu_shares
finish
