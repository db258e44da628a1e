/* fsroot_setup() + fsroot_finish() as uid 0 of a new user namespace
 * mapping 0-65535 to the host's 100000-165535, over a busybox root owned
 * by 100000 (the way a userns container runs): mknod of devices is
 * refused there, so the nodes must be the host's, bind-mounted; without a
 * network namespace of its own sysfs is the host's /sys bind-mounted, and
 * without a cgroup namespace each cgroup hierarchy is the host's
 * directory of our cgroup.  With both namespaces everything is new. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/mount.h>
#include <sys/statvfs.h>

#include "../../fs/fsroot.h"
#include "../lib/fs-testlib.h"

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS)
#define IDMAP    "0 100000 65536\n"

static const char *const masked[] = {"/proc/kcore",   "/proc/keys", "/proc/timer_list",
                                     "/sys/firmware", "/proc/acpi", NULL};
static const char *const readonly[] = {"/proc/bus", "/proc/sys", NULL};

struct scenario {
	struct fs_fixture f;
	struct fsroot_mount mounts[16];
	struct fsroot_device devices[2];
	struct fsroot_config cfg;
};

#define OPTS(...) ((const char *const[]){__VA_ARGS__, NULL})

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

static int scenario_setup(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));

	if (getuid() != 0 || access("/proc/self/ns/user", F_OK) < 0) {
		free(s);
		skip();
	}
	assert_non_null(s);
	assert_int_equal(fs_fixture_make(&s->f), 0);
	assert_int_equal(fs_chown_tree(s->f.rootfs, 100000), 0);
	s->cfg.rootfs = s->f.rootfs;
	s->cfg.mounts = s->mounts;
	s->cfg.devices = s->devices;
	s->cfg.in_user_ns = true;
	s->cfg.new_pid_ns = true;
	s->cfg.masked_paths = masked;
	s->cfg.readonly_paths = readonly;
	s->cfg.readonly = true;
	/* runc's rootless spec: no gid=5 on devpts (gid 5 may be unmapped). */
	add_mount(s, "/proc", "proc", "proc", NULL);
	add_mount(s, "/dev", "tmpfs", "tmpfs",
	          OPTS("nosuid", "strictatime", "mode=755", "size=65536k"));
	add_mount(s, "/dev/pts", "devpts", "devpts",
	          OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
	add_mount(s, "/dev/shm", "tmpfs", "shm",
	          OPTS("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
	add_mount(s, "/dev/mqueue", "mqueue", "mqueue", OPTS("nosuid", "noexec", "nodev"));
	add_mount(s, "/sys", "sysfs", "sysfs", OPTS("nosuid", "noexec", "nodev", "ro"));
	add_mount(s, "/sys/fs/cgroup", "cgroup", "cgroup",
	          OPTS("nosuid", "noexec", "nodev", "relatime", "ro"));
	add_mount(s, "/mnt/data", "bind", s->f.hostdir, OPTS("rbind", "ro"));
	s->devices[0] =
	    (struct fsroot_device){.path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229};
	s->devices[1] = (struct fsroot_device){
	    .path = "/dev/kfifo", .type = 'p', .has_mode = true, .mode = 0640};
	s->cfg.n_devices = 2;
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

static int container_body(FILE *out, void *arg)
{
	struct scenario *s = arg;
	struct kerr err = {0};
	struct statvfs sv;

	if (fsroot_setup(&s->cfg, &err) < 0) {
		fprintf(out, "setup_error %s\n", err.msg);
		return 2;
	}
	if (fsroot_finish(&s->cfg, &err) < 0) {
		fprintf(out, "finish_error %s\n", err.msg);
		return 3;
	}
	fs_report_mounts(out);
	fprintf(out, "pid %d\n", getpid());
	fs_report_first_line(out, "marker", "/etc/marker");
	fs_report_stat(out, "devnull", "/dev/null");
	fs_report_stat(out, "fuse", "/dev/fuse");
	fs_report_stat(out, "kfifo", "/dev/kfifo");
	fs_report_stat(out, "marker_owner", "/etc/marker");
	fprintf(out, "devnull_write %d\n", fs_write_file("/dev/null", "x", 0) < 0 ? errno : 0);
	/* A write would fail with EACCES first: /proc/sys files belong to the
	 * host's root, unmapped here. */
	fprintf(out, "procsys_ro %d\n", statvfs("/proc/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY));
	fprintf(out, "timer_list_len %ld\n", fs_read_len("/proc/timer_list"));
	fprintf(out, "firmware_entries %d\n", fs_count_entries("/sys/firmware"));
	fprintf(out, "root_write_errno %d\n", mkdir("/newdir", 0755) < 0 ? errno : 0);
	fprintf(out, "hostfile_len %ld\n", fs_read_len("/mnt/data/hostfile"));
	fprintf(out, "net_entries %d\n", fs_count_entries("/sys/class/net"));
	fprintf(out, "sys_ro %d\n", statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY));
	fs_report_first_line(out, "cgroup_procs", "/sys/fs/cgroup/memory/cgroup.procs");
	fs_report_exec(out, "test -c /dev/null && echo busybox_ok");
	return 0;
}

static void check_common(const char *out)
{
	fs_assert_obs(out, "pid", "1");
	fs_assert_obs(out, "marker", "container");
	/* The image's owner 100000 is uid 0 inside. */
	fs_assert_obs(out, "marker_owner", "? 0:0 644 0 0");
	fs_assert_mount(out, "/", NULL, "ro");
	fs_assert_mount(out, "/proc", "proc", NULL);
	fs_assert_mount(out, "/dev/pts", "devpts", NULL);
	fs_assert_mount(out, "/dev/mqueue", "mqueue", NULL);
	fs_assert_mount(out, "/sys", "sysfs", "ro");
	fs_assert_mount(out, "/sys/fs/cgroup", "tmpfs", "ro");
	fs_assert_mount(out, "/sys/fs/cgroup/memory", "cgroup", "ro");
	fs_assert_mount(out, "/mnt/data", NULL, "ro");
	fs_assert_mount(out, "/proc/sys", "proc", "ro");
	fs_assert_mount(out, "/sys/firmware", "tmpfs", "ro");
	/* Device nodes are the host's, bind-mounted. */
	fs_assert_mount(out, "/dev/null", "devtmpfs", NULL);
	fs_assert_mount(out, "/dev/fuse", "devtmpfs", NULL);
	assert_null(fs_obs_mount(out, "/dev/kfifo")); /* fifos are made */
	assert_true(strncmp(fs_obs(out, "devnull"), "c 1:3 ", 6) == 0);
	assert_true(strncmp(fs_obs(out, "fuse"), "c 10:229 ", 9) == 0);
	fs_assert_obs(out, "kfifo", "p 0:0 640 0 0");
	fs_assert_obs(out, "devnull_write", "0");
	fs_assert_obs(out, "procsys_ro", "1");
	fs_assert_obs(out, "timer_list_len", "0");
	fs_assert_obs(out, "firmware_entries", "0");
	fs_assert_obs(out, "root_write_errno", "30");
	fs_assert_obs(out, "hostfile_len", "5");
	fs_assert_obs(out, "sys_ro", "1");
	fs_assert_obs(out, "cgroup_procs", "1");
	assert_non_null(fs_obs(out, "busybox_ok"));
}

/* Only a user namespace (plus mount/pid/ipc/uts): the host's /sys and
 * cgroup directories, bind-mounted. */
static void test_userns_host_sys(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	const char *line;
	int rc = fs_in_container(NS_FLAGS, IDMAP, container_body, s, &out);

	if (rc != 0 || getenv("KURA_TEST_VERBOSE")) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	check_common(out);
	/* sysfs of the host's network namespace: the host's interfaces. */
	assert_int_equal(atoi(fs_obs(out, "net_entries")), fs_count_entries("/sys/class/net"));
	line = fs_obs_mount(out, "/sys/fs/cgroup/memory");
	/* Our memory cgroup, not the root of the hierarchy. */
	assert_null(strstr(line, " / /sys/fs/cgroup/memory "));
	free(out);
}

/* User, network and cgroup namespaces: a new sysfs, new hierarchy mounts
 * rooted at the cgroup namespace. */
static void test_userns_own_namespaces(void **state)
{
	struct scenario *s = *state;
	char *out = NULL;
	const char *line;
	int rc;

	s->cfg.new_net_ns = true;
	rc = fs_in_container(NS_FLAGS | CLONE_NEWNET | CLONE_NEWCGROUP, IDMAP, container_body, s,
	                     &out);
	if (rc != 0 || getenv("KURA_TEST_VERBOSE")) {
		fprintf(stderr, "--- output ---\n%s", out ? out : "");
		assert_int_equal(rc, 0);
	}
	check_common(out);
	line = fs_obs_mount(out, "/sys/fs/cgroup/memory");
	assert_non_null(strstr(line, " / /sys/fs/cgroup/memory "));
	/* A sysfs of the new network namespace: only lo. */
	fs_assert_obs(out, "net_entries", "1");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_userns_host_sys, scenario_setup,
	                                    scenario_teardown),
	    cmocka_unit_test_setup_teardown(test_userns_own_namespaces, scenario_setup,
	                                    scenario_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
