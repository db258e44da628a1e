/* linux.sysctl: see sysctl.h. */
#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

#ifndef PROC_ROOT_INO
#define PROC_ROOT_INO 1 /* fs/proc/internal.h: the root of every procfs */
#endif

static const char *const ipc_keys[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

/* The clone flag of the namespace that owns key, or 0 if none does. */
static int sysctl_namespace(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(ipc_keys); i++)
		if (strcmp(key, ipc_keys[i]) == 0)
			return CLONE_NEWIPC;
	if (str_has_prefix(key, "fs.mqueue."))
		return CLONE_NEWIPC;
	if (str_has_prefix(key, "net."))
		return CLONE_NEWNET;
	if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		return CLONE_NEWUTS;
	return 0;
}

int sysctl_validate(const struct oci_spec *spec, struct kerr *err)
{
	for (size_t i = 0; i < spec->linux.n_sysctl; i++) {
		const char *key = spec->linux.sysctl[i].key;
		const struct oci_namespace *ns;
		int type = sysctl_namespace(key);

		if (strstr(key, "..") || strchr(key, '/') == key || !*key)
			return kerr_setx(err, EINVAL,
			                 "config.json: linux.sysctl: invalid key \"%s\"", key);
		if (!type)
			return kerr_setx(err, EINVAL,
			                 "config.json: linux.sysctl: \"%s\" is not in a separate "
			                 "kernel namespace",
			                 key);
		ns = spec_namespace(spec, type);
		if (!ns || ns->path)
			return kerr_setx(
			    err, EINVAL,
			    "config.json: linux.sysctl: \"%s\" needs a new %s namespace", key,
			    spec_namespace_name(type));
	}
	return 0;
}

/* A procfs handle to write sysctls through.  First choice: a private
 * procfs instance, never attached anywhere, so nothing in the container's
 * tree can stand in for it.  fsmount() refuses that in a user namespace
 * whose mount namespace shows no full procfs (an image without a /proc
 * mount); then the container's /proc, which must be the root of a procfs
 * mount (ino 1, at a mount root): a tmpfs, a directory of the image, or a
 * bind of some procfs subdirectory are refused (CVE-2019-16884,
 * CVE-2025-52881).  The keys are then opened beneath it with no symlink
 * and no mount crossing. */
static int open_procfs(int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int fs = -1, fd = -1;
	struct statfs sfs;
	struct statx stx;

	fs = fsopen("proc", FSOPEN_CLOEXEC);
	if (fs >= 0 && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		fd = fsmount(fs, FSMOUNT_CLOEXEC,
		             MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (fd < 0) {
		fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return kerr_set(err, errno, "linux.sysctl: open `/proc`");
		if (statx(fd, "", AT_EMPTY_PATH, STATX_INO, &stx) < 0)
			return kerr_set(err, errno, "linux.sysctl: statx `/proc`");
		if (stx.stx_ino != PROC_ROOT_INO || !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
			return kerr_setx(err, EINVAL,
			                 "linux.sysctl: `/proc` is not the root of a procfs mount");
	}
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return kerr_setx(err, EINVAL, "linux.sysctl: `/proc` is not procfs");
	*ret_fd = steal_fd(fd);
	return 0;
}

int sysctl_apply(const struct oci_spec *spec, struct kerr *err)
{
	_cleanup_close_ int proc = -1;

	if (spec->linux.n_sysctl == 0)
		return 0;
	if (open_procfs(&proc, err) < 0)
		return kerr_code(err);
	for (size_t i = 0; i < spec->linux.n_sysctl; i++) {
		const struct oci_kv *kv = &spec->linux.sysctl[i];
		_cleanup_free_ char *rel = xasprintf("sys/%s", kv->key);
		struct open_how how = {
		    .flags = O_WRONLY | O_CLOEXEC,
		    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
		};
		_cleanup_close_ int fd = -1;
		struct statfs sfs;
		ssize_t n;

		for (char *p = rel; *p; p++)
			if (*p == '.')
				*p = '/';
		fd = sys_openat2(proc, rel, &how);
		if (fd < 0)
			return kerr_set(err, errno, "linux.sysctl: open `/proc/%s`", rel);
		if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
			return kerr_setx(err, EINVAL, "linux.sysctl: `/proc/%s` is not on procfs",
			                 rel);
		n = write_all(fd, kv->value, strlen(kv->value));
		if (n < 0)
			return kerr_set(err, (int)-n, "linux.sysctl: write %s=%s", kv->key,
			                kv->value);
	}
	return 0;
}
