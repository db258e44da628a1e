/* kura delete [--force] ID */
#include "cmd.h"

static int delete_handler(int key, const char *arg, void *userdata)
{
	*(bool *)userdata = true;
	return 0;
}

int cmd_delete(int argc, char **argv)
{
	static const char usage[] = "delete [--force] CONTAINER_ID";
	static const struct verb_opt opts[] = {
	    {"force", no_argument, 'f'},
	    {"f", no_argument, 'f'},
	    {NULL, 0, 0},
	};
	struct kerr err = {0}, warn = {0};
	bool force = false;
	int first = verb_parse(argc, argv, opts, usage, delete_handler, &force);

	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		return 1;
	g_opts.ctx.warn = &warn;
	if (container_delete(&g_opts.ctx, argv[first], force, &err) < 0)
		return log_kerr(&err);
	/* A failed poststop hook is only logged (runtime-spec). */
	if (warn.msg[0])
		log_error("warning: %s", warn.msg);
	return 0;
}
