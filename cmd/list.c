/* kura list [--format table|json] [--quiet] */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct list_args {
	bool json;
	bool quiet;
};

static int list_handler(int key, const char *arg, void *userdata)
{
	struct list_args *a = userdata;

	if (key == 'q') {
		a->quiet = true;
		return 0;
	}
	if (strcmp(arg, "json") == 0)
		a->json = true;
	else if (strcmp(arg, "table") == 0)
		a->json = false;
	else {
		log_error("--format: invalid format \"%s\" (table or json)", arg);
		return -1;
	}
	return 0;
}

static void print_json(const struct container_info *list, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		const struct container_state *st = &list[i].state;
		struct json_object *o = json_object_new_object();
		bool stopped = list[i].status == CONTAINER_STOPPED;

		json_object_object_add(o, "ociVersion", json_object_new_string("1.2.0"));
		json_object_object_add(o, "id", json_object_new_string(st->id));
		json_object_object_add(o, "pid", json_object_new_int64(stopped ? 0 : st->pid));
		json_object_object_add(
		    o, "status", json_object_new_string(container_status_name(list[i].status)));
		json_object_object_add(o, "bundle", json_object_new_string(st->bundle ?: ""));
		json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs ?: ""));
		json_object_object_add(o, "created", json_object_new_string(st->created ?: ""));
		json_object_object_add(o, "owner", json_object_new_string(st->owner ?: ""));
		if (st->annotations)
			json_object_object_add(o, "annotations", json_object_get(st->annotations));
		json_object_array_add(arr, o);
	}
	printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
}

int cmd_list(int argc, char **argv)
{
	static const char usage[] = "list [--format table|json] [--quiet]";
	static const struct verb_opt opts[] = {
	    {"format", required_argument, 'f'},
	    {"f", required_argument, 'f'},
	    {"quiet", no_argument, 'q'},
	    {"q", no_argument, 'q'},
	    {NULL, 0, 0},
	};
	struct list_args a = {0};
	struct container_info *list = NULL;
	struct kerr err = {0};
	size_t n = 0;
	int first = verb_parse(argc, argv, opts, usage, list_handler, &a);

	if (first < 0 || verb_need_args(argc, first, 0, usage) < 0)
		return 1;
	if (container_list(&g_opts.ctx, &list, &n, &err) < 0)
		return log_kerr(&err);
	if (a.quiet) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", list[i].state.id);
	} else if (a.json) {
		print_json(list, n);
	} else {
		printf("%-20s %-10s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
		for (size_t i = 0; i < n; i++) {
			const struct container_state *st = &list[i].state;
			bool stopped = list[i].status == CONTAINER_STOPPED;
			printf("%-20s %-10d %-10s %-40s %-32s %s\n", st->id, stopped ? 0 : st->pid,
			       container_status_name(list[i].status), st->bundle ?: "",
			       st->created ?: "", st->owner ?: "");
		}
	}
	container_list_free(list, n);
	return 0;
}
