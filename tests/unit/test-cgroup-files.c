/* cgroups/apply_v1.c, apply_v2.c and stats.c against fake cgroup
 * directories: which file gets which value, and how every file kura
 * reads for stats is parsed.  (The kernel's side is tested on this host
 * for v1 and in the VM for v2.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cgroups/cg-internal.h"
#include "../../common/cleanup.h"
#include "../../common/util.h"

static char tmpdir[] = "/tmp/kura-cgfiles.XXXXXX";

static void put(const char *dir, const char *file, const char *content)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char *get(const char *dir, const char *file)
{
	struct kerr err;
	char *s = cg_read(dir, file, &err);

	if (!s)
		fail_msg("read %s/%s: %s", dir, file, err.msg);
	return s;
}

#define assert_file(dir, file, want)                                                               \
	do {                                                                                       \
		_cleanup_free_ char *got_ = get(dir, file);                                        \
		if (strcmp(got_, want) != 0)                                                       \
			fail_msg("%s: \"%s\", want \"%s\"", file, got_, want);                     \
	} while (0)

static char *mkdir_in(const char *name)
{
	char *p = xasprintf("%s/%s", tmpdir, name);

	assert_int_equal(mkdir(p, 0755), 0);
	return p;
}

static int parse(const char *text, struct cgroup_resources *r)
{
	json_object *o = json_tokener_parse(text);
	struct kerr err;
	int rc = cgroup_resources_parse(o, "linux.resources", r, &err);

	json_object_put(o);
	return rc;
}

/* A fake v2 cgroup: the files a 6.1 kernel shows, empty. */
static void v2_files(const char *d)
{
	static const char *const files[] = {
	    "cpu.weight", "cpu.max.burst",   "cpu.idle",        "cpuset.cpus", "cpuset.mems",
	    "memory.max", "memory.low",      "memory.swap.max", "pids.max",    "io.weight",
	    "io.max",     "hugetlb.2MB.max", "cgroup.freeze",   "memory.high",
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		put(d, files[i], "");
	put(d, "cpu.max", "max 100000\n");
	put(d, "cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
}

static void test_apply_v2(void **state)
{
	_cleanup_free_ char *d = mkdir_in("v2");
	struct cg_dir dir = {.path = d, .controllers = (char *)"", .v2 = true};
	struct cgroup cg = {.mode = CGROUP_MODE_UNIFIED, .dirs = &dir, .n_dirs = 1};
	struct cgroup_resources r;
	struct kerr err = {0};

	v2_files(d);
	assert_int_equal(
	    parse(
	        "{\"cpu\": {\"shares\": 1024, \"quota\": 50000, \"burst\": 1000, \"cpus\": \"0\","
	        " \"mems\": \"0\", \"idle\": 1},"
	        " \"memory\": {\"limit\": 104857600, \"swap\": 209715200, \"reservation\": 1000},"
	        " \"pids\": {\"limit\": -1}, \"blockIO\": {\"weight\": 1000,"
	        " \"throttleReadBpsDevice\": [{\"major\": 253, \"minor\": 0, \"rate\": 1048576}]},"
	        " \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 2097152}],"
	        " \"unified\": {\"memory.high\": \"50000000\"}}",
	        &r),
	    0);
	if (cg_apply(&cg, &r, &err) < 0)
		fail_msg("apply: %s", err.msg);
	assert_file(d, "cpu.weight", "100");
	assert_file(d, "cpu.max", "50000 100000");
	assert_file(d, "cpu.max.burst", "1000");
	assert_file(d, "cpu.idle", "1");
	assert_file(d, "cpuset.cpus", "0");
	assert_file(d, "memory.max", "104857600");
	assert_file(d, "memory.swap.max", "104857600");
	assert_file(d, "memory.low", "1000");
	assert_file(d, "pids.max", "max");
	assert_file(d, "io.weight", "default 10000");
	assert_file(d, "io.max", "253:0 rbps=1048576");
	assert_file(d, "hugetlb.2MB.max", "2097152");
	assert_file(d, "memory.high", "50000000");
	cgroup_resources_free(&r);

	/* A period alone keeps the quota that is set. */
	put(d, "cpu.max", "20000 100000\n");
	assert_int_equal(parse("{\"cpu\": {\"period\": 50000}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), 0);
	assert_file(d, "cpu.max", "20000 50000");
	cgroup_resources_free(&r);

	/* No v2 equivalent: clear errors. */
	assert_int_equal(parse("{\"memory\": {\"swappiness\": 5}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "memory.swappiness"));
	cgroup_resources_free(&r);
	assert_int_equal(parse("{\"cpu\": {\"realtimeRuntime\": 5}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOTSUP);
	cgroup_resources_free(&r);
	assert_int_equal(parse("{\"unified\": {\"memory.nonexistent\": \"1\"}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "unified.memory.nonexistent"));
	cgroup_resources_free(&r);
	assert_int_equal(parse("{\"unified\": {\"rdma.max\": \"x\"}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "rdma controller is not on cgroup v2"));
	cgroup_resources_free(&r);
}

/* Hybrid: memory and pids in v1 hierarchies, hugetlb in v2. */
static void test_apply_hybrid(void **state)
{
	_cleanup_free_ char *mem = mkdir_in("memory"), *pids = mkdir_in("pids"),
	                    *cpu = mkdir_in("cpu"), *uni = mkdir_in("unified");
	struct cg_dir dirs[] = {
	    {.path = mem, .controllers = (char *)"memory"},
	    {.path = pids, .controllers = (char *)"pids"},
	    {.path = cpu, .controllers = (char *)"cpu,cpuacct"},
	    {.path = uni, .controllers = (char *)"", .v2 = true},
	};
	struct cgroup cg = {.mode = CGROUP_MODE_HYBRID, .dirs = dirs, .n_dirs = 4};
	struct cgroup_resources r;
	struct kerr err = {0};

	put(mem, "memory.limit_in_bytes", "");
	put(mem, "memory.memsw.limit_in_bytes", "");
	put(mem, "memory.soft_limit_in_bytes", "");
	put(mem, "memory.swappiness", "");
	put(mem, "memory.oom_control", "");
	put(pids, "pids.max", "");
	put(cpu, "cpu.shares", "");
	put(cpu, "cpu.cfs_quota_us", "");
	put(cpu, "cpu.cfs_period_us", "");
	put(uni, "cgroup.controllers", "hugetlb\n");
	put(uni, "hugetlb.2MB.max", "");
	assert_int_equal(
	    parse("{\"memory\": {\"limit\": 1000000, \"swap\": 2000000,"
	          " \"reservation\": 500, \"swappiness\": 0, \"disableOOMKiller\": true},"
	          " \"pids\": {\"limit\": 100}, \"cpu\": {\"shares\": 512,"
	          " \"quota\": 25000, \"period\": 50000},"
	          " \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 0}]}",
	          &r),
	    0);
	if (cg_apply(&cg, &r, &err) < 0)
		fail_msg("apply: %s", err.msg);
	assert_file(mem, "memory.limit_in_bytes", "1000000");
	assert_file(mem, "memory.memsw.limit_in_bytes", "2000000");
	assert_file(mem, "memory.soft_limit_in_bytes", "500");
	assert_file(mem, "memory.swappiness", "0");
	assert_file(mem, "memory.oom_control", "1");
	assert_file(pids, "pids.max", "100");
	assert_file(cpu, "cpu.shares", "512");
	assert_file(cpu, "cpu.cfs_quota_us", "25000");
	assert_file(cpu, "cpu.cfs_period_us", "50000");
	assert_file(uni, "hugetlb.2MB.max", "0");
	cgroup_resources_free(&r);

	/* No v1 equivalent here, and no blkio hierarchy: errors naming it. */
	assert_int_equal(parse("{\"unified\": {\"memory.high\": \"1\"}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "linux.resources.unified.memory.high"));
	cgroup_resources_free(&r);
	assert_int_equal(parse("{\"cpu\": {\"burst\": 5}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "linux.resources.cpu.burst"));
	cgroup_resources_free(&r);
	assert_int_equal(parse("{\"blockIO\": {\"weight\": 100}}", &r), 0);
	assert_int_equal(cg_apply(&cg, &r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "linux.resources.blockIO"));
	cgroup_resources_free(&r);
}

static void test_devices_v1(void **state)
{
	_cleanup_free_ char *d = mkdir_in("devices");
	struct cg_dir dir = {.path = d, .controllers = (char *)"devices"};
	struct cgroup_resources r;
	struct kerr err;

	put(d, "devices.deny", "");
	put(d, "devices.allow", "");
	assert_int_equal(
	    parse("{\"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
	          " {\"allow\": true, \"type\": \"c\", \"major\": 10, \"access\": \"rw\"}]}",
	          &r),
	    0);
	assert_int_equal(cg1_devices(&dir, &r, &err), 0);
	/* Each write overwrites the fake file: the last rule of each kind. */
	assert_file(d, "devices.deny", "a");
	assert_file(d, "devices.allow", "c 10:* rw");
	cgroup_resources_free(&r);
}

static void test_stats_v2(void **state)
{
	_cleanup_free_ char *d = mkdir_in("stats2");
	struct cg_dir dir = {.path = d, .controllers = (char *)"", .v2 = true};
	struct cgroup cg = {.mode = CGROUP_MODE_UNIFIED, .dirs = &dir, .n_dirs = 1};
	json_object *o, *v;
	struct kerr err;

	put(d, "cgroup.controllers", "cpu io memory pids\n");
	put(d, "cpu.stat",
	    "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 10\n"
	    "nr_throttled 4\nthrottled_usec 300\n");
	put(d, "cpu.pressure",
	    "some avg10=1.50 avg60=0.25 avg300=0.00 total=12345\n"
	    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	put(d, "memory.current", "4096\n");
	put(d, "memory.max", "max\n");
	put(d, "memory.peak", "8192\n");
	put(d, "memory.stat", "anon 100\nfile 200\n");
	put(d, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
	put(d, "pids.current", "3\n");
	put(d, "pids.max", "64\n");
	put(d, "io.stat", "253:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n");
	assert_int_equal(cgroup_stats_json(&cg, &o, &err), 0);
	assert_true(json_object_object_get_ex(o, "cpu", &v));
	assert_string_equal(
	    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
	    "{\"usage\":{\"total\":2000000,\"kernel\":500000,\"user\":1500000},"
	    "\"throttling\":{\"periods\":10,\"throttledPeriods\":4,"
	    "\"throttledTime\":300000},\"psi\":{\"some\":{\"avg10\":1.5,"
	    "\"avg60\":0.25,\"avg300\":0.0,\"total\":12345},\"full\":{\"avg10\":0.0,"
	    "\"avg60\":0.0,\"avg300\":0.0,\"total\":0}}}");
	assert_true(json_object_object_get_ex(o, "memory", &v));
	assert_string_equal(
	    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
	    "{\"cache\":200,\"usage\":{\"limit\":18446744073709551615,\"usage\":4096,"
	    "\"max\":8192,\"failcnt\":0},\"swap\":{\"limit\":0,\"failcnt\":0},"
	    "\"raw\":{\"anon\":100,\"file\":200},\"events\":{\"low\":0,\"high\":0,"
	    "\"max\":3,\"oom\":1,\"oom_kill\":1}}");
	assert_true(json_object_object_get_ex(o, "pids", &v));
	assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
	                    "{\"current\":3,\"limit\":64}");
	assert_true(json_object_object_get_ex(o, "blkio", &v));
	assert_string_equal(
	    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
	    "{\"ioServiceBytesRecursive\":[{\"major\":253,\"minor\":0,\"op\":\"Read\","
	    "\"value\":1024},{\"major\":253,\"minor\":0,\"op\":\"Write\",\"value\":2048}"
	    "],\"ioServicedRecursive\":[{\"major\":253,\"minor\":0,\"op\":\"Read\","
	    "\"value\":1},{\"major\":253,\"minor\":0,\"op\":\"Write\",\"value\":2}]}");
	assert_int_equal(cgroup_oom_kills(&cg), 1);
	json_object_put(o);
}

static void test_stats_v1(void **state)
{
	_cleanup_free_ char *mem = mkdir_in("smem"), *cpu = mkdir_in("scpu"),
	                    *blk = mkdir_in("sblk"), *want = NULL;
	struct cg_dir dirs[] = {
	    {.path = mem, .controllers = (char *)"memory"},
	    {.path = cpu, .controllers = (char *)"cpu,cpuacct"},
	    {.path = blk, .controllers = (char *)"blkio"},
	};
	struct cgroup cg = {.mode = CGROUP_MODE_LEGACY, .dirs = dirs, .n_dirs = 3};
	json_object *o, *v, *x;
	struct kerr err;

	put(mem, "memory.usage_in_bytes", "4096\n");
	put(mem, "memory.limit_in_bytes", "1048576\n");
	put(mem, "memory.max_usage_in_bytes", "8192\n");
	put(mem, "memory.failcnt", "2\n");
	put(mem, "memory.stat", "total_cache 300\nrss 100\n");
	put(mem, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
	put(cpu, "cpuacct.usage", "123456789\n");
	put(cpu, "cpuacct.usage_percpu", "100 200 \n");
	put(cpu, "cpuacct.stat", "user 10\nsystem 5\n");
	put(cpu, "cpu.stat", "nr_periods 7\nnr_throttled 3\nthrottled_time 999\n");
	put(blk, "blkio.throttle.io_service_bytes_recursive",
	    "8:0 Read 4096\n8:0 Write 0\nTotal 4096\n");
	put(blk, "blkio.throttle.io_serviced_recursive", "8:0 Read 1\n");
	assert_int_equal(cgroup_stats_json(&cg, &o, &err), 0);
	assert_true(json_object_object_get_ex(o, "cpu", &v));
	assert_true(json_object_object_get_ex(v, "usage", &x));
	want = xasprintf("{\"total\":123456789,\"percpu\":[100,200],\"kernel\":%llu,"
	                 "\"user\":%llu}",
	                 5 * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK)),
	                 10 * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK)));
	assert_string_equal(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN), want);
	assert_true(json_object_object_get_ex(v, "throttling", &x));
	assert_string_equal(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN),
	                    "{\"periods\":7,\"throttledPeriods\":3,\"throttledTime\":999}");
	assert_true(json_object_object_get_ex(o, "memory", &v));
	assert_true(json_object_object_get_ex(v, "usage", &x));
	assert_string_equal(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN),
	                    "{\"limit\":1048576,\"usage\":4096,\"max\":8192,\"failcnt\":2}");
	assert_int_equal(cgroup_oom_kills(&cg), 2);
	assert_true(json_object_object_get_ex(o, "blkio", &v));
	assert_true(json_object_object_get_ex(v, "ioServiceBytesRecursive", &x));
	assert_int_equal(json_object_array_length(x), 2);
	json_object_put(o);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_apply_v2),   cmocka_unit_test(test_apply_hybrid),
	    cmocka_unit_test(test_devices_v1), cmocka_unit_test(test_stats_v2),
	    cmocka_unit_test(test_stats_v1),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
