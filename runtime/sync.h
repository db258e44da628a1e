/* The messages the runtime and the container's init exchange over a
 * SOCK_SEQPACKET socketpair while a container is created.
 *
 *   runtime                         init (or its intermediate)
 *                                   <- SYNC_USERMAP   (slow path: unshared a userns)
 *   SYNC_USERMAP_DONE ->
 *                                   <- SYNC_PID       (slow path: the init's pid)
 *   (maps, rlimits, oom_score_adj, cgroup)
 *   SYNC_GO ->
 *                                   <- SYNC_HOOKS     (only with prestart/createRuntime hooks)
 *   (prestart, createRuntime hooks)
 *   SYNC_HOOKS_DONE ->
 *                                   <- SYNC_SECCOMP   (only with SCMP_ACT_NOTIFY: the notify fd)
 *   (fd and state sent to linux.seccomp.listenerPath)
 *   SYNC_SECCOMP_DONE ->
 *                                   <- SYNC_READY     (root set up, about to wait on exec.fifo)
 *   (state.json written)
 *   SYNC_COMMIT ->
 *                                   <- SYNC_ERROR     (at any point, with a message)
 *
 * If the runtime dies, the init reads EOF and exits: a killed create
 * never leaves an init behind. */
#ifndef KURA_RUNTIME_SYNC_H
#define KURA_RUNTIME_SYNC_H

#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"

enum sync_type {
	SYNC_USERMAP = 1,
	SYNC_USERMAP_DONE,
	SYNC_PID,
	SYNC_GO,
	SYNC_READY,
	SYNC_COMMIT,
	SYNC_ERROR,
	SYNC_HOOKS,
	SYNC_HOOKS_DONE,
	SYNC_SECCOMP,
	SYNC_SECCOMP_DONE,
};

struct sync_msg {
	uint32_t type;
	int32_t value;
	char text[KERR_MSG_MAX];
};

/* Send a message; text may be NULL.  Returns 0 or -errno. */
int sync_send(int fd, enum sync_type type, int32_t value, const char *text);

/* Send a message with one fd attached (SCM_RIGHTS). */
int sync_send_fd(int fd, enum sync_type type, int passfd);

/* Receive one message; -EPIPE on EOF. */
int sync_recv(int fd, struct sync_msg *msg);

/* Like sync_recv(), and *ret_fd receives an attached fd (O_CLOEXEC), or
 * -1 when the message carries none. */
int sync_recv_fd(int fd, struct sync_msg *msg, int *ret_fd);

/* Receive and require type; a SYNC_ERROR is turned into err. */
int sync_expect(int fd, enum sync_type type, struct sync_msg *msg, struct kerr *err);

#endif
