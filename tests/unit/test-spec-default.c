/* `kura spec`: the default config parses, and it is the config
 * `runc spec` writes (compared tree to tree with the installed runc),
 * apart from the three intended differences: ociVersion 1.2.0, hostname
 * "kura" and a cgroup namespace.  Likewise for --rootless. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <json-c/json.h>
#include <linux/capability.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/cleanup.h"
#include "../../common/util.h"
#include "../../runtime/spec.h"

static char bundle[64];

static int setup(void **state)
{
	char path[128];

	snprintf(bundle, sizeof(bundle), "/tmp/kura-test-spec-XXXXXX");
	if (!mkdtemp(bundle))
		return -1;
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	return mkdir(path, 0755);
}

static int teardown(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	unlink(path);
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	rmdir(path);
	return rmdir(bundle);
}

static struct oci_spec *parse_default(bool rootless, uid_t uid, gid_t gid)
{
	_cleanup_free_ char *text = spec_default_json(rootless, uid, gid);
	struct oci_spec *spec = NULL;
	struct kerr err = {0};

	if (spec_parse(text, strlen(text), bundle, "config.json", &spec, &err) < 0)
		fail_msg("%s\n%s", err.msg, text);
	return spec;
}

static void test_default_parses(void **state)
{
	const uint64_t caps =
	    (1ULL << CAP_AUDIT_WRITE) | (1ULL << CAP_KILL) | (1ULL << CAP_NET_BIND_SERVICE);
	struct oci_spec *spec = parse_default(false, 0, 0);

	assert_string_equal(spec->oci_version, "1.2.0");
	assert_true(spec->has_process);
	assert_true(spec->process.terminal);
	assert_string_equal(spec->process.args[0], "sh");
	assert_null(spec->process.args[1]);
	assert_string_equal(spec->process.cwd, "/");
	assert_true(spec->process.no_new_privileges);
	assert_int_equal(spec->process.capabilities.bounding, caps);
	assert_int_equal(spec->process.capabilities.effective, caps);
	assert_int_equal(spec->process.capabilities.permitted, caps);
	assert_int_equal(spec->process.capabilities.ambient, caps);
	assert_int_equal(spec->process.capabilities.inheritable, 0);
	assert_int_equal(spec->process.n_rlimits, 1);
	assert_int_equal(spec->process.rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(spec->process.rlimits[0].soft, 1024);
	assert_int_equal(spec->process.rlimits[0].hard, 1024);
	assert_true(spec->root_readonly);
	assert_string_equal(spec->hostname, "kura");
	assert_int_equal(spec->n_mounts, 7);
	assert_int_equal(spec->linux.n_namespaces, 6);
	assert_non_null(spec_namespace(spec, CLONE_NEWCGROUP));
	assert_non_null(spec_namespace(spec, CLONE_NEWNET));
	assert_null(spec_namespace(spec, CLONE_NEWUSER));
	assert_non_null(spec->linux.resources);
	spec_free(spec);
}

static void test_rootless_parses(void **state)
{
	struct oci_spec *spec = parse_default(true, 1234, 5678);

	assert_non_null(spec_namespace(spec, CLONE_NEWUSER));
	assert_null(spec_namespace(spec, CLONE_NEWNET));
	assert_int_equal(spec->linux.n_uid_mappings, 1);
	assert_int_equal(spec->linux.uid_mappings[0].container_id, 0);
	assert_int_equal(spec->linux.uid_mappings[0].host_id, 1234);
	assert_int_equal(spec->linux.uid_mappings[0].size, 1);
	assert_int_equal(spec->linux.gid_mappings[0].host_id, 5678);
	assert_null(spec->linux.resources);
	assert_true(spec->mounts[5].bind);
	assert_true(spec->mounts[5].recursive);
	assert_string_equal(spec->mounts[5].source, "/sys");
	assert_null(strstr(spec->mounts[2].data, "gid=5"));
	spec_free(spec);

	/* The largest id still makes a valid mapping. */
	spec = parse_default(true, 4294967294u, 4294967294u);
	assert_int_equal(spec->linux.uid_mappings[0].host_id, 4294967294u);
	spec_free(spec);
}

/* Run `runc spec [--rootless]` in the bundle and return its config. */
static json_object *runc_spec(bool rootless)
{
	_cleanup_free_ char *path = xasprintf("%s/config.json", bundle);
	json_object *obj;
	int status;
	pid_t pid;

	unlink(path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (null >= 0)
			dup2(null, STDERR_FILENO);
		if (chdir(bundle) == 0)
			execlp("runc", "runc", "spec", rootless ? "--rootless" : NULL,
			       (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return NULL;
	obj = json_object_from_file(path);
	unlink(path);
	return obj;
}

/* Apply kura's intended differences to runc's config. */
static void adjust_runc(json_object *runc)
{
	json_object *lin, *nss, *out = json_object_new_array();
	bool inserted = false;

	json_object_object_add(runc, "ociVersion", json_object_new_string("1.2.0"));
	json_object_object_add(runc, "hostname", json_object_new_string("kura"));
	assert_true(json_object_object_get_ex(runc, "linux", &lin));
	assert_true(json_object_object_get_ex(lin, "namespaces", &nss));
	/* A cgroup namespace right after "mount" (before "user" in the
	 * rootless variant). */
	for (size_t i = 0; i < json_object_array_length(nss); i++) {
		json_object *ns = json_object_array_get_idx(nss, i), *t;

		json_object_array_add(out, json_object_get(ns));
		json_object_object_get_ex(ns, "type", &t);
		if (strcmp(json_object_get_string(t), "mount") == 0) {
			json_object *cg = json_object_new_object();

			json_object_object_add(cg, "type", json_object_new_string("cgroup"));
			json_object_array_add(out, cg);
			inserted = true;
		}
	}
	assert_true(inserted);
	json_object_object_add(lin, "namespaces", out);
}

static void compare_with_runc(bool rootless)
{
	json_object *runc = runc_spec(rootless), *kura;
	_cleanup_free_ char *text = spec_default_json(rootless, getuid(), getgid());

	if (!runc)
		skip();
	adjust_runc(runc);
	kura = json_tokener_parse(text);
	assert_non_null(kura);
	if (!json_object_equal(kura, runc))
		fail_msg("kura:\n%s\nrunc (adjusted):\n%s",
		         json_object_to_json_string_ext(kura, JSON_C_TO_STRING_PRETTY),
		         json_object_to_json_string_ext(runc, JSON_C_TO_STRING_PRETTY));
	/* json_object_equal ignores key order; runc's order is part of the
	 * format people read, so check it for the top level too. */
	{
		struct json_object_iterator a = json_object_iter_begin(kura);
		struct json_object_iterator b = json_object_iter_begin(runc);
		struct json_object_iterator ea = json_object_iter_end(kura);

		for (; !json_object_iter_equal(&a, &ea);
		     json_object_iter_next(&a), json_object_iter_next(&b))
			if (strcmp(json_object_iter_peek_name(&a), "hostname") != 0 &&
			    strcmp(json_object_iter_peek_name(&a), "ociVersion") != 0)
				assert_string_equal(json_object_iter_peek_name(&a),
				                    json_object_iter_peek_name(&b));
	}
	json_object_put(kura);
	json_object_put(runc);
}

static void test_same_as_runc(void **state)
{
	compare_with_runc(false);
}

static void test_rootless_same_as_runc(void **state)
{
	compare_with_runc(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_parses),
	    cmocka_unit_test(test_rootless_parses),
	    cmocka_unit_test(test_same_as_runc),
	    cmocka_unit_test(test_rootless_same_as_runc),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
