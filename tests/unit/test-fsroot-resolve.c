/* fs/ by fd: the in-root resolver (fsroot_path_clean, fsroot_open_in_root,
 * fsroot_target_open, fsroot_mkdir_in_root) against symlinks planted in
 * the root, magic links and a racing symlink swap (CVE-2021-30465,
 * CVE-2024-45310: nothing may be created or opened outside the root), and
 * the mount helpers (flag mapping, the mount(2) fallback). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <linux/magic.h>

#include "../../common/cleanup.h"
#include "../../fs/fs-internal.h"
#include "../lib/fs-testlib.h"

struct root {
	struct fs_fixture f;
	int rootfd;
};

static int root_setup(void **state)
{
	struct root *r = calloc(1, sizeof(*r));

	if (getuid() != 0) {
		free(r);
		skip();
	}
	assert_non_null(r);
	assert_int_equal(fs_fixture_make(&r->f), 0);
	r->rootfd = open(r->f.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(r->rootfd >= 0);
	*state = r;
	return 0;
}

static int root_teardown(void **state)
{
	struct root *r = *state;
	int host_entries = -1;
	bool mounted;

	if (!r)
		return 0;
	close(r->rootfd);
	mounted = fs_fixture_remove(&r->f, &host_entries);
	free(r);
	assert_false(mounted);
	/* Nothing ever appears in the host directory the root points at. */
	assert_int_equal(host_entries, 1);
	return 0;
}

static void in_root(struct root *r, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", r->f.rootfs, rel);
}

static void plant_symlink(struct root *r, const char *target, const char *rel)
{
	char path[PATH_MAX];

	in_root(r, rel, path, sizeof(path));
	assert_int_equal(symlink(target, path), 0);
}

static void assert_clean(const char *in, const char *want)
{
	char *got = fsroot_path_clean(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_path_clean(void **state)
{
	(void)state;
	assert_clean("/a//b/./c/", "a/b/c");
	assert_clean("/../../x", "x");
	assert_clean("a/b/../c", "a/c");
	assert_clean("/a/b/../../..", "");
	assert_clean("/", "");
	assert_clean("", "");
	assert_clean("..a/.b/...", "..a/.b/...");
}

/* The path of fd inside the root, or fail when fd is outside it. */
static void assert_in_root(struct root *r, int fd, const char *want)
{
	char *path = fsroot_fd_path_in_root(r->rootfd, fd);

	if (!path)
		fail_msg("fd is outside the root");
	if (want)
		assert_string_equal(path, want);
	free(path);
}

static void test_open_symlinks_stay_inside(void **state)
{
	struct root *r = *state;
	struct kerr err = {0};
	char buf[64] = "";
	int fd;

	plant_symlink(r, "/", "mnt/abs");
	plant_symlink(r, "../../../../../..", "mnt/rel");
	fd = fsroot_open_in_root(r->rootfd, "/mnt/abs/etc/marker", O_RDONLY, 0, &err);
	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	assert_string_equal(buf, "container\n");
	close(fd);
	fd = fsroot_open_in_root(r->rootfd, "mnt/rel/../../etc/marker", O_PATH, 0, &err);
	assert_true(fd >= 0);
	assert_in_root(r, fd, "/etc/marker");
	close(fd);
	/* /etc/hostname exists on the host, not in the root. */
	fd = fsroot_open_in_root(r->rootfd, "/mnt/abs/etc/hostname", O_RDONLY, 0, &err);
	assert_int_equal(fd, -ENOENT);
	assert_non_null(strstr(err.msg, "`/mnt/abs/etc/hostname`"));
}

/* A dangling symlink to a host path: created inside the root instead. */
static void test_target_dangling_absolute(void **state)
{
	struct root *r = *state;
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr err = {0};
	char want[PATH_MAX], path[PATH_MAX * 2];
	struct stat st;

	plant_symlink(r, r->f.hostdir, "mnt/evil");
	assert_int_equal(fsroot_target_open(r->rootfd, "/mnt/evil/deep/dir", FSROOT_DIR, &t, &err),
	                 0);
	snprintf(want, sizeof(want), "%s/deep/dir", r->f.hostdir);
	assert_in_root(r, t.fd, want);
	assert_string_equal(t.path, "/mnt/evil/deep/dir");
	assert_string_equal(t.name, "dir");
	snprintf(path, sizeof(path), "%s%s", r->f.rootfs, want);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

/* /etc/resolv.conf -> ../run/systemd/resolve/stub-resolv.conf, as in many
 * images: a file bind mount lands on the link's target, in the root. */
static void test_target_dangling_relative_file(void **state)
{
	struct root *r = *state;
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr err = {0};
	char path[PATH_MAX];
	struct stat st;

	plant_symlink(r, "../run/systemd/resolve/stub-resolv.conf", "etc/resolv.conf");
	assert_int_equal(fsroot_target_open(r->rootfd, "/etc/resolv.conf", FSROOT_FILE, &t, &err),
	                 0);
	assert_in_root(r, t.fd, "/run/systemd/resolve/stub-resolv.conf");
	in_root(r, "run/systemd/resolve/stub-resolv.conf", path, sizeof(path));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

/* "../x" in a directory reached through a symlink is relative to where
 * the directory really is: /var/run -> /run, /run/link -> ../x is /x. */
static void test_target_relative_after_symlinked_dir(void **state)
{
	struct root *r = *state;
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr err = {0};
	char path[PATH_MAX];

	in_root(r, "run", path, sizeof(path));
	assert_int_equal(mkdir(path, 0755), 0);
	in_root(r, "var", path, sizeof(path));
	assert_int_equal(mkdir(path, 0755), 0);
	plant_symlink(r, "/run", "var/run");
	plant_symlink(r, "../x", "run/link");
	assert_int_equal(fsroot_target_open(r->rootfd, "/var/run/link", FSROOT_DIR, &t, &err), 0);
	assert_in_root(r, t.fd, "/x");
}

static void test_target_errors(void **state)
{
	struct root *r = *state;
	struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr err = {0};

	plant_symlink(r, "b", "mnt/a");
	plant_symlink(r, "/mnt/a", "mnt/b");
	assert_int_equal(fsroot_target_open(r->rootfd, "/mnt/a", FSROOT_DIR, &t, &err), -ELOOP);
	assert_int_equal(fsroot_target_open(r->rootfd, "/mnt/missing", FSROOT_NO_CREATE, &t, &err),
	                 -ENOENT);
	assert_non_null(strstr(err.msg, "`/mnt/missing`"));
	assert_int_equal(fsroot_target_open(r->rootfd, "/etc/marker/x", FSROOT_DIR, &t, &err),
	                 -ENOTDIR);
	assert_int_equal(fsroot_target_open(r->rootfd, "/..", FSROOT_DIR, &t, &err), -EINVAL);
	assert_int_equal(t.fd, -1);
}

static void test_mkdir_in_root(void **state)
{
	struct root *r = *state;
	struct kerr err = {0};
	char path[PATH_MAX];
	struct stat st;
	int fd = -1;

	plant_symlink(r, "/tmp", "mnt/tmplink");
	assert_int_equal(fsroot_mkdir_in_root(r->rootfd, "/mnt/tmplink/a/b", &fd, &err), 0);
	assert_in_root(r, fd, "/tmp/a/b");
	close(fd);
	in_root(r, "tmp/a/b", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(fsroot_mkdir_in_root(r->rootfd, "/", &fd, &err), 0);
	assert_in_root(r, fd, "/");
	close(fd);
}

/* An fd opened before unshare(CLONE_NEWNS) still looks up the old
 * namespace's mounts: a child body reopens the root in its own. */
static int reopen_root(struct root *r)
{
	close(r->rootfd);
	r->rootfd = open(r->f.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r->rootfd;
}

/* Magic links of a procfs inside the root are never followed. */
static int magic_body(FILE *out, void *arg)
{
	struct root *r = arg;
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr err = {0};
	char proc[PATH_MAX];
	char *path;
	int fd;

	in_root(r, "proc", proc, sizeof(proc));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", proc, "proc", 0, NULL) < 0 || reopen_root(r) < 0)
		return 10;
	fd = fsroot_open_in_root(r->rootfd, "/proc/self/root/etc", O_PATH, 0, &err);
	fprintf(out, "open_magic %d\n", fd);
	/* The link itself is read and its text resolved in the root. */
	fd = fsroot_target_open(r->rootfd, "/proc/self/cwd", FSROOT_DIR, &t, &err);
	path = fd < 0 ? NULL : fsroot_fd_path_in_root(r->rootfd, t.fd);
	fprintf(out, "target_magic %s\n", path ? path : err.msg);
	free(path);
	return 0;
}

static void test_magic_links(void **state)
{
	struct root *r = *state;
	char *out = NULL, cwd[PATH_MAX];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(fs_in_container(CLONE_NEWNS, NULL, magic_body, r, &out), 0);
	fs_assert_obs(out, "open_magic", "-40"); /* -ELOOP */
	fs_assert_obs(out, "target_magic", cwd);
	free(out);
	/* The host cwd named by the link was created inside the root. */
	{
		char created[PATH_MAX * 2];
		snprintf(created, sizeof(created), "%s%s", r->f.rootfs, cwd);
		assert_int_equal(access(created, F_OK), 0);
	}
}

struct race {
	struct root *r;
	volatile bool stop;
	char dir[PATH_MAX], aside[PATH_MAX];
};

/* Swap /race between a directory and a symlink to the host directory. */
static void *swapper(void *arg)
{
	struct race *race = arg;

	while (!race->stop) {
		if (rename(race->dir, race->aside) == 0) {
			(void)!symlink(race->r->f.hostdir, race->dir);
			unlink(race->dir);
			(void)!rename(race->aside, race->dir);
		}
	}
	return NULL;
}

static void test_race_symlink_swap(void **state)
{
	struct root *r = *state;
	struct race race = {.r = r};
	pthread_t thread;
	int created = 0;

	in_root(r, "race", race.dir, sizeof(race.dir));
	in_root(r, "race.aside", race.aside, sizeof(race.aside));
	assert_int_equal(mkdir(race.dir, 0755), 0);
	assert_int_equal(pthread_create(&thread, NULL, swapper, &race), 0);
	for (int i = 0; i < 2000; i++) {
		_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
		struct kerr err = {0};

		if (fsroot_target_open(r->rootfd, "/race/sub/file", FSROOT_FILE, &t, &err) < 0)
			continue;
		created++;
		assert_in_root(r, t.fd, NULL);
		unlinkat(t.parent_fd, t.name, 0);
	}
	race.stop = true;
	pthread_join(thread, NULL);
	/* Whatever the interleaving, the host directory never changed
	 * (root_teardown checks it); most attempts simply succeeded. */
	assert_true(created > 0);
}

static void test_attr_from_flags(void **state)
{
	uint64_t set, clr;

	(void)state;
	fsroot_attr_from_flags(MS_RDONLY | MS_NOSUID | MS_NOATIME, MS_NODEV, &set, &clr);
	assert_int_equal(set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME);
	assert_int_equal(clr, MOUNT_ATTR_NODEV | MOUNT_ATTR__ATIME);
	fsroot_attr_from_flags(MS_STRICTATIME | MS_NODIRATIME, MS_RDONLY, &set, &clr);
	assert_int_equal(set, MOUNT_ATTR_STRICTATIME | MOUNT_ATTR_NODIRATIME);
	assert_int_equal(clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR__ATIME);
	/* "atime": back to the default, relatime. */
	fsroot_attr_from_flags(0, MS_NOATIME, &set, &clr);
	assert_int_equal(set, MOUNT_ATTR_RELATIME);
	assert_int_equal(clr, MOUNT_ATTR__ATIME);
	fsroot_attr_from_flags(0, 0, &set, &clr);
	assert_int_equal(set | clr, 0);
}

/* The mount(2) fallback hands back the new mount's root. */
static int legacy_body(FILE *out, void *arg)
{
	struct root *r = arg;
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr err = {0};
	struct statx stx;
	struct statvfs sv;
	struct statfs sfs;
	int fd = -1;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || reopen_root(r) < 0)
		return 10;
	if (fsroot_target_open(r->rootfd, "/mnt/legacy", FSROOT_DIR, &t, &err) < 0 ||
	    fsroot_mount_legacy(&t, "tmpfs", "tmpfs", "size=1m", MS_RDONLY | MS_NOSUID, &fd, &err) <
	        0) {
		fprintf(out, "error %s\n", err.msg);
		return 11;
	}
	fprintf(out, "mount_root %d\n",
	        statx(fd, "", AT_EMPTY_PATH, 0, &stx) == 0 &&
	            (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0);
	fprintf(out, "tmpfs %d\n", fstatfs(fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC);
	fprintf(out, "flags %d\n",
	        fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY) && (sv.f_flag & ST_NOSUID));
	fprintf(out, "propagation %d\n", fsroot_set_propagation(fd, MS_SHARED, &err));
	fs_report_mounts(out);
	return 0;
}

static void test_mount_legacy(void **state)
{
	struct root *r = *state;
	char *out = NULL, point[PATH_MAX];
	int rc = fs_in_container(CLONE_NEWNS, NULL, legacy_body, r, &out);

	if (rc != 0) {
		fprintf(stderr, "%s", out);
		assert_int_equal(rc, 0);
	}
	fs_assert_obs(out, "mount_root", "1");
	fs_assert_obs(out, "tmpfs", "1");
	fs_assert_obs(out, "flags", "1");
	fs_assert_obs(out, "propagation", "0");
	in_root(r, "mnt/legacy", point, sizeof(point));
	assert_non_null(strstr(fs_obs_mount(out, point), " shared:"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_clean),
	    cmocka_unit_test(test_attr_from_flags),
	    cmocka_unit_test_setup_teardown(test_open_symlinks_stay_inside, root_setup,
	                                    root_teardown),
	    cmocka_unit_test_setup_teardown(test_target_dangling_absolute, root_setup,
	                                    root_teardown),
	    cmocka_unit_test_setup_teardown(test_target_dangling_relative_file, root_setup,
	                                    root_teardown),
	    cmocka_unit_test_setup_teardown(test_target_relative_after_symlinked_dir, root_setup,
	                                    root_teardown),
	    cmocka_unit_test_setup_teardown(test_target_errors, root_setup, root_teardown),
	    cmocka_unit_test_setup_teardown(test_mkdir_in_root, root_setup, root_teardown),
	    cmocka_unit_test_setup_teardown(test_magic_links, root_setup, root_teardown),
	    cmocka_unit_test_setup_teardown(test_race_symlink_swap, root_setup, root_teardown),
	    cmocka_unit_test_setup_teardown(test_mount_legacy, root_setup, root_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
