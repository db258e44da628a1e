/* kura events [--stats] [--interval T] ID: the container's resource
 * usage as runc prints it, one JSON document per line: once with
 * --stats, else every interval (default 5s) until the container stops,
 * with an {"type": "oom"} event whenever an OOM kill happened. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../runtime/cgroup.h"
#include "cmd.h"

struct events_args {
	bool stats;
	double interval;
};

/* "5s", "500ms", "1m", "2" (seconds): Go's time.ParseDuration subset. */
static int parse_duration(const char *s, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -EINVAL;
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60;
	else if (strcmp(end, "h") == 0)
		v *= 3600;
	else if (*end && strcmp(end, "s") != 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int events_handler(int key, const char *arg, void *userdata)
{
	struct events_args *a = userdata;

	if (key == 's') {
		a->stats = true;
		return 0;
	}
	if (parse_duration(arg, &a->interval) < 0) {
		log_error("--interval: invalid duration \"%s\"", arg);
		return -1;
	}
	return 0;
}

static void print_event(json_object *ev)
{
	puts(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
	fflush(stdout);
}

int cmd_events(int argc, char **argv)
{
	static const char usage[] = "events [--stats] [--interval DURATION] CONTAINER_ID";
	static const struct verb_opt opts[] = {
	    {"stats", no_argument, 's'},
	    {"interval", required_argument, 'i'},
	    {NULL, 0, 0},
	};
	struct events_args a = {.interval = 5};
	struct kerr err = {0};
	uint64_t ooms = 0, now;
	int first;

	first = verb_parse(argc, argv, opts, usage, events_handler, &a);
	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		return 1;
	if (container_oom_kills(&g_opts.ctx, argv[first], &ooms, &err) < 0)
		return log_kerr(&err);
	for (;;) {
		json_object *ev;
		struct timespec ts;

		if (container_stats(&g_opts.ctx, argv[first], &ev, &err) < 0) {
			/* The container went away while we watched: that ends it. */
			if (!a.stats && err.errnum == EINVAL)
				return 0;
			return log_kerr(&err);
		}
		if (!a.stats && container_oom_kills(&g_opts.ctx, argv[first], &now, &err) == 0 &&
		    now > ooms) {
			json_object *oom = json_object_new_object();
			json_object_object_add(oom, "type", json_object_new_string("oom"));
			json_object_object_add(oom, "id", json_object_new_string(argv[first]));
			print_event(oom);
			json_object_put(oom);
			ooms = now;
		}
		print_event(ev);
		json_object_put(ev);
		if (a.stats)
			return 0;
		ts.tv_sec = (time_t)a.interval;
		ts.tv_nsec = (long)((a.interval - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}
