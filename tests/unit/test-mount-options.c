/* fs/mount_options.c: the OCI mount option table (flags to set and
 * clear, recursive mount_setattr attributes, propagation, bind, idmap,
 * filesystem data) and fsroot_parse_propagation(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "../../common/cleanup.h"
#include "../../common/util.h"
#include "../../fs/fsroot.h"

#define MAX_OPTS 16

struct option_case {
	const char *type;
	const char *opts[MAX_OPTS]; /* NULL-terminated */
	unsigned long flags, clear;
	uint64_t rec_set, rec_clr;
	unsigned long propagation;
	bool bind, recursive, idmap;
	const char *data;
};

static const struct option_case cases[] = {
    {.opts = {NULL}},
    {.opts = {"defaults", "tmpcopyup", "x-systemd.automount", "X-mount.mkdir", NULL}},
    {.opts = {"ro", NULL}, .flags = MS_RDONLY},
    {.opts = {"ro", "rw", NULL}, .clear = MS_RDONLY},
    {.opts = {"rw", "ro", NULL}, .flags = MS_RDONLY},
    {.opts = {"nosuid", "nodev", "noexec", NULL}, .flags = MS_NOSUID | MS_NODEV | MS_NOEXEC},
    {.opts = {"sync", "dirsync", "remount", "mand", "noatime", "nodiratime", "relatime",
              "strictatime", "lazytime", "silent", "acl", "iversion", "nosymfollow", NULL},
     .flags = MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME |
              MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_SILENT | MS_POSIXACL | MS_I_VERSION |
              MS_NOSYMFOLLOW},
    {.opts = {"suid", "dev", "exec", "async", "nomand", "atime", "diratime", "norelatime",
              "nostrictatime", "nolazytime", "loud", "noacl", "noiversion", "symfollow", NULL},
     .clear = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK | MS_NOATIME |
              MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_SILENT | MS_POSIXACL |
              MS_I_VERSION | MS_NOSYMFOLLOW},
    {.opts = {"bind", NULL}, .bind = true},
    {.opts = {"rbind", NULL}, .bind = true, .recursive = true},
    {.type = "bind", .opts = {NULL}, .bind = true},
    {.type = "bind", .opts = {"ro", NULL}, .flags = MS_RDONLY, .bind = true},
    {.type = "none",
     .opts = {"rbind", "ro", NULL},
     .flags = MS_RDONLY,
     .bind = true,
     .recursive = true},
    {.type = "tmpfs", .opts = {NULL}},
    {.opts = {"private", NULL}, .propagation = MS_PRIVATE},
    {.opts = {"rprivate", NULL}, .propagation = MS_PRIVATE | MS_REC},
    {.opts = {"shared", NULL}, .propagation = MS_SHARED},
    {.opts = {"rshared", NULL}, .propagation = MS_SHARED | MS_REC},
    {.opts = {"slave", NULL}, .propagation = MS_SLAVE},
    {.opts = {"rslave", NULL}, .propagation = MS_SLAVE | MS_REC},
    {.opts = {"unbindable", NULL}, .propagation = MS_UNBINDABLE},
    {.opts = {"runbindable", NULL}, .propagation = MS_UNBINDABLE | MS_REC},
    {.opts = {"shared", "rslave", NULL}, .propagation = MS_SLAVE | MS_REC},
    {.opts = {"rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow", NULL},
     .rec_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW},
    {.opts = {"rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow", NULL},
     .rec_clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW},
    {.opts = {"rro", "rrw", NULL}, .rec_clr = MOUNT_ATTR_RDONLY},
    {.opts = {"rrw", "rro", NULL}, .rec_set = MOUNT_ATTR_RDONLY},
    /* atime modes: always the whole MOUNT_ATTR__ATIME in attr_clr */
    {.opts = {"rnoatime", NULL}, .rec_set = MOUNT_ATTR_NOATIME, .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"rstrictatime", NULL},
     .rec_set = MOUNT_ATTR_STRICTATIME,
     .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"rrelatime", NULL}, .rec_set = MOUNT_ATTR_RELATIME, .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"rnoatime", "rrelatime", NULL},
     .rec_set = MOUNT_ATTR_RELATIME,
     .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"ratime", NULL}, .rec_set = MOUNT_ATTR_RELATIME, .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"rnorelatime", NULL},
     .rec_set = MOUNT_ATTR_STRICTATIME,
     .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"rnostrictatime", NULL},
     .rec_set = MOUNT_ATTR_RELATIME,
     .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"rro", "rnoatime", NULL},
     .rec_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME,
     .rec_clr = MOUNT_ATTR__ATIME},
    {.opts = {"idmap", NULL}, .idmap = true},
    {.opts = {"rbind", "ridmap", NULL}, .bind = true, .recursive = true, .idmap = true},
    /* everything else is filesystem data, in order */
    {.opts = {"mode=755", "nosuid", "size=65536k", NULL},
     .flags = MS_NOSUID,
     .data = "mode=755,size=65536k"},
    {.opts = {"newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL},
     .data = "newinstance,ptmxmode=0666,mode=0620,gid=5"},
    {.opts = {"lowerdir=/a:/b", "upperdir=/u", "workdir=/w", "RO", NULL},
     .data = "lowerdir=/a:/b,upperdir=/u,workdir=/w,RO"},
    {.opts = {"x", NULL}, .data = "x"},
};

static void test_option_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct option_case *c = &cases[i];
		struct fsroot_mount m = {.type = c->type};
		struct kerr err = {0};
		size_t n = 0;

		while (c->opts[n])
			n++;
		if (fsroot_parse_mount_options(c->opts, n, &m, &err) < 0)
			fail_msg("case %zu: %s", i, err.msg);
		if (m.flags != c->flags || m.clear != c->clear || m.rec_attr_set != c->rec_set ||
		    m.rec_attr_clr != c->rec_clr || m.propagation != c->propagation ||
		    m.bind != c->bind || m.recursive != c->recursive || m.idmap != c->idmap)
			fail_msg(
			    "case %zu (%s...): flags %#lx clear %#lx rec %#llx/%#llx prop %#lx "
			    "bind %d rec %d idmap %d",
			    i, c->opts[0] ? c->opts[0] : "", m.flags, m.clear,
			    (unsigned long long)m.rec_attr_set, (unsigned long long)m.rec_attr_clr,
			    m.propagation, m.bind, m.recursive, m.idmap);
		if (c->data)
			assert_string_equal(m.data, c->data);
		else
			assert_null(m.data);
		/* Only the option fields are written. */
		assert_ptr_equal(m.type, c->type);
		assert_null(m.destination);
		assert_null(m.source);
		free(m.data);
	}
}

static void test_errors(void **state)
{
	const char *empty[] = {"ro", ""};
	const char *null_opt[] = {NULL};
	struct fsroot_mount m = {0};
	struct kerr err = {0};
	_cleanup_free_ char *big = xmalloc(4097), *half = xmalloc(2049);
	const char *too_long[] = {"nosuid", big};
	const char *two_halves[] = {half, "ro", half};

	assert_int_equal(fsroot_parse_mount_options(empty, 2, &m, &err), -EINVAL);
	assert_string_equal(err.msg, "options[1]: empty mount option");
	assert_int_equal(fsroot_parse_mount_options(null_opt, 1, &m, &err), -EINVAL);
	assert_string_equal(err.msg, "options[0]: empty mount option");
	/* A failed parse leaves m as it was. */
	assert_int_equal(m.flags, 0);
	assert_null(m.data);

	/* The kernel copies one page of data, NUL included. */
	memset(big, 'a', 4096);
	big[4096] = '\0';
	assert_int_equal(fsroot_parse_mount_options(too_long, 2, &m, &err), -E2BIG);
	assert_string_equal(err.msg, "options[1]: filesystem options longer than 4095 bytes");
	assert_null(m.data);

	big[4095] = '\0';
	assert_int_equal(fsroot_parse_mount_options(too_long, 2, &m, &err), 0);
	assert_int_equal(strlen(m.data), 4095);
	free(m.data);
	m.data = NULL;

	/* 2048 + ',' + 2048 = 4097 bytes */
	memset(half, 'b', 2048);
	half[2048] = '\0';
	assert_int_equal(fsroot_parse_mount_options(two_halves, 3, &m, &err), -E2BIG);
	assert_string_equal(err.msg, "options[2]: filesystem options longer than 4095 bytes");
	assert_null(m.data);
}

static void test_propagation(void **state)
{
	static const struct {
		const char *name;
		unsigned long value;
	} good[] = {
	    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
	    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
	    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
	    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
	};
	static const char *const bad[] = {"", "ro", "bind", "Private", "rslave ", "mode=755"};
	unsigned long v = 12345;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(fsroot_parse_propagation(good[i].name, &v), 0);
		assert_int_equal(v, good[i].value);
	}
	v = 12345;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(fsroot_parse_propagation(bad[i], &v), -EINVAL);
	assert_int_equal(fsroot_parse_propagation(NULL, &v), -EINVAL);
	assert_int_equal(v, 12345);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_option_table),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_propagation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
