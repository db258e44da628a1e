#!/bin/bash
# tests/vm/guest.sh: stage 2 of the cgroup v2 guest, PID 1 after
# switch_root (see init.sh).  Finishes the setup, runs the job script of the
# control share with stdout on the first console, writes its exit code to
# the control share and powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
CTL=/run/vmctl
# shellcheck disable=SC1091
. $CTL/vm.env
exec </dev/null >/dev/hvc1 2>&1

# Modules on demand (overlay, loop, ext4, veth, ...) through busybox.
printf '#!/bin/sh\nexec /bin/busybox modprobe "$@"\n' >/run/modprobe
chmod 0755 /run/modprobe
echo /run/modprobe >/proc/sys/kernel/modprobe
mknod -m 0666 /dev/fuse c 10 229 2>/dev/null
mknod -m 0660 /dev/loop-control c 10 237 2>/dev/null
for i in 0 1 2 3 4 5 6 7; do mknod -m 0660 /dev/loop$i b 7 $i 2>/dev/null; done
mkdir -p /dev/net && mknod -m 0666 /dev/net/tun c 10 200 2>/dev/null
ln -sf /proc/self/fd /dev/fd 2>/dev/null
hostname kura-vm

echo "+cpuset +cpu +io +memory +pids" >/sys/fs/cgroup/cgroup.subtree_control ||
	echo "guest: cannot enable the controllers"

boot=$(cut -d' ' -f1 /proc/uptime)
echo "$boot" >$CTL/boot_s
awk -v b="$boot" 'BEGIN {printf "%d\n", b * 1000}' >$CTL/boot_ms

bash $CTL/job.sh >/dev/hvc0 2>&1
rc=$?
echo "$rc" >$CTL/rc.tmp && mv $CTL/rc.tmp $CTL/rc
sync
/bin/busybox poweroff -f
echo o >/proc/sysrq-trigger
sleep 10
