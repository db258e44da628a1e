#!/bin/sh
# tests/vm/init.sh: /init of the cgroup v2 guest's initramfs (busybox sh).
# Loads virtio/9p/overlay, builds the new root (the host's / read-only over
# 9p with a tmpfs overlay on top, the project's shares, a pure cgroup2
# hierarchy) and switch_roots into tests/vm/guest.sh (stage 2).
export PATH=/bin
/bin/busybox --install -s /bin

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

fatal()
{
	echo "init: FATAL: $*" >/dev/ttyS0
	[ -e /dev/hvc1 ] && echo "init: FATAL: $*" >/dev/hvc1
	poweroff -f
}

while read -r m; do
	[ -e "/mods/$m.ko" ] && insmod "/mods/$m.ko" 2>/dev/ttyS0
done </mods/order

# Wait for the consoles (virtio_console probes asynchronously).
i=0
while [ ! -e /dev/hvc1 ] && [ $i -lt 200 ]; do
	usleep 10000
	i=$((i + 1))
done
exec >/dev/hvc1 2>&1
stty -F /dev/hvc0 raw -echo 2>/dev/null
stty -F /dev/hvc1 raw -echo 2>/dev/null

O9P=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o $O9P,cache=mmap ctl /ctl || fatal "cannot mount the control share"
. /ctl/vm.env

mount -t 9p -o $O9P,ro,cache=loose hostroot /lower || fatal "cannot mount hostroot"
mount -t tmpfs -o mode=0755 tmpfs /upper || fatal "tmpfs"
mkdir -p /upper/u /upper/w
mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w overlay /newroot ||
	fatal "cannot mount the root overlay"

R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 shm $R/dev/shm
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 $R/sys/fs/cgroup ||
	fatal "cannot mount cgroup2"
mount -t tmpfs -o mode=0755 run $R/run
mount -t tmpfs -o mode=1777 tmp $R/tmp
mount -t tmpfs -o mode=1777 vartmp $R/var/tmp
mkdir -p $R/run/vmctl "$R/lib/modules/$KVER" "$R$KURA_SOURCE_DIR" "$R$KURA_BUILD_DIR"
mount -t 9p -o $O9P,cache=mmap src "$R$KURA_SOURCE_DIR" || fatal "cannot mount the source share"
mount -t 9p -o $O9P,cache=mmap build "$R$KURA_BUILD_DIR" || fatal "cannot mount the build share"
mount --bind "$R$MODDIR" "$R/lib/modules/$KVER" || fatal "cannot bind the modules"
mount --move /ctl $R/run/vmctl || fatal "cannot move the control share"

cut -d' ' -f1 /proc/uptime >$R/run/vmctl/boot_s
exec switch_root $R /bin/bash "$STAGE2"
