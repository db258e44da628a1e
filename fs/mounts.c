/* One OCI mount ("mounts" of config.json): the destination is opened,
 * and created when missing, by fd inside the root (resolve.c); the mount
 * is made detached (a clone of the source tree for bind/rbind, a new
 * filesystem otherwise), given its flags, attached onto the destination fd
 * and only then given its propagation.  Special cases follow runc: a
 * destination in /proc must be a procfs mount or one of the files lxcfs
 * emulates (CVE-2019-16884: a fake /proc would fool the runtime's later
 * writes), sysfs in a user namespace without its own network namespace is
 * the host's /sys bind-mounted, devpts always gets its own instance. */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#define MS_NOT_ATTR                                                                                \
	(MS_BIND | MS_REC | MS_REMOUNT | MS_MOVE | MS_SHARED | MS_SLAVE | MS_PRIVATE |             \
	 MS_UNBINDABLE)

/* The /proc entries a mount may cover (runc's list: what lxcfs serves). */
static const char *const proc_mountable[] = {
    "/proc/cpuinfo", "/proc/diskstats",
    "/proc/meminfo", "/proc/stat",
    "/proc/swaps",   "/proc/uptime",
    "/proc/loadavg", "/proc/slabinfo",
    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

static bool fd_is_fs(int fd, long magic)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == magic;
}

static int check_proc_target(int rootfd, const struct fsroot_target *t, bool proc_source,
                             struct kerr *err)
{
	_cleanup_free_ char *resolved = fsroot_fd_path_in_root(rootfd, t->fd);
	const char *path = resolved ? resolved : t->path;

	if (strcmp(path, "/proc") == 0) {
		if (proc_source)
			return 0;
		return kerr_setx(err, EPERM, "`/proc` cannot be mounted: it is not of type proc");
	}
	if (!str_has_prefix(path, "/proc/") && !fd_is_fs(t->fd, PROC_SUPER_MAGIC))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(proc_mountable); i++)
		if (strcmp(path, proc_mountable[i]) == 0)
			return 0;
	return kerr_setx(err, EPERM, "`%s` cannot be mounted: it is inside /proc", path);
}

static int mount_bind(int rootfd, const struct fsroot_mount *m, struct kerr *err)
{
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	_cleanup_close_ int src = -1;
	uint64_t set, clr;
	struct stat st;

	if (!m->source)
		return kerr_setx(err, EINVAL, "a bind mount needs a source");
	if (fsroot_clone_tree(AT_FDCWD, m->source, m->recursive, &src, err) < 0)
		return kerr_code(err);
	if (fstat(src, &st) < 0)
		return kerr_set(err, errno, "stat `%s`", m->source);
	if (fsroot_target_open(rootfd, m->destination,
	                       S_ISDIR(st.st_mode) ? FSROOT_DIR : FSROOT_FILE, &t, err) < 0)
		return kerr_code(err);
	if (check_proc_target(rootfd, &t, fd_is_fs(src, PROC_SUPER_MAGIC), err) < 0)
		return kerr_code(err);
	/* r* attributes on the whole tree, then the plain ones on its top,
	 * as runc's bind + MS_REMOUNT does; both before it is visible. */
	if (fsroot_setattr(src, true, m->rec_attr_set, m->rec_attr_clr, err) < 0)
		return kerr_code(err);
	fsroot_attr_from_flags(m->flags & ~MS_NOT_ATTR, m->clear, &set, &clr);
	if (fsroot_setattr(src, false, set, clr, err) < 0 || fsroot_attach(src, t.fd, err) < 0 ||
	    fsroot_set_propagation(src, m->propagation, err) < 0)
		return kerr_code(err);
	return 0;
}

static bool has_option(const char *data, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = data; p && *p;) {
		if (strncmp(p, key, len) == 0 && (p[len] == '=' || p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static void append_option(char **data, const char *opt)
{
	char *joined = *data && **data ? xasprintf("%s,%s", *data, opt) : xstrdup(opt);

	free(*data);
	*data = joined;
}

static bool selinux_enabled(void)
{
	struct statfs sfs;

	return statfs("/sys/fs/selinux", &sfs) == 0 && sfs.f_type == SELINUX_MAGIC;
}

/* The data string as the filesystem gets it: devpts defaults, label. */
static char *mount_data(const struct fsroot_config *cfg, const struct fsroot_mount *m)
{
	char *data = m->data ? xstrdup(m->data) : NULL;

	if (strcmp(m->type, "devpts") == 0) {
		if (!has_option(data, "newinstance"))
			append_option(&data, "newinstance");
		if (!has_option(data, "ptmxmode"))
			append_option(&data, "ptmxmode=0666");
	}
	if (cfg->mount_label && !has_option(data, "context") && strcmp(m->type, "proc") != 0 &&
	    strcmp(m->type, "sysfs") != 0 && strcmp(m->type, "mqueue") != 0 && selinux_enabled()) {
		_cleanup_free_ char *ctx = xasprintf("context=\"%s\"", cfg->mount_label);
		append_option(&data, ctx);
	}
	return data;
}

/* In a user namespace that does not own the network namespace the kernel
 * refuses a new sysfs: runc binds the host's /sys instead; so do we, with
 * the flags applied to the whole tree. */
static int mount_host_sys(const struct fsroot_mount *m, int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int src = -1;
	uint64_t set, clr;

	if (fsroot_clone_tree(AT_FDCWD, "/sys", true, &src, err) < 0)
		return kerr_code(err);
	fsroot_attr_from_flags(m->flags & ~MS_NOT_ATTR, 0, &set, &clr);
	if (fsroot_setattr(src, true, set, clr, err) < 0)
		return kerr_code(err);
	*ret_fd = steal_fd(src);
	return 0;
}

static int mount_fs(int rootfd, const struct fsroot_config *cfg, const struct fsroot_mount *m,
                    struct kerr *err)
{
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	_cleanup_free_ char *data = NULL;
	_cleanup_close_ int mfd = -1;
	bool attached = false;
	int r;

	if (fsroot_target_open(rootfd, m->destination, FSROOT_DIR, &t, err) < 0)
		return kerr_code(err);
	if (check_proc_target(rootfd, &t, strcmp(m->type, "proc") == 0, err) < 0)
		return kerr_code(err);
	if (strcmp(m->type, "cgroup") == 0)
		return fsroot_mount_cgroup(m, &t, err);

	data = mount_data(cfg, m);
	r = fsroot_fs_new(m->type, m->source, data, m->flags & ~MS_NOT_ATTR, &mfd, err);
	if (r == -EPERM && cfg->in_user_ns && strcmp(m->type, "sysfs") == 0) {
		if (mount_host_sys(m, &mfd, err) < 0)
			return kerr_code(err);
	} else if (r < 0 && fsroot_fs_new_refused(r)) {
		struct kerr legacy;

		if (fsroot_mount_legacy(&t, m->type, m->source, data, m->flags, &mfd, &legacy) < 0)
			return r; /* the fsconfig error says more */
		attached = true;
	} else if (r < 0) {
		return r;
	}
	if (!attached && fsroot_attach(mfd, t.fd, err) < 0)
		return kerr_code(err);
	return fsroot_set_propagation(mfd, m->propagation, err);
}

int fsroot_mount_one(int rootfd, const struct fsroot_config *cfg, const struct fsroot_mount *m,
                     struct kerr *err)
{
	_cleanup_free_ char *clean = fsroot_path_clean(m->destination);
	const char *what = m->bind ? "bind" : m->type ? m->type : "?";
	int r;

	if (!*clean)
		r = kerr_setx(err, EINVAL, "a mount on / is not supported");
	else if (m->idmap)
		r = kerr_setx(err, EOPNOTSUPP, "idmapped mounts are not supported");
	else if (m->bind)
		r = mount_bind(rootfd, m, err);
	else if (!m->type)
		r = kerr_setx(err, EINVAL, "no filesystem type");
	else
		r = mount_fs(rootfd, cfg, m, err);
	if (r < 0)
		return kerr_wrap(err, "mounts: %s `%s`", what, m->destination);
	return 0;
}
