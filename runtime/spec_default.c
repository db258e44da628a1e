/* The config.json that `kura spec` writes: the one `runc spec` (1.1)
 * writes, with ociVersion 1.2.0, hostname "kura" and a cgroup namespace;
 * and its rootless variant (`runc spec --rootless`). */
#include <json-c/json.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "spec.h"

static json_object *strings(const char *const *v, size_t n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(v[i]));
	return arr;
}

#define STRINGS(...)                                                                               \
	strings((const char *const[]){__VA_ARGS__},                                                \
	        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void add(json_object *obj, const char *key, json_object *v)
{
	json_object_object_add(obj, key, v);
}

static json_object *process_object(void)
{
	json_object *proc = json_object_new_object(), *user = json_object_new_object();
	json_object *caps = json_object_new_object(), *rlimits = json_object_new_array();
	json_object *nofile = json_object_new_object();
	static const char *const sets[] = {"bounding", "effective", "permitted", "ambient"};

	add(proc, "terminal", json_object_new_boolean(1));
	add(user, "uid", json_object_new_int(0));
	add(user, "gid", json_object_new_int(0));
	add(proc, "user", user);
	add(proc, "args", STRINGS("sh"));
	add(proc, "env",
	    STRINGS("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	            "TERM=xterm"));
	add(proc, "cwd", json_object_new_string("/"));
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		add(caps, sets[i], STRINGS("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
	add(proc, "capabilities", caps);
	add(nofile, "type", json_object_new_string("RLIMIT_NOFILE"));
	add(nofile, "hard", json_object_new_int(1024));
	add(nofile, "soft", json_object_new_int(1024));
	json_object_array_add(rlimits, nofile);
	add(proc, "rlimits", rlimits);
	add(proc, "noNewPrivileges", json_object_new_boolean(1));
	return proc;
}

static json_object *mount_object(const char *destination, const char *type, const char *source,
                                 json_object *options)
{
	json_object *m = json_object_new_object();

	add(m, "destination", json_object_new_string(destination));
	add(m, "type", json_object_new_string(type));
	add(m, "source", json_object_new_string(source));
	if (options)
		add(m, "options", options);
	return m;
}

static json_object *mounts_array(bool rootless)
{
	json_object *mounts = json_object_new_array();

	json_object_array_add(mounts, mount_object("/proc", "proc", "proc", NULL));
	json_object_array_add(
	    mounts, mount_object("/dev", "tmpfs", "tmpfs",
	                         STRINGS("nosuid", "strictatime", "mode=755", "size=65536k")));
	/* A rootless container has no group 5 to give the ptys to. */
	json_object_array_add(
	    mounts, mount_object("/dev/pts", "devpts", "devpts",
	                         rootless ? STRINGS("nosuid", "noexec", "newinstance",
	                                            "ptmxmode=0666", "mode=0620")
	                                  : STRINGS("nosuid", "noexec", "newinstance",
	                                            "ptmxmode=0666", "mode=0620", "gid=5")));
	json_object_array_add(
	    mounts, mount_object("/dev/shm", "tmpfs", "shm",
	                         STRINGS("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
	json_object_array_add(mounts, mount_object("/dev/mqueue", "mqueue", "mqueue",
	                                           STRINGS("nosuid", "noexec", "nodev")));
	/* Without a network namespace of its own a rootless container may
	 * not mount sysfs: it gets the host's, bound read-only. */
	if (rootless)
		json_object_array_add(
		    mounts, mount_object("/sys", "none", "/sys",
		                         STRINGS("rbind", "nosuid", "noexec", "nodev", "ro")));
	else
		json_object_array_add(mounts,
		                      mount_object("/sys", "sysfs", "sysfs",
		                                   STRINGS("nosuid", "noexec", "nodev", "ro")));
	json_object_array_add(mounts,
	                      mount_object("/sys/fs/cgroup", "cgroup", "cgroup",
	                                   STRINGS("nosuid", "noexec", "nodev", "relatime", "ro")));
	return mounts;
}

static json_object *id_mappings(unsigned int host_id)
{
	json_object *arr = json_object_new_array(), *m = json_object_new_object();

	add(m, "containerID", json_object_new_int(0));
	add(m, "hostID", json_object_new_int64(host_id));
	add(m, "size", json_object_new_int(1));
	json_object_array_add(arr, m);
	return arr;
}

static json_object *linux_object(bool rootless, uid_t uid, gid_t gid)
{
	json_object *lin = json_object_new_object(), *nss = json_object_new_array();
	static const char *const namespaces[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};

	if (rootless) {
		add(lin, "uidMappings", id_mappings(uid));
		add(lin, "gidMappings", id_mappings(gid));
	} else {
		json_object *res = json_object_new_object(), *devs = json_object_new_array();
		json_object *deny = json_object_new_object();

		add(deny, "allow", json_object_new_boolean(0));
		add(deny, "access", json_object_new_string("rwm"));
		json_object_array_add(devs, deny);
		add(res, "devices", devs);
		add(lin, "resources", res);
	}
	for (size_t i = 0; i < ARRAY_SIZE(namespaces); i++) {
		json_object *ns;

		if (rootless && strcmp(namespaces[i], "network") == 0)
			continue;
		ns = json_object_new_object();
		add(ns, "type", json_object_new_string(namespaces[i]));
		json_object_array_add(nss, ns);
	}
	if (rootless) {
		json_object *ns = json_object_new_object();

		add(ns, "type", json_object_new_string("user"));
		json_object_array_add(nss, ns);
	}
	add(lin, "namespaces", nss);
	add(lin, "maskedPaths",
	    STRINGS("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
	            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	            "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
	add(lin, "readonlyPaths",
	    STRINGS("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
	return lin;
}

char *spec_default_json(bool rootless, uid_t uid, gid_t gid)
{
	json_object *cfg = json_object_new_object(), *root = json_object_new_object();
	char *text;

	add(cfg, "ociVersion", json_object_new_string("1.2.0"));
	add(cfg, "process", process_object());
	add(root, "path", json_object_new_string("rootfs"));
	add(root, "readonly", json_object_new_boolean(1));
	add(cfg, "root", root);
	add(cfg, "hostname", json_object_new_string("kura"));
	add(cfg, "mounts", mounts_array(rootless));
	add(cfg, "linux", linux_object(rootless, uid, gid));
	text = xstrdup(json_object_to_json_string_ext(
	    cfg, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB | JSON_C_TO_STRING_SPACED |
	             JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(cfg);
	return text;
}
