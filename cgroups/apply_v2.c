/* linux.resources written to cgroup v2 files. */
#include "cg-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"

static int write_u64(const struct cg_dir *d, const char *file, uint64_t v, struct kerr *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return cg_write(d, file, buf, err);
}

static int write_limit(const struct cg_dir *d, const char *file, int64_t v, struct kerr *err)
{
	char buf[32];

	cgroup_format_limit(v, buf, sizeof(buf));
	return cg_write(d, file, buf, err);
}

int cg2_cpu(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	if (r->cpu.has_rt_runtime || r->cpu.has_rt_period)
		return kerr_setx(
		    err, ENOTSUP,
		    "linux.resources.cpu.realtimeRuntime/realtimePeriod: not supported "
		    "on cgroup v2");
	if (r->cpu.has_shares &&
	    write_u64(d, "cpu.weight", cgroup_shares_to_weight(r->cpu.shares), err) < 0)
		return kerr_code(err);
	if (r->cpu.has_quota || r->cpu.has_period) {
		/* cpu.max is "QUOTA PERIOD": what is not given is kept. */
		_cleanup_free_ char *cur = cg_read(d->path, "cpu.max", err);
		char quota[32] = "max", line[64];
		uint64_t period = 100000;

		if (!cur)
			return kerr_code(err);
		if (sscanf(cur, "%31s %" SCNu64, quota, &period) < 1)
			return kerr_setx(err, EINVAL, "`%s/cpu.max`: cannot parse \"%s\"", d->path,
			                 cur);
		if (r->cpu.has_quota)
			cgroup_format_limit(r->cpu.quota, quota, sizeof(quota));
		if (r->cpu.has_period)
			period = r->cpu.period;
		snprintf(line, sizeof(line), "%s %" PRIu64, quota, period);
		if (cg_write(d, "cpu.max", line, err) < 0)
			return kerr_code(err);
	}
	if (r->cpu.has_burst && write_u64(d, "cpu.max.burst", r->cpu.burst, err) < 0)
		return kerr_code(err);
	if (r->cpu.has_idle && write_u64(d, "cpu.idle", (uint64_t)r->cpu.idle, err) < 0)
		return kerr_code(err);
	return 0;
}

int cg2_cpuset(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	if (r->cpu.cpus && cg_write(d, "cpuset.cpus", r->cpu.cpus, err) < 0)
		return kerr_code(err);
	if (r->cpu.mems && cg_write(d, "cpuset.mems", r->cpu.mems, err) < 0)
		return kerr_code(err);
	return 0;
}

static int check_usage(const struct cg_dir *d, const char *file, int64_t limit, struct kerr *err)
{
	_cleanup_free_ char *cur = NULL;
	struct kerr ignored;

	if (limit < 0 || !(cur = cg_read(d->path, file, &ignored)))
		return 0;
	if (strtoll(cur, NULL, 10) > limit)
		return kerr_setx(err, EBUSY,
		                 "linux.resources.memory.limit: %lld is below the current usage %s",
		                 (long long)limit, cur);
	return 0;
}

int cg2_memory(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	int64_t swap = 0;
	bool swap_set = false;

	if (r->memory.has_swappiness)
		return kerr_setx(err, ENOTSUP,
		                 "linux.resources.memory.swappiness: not supported on cgroup v2");
	if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer)
		return kerr_setx(
		    err, ENOTSUP,
		    "linux.resources.memory.disableOOMKiller: cgroup v2 cannot disable "
		    "the OOM killer");
	if (r->memory.has_swap && cgroup_swap_to_v2(r->memory.swap, r->memory.limit,
	                                            r->memory.has_limit, &swap, &swap_set, err) < 0)
		return kerr_wrap(err, "linux.resources");
	if (r->memory.has_limit && r->memory.check_before_update &&
	    check_usage(d, "memory.current", r->memory.limit, err) < 0)
		return kerr_code(err);
	if (swap_set) {
		if (!cg_file_exists(d->path, "memory.swap.max")) {
			/* No swap accounting (swapaccount=0, or no swap): only
			 * "unlimited" can be honoured. */
			if (swap != -1)
				return kerr_setx(
				    err, ENOTSUP,
				    "linux.resources.memory.swap: this kernel has no swap "
				    "accounting");
		} else if (write_limit(d, "memory.swap.max", swap, err) < 0) {
			return kerr_code(err);
		}
	}
	if (r->memory.has_limit && write_limit(d, "memory.max", r->memory.limit, err) < 0)
		return kerr_code(err);
	if (r->memory.has_reservation &&
	    write_limit(d, "memory.low", r->memory.reservation, err) < 0)
		return kerr_code(err);
	return 0;
}

int cg2_pids(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	return write_limit(d, "pids.max", r->pids.limit, err);
}

static int write_dev_lines(const struct cg_dir *d, const char *file,
                           const struct cgroup_dev_values *v, const char *key, struct kerr *err)
{
	for (size_t i = 0; i < v->n; i++) {
		char line[96];

		snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, v->v[i].major,
		         v->v[i].minor, key, v->v[i].value);
		if (cg_write(d, file, line, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

int cg2_io(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	/* BFQ takes the v1 weights (1..1000) as they are; io.weight wants
	 * 1..10000. */
	bool bfq = cg_file_exists(d->path, "io.bfq.weight");
	const char *wfile = bfq ? "io.bfq.weight" : "io.weight";

	if (r->blkio.has_weight) {
		char line[48];
		uint64_t w =
		    bfq ? r->blkio.weight : cgroup_blkio_weight_to_io_weight(r->blkio.weight);

		snprintf(line, sizeof(line), "default %" PRIu64, w);
		if (!cg_file_exists(d->path, wfile))
			return kerr_setx(
			    err, ENOTSUP,
			    "linux.resources.blockIO.weight: no io.weight or io.bfq.weight "
			    "(the I/O scheduler has no weights)");
		if (cg_write(d, wfile, line, err) < 0)
			return kerr_code(err);
	}
	for (size_t i = 0; i < r->blkio.weight_device.n; i++) {
		const struct cgroup_dev_value *v = &r->blkio.weight_device.v[i];
		char line[64];

		if (!v->has_weight)
			continue;
		snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, v->major, v->minor,
		         bfq ? v->value : cgroup_blkio_weight_to_io_weight(v->value));
		if (cg_write(d, wfile, line, err) < 0)
			return kerr_code(err);
	}
	if (write_dev_lines(d, "io.max", &r->blkio.read_bps, "rbps", err) < 0 ||
	    write_dev_lines(d, "io.max", &r->blkio.write_bps, "wbps", err) < 0 ||
	    write_dev_lines(d, "io.max", &r->blkio.read_iops, "riops", err) < 0 ||
	    write_dev_lines(d, "io.max", &r->blkio.write_iops, "wiops", err) < 0)
		return kerr_code(err);
	return 0;
}

int cg2_hugetlb(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	for (size_t i = 0; i < r->n_hugetlb; i++) {
		_cleanup_free_ char *file = xasprintf("hugetlb.%s.max", r->hugetlb[i].key);

		if (!cg_file_exists(d->path, file))
			return kerr_setx(
			    err, ENOTSUP,
			    "linux.resources.hugepageLimits: page size %s is not supported "
			    "here",
			    r->hugetlb[i].key);
		if (cg_write(d, file, r->hugetlb[i].value, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

int cg2_devices(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err)
{
	_cleanup_close_ int fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return kerr_set(err, errno, "open `%s`", d->path);
	return cg_devices_bpf_attach(fd, r->devices, r->n_devices, err);
}
