/* The new mount API on fds: filesystems are created detached (fsopen,
 * fsconfig, fsmount), trees are cloned detached (open_tree), flags are set
 * with mount_setattr() while the mount is still detached, and the result
 * is attached onto an O_PATH fd with move_mount().  A mount is thus never
 * visible in the container with the wrong flags, and no path inside the
 * root is looked up at mount time.  mount(2) remains only as the fallback
 * for filesystem options the fs_context API refuses. */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#ifndef ENOPARAM
#define ENOPARAM 519 /* kernel-internal "unknown parameter", seen by fsconfig callers */
#endif

#define MS_PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

void fsroot_attr_from_flags(unsigned long set_flags, unsigned long clear_flags, uint64_t *ret_set,
                            uint64_t *ret_clr)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
	    {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
	    {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
	    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
	};
	uint64_t set = 0, clr = 0;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (set_flags & map[i].ms)
			set |= map[i].attr;
		else if (clear_flags & map[i].ms)
			clr |= map[i].attr;
	}
	/* atime is one 3-valued field: setting it means clearing the field. */
	if (set_flags & MS_NOATIME) {
		set |= MOUNT_ATTR_NOATIME;
		clr |= MOUNT_ATTR__ATIME;
	} else if (set_flags & MS_STRICTATIME) {
		set |= MOUNT_ATTR_STRICTATIME;
		clr |= MOUNT_ATTR__ATIME;
	} else if (set_flags & MS_RELATIME || clear_flags & (MS_NOATIME | MS_STRICTATIME)) {
		set |= MOUNT_ATTR_RELATIME;
		clr |= MOUNT_ATTR__ATIME;
	}
	*ret_set = set;
	*ret_clr = clr;
}

int fsroot_setattr(int mntfd, bool recursive, uint64_t set, uint64_t clr, struct kerr *err)
{
	struct mount_attr attr = {.attr_set = set, .attr_clr = clr};

	if (!set && !clr)
		return 0;
	if (mount_setattr(mntfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
	                  sizeof(attr)) < 0)
		return kerr_set(err, errno, "mount_setattr");
	return 0;
}

int fsroot_set_propagation(int mntfd, unsigned long propagation, struct kerr *err)
{
	/* Applied in this order, "slave"+"shared" gives a shared slave. */
	static const unsigned long order[] = {MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_UNBINDABLE};
	unsigned flags = AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0);

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		struct mount_attr attr = {.propagation = order[i]};

		if (!(propagation & order[i]))
			continue;
		if (mount_setattr(mntfd, "", flags, &attr, sizeof(attr)) < 0)
			return kerr_set(err, errno, "set mount propagation");
	}
	return 0;
}

int fsroot_attach(int mntfd, int target_fd, struct kerr *err)
{
	if (move_mount(mntfd, "", target_fd, "",
	               MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return kerr_set(err, errno, "move_mount");
	return 0;
}

int fsroot_clone_tree(int dirfd, const char *path, bool recursive, int *ret_fd, struct kerr *err)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
	int fd;

	if (!*path)
		flags |= AT_EMPTY_PATH;
	fd = open_tree(dirfd, path, flags);
	if (fd < 0)
		return kerr_set(err, errno, "open_tree `%s`", *path ? path : "(fd)");
	*ret_fd = fd;
	return 0;
}

int fsroot_fsconfig_error(int fsfd, int errnum, struct kerr *err, const char *fmt, ...)
{
	char what[256], log[256] = "";
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	while ((n = read(fsfd, log, sizeof(log) - 1)) > 0) {
		log[n] = '\0';
		if (log[0] == 'e' && log[1] == ' ')
			break;
		log[0] = '\0';
	}
	if (log[0])
		return kerr_set(err, errnum, "%s (%s)", what, log + 2);
	return kerr_set(err, errnum, "%s", what);
}

/* One option "key", "key=value" or key="quoted,value". */
static int config_option(int fsfd, char *opt, struct kerr *err)
{
	char *eq = strchr(opt, '=');
	int r;

	if (!*opt)
		return 0;
	if (!eq) {
		r = fsconfig(fsfd, FSCONFIG_SET_FLAG, opt, NULL, 0);
	} else {
		char *value = eq + 1;
		size_t len = strlen(value);

		*eq = '\0';
		if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
			value[len - 1] = '\0';
			value++;
		}
		r = fsconfig(fsfd, FSCONFIG_SET_STRING, opt, value, 0);
		*eq = '=';
	}
	if (r < 0)
		return fsroot_fsconfig_error(fsfd, errno, err, "fsconfig %s", opt);
	return 0;
}

/* Split data on commas outside double quotes (SELinux contexts hold commas). */
static int config_data(int fsfd, const char *data, struct kerr *err)
{
	_cleanup_free_ char *copy = xstrdup(data);
	char *start = copy;
	bool quoted = false;

	for (char *p = copy;; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (*p == '\0' || (*p == ',' && !quoted)) {
			bool last = *p == '\0';

			*p = '\0';
			if (config_option(fsfd, start, err) < 0)
				return kerr_code(err);
			if (last)
				return 0;
			start = p + 1;
		}
	}
}

static int config_sb_flags(int fsfd, unsigned long ms_flags, struct kerr *err)
{
	static const struct {
		unsigned long ms;
		const char *key;
	} map[] = {
	    {MS_RDONLY, "ro"},         {MS_SYNCHRONOUS, "sync"}, {MS_DIRSYNC, "dirsync"},
	    {MS_LAZYTIME, "lazytime"}, {MS_MANDLOCK, "mand"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if ((ms_flags & map[i].ms) &&
		    fsconfig(fsfd, FSCONFIG_SET_FLAG, map[i].key, NULL, 0) < 0)
			return fsroot_fsconfig_error(fsfd, errno, err, "fsconfig %s", map[i].key);
	}
	return 0;
}

int fsroot_fs_new(const char *type, const char *source, const char *data, unsigned long ms_flags,
                  int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int fsfd = -1;
	uint64_t set, clr;
	int mfd;

	fsfd = fsopen(type, FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		if (errno == ENODEV)
			return kerr_setx(err, ENODEV, "unknown filesystem type \"%s\"", type);
		return kerr_set(err, errno, "fsopen %s", type);
	}
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return fsroot_fsconfig_error(fsfd, errno, err, "fsconfig source");
	if (data && config_data(fsfd, data, err) < 0)
		return kerr_code(err);
	if (config_sb_flags(fsfd, ms_flags, err) < 0)
		return kerr_code(err);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fsroot_fsconfig_error(fsfd, errno, err, "fsconfig create");
	fsroot_attr_from_flags(ms_flags, 0, &set, &clr);
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned)set);
	if (mfd < 0)
		return kerr_set(err, errno, "fsmount %s", type);
	*ret_fd = mfd;
	return 0;
}

bool fsroot_fs_new_refused(int r)
{
	return r == -EINVAL || r == -ENOPARAM || r == -EOPNOTSUPP || r == -ENOSYS;
}

int fsroot_mount_legacy(const struct fsroot_target *t, const char *type, const char *source,
                        const char *data, unsigned long ms_flags, int *ret_fd, struct kerr *err)
{
	char proc_path[64];
	unsigned long flags =
	    ms_flags & ~(MS_PROPAGATION | MS_REC | MS_BIND | MS_REMOUNT | MS_MOVE);
	struct stat st;
	int fd;

	/* The magic link resolves to exactly the entry held by t->fd. */
	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", t->fd);
	if (mount(source ? source : type, proc_path, type, flags, data) < 0)
		return kerr_set(err, errno, "mount(2) %s", type);
	/* t->fd is the entry under the mount; the mount root is found by a
	 * lookup of the name on the parent, which crosses into the mount. */
	fd = openat(t->parent_fd, t->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return kerr_set(err, errno, "open the new mount on `%s`", t->path);
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		close(fd);
		return kerr_setx(err, EXDEV, "the mount on `%s` was replaced", t->path);
	}
	*ret_fd = fd;
	return 0;
}

int fsroot_umount_fd(int fd, struct kerr *err)
{
	_cleanup_close_ int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (cwd < 0)
		return kerr_set(err, errno, "open the current directory");
	if (fchdir(fd) < 0)
		return kerr_set(err, errno, "fchdir to a mount");
	if (umount2(".", MNT_DETACH) < 0)
		r = kerr_set(err, errno, "umount2");
	if (fchdir(cwd) < 0 && r == 0)
		r = kerr_set(err, errno, "fchdir back");
	return r;
}
