/* The host's cgroup hierarchies and our place in them: read once per
 * process from /proc/self/mountinfo and /proc/self/cgroup. */
#include "cg-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"

/* The v1 controllers kura knows; other super options of a cgroup mount
 * (rw, relatime, name=..., xattr...) are not controllers. */
static const char *const v1_controllers[] = {
    "cpu",      "cpuacct", "cpuset",     "memory",  "devices", "freezer", "net_cls",
    "net_prio", "blkio",   "perf_event", "hugetlb", "pids",    "rdma",    "misc",
};

const char *cgroup_mode_name(enum cgroup_mode mode)
{
	switch (mode) {
	case CGROUP_MODE_UNIFIED:
		return "unified";
	case CGROUP_MODE_HYBRID:
		return "hybrid";
	case CGROUP_MODE_LEGACY:
		return "legacy";
	}
	return "unknown";
}

bool cg_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* "rw,nosuid,cpu,cpuacct" -> "cpu,cpuacct"; NULL when it names none. */
static char *v1_controllers_of(const char *superopts)
{
	char *out = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(v1_controllers); i++) {
		char *next;

		if (!cg_list_has(superopts, v1_controllers[i]))
			continue;
		next =
		    out ? xasprintf("%s,%s", out, v1_controllers[i]) : xstrdup(v1_controllers[i]);
		free(out);
		out = next;
	}
	return out;
}

/* Same set of controllers, whatever the order? */
static bool same_set(const char *a, const char *b)
{
	_cleanup_free_ char *copy = xstrdup(a);
	size_t na = 0, nb = 0;

	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!cg_list_has(b, t))
			return false;
		na++;
	}
	for (const char *p = b; *p; p++)
		nb += *p == ',';
	return *b && na == nb + 1;
}

static void add_hierarchy(struct cg_host *host, const char *mountpoint, char *controllers, bool v2)
{
	for (size_t i = 0; i < host->n; i++) {
		/* The same hierarchy mounted twice: keep the first. */
		if (host->h[i].v2 == v2 && strcmp(host->h[i].controllers, controllers) == 0) {
			free(controllers);
			return;
		}
	}
	host->h = xrealloc(host->h, (host->n + 1) * sizeof(*host->h));
	host->h[host->n++] = (struct cg_hierarchy){
	    .mountpoint = xstrdup(mountpoint), .controllers = controllers, .v2 = v2};
}

static int read_mounts(struct cg_host *host, struct kerr *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	if (!f)
		return kerr_set(err, errno, "open `/proc/self/mountinfo`");
	while (getline(&line, &cap, f) > 0) {
		char root[4096], mnt[4096], fstype[64], superopts[1024];
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, superopts) != 2)
			continue;
		/* A bind of a sub-cgroup (inside a container) does not show the
		 * whole hierarchy: our paths would be wrong in it. */
		if (strcmp(root, "/") != 0)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			add_hierarchy(host, mnt, xstrdup(""), true);
		} else if (strcmp(fstype, "cgroup") == 0) {
			char *c = v1_controllers_of(superopts);
			if (c)
				add_hierarchy(host, mnt, c, false);
		}
	}
	return 0;
}

static int read_own(struct cg_host *host, struct kerr *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f)
		return kerr_set(err, errno, "open `/proc/self/cgroup`");
	while ((len = getline(&line, &cap, f)) > 0) {
		char *c1, *c2;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		for (size_t i = 0; i < host->n; i++) {
			struct cg_hierarchy *h = &host->h[i];
			bool match = h->v2 ? strcmp(line, "0") == 0 && c1[1] == '\0'
			                   : same_set(h->controllers, c1 + 1);
			if (match && !h->own)
				h->own = xstrdup(c2 + 1);
		}
	}
	for (size_t i = 0; i < host->n; i++)
		if (!host->h[i].own)
			host->h[i].own = xstrdup("/");
	return 0;
}

int cg_host_get(const struct cg_host **ret, struct kerr *err)
{
	static struct cg_host host;
	static bool done;
	bool v1 = false, v2 = false;

	if (done) {
		*ret = &host;
		return 0;
	}
	if (read_mounts(&host, err) < 0 || read_own(&host, err) < 0)
		return kerr_code(err);
	for (size_t i = 0; i < host.n; i++) {
		if (host.h[i].v2)
			v2 = true;
		else
			v1 = true;
	}
	if (!v1 && !v2)
		return kerr_setx(err, ENOENT, "no cgroup hierarchy is mounted");
	host.mode = !v1 ? CGROUP_MODE_UNIFIED : v2 ? CGROUP_MODE_HYBRID : CGROUP_MODE_LEGACY;
	done = true;
	*ret = &host;
	return 0;
}

int cgroup_host_mode(enum cgroup_mode *ret, struct kerr *err)
{
	const struct cg_host *host;

	if (cg_host_get(&host, err) < 0)
		return kerr_code(err);
	*ret = host->mode;
	return 0;
}
