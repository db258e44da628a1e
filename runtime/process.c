/* The identity and limits of the container process: see process.h. */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int process_set_limits(pid_t pid, const struct oci_process *p, struct kerr *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct oci_rlimit *rl = &p->rlimits[i];
		struct rlimit64 lim = {.rlim_cur = rl->soft, .rlim_max = rl->hard};

		if (prlimit64(pid, (enum __rlimit_resource)rl->resource, &lim, NULL) < 0)
			return kerr_set(err, errno, "process.rlimits[%zu]: prlimit", i);
	}
	if (p->has_oom_score_adj) {
		char path[64], buf[16];
		int n = snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);

		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
		if (write_file_at(AT_FDCWD, path, buf, (size_t)n, err) < 0)
			return kerr_wrap(err, "process.oomScoreAdj");
	}
	return 0;
}

/* The highest capability this kernel knows, probed with PR_CAPBSET_READ
 * (EINVAL past the last one).  Never read from
 * /proc/sys/kernel/cap_last_cap: in the init that is the container's
 * /proc, and an image without a procfs mount could make it claim a low
 * number, so that the bounding set kept every capability above it. */
static int last_cap(void)
{
	static int cached = -1;
	int c;

	if (cached >= 0)
		return cached;
	for (c = 0; c < 64; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) < 0 && errno == EINVAL)
			break;
	cached = c > 0 ? c - 1 : CAP_LAST_CAP;
	return cached;
}

static int capset_sets(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2] = {
	    {(uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable},
	    {(uint32_t)(effective >> 32), (uint32_t)(permitted >> 32),
	     (uint32_t)(inheritable >> 32)},
	};
	return (int)syscall(SYS_capset, &hdr, data);
}

/* Without process.capabilities the effective and permitted sets stay what
 * they are, but nothing is inheritable: a caller's inheritable (or
 * ambient) set must not reach the container, where a file with
 * inheritable file capabilities would turn it into permitted ones
 * (CVE-2022-27650). */
static int clear_inheritable(struct kerr *err)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	uint64_t effective, permitted;

	if (syscall(SYS_capget, &hdr, data) < 0)
		return kerr_set(err, errno, "process.capabilities: capget");
	effective = data[0].effective | (uint64_t)data[1].effective << 32;
	permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
	if (capset_sets(effective, permitted, 0) < 0)
		return kerr_set(err, errno, "process.capabilities: clear the inheritable set");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return kerr_set(err, errno, "process.capabilities.ambient: clear");
	return 0;
}

/* The set*id calls of the init and of an exec'd process, as raw system
 * calls.  Both are children of a raw clone3(), which glibc does not see:
 * its setgroups()/setresuid() wrappers broadcast the change to every
 * thread the parent had at clone time, and wait forever for one that was
 * still starting (the parent's cgroup prewarm thread, say).  These
 * processes have a single thread, so the raw call is the whole job. */
static int sys_setgroups(size_t n, const gid_t *gids)
{
	return (int)syscall(SYS_setgroups, n, gids);
}

static int sys_setresgid(gid_t gid)
{
	return (int)syscall(SYS_setresgid, gid, gid, gid);
}

static int sys_setresuid(uid_t uid)
{
	return (int)syscall(SYS_setresuid, uid, uid, uid);
}

int process_become_root(struct kerr *err)
{
	if (sys_setresgid(0) < 0 || sys_setresuid(0) < 0)
		return kerr_set(err, errno,
		                "switch to root in the user namespace (is uid 0 mapped?)");
	return 0;
}

int process_apply_identity(const struct oci_process *p, bool setgroups_allowed, struct kerr *err)
{
	const struct oci_capabilities *caps = &p->capabilities;
	int last = last_cap();

	if (p->has_capabilities) {
		for (int c = 0; c <= last; c++) {
			if (caps->bounding & (1ULL << c))
				continue;
			if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
				return kerr_set(err, errno,
				                "drop capability %s from the bounding set",
				                spec_capability_name(c));
		}
		/* Keep the permitted set across the switch to a non-root uid. */
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return kerr_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
	}

	if (setgroups_allowed) {
		if (sys_setgroups(p->user.n_additional_gids, p->user.additional_gids) < 0)
			return kerr_set(err, errno, "process.user.additionalGids: setgroups");
	} else if (p->user.n_additional_gids > 0) {
		return kerr_set(err, EPERM,
		                "process.user.additionalGids: setgroups is denied in this user "
		                "namespace");
	}
	if (sys_setresgid(p->user.gid) < 0)
		return kerr_set(err, errno, "process.user.gid: setgid %u", p->user.gid);
	if (sys_setresuid(p->user.uid) < 0)
		return kerr_set(err, errno, "process.user.uid: setuid %u", p->user.uid);

	if (p->has_capabilities) {
		if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			return kerr_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
		if (capset_sets(caps->effective, caps->permitted, caps->inheritable) < 0)
			return kerr_set(err, errno, "process.capabilities: capset");
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
			return kerr_set(err, errno, "process.capabilities.ambient: clear");
		for (int c = 0; c <= last; c++) {
			if (!(caps->ambient & (1ULL << c)))
				continue;
			/* The kernel refuses an ambient cap that is not both
			 * permitted and inheritable; runc ignores that too. */
			if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0 &&
			    errno != EPERM)
				return kerr_set(err, errno,
				                "process.capabilities.ambient: raise %s",
				                spec_capability_name(c));
		}
	}
	if (!p->has_capabilities && clear_inheritable(err) < 0)
		return kerr_code(err);
	if (p->user.has_umask)
		umask(p->user.umask);
	else
		umask(0022);
	return 0;
}

int process_enter_cwd(const char *cwd, struct kerr *err)
{
	char buf[4096];

	if (chdir(cwd) < 0)
		return kerr_set(err, errno, "process.cwd: chdir `%s`", cwd);
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return kerr_setx(err, EPERM, "process.cwd: `%s` is outside the container's root",
		                 cwd);
	return 0;
}

int process_set_no_new_privs(const struct oci_process *p, struct kerr *err)
{
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return kerr_set(err, errno, "process.noNewPrivileges: prctl");
	return 0;
}

static const char *env_get(const char *const *env, const char *name)
{
	size_t len = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, len) == 0 && (*env)[len] == '=')
			return *env + len + 1;
	return NULL;
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int process_find_executable(const char *arg0, const char *const *env, char **ret, struct kerr *err)
{
	const char *path = env_get(env, "PATH");
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;

	if (strchr(arg0, '/')) {
		if (!is_executable_file(arg0))
			return kerr_set(err, errno ? errno : EACCES, "exec: \"%s\"", arg0);
		*ret = xstrdup(arg0);
		return 0;
	}
	copy = xstrdup(path ? path : DEFAULT_PATH);
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *candidate = xasprintf("%s/%s", *dir ? dir : ".", arg0);
		if (is_executable_file(candidate)) {
			*ret = steal_ptr(candidate);
			return 0;
		}
	}
	return kerr_setx(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", arg0);
}

/* HOME of uid from the container's /etc/passwd (we are in its root). */
static char *passwd_home(uid_t uid)
{
	_cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
	char line[1024];

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *fields[7] = {0};
		char *p = line;
		int n = 0;

		/* strsep keeps empty fields, which strtok would merge. */
		while (n < 7 && (fields[n] = strsep(&p, ":")) != NULL)
			n++;
		if (n < 6)
			continue;
		if ((uid_t)strtoul(fields[2], NULL, 10) == uid && *fields[5])
			return xasprintf("HOME=%s", fields[5]);
	}
	return NULL;
}

const char **process_build_env(const struct oci_process *p, char **ret_home)
{
	size_t n = strv_len((char *const *)p->env);
	const char **env = xcalloc(n + 2, sizeof(char *));

	for (size_t i = 0; i < n; i++)
		env[i] = p->env[i];
	*ret_home = NULL;
	if (!env_get(p->env, "HOME")) {
		*ret_home = passwd_home(p->user.uid);
		env[n++] = *ret_home ? *ret_home : "HOME=/";
	}
	env[n] = NULL;
	return env;
}
