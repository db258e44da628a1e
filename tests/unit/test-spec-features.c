/* `kura features` tells the truth: the document is valid JSON of the
 * features.md shape, and every mount option, namespace and capability
 * it advertises is accepted by the config parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef KURA_HAVE_SECCOMP
#include <seccomp.h>
#endif

#include "../../common/cleanup.h"
#include "../../common/util.h"
#include "../../runtime/features.h"
#include "../../runtime/spec.h"

static char bundle[64];
static json_object *features;

static int setup(void **state)
{
	char path[128];
	char *text;

	snprintf(bundle, sizeof(bundle), "/tmp/kura-test-spec-XXXXXX");
	if (!mkdtemp(bundle))
		return -1;
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	if (mkdir(path, 0755) < 0)
		return -1;
	text = features_json();
	features = json_tokener_parse(text);
	free(text);
	return features ? 0 : -1;
}

static int teardown(void **state)
{
	char path[128];

	json_object_put(features);
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	rmdir(path);
	return rmdir(bundle);
}

static json_object *get(json_object *obj, const char *key, enum json_type type)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
		fail_msg("features: \"%s\" missing or of the wrong type", key);
	return v;
}

/* The strings of arr as a comma-separated list, each between before and
 * after. */
static char *json_list(json_object *arr, const char *before, const char *after)
{
	char *out = xstrdup("");

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		_cleanup_free_ char *item = NULL;
		char *next;

		item = xasprintf("%s%s%s", before,
		                 json_object_get_string(json_object_array_get_idx(arr, i)), after);
		next = xasprintf("%s%s%s", out, i ? ", " : "", item);
		free(out);
		out = next;
	}
	return out;
}

static void expect_parses(const char *text)
{
	struct oci_spec *spec = NULL;
	struct kerr err = {0};

	if (spec_parse(text, strlen(text), bundle, "config.json", &spec, &err) < 0)
		fail_msg("%s\nfor: %s", err.msg, text);
	spec_free(spec);
}

static void test_top_level(void **state)
{
	json_object *hooks = get(features, "hooks", json_type_array);

	assert_string_equal(
	    json_object_get_string(get(features, "ociVersionMin", json_type_string)), "1.0.0");
	assert_string_equal(
	    json_object_get_string(get(features, "ociVersionMax", json_type_string)), "1.3.0");
	assert_int_equal(json_object_array_length(hooks), OCI_HOOK_KIND_COUNT);
	get(features, "annotations", json_type_object);
	get(features, "linux", json_type_object);
}

static void test_mount_options(void **state)
{
	json_object *opts = get(features, "mountOptions", json_type_array);
	_cleanup_free_ char *list = json_list(opts, "\"", "\"");
	_cleanup_free_ char *config = NULL;
	const char *prev = "";

	assert_true(json_object_array_length(opts) >= 60);
	for (size_t i = 0; i < json_object_array_length(opts); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(opts, i));
		struct fsroot_mount m = {0};
		struct kerr err = {0};

		/* sorted, unique, and not passed on to the filesystem */
		assert_true(strcmp(prev, name) < 0);
		prev = name;
		assert_int_equal(fsroot_parse_mount_options(&name, 1, &m, &err), 0);
		if (m.data)
			fail_msg("advertised option \"%s\" goes to the filesystem", name);
	}
	/* All of them in one mount: the parser takes what features promise. */
	config = xasprintf("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, "
	                   "\"mounts\": [{\"destination\": \"/m\", \"source\": \"/src\", "
	                   "\"type\": \"none\", \"options\": [%s]}]}",
	                   list);
	expect_parses(config);
}

static void test_namespaces_and_capabilities(void **state)
{
	json_object *lin = get(features, "linux", json_type_object);
	json_object *nss = get(lin, "namespaces", json_type_array);
	json_object *caps = get(lin, "capabilities", json_type_array);
	_cleanup_free_ char *ns_list = json_list(nss, "{\"type\": \"", "\"}");
	_cleanup_free_ char *cap_list = json_list(caps, "\"", "\"");
	_cleanup_free_ char *config = NULL;

	assert_int_equal(json_object_array_length(nss), 8);
	assert_int_equal(json_object_array_length(caps), CAP_LAST_CAP + 1);
	config = xasprintf(
	    "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"hostname\": \"h\", "
	    "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"capabilities\": {\"bounding\": "
	    "[%s], \"ambient\": [%s]}}, \"linux\": {\"namespaces\": [%s], "
	    "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], "
	    "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], "
	    "\"timeOffsets\": {\"monotonic\": {\"secs\": 1}}}}",
	    cap_list, cap_list, ns_list);
	expect_parses(config);
}

static void test_linux_objects(void **state)
{
	json_object *lin = get(features, "linux", json_type_object);
	json_object *cg = get(lin, "cgroup", json_type_object);
	json_object *sc = get(lin, "seccomp", json_type_object);
	json_object *ext = get(lin, "mountExtensions", json_type_object);

	assert_true(json_object_get_boolean(get(cg, "v1", json_type_boolean)));
	assert_true(json_object_get_boolean(get(cg, "v2", json_type_boolean)));
	assert_false(json_object_get_boolean(get(cg, "systemd", json_type_boolean)));
	get(get(lin, "apparmor", json_type_object), "enabled", json_type_boolean);
	get(get(lin, "selinux", json_type_object), "enabled", json_type_boolean);
	assert_false(json_object_get_boolean(
	    get(get(lin, "intelRdt", json_type_object), "enabled", json_type_boolean)));
	/* mounts[].uidMappings are refused by the parser */
	assert_false(json_object_get_boolean(
	    get(get(ext, "idmap", json_type_object), "enabled", json_type_boolean)));
#ifdef KURA_HAVE_SECCOMP
	assert_true(json_object_get_boolean(get(sc, "enabled", json_type_boolean)));
	get(sc, "actions", json_type_array);
	get(sc, "archs", json_type_array);
#else
	assert_false(json_object_get_boolean(get(sc, "enabled", json_type_boolean)));
#endif
}

static void test_annotations(void **state)
{
	json_object *ann = get(features, "annotations", json_type_object);

	assert_string_equal(
	    json_object_get_string(
	        get(ann, "org.opencontainers.runc.checkpoint.enabled", json_type_string)),
	    "false");
#ifdef KURA_HAVE_SECCOMP
	{
		const struct scmp_version *v = seccomp_version();
		_cleanup_free_ char *expect = xasprintf("%u.%u.%u", v->major, v->minor, v->micro);

		assert_string_equal(
		    json_object_get_string(
		        get(ann, "io.github.seccomp.libseccomp.version", json_type_string)),
		    expect);
	}
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_top_level),
	    cmocka_unit_test(test_mount_options),
	    cmocka_unit_test(test_namespaces_and_capabilities),
	    cmocka_unit_test(test_linux_objects),
	    cmocka_unit_test(test_annotations),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
