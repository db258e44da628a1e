/* What the kernel reports about a cgroup, as runc's `events --stats`
 * data: cpu usage and throttling, memory usage, peak, swap, raw stat and
 * OOM events, pids, block I/O per device, hugetlb, and on v2 the PSI
 * pressure of cpu, memory and io (a tenant's "steal time"). */
#include "cg-internal.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

static bool read_u64(const char *dir, const char *file, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	struct kerr ignored;

	if (!dir || !(s = cg_read(dir, file, &ignored)))
		return false;
	if (strcmp(s, "max") == 0) {
		*ret = UINT64_MAX;
		return true;
	}
	return parse_u64(s, ret) == 0;
}

/* "key value" lines (cpu.stat, memory.stat, memory.events) as an object
 * of numbers. */
static json_object *read_keyed(const char *dir, const char *file)
{
	_cleanup_free_ char *s = NULL;
	struct kerr ignored;
	json_object *o;

	if (!dir || !(s = cg_read(dir, file, &ignored)))
		return NULL;
	o = json_object_new_object();
	for (char *save = NULL, *line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[128];
		uint64_t v;

		if (sscanf(line, "%127s %" SCNu64, key, &v) == 2)
			json_object_object_add(o, key, json_object_new_uint64(v));
	}
	return o;
}

static uint64_t keyed(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_uint64(v) : 0;
}

static void add_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

/* cpu.pressure: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0". */
static json_object *read_psi(const char *dir, const char *file)
{
	_cleanup_free_ char *s = NULL;
	struct kerr ignored;
	json_object *o;

	if (!dir || !(s = cg_read(dir, file, &ignored)))
		return NULL;
	o = json_object_new_object();
	for (char *save = NULL, *line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char kind[8];
		double a10, a60, a300;
		uint64_t total;
		json_object *d;

		if (sscanf(line, "%7s avg10=%lf avg60=%lf avg300=%lf total=%" SCNu64, kind, &a10,
		           &a60, &a300, &total) != 5)
			continue;
		d = json_object_new_object();
		json_object_object_add(d, "avg10", json_object_new_double(a10));
		json_object_object_add(d, "avg60", json_object_new_double(a60));
		json_object_object_add(d, "avg300", json_object_new_double(a300));
		add_u64(d, "total", total);
		json_object_object_add(o, kind, d);
	}
	return o;
}

static json_object *cpu_v2(const char *dir)
{
	json_object *cpu = json_object_new_object(), *usage = json_object_new_object(),
	            *thr = json_object_new_object(), *st = read_keyed(dir, "cpu.stat"), *psi;

	add_u64(usage, "total", keyed(st, "usage_usec") * 1000);
	add_u64(usage, "kernel", keyed(st, "system_usec") * 1000);
	add_u64(usage, "user", keyed(st, "user_usec") * 1000);
	add_u64(thr, "periods", keyed(st, "nr_periods"));
	add_u64(thr, "throttledPeriods", keyed(st, "nr_throttled"));
	add_u64(thr, "throttledTime", keyed(st, "throttled_usec") * 1000);
	json_object_object_add(cpu, "usage", usage);
	json_object_object_add(cpu, "throttling", thr);
	if ((psi = read_psi(dir, "cpu.pressure")))
		json_object_object_add(cpu, "psi", psi);
	json_object_put(st);
	return cpu;
}

static json_object *cpu_v1(const char *cpu_dir, const char *acct_dir)
{
	json_object *cpu = json_object_new_object(), *usage = json_object_new_object(),
	            *thr = json_object_new_object(), *st = read_keyed(cpu_dir, "cpu.stat"),
	            *acct = read_keyed(acct_dir, "cpuacct.stat");
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t total = 0;
	_cleanup_free_ char *percpu = NULL;
	struct kerr ignored;

	read_u64(acct_dir, "cpuacct.usage", &total);
	add_u64(usage, "total", total);
	if (acct_dir && (percpu = cg_read(acct_dir, "cpuacct.usage_percpu", &ignored))) {
		json_object *arr = json_object_new_array();
		for (char *save = NULL, *t = strtok_r(percpu, " ", &save); t;
		     t = strtok_r(NULL, " ", &save))
			json_object_array_add(arr, json_object_new_uint64(strtoull(t, NULL, 10)));
		json_object_object_add(usage, "percpu", arr);
	}
	if (hz <= 0)
		hz = 100;
	add_u64(usage, "kernel", keyed(acct, "system") * (1000000000ull / (uint64_t)hz));
	add_u64(usage, "user", keyed(acct, "user") * (1000000000ull / (uint64_t)hz));
	add_u64(thr, "periods", keyed(st, "nr_periods"));
	add_u64(thr, "throttledPeriods", keyed(st, "nr_throttled"));
	add_u64(thr, "throttledTime", keyed(st, "throttled_time"));
	json_object_object_add(cpu, "usage", usage);
	json_object_object_add(cpu, "throttling", thr);
	json_object_put(st);
	json_object_put(acct);
	return cpu;
}

static json_object *entry(const char *dir, const char *usage, const char *limit, const char *max,
                          const char *failcnt)
{
	json_object *e = json_object_new_object();
	uint64_t v;

	add_u64(e, "limit", limit && read_u64(dir, limit, &v) ? v : 0);
	if (read_u64(dir, usage, &v))
		add_u64(e, "usage", v);
	if (max && read_u64(dir, max, &v))
		add_u64(e, "max", v);
	add_u64(e, "failcnt", failcnt && read_u64(dir, failcnt, &v) ? v : 0);
	return e;
}

static json_object *memory_v2(const char *dir)
{
	json_object *mem = json_object_new_object(), *raw = read_keyed(dir, "memory.stat"),
	            *events = read_keyed(dir, "memory.events"), *psi;

	json_object_object_add(mem, "cache", json_object_new_uint64(keyed(raw, "file")));
	json_object_object_add(mem, "usage",
	                       entry(dir, "memory.current", "memory.max", "memory.peak", NULL));
	json_object_object_add(
	    mem, "swap",
	    entry(dir, "memory.swap.current", "memory.swap.max", "memory.swap.peak", NULL));
	if (raw)
		json_object_object_add(mem, "raw", raw);
	if (events)
		json_object_object_add(mem, "events", events);
	if ((psi = read_psi(dir, "memory.pressure")))
		json_object_object_add(mem, "psi", psi);
	return mem;
}

static json_object *memory_v1(const char *dir)
{
	json_object *mem = json_object_new_object(), *raw = read_keyed(dir, "memory.stat"),
	            *oom = read_keyed(dir, "memory.oom_control"), *events;

	json_object_object_add(mem, "cache", json_object_new_uint64(keyed(raw, "total_cache")));
	json_object_object_add(mem, "usage",
	                       entry(dir, "memory.usage_in_bytes", "memory.limit_in_bytes",
	                             "memory.max_usage_in_bytes", "memory.failcnt"));
	json_object_object_add(mem, "swap",
	                       entry(dir, "memory.memsw.usage_in_bytes",
	                             "memory.memsw.limit_in_bytes",
	                             "memory.memsw.max_usage_in_bytes", "memory.memsw.failcnt"));
	if (raw)
		json_object_object_add(mem, "raw", raw);
	events = json_object_new_object();
	add_u64(events, "oom_kill", keyed(oom, "oom_kill"));
	add_u64(events, "under_oom", keyed(oom, "under_oom"));
	json_object_object_add(mem, "events", events);
	json_object_put(oom);
	return mem;
}

static json_object *pids(const char *dir, bool v2)
{
	json_object *p = json_object_new_object();
	uint64_t v;

	add_u64(p, "current", read_u64(dir, "pids.current", &v) ? v : 0);
	/* runc reports "max" as 0 (no limit). */
	add_u64(p, "limit", read_u64(dir, "pids.max", &v) && v != UINT64_MAX ? v : 0);
	(void)v2;
	return p;
}

static void blk_add(json_object *arr, unsigned major, unsigned minor, const char *op, uint64_t v)
{
	json_object *e = json_object_new_object();

	add_u64(e, "major", major);
	add_u64(e, "minor", minor);
	json_object_object_add(e, "op", json_object_new_string(op));
	add_u64(e, "value", v);
	json_object_array_add(arr, e);
}

/* io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0". */
static json_object *io_v2(const char *dir)
{
	json_object *blk = json_object_new_object(), *bytes = json_object_new_array(),
	            *ios = json_object_new_array(), *psi;
	_cleanup_free_ char *s = NULL;
	struct kerr ignored;

	if (dir && (s = cg_read(dir, "io.stat", &ignored))) {
		for (char *save = NULL, *line = strtok_r(s, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			unsigned major, minor;
			uint64_t rb = 0, wb = 0, ri = 0, wi = 0;
			char *p;

			if (sscanf(line, "%u:%u", &major, &minor) != 2)
				continue;
			if ((p = strstr(line, "rbytes=")))
				rb = strtoull(p + 7, NULL, 10);
			if ((p = strstr(line, "wbytes=")))
				wb = strtoull(p + 7, NULL, 10);
			if ((p = strstr(line, "rios=")))
				ri = strtoull(p + 5, NULL, 10);
			if ((p = strstr(line, "wios=")))
				wi = strtoull(p + 5, NULL, 10);
			blk_add(bytes, major, minor, "Read", rb);
			blk_add(bytes, major, minor, "Write", wb);
			blk_add(ios, major, minor, "Read", ri);
			blk_add(ios, major, minor, "Write", wi);
		}
	}
	json_object_object_add(blk, "ioServiceBytesRecursive", bytes);
	json_object_object_add(blk, "ioServicedRecursive", ios);
	if ((psi = read_psi(dir, "io.pressure")))
		json_object_object_add(blk, "psi", psi);
	return blk;
}

/* blkio.throttle.io_service_bytes_recursive: "8:0 Read 4096" lines. */
static json_object *blk_v1_file(const char *dir, const char *file)
{
	json_object *arr = json_object_new_array();
	_cleanup_free_ char *s = NULL;
	struct kerr ignored;

	if (!dir || !(s = cg_read(dir, file, &ignored)))
		return arr;
	for (char *save = NULL, *line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned major, minor;
		char op[16];
		uint64_t v;

		if (sscanf(line, "%u:%u %15s %" SCNu64, &major, &minor, op, &v) == 4)
			blk_add(arr, major, minor, op, v);
	}
	return arr;
}

static json_object *io_v1(const char *dir)
{
	json_object *blk = json_object_new_object();

	json_object_object_add(blk, "ioServiceBytesRecursive",
	                       blk_v1_file(dir, "blkio.throttle.io_service_bytes_recursive"));
	json_object_object_add(blk, "ioServicedRecursive",
	                       blk_v1_file(dir, "blkio.throttle.io_serviced_recursive"));
	return blk;
}

int cgroup_stats_json(const struct cgroup *cg, struct json_object **ret, struct kerr *err)
{
	const struct cg_dir *cpu = cg_dir_for(cg, "cpu"), *acct = cg_dir_for(cg, "cpuacct"),
	                    *mem = cg_dir_for(cg, "memory"), *pid = cg_dir_for(cg, "pids"),
	                    *io = cg_dir_for(cg, "io"), *blkio = cg_dir_for(cg, "blkio"),
	                    *v2 = cg_dir_v2(cg);
	json_object *o = json_object_new_object();

	(void)err;
	if (cpu && cpu->v2)
		json_object_object_add(o, "cpu", cpu_v2(cpu->path));
	else if (cpu || acct)
		json_object_object_add(o, "cpu",
		                       cpu_v1(cpu ? cpu->path : NULL, acct ? acct->path : NULL));
	else if (v2) /* cpu.stat is a core file on v2: usage without the controller */
		json_object_object_add(o, "cpu", cpu_v2(v2->path));
	if (mem)
		json_object_object_add(o, "memory",
		                       mem->v2 ? memory_v2(mem->path) : memory_v1(mem->path));
	if (pid)
		json_object_object_add(o, "pids", pids(pid->path, pid->v2));
	if (io)
		json_object_object_add(o, "blkio", io_v2(io->path));
	else if (blkio)
		json_object_object_add(o, "blkio", io_v1(blkio->path));
	*ret = o;
	return 0;
}

uint64_t cgroup_oom_kills(const struct cgroup *cg)
{
	const struct cg_dir *mem = cg_dir_for(cg, "memory");
	json_object *o;
	uint64_t n;

	if (!mem)
		return 0;
	o = read_keyed(mem->path, mem->v2 ? "memory.events" : "memory.oom_control");
	n = keyed(o, "oom_kill");
	json_object_put(o);
	return n;
}
