#!/bin/bash
# bench/lifecycle.sh: container lifecycle cost of kura next to crun and runc,
# measured in one run, interleaved, on one shared busybox rootfs.
# See bench/README.md for what each number means.
#
#   bash bench/lifecycle.sh [-n N] [-s SEQ] [-r REPS] [-o OUTDIR] [--no-sealed] [--quick]
#
#   -n N        samples per runtime for `run` and create/start/wait/delete (30)
#   -s SEQ      runs per sequential block (100)
#   -r REPS     sequential blocks per runtime (3)
#   -o OUTDIR   keep results.txt and results.jsonl there (default: print
#               the table and leave results under /tmp/kura-bench-results)
#   --state-base DIR  where the runtimes' --root state dirs go (default: /run
#               if it is a tmpfs, as on most hosts, else /dev/shm: kura
#               fsyncs its state files, which costs virtio I/O on a disk)
#   --no-sealed skip the sealed-memfd re-exec comparison
#   --limits    give every runtime the same linux.resources (memory 256M,
#               swap 512M, pids 100, cpu shares 512, quota 50000/100000)
#   --quick     -n 5 -s 20 -r 1 (smoke test)
#
# Environment: KURA=/path/to/kura (default: build the tree this script
# lives in with cmake into $BENCH_BUILD_DIR, default <repo>/build-bench).
# Needs root.  Installs crun, runc, time, jq, busybox-static, gcc with
# apt-get when missing.  Leaves nothing behind: state dirs, bundles,
# rootfs, cgroups and the helper mount namespace are removed on exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
N=30 SEQ=100 REPS=3 SEALED=1 OUT=/tmp/kura-bench-results STATE_BASE= LIMITS=0
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift ;;
	-s) SEQ=$2; shift ;;
	-r) REPS=$2; shift ;;
	-o) OUT=$2; shift ;;
	--no-sealed) SEALED=0 ;;
	--limits) LIMITS=1 ;;
	--state-base) STATE_BASE=$2; shift ;;
	--quick) N=5 SEQ=20 REPS=1 ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "lifecycle.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "lifecycle.sh: needs root" >&2; exit 2; }

log() { echo "lifecycle.sh: $*" >&2; }

# ---- dependencies (fresh machine) ----
need=()
command -v crun >/dev/null || need+=(crun)
command -v runc >/dev/null || need+=(runc)
[ -x /usr/bin/time ] || need+=(time)
command -v jq >/dev/null || need+=(jq)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v unshare >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2 ||
		{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2; }
fi
CRUN=$(command -v crun)
RUNC=$(command -v runc)

# ---- kura ----
if [ -z "${KURA:-}" ]; then
	BENCH_BUILD_DIR=${BENCH_BUILD_DIR:-$repo/build-bench}
	log "building kura in $BENCH_BUILD_DIR (RelWithDebInfo)"
	cmake -S "$repo" -B "$BENCH_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$BENCH_BUILD_DIR" -j"$(nproc)" --target kura >/dev/null
	KURA=$BENCH_BUILD_DIR/kura
fi
KURA=$(readlink -f "$KURA")
[ -x "$KURA" ] || { log "no kura binary at $KURA"; exit 2; }

# ---- work dir and cleanup ----
if [ -z "$STATE_BASE" ]; then
	STATE_BASE=/dev/shm
	[ "$(stat -f -c %T /run)" != tmpfs ] || STATE_BASE=/run
fi
W=$(mktemp -d /tmp/kura-bench.XXXXXX)
S=$(mktemp -d "$STATE_BASE/kura-bench-state.XXXXXX")
TAG=kb$$
holder=
cleanup()
{
	local rc=$? r root ids id
	set +e
	# Containers left by an interrupted run.
	for r in kura crun runc crun-nocg kura-presealed kura-noseal kura-stripped kura-static; do
		root=$S/$r
		[ -d "$root" ] || continue
		ids=$(ls "$root" 2>/dev/null)
		for id in $ids; do
			case $r in
			crun) crun_ns --root "$root" delete --force "$id" ;;
			crun-nocg) crun_ns --cgroup-manager=disabled --root "$root" delete --force "$id" ;;
			runc) "$RUNC" --root "$root" delete --force "$id" ;;
			*) "$KURA" --root "$root" delete --force "$id" ;;
			esac
		done >/dev/null 2>&1
	done
	[ -z "$holder" ] || { kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; }
	# Cgroups our runtimes created (names carry our tag), deepest first.
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$TAG-*" 2>/dev/null |
		sort -r | while read -r d; do
			log "removing leftover cgroup $d"
			rmdir "$d"
		done
	[ -z "${BENCH_KEEP_LOGS:-}" ] || cp -r "$W/logs" "$BENCH_KEEP_LOGS" 2>/dev/null
	rm -rf "$W" "$S"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$W/logs" "$OUT"
: >"$OUT/results.jsonl"

# ---- helpers ----
gcc -O2 -Wall -o "$W/lcbench" "$here/lcbench.c" -lm

# crun 1.8.1 refuses a hybrid cgroup host; it runs in a private mount
# namespace where the cgroup2 mount is hidden and, for every v1 hierarchy in
# which we sit below the root, our own cgroup is bound over the hierarchy's
# mount point.  crun reads a relative cgroupsPath as absolute ("/X"), so
# this keeps its cgroups below our own cgroup, like runc's and kura's.
# One long-lived namespace (setns per invocation): no per-run wrapper cost.
binds=
while IFS=: read -r _ ctrls path; do
	[ -n "$ctrls" ] && [ "$path" != / ] || continue
	mp=$(awk -v want="$ctrls" '
		{ for (i = 1; $i != "-"; i++); if ($(i+1) != "cgroup") next
		  n = split(want, w, ","); ok = 1
		  for (j = 1; j <= n; j++) if (("," $(i+3) ",") !~ ("," w[j] ",")) ok = 0
		  if (ok) { print $5; exit } }' /proc/self/mountinfo)
	[ -n "$mp" ] && binds="$binds $mp$path:$mp"
done </proc/self/cgroup
unshare -m --propagation private sh -c '
	mountpoint -q /sys/fs/cgroup/unified && umount /sys/fs/cgroup/unified
	for b in $1; do mount --bind "${b%%:*}" "${b#*:}" || exit 1; done
	echo ready
	exec sleep 86400' sh "$binds" >"$W/holder.out" 2>&1 &
holder=$!
for _ in $(seq 100); do grep -q ready "$W/holder.out" 2>/dev/null && break; sleep 0.05; done
grep -q ready "$W/holder.out" || { log "crun namespace: $(cat "$W/holder.out")"; exit 1; }
MNTNS=/proc/$holder/ns/mnt
crun_ns() { nsenter --mount="$MNTNS" "$CRUN" "$@"; }

# ---- bundles: one rootfs, one config shape for all ----
export KURA MKBUNDLE_CACHE=$W/cache MKBUNDLE_CGROUP_PREFIX=$TAG
# shellcheck source=../tests/lib/mkbundle.sh
. "$repo/tests/lib/mkbundle.sh"
rootfs=$(mkbundle_rootfs)
for r in kura crun runc; do
	mkbundle_shared "$W/b-$r" "$rootfs" /bin/true
	# crun 1.8.1 rejects ociVersion 1.2.0; the rest is kura's `spec`
	# (== crun/runc spec plus a cgroup namespace).
	bundle_edit "$W/b-$r" '.ociVersion = "1.0.2"'
	if [ "$LIMITS" = 1 ]; then
		bundle_edit "$W/b-$r" '.linux.resources += {
			"memory": {"limit": 268435456, "swap": 536870912},
			"pids": {"limit": 100},
			"cpu": {"shares": 512, "quota": 50000, "period": 100000}}'
	fi
done

plan=$W/plan
{
	echo "kura $W/b-kura - $KURA --root $S/kura"
	echo "crun $W/b-crun mntns=$MNTNS $CRUN --root $S/crun"
	echo "runc $W/b-runc - $RUNC --root $S/runc"
	echo "crun-nocg $W/b-crun mntns=$MNTNS $CRUN --cgroup-manager=disabled --root $S/crun-nocg"
} >"$plan"

meta()
{
	jq -nc --arg date "$(date -u +%FT%TZ)" --arg kernel "$(uname -r)" \
		--arg kura "$KURA" --arg kura_ver "$("$KURA" --version | head -1)" \
		--arg kura_git "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		--arg crun "$("$CRUN" --version | head -1)" --arg runc "$("$RUNC" --version | head -1)" \
		--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg cpus "$(nproc)" \
		--argjson n "$N" --argjson seq "$SEQ" --argjson reps "$REPS" --arg phase "$1" \
		--arg state_base "$STATE_BASE" --arg kura_built "$(date -u -r "$KURA" +%FT%TZ)" \
		'{bench:"meta",phase:$phase,date:$date,kernel:$kernel,cpus:$cpus,loadavg:$load,
		  kura:$kura,kura_version:$kura_ver,kura_git:$kura_git,crun:$crun,runc:$runc,
		  n:$n,seq:$seq,seq_reps:$reps,state_base:$state_base,kura_built:$kura_built}'
}

J=$OUT/results.jsonl
T=$OUT/results.txt
LC=("$W/lcbench" -d "$W/logs" -j "$J")
{
	echo "kura lifecycle benchmark, $(date -u '+%F %T UTC'), $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "kura: $KURA ($("$KURA" --version | head -1), built $(date -u -r "$KURA" '+%F %T UTC'); checkout at git $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo ?)$([ -z "$(git -C "$repo" status --porcelain 2>/dev/null)" ] || echo ' + local changes'))"
	echo "crun: $("$CRUN" --version | head -1) (private mount ns, cgroupfs v1); crun-nocg: same, --cgroup-manager=disabled"
	echo "runc: $("$RUNC" --version | head -1) (cgroupfs v1)"
	echo "state dirs (--root) in $STATE_BASE ($(stat -f -c %T "$STATE_BASE")); bundles and the shared busybox rootfs in $W"
	echo "all three make cgroups (kura and runc below our own cgroup, v1); crun-nocg is crun with --cgroup-manager=disabled, for the cost of cgroups alone."
	echo "Rounds interleave the runtimes, rotating the start each round. p10/p90 = spread."
} | tee "$T"
meta start >>"$J"

run_fail=0
"${LC[@]}" -n 5 -w 0 baseline "$plan" | tee -a "$T" || run_fail=1
"${LC[@]}" -n "$N" -w 2 run "$plan" | tee -a "$T" || run_fail=1
"${LC[@]}" -n "$N" -w 1 cycle "$plan" | tee -a "$T" || run_fail=1
"${LC[@]}" -n "$REPS" -w 0 -s "$SEQ" seq "$plan" | tee -a "$T" || run_fail=1

# GNU time cross-check of peak RSS (same wait4 counter, different parent).
{
	echo
	echo "== GNU time %M cross-check of \`run\` peak RSS (KiB), median of 5"
	for r in kura crun runc; do
		vals=()
		for i in 1 2 3 4 5; do
			case $r in
			kura) cmd=("$KURA" --root "$S/kura") ;;
			runc) cmd=("$RUNC" --root "$S/runc") ;;
			crun) cmd=(nsenter --mount="$MNTNS" "$CRUN" --root "$S/crun") ;;
			esac
			vals+=("$(/usr/bin/time -f %M "${cmd[@]}" run --bundle "$W/b-$r" "$TAG-time-$r-$i" 2>&1 >/dev/null | tail -1)")
		done
		med=$(printf '%s\n' "${vals[@]}" | sort -n | sed -n 3p)
		printf '%-14s %8s KiB  (all: %s)%s\n' "$r" "$med" "${vals[*]}" \
			"$([ $r = crun ] && echo '  via nsenter, which execs crun' || true)"
		jq -nc --arg r "$r" --argjson m "$med" '{bench:"gnutime",metric:"run.maxrss",runtime:$r,unit:"KiB",n:5,median:$m}' >>"$J"
	done
} | tee -a "$T"

if [ "$SEALED" = 1 ]; then
	# Variants of the same kura for the cost of its sealed-memfd re-exec:
	#  kura-presealed: exec'd from a sealed memfd made once by lcbench, so
	#                  sealed_exe_ensure() finds /proc/self/exe sealed and
	#                  returns at once (no copy, no second exec);
	#  kura-noseal:    relinked with sealed_exe_ensure() wrapped to a no-op
	#                  (-Wl,--wrap; the defence off entirely);
	#  kura-stripped:  `strip` copy: the memfd copy is smaller;
	#  kura-static:    -static-pie, stripped (below).
	kb=$(dirname "$KURA")
	sealed_plan=$W/plan-sealed
	echo "kura $W/b-kura - $KURA --root $S/kura" >"$sealed_plan"
	echo "kura-presealed $W/b-kura presealed $KURA --root $S/kura-presealed" >>"$sealed_plan"
	# Link order: cmd objects, runtime, the leaf libraries, common.
	libs=("$kb"/libkura_runtime.a)
	for a in "$kb"/libkura_*.a; do
		case $a in */libkura_runtime.a | */libkura_common.a) ;; *) libs+=("$a") ;; esac
	done
	libs+=("$kb"/libkura_common.a)
	if ls "$kb"/CMakeFiles/kura.dir/cmd/*.o "$kb"/libkura_runtime.a >/dev/null 2>&1; then
		printf '#include "%s/common/err.h"\nint __wrap_sealed_exe_ensure(char **a, char **e, struct kerr *r) { (void)a; (void)e; (void)r; return 0; }\n' "$repo" >"$W/noseal.c"
		# shellcheck disable=SC2046 # pkg-config output is a word list
		gcc -O2 -D_GNU_SOURCE -c -o "$W/noseal.o" "$W/noseal.c" &&
		gcc -O2 -o "$W/kura-noseal" "$kb"/CMakeFiles/kura.dir/cmd/*.o "$W/noseal.o" \
			-Wl,--wrap=sealed_exe_ensure "${libs[@]}" \
			$(pkg-config --libs json-c libseccomp 2>/dev/null || echo -ljson-c -lseccomp) &&
			echo "kura-noseal $W/b-kura - $W/kura-noseal --root $S/kura-noseal" >>"$sealed_plan"
	else
		log "no object files next to $KURA: skipping kura-noseal"
	fi
	# kura-static: the same objects linked -static-pie and stripped: no
	# ld.so symbol resolution on either of the two execs per create.
	ja=$(pkg-config --variable=libdir json-c 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)
	if [ -f "$ja/libjson-c.a" ] && [ -f "$ja/libseccomp.a" ] && [ -x "$W/kura-noseal" ] &&
		gcc -O2 -static-pie -o "$W/kura-static" "$kb"/CMakeFiles/kura.dir/cmd/*.o \
			"${libs[@]}" "$ja/libjson-c.a" "$ja/libseccomp.a" 2>"$W/logs/static-link.txt" &&
		strip "$W/kura-static"; then
		echo "kura-static $W/b-kura - $W/kura-static --root $S/kura-static" >>"$sealed_plan"
	fi
	strip -o "$W/kura-stripped" "$KURA" &&
		echo "kura-stripped $W/b-kura - $W/kura-stripped --root $S/kura-stripped" >>"$sealed_plan"
	{
		echo
		echo "kura binary: $(stat -c %s "$KURA") bytes; stripped: $(stat -c %s "$W/kura-stripped" 2>/dev/null || echo ?); static-pie stripped: $(stat -c %s "$W/kura-static" 2>/dev/null || echo ?) (create/run copy it into a memfd)"
	} | tee -a "$T"
	"${LC[@]}" -n "$N" -w 2 run "$sealed_plan" | sed 's/^== run/== sealed-memfd re-exec: run/' | tee -a "$T" || run_fail=1
	"${LC[@]}" -n "$N" -w 1 cycle "$sealed_plan" | sed 's/^== create/== sealed-memfd re-exec: create/' | tee -a "$T" || run_fail=1
fi
meta end >>"$J"

# ---- headline ----
{
	echo
	echo "== headline (medians; ratio = kura / peer; < 1 means kura is faster or smaller)"
	jq -rs '
		def f(x): if x == null then "-" else (x * 100 | round / 100 | tostring) end;
		def row(m): (map(select(.metric == m and (.bench == "run" or .bench == "cycle" or .bench == "seq")))
			| (map(select(.runtime == "kura")) | first) as $k
			| (map(select(.runtime == "crun-nocg")) | first) as $n
			| if $k == null then empty else
			  "\(m | .+ "                    " | .[0:16]) kura \(f($k.median)) \($k.unit)  (p10 \(f($k.p10)) p90 \(f($k.p90)))  /crun \(f($k.ratio_vs_crun))  /runc \(f($k.ratio_vs_runc))  /crun-nocg \(if $n then f($k.median / $n.median) else "-" end)" end);
		[.[] | select(.runtime != null)] as $a
		| ($a | map(select((.runtime | startswith("kura-")) | not))) as $main
		| ($main | row("run"), row("run.cpu"), row("cycle.total"), row("seq.total"), row("run.maxrss"), row("create.maxrss"))
	' "$J"
} | tee -a "$T"
log "results: $T and $J"
exit $run_fail
