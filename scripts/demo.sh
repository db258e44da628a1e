#!/bin/bash
# kura's main job: isolated, limited tenants on one kernel.
#
# Two busybox tenants run side by side, each with its own hostname, pid 1,
# mounts and network namespace, each on a root kura builds (a sparse root
# that inherits the host's /usr read-only, and an overlay over a shared
# read-only lower), each held to its own memory, pids and CPU limits.  The
# demo shows what each tenant sees, then has one tenant exceed its memory
# cap (it is OOM-killed inside its tenant while its neighbour runs on) and
# start a fork bomb (stopped at pids.max), and prints kura's own view:
# `list`, `ps` and `events --stats`.  Everything is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
export KURA=$PWD/build/kura KURA_BUILD_DIR=$PWD/build
export MKBUNDLE_CGROUP_PREFIX=kura-demo-$$ # cgroups nest below our own
. tests/lib/mkbundle.sh

dir=$(mktemp -d /tmp/kura-demo.XXXXXX)
k() { "$KURA" --root "$dir/state" "$@"; }
cleanup()
{
	for id in $(k list -q 2>/dev/null); do k delete --force "$id" >/dev/null 2>&1 || true; done
	rm -rf "$dir"
}
trap cleanup EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# What a tenant prints about itself.
show='echo "hostname: $(hostname)   my pid: $$   uid: $(id -u)"
echo "processes:"; ps -o pid,comm
echo "root: $(grep " / " /proc/self/mounts | cut -d" " -f1,3,4)"
echo "network: $(ls /sys/class/net | tr "\n" " ")"
if [ -e /sys/fs/cgroup/memory.max ]; then
	echo "limits: memory.max=$(cat /sys/fs/cgroup/memory.max) pids.max=$(cat /sys/fs/cgroup/pids.max) cpu.max=$(cat /sys/fs/cgroup/cpu.max)"
else
	echo "limits: memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) pids=$(cat /sys/fs/cgroup/pids/pids.max) cpu quota/period=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)/$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) shares=$(cat /sys/fs/cgroup/cpu/cpu.shares)"
fi'

limits='.linux.resources += {"memory": {"limit": 67108864, "swap": 67108864},
	"pids": {"limit": 32}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}'

# Tenant 1: a sparse root (host /usr, /lib, /bin... read-only; private
# /etc, /var, /tmp on a 16 MiB tmpfs).  No image, no copy.
mkbundle "$dir/t1" sleep 1000 >/dev/null
rm -rf "$dir/t1/rootfs" && mkdir "$dir/t1/root"
bundle_edit "$dir/t1" '.hostname = "tenant-1" | .root = {"path": "root", "readonly": true}
	| .annotations += {"run.kura.root.type": "sparse", "run.kura.root.size": "16m"}'
bundle_edit "$dir/t1" "$limits"

# Tenant 2: an overlay over the shared busybox rootfs (read-only lower,
# private upper in kura's state dir).
lower=$(mkbundle_rootfs)
mkbundle "$dir/t2" sleep 1000 >/dev/null
rm -rf "$dir/t2/rootfs" && mkdir "$dir/t2/root"
bundle_edit "$dir/t2" '.hostname = "tenant-2" | .root = {"path": "root", "readonly": false}
	| .annotations += {"run.kura.root.type": "overlay", "run.kura.root.lower": $l}' --arg l "$lower"
bundle_edit "$dir/t2" "$limits"

say "host: $(hostname), $(nproc) CPUs, kernel $(uname -r)"
k run -d --bundle "$dir/t1" tenant-1
k run -d --bundle "$dir/t2" tenant-2
k list

for t in tenant-1 tenant-2; do
	say "$t, as it sees itself"
	k exec "$t" sh -c "$show"
done

say "tenant-2 writes a file; the shared lower and tenant-1 do not see it"
k exec tenant-2 sh -c 'echo private >/only-here && ls -l /only-here'
ls "$lower/only-here" 2>/dev/null && echo "LEAK: the write reached the lower" || echo "lower: untouched"
k exec tenant-1 sh -c 'ls /only-here 2>&1 || true; touch /usr/x 2>&1 || true'

say "tenant-1 allocates 128 MiB against its 64 MiB cap"
k exec tenant-1 sh -c 'dd if=/dev/zero of=/dev/null bs=128M count=1 2>/dev/null; echo "dd exit status: $? (137 = OOM-killed)"' || true
echo "tenant-1: $(k state tenant-1 | jq -r .status), tenant-2: $(k state tenant-2 | jq -r .status)"

say "tenant-2 starts a fork bomb against pids.max=32"
k exec tenant-2 sh -c 'n=0; while [ $n -lt 100 ]; do sleep 30 & n=$((n+1)); done' >/dev/null 2>&1 || true
echo "tenant-2 has $(k ps --format json tenant-2 | jq length) processes; the other forks were refused"
echo "tenant-1 still runs: $(k exec tenant-1 echo yes)"

say "kura events --stats (per-tenant CPU, memory, pids, OOM kills; PSI pressure too on cgroup v2)"
for t in tenant-1 tenant-2; do
	k events --stats "$t" | jq -c --arg t "$t" '{tenant: $t,
		cpu_ms: ((.data.cpu.usage.total // 0) / 1e6 | floor),
		throttled_periods: .data.cpu.throttling.throttledPeriods,
		memory_kib: ((.data.memory.usage.usage // 0) / 1024 | floor),
		memory_limit_mib: ((.data.memory.usage.limit // 0) / 1048576 | floor),
		oom_kills: .data.memory.events.oom_kill,
		pids: .data.pids.current, pids_limit: .data.pids.limit}'
done

say "delete"
k delete --force tenant-1
k delete --force tenant-2
k list
echo "host hostname: $(hostname) (unchanged)"
