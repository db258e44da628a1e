/* kura exec [flags] ID [COMMAND [ARGS...]] */
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../runtime/exec.h"
#include "cmd.h"

enum {
	OPT_PROCESS = 1000,
	OPT_TTY,
	OPT_CONSOLE_SOCKET,
	OPT_DETACH,
	OPT_PID_FILE,
	OPT_ENV,
	OPT_CWD,
	OPT_USER,
	OPT_GIDS,
	OPT_CAP,
	OPT_NNP,
	OPT_PRESERVE_FDS,
	OPT_APPARMOR,
	OPT_LABEL,
	OPT_IGNORED,
};

#define MAX_REPEATED 256

struct exec_args {
	struct exec_opts o;
	const char *env[MAX_REPEATED];
	const char *caps[MAX_REPEATED];
	const char *gids[MAX_REPEATED];
};

static int push(const char **arr, size_t *n, const char *v, const char *flag)
{
	if (*n >= MAX_REPEATED) {
		log_error("%s: given too many times", flag);
		return -1;
	}
	arr[(*n)++] = v;
	return 0;
}

static int exec_handler(int key, const char *arg, void *userdata)
{
	struct exec_args *a = userdata;
	uint64_t n;

	switch (key) {
	case OPT_PROCESS:
		a->o.process_file = arg;
		break;
	case OPT_TTY:
		a->o.tty = true;
		break;
	case OPT_CONSOLE_SOCKET:
		a->o.console_socket = arg;
		break;
	case OPT_DETACH:
		a->o.detach = true;
		break;
	case OPT_PID_FILE:
		a->o.pid_file = arg;
		break;
	case OPT_ENV:
		if (!strchr(arg, '=')) {
			log_error("--env: expected KEY=VALUE, got \"%s\"", arg);
			return -1;
		}
		return push(a->env, &a->o.n_env, arg, "--env");
	case OPT_CWD:
		a->o.cwd = arg;
		break;
	case OPT_USER:
		a->o.user = arg;
		break;
	case OPT_GIDS: {
		/* runc takes --additional-gids repeatedly or comma separated. */
		char *copy = xstrdup(arg), *save = NULL;
		for (char *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save))
			if (push(a->gids, &a->o.n_additional_gids, g, "--additional-gids") < 0)
				return -1;
		break; /* copy lives until exit: the gids point into it */
	}
	case OPT_CAP:
		return push(a->caps, &a->o.n_caps, arg, "--cap");
	case OPT_NNP:
		a->o.no_new_privs = true;
		break;
	case OPT_PRESERVE_FDS:
		if (parse_u64(arg, &n) < 0 || n > 1024) {
			log_error("--preserve-fds: invalid number \"%s\"", arg);
			return -1;
		}
		a->o.preserve_fds = (int)n;
		break;
	case OPT_APPARMOR:
		a->o.apparmor = arg;
		break;
	case OPT_LABEL:
		a->o.process_label = arg;
		break;
	}
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	static const char usage[] =
	    "exec [--process FILE] [--tty --console-socket S] [--detach] [--pid-file F] "
	    "[--env K=V] [--cwd DIR] [--user UID[:GID]] [--additional-gids G] [--cap CAP] "
	    "[--no-new-privs] [--preserve-fds N] CONTAINER_ID [COMMAND [ARGS...]]";
	static const struct verb_opt opts[] = {
	    {"process", required_argument, OPT_PROCESS},
	    {"p", required_argument, OPT_PROCESS},
	    {"tty", no_argument, OPT_TTY},
	    {"t", no_argument, OPT_TTY},
	    {"console-socket", required_argument, OPT_CONSOLE_SOCKET},
	    {"detach", no_argument, OPT_DETACH},
	    {"d", no_argument, OPT_DETACH},
	    {"pid-file", required_argument, OPT_PID_FILE},
	    {"env", required_argument, OPT_ENV},
	    {"e", required_argument, OPT_ENV},
	    {"cwd", required_argument, OPT_CWD},
	    {"user", required_argument, OPT_USER},
	    {"u", required_argument, OPT_USER},
	    {"additional-gids", required_argument, OPT_GIDS},
	    {"g", required_argument, OPT_GIDS},
	    {"cap", required_argument, OPT_CAP},
	    {"c", required_argument, OPT_CAP},
	    {"no-new-privs", no_argument, OPT_NNP},
	    {"preserve-fds", required_argument, OPT_PRESERVE_FDS},
	    {"apparmor", required_argument, OPT_APPARMOR},
	    {"process-label", required_argument, OPT_LABEL},
	    {"ignore-paused", no_argument, OPT_IGNORED},
	    {NULL, 0, 0},
	};
	struct exec_args a = {0};
	struct kerr err = {0};
	int first, status = 0;

	a.o.env = a.env;
	a.o.caps = a.caps;
	a.o.additional_gids = a.gids;
	first = verb_parse(argc, argv, opts, usage, exec_handler, &a);
	if (first < 0)
		return 1;
	if (argc - first < 1 || (!a.o.process_file && argc - first < 2)) {
		log_error("exec: expected a container id and a command (or --process)\nUsage: "
		          "kura %s",
		          usage);
		return 1;
	}
	a.o.id = argv[first];
	a.o.args = argv + first + 1;
	a.o.n_args = (size_t)(argc - first - 1);
	if (container_exec(&g_opts.ctx, &a.o, &status, &err) < 0)
		return log_kerr(&err);
	return status;
}
