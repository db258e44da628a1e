/* Tenant roots for real, as root: overlay, loop (ext4, squashfs, erofs)
 * and sparse roots mounted by fsroot_root_mount() in a child's new mount
 * namespace, then fsroot_setup() + fsroot_finish() as the init does; the
 * child reports what it sees from inside.  Writes must land in the
 * private layer only; afterwards the host must have no mount and no loop
 * device left, and only the overlay upper directories kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/mount.h>
#include <sys/statvfs.h>

#include "../../fs/fsroot.h"
#include "../lib/fs-testlib.h"

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET)

typedef void (*check_fn)(FILE *out);

struct rcase {
	struct fs_fixture f;
	char target[128];  /* dir/target: root.path, the mount point */
	char upper_a[128]; /* dir/upper-a, dir/upper-b: overlay upper dirs */
	char upper_b[128];
	char image[128]; /* dir/root.img */
	const char *lower[3];
	const char *inherit[3];
	struct fsroot_mount mounts[1];
	struct fsroot_root root;
	struct fsroot_config cfg;
	check_fn check;
};

static bool have_tool(const char *path)
{
	return access(path, X_OK) == 0;
}

static int rcase_setup(void **state)
{
	struct rcase *c = calloc(1, sizeof(*c));
	struct kerr err = {0};
	const char *proc_opts[] = {NULL};

	if (getuid() != 0) {
		free(c);
		skip();
	}
	assert_non_null(c);
	assert_int_equal(fs_fixture_make(&c->f), 0);
	snprintf(c->target, sizeof(c->target), "%s/target", c->f.dir);
	snprintf(c->upper_a, sizeof(c->upper_a), "%s/upper-a", c->f.dir);
	snprintf(c->upper_b, sizeof(c->upper_b), "%s/upper-b", c->f.dir);
	snprintf(c->image, sizeof(c->image), "%s/root.img", c->f.dir);
	assert_int_equal(mkdir(c->target, 0755), 0);
	c->mounts[0].destination = "/proc";
	c->mounts[0].type = "proc";
	c->mounts[0].source = "proc";
	assert_int_equal(fsroot_parse_mount_options(proc_opts, 0, &c->mounts[0], &err), 0);
	c->cfg.rootfs = c->target;
	c->cfg.mounts = c->mounts;
	c->cfg.n_mounts = 1;
	c->cfg.new_pid_ns = true;
	c->cfg.new_net_ns = true;
	c->root.target = c->target;
	*state = c;
	return 0;
}

/* The loop devices whose backing file is below dir. */
static int loops_backed_under(const char *dir)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[512], buf[4096] = "";
		FILE *f;

		if (strncmp(de->d_name, "loop", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && strncmp(buf, dir, strlen(dir)) == 0)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Autoclear runs once the namespace's last mount is gone, a moment after
 * the child exits. */
static int wait_loops_gone(const char *dir)
{
	int n = 0;

	for (int i = 0; i < 100; i++) {
		n = loops_backed_under(dir);
		if (n == 0)
			return 0;
		usleep(50000);
	}
	return n;
}

static int rcase_teardown(void **state)
{
	struct rcase *c = *state;
	int loops;
	bool mounted;
	char dir[64];

	if (!c)
		return 0;
	loops = wait_loops_gone(c->f.dir);
	mounted = fs_fixture_remove(&c->f, NULL);
	memcpy(dir, c->f.dir, sizeof(dir));
	free(c->mounts[0].data);
	free(c);
	assert_int_equal(loops, 0);
	assert_false(mounted);
	assert_int_equal(access(dir, F_OK), -1);
	return 0;
}

static int root_body(FILE *out, void *arg)
{
	struct rcase *c = arg;
	struct kerr err = {0};

	if (fsroot_root_mount(&c->root, &err) < 0) {
		fprintf(out, "root_error %s\n", err.msg);
		return 2;
	}
	if (fsroot_setup(&c->cfg, &err) < 0) {
		fprintf(out, "setup_error %s\n", err.msg);
		return 3;
	}
	if (fsroot_finish(&c->cfg, &err) < 0) {
		fprintf(out, "finish_error %s\n", err.msg);
		return 4;
	}
	fs_report_mounts(out);
	if (c->check)
		c->check(out);
	return 0;
}

static char *run_case(struct rcase *c, check_fn check)
{
	char *out = NULL;
	int rc;

	c->check = check;
	rc = fs_in_container(NS_FLAGS, NULL, root_body, c, &out);
	if (rc != 0 || getenv("KURA_TEST_VERBOSE")) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	return out;
}

/* In the body: errno of creating path and writing len bytes (0: done). */
static int write_errno(const char *path, size_t len)
{
	static char block[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r = 0;

	if (fd < 0)
		return errno;
	memset(block, 'x', sizeof(block));
	while (len > 0) {
		size_t n = len < sizeof(block) ? len : sizeof(block);
		ssize_t w = write(fd, block, n);

		if (w < 0) {
			r = errno;
			break;
		}
		len -= (size_t)w;
	}
	if (close(fd) < 0 && r == 0)
		r = errno;
	return r;
}

static void report_write(FILE *out, const char *key, const char *path, size_t len)
{
	fprintf(out, "%s %d\n", key, write_errno(path, len));
}

static bool host_exists(const char *dir, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return access(path, F_OK) == 0;
}

/* ---- overlay ---- */

static void check_overlay(FILE *out)
{
	fs_report_first_line(out, "marker", "/etc/marker");
	report_write(out, "write_etc", "/etc/written", 6);
	fprintf(out, "unlink_ls %d\n", unlink("/bin/ls") < 0 ? errno : 0);
	fs_report_exec(out, "echo shell_ok; test -e /bin/ls || echo ls_gone");
}

static void use_overlay(struct rcase *c, const char *upper)
{
	c->lower[0] = c->f.rootfs;
	c->lower[1] = NULL;
	c->root.type = FSROOT_ROOT_OVERLAY;
	c->root.lower = c->lower;
	c->root.upper_dir = upper;
}

static void test_overlay_writes_private(void **state)
{
	struct rcase *c = *state;
	char *out;

	use_overlay(c, c->upper_a);
	out = run_case(c, check_overlay);
	fs_assert_mount(out, "/", "overlay", NULL);
	fs_assert_obs(out, "marker", "container");
	fs_assert_obs(out, "write_etc", "0");
	fs_assert_obs(out, "unlink_ls", "0");
	fs_assert_obs(out, "shell_ok", "");
	fs_assert_obs(out, "ls_gone", "");
	free(out);
	/* The lower is untouched; the writes are in the upper. */
	assert_false(host_exists(c->f.rootfs, "etc/written"));
	assert_true(host_exists(c->f.rootfs, "bin/ls"));
	assert_true(host_exists(c->upper_a, "upper/etc/written"));
	assert_true(host_exists(c->upper_a, "work"));
	assert_int_equal(fs_count_entries(c->target), 0);
}

static void check_sees_a(FILE *out)
{
	fprintf(out, "a_exists %d\n", access("/etc/a", F_OK) == 0);
	report_write(out, "write_b", "/etc/b", 2);
}

static void check_write_a(FILE *out)
{
	report_write(out, "write_a", "/etc/a", 2);
}

static void test_overlay_shared_lower(void **state)
{
	struct rcase *c = *state;
	char *out;

	use_overlay(c, c->upper_a);
	out = run_case(c, check_write_a);
	fs_assert_obs(out, "write_a", "0");
	free(out);
	/* B shares the lower, not A's writes. */
	use_overlay(c, c->upper_b);
	out = run_case(c, check_sees_a);
	fs_assert_obs(out, "a_exists", "0");
	fs_assert_obs(out, "write_b", "0");
	free(out);
	/* A again: its kept upper still has its write, not B's. */
	use_overlay(c, c->upper_a);
	out = run_case(c, check_sees_a);
	fs_assert_obs(out, "a_exists", "1");
	free(out);
	assert_true(host_exists(c->upper_b, "upper/etc/b"));
	assert_false(host_exists(c->upper_b, "upper/etc/a"));
	assert_false(host_exists(c->f.rootfs, "etc/a"));
	assert_false(host_exists(c->f.rootfs, "etc/b"));
}

static void check_fill(FILE *out)
{
	/* A whiteout (a 0/0 device node) on the nodev tmpfs upper. */
	fprintf(out, "unlink_marker %d\n", unlink("/etc/marker") < 0 ? errno : 0);
	fprintf(out, "marker_gone %d\n", access("/etc/marker", F_OK) < 0);
	report_write(out, "write_small", "/etc/small", 4096);
	report_write(out, "write_big", "/big", 4 << 20);
}

static void test_overlay_size_cap(void **state)
{
	struct rcase *c = *state;
	char *out;

	use_overlay(c, NULL);
	c->root.size = 1 << 20;
	c->root.volatile_upper = true;
	out = run_case(c, check_fill);
	fs_assert_obs(out, "unlink_marker", "0");
	fs_assert_obs(out, "marker_gone", "1");
	fs_assert_obs(out, "write_small", "0");
	fs_assert_obs(out, "write_big", "28"); /* ENOSPC */
	{
		const char *line = fs_obs_mount(out, "/");

		assert_non_null(line);
		assert_non_null(strstr(line, "volatile"));
	}
	free(out);
	assert_false(host_exists(c->f.rootfs, "big"));
	assert_true(host_exists(c->f.rootfs, "etc/marker"));
	assert_int_equal(fs_count_entries(c->target), 0);
}

/* ---- sparse ---- */

static void check_sparse(FILE *out)
{
	struct stat st;

	report_write(out, "write_usr", "/usr/kura-written", 1);
	fprintf(out, "mkdir_usr_bin %d\n", mkdir("/usr/bin/kura-dir", 0755) < 0 ? errno : 0);
	report_write(out, "write_tmp", "/tmp/x", 1);
	report_write(out, "write_var", "/var/x", 1);
	report_write(out, "write_root", "/root/x", 1);
	report_write(out, "write_home", "/home/x", 1);
	report_write(out, "write_etc", "/etc/x", 1);
	fs_report_link(out, "bin_link", "/bin");
	fs_report_first_line(out, "passwd", "/etc/passwd");
	fs_report_first_line(out, "hostname", "/etc/hostname");
	fprintf(out, "nsswitch %d\n", access("/etc/nsswitch.conf", F_OK) == 0);
	fprintf(out, "resolv %d\n", access("/etc/resolv.conf", F_OK) == 0);
	fprintf(out, "group %d\n", access("/etc/group", F_OK) == 0);
	fprintf(out, "hosts %d\n", access("/etc/hosts", F_OK) == 0);
	fprintf(out, "tmp_mode %o\n", stat("/tmp", &st) == 0 ? st.st_mode & 07777 : 0);
	fs_report_exec(out, "echo shell_ok; /usr/bin/busybox true && echo busybox_ok");
}

static void test_sparse_default(void **state)
{
	struct rcase *c = *state;
	char *out;

	c->root.type = FSROOT_ROOT_SPARSE;
	c->root.hostname = "tenant1";
	out = run_case(c, check_sparse);
	fs_assert_mount(out, "/", "tmpfs", NULL);
	fs_assert_mount(out, "/usr", NULL, "ro");
	fs_assert_obs(out, "write_usr", "30"); /* EROFS */
	fs_assert_obs(out, "mkdir_usr_bin", "30");
	fs_assert_obs(out, "write_tmp", "0");
	fs_assert_obs(out, "write_var", "0");
	fs_assert_obs(out, "write_root", "0");
	fs_assert_obs(out, "write_home", "0");
	fs_assert_obs(out, "write_etc", "0");
	fs_assert_obs(out, "bin_link", "usr/bin");
	fs_assert_obs(out, "passwd", "root:x:0:0:root:/root:/bin/sh");
	fs_assert_obs(out, "hostname", "tenant1");
	fs_assert_obs(out, "nsswitch", "1");
	fs_assert_obs(out, "resolv", "1");
	fs_assert_obs(out, "group", "1");
	fs_assert_obs(out, "hosts", "1");
	fs_assert_obs(out, "tmp_mode", "1777");
	fs_assert_obs(out, "shell_ok", "");
	fs_assert_obs(out, "busybox_ok", "");
	free(out);
	assert_int_equal(access("/usr/kura-written", F_OK), -1);
	assert_int_equal(access("/usr/bin/kura-dir", F_OK), -1);
	assert_int_equal(fs_count_entries(c->target), 0);
}

static void check_sparse_readonly(FILE *out)
{
	report_write(out, "write_etc", "/etc/x", 1);
	report_write(out, "write_slash", "/x", 1);
	report_write(out, "write_tmp", "/tmp/x", 1);
	report_write(out, "write_var", "/var/x", 1);
	report_write(out, "write_root", "/root/x", 1);
	report_write(out, "write_home", "/home/x", 1);
	report_write(out, "write_usr", "/usr/x", 1);
}

/* root.readonly fixes / and /etc; the tenant's data stays writable. */
static void test_sparse_root_readonly(void **state)
{
	struct rcase *c = *state;
	char *out;

	c->root.type = FSROOT_ROOT_SPARSE;
	c->cfg.readonly = true;
	out = run_case(c, check_sparse_readonly);
	fs_assert_mount(out, "/", "tmpfs", "ro");
	fs_assert_mount(out, "/tmp", "tmpfs", "rw");
	fs_assert_obs(out, "write_etc", "30");
	fs_assert_obs(out, "write_slash", "30");
	fs_assert_obs(out, "write_tmp", "0");
	fs_assert_obs(out, "write_var", "0");
	fs_assert_obs(out, "write_root", "0");
	fs_assert_obs(out, "write_home", "0");
	fs_assert_obs(out, "write_usr", "30");
	free(out);
}

static void check_inherit(FILE *out)
{
	fs_report_first_line(out, "hostfile", getenv("KURA_T_HOSTFILE"));
	report_write(out, "write_host", getenv("KURA_T_HOSTFILE"), 1);
	fprintf(out, "usr_exists %d\n", access("/usr/bin", F_OK) == 0);
}

static void test_sparse_inherit_list(void **state)
{
	struct rcase *c = *state;
	char hostfile[PATH_MAX];
	char *out;

	snprintf(hostfile, sizeof(hostfile), "%s/hostfile", c->f.hostdir);
	setenv("KURA_T_HOSTFILE", hostfile, 1);
	c->inherit[0] = c->f.hostdir;
	c->inherit[1] = NULL;
	c->root.type = FSROOT_ROOT_SPARSE;
	c->root.inherit = c->inherit;
	out = run_case(c, check_inherit);
	fs_assert_mount(out, c->f.hostdir, NULL, "ro");
	fs_assert_obs(out, "hostfile", "host");
	fs_assert_obs(out, "write_host", "30");
	fs_assert_obs(out, "usr_exists", "0");
	free(out);
	unsetenv("KURA_T_HOSTFILE");
}

static void check_fill_tmp(FILE *out)
{
	report_write(out, "write_small", "/tmp/small", 4096);
	report_write(out, "write_big", "/tmp/big", 4 << 20);
}

static void test_sparse_size_cap(void **state)
{
	struct rcase *c = *state;
	char *out;

	c->root.type = FSROOT_ROOT_SPARSE;
	c->root.size = 1 << 20;
	out = run_case(c, check_fill_tmp);
	fs_assert_obs(out, "write_small", "0");
	fs_assert_obs(out, "write_big", "28"); /* ENOSPC */
	free(out);
}

/* ---- loop ---- */

static int make_image(struct rcase *c, const char *kind)
{
	if (strcmp(kind, "ext4") == 0) {
		int fd = open(c->image, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		/* An existing file: mkfs.ext4 says nothing about creating it. */
		if (fd < 0 || ftruncate(fd, 16 << 20) < 0 || close(fd) < 0)
			return -1;
	}
	if (strcmp(kind, "ext4") == 0) {
		char *const argv[] = {"/sbin/mkfs.ext4", "-q",     "-F", "-d",
		                      c->f.rootfs,       c->image, NULL};
		return fs_run(argv);
	}
	if (strcmp(kind, "squashfs") == 0) {
		char *const argv[] = {
		    "/usr/bin/mksquashfs", c->f.rootfs, c->image, "-noappend", "-quiet",
		    "-no-progress",        NULL};
		return fs_run(argv);
	}
	{
		char *const argv[] = {"/usr/bin/mkfs.erofs", "--quiet", c->image, c->f.rootfs,
		                      NULL};
		return fs_run(argv);
	}
}

static void check_loop(FILE *out)
{
	fs_report_first_line(out, "marker", "/etc/marker");
	fprintf(out, "persisted %d\n", access("/etc/persist", F_OK) == 0);
	report_write(out, "write_etc", "/etc/persist", 3);
	fs_report_exec(out, "busybox echo shell_ok");
}

static void loop_case(struct rcase *c, const char *kind, bool readonly, const char *want_write)
{
	struct kerr err = {0};
	const char *detected = NULL;
	char *out;

	assert_int_equal(make_image(c, kind), 0);
	assert_int_equal(fsroot_image_detect(c->image, &detected, &err), 0);
	assert_string_equal(detected, kind);
	c->root.type = FSROOT_ROOT_LOOP;
	c->root.image = c->image;
	c->root.readonly = readonly;
	out = run_case(c, check_loop);
	fs_assert_mount(out, "/", kind, NULL);
	fs_assert_obs(out, "marker", "container");
	fs_assert_obs(out, "shell_ok", "");
	fs_assert_obs(out, "write_etc", want_write);
	free(out);
	/* The loop device is gone with the namespace. */
	assert_int_equal(wait_loops_gone(c->f.dir), 0);
	assert_int_equal(fs_count_entries(c->target), 0);
}

static void test_loop_ext4_rw(void **state)
{
	struct rcase *c = *state;
	char *out;

	loop_case(c, "ext4", false, "0");
	/* The write went into the image. */
	out = run_case(c, check_loop);
	fs_assert_obs(out, "persisted", "1");
	free(out);
}

static void test_loop_ext4_readonly(void **state)
{
	loop_case(*state, "ext4", true, "30");
}

static void test_loop_squashfs(void **state)
{
	if (!have_tool("/usr/bin/mksquashfs"))
		skip();
	loop_case(*state, "squashfs", false, "30"); /* read-only by nature */
}

static void test_loop_erofs(void **state)
{
	if (!have_tool("/usr/bin/mkfs.erofs"))
		skip();
	loop_case(*state, "erofs", false, "30");
}

static void test_loop_never_twice_rw(void **state)
{
	struct rcase *c = *state;
	struct kerr err = {0};
	int fd = -1, index = -1, fd2 = -1, index2 = -1;

	assert_int_equal(make_image(c, "ext4"), 0);
	assert_int_equal(fsroot_loop_attach(c->image, false, &fd, &index, &err), 0);
	/* Attached read-write: neither a second read-write nor a read-only
	 * attach is allowed, and the runtime's check says so first. */
	assert_int_equal(fsroot_loop_attach(c->image, false, &fd2, &index2, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "attached read-write"));
	assert_int_equal(fsroot_loop_attach(c->image, true, &fd2, &index2, &err), -EBUSY);
	{
		struct fsroot_root r = {.type = FSROOT_ROOT_LOOP,
		                        .target = c->target,
		                        .image = c->image,
		                        .readonly = true};
		const char *field = NULL;

		assert_int_equal(fsroot_root_check(&r, &field, &err), -EBUSY);
		assert_string_equal(field, "image");
	}
	close(fd);
	/* Autoclear: the last close detaches it. */
	assert_int_equal(wait_loops_gone(c->f.dir), 0);
	/* Read-only twice is fine, read-write then is not. */
	assert_int_equal(fsroot_loop_attach(c->image, true, &fd, &index, &err), 0);
	assert_int_equal(fsroot_loop_attach(c->image, true, &fd2, &index2, &err), 0);
	assert_int_not_equal(index, index2);
	assert_int_equal(fsroot_loop_attach(c->image, false, &fd2, &index2, &err) < 0 ? 0 : 1, 0);
	close(fd);
	close(fd2);
}

/* ---- checks made before the init exists ---- */

static void test_check_errors(void **state)
{
	struct rcase *c = *state;
	struct kerr err = {0};
	const char *field = NULL;
	const char *missing[] = {"/nonexistent/kura-lower", NULL};
	char notdir[PATH_MAX];

	c->root.type = FSROOT_ROOT_OVERLAY;
	c->root.lower = missing;
	assert_true(fsroot_root_check(&c->root, &field, &err) < 0);
	assert_string_equal(field, "lower");
	assert_non_null(strstr(err.msg, "`/nonexistent/kura-lower`: No such file"));

	snprintf(notdir, sizeof(notdir), "%s/hostfile", c->f.hostdir);
	c->root =
	    (struct fsroot_root){.type = FSROOT_ROOT_LOOP, .target = c->target, .image = notdir};
	assert_true(fsroot_root_check(&c->root, &field, &err) < 0);
	assert_string_equal(field, "image");
	assert_non_null(strstr(err.msg, "is not an ext4, squashfs or erofs image"));

	missing[0] = notdir;
	c->root = (struct fsroot_root){
	    .type = FSROOT_ROOT_SPARSE, .target = c->target, .inherit = missing};
	assert_true(fsroot_root_check(&c->root, &field, &err) < 0);
	assert_string_equal(field, "inherit");
	assert_non_null(strstr(err.msg, "is not a directory"));

	c->root = (struct fsroot_root){.type = FSROOT_ROOT_SPARSE, .target = notdir};
	assert_true(fsroot_root_check(&c->root, &field, &err) < 0);
	assert_string_equal(field, "path");

	assert_int_equal(make_image(c, "ext4"), 0);
	c->root = (struct fsroot_root){
	    .type = FSROOT_ROOT_LOOP, .target = c->target, .image = c->image, .fstype = "squashfs"};
	assert_true(fsroot_root_check(&c->root, &field, &err) < 0);
	assert_string_equal(field, "fstype");
	c->root.fstype = NULL;
	assert_int_equal(fsroot_root_check(&c->root, &field, &err), 0);
	assert_string_equal(c->root.fstype, "ext4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_overlay_writes_private, rcase_setup,
	                                    rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_overlay_shared_lower, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_overlay_size_cap, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_sparse_default, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_sparse_root_readonly, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_sparse_inherit_list, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_sparse_size_cap, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_loop_ext4_rw, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_loop_ext4_readonly, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_loop_squashfs, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_loop_erofs, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_loop_never_twice_rw, rcase_setup, rcase_teardown),
	    cmocka_unit_test_setup_teardown(test_check_errors, rcase_setup, rcase_teardown),
	};

	/* A hang (a loop device or lock that never frees) fails the run
	 * instead of blocking the suite. */
	alarm(300);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
