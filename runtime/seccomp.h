/* seccomp filters from linux.seccomp (runtime-spec config-linux.md#seccomp).
 *
 * seccomp_filter_build() validates every field and compiles the filter
 * with libseccomp into a BPF program, in the runtime, before the init is
 * cloned: config errors are reported before anything exists, and the init
 * (a copy of the runtime's memory) only has to make one seccomp(2) call.
 * The load does not use libseccomp: like runc, kura hands the BPF to
 * seccomp(2) itself, so every spec flag works (libseccomp 2.5 has no
 * attribute for SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) and libseccomp can
 * never turn on no_new_privs behind the config's back.
 *
 * Semantics follow runc:
 *  - a syscall name this libseccomp does not know is skipped (docker and
 *    podman profiles list syscalls newer than the library); the skipped
 *    names are kept for a debug log, see seccomp_filter_unknown_syscalls();
 *  - a rule whose action equals the default action is skipped;
 *  - args with distinct indexes make one rule with all conditions (AND);
 *    if two args share an index, each arg becomes a rule of its own (OR);
 *  - SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD; errnoRet defaults to EPERM for
 *    SCMP_ACT_ERRNO and SCMP_ACT_TRACE;
 *  - SCMP_ACT_NOTIFY cannot be the default action nor apply to the
 *    syscalls the init uses to hand the notify fd to the runtime (write,
 *    send, sendto, sendmsg): that would deadlock the init.
 * Stricter than runc, as the spec asks: errnoRet/defaultErrnoRet with an
 * action that takes none, listenerMetadata without listenerPath, and
 * SCMP_ACT_NOTIFY without listenerPath are errors.  Unknown keys are
 * ignored, as runc does.
 *
 * ORDER IN THE INIT (the kernel allows loading a filter only with
 * no_new_privs set or with CAP_SYS_ADMIN in the current user namespace):
 *  - process.noNewPrivileges true: drop to the process identity, set
 *    no_new_privs, then load as the very last step before execve (nothing
 *    the user's profile must allow but execve itself, and what follows the
 *    load: the exec.fifo write if that comes after).
 *  - noNewPrivileges false: load BEFORE process_apply_identity() drops
 *    CAP_SYS_ADMIN; every later syscall of the init (setgroups, setres[ug]id,
 *    capset, prctl, close_range, the sync socket, exec.fifo, execve) then
 *    runs under the filter, exactly as in runc.
 *  - SCMP_ACT_NOTIFY (seccomp_uses_notify()): the notify fd exists only in
 *    the init, so the load must happen while the create-time sync socket
 *    is still open, before SYNC_READY: the init sends the fd number (or the
 *    fd itself with SCM_RIGHTS) to the runtime, the runtime takes it with
 *    pidfd_getfd() (or recvmsg) and calls seccomp_send_listener() with the
 *    state ("creating", the init's pid), then acks; only then may the init
 *    go on.  If every copy of the notify fd is closed before an agent holds
 *    one, notified syscalls fail with ENOSYS.
 *  - createContainer hooks run in the init before any load; startContainer
 *    hooks run at `start`, right before execve: before the load with
 *    noNewPrivileges (and without notify), under the filter otherwise,
 *    as in runc.
 * `kura exec` follows the same order in its child, with the process's
 * noNewPrivileges (--process or the container's), and hands a notify fd
 * to the listener with the exec'd process's pid. */
#ifndef KURA_RUNTIME_SECCOMP_H
#define KURA_RUNTIME_SECCOMP_H

#include <stdbool.h>
#include <sys/types.h>

#include "../common/err.h"

struct json_object;
struct kura_seccomp;

/* Validate linux.seccomp and compile it.  *ret is set to NULL (no filter)
 * when linux_seccomp is NULL, or when it has neither defaultAction nor
 * syscalls (runc treats that as seccomp disabled).  Errors name the field:
 * `config.json: linux.seccomp.syscalls[3].action: unknown action
 * "SCMP_ACT_FOO"`.  On failure *ret is untouched. */
int seccomp_filter_build(struct json_object *linux_seccomp, struct kura_seccomp **ret,
                         struct kerr *err);

/* Install the filter in the calling thread (TSYNC: all threads if the
 * config says so).  With SCMP_ACT_NOTIFY, *ret_notify_fd receives the
 * notify fd (O_CLOEXEC); otherwise it is set to -1.  ret_notify_fd may be
 * NULL only for a filter without notify.  f == NULL is a no-op. */
int seccomp_filter_load(const struct kura_seccomp *f, int *ret_notify_fd, struct kerr *err);

/* seccomp_filter_load() in the init or an exec'd child: a notify fd goes
 * to the runtime over the sync socket (SYNC_SECCOMP), which hands it to
 * listenerPath; returns once the runtime says SYNC_SECCOMP_DONE. */
int seccomp_filter_load_and_send(const struct kura_seccomp *f, int sync_fd, struct kerr *err);

/* Does the filter have SCMP_ACT_NOTIFY rules (and so a notify fd to send
 * to listenerPath)?  false for NULL. */
bool seccomp_uses_notify(const struct kura_seccomp *f);

/* listenerPath and listenerMetadata, or NULL when unset (or f is NULL). */
const char *seccomp_listener_path(const struct kura_seccomp *f);
const char *seccomp_listener_metadata(const struct kura_seccomp *f);

/* NULL-terminated list of the syscall names that were skipped because
 * this libseccomp does not know them (for a debug log, as runc does). */
const char *const *seccomp_filter_unknown_syscalls(const struct kura_seccomp *f);

/* Connect to the AF_UNIX SOCK_STREAM socket at listener_path and send one
 * container process state (config-linux.md#containerprocessstate):
 *   {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state": {...}}
 * with notify_fd attached by SCM_RIGHTS to the first sendmsg, then close
 * the connection.  state_json is the OCI state (runtime.md#state) of the
 * container; pid is the container process as the runtime sees it;
 * metadata may be NULL. */
int seccomp_send_listener(const char *listener_path, const char *metadata, int notify_fd,
                          const char *state_json, pid_t pid, struct kerr *err);

/* The "linux.seccomp" object of `kura features` (features.md): enabled,
 * actions, operators, archs, knownFlags, supportedFlags.  Caller puts. */
struct json_object *seccomp_features_json(void);

void seccomp_filter_free(struct kura_seccomp *f);
static inline void seccomp_filter_freep(struct kura_seccomp **f)
{
	seccomp_filter_free(*f);
}
#define _cleanup_seccomp_ __attribute__((cleanup(seccomp_filter_freep)))

#endif
