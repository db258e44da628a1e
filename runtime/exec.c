/* `kura exec`: see exec.h.
 *
 * The runtime joins the container's pid and time namespaces itself (they
 * only take effect for children), clones the process, and the child joins
 * the rest with one setns() on the init's pidfd.  A close-on-exec pipe
 * tells the runtime whether execve() succeeded, or why not.
 *
 * The container's linux.seccomp applies, loaded in the order seccomp.h
 * gives for the init (process.noNewPrivileges of the exec'd process
 * decides); a notify fd comes back over a socket and the runtime hands it
 * to listenerPath with the state and the new process's pid, as runc does. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"
#include "cgroup.h"
#include "console.h"
#include "forward.h"
#include "lsm.h"
#include "process.h"
#include "seccomp.h"
#include "spec.h"
#include "state.h"
#include "sync.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	const char *name;
	int flag;
} ns_files[] = {
    {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},    {"pid", CLONE_NEWPID},
    {"net", CLONE_NEWNET},       {"ipc", CLONE_NEWIPC},   {"uts", CLONE_NEWUTS},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

/* The namespaces of pid that differ from ours. */
static int namespaces_to_join(pid_t pid)
{
	int flags = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ns_files); i++) {
		char a[64], b[64];
		struct stat sa, sb;

		snprintf(a, sizeof(a), "/proc/self/ns/%s", ns_files[i].name);
		snprintf(b, sizeof(b), "/proc/%d/ns/%s", (int)pid, ns_files[i].name);
		if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
			continue;
		if (sa.st_ino != sb.st_ino || sa.st_dev != sb.st_dev)
			flags |= ns_files[i].flag;
	}
	return flags;
}

static void cleanup_specp(struct oci_spec **s)
{
	spec_free(*s);
}

static int load_saved_spec(int dirfd, const struct container_state *st, struct oci_spec **ret,
                           struct kerr *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (read_file_at(dirfd, "config.json", &text, &len, err) < 0)
		return kerr_wrap(err, "container %s", st->id);
	return spec_parse(text, len, st->bundle ? st->bundle : "/", "config.json", ret, err);
}

static int parse_id(const char *s, const char *what, uint32_t *ret, struct kerr *err)
{
	uint64_t v;

	if (parse_u64(s, &v) < 0 || v > 0xfffffffeULL)
		return kerr_setx(err, EINVAL, "%s: invalid id \"%s\"", what, s);
	*ret = (uint32_t)v;
	return 0;
}

/* Apply the command-line overrides to proc (strings stay borrowed from
 * argv).  A replaced array goes to ret_old[] for the caller to free; the
 * new ones belong to the spec, as the ones they replace did. */
static int apply_overrides(const struct exec_opts *o, struct oci_process *proc, void **ret_old,
                           struct kerr *err)
{
	if (!o->process_file) {
		const char **args = xcalloc(o->n_args + 1, sizeof(char *));
		for (size_t i = 0; i < o->n_args; i++)
			args[i] = o->args[i];
		ret_old[0] = (void *)proc->args;
		proc->args = args;
		proc->terminal = o->tty;
	} else if (o->tty) {
		proc->terminal = true;
	}
	if (!proc->args || !proc->args[0])
		return kerr_setx(err, EINVAL, "exec: no command given (args or --process)");
	if (o->n_env) {
		size_t n = strv_len((char *const *)proc->env);
		const char **env = xcalloc(n + o->n_env + 1, sizeof(char *));
		size_t k = 0;

		/* An --env K=V replaces K from the process env. */
		for (size_t i = 0; i < n; i++) {
			const char *eq = strchr(proc->env[i], '=');
			size_t klen = eq ? (size_t)(eq - proc->env[i]) : strlen(proc->env[i]);
			bool replaced = false;
			for (size_t j = 0; j < o->n_env; j++)
				if (strncmp(o->env[j], proc->env[i], klen) == 0 &&
				    o->env[j][klen] == '=')
					replaced = true;
			if (!replaced)
				env[k++] = proc->env[i];
		}
		for (size_t j = 0; j < o->n_env; j++)
			env[k++] = o->env[j];
		ret_old[1] = (void *)proc->env;
		proc->env = env;
	}
	if (o->cwd) {
		if (o->cwd[0] != '/')
			return kerr_setx(err, EINVAL, "--cwd: must be an absolute path: \"%s\"",
			                 o->cwd);
		proc->cwd = o->cwd;
	}
	if (o->user) {
		_cleanup_free_ char *copy = xstrdup(o->user);
		char *colon = strchr(copy, ':');
		uint32_t id = 0;

		if (colon)
			*colon = '\0';
		if (parse_id(copy, "--user", &id, err) < 0)
			return kerr_code(err);
		proc->user.uid = id;
		if (colon) {
			if (parse_id(colon + 1, "--user", &id, err) < 0)
				return kerr_code(err);
			proc->user.gid = id;
		}
	}
	if (o->n_additional_gids) {
		gid_t *gids = xcalloc(o->n_additional_gids, sizeof(gid_t));

		ret_old[2] = proc->user.additional_gids;
		proc->user.additional_gids = gids;
		proc->user.n_additional_gids = o->n_additional_gids;
		for (size_t i = 0; i < o->n_additional_gids; i++) {
			uint32_t id = 0;
			if (parse_id(o->additional_gids[i], "--additional-gids", &id, err) < 0)
				return kerr_code(err);
			gids[i] = id;
		}
	}
	for (size_t i = 0; i < o->n_caps; i++) {
		int cap = spec_capability_from_name(o->caps[i]);
		if (cap < 0)
			return kerr_setx(err, EINVAL, "--cap: unknown capability \"%s\"",
			                 o->caps[i]);
		proc->has_capabilities = true;
		proc->capabilities.bounding |= 1ULL << cap;
		proc->capabilities.effective |= 1ULL << cap;
		proc->capabilities.permitted |= 1ULL << cap;
		/* Never inheritable (CVE-2022-29162); ambient only where the
		 * process has inheritable bits already, as runc does. */
		if (proc->capabilities.inheritable)
			proc->capabilities.ambient |= 1ULL << cap;
	}
	if (o->no_new_privs)
		proc->no_new_privileges = true;
	if (o->apparmor)
		proc->apparmor_profile = o->apparmor;
	if (o->process_label)
		proc->selinux_label = o->process_label;
	return 0;
}

struct exec_child {
	const struct oci_process *proc;
	int pidfd;      /* of the container's init */
	int join_flags; /* namespaces to join in the child */
	int status_fd;  /* write end of the exec status pipe */
	int go_fd;      /* read end: a byte once the runtime has placed us */
	int console_fd;
	int preserve_fds;
	const struct kura_seccomp *filter; /* or NULL */
	int seccomp_sock;                  /* child end, with a notify filter; else -1 */
};

static _Noreturn void exec_child_main(const struct exec_child *c)
{
	const struct oci_process *proc = c->proc;
	_cleanup_free_ char *exe = NULL, *home = NULL;
	struct kerr err = {0};
	const char **env;
	int lsm_proc = -1;
	bool seccomp_early =
	    c->filter && (!proc->no_new_privileges || seccomp_uses_notify(c->filter));

	signals_reset();
	/* Wait until the runtime has put us in the container's cgroup and
	 * set our rlimits: nothing of the user's may run before. */
	if (read(c->go_fd, &(char){0}, 1) != 1)
		_exit(127);
	close(c->go_fd);
	if (c->join_flags && setns(c->pidfd, c->join_flags) < 0) {
		kerr_set(&err, errno, "join the container's namespaces");
		goto fail;
	}
	if ((c->join_flags & CLONE_NEWUSER) && process_become_root(&err) < 0)
		goto fail;
	if (proc->terminal) {
		if (setsid() < 0) {
			kerr_set(&err, errno, "setsid");
			goto fail;
		}
		if (console_setup_in_init(c->console_fd, proc, false, &err) < 0)
			goto fail;
	}
	if (process_enter_cwd(proc->cwd, &err) < 0)
		goto fail;
	env = process_build_env(proc, &home);
	if (process_find_executable(proc->args[0], env, &exe, &err) < 0)
		goto fail;
	if (lsm_open_proc(proc, &lsm_proc, &err) < 0 ||
	    lsm_set_exec_label(lsm_proc, proc, &err) < 0)
		goto fail;
	/* Without no_new_privs the load needs CAP_SYS_ADMIN: before the
	 * identity drops it. */
	if (seccomp_early && seccomp_filter_load_and_send(c->filter, c->seccomp_sock, &err) < 0)
		goto fail;
	if (c->seccomp_sock >= 0)
		close(c->seccomp_sock);
	if (process_apply_identity(proc, true, &err) < 0)
		goto fail;
	if (close_range(3 + (unsigned)c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		kerr_set(&err, errno, "close_range");
		goto fail;
	}
	if (process_set_no_new_privs(proc, &err) < 0)
		goto fail;
	if (!seccomp_early && seccomp_filter_load(c->filter, NULL, &err) < 0)
		goto fail;
	execve(exe, (char *const *)proc->args, (char *const *)env);
	kerr_set(&err, errno, "exec: \"%s\"", proc->args[0]);
fail:
	write_all(c->status_fd, err.msg, strlen(err.msg));
	_exit(127);
}

/* Read the exec status pipe to EOF: empty means execve() succeeded. */
static int read_exec_status(int fd, struct kerr *err)
{
	char buf[KERR_MSG_MAX];
	ssize_t n = read_all(fd, buf, sizeof(buf) - 1);

	if (n > 0) {
		buf[n] = '\0';
		return kerr_setx(err, EINVAL, "%s", buf);
	}
	return 0;
}

/* Hand the exec'd process's notify fd to the seccomp agent.  EOF: the
 * child failed before its load; read_exec_status() says why. */
static int serve_seccomp(int sock, const struct kura_seccomp *filter,
                         const struct container_state *st, pid_t pid, struct kerr *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *json = NULL;
	struct sync_msg msg;
	int r = sync_recv_fd(sock, &msg, &fd);

	if (r == -EPIPE)
		return 0;
	if (r < 0)
		return kerr_set(err, -r, "seccomp: read from the exec process");
	if (msg.type != SYNC_SECCOMP || fd < 0)
		return kerr_setx(err, EPROTO,
		                 "seccomp: unexpected message %u from the exec process", msg.type);
	json = state_to_oci_json(st, CONTAINER_RUNNING, false);
	if (seccomp_send_listener(seccomp_listener_path(filter), seccomp_listener_metadata(filter),
	                          fd, json, pid, err) < 0)
		return kerr_wrap(err, "config.json: linux.seccomp.listenerPath");
	sync_send(sock, SYNC_SECCOMP_DONE, 0, NULL);
	return 0;
}

int container_exec(const struct runtime_ctx *ctx, const struct exec_opts *o, int *ret_status,
                   struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1, init_pidfd = -1, console_fd = -1;
	_cleanup_close_ int status_r = -1, status_w = -1, pidfd = -1, sc_parent = -1, sc_child = -1;
	_cleanup_close_ int own_pidns = -1, own_timens = -1, go_r = -1, go_w = -1;
	_cleanup_(cleanup_specp) struct oci_spec *spec = NULL;
	_cleanup_seccomp_ struct kura_seccomp *filter = NULL;
	struct container_state st = {0};
	void *replaced[3] = {NULL, NULL, NULL};
	struct exec_child child;
	struct clone_args args = {.exit_signal = SIGCHLD, .flags = CLONE_PIDFD};
	enum container_status status;
	int join, r, sfd = -1, fds[2];
	sigset_t old;
	pid_t pid;

	*ret_status = 0;
	if (state_check_id(o->id, err) < 0 || state_open_root(ctx->root, false, &rootfd, err) < 0 ||
	    state_dir_open(rootfd, o->id, &dirfd, err) < 0 ||
	    state_read(dirfd, o->id, &st, err) < 0)
		return kerr_code(err);
	status = container_status_now(dirfd, &st);
	if (status == CONTAINER_STOPPED) {
		r = kerr_setx(err, EINVAL, "cannot exec in a stopped container");
		goto out;
	}
	if (status == CONTAINER_PAUSED) {
		r = kerr_setx(err, EINVAL, "cannot exec in a paused container");
		goto out;
	}
	if ((r = state_pidfd(&st, &init_pidfd)) < 0) {
		r = kerr_setx(err, ESRCH, "cannot exec in a stopped container");
		goto out;
	}
	if ((r = load_saved_spec(dirfd, &st, &spec, err)) < 0)
		goto out;
	if (o->process_file) {
		_cleanup_free_ char *text = NULL;
		size_t len;
		if ((r = read_file_at(AT_FDCWD, o->process_file, &text, &len, err)) < 0 ||
		    (r = spec_parse_process(spec, text, len, "process.json", err)) < 0)
			goto out;
	}
	if ((r = apply_overrides(o, &spec->process, replaced, err)) < 0)
		goto out;
	if ((r = lsm_validate(&spec->process, err)) < 0)
		goto out;
	if ((r = seccomp_filter_build(spec->linux.seccomp, &filter, err)) < 0)
		goto out;
	if (seccomp_uses_notify(filter)) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
			r = kerr_set(err, errno, "socketpair");
			goto out;
		}
		sc_parent = sv[0];
		sc_child = sv[1];
	}
	if (spec->process.terminal && !o->console_socket) {
		r = kerr_setx(err, EINVAL, "exec: --tty needs --console-socket");
		goto out;
	}
	if (o->console_socket &&
	    (r = console_socket_connect(o->console_socket, &console_fd, err)) < 0)
		goto out;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = kerr_set(err, errno, "pipe");
		goto out;
	}
	status_r = fds[0];
	status_w = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = kerr_set(err, errno, "pipe");
		goto out;
	}
	go_r = fds[0];
	go_w = fds[1];

	join = namespaces_to_join(st.pid);
	/* pid and time namespaces apply to children: join them here, and go
	 * back to our own right after the clone. */
	if ((join & CLONE_NEWPID) &&
	    (own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) < 0) {
		r = kerr_set(err, errno, "open `/proc/self/ns/pid`");
		goto out;
	}
	if ((join & CLONE_NEWTIME) &&
	    (own_timens = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC)) < 0) {
		r = kerr_set(err, errno, "open `/proc/self/ns/time`");
		goto out;
	}
	if ((join & (CLONE_NEWPID | CLONE_NEWTIME)) &&
	    setns(init_pidfd, join & (CLONE_NEWPID | CLONE_NEWTIME)) < 0) {
		r = kerr_set(err, errno, "join the container's pid namespace");
		goto out;
	}
	child = (struct exec_child){
	    .proc = &spec->process,
	    .pidfd = init_pidfd,
	    .join_flags = join & ~(CLONE_NEWPID | CLONE_NEWTIME),
	    .status_fd = status_w,
	    .go_fd = go_r,
	    .console_fd = console_fd,
	    .preserve_fds = o->preserve_fds,
	    .filter = filter,
	    .seccomp_sock = sc_child,
	};
	if (!o->detach)
		sfd = forward_begin(&old);
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	pid = sys_clone3(&args);
	if (pid == 0)
		exec_child_main(&child);
	/* Any later child of ours (a sanitizer's helper, say) must not be
	 * born into the container.  Going back to our own active pid and time
	 * namespaces is always allowed. */
	if (own_pidns >= 0)
		(void)setns(own_pidns, CLONE_NEWPID);
	if (own_timens >= 0)
		(void)setns(own_timens, CLONE_NEWTIME);
	if (pid < 0) {
		r = kerr_set(err, errno, "clone the exec process");
		goto out_mask;
	}
	close(steal_fd(status_w));
	if (sc_child >= 0)
		close(steal_fd(sc_child));
	close(steal_fd(go_r));
	/* The cgroup and rlimits of the process, set from outside as for
	 * the init, before it goes on. */
	if ((r = container_cgroup_join(dirfd, pid, err)) < 0 ||
	    (r = process_set_limits(pid, &spec->process, err)) < 0) {
		sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		waitpid(pid, NULL, 0);
		goto out_mask;
	}
	if (write(go_w, "", 1) != 1) {
		r = kerr_set(err, errno, "start the exec process");
		waitpid(pid, NULL, 0);
		goto out_mask;
	}
	close(steal_fd(go_w));
	if (sc_parent >= 0 && (r = serve_seccomp(sc_parent, filter, &st, pid, err)) < 0) {
		sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		waitpid(pid, NULL, 0);
		goto out_mask;
	}
	/* Unlock while the process runs: state, kill and delete must work. */
	close(steal_fd(dirfd));
	if ((r = read_exec_status(status_r, err)) < 0) {
		waitpid(pid, NULL, 0);
		goto out_mask;
	}
	if (o->pid_file) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
		if (write_file_atomic(o->pid_file, buf, (size_t)n, 0644, err) < 0) {
			r = kerr_wrap(err, "--pid-file");
			goto out_mask;
		}
	}
	if (o->detach) {
		r = 0;
		goto out;
	}
	r = forward_wait(pidfd, sfd, &old, ret_status);
	if (r < 0)
		r = 0;
	close(sfd);
	goto out;
out_mask:
	if (!o->detach) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sfd);
	}
out:
	/* spec_free() frees the arrays now in spec->process. */
	for (size_t i = 0; i < ARRAY_SIZE(replaced); i++)
		free(replaced[i]);
	container_state_free(&st);
	return r;
}
