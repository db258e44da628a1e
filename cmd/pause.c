/* kura pause ID, kura resume ID: freeze and thaw every process of the
 * container through its cgroup. */
#include "../runtime/cgroup.h"
#include "cmd.h"

static int one_id(int argc, char **argv, const char *usage, int *first)
{
	*first = verb_parse(argc, argv, NULL, usage, NULL, NULL);
	if (*first < 0 || verb_need_args(argc, *first, 1, usage) < 0)
		return -1;
	return 0;
}

int cmd_pause(int argc, char **argv)
{
	struct kerr err = {0};
	int first;

	if (one_id(argc, argv, "pause CONTAINER_ID", &first) < 0)
		return 1;
	if (container_pause(&g_opts.ctx, argv[first], &err) < 0)
		return log_kerr(&err);
	return 0;
}

int cmd_resume(int argc, char **argv)
{
	struct kerr err = {0};
	int first;

	if (one_id(argc, argv, "resume CONTAINER_ID", &first) < 0)
		return 1;
	if (container_resume(&g_opts.ctx, argv[first], &err) < 0)
		return log_kerr(&err);
	return 0;
}
