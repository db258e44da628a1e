/* Creating the container's init process in its namespaces.
 *
 * Fast path (no namespace joined by path, no time namespace): one clone3()
 * with every CLONE_NEW* flag and CLONE_PIDFD; the init is our child.
 * Slow path: an intermediate child joins the namespaces given by path
 * (user first), unshares the new ones (asking us to write the id maps of a
 * new user namespace), writes the time offsets, forks the init into the
 * new pid/time namespaces, reports its pid and exits.
 *
 * Either way spawn_init() returns with the init blocked until SYNC_GO. */
#ifndef KURA_RUNTIME_SPAWN_H
#define KURA_RUNTIME_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "../common/err.h"
#include "../fs/fsroot.h"
#include "spec.h"

struct kura_seccomp;
struct container_state;

struct spawn_config {
	const struct oci_spec *spec;
	/* linux.seccomp, built by the runtime; NULL: no filter. */
	const struct kura_seccomp *seccomp;
	/* The tenant root the init mounts onto root.path first (type
	 * FSROOT_ROOT_DIR: root.path as it is). */
	const struct fsroot_root *root;
	/* id, bundle, annotations...: the state the container's hooks get. */
	const struct container_state *state;
	int state_dirfd;       /* O_PATH fd of the state dir holding exec.fifo */
	int console_socket_fd; /* connected --console-socket, or -1 */
	int preserve_fds;      /* fds 3 .. 3+n-1 reach the container */
	bool no_pivot;
	int lock_fd;   /* the runtime's flock on the state dir: the child must
	                * close its copy, or it would hold the lock until exec */
	int cgroup_fd; /* a v2 cgroup directory to clone the init into
	                * (CLONE_INTO_CGROUP), or -1 */
};

struct spawn_result {
	pid_t pid;      /* host pid of the init */
	int pidfd;      /* pidfd of the init */
	int sync_fd;    /* runtime end of the sync socket */
	bool in_cgroup; /* born in cfg->cgroup_fd's cgroup */
};

int spawn_init(const struct spawn_config *cfg, struct spawn_result *ret, struct kerr *err);

/* Write uid_map and gid_map of pid from the spec. */
int spawn_write_id_maps(pid_t pid, const struct oci_spec *spec, struct kerr *err);

/* Runs in the init (init.c); never returns. */
_Noreturn void init_main(const struct spawn_config *cfg, int sync_fd, bool userns_new);

#endif
