/* cgroups/convert.c and cgroups/resources.c: the v1 -> v2 value
 * conversions and the validation of linux.resources, field by field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "../../cgroups/cgroups.h"
#include "../../common/cleanup.h"
#include "../../common/util.h"

static void test_shares_to_weight(void **state)
{
	static const struct {
		uint64_t shares, weight;
	} cases[] = {
	    {0, 0},          {1, 1},    {2, 1},      {1024, 100}, {262144, 10000},
	    {300000, 10000}, {512, 59}, {2048, 174}, {100, 17},   {10, 4},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t w = cgroup_shares_to_weight(cases[i].shares);
		if (w != cases[i].weight)
			fail_msg("shares %llu: weight %llu, want %llu",
			         (unsigned long long)cases[i].shares, (unsigned long long)w,
			         (unsigned long long)cases[i].weight);
	}
	/* Monotonic over the whole range, always within 1..10000. */
	for (uint64_t s = 2, prev = 0; s <= 262144; s += 37) {
		uint64_t w = cgroup_shares_to_weight(s);
		assert_true(w >= prev && w >= 1 && w <= 10000);
		prev = w;
	}
}

static void test_blkio_weight(void **state)
{
	assert_int_equal(cgroup_blkio_weight_to_io_weight(0), 0);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(10), 1);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(1000), 10000);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(500), 1 + 490 * 9999 / 990);
}

static void test_swap(void **state)
{
	struct kerr err;
	int64_t v;
	bool set;

	assert_int_equal(cgroup_swap_to_v2(-1, 100, true, &v, &set, &err), 0);
	assert_true(set);
	assert_int_equal(v, -1);
	assert_int_equal(cgroup_swap_to_v2(0, -1, true, &v, &set, &err), 0);
	assert_true(set);
	assert_int_equal(v, -1);
	assert_int_equal(cgroup_swap_to_v2(0, 100, true, &v, &set, &err), 0);
	assert_false(set);
	assert_int_equal(cgroup_swap_to_v2(300, 100, true, &v, &set, &err), 0);
	assert_true(set);
	assert_int_equal(v, 200);
	assert_int_equal(cgroup_swap_to_v2(100, 100, true, &v, &set, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cgroup_swap_to_v2(50, 100, true, &v, &set, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "memory.swap"));
	assert_int_equal(cgroup_swap_to_v2(50, 0, false, &v, &set, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "needs a memory limit"));
}

static void test_format_limit(void **state)
{
	char buf[32];

	cgroup_format_limit(-1, buf, sizeof(buf));
	assert_string_equal(buf, "max");
	cgroup_format_limit(4096, buf, sizeof(buf));
	assert_string_equal(buf, "4096");
}

static int parse(const char *text, struct cgroup_resources *r, struct kerr *err)
{
	json_object *o = json_tokener_parse(text);
	int rc;

	assert_non_null(o);
	rc = cgroup_resources_parse(o, "linux.resources", r, err);
	json_object_put(o);
	return rc;
}

static void test_parse_full(void **state)
{
	struct cgroup_resources r;
	struct kerr err = {0};

	assert_int_equal(
	    parse(
	        "{\"memory\": {\"limit\": 1048576, \"reservation\": 524288, \"swap\": 2097152,"
	        " \"swappiness\": 10, \"disableOOMKiller\": true, \"kernel\": 1},"
	        " \"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"burst\": 10,"
	        " \"cpus\": \"0-1\", \"mems\": \"0\", \"idle\": 1},"
	        " \"pids\": {\"limit\": 64},"
	        " \"blockIO\": {\"weight\": 500, \"weightDevice\": [{\"major\": 8, \"minor\": 0,"
	        " \"weight\": 300}], \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0,"
	        " \"rate\": 1048576}]},"
	        " \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 4194304}],"
	        " \"unified\": {\"memory.high\": \"1000000\"},"
	        " \"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
	        " {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": "
	        "\"rw\"}],"
	        " \"futureField\": {\"x\": 1}}",
	        &r, &err),
	    0);
	assert_true(r.memory.has_limit);
	assert_int_equal(r.memory.limit, 1048576);
	assert_int_equal(r.memory.reservation, 524288);
	assert_int_equal(r.memory.swap, 2097152);
	assert_int_equal(r.memory.swappiness, 10);
	assert_true(r.memory.disable_oom_killer);
	assert_int_equal(r.cpu.shares, 1024);
	assert_int_equal(r.cpu.quota, 50000);
	assert_int_equal(r.cpu.period, 100000);
	assert_int_equal(r.cpu.burst, 10);
	assert_string_equal(r.cpu.cpus, "0-1");
	assert_string_equal(r.cpu.mems, "0");
	assert_int_equal(r.cpu.idle, 1);
	assert_int_equal(r.pids.limit, 64);
	assert_int_equal(r.blkio.weight, 500);
	assert_int_equal(r.blkio.weight_device.n, 1);
	assert_int_equal(r.blkio.weight_device.v[0].value, 300);
	assert_int_equal(r.blkio.read_bps.n, 1);
	assert_int_equal(r.blkio.read_bps.v[0].value, 1048576);
	assert_int_equal(r.n_hugetlb, 1);
	assert_string_equal(r.hugetlb[0].key, "2MB");
	assert_string_equal(r.hugetlb[0].value, "4194304");
	assert_int_equal(r.n_unified, 1);
	assert_int_equal(r.n_devices, 2);
	assert_false(r.devices[0].allow);
	assert_int_equal(r.devices[0].type, 'a');
	assert_int_equal(r.devices[1].major, 1);
	assert_int_equal(r.devices[1].access, CGROUP_DEV_READ | CGROUP_DEV_WRITE);
	cgroup_resources_free(&r);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
	    {"{\"memory\": {\"limit\": \"1g\"}}",
	     "linux.resources.memory.limit: expected an integer"},
	    {"{\"memory\": {\"limit\": -5}}", "linux.resources.memory.limit: must be -1"},
	    {"{\"memory\": {\"limit\": 200, \"swap\": 100}}", "linux.resources.memory.swap: "},
	    {"{\"memory\": {\"swappiness\": 101}}",
	     "linux.resources.memory.swappiness: must be 0 to 100"},
	    {"{\"memory\": []}", "linux.resources.memory: expected an object"},
	    {"{\"cpu\": {\"shares\": 1}}", "linux.resources.cpu.shares: must be 2 to 262144"},
	    {"{\"cpu\": {\"shares\": -3}}", "linux.resources.cpu.shares: must not be negative"},
	    {"{\"cpu\": {\"period\": 10}}", "linux.resources.cpu.period: must be 1000 to 1000000"},
	    {"{\"cpu\": {\"quota\": 5}}", "linux.resources.cpu.quota: must be at least 1000"},
	    {"{\"cpu\": {\"cpus\": \"0-1;rm\"}}", "linux.resources.cpu.cpus: expected a list"},
	    {"{\"cpu\": {\"idle\": 2}}", "linux.resources.cpu.idle: must be 0 or 1"},
	    {"{\"pids\": {\"limit\": true}}", "linux.resources.pids.limit: expected an integer"},
	    {"{\"pids\": {\"limit\": 18446744073709551615}}",
	     "linux.resources.pids.limit: out of range"},
	    {"{\"blockIO\": {\"weight\": 5}}",
	     "linux.resources.blockIO.weight: must be 10 to 1000"},
	    {"{\"blockIO\": {\"throttleReadBpsDevice\": [{\"major\": 8}]}}",
	     "linux.resources.blockIO.throttleReadBpsDevice[0]: needs major and minor"},
	    {"{\"blockIO\": {\"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0}]}}",
	     "linux.resources.blockIO.throttleReadBpsDevice[0]: needs a rate"},
	    {"{\"hugepageLimits\": [{\"pageSize\": \"2XB\", \"limit\": 1}]}",
	     "linux.resources.hugepageLimits[0]: pageSize must be"},
	    {"{\"unified\": {\"../../etc/passwd\": \"x\"}}",
	     "linux.resources.unified.../../etc/passwd: "},
	    {"{\"unified\": {\"memory\": \"x\"}}", "not a cgroup file name"},
	    {"{\"unified\": {\"cgroup.procs\": \"1\"}}", "the runtime's to manage"},
	    {"{\"unified\": {\"memory.high\": 5}}",
	     "linux.resources.unified.memory.high: expected a string"},
	    {"{\"devices\": [{\"type\": \"c\"}]}", "linux.resources.devices[0]: needs \"allow\""},
	    {"{\"devices\": [{\"allow\": true, \"type\": \"x\"}]}", "type must be"},
	    {"{\"devices\": [{\"allow\": true, \"access\": \"rwx\"}]}", "access must be made of"},
	    {"{\"network\": {\"classID\": 4294967296}}",
	     "linux.resources.network.classID: out of range"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cgroup_resources r;
		struct kerr err = {0};

		if (parse(cases[i].json, &r, &err) != -EINVAL)
			fail_msg("%s: accepted", cases[i].json);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].json, err.msg,
			         cases[i].msg);
		assert_null(strchr(err.msg, '\n'));
	}
}

static void test_zero_means_unset(void **state)
{
	struct cgroup_resources r;
	struct kerr err;

	assert_int_equal(parse("{\"cpu\": {\"shares\": 0, \"quota\": 0, \"period\": 0},"
	                       " \"blockIO\": {\"weight\": 0}}",
	                       &r, &err),
	                 0);
	assert_false(r.cpu.has_shares);
	assert_false(r.cpu.has_quota);
	assert_false(r.cpu.has_period);
	assert_false(r.blkio.has_weight);
	cgroup_resources_free(&r);
}

static void test_merge(void **state)
{
	struct cgroup_resources a, b;
	struct kerr err;

	assert_int_equal(parse("{\"memory\": {\"limit\": 100}, \"pids\": {\"limit\": 5},"
	                       " \"unified\": {\"memory.high\": \"1\", \"pids.max\": \"2\"}}",
	                       &a, &err),
	                 0);
	assert_int_equal(parse("{\"memory\": {\"limit\": 200}, \"cpu\": {\"cpus\": \"1\"},"
	                       " \"unified\": {\"memory.high\": \"3\"}}",
	                       &b, &err),
	                 0);
	cgroup_resources_merge(&a, &b);
	assert_int_equal(a.memory.limit, 200);
	assert_int_equal(a.pids.limit, 5);
	assert_string_equal(a.cpu.cpus, "1");
	assert_int_equal(a.n_unified, 2);
	assert_string_equal(a.unified[0].value, "3");
	assert_string_equal(a.unified[1].value, "2");
	cgroup_resources_free(&a);
	cgroup_resources_free(&b);
}

static void check_systemd(const char *in, const char *want)
{
	struct kerr err = {0};
	char *out = NULL;

	assert_int_equal(cgroup_path_from_systemd(in, "c1", &out, &err), 0);
	assert_string_equal(out, want);
	free(out);
}

static void test_systemd_path(void **state)
{
	struct kerr err = {0};
	char *out = NULL;

	check_systemd("machine.slice:libpod:abc", "/machine.slice/libpod-abc.scope");
	check_systemd("a-b-c.slice:p:x", "/a.slice/a-b.slice/a-b-c.slice/p-x.scope");
	check_systemd(":kura:x", "/system.slice/kura-x.scope");
	check_systemd("-.slice::x", "/x.scope");
	check_systemd(NULL, "/system.slice/kura-c1.scope");
	check_systemd("system.slice:p:user-1.slice", "/user.slice/user-1.slice");
	assert_int_equal(cgroup_path_from_systemd("/abs/path", "c1", &out, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "slice:prefix:name"));
	assert_int_equal(cgroup_path_from_systemd("nota:p:x", "c1", &out, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a systemd slice"));
	assert_int_equal(cgroup_path_from_systemd("a--b.slice:p:x", "c1", &out, &err), -EINVAL);
	assert_int_equal(cgroup_path_from_systemd("a.slice:p:x/y", "c1", &out, &err), -EINVAL);
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shares_to_weight),
	    cmocka_unit_test(test_blkio_weight),
	    cmocka_unit_test(test_swap),
	    cmocka_unit_test(test_format_limit),
	    cmocka_unit_test(test_parse_full),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_zero_means_unset),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_systemd_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
