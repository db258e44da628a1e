/* Logging for the CLI: runc-compatible --log and --log-format. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "cmd.h"

static int log_fd = -1;
static bool log_json;
static bool log_debug_on;

void log_open(const char *path, bool json, bool debug)
{
	log_json = json;
	log_debug_on = debug;
	if (path && *path)
		log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

static void log_line(const char *level, const char *msg)
{
	char when[64];
	char *line;

	if (log_fd < 0)
		return;
	rfc3339_now(when, sizeof(when));
	if (log_json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "level", json_object_new_string(level));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(when));
		line = xasprintf("%s\n",
		                 json_object_to_json_string_ext(
		                     o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		line = xasprintf("time=\"%s\" level=%s msg=\"%s\"\n", when, level, msg);
	}
	write_all(log_fd, line, strlen(line));
	free(line);
}

void log_error(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line("error", msg);
	fprintf(stderr, "kura: %s\n", msg);
}

void log_debug(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_fd >= 0)
		log_line("debug", msg);
	else
		fprintf(stderr, "kura: debug: %s\n", msg);
}

int log_kerr(const struct kerr *err)
{
	log_error("%s", err->msg[0] ? err->msg : "unknown error");
	return 1;
}
