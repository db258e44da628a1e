/* The container's cgroup as the lifecycle sees it: linux.resources
 * validated from the spec, the cgroup made and recorded in the state
 * directory, found again and removed by later commands; and the verbs
 * that act on it alone (pause, resume, update, events). */
#ifndef KURA_RUNTIME_CGROUP_H
#define KURA_RUNTIME_CGROUP_H

#include <stdbool.h>

#include "../cgroups/cgroups.h"
#include "../common/err.h"
#include "container.h"
#include "spec.h"

/* linux.resources of spec, validated ("config.json: linux.resources.
 * memory.limit: ..."), with the device rules every container gets and
 * one rwm rule per linux.devices entry. */
int container_resources_from_spec(const struct oci_spec *spec, struct cgroup_resources *r,
                                  struct kerr *err);

/* Create the cgroup for spec in the state directory dirfd's name and
 * record it there (cgroup.json) before anything else can fail.  systemd:
 * cgroupsPath is in --systemd-cgroup's "slice:prefix:name" form. */
int container_cgroup_create(int dirfd, const struct oci_spec *spec, const char *id, bool systemd,
                            const struct cgroup_resources *r, struct cgroup **ret,
                            struct kerr *err);

/* The recorded cgroup, or *ret NULL when there is none. */
int container_cgroup_load(int dirfd, struct cgroup **ret, struct kerr *err);

/* Remove cg, the recorded cgroup loaded by the caller (killing what is
 * left in it), and its record.  Frees cg; NULL: nothing to do. */
int container_cgroup_remove(int dirfd, struct cgroup *cg, struct kerr *err);

/* Is the container paused (its cgroup frozen)? */
bool container_cgroup_frozen(int dirfd);

/* The container's status, paused included (state_status() with the
 * frozen state of the recorded cgroup). */
enum container_status container_status_now(int dirfd, const struct container_state *st);

/* Signal every process in the recorded cgroup.  *ret_found is false
 * (and nothing is done) when there is no cgroup. */
int container_cgroup_signal(int dirfd, int sig, bool *ret_found, struct kerr *err);

/* Put pid in the recorded cgroup, if there is one (exec). */
int container_cgroup_join(int dirfd, pid_t pid, struct kerr *err);

/* The pids in the recorded cgroup; *ret_found false when there is none. */
int container_cgroup_pids(int dirfd, pid_t **ret, size_t *ret_n, bool *ret_found, struct kerr *err);

int container_pause(const struct runtime_ctx *ctx, const char *id, struct kerr *err);
int container_resume(const struct runtime_ctx *ctx, const char *id, struct kerr *err);

/* Apply r on top of the container's limits (`update`). */
int container_update(const struct runtime_ctx *ctx, const char *id,
                     const struct cgroup_resources *r, struct kerr *err);

/* runc's stats event: {"type": "stats", "id": ..., "data": {...}}.
 * Caller puts. */
int container_stats(const struct runtime_ctx *ctx, const char *id, struct json_object **ret,
                    struct kerr *err);

/* OOM kills so far (for `events`' "oom" events). */
int container_oom_kills(const struct runtime_ctx *ctx, const char *id, uint64_t *ret,
                        struct kerr *err);

#endif
