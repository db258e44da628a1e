/* The OCI runtime-spec configuration model (config.json, 1.0 - 1.3).
 *
 * spec_load() parses and strictly validates a bundle's config.json into a
 * `struct oci_spec`.  Strings are borrowed from the json-c tree that the
 * spec keeps alive in `json`, so the model costs one allocation per array
 * and nothing per string.  Errors name the field path, e.g.
 * "config.json: process.args: expected a non-empty array of strings". */
#ifndef KURA_RUNTIME_SPEC_H
#define KURA_RUNTIME_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"
#include "../fs/fsroot.h"

struct json_object;

struct oci_kv {
	const char *key;
	const char *value;
};

struct oci_id_map {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

struct oci_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft;
	uint64_t hard;
};

struct oci_namespace {
	int type;         /* CLONE_NEW* */
	const char *path; /* join this namespace instead of creating one; NULL: new */
};

struct oci_hook {
	const char *path;
	const char **args; /* NULL-terminated, may be NULL */
	const char **env;  /* NULL-terminated, may be NULL */
	int timeout;       /* seconds, 0 = none */
};

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_KIND_COUNT,
};

struct oci_hooks {
	struct oci_hook *hooks[OCI_HOOK_KIND_COUNT];
	size_t n_hooks[OCI_HOOK_KIND_COUNT];
};

/* Capability sets as bitmasks of CAP_* numbers. */
struct oci_capabilities {
	uint64_t bounding;
	uint64_t effective;
	uint64_t inheritable;
	uint64_t permitted;
	uint64_t ambient;
};

struct oci_user {
	uid_t uid;
	gid_t gid;
	gid_t *additional_gids;
	size_t n_additional_gids;
	bool has_umask;
	mode_t umask;
};

struct oci_process {
	bool terminal;
	bool has_console_size;
	unsigned int console_height;
	unsigned int console_width;
	struct oci_user user;
	const char **args; /* NULL-terminated, at least one entry */
	const char **env;  /* NULL-terminated, may be empty */
	const char *cwd;   /* absolute */
	bool has_capabilities;
	struct oci_capabilities capabilities;
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	const char *apparmor_profile; /* NULL if unset */
	const char *selinux_label;    /* NULL if unset */
};

struct oci_time_offset {
	int64_t secs;
	uint32_t nanosecs;
};

struct oci_linux {
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_id_map *uid_mappings;
	size_t n_uid_mappings;
	struct oci_id_map *gid_mappings;
	size_t n_gid_mappings;
	bool has_time_offsets;
	struct oci_time_offset monotonic_offset;
	struct oci_time_offset boottime_offset;
	struct fsroot_device *devices;
	size_t n_devices;
	const char *cgroups_path;      /* NULL if unset */
	struct json_object *resources; /* linux.resources, validated by cgroups/ */
	struct oci_kv *sysctl;
	size_t n_sysctl;
	const char **masked_paths;        /* NULL-terminated */
	const char **readonly_paths;      /* NULL-terminated */
	unsigned long rootfs_propagation; /* MS_* | MS_REC, 0 = default (rslave) */
	const char *mount_label;
	struct json_object *seccomp; /* linux.seccomp, NULL if unset */
	bool has_personality;
	unsigned long personality;
};

struct oci_spec {
	struct json_object *json;         /* owns every borrowed string below */
	struct json_object *process_json; /* from spec_parse_process(), or NULL */
	const char *oci_version;
	char *root_path; /* absolute: root.path resolved against the bundle */
	bool root_readonly;
	const char *hostname;   /* NULL if unset */
	const char *domainname; /* NULL if unset */
	bool has_process;
	struct oci_process process;
	struct fsroot_mount *mounts;
	size_t n_mounts;
	struct oci_hooks hooks;
	struct oci_kv *annotations;
	size_t n_annotations;
	struct oci_linux linux;
};

/* Parse and validate the JSON text of a config.json.  bundle is the
 * absolute bundle directory, used to resolve a relative root.path.
 * `name` prefixes error messages ("config.json").  On failure *ret is
 * untouched and err names the field. */
int spec_parse(const char *json_text, size_t len, const char *bundle, const char *name,
               struct oci_spec **ret, struct kerr *err);

/* Parse the JSON text of a process object (`exec --process FILE`) and
 * replace spec->process with it; the spec keeps the new tree alive.
 * Errors name the field: "process.json: args: ...". */
int spec_parse_process(struct oci_spec *spec, const char *json_text, size_t len, const char *name,
                       struct kerr *err);

/* Read BUNDLE/config.json and parse it. */
int spec_load(const char *bundle, struct oci_spec **ret, struct kerr *err);

void spec_free(struct oci_spec *spec);

/* Lookups used by the lifecycle. */
const struct oci_namespace *spec_namespace(const struct oci_spec *spec, int clone_flag);
const char *spec_annotation(const struct oci_spec *spec, const char *key);

/* The default config.json of `kura spec` (as `runc spec` writes it);
 * with rootless, the variant with a user namespace mapping the caller. */
char *spec_default_json(bool rootless, uid_t uid, gid_t gid);

/* Map names used by the spec to numbers; -1 if unknown. */
int spec_capability_from_name(const char *name); /* "CAP_SYS_ADMIN" -> 21 */
const char *spec_capability_name(int cap);
int spec_rlimit_from_name(const char *name);     /* "RLIMIT_NOFILE" -> 7 */
int spec_namespace_from_name(const char *name);  /* "pid" -> CLONE_NEWPID */
const char *spec_namespace_name(int clone_flag); /* CLONE_NEWPID -> "pid" */

#endif
