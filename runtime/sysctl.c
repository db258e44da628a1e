/* linux.sysctl: see sysctl.h. */
#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

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

int sysctl_apply(const struct oci_spec *spec, struct kerr *err)
{
	_cleanup_close_ int procsys = -1;
	struct statfs sfs;

	if (spec->linux.n_sysctl == 0)
		return 0;
	/* Write only through a /proc/sys that is really procfs: a container
	 * image must not redirect these writes (CVE-2019-16884 class). */
	procsys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (procsys < 0)
		return kerr_set(err, errno, "linux.sysctl: open `/proc/sys`");
	if (fstatfs(procsys, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return kerr_setx(err, EINVAL, "linux.sysctl: `/proc/sys` is not procfs");
	for (size_t i = 0; i < spec->linux.n_sysctl; i++) {
		const struct oci_kv *kv = &spec->linux.sysctl[i];
		_cleanup_free_ char *rel = xstrdup(kv->key);
		struct open_how how = {
		    .flags = O_WRONLY | O_CLOEXEC,
		    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
		};
		_cleanup_close_ int fd = -1;
		ssize_t n;

		for (char *p = rel; *p; p++)
			if (*p == '.')
				*p = '/';
		fd = sys_openat2(procsys, rel, &how);
		if (fd < 0)
			return kerr_set(err, errno, "linux.sysctl: open `/proc/sys/%s`", rel);
		n = write_all(fd, kv->value, strlen(kv->value));
		if (n < 0)
			return kerr_set(err, (int)-n, "linux.sysctl: write %s=%s", kv->key,
			                kv->value);
	}
	return 0;
}
