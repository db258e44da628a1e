/* The identity and limits of the container process: user and groups,
 * capabilities (all five sets), rlimits, oom_score_adj, umask, HOME.
 *
 * process_set_limits() runs in the runtime (the parent, privileged in the
 * initial user namespace, so it can raise hard limits and lower
 * oom_score_adj); process_apply_identity() runs in the init right before
 * exec, and is the last step that needs privilege. */
#ifndef KURA_RUNTIME_PROCESS_H
#define KURA_RUNTIME_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "../common/err.h"
#include "spec.h"

/* rlimits (prlimit on pid) and oom_score_adj, from the parent. */
int process_set_limits(pid_t pid, const struct oci_process *p, struct kerr *err);

/* In the init: drop the bounding set, switch to user.uid/gid with the
 * additional groups, set the other capability sets, raise ambient caps,
 * apply the umask.  setgroups_allowed is false in a user namespace whose
 * setgroups file says "deny". */
int process_apply_identity(const struct oci_process *p, bool setgroups_allowed, struct kerr *err);

/* uid and gid 0 in a user namespace just made or joined (raw system
 * calls: the callers are raw clone3 children, see process.c). */
int process_become_root(struct kerr *err);

/* chdir(cwd) and make sure we did not leave the root: a cwd such as
 * /proc/self/fd/N naming an fd the runtime still holds would land on the
 * host (CVE-2024-21626); getcwd() then reports "(unreachable)". */
int process_enter_cwd(const char *cwd, struct kerr *err);

/* Turn on no_new_privs if the config asks for it. */
int process_set_no_new_privs(const struct oci_process *p, struct kerr *err);

/* Find args[0] the way execvp would, using PATH from env (or the default
 * PATH); returns an allocated absolute or relative path that exists and is
 * executable.  The error reads like runc's: `exec: "foo": executable file
 * not found in $PATH`. */
int process_find_executable(const char *arg0, const char *const *env, char **ret, struct kerr *err);

/* env with HOME added from the container's /etc/passwd when missing.
 * Returns a new NULL-terminated array (strings are borrowed or owned by
 * *ret_home). */
const char **process_build_env(const struct oci_process *p, char **ret_home);

#endif
