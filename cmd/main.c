/* kura: an OCI container runtime.  Global flags, then one verb. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/sealed_exe.h"
#include "cmd.h"

#ifndef KURA_VERSION
#define KURA_VERSION "0.0.0"
#endif

struct global_opts g_opts = {.ctx = {.root = "/run/kura"}};

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	bool enters_container; /* runs code inside a container: sealed copy first */
} verbs[] = {
    {"create", cmd_create, "create a container", true},
    {"start", cmd_start, "execute the user process of a created container", false},
    {"run", cmd_run, "create and start a container", true},
    {"exec", cmd_exec, "execute a new process inside a container", true},
    {"state", cmd_state, "output the state of a container", false},
    {"list", cmd_list, "list containers", false},
    {"ps", cmd_ps, "list the processes of a container", false},
    {"kill", cmd_kill, "send a signal to the container's init process", false},
    {"delete", cmd_delete, "delete a container and what it holds", false},
    {"pause", cmd_pause, "suspend every process of a container", false},
    {"resume", cmd_resume, "resume every process of a paused container", false},
    {"update", cmd_update, "change the resource limits of a container", false},
    {"events", cmd_events, "show resource usage and OOM events of a container", false},
    {"spec", cmd_spec, "create a new specification file", false},
    {"features", cmd_features, "show the enabled features", false},
    {"checkpoint", cmd_checkpoint, "not supported", false},
    {"restore", cmd_restore, "not supported", false},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: kura [--root DIR] [--log FILE] [--log-format text|json] [--debug] "
	           "COMMAND [ARGS...]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-12s %s\n", verbs[i].name, verbs[i].help);
}

enum {
	OPT_ROOT = 1000,
	OPT_LOG,
	OPT_LOG_FORMAT,
	OPT_DEBUG,
	OPT_SYSTEMD_CGROUP,
	OPT_VERSION,
	OPT_HELP,
	OPT_IGNORED,
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, OPT_ROOT},
	    {"log", required_argument, NULL, OPT_LOG},
	    {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
	    {"debug", no_argument, NULL, OPT_DEBUG},
	    {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {"v", no_argument, NULL, OPT_VERSION},
	    {"help", no_argument, NULL, OPT_HELP},
	    {"h", no_argument, NULL, OPT_HELP},
	    {"criu", required_argument, NULL, OPT_IGNORED},
	    {"rootless", required_argument, NULL, OPT_IGNORED},
	    {NULL, 0, NULL, 0},
	};
	const char *log_format = "text";
	struct kerr err = {0};
	int c;

	opterr = 0;
	while ((c = getopt_long_only(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT:
			g_opts.ctx.root = optarg;
			break;
		case OPT_LOG:
			g_opts.log_path = optarg;
			break;
		case OPT_LOG_FORMAT:
			log_format = optarg;
			break;
		case OPT_DEBUG:
			g_opts.ctx.debug = true;
			break;
		case OPT_SYSTEMD_CGROUP:
			g_opts.ctx.systemd_cgroup = true;
			break;
		case OPT_VERSION:
			printf("kura version %s\nspec: 1.2.0\n", KURA_VERSION);
			return 0;
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_IGNORED:
			break;
		default:
			fprintf(stderr, "kura: unknown global flag `%s`\n", argv[optind - 1]);
			usage(stderr);
			return 1;
		}
	}
	if (strcmp(log_format, "json") != 0 && strcmp(log_format, "text") != 0) {
		fprintf(stderr, "kura: --log-format: unknown format \"%s\" (text or json)\n",
		        log_format);
		return 1;
	}
	log_open(g_opts.log_path, strcmp(log_format, "json") == 0, g_opts.ctx.debug);
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[optind], verbs[i].name) == 0) {
			if (verbs[i].enters_container && sealed_exe_ensure(argv, environ, &err) < 0)
				return log_kerr(&err);
			log_debug("%s", argv[optind]);
			return verbs[i].fn(argc - optind, argv + optind);
		}
	}
	log_error("unknown command \"%s\"", argv[optind]);
	return 1;
}
