/* Loop root: an ext4, squashfs or erofs image attached to a free loop
 * device and mounted at root.path.
 *
 * The device is configured in one LOOP_CONFIGURE with LO_FLAGS_AUTOCLEAR,
 * so it detaches by itself when its last opener goes: the init's fd,
 * then the mount, which lives only in the container's mount namespace.
 * Nothing is left to undo when the container ends or kura is killed.
 *
 * An image is never attached twice read-write: every bound loop device is
 * asked for its backing inode (LOOP_GET_STATUS64) while a flock on the
 * image serialises kura's own attaches of it. */
#include "rootkind.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "fs-internal.h"

#define EXT_MAGIC_OFF      1080
#define EXT_MAGIC          0xEF53
#define EROFS_MAGIC_OFF    1024
#define EROFS_MAGIC        0xE0F5E1E2u
#define SQUASHFS_MAGIC_STR "hsqs"

bool fsroot_fstype_readonly(const char *fstype)
{
	return strcmp(fstype, "squashfs") == 0 || strcmp(fstype, "erofs") == 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int fsroot_image_detect(const char *image, const char **ret_fstype, struct kerr *err)
{
	_cleanup_close_ int fd = open(image, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	unsigned char sb[2048] = {0};
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return kerr_set(err, errno, "`%s`", image);
	if (fstat(fd, &st) < 0)
		return kerr_set(err, errno, "stat `%s`", image);
	if (!S_ISREG(st.st_mode))
		return kerr_setx(err, EINVAL, "`%s` is not a regular file", image);
	n = pread(fd, sb, sizeof(sb), 0);
	if (n < 0)
		return kerr_set(err, errno, "read `%s`", image);
	if (n >= 4 && memcmp(sb, SQUASHFS_MAGIC_STR, 4) == 0)
		*ret_fstype = "squashfs";
	else if (n >= EROFS_MAGIC_OFF + 4 && le32(sb + EROFS_MAGIC_OFF) == EROFS_MAGIC)
		*ret_fstype = "erofs";
	else if (n >= EXT_MAGIC_OFF + 2 &&
	         (sb[EXT_MAGIC_OFF] | sb[EXT_MAGIC_OFF + 1] << 8) == EXT_MAGIC)
		*ret_fstype = "ext4";
	else
		return kerr_setx(err, EINVAL, "`%s` is not an ext4, squashfs or erofs image",
		                 image);
	return 0;
}

/* Refuse when a bound loop device has the image's inode as its backing
 * file and either side would write. */
static int check_not_attached(const struct stat *img, const char *image, bool readonly,
                              struct kerr *err)
{
	_cleanup_closedir_ DIR *d = opendir("/sys/block");
	struct dirent *de;

	if (!d)
		return kerr_set(err, errno, "open `/sys/block`");
	while ((de = readdir(d))) {
		struct loop_info64 info;
		char dev[300];
		int fd, r;

		if (strncmp(de->d_name, "loop", 4) != 0)
			continue;
		snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
		fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		r = ioctl(fd, LOOP_GET_STATUS64, &info);
		close(fd);
		if (r < 0 || info.lo_inode != img->st_ino ||
		    info.lo_device != (uint64_t)img->st_dev)
			continue;
		if (!(info.lo_flags & LO_FLAGS_READ_ONLY))
			return kerr_setx(err, EBUSY, "`%s` is attached read-write on %s", image,
			                 dev);
		if (!readonly)
			return kerr_setx(err, EBUSY,
			                 "`%s` is attached on %s: it cannot be attached read-write",
			                 image, dev);
	}
	return 0;
}

int fsroot_loop_check(const char *image, bool readonly, struct kerr *err)
{
	struct stat st;

	if (stat(image, &st) < 0)
		return kerr_set(err, errno, "`%s`", image);
	if (!readonly && access(image, W_OK) < 0)
		return kerr_set(err, errno, "`%s` is not writable (set readonly)", image);
	return check_not_attached(&st, image, readonly, err);
}

static int configure(int ctl, int img, const char *image, bool readonly, int *ret_fd,
                     int *ret_index, struct kerr *err)
{
	for (int attempt = 0; attempt < 32; attempt++) {
		struct loop_config cfg = {.fd = (uint32_t)img};
		_cleanup_close_ int dev = -1;
		char path[64];
		int r, index = ioctl(ctl, LOOP_CTL_GET_FREE);

		if (index < 0)
			return kerr_set(err, errno, "LOOP_CTL_GET_FREE");
		snprintf(path, sizeof(path), "/dev/loop%d", index);
		dev = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (dev < 0) {
			if (errno == ENOENT) /* udev has not made the node yet */
				continue;
			return kerr_set(err, errno, "open `%s`", path);
		}
		cfg.info.lo_flags =
		    LO_FLAGS_AUTOCLEAR | LO_FLAGS_DIRECT_IO | (readonly ? LO_FLAGS_READ_ONLY : 0);
		snprintf((char *)cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name), "%s", image);
		r = ioctl(dev, LOOP_CONFIGURE, &cfg);
		if (r < 0 && errno == EINVAL) {
			/* No direct I/O on this backing file (alignment, fs). */
			cfg.info.lo_flags &= ~(uint32_t)LO_FLAGS_DIRECT_IO;
			r = ioctl(dev, LOOP_CONFIGURE, &cfg);
		}
		if (r < 0 && errno == EBUSY) /* taken between GET_FREE and CONFIGURE */
			continue;
		if (r < 0)
			return kerr_set(err, errno, "LOOP_CONFIGURE `%s`", path);
		*ret_fd = steal_fd(dev);
		*ret_index = index;
		return 0;
	}
	return kerr_setx(err, EBUSY, "no free loop device after 32 attempts");
}

int fsroot_loop_attach(const char *image, bool readonly, int *ret_fd, int *ret_index,
                       struct kerr *err)
{
	_cleanup_close_ int img = -1, lock = -1, ctl = -1;
	struct stat st, lst;

	img = open(image, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY);
	if (img < 0)
		return kerr_set(err, errno, "open `%s`", image);
	if (fstat(img, &st) < 0)
		return kerr_set(err, errno, "stat `%s`", image);
	if (!S_ISREG(st.st_mode))
		return kerr_setx(err, EINVAL, "`%s` is not a regular file", image);
	/* Held until the device is bound, where the next check sees it.  On
	 * an open file of its own: the loop device keeps img's open file,
	 * and a flock on it would stay with the device. */
	lock = open(image, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (lock < 0 || fstat(lock, &lst) < 0)
		return kerr_set(err, errno, "open `%s`", image);
	if (lst.st_dev != st.st_dev || lst.st_ino != st.st_ino)
		return kerr_setx(err, EAGAIN, "`%s` was replaced while it was opened", image);
	if (flock(lock, LOCK_EX) < 0)
		return kerr_set(err, errno, "lock `%s`", image);
	if (check_not_attached(&st, image, readonly, err) < 0)
		return kerr_code(err);
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return kerr_set(err, errno, "open `/dev/loop-control`");
	return configure(ctl, img, image, readonly, ret_fd, ret_index, err);
}

static int loop_mount_detached(const struct fsroot_root *root, int *ret_mntfd, struct kerr *err);

int fsroot_root_premount(struct fsroot_root *root, struct kerr *err)
{
	int fd;

	if (root->type != FSROOT_ROOT_LOOP || root->premounted)
		return 0;
	if (loop_mount_detached(root, &fd, err) < 0)
		return kerr_wrap(err, "loop root `%s`", root->image);
	root->premounted = true;
	root->mntfd = fd;
	return 0;
}

int fsroot_loop_mount(const struct fsroot_root *root, int targetfd, struct kerr *err)
{
	_cleanup_close_ int mntfd = -1;

	if (root->premounted)
		return fsroot_attach(root->mntfd, targetfd, err);
	if (loop_mount_detached(root, &mntfd, err) < 0)
		return kerr_code(err);
	return fsroot_attach(mntfd, targetfd, err);
}

/* The image on a fresh autoclear loop device, mounted detached: the
 * mount holds the only reference to the device once dev is closed. */
static int loop_mount_detached(const struct fsroot_root *root, int *ret_mntfd, struct kerr *err)
{
	_cleanup_close_ int dev = -1, fsfd = -1, mntfd = -1;
	const char *fstype = root->fstype;
	bool readonly = root->readonly;
	struct stat dst, mst;
	char source[64];
	int index;

	if (!fstype && fsroot_image_detect(root->image, &fstype, err) < 0)
		return kerr_code(err);
	if (fsroot_fstype_readonly(fstype))
		readonly = true;
	if (fsroot_loop_attach(root->image, readonly, &dev, &index, err) < 0)
		return kerr_code(err);
	snprintf(source, sizeof(source), "/dev/loop%d", index);
	fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return kerr_set(err, errno, "fsopen %s", fstype);
	if (fsroot_fsconfig_string(fsfd, "source", source, err) < 0)
		return kerr_code(err);
	if (readonly && fsroot_fsconfig_flag(fsfd, "ro", err) < 0)
		return kerr_code(err);
	if (fsroot_fsconfig_mount(fsfd, fstype, readonly ? MOUNT_ATTR_RDONLY : 0, &mntfd, err) < 0)
		return kerr_code(err);
	/* The device node is a path: check that the filesystem is on the
	 * device this fd configured. */
	if (fstat(dev, &dst) < 0 || fstat(mntfd, &mst) < 0)
		return kerr_set(err, errno, "stat `%s`", source);
	if (mst.st_dev != dst.st_rdev)
		return kerr_setx(err, EXDEV, "`%s` is not the device that was configured", source);
	*ret_mntfd = steal_fd(mntfd);
	return 0;
}
