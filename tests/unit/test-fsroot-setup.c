/* fsroot_setup() + fsroot_finish() for real, as root: a busybox root, a
 * config like runc's default spec, a child in new mount/pid/ipc/uts/net
 * namespaces that builds the root and reports what it sees from inside;
 * then the host must have no mount left and nothing created through the
 * symlinks planted in the root (CVE-2021-30465, CVE-2024-45310), and a
 * /dev/null swapped before the masking must stop it (CVE-2025-31133). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "../../fs/fsroot.h"
#include "../lib/fs-testlib.h"

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET)

static const char *const default_masked[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    NULL,
};
static const char *const default_readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

enum swap { SWAP_NONE, SWAP_DEVNULL_SYMLINK, SWAP_DEVNULL_FILE };

struct scenario {
	struct fs_fixture f;
	struct fsroot_mount mounts[32];
	struct fsroot_device devices[4];
	struct fsroot_config cfg;
	enum swap swap;
	bool pure_v2; /* cgroup2 over /sys/fs/cgroup in the child's namespace */
	char evil_dir[PATH_MAX + 16];
};

static void add_mount(struct scenario *s, const char *dest, const char *type, const char *source,
                      const char *const *opts)
{
	struct fsroot_mount *m = &s->mounts[s->cfg.n_mounts++];
	struct kerr err = {0};
	size_t n = 0;

	while (opts && opts[n])
		n++;
	memset(m, 0, sizeof(*m));
	m->destination = dest;
	m->type = type;
	m->source = source;
	if (fsroot_parse_mount_options(opts, n, m, &err) < 0)
		fail_msg("parse options of %s: %s", dest, err.msg);
}

#define OPTS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The mounts of runc's default config.json. */
static void add_runc_default_mounts(struct scenario *s)
{
	add_mount(s, "/proc", "proc", "proc", NULL);
	add_mount(s, "/dev", "tmpfs", "tmpfs",
	          OPTS("nosuid", "strictatime", "mode=755", "size=65536k"));
	add_mount(s, "/dev/pts", "devpts", "devpts",
	          OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
	add_mount(s, "/dev/shm", "tmpfs", "shm",
	          OPTS("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
	add_mount(s, "/dev/mqueue", "mqueue", "mqueue", OPTS("nosuid", "noexec", "nodev"));
	add_mount(s, "/sys", "sysfs", "sysfs", OPTS("nosuid", "noexec", "nodev", "ro"));
	add_mount(s, "/sys/fs/cgroup", "cgroup", "cgroup",
	          OPTS("nosuid", "noexec", "nodev", "relatime", "ro"));
}

static int scenario_setup(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));
	char path[PATH_MAX * 2];

	if (getuid() != 0) {
		free(s);
		skip();
	}
	assert_non_null(s);
	assert_int_equal(fs_fixture_make(&s->f), 0);
	s->cfg.rootfs = s->f.rootfs;
	s->cfg.mounts = s->mounts;
	s->cfg.devices = s->devices;
	s->cfg.new_pid_ns = true;
	s->cfg.new_net_ns = true;
	/* Symlinks in the image that point at the host's paths. */
	snprintf(path, sizeof(path), "%s/mnt/evil", s->f.rootfs);
	assert_int_equal(symlink(s->f.hostdir, path), 0);
	snprintf(path, sizeof(path), "%s/mnt/evilfile", s->f.rootfs);
	snprintf(s->evil_dir, sizeof(s->evil_dir), "%s/newfile", s->f.hostdir);
	assert_int_equal(symlink(s->evil_dir, path), 0);
	*state = s;
	return 0;
}

static int scenario_teardown(void **state)
{
	struct scenario *s = *state;
	int host_entries = -1;
	char dir[64];
	bool mounted;

	if (!s)
		return 0;
	/* Nothing may stay mounted on the host, nothing may be created in
	 * the host directory the root's symlinks point at. */
	mounted = fs_fixture_remove(&s->f, &host_entries);
	memcpy(dir, s->f.dir, sizeof(dir));
	for (size_t i = 0; i < s->cfg.n_mounts; i++)
		free(s->mounts[i].data);
	free(s);
	assert_false(mounted);
	assert_int_equal(host_entries, 1);
	assert_int_equal(access(dir, F_OK), -1);
	return 0;
}

static void swap_dev_null(enum swap swap)
{
	if (swap == SWAP_NONE)
		return;
	unlink("/dev/null");
	if (swap == SWAP_DEVNULL_SYMLINK)
		(void)!symlink("/proc/sys/kernel/core_pattern", "/dev/null");
	else
		fs_write_file("/dev/null", "", 0666);
}

static int container_body(FILE *out, void *arg)
{
	struct scenario *s = arg;
	struct kerr err = {0};
	struct statvfs sv;
	int fd, fds_before = fs_count_entries("/proc/self/fd");

	/* A pure cgroup v2 host, as far as this mount namespace can tell. */
	if (s->pure_v2 && (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	                   mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0)) {
		fprintf(out, "setup_error cgroup2: %s\n", strerror(errno));
		return 2;
	}
	if (fsroot_setup(&s->cfg, &err) < 0) {
		fprintf(out, "setup_error %s\n", err.msg);
		return 2;
	}
	swap_dev_null(s->swap);
	if (fsroot_finish(&s->cfg, &err) < 0) {
		fprintf(out, "finish_error %s\n", err.msg);
		fs_report_mounts(out);
		return 3;
	}
	/* fs/ closes every fd it opened (the opendir fd counts in both). */
	fprintf(out, "fds_leaked %d\n", fs_count_entries("/proc/self/fd") - fds_before);
	fs_report_mounts(out);
	fprintf(out, "pid %d\n", getpid());
	fs_report_first_line(out, "marker", "/etc/marker");
	fs_report_stat(out, "devnull", "/dev/null");
	fs_report_stat(out, "fuse", "/dev/fuse");
	fs_report_stat(out, "kfifo", "/dev/kfifo");
	fs_report_link(out, "ptmx", "/dev/ptmx");
	fs_report_link(out, "devfd", "/dev/fd");
	fs_report_link(out, "stderr", "/dev/stderr");
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	fprintf(out, "ptmx_open %d\n", fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	fprintf(out, "sysctl_write_errno %d\n", fs_write_errno("/proc/sys/kernel/hostname"));
	fprintf(out, "timer_list_len %ld\n", fs_read_len("/proc/timer_list"));
	fprintf(out, "keys_len %ld\n", fs_read_len("/proc/keys"));
	fprintf(out, "firmware_entries %d\n", fs_count_entries("/sys/firmware"));
	fprintf(out, "root_write_errno %d\n", mkdir("/newdir", 0755) < 0 ? errno : 0);
	fprintf(out, "hostfile_len %ld\n", fs_read_len("/mnt/data/hostfile"));
	fprintf(out, "bind_write_errno %d\n", fs_write_errno("/mnt/data/hostfile"));
	fprintf(out, "shm_write %d\n", fs_write_file("/dev/shm/x", "x", 0600) < 0 ? errno : 0);
	fprintf(out, "sys_ro %d\n", statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY));
	fs_report_first_line(out, "cgroup_procs", "/sys/fs/cgroup/memory/cgroup.procs");
	fs_report_exec(out, "test -c /dev/null && test -L /dev/ptmx && echo busybox_ok");
	if (s->pure_v2)
		fs_report_exec(out,
		               "grep -qx 1 /sys/fs/cgroup/cgroup.procs && echo cgroup2_has_init");
	return 0;
}

static void add_test_devices(struct scenario *s)
{
	s->devices[0] = (struct fsroot_device){.path = "/dev/fuse",
	                                       .type = 'c',
	                                       .major = 10,
	                                       .minor = 229,
	                                       .has_mode = true,
	                                       .mode = 0600,
	                                       .has_uid = true,
	                                       .uid = 1000,
	                                       .has_gid = true,
	                                       .gid = 1000};
	s->devices[1] = (struct fsroot_device){
	    .path = "/dev/kfifo", .type = 'p', .has_mode = true, .mode = 0640};
	s->cfg.n_devices = 2;
}

static void test_runc_default_spec(void **state)
{
	struct scenario *s = *state;
	char *out = NULL, inside[PATH_MAX * 2];
	int rc;

	add_runc_default_mounts(s);
	add_mount(s, "/mnt/data", "bind", s->f.hostdir, OPTS("rbind", "ro"));
	add_mount(s, "/mnt/evil/sub", "tmpfs", "tmpfs", NULL);
	add_mount(s, "/mnt/evilfile", "bind", "/etc/hostname", OPTS("bind"));
	add_mount(s, "/../../../mnt/dotdot", "tmpfs", "tmpfs", NULL);
	add_test_devices(s);
	s->cfg.masked_paths = default_masked;
	s->cfg.readonly_paths = default_readonly;
	s->cfg.readonly = true;

	rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);
	if (rc != 0 || getenv("KURA_TEST_VERBOSE")) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	fs_assert_obs(out, "pid", "1");
	fs_assert_obs(out, "fds_leaked", "0");
	fs_assert_obs(out, "marker", "container");
	fs_assert_mount(out, "/", NULL, "ro");
	fs_assert_mount(out, "/proc", "proc", NULL);
	fs_assert_mount(out, "/dev", "tmpfs", "nosuid");
	fs_assert_mount(out, "/dev/pts", "devpts", "noexec");
	fs_assert_mount(out, "/dev/shm", "tmpfs", "nodev");
	fs_assert_mount(out, "/dev/mqueue", "mqueue", "nosuid");
	fs_assert_mount(out, "/sys", "sysfs", "ro");
	fs_assert_mount(out, "/sys/fs/cgroup", NULL, "ro");
	fs_assert_mount(out, "/sys/fs/cgroup/memory", "cgroup", "ro");
	fs_assert_mount(out, "/mnt/data", NULL, "ro");
	fs_assert_mount(out, "/proc/sys", "proc", "ro");
	fs_assert_mount(out, "/proc/bus", "proc", "ro");
	fs_assert_mount(out, "/proc/timer_list", "tmpfs", NULL);
	fs_assert_mount(out, "/sys/firmware", "tmpfs", "ro");
	fs_assert_mount(out, "/mnt/dotdot", "tmpfs", NULL);
	/* The symlinks were followed inside the root, never to the host. */
	snprintf(inside, sizeof(inside), "%s/sub", s->f.hostdir);
	fs_assert_mount(out, inside, "tmpfs", NULL);
	fs_assert_mount(out, s->evil_dir, NULL, NULL);
	snprintf(inside, sizeof(inside), "%s%s/sub", s->f.rootfs, s->f.hostdir);
	assert_int_equal(access(inside, F_OK), 0);

	fs_assert_obs(out, "devnull", "c 1:3 666 0 0");
	fs_assert_obs(out, "fuse", "c 10:229 600 1000 1000");
	fs_assert_obs(out, "kfifo", "p 0:0 640 0 0");
	fs_assert_obs(out, "ptmx", "pts/ptmx");
	fs_assert_obs(out, "ptmx_open", "0");
	fs_assert_obs(out, "devfd", "/proc/self/fd");
	fs_assert_obs(out, "stderr", "/proc/self/fd/2");
	fs_assert_obs(out, "sysctl_write_errno", "30");
	fs_assert_obs(out, "timer_list_len", "0");
	fs_assert_obs(out, "keys_len", "0");
	fs_assert_obs(out, "firmware_entries", "0");
	fs_assert_obs(out, "root_write_errno", "30");
	fs_assert_obs(out, "hostfile_len", "5");
	fs_assert_obs(out, "bind_write_errno", "30");
	fs_assert_obs(out, "shm_write", "0");
	fs_assert_obs(out, "sys_ro", "1");
	fs_assert_obs(out, "cgroup_procs", "1");
	assert_non_null(fs_obs(out, "busybox_ok"));
	free(out);
}

/* A cgroup namespace: the hierarchy mounts are rooted at its root. */
static void test_cgroup_namespace(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	const char *line;
	int rc;

	add_runc_default_mounts(s);
	rc = fs_in_container(NS_FLAGS | CLONE_NEWCGROUP, NULL, container_body, s, &out);
	if (rc != 0) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		fail_msg("container exit %d", rc);
	}
	line = fs_obs_mount(out, "/sys/fs/cgroup/memory");
	assert_non_null(line);
	assert_true(strncmp(strchr(strchr(strchr(line, ' ') + 1, ' ') + 1, ' '), " / ", 3) == 0);
	fs_assert_obs(out, "cgroup_procs", "1");
	free(out);
}

/* On a pure cgroup v2 host the "cgroup" mount is cgroup2. */
static void test_cgroup_pure_v2(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	int rc;

	add_runc_default_mounts(s);
	s->pure_v2 = true;
	rc = fs_in_container(NS_FLAGS | CLONE_NEWCGROUP, NULL, container_body, s, &out);
	if (rc != 0) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	fs_assert_mount(out, "/sys/fs/cgroup", "cgroup2", "ro");
	assert_null(fs_obs_mount(out, "/sys/fs/cgroup/memory"));
	assert_non_null(fs_obs(out, "cgroup2_has_init"));
	free(out);
}

/* A read-only /dev: writable while the nodes are made, read-only after. */
static void test_dev_readonly(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	int rc;

	add_mount(s, "/proc", "proc", "proc", NULL);
	add_mount(s, "/dev", "tmpfs", "tmpfs", OPTS("nosuid", "ro", "mode=755"));
	rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);
	if (rc != 0) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	fs_assert_mount(out, "/dev", "tmpfs", "ro");
	fs_assert_obs(out, "devnull", "c 1:3 666 0 0");
	fs_assert_obs(out, "ptmx", "pts/ptmx");
	free(out);
}

/* /dev bind-mounted from the host: its nodes are used as they are. */
static void test_dev_bind(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	int rc;

	add_mount(s, "/proc", "proc", "proc", NULL);
	add_mount(s, "/dev", "bind", "/dev", OPTS("rbind", "nosuid"));
	rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);
	if (rc != 0) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	fs_assert_mount(out, "/dev", "devtmpfs", "nosuid");
	/* No pts/ptmx symlink: the host's own ptmx node. */
	fs_assert_obs(out, "ptmx", "");
	fs_assert_obs(out, "devnull", "c 1:3 666 0 0");
	free(out);
}

static void check_swapped_dev_null(void **state, enum swap swap)
{
	struct scenario *s = *state;
	char *out = NULL;
	int rc;

	add_runc_default_mounts(s);
	s->cfg.masked_paths = default_masked;
	s->swap = swap;
	rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(fs_obs(out, "finish_error"), "is not the null device"));
	/* Nothing was bind-mounted from the swapped node. */
	assert_null(fs_obs_mount(out, "/proc/timer_list"));
	assert_null(fs_obs_mount(out, "/proc/sys/kernel/core_pattern"));
	free(out);
}

static void test_masked_dev_null_symlink(void **state)
{
	check_swapped_dev_null(state, SWAP_DEVNULL_SYMLINK);
}

static void test_masked_dev_null_file(void **state)
{
	check_swapped_dev_null(state, SWAP_DEVNULL_FILE);
}

/* --no-pivot (and the initramfs fallback): MS_MOVE + chroot. */
static void test_no_pivot(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	int rc;

	add_mount(s, "/proc", "proc", "proc", NULL);
	s->cfg.no_pivot = true;
	s->cfg.readonly = true;
	rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);
	if (rc != 0) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		fail_msg("container exit %d", rc);
	}
	fs_assert_obs(out, "marker", "container");
	fs_assert_obs(out, "fds_leaked", "0");
	fs_assert_obs(out, "devnull", "c 1:3 666 0 0");
	fs_assert_obs(out, "root_write_errno", "30");
	fs_assert_mount(out, "/dev", "tmpfs", "nosuid");
	assert_non_null(fs_obs(out, "busybox_ok"));
	free(out);
}

static void check_root_propagation(void **state, unsigned long prop, const char *tag, bool want)
{
	struct scenario *s = *state;
	char *out = NULL;
	const char *root;
	int rc;

	add_mount(s, "/proc", "proc", "proc", NULL);
	s->cfg.propagation = prop;
	rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);
	if (rc != 0) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		fail_msg("container exit %d", rc);
	}
	root = fs_obs_mount(out, "/");
	assert_non_null(root);
	if ((strstr(root, tag) != NULL) != want)
		fail_msg("root mount: %s", root);
	free(out);
}

static void test_propagation_rshared(void **state)
{
	check_root_propagation(state, MS_SHARED | MS_REC, " shared:", true);
}

static void test_propagation_rprivate(void **state)
{
	check_root_propagation(state, MS_PRIVATE | MS_REC, " shared:", false);
}

static void check_setup_error(struct scenario *s, const char *want)
{
	char *out = NULL;
	const char *msg;
	int rc = fs_in_container(NS_FLAGS, NULL, container_body, s, &out);

	assert_int_equal(rc, 2);
	msg = fs_obs(out, "setup_error");
	if (!msg || !strstr(msg, want))
		fail_msg("setup_error \"%s\", want \"%s\"", msg ? msg : "(none)", want);
	free(out);
}

static void test_error_missing_rootfs(void **state)
{
	struct scenario *s = *state;
	char missing[PATH_MAX + 16];

	snprintf(missing, sizeof(missing), "%s/nonexistent", s->f.dir);
	s->cfg.rootfs = missing;
	check_setup_error(s, "root.path: open `");
}

static void test_error_mount_inside_proc(void **state)
{
	struct scenario *s = *state;

	add_mount(s, "/proc", "proc", "proc", NULL);
	add_mount(s, "/proc/sys", "tmpfs", "tmpfs", NULL);
	check_setup_error(s, "`/proc/sys` cannot be mounted: it is inside /proc");
}

static void test_error_fake_proc(void **state)
{
	struct scenario *s = *state;

	add_mount(s, "/proc", "bind", s->f.hostdir, OPTS("rbind"));
	check_setup_error(s, "`/proc` cannot be mounted: it is not of type proc");
}

static void test_error_unknown_fs(void **state)
{
	struct scenario *s = *state;

	add_mount(s, "/mnt/x", "nosuchfs", "none", NULL);
	check_setup_error(s, "mounts: nosuchfs `/mnt/x`: unknown filesystem type \"nosuchfs\"");
}

static void test_error_bad_option(void **state)
{
	struct scenario *s = *state;

	add_mount(s, "/mnt/x", "tmpfs", "tmpfs", OPTS("size=lots"));
	check_setup_error(s, "tmpfs: Bad value for 'size'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_runc_default_spec, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_cgroup_namespace, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_cgroup_pure_v2, scenario_setup, scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_dev_readonly, scenario_setup, scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_dev_bind, scenario_setup, scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_masked_dev_null_symlink, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_masked_dev_null_file, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_no_pivot, scenario_setup, scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_propagation_rshared, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_propagation_rprivate, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_error_missing_rootfs, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_error_mount_inside_proc, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_error_fake_proc, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_error_unknown_fs, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_error_bad_option, scenario_setup,
	                                    scenario_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
