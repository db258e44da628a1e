/* kura kill [--all] ID [SIGNAL] */
#include <signal.h>

#include "cmd.h"

static int kill_handler(int key, const char *arg, void *userdata)
{
	*(bool *)userdata = true;
	return 0;
}

int cmd_kill(int argc, char **argv)
{
	static const char usage[] = "kill [--all] CONTAINER_ID [SIGNAL]";
	static const struct verb_opt opts[] = {
	    {"all", no_argument, 'a'},
	    {"a", no_argument, 'a'},
	    {NULL, 0, 0},
	};
	struct kerr err = {0};
	bool all = false;
	int sig = SIGTERM;
	int first = verb_parse(argc, argv, opts, usage, kill_handler, &all);

	if (first < 0)
		return 1;
	if (argc - first == 2) {
		sig = signal_parse(argv[first + 1]);
		if (sig < 0) {
			log_error("invalid signal \"%s\"", argv[first + 1]);
			return 1;
		}
	} else if (verb_need_args(argc, first, 1, usage) < 0) {
		return 1;
	}
	if (container_kill(&g_opts.ctx, argv[first], sig, all, &err) < 0)
		return log_kerr(&err);
	return 0;
}
