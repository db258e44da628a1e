/* runtime/seccomp.c: filters built from sample profiles (tests/data/seccomp)
 * and from inline JSON, loaded in forked children that then make the
 * syscalls the rules are about.  Children report a failed check through
 * shared memory, which costs no syscall the filter could deny. */
#ifdef KURA_HAVE_SECCOMP
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <seccomp.h>

#include "../../runtime/seccomp.h"

#define DATA KURA_TEST_DATA "/seccomp/"

struct child_report {
	int line;
	int err;
	long value;
	char msg[1024];
};

static struct child_report *report;

/* In a child: record the failing line and leave without a syscall but
 * exit_group. */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			report->line = __LINE__;                                                   \
			report->err = errno;                                                       \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)

#define CHECK_ERRNO(expr, e)                                                                       \
	do {                                                                                       \
		long r_;                                                                           \
		errno = 0;                                                                         \
		r_ = (long)(expr);                                                                 \
		if (r_ != -1 || errno != (e)) {                                                    \
			report->line = __LINE__;                                                   \
			report->err = errno;                                                       \
			report->value = r_;                                                        \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)

typedef void (*child_fn)(void *arg);

/* First thing in every forked child: cmocka catches SIGSYS, SIGSEGV and
 * friends and longjmps back into its runner, which in a child would go on
 * running the rest of the suite.  Die of them instead, without a core. */
static void child_init(void)
{
	static const int sigs[] = {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static void assert_child_ok(int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
		fail_msg("child check at line %d failed: returned %ld, errno %d (%s)", report->line,
		         report->value, report->err, strerror(report->err));
	if (WIFEXITED(st))
		fail_msg("child exited with %d: %s", WEXITSTATUS(st), report->msg);
	fail_msg("child killed by signal %d", WTERMSIG(st));
}

static int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	return st;
}

/* Fork; in the child optionally set no_new_privs, load f, run fn, exit 0. */
static int run_child(const struct kura_seccomp *f, bool nnp, child_fn fn, void *arg, pid_t *ret_pid)
{
	pid_t pid;

	memset(report, 0, sizeof(*report));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct kerr err = {0};
		int nfd;

		child_init();
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(120);
		if (seccomp_filter_load(f, &nfd, &err) < 0) {
			snprintf(report->msg, sizeof(report->msg), "%s", err.msg);
			_exit(121);
		}
		fn(arg);
		_exit(0);
	}
	if (ret_pid)
		*ret_pid = pid;
	return wait_child(pid);
}

static struct kura_seccomp *build_json(struct json_object *js)
{
	struct kura_seccomp *f = NULL;
	struct kerr err = {0};

	if (seccomp_filter_build(js, &f, &err) < 0)
		fail_msg("build failed: %s", err.msg);
	json_object_put(js);
	assert_non_null(f);
	return f;
}

static struct kura_seccomp *build_file(const char *name)
{
	char path[512];
	struct json_object *js;

	snprintf(path, sizeof(path), DATA "%s", name);
	js = json_object_from_file(path);
	if (!js)
		fail_msg("cannot parse %s", path);
	return build_json(js);
}

static struct kura_seccomp *build_str(const char *text)
{
	struct json_object *js = json_tokener_parse(text);

	if (!js)
		fail_msg("bad test JSON: %s", text);
	return build_json(js);
}

/* ---- errno rules ---------------------------------------------------- */

static void child_errno_rules(void *arg)
{
	char buf[256];
	struct utsname u;

	(void)arg;
	CHECK_ERRNO(syscall(SYS_getcwd, buf, sizeof(buf)), ENOSYS); /* errnoRet 38 */
	CHECK_ERRNO(syscall(SYS_uname, &u), EPERM);                 /* default EPERM */
	CHECK_ERRNO(syscall(SYS_mkdir, "/tmp/kura-seccomp-never", 0700), EROFS);
	CHECK_ERRNO(syscall(SYS_mkdirat, AT_FDCWD, "/tmp/kura-seccomp-never", 0700), EROFS);
	/* personality: only the query value 0xffffffff is let through. */
	CHECK(syscall(SYS_personality, 0xffffffffUL) >= 0);
	CHECK_ERRNO(syscall(SYS_personality, PER_LINUX32), EPERM);
	CHECK(syscall(SYS_getpid) > 0);
	CHECK(syscall(SYS_getppid) > 0);
}

static void test_errno_rules(void **state)
{
	struct kura_seccomp *f = build_file("errno-rules.json");

	(void)state;
	assert_false(seccomp_uses_notify(f));
	/* With no_new_privs, and without it as root (CAP_SYS_ADMIN). */
	assert_child_ok(run_child(f, true, child_errno_rules, NULL, NULL));
	assert_child_ok(run_child(f, false, child_errno_rules, NULL, NULL));
	assert_int_equal(access("/tmp/kura-seccomp-never", F_OK), -1);
	seccomp_filter_free(f);
}

/* Without no_new_privs and without CAP_SYS_ADMIN the kernel refuses, and
 * the message says what order would have worked. */
static void test_load_needs_privilege(void **state)
{
	struct kura_seccomp *f = build_file("errno-rules.json");
	pid_t pid;

	(void)state;
	memset(report, 0, sizeof(*report));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
		struct __user_cap_data_struct d[2];
		struct kerr err = {0};
		int nfd = 123, r;

		child_init();
		memset(d, 0, sizeof(d));
		CHECK(syscall(SYS_capset, &h, d) == 0);
		r = seccomp_filter_load(f, &nfd, &err);
		snprintf(report->msg, sizeof(report->msg), "%s", err.msg);
		CHECK(r == -EACCES);
		CHECK(nfd == -1);
		/* Not loaded: uname still works. */
		struct utsname u;
		CHECK(syscall(SYS_uname, &u) == 0);
		_exit(0);
	}
	assert_child_ok(wait_child(pid));
	assert_non_null(strstr(report->msg, "load seccomp filter"));
	assert_non_null(strstr(report->msg, "CAP_SYS_ADMIN"));
	seccomp_filter_free(f);
}

/* ---- kill and trap -------------------------------------------------- */

static void child_getppid(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	_exit(3); /* not reached when the rule kills */
}

static void test_kill_actions(void **state)
{
	static const char *const actions[] = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD",
	                                      "SCMP_ACT_KILL_PROCESS"};
	(void)state;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		char text[256];
		struct kura_seccomp *f;
		int st;

		snprintf(text, sizeof(text),
		         "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		         "[\"getppid\"],\"action\":\"%s\"}]}",
		         actions[i]);
		f = build_str(text);
		st = run_child(f, true, child_getppid, NULL, NULL);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
			fail_msg("%s: child status 0x%x, wanted death by SIGSYS", actions[i], st);
		seccomp_filter_free(f);
	}
}

/* SCMP_ACT_TRAP: SIGSYS with si_code SYS_SECCOMP naming the syscall; a
 * handler may catch it and go on. */
static void trap_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	report->value = si->si_syscall;
	report->err = si->si_code;
	report->line = sig == SIGSYS && si->si_code == 1 /* SYS_SECCOMP */ &&
	                       si->si_syscall == SYS_getppid && si->si_arch == 0xc000003e
	                   ? -1
	                   : __LINE__;
	_exit(report->line == -1 ? 0 : 1);
}

static void child_trap(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	_exit(3); /* the handler exits */
}

static void test_trap(void **state)
{
	struct kura_seccomp *f =
	    build_str("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	              "[\"getppid\"],\"action\":\"SCMP_ACT_TRAP\"}]}");
	int st;

	(void)state;
	/* Uncaught: death by SIGSYS. */
	st = run_child(f, true, child_getppid, NULL, NULL);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
		fail_msg("child status 0x%x, wanted death by SIGSYS", st);
	/* Caught: the siginfo says what was trapped. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sigaction sa = {.sa_sigaction = trap_handler, .sa_flags = SA_SIGINFO};
		struct kerr err = {0};

		child_init();
		sigaction(SIGSYS, &sa, NULL);
		CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
		CHECK(seccomp_filter_load(f, NULL, &err) == 0);
		child_trap(NULL);
	}
	assert_child_ok(wait_child(pid));
	assert_int_equal(report->line, -1);
	seccomp_filter_free(f);
}

/* ---- trace ---------------------------------------------------------- */

static void child_trace_untraced(void *arg)
{
	(void)arg;
	/* No tracer: the kernel fails the syscall with ENOSYS. */
	CHECK_ERRNO(syscall(SYS_getppid), ENOSYS);
}

static void test_trace(void **state)
{
	struct kura_seccomp *f =
	    build_str("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	              "[\"getppid\"],\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":77}]}");
	unsigned long msg = 0;
	pid_t pid;
	int st;

	(void)state;
	assert_child_ok(run_child(f, true, child_trace_untraced, NULL, NULL));

	/* With a tracer: it sees PTRACE_EVENT_SECCOMP carrying errnoRet. */
	memset(report, 0, sizeof(*report));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct kerr err = {0};
		long ppid = syscall(SYS_getppid);

		child_init();
		CHECK(ptrace(PTRACE_TRACEME, 0, 0, 0) == 0);
		raise(SIGSTOP);
		CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
		CHECK(seccomp_filter_load(f, NULL, &err) == 0);
		CHECK(syscall(SYS_getppid) == ppid); /* the tracer let it run */
		_exit(0);
	}
	st = wait_child(pid);
	assert_true(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	assert_int_equal(
	    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL), 0);
	assert_int_equal(ptrace(PTRACE_CONT, pid, 0, 0), 0);
	st = wait_child(pid);
	if (!WIFSTOPPED(st) || (st >> 8) != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
		kill(pid, SIGKILL);
		wait_child(pid);
		fail_msg("wanted a seccomp trace stop, status 0x%x", st);
	}
	assert_int_equal(ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg), 0);
	assert_int_equal(msg, 77);
	assert_int_equal(ptrace(PTRACE_CONT, pid, 0, 0), 0);
	assert_child_ok(wait_child(pid));
	seccomp_filter_free(f);
}

/* ---- log ------------------------------------------------------------ */

/* Wait (up to 5 s) for the audit record of a seccomp action of pid. */
static bool kmsg_find(int kfd, pid_t pid, int nr, const char *code)
{
	char want_pid[32], want_nr[32], buf[8192];
	struct timespec start, now;

	snprintf(want_pid, sizeof(want_pid), " pid=%d ", pid);
	snprintf(want_nr, sizeof(want_nr), " syscall=%d ", nr);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		ssize_t n = read(kfd, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (strstr(buf, "type=1326") && strstr(buf, want_pid) &&
			    strstr(buf, want_nr) && strstr(buf, code))
				return true;
			continue;
		}
		if (n < 0 && errno == EPIPE) /* records overwritten: go on */
			continue;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = 5000 - ((now.tv_sec - start.tv_sec) * 1000 +
		                    (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = kfd, .events = POLLIN};
		poll(&p, 1, (int)left);
	}
}

static void child_log(void *arg)
{
	(void)arg;
	CHECK(syscall(SYS_getppid) > 0); /* logged, then allowed */
	CHECK_ERRNO(syscall(SYS_getpgid, 0), EIO);
}

static void test_log(void **state)
{
	/* SCMP_ACT_LOG allows and logs; SECCOMP_FILTER_FLAG_LOG also logs
	 * the errno action, which is not logged by default. */
	struct kura_seccomp *f =
	    build_str("{\"defaultAction\":\"SCMP_ACT_ALLOW\","
	              "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":["
	              "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_LOG\"},"
	              "{\"names\":[\"getpgid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5}]}");
	int kfd, attempt;
	pid_t pid;

	(void)state;
	kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kfd < 0) {
		seccomp_filter_free(f);
		skip(); /* not root, or dmesg_restrict */
	}
	/* The kernel prints audit records under printk_ratelimit() (10 per
	 * 5 s, shared with the whole host): a record can be dropped.  Each
	 * wait outlasts the window, so a second try gets through. */
	for (attempt = 0; attempt < 3; attempt++) {
		lseek(kfd, 0, SEEK_END);
		assert_child_ok(run_child(f, true, child_log, NULL, &pid));
		if (!kmsg_find(kfd, pid, SYS_getppid, "code=0x7ffc0000"))
			continue;
		/* audit reports the action without its data */
		if (kmsg_find(kfd, pid, SYS_getpgid, "code=0x50000"))
			break;
	}
	if (attempt == 3)
		fail_msg("no audit record of SCMP_ACT_LOG / SECCOMP_FILTER_FLAG_LOG in /dev/kmsg");
	close(kfd);
	seccomp_filter_free(f);
}

/* ---- argument comparisons ------------------------------------------- */

static void child_args(void *arg)
{
	(void)arg;
	/* distinct indexes: one rule, conditions ANDed */
	CHECK_ERRNO(syscall(SYS_getpriority, 100, 5), 71);
	CHECK_ERRNO(syscall(SYS_getpriority, 100, 6), EINVAL);
	CHECK_ERRNO(syscall(SYS_getpriority, 101, 5), EINVAL);
	/* a shared index: one rule per condition, ORed (runc) */
	CHECK_ERRNO(syscall(SYS_getpriority, 200, 0), 72);
	CHECK_ERRNO(syscall(SYS_getpriority, 201, 0), 72);
	CHECK_ERRNO(syscall(SYS_getpriority, 202, 0), EINVAL);
	/* MASKED_EQ: (arg & value) == valueTwo */
	CHECK_ERRNO(syscall(SYS_getpriority, 0x1234, 0), 73);
	CHECK_ERRNO(syscall(SYS_getpriority, 0x1334, 0), EINVAL);
	CHECK(syscall(SYS_getpriority, PRIO_PROCESS, 0) >= 0);
	/* GT on arg 0 AND LT on arg 2 */
	CHECK_ERRNO(syscall(SYS_setpriority, 1001, 0, 5), 74);
	CHECK_ERRNO(syscall(SYS_setpriority, 1001, 0, 20), EINVAL);
	CHECK_ERRNO(syscall(SYS_setpriority, 999, 0, 5), EINVAL);
	/* GE 500 and LE 510 on one index: ORed, so everything matches */
	CHECK_ERRNO(syscall(SYS_setpgid, 0, 0), 75);
	CHECK_ERRNO(syscall(SYS_setpgid, 99999, 0), 75);
	/* a full 64-bit value */
	CHECK_ERRNO(syscall(SYS_getpgid, -1L), 76);
	CHECK_ERRNO(syscall(SYS_getpgid, 0xffffffffL), ESRCH);
}

static void test_args(void **state)
{
	struct kura_seccomp *f = build_file("args.json");

	(void)state;
	assert_child_ok(run_child(f, true, child_args, NULL, NULL));
	seccomp_filter_free(f);
}

/* ---- default errno with an allow list ------------------------------- */

static void child_allowlist(void *arg)
{
	struct utsname u;

	(void)arg;
	CHECK(syscall(SYS_getpid) > 0);
	CHECK_ERRNO(syscall(SYS_getppid), EACCES);
	CHECK_ERRNO(syscall(SYS_uname, &u), EACCES);
	CHECK_ERRNO(syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY), EACCES);
}

static void test_allowlist(void **state)
{
	/* allowlist.json also has a rule equal to the default action, which
	 * libseccomp refuses and runc skips: the build must succeed. */
	struct kura_seccomp *f = build_file("allowlist.json");

	(void)state;
	assert_child_ok(run_child(f, true, child_allowlist, NULL, NULL));
	seccomp_filter_free(f);
}

/* ---- flags ---------------------------------------------------------- */

struct tsync_thread {
	int pipe_rd;
	long result;
	int err;
};

static void *tsync_thread_main(void *arg)
{
	struct tsync_thread *t = arg;
	char c;

	/* Wait until the main thread has loaded the filter. */
	if (read(t->pipe_rd, &c, 1) != 1)
		return NULL;
	errno = 0;
	t->result = syscall(SYS_getpgid, 0);
	t->err = errno;
	return NULL;
}

static void test_flags(void **state)
{
	struct kura_seccomp *f = build_str(
	    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_TSYNC\","
	    "\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
	    "\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],\"syscalls\":[{\"names\":[\"getpgid\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5}]}");
	pid_t pid;

	(void)state;
	memset(report, 0, sizeof(*report));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tsync_thread t = {.result = 0};
		struct kerr err = {0};
		pthread_t th;
		int p[2];

		child_init();
		CHECK(pipe2(p, O_CLOEXEC) == 0);
		t.pipe_rd = p[0];
		CHECK(pthread_create(&th, NULL, tsync_thread_main, &t) == 0);
		CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
		/* WAIT_KILLABLE_RECV without a listener would be EINVAL: the
		 * build drops it, as libseccomp does. */
		if (seccomp_filter_load(f, NULL, &err) < 0) {
			snprintf(report->msg, sizeof(report->msg), "%s", err.msg);
			_exit(121);
		}
		CHECK(write(p[1], "x", 1) == 1);
		CHECK(pthread_join(th, NULL) == 0);
		/* TSYNC put the filter on the other thread too. */
		errno = t.err;
		CHECK(t.result == -1 && t.err == EIO);
		CHECK_ERRNO(syscall(SYS_getpgid, 0), EIO);
		_exit(0);
	}
	assert_child_ok(wait_child(pid));
	seccomp_filter_free(f);
}

/* ---- notify, and the state sent to listenerPath --------------------- */

struct agent {
	int listen_fd;
	pid_t child;
	char json[65536];
	size_t json_len;
	int n_fds;
	int handled;
	int bad_pid;
	int bad_id;
};

static void *agent_main(void *arg)
{
	struct agent *a = arg;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} cbuf;
	struct iovec iov = {.iov_base = a->json, .iov_len = sizeof(a->json) - 1};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf.buf,
	                    .msg_controllen = sizeof(cbuf.buf)};
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct cmsghdr *cm;
	int c, fd = -1;
	ssize_t n;

	c = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return NULL;
	n = recvmsg(c, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0) {
		close(c);
		return NULL;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		a->n_fds += (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	}
	a->json_len = (size_t)n;
	/* The runtime closes the connection after one state. */
	while ((n = read(c, a->json + a->json_len, sizeof(a->json) - 1 - a->json_len)) > 0)
		a->json_len += (size_t)n;
	a->json[a->json_len] = '\0';
	close(c);
	if (fd < 0)
		return NULL;

	if (seccomp_notify_alloc(&req, &resp) < 0) {
		close(fd);
		return NULL;
	}
	while (a->handled < 2) {
		memset(req, 0, sizeof(*req));
		if (seccomp_notify_receive(fd, req) < 0)
			break;
		if ((pid_t)req->pid != a->child)
			a->bad_pid++;
		if (seccomp_notify_id_valid(fd, req->id) != 0)
			a->bad_id++;
		memset(resp, 0, sizeof(*resp));
		resp->id = req->id;
		if (req->data.nr == SYS_getppid) {
			resp->val = 4242;
		} else if (req->data.nr == SYS_mkdirat) {
			resp->error = -EROFS;
		} else {
			resp->error = -ENOSYS;
		}
		if (seccomp_notify_respond(fd, resp) < 0)
			break;
		a->handled++;
	}
	seccomp_notify_free(req, resp);
	close(fd);
	return NULL;
}

static int send_fd(int sock, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	char byte = 'f';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf.buf,
	                    .msg_controllen = sizeof(cbuf.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	memset(&cbuf, 0, sizeof(cbuf));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf.buf,
	                    .msg_controllen = sizeof(cbuf.buf)};
	struct cmsghdr *cm;
	int fd = -1;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return "(missing)";
	return json_object_get_string(v);
}

static char notify_dir[32];

/* Runs even when the test fails half-way. */
static int notify_teardown(void **state)
{
	char path[100];

	(void)state;
	if (!notify_dir[0])
		return 0;
	snprintf(path, sizeof(path), "%s/agent.sock", notify_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/never", notify_dir);
	rmdir(path);
	rmdir(notify_dir);
	notify_dir[0] = '\0';
	return 0;
}

static void test_notify(void **state)
{
	char *dir = notify_dir;
	char sock_path[100], never[100], state_json[512];
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	static struct agent a;
	struct json_object *js, *msg, *v, *st;
	struct kura_seccomp *f;
	struct kerr err = {0};
	pthread_t agent;
	int sp[2], nfd, r;
	pid_t pid;

	(void)state;
	snprintf(notify_dir, sizeof(notify_dir), "/tmp/kura-test-seccomp-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/agent.sock", dir);
	snprintf(never, sizeof(never), "%s/never", dir);

	js = json_object_from_file(DATA "notify.json");
	assert_non_null(js);
	json_object_object_add(js, "listenerPath", json_object_new_string(sock_path));
	f = build_json(js);
	assert_true(seccomp_uses_notify(f));
	assert_string_equal(seccomp_listener_path(f), sock_path);
	assert_string_equal(seccomp_listener_metadata(f), "MKDIR=/tmp;test-meta");

	memset(&a, 0, sizeof(a));
	a.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(a.listen_fd >= 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock_path);
	assert_int_equal(bind(a.listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(a.listen_fd, 1), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);

	memset(report, 0, sizeof(*report));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct utsname u;
		char go;

		child_init();
		close(sp[0]);
		CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
		if (seccomp_filter_load(f, &nfd, &err) < 0) {
			snprintf(report->msg, sizeof(report->msg), "%s", err.msg);
			_exit(121);
		}
		CHECK(nfd >= 0);
		/* As the init does: hand the fd over, wait for the go. */
		CHECK(send_fd(sp[1], nfd) == 0);
		CHECK(read(sp[1], &go, 1) == 1);
		CHECK(syscall(SYS_getppid) == 4242);
		CHECK_ERRNO(syscall(SYS_mkdirat, AT_FDCWD, never, 0700), EROFS);
		CHECK_ERRNO(syscall(SYS_uname, &u), EINVAL);
		_exit(0);
	}
	a.child = pid;
	assert_int_equal(pthread_create(&agent, NULL, agent_main, &a), 0);
	close(sp[1]);
	nfd = recv_fd(sp[0]);
	if (nfd < 0) {
		shutdown(a.listen_fd, SHUT_RDWR);
		pthread_join(agent, NULL);
		assert_child_ok(wait_child(pid));
		fail_msg("no notify fd from the child");
	}
	snprintf(state_json, sizeof(state_json),
	         "{\"ociVersion\":\"1.2.0\",\"id\":\"ctr1\",\"status\":\"creating\",\"pid\":%d,"
	         "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}",
	         pid);
	r = seccomp_send_listener(seccomp_listener_path(f), seccomp_listener_metadata(f), nfd,
	                          state_json, pid, &err);
	close(nfd);
	if (r < 0)
		shutdown(a.listen_fd, SHUT_RDWR);
	assert_int_equal(write(sp[0], "g", 1), 1);
	assert_child_ok(wait_child(pid));
	pthread_join(agent, NULL);
	close(sp[0]);
	close(a.listen_fd);
	if (r < 0)
		fail_msg("seccomp_send_listener: %s", err.msg);

	assert_int_equal(a.n_fds, 1);
	assert_int_equal(a.handled, 2);
	assert_int_equal(a.bad_pid, 0);
	assert_int_equal(a.bad_id, 0);
	assert_int_equal(access(never, F_OK), -1);

	msg = json_tokener_parse(a.json);
	assert_non_null(msg);
	assert_string_equal(jstr(msg, "ociVersion"), "1.2.0");
	assert_true(json_object_object_get_ex(msg, "fds", &v));
	assert_int_equal(json_object_array_length(v), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "seccompFd");
	assert_true(json_object_object_get_ex(msg, "pid", &v));
	assert_int_equal(json_object_get_int(v), pid);
	assert_string_equal(jstr(msg, "metadata"), "MKDIR=/tmp;test-meta");
	assert_true(json_object_object_get_ex(msg, "state", &st));
	assert_string_equal(jstr(st, "id"), "ctr1");
	assert_string_equal(jstr(st, "status"), "creating");
	assert_string_equal(jstr(st, "bundle"), "/b");
	assert_true(json_object_object_get_ex(st, "annotations", &v));
	assert_string_equal(jstr(v, "k"), "v");
	json_object_put(msg);
	seccomp_filter_free(f);
}

/* Once every copy of the notify fd is gone, notified syscalls fail with
 * ENOSYS instead of hanging (why the runtime must take the fd first). */
static void test_notify_without_agent(void **state)
{
	struct kura_seccomp *f = build_str(
	    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/nonexistent.sock\","
	    "\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}");
	pid_t pid;

	(void)state;
	memset(report, 0, sizeof(*report));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct kerr err = {0};
		int nfd = -1;

		child_init();
		CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
		CHECK(seccomp_filter_load(f, &nfd, &err) == 0);
		CHECK(nfd >= 0);
		CHECK(fcntl(nfd, F_GETFD) == FD_CLOEXEC);
		close(nfd);
		CHECK_ERRNO(syscall(SYS_getppid), ENOSYS);
		_exit(0);
	}
	assert_child_ok(wait_child(pid));
	seccomp_filter_free(f);
}

static void test_send_listener_errors(void **state)
{
	char long_path[200];
	struct kerr err = {0};

	(void)state;
	assert_int_equal(seccomp_send_listener("/nonexistent/kura-agent.sock", NULL, 0,
	                                       "{\"id\":\"x\"}", 1, &err),
	                 -ENOENT);
	assert_string_equal(err.msg, "seccomp listener: connect `/nonexistent/kura-agent.sock`: "
	                             "No such file or directory");
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	assert_int_equal(seccomp_send_listener(long_path, NULL, 0, "{}", 1, &err), -ENAMETOOLONG);
	assert_non_null(strstr(err.msg, "path too long"));
	assert_int_equal(seccomp_send_listener("/x.sock", NULL, 0, "not json", 1, &err), -EINVAL);
	assert_string_equal(err.msg, "seccomp listener: container state is not a JSON object");
}

/* ---- a docker/podman default profile -------------------------------- */

static void child_docker(void *arg)
{
	(void)arg;
	CHECK_ERRNO(syscall(SYS_mount, "none", "/mnt", "tmpfs", 0, NULL), EPERM);
	CHECK_ERRNO(syscall(SYS_clone3, NULL, 0), ENOSYS); /* glibc falls back to clone */
	CHECK_ERRNO(syscall(SYS_unshare, CLONE_NEWNS), EPERM);
	CHECK_ERRNO(syscall(SYS_acct, NULL), EPERM);
	CHECK_ERRNO(syscall(SYS_socket, 40 /* AF_VSOCK */, SOCK_STREAM, 0), EPERM);
	CHECK(syscall(SYS_personality, 0xffffffffUL) >= 0);
	CHECK_ERRNO(syscall(SYS_personality, ADDR_NO_RANDOMIZE), EPERM);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(s >= 0);
	close(s);
	/* A real program (dynamic loader, fork, exec) runs under it. */
	execl("/bin/sh", "sh", "-c", "cd / && ls >/dev/null && /bin/true && exit 0; exit 42",
	      (char *)NULL);
	CHECK(0);
}

static void test_docker_profile(void **state)
{
	struct json_object *js, *syscalls;
	struct kura_seccomp *f;
	const char *const *unknown;
	struct kerr err = {0};
	size_t n_unknown = 0, n_expected = 0;

	(void)state;
	js = json_object_from_file(DATA "docker-default.json");
	assert_non_null(js);
	assert_int_equal(seccomp_filter_build(js, &f, &err), 0);

	/* Exactly the names libseccomp does not know were skipped. */
	unknown = seccomp_filter_unknown_syscalls(f);
	for (; unknown[n_unknown]; n_unknown++)
		assert_int_equal(seccomp_syscall_resolve_name(unknown[n_unknown]), __NR_SCMP_ERROR);
	assert_true(json_object_object_get_ex(js, "syscalls", &syscalls));
	for (size_t i = 0; i < json_object_array_length(syscalls); i++) {
		struct json_object *sc = json_object_array_get_idx(syscalls, i), *names, *act;
		json_object_object_get_ex(sc, "names", &names);
		json_object_object_get_ex(sc, "action", &act);
		if (strcmp(json_object_get_string(act), "SCMP_ACT_ALLOW") != 0)
			continue; /* the EPERM block equals the default: skipped whole */
		for (size_t j = 0; j < json_object_array_length(names); j++) {
			const char *name =
			    json_object_get_string(json_object_array_get_idx(names, j));
			if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
				n_expected++;
		}
	}
	assert_int_equal(n_unknown, n_expected);
	json_object_put(js);

	assert_child_ok(run_child(f, true, child_docker, NULL, NULL));
	assert_child_ok(run_child(f, false, child_docker, NULL, NULL));
	seccomp_filter_free(f);
}

static void test_unknown_syscall_skipped(void **state)
{
	struct kura_seccomp *f =
	    build_str("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	              "[\"kura_no_such_syscall\",\"getpgid\"],\"action\":\"SCMP_ACT_ERRNO\","
	              "\"errnoRet\":5}]}");
	const char *const *unknown = seccomp_filter_unknown_syscalls(f);

	(void)state;
	assert_string_equal(unknown[0], "kura_no_such_syscall");
	assert_null(unknown[1]);
	assert_null(seccomp_filter_unknown_syscalls(NULL)[0]);
	seccomp_filter_free(f);
}

static void child_multiarch(void *arg)
{
	(void)arg;
	CHECK_ERRNO(syscall(SYS_getppid), ESRCH);
}

static void test_multiarch(void **state)
{
	/* socketcall and _llseek exist only on 32-bit x86: fine for x86_64
	 * with x86 and x32 added, as in docker's profile. */
	struct kura_seccomp *f = build_str(
	    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
	    "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_AARCH64\"],\"syscalls\":[{\"names\":"
	    "[\"socketcall\",\"_llseek\",\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\","
	    "\"errnoRet\":3}]}");

	(void)state;
	assert_null(seccomp_filter_unknown_syscalls(f)[0]);
	assert_child_ok(run_child(f, true, child_multiarch, NULL, NULL));
	seccomp_filter_free(f);
}

/* ---- no filter ------------------------------------------------------ */

static void test_no_filter(void **state)
{
	struct kura_seccomp *f = (struct kura_seccomp *)&f;
	struct kerr err = {0};
	struct json_object *js;
	int nfd = 7;

	(void)state;
	assert_int_equal(seccomp_filter_build(NULL, &f, &err), 0);
	assert_null(f);
	js = json_tokener_parse("{}");
	f = (struct kura_seccomp *)&f;
	assert_int_equal(seccomp_filter_build(js, &f, &err), 0);
	assert_null(f);
	json_object_put(js);
	js = json_tokener_parse("{\"syscalls\":[]}");
	f = (struct kura_seccomp *)&f;
	assert_int_equal(seccomp_filter_build(js, &f, &err), 0);
	assert_null(f);
	json_object_put(js);
	assert_int_equal(seccomp_filter_load(NULL, &nfd, &err), 0);
	assert_int_equal(nfd, -1);
	assert_false(seccomp_uses_notify(NULL));
	assert_null(seccomp_listener_path(NULL));
	seccomp_filter_free(NULL);
}

/* ---- invalid profiles ----------------------------------------------- */

static void test_invalid(void **state)
{
	static const struct {
		const char *json;
		const char *msg;
	} cases[] = {
	    {"[]", "config.json: linux.seccomp: expected an object"},
	    {"{\"defaultAction\":\"SCMP_ACT_FOO\"}",
	     "config.json: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\""},
	    {"{\"defaultAction\":1}",
	     "config.json: linux.seccomp.defaultAction: expected a string"},
	    {"{\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
	     "config.json: linux.seccomp.defaultAction: missing"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}",
	     "config.json: linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW does not take an errno"},
	    {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}",
	     "config.json: linux.seccomp.defaultErrnoRet: expected an unsigned integer"},
	    {"{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}",
	     "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default "
	     "action"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
	     "\"SCMP_ARCH_VAX\"]}",
	     "config.json: linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\""},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":\"SCMP_ARCH_X86\"}",
	     "config.json: linux.seccomp.architectures: expected an array"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_FOO\"]}",
	     "config.json: linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\""},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerMetadata\":\"m\"}",
	     "config.json: linux.seccomp.listenerMetadata: set without "
	     "linux.seccomp.listenerPath"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":7}",
	     "config.json: linux.seccomp.listenerPath: expected a string"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}",
	     "config.json: linux.seccomp.syscalls: expected an array"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\"},\"x\"]}",
	     "config.json: linux.seccomp.syscalls[1]: expected an object"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\"}]"
	     "}",
	     "config.json: linux.seccomp.syscalls[0].names: missing"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],"
	     "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	     "config.json: linux.seccomp.syscalls[0].names: expected at least one syscall name"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\",5],"
	     "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	     "config.json: linux.seccomp.syscalls[0].names[1]: expected a string"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	     "config.json: linux.seccomp.syscalls[0].names[0]: empty syscall name"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"]},"
	     "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
	     "config.json: linux.seccomp.syscalls[0].action: missing"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_BAR\"}]"
	     "}",
	     "config.json: linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_BAR\""},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4096}]}",
	     "config.json: linux.seccomp.syscalls[0].errnoRet: 4096 is out of range (0-4095)"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]}",
	     "config.json: linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_KILL does not take an "
	     "errno"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":65536}]}",
	     "config.json: linux.seccomp.syscalls[0].errnoRet: 65536 is out of range (0-65535)"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,"
	     "\"op\":\"SCMP_CMP_EQ\"}]}]}",
	     "config.json: linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0-5)"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,"
	     "\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	     "config.json: linux.seccomp.syscalls[0].args[1].value: expected an unsigned integer"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1.5,"
	     "\"op\":\"SCMP_CMP_EQ\"}]}]}",
	     "config.json: linux.seccomp.syscalls[0].args[0].value: expected an unsigned integer"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	     "config.json: linux.seccomp.syscalls[0].args[0].value: missing"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,"
	     "\"op\":\"SCMP_CMP_FOO\"}]}]}",
	     "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator "
	     "\"SCMP_CMP_FOO\""},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[7]}]}",
	     "config.json: linux.seccomp.syscalls[0].args[0]: expected an object"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	     "\"action\":\"SCMP_ACT_NOTIFY\"}]}",
	     "config.json: linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY needs "
	     "linux.seccomp.listenerPath"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/a.sock\",\"syscalls\":"
	     "[{\"names\":[\"getpid\",\"write\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
	     "config.json: linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for "
	     "\"write\": the runtime needs it to pass on the notify fd"},
	    /* Two rules with the same condition and different actions:
	     * libseccomp refuses, runc fails, so do we, naming the rule. */
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
	     "{\"names\":[\"getpriority\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
	     "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]},"
	     "{\"names\":[\"getpriority\"],\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,"
	     "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	     "config.json: linux.seccomp.syscalls[1]: add rule for \"getpriority\": File exists"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *js = json_tokener_parse(cases[i].json);
		struct kura_seccomp *sentinel = (struct kura_seccomp *)&js, *f = sentinel;
		struct kerr err = {0};
		int r;

		if (!js)
			fail_msg("case %zu: bad test JSON", i);
		r = seccomp_filter_build(js, &f, &err);
		json_object_put(js);
		if (r >= 0)
			fail_msg("case %zu: accepted %s", i, cases[i].json);
		assert_ptr_equal(f, sentinel); /* untouched on failure */
		if (strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu:\n got: %s\nwant: %s", i, err.msg, cases[i].msg);
	}
}

static void test_features(void **state)
{
	struct json_object *o = seccomp_features_json(), *v;
	const char *text;

	(void)state;
	text = json_object_to_json_string(o);
	assert_true(json_object_object_get_ex(o, "enabled", &v) && json_object_get_boolean(v));
	assert_non_null(strstr(text, "\"SCMP_ACT_NOTIFY\""));
	assert_non_null(strstr(text, "\"SCMP_CMP_MASKED_EQ\""));
	assert_non_null(strstr(text, "\"SCMP_ARCH_X86_64\""));
	assert_true(json_object_object_get_ex(o, "supportedFlags", &v));
	/* This kernel (>= 5.19) knows every spec flag. */
	assert_int_equal(json_object_array_length(v), 4);
	json_object_put(o);
}

static int group_setup(void **state)
{
	(void)state;
	report =
	    mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return report == MAP_FAILED ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	munmap(report, sizeof(*report));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    /* first: kernel audit printing is rate limited (10 per 5 s) */
	    cmocka_unit_test(test_log),
	    cmocka_unit_test(test_errno_rules),
	    cmocka_unit_test(test_load_needs_privilege),
	    cmocka_unit_test(test_kill_actions),
	    cmocka_unit_test(test_trap),
	    cmocka_unit_test(test_trace),
	    cmocka_unit_test(test_args),
	    cmocka_unit_test(test_allowlist),
	    cmocka_unit_test(test_flags),
	    cmocka_unit_test_teardown(test_notify, notify_teardown),
	    cmocka_unit_test(test_notify_without_agent),
	    cmocka_unit_test(test_send_listener_errors),
	    cmocka_unit_test(test_docker_profile),
	    cmocka_unit_test(test_unknown_syscall_skipped),
	    cmocka_unit_test(test_multiarch),
	    cmocka_unit_test(test_no_filter),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_features),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

#else /* !KURA_HAVE_SECCOMP */

int main(void)
{
	return 77; /* built without libseccomp: nothing to test */
}

#endif
