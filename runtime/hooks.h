/* OCI hooks (runtime-spec config.md#posix-platform-hooks): running one
 * kind of hook, in order, the way runc does.
 *
 * Each hook is spawned with exactly its path, args (args[0] is argv[0];
 * no args means argv = {path}) and env (empty when none), the state JSON
 * on stdin, only fds 0-2, default signal dispositions and an empty signal
 * mask.  stdout and stderr are captured; on failure the first line (of
 * stderr, else stdout) ends the error message.  A timeout kills the hook
 * with SIGKILL.  The first hook that fails stops the run.
 *
 * Where each kind runs is the caller's business: prestart, createRuntime,
 * poststart and poststop in the runtime (host) namespaces; createContainer
 * and startContainer from the container's init, so the path resolves in
 * the container's mount namespace (see init.c for where exactly, and
 * seccomp.h for how they stand to the filter).  The caller decides what a
 * failure means (abort create, or only log a failed poststart/poststop).
 *
 * Waits with a pidfd and poll(): no SIGCHLD handler, no sleeping.  SIGCHLD
 * must not be ignored (SIG_IGN) by the caller, or the exit status is lost. */
#ifndef KURA_RUNTIME_HOOKS_H
#define KURA_RUNTIME_HOOKS_H

#include <stddef.h>

#include "../common/err.h"
#include "spec.h"

/* Run hooks[0..n-1] in order.  state_json (may be NULL: empty stdin) is
 * the OCI state of the container.  kind_name ("prestart", ...) and the
 * 0-based index of the hook (as runc counts) name it in errors:
 *   prestart hook #0 (/usr/bin/foo): exited with status 3: <stderr line>
 *   prestart hook #1 (/usr/bin/bar): killed by signal 9 (SIGKILL)
 *   poststop hook #0 (/usr/bin/baz): timeout: still running after 5s, killed
 *   createRuntime hook #0 (/nope): exec: No such file or directory */
int hooks_run(const struct oci_hook *hooks, size_t n, const char *state_json, const char *kind_name,
              struct kerr *err);

/* The hooks of one kind read back from the config.json saved in the
 * state directory, for poststart (at `start`) and poststop (at `delete`).
 * The config was validated at create; only the hooks object is read
 * again, because by delete time the bundle and its rootfs may be gone and
 * spec_parse() would refuse the config.  Strings are borrowed from json. */
struct hooks_saved {
	struct json_object *json;
	struct oci_hook *hooks;
	size_t n;
};

int hooks_load_saved(int dirfd, enum oci_hook_kind kind, struct hooks_saved *ret, struct kerr *err);
void hooks_saved_free(struct hooks_saved *s);

/* The config.json name of a hook kind: OCI_HOOK_CREATE_RUNTIME ->
 * "createRuntime". */
const char *hooks_kind_name(enum oci_hook_kind kind);

#endif
