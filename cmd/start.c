/* kura start ID */
#include "cmd.h"

int cmd_start(int argc, char **argv)
{
	static const char usage[] = "start CONTAINER_ID";
	struct kerr err = {0}, warn = {0};
	int first = verb_parse(argc, argv, NULL, usage, NULL, NULL);

	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		return 1;
	g_opts.ctx.warn = &warn;
	if (container_start(&g_opts.ctx, argv[first], &err) < 0)
		return log_kerr(&err);
	/* A failed poststart hook is only logged (runtime-spec). */
	if (warn.msg[0])
		log_error("warning: %s", warn.msg);
	return 0;
}
