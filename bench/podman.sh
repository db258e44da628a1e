#!/bin/bash
# bench/podman.sh: what one `podman run --rm IMG true` costs with kura, crun
# and runc as podman's OCI runtime, measured in one run, interleaved.
# Never part of the test suite.  See bench/README.md.
#
#   bash bench/podman.sh [-n N] [-w W] [-o OUTDIR]
#
#   -n N        timed runs per runtime (20)
#   -w W        warm-up rounds, not counted (2)
#   -o OUTDIR   where podman.txt and podman.jsonl go (/tmp/kura-bench-results)
#
# Environment: KURA=/path/to/kura (default: <repo>/build/kura, else built
# with cmake into <repo>/build-bench).  Needs root.  Installs podman,
# conmon, crun, runc, jq and busybox-static with apt-get when missing.
#
# Every round runs each runtime once, and the starting runtime rotates
# each round.  A run is timed from fork to exit of the podman client
# (EPOCHREALTIME), everything podman, conmon and the runtime do included.
# podman is set up as the client tests set it up (tests/lib/clients.sh):
# private containers.conf and storage (overlay) in a temp dir, netns none,
# cgroupfs manager, --cgroup-parent below our own cgroup, one busybox
# image imported from a tar (no registry).
#
# crun 1.8.1 refuses a hybrid cgroup host, so on such a host podman gets a
# `crun` wrapper that runs the real crun in a private mount namespace
# with the v2 mount hidden (TESTING.md).  The wrapper's own cost is
# measured and reported: calls per podman run x (wrapper - crun) for
# `crun --version`.
#
# Leaves nothing behind: containers, image, storage mounts, the cgroup
# parent (and ancestors it created), runtime state dirs it made, the temp
# dir.  Exits non-zero when a run failed or something was left.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
N=20 WARM=2 OUT=/tmp/kura-bench-results
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift ;;
	-w) WARM=$2; shift ;;
	-o) OUT=$2; shift ;;
	-h | --help) sed -n '2,31p' "$0"; exit 0 ;;
	*) echo "podman.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "podman.sh: needs root" >&2; exit 2; }

log() { echo "podman.sh: $*" >&2; }

# ---- dependencies ----
need=()
for cp in podman=podman conmon=conmon crun=crun runc=runc jq=jq unshare=util-linux; do
	command -v "${cp%%=*}" >/dev/null || need+=("${cp#*=}")
done
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2 ||
		{ apt-get update -q >&2 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2; } ||
		exit 2
fi
CRUN=$(command -v crun)
RUNC=$(command -v runc)

# ---- kura ----
if [ -z "${KURA:-}" ]; then
	if [ -x "$repo/build/kura" ]; then
		KURA=$repo/build/kura
	else
		BENCH_BUILD_DIR=${BENCH_BUILD_DIR:-$repo/build-bench}
		log "building kura in $BENCH_BUILD_DIR (RelWithDebInfo)"
		cmake -S "$repo" -B "$BENCH_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
			cmake --build "$BENCH_BUILD_DIR" -j"$(nproc)" --target kura >/dev/null || exit 2
		KURA=$BENCH_BUILD_DIR/kura
	fi
fi
KURA=$(readlink -f "$KURA")
[ -x "$KURA" ] || { log "no kura binary at $KURA"; exit 2; }

# ---- work dir, cgroup parent, cleanup ----
W=$(mktemp -d /tmp/kura-bench-podman.XXXXXX) || exit 2
chmod 0755 "$W"
TAG=kbp$$

own_cgroup()
{
	local id ctrls path best=
	while IFS=: read -r id ctrls path; do
		case ",$ctrls," in
		*,memory,*) echo "${path%/}"; return ;;
		esac
		[ -z "$best" ] && [ "$path" != / ] && best=$path
	done </proc/self/cgroup
	echo "${best%/}"
}

hierarchies()
{
	local m
	for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -e "$m/cgroup.procs" ] && echo "${m%/}"
	done
}

CGPARENT=$(own_cgroup)/$TAG
# Ancestors of the parent missing now in some hierarchy (podman/the
# runtime create them): removed again at the end, deepest first.
missing=()
p=$CGPARENT
while p=${p%/*}; [ -n "$p" ]; do
	for m in $(hierarchies); do
		[ -d "$m$p" ] || missing+=("$m$p")
	done
done
made_run_dirs=()
for d in /run/kura /run/runc /run/crun; do
	[ -e "$d" ] || made_run_dirs+=("$d")
done

pm_mounts()
{
	awk -v a="$W/" 'index($5 "/", a) == 1 {print $5}' /proc/self/mountinfo
}

cleanup_rc=0
cleanup()
{
	local m d left=0
	[ -n "${W:-}" ] && [ -d "$W" ] || return
	podman rm -af -t 0 >/dev/null 2>&1
	podman rmi -af >/dev/null 2>&1
	# conmon and `podman container cleanup` may still be finishing.
	for _ in $(seq 50); do
		[ -z "$(grep -lsF -- "$W/" /proc/[0-9]*/cmdline 2>/dev/null)" ] && break
		sleep 0.1
	done
	for f in $(grep -lsF -- "$W/" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/cmdline}
		[ "$p" = $$ ] && continue
		log "left: process $p: $(tr '\0' ' ' <"$f" | cut -c1-160)"
		kill -KILL "$p" 2>/dev/null && left=1
	done
	for m in $(pm_mounts | sort -r); do
		log "left: mount $m"
		left=1
		umount -l "$m"
	done
	for m in $(hierarchies); do
		[ -d "$m$CGPARENT" ] || continue
		find "$m$CGPARENT" -depth -type d -exec rmdir {} + 2>/dev/null
		[ -d "$m$CGPARENT" ] && { log "left: cgroup $m$CGPARENT"; left=1; }
	done
	for d in "${missing[@]}"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	for d in "${made_run_dirs[@]}"; do
		[ -e "$d" ] || continue
		rmdir "$d" 2>/dev/null || { log "left: $d: $(ls "$d" | head -3 | tr '\n' ' ')"; left=1; }
	done
	if [ -z "$(pm_mounts)" ]; then
		rm -rf --one-file-system "$W"
	else
		log "mounts still under $W; not removing it"
		left=1
	fi
	W=
	[ "$left" = 0 ] || cleanup_rc=1
}
trap 'cleanup; exit $((rc | cleanup_rc))' EXIT
trap 'rc=130; exit' INT
trap 'rc=143; exit' TERM
rc=0

# ---- podman configuration (as tests/lib/clients.sh does it) ----
mkdir -p "$W"/{net,tmp,volumes,storage,run,bin} || exit 2
cat >"$W/containers.conf" <<EOC
[containers]
netns = "none"
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"
[network]
network_config_dir = "$W/net"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$W/events.log"
tmp_dir = "$W/tmp"
static_dir = "$W/storage/libpod"
volume_path = "$W/volumes"
runtime_supports_json = ["crun", "runc", "kura"]
runtime_supports_nocgroups = ["crun", "kura"]
EOC
cat >"$W/storage.conf" <<EOC
[storage]
driver = "overlay"
graphroot = "$W/storage"
runroot = "$W/run"
EOC
echo 'unqualified-search-registries = []' >"$W/registries.conf"
export CONTAINERS_CONF=$W/containers.conf
export CONTAINERS_STORAGE_CONF=$W/storage.conf
export CONTAINERS_REGISTRIES_CONF=$W/registries.conf

# crun: on a hybrid host, a wrapper named crun (podman names a runtime by
# its basename) that hides the v2 mount; it counts its calls.
CRUN_RT=$CRUN
CRUN_NOTE="crun as is"
if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
	cat >"$W/bin/crun" <<EOC
#!/bin/sh
echo x >>"$W/crun-calls"
exec unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec "\$0" "\$@"' "$CRUN" "\$@"
EOC
	chmod 0755 "$W/bin/crun"
	CRUN_RT=$W/bin/crun
	CRUN_NOTE="crun through a wrapper (private mount ns, /sys/fs/cgroup/unified unmounted)"
fi

IMG=localhost/kura-bench-busybox:latest
. "$repo/tests/lib/mkbundle.sh"
rootfs=$(mkbundle_rootfs) || { log "cannot build the busybox rootfs"; exit 2; }
tar -C "$rootfs" --numeric-owner -cf "$W/rootfs.tar" . || exit 2
podman import -q "$W/rootfs.tar" "$IMG" >/dev/null || { log "podman import failed"; exit 2; }
rm -f "$W/rootfs.tar"

RUNTIMES=(kura crun runc)
declare -A RTPATH=([kura]=$KURA [crun]=$CRUN_RT [runc]=$RUNC)
declare -A SAMPLES=() FAILS=()

# One timed run; prints its wall time in ms (3 decimals).
one_run()
{
	local rt=$1 t0 t1 out
	t0=${EPOCHREALTIME/./}
	out=$(podman --runtime "${RTPATH[$rt]}" run --rm --pull never --cgroup-parent "$CGPARENT" \
		"$IMG" true 2>&1 </dev/null)
	local st=$?
	t1=${EPOCHREALTIME/./}
	if [ "$st" != 0 ]; then
		log "$rt: podman run exited $st: $(tail -2 <<<"$out" | tr '\n' ' ')"
		return 1
	fi
	printf '%d.%03d\n' $(((t1 - t0) / 1000)) $(((t1 - t0) % 1000))
}

# ---- sanity: every runtime works under podman at all ----
for rt in "${RUNTIMES[@]}"; do
	one_run "$rt" >/dev/null || { log "$rt does not run under podman here"; rc=1; exit; }
done
: >"$W/crun-calls"

log "$N runs per runtime (+$WARM warm-up rounds), interleaved; kura: $KURA"
total=$((WARM + N))
for ((r = 0; r < total; r++)); do
	for ((k = 0; k < ${#RUNTIMES[@]}; k++)); do
		rt=${RUNTIMES[$(((r + k) % ${#RUNTIMES[@]}))]}
		if ms=$(one_run "$rt"); then
			[ "$r" -ge "$WARM" ] && SAMPLES[$rt]+="$ms "
		else
			FAILS[$rt]=$((${FAILS[$rt]:-0} + 1))
			rc=1
		fi
	done
done
crun_calls=$(wc -l <"$W/crun-calls")

# ---- the wrapper's own cost ----
wrap_ms=0
if [ "$CRUN_RT" != "$CRUN" ]; then
	w=() c=()
	for ((i = 0; i < 20; i++)); do
		t0=${EPOCHREALTIME/./}; "$CRUN_RT" --version >/dev/null; t1=${EPOCHREALTIME/./}
		w+=($((t1 - t0)))
		t0=${EPOCHREALTIME/./}; "$CRUN" --version >/dev/null; t1=${EPOCHREALTIME/./}
		c+=($((t1 - t0)))
	done
	wmed=$(printf '%s\n' "${w[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
	cmed=$(printf '%s\n' "${c[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
	per_run=$(awk -v n="$crun_calls" -v runs="$total" 'BEGIN {printf "%.1f", n / runs}')
	wrap_ms=$(awk -v w="$wmed" -v c="$cmed" -v k="$per_run" 'BEGIN {printf "%.2f", (w - c) * k / 1000}')
fi

# ---- statistics ----
stats()
{
	tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1}
		END {
			if (NR == 0) { print "0 0 0 0 0 0"; exit }
			med = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2
			p10 = a[int((NR-1)*0.1)+1]; p90 = a[int((NR-1)*0.9+0.5)+1]
			printf "%.1f %.1f %.1f %.1f %.1f %d\n", med, p10, p90, a[1], a[NR], NR
		}'
}

mkdir -p "$OUT"
declare -A MED=()
{
	echo "# bench/podman.sh $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# podman $(podman --version | awk '{print $3}'), conmon $(conmon --version | awk 'NR==1 {print $3}'), crun $($CRUN --version | awk 'NR==1 {print $3}'), runc $($RUNC --version | awk 'NR==1 {print $3}')"
	echo "# kura $KURA (built $(date -u -r "$KURA" '+%Y-%m-%d %H:%M UTC'), git $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'))"
	echo "# $CRUN_NOTE"
	echo "# wall ms of \`podman run --rm IMG true\`, $N runs each after $WARM warm-up rounds, interleaved"
	printf '%-6s %9s %9s %9s %9s %9s %5s %5s\n' runtime median p10 p90 min max n fails
	for rt in "${RUNTIMES[@]}"; do
		read -r med p10 p90 mn mx n <<<"$(stats <<<"${SAMPLES[$rt]:-}")"
		MED[$rt]=$med
		printf '%-6s %9s %9s %9s %9s %9s %5s %5s\n' "$rt" "$med" "$p10" "$p90" "$mn" "$mx" "$n" "${FAILS[$rt]:-0}"
	done
	awk -v k="${MED[kura]}" -v c="${MED[crun]}" -v r="${MED[runc]}" 'BEGIN {
		printf "kura/crun %.2f   kura/runc %.2f   crun/runc %.2f  (medians)\n", k / c, k / r, c / r }'
	if [ "$CRUN_RT" != "$CRUN" ]; then
		echo "crun wrapper: $per_run calls per podman run; wrapper $((${wmed%.*} / 1000)).$(printf '%03d' $((${wmed%.*} % 1000))) ms vs crun $((${cmed%.*} / 1000)).$(printf '%03d' $((${cmed%.*} % 1000))) ms for --version: ~$wrap_ms ms of crun's median is the wrapper"
		awk -v k="${MED[kura]}" -v c="${MED[crun]}" -v w="$wrap_ms" 'BEGIN {
			printf "kura/crun with the wrapper cost taken out of crun: %.2f\n", k / (c - w) }'
	fi
} | tee "$OUT/podman.txt"
for rt in "${RUNTIMES[@]}"; do
	read -r med p10 p90 mn mx n <<<"$(stats <<<"${SAMPLES[$rt]:-}")"
	jq -nc --arg rt "$rt" --argjson med "$med" --argjson p10 "$p10" --argjson p90 "$p90" \
		--argjson min "$mn" --argjson max "$mx" --argjson n "$n" --argjson fails "${FAILS[$rt]:-0}" \
		--argjson wrap "$([ "$rt" = crun ] && echo "$wrap_ms" || echo 0)" \
		'{bench: "podman-run-rm-true", runtime: $rt, unit: "ms", median: $med, p10: $p10,
		  p90: $p90, min: $min, max: $max, n: $n, fails: $fails, wrapper_ms: $wrap}'
done >"$OUT/podman.jsonl"
log "results in $OUT/podman.txt, $OUT/podman.jsonl"
