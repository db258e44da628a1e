/* Parsing and strict validation of config.json (runtime-spec 1.0 - 1.3)
 * into struct oci_spec: see spec.h.
 *
 * Every error is one line naming the field path ("config.json:
 * linux.namespaces[2].type: unknown namespace type \"foo\"").  A field
 * that is absent or JSON null is unset, as in the Go runtimes; unknown
 * properties are ignored, as the spec asks, but every known property must
 * have the right type and a sane value.  The spec is built in place and
 * freed with spec_free() on any error, so every array is attached to it
 * as soon as it is allocated. */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Field paths are built in fixed buffers; a path longer than this is
 * truncated in the message, never overflowed. */
#define FIELD_MAX 384

/* The kernel takes at most this many lines in uid_map / gid_map. */
#define ID_MAP_MAX 340

/* Larger configs are refused before json-c sees them (its length is an int). */
#define CONFIG_MAX (64u << 20)

struct parser {
	const char *name; /* "config.json": prefixes every message */
	struct kerr *err;
};

static int fail(const struct parser *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const struct parser *p, const char *field, const char *fmt, ...)
{
	char msg[KERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (field && *field)
		return kerr_setx(p->err, EINVAL, "%s: %s: %s", p->name, field, msg);
	return kerr_setx(p->err, EINVAL, "%s: %s", p->name, msg);
}

/* A field path cut short ends in "...", so a message never names a
 * wrong field without saying so. */
static const char *field_mark_cut(char *buf, int n)
{
	if (n >= FIELD_MAX)
		memcpy(buf + FIELD_MAX - 4, "...", 4);
	return buf;
}

static const char *field_key(char *buf, const char *base, const char *key)
{
	if (*base)
		return field_mark_cut(buf, snprintf(buf, FIELD_MAX, "%s.%s", base, key));
	return field_mark_cut(buf, snprintf(buf, FIELD_MAX, "%s", key));
}

static const char *field_index(char *buf, const char *base, size_t i)
{
	return field_mark_cut(buf, snprintf(buf, FIELD_MAX, "%s[%zu]", base, i));
}

/* A string from the config as a double-quoted C-style literal for a
 * message: control bytes escaped, so that every error stays one line,
 * and long strings cut short. */
#define QUOTE_MAX 160
#define Q(s)      quote((char[QUOTE_MAX]){0}, (s))

static const char *quote(char *buf, const char *s)
{
	size_t n = 0;

	buf[n++] = '"';
	for (; *s && n < QUOTE_MAX - 8; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			n += (size_t)snprintf(buf + n, QUOTE_MAX - n, "\\x%02x", c);
		} else {
			buf[n++] = (char)c;
		}
	}
	if (*s) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

static const char *type_name(enum json_type type)
{
	switch (type) {
	case json_type_boolean:
		return "a boolean";
	case json_type_int:
		return "an integer";
	case json_type_string:
		return "a string";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	default:
		return "a value";
	}
}

/* Check that v has the wanted type; strings must hold no NUL byte, since
 * the model hands them on as C strings. */
static int check_type(const struct parser *p, json_object *v, const char *field,
                      enum json_type type)
{
	if (!json_object_is_type(v, type))
		return fail(p, field, "expected %s", type_name(type));
	if (type == json_type_string &&
	    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
		return fail(p, field, "contains a NUL byte");
	return 0;
}

/* obj[key] with the given type into *ret; NULL when absent or null. */
static int member(const struct parser *p, json_object *obj, const char *base, const char *key,
                  enum json_type type, bool required, json_object **ret)
{
	char field[FIELD_MAX];
	json_object *v = NULL;

	*ret = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !v) {
		if (required)
			return fail(p, field_key(field, base, key), "is required");
		return 0;
	}
	if (check_type(p, v, field_key(field, base, key), type) < 0)
		return kerr_code(p->err);
	*ret = v;
	return 0;
}

static int get_string(const struct parser *p, json_object *obj, const char *base, const char *key,
                      bool required, const char **ret)
{
	json_object *v;

	if (member(p, obj, base, key, json_type_string, required, &v) < 0)
		return kerr_code(p->err);
	if (v)
		*ret = json_object_get_string(v);
	return 0;
}

static int get_bool(const struct parser *p, json_object *obj, const char *base, const char *key,
                    bool *ret)
{
	json_object *v;

	if (member(p, obj, base, key, json_type_boolean, false, &v) < 0)
		return kerr_code(p->err);
	if (v)
		*ret = json_object_get_boolean(v);
	return 0;
}

/* An unsigned integer in 0..max; *ret is untouched when absent. */
static int uint_value(const struct parser *p, json_object *v, const char *field, uint64_t max,
                      uint64_t *ret)
{
	uint64_t u;

	if (!json_object_is_type(v, json_type_int))
		return fail(p, field, "expected an unsigned integer");
	if (json_object_get_int64(v) < 0)
		return fail(p, field, "expected an unsigned integer, got %lld",
		            (long long)json_object_get_int64(v));
	u = json_object_get_uint64(v);
	if (u > max)
		return fail(p, field, "%llu is out of range (at most %llu)", (unsigned long long)u,
		            (unsigned long long)max);
	*ret = u;
	return 0;
}

static int get_uint(const struct parser *p, json_object *obj, const char *base, const char *key,
                    bool required, uint64_t max, uint64_t *ret, bool *ret_present)
{
	char field[FIELD_MAX];
	json_object *v = NULL;

	if (ret_present)
		*ret_present = false;
	if (!json_object_object_get_ex(obj, key, &v) || !v) {
		if (required)
			return fail(p, field_key(field, base, key), "is required");
		return 0;
	}
	if (uint_value(p, v, field_key(field, base, key), max, ret) < 0)
		return kerr_code(p->err);
	if (ret_present)
		*ret_present = true;
	return 0;
}

static int get_int(const struct parser *p, json_object *obj, const char *base, const char *key,
                   int64_t min, int64_t max, int64_t *ret, bool *ret_present)
{
	char field[FIELD_MAX];
	json_object *v = NULL;
	int64_t i;

	if (ret_present)
		*ret_present = false;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	field_key(field, base, key);
	if (!json_object_is_type(v, json_type_int))
		return fail(p, field, "expected an integer");
	i = json_object_get_int64(v);
	/* json-c clamps values above INT64_MAX to INT64_MAX. */
	if (i < min || i > max || (i == INT64_MAX && json_object_get_uint64(v) > INT64_MAX))
		return fail(p, field, "expected an integer between %lld and %lld", (long long)min,
		            (long long)max);
	*ret = i;
	if (ret_present)
		*ret_present = true;
	return 0;
}

enum {
	STRV_NONEMPTY = 1 << 0, /* at least one entry */
	STRV_ABSOLUTE = 1 << 1, /* every entry an absolute path */
};

/* A JSON array of strings as a NULL-terminated array of borrowed strings,
 * stored in *ret as soon as it is allocated (freed by the owner). */
static int string_array(const struct parser *p, json_object *arr, const char *field, unsigned flags,
                        const char ***ret)
{
	char sub[FIELD_MAX];
	size_t n;

	if (!arr) {
		if (flags & STRV_NONEMPTY)
			return fail(p, field, "expected a non-empty array of strings");
		*ret = xcalloc(1, sizeof(char *));
		return 0;
	}
	if (!json_object_is_type(arr, json_type_array))
		return fail(p, field, "expected %sarray of strings",
		            (flags & STRV_NONEMPTY) ? "a non-empty " : "an ");
	n = json_object_array_length(arr);
	if (n == 0 && (flags & STRV_NONEMPTY))
		return fail(p, field, "expected a non-empty array of strings");
	*ret = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		const char *s;

		field_index(sub, field, i);
		if (!v || !json_object_is_type(v, json_type_string))
			return fail(p, sub, "expected a string");
		if (check_type(p, v, sub, json_type_string) < 0)
			return kerr_code(p->err);
		s = json_object_get_string(v);
		if ((flags & STRV_ABSOLUTE) && s[0] != '/')
			return fail(p, sub, "must be an absolute path, got %s", Q(s));
		(*ret)[i] = s;
	}
	return 0;
}

static int get_string_array(const struct parser *p, json_object *obj, const char *base,
                            const char *key, unsigned flags, const char ***ret)
{
	char field[FIELD_MAX];
	json_object *v = NULL;

	json_object_object_get_ex(obj, key, &v);
	return string_array(p, v, field_key(field, base, key), flags, ret);
}

/* Members of an array that must all be objects. */
static int array_member(const struct parser *p, json_object *obj, const char *base, const char *key,
                        json_object **ret, size_t *ret_n)
{
	*ret = NULL;
	*ret_n = 0;
	if (member(p, obj, base, key, json_type_array, false, ret) < 0)
		return kerr_code(p->err);
	*ret_n = *ret ? json_object_array_length(*ret) : 0;
	return 0;
}

static int array_object(const struct parser *p, json_object *arr, size_t i, const char *base,
                        char *field, json_object **ret)
{
	json_object *v = json_object_array_get_idx(arr, i);

	field_index(field, base, i);
	if (!v || !json_object_is_type(v, json_type_object))
		return fail(p, field, "expected an object");
	*ret = v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* process */

static void process_free(struct oci_process *proc)
{
	free(proc->args);
	free(proc->env);
	free(proc->rlimits);
	free(proc->user.additional_gids);
	memset(proc, 0, sizeof(*proc));
}

static int parse_user(const struct parser *p, json_object *obj, const char *base,
                      struct oci_user *user)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	json_object *gids;
	uint64_t v = 0;
	bool present;
	size_t n;

	/* (uid_t)-1 means "unchanged" to the kernel: never a real id. */
	if (get_uint(p, obj, base, "uid", false, UINT32_MAX - 1, &v, NULL) < 0)
		return kerr_code(p->err);
	user->uid = (uid_t)v;
	v = 0;
	if (get_uint(p, obj, base, "gid", false, UINT32_MAX - 1, &v, NULL) < 0)
		return kerr_code(p->err);
	user->gid = (gid_t)v;
	if (get_uint(p, obj, base, "umask", false, 0777, &v, &present) < 0)
		return kerr_code(p->err);
	user->has_umask = present;
	user->umask = present ? (mode_t)v : 0;
	if (array_member(p, obj, base, "additionalGids", &gids, &n) < 0)
		return kerr_code(p->err);
	if (!gids)
		return 0;
	field_key(field, base, "additionalGids");
	if (n > NGROUPS_MAX)
		return fail(p, field, "more than %d groups", NGROUPS_MAX);
	user->additional_gids = xcalloc(n, sizeof(gid_t));
	user->n_additional_gids = n;
	for (size_t i = 0; i < n; i++) {
		if (uint_value(p, json_object_array_get_idx(gids, i), field_index(sub, field, i),
		               UINT32_MAX - 1, &v) < 0)
			return kerr_code(p->err);
		user->additional_gids[i] = (gid_t)v;
	}
	return 0;
}

static const char *const capability_sets[] = {"bounding", "effective", "inheritable", "permitted",
                                              "ambient"};

static int parse_capabilities(const struct parser *p, json_object *obj, const char *base,
                              struct oci_capabilities *caps)
{
	uint64_t *sets[] = {&caps->bounding, &caps->effective, &caps->inheritable, &caps->permitted,
	                    &caps->ambient};

	for (size_t s = 0; s < ARRAY_SIZE(capability_sets); s++) {
		char field[FIELD_MAX], sub[FIELD_MAX];
		json_object *arr;
		size_t n;

		if (array_member(p, obj, base, capability_sets[s], &arr, &n) < 0)
			return kerr_code(p->err);
		field_key(field, base, capability_sets[s]);
		for (size_t i = 0; i < n; i++) {
			json_object *v = json_object_array_get_idx(arr, i);
			int cap;

			field_index(sub, field, i);
			if (!v || check_type(p, v, sub, json_type_string) < 0)
				return v ? kerr_code(p->err) : fail(p, sub, "expected a string");
			cap = spec_capability_from_name(json_object_get_string(v));
			if (cap < 0)
				return fail(p, sub, "unknown capability %s",
				            Q(json_object_get_string(v)));
			*sets[s] |= 1ULL << cap;
		}
	}
	return 0;
}

static int parse_rlimits(const struct parser *p, json_object *obj, const char *base,
                         struct oci_process *proc)
{
	char field[FIELD_MAX], item[FIELD_MAX];
	json_object *arr;
	size_t n;

	if (array_member(p, obj, base, "rlimits", &arr, &n) < 0)
		return kerr_code(p->err);
	if (!arr)
		return 0;
	field_key(field, base, "rlimits");
	proc->rlimits = xcalloc(n, sizeof(*proc->rlimits));
	for (size_t i = 0; i < n; i++) {
		struct oci_rlimit *rl = &proc->rlimits[i];
		const char *type = NULL;
		char sub[FIELD_MAX];
		json_object *o;

		if (array_object(p, arr, i, field, item, &o) < 0 ||
		    get_string(p, o, item, "type", true, &type) < 0)
			return kerr_code(p->err);
		rl->resource = spec_rlimit_from_name(type);
		if (rl->resource < 0)
			return fail(p, field_key(sub, item, "type"), "unknown rlimit %s", Q(type));
		for (size_t j = 0; j < i; j++)
			if (proc->rlimits[j].resource == rl->resource)
				return fail(p, field_key(sub, item, "type"), "duplicate rlimit %s",
				            Q(type));
		if (get_uint(p, o, item, "soft", true, UINT64_MAX, &rl->soft, NULL) < 0 ||
		    get_uint(p, o, item, "hard", true, UINT64_MAX, &rl->hard, NULL) < 0)
			return kerr_code(p->err);
		if (rl->soft > rl->hard)
			return fail(p, item, "soft limit %llu is above the hard limit %llu",
			            (unsigned long long)rl->soft, (unsigned long long)rl->hard);
		proc->n_rlimits = i + 1;
	}
	return 0;
}

static bool name_in(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* process.scheduler, process.ioPriority and process.execCPUAffinity
 * (runtime-spec 1.2) are checked for shape and names; the model does not
 * carry them yet. */
static int check_scheduler(const struct parser *p, json_object *proc_obj, const char *base)
{
	static const char *const policies[] = {"SCHED_OTHER",   "SCHED_FIFO", "SCHED_RR",
	                                       "SCHED_BATCH",   "SCHED_ISO",  "SCHED_IDLE",
	                                       "SCHED_DEADLINE"};
	static const char *const sched_flags[] = {
	    "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",     "SCHED_FLAG_DL_OVERRUN",
	    "SCHED_FLAG_KEEP_POLICY",   "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
	    "SCHED_FLAG_UTIL_CLAMP_MAX"};
	static const char *const io_classes[] = {"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
	                                         "IOPRIO_CLASS_IDLE"};
	char field[FIELD_MAX], sub[FIELD_MAX], item[FIELD_MAX];
	_cleanup_free_ const char **flags = NULL;
	json_object *o;
	const char *s = NULL;
	uint64_t u;
	int64_t i;

	if (member(p, proc_obj, base, "scheduler", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o) {
		field_key(field, base, "scheduler");
		if (get_string(p, o, field, "policy", true, &s) < 0)
			return kerr_code(p->err);
		if (!name_in(s, policies, ARRAY_SIZE(policies)))
			return fail(p, field_key(sub, field, "policy"),
			            "unknown scheduling policy %s", Q(s));
		if (get_int(p, o, field, "nice", -20, 19, &i, NULL) < 0 ||
		    get_int(p, o, field, "priority", 0, 99, &i, NULL) < 0 ||
		    get_uint(p, o, field, "runtime", false, UINT64_MAX, &u, NULL) < 0 ||
		    get_uint(p, o, field, "deadline", false, UINT64_MAX, &u, NULL) < 0 ||
		    get_uint(p, o, field, "period", false, UINT64_MAX, &u, NULL) < 0 ||
		    get_string_array(p, o, field, "flags", 0, &flags) < 0)
			return kerr_code(p->err);
		for (size_t k = 0; flags[k]; k++)
			if (!name_in(flags[k], sched_flags, ARRAY_SIZE(sched_flags)))
				return fail(p, field_index(item, field_key(sub, field, "flags"), k),
				            "unknown scheduler flag %s", Q(flags[k]));
	}
	if (member(p, proc_obj, base, "ioPriority", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o) {
		field_key(field, base, "ioPriority");
		s = NULL;
		if (get_string(p, o, field, "class", true, &s) < 0)
			return kerr_code(p->err);
		if (!name_in(s, io_classes, ARRAY_SIZE(io_classes)))
			return fail(p, field_key(sub, field, "class"),
			            "unknown I/O priority class %s", Q(s));
		if (get_int(p, o, field, "priority", 0, 7, &i, NULL) < 0)
			return kerr_code(p->err);
	}
	if (member(p, proc_obj, base, "execCPUAffinity", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o) {
		field_key(field, base, "execCPUAffinity");
		if (get_string(p, o, field, "initial", false, &s) < 0 ||
		    get_string(p, o, field, "final", false, &s) < 0)
			return kerr_code(p->err);
	}
	return 0;
}

static int parse_env(const struct parser *p, json_object *obj, const char *base,
                     struct oci_process *proc)
{
	char field[FIELD_MAX], sub[FIELD_MAX];

	if (get_string_array(p, obj, base, "env", 0, &proc->env) < 0)
		return kerr_code(p->err);
	field_key(field, base, "env");
	for (size_t i = 0; proc->env[i]; i++) {
		const char *eq = strchr(proc->env[i], '=');

		if (!eq || eq == proc->env[i])
			return fail(p, field_index(sub, field, i),
			            "expected \"NAME=value\", got %s", Q(proc->env[i]));
	}
	return 0;
}

static int parse_process(const struct parser *p, json_object *obj, const char *base,
                         struct oci_process *proc)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	json_object *o;
	uint64_t u = 0;
	int64_t i = 0;

	if (get_bool(p, obj, base, "terminal", &proc->terminal) < 0)
		return kerr_code(p->err);
	if (member(p, obj, base, "consoleSize", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o) {
		/* struct winsize holds 16 bits per dimension. */
		field_key(field, base, "consoleSize");
		if (get_uint(p, o, field, "height", true, UINT16_MAX, &u, NULL) < 0)
			return kerr_code(p->err);
		proc->console_height = (unsigned int)u;
		if (get_uint(p, o, field, "width", true, UINT16_MAX, &u, NULL) < 0)
			return kerr_code(p->err);
		proc->console_width = (unsigned int)u;
		proc->has_console_size = true;
	}
	if (member(p, obj, base, "user", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o && parse_user(p, o, field_key(field, base, "user"), &proc->user) < 0)
		return kerr_code(p->err);

	if (get_string_array(p, obj, base, "args", STRV_NONEMPTY, &proc->args) < 0)
		return kerr_code(p->err);
	if (!*proc->args[0])
		return fail(p, field_index(sub, field_key(field, base, "args"), 0),
		            "must not be empty");
	if (parse_env(p, obj, base, proc) < 0)
		return kerr_code(p->err);
	if (get_string(p, obj, base, "cwd", true, &proc->cwd) < 0)
		return kerr_code(p->err);
	if (proc->cwd[0] != '/')
		return fail(p, field_key(field, base, "cwd"), "must be an absolute path, got %s",
		            Q(proc->cwd));

	if (member(p, obj, base, "capabilities", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o) {
		if (parse_capabilities(p, o, field_key(field, base, "capabilities"),
		                       &proc->capabilities) < 0)
			return kerr_code(p->err);
		proc->has_capabilities = true;
	}
	if (parse_rlimits(p, obj, base, proc) < 0 ||
	    get_bool(p, obj, base, "noNewPrivileges", &proc->no_new_privileges) < 0 ||
	    get_int(p, obj, base, "oomScoreAdj", -1000, 1000, &i, &proc->has_oom_score_adj) < 0 ||
	    get_string(p, obj, base, "apparmorProfile", false, &proc->apparmor_profile) < 0 ||
	    get_string(p, obj, base, "selinuxLabel", false, &proc->selinux_label) < 0 ||
	    check_scheduler(p, obj, base) < 0)
		return kerr_code(p->err);
	proc->oom_score_adj = (int)i;
	return 0;
}

/* ------------------------------------------------------------------ */
/* mounts, hooks, annotations */

/* A string that lives as long as the spec: attach it to the tree under
 * key, replacing the value read from the file. */
static const char *tree_string(json_object *obj, const char *key, char *s)
{
	json_object *v = json_object_new_string(s);

	free(s);
	json_object_object_add(obj, key, v);
	return json_object_get_string(v);
}

static int parse_mount(const struct parser *p, json_object *o, const char *field,
                       const char *bundle, struct fsroot_mount *m)
{
	char sub[FIELD_MAX];
	_cleanup_free_ const char **options = NULL;
	json_object *maps;
	const char *source = NULL;

	if (get_string(p, o, field, "destination", true, &m->destination) < 0)
		return kerr_code(p->err);
	if (m->destination[0] != '/')
		return fail(p, field_key(sub, field, "destination"),
		            "must be an absolute path, got %s", Q(m->destination));
	if (get_string(p, o, field, "source", false, &source) < 0 ||
	    get_string(p, o, field, "type", false, &m->type) < 0 ||
	    get_string_array(p, o, field, "options", 0, &options) < 0)
		return kerr_code(p->err);
	for (size_t k = 0; k < 2; k++) {
		const char *key = k ? "gidMappings" : "uidMappings";

		if (member(p, o, field, key, json_type_array, false, &maps) < 0)
			return kerr_code(p->err);
		if (maps && json_object_array_length(maps) > 0)
			return fail(p, field_key(sub, field, key),
			            "id-mapped mounts are not supported");
	}
	if (fsroot_parse_mount_options(options, strv_len((char *const *)options), m, p->err) < 0) {
		char msg[KERR_MSG_MAX];

		/* "options[2]: ..." from fs/ becomes "mounts[1].options[2]: ...". */
		snprintf(msg, sizeof(msg), "%s", p->err->msg);
		return kerr_setx(p->err, p->err->errnum, "%s: %s.%s", p->name, field, msg);
	}
	if (m->bind && (!source || !*source))
		return fail(p, field_key(sub, field, "source"), "a bind mount needs a source");
	if (!m->bind && (!m->type || !*m->type))
		return fail(p, field_key(sub, field, "type"),
		            "is required unless the mount is a bind mount");
	/* runc resolves a relative bind source against the bundle. */
	if (m->bind && source[0] != '/')
		source = tree_string(o, "source", xasprintf("%s/%s", bundle, source));
	m->source = source;
	return 0;
}

static int parse_mounts(const struct parser *p, json_object *root, const char *bundle,
                        struct oci_spec *spec)
{
	char field[FIELD_MAX];
	json_object *arr;
	size_t n;

	if (array_member(p, root, "", "mounts", &arr, &n) < 0)
		return kerr_code(p->err);
	if (!arr)
		return 0;
	spec->mounts = xcalloc(n, sizeof(*spec->mounts));
	spec->n_mounts = n;
	for (size_t i = 0; i < n; i++) {
		json_object *o;

		if (array_object(p, arr, i, "mounts", field, &o) < 0 ||
		    parse_mount(p, o, field, bundle, &spec->mounts[i]) < 0)
			return kerr_code(p->err);
	}
	return 0;
}

static const char *const hook_names[OCI_HOOK_KIND_COUNT] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
};

static int parse_hook(const struct parser *p, json_object *o, const char *field, struct oci_hook *h)
{
	char sub[FIELD_MAX];
	json_object *v;

	if (get_string(p, o, field, "path", true, &h->path) < 0)
		return kerr_code(p->err);
	if (h->path[0] != '/')
		return fail(p, field_key(sub, field, "path"), "must be an absolute path, got %s",
		            Q(h->path));
	if (member(p, o, field, "args", json_type_array, false, &v) < 0 ||
	    (v && string_array(p, v, field_key(sub, field, "args"), 0, &h->args) < 0) ||
	    member(p, o, field, "env", json_type_array, false, &v) < 0 ||
	    (v && string_array(p, v, field_key(sub, field, "env"), 0, &h->env) < 0))
		return kerr_code(p->err);
	if (!json_object_object_get_ex(o, "timeout", &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0 ||
	    json_object_get_int64(v) > INT_MAX)
		return fail(p, field_key(sub, field, "timeout"),
		            "expected a positive number of seconds");
	h->timeout = (int)json_object_get_int64(v);
	return 0;
}

static void hooks_free(struct oci_hooks *hooks)
{
	for (int k = 0; k < OCI_HOOK_KIND_COUNT; k++) {
		for (size_t i = 0; i < hooks->n_hooks[k]; i++) {
			free(hooks->hooks[k][i].args);
			free(hooks->hooks[k][i].env);
		}
		free(hooks->hooks[k]);
	}
}

static int parse_hooks(const struct parser *p, json_object *root, struct oci_hooks *hooks)
{
	json_object *obj;

	if (member(p, root, "", "hooks", json_type_object, false, &obj) < 0)
		return kerr_code(p->err);
	if (!obj)
		return 0;
	for (int k = 0; k < OCI_HOOK_KIND_COUNT; k++) {
		char base[FIELD_MAX], field[FIELD_MAX];
		json_object *arr;
		size_t n;

		if (array_member(p, obj, "hooks", hook_names[k], &arr, &n) < 0)
			return kerr_code(p->err);
		if (!arr)
			continue;
		field_key(base, "hooks", hook_names[k]);
		hooks->hooks[k] = xcalloc(n, sizeof(struct oci_hook));
		hooks->n_hooks[k] = n;
		for (size_t i = 0; i < n; i++) {
			json_object *o;

			if (array_object(p, arr, i, base, field, &o) < 0 ||
			    parse_hook(p, o, field, &hooks->hooks[k][i]) < 0)
				return kerr_code(p->err);
		}
	}
	return 0;
}

/* An object whose values are all strings (annotations, linux.sysctl). */
static int parse_string_map(const struct parser *p, json_object *parent, const char *base,
                            const char *key, struct oci_kv **ret, size_t *ret_n)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	json_object *obj;
	size_t i = 0;

	if (member(p, parent, base, key, json_type_object, false, &obj) < 0)
		return kerr_code(p->err);
	if (!obj)
		return 0;
	field_key(field, base, key);
	*ret = xcalloc((size_t)json_object_object_length(obj), sizeof(struct oci_kv));
	json_object_object_foreach(obj, k, v)
	{
		snprintf(sub, sizeof(sub), "%.200s[%s]", field, Q(k));
		if (!*k)
			return fail(p, field, "empty key");
		if (!v || check_type(p, v, sub, json_type_string) < 0)
			return v ? kerr_code(p->err) : fail(p, sub, "expected a string");
		(*ret)[i].key = k;
		(*ret)[i].value = json_object_get_string(v);
		*ret_n = ++i;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* linux */

static int parse_namespaces(const struct parser *p, json_object *lin, struct oci_linux *l)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	json_object *arr;
	size_t n;

	if (array_member(p, lin, "linux", "namespaces", &arr, &n) < 0)
		return kerr_code(p->err);
	if (!arr)
		return 0;
	l->namespaces = xcalloc(n, sizeof(*l->namespaces));
	for (size_t i = 0; i < n; i++) {
		struct oci_namespace *ns = &l->namespaces[i];
		const char *type = NULL;
		json_object *o;

		if (array_object(p, arr, i, "linux.namespaces", field, &o) < 0 ||
		    get_string(p, o, field, "type", true, &type) < 0)
			return kerr_code(p->err);
		ns->type = spec_namespace_from_name(type);
		if (ns->type < 0)
			return fail(p, field_key(sub, field, "type"), "unknown namespace type %s",
			            Q(type));
		for (size_t j = 0; j < i; j++)
			if (l->namespaces[j].type == ns->type)
				return fail(p, field_key(sub, field, "type"),
				            "duplicate namespace %s", Q(type));
		if (get_string(p, o, field, "path", false, &ns->path) < 0)
			return kerr_code(p->err);
		if (ns->path && !*ns->path)
			ns->path = NULL; /* "" means a new namespace, as in runc */
		if (ns->path && ns->path[0] != '/')
			return fail(p, field_key(sub, field, "path"),
			            "must be an absolute path, got %s", Q(ns->path));
		l->n_namespaces = i + 1;
	}
	return 0;
}

static bool ranges_overlap(uint32_t a, uint32_t b, uint32_t size_a, uint32_t size_b)
{
	return (uint64_t)a < (uint64_t)b + size_b && (uint64_t)b < (uint64_t)a + size_a;
}

static int parse_id_maps(const struct parser *p, json_object *lin, const char *key,
                         struct oci_id_map **ret, size_t *ret_n)
{
	char field[FIELD_MAX], item[FIELD_MAX];
	json_object *arr;
	size_t n;

	if (array_member(p, lin, "linux", key, &arr, &n) < 0)
		return kerr_code(p->err);
	if (!arr)
		return 0;
	field_key(field, "linux", key);
	if (n > ID_MAP_MAX)
		return fail(p, field, "%zu mappings; the kernel takes at most %d", n, ID_MAP_MAX);
	*ret = xcalloc(n, sizeof(struct oci_id_map));
	for (size_t i = 0; i < n; i++) {
		struct oci_id_map *m = &(*ret)[i];
		uint64_t c, h, s;
		json_object *o;

		if (array_object(p, arr, i, field, item, &o) < 0 ||
		    get_uint(p, o, item, "containerID", true, UINT32_MAX, &c, NULL) < 0 ||
		    get_uint(p, o, item, "hostID", true, UINT32_MAX, &h, NULL) < 0 ||
		    get_uint(p, o, item, "size", true, UINT32_MAX, &s, NULL) < 0)
			return kerr_code(p->err);
		if (s == 0)
			return fail(p, item, "size must be at least 1");
		if (c + s > (uint64_t)UINT32_MAX + 1 || h + s > (uint64_t)UINT32_MAX + 1)
			return fail(p, item, "range overflows 32-bit ids");
		m->container_id = (uint32_t)c;
		m->host_id = (uint32_t)h;
		m->size = (uint32_t)s;
		for (size_t j = 0; j < i; j++) {
			const struct oci_id_map *o2 = &(*ret)[j];

			if (ranges_overlap(m->container_id, o2->container_id, m->size, o2->size))
				return fail(p, item, "container ids overlap %s[%zu]", field, j);
			if (ranges_overlap(m->host_id, o2->host_id, m->size, o2->size))
				return fail(p, item, "host ids overlap %s[%zu]", field, j);
		}
		*ret_n = i + 1;
	}
	return 0;
}

static int parse_time_offsets(const struct parser *p, json_object *lin, struct oci_linux *l)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	json_object *obj;

	if (member(p, lin, "linux", "timeOffsets", json_type_object, false, &obj) < 0)
		return kerr_code(p->err);
	if (!obj)
		return 0;
	field_key(field, "linux", "timeOffsets");
	json_object_object_foreach(obj, clk, v)
	{
		struct oci_time_offset *off;
		uint64_t ns = 0;
		int64_t secs = 0;

		if (strcmp(clk, "monotonic") == 0)
			off = &l->monotonic_offset;
		else if (strcmp(clk, "boottime") == 0)
			off = &l->boottime_offset;
		else
			return fail(p, field, "unknown clock %s", Q(clk));
		field_key(sub, field, clk);
		if (!v || !json_object_is_type(v, json_type_object))
			return fail(p, sub, "expected an object");
		if (get_int(p, v, sub, "secs", INT64_MIN, INT64_MAX, &secs, NULL) < 0 ||
		    get_uint(p, v, sub, "nanosecs", false, 999999999, &ns, NULL) < 0)
			return kerr_code(p->err);
		off->secs = secs;
		off->nanosecs = (uint32_t)ns;
	}
	l->has_time_offsets = true;
	return 0;
}

static int parse_devices(const struct parser *p, json_object *lin, struct oci_linux *l)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	json_object *arr;
	size_t n;

	if (array_member(p, lin, "linux", "devices", &arr, &n) < 0)
		return kerr_code(p->err);
	if (!arr)
		return 0;
	l->devices = xcalloc(n, sizeof(*l->devices));
	for (size_t i = 0; i < n; i++) {
		struct fsroot_device *d = &l->devices[i];
		const char *type = NULL;
		uint64_t u = 0;
		json_object *o;
		bool present;

		if (array_object(p, arr, i, "linux.devices", field, &o) < 0 ||
		    get_string(p, o, field, "type", true, &type) < 0 ||
		    get_string(p, o, field, "path", true, &d->path) < 0)
			return kerr_code(p->err);
		if (strlen(type) != 1 || !strchr("cbup", type[0]))
			return fail(p, field_key(sub, field, "type"),
			            "unknown device type %s (expected c, b, u or p)", Q(type));
		d->type = type[0];
		if (d->path[0] != '/')
			return fail(p, field_key(sub, field, "path"),
			            "must be an absolute path, got %s", Q(d->path));
		/* A fifo has no device number; the others need both. */
		if (get_uint(p, o, field, "major", d->type != 'p', UINT32_MAX, &u, NULL) < 0)
			return kerr_code(p->err);
		d->major = (int64_t)u;
		u = 0;
		if (get_uint(p, o, field, "minor", d->type != 'p', UINT32_MAX, &u, NULL) < 0)
			return kerr_code(p->err);
		d->minor = (int64_t)u;
		if (get_uint(p, o, field, "fileMode", false, S_IFMT | 07777, &u, &present) < 0)
			return kerr_code(p->err);
		d->has_mode = present;
		d->mode = present ? (mode_t)(u & 07777) : 0;
		if (get_uint(p, o, field, "uid", false, UINT32_MAX - 1, &u, &d->has_uid) < 0)
			return kerr_code(p->err);
		d->uid = d->has_uid ? (uid_t)u : 0;
		if (get_uint(p, o, field, "gid", false, UINT32_MAX - 1, &u, &d->has_gid) < 0)
			return kerr_code(p->err);
		d->gid = d->has_gid ? (gid_t)u : 0;
		l->n_devices = i + 1;
	}
	return 0;
}

static int parse_personality(const struct parser *p, json_object *lin, struct oci_linux *l)
{
	char field[FIELD_MAX], sub[FIELD_MAX];
	_cleanup_free_ const char **flags = NULL;
	json_object *obj;
	const char *domain = NULL;

	if (member(p, lin, "linux", "personality", json_type_object, false, &obj) < 0)
		return kerr_code(p->err);
	if (!obj)
		return 0;
	field_key(field, "linux", "personality");
	if (get_string(p, obj, field, "domain", true, &domain) < 0 ||
	    get_string_array(p, obj, field, "flags", 0, &flags) < 0)
		return kerr_code(p->err);
	if (strcmp(domain, "LINUX") == 0)
		l->personality = PER_LINUX;
	else if (strcmp(domain, "LINUX32") == 0)
		l->personality = PER_LINUX32;
	else
		return fail(p, field_key(sub, field, "domain"),
		            "unknown domain %s (expected LINUX or LINUX32)", Q(domain));
	/* The spec defines no flag values yet. */
	if (flags[0])
		return fail(p, field_key(sub, field, "flags"), "unknown flag %s", Q(flags[0]));
	l->has_personality = true;
	return 0;
}

/* Properties kura does not implement: refused rather than ignored. */
static int refuse_unsupported(const struct parser *p, json_object *lin)
{
	static const struct {
		const char *key;
		const char *what;
	} unsupported[] = {
	    {"intelRdt", "Intel RDT is not supported"},
	    {"memoryPolicy", "NUMA memory policies are not supported"},
	    {"netDevices", "moving network devices into the container is not supported"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++) {
		char field[FIELD_MAX];
		json_object *v = NULL;

		if (!json_object_object_get_ex(lin, unsupported[i].key, &v) || !v)
			continue;
		field_key(field, "linux", unsupported[i].key);
		if (check_type(p, v, field, json_type_object) < 0)
			return kerr_code(p->err);
		if (json_object_object_length(v) > 0)
			return fail(p, field, "%s", unsupported[i].what);
	}
	return 0;
}

static int parse_linux(const struct parser *p, json_object *root, struct oci_linux *l)
{
	json_object *lin;
	const char *prop = NULL;

	if (member(p, root, "", "linux", json_type_object, false, &lin) < 0)
		return kerr_code(p->err);
	if (!lin) {
		l->masked_paths = xcalloc(1, sizeof(char *));
		l->readonly_paths = xcalloc(1, sizeof(char *));
		return 0;
	}
	if (parse_namespaces(p, lin, l) < 0 ||
	    parse_id_maps(p, lin, "uidMappings", &l->uid_mappings, &l->n_uid_mappings) < 0 ||
	    parse_id_maps(p, lin, "gidMappings", &l->gid_mappings, &l->n_gid_mappings) < 0 ||
	    parse_time_offsets(p, lin, l) < 0 || parse_devices(p, lin, l) < 0 ||
	    get_string(p, lin, "linux", "cgroupsPath", false, &l->cgroups_path) < 0 ||
	    member(p, lin, "linux", "resources", json_type_object, false, &l->resources) < 0 ||
	    parse_string_map(p, lin, "linux", "sysctl", &l->sysctl, &l->n_sysctl) < 0 ||
	    get_string_array(p, lin, "linux", "maskedPaths", STRV_ABSOLUTE, &l->masked_paths) < 0 ||
	    get_string_array(p, lin, "linux", "readonlyPaths", STRV_ABSOLUTE, &l->readonly_paths) <
	        0 ||
	    get_string(p, lin, "linux", "rootfsPropagation", false, &prop) < 0 ||
	    get_string(p, lin, "linux", "mountLabel", false, &l->mount_label) < 0 ||
	    member(p, lin, "linux", "seccomp", json_type_object, false, &l->seccomp) < 0 ||
	    parse_personality(p, lin, l) < 0 || refuse_unsupported(p, lin) < 0)
		return kerr_code(p->err);
	if (prop && *prop && fsroot_parse_propagation(prop, &l->rootfs_propagation) < 0)
		return fail(p, "linux.rootfsPropagation",
		            "unknown propagation %s (expected shared, slave, private or "
		            "unbindable, optionally with an r prefix)",
		            Q(prop));
	return 0;
}

/* ------------------------------------------------------------------ */
/* the whole document */

/* ociVersion "1.0.0" to "1.3.x", with an optional "-pre" or "+build". */
static bool version_supported(const char *v)
{
	const char *s = v;

	if (strncmp(s, "1.", 2) != 0)
		return false;
	s += 2;
	if (*s < '0' || *s > '3' || s[1] != '.')
		return false;
	s += 2;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0' || *s == '-' || *s == '+';
}

/* Cross-field rules, after every field has been read. */
static int check_consistency(const struct parser *p, struct oci_spec *spec)
{
	const struct oci_namespace *userns = spec_namespace(spec, CLONE_NEWUSER);
	const struct oci_namespace *timens = spec_namespace(spec, CLONE_NEWTIME);
	const struct oci_linux *l = &spec->linux;

	/* As runc: the name would be set in the host's UTS namespace. */
	if (spec->hostname && !spec_namespace(spec, CLONE_NEWUTS))
		return fail(p, "hostname",
		            "unable to set hostname without a private UTS namespace");
	if (spec->domainname && !spec_namespace(spec, CLONE_NEWUTS))
		return fail(p, "domainname",
		            "unable to set domainname without a private UTS namespace");
	if (!userns && (l->n_uid_mappings || l->n_gid_mappings))
		return fail(p, l->n_uid_mappings ? "linux.uidMappings" : "linux.gidMappings",
		            "user namespace mappings given, but linux.namespaces has no user "
		            "namespace");
	if (userns && !userns->path && (!l->n_uid_mappings || !l->n_gid_mappings))
		return fail(p, l->n_uid_mappings ? "linux.gidMappings" : "linux.uidMappings",
		            "a new user namespace needs both uidMappings and gidMappings");
	if (l->has_time_offsets && (!timens || timens->path))
		return fail(p, "linux.timeOffsets",
		            "time offsets need a new time namespace in linux.namespaces");
	return 0;
}

static int resolve_root(const struct parser *p, const char *bundle, const char *path,
                        struct oci_spec *spec)
{
	_cleanup_free_ char *joined = NULL;
	char resolved[PATH_MAX];
	struct stat st;

	joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", bundle, path);
	if (!realpath(joined, resolved))
		return kerr_set(p->err, errno, "%s: root.path: %s", p->name, Q(joined));
	if (stat(resolved, &st) < 0)
		return kerr_set(p->err, errno, "%s: root.path: %s", p->name, Q(joined));
	if (!S_ISDIR(st.st_mode))
		return kerr_set(p->err, ENOTDIR, "%s: root.path: %s", p->name, Q(joined));
	spec->root_path = xstrdup(resolved);
	return 0;
}

static int parse_document(const struct parser *p, const char *bundle, struct oci_spec *spec)
{
	json_object *root = spec->json, *o;
	const char *root_path = NULL;

	if (!json_object_is_type(root, json_type_object))
		return fail(p, NULL, "expected a JSON object at the top level");
	if (get_string(p, root, "", "ociVersion", true, &spec->oci_version) < 0)
		return kerr_code(p->err);
	if (!version_supported(spec->oci_version))
		return fail(p, "ociVersion",
		            "unsupported version %s (kura supports 1.0.0 to 1.3.x)",
		            Q(spec->oci_version));

	if (member(p, root, "", "root", json_type_object, true, &o) < 0 ||
	    get_string(p, o, "root", "path", true, &root_path) < 0 ||
	    get_bool(p, o, "root", "readonly", &spec->root_readonly) < 0)
		return kerr_code(p->err);
	if (!*root_path)
		return fail(p, "root.path", "must not be empty");

	if (member(p, root, "", "process", json_type_object, false, &o) < 0)
		return kerr_code(p->err);
	if (o) {
		if (parse_process(p, o, "process", &spec->process) < 0)
			return kerr_code(p->err);
		spec->has_process = true;
	}
	if (get_string(p, root, "", "hostname", false, &spec->hostname) < 0 ||
	    get_string(p, root, "", "domainname", false, &spec->domainname) < 0)
		return kerr_code(p->err);
	/* An empty name is no name, as in runc. */
	if (spec->hostname && !*spec->hostname)
		spec->hostname = NULL;
	if (spec->domainname && !*spec->domainname)
		spec->domainname = NULL;
	if (parse_mounts(p, root, bundle, spec) < 0 || parse_hooks(p, root, &spec->hooks) < 0 ||
	    parse_string_map(p, root, "", "annotations", &spec->annotations, &spec->n_annotations) <
	        0 ||
	    parse_linux(p, root, &spec->linux) < 0 || check_consistency(p, spec) < 0)
		return kerr_code(p->err);
	/* The filesystem is looked at last, once the text is known good. */
	return resolve_root(p, bundle, root_path, spec);
}

static int parse_json(const struct parser *p, const char *text, size_t len, json_object **ret)
{
	_cleanup_free_ char *buf = NULL;
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *obj;
	size_t off, line = 1;
	const char *nul;

	if (len > CONFIG_MAX)
		return kerr_setx(p->err, EFBIG, "%s: larger than %u bytes", p->name, CONFIG_MAX);
	/* json-c needs the terminating NUL to see the end of the input, and
	 * would take an early NUL for it: refuse NUL bytes outright. */
	nul = memchr(text, '\0', len);
	if (nul) {
		for (const char *c = text; c < nul; c++)
			line += *c == '\n';
		return fail(p, NULL, "invalid JSON at line %zu: NUL byte", line);
	}
	buf = xmalloc(len + 1);
	memcpy(buf, text, len);
	buf[len] = '\0';

	tok = json_tokener_new();
	if (!tok)
		return kerr_set(p->err, ENOMEM, "%s: json_tokener_new", p->name);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	/* The literal null parses to NULL: the caller refuses it as not an
	 * object. */
	if (jerr == json_tokener_success) {
		*ret = obj;
		return 0;
	}
	json_object_put(obj);
	if (jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	for (size_t i = 0; i < off && i < len; i++)
		line += buf[i] == '\n';
	return fail(p, NULL, "invalid JSON at line %zu: %s", line, json_tokener_error_desc(jerr));
}

static const char *absolute_bundle(const char *bundle, char *buf, size_t size)
{
	if (bundle && bundle[0] == '/')
		return bundle;
	if (!getcwd(buf, size))
		return bundle ? bundle : ".";
	if (bundle && strcmp(bundle, ".") != 0) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, "/%s", bundle);
	}
	return buf;
}

int spec_parse(const char *json_text, size_t len, const char *bundle, const char *name,
               struct oci_spec **ret, struct kerr *err)
{
	struct parser p = {.name = name ? name : "config.json", .err = err};
	char cwd[PATH_MAX];
	struct oci_spec *spec;
	json_object *root;

	if (parse_json(&p, json_text, len, &root) < 0)
		return kerr_code(err);
	spec = xcalloc(1, sizeof(*spec));
	spec->json = root;
	if (parse_document(&p, absolute_bundle(bundle, cwd, sizeof(cwd)), spec) < 0) {
		spec_free(spec);
		return kerr_code(err);
	}
	*ret = spec;
	return 0;
}

int spec_parse_process(struct oci_spec *spec, const char *json_text, size_t len, const char *name,
                       struct kerr *err)
{
	struct parser p = {.name = name ? name : "process.json", .err = err};
	struct oci_process proc = {0};
	json_object *root;

	if (parse_json(&p, json_text, len, &root) < 0)
		return kerr_code(err);
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return fail(&p, NULL, "expected a JSON object at the top level");
	}
	if (parse_process(&p, root, "", &proc) < 0) {
		process_free(&proc);
		json_object_put(root);
		return kerr_code(err);
	}
	process_free(&spec->process);
	spec->process = proc;
	json_object_put(spec->process_json);
	spec->process_json = root;
	spec->has_process = true;
	return 0;
}

int spec_load(const char *bundle, struct oci_spec **ret, struct kerr *err)
{
	char dir[PATH_MAX];
	_cleanup_free_ char *path = NULL, *text = NULL;
	size_t len;

	if (!realpath(bundle ? bundle : ".", dir))
		return kerr_set(err, errno, "bundle `%s`", bundle ? bundle : ".");
	path = xasprintf("%s/config.json", dir);
	if (read_file_at(AT_FDCWD, path, &text, &len, err) < 0)
		return kerr_code(err);
	return spec_parse(text, len, dir, "config.json", ret, err);
}

void spec_free(struct oci_spec *spec)
{
	if (!spec)
		return;
	process_free(&spec->process);
	for (size_t i = 0; i < spec->n_mounts; i++)
		free(spec->mounts[i].data);
	free(spec->mounts);
	hooks_free(&spec->hooks);
	free(spec->annotations);
	free(spec->linux.namespaces);
	free(spec->linux.uid_mappings);
	free(spec->linux.gid_mappings);
	free(spec->linux.devices);
	free(spec->linux.sysctl);
	free(spec->linux.masked_paths);
	free(spec->linux.readonly_paths);
	free(spec->root_path);
	json_object_put(spec->process_json);
	json_object_put(spec->json);
	free(spec);
}

const struct oci_namespace *spec_namespace(const struct oci_spec *spec, int clone_flag)
{
	for (size_t i = 0; i < spec->linux.n_namespaces; i++)
		if (spec->linux.namespaces[i].type == clone_flag)
			return &spec->linux.namespaces[i];
	return NULL;
}

const char *spec_annotation(const struct oci_spec *spec, const char *key)
{
	for (size_t i = 0; i < spec->n_annotations; i++)
		if (strcmp(spec->annotations[i].key, key) == 0)
			return spec->annotations[i].value;
	return NULL;
}
