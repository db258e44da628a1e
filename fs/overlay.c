/* Overlay root: shared read-only lower directories under a private upper
 * layer.  Any number of tenants may share the lowers; each has its own
 * upper and work directories, either in a directory on the host (under
 * the state dir, removed with it, or a kept one) or, with a size cap, on
 * a private tmpfs of that size stacked under the overlay at root.path, so
 * a tenant cannot fill the host's disk. */
#include "rootkind.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "fs-internal.h"

static int mkdir_at(int dirfd, const char *name, mode_t mode, const char *what, struct kerr *err)
{
	if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
		return kerr_set(err, errno, "create `%s/%s`", what, name);
	return 0;
}

/* The lowers one by one with "lowerdir+" (kernel 6.8+: any character in
 * a path), else joined with ':' into "lowerdir". */
static int config_lowers(int fsfd, const char *const *lower, struct kerr *err)
{
	_cleanup_free_ char *joined = NULL;
	size_t len = 0;

	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "lowerdir+", lower[0], 0) == 0) {
		for (size_t i = 1; lower[i]; i++)
			if (fsroot_fsconfig_string(fsfd, "lowerdir+", lower[i], err) < 0)
				return kerr_code(err);
		return 0;
	}
	for (size_t i = 0; lower[i]; i++) {
		if (strchr(lower[i], ':') || strchr(lower[i], ','))
			return kerr_setx(err, EINVAL,
			                 "lower `%s`: ':' and ',' need kernel 6.8 (lowerdir+)",
			                 lower[i]);
		len += strlen(lower[i]) + 1;
	}
	joined = xcalloc(1, len);
	for (size_t i = 0; lower[i]; i++) {
		if (i)
			strcat(joined, ":");
		strcat(joined, lower[i]);
	}
	return fsroot_fsconfig_string(fsfd, "lowerdir", joined, err);
}

int fsroot_overlay_mount(const struct fsroot_root *root, int targetfd, struct kerr *err)
{
	_cleanup_close_ int fsfd = -1, layerfd = -1, mntfd = -1;
	_cleanup_free_ char *upper = NULL, *work = NULL;
	const char *where = root->upper_dir;

	if (root->size) {
		/* The tmpfs is attached at root.path, under the overlay. */
		if (fsroot_tmpfs_new(root->size, "0755", &layerfd, err) < 0 ||
		    fsroot_attach(layerfd, targetfd, err) < 0)
			return kerr_wrap(err, "size-capped upper layer");
		where = "(tmpfs)";
	} else if (!root->upper_dir) {
		return kerr_setx(err, EINVAL, "no directory for the upper layer");
	} else {
		if (mkdir(root->upper_dir, 0700) < 0 && errno != EEXIST)
			return kerr_set(err, errno, "create `%s`", root->upper_dir);
		layerfd = open(root->upper_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (layerfd < 0)
			return kerr_set(err, errno, "open `%s`", root->upper_dir);
	}
	if (mkdir_at(layerfd, "upper", 0755, where, err) < 0 ||
	    mkdir_at(layerfd, "work", 0700, where, err) < 0)
		return kerr_code(err);
	/* The layer is named through its fd: no host path is looked up again. */
	upper = xasprintf("/proc/self/fd/%d/upper", layerfd);
	work = xasprintf("/proc/self/fd/%d/work", layerfd);

	fsfd = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return kerr_set(err, errno, "fsopen overlay");
	if (fsroot_fsconfig_string(fsfd, "source", "overlay", err) < 0 ||
	    config_lowers(fsfd, root->lower, err) < 0 ||
	    fsroot_fsconfig_string(fsfd, "upperdir", upper, err) < 0 ||
	    fsroot_fsconfig_string(fsfd, "workdir", work, err) < 0)
		return kerr_code(err);
	if (root->volatile_upper && fsroot_fsconfig_flag(fsfd, "volatile", err) < 0)
		return kerr_code(err);
	if (fsroot_fsconfig_mount(fsfd, "overlay", 0, &mntfd, err) < 0)
		return kerr_code(err);
	/* With a size cap, targetfd is the directory under the tmpfs: the
	 * overlay is stacked on the tmpfs's root instead. */
	return fsroot_attach(mntfd, root->size ? layerfd : targetfd, err);
}
