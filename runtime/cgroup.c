/* The container's cgroup through its life: see cgroup.h. */
#include "cgroup.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "state.h"

int container_resources_from_spec(const struct oci_spec *spec, struct cgroup_resources *r,
                                  struct kerr *err)
{
	if (cgroup_resources_parse(spec->linux.resources, "linux.resources", r, err) < 0)
		return kerr_wrap(err, "config.json");
	/* As runc: the config's rules (usually "deny all" first), then the
	 * devices every container gets, then one rule per linux.devices
	 * entry; a later rule wins. */
	cgroup_resources_add_default_devices(r);
	for (size_t i = 0; i < spec->linux.n_devices; i++) {
		const struct fsroot_device *d = &spec->linux.devices[i];
		struct cgroup_device_rule rule = {
		    .allow = true,
		    .type = d->type == 'b' ? 'b' : 'c',
		    .major = d->major,
		    .minor = d->minor,
		    .access = CGROUP_DEV_READ | CGROUP_DEV_WRITE | CGROUP_DEV_MKNOD,
		};
		if (d->type == 'p')
			continue; /* fifos are not device-controlled */
		cgroup_resources_add_device(r, &rule);
	}
	return 0;
}

int container_cgroup_create(int dirfd, const struct oci_spec *spec, const char *id, bool systemd,
                            const struct cgroup_resources *r, struct cgroup **ret, struct kerr *err)
{
	_cleanup_free_ char *path = NULL;
	struct cgroup *cg;
	struct json_object *saved;
	struct kerr ignored;
	int rc;

	/* Recorded before a directory exists: a runtime killed at any later
	 * point leaves what `delete --force` needs to remove them. */
	if (systemd && cgroup_path_from_systemd(spec->linux.cgroups_path, id, &path, err) < 0)
		return kerr_wrap(err, "config.json");
	if (cgroup_plan(systemd ? path : spec->linux.cgroups_path, id, &cg, err) < 0)
		return kerr_code(err);
	saved = cgroup_to_json(cg);
	rc = state_save_cgroup(dirfd, saved, err);
	json_object_put(saved);
	if (rc < 0) {
		cgroup_free(cg);
		return rc;
	}
	if (cgroup_realize(cg, r, err) < 0) {
		cgroup_destroy(cg, &ignored);
		unlinkat(dirfd, "cgroup.json", 0);
		return kerr_code(err);
	}
	*ret = cg;
	return 0;
}

int container_cgroup_load(int dirfd, struct cgroup **ret, struct kerr *err)
{
	struct json_object *saved;
	int r;

	*ret = NULL;
	if (state_load_cgroup(dirfd, &saved, err) < 0)
		return kerr_code(err);
	if (!saved)
		return 0;
	r = cgroup_from_json(saved, ret, err);
	json_object_put(saved);
	return r;
}

int container_cgroup_remove(int dirfd, struct cgroup *cg, struct kerr *err)
{
	if (!cg)
		return 0;
	if (cgroup_destroy(cg, err) < 0)
		return kerr_code(err);
	if (unlinkat(dirfd, "cgroup.json", 0) < 0 && errno != ENOENT)
		return kerr_set(err, errno, "remove cgroup.json");
	return 0;
}

bool container_cgroup_frozen(int dirfd)
{
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	struct kerr ignored;

	return container_cgroup_load(dirfd, &cg, &ignored) == 0 && cg && cgroup_is_frozen(cg);
}

enum container_status container_status_now(int dirfd, const struct container_state *st)
{
	return state_status(dirfd, st, container_cgroup_frozen(dirfd));
}

int container_cgroup_signal(int dirfd, int sig, bool *ret_found, struct kerr *err)
{
	_cleanup_cgroup_ struct cgroup *cg = NULL;

	*ret_found = false;
	if (container_cgroup_load(dirfd, &cg, err) < 0)
		return kerr_code(err);
	*ret_found = cg != NULL;
	return cg ? cgroup_kill(cg, sig, err) : 0;
}

int container_cgroup_pids(int dirfd, pid_t **ret, size_t *ret_n, bool *ret_found, struct kerr *err)
{
	_cleanup_cgroup_ struct cgroup *cg = NULL;

	*ret_found = false;
	if (container_cgroup_load(dirfd, &cg, err) < 0)
		return kerr_code(err);
	*ret_found = cg != NULL;
	return cg ? cgroup_pids(cg, ret, ret_n, err) : 0;
}

int container_cgroup_join(int dirfd, pid_t pid, struct kerr *err)
{
	_cleanup_cgroup_ struct cgroup *cg = NULL;

	if (container_cgroup_load(dirfd, &cg, err) < 0)
		return kerr_code(err);
	if (cg && cgroup_attach(cg, pid, err) < 0)
		return kerr_wrap(err, "join the container's cgroup");
	return 0;
}

/* The locked state directory, state and cgroup of a container that must
 * exist and have a cgroup. */
struct opened {
	int rootfd, dirfd;
	struct container_state st;
	struct cgroup *cg;
};

static void opened_close(struct opened *o)
{
	if (o->dirfd >= 0)
		close(o->dirfd);
	if (o->rootfd >= 0)
		close(o->rootfd);
	container_state_free(&o->st);
	cgroup_free(o->cg);
}

static int open_container(const struct runtime_ctx *ctx, const char *id, struct opened *o,
                          struct kerr *err)
{
	*o = (struct opened){.rootfd = -1, .dirfd = -1};
	if (state_check_id(id, err) < 0 || state_open_root(ctx->root, false, &o->rootfd, err) < 0 ||
	    state_dir_open(o->rootfd, id, &o->dirfd, err) < 0 ||
	    state_read(o->dirfd, id, &o->st, err) < 0 ||
	    container_cgroup_load(o->dirfd, &o->cg, err) < 0)
		return kerr_code(err);
	if (!o->cg)
		return kerr_setx(err, ENOENT, "container \"%s\" has no cgroup", id);
	return 0;
}

static enum container_status status_of(const struct opened *o)
{
	return state_status(o->dirfd, &o->st, cgroup_is_frozen(o->cg));
}

int container_pause(const struct runtime_ctx *ctx, const char *id, struct kerr *err)
{
	struct opened o;
	enum container_status s;
	int r;

	if (open_container(ctx, id, &o, err) < 0) {
		opened_close(&o);
		return kerr_code(err);
	}
	s = status_of(&o);
	if (s != CONTAINER_RUNNING && s != CONTAINER_CREATED)
		r = kerr_setx(err, EINVAL, "container \"%s\" is not running (%s)", id,
		              container_status_name(s));
	else
		r = cgroup_freeze(o.cg, true, err);
	opened_close(&o);
	return r;
}

int container_resume(const struct runtime_ctx *ctx, const char *id, struct kerr *err)
{
	struct opened o;
	int r;

	if (open_container(ctx, id, &o, err) < 0) {
		opened_close(&o);
		return kerr_code(err);
	}
	if (status_of(&o) != CONTAINER_PAUSED)
		r = kerr_setx(err, EINVAL, "container \"%s\" is not paused", id);
	else
		r = cgroup_freeze(o.cg, false, err);
	opened_close(&o);
	return r;
}

int container_update(const struct runtime_ctx *ctx, const char *id,
                     const struct cgroup_resources *r, struct kerr *err)
{
	struct opened o;
	enum container_status s;
	int rc;

	if (open_container(ctx, id, &o, err) < 0) {
		opened_close(&o);
		return kerr_code(err);
	}
	s = status_of(&o);
	if (s == CONTAINER_STOPPED)
		rc = kerr_setx(err, EINVAL, "container \"%s\" is stopped", id);
	else
		rc = cgroup_update(o.cg, r, err);
	opened_close(&o);
	return rc;
}

int container_stats(const struct runtime_ctx *ctx, const char *id, struct json_object **ret,
                    struct kerr *err)
{
	struct opened o;
	struct json_object *data, *ev;
	int r;

	if (open_container(ctx, id, &o, err) < 0) {
		opened_close(&o);
		return kerr_code(err);
	}
	if (status_of(&o) == CONTAINER_STOPPED) {
		r = kerr_setx(err, EINVAL, "container \"%s\" is not running", id);
	} else if ((r = cgroup_stats_json(o.cg, &data, err)) == 0) {
		ev = json_object_new_object();
		json_object_object_add(ev, "type", json_object_new_string("stats"));
		json_object_object_add(ev, "id", json_object_new_string(id));
		json_object_object_add(ev, "data", data);
		*ret = ev;
	}
	opened_close(&o);
	return r;
}

int container_oom_kills(const struct runtime_ctx *ctx, const char *id, uint64_t *ret,
                        struct kerr *err)
{
	struct opened o;

	if (open_container(ctx, id, &o, err) < 0) {
		opened_close(&o);
		return kerr_code(err);
	}
	*ret = cgroup_oom_kills(o.cg);
	opened_close(&o);
	return 0;
}
