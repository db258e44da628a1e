#!/bin/bash
# bench/isolation.sh: the isolation-fidelity figures of PRODUCT.md, measured
# in the cgroup v2 guest of tests/vm (or directly on a pure v2 host) for
# kura, crun and runc, side by side, rounds interleaved:
#   cpu.max 50%          -> usage as a fraction of one CPU (goal 0.50 +-5%)
#   cpu.weight 100:300   -> usage ratio b/a (goal 3.00 +-5%)
#   shares 1024:3072     -> usage ratio b/a through the shares->weight map
#   io.max rbps          -> achieved rate / limit on virtio-blk and loop (+-10%)
#   memory.max           -> hog OOM-killed, neighbour running
#   pids.max             -> fork bomb held at the limit
#
#   bash bench/isolation.sh [-r ROUNDS] [-o OUTDIR] [--table-only] [RUNTIME...]
#
# RUNTIME is kura (default build/kura), crun or runc, or a path; default:
# all three.  Each round boots one guest per runtime (the order rotates
# per round) and runs suite/{cpu,io,memory,pids}.sh; the "# measured:"
# lines are collected into OUTDIR/measured.txt and summed up as a table
# (median and min-max over rounds); --table-only makes the table again
# from OUTDIR/measured.txt without running anything.  Never part of ctest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
ROUNDS=3 OUT=/tmp/kura-isolation-results TABLE_ONLY=0
while [ $# -gt 0 ]; do
	case $1 in
	-r) ROUNDS=$2; shift ;;
	-o) OUT=$2; shift ;;
	--table-only) TABLE_ONLY=1 ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	-*) echo "isolation.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "isolation.sh: needs root" >&2; exit 2; }
runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=(kura crun runc)

KURA=${KURA:-$repo/build/kura}
[ -x "$KURA" ] || { echo "isolation.sh: no kura at $KURA (bash scripts/setup.sh)" >&2; exit 2; }
binary_of()
{
	case $1 in
	kura) echo "$KURA" ;;
	crun | runc) command -v "$1" || echo "/nonexistent/$1" ;;
	*) echo "$1" ;;
	esac
}

mkdir -p "$OUT"
[ "$TABLE_ONLY" = 1 ] || { : >"$OUT/measured.txt"; : >"$OUT/log.txt"; }
for ((round = 0; round < ROUNDS && !TABLE_ONLY; round++)); do
	n=${#runtimes[@]}
	for ((i = 0; i < n; i++)); do
		rt=${runtimes[$(((i + round) % n))]}
		bin=$(binary_of "$rt")
		echo "isolation.sh: round $((round + 1))/$ROUNDS: $rt" >&2
		out=$(RUNTIME_UNDER_TEST=$bin KURA=$KURA VM_TESTS="cpu io memory pids" \
			bash "$repo/tests/vm/run.sh" 2>&1) || true
		echo "$out" | sed "s|^|$rt r$round: |" >>"$OUT/log.txt"
		{ grep '^# measured: ' <<<"$out" || true; } |
			sed "s|^# measured: |$rt\t$round\t|" >>"$OUT/measured.txt"
		{ grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" || true; } | tail -1 |
			sed "s|^|isolation.sh: $rt: |" >&2
	done
done

# One number per line kind: pick it out of the measured text.
extract()
{
	local rt=$1 pattern=$2 sedexpr=$3
	awk -F'\t' -v r="$rt" '$1 == r {print $3}' "$OUT/measured.txt" | grep -E "$pattern" |
		sed -nE "$sedexpr" || true
}

stats()
{
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "-"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f (%.3f-%.3f, n=%d)\n", m, v[1], v[NR], NR }'
}

{
	echo "# isolation fidelity, $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS round(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-42s' "figure (goal)"
	for rt in "${runtimes[@]}"; do printf ' | %-26s' "$rt"; done
	echo
	# row TITLE PATTERN SED [AWK]: one cell per runtime; AWK turns what
	# SED picked out into the number (default: as it is).
	row()
	{
		local title=$1 pattern=$2 sedexpr=$3 post=${4:-'{print $1}'}
		printf '%-42s' "$title"
		for rt in "${runtimes[@]}"; do
			printf ' | %-26s' "$(extract "$rt" "$pattern" "$sedexpr" | awk "$post" | stats)"
		done
		echo
	}
	row "cpu.max 50% usage (0.50+-0.025)" '^vm-cpu: cpu.max' 's/.*usage ([0-9.]+) of a CPU.*/\1/p'
	row "cpu.weight 1:3 ratio (3+-0.15)" '^vm-cpu: cpu.weight' 's/.*b\/a = ([0-9.]+).*/\1/p'
	# The shares->weight curve (runc >= 1.3, crun >= 1.23, kura) gives
	# 100:240 for 1024:3072, the old linear map (crun 1.8, runc 1.1)
	# 39:118: the goal is usage in the ratio of the weights each set.
	row "shares 1024:3072 usage/weights (1+-0.05)" '^vm-cpu: shares' \
		's/.*usage b\/a = ([0-9.]+), weights give ([0-9.]+).*/\1 \2/p' '{print $1 / $2}'
	row "  weight ratio set for 1024:3072" '^vm-cpu: shares' \
		's/.*-> weights ([0-9]+):([0-9]+);.*/\1 \2/p' '{print $2 / $1}'
	row "io.max rbps virtio-blk (1+-0.1)" '^vm-io: io.max.* on /dev/vd' 's/.*\(([0-9.]+) of the limit\).*/\1/p'
	row "io.max rbps loop (1+-0.1)" '^vm-io: io.max.* on /dev/loop' 's/.*\(([0-9.]+) of the limit\).*/\1/p'
	row "OOM: hog killed, oom_kill count" '^vm-memory: memory.max' 's/.*hog dd=137 oom_kill=([0-9]+); neighbour running.*/\1/p'
	row "fork bomb: pids.events max" '^vm-pids: fork bomb' 's/.*pids.events max=([0-9]+).*/\1/p'
} | tee "$OUT/table.txt"
