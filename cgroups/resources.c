/* linux.resources (runtime-spec config-linux.md#control-groups) parsed
 * into struct cgroup_resources and validated, so that a bad value is
 * refused with its field path before any cgroup exists.  Unknown keys
 * are ignored, as the spec's extensibility rule asks. */
#include "cg-internal.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#define FIELD_MAX 256

struct rp {
	const char *base; /* "linux.resources" or "" */
	struct kerr *err;
};

static int fail(const struct rp *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const struct rp *p, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kerr_setx(p->err, EINVAL, "%s%s%s: %s", p->base, *p->base ? "." : "", field, msg);
}

static void join(char *buf, const char *a, const char *b)
{
	if (snprintf(buf, FIELD_MAX, "%s%s%s", a, *a ? "." : "", b) >= FIELD_MAX)
		memcpy(buf + FIELD_MAX - 4, "...", 4);
}

static void join_index(char *buf, const char *a, size_t i)
{
	if (snprintf(buf, FIELD_MAX, "%s[%zu]", a, i) >= FIELD_MAX)
		memcpy(buf + FIELD_MAX - 4, "...", 4);
}

/* Member key of obj with the given type; *ret NULL when absent or null. */
static int member(const struct rp *p, json_object *obj, const char *field, const char *key,
                  json_type type, json_object **ret)
{
	json_object *v = NULL;
	char f[FIELD_MAX];

	*ret = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, type)) {
		join(f, field, key);
		return fail(p, f, "expected %s",
		            type == json_type_int       ? "an integer"
		            : type == json_type_string  ? "a string"
		            : type == json_type_boolean ? "a boolean"
		            : type == json_type_array   ? "an array"
		                                        : "an object");
	}
	*ret = v;
	return 0;
}

static int as_i64(const struct rp *p, json_object *v, const char *f, int64_t *ret)
{
	int64_t i = json_object_get_int64(v);

	if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
		return fail(p, f, "out of range");
	*ret = i;
	return 0;
}

static int as_u64(const struct rp *p, json_object *v, const char *f, uint64_t *ret)
{
	if (json_object_get_int64(v) < 0)
		return fail(p, f, "must not be negative");
	*ret = json_object_get_uint64(v);
	return 0;
}

static int get_i64(const struct rp *p, json_object *obj, const char *field, const char *key,
                   bool *has, int64_t *ret)
{
	json_object *v;
	char f[FIELD_MAX];

	if (member(p, obj, field, key, json_type_int, &v) < 0)
		return kerr_code(p->err);
	if (!v)
		return 0;
	join(f, field, key);
	if (as_i64(p, v, f, ret) < 0)
		return kerr_code(p->err);
	*has = true;
	return 0;
}

static int get_u64(const struct rp *p, json_object *obj, const char *field, const char *key,
                   bool *has, uint64_t *ret)
{
	json_object *v;
	char f[FIELD_MAX];

	if (member(p, obj, field, key, json_type_int, &v) < 0)
		return kerr_code(p->err);
	if (!v)
		return 0;
	join(f, field, key);
	if (as_u64(p, v, f, ret) < 0)
		return kerr_code(p->err);
	*has = true;
	return 0;
}

static int get_bool(const struct rp *p, json_object *obj, const char *field, const char *key,
                    bool *has, bool *ret)
{
	json_object *v;

	if (member(p, obj, field, key, json_type_boolean, &v) < 0)
		return kerr_code(p->err);
	if (v) {
		*ret = json_object_get_boolean(v);
		if (has)
			*has = true;
	}
	return 0;
}

/* A cpuset list: "0-3,7". */
static bool valid_cpu_list(const char *s)
{
	if (!*s)
		return true;
	for (const char *c = s; *c; c++)
		if (!((*c >= '0' && *c <= '9') || *c == ',' || *c == '-'))
			return false;
	return s[0] != ',' && s[0] != '-';
}

static int get_cpu_list(const struct rp *p, json_object *obj, const char *key, char **ret)
{
	json_object *v;
	char f[FIELD_MAX];

	if (member(p, obj, "cpu", key, json_type_string, &v) < 0)
		return kerr_code(p->err);
	if (!v)
		return 0;
	join(f, "cpu", key);
	if (!valid_cpu_list(json_object_get_string(v)))
		return fail(p, f, "expected a list like \"0-3,7\", got \"%.64s\"",
		            json_object_get_string(v));
	*ret = xstrdup(json_object_get_string(v));
	return 0;
}

static int parse_memory(const struct rp *p, json_object *m, struct cgroup_resources *r)
{
	bool ignored;
	int64_t kernel;

	if (get_i64(p, m, "memory", "limit", &r->memory.has_limit, &r->memory.limit) < 0 ||
	    get_i64(p, m, "memory", "reservation", &r->memory.has_reservation,
	            &r->memory.reservation) < 0 ||
	    get_i64(p, m, "memory", "swap", &r->memory.has_swap, &r->memory.swap) < 0 ||
	    get_u64(p, m, "memory", "swappiness", &r->memory.has_swappiness,
	            &r->memory.swappiness) < 0 ||
	    get_bool(p, m, "memory", "disableOOMKiller", &r->memory.has_disable_oom_killer,
	             &r->memory.disable_oom_killer) < 0 ||
	    get_bool(p, m, "memory", "useHierarchy", &r->memory.has_use_hierarchy,
	             &r->memory.use_hierarchy) < 0 ||
	    get_bool(p, m, "memory", "checkBeforeUpdate", NULL, &r->memory.check_before_update) <
	        0 ||
	    /* Deprecated by the kernel and the spec: checked, then ignored. */
	    get_i64(p, m, "memory", "kernel", &ignored, &kernel) < 0 ||
	    get_i64(p, m, "memory", "kernelTCP", &ignored, &kernel) < 0)
		return kerr_code(p->err);
	if (r->memory.has_limit && r->memory.limit < -1)
		return fail(p, "memory.limit", "must be -1 (unlimited) or a number of bytes");
	if (r->memory.has_reservation && r->memory.reservation < -1)
		return fail(p, "memory.reservation", "must be -1 (unlimited) or a number of bytes");
	if (r->memory.has_swap && r->memory.swap < -1)
		return fail(p, "memory.swap", "must be -1 (unlimited) or a number of bytes");
	if (r->memory.has_swappiness && r->memory.swappiness > 100)
		return fail(p, "memory.swappiness", "must be 0 to 100, got %llu",
		            (unsigned long long)r->memory.swappiness);
	if (r->memory.has_limit && r->memory.has_swap && r->memory.limit > 0 &&
	    r->memory.swap > 0 && r->memory.swap < r->memory.limit)
		return fail(p, "memory.swap",
		            "memory+swap (%lld) must not be below memory.limit (%lld)",
		            (long long)r->memory.swap, (long long)r->memory.limit);
	return 0;
}

static int parse_cpu(const struct rp *p, json_object *c, struct cgroup_resources *r)
{
	if (get_u64(p, c, "cpu", "shares", &r->cpu.has_shares, &r->cpu.shares) < 0 ||
	    get_i64(p, c, "cpu", "quota", &r->cpu.has_quota, &r->cpu.quota) < 0 ||
	    get_u64(p, c, "cpu", "burst", &r->cpu.has_burst, &r->cpu.burst) < 0 ||
	    get_u64(p, c, "cpu", "period", &r->cpu.has_period, &r->cpu.period) < 0 ||
	    get_i64(p, c, "cpu", "realtimeRuntime", &r->cpu.has_rt_runtime, &r->cpu.rt_runtime) <
	        0 ||
	    get_u64(p, c, "cpu", "realtimePeriod", &r->cpu.has_rt_period, &r->cpu.rt_period) < 0 ||
	    get_i64(p, c, "cpu", "idle", &r->cpu.has_idle, &r->cpu.idle) < 0 ||
	    get_cpu_list(p, c, "cpus", &r->cpu.cpus) < 0 ||
	    get_cpu_list(p, c, "mems", &r->cpu.mems) < 0)
		return kerr_code(p->err);
	/* 0 means "not set" for these, as in runc. */
	r->cpu.has_shares &= r->cpu.shares != 0;
	r->cpu.has_period &= r->cpu.period != 0;
	r->cpu.has_quota &= r->cpu.quota != 0;
	if (r->cpu.has_shares && (r->cpu.shares < 2 || r->cpu.shares > 262144))
		return fail(p, "cpu.shares", "must be 2 to 262144, got %llu",
		            (unsigned long long)r->cpu.shares);
	if (r->cpu.has_period && (r->cpu.period < 1000 || r->cpu.period > 1000000))
		return fail(p, "cpu.period", "must be 1000 to 1000000 microseconds, got %llu",
		            (unsigned long long)r->cpu.period);
	if (r->cpu.has_quota && r->cpu.quota < -1)
		return fail(p, "cpu.quota", "must be -1 (unlimited) or a positive number");
	if (r->cpu.has_quota && r->cpu.quota > 0 && r->cpu.quota < 1000)
		return fail(p, "cpu.quota", "must be at least 1000 microseconds, got %lld",
		            (long long)r->cpu.quota);
	if (r->cpu.has_idle && r->cpu.idle != 0 && r->cpu.idle != 1)
		return fail(p, "cpu.idle", "must be 0 or 1");
	return 0;
}

static int parse_dev_values(const struct rp *p, json_object *bio, const char *key, bool weights,
                            struct cgroup_dev_values *out)
{
	json_object *arr;
	char f[FIELD_MAX], base[FIELD_MAX];

	if (member(p, bio, "blockIO", key, json_type_array, &arr) < 0)
		return kerr_code(p->err);
	if (!arr)
		return 0;
	join(base, "blockIO", key);
	out->n = json_object_array_length(arr);
	out->v = xcalloc(out->n, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct cgroup_dev_value *d = &out->v[i];
		bool has_major = false, has_minor = false, has_rate = false;

		join_index(f, base, i);
		if (!json_object_is_type(e, json_type_object))
			return fail(p, f, "expected an object");
		if (get_i64(p, e, f, "major", &has_major, &d->major) < 0 ||
		    get_i64(p, e, f, "minor", &has_minor, &d->minor) < 0)
			return kerr_code(p->err);
		if (!has_major || !has_minor || d->major < 0 || d->minor < 0)
			return fail(p, f, "needs major and minor device numbers (>= 0)");
		if (weights) {
			if (get_u64(p, e, f, "weight", &d->has_weight, &d->value) < 0 ||
			    get_u64(p, e, f, "leafWeight", &d->has_leaf_weight, &d->leaf_weight) <
			        0)
				return kerr_code(p->err);
			if ((d->has_weight && (d->value < 10 || d->value > 1000)) ||
			    (d->has_leaf_weight && (d->leaf_weight < 10 || d->leaf_weight > 1000)))
				return fail(p, f, "weights must be 10 to 1000");
		} else {
			if (get_u64(p, e, f, "rate", &has_rate, &d->value) < 0)
				return kerr_code(p->err);
			if (!has_rate)
				return fail(p, f, "needs a rate");
		}
	}
	return 0;
}

static int parse_blkio(const struct rp *p, json_object *b, struct cgroup_resources *r)
{
	if (get_u64(p, b, "blockIO", "weight", &r->blkio.has_weight, &r->blkio.weight) < 0 ||
	    get_u64(p, b, "blockIO", "leafWeight", &r->blkio.has_leaf_weight,
	            &r->blkio.leaf_weight) < 0 ||
	    parse_dev_values(p, b, "weightDevice", true, &r->blkio.weight_device) < 0 ||
	    parse_dev_values(p, b, "throttleReadBpsDevice", false, &r->blkio.read_bps) < 0 ||
	    parse_dev_values(p, b, "throttleWriteBpsDevice", false, &r->blkio.write_bps) < 0 ||
	    parse_dev_values(p, b, "throttleReadIOPSDevice", false, &r->blkio.read_iops) < 0 ||
	    parse_dev_values(p, b, "throttleWriteIOPSDevice", false, &r->blkio.write_iops) < 0)
		return kerr_code(p->err);
	r->blkio.has_weight &= r->blkio.weight != 0;
	r->blkio.has_leaf_weight &= r->blkio.leaf_weight != 0;
	if (r->blkio.has_weight && (r->blkio.weight < 10 || r->blkio.weight > 1000))
		return fail(p, "blockIO.weight", "must be 10 to 1000, got %llu",
		            (unsigned long long)r->blkio.weight);
	if (r->blkio.has_leaf_weight && (r->blkio.leaf_weight < 10 || r->blkio.leaf_weight > 1000))
		return fail(p, "blockIO.leafWeight", "must be 10 to 1000");
	return 0;
}

static void kv_add(struct cgroup_kv **v, size_t *n, const char *key, const char *value)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = (struct cgroup_kv){xstrdup(key), xstrdup(value)};
}

/* "2MB", "1GB", "64KB": what the kernel names hugetlb.<size>.* files. */
static bool valid_page_size(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 &&
	       (strcmp(s + n, "KB") == 0 || strcmp(s + n, "MB") == 0 || strcmp(s + n, "GB") == 0);
}

static int parse_hugetlb(const struct rp *p, json_object *arr, struct cgroup_resources *r)
{
	char f[FIELD_MAX];

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *ps;
		bool has_limit = false;
		uint64_t limit;
		char buf[32];

		join_index(f, "hugepageLimits", i);
		if (!json_object_is_type(e, json_type_object))
			return fail(p, f, "expected an object");
		if (member(p, e, f, "pageSize", json_type_string, &ps) < 0 ||
		    get_u64(p, e, f, "limit", &has_limit, &limit) < 0)
			return kerr_code(p->err);
		if (!ps || !valid_page_size(json_object_get_string(ps)))
			return fail(p, f, "pageSize must be like \"2MB\" or \"1GB\"");
		if (!has_limit)
			return fail(p, f, "needs a limit");
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)limit);
		kv_add(&r->hugetlb, &r->n_hugetlb, json_object_get_string(ps), buf);
	}
	return 0;
}

static int parse_rdma(const struct rp *p, json_object *obj, struct cgroup_resources *r)
{
	json_object_object_foreach(obj, dev, limits)
	{
		char f[FIELD_MAX], value[96] = "";
		bool has_h = false, has_o = false;
		uint64_t h = 0, o = 0;

		join(f, "rdma", dev);
		if (!json_object_is_type(limits, json_type_object))
			return fail(p, f, "expected an object");
		if (strpbrk(dev, " \n=/"))
			return fail(p, f, "invalid device name");
		if (get_u64(p, limits, f, "hcaHandles", &has_h, &h) < 0 ||
		    get_u64(p, limits, f, "hcaObjects", &has_o, &o) < 0)
			return kerr_code(p->err);
		if (has_h)
			snprintf(value, sizeof(value), "hca_handle=%llu", (unsigned long long)h);
		if (has_o)
			snprintf(value + strlen(value), sizeof(value) - strlen(value),
			         "%shca_object=%llu", has_h ? " " : "", (unsigned long long)o);
		if (has_h || has_o)
			kv_add(&r->rdma, &r->n_rdma, dev, value);
	}
	return 0;
}

/* A unified key names a file of a controller or of the core:
 * "memory.high", "cpu.max.burst"; never a path. */
static int parse_unified(const struct rp *p, json_object *obj, struct cgroup_resources *r)
{
	json_object_object_foreach(obj, key, value)
	{
		char f[FIELD_MAX];
		const char *dot = strchr(key, '.');

		join(f, "unified", key);
		if (!json_object_is_type(value, json_type_string))
			return fail(p, f, "expected a string");
		if (!dot || dot == key || !dot[1] || strchr(key, '/') || strstr(key, "..") ||
		    strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789._") != strlen(key))
			return fail(p, f, "not a cgroup file name like \"memory.high\"");
		if (strncmp(key, "cgroup.", 7) == 0 && strcmp(key, "cgroup.freeze") != 0 &&
		    strcmp(key, "cgroup.max.depth") != 0 &&
		    strcmp(key, "cgroup.max.descendants") != 0)
			return fail(p, f, "this cgroup core file is the runtime's to manage");
		kv_add(&r->unified, &r->n_unified, key, json_object_get_string(value));
	}
	return 0;
}

static int parse_network(const struct rp *p, json_object *obj, struct cgroup_resources *r)
{
	json_object *arr;
	uint64_t id;

	if (get_u64(p, obj, "network", "classID", &r->network.has_class_id, &id) < 0 ||
	    member(p, obj, "network", "priorities", json_type_array, &arr) < 0)
		return kerr_code(p->err);
	if (r->network.has_class_id) {
		if (id > UINT32_MAX)
			return fail(p, "network.classID", "out of range");
		r->network.class_id = (uint32_t)id;
	}
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *name;
		char f[FIELD_MAX], buf[32];
		bool has = false;
		uint64_t prio;

		join_index(f, "network.priorities", i);
		if (!json_object_is_type(e, json_type_object))
			return fail(p, f, "expected an object");
		if (member(p, e, f, "name", json_type_string, &name) < 0 ||
		    get_u64(p, e, f, "priority", &has, &prio) < 0)
			return kerr_code(p->err);
		if (!name || !has || prio > UINT32_MAX)
			return fail(p, f, "needs a name and a priority");
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)prio);
		kv_add(&r->network.priorities, &r->network.n_priorities,
		       json_object_get_string(name), buf);
	}
	return 0;
}

static int parse_access(const char *s, unsigned *ret)
{
	unsigned a = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'r':
			a |= CGROUP_DEV_READ;
			break;
		case 'w':
			a |= CGROUP_DEV_WRITE;
			break;
		case 'm':
			a |= CGROUP_DEV_MKNOD;
			break;
		default:
			return -EINVAL;
		}
	}
	*ret = a;
	return 0;
}

static int parse_devices(const struct rp *p, json_object *arr, struct cgroup_resources *r)
{
	r->has_devices = true;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *type, *access;
		struct cgroup_device_rule rule = {.type = 'a',
		                                  .major = -1,
		                                  .minor = -1,
		                                  .access = CGROUP_DEV_READ | CGROUP_DEV_WRITE |
		                                            CGROUP_DEV_MKNOD};
		bool has_allow = false, has_major = false, has_minor = false;
		char f[FIELD_MAX];

		join_index(f, "devices", i);
		if (!json_object_is_type(e, json_type_object))
			return fail(p, f, "expected an object");
		if (get_bool(p, e, f, "allow", &has_allow, &rule.allow) < 0 ||
		    member(p, e, f, "type", json_type_string, &type) < 0 ||
		    member(p, e, f, "access", json_type_string, &access) < 0 ||
		    get_i64(p, e, f, "major", &has_major, &rule.major) < 0 ||
		    get_i64(p, e, f, "minor", &has_minor, &rule.minor) < 0)
			return kerr_code(p->err);
		if (!has_allow)
			return fail(p, f, "needs \"allow\"");
		if (type) {
			const char *t = json_object_get_string(type);
			if (strlen(t) != 1 || !strchr("abc", t[0]))
				return fail(p, f,
				            "type must be \"a\", \"b\" or \"c\", got \"%.16s\"", t);
			rule.type = t[0];
		}
		if (access && parse_access(json_object_get_string(access), &rule.access) < 0)
			return fail(p, f, "access must be made of \"r\", \"w\" and \"m\"");
		if ((has_major && rule.major < -1) || (has_minor && rule.minor < -1))
			return fail(p, f, "device numbers must be >= 0 (or -1 for any)");
		cgroup_resources_add_device(r, &rule);
	}
	return 0;
}

int cgroup_resources_parse(struct json_object *obj, const char *field, struct cgroup_resources *r,
                           struct kerr *err)
{
	struct rp p = {.base = field ? field : "", .err = err};
	json_object *m, *c, *pids, *b, *h, *rd, *u, *n, *d;

	memset(r, 0, sizeof(*r));
	if (!obj)
		return 0;
	if (!json_object_is_type(obj, json_type_object))
		return kerr_setx(err, EINVAL, "%s: expected an object",
		                 *p.base ? p.base : "resources");
	if (member(&p, obj, "", "memory", json_type_object, &m) < 0 ||
	    member(&p, obj, "", "cpu", json_type_object, &c) < 0 ||
	    member(&p, obj, "", "pids", json_type_object, &pids) < 0 ||
	    member(&p, obj, "", "blockIO", json_type_object, &b) < 0 ||
	    member(&p, obj, "", "hugepageLimits", json_type_array, &h) < 0 ||
	    member(&p, obj, "", "rdma", json_type_object, &rd) < 0 ||
	    member(&p, obj, "", "unified", json_type_object, &u) < 0 ||
	    member(&p, obj, "", "network", json_type_object, &n) < 0 ||
	    member(&p, obj, "", "devices", json_type_array, &d) < 0)
		goto fail;
	if ((m && parse_memory(&p, m, r) < 0) || (c && parse_cpu(&p, c, r) < 0) ||
	    (pids && get_i64(&p, pids, "pids", "limit", &r->pids.has_limit, &r->pids.limit) < 0) ||
	    (b && parse_blkio(&p, b, r) < 0) || (h && parse_hugetlb(&p, h, r) < 0) ||
	    (rd && parse_rdma(&p, rd, r) < 0) || (u && parse_unified(&p, u, r) < 0) ||
	    (n && parse_network(&p, n, r) < 0) || (d && parse_devices(&p, d, r) < 0))
		goto fail;
	return 0;
fail:
	cgroup_resources_free(r);
	return kerr_code(err);
}

static void kv_free(struct cgroup_kv *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void cgroup_resources_free(struct cgroup_resources *r)
{
	if (!r)
		return;
	free(r->cpu.cpus);
	free(r->cpu.mems);
	free(r->blkio.weight_device.v);
	free(r->blkio.read_bps.v);
	free(r->blkio.write_bps.v);
	free(r->blkio.read_iops.v);
	free(r->blkio.write_iops.v);
	kv_free(r->hugetlb, r->n_hugetlb);
	kv_free(r->rdma, r->n_rdma);
	kv_free(r->unified, r->n_unified);
	kv_free(r->network.priorities, r->network.n_priorities);
	free(r->devices);
	memset(r, 0, sizeof(*r));
}

void cgroup_resources_add_device(struct cgroup_resources *r, const struct cgroup_device_rule *rule)
{
	r->devices = xrealloc(r->devices, (r->n_devices + 1) * sizeof(*r->devices));
	r->devices[r->n_devices++] = *rule;
}

void cgroup_resources_add_default_devices(struct cgroup_resources *r)
{
	const unsigned rwm = CGROUP_DEV_READ | CGROUP_DEV_WRITE | CGROUP_DEV_MKNOD;
	static const struct {
		char type;
		int64_t major, minor;
	} rwm_devices[] = {
	    {'c', 1, 3},    /* null */
	    {'c', 1, 5},    /* zero */
	    {'c', 1, 7},    /* full */
	    {'c', 1, 8},    /* random */
	    {'c', 1, 9},    /* urandom */
	    {'c', 5, 0},    /* tty */
	    {'c', 5, 2},    /* ptmx */
	    {'c', 136, -1}, /* pts */
	};
	struct cgroup_device_rule mknod = {
	    .allow = true, .major = -1, .minor = -1, .access = CGROUP_DEV_MKNOD};

	mknod.type = 'c';
	cgroup_resources_add_device(r, &mknod);
	mknod.type = 'b';
	cgroup_resources_add_device(r, &mknod);
	for (size_t i = 0; i < ARRAY_SIZE(rwm_devices); i++) {
		struct cgroup_device_rule rule = {.allow = true,
		                                  .type = rwm_devices[i].type,
		                                  .major = rwm_devices[i].major,
		                                  .minor = rwm_devices[i].minor,
		                                  .access = rwm};
		cgroup_resources_add_device(r, &rule);
	}
	r->has_devices = true;
}

static void dev_values_merge(struct cgroup_dev_values *dst, const struct cgroup_dev_values *src)
{
	if (!src->n)
		return;
	free(dst->v);
	dst->v = xcalloc(src->n, sizeof(*src->v));
	memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
}

static void str_merge(char **dst, const char *src)
{
	if (!src)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static void kv_merge(struct cgroup_kv **dst, size_t *n_dst, const struct cgroup_kv *src,
                     size_t n_src)
{
	for (size_t i = 0; i < n_src; i++) {
		size_t j;
		for (j = 0; j < *n_dst; j++) {
			if (strcmp((*dst)[j].key, src[i].key) == 0) {
				free((*dst)[j].value);
				(*dst)[j].value = xstrdup(src[i].value);
				break;
			}
		}
		if (j == *n_dst)
			kv_add(dst, n_dst, src[i].key, src[i].value);
	}
}

#define MERGE(field, has)                                                                          \
	do {                                                                                       \
		if (src->has) {                                                                    \
			dst->has = true;                                                           \
			dst->field = src->field;                                                   \
		}                                                                                  \
	} while (0)

void cgroup_resources_merge(struct cgroup_resources *dst, const struct cgroup_resources *src)
{
	MERGE(memory.limit, memory.has_limit);
	MERGE(memory.reservation, memory.has_reservation);
	MERGE(memory.swap, memory.has_swap);
	MERGE(memory.swappiness, memory.has_swappiness);
	MERGE(memory.disable_oom_killer, memory.has_disable_oom_killer);
	MERGE(memory.use_hierarchy, memory.has_use_hierarchy);
	dst->memory.check_before_update |= src->memory.check_before_update;
	MERGE(cpu.shares, cpu.has_shares);
	MERGE(cpu.quota, cpu.has_quota);
	MERGE(cpu.burst, cpu.has_burst);
	MERGE(cpu.period, cpu.has_period);
	MERGE(cpu.rt_runtime, cpu.has_rt_runtime);
	MERGE(cpu.rt_period, cpu.has_rt_period);
	MERGE(cpu.idle, cpu.has_idle);
	str_merge(&dst->cpu.cpus, src->cpu.cpus);
	str_merge(&dst->cpu.mems, src->cpu.mems);
	MERGE(pids.limit, pids.has_limit);
	MERGE(blkio.weight, blkio.has_weight);
	MERGE(blkio.leaf_weight, blkio.has_leaf_weight);
	dev_values_merge(&dst->blkio.weight_device, &src->blkio.weight_device);
	dev_values_merge(&dst->blkio.read_bps, &src->blkio.read_bps);
	dev_values_merge(&dst->blkio.write_bps, &src->blkio.write_bps);
	dev_values_merge(&dst->blkio.read_iops, &src->blkio.read_iops);
	dev_values_merge(&dst->blkio.write_iops, &src->blkio.write_iops);
	kv_merge(&dst->hugetlb, &dst->n_hugetlb, src->hugetlb, src->n_hugetlb);
	kv_merge(&dst->rdma, &dst->n_rdma, src->rdma, src->n_rdma);
	kv_merge(&dst->unified, &dst->n_unified, src->unified, src->n_unified);
	MERGE(network.class_id, network.has_class_id);
	kv_merge(&dst->network.priorities, &dst->network.n_priorities, src->network.priorities,
	         src->network.n_priorities);
	if (src->has_devices) {
		free(dst->devices);
		dst->devices = NULL;
		dst->n_devices = 0;
		for (size_t i = 0; i < src->n_devices; i++)
			cgroup_resources_add_device(dst, &src->devices[i]);
		dst->has_devices = true;
	}
}
