/* The runtime-spec features document (`kura features`), in the shape
 * `runc features` prints.  Lists are facts of this build: the mount
 * options are checked against fs/'s option table; the seccomp object
 * comes from seccomp.c, which knows what its filter builder accepts. */
#include "features.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#ifdef KURA_HAVE_SECCOMP
#include <seccomp.h>
#endif

#include "../common/cleanup.h"
#include "../common/util.h"
#include "lsm.h"
#include "rootopts.h"
#include "seccomp.h"
#include "spec.h"

/* Every option fs/mount_options.c understands (the rest would go to the
 * filesystem as data); kept sorted as runc prints them. */
static const char *const mount_options[] = {
    "acl",          "async",       "atime",          "bind",
    "defaults",     "dev",         "diratime",       "dirsync",
    "exec",         "iversion",    "lazytime",       "loud",
    "mand",         "noacl",       "noatime",        "nodev",
    "nodiratime",   "noexec",      "noiversion",     "nolazytime",
    "nomand",       "norelatime",  "nostrictatime",  "nosuid",
    "nosymfollow",  "private",     "ratime",         "rbind",
    "rdev",         "rdiratime",   "relatime",       "remount",
    "rexec",        "rnoatime",    "rnodev",         "rnodiratime",
    "rnoexec",      "rnorelatime", "rnostrictatime", "rnosuid",
    "rnosymfollow", "ro",          "rprivate",       "rrelatime",
    "rro",          "rrw",         "rshared",        "rslave",
    "rstrictatime", "rsuid",       "rsymfollow",     "runbindable",
    "rw",           "shared",      "silent",         "slave",
    "strictatime",  "suid",        "symfollow",      "sync",
    "tmpcopyup",    "unbindable",
};

static const char *const hooks[] = {"prestart",       "createRuntime", "createContainer",
                                    "startContainer", "poststart",     "poststop"};

static const char *const namespaces[] = {"cgroup", "ipc",  "mount", "network",
                                         "pid",    "time", "user",  "uts"};

static json_object *strings(const char *const *v, size_t n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(v[i]));
	return arr;
}

static json_object *enabled(bool on)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_boolean(on));
	return o;
}

/* Only the options the parser really recognizes are advertised. */
static json_object *mount_options_array(void)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < ARRAY_SIZE(mount_options); i++) {
		struct fsroot_mount m = {0};
		struct kerr err;

		if (fsroot_parse_mount_options(&mount_options[i], 1, &m, &err) == 0 && !m.data)
			json_object_array_add(arr, json_object_new_string(mount_options[i]));
		free(m.data);
	}
	return arr;
}

static json_object *capabilities_array(void)
{
	json_object *arr = json_object_new_array();

	for (int c = 0; spec_capability_name(c); c++)
		json_object_array_add(arr, json_object_new_string(spec_capability_name(c)));
	return arr;
}

static json_object *namespaces_array(void)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < ARRAY_SIZE(namespaces); i++)
		if (spec_namespace_from_name(namespaces[i]) >= 0)
			json_object_array_add(arr, json_object_new_string(namespaces[i]));
	return arr;
}

static json_object *linux_object(void)
{
	json_object *lin = json_object_new_object(), *cg = json_object_new_object();
	json_object *ext = json_object_new_object();

	json_object_object_add(lin, "namespaces", namespaces_array());
	json_object_object_add(lin, "capabilities", capabilities_array());
	json_object_object_add(cg, "v1", json_object_new_boolean(1));
	json_object_object_add(cg, "v2", json_object_new_boolean(1));
	json_object_object_add(cg, "systemd", json_object_new_boolean(0));
	json_object_object_add(cg, "systemdUser", json_object_new_boolean(0));
	json_object_object_add(cg, "rdma", json_object_new_boolean(1));
	json_object_object_add(lin, "cgroup", cg);
	json_object_object_add(lin, "seccomp", seccomp_features_json());
	json_object_object_add(lin, "apparmor", enabled(lsm_apparmor_enabled()));
	json_object_object_add(lin, "selinux", enabled(lsm_selinux_enabled()));
	json_object_object_add(lin, "intelRdt", enabled(false));
	json_object_object_add(ext, "idmap", enabled(false));
	json_object_object_add(lin, "mountExtensions", ext);
	return lin;
}

static json_object *annotations_object(void)
{
	json_object *o = json_object_new_object();
#ifdef KURA_HAVE_SECCOMP
	const struct scmp_version *v = seccomp_version();
	char buf[64];

	snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	json_object_object_add(o, "io.github.seccomp.libseccomp.version",
	                       json_object_new_string(buf));
#endif
	/* Callers such as podman read this key to offer checkpointing. */
	json_object_object_add(o, "org.opencontainers.runc.checkpoint.enabled",
	                       json_object_new_string("false"));
	/* The tenant roots (docs/roots.md): each key with the values it takes. */
	for (const struct rootopts_annotation *a = rootopts_annotations; a->key; a++)
		json_object_object_add(o, a->key, json_object_new_string(a->values));
	return o;
}

char *features_json(void)
{
	json_object *f = json_object_new_object();
	char *text;

	json_object_object_add(f, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(f, "ociVersionMax", json_object_new_string("1.3.0"));
	json_object_object_add(f, "hooks", strings(hooks, ARRAY_SIZE(hooks)));
	json_object_object_add(f, "mountOptions", mount_options_array());
	json_object_object_add(f, "linux", linux_object());
	json_object_object_add(f, "annotations", annotations_object());
	text = xstrdup(json_object_to_json_string_ext(
	    f, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(f);
	return text;
}
