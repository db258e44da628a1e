/* run.kura.root.* annotations: each bad input is refused with one error
 * naming the annotation (and the path), before anything is created; good
 * ones give the fsroot_root the init will mount. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/cleanup.h"
#include "../../common/util.h"
#include "../../runtime/rootopts.h"
#include "../../runtime/spec.h"

static char bundle[64];

#define CFG(annotations)                                                                           \
	"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"hostname\": \"t1\", "     \
	"\"linux\": {\"namespaces\": [{\"type\": \"uts\"}, {\"type\": \"mount\"}]}, "              \
	"\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, \"annotations\": {" annotations "}}"
#define A(k, v) "\"run.kura.root." k "\": \"" v "\""

static int parse(const char *json, struct rootopts *ret, struct kerr *err)
{
	struct oci_spec *spec = NULL;
	int r;

	if (spec_parse(json, strlen(json), bundle, "config.json", &spec, err) < 0)
		fail_msg("spec_parse: %s", err->msg);
	r = rootopts_from_spec(spec, "/run/kura/c1", ret, err);
	/* The strings of ret->root that are borrowed from the spec are only
	 * compared before the spec goes. */
	if (r == 0 && ret->root.image)
		ret->root.image = NULL;
	if (r == 0 && ret->root.fstype)
		ret->root.fstype = NULL;
	spec_free(spec);
	return r;
}

struct bad_case {
	const char *json;
	const char *expect;
};

static const struct bad_case bad_cases[] = {
    {CFG(A("type", "zfs")), "run.kura.root.type: unknown root type \"zfs\""},
    {CFG(A("lower", "/usr")), "run.kura.root.lower: needs run.kura.root.type"},
    {CFG(A("type", "overlay") ", " A("lowr", "/usr")), "run.kura.root.lowr: unknown annotation"},
    {CFG(A("type", "overlay")), "run.kura.root.lower: required by an overlay root"},
    {CFG(A("type", "overlay") ", " A("lower", "usr")),
     "run.kura.root.lower: `usr`: an absolute path is needed"},
    {CFG(A("type", "overlay") ", " A("lower", "/usr:/nonexistent/kura")),
     "run.kura.root.lower: `/nonexistent/kura`: No such file or directory"},
    {CFG(A("type", "overlay") ", " A("lower", "/etc/hostname")),
     "run.kura.root.lower: `/etc/hostname` is not a directory"},
    {CFG(A("type", "overlay") ", " A("lower", "::")), "run.kura.root.lower: no directory given"},
    {CFG(A("type", "overlay") ", " A("lower", "/usr") ", " A("upper", "/nonexistent/a/b")),
     "run.kura.root.upper: parent of `/nonexistent/a/b`: `/nonexistent/a`: No such file"},
    {CFG(A("type", "overlay") ", " A("lower", "/usr") ", " A("upper", "/tmp") ", " A("size", "1m")),
     "run.kura.root.size: a size-capped upper layer is private"},
    {CFG(A("type", "overlay") ", " A("lower", "/usr") ", " A("volatile", "yes")),
     "run.kura.root.volatile: \"yes\" is not true or false"},
    {CFG(A("type", "overlay") ", " A("lower", "/usr") ", " A("image", "/x.img")),
     "run.kura.root.image: not used by a root of type overlay"},
    {CFG(A("type", "sparse") ", " A("size", "lots")), "run.kura.root.size: \"lots\" is not a size"},
    {CFG(A("type", "sparse") ", " A("size", "0")), "run.kura.root.size: \"0\" is not a size"},
    {CFG(A("type", "sparse") ", " A("inherit", "/usr:/etc/hostname")),
     "run.kura.root.inherit: `/etc/hostname` is not a directory"},
    {CFG(A("type", "sparse") ", " A("inherit", "/")),
     "run.kura.root.inherit: `/` is the host's root"},
    {CFG(A("type", "loop")), "run.kura.root.image: required by a loop root"},
    {CFG(A("type", "loop") ", " A("image", "/etc/hostname")),
     "run.kura.root.image: `/etc/hostname` is not an ext4, squashfs or erofs image"},
    {CFG(A("type", "loop") ", " A("image", "/nonexistent.img")),
     "run.kura.root.image: `/nonexistent.img`: No such file or directory"},
    {CFG(A("type", "loop") ", " A("image", "/x.img") ", " A("fstype", "xfs")),
     "run.kura.root.fstype: \"xfs\" is not ext4"},
    {CFG(A("type", "loop") ", " A("image", "/x.img") ", " A("size", "1g")),
     "run.kura.root.size: not used by a root of type loop"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"linux\": "
     "{\"namespaces\": [{\"type\": \"user\"}, {\"type\": \"mount\"}], \"uidMappings\": "
     "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}], \"gidMappings\": "
     "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}]}, \"process\": {\"args\": "
     "[\"sh\"], \"cwd\": \"/\"}, \"annotations\": {" A("type", "loop") ", " A("image",
                                                                              "/x.img") "}}",
     "run.kura.root.type: a loop root cannot be mounted in a user namespace"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"process\": "
     "{\"args\": [\"sh\"], \"cwd\": \"/\"}, \"annotations\": {" A("type", "sparse") "}}",
     "run.kura.root.type: a sparse root needs a new mount namespace"},
    {CFG(A("type", "sparse") ", " A("lower", "/usr")),
     "run.kura.root.lower: not used by a root of type sparse"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct rootopts o = {0};
		struct kerr err = {0};

		if (parse(bad_cases[i].json, &o, &err) == 0)
			fail_msg("case %zu accepted: %s", i, bad_cases[i].json);
		if (!strstr(err.msg, bad_cases[i].expect))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, bad_cases[i].expect);
		assert_null(strchr(err.msg, '\n'));
	}
}

static void test_none(void **state)
{
	struct rootopts o = {0};
	struct kerr err = {0};

	(void)state;
	assert_int_equal(parse(CFG("\"other\": \"x\""), &o, &err), 0);
	assert_int_equal(o.root.type, FSROOT_ROOT_DIR);
	rootopts_free(&o);
	assert_int_equal(parse(CFG(A("type", "dir")), &o, &err), 0);
	assert_int_equal(o.root.type, FSROOT_ROOT_DIR);
	rootopts_free(&o);
}

static void test_overlay(void **state)
{
	_cleanup_rootopts_ struct rootopts o = {0}, kept = {0};
	struct kerr err = {0};

	(void)state;
	assert_int_equal(
	    parse(CFG(A("type", "overlay") ", " A("lower", "/usr:/etc") ", " A("volatile", "true")),
	          &o, &err),
	    0);
	assert_int_equal(o.root.type, FSROOT_ROOT_OVERLAY);
	assert_string_equal(o.root.lower[0], "/usr");
	assert_string_equal(o.root.lower[1], "/etc");
	assert_null(o.root.lower[2]);
	assert_string_equal(o.root.upper_dir, "/run/kura/c1/overlay");
	assert_false(o.keep_upper);
	assert_true(o.root.volatile_upper);
	assert_int_equal(o.root.size, 0);

	assert_int_equal(
	    parse(CFG(A("type", "overlay") ", " A("lower", "/usr") ", " A("upper", "/tmp/x")),
	          &kept, &err),
	    0);
	assert_string_equal(kept.root.upper_dir, "/tmp/x");
	assert_true(kept.keep_upper);
}

/* The runtime makes the upper for the init, owned by the mapped root. */
static void test_prepare_userns(void **state)
{
	_cleanup_rootopts_ struct rootopts o = {0};
	_cleanup_free_ char *json = NULL, *keep = xasprintf("%s/keep", bundle);
	struct oci_spec *spec = NULL;
	struct kerr err = {0};
	struct stat st;
	char path[256];

	(void)state;
	if (getuid() != 0)
		skip(); /* chown */
	json =
	    xasprintf("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, "
	              "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, \"linux\": "
	              "{\"namespaces\": [{\"type\": \"user\"}, {\"type\": \"mount\"}], "
	              "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}], "
	              "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 2000, \"size\": 10}]}, "
	              "\"annotations\": {" A("type", "overlay") ", " A(
	                  "lower", "/usr") ", "
	                                   "\"run.kura.root.upper\": \"%s\"}}",
	              keep);
	if (spec_parse(json, strlen(json), bundle, "config.json", &spec, &err) < 0)
		fail_msg("spec_parse: %s", err.msg);
	assert_int_equal(rootopts_from_spec(spec, "/run/kura/c1", &o, &err), 0);
	assert_int_equal(access(keep, F_OK), -1); /* checking creates nothing */
	assert_int_equal(rootopts_prepare(&o, spec, &err), 0);
	snprintf(path, sizeof(path), "%s/upper", keep);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 2000);
	snprintf(path, sizeof(path), "%s/work", keep);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* Again: existing directories are fine. */
	assert_int_equal(rootopts_prepare(&o, spec, &err), 0);
	spec_free(spec);
	assert_int_equal(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/upper", keep);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(keep), 0);
}

static void test_sparse(void **state)
{
	_cleanup_rootopts_ struct rootopts o = {0}, dflt = {0};
	struct kerr err = {0};

	(void)state;
	assert_int_equal(
	    parse(CFG(A("type", "sparse") ", " A("inherit", "/usr:/etc") ", " A("size", "64m")), &o,
	          &err),
	    0);
	assert_int_equal(o.root.type, FSROOT_ROOT_SPARSE);
	assert_string_equal(o.root.inherit[1], "/etc");
	assert_int_equal(o.root.size, 64ull << 20);
	assert_int_equal(parse(CFG(A("type", "sparse")), &dflt, &err), 0);
	assert_null(dflt.root.inherit);
}

static void test_size(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(rootopts_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(rootopts_parse_size("2K", &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(rootopts_parse_size("1g", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(rootopts_parse_size("k", &v), -EINVAL);
	assert_int_equal(rootopts_parse_size("-1", &v), -EINVAL);
	assert_int_equal(rootopts_parse_size("99999999999t", &v), -EINVAL);
}

static void test_annotation_list(void **state)
{
	size_t n = 0;

	(void)state;
	for (; rootopts_annotations[n].key; n++)
		assert_true(str_has_prefix(rootopts_annotations[n].key, ROOTOPTS_PREFIX));
	assert_int_equal(n, 9);
}

static int group_setup(void **state)
{
	char rootfs[128];

	(void)state;
	snprintf(bundle, sizeof(bundle), "/tmp/kura-rootopts-XXXXXX");
	if (!mkdtemp(bundle))
		return -1;
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	return mkdir(rootfs, 0755);
}

static int group_teardown(void **state)
{
	char rootfs[128];

	(void)state;
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	rmdir(rootfs);
	return rmdir(bundle);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_none),
	    cmocka_unit_test(test_overlay),
	    cmocka_unit_test(test_prepare_userns),
	    cmocka_unit_test(test_sparse),
	    cmocka_unit_test(test_size),
	    cmocka_unit_test(test_annotation_list),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
