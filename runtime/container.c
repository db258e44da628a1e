/* The container lifecycle: see container.h.  Each command opens the
 * state directory, takes its lock, derives the live status and acts. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"
#include "cgroup.h"
#include "console.h"
#include "forward.h"
#include "hooks.h"
#include "lsm.h"
#include "tty.h"
#include "process.h"
#include "rootopts.h"
#include "seccomp.h"
#include "spawn.h"
#include "spec.h"
#include "sync.h"
#include "sysctl.h"

static void cleanup_specp(struct oci_spec **s)
{
	spec_free(*s);
}
#define _cleanup_spec_ _cleanup_(cleanup_specp)

static void cleanup_statep(struct container_state *st)
{
	container_state_free(st);
}
#define _cleanup_state_ _cleanup_(cleanup_statep)

/* Run the runtime's hooks of one kind with the state (status, pid). */
static int run_hooks(const struct oci_hook *hooks, size_t n, enum oci_hook_kind kind,
                     const struct container_state *st, enum container_status status,
                     struct kerr *err)
{
	_cleanup_free_ char *json = NULL;

	if (n == 0)
		return 0;
	json = state_to_oci_json(st, status, false);
	return hooks_run(hooks, n, json, hooks_kind_name(kind), err);
}

/* prestart and createRuntime, while the container is being created. */
static int run_spec_hooks(const struct oci_spec *spec, enum oci_hook_kind kind,
                          const struct container_state *st, struct kerr *err)
{
	return run_hooks(spec->hooks.hooks[kind], spec->hooks.n_hooks[kind], kind, st,
	                 CONTAINER_CREATING, err);
}

/* A hook failure that must not fail the command (runtime-spec: poststart
 * and poststop "log a warning"): the caller logs it. */
static void warn_from(const struct runtime_ctx *ctx, const struct kerr *e)
{
	if (ctx->warn)
		*ctx->warn = *e;
}

/* After SYNC_GO: serve the init's requests (hooks, seccomp notify fd)
 * until it reports SYNC_READY. */
static int serve_init(int sync_fd, const struct oci_spec *spec, const struct kura_seccomp *filter,
                      const struct container_state *st, struct kerr *err)
{
	for (;;) {
		_cleanup_close_ int fd = -1;
		_cleanup_free_ char *json = NULL;
		struct sync_msg msg;
		int r = sync_recv_fd(sync_fd, &msg, &fd);

		if (r == -EPIPE)
			return kerr_setx(err, EPIPE, "container init exited unexpectedly");
		if (r < 0)
			return kerr_set(err, -r, "read from container init");
		switch (msg.type) {
		case SYNC_READY:
			return 0;
		case SYNC_ERROR:
			return kerr_setx(err, msg.value > 0 ? msg.value : EINVAL, "%s", msg.text);
		case SYNC_HOOKS:
			/* Both in the runtime's namespaces, prestart first. */
			if (run_spec_hooks(spec, OCI_HOOK_PRESTART, st, err) < 0 ||
			    run_spec_hooks(spec, OCI_HOOK_CREATE_RUNTIME, st, err) < 0)
				return kerr_code(err);
			r = sync_send(sync_fd, SYNC_HOOKS_DONE, 0, NULL);
			break;
		case SYNC_SECCOMP:
			if (fd < 0 || !seccomp_listener_path(filter))
				return kerr_setx(err, EPROTO,
				                 "container init: unexpected seccomp fd");
			json = state_to_oci_json(st, CONTAINER_CREATING, false);
			if (seccomp_send_listener(seccomp_listener_path(filter),
			                          seccomp_listener_metadata(filter), fd, json,
			                          st->pid, err) < 0)
				return kerr_wrap(err, "config.json: linux.seccomp.listenerPath");
			r = sync_send(sync_fd, SYNC_SECCOMP_DONE, 0, NULL);
			break;
		default:
			return kerr_setx(err, EPROTO, "container init: unexpected message %u",
			                 msg.type);
		}
		if (r < 0)
			return kerr_setx(err, EPIPE, "container init exited unexpectedly");
	}
}

/* A created container, as create leaves it for run. */
struct created {
	pid_t pid;
	int pidfd;
	int dirfd;        /* locked state directory */
	int console_peer; /* internal console socket end (foreground run), or -1 */
	struct container_state state;
};

static int load_bundle(const char *bundle_arg, char **ret_bundle, char **ret_text,
                       struct oci_spec **ret_spec, struct kerr *err)
{
	char bundle[PATH_MAX];
	_cleanup_free_ char *text = NULL, *path = NULL;
	size_t len;

	if (!realpath(bundle_arg ? bundle_arg : ".", bundle))
		return kerr_set(err, errno, "bundle `%s`", bundle_arg ? bundle_arg : ".");
	path = xasprintf("%s/config.json", bundle);
	if (read_file_at(AT_FDCWD, path, &text, &len, err) < 0)
		return kerr_code(err);
	if (spec_parse(text, len, bundle, "config.json", ret_spec, err) < 0)
		return kerr_code(err);
	*ret_bundle = xstrdup(bundle);
	*ret_text = steal_ptr(text);
	return 0;
}

static int write_pid_file(const char *path, pid_t pid, struct kerr *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (write_file_atomic(path, buf, (size_t)n, 0644, err) < 0)
		return kerr_wrap(err, "--pid-file");
	return 0;
}

static char *owner_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return xstrdup(pw ? pw->pw_name : "");
}

static struct json_object *annotations_json(const struct oci_spec *spec)
{
	struct json_object *o;

	if (spec->n_annotations == 0)
		return NULL;
	o = json_object_new_object();
	for (size_t i = 0; i < spec->n_annotations; i++)
		json_object_object_add(o, spec->annotations[i].key,
		                       json_object_new_string(spec->annotations[i].value));
	return o;
}

static void kill_and_reap(pid_t pid, int pidfd)
{
	if (pidfd >= 0)
		sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	else
		kill(pid, SIGKILL);
	/* The init is our child on the fast path; on the slow path waitpid
	 * fails with ECHILD and the kill is enough. */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int create_container(const struct runtime_ctx *ctx, const struct container_create_opts *o,
                            bool relay_tty, struct created *out, struct kerr *err)
{
	_cleanup_spec_ struct oci_spec *spec = NULL;
	_cleanup_free_ char *bundle = NULL, *text = NULL;
	_cleanup_close_ int rootfd = -1, dirfd = -1, console_fd = -1, pathfd = -1, cgfd = -1;
	_cleanup_seccomp_ struct kura_seccomp *filter = NULL;
	_cleanup_(cgroup_resources_free) struct cgroup_resources res = {0};
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	_cleanup_rootopts_ struct rootopts root = {0};
	_cleanup_free_ char *state_dir = NULL;
	_cleanup_(cgroup_prewarm_wait) struct cgroup_prewarm prewarm = {0};
	struct spawn_result child = {.pid = -1, .pidfd = -1, .sync_fd = -1};
	struct spawn_config cfg;
	uint64_t start_time = 0;
	char created[64];

	if (state_check_id(o->id, err) < 0)
		return kerr_code(err);
	/* From the start: the grace period should be over by the attach. */
	cgroup_prewarm_start(&prewarm);
	if (load_bundle(o->bundle, &bundle, &text, &spec, err) < 0)
		return kerr_code(err);
	if (!spec->has_process)
		return kerr_setx(err, EINVAL,
		                 "config.json: process: required to create a container");
	if (sysctl_validate(spec, err) < 0 || lsm_validate(&spec->process, err) < 0)
		return kerr_code(err);
	/* Compiled here: a config error before anything exists, and the init
	 * (a copy of our memory) only makes the seccomp(2) call. */
	if (seccomp_filter_build(spec->linux.seccomp, &filter, err) < 0)
		return kerr_code(err);
	if (container_resources_from_spec(spec, &res, err) < 0)
		return kerr_code(err);
	state_dir = xasprintf("%s/%s", ctx->root, o->id);
	if (rootopts_from_spec(spec, state_dir, &root, err) < 0)
		return kerr_wrap(err, "config.json: annotations");
	out->console_peer = -1;
	if (spec->process.terminal && !o->console_socket && !relay_tty)
		return kerr_setx(err, EINVAL,
		                 "cannot allocate tty if kura will detach without setting console "
		                 "socket (process.terminal is true)");
	if (!spec->process.terminal && o->console_socket)
		return kerr_setx(err, EINVAL,
		                 "cannot use console socket if kura will not detach or allocate "
		                 "tty (process.terminal is false)");

	if (state_open_root(ctx->root, true, &rootfd, err) < 0)
		return kerr_code(err);
	if (state_dir_create(rootfd, o->id, &dirfd, err) < 0)
		return kerr_code(err);

	/* From here on, a failure removes the state directory. */
	if (write_file_atomic_at(dirfd, "config.json", text, strlen(text), 0600, err) < 0)
		goto fail;
	if (mkfifoat(dirfd, "exec.fifo", 0600) < 0 ||
	    fchmodat(dirfd, "exec.fifo", 0622, AT_SYMLINK_NOFOLLOW) < 0) {
		kerr_set(err, errno, "create exec.fifo");
		goto fail;
	}
	pathfd = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pathfd < 0) {
		kerr_set(err, errno, "open state directory");
		goto fail;
	}
	/* Recorded in cgroup.json before a directory is made: a create
	 * killed from here on still tells `delete --force` what to remove. */
	if (container_cgroup_create(dirfd, spec, o->id, ctx->systemd_cgroup, &res, &cg, err) < 0)
		goto fail;
	if (rootopts_prepare(&root, spec, err) < 0 || fsroot_root_premount(&root.root, err) < 0)
		goto fail;
	if (o->console_socket && console_socket_connect(o->console_socket, &console_fd, err) < 0)
		goto fail;
	if (spec->process.terminal && !o->console_socket) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			kerr_set(err, errno, "socketpair for the terminal");
			goto fail;
		}
		out->console_peer = sv[0];
		console_fd = sv[1];
	}

	/* The state the hooks see; pid and start time follow once known. */
	rfc3339_now(created, sizeof(created));
	out->state = (struct container_state){
	    .id = xstrdup(o->id),
	    .bundle = xstrdup(bundle),
	    .rootfs = xstrdup(spec->root_path),
	    .created = xstrdup(created),
	    .owner = owner_name(),
	    .annotations = annotations_json(spec),
	    .has_state_file = true,
	};
	cfg = (struct spawn_config){
	    .spec = spec,
	    .seccomp = filter,
	    .root = &root.root,
	    .state = &out->state,
	    .state_dirfd = pathfd,
	    .console_socket_fd = console_fd,
	    .preserve_fds = o->preserve_fds,
	    .no_pivot = o->no_pivot,
	    .lock_fd = dirfd,
	    .cgroup_fd = cgfd = cgroup_v2_dirfd(cg),
	};
	/* Joined before the clone: a raw clone3() copies a lock that the
	 * exiting thread may hold in libc (malloc's, the stack cache's), and
	 * the init would wait on it forever. */
	cgroup_prewarm_wait(&prewarm);
	if (spawn_init(&cfg, &child, err) < 0)
		goto fail;
	out->state.pid = child.pid;
	rootopts_free(&root); /* the init has its copy of a premounted root */
	if ((!child.in_cgroup && cgroup_attach(cg, child.pid, err) < 0) ||
	    process_set_limits(child.pid, &spec->process, err) < 0)
		goto fail_child;
	if (sync_send(child.sync_fd, SYNC_GO, 0, NULL) < 0) {
		kerr_setx(err, EPIPE, "container init exited unexpectedly");
		goto fail_child;
	}
	if (serve_init(child.sync_fd, spec, filter, &out->state, err) < 0)
		goto fail_child;
	if (proc_start_time(child.pid, &start_time, err) < 0)
		goto fail_child;
	out->state.start_time = start_time;

	if (state_write(dirfd, &out->state, err) < 0)
		goto fail_state;
	if (o->pid_file && write_pid_file(o->pid_file, child.pid, err) < 0)
		goto fail_state;
	if (sync_send(child.sync_fd, SYNC_COMMIT, 0, NULL) < 0) {
		kerr_set(err, EPIPE, "container init exited unexpectedly");
		goto fail_state;
	}
	close(child.sync_fd);
	out->pid = child.pid;
	out->pidfd = child.pidfd;
	out->dirfd = steal_fd(dirfd);
	return 0;

fail_state:
fail_child:
	kill_and_reap(child.pid, child.pidfd);
	if (child.pidfd >= 0)
		close(child.pidfd);
	if (child.sync_fd >= 0)
		close(child.sync_fd);
fail : {
	struct kerr ignored;
	if (cg)
		cgroup_destroy(steal_ptr(cg), &ignored); /* frees cg */
	state_dir_remove(rootfd, o->id, &ignored);
}
	container_state_free(&out->state);
	memset(&out->state, 0, sizeof(out->state));
	if (out->console_peer >= 0)
		close(out->console_peer);
	out->console_peer = -1;
	return kerr_code(err);
}

int container_create(const struct runtime_ctx *ctx, const struct container_create_opts *o,
                     struct kerr *err)
{
	struct created c = {0};

	if (create_container(ctx, o, false, &c, err) < 0)
		return kerr_code(err);
	close(c.pidfd);
	close(c.dirfd);
	container_state_free(&c.state);
	return 0;
}

/* Open exec.fifo and let the init exec.  Returns once process.args has
 * been exec'd (EOF on the fifo) or with the init's error. */
static int start_locked(int dirfd, const struct container_state *st, struct kerr *err)
{
	_cleanup_close_ int fifo = -1, pidfd = -1;
	char buf[KERR_MSG_MAX];
	size_t got = 0;
	bool released = false;

	switch (container_status_now(dirfd, st)) {
	case CONTAINER_CREATED:
		break;
	case CONTAINER_STOPPED:
		return kerr_setx(err, EINVAL, "cannot start a container that has stopped");
	default:
		return kerr_setx(err, EINVAL, "cannot start an already running container");
	}
	if (state_pidfd(st, &pidfd) < 0)
		return kerr_setx(err, ESRCH, "cannot start a container that has stopped");
	fifo = openat(dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return kerr_set(err, errno, "open exec.fifo");

	for (;;) {
		struct pollfd pfd[2] = {{.fd = fifo, .events = POLLIN},
		                        {.fd = pidfd, .events = POLLIN}};
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return kerr_set(err, errno, "poll exec.fifo");
		}
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			n = read(fifo, buf + got, sizeof(buf) - 1 - got);
			if (n > 0) {
				got += (size_t)n;
				released = true;
				if (got < sizeof(buf) - 1)
					continue;
			}
			if (n < 0 && errno == EAGAIN)
				continue;
			break; /* EOF: the init exec'd (or died) */
		}
		if (pfd[1].revents & POLLIN) {
			/* The init is gone: collect what it wrote, if anything. */
			n = read(fifo, buf + got, sizeof(buf) - 1 - got);
			if (n > 0)
				got += (size_t)n;
			break;
		}
	}
	unlinkat(dirfd, "exec.fifo", 0);
	buf[got] = '\0';
	if (got > 1)
		return kerr_setx(err, EINVAL, "%s", buf + 1);
	if (!released)
		return kerr_setx(err, ESRCH, "container init exited before start");
	return 0;
}

/* Start, unlock, then the poststart hooks: read from the saved config
 * under the lock, run without it, so that a hook may call `kura state`. */
static int start_and_poststart(const struct runtime_ctx *ctx, int *dirfd,
                               const struct container_state *st, struct kerr *err)
{
	struct hooks_saved poststart = {0};
	struct kerr e = {0};

	if (start_locked(*dirfd, st, err) < 0)
		return kerr_code(err);
	if (hooks_load_saved(*dirfd, OCI_HOOK_POSTSTART, &poststart, &e) < 0)
		warn_from(ctx, &e);
	close(*dirfd);
	*dirfd = -1;
	if (run_hooks(poststart.hooks, poststart.n, OCI_HOOK_POSTSTART, st, CONTAINER_RUNNING, &e))
		warn_from(ctx, &e);
	hooks_saved_free(&poststart);
	return 0;
}

int container_start(const struct runtime_ctx *ctx, const char *id, struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1;
	_cleanup_state_ struct container_state st = {0};

	if (state_open_root(ctx->root, false, &rootfd, err) < 0 ||
	    state_dir_open(rootfd, id, &dirfd, err) < 0 || state_read(dirfd, id, &st, err) < 0)
		return kerr_code(err);
	return start_and_poststart(ctx, &dirfd, &st, err);
}

static int delete_locked(const struct runtime_ctx *ctx, int rootfd, int dirfd,
                         const struct container_state *st, bool force, struct kerr *err);

int container_run(const struct runtime_ctx *ctx, const struct container_create_opts *o, bool detach,
                  int *ret_status, struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, sfd = -1, dirfd = -1, master = -1;
	struct created c = {.pidfd = -1, .dirfd = -1, .console_peer = -1};
	struct kerr ignored;
	sigset_t old;
	int r;

	*ret_status = 0;
	if (!detach)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (create_container(ctx, o, !detach, &c, err) < 0)
		return kerr_code(err);
	/* The init sent its terminal before SYNC_READY: it is waiting here. */
	if (c.console_peer >= 0) {
		r = tty_recv_master(c.console_peer, &master, err);
		close(c.console_peer);
		if (r < 0)
			goto fail;
	}
	if (!detach && master < 0)
		sfd = forward_begin(&old);
	r = start_and_poststart(ctx, &c.dirfd, &c.state, err);
	if (c.dirfd >= 0)
		close(steal_fd(c.dirfd));
	if (r < 0) {
		if (sfd >= 0)
			sigprocmask(SIG_SETMASK, &old, NULL);
		goto fail;
	}
	if (detach)
		goto out;

	if (master >= 0)
		tty_relay_wait(master, c.pidfd, ret_status);
	else
		forward_wait(c.pidfd, sfd, &old, ret_status);
	if (state_open_root(ctx->root, false, &rootfd, err) < 0 ||
	    state_dir_open(rootfd, o->id, &dirfd, err) < 0) {
		/* Someone else deleted it meanwhile: nothing left to do. */
		r = err->errnum == ENOENT ? 0 : kerr_code(err);
	} else {
		r = delete_locked(ctx, rootfd, dirfd, &c.state, true, err);
	}
	goto out;

fail:
	if (c.dirfd >= 0)
		close(steal_fd(c.dirfd));
	if (state_open_root(ctx->root, false, &rootfd, &ignored) == 0 &&
	    state_dir_open(rootfd, o->id, &dirfd, &ignored) == 0)
		delete_locked(ctx, rootfd, dirfd, &c.state, true, &ignored);
out:
	close(c.pidfd);
	container_state_free(&c.state);
	return r;
}

int container_state_json(const struct runtime_ctx *ctx, const char *id, char **ret,
                         struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1;
	_cleanup_state_ struct container_state st = {0};

	if (state_check_id(id, err) < 0)
		return kerr_code(err);
	if (state_open_root(ctx->root, false, &rootfd, err) < 0) {
		if (err->errnum == ENOENT)
			return kerr_setx(err, ENOENT, "container \"%s\" does not exist", id);
		return kerr_code(err);
	}
	if (state_dir_open(rootfd, id, &dirfd, err) < 0 || state_read(dirfd, id, &st, err) < 0)
		return kerr_code(err);
	*ret = state_to_oci_json(&st, container_status_now(dirfd, &st), true);
	return 0;
}

int container_list(const struct runtime_ctx *ctx, struct container_info **ret, size_t *ret_n,
                   struct kerr *err)
{
	_cleanup_close_ int rootfd = -1;
	_cleanup_closedir_ DIR *d = NULL;
	struct container_info *list = NULL;
	size_t n = 0;
	struct dirent *de;
	int fd;

	*ret = NULL;
	*ret_n = 0;
	if (state_open_root(ctx->root, false, &rootfd, err) < 0)
		return err->errnum == ENOENT ? 0 : kerr_code(err);
	fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return kerr_set(err, errno, "read root directory `%s`", ctx->root);
	}
	while ((de = readdir(d))) {
		_cleanup_close_ int dirfd = -1;
		struct kerr ignored;

		if (de->d_name[0] == '.' || state_check_id(de->d_name, &ignored) < 0)
			continue;
		/* No lock: list must not wait for a create in progress. */
		dirfd = openat(rootfd, de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (dirfd < 0)
			continue;
		list = xrealloc(list, (n + 1) * sizeof(*list));
		if (state_read(dirfd, de->d_name, &list[n].state, &ignored) < 0)
			continue;
		list[n].status = container_status_now(dirfd, &list[n].state);
		n++;
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

void container_list_free(struct container_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		container_state_free(&list[i].state);
	free(list);
}

static int read_ns_inode(pid_t pid, const char *ns, ino_t *ret)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if (stat(path, &st) < 0)
		return -errno;
	*ret = st.st_ino;
	return 0;
}

/* The processes in the init's pid namespace, if it has its own; else
 * only the init. */
static int pid_namespace_members(pid_t init, pid_t **ret, size_t *ret_n)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	ino_t ns, self_ns, other;
	pid_t *pids = NULL;
	size_t n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (read_ns_inode(init, "pid", &ns) < 0 || read_ns_inode(getpid(), "pid", &self_ns) < 0)
		return -ESRCH;
	if (ns == self_ns) {
		pids = xmalloc(sizeof(pid_t));
		pids[n++] = init;
		*ret = pids;
		*ret_n = n;
		return 0;
	}
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid <= 0)
			continue;
		if (read_ns_inode(pid, "pid", &other) == 0 && other == ns) {
			pids = xrealloc(pids, (n + 1) * sizeof(pid_t));
			pids[n++] = pid;
		}
	}
	*ret = pids;
	*ret_n = n;
	return 0;
}

/* Signal every process in the init's pid namespace but the init. */
static void kill_pid_namespace(pid_t init, int sig)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n;

	if (pid_namespace_members(init, &pids, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (pids[i] != init)
			kill(pids[i], sig);
}

int container_pids(const struct runtime_ctx *ctx, const char *id, pid_t **ret, size_t *ret_n,
                   struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1, pidfd = -1;
	_cleanup_state_ struct container_state st = {0};
	bool found;
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (state_check_id(id, err) < 0 || state_open_root(ctx->root, false, &rootfd, err) < 0 ||
	    state_dir_open(rootfd, id, &dirfd, err) < 0 || state_read(dirfd, id, &st, err) < 0)
		return kerr_code(err);
	if (container_cgroup_pids(dirfd, ret, ret_n, &found, err) < 0)
		return kerr_code(err);
	if (found)
		return 0;
	if (state_pidfd(&st, &pidfd) < 0)
		return 0;
	r = pid_namespace_members(st.pid, ret, ret_n);
	if (r < 0)
		return kerr_set(err, -r, "list the processes of %s", id);
	return 0;
}

int container_kill(const struct runtime_ctx *ctx, const char *id, int sig, bool all,
                   struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1, pidfd = -1;
	_cleanup_state_ struct container_state st = {0};

	if (state_check_id(id, err) < 0)
		return kerr_code(err);
	if (state_open_root(ctx->root, false, &rootfd, err) < 0) {
		if (err->errnum == ENOENT)
			return kerr_setx(err, ENOENT, "container \"%s\" does not exist", id);
		return kerr_code(err);
	}
	if (state_dir_open(rootfd, id, &dirfd, err) < 0 || state_read(dirfd, id, &st, err) < 0)
		return kerr_code(err);
	/* As runc: --all signals whatever is in the cgroup, even after the
	 * init has gone. */
	if (all) {
		bool found;
		if (container_cgroup_signal(dirfd, sig, &found, err) < 0)
			return kerr_wrap(err, "kill container %s", id);
		if (found)
			return 0;
	}
	if (container_status_now(dirfd, &st) == CONTAINER_STOPPED || state_pidfd(&st, &pidfd) < 0)
		return kerr_setx(err, ESRCH, "container not running");
	if (all)
		kill_pid_namespace(st.pid, sig);
	if (sys_pidfd_send_signal(pidfd, sig, NULL, 0) < 0)
		return kerr_set(err, errno, "kill container %s with signal %d", id, sig);
	return 0;
}

/* Wait until the process behind pidfd has exited, at most timeout_ms. */
static bool wait_pidfd(int pidfd, int timeout_ms)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

static int delete_locked(const struct runtime_ctx *ctx, int rootfd, int dirfd,
                         const struct container_state *st, bool force, struct kerr *err)
{
	_cleanup_close_ int pidfd = -1;
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	struct kerr cg_err = {0}, e = {0};
	/* Read once: for the paused state, the kill and the removal. */
	int cg_r = container_cgroup_load(dirfd, &cg, &cg_err);
	enum container_status status = state_status(dirfd, st, cg && cgroup_is_frozen(cg));
	struct hooks_saved poststop = {0};
	int r;

	if (status != CONTAINER_STOPPED && status != CONTAINER_CREATED && !force)
		return kerr_setx(err, EBUSY, "cannot delete container %s that is not stopped: %s",
		                 st->id, container_status_name(status));
	if (status != CONTAINER_STOPPED && state_pidfd(st, &pidfd) == 0) {
		/* Through the cgroup first: it thaws a paused container so
		 * that SIGKILL can take effect. */
		if (cg && cgroup_kill(cg, SIGKILL, &e) < 0)
			warn_from(ctx, &e);
		/* Without a cgroup, by pid namespace (which stats every host
		 * process: only when needed). */
		if (!cg)
			kill_pid_namespace(st->pid, SIGKILL);
		sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		if (!wait_pidfd(pidfd, 10000))
			return kerr_setx(err, ETIMEDOUT, "container %s did not die after SIGKILL",
			                 st->id);
	}
	/* poststop runs after the container is deleted, before delete
	 * returns; its hooks live in the config we are about to remove.  A
	 * create killed before state.json was written never ran a hook. */
	if (st->has_state_file && hooks_load_saved(dirfd, OCI_HOOK_POSTSTOP, &poststop, &e) < 0)
		warn_from(ctx, &e);
	/* Kills what is left in the cgroup (processes exec'd into a shared
	 * pid namespace, say) before its directories go. */
	if (cg_r < 0)
		*err = cg_err;
	r = cg_r < 0 ? cg_r : container_cgroup_remove(dirfd, steal_ptr(cg), err);
	if (r < 0) {
		hooks_saved_free(&poststop);
		return kerr_wrap(err, "delete container %s", st->id);
	}
	r = state_dir_remove(rootfd, st->id, err);
	if (r == 0 &&
	    run_hooks(poststop.hooks, poststop.n, OCI_HOOK_POSTSTOP, st, CONTAINER_STOPPED, &e) < 0)
		warn_from(ctx, &e);
	hooks_saved_free(&poststop);
	return r;
}

int container_delete(const struct runtime_ctx *ctx, const char *id, bool force, struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1;
	_cleanup_state_ struct container_state st = {0};

	if (state_check_id(id, err) < 0)
		return kerr_code(err);
	/* As runc: deleting with --force what does not exist succeeds. */
	if (state_open_root(ctx->root, false, &rootfd, err) < 0) {
		if (err->errnum != ENOENT)
			return kerr_code(err);
		if (force)
			return 0;
		return kerr_setx(err, ENOENT, "container \"%s\" does not exist", id);
	}
	if (state_dir_open(rootfd, id, &dirfd, err) < 0) {
		if (force && err->errnum == ENOENT) {
			kerr_clear(err);
			return 0;
		}
		return kerr_code(err);
	}
	if (state_read(dirfd, id, &st, err) < 0)
		return kerr_code(err);
	return delete_locked(ctx, rootfd, dirfd, &st, force, err);
}
