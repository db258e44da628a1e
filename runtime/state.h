/* Container state on disk: one directory per container under --root.
 *
 *   ROOT/ID/            mode 0711, locked with flock() by every command
 *   ROOT/ID/state.json  written atomically (write, fsync, rename)
 *   ROOT/ID/config.json a copy of the bundle's config, taken before the
 *                       init is cloned, so that `delete --force` can undo
 *                       a create that was killed at any point
 *   ROOT/ID/exec.fifo   exists from create until start
 *
 * The status is never trusted from disk: it is derived from the live
 * process (a pidfd plus its start time), the fifo and the cgroup. */
#ifndef KURA_RUNTIME_STATE_H
#define KURA_RUNTIME_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"

struct json_object;

enum container_status {
	CONTAINER_CREATING,
	CONTAINER_CREATED,
	CONTAINER_RUNNING,
	CONTAINER_PAUSED,
	CONTAINER_STOPPED,
};

const char *container_status_name(enum container_status s);

struct container_state {
	char *id;
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 */
	char *owner;
	pid_t pid;                       /* host pid of the init, 0 if never started */
	uint64_t start_time;             /* of pid, to detect pid reuse */
	struct json_object *annotations; /* object or NULL, owned */
	bool has_state_file;             /* false for a create that died before writing it */
};

void container_state_free(struct container_state *st);

/* Validate a container id the way runc does: [A-Za-z0-9_+.-]+, not "."
 * or "..", at most 1024 bytes. */
int state_check_id(const char *id, struct kerr *err);

/* Make sure the root directory exists (mode 0711) and open it. */
int state_open_root(const char *root, bool create, int *ret_fd, struct kerr *err);

/* Create ROOT/ID (fails with "already exists" if present), open and
 * lock it; returns the directory fd. */
int state_dir_create(int rootfd, const char *id, int *ret_dirfd, struct kerr *err);

/* Open and lock an existing ROOT/ID ("does not exist" otherwise). */
int state_dir_open(int rootfd, const char *id, int *ret_dirfd, struct kerr *err);

/* Remove ROOT/ID and what it holds. */
int state_dir_remove(int rootfd, const char *id, struct kerr *err);

int state_write(int dirfd, const struct container_state *st, struct kerr *err);
int state_read(int dirfd, const char *id, struct container_state *st, struct kerr *err);

/* The container's cgroup (cgroup_to_json()) in ROOT/ID/cgroup.json,
 * written before the cgroup's directories are made, so that a create killed at any
 * later point still tells delete what to remove.  load sets *ret to
 * NULL when there is none. */
int state_save_cgroup(int dirfd, struct json_object *cgroup, struct kerr *err);
int state_load_cgroup(int dirfd, struct json_object **ret, struct kerr *err);

/* Open a pidfd for st->pid if the process is still the one we started
 * (same start time, not a zombie); -ESRCH if it is gone. */
int state_pidfd(const struct container_state *st, int *ret_pidfd);

/* Derive the live status (the cgroup's freezer state is asked by the
 * caller, who owns the cgroup handle: pass frozen). */
enum container_status state_status(int dirfd, const struct container_state *st, bool frozen);

/* The OCI state JSON as runc prints it. Caller frees. */
char *state_to_oci_json(const struct container_state *st, enum container_status status,
                        bool pretty);

#endif
