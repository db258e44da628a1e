/* Applying linux.resources: each controller's settings go to the
 * hierarchy that holds that controller, in its dialect. */
#include "cg-internal.h"

#include <errno.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"

typedef int (*apply_fn)(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);

struct controller {
	const char *name;  /* kernel controller */
	const char *field; /* linux.resources field, for messages */
	apply_fn v1, v2;
};

static const struct controller controllers[] = {
    {"cpu", "cpu", cg1_cpu, cg2_cpu},
    {"cpuset", "cpu.cpus/cpu.mems", cg1_cpuset, cg2_cpuset},
    {"memory", "memory", cg1_memory, cg2_memory},
    {"pids", "pids", cg1_pids, cg2_pids},
    {"blkio", "blockIO", cg1_blkio, NULL},
    {"io", "blockIO", NULL, cg2_io},
    {"hugetlb", "hugepageLimits", cg1_hugetlb, cg2_hugetlb},
};

static bool wants(const struct cgroup_resources *r, const char *name)
{
	if (strcmp(name, "cpu") == 0)
		return r->cpu.has_shares || r->cpu.has_quota || r->cpu.has_period ||
		       r->cpu.has_burst || r->cpu.has_idle || r->cpu.has_rt_runtime ||
		       r->cpu.has_rt_period;
	if (strcmp(name, "cpuset") == 0)
		return r->cpu.cpus || r->cpu.mems;
	if (strcmp(name, "memory") == 0)
		return r->memory.has_limit || r->memory.has_reservation || r->memory.has_swap ||
		       r->memory.has_swappiness || r->memory.has_disable_oom_killer ||
		       r->memory.has_use_hierarchy;
	if (strcmp(name, "pids") == 0)
		return r->pids.has_limit && r->pids.limit != 0;
	if (strcmp(name, "blkio") == 0 || strcmp(name, "io") == 0)
		return r->blkio.has_weight || r->blkio.has_leaf_weight ||
		       r->blkio.weight_device.n || r->blkio.read_bps.n || r->blkio.write_bps.n ||
		       r->blkio.read_iops.n || r->blkio.write_iops.n;
	if (strcmp(name, "hugetlb") == 0)
		return r->n_hugetlb > 0;
	return false;
}

static int apply_rdma(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err)
{
	const struct cg_dir *d;

	if (!r->n_rdma)
		return 0;
	if (!(d = cg_dir_for(cg, "rdma")))
		return kerr_setx(err, ENOTSUP,
		                 "linux.resources.rdma: no rdma controller on this host");
	for (size_t i = 0; i < r->n_rdma; i++) {
		_cleanup_free_ char *line = xasprintf("%s %s", r->rdma[i].key, r->rdma[i].value);
		if (cg_write(d, "rdma.max", line, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

/* unified: only for files of a v2 hierarchy; each line of a value is
 * written on its own, as the kernel reads one rule per write. */
static int apply_unified(const struct cgroup *cg, const struct cgroup_resources *r,
                         struct kerr *err)
{
	for (size_t i = 0; i < r->n_unified; i++) {
		const char *key = r->unified[i].key;
		_cleanup_free_ char *controller = xstrdup(key);
		_cleanup_free_ char *value = xstrdup(r->unified[i].value);
		const struct cg_dir *d;

		*strchr(controller, '.') = '\0';
		d = strcmp(controller, "cgroup") == 0 ? cg_dir_v2(cg) : cg_dir_for(cg, controller);

		if (!d || !d->v2)
			return kerr_setx(err, ENOTSUP,
			                 "linux.resources.unified.%s: the %s controller is not on "
			                 "cgroup v2 on this host",
			                 key, controller);
		if (!cg_file_exists(d->path, key))
			return kerr_setx(err, ENOENT,
			                 "linux.resources.unified.%s: no such cgroup file", key);
		for (char *save = NULL, *line = strtok_r(value, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (cg_write(d, key, line, err) < 0)
				return kerr_code(err);
	}
	return 0;
}

int cg_apply(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(controllers); i++) {
		const struct controller *c = &controllers[i];
		const struct cg_dir *d;
		apply_fn fn;

		if (!wants(r, c->name))
			continue;
		d = cg_dir_for(cg, c->name);
		/* blkio (v1) and io (v2) are one setting: try the other name. */
		if (!d && (strcmp(c->name, "blkio") == 0 || strcmp(c->name, "io") == 0))
			continue;
		if (!d) {
			return kerr_setx(err, ENOTSUP,
			                 "linux.resources.%s: no %s controller on this host",
			                 c->field, c->name);
		}
		fn = d->v2 ? c->v2 : c->v1;
		if (!fn)
			continue;
		if (fn(d, r, err) < 0)
			return kerr_code(err);
	}
	if (wants(r, "io") && !cg_dir_for(cg, "io") && !cg_dir_for(cg, "blkio"))
		return kerr_setx(err, ENOTSUP,
		                 "linux.resources.blockIO: no io or blkio controller on "
		                 "this host");
	if (r->has_devices) {
		/* On v2 the devices "controller" is a BPF program attached to
		 * the v2 directory; it is only used when there is no v1 one. */
		const struct cg_dir *d = cg_dir_for(cg, "devices"), *v2 = cg_dir_v2(cg);

		if (d && !d->v2 && cg1_devices(d, r, err) < 0)
			return kerr_code(err);
		if (!d && cg->mode == CGROUP_MODE_UNIFIED && v2 && cg2_devices(v2, r, err) < 0)
			return kerr_code(err);
		if (!d && cg->mode != CGROUP_MODE_UNIFIED)
			return kerr_setx(
			    err, ENOTSUP,
			    "linux.resources.devices: no devices controller on this host");
	}
	if (cg1_network(cg, r, err) < 0 || apply_rdma(cg, r, err) < 0 ||
	    apply_unified(cg, r, err) < 0)
		return kerr_code(err);
	return 0;
}
