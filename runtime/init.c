/* The container's init, from its birth in the new namespaces to the
 * execve() of process.args.  Runs in a child of the runtime; every failure
 * is reported to the runtime as SYNC_ERROR and ends the process.
 *
 * The order is forced by the kernel and by safety:
 *  1. wait for SYNC_GO: id maps, rlimits and the cgroup are in place;
 *  2. cgroup namespace (rooted at the cgroup we were just put in), session;
 *  3. hostname; SYNC_HOOKS: the runtime runs prestart and createRuntime
 *     hooks; createContainer hooks here, in the container's mount
 *     namespace, before pivot_root;
 *  4. root filesystem, sysctls (through the new /proc), then readonly and
 *     masked paths;
 *  5. cwd, executable lookup; the seccomp filter if it must be loaded with
 *     CAP_SYS_ADMIN (no noNewPrivileges) or has a notify fd to hand over
 *     (SYNC_SECCOMP); then drop to the configured identity;
 *  6. SYNC_READY, wait for SYNC_COMMIT (the runtime saved the state);
 *  7. block on exec.fifo until `start`, write one byte, startContainer
 *     hooks, no_new_privs, seccomp last (noNewPrivileges), execve.
 *     exec.fifo is close-on-exec, so `start` sees EOF exactly when the
 *     exec succeeded, or an error text if not.
 * As in runc, startContainer hooks run with the process identity and,
 * without noNewPrivileges, under the seccomp filter. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"
#include "../fs/fsroot.h"
#include "console.h"
#include "hooks.h"
#include "lsm.h"
#include "process.h"
#include "seccomp.h"
#include "state.h"
#include "sync.h"
#include "sysctl.h"

static _Noreturn void init_fail(int sync_fd, const struct kerr *err)
{
	sync_send(sync_fd, SYNC_ERROR, err->errnum, err->msg);
	_exit(1);
}

static bool setgroups_allowed(bool userns_new)
{
	char buf[16] = "";
	int fd;

	if (!userns_new)
		return true;
	fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	(void)!read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return strncmp(buf, "deny", 4) != 0;
}

static void fsroot_config_from_spec(const struct spawn_config *cfg, bool userns,
                                    struct fsroot_config *fc)
{
	const struct oci_spec *spec = cfg->spec;
	const struct oci_namespace *pidns = spec_namespace(spec, CLONE_NEWPID);
	const struct oci_namespace *netns = spec_namespace(spec, CLONE_NEWNET);

	memset(fc, 0, sizeof(*fc));
	fc->rootfs = spec->root_path;
	fc->readonly = spec->root_readonly;
	fc->propagation = spec->linux.rootfs_propagation;
	fc->mounts = spec->mounts;
	fc->n_mounts = spec->n_mounts;
	fc->devices = spec->linux.devices;
	fc->n_devices = spec->linux.n_devices;
	fc->masked_paths = spec->linux.masked_paths;
	fc->readonly_paths = spec->linux.readonly_paths;
	fc->in_user_ns = userns || spec_namespace(spec, CLONE_NEWUSER) != NULL;
	fc->new_pid_ns = pidns && !pidns->path;
	fc->new_net_ns = netns && !netns->path;
	fc->mount_label = spec->linux.mount_label;
	fc->no_pivot = cfg->no_pivot;
}

/* Run the hooks of one kind in the init, with the state as runc gives
 * it: the pid as the container sees it. */
static int run_container_hooks(const struct spawn_config *cfg, enum oci_hook_kind kind,
                               enum container_status status, struct kerr *err)
{
	const struct oci_hooks *h = &cfg->spec->hooks;
	_cleanup_free_ char *json = NULL;
	struct container_state st;

	if (h->n_hooks[kind] == 0)
		return 0;
	st = *cfg->state;
	st.pid = getpid();
	json = state_to_oci_json(&st, status, false);
	return hooks_run(h->hooks[kind], h->n_hooks[kind], json, hooks_kind_name(kind), err);
}

_Noreturn void init_main(const struct spawn_config *cfg, int sync_fd, bool userns_new)
{
	const struct oci_spec *spec = cfg->spec;
	const struct oci_process *proc = &spec->process;
	const struct oci_namespace *ns;
	struct fsroot_config fc;
	struct kerr err = {0};
	struct sync_msg msg;
	_cleanup_free_ char *exe = NULL, *home = NULL;
	const char **env;
	int fifo, lsm_proc = -1;
	bool seccomp_early;

	/* `run` blocks the signals it forwards, and a runtime started in the
	 * background ignores SIGINT: the container starts clean. */
	signals_reset();
	if (sync_expect(sync_fd, SYNC_GO, &msg, &err) < 0)
		_exit(1);

	if (userns_new && process_become_root(&err) < 0)
		init_fail(sync_fd, &err);
	ns = spec_namespace(spec, CLONE_NEWCGROUP);
	if (ns && !ns->path && unshare(CLONE_NEWCGROUP) < 0) {
		kerr_set(&err, errno, "unshare cgroup namespace");
		init_fail(sync_fd, &err);
	}
	/* Only a new session may take a controlling terminal; without one the
	 * init stays in the caller's session, as runc's does. */
	if (proc->terminal && setsid() < 0) {
		kerr_set(&err, errno, "setsid");
		init_fail(sync_fd, &err);
	}
	if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0) {
		kerr_set(&err, errno, "hostname: sethostname \"%s\"", spec->hostname);
		init_fail(sync_fd, &err);
	}
	if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0) {
		kerr_set(&err, errno, "domainname: setdomainname \"%s\"", spec->domainname);
		init_fail(sync_fd, &err);
	}

	if (lsm_open_proc(proc, &lsm_proc, &err) < 0)
		init_fail(sync_fd, &err);
	/* The tenant root (overlay, loop image, sparse) goes onto root.path
	 * first, in our new mount namespace: the hooks see the root the
	 * process will, and every mount of it dies with the namespace. */
	ns = spec_namespace(spec, CLONE_NEWNS);
	if (ns && !ns->path && fsroot_root_mount(cfg->root, &err) < 0)
		init_fail(sync_fd, &err);
	/* prestart and createRuntime run in the runtime now, then
	 * createContainer here: in our mount namespace, before pivot_root. */
	if (spec->hooks.n_hooks[OCI_HOOK_PRESTART] ||
	    spec->hooks.n_hooks[OCI_HOOK_CREATE_RUNTIME]) {
		if (sync_send(sync_fd, SYNC_HOOKS, 0, NULL) < 0 ||
		    sync_expect(sync_fd, SYNC_HOOKS_DONE, &msg, &err) < 0)
			_exit(1);
	}
	if (spec->hooks.n_hooks[OCI_HOOK_CREATE_CONTAINER]) {
		if (chdir(spec->root_path) < 0) {
			kerr_set(&err, errno, "root.path: chdir `%s`", spec->root_path);
			init_fail(sync_fd, &err);
		}
		if (run_container_hooks(cfg, OCI_HOOK_CREATE_CONTAINER, CONTAINER_CREATING, &err) <
		    0)
			init_fail(sync_fd, &err);
	}
	fsroot_config_from_spec(cfg, userns_new, &fc);
	if (ns && !ns->path) {
		if (fsroot_setup(&fc, &err) < 0)
			init_fail(sync_fd, &err);
	} else if (chroot(spec->root_path) < 0 || chdir("/") < 0) {
		/* A joined mount namespace: the root must already be there. */
		kerr_set(&err, errno, "root.path: chroot `%s`", spec->root_path);
		init_fail(sync_fd, &err);
	}
	if (proc->terminal && console_setup_in_init(cfg->console_socket_fd, proc, true, &err) < 0)
		init_fail(sync_fd, &err);
	if (sysctl_apply(spec, &err) < 0)
		init_fail(sync_fd, &err);
	if (ns && !ns->path && fsroot_make_cwd(proc->cwd, &err) < 0)
		init_fail(sync_fd, &err);
	if (ns && !ns->path && fsroot_finish(&fc, &err) < 0)
		init_fail(sync_fd, &err);

	if (process_enter_cwd(proc->cwd, &err) < 0)
		init_fail(sync_fd, &err);
	env = process_build_env(proc, &home);
	if (process_find_executable(proc->args[0], env, &exe, &err) < 0)
		init_fail(sync_fd, &err);
	if (lsm_set_exec_label(lsm_proc, proc, &err) < 0)
		init_fail(sync_fd, &err);
	/* Without no_new_privs the load needs CAP_SYS_ADMIN, which the
	 * identity drops; a notify fd must reach the runtime before
	 * SYNC_READY.  Every later syscall of the init runs under the filter. */
	seccomp_early =
	    cfg->seccomp && (!proc->no_new_privileges || seccomp_uses_notify(cfg->seccomp));
	if (seccomp_early && seccomp_filter_load_and_send(cfg->seccomp, sync_fd, &err) < 0)
		init_fail(sync_fd, &err);
	if (process_apply_identity(proc, setgroups_allowed(userns_new), &err) < 0)
		init_fail(sync_fd, &err);
	/* Only fds 0-2 and the preserved ones reach the process. */
	if (close_range(3 + (unsigned)cfg->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		kerr_set(&err, errno, "close_range");
		init_fail(sync_fd, &err);
	}

	if (sync_send(sync_fd, SYNC_READY, 0, NULL) < 0 ||
	    sync_expect(sync_fd, SYNC_COMMIT, &msg, &err) < 0)
		_exit(1);
	close(sync_fd);

	/* exec.fifo is owned by root with mode 0622, so a non-root process
	 * user can still open it for writing.  The open blocks until `start`
	 * opens the other end. */
	fifo = openat(cfg->state_dirfd, "exec.fifo", O_WRONLY | O_CLOEXEC);
	if (fifo < 0)
		_exit(1);
	close(cfg->state_dirfd);
	if (write_all(fifo, "0", 1) < 0)
		_exit(1);

	if (run_container_hooks(cfg, OCI_HOOK_START_CONTAINER, CONTAINER_CREATED, &err) < 0)
		goto fail_exec;
	if (process_set_no_new_privs(proc, &err) < 0)
		goto fail_exec;
	/* The last step before execve: nothing of ours runs under the
	 * user's filter but execve itself. */
	if (!seccomp_early && seccomp_filter_load(cfg->seccomp, NULL, &err) < 0)
		goto fail_exec;
	execve(exe, (char *const *)proc->args, (char *const *)env);
	kerr_set(&err, errno, "exec: \"%s\"", proc->args[0]);
fail_exec:
	write_all(fifo, err.msg, strlen(err.msg));
	_exit(127);
}
