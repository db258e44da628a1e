/* The container's cgroup: its directories in every hierarchy, made,
 * joined, saved and removed. */
#include "cg-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

static bool word_in(const char *list, const char *word);

const struct cg_dir *cg_dir_v2(const struct cgroup *cg)
{
	for (size_t i = 0; i < cg->n_dirs; i++)
		if (cg->dirs[i].v2)
			return &cg->dirs[i];
	return NULL;
}

/* Is controller enabled for the v2 directory (listed in its own
 * cgroup.controllers, which shows what the parent delegates)? */
static bool v2_has(const struct cg_dir *d, const char *controller)
{
	_cleanup_free_ char *list = NULL;
	struct kerr ignored;

	list = cg_read(d->path, "cgroup.controllers", &ignored);
	return list && word_in(list, controller);
}

const struct cg_dir *cg_dir_for(const struct cgroup *cg, const char *controller)
{
	const struct cg_dir *v2 = NULL;

	for (size_t i = 0; i < cg->n_dirs; i++) {
		if (cg->dirs[i].v2)
			v2 = &cg->dirs[i];
		else if (cg_list_has(cg->dirs[i].controllers, controller))
			return &cg->dirs[i];
	}
	return v2 && v2_has(v2, controller) ? v2 : NULL;
}

const char *cgroup_path_of(const struct cgroup *cg, const char *controller)
{
	const struct cg_dir *d;

	if (!*controller)
		return (d = cg_dir_v2(cg)) ? d->path : NULL;
	d = cg_dir_for(cg, controller);
	return d ? d->path : NULL;
}

char *cg_read(const char *dir, const char *file, struct kerr *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	char *buf = NULL;
	size_t len = 0;

	if (read_file_at(AT_FDCWD, path, &buf, &len, err) < 0)
		return NULL;
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

bool cg_file_exists(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);

	return access(path, F_OK) == 0;
}

int cg_write(const struct cg_dir *d, const char *file, const char *value, struct kerr *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", d->path, file);
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC); /* O_TRUNC: as `echo >` does */
	ssize_t n;

	if (fd < 0)
		return kerr_set(err, errno, "open `%s`", path);
	n = write(fd, value, strlen(value));
	if (n < 0) {
		int e = errno;
		close(fd);
		return kerr_set(err, e, "write \"%s\" to `%s`", value, path);
	}
	close(fd);
	return 0;
}

/* "a//b/./c/" -> "a/b/c"; ".." is refused: a cgroupsPath must not climb
 * out of the hierarchy or of our own cgroup. */
static int clean_path(const char *in, char **ret, struct kerr *err)
{
	_cleanup_free_ char *copy = xstrdup(in), *out = xstrdup("");

	for (char *save = NULL, *t = strtok_r(copy, "/", &save); t;
	     t = strtok_r(NULL, "/", &save)) {
		char *next;

		if (strcmp(t, ".") == 0)
			continue;
		if (strcmp(t, "..") == 0)
			return kerr_setx(err, EINVAL,
			                 "linux.cgroupsPath: \"%s\": must not contain \"..\"", in);
		next = *out ? xasprintf("%s/%s", out, t) : xstrdup(t);
		free(out);
		out = next;
	}
	*ret = steal_ptr(out);
	return 0;
}

static bool dir_has_procs(const char *dir)
{
	_cleanup_free_ char *procs = NULL;
	struct kerr ignored;

	procs = cg_read(dir, "cgroup.procs", &ignored);
	return procs && *procs;
}

/* The directory below which a relative path goes in hierarchy h. */
static char *relative_base(const struct cg_hierarchy *h, enum cgroup_mode mode)
{
	_cleanup_free_ char *own =
	    xasprintf("%s%s", h->mountpoint, strcmp(h->own, "/") ? h->own : "");

	/* On pure v2 a cgroup with processes cannot delegate controllers to
	 * a child ("no internal processes"): go one up, as runc does. */
	if (mode == CGROUP_MODE_UNIFIED && strcmp(h->own, "/") != 0 && dir_has_procs(own)) {
		char *slash = strrchr(own, '/');
		if (slash && (size_t)(slash - own) >= strlen(h->mountpoint))
			*slash = '\0';
	}
	return steal_ptr(own);
}

static void add_created(struct cgroup *cg, const char *path)
{
	cg->created = xrealloc(cg->created, (cg->n_created + 1) * sizeof(char *));
	cg->created[cg->n_created++] = xstrdup(path);
}

/* A new v1 cpuset starts with no CPUs and no memory nodes; nothing can
 * join it until they are copied from the parent. */
static int cpuset_inherit(const char *dir, struct kerr *err)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	_cleanup_free_ char *parent = xstrdup(dir);
	struct cg_dir d = {.path = (char *)dir};
	char *slash = strrchr(parent, '/');

	*slash = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *mine = cg_read(dir, files[i], err), *theirs = NULL;

		if (!mine)
			return kerr_code(err);
		if (*mine)
			continue;
		theirs = cg_read(parent, files[i], err);
		if (!theirs)
			return kerr_code(err);
		if (cg_write(&d, files[i], theirs, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

/* The controllers kura delegates on v2 when the parent has them. */
static const char *const v2_controllers[] = {"cpuset", "cpu",     "io",   "memory",
                                             "pids",   "hugetlb", "rdma", "misc"};

/* Enable, in dir's cgroup.subtree_control, what dir has and we use.  A
 * controller the kernel refuses here (EBUSY: dir holds processes) is
 * left out; writing a limit of it then fails with a clear message. */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void v2_delegate(const char *dir)
{
	_cleanup_free_ char *have = NULL, *on = NULL;
	struct cg_dir d = {.path = (char *)dir};
	struct kerr ignored;

	have = cg_read(dir, "cgroup.controllers", &ignored);
	on = cg_read(dir, "cgroup.subtree_control", &ignored);
	if (!have)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(v2_controllers); i++) {
		char word[32];

		if (!word_in(have, v2_controllers[i]) || word_in(on, v2_controllers[i]))
			continue;
		snprintf(word, sizeof(word), "+%s", v2_controllers[i]);
		cg_write(&d, "cgroup.subtree_control", word, &ignored);
	}
}

/* mkdir -p below base, recording what we made.  On a pure v2 host each
 * level from the root down delegates the controllers to the next, as
 * runc does (a limit needs its controller enabled in every ancestor);
 * the leaf delegates nothing, or it could not hold processes.  A hybrid
 * host's v2 hierarchy is left as it is: its root belongs to the host. */
static int make_dirs(const struct cg_hierarchy *h, enum cgroup_mode mode, const char *base,
                     const char *rel, struct kerr *err)
{
	_cleanup_free_ char *copy = xstrdup(rel), *path = xstrdup(base);
	bool delegate = h->v2 && mode == CGROUP_MODE_UNIFIED;
	char *save = NULL, *t, *next_t;

	if (delegate) {
		_cleanup_free_ char *walk = xstrdup(h->mountpoint);
		_cleanup_free_ char *tail = xstrdup(base + strlen(h->mountpoint));

		v2_delegate(walk);
		for (char *s2 = NULL, *c = strtok_r(tail, "/", &s2); c;
		     c = strtok_r(NULL, "/", &s2)) {
			char *next = xasprintf("%s/%s", walk, c);
			free(walk);
			walk = next;
			v2_delegate(walk);
		}
	}
	for (t = strtok_r(copy, "/", &save); t; t = next_t) {
		char *next = xasprintf("%s/%s", path, t);

		next_t = strtok_r(NULL, "/", &save);
		free(path);
		path = next;
		if (mkdir(path, 0755) == 0) {
			if (!h->v2 && cg_list_has(h->controllers, "cpuset") &&
			    cpuset_inherit(path, err) < 0)
				return kerr_code(err);
		} else if (errno != EEXIST) {
			return kerr_set(err, errno, "create cgroup `%s`", path);
		}
		if (delegate && next_t)
			v2_delegate(path);
	}
	return 0;
}

static void add_dir(struct cgroup *cg, const char *path, const char *controllers, bool v2)
{
	cg->dirs = xrealloc(cg->dirs, (cg->n_dirs + 1) * sizeof(*cg->dirs));
	cg->dirs[cg->n_dirs++] =
	    (struct cg_dir){.path = xstrdup(path), .controllers = xstrdup(controllers), .v2 = v2};
}

/* The directories below base that do not exist yet, shallowest first:
 * what realize() will make, and destroy() remove. */
static void plan_created(struct cgroup *cg, const char *base, const char *rel)
{
	_cleanup_free_ char *copy = xstrdup(rel), *path = xstrdup(base);
	bool missing = false;

	for (char *save = NULL, *t = strtok_r(copy, "/", &save); t;
	     t = strtok_r(NULL, "/", &save)) {
		char *next = xasprintf("%s/%s", path, t);

		free(path);
		path = next;
		if (missing || access(path, F_OK) < 0)
			missing = true;
		if (missing)
			add_created(cg, path);
	}
}

int cgroup_plan(const char *cgroups_path, const char *id, struct cgroup **ret, struct kerr *err)
{
	const struct cg_host *host;
	struct cgroup *cg;
	_cleanup_free_ char *rel = NULL;
	bool absolute = cgroups_path && cgroups_path[0] == '/';

	if (cg_host_get(&host, err) < 0)
		return kerr_code(err);
	if (clean_path(cgroups_path ? cgroups_path : id, &rel, err) < 0)
		return kerr_code(err);
	if (!*rel)
		return kerr_setx(err, EINVAL, "linux.cgroupsPath: \"%s\": names the root cgroup",
		                 cgroups_path ? cgroups_path : id);
	cg = xcalloc(1, sizeof(*cg));
	cg->mode = host->mode;
	for (size_t i = 0; i < host->n; i++) {
		const struct cg_hierarchy *h = &host->h[i];
		_cleanup_free_ char *base =
		    absolute ? xstrdup(h->mountpoint) : relative_base(h, host->mode);
		_cleanup_free_ char *dir = xasprintf("%s/%s", base, rel);

		add_dir(cg, dir, h->controllers, h->v2);
		cg->dirs[i].base = steal_ptr(base);
		plan_created(cg, cg->dirs[i].base, rel);
	}
	cg->rel = steal_ptr(rel);
	*ret = cg;
	return 0;
}

int cgroup_realize(struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err)
{
	const struct cg_host *host;

	if (cg_host_get(&host, err) < 0)
		return kerr_code(err);
	if (!cg->rel || cg->n_dirs != host->n)
		return kerr_setx(err, EINVAL, "cgroup: not planned in this process");
	for (size_t i = 0; i < host->n; i++) {
		const char *dir = cg->dirs[i].path;

		if (make_dirs(&host->h[i], host->mode, cg->dirs[i].base, cg->rel, err) < 0)
			return kerr_code(err);
		if (dir_has_procs(dir))
			return kerr_setx(err, EEXIST, "cgroup `%s` already holds processes", dir);
	}
	return r ? cg_apply(cg, r, err) : 0;
}

int cgroup_create(const char *cgroups_path, const char *id, const struct cgroup_resources *r,
                  struct cgroup **ret, struct kerr *err)
{
	struct cgroup *cg;
	struct kerr ignored;

	if (cgroup_plan(cgroups_path, id, &cg, err) < 0)
		return kerr_code(err);
	if (cgroup_realize(cg, r, err) < 0) {
		cgroup_destroy(cg, &ignored);
		return kerr_code(err);
	}
	*ret = cg;
	return 0;
}

int cgroup_attach(const struct cgroup *cg, pid_t pid, struct kerr *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < cg->n_dirs; i++)
		if (cg_write(&cg->dirs[i], "cgroup.procs", buf, err) < 0)
			return kerr_wrap(err, "join the container's cgroup");
	return 0;
}

int cgroup_v2_dirfd(const struct cgroup *cg)
{
	const struct cg_dir *d = cg_dir_v2(cg);

	if (cg->mode != CGROUP_MODE_UNIFIED || !d)
		return -1;
	return open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cgroup_update(const struct cgroup *cg, const struct cgroup_resources *r, struct kerr *err)
{
	return cg_apply(cg, r, err);
}

/* --------------------------------------------------------------- pids */

static int collect_pids(const char *dir, pid_t **v, size_t *n, int depth, struct kerr *err)
{
	_cleanup_free_ char *procs = cg_read(dir, "cgroup.procs", err);
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *e;

	if (!procs)
		return errno == ENOENT ? 0 : kerr_code(err);
	for (char *save = NULL, *t = strtok_r(procs, "\n", &save); t;
	     t = strtok_r(NULL, "\n", &save)) {
		*v = xrealloc(*v, (*n + 1) * sizeof(pid_t));
		(*v)[(*n)++] = (pid_t)atoi(t);
	}
	/* Sub-cgroups the container made itself (systemd, nested runtimes). */
	if (depth > 32 || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		_cleanup_free_ char *sub = NULL;
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", dir, e->d_name);
		if (collect_pids(sub, v, n, depth + 1, err) < 0)
			return kerr_code(err);
	}
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* The directory whose cgroup.procs is authoritative: the v1 freezer (it
 * is what pauses), else the v2 directory, else any. */
static const struct cg_dir *procs_dir(const struct cgroup *cg)
{
	const struct cg_dir *d = NULL;

	for (size_t i = 0; i < cg->n_dirs; i++)
		if (!cg->dirs[i].v2 && cg_list_has(cg->dirs[i].controllers, "freezer"))
			return &cg->dirs[i];
	d = cg_dir_v2(cg);
	return d ? d : cg->n_dirs ? &cg->dirs[0] : NULL;
}

int cgroup_pids(const struct cgroup *cg, pid_t **ret, size_t *ret_n, struct kerr *err)
{
	const struct cg_dir *d = procs_dir(cg);
	pid_t *v = NULL;
	size_t n = 0;

	if (d && collect_pids(d->path, &v, &n, 0, err) < 0) {
		free(v);
		return kerr_code(err);
	}
	if (n)
		qsort(v, n, sizeof(pid_t), cmp_pid);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ------------------------------------------------------------- destroy */

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int cgroup_destroy(struct cgroup *cg, struct kerr *err)
{
	struct kerr ignored;
	int r = 0;

	if (!cg)
		return 0;
	/* The leaf in each hierarchy, then the parents we made, deepest
	 * first; a process still dying keeps a cgroup busy for a moment. */
	for (int attempt = 0; attempt < 200; attempt++) {
		bool busy = false;

		for (size_t i = 0; i < cg->n_dirs; i++) {
			if (!cg->dirs[i].path)
				continue;
			if (rmdir(cg->dirs[i].path) == 0 || errno == ENOENT) {
				free(cg->dirs[i].path);
				cg->dirs[i].path = NULL;
			} else if (errno == EBUSY) {
				busy = true;
			} else {
				r = kerr_set(err, errno, "remove cgroup `%s`", cg->dirs[i].path);
			}
		}
		if (!busy)
			break;
		if (attempt == 0)
			cgroup_kill(cg, SIGKILL, &ignored);
		sleep_ms(attempt < 20 ? 1 : 10);
	}
	for (size_t i = 0; i < cg->n_dirs; i++)
		if (cg->dirs[i].path && r == 0)
			r = kerr_setx(err, EBUSY, "remove cgroup `%s`: still in use",
			              cg->dirs[i].path);
	for (size_t i = cg->n_created; i-- > 0;)
		if (rmdir(cg->created[i]) < 0 && errno != ENOENT && errno != EBUSY &&
		    errno != ENOTEMPTY && r == 0)
			r = kerr_set(err, errno, "remove cgroup `%s`", cg->created[i]);
	cgroup_free(cg);
	return r;
}

void cgroup_free(struct cgroup *cg)
{
	if (!cg)
		return;
	for (size_t i = 0; i < cg->n_dirs; i++) {
		free(cg->dirs[i].path);
		free(cg->dirs[i].controllers);
		free(cg->dirs[i].base);
	}
	free(cg->dirs);
	for (size_t i = 0; i < cg->n_created; i++)
		free(cg->created[i]);
	free(cg->created);
	free(cg->rel);
	free(cg);
}

/* ---------------------------------------------------------------- json */

struct json_object *cgroup_to_json(const struct cgroup *cg)
{
	json_object *o = json_object_new_object(), *dirs = json_object_new_array(),
	            *created = json_object_new_array();

	json_object_object_add(o, "mode", json_object_new_string(cgroup_mode_name(cg->mode)));
	for (size_t i = 0; i < cg->n_dirs; i++) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "path", json_object_new_string(cg->dirs[i].path));
		json_object_object_add(d, "controllers",
		                       json_object_new_string(cg->dirs[i].controllers));
		json_object_object_add(d, "v2", json_object_new_boolean(cg->dirs[i].v2));
		json_object_array_add(dirs, d);
	}
	for (size_t i = 0; i < cg->n_created; i++)
		json_object_array_add(created, json_object_new_string(cg->created[i]));
	json_object_object_add(o, "dirs", dirs);
	json_object_object_add(o, "created", created);
	return o;
}

/* Only absolute paths below a mounted hierarchy are taken from a state
 * file: it is ours, but a path that climbs out would make delete remove
 * someone else's cgroup. */
static bool sane_path(const char *p)
{
	return p && strncmp(p, "/sys/fs/cgroup/", 15) == 0 && !strstr(p, "/../") &&
	       !strstr(p, "/./");
}

int cgroup_from_json(struct json_object *obj, struct cgroup **ret, struct kerr *err)
{
	json_object *mode, *dirs, *created;
	struct cgroup *cg;

	if (!json_object_object_get_ex(obj, "mode", &mode) ||
	    !json_object_object_get_ex(obj, "dirs", &dirs) ||
	    !json_object_is_type(dirs, json_type_array))
		return kerr_setx(err, EINVAL, "state: cgroup: malformed");
	cg = xcalloc(1, sizeof(*cg));
	cg->mode = strcmp(json_object_get_string(mode), "unified") == 0  ? CGROUP_MODE_UNIFIED
	           : strcmp(json_object_get_string(mode), "hybrid") == 0 ? CGROUP_MODE_HYBRID
	                                                                 : CGROUP_MODE_LEGACY;
	for (size_t i = 0; i < json_object_array_length(dirs); i++) {
		json_object *d = json_object_array_get_idx(dirs, i), *p, *c, *v2;
		if (!json_object_object_get_ex(d, "path", &p) ||
		    !json_object_object_get_ex(d, "controllers", &c) ||
		    !json_object_object_get_ex(d, "v2", &v2) ||
		    !sane_path(json_object_get_string(p))) {
			cgroup_free(cg);
			return kerr_setx(err, EINVAL, "state: cgroup: malformed directory");
		}
		add_dir(cg, json_object_get_string(p), json_object_get_string(c),
		        json_object_get_boolean(v2));
	}
	if (json_object_object_get_ex(obj, "created", &created) &&
	    json_object_is_type(created, json_type_array))
		for (size_t i = 0; i < json_object_array_length(created); i++) {
			const char *p =
			    json_object_get_string(json_object_array_get_idx(created, i));
			if (sane_path(p))
				add_created(cg, p);
		}
	*ret = cg;
	return 0;
}
