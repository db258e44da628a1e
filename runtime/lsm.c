/* AppArmor profiles and SELinux labels: see lsm.h. */
#include "lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

#ifndef SELINUX_MAGIC
#define SELINUX_MAGIC 0xf97cff8c
#endif

bool lsm_apparmor_enabled(void)
{
	char buf[4] = "";
	int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	(void)!read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return buf[0] == 'Y';
}

bool lsm_selinux_enabled(void)
{
	struct statfs sfs;

	return statfs("/sys/fs/selinux", &sfs) == 0 && sfs.f_type == SELINUX_MAGIC;
}

int lsm_validate(const struct oci_process *proc, struct kerr *err)
{
	if (proc->apparmor_profile && *proc->apparmor_profile && !lsm_apparmor_enabled())
		return kerr_setx(err, EOPNOTSUPP,
		                 "config.json: process.apparmorProfile: AppArmor is not enabled on "
		                 "this host (profile \"%s\")",
		                 proc->apparmor_profile);
	if (proc->selinux_label && *proc->selinux_label && !lsm_selinux_enabled())
		return kerr_setx(err, EOPNOTSUPP,
		                 "config.json: process.selinuxLabel: SELinux is not enabled on "
		                 "this host (label \"%s\")",
		                 proc->selinux_label);
	return 0;
}

int lsm_open_proc(const struct oci_process *proc, int *ret_fd, struct kerr *err)
{
	_cleanup_close_ int fs = -1, mnt = -1;
	struct statfs sfs;

	*ret_fd = -1;
	if (!(proc->apparmor_profile && *proc->apparmor_profile) &&
	    !(proc->selinux_label && *proc->selinux_label))
		return 0;
	fs = fsopen("proc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return kerr_set(err, errno, "fsopen(proc) for the security label");
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return kerr_set(err, errno, "create a private procfs for the security label");
	mnt =
	    fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return kerr_set(err, errno, "fsmount a private procfs");
	if (fstatfs(mnt, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return kerr_setx(err, EPERM, "private procfs handle is not procfs");
	*ret_fd = steal_fd(mnt);
	return 0;
}

/* Write value to attr/<file> of the current thread below procfd,
 * refusing anything but a plain procfs file. */
static int write_attr(int procfd, const char *file, const char *value, struct kerr *err)
{
	struct open_how how = {
	    .flags = O_WRONLY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_free_ char *path = xasprintf("thread-self/attr/%s", file);
	_cleanup_close_ int fd = -1;
	struct statfs sfs;
	ssize_t n;

	/* thread-self is a plain symlink to PID/task/TID inside this procfs,
	 * not a magic link, so RESOLVE_NO_MAGICLINKS lets it through. */
	fd = sys_openat2(procfd, path, &how);
	if (fd < 0)
		return kerr_set(err, errno, "open /proc/%s", path);
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return kerr_setx(err, EPERM, "/proc/%s is not on procfs", path);
	n = write_all(fd, value, strlen(value));
	if (n < 0)
		return kerr_set(err, (int)-n, "write /proc/%s", path);
	return 0;
}

int lsm_set_exec_label(int procfd, const struct oci_process *proc, struct kerr *err)
{
	if (procfd < 0)
		return 0;
	if (proc->apparmor_profile && *proc->apparmor_profile) {
		_cleanup_free_ char *v = xasprintf("exec %s", proc->apparmor_profile);
		if (write_attr(procfd, "apparmor/exec", v, err) < 0 &&
		    write_attr(procfd, "exec", v, err) < 0)
			return kerr_wrap(err, "process.apparmorProfile");
	}
	if (proc->selinux_label && *proc->selinux_label &&
	    write_attr(procfd, "exec", proc->selinux_label, err) < 0)
		return kerr_wrap(err, "process.selinuxLabel");
	return 0;
}
