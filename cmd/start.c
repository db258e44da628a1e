/* kura start ID */
#include "cmd.h"

int cmd_start(int argc, char **argv)
{
	static const char usage[] = "start CONTAINER_ID";
	struct kerr err = {0};
	int first = verb_parse(argc, argv, NULL, usage, NULL, NULL);

	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		return 1;
	if (container_start(&g_opts.ctx, argv[first], &err) < 0)
		return log_kerr(&err);
	return 0;
}
