/* Mounts of type "cgroup".
 *
 * On a pure cgroup v2 host the mount is cgroup2.  On a v1 or hybrid host
 * it is what runc builds for cgroup v1: a tmpfs holding one mount per
 * hierarchy the host has mounted in /sys/fs/cgroup (named like the host's:
 * "memory", "cpu,cpuacct" with "cpu" and "cpuacct" symlinks, "systemd",
 * and "unified" for the v2 hierarchy of a hybrid host).
 *
 * Each hierarchy mount shows the container's own cgroup, with or without
 * a cgroup namespace: a new mount of the hierarchy is rooted at the
 * cgroup namespace root, and /proc/self/cgroup gives our cgroup relative
 * to that same root; so the new mount is attached for a moment, our
 * cgroup is cloned out of it with open_tree(), the new mount is detached
 * and the clone takes its place.  Where the kernel refuses a new mount (a
 * user namespace that owns no cgroup namespace) the host's directory of
 * our cgroup is bind-mounted instead, as runc does. */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

#define HOST_CGROUP_ROOT "/sys/fs/cgroup"
#define V1_FLAGS         (MS_NOSUID | MS_NODEV | MS_NOEXEC)

struct hierarchy {
	const char *controllers; /* "memory", "cpu,cpuacct", "name=systemd"; "" for v2 */
	const char *path;        /* our cgroup, relative to the cgroup namespace root */
	char *dir; /* "memory", "cpu,cpuacct", "systemd", "unified", or "" (pure v2) */
};

static bool path_is_fs(const char *path, long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == magic;
}

/* Clone our cgroup out of the new hierarchy mount mfd onto target_fd. */
static int attach_own_cgroup(int mfd, const char *path, int target_fd, int *ret_fd,
                             struct kerr *err)
{
	struct open_how how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_close_ int sub = -1, clone = -1;
	struct kerr ignored;
	int r = 0;

	while (*path == '/')
		path++;
	if (!*path) {
		if (fsroot_attach(mfd, target_fd, err) < 0)
			return kerr_code(err);
		*ret_fd = fcntl(mfd, F_DUPFD_CLOEXEC, 3);
		return *ret_fd < 0 ? kerr_set(err, errno, "dup") : 0;
	}
	/* open_tree() clones only from an attached mount (before Linux 6.15). */
	if (fsroot_attach(mfd, target_fd, err) < 0)
		return kerr_code(err);
	sub = sys_openat2(mfd, path, &how);
	if (sub < 0)
		r = kerr_set(err, errno, "open our cgroup `%s`", path);
	else
		r = fsroot_clone_tree(sub, "", false, &clone, err);
	if (fsroot_umount_fd(mfd, r < 0 ? &ignored : err) < 0 && r == 0)
		r = kerr_code(err);
	if (r < 0)
		return r;
	if (fsroot_attach(clone, target_fd, err) < 0)
		return kerr_code(err);
	*ret_fd = steal_fd(clone);
	return 0;
}

/* The host's directory of our cgroup, bind-mounted (no cgroup namespace
 * of our own in a user namespace). */
static int bind_host_cgroup(const struct hierarchy *h, unsigned long ms_flags, int target_fd,
                            int *ret_fd, struct kerr *err)
{
	_cleanup_free_ char *src_path = xasprintf(HOST_CGROUP_ROOT "%s%s%s", *h->dir ? "/" : "",
	                                          h->dir, strcmp(h->path, "/") ? h->path : "");
	_cleanup_close_ int src = -1;
	uint64_t set, clr;

	if (fsroot_clone_tree(AT_FDCWD, src_path, false, &src, err) < 0)
		return kerr_code(err);
	fsroot_attr_from_flags(ms_flags, 0, &set, &clr);
	if (fsroot_setattr(src, false, set, clr, err) < 0 || fsroot_attach(src, target_fd, err) < 0)
		return kerr_code(err);
	*ret_fd = steal_fd(src);
	return 0;
}

static int mount_hierarchy(const struct hierarchy *h, unsigned long ms_flags, int target_fd,
                           int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int mfd = -1;
	bool v2 = !*h->controllers;
	int r;

	r = fsroot_fs_new(v2 ? "cgroup2" : "cgroup", "cgroup", v2 ? NULL : h->controllers, ms_flags,
	                  &mfd, err);
	if (r == -EPERM || r == -EBUSY)
		r = bind_host_cgroup(h, ms_flags, target_fd, ret_fd, err);
	else if (r == 0)
		r = attach_own_cgroup(mfd, h->path, target_fd, ret_fd, err);
	if (r < 0)
		return kerr_wrap(err, "cgroup hierarchy \"%s\"", v2 ? "cgroup2" : h->controllers);
	return 0;
}

/* Parse one line of /proc/self/cgroup ("4:memory:/a/b", "0::/a"). */
static bool parse_hierarchy(char *line, struct hierarchy *h)
{
	char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	_cleanup_free_ char *dir = NULL;

	if (!c2)
		return false;
	*c2 = '\0';
	h->controllers = c1 + 1;
	h->path = c2 + 1;
	if (!*h->controllers) {
		h->dir = xstrdup("unified");
		return path_is_fs(HOST_CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC);
	}
	/* "name=systemd" lives in "systemd", as systemd and runc name it. */
	dir = xstrdup(h->controllers);
	for (char *p; (p = strstr(dir, "name="));)
		memmove(p, p + 5, strlen(p + 5) + 1);
	h->dir = steal_ptr(dir);
	{
		_cleanup_free_ char *host = xasprintf(HOST_CGROUP_ROOT "/%s", h->dir);
		return path_is_fs(host, CGROUP_SUPER_MAGIC);
	}
}

static int mount_v1_hierarchy(int tmpfs_fd, struct hierarchy *h, unsigned long ms_flags,
                              struct kerr *err)
{
	_cleanup_close_ int dir = -1, mfd = -1;

	if (mkdirat(tmpfs_fd, h->dir, 0755) < 0 && errno != EEXIST)
		return kerr_set(err, errno, "mkdir `%s`", h->dir);
	dir = openat(tmpfs_fd, h->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return kerr_set(err, errno, "open `%s`", h->dir);
	if (mount_hierarchy(h, ms_flags, dir, &mfd, err) < 0)
		return kerr_code(err);
	/* "cpu,cpuacct" is also reachable as "cpu" and "cpuacct". */
	if (strchr(h->dir, ',')) {
		_cleanup_free_ char *names = xstrdup(h->dir);
		char *save = NULL;

		for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save))
			if (symlinkat(h->dir, tmpfs_fd, n) < 0 && errno != EEXIST)
				return kerr_set(err, errno, "symlink `%s`", n);
	}
	return 0;
}

static int mount_v1_tree(const struct fsroot_mount *m, unsigned long ms_flags,
                         const struct fsroot_target *t, struct kerr *err)
{
	_cleanup_free_ char *cgroups = NULL;
	_cleanup_close_ int tmpfs = -1;
	unsigned long hier_flags = V1_FLAGS | (ms_flags & MS_RDONLY);
	char *save = NULL;

	if (read_file_at(AT_FDCWD, "/proc/self/cgroup", &cgroups, NULL, err) < 0)
		return kerr_code(err);
	/* Read-only only once the hierarchy directories are made. */
	if (fsroot_fs_new("tmpfs", "tmpfs", "mode=755", V1_FLAGS | (ms_flags & ~MS_RDONLY), &tmpfs,
	                  err) < 0 ||
	    fsroot_attach(tmpfs, t->fd, err) < 0)
		return kerr_code(err);
	for (char *line = strtok_r(cgroups, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct hierarchy h = {0};
		int r = 0;

		if (parse_hierarchy(line, &h))
			r = mount_v1_hierarchy(tmpfs, &h, hier_flags, err);
		free(h.dir);
		if (r < 0)
			return r;
	}
	if ((ms_flags & MS_RDONLY) && fsroot_setattr(tmpfs, false, MOUNT_ATTR_RDONLY, 0, err) < 0)
		return kerr_code(err);
	return fsroot_set_propagation(tmpfs, m->propagation, err);
}

static int mount_v2(const struct fsroot_mount *m, unsigned long ms_flags,
                    const struct fsroot_target *t, struct kerr *err)
{
	_cleanup_free_ char *cgroups = NULL;
	_cleanup_close_ int mfd = -1;
	struct hierarchy h = {.controllers = "", .dir = (char *)""};
	char *line;

	if (read_file_at(AT_FDCWD, "/proc/self/cgroup", &cgroups, NULL, err) < 0)
		return kerr_code(err);
	line = strstr(cgroups, "0::");
	if (!line || (line != cgroups && line[-1] != '\n'))
		return kerr_setx(err, ENOENT, "no cgroup v2 entry in /proc/self/cgroup");
	h.path = line + 3;
	line[strcspn(line, "\n")] = '\0';
	if (mount_hierarchy(&h, ms_flags, t->fd, &mfd, err) < 0)
		return kerr_code(err);
	return fsroot_set_propagation(mfd, m->propagation, err);
}

int fsroot_mount_cgroup(const struct fsroot_mount *m, const struct fsroot_target *t,
                        struct kerr *err)
{
	unsigned long ms_flags = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT | MS_SHARED | MS_SLAVE |
	                                      MS_PRIVATE | MS_UNBINDABLE);

	if (path_is_fs(HOST_CGROUP_ROOT, CGROUP2_SUPER_MAGIC))
		return mount_v2(m, ms_flags, t, err);
	return mount_v1_tree(m, ms_flags, t, err);
}
