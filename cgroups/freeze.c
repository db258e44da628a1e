/* Pausing and signalling every process of a cgroup: cgroup.freeze and
 * cgroup.kill on v2, freezer.state and a walk of cgroup.procs on v1. */
#include "cg-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#define FREEZE_TIMEOUT_MS 10000

/* The v1 freezer, if the host has one; else the v2 directory, whose core
 * files freeze without any controller. */
static const struct cg_dir *freezer_dir(const struct cgroup *cg, bool *v1)
{
	for (size_t i = 0; i < cg->n_dirs; i++) {
		if (!cg->dirs[i].v2 && cg_list_has(cg->dirs[i].controllers, "freezer")) {
			*v1 = true;
			return &cg->dirs[i];
		}
	}
	*v1 = false;
	return cg_dir_v2(cg);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "frozen 1" in cgroup.events; the kernel wakes pollers of that file
 * (POLLPRI) whenever it changes. */
static int v2_wait_frozen(const struct cg_dir *d, bool frozen, struct kerr *err)
{
	_cleanup_free_ char *path = xasprintf("%s/cgroup.events", d->path);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	long long deadline = now_ms() + FREEZE_TIMEOUT_MS;
	const char *want = frozen ? "frozen 1" : "frozen 0";

	if (fd < 0)
		return kerr_set(err, errno, "open `%s`", path);
	for (;;) {
		char buf[512];
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		struct pollfd pfd = {.fd = fd, .events = POLLPRI};
		long long left;

		if (n < 0)
			return kerr_set(err, errno, "read `%s`", path);
		buf[n] = '\0';
		if (strstr(buf, want))
			return 0;
		left = deadline - now_ms();
		if (left <= 0)
			return kerr_setx(err, ETIMEDOUT, "`%s`: still not %s after %d s", path,
			                 frozen ? "frozen" : "thawed", FREEZE_TIMEOUT_MS / 1000);
		poll(&pfd, 1, left > 100 ? 100 : (int)left);
	}
}

static int v1_freeze(const struct cg_dir *d, bool frozen, struct kerr *err)
{
	long long deadline = now_ms() + FREEZE_TIMEOUT_MS;
	const char *want = frozen ? "FROZEN" : "THAWED";

	for (int i = 0;; i++) {
		_cleanup_free_ char *state = NULL;
		struct timespec ts = {0, 1000000L * (i < 10 ? 1 : 10)};

		/* A task forking while the freezer works leaves it FREEZING:
		 * writing the request again retries. */
		if (cg_write(d, "freezer.state", want, err) < 0)
			return kerr_code(err);
		state = cg_read(d->path, "freezer.state", err);
		if (!state)
			return kerr_code(err);
		if (strcmp(state, want) == 0)
			return 0;
		if (now_ms() > deadline) {
			if (frozen)
				cg_write(d, "freezer.state", "THAWED", err);
			return kerr_setx(err, ETIMEDOUT, "`%s/freezer.state`: still %s after %d s",
			                 d->path, state, FREEZE_TIMEOUT_MS / 1000);
		}
		nanosleep(&ts, NULL);
	}
}

int cgroup_freeze(const struct cgroup *cg, bool frozen, struct kerr *err)
{
	bool v1;
	const struct cg_dir *d = freezer_dir(cg, &v1);

	if (!d)
		return kerr_setx(err, ENOTSUP,
		                 "no freezer: this host has neither a v1 freezer nor "
		                 "cgroup v2");
	if (v1)
		return v1_freeze(d, frozen, err);
	if (cg_write(d, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return kerr_code(err);
	return v2_wait_frozen(d, frozen, err);
}

bool cgroup_is_frozen(const struct cgroup *cg)
{
	bool v1;
	const struct cg_dir *d = freezer_dir(cg, &v1);
	_cleanup_free_ char *s = NULL;
	struct kerr ignored;

	if (!d)
		return false;
	s = cg_read(d->path, v1 ? "freezer.state" : "cgroup.freeze", &ignored);
	if (!s)
		return false;
	return v1 ? strcmp(s, "THAWED") != 0 : strcmp(s, "1") == 0;
}

int cgroup_kill(const struct cgroup *cg, int sig, struct kerr *err)
{
	const struct cg_dir *v2 = cg_dir_v2(cg);
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	bool frozen, v1;
	struct kerr ignored;

	/* cgroup.kill (5.14) takes every process at once, even one forking
	 * right now, and also in a hybrid host's v2 hierarchy. */
	if (sig == SIGKILL && v2 && cg_file_exists(v2->path, "cgroup.kill")) {
		if (cg_write(v2, "cgroup.kill", "1", err) < 0)
			return kerr_code(err);
		if (freezer_dir(cg, &v1) && v1 && cgroup_is_frozen(cg))
			cgroup_freeze(cg, false, &ignored);
		return 0;
	}
	/* Frozen, nothing escapes by forking while we walk the list: for
	 * every signal, as runc does (`podman stop` of a --pid host
	 * container is `kill --all ID 15`, and a child forked after the walk
	 * would miss its SIGTERM).  A paused container stays paused, unless
	 * the processes must run to die. */
	frozen = cgroup_is_frozen(cg);
	if (!frozen && sig != 0)
		cgroup_freeze(cg, true, &ignored);
	if (cgroup_pids(cg, &pids, &n, err) < 0) {
		if (!frozen && sig != 0)
			cgroup_freeze(cg, false, &ignored);
		return kerr_code(err);
	}
	for (size_t i = 0; i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH && sig != 0)
			kerr_set(&ignored, errno, "kill %d", (int)pids[i]);
	if ((!frozen && sig != 0) || sig == SIGKILL)
		cgroup_freeze(cg, false, &ignored);
	return 0;
}
