/* OCI hooks: spawn each hook with its args, env and the state on stdin,
 * capture its output, enforce its timeout.  See hooks.h. */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* Enough of a hook's output to explain a failure. */
#define OUTPUT_KEEP 4096

struct capture {
	int fd; /* read end, -1 at EOF */
	char buf[OUTPUT_KEEP];
	size_t len;
};

struct feed {
	int fd; /* write end of the hook's stdin, -1 when done */
	const char *data;
	size_t len, off;
	bool epipe;
};

static const char *const kind_names[OCI_HOOK_KIND_COUNT] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
};

const char *hooks_kind_name(enum oci_hook_kind kind)
{
	return (unsigned)kind < OCI_HOOK_KIND_COUNT ? kind_names[kind] : "unknown";
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A close-on-exec pipe whose ends are both above 2, so that the dup2()s
 * onto 0-2 in the child never overwrite an end still to be moved (the
 * runtime may have been started with 0-2 closed). */
static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	for (int i = 0; i < 2; i++) {
		if (p[i] > 2)
			continue;
		int fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			int e = errno;
			close(p[0]);
			close(p[1]);
			return -e;
		}
		close(p[i]);
		p[i] = fd;
	}
	return 0;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* One read (poll() said there is something); keeps the first OUTPUT_KEEP
 * bytes and drops the rest, so a chatty hook never blocks on a full pipe. */
static void capture_read(struct capture *c)
{
	char sink[4096];
	char *p = sink;
	size_t room = sizeof(sink);
	ssize_t n;

	if (c->len < sizeof(c->buf)) {
		p = c->buf + c->len;
		room = sizeof(c->buf) - c->len;
	}
	n = read(c->fd, p, room);
	if (n > 0) {
		if (p != sink)
			c->len += (size_t)n;
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	close_fd(&c->fd); /* EOF or error */
}

/* Write what the pipe takes.  EPIPE (the hook does not read its stdin)
 * is not an error: runc ignores it too. */
static void feed_write(struct feed *f)
{
	while (f->fd >= 0 && f->off < f->len) {
		ssize_t n = write(f->fd, f->data + f->off, f->len - f->off);
		if (n > 0) {
			f->off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0 && errno == EPIPE)
			f->epipe = true;
		break;
	}
	close_fd(&f->fd);
}

/* The first non-empty line of the output, control characters shown as
 * '?', at most ~200 bytes. */
static void first_line(const struct capture *c, char *out, size_t size)
{
	size_t i = 0, o = 0;

	while (i < c->len &&
	       (c->buf[i] == '\n' || c->buf[i] == '\r' || c->buf[i] == ' ' || c->buf[i] == '\t'))
		i++;
	for (; i < c->len && c->buf[i] != '\n' && c->buf[i] != '\r' && o + 1 < size && o < 200;
	     i++) {
		unsigned char ch = (unsigned char)c->buf[i];
		out[o++] = (ch < 0x20 && ch != '\t') || ch == 0x7f ? '?' : (char)ch;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
		o--;
	out[o] = '\0';
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* In the forked child: only async-signal-safe calls.  All pipe ends are
 * above 2 (make_pipe), so the dup2()s cannot clobber one another; report
 * is close-on-exec and tells the parent why an exec failed. */
static _Noreturn void hook_child(const char *path, char *const argv[], char *const envp[],
                                 int in_fd, int out_fd, int err_fd, int report_fd)
{
	int e;

	/* A hook must not inherit `run`'s blocked signals or an ignored
	 * SIGPIPE.  (posix_spawn would leave glibc's internal signals 32 and
	 * 33 ignored.) */
	if (signals_reset() < 0)
		goto fail;
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
	if (report_fd != 3 && dup3(report_fd, 3, O_CLOEXEC) < 0)
		goto fail;
	if (close_range(4, ~0U, 0) < 0)
		goto fail;
	execve(path, argv, envp);
fail:
	e = errno;
	(void)!write(3, &e, sizeof(e));
	_exit(127);
}

/* Fork and exec the hook into *ret_pid; -errno if it could not be started
 * (a failed execve included). */
static int spawn_hook(const struct oci_hook *h, int in_fd, int out_fd, int err_fd, pid_t *ret_pid)
{
	static const char *const empty_env[] = {NULL};
	const char *default_argv[] = {h->path, NULL};
	const char *const *argv = h->args && h->args[0] ? h->args : default_argv;
	const char *const *envp = h->env ? h->env : empty_env;
	int report[2], e = 0;
	ssize_t n;
	pid_t pid;
	int r;

	if ((r = make_pipe(report)) < 0)
		return r;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(report[0]);
		close(report[1]);
		return r;
	}
	if (pid == 0)
		hook_child(h->path, (char *const *)argv, (char *const *)envp, in_fd, out_fd, err_fd,
		           report[1]);
	close(report[1]);
	/* EOF once the exec closed it; an errno if the exec failed. */
	do
		n = read(report[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == sizeof(e)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return -(e > 0 ? e : EIO);
	}
	*ret_pid = pid;
	return 0;
}

/* Kill (if asked) and reap the hook. */
static int reap(int pidfd, bool kill_it, siginfo_t *si)
{
	if (kill_it)
		sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	memset(si, 0, sizeof(*si));
	while (waitid(P_PIDFD, (id_t)pidfd, si, WEXITED) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int run_one(const struct oci_hook *h, const char *what, const char *state, size_t state_len,
                   struct kerr *err)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
	struct capture cout = {.fd = -1}, cerr = {.fd = -1};
	struct feed feed = {.fd = -1, .data = state, .len = state_len};
	_cleanup_close_ int pidfd = -1;
	sigset_t pipe_set, old_mask, pending;
	bool masked = false, sigpipe_was_pending = false, timed_out = false;
	long long deadline = 0;
	char line[256];
	siginfo_t si;
	pid_t pid = 0;
	int r;

	if ((r = make_pipe(in)) < 0 || (r = make_pipe(out)) < 0 || (r = make_pipe(errp)) < 0) {
		r = kerr_set(err, -r, "%s: pipe", what);
		goto out;
	}
	/* Most states fit in the pipe: write them before the hook exists,
	 * while we hold the read end, so no EPIPE/SIGPIPE can happen. */
	if (state_len > 65536)
		(void)fcntl(in[1], F_SETPIPE_SZ,
		            (int)(state_len < (1 << 20) ? state_len : 1 << 20));
	if ((r = set_nonblock(in[1])) < 0 || (r = set_nonblock(out[0])) < 0 ||
	    (r = set_nonblock(errp[0])) < 0) {
		r = kerr_set(err, -r, "%s: fcntl", what);
		goto out;
	}
	feed.fd = steal_fd(in[1]);
	feed_write(&feed);

	r = spawn_hook(h, in[0], out[1], errp[1], &pid);
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&errp[1]);
	if (r < 0) {
		r = kerr_set(err, -r, "%s: exec", what);
		goto out;
	}
	cout.fd = steal_fd(out[0]);
	cerr.fd = steal_fd(errp[0]);
	pidfd = sys_pidfd_open(pid, 0);
	if (pidfd < 0) {
		r = kerr_set(err, errno, "%s: pidfd_open", what);
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		goto out;
	}

	if (feed.fd >= 0) {
		/* The rest goes through poll(); the hook may close its stdin
		 * at any time, which must not kill us with SIGPIPE. */
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		sigpending(&pending);
		sigpipe_was_pending = sigismember(&pending, SIGPIPE);
		pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
		masked = true;
	}
	if (h->timeout > 0)
		deadline = now_ns() + (long long)h->timeout * 1000000000LL;

	for (;;) {
		struct pollfd p[4] = {{.fd = pidfd, .events = POLLIN},
		                      {.fd = cout.fd, .events = POLLIN},
		                      {.fd = cerr.fd, .events = POLLIN},
		                      {.fd = feed.fd, .events = POLLOUT}};
		int timeout_ms = -1;

		if (deadline) {
			long long left = deadline - now_ns();
			if (left <= 0) {
				timed_out = true;
				break;
			}
			timeout_ms = (int)((left + 999999) / 1000000);
		}
		/* poll() ignores negative fds: finished pipes drop out. */
		r = poll(p, ARRAY_SIZE(p), timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = kerr_set(err, errno, "%s: poll", what);
			reap(pidfd, true, &si);
			goto out;
		}
		if (p[1].revents)
			capture_read(&cout);
		if (p[2].revents)
			capture_read(&cerr);
		if (p[3].revents)
			feed_write(&feed);
		if (p[0].revents)
			break;
	}

	/* Whatever the hook wrote before it exited was readable in the same
	 * poll() that saw it exit, and was read there.  Never wait for EOF:
	 * a daemonised grandchild may hold the pipes forever. */
	close_fd(&feed.fd);
	r = reap(pidfd, timed_out, &si);
	if (r < 0) {
		r = kerr_set(err, -r, "%s: waitid", what);
		goto out;
	}

	first_line(cerr.len ? &cerr : &cout, line, sizeof(line));
	if (!line[0] && cerr.len)
		first_line(&cout, line, sizeof(line));
	if (timed_out)
		r = kerr_setx(err, ETIMEDOUT, "%s: timeout: still running after %ds, killed", what,
		              h->timeout);
	else if (si.si_code == CLD_EXITED && si.si_status == 0)
		r = 0;
	else if (si.si_code == CLD_EXITED)
		r = kerr_setx(err, 0, "%s: exited with status %d%s%s", what, si.si_status,
		              line[0] ? ": " : "", line);
	else
		r = kerr_setx(err, 0, "%s: killed by signal %d (SIG%s)%s%s", what, si.si_status,
		              sigabbrev_np(si.si_status) ? sigabbrev_np(si.si_status) : "?",
		              line[0] ? ": " : "", line);
out:
	if (masked) {
		/* Swallow the SIGPIPE our own write raised, not anyone else's. */
		if (feed.epipe && !sigpipe_was_pending) {
			struct timespec zero = {0, 0};
			sigtimedwait(&pipe_set, NULL, &zero);
		}
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	}
	close_fd(&feed.fd);
	close_fd(&cout.fd);
	close_fd(&cerr.fd);
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&errp[i]);
	}
	return r;
}

int hooks_run(const struct oci_hook *hooks, size_t n, const char *state_json, const char *kind_name,
              struct kerr *err)
{
	size_t state_len = state_json ? strlen(state_json) : 0;

	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *what =
		    xasprintf("%s hook #%zu (%s)", kind_name, i, hooks[i].path);
		int r = run_one(&hooks[i], what, state_json ? state_json : "", state_len, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A NULL-terminated copy of an array of strings (borrowed); NULL if the
 * member is absent or not an array. */
static const char **saved_strv(struct json_object *o, const char *key)
{
	struct json_object *arr;
	const char **v;
	size_t n, k = 0;

	if (!json_object_object_get_ex(o, key, &arr) || !json_object_is_type(arr, json_type_array))
		return NULL;
	n = json_object_array_length(arr);
	v = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		if (json_object_is_type(e, json_type_string))
			v[k++] = json_object_get_string(e);
	}
	return v;
}

void hooks_saved_free(struct hooks_saved *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->hooks[i].args);
		free(s->hooks[i].env);
	}
	free(s->hooks);
	json_object_put(s->json);
	memset(s, 0, sizeof(*s));
}

int hooks_load_saved(int dirfd, enum oci_hook_kind kind, struct hooks_saved *ret, struct kerr *err)
{
	struct hooks_saved s = {0};
	struct json_object *hooks, *arr, *t;
	_cleanup_free_ char *text = NULL;
	size_t len, n;

	if (read_file_at(dirfd, "config.json", &text, &len, err) < 0)
		return kerr_code(err);
	s.json = json_tokener_parse(text);
	if (!s.json)
		return kerr_setx(err, EINVAL, "saved config.json: invalid JSON");
	if (!json_object_object_get_ex(s.json, "hooks", &hooks) ||
	    !json_object_object_get_ex(hooks, hooks_kind_name(kind), &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		*ret = s;
		return 0;
	}
	n = json_object_array_length(arr);
	s.hooks = xcalloc(n ? n : 1, sizeof(struct oci_hook));
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(arr, i), *path;
		struct oci_hook *o = &s.hooks[s.n];

		if (!json_object_object_get_ex(h, "path", &path) ||
		    !json_object_is_type(path, json_type_string))
			continue;
		o->path = json_object_get_string(path);
		o->args = saved_strv(h, "args");
		o->env = saved_strv(h, "env");
		if (json_object_object_get_ex(h, "timeout", &t) &&
		    json_object_is_type(t, json_type_int))
			o->timeout = json_object_get_int(t);
		s.n++;
	}
	*ret = s;
	return 0;
}
