/* linux.resources written to cgroup v1 files (legacy and hybrid hosts). */
#include "cg-internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"

static int write_i64(const struct cg_dir *d, const char *file, int64_t v, struct kerr *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cg_write(d, file, buf, err);
}

static int need_file(const struct cg_dir *d, const char *file, const char *field, struct kerr *err)
{
	if (cg_file_exists(d->path, file))
		return 0;
	return kerr_setx(err, ENOTSUP, "linux.resources.%s: no %s on this host (cgroup v1)", field,
	                 file);
}

int cg1_cpu(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	if (r->cpu.has_shares && write_i64(d, "cpu.shares", (int64_t)r->cpu.shares, err) < 0)
		return kerr_code(err);
	/* The period first: the kernel checks the quota against it. */
	if (r->cpu.has_period && write_i64(d, "cpu.cfs_period_us", (int64_t)r->cpu.period, err) < 0)
		return kerr_code(err);
	if (r->cpu.has_quota &&
	    write_i64(d, "cpu.cfs_quota_us", r->cpu.quota > 0 ? r->cpu.quota : -1, err) < 0)
		return kerr_code(err);
	if (r->cpu.has_burst && (need_file(d, "cpu.cfs_burst_us", "cpu.burst", err) < 0 ||
	                         write_i64(d, "cpu.cfs_burst_us", (int64_t)r->cpu.burst, err) < 0))
		return kerr_code(err);
	if (r->cpu.has_idle && (need_file(d, "cpu.idle", "cpu.idle", err) < 0 ||
	                        write_i64(d, "cpu.idle", r->cpu.idle, err) < 0))
		return kerr_code(err);
	if (r->cpu.has_rt_period &&
	    (need_file(d, "cpu.rt_period_us", "cpu.realtimePeriod", err) < 0 ||
	     write_i64(d, "cpu.rt_period_us", (int64_t)r->cpu.rt_period, err) < 0))
		return kerr_code(err);
	if (r->cpu.has_rt_runtime &&
	    (need_file(d, "cpu.rt_runtime_us", "cpu.realtimeRuntime", err) < 0 ||
	     write_i64(d, "cpu.rt_runtime_us", r->cpu.rt_runtime, err) < 0))
		return kerr_code(err);
	return 0;
}

int cg1_cpuset(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	if (r->cpu.cpus && cg_write(d, "cpuset.cpus", r->cpu.cpus, err) < 0)
		return kerr_code(err);
	if (r->cpu.mems && cg_write(d, "cpuset.mems", r->cpu.mems, err) < 0)
		return kerr_code(err);
	return 0;
}

/* memory.limit_in_bytes must stay <= memory.memsw.limit_in_bytes at every
 * step: raise memsw first when the limit grows, lower it last when the
 * limit shrinks. */
static int set_limit_and_swap(const struct cg_dir *d, const struct cgroup_resources *r,
                              struct kerr *err)
{
	bool memsw = cg_file_exists(d->path, "memory.memsw.limit_in_bytes");
	bool swap = r->memory.has_swap && memsw && r->memory.swap != 0;
	int64_t limit = r->memory.limit;

	/* Like runc: without swap accounting a swap setting is dropped;
	 * podman asks for one with every --memory. */
	if (!r->memory.has_limit)
		return swap ? write_i64(d, "memory.memsw.limit_in_bytes", r->memory.swap, err) : 0;
	if (swap && write_i64(d, "memory.memsw.limit_in_bytes", r->memory.swap, err) == 0)
		return write_i64(d, "memory.limit_in_bytes", limit, err);
	if (write_i64(d, "memory.limit_in_bytes", limit, err) < 0)
		return kerr_code(err);
	/* Unlimited memory, swap not given: memsw unlimited too. */
	if (!swap && limit == -1 && memsw)
		return write_i64(d, "memory.memsw.limit_in_bytes", -1, err);
	return swap ? write_i64(d, "memory.memsw.limit_in_bytes", r->memory.swap, err) : 0;
}

int cg1_memory(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	if (r->memory.has_limit && r->memory.check_before_update && r->memory.limit >= 0) {
		_cleanup_free_ char *cur = cg_read(d->path, "memory.usage_in_bytes", err);
		if (cur && strtoll(cur, NULL, 10) > r->memory.limit)
			return kerr_setx(
			    err, EBUSY,
			    "linux.resources.memory.limit: %lld is below the current usage "
			    "%s",
			    (long long)r->memory.limit, cur);
	}
	if (set_limit_and_swap(d, r, err) < 0)
		return kerr_code(err);
	if (r->memory.has_reservation &&
	    write_i64(d, "memory.soft_limit_in_bytes", r->memory.reservation, err) < 0)
		return kerr_code(err);
	if (r->memory.has_swappiness &&
	    write_i64(d, "memory.swappiness", (int64_t)r->memory.swappiness, err) < 0)
		return kerr_code(err);
	if (r->memory.has_disable_oom_killer &&
	    write_i64(d, "memory.oom_control", r->memory.disable_oom_killer ? 1 : 0, err) < 0)
		return kerr_code(err);
	return 0;
}

int cg1_pids(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	char buf[32];

	cgroup_format_limit(r->pids.limit, buf, sizeof(buf));
	return cg_write(d, "pids.max", buf, err);
}

static int write_dev_lines(const struct cg_dir *d, const char *file,
                           const struct cgroup_dev_values *v, const char *field, struct kerr *err)
{
	if (v->n && need_file(d, file, field, err) < 0)
		return kerr_code(err);
	for (size_t i = 0; i < v->n; i++) {
		char line[96];

		snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, v->v[i].major,
		         v->v[i].minor, v->v[i].value);
		if (cg_write(d, file, line, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

int cg1_blkio(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	/* CFQ's blkio.weight, or BFQ's blkio.bfq.weight: the same scale. */
	const char *wfile =
	    cg_file_exists(d->path, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";

	if (r->blkio.has_weight && (need_file(d, wfile, "blockIO.weight", err) < 0 ||
	                            write_i64(d, wfile, (int64_t)r->blkio.weight, err) < 0))
		return kerr_code(err);
	if (r->blkio.has_leaf_weight &&
	    (need_file(d, "blkio.leaf_weight", "blockIO.leafWeight", err) < 0 ||
	     write_i64(d, "blkio.leaf_weight", (int64_t)r->blkio.leaf_weight, err) < 0))
		return kerr_code(err);
	for (size_t i = 0; i < r->blkio.weight_device.n; i++) {
		const struct cgroup_dev_value *v = &r->blkio.weight_device.v[i];
		_cleanup_free_ char *file = xasprintf("%s_device", wfile);
		char line[64];

		if (!v->has_weight)
			continue;
		if (need_file(d, file, "blockIO.weightDevice", err) < 0)
			return kerr_code(err);
		snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, v->major, v->minor,
		         v->value);
		if (cg_write(d, file, line, err) < 0)
			return kerr_code(err);
	}
	if (write_dev_lines(d, "blkio.throttle.read_bps_device", &r->blkio.read_bps,
	                    "blockIO.throttleReadBpsDevice", err) < 0 ||
	    write_dev_lines(d, "blkio.throttle.write_bps_device", &r->blkio.write_bps,
	                    "blockIO.throttleWriteBpsDevice", err) < 0 ||
	    write_dev_lines(d, "blkio.throttle.read_iops_device", &r->blkio.read_iops,
	                    "blockIO.throttleReadIOPSDevice", err) < 0 ||
	    write_dev_lines(d, "blkio.throttle.write_iops_device", &r->blkio.write_iops,
	                    "blockIO.throttleWriteIOPSDevice", err) < 0)
		return kerr_code(err);
	return 0;
}

int cg1_hugetlb(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	for (size_t i = 0; i < r->n_hugetlb; i++) {
		_cleanup_free_ char *file =
		    xasprintf("hugetlb.%s.limit_in_bytes", r->hugetlb[i].key);

		if (need_file(d, file, "hugepageLimits", err) < 0 ||
		    cg_write(d, file, r->hugetlb[i].value, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

static void format_rule(const struct cgroup_device_rule *rule, char *buf, size_t len)
{
	char major[24] = "*", minor[24] = "*", access[4];
	size_t n = 0;

	if (rule->type == 'a') {
		snprintf(buf, len, "a");
		return;
	}
	if (rule->major >= 0)
		snprintf(major, sizeof(major), "%" PRId64, rule->major);
	if (rule->minor >= 0)
		snprintf(minor, sizeof(minor), "%" PRId64, rule->minor);
	if (rule->access & CGROUP_DEV_READ)
		access[n++] = 'r';
	if (rule->access & CGROUP_DEV_WRITE)
		access[n++] = 'w';
	if (rule->access & CGROUP_DEV_MKNOD)
		access[n++] = 'm';
	access[n] = '\0';
	snprintf(buf, len, "%c %s:%s %s", rule->type, major, minor, access);
}

/* Deny everything, then replay the rules in order: the v1 whitelist
 * ends where the OCI list, read top to bottom, says it should. */
int cg1_devices(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	if (cg_write(d, "devices.deny", "a", err) < 0)
		return kerr_code(err);
	for (size_t i = 0; i < r->n_devices; i++) {
		char line[80];

		format_rule(&r->devices[i], line, sizeof(line));
		if (cg_write(d, r->devices[i].allow ? "devices.allow" : "devices.deny", line, err) <
		    0)
			return kerr_code(err);
	}
	return 0;
}

int cg1_network(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err)
{
	const struct cg_dir *d;

	if (r->network.has_class_id) {
		if (!(d = cg_dir_for(cg, "net_cls")) || d->v2)
			return kerr_setx(
			    err, ENOTSUP,
			    "linux.resources.network.classID: no net_cls controller on this "
			    "host");
		if (write_i64(d, "net_cls.classid", r->network.class_id, err) < 0)
			return kerr_code(err);
	}
	if (r->network.n_priorities) {
		if (!(d = cg_dir_for(cg, "net_prio")) || d->v2)
			return kerr_setx(
			    err, ENOTSUP,
			    "linux.resources.network.priorities: no net_prio controller on "
			    "this host");
		for (size_t i = 0; i < r->network.n_priorities; i++) {
			_cleanup_free_ char *line = xasprintf("%s %s", r->network.priorities[i].key,
			                                      r->network.priorities[i].value);
			if (cg_write(d, "net_prio.ifpriomap", line, err) < 0)
				return kerr_code(err);
		}
	}
	return 0;
}
