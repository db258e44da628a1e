/* fsroot_setup(): the order of the whole root filesystem setup, in the
 * container's init and its new mount namespace:
 *
 *   1. prepare the root (root.c): rslave /, root bind-mounted onto itself;
 *   2. a tmpfs on /dev unless the config mounts /dev itself;
 *   3. the OCI mounts, in config order, each by fd (mounts.c); a read-only
 *      /dev stays writable until fsroot_finish();
 *   4. device nodes and /dev symlinks unless /dev is a bind mount (dev.c);
 *   5. pivot_root, or MS_MOVE + chroot on an initramfs (root.c).
 *
 * The umask is 0 meanwhile so that modes are exactly the configured ones. */
#include "fs-internal.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../common/cleanup.h"

static void restore_umask(mode_t *mask)
{
	umask(*mask);
}

static bool is_dev(const struct fsroot_mount *m)
{
	_cleanup_free_ char *clean = fsroot_path_clean(m->destination);

	return strcmp(clean, "dev") == 0;
}

int fsroot_setup(const struct fsroot_config *cfg, struct kerr *err)
{
	_cleanup_(restore_umask) __attribute__((unused)) mode_t old_umask = umask(0);
	_cleanup_close_ int rootfd = -1;
	bool dev_bind = false;
	bool dev_mounted = fsroot_config_mounts_dev(cfg, &dev_bind);

	if (!cfg->rootfs || cfg->rootfs[0] != '/')
		return kerr_setx(err, EINVAL, "root.path: an absolute path is needed");
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if (!cfg->mounts[i].destination)
			return kerr_setx(err, EINVAL, "mounts[%zu]: no destination", i);

	if (fsroot_prepare_root(cfg, &rootfd, err) < 0)
		return kerr_code(err);
	if (!dev_mounted && fsroot_dev_mount_default(rootfd, cfg, err) < 0)
		return kerr_code(err);
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		struct fsroot_mount m = cfg->mounts[i];

		if (!m.bind && is_dev(&m))
			m.flags &= ~MS_RDONLY;
		if (fsroot_mount_one(rootfd, cfg, &m, err) < 0)
			return kerr_code(err);
	}
	if (!dev_bind && fsroot_dev_populate(rootfd, cfg, err) < 0)
		return kerr_code(err);
	return fsroot_enter_root(cfg, rootfd, err);
}
