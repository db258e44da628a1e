/* Shared between the files of cgroups/; not part of its interface. */
#ifndef KURA_CGROUPS_CG_INTERNAL_H
#define KURA_CGROUPS_CG_INTERNAL_H

#include "cgroups.h"

/* One mounted hierarchy. */
struct cg_hierarchy {
	char *mountpoint;  /* "/sys/fs/cgroup/memory" */
	char *controllers; /* v1: the mount's controllers ("cpu,cpuacct"); v2: "" */
	bool v2;
	char *own; /* the runtime's own cgroup in it ("/", "/a/b") */
};

struct cg_host {
	enum cgroup_mode mode;
	struct cg_hierarchy *h;
	size_t n;
};

/* The host's hierarchies, read once per process. */
int cg_host_get(const struct cg_host **ret, struct kerr *err);

/* Does the comma-separated list hold name? */
bool cg_list_has(const char *list, const char *name);

/* The container's directory in one hierarchy. */
struct cg_dir {
	char *path;        /* absolute */
	char *controllers; /* as in struct cg_hierarchy */
	bool v2;
	char *base; /* where cgroup_plan() nests it; not saved (NULL when loaded) */
};

struct cgroup {
	enum cgroup_mode mode;
	struct cg_dir *dirs;
	size_t n_dirs;
	char **created; /* directories cgroup_realize() makes, in creation order */
	size_t n_created;
	char *rel; /* the planned path below each base; NULL when loaded */
};

/* The directory holding controller (v1 hierarchy that names it, else a
 * v2 directory whose parent delegates it), or NULL. */
const struct cg_dir *cg_dir_for(const struct cgroup *cg, const char *controller);
const struct cg_dir *cg_dir_v2(const struct cgroup *cg);

/* Write value to file in dir: "write `memory.max` in `/sys/...`: ..." */
int cg_write(const struct cg_dir *d, const char *file, const char *value, struct kerr *err);
/* Read file in dir, trailing newline removed; NULL with err set on failure. */
char *cg_read(const char *dir, const char *file, struct kerr *err);
bool cg_file_exists(const char *dir, const char *file);

/* Apply r through the hierarchy of each controller it touches. */
int cg_apply(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err);

/* One controller's part of r, in the dialect of d's hierarchy
 * (apply_v1.c, apply_v2.c). */
int cg1_cpu(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_cpu(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_cpuset(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_cpuset(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_memory(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_memory(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_pids(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_pids(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_blkio(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_io(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_hugetlb(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_hugetlb(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_devices(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg2_devices(const struct cg_dir *d, const struct cgroup_resources *r, struct kerr *err);
int cg1_network(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err);

/* The devices controller on v2: a BPF_PROG_TYPE_CGROUP_DEVICE program
 * built from the rules, attached to dirfd (replacing the one before). */
int cg_devices_bpf_attach(int dirfd, const struct cgroup_device_rule *rules, size_t n,
                          struct kerr *err);

#endif
