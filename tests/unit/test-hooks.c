/* runtime/hooks.c: real hooks (/bin/sh scripts) run in a temp dir; each
 * test checks what the hook saw (argv, env, stdin, fds, signals) through
 * the files it wrote, and what hooks_run() reported. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>

#include <cmocka.h>

#include "../../runtime/hooks.h"

#define STATE "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42}"

static char dir[64];

static char *path_in(const char *name)
{
	static char buf[4][256];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* The whole file, NUL-terminated; NULL if it does not exist. */
static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 8192;
			data = realloc(data, cap);
			assert_non_null(data);
		}
		n = fread(data + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	data[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return data;
}

static void assert_file(const char *name, const char *want)
{
	char *got = slurp(path_in(name), NULL);

	if (!got)
		fail_msg("%s was not written", name);
	assert_string_equal(got, want);
	free(got);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A /bin/sh -c hook: $0 is the temp dir, $1 an extra word. */
#define SH_HOOK(script, word)                                                                      \
	{                                                                                          \
		.path = "/bin/sh", .args = (const char *[]){"sh", "-c", script, dir, word, NULL},  \
	}

static void test_order_and_stdin(void **state)
{
	struct oci_hook hooks[] = {
	    SH_HOOK("cat > \"$0/stdin.$1\" && echo \"$1\" >> \"$0/order\"", "1"),
	    SH_HOOK("cat > \"$0/stdin.$1\" && echo \"$1\" >> \"$0/order\"", "2"),
	    SH_HOOK("cat > \"$0/stdin.$1\" && echo \"$1\" >> \"$0/order\"", "3"),
	};
	struct kerr err = {0};

	(void)state;
	if (hooks_run(hooks, 3, STATE, "prestart", &err) < 0)
		fail_msg("%s", err.msg);
	assert_file("order", "1\n2\n3\n");
	assert_file("stdin.1", STATE);
	assert_file("stdin.2", STATE);
	assert_file("stdin.3", STATE);
	assert_int_equal(hooks_run(hooks, 0, STATE, "prestart", &err), 0);
}

static void test_args_env_exact(void **state)
{
	const char *script = "tr '\\0' '\\n' < /proc/$$/cmdline > \"$0/cmdline\"; "
	                     "tr '\\0' '\\n' < /proc/$$/environ > \"$0/environ\"";
	const char *args[] = {"my-argv0", "-c", script, dir, "a b", "", NULL};
	const char *env[] = {"FOO=bar baz", "EMPTY=", "X=1", NULL};
	struct oci_hook h = {.path = "/bin/sh", .args = args, .env = env};
	struct kerr err = {0};
	char want[1024];

	(void)state;
	if (hooks_run(&h, 1, STATE, "createRuntime", &err) < 0)
		fail_msg("%s", err.msg);
	snprintf(want, sizeof(want), "my-argv0\n-c\n%s\n%s\na b\n\n", script, dir);
	assert_file("cmdline", want);
	assert_file("environ", "FOO=bar baz\nEMPTY=\nX=1\n");
}

/* No args: argv is {path}; no env: an empty environment.  /bin/sh without
 * arguments runs its stdin, so here the "state" is the script. */
static void test_no_args_no_env(void **state)
{
	struct oci_hook h = {.path = "/bin/sh"};
	struct kerr err = {0};
	char script[512];

	(void)state;
	snprintf(script, sizeof(script),
	         "tr '\\0' '\\n' < /proc/$$/cmdline > %s/cmdline0; cat /proc/$$/environ > "
	         "%s/environ0\n",
	         dir, dir);
	if (hooks_run(&h, 1, script, "poststart", &err) < 0)
		fail_msg("%s", err.msg);
	assert_file("cmdline0", "/bin/sh\n");
	assert_file("environ0", "");
}

static void test_failure_messages(void **state)
{
	struct oci_hook first[] = {
	    SH_HOOK("true", ""),
	    SH_HOOK("echo '  first line' >&2; echo second >&2; echo out; exit 3", ""),
	    SH_HOOK("touch \"$0/must-not-run\"", ""),
	};
	struct oci_hook out_only = SH_HOOK("echo 'from stdout'; exit 4", "");
	struct oci_hook silent = SH_HOOK("exit 5", "");
	struct oci_hook killed = SH_HOOK("echo dying >&2; kill -TERM $$", "");
	struct oci_hook missing = {.path = "/nonexistent/kura-hook"};
	struct oci_hook not_exec = {.path = path_in("plain")};
	struct kerr err = {0};
	int fd;

	(void)state;
	assert_int_equal(hooks_run(first, 3, STATE, "prestart", &err), -EINVAL);
	assert_string_equal(err.msg,
	                    "prestart hook #1 (/bin/sh): exited with status 3: first line");
	assert_int_equal(access(path_in("must-not-run"), F_OK), -1);

	assert_true(hooks_run(&out_only, 1, STATE, "poststop", &err) < 0);
	assert_string_equal(err.msg,
	                    "poststop hook #0 (/bin/sh): exited with status 4: from stdout");

	assert_true(hooks_run(&silent, 1, STATE, "poststop", &err) < 0);
	assert_string_equal(err.msg, "poststop hook #0 (/bin/sh): exited with status 5");

	assert_true(hooks_run(&killed, 1, STATE, "startContainer", &err) < 0);
	assert_string_equal(
	    err.msg, "startContainer hook #0 (/bin/sh): killed by signal 15 (SIGTERM): dying");

	assert_int_equal(hooks_run(&missing, 1, STATE, "createRuntime", &err), -ENOENT);
	assert_string_equal(err.msg,
	                    "createRuntime hook #0 (/nonexistent/kura-hook): exec: No such "
	                    "file or directory");

	fd = open(not_exec.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(hooks_run(&not_exec, 1, STATE, "prestart", &err), -EACCES);
	assert_non_null(strstr(err.msg, "exec: Permission denied"));
}

static void test_timeout(void **state)
{
	struct oci_hook slow = SH_HOOK("echo $$ > \"$0/pid\"; exec sleep 30", "");
	struct oci_hook quick = SH_HOOK("sleep 0.2", "");
	struct kerr err = {0};
	char *pid_text;
	double t0, dt;
	pid_t pid;

	(void)state;
	slow.timeout = 1;
	t0 = now_s();
	assert_int_equal(hooks_run(&slow, 1, STATE, "poststop", &err), -ETIMEDOUT);
	dt = now_s() - t0;
	assert_string_equal(err.msg, "poststop hook #0 (/bin/sh): timeout: still running after 1s, "
	                             "killed");
	if (dt < 0.9 || dt > 5)
		fail_msg("timeout took %.2fs", dt);
	/* Killed and reaped: the pid is gone. */
	pid_text = slurp(path_in("pid"), NULL);
	assert_non_null(pid_text);
	pid = (pid_t)atoi(pid_text);
	free(pid_text);
	assert_true(pid > 0);
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);

	quick.timeout = 5;
	if (hooks_run(&quick, 1, STATE, "poststop", &err) < 0)
		fail_msg("%s", err.msg);
}

/* A hook that leaves a daemon holding its stdout and stderr: runc would
 * wait for EOF forever; we return when the hook itself exits. */
static void test_daemonized_grandchild(void **state)
{
	struct oci_hook h = SH_HOOK("sleep 30 & echo $! > \"$0/bgpid\"; exit 0", "");
	struct kerr err = {0};
	char *pid_text;
	double t0, dt;
	int r;

	(void)state;
	t0 = now_s();
	r = hooks_run(&h, 1, STATE, "poststart", &err);
	dt = now_s() - t0;
	pid_text = slurp(path_in("bgpid"), NULL);
	if (pid_text && atoi(pid_text) > 0)
		kill((pid_t)atoi(pid_text), SIGKILL);
	free(pid_text);
	if (r < 0)
		fail_msg("%s", err.msg);
	if (dt > 5)
		fail_msg("hooks_run waited %.2fs for the grandchild", dt);
}

static void test_no_fd_leak(void **state)
{
	struct oci_hook h = SH_HOOK("ls /proc/self/fd > \"$0/fds\"", "");
	struct kerr err = {0};
	int leak, p[2];

	(void)state;
	/* fds the runtime forgot to mark close-on-exec */
	leak = open("/dev/null", O_RDONLY);
	assert_true(leak >= 0);
	assert_int_equal(pipe(p), 0);
	if (hooks_run(&h, 1, STATE, "prestart", &err) < 0)
		fail_msg("%s", err.msg);
	close(leak);
	close(p[0]);
	close(p[1]);
	/* ls sees 0-2, its stdout file on 1, and its own fd 3 (the directory
	 * it lists): nothing else. */
	assert_file("fds", "0\n1\n2\n3\n");
}

/* Blocked and ignored signals of the runtime do not reach the hook: cp,
 * run directly as the hook, copies its own /proc/self/status. */
static void test_signal_state(void **state)
{
	const char *args[] = {"cp", "/proc/self/status", path_in("status"), NULL};
	struct oci_hook h = {.path = "/bin/cp", .args = args};
	struct kerr err = {0};
	sigset_t block, old;
	char *status;
	int r;

	(void)state;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	r = hooks_run(&h, 1, STATE, "prestart", &err);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		fail_msg("%s", err.msg);
	status = slurp(path_in("status"), NULL);
	assert_non_null(status);
	assert_non_null(strstr(status, "\nSigBlk:\t0000000000000000\n"));
	assert_non_null(strstr(status, "\nSigIgn:\t0000000000000000\n"));
	free(status);
}

/* A state larger than any pipe buffer: the rest goes through poll(); a
 * hook that does not read it must not kill us with SIGPIPE. */
static void test_large_state(void **state)
{
	struct oci_hook reader = SH_HOOK("cat > \"$0/big\"", "");
	struct oci_hook ignorer = SH_HOOK("exit 0", "");
	struct oci_hook partial = SH_HOOK("head -c 10 > /dev/null", "");
	size_t len = 3 << 20, got_len = 0;
	sigset_t before, after, pending;
	struct kerr err = {0};
	char *big, *got;

	(void)state;
	big = malloc(len + 1);
	assert_non_null(big);
	for (size_t i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	big[len] = '\0';

	sigprocmask(SIG_BLOCK, NULL, &before);
	if (hooks_run(&reader, 1, big, "prestart", &err) < 0)
		fail_msg("%s", err.msg);
	got = slurp(path_in("big"), &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, big, len);
	free(got);

	if (hooks_run(&ignorer, 1, big, "prestart", &err) < 0)
		fail_msg("%s", err.msg);
	if (hooks_run(&partial, 1, big, "prestart", &err) < 0)
		fail_msg("%s", err.msg);
	/* The SIGPIPEs our writes raised were swallowed; the mask is back. */
	sigpending(&pending);
	assert_false(sigismember(&pending, SIGPIPE));
	sigprocmask(SIG_BLOCK, NULL, &after);
	assert_int_equal(sigismember(&after, SIGPIPE), sigismember(&before, SIGPIPE));
	free(big);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(hooks_kind_name(OCI_HOOK_PRESTART), "prestart");
	assert_string_equal(hooks_kind_name(OCI_HOOK_CREATE_RUNTIME), "createRuntime");
	assert_string_equal(hooks_kind_name(OCI_HOOK_CREATE_CONTAINER), "createContainer");
	assert_string_equal(hooks_kind_name(OCI_HOOK_START_CONTAINER), "startContainer");
	assert_string_equal(hooks_kind_name(OCI_HOOK_POSTSTART), "poststart");
	assert_string_equal(hooks_kind_name(OCI_HOOK_POSTSTOP), "poststop");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kura-test-hooks-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_order_and_stdin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_args_env_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_args_no_env, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure_messages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_daemonized_grandchild, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_fd_leak, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_signal_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_state, setup, teardown),
	    cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
