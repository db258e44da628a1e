#!/bin/bash
# tests/vm/run.sh: the cgroup v2 suite (tests/vm/suite/*.sh).
#
# On a pure cgroup v2 host (cgroup2 at /sys/fs/cgroup with cpu, memory, io
# and pids available) the suite runs directly.  Anywhere else (like the
# hybrid hosts of this project) it boots a small QEMU guest: Debian's 6.1
# kernel, fetched with `apt-get download` and cached under
# $KURA_BUILD_DIR/vm-cache, a busybox initramfs, and the host's own
# userland shared read-only over 9p (see /work/shared/TESTING.md).
#
# Environment:
#   KURA                the kura binary (default $KURA_BUILD_DIR/kura)
#   KURA_SOURCE_DIR     the source tree (default: this file's ../..)
#   KURA_BUILD_DIR      the build tree (default: $(dirname $KURA))
#   RUNTIME_UNDER_TEST  run the suite against this binary instead of kura
#                       (e.g. /usr/bin/crun or /usr/sbin/runc)
#   VM_TESTS            space-separated test names (suite/NAME.sh) to run;
#                       default: all
#   VM_TIMEOUT          seconds before the guest is killed (default 900)
#   VM_FORCE=1          use the VM even on a pure v2 host
#   VM_KEEP=1           keep the per-run control directory
#   VM_JOB='CMD'        debugging: run this shell command in the guest
#                       instead of the suite
#
# stdout: TAP-like lines from the suite, ending with "N passed, N failed".
# Exit status: 0 when everything passed, 1 otherwise.

set -u -o pipefail

KURA_SOURCE_DIR=${KURA_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
if [ -z "${KURA:-}" ]; then
	KURA=${KURA_BUILD_DIR:-$KURA_SOURCE_DIR/build}/kura
fi
KURA_BUILD_DIR=${KURA_BUILD_DIR:-$(cd "$(dirname "$KURA")" && pwd)}
RUNTIME_UNDER_TEST=${RUNTIME_UNDER_TEST:-$KURA}
VM_TESTS=${VM_TESTS:-}
VM_TIMEOUT=${VM_TIMEOUT:-900}
export KURA KURA_SOURCE_DIR KURA_BUILD_DIR RUNTIME_UNDER_TEST VM_TESTS

VMDIR=$KURA_SOURCE_DIR/tests/vm
CACHE=$KURA_BUILD_DIR/vm-cache

say() { echo "# vm: $*"; }
die()
{
	echo "# vm: ERROR: $*"
	echo "0 passed, 1 failed"
	exit 1
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
T_START=$(now_ms)

# ------------------------------------------------------- pure v2 host?
pure_v2_host()
{
	local c
	[ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] || return 1
	for c in cpu memory io pids; do
		grep -qw "$c" /sys/fs/cgroup/cgroup.controllers 2>/dev/null || return 1
	done
}

[ "$(id -u)" = 0 ] || die "needs root"
[ -x "$RUNTIME_UNDER_TEST" ] || die "no runtime binary at $RUNTIME_UNDER_TEST (build kura, or set KURA= / RUNTIME_UNDER_TEST=)"

if [ "${VM_FORCE:-0}" != 1 ] && pure_v2_host; then
	own=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
	if [ "$own" = / ] || [ -n "${KURA_VM_SCOPE:-}" ]; then
		say "pure cgroup v2 host: running the suite directly"
		exec bash "$VMDIR/runner.sh"
	fi
	# Our cgroup holds processes (no internal processes: no controllers
	# below it): run in a transient scope that systemd delegates to us;
	# runner.sh moves itself into a leaf of it.
	command -v systemd-run >/dev/null ||
		die "pure v2 host, but cgroup $own holds processes and there is no systemd-run: run from the root cgroup, or set VM_FORCE=1"
	say "pure cgroup v2 host: running the suite directly, in a delegated scope"
	exec systemd-run --scope --quiet -p Delegate=yes --unit "kura-vmtest-$$" \
		env KURA_VM_SCOPE=1 bash "$VMDIR/runner.sh"
fi

# ------------------------------------------------------------ the guest
for tool in qemu-system-x86_64 busybox timeout apt-get dpkg-deb xz; do
	command -v $tool >/dev/null || die "$tool is not installed (scripts/setup.sh installs qemu-system-x86, busybox-static)"
done
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -x cpio >/dev/null ||
	die "/bin/busybox (busybox-static) with cpio is needed"

mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 8>"$CACHE/.lock"
flock 8 || die "cannot lock $CACHE"

# The kernel: the newest linux-image-6.1.0-*-amd64 that apt offers, unless
# one is cached already (then no apt at all: a second run is offline).
kernel_fetch()
{
	local pkg kver dl
	KDIR=$(ls -d "$CACHE"/kernel-6.1.0-*-amd64 2>/dev/null | sort -V | tail -1)
	if [ -n "$KDIR" ] && [ -e "$KDIR/.done" ]; then
		KVER=${KDIR##*/kernel-}
		return 0
	fi
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-6\.1\.0-[0-9]+-amd64$/ {print $2; exit}')
	[ -n "$pkg" ] || pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
		awk '{print $1}' | sort -V | tail -1)
	[ -n "$pkg" ] || die "apt offers no linux-image-6.1.0-*-amd64 (apt-get update?)"
	kver=${pkg#linux-image-}
	KDIR=$CACHE/kernel-$kver
	KVER=$kver
	say "fetching $pkg"
	rm -rf "$KDIR" && mkdir -p "$KDIR/dl" || die "mkdir $KDIR"
	dl=$KDIR/dl
	(cd "$dl" && apt-get download "$pkg" >/dev/null 2>"$dl/apt.err") ||
		{ cat "$dl/apt.err"; die "apt-get download $pkg failed"; }
	dpkg-deb -x "$dl"/*.deb "$KDIR/pkg" || die "dpkg-deb -x failed"
	rm -rf "$dl"

	# vmlinux out of vmlinuz: find the payload's magic, decompress.
	local vz=$KDIR/pkg/boot/vmlinuz-$kver off
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vz" | head -1 | cut -d: -f1)
	if [ -n "$off" ]; then
		tail -c +$((off + 1)) "$vz" | xz -dc >"$KDIR/vmlinux" 2>/dev/null
	else
		off=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$vz" | head -1 | cut -d: -f1)
		[ -n "$off" ] || die "no xz or zstd payload in $vz"
		tail -c +$((off + 1)) "$vz" | zstd -dcq >"$KDIR/vmlinux" 2>/dev/null
	fi
	[ "$(head -c 4 "$KDIR/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		die "could not extract an ELF vmlinux from $vz"

	# Plain .ko modules for busybox insmod/modprobe.
	local mdir=$KDIR/pkg/lib/modules/$kver
	find "$mdir" -name '*.ko.xz' -print0 | xargs -0 -r -P2 -n 64 xz -d
	find "$mdir" -name '*.ko.zst' -print0 | xargs -0 -r -P2 -n 64 zstd -dq --rm
	busybox depmod -b "$KDIR/pkg" "$kver" || die "busybox depmod failed"
	touch "$KDIR/.done"
}

INIT_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
virtio_console netfs fscache 9pnet 9pnet_virtio 9p overlay virtio_blk"

# The initramfs: busybox, /init and the modules needed to reach 9p.
initramfs_build()
{
	local key m f tmp
	key=$(cat /bin/busybox "$VMDIR/init.sh" | cksum | cut -d' ' -f1)
	INITRD=$KDIR/initrd-$key.cpio
	[ -e "$INITRD" ] && return 0
	rm -f "$KDIR"/initrd-*.cpio
	tmp=$KDIR/initramfs.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"/{bin,mods,proc,sys,dev,newroot,lower,upper,ctl} || die "mkdir $tmp"
	cp /bin/busybox "$tmp/bin/busybox" || die "cp busybox"
	ln -s busybox "$tmp/bin/sh"
	cp "$VMDIR/init.sh" "$tmp/init" && chmod 0755 "$tmp/init"
	for m in $INIT_MODULES; do
		f=$(find "$KDIR/pkg/lib/modules/$KVER" -name "$m.ko" | head -1)
		[ -n "$f" ] || { say "module $m not found (built in?)"; continue; }
		cp "$f" "$tmp/mods/"
	done
	echo "$INIT_MODULES" | tr ' ' '\n' | sed '/^$/d' >"$tmp/mods/order"
	(cd "$tmp" && find . | busybox cpio -o -H newc >"$INITRD.tmp" 2>/dev/null) || die "cpio failed"
	mv "$INITRD.tmp" "$INITRD"
	rm -rf "$tmp"
}

t0=$(now_ms)
kernel_fetch
initramfs_build
exec 8>&-
say "kernel $KVER ready in $(($(now_ms) - t0)) ms (cache: $CACHE)"

# ------------------------------------------------- control dir and job
CTL=$(mktemp -d "$KURA_BUILD_DIR/vm-run.XXXXXX") || die "mktemp failed"
QPID=
cleanup()
{
	# QPID is timeout(1), which passes TERM on to qemu.
	if [ -n "$QPID" ] && kill -TERM "$QPID" 2>/dev/null; then
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$QPID" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$QPID" 2>/dev/null
		wait "$QPID" 2>/dev/null
	fi
	if [ "${VM_KEEP:-0}" = 1 ]; then
		echo "# vm: kept $CTL"
	else
		rm -rf "$CTL"
	fi
}
trap cleanup EXIT
trap 'say "interrupted"; echo "0 passed, 1 failed"; exit 130' INT
trap 'say "terminated"; echo "0 passed, 1 failed"; exit 143' TERM
# A small raw disk for the io.max test (sparse; reads come from the host),
# one per run: qemu locks it, and runs may overlap.
DISK=$CTL/disk.img
truncate -s 256M "$DISK" || die "cannot create $DISK"

# vm.env is read by /init (busybox sh) and by guest.sh: plain assignments.
{
	echo "KVER=$KVER"
	echo "MODDIR=$KDIR/pkg/lib/modules/$KVER"
	echo "KURA_SOURCE_DIR=$KURA_SOURCE_DIR"
	echo "KURA_BUILD_DIR=$KURA_BUILD_DIR"
	echo "STAGE2=$VMDIR/guest.sh"
} >"$CTL/vm.env"
{
	echo "#!/bin/bash"
	printf 'export KURA=%q KURA_SOURCE_DIR=%q KURA_BUILD_DIR=%q RUNTIME_UNDER_TEST=%q VM_TESTS=%q\n' \
		"$KURA" "$KURA_SOURCE_DIR" "$KURA_BUILD_DIR" "$RUNTIME_UNDER_TEST" "$VM_TESTS"
	if [ -n "${VM_JOB:-}" ]; then
		# Debugging: run this shell command instead of the suite.
		echo "$VM_JOB"
	else
		printf 'exec bash %q\n' "$VMDIR/runner.sh"
	fi
} >"$CTL/job.sh"

# -smp 2 only when a test needs a second CPU; the cpu.weight tests of
# suite/cpu.sh pin both containers to CPU 0, so one vCPU is enough.
SMP=${VM_SMP:-1}

# shellcheck disable=SC2054 # commas are qemu syntax
QEMU=(qemu-system-x86_64 -accel tcg,thread=multi -M q35 -cpu max -smp "$SMP" -m 2048
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$KDIR/vmlinux" -initrd "$INITRD"
	-append "console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off rdinit=/init"
	-serial "file:$CTL/serial.log"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$KURA_SOURCE_DIR,mount_tag=src,security_model=none,multidevs=remap"
	-virtfs "local,path=$KURA_BUILD_DIR,mount_tag=build,security_model=none,multidevs=remap"
	-virtfs "local,path=$CTL,mount_tag=ctl,security_model=none,multidevs=remap"
	-device virtio-serial-pci
	-chardev stdio,id=out,signal=off -device virtconsole,chardev=out
	-chardev "file,id=err,path=$CTL/console.log" -device virtconsole,chardev=err
	-drive "file=$DISK,if=virtio,format=raw,cache=none,aio=threads"
)

say "booting ($RUNTIME_UNDER_TEST, -smp $SMP, timeout ${VM_TIMEOUT}s)"
t0=$(now_ms)
# stdout of the guest's job comes through the first console; filter the
# suite's summary so ours is the last line.
timeout -k 10 "$VM_TIMEOUT" "${QEMU[@]}" </dev/null >"$CTL/stdout" 2>"$CTL/qemu.err" &
QPID=$!
# In the background, so that a TERM (ctest's timeout) interrupts `wait`
# and the EXIT trap stops qemu.
tail -n +1 -f --pid=$QPID "$CTL/stdout" 2>/dev/null | sed -u 's/\r$//' &
TPID=$!
wait $QPID
QRC=$?
wait $TPID
QPID=
T_VM=$(($(now_ms) - t0))

RC=$(cat "$CTL/rc" 2>/dev/null)
BOOT=$(cat "$CTL/boot_ms" 2>/dev/null)

# The last line on stdout: the runner's summary, made to agree with the
# exit status we return.
summary()
{
	local line p f
	line=$(tr -d '\r' <"$CTL/stdout" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
	p=0 f=0
	[ -z "$line" ] || read -r p _ f _ <<<"$line"
	[ "$1" = 0 ] || [ "$f" != 0 ] || f=1
	echo "$p passed, $f failed"
}

say "guest ran ${T_VM} ms (boot to job: ${BOOT:-?} ms), qemu exit $QRC, job exit ${RC:-none}; total $(($(now_ms) - T_START)) ms"
if [ -z "$RC" ]; then
	[ "$QRC" = 124 ] && say "guest killed after ${VM_TIMEOUT}s"
	say "no exit code came back from the guest; qemu stderr, guest console and kernel log follow"
	sed 's/^/#   qemu: /' "$CTL/qemu.err" | tail -20
	sed 's/^/#   console: /' "$CTL/console.log" 2>/dev/null | tail -40
	sed 's/^/#   kernel: /' "$CTL/serial.log" 2>/dev/null | tail -40
	summary 1
	exit 1
fi
if [ "$RC" != 0 ] && [ -s "$CTL/console.log" ]; then
	say "guest console (stderr of init and job):"
	sed 's/^/#   /' "$CTL/console.log" | tail -40
fi
summary "$RC"
[ "$RC" = 0 ] && exit 0
exit 1
