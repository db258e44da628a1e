#!/bin/bash
# bench/roots.sh: file I/O inside a kura container on each tenant root type
# (dir, overlay, sparse, loop ext4/squashfs) next to the same work on the
# host, interleaved over rounds; plus what each root type adds to
# `kura create` + `delete`.  See bench/README.md ("Tenant roots: file I/O").
#
#   bash bench/roots.sh [-r ROUNDS] [-w WARMUP] [-s MIB] [-f FILES] [-b BYTES] [-n CYCLES]
#                       [-o OUTDIR] [--base DIR] [--no-squashfs] [--quick]
#
#   -r ROUNDS   measured rounds of the I/O jobs (7); each round runs every
#               environment once, the starting one rotated every round
#   -w WARMUP   warm-up rounds, dropped (1)
#   -s MIB      size of the sequential file (256)
#   -f FILES    files of the metadata job (20000)
#   -b BYTES    bytes written to each of them (0: see README; with data,
#               the host's writeback and online discard enter the numbers)
#   -n CYCLES   create+delete samples per root type (15, plus 2 warm-up)
#   -o OUTDIR   results: roots.txt (report), roots-io.tsv, roots-cycle.tsv,
#               roots-detail.log (default /tmp/kura-bench-results)
#   --base DIR  where the work dir goes: the native baseline, kura's --root
#               (overlay uppers), the dir root and the loop images, all on
#               this one filesystem (default /var/tmp; must not be tmpfs)
#   --no-squashfs  skip the squashfs and erofs images (saves mksquashfs time)
#   --no-prefault  do not touch and free memory before the allocating phases
#               (see iobench.c prefault(): free-page reporting of this VM)
#   --only ENV,...  only these environments (native-ext4, dir, overlay,
#               loop-ext4, native-tmpfs, sparse, overlay-tmpfs, loop-squashfs,
#               loop-erofs); the ratios need their native peer
#   --no-cycles skip the create+delete cycles
#   --quick     -r 1 -w 0 -s 64 -f 2000 -n 3 (smoke test, ~30 s)
#
# Environment: KURA=/path/to/kura (default <repo>/build/kura, else built
# with cmake into <repo>/build-bench).  Needs root.  Installs gcc,
# libc6-dev, jq, busybox-static, e2fsprogs, squashfs-tools with apt-get
# when missing.  Leaves nothing behind, also on Ctrl-C: containers
# (delete --force), state dirs, images, the tmpfs mount, loop devices
# backed by its files, cgroups named after its tag (kr<pid>-*), the work dir.
# Never drops caches and changes no sysctl.  Not part of ctest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
ROUNDS=7 WARM=1 SIZE=256 FILES=20000 SMALL=0 CYC=15 CYCWARM=2
OUT=/tmp/kura-bench-results BASE=/var/tmp SQUASH=1 PREFAULT=-P ONLY=
ARGS_ORIG="$*"
while [ $# -gt 0 ]; do
	case $1 in
	-r) ROUNDS=$2; shift ;;
	-w) WARM=$2; shift ;;
	-s) SIZE=$2; shift ;;
	-f) FILES=$2; shift ;;
	-b) SMALL=$2; shift ;;
	-n) CYC=$2; shift ;;
	-o) OUT=$2; shift ;;
	--base) BASE=$2; shift ;;
	--no-squashfs) SQUASH=0 ;;
	--no-prefault) PREFAULT= ;;
	--only) ONLY=$2; shift ;;
	--no-cycles) CYC=0 ;;
	--quick) ROUNDS=1 WARM=0 SIZE=64 FILES=2000 CYC=3 CYCWARM=1 ;;
	-h | --help) sed -n '2,38p' "$0"; exit 0 ;;
	*) echo "roots.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "roots.sh: needs root" >&2; exit 2; }

log() { echo "roots.sh: $*" >&2; }

# ---- dependencies (fresh machine) ----
need=()
command -v gcc >/dev/null || need+=(gcc)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ -n "$(find /usr/lib -name libc.a -print -quit 2>/dev/null)" ] ||
	need+=(libc6-dev)
command -v jq >/dev/null || need+=(jq)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v mkfs.ext4 >/dev/null && command -v chattr >/dev/null || need+=(e2fsprogs)
[ "$SQUASH" = 0 ] || command -v mksquashfs >/dev/null || need+=(squashfs-tools)
command -v losetup >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2 ||
		{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2; }
fi

# ---- kura ----
if [ -z "${KURA:-}" ]; then
	if [ -x "$repo/build/kura" ]; then
		KURA=$repo/build/kura
	else
		BENCH_BUILD_DIR=${BENCH_BUILD_DIR:-$repo/build-bench}
		log "building kura in $BENCH_BUILD_DIR (RelWithDebInfo)"
		cmake -S "$repo" -B "$BENCH_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
		cmake --build "$BENCH_BUILD_DIR" -j"$(nproc)" --target kura >/dev/null
		KURA=$BENCH_BUILD_DIR/kura
	fi
fi
KURA=$(readlink -f "$KURA")
[ -x "$KURA" ] || { log "no kura binary at $KURA"; exit 2; }

# ---- work dir and cleanup ----
mkdir -p "$BASE"
[ "$(stat -f -c %T "$BASE")" != tmpfs ] ||
	{ log "--base $BASE is a tmpfs: the native and overlay/loop baselines need a disk filesystem"; exit 2; }
W=$(mktemp -d "$BASE/kura-roots.XXXXXX")
TAG=kr$$
S=$W/state
BG=
cleanup()
{
	local rc=$? id m f dev
	set +e
	trap - INT TERM
	# Containers left by an interrupted run (the I/O runs and the cycles);
	# then the driver or cycle timer (a native worker dies at its next
	# phase edge, when its driver is gone).
	if [ -d "$S" ]; then
		for id in $(ls "$S" 2>/dev/null); do
			"$KURA" --root "$S" delete --force "$id" >/dev/null 2>&1 ||
				log "delete --force $id failed"
		done
	fi
	if [ -n "$BG" ]; then
		kill "$BG" 2>/dev/null
		wait "$BG" 2>/dev/null
	fi
	# Mounts under the work dir (the host tmpfs; nothing else is expected).
	awk -v w="$W" '$2 == w || index($2, w "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
	# Loop devices backed by our images (autoclear should have done it).
	for f in /sys/block/loop*/loop/backing_file; do
		[ -e "$f" ] || continue
		case "$(cat "$f" 2>/dev/null)" in
		"$W"/*)
			dev=/dev/$(basename "$(dirname "$(dirname "$f")")")
			log "detaching leftover $dev"
			losetup -d "$dev"
			;;
		esac
	done
	# Cgroups kura made for our containers (named after our tag), deepest first.
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$TAG-*" 2>/dev/null |
		sort -r | while read -r d; do
			log "removing leftover cgroup $d"
			rmdir "$d"
		done
	rm -rf "$W"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT" "$W/bin" "$S"
IO=$OUT/roots-io.tsv CY=$OUT/roots-cycle.tsv DL=$OUT/roots-detail.log TXT=$OUT/roots.txt
: >"$IO"
: >"$CY"
: >"$DL"

# ---- helper ----
gcc -O2 -Wall -static -o "$W/bin/iobench" "$here/iobench.c" -lm
IOB=$W/bin/iobench

# ---- rootfs, native dirs, tmpfs, images ----
export KURA MKBUNDLE_CACHE=$W/cache MKBUNDLE_CGROUP_PREFIX=$TAG
# shellcheck source=../tests/lib/mkbundle.sh
. "$repo/tests/lib/mkbundle.sh"
src=$(mkbundle_rootfs)
cp -a "$src" "$W/rootfs"
mkdir -p "$W/rootfs/bench" "$W/rootfs/work" "$W/rootfs/data" "$W/native" "$W/tmpfs" "$W/uppers"
# On an ext4 *without a journal* (this host's /), ext4 does not reuse an
# inode freed less than 1-6 minutes ago (fs/ext4/ialloc.c,
# recently_deleted()) and scans past every such inode of the group on each
# create, so a create costs what other users (and our previous job) just
# deleted there: 1.2-4.8 s for 20000 files, order-dependent, up to 15x.
# The TOPDIR flag makes ext4 place new subdirectories of these dirs like
# top-level dirs (Orlov: the flex group with the fewest directories), and
# the worker keeps its emptied job dir (-K), so the next job goes to
# another group: 0.43 s, stable.  The overlay's upper is therefore a kept
# run.kura.root.upper, a fresh one per round in $W/uppers (same
# filesystem, same overlay code as the private upper in the state dir,
# which kura removes on delete, freeing its group for the next job).
# Runs of this script less than ~2 minutes apart can still collide with
# the groups the previous run freed on exit.
chattr +T "$W/native" "$W/rootfs/work" "$W/uppers" "$S" 2>/dev/null ||
	log "chattr +T failed: metadata numbers will be noisy"
mount -t tmpfs -o mode=0755,nodev tmpfs "$W/tmpfs" # as kura's fsroot_tmpfs_new()

# ext4 image, fully written first (a preallocated image: the loop's host
# side then overwrites blocks, no allocation), made with mkfs.ext4's
# defaults (journal; see README for why not the host's no-journal layout).
IMG_MIB=$(( (SIZE + FILES * 8 / 1024 + 256 + 511) / 512 * 512 ))
log "making a $IMG_MIB MiB ext4 image"
dd if=/dev/zero of="$W/root.ext4" bs=1M count="$IMG_MIB" conv=fsync status=none
mkfs.ext4 -q -F -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 -d "$W/rootfs" "$W/root.ext4"
# Read-only images (squashfs, erofs) of the rootfs plus /data/big, SIZE MiB
# of random data (incompressible: mksquashfs stores its blocks as they are,
# mkfs.erofs does not compress by default), for the cold-read job.
SQFS= EROFS=
if [ "$SQUASH" = 1 ]; then
	log "making squashfs and erofs images with a $SIZE MiB file of random data"
	cp -a "$W/rootfs" "$W/rosrc"
	"$IOB" mkdata -s "$SIZE" "$W/rosrc/data/big"
	mksquashfs "$W/rosrc" "$W/root.sqfs" -noappend -quiet -no-progress >/dev/null
	SQFS=$W/root.sqfs
	if command -v mkfs.erofs >/dev/null; then
		mkfs.erofs "$W/root.erofs" "$W/rosrc" >/dev/null 2>&1 && EROFS=$W/root.erofs ||
			log "mkfs.erofs failed; no erofs root"
	fi
	rm -rf "$W/rosrc"
fi
# Written back now, not 30 s later by the flusher in the middle of a job.
sync "$W/root.ext4" ${SQFS:+"$SQFS"} ${EROFS:+"$EROFS"}

# ---- bundles ----
# root_bundle ENV TYPE ROOTJSON ANNOTATIONS-JSON ARG...
root_bundle()
{
	local env=$1 root=$2 ann=$3 b=$W/b-$1
	shift 3
	mkbundle_shared "$b" "$W/rootfs" "$@"
	bundle_edit "$b" '.root = $root | .annotations = ((.annotations // {}) + $ann)
		| .mounts += [{"destination": "/bench", "type": "bind", "source": $bin,
		               "options": ["rbind", "ro", "nosuid", "nodev"]}]' \
		--argjson root "$root" --argjson ann "$ann" --arg bin "$W/bin"
}
WORK=(/bench/iobench work -S -K ${PREFAULT:+"$PREFAULT"} -s "$SIZE" -n "$FILES" -b "$SMALL")
mkdir -p "$W/b-overlay/mnt" "$W/b-overlay-tmpfs/mnt" "$W/b-sparse/mnt" "$W/b-loop-ext4/mnt"
root_bundle dir "{\"path\": \"$W/rootfs\", \"readonly\": false}" '{}' "${WORK[@]}" /work
root_bundle overlay "{\"path\": \"$W/b-overlay/mnt\", \"readonly\": false}" \
	"$(jq -nc --arg l "$W/rootfs" '{"run.kura.root.type": "overlay", "run.kura.root.lower": $l}')" "${WORK[@]}" /work
root_bundle overlay-tmpfs "{\"path\": \"$W/b-overlay-tmpfs/mnt\", \"readonly\": false}" \
	"$(jq -nc --arg l "$W/rootfs" '{"run.kura.root.type": "overlay", "run.kura.root.lower": $l, "run.kura.root.size": "2g"}')" \
	"${WORK[@]}" /work
root_bundle sparse "{\"path\": \"$W/b-sparse/mnt\", \"readonly\": false}" '{"run.kura.root.type": "sparse"}' "${WORK[@]}" /tmp
# The worker's directory is the image's root directory: Orlov spreads it
# like the host's TOPDIR dirs.
root_bundle loop-ext4 "{\"path\": \"$W/b-loop-ext4/mnt\", \"readonly\": false}" \
	"$(jq -nc --arg i "$W/root.ext4" '{"run.kura.root.type": "loop", "run.kura.root.image": $i}')" "${WORK[@]}" /
for ro in squashfs erofs; do
	img=$SQFS
	[ $ro = squashfs ] || img=$EROFS
	[ -n "$img" ] || continue
	mkdir -p "$W/b-loop-$ro/mnt" "$W/scratch-$ro"
	root_bundle loop-$ro "{\"path\": \"$W/b-loop-$ro/mnt\", \"readonly\": true}" \
		"$(jq -nc --arg i "$img" '{"run.kura.root.type": "loop", "run.kura.root.image": $i}')" \
		/bench/iobench work -S ${PREFAULT:+"$PREFAULT" -W /tmp} -p cold -F /data/big -
	# A writable host dir on /tmp (the image's own /tmp is read-only) for
	# the page-cache part of the prefault.
	bundle_edit "$W/b-loop-$ro" '.mounts += [{"destination": "/tmp", "type": "bind", "source": $s,
		"options": ["rbind", "rw", "nosuid", "nodev"]}]' --arg s "$W/scratch-$ro"
done

ENVS=(native-ext4 dir overlay loop-ext4 native-tmpfs sparse overlay-tmpfs)
[ -z "$SQFS" ] || ENVS+=(loop-squashfs)
[ -z "$EROFS" ] || ENVS+=(loop-erofs)
if [ -n "$ONLY" ]; then
	sel=()
	for e in "${ENVS[@]}"; do
		case ",$ONLY," in *",$e,"*) sel+=("$e") ;; esac
	done
	ENVS=("${sel[@]}")
	[ ${#ENVS[@]} -gt 0 ] || { log "--only $ONLY: no such environment"; exit 2; }
fi

# run_env ENV ROUND: one job set, timed inside by the worker.  The driver
# runs in the background so that a signal reaches our trap at once.
run_env()
{
	local env=$1 round=$2 id=$TAG-$1-$2 rc cmd
	local work=("$IOB" work -S -K ${PREFAULT:+"$PREFAULT"} -s "$SIZE" -n "$FILES" -b "$SMALL")
	case $env in
	native-ext4) cmd=("${work[@]}" "$W/native") ;;
	native-tmpfs) cmd=("${work[@]}" "$W/tmpfs") ;;
	*)
		if [ "$env" = overlay ]; then
			# A random name: Orlov's placement starts at a hash of the name.
			bundle_edit "$W/b-overlay" '.annotations["run.kura.root.upper"] = $u' \
				--arg u "$(mktemp -u -p "$W/uppers" "r$round.XXXXXX")"
		fi
		cmd=("$KURA" --root "$S" run --preserve-fds 2 --bundle "$W/b-$env" "$id")
		;;
	esac
	"$IOB" drive -o "$IO" -e "$env" -r "$round" -L "$W/" -D "$DL" -T 900 -- "${cmd[@]}" </dev/null &
	BG=$!
	rc=0
	wait "$BG" || rc=$?
	BG=
	return $rc
}

header()
{
	echo "kura tenant-root I/O benchmark, $(date -u '+%F %T UTC'), $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "command: bash bench/roots.sh $ARGS_ORIG  (rounds $ROUNDS + $WARM warm-up, file $SIZE MiB, $FILES files of $SMALL B, $CYC create cycles + $CYCWARM warm-up)"
	echo "kura: $KURA ($("$KURA" --version 2>/dev/null | head -1), built $(date -u -r "$KURA" '+%F %T UTC'); checkout at git $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo ?)$([ -z "$(git -C "$repo" status --porcelain 2>/dev/null)" ] || echo ' + local changes'))"
	echo "work dir $W on $(findmnt -n -o SOURCE,FSTYPE,OPTIONS -T "$W" | tr -s ' ')"
	echo "  native-ext4 = $W/native; dir root = $W/rootfs; kura --root = $S; overlay upper = $W/uppers/ROUND (run.kura.root.upper; see README); loop image = $W/root.ext4 ($IMG_MIB MiB, mkfs.ext4 defaults, preallocated)"
	echo "  native-tmpfs = fresh host tmpfs (mode=0755,nodev, as kura's sparse/overlay-size tmpfs); sparse writes in its /tmp; overlay-tmpfs = overlay with run.kura.root.size=2g (upper on a private tmpfs)"
	[ -z "$SQFS" ] || echo "  read-only images: squashfs $(du -m "$SQFS" | cut -f1) MiB (gzip; random data, stored uncompressed)$([ -z "$EROFS" ] || echo ", erofs $(du -m "$EROFS" | cut -f1) MiB (uncompressed)")"
	echo "  prefault before allocating phases: $([ -n "$PREFAULT" ] && echo on || echo off)"
}
header | tee "$TXT"

# Our setup's dirty data and inode tables written back now: an inode
# freed with a clean inode-table block is "recent" for 60 s, with a dirty
# one for 360 s (see the TOPDIR note above; matters for runs in a row).
sync -f "$W"

# ---- I/O rounds, interleaved ----
fail=0
nenv=${#ENVS[@]}
for ((r = 0; r < WARM + ROUNDS; r++)); do
	log "round $((r + 1))/$((WARM + ROUNDS))$([ $r -lt "$WARM" ] && echo ' (warm-up)' || true), load $(cut -d' ' -f1 /proc/loadavg)"
	for ((k = 0; k < nenv; k++)); do
		env=${ENVS[$(((r + k) % nenv))]}
		run_env "$env" "$r" || { log "$env round $r failed"; fail=1; }
	done
done

# ---- create cost per root type, interleaved ----
# The overlay cycles use the default private upper (STATE/ID/overlay),
# whose removal is part of `delete`.
mkdir -p "$W/b-overlay-priv/mnt"
jq '.root.path = $m | del(.annotations["run.kura.root.upper"])' --arg m "$W/b-overlay-priv/mnt" \
	"$W/b-overlay/config.json" >"$W/b-overlay-priv/config.json"
cyc=(dir="$W/b-dir" overlay="$W/b-overlay-priv" overlay-tmpfs="$W/b-overlay-tmpfs" sparse="$W/b-sparse"
	loop-ext4="$W/b-loop-ext4=$W/root.ext4")
[ -z "$SQFS" ] || cyc+=(loop-squashfs="$W/b-loop-squashfs=$SQFS")
[ -z "$EROFS" ] || cyc+=(loop-erofs="$W/b-loop-erofs=$EROFS")
if [ "$CYC" -gt 0 ]; then
	log "create+delete cycles"
	"$IOB" cycle -o "$CY" -n "$CYC" -w "$CYCWARM" -t "$TAG" -l "$W/cycle.log" "$KURA" "$S" "${cyc[@]}" &
	BG=$!
	rc=0
	wait "$BG" || rc=$?
	BG=
	[ "$rc" = 0 ] || { log "create cycles failed: $(tail -5 "$W/cycle.log")"; fail=1; }
fi

{
	echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "loop devices seen (first phase of each loop run):"
	{ grep -E '^loop-[a-z0-9]+: /dev/loop' "$DL" || echo "(none)"; } | sort -u -t: -k1,1 | sed 's/^/  /'
	echo
	"$IOB" report -w "$WARM" "$IO" "$CY"
} | tee -a "$TXT"
log "results in $OUT (roots.txt, roots-io.tsv, roots-cycle.tsv, roots-detail.log)"
exit $fail
