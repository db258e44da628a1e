/* kura create [--bundle B] [--pid-file P] [--console-socket S] ID
 * kura run    [same flags] [--detach] ID */
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "cmd.h"

enum {
	OPT_BUNDLE = 1000,
	OPT_PID_FILE,
	OPT_CONSOLE_SOCKET,
	OPT_NO_PIVOT,
	OPT_NO_NEW_KEYRING,
	OPT_PRESERVE_FDS,
	OPT_DETACH,
	OPT_KEEP,
	OPT_NO_SUBREAPER,
};

static const struct verb_opt create_opts[] = {
    {"bundle", required_argument, OPT_BUNDLE},
    {"b", required_argument, OPT_BUNDLE},
    {"pid-file", required_argument, OPT_PID_FILE},
    {"console-socket", required_argument, OPT_CONSOLE_SOCKET},
    {"no-pivot", no_argument, OPT_NO_PIVOT},
    {"no-new-keyring", no_argument, OPT_NO_NEW_KEYRING},
    {"preserve-fds", required_argument, OPT_PRESERVE_FDS},
    {"detach", no_argument, OPT_DETACH},
    {"d", no_argument, OPT_DETACH},
    {"keep", no_argument, OPT_KEEP},
    {"no-subreaper", no_argument, OPT_NO_SUBREAPER},
    {NULL, 0, 0},
};

struct create_args {
	struct container_create_opts o;
	bool detach;
	bool is_run;
};

static int create_handler(int key, const char *arg, void *userdata)
{
	struct create_args *a = userdata;
	uint64_t n;

	switch (key) {
	case OPT_BUNDLE:
		a->o.bundle = arg;
		break;
	case OPT_PID_FILE:
		a->o.pid_file = arg;
		break;
	case OPT_CONSOLE_SOCKET:
		a->o.console_socket = arg;
		break;
	case OPT_NO_PIVOT:
		a->o.no_pivot = true;
		break;
	case OPT_NO_NEW_KEYRING:
		a->o.no_new_keyring = true;
		break;
	case OPT_PRESERVE_FDS:
		if (parse_u64(arg, &n) < 0 || n > 1024) {
			log_error("--preserve-fds: invalid number \"%s\"", arg);
			return -1;
		}
		a->o.preserve_fds += (int)n;
		break;
	case OPT_DETACH:
		if (!a->is_run)
			goto unknown;
		a->detach = true;
		break;
	case OPT_KEEP:
	case OPT_NO_SUBREAPER:
		if (!a->is_run)
			goto unknown;
		break;
	}
	return 0;
unknown:
	log_error("create: unknown flag");
	return -1;
}

/* LISTEN_FDS from socket activation reach the container as runc does. */
static int listen_fds(void)
{
	const char *s = getenv("LISTEN_FDS");
	uint64_t n;

	if (s && parse_u64(s, &n) == 0 && n < 1024)
		return (int)n;
	return 0;
}

static int create_or_run(int argc, char **argv, bool is_run)
{
	static const char usage_create[] =
	    "create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] "
	    "[--preserve-fds N] CONTAINER_ID";
	static const char usage_run[] = "run [--bundle DIR] [--detach] [--pid-file FILE] "
	                                "[--console-socket SOCKET] [--preserve-fds N] CONTAINER_ID";
	const char *usage = is_run ? usage_run : usage_create;
	struct create_args a = {.is_run = is_run};
	struct kerr err = {0}, warn = {0};
	int first, status = 0;

	first = verb_parse(argc, argv, create_opts, usage, create_handler, &a);
	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		return 1;
	a.o.id = argv[first];
	a.o.preserve_fds += listen_fds();
	if (!is_run)
		return container_create(&g_opts.ctx, &a.o, &err) < 0 ? log_kerr(&err) : 0;
	/* Failed poststart and poststop hooks are only logged (runtime-spec). */
	g_opts.ctx.warn = &warn;
	if (container_run(&g_opts.ctx, &a.o, a.detach, &status, &err) < 0) {
		if (warn.msg[0])
			log_error("warning: %s", warn.msg);
		return log_kerr(&err);
	}
	if (warn.msg[0])
		log_error("warning: %s", warn.msg);
	return status;
}

int cmd_create(int argc, char **argv)
{
	return create_or_run(argc, argv, false);
}

int cmd_run(int argc, char **argv)
{
	return create_or_run(argc, argv, true);
}
