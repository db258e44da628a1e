/* kura update [--resources FILE|-] [runc's limit flags] ID: change a
 * live container's limits.  The flags are turned into a linux.resources
 * object laid over the file's, so both go through the one validator. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "../runtime/cgroup.h"
#include "cmd.h"

enum {
	OPT_RESOURCES = 1,
	OPT_BLKIO_WEIGHT,
	OPT_CPU_PERIOD,
	OPT_CPU_QUOTA,
	OPT_CPU_SHARE,
	OPT_CPU_RT_PERIOD,
	OPT_CPU_RT_RUNTIME,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_MEMORY,
	OPT_MEMORY_RESERVATION,
	OPT_MEMORY_SWAP,
	OPT_PIDS_LIMIT,
	OPT_KERNEL_MEMORY,
	OPT_KERNEL_MEMORY_TCP,
	OPT_L3_CACHE,
	OPT_MEM_BW,
};

struct update_args {
	const char *resources;
	json_object *flags; /* linux.resources built from the flags */
	bool bad;
};

/* "512m", "1g", "1.5G", "1024", "-1": docker's RAMInBytes (binary units). */
static int parse_bytes(const char *s, int64_t *ret)
{
	char *end;
	double v;
	double mul = 1;

	if (strcmp(s, "-1") == 0) {
		*ret = -1;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || (s[0] < '0' || s[0] > '9'))
		return -EINVAL;
	while (*end == ' ')
		end++;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1024.0;
		break;
	case 'm':
	case 'M':
		mul = 1024.0 * 1024;
		break;
	case 'g':
	case 'G':
		mul = 1024.0 * 1024 * 1024;
		break;
	case 't':
	case 'T':
		mul = 1024.0 * 1024 * 1024 * 1024;
		break;
	case 'p':
	case 'P':
		mul = 1024.0 * 1024 * 1024 * 1024 * 1024;
		break;
	case 'b':
	case 'B':
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (*end && *end != 'b' && *end != 'B') {
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'b' || *end == 'B')
			end++;
	} else if (*end) {
		end++;
	}
	if (*end || v * mul > 9.2e18)
		return -EINVAL;
	*ret = (int64_t)(v * mul);
	return 0;
}

static json_object *section(json_object *flags, const char *name)
{
	json_object *o;

	if (!json_object_object_get_ex(flags, name, &o)) {
		o = json_object_new_object();
		json_object_object_add(flags, name, o);
	}
	return o;
}

static int set_int(struct update_args *a, const char *sect, const char *key, const char *flag,
                   const char *arg, bool bytes)
{
	int64_t v;
	char *end;

	if (bytes) {
		if (parse_bytes(arg, &v) < 0)
			goto bad;
	} else {
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || end == arg || *end)
			goto bad;
	}
	json_object_object_add(section(a->flags, sect), key, json_object_new_int64(v));
	return 0;
bad:
	log_error("--%s: invalid value \"%s\"", flag, arg);
	return -1;
}

static int update_handler(int key, const char *arg, void *userdata)
{
	struct update_args *a = userdata;

	switch (key) {
	case OPT_RESOURCES:
		a->resources = arg;
		return 0;
	case OPT_BLKIO_WEIGHT:
		return set_int(a, "blockIO", "weight", "blkio-weight", arg, false);
	case OPT_CPU_PERIOD:
		return set_int(a, "cpu", "period", "cpu-period", arg, false);
	case OPT_CPU_QUOTA:
		return set_int(a, "cpu", "quota", "cpu-quota", arg, false);
	case OPT_CPU_SHARE:
		return set_int(a, "cpu", "shares", "cpu-share", arg, false);
	case OPT_CPU_RT_PERIOD:
		return set_int(a, "cpu", "realtimePeriod", "cpu-rt-period", arg, false);
	case OPT_CPU_RT_RUNTIME:
		return set_int(a, "cpu", "realtimeRuntime", "cpu-rt-runtime", arg, false);
	case OPT_CPUSET_CPUS:
		json_object_object_add(section(a->flags, "cpu"), "cpus",
		                       json_object_new_string(arg));
		return 0;
	case OPT_CPUSET_MEMS:
		json_object_object_add(section(a->flags, "cpu"), "mems",
		                       json_object_new_string(arg));
		return 0;
	case OPT_MEMORY:
		return set_int(a, "memory", "limit", "memory", arg, true);
	case OPT_MEMORY_RESERVATION:
		return set_int(a, "memory", "reservation", "memory-reservation", arg, true);
	case OPT_MEMORY_SWAP:
		return set_int(a, "memory", "swap", "memory-swap", arg, true);
	case OPT_PIDS_LIMIT:
		return set_int(a, "pids", "limit", "pids-limit", arg, false);
	case OPT_KERNEL_MEMORY:
	case OPT_KERNEL_MEMORY_TCP:
		/* Deprecated by the kernel; runc ignores them too. */
		return 0;
	case OPT_L3_CACHE:
	case OPT_MEM_BW:
		log_error("--%s: Intel RDT is not supported",
		          key == OPT_L3_CACHE ? "l3-cache-schema" : "mem-bw-schema");
		return -1;
	}
	return -1;
}

static json_object *read_resources(const char *path, struct kerr *err)
{
	_cleanup_free_ char *text = NULL;
	json_object *o;
	enum json_tokener_error jerr;

	if (read_file_at(AT_FDCWD, strcmp(path, "-") == 0 ? "/dev/stdin" : path, &text, NULL, err) <
	    0)
		return NULL;
	o = json_tokener_parse_verbose(text, &jerr);
	if (!o) {
		kerr_setx(err, EINVAL, "%s: invalid JSON: %s", path, json_tokener_error_desc(jerr));
		return NULL;
	}
	return o;
}

int cmd_update(int argc, char **argv)
{
	static const char usage[] = "update [--resources FILE|-] [OPTIONS] CONTAINER_ID";
	static const struct verb_opt opts[] = {
	    {"resources", required_argument, OPT_RESOURCES},
	    {"r", required_argument, OPT_RESOURCES},
	    {"blkio-weight", required_argument, OPT_BLKIO_WEIGHT},
	    {"cpu-period", required_argument, OPT_CPU_PERIOD},
	    {"cpu-quota", required_argument, OPT_CPU_QUOTA},
	    {"cpu-share", required_argument, OPT_CPU_SHARE},
	    {"cpu-rt-period", required_argument, OPT_CPU_RT_PERIOD},
	    {"cpu-rt-runtime", required_argument, OPT_CPU_RT_RUNTIME},
	    {"cpuset-cpus", required_argument, OPT_CPUSET_CPUS},
	    {"cpuset-mems", required_argument, OPT_CPUSET_MEMS},
	    {"memory", required_argument, OPT_MEMORY},
	    {"memory-reservation", required_argument, OPT_MEMORY_RESERVATION},
	    {"memory-swap", required_argument, OPT_MEMORY_SWAP},
	    {"pids-limit", required_argument, OPT_PIDS_LIMIT},
	    {"kernel-memory", required_argument, OPT_KERNEL_MEMORY},
	    {"kernel-memory-tcp", required_argument, OPT_KERNEL_MEMORY_TCP},
	    {"l3-cache-schema", required_argument, OPT_L3_CACHE},
	    {"mem-bw-schema", required_argument, OPT_MEM_BW},
	    {NULL, 0, 0},
	};
	struct update_args a = {.flags = json_object_new_object()};
	struct cgroup_resources r = {0}, from_flags = {0};
	json_object *file = NULL;
	struct kerr err = {0};
	int first, rc = 1;

	first = verb_parse(argc, argv, opts, usage, update_handler, &a);
	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		goto out;
	if (a.resources) {
		if (!(file = read_resources(a.resources, &err)) ||
		    cgroup_resources_parse(file, "", &r, &err) < 0) {
			rc = log_kerr(&err);
			goto out;
		}
	}
	if (cgroup_resources_parse(a.flags, "", &from_flags, &err) < 0) {
		rc = log_kerr(&err);
		goto out;
	}
	cgroup_resources_merge(&r, &from_flags);
	if (container_update(&g_opts.ctx, argv[first], &r, &err) < 0) {
		rc = log_kerr(&err);
		goto out;
	}
	rc = 0;
out:
	cgroup_resources_free(&r);
	cgroup_resources_free(&from_flags);
	json_object_put(file);
	json_object_put(a.flags);
	return rc;
}
