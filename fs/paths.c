/* fsroot_finish(): readonlyPaths, maskedPaths, a read-only /dev when the
 * config asks for one, and root.readonly, in runc's order, after pivot
 * and after the runtime wrote the sysctls (through the still writable
 * /proc/sys).  Paths are opened in the root by fd; missing ones are
 * skipped.
 *
 * A masked file is covered with a clone of /dev/null taken from an fd that
 * was checked to be the character device 1:3 (CVE-2025-31133: a /dev/null
 * swapped for a symlink or another file would otherwise be bind-mounted,
 * e.g. a writable /proc/sys/kernel/core_pattern). */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../common/cleanup.h"

static int open_existing(int rootfd, const char *path, int *ret_fd, struct kerr *err)
{
	struct kerr e;
	int fd = fsroot_open_in_root(rootfd, path, O_PATH, 0, &e);

	if (fd < 0 && e.errnum == ENOENT) {
		*ret_fd = -1;
		return 0;
	}
	if (fd < 0) {
		*err = e;
		return kerr_code(err);
	}
	*ret_fd = fd;
	return 0;
}

static int readonly_path(int rootfd, const char *path, struct kerr *err)
{
	_cleanup_close_ int fd = -1, clone = -1;

	if (open_existing(rootfd, path, &fd, err) < 0)
		return kerr_code(err);
	if (fd < 0)
		return 0;
	if (fsroot_clone_tree(fd, "", true, &clone, err) < 0 ||
	    fsroot_setattr(clone, true, MOUNT_ATTR_RDONLY, 0, err) < 0 ||
	    fsroot_attach(clone, fd, err) < 0)
		return kerr_code(err);
	return 0;
}

static int check_dev_null(int fd, struct kerr *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return kerr_set(err, errno, "stat `/dev/null`");
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
		return kerr_setx(err, EPERM, "`/dev/null` is not the null device (char 1:3)");
	return 0;
}

static int open_dev_null(int rootfd, int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int fd =
	    fsroot_open_in_root(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, 0, err);

	if (fd < 0 || check_dev_null(fd, err) < 0)
		return kerr_code(err);
	*ret_fd = steal_fd(fd);
	return 0;
}

static int mask_path(int rootfd, const char *path, int *dev_null, struct kerr *err)
{
	_cleanup_close_ int fd = -1, cover = -1;
	struct stat st;

	if (open_existing(rootfd, path, &fd, err) < 0)
		return kerr_code(err);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0)
		return kerr_set(err, errno, "stat");
	if (S_ISDIR(st.st_mode)) {
		if (fsroot_fs_new("tmpfs", "tmpfs", NULL, MS_RDONLY, &cover, err) < 0)
			return kerr_code(err);
	} else {
		if (*dev_null < 0 && open_dev_null(rootfd, dev_null, err) < 0)
			return kerr_code(err);
		if (fsroot_clone_tree(*dev_null, "", false, &cover, err) < 0 ||
		    check_dev_null(cover, err) < 0)
			return kerr_code(err);
	}
	return fsroot_attach(cover, fd, err);
}

static bool dev_is_readonly(const struct fsroot_config *cfg)
{
	bool ro = false;

	for (size_t i = 0; i < cfg->n_mounts; i++) {
		_cleanup_free_ char *clean = fsroot_path_clean(cfg->mounts[i].destination);

		if (strcmp(clean, "dev") == 0 && !cfg->mounts[i].bind)
			ro = cfg->mounts[i].flags & MS_RDONLY;
	}
	return ro;
}

int fsroot_finish(const struct fsroot_config *cfg, struct kerr *err)
{
	_cleanup_close_ int rootfd = -1, dev_null = -1;

	rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return kerr_set(err, errno, "open `/`");
	for (const char *const *p = cfg->readonly_paths; p && *p; p++)
		if (readonly_path(rootfd, *p, err) < 0)
			return kerr_wrap(err, "readonlyPaths: `%s`", *p);
	for (const char *const *p = cfg->masked_paths; p && *p; p++)
		if (mask_path(rootfd, *p, &dev_null, err) < 0)
			return kerr_wrap(err, "maskedPaths: `%s`", *p);
	/* /dev was left writable by fsroot_setup() for the nodes and the
	 * console. */
	if (dev_is_readonly(cfg)) {
		_cleanup_close_ int dev =
		    fsroot_open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY, 0, err);

		if (dev < 0 || fsroot_setattr(dev, false, MOUNT_ATTR_RDONLY, 0, err) < 0)
			return kerr_wrap(err, "mounts: read-only `/dev`");
	}
	if (cfg->readonly && fsroot_setattr(rootfd, false, MOUNT_ATTR_RDONLY, 0, err) < 0)
		return kerr_wrap(err, "root.readonly");
	return 0;
}
