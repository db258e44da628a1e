/* The valid samples in tests/data/configs/valid parse into the right
 * model: namespaces, mounts and their flags, capability bitmasks,
 * rlimits, user, hooks, devices, id maps, annotations; plus
 * spec_parse_process, spec_load, the lookups and the name tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/cleanup.h"
#include "../../common/util.h"
#include "../../runtime/spec.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define CAP(c) (1ULL << (c))

static char bundle[64];
static char rootfs[PATH_MAX];

static int setup(void **state)
{
	char path[128];

	snprintf(bundle, sizeof(bundle), "/tmp/kura-test-spec-XXXXXX");
	if (!mkdtemp(bundle))
		return -1;
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	if (mkdir(path, 0755) < 0 || !realpath(path, rootfs))
		return -1;
	snprintf(path, sizeof(path), "%s/link", bundle);
	return symlink("rootfs", path);
}

static int teardown(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/link", bundle);
	unlink(path);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	unlink(path);
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	rmdir(path);
	return rmdir(bundle);
}

static struct oci_spec *parse_text(const char *text)
{
	struct oci_spec *spec = NULL;
	struct kerr err = {0};

	if (spec_parse(text, strlen(text), bundle, "config.json", &spec, &err) < 0)
		fail_msg("%s", err.msg);
	return spec;
}

static struct oci_spec *parse_sample(const char *name)
{
	_cleanup_free_ char *path = xasprintf("%s/configs/valid/%s", KURA_TEST_DATA, name);
	_cleanup_free_ char *text = NULL;
	struct oci_spec *spec = NULL;
	struct kerr err = {0};
	size_t len;

	if (read_file_at(AT_FDCWD, path, &text, &len, &err) < 0)
		fail_msg("%s", err.msg);
	if (spec_parse(text, len, bundle, "config.json", &spec, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	return spec;
}

static void test_every_valid_sample(void **state)
{
	_cleanup_closedir_ DIR *d = opendir(KURA_TEST_DATA "/configs/valid");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		struct oci_spec *spec;
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		spec = parse_sample(de->d_name);
		assert_string_equal(spec->root_path, rootfs);
		assert_non_null(spec->linux.masked_paths);
		assert_non_null(spec->linux.readonly_paths);
		spec_free(spec);
		n++;
	}
	assert_true(n >= 6);
}

static void test_full_process(void **state)
{
	struct oci_spec *spec = parse_sample("full.json");
	const struct oci_process *p = &spec->process;

	assert_string_equal(spec->oci_version, "1.2.0");
	assert_true(spec->has_process);
	assert_true(p->terminal);
	assert_true(p->has_console_size);
	assert_int_equal(p->console_height, 25);
	assert_int_equal(p->console_width, 80);
	assert_int_equal(p->user.uid, 1000);
	assert_int_equal(p->user.gid, 1001);
	assert_true(p->user.has_umask);
	assert_int_equal(p->user.umask, 022);
	assert_int_equal(p->user.n_additional_gids, 3);
	assert_int_equal(p->user.additional_gids[0], 5);
	assert_int_equal(p->user.additional_gids[1], 100);
	assert_int_equal(p->user.additional_gids[2], 4294967294u);
	assert_int_equal(strv_len((char *const *)p->args), 3);
	assert_string_equal(p->args[0], "/bin/sh");
	assert_string_equal(p->args[2], "echo hi");
	assert_null(p->args[3]);
	assert_int_equal(strv_len((char *const *)p->env), 3);
	assert_string_equal(p->env[2], "EMPTY=");
	assert_string_equal(p->cwd, "/home/user");

	assert_true(p->has_capabilities);
	assert_int_equal(p->capabilities.bounding,
	                 CAP(CAP_CHOWN) | CAP(CAP_SYS_ADMIN) | CAP(CAP_CHECKPOINT_RESTORE));
	assert_int_equal(p->capabilities.effective, CAP(CAP_KILL));
	assert_int_equal(p->capabilities.inheritable, 0);
	assert_int_equal(p->capabilities.permitted, CAP(CAP_KILL) | CAP(CAP_NET_RAW));
	assert_int_equal(p->capabilities.ambient, CAP(CAP_NET_BIND_SERVICE));

	assert_int_equal(p->n_rlimits, 2);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(p->rlimits[0].soft, 1024);
	assert_int_equal(p->rlimits[0].hard, 4096);
	assert_int_equal(p->rlimits[1].resource, RLIMIT_CORE);
	assert_int_equal(p->rlimits[1].soft, 0);
	assert_true(p->rlimits[1].hard == UINT64_MAX);

	assert_true(p->no_new_privileges);
	assert_true(p->has_oom_score_adj);
	assert_int_equal(p->oom_score_adj, -500);
	assert_string_equal(p->apparmor_profile, "kura-default");
	assert_string_equal(p->selinux_label, "system_u:system_r:container_t:s0");
	spec_free(spec);
}

static void test_full_root_and_names(void **state)
{
	struct oci_spec *spec = parse_sample("full.json");

	assert_string_equal(spec->root_path, rootfs);
	assert_true(spec->root_readonly);
	assert_string_equal(spec->hostname, "full-host");
	assert_string_equal(spec->domainname, "example.org");
	assert_int_equal(spec->n_annotations, 2);
	assert_string_equal(spec->annotations[0].key, "org.example.key");
	assert_string_equal(spec->annotations[0].value, "value");
	assert_string_equal(spec_annotation(spec, "run.kura.test"), "");
	assert_null(spec_annotation(spec, "absent"));
	spec_free(spec);
}

static void test_full_mounts(void **state)
{
	struct oci_spec *spec = parse_sample("full.json");
	const struct fsroot_mount *m = spec->mounts;
	_cleanup_free_ char *data_source = xasprintf("%s/data", bundle);

	assert_int_equal(spec->n_mounts, 5);

	assert_string_equal(m[0].destination, "/proc");
	assert_string_equal(m[0].type, "proc");
	assert_string_equal(m[0].source, "proc");
	assert_int_equal(m[0].flags, 0);
	assert_null(m[0].data);
	assert_false(m[0].bind);

	assert_string_equal(m[1].destination, "/dev");
	assert_int_equal(m[1].flags, MS_NOSUID | MS_STRICTATIME);
	assert_string_equal(m[1].data, "mode=755,size=65536k");

	/* rbind, ro then rw, nodev, rslave, recursive attributes, x-* dropped;
	 * the relative bind source is resolved against the bundle. */
	assert_string_equal(m[2].source, data_source);
	assert_true(m[2].bind);
	assert_true(m[2].recursive);
	assert_int_equal(m[2].flags, MS_NODEV);
	assert_int_equal(m[2].clear, MS_RDONLY);
	assert_int_equal(m[2].propagation, MS_SLAVE | MS_REC);
	assert_int_equal(m[2].rec_attr_set,
	                 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME);
	assert_int_equal(m[2].rec_attr_clr, MOUNT_ATTR__ATIME);
	assert_null(m[2].data);
	assert_false(m[2].idmap);

	assert_string_equal(m[3].source, "/srv/abs");
	assert_true(m[3].bind);
	assert_false(m[3].recursive);
	assert_int_equal(m[3].propagation, MS_PRIVATE);
	assert_true(m[3].idmap);

	assert_string_equal(m[4].destination, "/tmp");
	assert_false(m[4].bind);
	assert_null(m[4].data);
	spec_free(spec);
}

static void test_full_hooks(void **state)
{
	struct oci_spec *spec = parse_sample("full.json");
	const struct oci_hooks *h = &spec->hooks;
	static const char *const first[OCI_HOOK_KIND_COUNT] = {
	    "/usr/bin/prestart", "/usr/bin/cr1", "/usr/bin/cc",
	    "/usr/bin/sc",       "/usr/bin/ps",  "/usr/bin/pst",
	};

	for (int k = 0; k < OCI_HOOK_KIND_COUNT; k++) {
		assert_true(h->n_hooks[k] >= 1);
		assert_string_equal(h->hooks[k][0].path, first[k]);
	}
	assert_int_equal(h->n_hooks[OCI_HOOK_CREATE_RUNTIME], 2);
	assert_string_equal(h->hooks[OCI_HOOK_CREATE_RUNTIME][1].path, "/usr/bin/cr2");
	assert_int_equal(h->hooks[OCI_HOOK_CREATE_RUNTIME][1].timeout, 1);
	assert_int_equal(h->hooks[OCI_HOOK_CREATE_RUNTIME][0].timeout, 0);
	assert_null(h->hooks[OCI_HOOK_CREATE_RUNTIME][0].args);
	assert_null(h->hooks[OCI_HOOK_CREATE_RUNTIME][0].env);

	assert_int_equal(h->hooks[OCI_HOOK_PRESTART][0].timeout, 5);
	assert_string_equal(h->hooks[OCI_HOOK_PRESTART][0].args[0], "prestart");
	assert_string_equal(h->hooks[OCI_HOOK_PRESTART][0].args[1], "a");
	assert_null(h->hooks[OCI_HOOK_PRESTART][0].args[2]);
	assert_string_equal(h->hooks[OCI_HOOK_PRESTART][0].env[0], "X=1");
	assert_null(h->hooks[OCI_HOOK_PRESTART][0].env[1]);
	/* An empty args array is an empty NULL-terminated array. */
	assert_non_null(h->hooks[OCI_HOOK_POSTSTOP][0].args);
	assert_null(h->hooks[OCI_HOOK_POSTSTOP][0].args[0]);
	spec_free(spec);
}

static void test_full_linux(void **state)
{
	struct oci_spec *spec = parse_sample("full.json");
	const struct oci_linux *l = &spec->linux;
	static const int order[] = {CLONE_NEWPID, CLONE_NEWNET,  CLONE_NEWIPC,    CLONE_NEWUTS,
	                            CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME};

	assert_int_equal(l->n_namespaces, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		assert_int_equal(l->namespaces[i].type, order[i]);
		assert_ptr_equal(spec_namespace(spec, order[i]), &l->namespaces[i]);
	}
	assert_string_equal(spec_namespace(spec, CLONE_NEWNET)->path, "/var/run/netns/test");
	assert_null(spec_namespace(spec, CLONE_NEWPID)->path);
	/* "path": "" is a new namespace. */
	assert_null(spec_namespace(spec, CLONE_NEWCGROUP)->path);

	assert_int_equal(l->n_uid_mappings, 2);
	assert_int_equal(l->uid_mappings[0].container_id, 0);
	assert_int_equal(l->uid_mappings[0].host_id, 100000);
	assert_int_equal(l->uid_mappings[0].size, 1000);
	assert_int_equal(l->uid_mappings[1].container_id, 1000);
	assert_int_equal(l->uid_mappings[1].host_id, 1000);
	assert_int_equal(l->n_gid_mappings, 1);
	assert_int_equal(l->gid_mappings[0].size, 65536);

	assert_true(l->has_time_offsets);
	assert_int_equal(l->monotonic_offset.secs, -3600);
	assert_int_equal(l->monotonic_offset.nanosecs, 5);
	assert_int_equal(l->boottime_offset.secs, 86400);
	assert_int_equal(l->boottime_offset.nanosecs, 0);

	assert_int_equal(l->n_devices, 3);
	assert_string_equal(l->devices[0].path, "/dev/fuse");
	assert_int_equal(l->devices[0].type, 'c');
	assert_int_equal(l->devices[0].major, 10);
	assert_int_equal(l->devices[0].minor, 229);
	assert_true(l->devices[0].has_mode);
	assert_int_equal(l->devices[0].mode, 0666);
	assert_true(l->devices[0].has_uid);
	assert_true(l->devices[0].has_gid);
	assert_int_equal(l->devices[1].type, 'b');
	assert_int_equal(l->devices[1].major, 8);
	assert_false(l->devices[1].has_mode);
	assert_false(l->devices[1].has_uid);
	assert_int_equal(l->devices[2].type, 'p');

	assert_string_equal(l->cgroups_path, "/kura/full");
	assert_non_null(l->resources);
	assert_non_null(l->seccomp);
	assert_int_equal(l->n_sysctl, 2);
	assert_string_equal(l->sysctl[0].key, "net.ipv4.ip_forward");
	assert_string_equal(l->sysctl[0].value, "1");
	assert_string_equal(l->sysctl[1].key, "kernel.shmmax");
	assert_string_equal(l->masked_paths[0], "/proc/kcore");
	assert_string_equal(l->masked_paths[1], "/sys/firmware");
	assert_null(l->masked_paths[2]);
	assert_string_equal(l->readonly_paths[0], "/proc/sys");
	assert_null(l->readonly_paths[1]);
	assert_int_equal(l->rootfs_propagation, MS_PRIVATE | MS_REC);
	assert_string_equal(l->mount_label, "system_u:object_r:container_file_t:s0");
	assert_true(l->has_personality);
	assert_int_equal(l->personality, PER_LINUX32);
	spec_free(spec);
}

static void test_minimal(void **state)
{
	struct oci_spec *spec = parse_sample("minimal.json");

	assert_string_equal(spec->oci_version, "1.0.0");
	assert_false(spec->has_process);
	assert_null(spec->process.args);
	assert_false(spec->root_readonly);
	assert_null(spec->hostname);
	assert_int_equal(spec->n_mounts, 0);
	assert_int_equal(spec->linux.n_namespaces, 0);
	assert_null(spec_namespace(spec, CLONE_NEWPID));
	assert_null(spec->linux.masked_paths[0]);
	assert_null(spec->linux.readonly_paths[0]);
	assert_null(spec->linux.resources);
	assert_null(spec->linux.seccomp);
	assert_int_equal(spec->linux.rootfs_propagation, 0);
	assert_false(spec->linux.has_time_offsets);
	for (int k = 0; k < OCI_HOOK_KIND_COUNT; k++)
		assert_int_equal(spec->hooks.n_hooks[k], 0);
	spec_free(spec);

	spec = parse_sample("process-only.json");
	assert_true(spec->has_process);
	assert_null(spec->hostname); /* "" is unset */
	assert_non_null(spec->process.env);
	assert_null(spec->process.env[0]);
	assert_false(spec->process.has_capabilities);
	assert_false(spec->process.has_oom_score_adj);
	assert_false(spec->process.user.has_umask);
	assert_int_equal(spec->process.user.uid, 0);
	spec_free(spec);
}

static void test_runc_samples(void **state)
{
	const uint64_t caps = CAP(CAP_AUDIT_WRITE) | CAP(CAP_KILL) | CAP(CAP_NET_BIND_SERVICE);
	struct oci_spec *spec = parse_sample("runc-spec.json");
	const struct fsroot_mount *m = spec->mounts;

	assert_string_equal(spec->oci_version, "1.0.2-dev");
	assert_string_equal(spec->hostname, "runc");
	assert_int_equal(spec->process.capabilities.bounding, caps);
	assert_int_equal(spec->process.capabilities.effective, caps);
	assert_int_equal(spec->process.capabilities.permitted, caps);
	assert_int_equal(spec->process.capabilities.ambient, caps);
	assert_int_equal(spec->process.capabilities.inheritable, 0);
	assert_int_equal(spec->linux.n_namespaces, 5);
	assert_null(spec_namespace(spec, CLONE_NEWUSER));
	assert_int_equal(spec->n_mounts, 7);
	assert_string_equal(m[2].destination, "/dev/pts");
	assert_int_equal(m[2].flags, MS_NOSUID | MS_NOEXEC);
	assert_string_equal(m[2].data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
	assert_string_equal(m[5].destination, "/sys");
	assert_int_equal(m[5].flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	assert_int_equal(m[6].flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY);
	assert_int_equal(strv_len((char *const *)spec->linux.masked_paths), 10);
	assert_int_equal(strv_len((char *const *)spec->linux.readonly_paths), 5);
	spec_free(spec);

	spec = parse_sample("runc-spec-rootless.json");
	assert_non_null(spec_namespace(spec, CLONE_NEWUSER));
	assert_null(spec_namespace(spec, CLONE_NEWNET));
	assert_int_equal(spec->linux.n_uid_mappings, 1);
	assert_int_equal(spec->linux.n_gid_mappings, 1);
	assert_string_equal(spec->mounts[5].source, "/sys");
	assert_true(spec->mounts[5].bind);
	assert_true(spec->mounts[5].recursive);
	assert_string_equal(spec->mounts[5].type, "none");
	spec_free(spec);
}

static void test_root_path_forms(void **state)
{
	_cleanup_free_ char *abs = xasprintf("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": "
	                                     "\"%s/rootfs\"}}",
	                                     bundle);
	struct oci_spec *spec = parse_text(abs);

	assert_string_equal(spec->root_path, rootfs);
	spec_free(spec);

	/* A symlink is resolved: the runtime mounts the real directory. */
	spec = parse_text("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"link\"}}");
	assert_string_equal(spec->root_path, rootfs);
	spec_free(spec);

	spec = parse_text("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"./rootfs/\"}}");
	assert_string_equal(spec->root_path, rootfs);
	spec_free(spec);
}

/* A relative or missing bundle is taken from the cwd. */
static void test_relative_bundle(void **state)
{
	static const char text[] = "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, "
	                           "\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", "
	                           "\"source\": \"data\"}]}";
	_cleanup_free_ char *data = xasprintf("%s/data", bundle);
	struct oci_spec *spec = NULL;
	struct kerr err = {0};
	char cwd[PATH_MAX];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir("/tmp"), 0);
	if (spec_parse(text, strlen(text), bundle + strlen("/tmp/"), "config.json", &spec, &err) <
	    0)
		fail_msg("%s", err.msg);
	assert_string_equal(spec->root_path, rootfs);
	assert_string_equal(spec->mounts[0].source, data);
	spec_free(spec);

	assert_int_equal(chdir(bundle), 0);
	if (spec_parse(text, strlen(text), NULL, NULL, &spec, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(spec->root_path, rootfs);
	assert_string_equal(spec->mounts[0].source, data);
	spec_free(spec);
	assert_int_equal(chdir(cwd), 0);
}

static void test_parse_process(void **state)
{
	struct oci_spec *spec = parse_sample("full.json");
	struct kerr err = {0};
	static const char good[] = "{\"args\": [\"/bin/ls\", \"-l\"], \"cwd\": \"/tmp\", "
	                           "\"env\": [\"A=1\"], \"user\": {\"uid\": 7, \"gid\": 8}, "
	                           "\"capabilities\": {\"bounding\": [\"CAP_KILL\"]}}";
	static const char bad[] = "{\"args\": [], \"cwd\": \"/\"}";
	static const char rel_cwd[] = "{\"args\": [\"x\"], \"cwd\": \"rel\"}";
	static const char bad_uid[] =
	    "{\"args\": [\"x\"], \"cwd\": \"/\", \"user\": {\"uid\": -1}}";

	/* A bad process leaves the spec as it was. */
	assert_true(spec_parse_process(spec, bad, strlen(bad), "process.json", &err) < 0);
	assert_string_equal(err.msg, "process.json: args: expected a non-empty array of strings");
	assert_string_equal(spec->process.args[0], "/bin/sh");
	assert_int_equal(spec->process.user.uid, 1000);

	assert_true(spec_parse_process(spec, rel_cwd, strlen(rel_cwd), "process.json", &err) < 0);
	assert_string_equal(err.msg, "process.json: cwd: must be an absolute path, got \"rel\"");
	assert_true(spec_parse_process(spec, "[]", 2, "process.json", &err) < 0);
	assert_string_equal(err.msg, "process.json: expected a JSON object at the top level");
	assert_true(spec_parse_process(spec, bad_uid, strlen(bad_uid), "process.json", &err) < 0);
	assert_string_equal(err.msg,
	                    "process.json: user.uid: expected an unsigned integer, got -1");

	assert_int_equal(spec_parse_process(spec, good, strlen(good), "process.json", &err), 0);
	assert_string_equal(spec->process.args[0], "/bin/ls");
	assert_string_equal(spec->process.args[1], "-l");
	assert_string_equal(spec->process.cwd, "/tmp");
	assert_int_equal(spec->process.user.uid, 7);
	assert_int_equal(spec->process.user.n_additional_gids, 0);
	assert_false(spec->process.terminal);
	assert_false(spec->process.has_oom_score_adj);
	assert_int_equal(spec->process.n_rlimits, 0);
	assert_int_equal(spec->process.capabilities.bounding, CAP(CAP_KILL));
	assert_non_null(spec->process_json);

	/* Twice: the first replacement tree is released (valgrind/ASan). */
	assert_int_equal(spec_parse_process(spec, good, strlen(good), "process.json", &err), 0);
	/* The rest of the spec is untouched. */
	assert_string_equal(spec->hostname, "full-host");
	spec_free(spec);
}

static void test_load(void **state)
{
	_cleanup_free_ char *path = xasprintf("%s/config.json", bundle);
	_cleanup_free_ char *text = spec_default_json(false, 0, 0);
	struct oci_spec *spec = NULL;
	struct kerr err = {0};

	assert_int_equal(write_file_atomic(path, text, strlen(text), 0644, &err), 0);
	if (spec_load(bundle, &spec, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(spec->root_path, rootfs);
	assert_string_equal(spec->hostname, "kura");
	spec_free(spec);
	unlink(path);
}

static void test_names(void **state)
{
	int n = 0;

	for (int c = 0; spec_capability_name(c); c++, n++)
		assert_int_equal(spec_capability_from_name(spec_capability_name(c)), c);
	assert_int_equal(n, CAP_LAST_CAP + 1);
	assert_int_equal(spec_capability_from_name("CAP_SYS_ADMIN"), 21);
	assert_string_equal(spec_capability_name(CAP_BPF), "CAP_BPF");
	assert_int_equal(spec_capability_from_name("CAP_FOO"), -1);
	assert_int_equal(spec_capability_from_name("SYS_ADMIN"), -1);
	assert_int_equal(spec_capability_from_name(NULL), -1);
	assert_null(spec_capability_name(-1));
	assert_null(spec_capability_name(64));

	assert_int_equal(spec_rlimit_from_name("RLIMIT_NOFILE"), 7);
	assert_int_equal(spec_rlimit_from_name("RLIMIT_RTTIME"), RLIMIT_RTTIME);
	assert_int_equal(spec_rlimit_from_name("RLIMIT_AS"), RLIMIT_AS);
	assert_int_equal(spec_rlimit_from_name("NOFILE"), -1);
	assert_int_equal(spec_rlimit_from_name(NULL), -1);

	static const char *const ns[] = {"pid", "network", "mount",  "ipc",
	                                 "uts", "user",    "cgroup", "time"};
	static const int flags[] = {CLONE_NEWPID, CLONE_NEWNET,  CLONE_NEWNS,     CLONE_NEWIPC,
	                            CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME};
	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		assert_int_equal(spec_namespace_from_name(ns[i]), flags[i]);
		assert_string_equal(spec_namespace_name(flags[i]), ns[i]);
	}
	assert_int_equal(spec_namespace_from_name("net"), -1);
	assert_null(spec_namespace_name(CLONE_VM));
}

static void test_free_null(void **state)
{
	spec_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_valid_sample),
	    cmocka_unit_test(test_full_process),
	    cmocka_unit_test(test_full_root_and_names),
	    cmocka_unit_test(test_full_mounts),
	    cmocka_unit_test(test_full_hooks),
	    cmocka_unit_test(test_full_linux),
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_runc_samples),
	    cmocka_unit_test(test_root_path_forms),
	    cmocka_unit_test(test_relative_bundle),
	    cmocka_unit_test(test_parse_process),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
