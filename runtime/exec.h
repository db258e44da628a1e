/* `kura exec`: a new process in a running container, joining all of its
 * namespaces (setns on the init's pidfd, atomically) and its cgroup, with
 * the container's process settings or those of --process, and the
 * command-line overrides on top. */
#ifndef KURA_RUNTIME_EXEC_H
#define KURA_RUNTIME_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/err.h"
#include "container.h"

struct exec_opts {
	const char *id;
	const char *process_file; /* --process, or NULL */
	char **args;              /* command and its arguments if no --process */
	size_t n_args;
	bool tty; /* --tty */
	const char *console_socket;
	bool detach;
	const char *pid_file;
	const char **env; /* --env K=V, added to / replacing the process env */
	size_t n_env;
	const char *cwd;  /* --cwd */
	const char *user; /* --user UID[:GID] */
	const char **additional_gids;
	size_t n_additional_gids;
	const char **caps; /* --cap CAP_X, added to every set but ambient */
	size_t n_caps;
	bool no_new_privs;
	int preserve_fds;
	const char *apparmor;      /* --apparmor */
	const char *process_label; /* --process-label */
};

/* Run the process; in the foreground forward signals and return its exit
 * status (128+N for a signal) in *ret_status. */
int container_exec(const struct runtime_ctx *ctx, const struct exec_opts *o, int *ret_status,
                   struct kerr *err);

#endif
