/* --systemd-cgroup: cgroupsPath in systemd's "slice:prefix:name" form,
 * turned into the directory systemd itself would use for that unit, as
 * runc's and crun's systemd managers name it.  kura makes the directory
 * through cgroupfs; it does not register the unit with systemd (there is
 * no D-Bus client in kura), which is what `features` says
 * (linux.cgroup.systemd: false). */
#include "cg-internal.h"

#include <errno.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"

/* "a-b.slice" -> "/a.slice/a-b.slice"; "-.slice" and "" -> "". */
static int expand_slice(const char *slice, char **ret, struct kerr *err)
{
	size_t len = strlen(slice);
	_cleanup_free_ char *name = NULL, *path = xstrdup("");

	if (len == 0 || strcmp(slice, "-.slice") == 0) {
		*ret = steal_ptr(path);
		return 0;
	}
	if (len <= 6 || strcmp(slice + len - 6, ".slice") != 0 || strchr(slice, '/'))
		return kerr_setx(err, EINVAL, "linux.cgroupsPath: \"%s\" is not a systemd slice",
		                 slice);
	name = xasprintf("%.*s", (int)(len - 6), slice);
	if (name[0] == '-' || name[strlen(name) - 1] == '-' || strstr(name, "--"))
		return kerr_setx(err, EINVAL, "linux.cgroupsPath: \"%s\" is not a systemd slice",
		                 slice);
	for (char *dash = name;; dash++) {
		char *next;

		dash = strchr(dash, '-');
		if (dash)
			*dash = '\0';
		next = xasprintf("%s/%s.slice", path, name);
		free(path);
		path = next;
		if (!dash)
			break;
		*dash = '-';
	}
	*ret = steal_ptr(path);
	return 0;
}

int cgroup_path_from_systemd(const char *cgroups_path, const char *id, char **ret, struct kerr *err)
{
	_cleanup_free_ char *copy = xstrdup(cgroups_path ? cgroups_path : ""), *slice = NULL;
	char *prefix, *name;

	/* runc's default: "system.slice:kura:ID". */
	if (!cgroups_path || !*cgroups_path) {
		free(copy);
		copy = xasprintf("system.slice:kura:%s", id);
	}
	prefix = strchr(copy, ':');
	name = prefix ? strchr(prefix + 1, ':') : NULL;
	if (!prefix || !name || strchr(name + 1, ':'))
		return kerr_setx(err, EINVAL,
		                 "linux.cgroupsPath: \"%s\": expected \"slice:prefix:name\" with "
		                 "--systemd-cgroup",
		                 cgroups_path);
	*prefix++ = '\0';
	*name++ = '\0';
	if (!*name || strchr(name, '/'))
		return kerr_setx(err, EINVAL, "linux.cgroupsPath: \"%s\": bad unit name",
		                 cgroups_path);
	if (expand_slice(*copy ? copy : "system.slice", &slice, err) < 0)
		return kerr_code(err);
	/* A name that is itself a slice is the unit; else a scope. */
	if (strlen(name) > 6 && strcmp(name + strlen(name) - 6, ".slice") == 0) {
		_cleanup_free_ char *sub = NULL;

		if (expand_slice(name, &sub, err) < 0)
			return kerr_code(err);
		*ret = steal_ptr(sub);
		return 0;
	}
	*ret = *prefix ? xasprintf("%s/%s-%s.scope", slice, prefix, name)
	               : xasprintf("%s/%s.scope", slice, name);
	return 0;
}
