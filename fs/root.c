/* The root mount itself: before the OCI mounts, the propagation of the
 * whole tree and the root bind-mounted onto itself; after them, the switch
 * into it with pivot_root (or MS_MOVE + chroot) and the configured root
 * propagation, in runc's order:
 *
 *   /  -> rslave (or rootfsPropagation), so nothing below reaches the host
 *   the mount holding root.path -> private, when rootfsPropagation made it
 *      shared or unbindable (pivot_root refuses a shared parent)
 *   root.path -> bind-mounted onto itself, recursively: a mount of its own
 *   ... OCI mounts, /dev ...
 *   pivot_root(".", "."), the old root made rslave and detached
 *   /  -> rootfsPropagation again, now on the container's root. */
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

/* The root of the mount that holds fd: walk ".." up to a mount root. */
static int open_mount_root(int fd, int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int cur = fcntl(fd, F_DUPFD_CLOEXEC, 3);

	if (cur < 0)
		return kerr_set(err, errno, "dup");
	for (int depth = 0; depth < 4096; depth++) {
		struct statx stx;
		int parent;

		if (statx(cur, "", AT_EMPTY_PATH, 0, &stx) < 0)
			return kerr_set(err, errno, "statx");
		if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
			return kerr_setx(err, EOPNOTSUPP, "statx does not report mount roots");
		if (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) {
			*ret_fd = steal_fd(cur);
			return 0;
		}
		parent = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (parent < 0)
			return kerr_set(err, errno, "open `..`");
		close(cur);
		cur = parent;
	}
	return kerr_set(err, ELOOP, "find the mount of the root");
}

static bool same_inode(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int fsroot_prepare_root(const struct fsroot_config *cfg, int *ret_rootfd, struct kerr *err)
{
	unsigned long prop = cfg->propagation ? cfg->propagation : MS_SLAVE | MS_REC;
	_cleanup_close_ int slash = -1, rootfs = -1, clone = -1;

	slash = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (slash < 0)
		return kerr_set(err, errno, "open `/`");
	if (fsroot_set_propagation(slash, prop, err) < 0)
		return kerr_wrap(err, "rootfsPropagation on `/`");
	rootfs = open(cfg->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfs < 0)
		return kerr_set(err, errno, "root.path: open `%s`", cfg->rootfs);
	if (same_inode(rootfs, slash))
		return kerr_setx(err, EINVAL, "root.path: `%s` is the host's root", cfg->rootfs);
	if (prop & (MS_SHARED | MS_UNBINDABLE)) {
		_cleanup_close_ int parent = -1;

		if (open_mount_root(rootfs, &parent, err) < 0 ||
		    fsroot_set_propagation(parent, MS_PRIVATE, err) < 0)
			return kerr_wrap(err, "root.path: make the mount of `%s` private",
			                 cfg->rootfs);
	}
	if (fsroot_clone_tree(rootfs, "", true, &clone, err) < 0 ||
	    fsroot_attach(clone, rootfs, err) < 0)
		return kerr_wrap(err, "root.path: bind `%s` onto itself", cfg->rootfs);
	*ret_rootfd = steal_fd(clone);
	return 0;
}

/* mountinfo escapes blanks and backslashes as \ooo. */
static void unescape_octal(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* The mount points of the host's full procfs and sysfs mounts outside the
 * root, from /proc/self/mountinfo, NULL-terminated. */
static char **host_proc_sys_mounts(const char *root, struct kerr *err)
{
	_cleanup_free_ char *info = NULL;
	char **list = xcalloc(1, sizeof(char *));
	size_t n = 0, root_len = strlen(root);
	char *save = NULL;

	if (read_file_at(AT_FDCWD, "/proc/self/mountinfo", &info, NULL, err) < 0) {
		free(list);
		return NULL;
	}
	for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char mnt_root[4096], point[4096], fstype[64];
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", mnt_root, point) != 2 ||
		    sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		if (strcmp(mnt_root, "/") != 0 ||
		    (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0))
			continue;
		unescape_octal(point);
		if (strncmp(point, root, root_len) == 0 &&
		    (point[root_len] == '/' || point[root_len] == '\0'))
			continue;
		list = xrealloc(list, (n + 2) * sizeof(char *));
		list[n++] = xstrdup(point);
		list[n] = NULL;
	}
	return list;
}

/* runc's msMoveRoot: after a chroot the host's procfs and sysfs mounts stay
 * in this mount namespace, and a fully visible procfs there would let the
 * container mount a new, unmasked one.  Detach them, or cover them where
 * the kernel refuses (locked mounts in a user namespace). */
static int hide_host_proc_sys(int rootfd, struct kerr *err)
{
	_cleanup_strv_ char **mounts = NULL;
	char link[64], root[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", rootfd);
	n = readlink(link, root, sizeof(root) - 1);
	if (n < 0)
		return kerr_set(err, errno, "readlink `%s`", link);
	root[n] = '\0';
	mounts = host_proc_sys_mounts(root, err);
	if (!mounts)
		return kerr_code(err);
	for (char **m = mounts; *m; m++) {
		if (mount(NULL, *m, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
			if (errno == ENOENT) /* under a mount detached before */
				continue;
			return kerr_set(err, errno, "make `%s` a slave", *m);
		}
		if (umount2(*m, MNT_DETACH) == 0)
			continue;
		if ((errno != EINVAL && errno != EPERM) || mount("tmpfs", *m, "tmpfs", 0, NULL) < 0)
			return kerr_set(err, errno, "hide the host's `%s`", *m);
	}
	return 0;
}

/* MS_MOVE the root onto / and chroot into it (the cwd is the root). */
static int move_root(int rootfd, struct kerr *err)
{
	if (hide_host_proc_sys(rootfd, err) < 0)
		return kerr_code(err);
	if (move_mount(rootfd, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return kerr_set(err, errno, "move the root onto `/`");
	if (chroot(".") < 0)
		return kerr_set(err, errno, "chroot");
	if (chdir("/") < 0)
		return kerr_set(err, errno, "chdir `/`");
	return 0;
}

/* After pivot_root(".", ".") the old root is stacked on the new one at
 * "/"; it is made a slave (so its detach does not propagate to the host)
 * and detached through an fd opened before the pivot. */
static int detach_old_root(int oldroot, struct kerr *err)
{
	if (fsroot_set_propagation(oldroot, MS_SLAVE | MS_REC, err) < 0 ||
	    fsroot_umount_fd(oldroot, err) < 0)
		return kerr_wrap(err, "detach the old root");
	if (chdir("/") < 0)
		return kerr_set(err, errno, "chdir `/`");
	return 0;
}

static bool is_ramfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && (sfs.f_type == RAMFS_MAGIC || sfs.f_type == TMPFS_MAGIC);
}

int fsroot_enter_root(const struct fsroot_config *cfg, int rootfd, struct kerr *err)
{
	_cleanup_close_ int oldroot = -1;

	oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0)
		return kerr_set(err, errno, "open `/`");
	if (fchdir(rootfd) < 0)
		return kerr_set(err, errno, "chdir to the root");
	if (cfg->no_pivot) {
		if (move_root(rootfd, err) < 0)
			return kerr_wrap(err, "--no-pivot");
	} else if (sys_pivot_root(".", ".") == 0) {
		if (detach_old_root(oldroot, err) < 0)
			return kerr_code(err);
	} else if (errno == EINVAL && is_ramfs(oldroot)) {
		/* The host runs from its initramfs (rootfs, a ramfs or tmpfs that
		 * can never be unmounted), where pivot_root() always fails with
		 * EINVAL.  Fall back to what runc --no-pivot does: MS_MOVE the
		 * root over / and chroot into it.  The host's tree stays beneath,
		 * unreachable from the chroot; a process with CAP_SYS_CHROOT could
		 * still climb out of a chroot, which is why pivot_root comes first. */
		if (move_root(rootfd, err) < 0)
			return kerr_wrap(err, "initramfs fallback");
	} else {
		return kerr_set(err, errno, "pivot_root");
	}
	if (cfg->propagation) {
		_cleanup_close_ int slash = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (slash < 0)
			return kerr_set(err, errno, "open `/`");
		if (fsroot_set_propagation(slash, cfg->propagation, err) < 0)
			return kerr_wrap(err, "rootfsPropagation");
	}
	return 0;
}
