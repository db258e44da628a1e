/* The container lifecycle as the OCI runtime CLI exposes it: create,
 * start, run, state, list, kill, delete.  This is runtime/'s interface to
 * cmd/; it wires spec, state, spawn and the leaf modules together. */
#ifndef KURA_RUNTIME_CONTAINER_H
#define KURA_RUNTIME_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../common/err.h"
#include "state.h"

struct runtime_ctx {
	const char *root; /* --root, default /run/kura */
	bool debug;
	bool systemd_cgroup;
	/* Where a failure that must not fail the command goes (a poststart
	 * or poststop hook, as the runtime-spec asks): the caller logs it.
	 * NULL: dropped.  Untouched when there is nothing to report. */
	struct kerr *warn;
};

struct container_create_opts {
	const char *id;
	const char *bundle; /* NULL: the current directory */
	const char *pid_file;
	const char *console_socket;
	int preserve_fds;
	bool no_pivot;
	bool no_new_keyring;
};

int container_create(const struct runtime_ctx *ctx, const struct container_create_opts *o,
                     struct kerr *err);

int container_start(const struct runtime_ctx *ctx, const char *id, struct kerr *err);

/* create + start; in the foreground, forward signals to the init, wait
 * for it, delete the container and return its exit code (128+N for a
 * signal) in *ret_status.  With detach, return after start. */
int container_run(const struct runtime_ctx *ctx, const struct container_create_opts *o, bool detach,
                  int *ret_status, struct kerr *err);

/* The OCI state JSON of one container (caller frees). */
int container_state_json(const struct runtime_ctx *ctx, const char *id, char **ret,
                         struct kerr *err);

struct container_info {
	struct container_state state;
	enum container_status status;
};

int container_list(const struct runtime_ctx *ctx, struct container_info **ret, size_t *ret_n,
                   struct kerr *err);
void container_list_free(struct container_info *list, size_t n);

int container_kill(const struct runtime_ctx *ctx, const char *id, int sig, bool all,
                   struct kerr *err);

/* The host pids of every process in the container. */
int container_pids(const struct runtime_ctx *ctx, const char *id, pid_t **ret, size_t *ret_n,
                   struct kerr *err);

int container_delete(const struct runtime_ctx *ctx, const char *id, bool force, struct kerr *err);

#endif
