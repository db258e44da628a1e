/* Hiding the grace period of the first cgroup v1 migration.
 *
 * Every write to cgroup.procs takes cgroup_threadgroup_rwsem for writing;
 * a percpu rwsem whose writer must first wait for an RCU grace period
 * (rcu_sync_enter) unless another writer passed through less than a grace
 * period ago.  On these machines that wait is 9-14 ms, the largest single
 * cost of `create` (crun pays it too).  So, as soon as create knows it
 * will attach the init, a thread re-writes our own pid into the cgroup we
 * already sit in (a migration to where we are: nothing moves) and takes
 * that wait while the main thread parses, makes the cgroup and clones the
 * init; the attach that follows finds the rwsem's fast path open.
 * Nothing needs this on a pure v2 host, where the init is born in its
 * cgroup (CLONE_INTO_CGROUP takes the rwsem only for reading). */
#include "cg-internal.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "../common/util.h"

static void *prewarm_main(void *arg)
{
	struct cgroup_prewarm *p = arg;
	char pid[24];
	int fd = open(p->procs, O_WRONLY | O_CLOEXEC);
	int n = snprintf(pid, sizeof(pid), "%d", (int)getpid());

	if (fd >= 0) {
		/* Failure only means no head start. */
		(void)!write(fd, pid, (size_t)n);
		close(fd);
	}
	return NULL;
}

void cgroup_prewarm_start(struct cgroup_prewarm *p)
{
	const struct cg_host *host;
	struct kerr ignored;

	p->started = false;
	if (cg_host_get(&host, &ignored) < 0 || host->mode == CGROUP_MODE_UNIFIED)
		return;
	for (size_t i = 0; i < host->n; i++) {
		const struct cg_hierarchy *h = &host->h[i];

		if (h->v2)
			continue;
		snprintf(p->procs, sizeof(p->procs), "%s%s/cgroup.procs", h->mountpoint,
		         h->own[1] ? h->own : "");
		p->started = pthread_create(&p->thread, NULL, prewarm_main, p) == 0;
		return;
	}
}

void cgroup_prewarm_wait(struct cgroup_prewarm *p)
{
	if (p->started)
		pthread_join(p->thread, NULL);
	p->started = false;
}
