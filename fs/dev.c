/* The container's /dev: the default tmpfs when the config mounts nothing
 * there, the device nodes (runc's defaults plus linux.devices), the
 * /proc/self/fd symlinks and /dev/ptmx -> pts/ptmx.
 *
 * Nodes are made with mknodat() on a directory fd.  In a user namespace
 * the kernel refuses mknod of character and block devices, so the host's
 * node of the same path is bind-mounted onto an empty file instead, as
 * runc does; the host node is checked to be the device the config names. */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

/* runc's default devices; linux.devices entries of the same path win. */
static const struct fsroot_device default_devices[] = {
    {.path = "/dev/null", .type = 'c', .major = 1, .minor = 3},
    {.path = "/dev/zero", .type = 'c', .major = 1, .minor = 5},
    {.path = "/dev/full", .type = 'c', .major = 1, .minor = 7},
    {.path = "/dev/random", .type = 'c', .major = 1, .minor = 8},
    {.path = "/dev/urandom", .type = 'c', .major = 1, .minor = 9},
    {.path = "/dev/tty", .type = 'c', .major = 5, .minor = 0},
};

static const struct {
	const char *name, *target;
} dev_symlinks[] = {
    {"fd", "/proc/self/fd"},
    {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},
};

static bool same_path(const char *a, const char *b)
{
	_cleanup_free_ char *ca = fsroot_path_clean(a);
	_cleanup_free_ char *cb = fsroot_path_clean(b);

	return strcmp(ca, cb) == 0;
}

bool fsroot_config_mounts_dev(const struct fsroot_config *cfg, bool *ret_bind)
{
	bool found = false;

	for (size_t i = 0; i < cfg->n_mounts; i++) {
		if (same_path(cfg->mounts[i].destination, "/dev")) {
			found = true;
			if (ret_bind)
				*ret_bind = cfg->mounts[i].bind;
		}
	}
	return found;
}

int fsroot_dev_mount_default(int rootfd, const struct fsroot_config *cfg, struct kerr *err)
{
	char data[] = "mode=755,size=65536k";
	struct fsroot_mount m = {
	    .destination = "/dev",
	    .source = "tmpfs",
	    .type = "tmpfs",
	    .data = data,
	    .flags = MS_NOSUID | MS_STRICTATIME,
	};

	return fsroot_mount_one(rootfd, cfg, &m, err);
}

static int device_type(const struct fsroot_device *dev, mode_t *ret)
{
	switch (dev->type) {
	case 'c':
	case 'u':
		*ret = S_IFCHR;
		return 0;
	case 'b':
		*ret = S_IFBLK;
		return 0;
	case 'p':
		*ret = S_IFIFO;
		return 0;
	default:
		return -EINVAL;
	}
}

/* An empty regular file parent_fd/name to mount on, held by O_PATH fd. */
static int open_mountpoint_file(int parent_fd, const char *name, int *ret_fd, struct kerr *err)
{
	struct stat st;
	int fd;

	fd = openat(parent_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0 && errno != EEXIST)
		return kerr_set(err, errno, "create");
	if (fd >= 0)
		close(fd);
	fd = openat(parent_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return kerr_set(err, errno, "open");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kerr_setx(err, EEXIST, "exists and is not a regular file");
	}
	*ret_fd = fd;
	return 0;
}

static int bind_host_device(int parent_fd, const char *name, const struct fsroot_device *dev,
                            mode_t type, struct kerr *err)
{
	_cleanup_close_ int src = -1, target = -1;
	struct stat st;

	if (fsroot_clone_tree(AT_FDCWD, dev->path, false, &src, err) < 0)
		return kerr_wrap(err, "bind the host's node");
	if (fstat(src, &st) < 0)
		return kerr_set(err, errno, "stat the host's node");
	if ((st.st_mode & S_IFMT) != type || major(st.st_rdev) != (unsigned)dev->major ||
	    minor(st.st_rdev) != (unsigned)dev->minor)
		return kerr_setx(err, ENODEV, "the host's `%s` is not device %c %lld:%lld",
		                 dev->path, dev->type, (long long)dev->major,
		                 (long long)dev->minor);
	if (open_mountpoint_file(parent_fd, name, &target, err) < 0 ||
	    fsroot_attach(src, target, err) < 0)
		return kerr_code(err);
	return 0;
}

static int create_device(int rootfd, const struct fsroot_device *dev, bool in_user_ns,
                         struct kerr *err)
{
	_cleanup_free_ char *clean = fsroot_path_clean(dev->path);
	_cleanup_free_ char *parent = NULL;
	_cleanup_close_ int pfd = -1;
	const char *slash = strrchr(clean, '/');
	const char *name = slash ? slash + 1 : clean;
	mode_t type, mode = dev->has_mode ? (dev->mode & 07777) : 0666;

	if (device_type(dev, &type) < 0)
		return kerr_setx(err, EINVAL, "unknown device type '%c'", dev->type);
	if (!*clean)
		return kerr_setx(err, EINVAL, "not a device path");
	parent = slash ? xasprintf("%.*s", (int)(slash - clean), clean) : xstrdup("");
	if (fsroot_mkdir_in_root(rootfd, parent, &pfd, err) < 0)
		return kerr_code(err);
	/* Fifos may be made in a user namespace, devices may not. */
	if (!in_user_ns || type == S_IFIFO) {
		dev_t rdev = type == S_IFIFO ? 0 : makedev(dev->major, dev->minor);

		if (mknodat(pfd, name, type | mode, rdev) == 0) {
			if (fchownat(pfd, name, dev->has_uid ? dev->uid : 0,
			             dev->has_gid ? dev->gid : 0, AT_SYMLINK_NOFOLLOW) < 0)
				return kerr_set(err, errno, "chown");
			return 0;
		}
		if (errno == EEXIST)
			return 0;
		if (errno != EPERM)
			return kerr_set(err, errno, "mknod");
	}
	return bind_host_device(pfd, name, dev, type, err);
}

static bool listed(const struct fsroot_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->n_devices; i++)
		if (same_path(cfg->devices[i].path, path))
			return true;
	return false;
}

static int dev_links(int devfd, struct kerr *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(dev_symlinks); i++)
		if (symlinkat(dev_symlinks[i].target, devfd, dev_symlinks[i].name) < 0 &&
		    errno != EEXIST)
			return kerr_set(err, errno, "symlink `/dev/%s`", dev_symlinks[i].name);
	/* The kernel may be built without /proc/kcore (CONFIG_PROC_KCORE). */
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", devfd, "core") < 0 &&
	    errno != EEXIST)
		return kerr_set(err, errno, "symlink `/dev/core`");
	/* The devpts instance of the container owns its ptmx. */
	if (unlinkat(devfd, "ptmx", 0) < 0 && errno != ENOENT)
		return kerr_set(err, errno, "remove `/dev/ptmx`");
	if (symlinkat("pts/ptmx", devfd, "ptmx") < 0)
		return kerr_set(err, errno, "symlink `/dev/ptmx`");
	if (mkdirat(devfd, "pts", 0755) < 0 && errno != EEXIST)
		return kerr_set(err, errno, "mkdir `/dev/pts`");
	if (mkdirat(devfd, "shm", 01777) < 0 && errno != EEXIST)
		return kerr_set(err, errno, "mkdir `/dev/shm`");
	return 0;
}

int fsroot_dev_populate(int rootfd, const struct fsroot_config *cfg, struct kerr *err)
{
	_cleanup_close_ int devfd = -1;

	for (size_t i = 0; i < ARRAY_SIZE(default_devices); i++) {
		if (listed(cfg, default_devices[i].path))
			continue;
		if (create_device(rootfd, &default_devices[i], cfg->in_user_ns, err) < 0)
			return kerr_wrap(err, "device `%s`", default_devices[i].path);
	}
	for (size_t i = 0; i < cfg->n_devices; i++)
		if (create_device(rootfd, &cfg->devices[i], cfg->in_user_ns, err) < 0)
			return kerr_wrap(err, "linux.devices: `%s`", cfg->devices[i].path);
	if (fsroot_mkdir_in_root(rootfd, "/dev", &devfd, err) < 0)
		return kerr_code(err);
	return dev_links(devfd, err);
}
