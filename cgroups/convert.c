/* Conversions between the OCI (cgroup v1 flavoured) values of
 * linux.resources and the files of cgroup v2. */
#include "cg-internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

uint64_t cgroup_shares_to_weight(uint64_t shares)
{
	double l, exponent;

	if (shares == 0)
		return 0;
	if (shares <= 2)
		return 1;
	if (shares >= 262144)
		return 10000;
	/* The quadratic in log2(shares) that runc, crun and youki share:
	 * it maps 2, 1024 and 262144 exactly onto 1, 100 and 10000, where
	 * the older linear formula mapped the default 1024 to 39. */
	l = log2((double)shares);
	exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
	return (uint64_t)ceil(pow(10, exponent));
}

uint64_t cgroup_blkio_weight_to_io_weight(uint64_t weight)
{
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	if (weight > 1000)
		weight = 1000;
	return 1 + (weight - 10) * 9999 / 990;
}

int cgroup_swap_to_v2(int64_t swap, int64_t limit, bool limit_set, int64_t *ret, bool *ret_set,
                      struct kerr *err)
{
	if (!limit_set)
		limit = 0;
	*ret_set = true;
	/* Memory unlimited and swap not given: both unlimited, as on v1. */
	if (limit == -1 && swap == 0) {
		*ret = -1;
		return 0;
	}
	if (swap == -1) {
		*ret = -1;
		return 0;
	}
	if (swap == 0) {
		*ret_set = false;
		*ret = 0;
		return 0;
	}
	if (limit == 0 || limit == -1)
		return kerr_setx(err, EINVAL,
		                 "memory.swap: a swap limit needs a memory limit (memory.limit)");
	if (swap < limit)
		return kerr_setx(
		    err, EINVAL,
		    "memory.swap: memory+swap (%lld) must not be below memory.limit (%lld)",
		    (long long)swap, (long long)limit);
	*ret = swap - limit;
	return 0;
}

void cgroup_format_limit(int64_t v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%lld", (long long)v);
}
