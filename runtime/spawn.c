/* Creating the container's init in its namespaces: see spawn.h. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"
#include "process.h"
#include "sync.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* New namespaces the init is cloned into.  The cgroup namespace is left
 * out: the init unshares it after the runtime has placed it in its cgroup,
 * so that the namespace is rooted there. */
static unsigned long new_ns_flags(const struct oci_spec *spec, bool *ret_joins)
{
	unsigned long flags = 0;

	*ret_joins = false;
	for (size_t i = 0; i < spec->linux.n_namespaces; i++) {
		const struct oci_namespace *ns = &spec->linux.namespaces[i];
		if (ns->path)
			*ret_joins = true;
		else if (ns->type != CLONE_NEWCGROUP)
			flags |= (unsigned long)ns->type;
	}
	return flags;
}

static int write_map(pid_t pid, const char *file, const struct oci_id_map *maps, size_t n,
                     struct kerr *err)
{
	char path[64], buf[4096];
	size_t len = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
		                        maps[i].container_id, maps[i].host_id, maps[i].size);
	if (len >= sizeof(buf))
		return kerr_setx(err, E2BIG, "linux.%s: too many mappings", file);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return write_file_at(AT_FDCWD, path, buf, len, err);
}

int spawn_write_id_maps(pid_t pid, const struct oci_spec *spec, struct kerr *err)
{
	if (write_map(pid, "uid_map", spec->linux.uid_mappings, spec->linux.n_uid_mappings, err) <
	    0)
		return kerr_wrap(err, "linux.uidMappings");
	if (write_map(pid, "gid_map", spec->linux.gid_mappings, spec->linux.n_gid_mappings, err) <
	    0)
		return kerr_wrap(err, "linux.gidMappings");
	return 0;
}

static _Noreturn void child_fail(int sync_fd, const struct kerr *err)
{
	sync_send(sync_fd, SYNC_ERROR, err->errnum, err->msg);
	_exit(1);
}

static int write_time_offsets(const struct oci_spec *spec, struct kerr *err)
{
	char buf[128];
	int n;

	if (!spec->linux.has_time_offsets)
		return 0;
	n = snprintf(
	    buf, sizeof(buf), "monotonic %lld %u\nboottime %lld %u\n",
	    (long long)spec->linux.monotonic_offset.secs, spec->linux.monotonic_offset.nanosecs,
	    (long long)spec->linux.boottime_offset.secs, spec->linux.boottime_offset.nanosecs);
	if (write_file_at(AT_FDCWD, "/proc/self/timens_offsets", buf, (size_t)n, err) < 0)
		return kerr_wrap(err, "linux.timeOffsets");
	return 0;
}

/* The intermediate child of the slow path. */
static _Noreturn void intermediate_main(const struct spawn_config *cfg, int sync_fd)
{
	const struct oci_spec *spec = cfg->spec;
	int fds[16];
	size_t nfds = 0;
	bool userns_new = false, joins;
	unsigned long flags = new_ns_flags(spec, &joins);
	struct kerr err = {0};
	struct sync_msg msg;
	pid_t pid;

	/* Open every path before joining anything: joining the mount
	 * namespace changes what the later paths mean. */
	for (size_t i = 0; i < spec->linux.n_namespaces && nfds < ARRAY_SIZE(fds); i++) {
		const struct oci_namespace *ns = &spec->linux.namespaces[i];
		if (!ns->path)
			continue;
		fds[nfds] = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fds[nfds] < 0) {
			kerr_set(&err, errno,
			         "config.json: linux.namespaces: open %s namespace `%s`",
			         spec_namespace_name(ns->type), ns->path);
			child_fail(sync_fd, &err);
		}
		nfds++;
	}
	/* The user namespace first: it grants the rights to join the others. */
	for (int pass = 0; pass < 2; pass++) {
		size_t k = 0;
		for (size_t i = 0; i < spec->linux.n_namespaces; i++) {
			const struct oci_namespace *ns = &spec->linux.namespaces[i];
			if (!ns->path)
				continue;
			if ((pass == 0) == (ns->type == CLONE_NEWUSER) &&
			    setns(fds[k], ns->type) < 0) {
				kerr_set(&err, errno, "join %s namespace `%s`",
				         spec_namespace_name(ns->type), ns->path);
				child_fail(sync_fd, &err);
			}
			k++;
		}
	}
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);

	if (flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0) {
			kerr_set(&err, errno, "unshare user namespace");
			child_fail(sync_fd, &err);
		}
		userns_new = true;
		if (sync_send(sync_fd, SYNC_USERMAP, getpid(), NULL) < 0 ||
		    sync_expect(sync_fd, SYNC_USERMAP_DONE, &msg, &err) < 0)
			_exit(1);
		if (process_become_root(&err) < 0)
			child_fail(sync_fd, &err);
	}
	/* pid and time namespaces take effect for children only. */
	if (unshare((int)(flags & ~(unsigned long)CLONE_NEWUSER)) < 0) {
		kerr_set(&err, errno, "unshare namespaces");
		child_fail(sync_fd, &err);
	}
	if (write_time_offsets(spec, &err) < 0)
		child_fail(sync_fd, &err);

	pid = fork();
	if (pid < 0) {
		kerr_set(&err, errno, "fork the container init");
		child_fail(sync_fd, &err);
	}
	if (pid == 0)
		init_main(cfg, sync_fd, userns_new);
	sync_send(sync_fd, SYNC_PID, pid, NULL);
	_exit(0);
}

int spawn_init(const struct spawn_config *cfg, struct spawn_result *ret, struct kerr *err)
{
	const struct oci_spec *spec = cfg->spec;
	_cleanup_close_ int parent_fd = -1, child_fd = -1, pidfd = -1;
	bool joins;
	unsigned long flags = new_ns_flags(spec, &joins);
	bool slow = joins || (flags & CLONE_NEWTIME);
	struct clone_args args = {.exit_signal = SIGCHLD};
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return kerr_set(err, errno, "socketpair");
	parent_fd = sv[0];
	child_fd = sv[1];

	if (!slow) {
		args.flags = flags | CLONE_PIDFD;
		args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	}
	/* Born in its cgroup: no migration (on slow paths the intermediate
	 * child is, and the init inherits it). */
	if (cfg->cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cfg->cgroup_fd;
	}
	pid = sys_clone3(&args);
	if (pid < 0 && cfg->cgroup_fd >= 0 && (errno == EINVAL || errno == E2BIG)) {
		/* A kernel before 5.7: the runtime attaches the init later. */
		args.flags &= ~CLONE_INTO_CGROUP;
		args.cgroup = 0;
		pid = sys_clone3(&args);
	}
	if (pid < 0)
		return kerr_set(err, errno, "clone the container init");
	if (pid == 0) {
		close(parent_fd);
		if (cfg->lock_fd >= 0)
			close(cfg->lock_fd);
		if (slow)
			intermediate_main(cfg, child_fd);
		init_main(cfg, child_fd, (flags & CLONE_NEWUSER) != 0);
	}
	close(steal_fd(child_fd));

	if (slow) {
		struct sync_msg msg;
		pid_t mid = pid;
		int status;

		if (flags & CLONE_NEWUSER) {
			if (sync_expect(parent_fd, SYNC_USERMAP, &msg, err) < 0 ||
			    spawn_write_id_maps(msg.value, spec, err) < 0 ||
			    sync_send(parent_fd, SYNC_USERMAP_DONE, 0, NULL) < 0) {
				kill(mid, SIGKILL);
				waitpid(mid, NULL, 0);
				return kerr_code(err);
			}
		}
		if (sync_expect(parent_fd, SYNC_PID, &msg, err) < 0) {
			kill(mid, SIGKILL);
			waitpid(mid, NULL, 0);
			return kerr_code(err);
		}
		while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
			;
		pid = msg.value;
		pidfd = sys_pidfd_open(pid, 0);
		if (pidfd < 0)
			return kerr_set(err, errno, "pidfd_open of the container init");
	} else if (flags & CLONE_NEWUSER) {
		if (spawn_write_id_maps(pid, spec, err) < 0) {
			sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
			waitpid(pid, NULL, 0);
			return kerr_code(err);
		}
	}
	ret->pid = pid;
	ret->in_cgroup = (args.flags & CLONE_INTO_CGROUP) != 0;
	ret->pidfd = steal_fd(pidfd);
	ret->sync_fd = steal_fd(parent_fd);
	return 0;
}
