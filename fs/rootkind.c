/* Tenant roots: which kind of root kura builds at root.path, the checks
 * made in the runtime before the init exists, and the mount made by the
 * init in its new mount namespace.  The kinds themselves are in
 * overlay.c, loop.c and sparse.c.
 *
 * Order in the init: `/` becomes a recursive slave first, so the root
 * mounted onto root.path (a host path) is never propagated back to the
 * host; then the root is mounted and fsroot_setup() finds it at
 * root.path like any directory root. */
#include "rootkind.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "fs-internal.h"

static const char *const type_names[] = {
    [FSROOT_ROOT_DIR] = "dir",
    [FSROOT_ROOT_OVERLAY] = "overlay",
    [FSROOT_ROOT_LOOP] = "loop",
    [FSROOT_ROOT_SPARSE] = "sparse",
};

int fsroot_root_type_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++)
		if (strcmp(name, type_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *fsroot_root_type_name(enum fsroot_root_type type)
{
	return (size_t)type < ARRAY_SIZE(type_names) ? type_names[type] : "?";
}

int fsroot_fsconfig_string(int fsfd, const char *key, const char *value, struct kerr *err)
{
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, key, value, 0) < 0)
		return fsroot_fsconfig_error(fsfd, errno, err, "fsconfig %s=%s", key, value);
	return 0;
}

int fsroot_fsconfig_flag(int fsfd, const char *key, struct kerr *err)
{
	if (fsconfig(fsfd, FSCONFIG_SET_FLAG, key, NULL, 0) < 0)
		return fsroot_fsconfig_error(fsfd, errno, err, "fsconfig %s", key);
	return 0;
}

int fsroot_fsconfig_mount(int fsfd, const char *type, uint64_t attrs, int *ret_mntfd,
                          struct kerr *err)
{
	int fd;

	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fsroot_fsconfig_error(fsfd, errno, err, "create %s", type);
	fd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned)attrs);
	if (fd < 0)
		return kerr_set(err, errno, "fsmount %s", type);
	*ret_mntfd = fd;
	return 0;
}

int fsroot_tmpfs_new(uint64_t size, const char *mode, int *ret_mntfd, struct kerr *err)
{
	_cleanup_close_ int fsfd = fsopen("tmpfs", FSOPEN_CLOEXEC);
	char buf[32];

	if (fsfd < 0)
		return kerr_set(err, errno, "fsopen tmpfs");
	if (fsroot_fsconfig_string(fsfd, "source", "tmpfs", err) < 0 ||
	    fsroot_fsconfig_string(fsfd, "mode", mode, err) < 0)
		return kerr_code(err);
	if (size) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)size);
		if (fsroot_fsconfig_string(fsfd, "size", buf, err) < 0)
			return kerr_code(err);
	}
	/* Huge pages for files that fill them: 8x less CPU per MiB written
	 * and 5x less read on this host (bench/README.md, roots).  A kernel
	 * without transparent huge pages for shmem refuses the option; the
	 * tmpfs is as good without it. */
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "huge", "within_size", 0) < 0) {
		char log[256];

		while (read(fsfd, log, sizeof(log)) > 0) /* its message is no error of ours */
			;
	}
	return fsroot_fsconfig_mount(fsfd, "tmpfs", MOUNT_ATTR_NODEV, ret_mntfd, err);
}

int fsroot_check_dir(const char *path, struct kerr *err)
{
	struct stat st;

	if (!path || path[0] != '/')
		return kerr_setx(err, EINVAL, "`%s`: an absolute path is needed", path ? path : "");
	if (stat(path, &st) < 0)
		return kerr_set(err, errno, "`%s`", path);
	if (!S_ISDIR(st.st_mode))
		return kerr_setx(err, ENOTDIR, "`%s` is not a directory", path);
	return 0;
}

/* The parent of a directory kura may create must exist. */
static int check_dir_or_parent(const char *path, struct kerr *err)
{
	_cleanup_free_ char *parent = NULL;
	char *slash;
	struct stat st;

	if (!path || path[0] != '/')
		return kerr_setx(err, EINVAL, "`%s`: an absolute path is needed", path ? path : "");
	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode)
		           ? 0
		           : kerr_setx(err, ENOTDIR, "`%s` is not a directory", path);
	if (errno != ENOENT)
		return kerr_set(err, errno, "`%s`", path);
	parent = xstrdup(path);
	slash = strrchr(parent, '/');
	slash[slash == parent ? 1 : 0] = '\0';
	if (fsroot_check_dir(parent, err) < 0)
		return kerr_wrap(err, "parent of `%s`", path);
	return 0;
}

static int check_overlay(const struct fsroot_root *root, const char **ret_field, struct kerr *err)
{
	size_t n = 0;

	*ret_field = "lower";
	if (!root->lower || !root->lower[0])
		return kerr_setx(err, EINVAL, "at least one lower directory is needed");
	for (; root->lower[n]; n++)
		if (fsroot_check_dir(root->lower[n], err) < 0)
			return kerr_code(err);
	if (root->size)
		return 0; /* upper and work live on a private tmpfs */
	*ret_field = "upper";
	if (!root->upper_dir)
		return 0; /* the caller's private one, made later */
	return check_dir_or_parent(root->upper_dir, err);
}

static int check_loop(struct fsroot_root *root, const char **ret_field, struct kerr *err)
{
	const char *detected;

	*ret_field = "image";
	if (!root->image || root->image[0] != '/')
		return kerr_setx(err, EINVAL, "`%s`: an absolute path is needed",
		                 root->image ? root->image : "");
	if (fsroot_image_detect(root->image, &detected, err) < 0)
		return kerr_code(err);
	if (root->fstype && strcmp(root->fstype, detected) != 0 &&
	    !(strcmp(detected, "ext4") == 0 &&
	      (strcmp(root->fstype, "ext2") == 0 || strcmp(root->fstype, "ext3") == 0))) {
		*ret_field = "fstype";
		return kerr_setx(err, EINVAL, "\"%s\" does not match `%s`, which is %s",
		                 root->fstype, root->image, detected);
	}
	if (!root->fstype)
		root->fstype = detected;
	if (fsroot_fstype_readonly(root->fstype))
		root->readonly = true;
	if (root->size) {
		*ret_field = "size";
		return kerr_setx(err, EINVAL,
		                 "not supported for a loop root (the image is the cap)");
	}
	return fsroot_loop_check(root->image, root->readonly, err);
}

int fsroot_root_check(struct fsroot_root *root, const char **ret_field, struct kerr *err)
{
	const char *field = "path";
	int r = 0;

	if (root->type != FSROOT_ROOT_DIR && fsroot_check_dir(root->target, err) < 0) {
		*ret_field = field;
		return kerr_code(err);
	}
	switch (root->type) {
	case FSROOT_ROOT_DIR:
		break;
	case FSROOT_ROOT_OVERLAY:
		r = check_overlay(root, &field, err);
		break;
	case FSROOT_ROOT_LOOP:
		r = check_loop(root, &field, err);
		break;
	case FSROOT_ROOT_SPARSE:
		field = "inherit";
		r = fsroot_sparse_check(root->inherit, err);
		break;
	default:
		field = "type";
		r = kerr_setx(err, EINVAL, "unknown root type %d", (int)root->type);
	}
	if (r < 0)
		*ret_field = field;
	return r;
}

int fsroot_root_mount(const struct fsroot_root *root, struct kerr *err)
{
	_cleanup_close_ int slash = -1, target = -1;

	if (root->type == FSROOT_ROOT_DIR)
		return 0;
	/* Before anything is mounted at root.path, a host path. */
	slash = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (slash < 0)
		return kerr_set(err, errno, "open `/`");
	if (fsroot_set_propagation(slash, MS_SLAVE | MS_REC, err) < 0)
		return kerr_wrap(err, "make `/` a slave");
	target = open(root->target, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (target < 0)
		return kerr_set(err, errno, "root.path: open `%s`", root->target);
	switch (root->type) {
	case FSROOT_ROOT_OVERLAY:
		if (fsroot_overlay_mount(root, target, err) < 0)
			return kerr_wrap(err, "overlay root on `%s`", root->target);
		return 0;
	case FSROOT_ROOT_LOOP:
		if (fsroot_loop_mount(root, target, err) < 0)
			return kerr_wrap(err, "loop root `%s` on `%s`", root->image, root->target);
		return 0;
	case FSROOT_ROOT_SPARSE:
		if (fsroot_sparse_mount(root, target, err) < 0)
			return kerr_wrap(err, "sparse root on `%s`", root->target);
		return 0;
	default:
		return kerr_setx(err, EINVAL, "unknown root type %d", (int)root->type);
	}
}
