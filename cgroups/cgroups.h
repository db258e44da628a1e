/* cgroups/: the container's control group, on cgroup v2, v1 or a hybrid
 * of both (v1 controllers beside a v2 hierarchy, as on these machines).
 *
 * The life of a container's cgroup:
 *   cgroup_resources_parse()   linux.resources -> struct cgroup_resources,
 *                              validated before anything exists;
 *   cgroup_create()            mkdir in every hierarchy, controllers
 *                              enabled up the path (v2), limits applied;
 *   cgroup_attach()            the init placed before it runs user code;
 *   cgroup_to_json()           the paths, saved in state.json, so that
 *   cgroup_from_json()         later commands find the same directories;
 *   cgroup_update(), cgroup_freeze(), cgroup_kill(), cgroup_stats_json();
 *   cgroup_destroy()           every directory removed.
 *
 * Each controller lives in exactly one hierarchy, found once per
 * invocation from /proc/self/mountinfo: a v1 mount that names it, or
 * the v2 hierarchy whose cgroup.controllers lists it.  A limit is written
 * in the dialect of the hierarchy that holds its controller, so a hybrid
 * host needs no special case; a limit with no equivalent there is an
 * error naming the field.
 *
 * cgroupsPath: an absolute path is taken from the root of each
 * hierarchy; a relative one nests below the runtime's own cgroup (in
 * each v1 hierarchy, its own cgroup there; on v2, its own cgroup, or the
 * parent of it when the own cgroup holds processes and cannot delegate
 * controllers: what runc does).  Without cgroupsPath the container's id
 * is used as a relative path.  This header is the whole interface of
 * cgroups/; it includes nothing from runtime/ or the other leaves. */
#ifndef KURA_CGROUPS_CGROUPS_H
#define KURA_CGROUPS_CGROUPS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"

struct json_object;

enum cgroup_mode {
	CGROUP_MODE_UNIFIED, /* pure v2 */
	CGROUP_MODE_HYBRID,  /* v1 controllers and a v2 hierarchy */
	CGROUP_MODE_LEGACY,  /* v1 only */
};

const char *cgroup_mode_name(enum cgroup_mode mode);

/* The host's mode, detected once per process. */
int cgroup_host_mode(enum cgroup_mode *ret, struct kerr *err);

/* ---------------------------------------------------------- resources */

/* One device number with a value: weightDevice, throttle*Device. */
struct cgroup_dev_value {
	int64_t major, minor;
	uint64_t value;       /* rate, or weight */
	bool has_leaf_weight; /* weightDevice only */
	uint64_t leaf_weight;
	bool has_weight; /* weightDevice only: weight may be absent */
};

struct cgroup_dev_values {
	struct cgroup_dev_value *v;
	size_t n;
};

/* A device rule of linux.resources.devices (type 'a', 'b' or 'c';
 * major/minor -1 for the wildcard). */
struct cgroup_device_rule {
	bool allow;
	char type;
	int64_t major, minor;
	unsigned access; /* CGROUP_DEV_READ | ... */
};

#define CGROUP_DEV_READ  1u
#define CGROUP_DEV_WRITE 2u
#define CGROUP_DEV_MKNOD 4u

struct cgroup_kv {
	char *key;
	char *value;
};

/* Every field is optional: has_* or a NULL/0-length array says unset.
 * Values are kept as the spec gives them (-1 = unlimited); conversions
 * to a hierarchy's files happen when they are written. */
struct cgroup_resources {
	struct {
		bool has_limit, has_reservation, has_swap, has_swappiness;
		bool has_disable_oom_killer, has_use_hierarchy;
		int64_t limit, reservation, swap;
		uint64_t swappiness;
		bool disable_oom_killer, use_hierarchy;
		bool check_before_update;
	} memory;
	struct {
		bool has_shares, has_quota, has_burst, has_period, has_rt_runtime, has_rt_period,
		    has_idle;
		uint64_t shares, burst, period, rt_period;
		int64_t quota, rt_runtime, idle;
		char *cpus, *mems;
	} cpu;
	struct {
		bool has_limit;
		int64_t limit;
	} pids;
	struct {
		bool has_weight, has_leaf_weight;
		uint64_t weight, leaf_weight;
		struct cgroup_dev_values weight_device;
		struct cgroup_dev_values read_bps, write_bps, read_iops, write_iops;
	} blkio;
	struct cgroup_kv *hugetlb; /* key: page size ("2MB"), value: limit in decimal */
	size_t n_hugetlb;
	struct cgroup_kv *rdma; /* key: device, value: "hca_handle=N hca_object=M" */
	size_t n_rdma;
	struct cgroup_kv *unified; /* file name -> content */
	size_t n_unified;
	struct {
		bool has_class_id;
		uint32_t class_id;
		struct cgroup_kv *priorities; /* interface -> priority */
		size_t n_priorities;
	} network;
	struct cgroup_device_rule *devices;
	size_t n_devices;
	bool has_devices; /* linux.resources.devices was given (even empty) */
};

/* Parse and validate a linux.resources object.  field names the object
 * in messages ("linux.resources"; "" for the top of an update file):
 * "linux.resources.memory.limit: expected an integer".  obj NULL gives
 * an empty r.  On failure r holds nothing to free. */
int cgroup_resources_parse(struct json_object *obj, const char *field, struct cgroup_resources *r,
                           struct kerr *err);
void cgroup_resources_free(struct cgroup_resources *r);

/* Append the device rules every container gets (the null, zero, full,
 * random, urandom, tty, ptmx, pts and mknod rules runc allows). */
void cgroup_resources_add_default_devices(struct cgroup_resources *r);
void cgroup_resources_add_device(struct cgroup_resources *r, const struct cgroup_device_rule *rule);

/* Merge src into dst: every field src sets replaces dst's (for update). */
void cgroup_resources_merge(struct cgroup_resources *dst, const struct cgroup_resources *src);

/* --------------------------------------------------------- conversions */

/* cpu.shares (2..262144) to cpu.weight (1..10000), the curve runc, crun
 * and youki share: 2 -> 1, 1024 -> 100, 262144 -> 10000.  0 -> 0 (unset). */
uint64_t cgroup_shares_to_weight(uint64_t shares);

/* blkio.weight (10..1000) to io.weight (1..10000). */
uint64_t cgroup_blkio_weight_to_io_weight(uint64_t weight);

/* memory.swap.max from OCI swap (memory+swap) and limit, runc's rules:
 * *ret = -1 for "max", 0 and *ret_set false when nothing is to be
 * written.  Errors: swap without a memory limit, swap < limit. */
int cgroup_swap_to_v2(int64_t swap, int64_t limit, bool limit_set, int64_t *ret, bool *ret_set,
                      struct kerr *err);

/* "max" for a negative value, else the decimal number. */
void cgroup_format_limit(int64_t v, char *buf, size_t len);

/* ------------------------------------------------------------- manager */

struct cgroup;

/* Create the container's cgroup for cgroups_path (NULL: the id) in every
 * hierarchy, enable the controllers r needs (v2), and apply r.  A
 * cgroup that already exists and holds processes is an error.  On
 * failure nothing is left behind. */
int cgroup_create(const char *cgroups_path, const char *id, const struct cgroup_resources *r,
                  struct cgroup **ret, struct kerr *err);

/* --systemd-cgroup: "slice:prefix:name" (NULL or "": the default
 * "system.slice:kura:ID") to the absolute path of the unit's directory
 * systemd uses: "machine.slice:libpod:x" -> "/machine.slice/libpod-x.scope",
 * "a-b.slice:p:x" -> "/a.slice/a-b.slice/p-x.scope". */
int cgroup_path_from_systemd(const char *cgroups_path, const char *id, char **ret,
                             struct kerr *err);

/* cgroup_create() in two steps, so that a runtime killed in between
 * leaves a record: cgroup_plan() computes the directory in every
 * hierarchy and those that do not exist yet, making nothing; the caller
 * saves cgroup_to_json() and then cgroup_realize() makes the directories
 * and applies r.  After a failed realize, cgroup_destroy() removes what
 * was made. */
int cgroup_plan(const char *cgroups_path, const char *id, struct cgroup **ret, struct kerr *err);
int cgroup_realize(struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err);

/* Start taking, in a thread, the RCU grace period that the first
 * cgroup.procs write of a process waits for on a v1 hierarchy (9-14 ms
 * here), so that it passes while the caller does other work; wait for
 * it before the process clones anything (a raw clone3() beside a live
 * thread can copy a libc lock that thread holds).  Best effort; a no-op
 * on pure v2. */
struct cgroup_prewarm {
	bool started;
	pthread_t thread;
	char procs[4096];
};
void cgroup_prewarm_start(struct cgroup_prewarm *p);
void cgroup_prewarm_wait(struct cgroup_prewarm *p);

/* Move pid into the cgroup in every hierarchy. */
int cgroup_attach(const struct cgroup *cg, pid_t pid, struct kerr *err);

/* An fd of the v2 cgroup directory for clone3(CLONE_INTO_CGROUP), or -1
 * when the cgroup has no v2 part or the host is not pure v2. */
int cgroup_v2_dirfd(const struct cgroup *cg);

/* Apply r on top of what is set (update). */
int cgroup_update(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err);

/* Freeze or thaw every process; returns once the kernel reports the
 * state reached. */
int cgroup_freeze(const struct cgroup *cg, bool frozen, struct kerr *err);

/* Is the cgroup frozen (paused)? false if it cannot be read. */
bool cgroup_is_frozen(const struct cgroup *cg);

/* Send sig to every process of the cgroup (SIGKILL through cgroup.kill
 * where the kernel has it).  Frozen cgroups are thawed for SIGKILL so
 * the processes can die. */
int cgroup_kill(const struct cgroup *cg, int sig, struct kerr *err);

/* The pids in the cgroup (host pid namespace), sorted. */
int cgroup_pids(const struct cgroup *cg, pid_t **ret, size_t *ret_n, struct kerr *err);

/* Kill what is left, wait for it to go and remove every directory
 * (deepest first, only those cgroup_create made).  Tolerates parts
 * already gone.  Frees cg, on failure too. */
int cgroup_destroy(struct cgroup *cg, struct kerr *err);

/* {"mode": "hybrid", "paths": {"memory": "/sys/fs/cgroup/memory/x", ...},
 *  "created": [...]} for state.json, and back. */
struct json_object *cgroup_to_json(const struct cgroup *cg);
int cgroup_from_json(struct json_object *obj, struct cgroup **ret, struct kerr *err);

/* The directory of a controller ("memory", "" for the v2 hierarchy), or
 * NULL when the cgroup has none. */
const char *cgroup_path_of(const struct cgroup *cg, const char *controller);

void cgroup_free(struct cgroup *cg);
static inline void cgroup_freep(struct cgroup **cg)
{
	cgroup_free(*cg);
}
#define _cleanup_cgroup_ __attribute__((cleanup(cgroup_freep)))

/* --------------------------------------------------------------- stats */

/* runc's `events --stats` data object: cpu (usage, throttling), memory
 * (usage, swap, raw stat, OOM events), pids, blkio, hugetlb, and
 * "pressure" (PSI some/full for cpu, memory, io where the kernel has it). */
int cgroup_stats_json(const struct cgroup *cg, struct json_object **ret, struct kerr *err);

/* The number of OOM kills so far (memory.events oom_kill, or v1
 * memory.oom_control oom_kill); 0 when unknown. */
uint64_t cgroup_oom_kills(const struct cgroup *cg);

#endif
