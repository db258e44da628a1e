/* cgroups/ against this host's real hierarchies (v1 controllers here,
 * pure v2 in the VM): create below our own cgroup in every hierarchy,
 * limits written and read back, attach, pids, freeze, kill, stats,
 * save and load, enforcement of pids.max, and nothing left after
 * destroy.  Needs root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../cgroups/cgroups.h"
#include "../../common/cleanup.h"
#include "../../common/util.h"

static char rel[64];

static int parse(const char *text, struct cgroup_resources *r)
{
	json_object *o = json_tokener_parse(text);
	struct kerr err;
	int rc = cgroup_resources_parse(o, "linux.resources", r, &err);

	json_object_put(o);
	return rc;
}

static char *read_in(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	char *buf = NULL;
	size_t len;
	struct kerr err;

	if (read_file_at(AT_FDCWD, path, &buf, &len, &err) < 0)
		fail_msg("%s", err.msg);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* A child that waits on a pipe, then tries to fork n times and exits
 * with the number of forks that failed with EAGAIN. */
static pid_t spawn_waiter(int *ret_go, int n)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		int refused = 0;

		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(100);
		for (int i = 0; i < n; i++) {
			pid_t k = fork();
			if (k == 0) {
				sleep(2);
				_exit(0);
			}
			if (k < 0 && errno == EAGAIN)
				refused++;
		}
		_exit(refused);
	}
	close(p[0]);
	*ret_go = p[1];
	return pid;
}

static void test_lifecycle(void **state)
{
	struct cgroup_resources r;
	struct cgroup *cg = NULL, *again = NULL;
	struct kerr err = {0};
	enum cgroup_mode mode;
	const char *mem, *pids_dir;
	_cleanup_free_ char *mem_copy = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	json_object *saved, *stats;
	int go, status;
	pid_t child;

	assert_int_equal(cgroup_host_mode(&mode, &err), 0);
	assert_int_equal(parse("{\"memory\": {\"limit\": 67108864}, \"pids\": {\"limit\": 3},"
	                       " \"cpu\": {\"shares\": 512, \"quota\": 20000, \"period\": 100000}}",
	                       &r),
	                 0);
	cgroup_resources_add_default_devices(&r);
	if (cgroup_create(rel, "unused", &r, &cg, &err) < 0)
		fail_msg("create: %s", err.msg);
	cgroup_resources_free(&r);

	/* Below our own cgroup in every hierarchy, and the limits set. */
	mem = cgroup_path_of(cg, "memory");
	pids_dir = cgroup_path_of(cg, "pids");
	assert_non_null(mem);
	assert_non_null(pids_dir);
	assert_true(exists(mem));
	{
		_cleanup_free_ char *limit = read_in(
		    mem, mode == CGROUP_MODE_UNIFIED ? "memory.max" : "memory.limit_in_bytes");
		_cleanup_free_ char *pmax = read_in(pids_dir, "pids.max");
		assert_string_equal(limit, "67108864");
		assert_string_equal(pmax, "3");
	}

	/* Saved and loaded, the same directories. */
	saved = cgroup_to_json(cg);
	assert_int_equal(cgroup_from_json(saved, &again, &err), 0);
	assert_string_equal(cgroup_path_of(again, "memory"), mem);
	json_object_put(saved);

	child = spawn_waiter(&go, 5);
	if (cgroup_attach(cg, child, &err) < 0)
		fail_msg("attach: %s", err.msg);
	assert_int_equal(cgroup_pids(again, &pids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], child);

	assert_int_equal(cgroup_freeze(again, true, &err), 0);
	assert_true(cgroup_is_frozen(again));
	assert_int_equal(cgroup_freeze(again, false, &err), 0);
	assert_false(cgroup_is_frozen(again));

	/* pids.max 3: the child and two of its five forks; three refused. */
	assert_int_equal(write(go, "x", 1), 1);
	close(go);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);

	assert_int_equal(cgroup_stats_json(again, &stats, &err), 0);
	assert_true(json_object_object_get_ex(stats, "memory", NULL));
	assert_true(json_object_object_get_ex(stats, "pids", NULL));
	json_object_put(stats);

	/* The grandchildren still sleep in it: destroy kills them. */
	assert_int_equal(cgroup_kill(again, SIGKILL, &err), 0);
	cgroup_free(again);
	/* destroy frees cg and the paths it hands out. */
	mem_copy = xstrdup(mem);
	if (cgroup_destroy(cg, &err) < 0)
		fail_msg("destroy: %s", err.msg);
	assert_false(exists(mem_copy));
}

static void test_bad_paths(void **state)
{
	struct cgroup *cg;
	struct kerr err;

	assert_int_equal(cgroup_create("a/../../b", "x", NULL, &cg, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "linux.cgroupsPath"));
	assert_int_equal(cgroup_create("/", "x", NULL, &cg, &err), -EINVAL);
}

static void test_busy_cgroup_refused(void **state)
{
	struct cgroup *cg, *cg2;
	struct kerr err;
	int go;
	pid_t child;
	_cleanup_free_ char *path = xasprintf("%s/busy", rel);

	assert_int_equal(cgroup_create(path, "x", NULL, &cg, &err), 0);
	child = spawn_waiter(&go, 0);
	assert_int_equal(cgroup_attach(cg, child, &err), 0);
	assert_int_equal(cgroup_create(path, "x", NULL, &cg2, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "already holds processes"));
	close(go);
	waitpid(child, NULL, 0);
	assert_int_equal(cgroup_destroy(cg, &err), 0);
}

static int setup(void **state)
{
	snprintf(rel, sizeof(rel), "kura-unit-%d/c1", (int)getpid());
	return 0;
}

/* Whatever a failed test left: every kura-unit-PID directory. */
static int teardown(void **state)
{
	_cleanup_free_ char *cmd =
	    xasprintf("find /sys/fs/cgroup -depth -type d -path '*/kura-unit-%d*' -exec rmdir {} + "
	              "2>/dev/null;"
	              " ! find /sys/fs/cgroup -path '*/kura-unit-%d*' | grep -q .",
	              (int)getpid(), (int)getpid());
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lifecycle),
	    cmocka_unit_test(test_bad_paths),
	    cmocka_unit_test(test_busy_cgroup_refused),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
