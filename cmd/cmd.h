/* cmd/: the `kura` command line.  One file per verb; each parses its own
 * flags, calls runtime/ and prints.  Only cmd/ writes to stdout/stderr. */
#ifndef KURA_CMD_CMD_H
#define KURA_CMD_CMD_H

#include <getopt.h>
#include <stdbool.h>

#include "../common/err.h"
#include "../runtime/container.h"

struct global_opts {
	struct runtime_ctx ctx;
	const char *log_path;
	bool log_json;
};

extern struct global_opts g_opts;

/* Each verb gets argv with argv[0] = the verb name and returns the exit
 * code.  Errors are reported with log_error(). */
int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_spec(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);
int cmd_restore(int argc, char **argv);

/* Logging: to --log (text or JSON lines, as runc's logrus writes them)
 * and, for errors, to stderr. */
void log_open(const char *path, bool json, bool debug);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report err (with an optional context) and return 1. */
int log_kerr(const struct kerr *err);

/* Parse the flags of a verb with getopt_long_only (single and double
 * dash long options, like urfave/cli); "-h"/"--help" prints usage.
 * Returns the index of the first positional argument, or -1 on a usage
 * error (already reported). */
struct verb_opt {
	const char *name;
	int has_arg; /* no_argument or required_argument */
	int key;     /* returned to the handler */
};
typedef int (*verb_handler)(int key, const char *arg, void *userdata);
int verb_parse(int argc, char **argv, const struct verb_opt *opts, const char *usage,
               verb_handler handler, void *userdata);

/* Require exactly n positional args after the flags. */
int verb_need_args(int argc, int first, int n, const char *usage);

/* Parse a signal name ("TERM", "SIGTERM", "term") or number; -1 if bad. */
int signal_parse(const char *s);

#endif
