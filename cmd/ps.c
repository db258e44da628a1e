/* kura ps [--format table|json] ID [PS_ARGS...]: the container's
 * processes; table output is ps(1)'s, filtered to them, as runc does. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "cmd.h"

static int ps_handler(int key, const char *arg, void *userdata)
{
	bool *json = userdata;

	if (strcmp(arg, "json") == 0)
		*json = true;
	else if (strcmp(arg, "table") == 0)
		*json = false;
	else {
		log_error("--format: invalid format \"%s\" (table or json)", arg);
		return -1;
	}
	return 0;
}

static bool has_pid(const pid_t *pids, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Run ps with args and print its header plus the lines of our pids. */
static int ps_table(char **ps_args, int n_args, const pid_t *pids, size_t n)
{
	_cleanup_free_ char **argv = xcalloc((size_t)n_args + 3, sizeof(char *));
	char *line = NULL;
	size_t cap = 0;
	int pipefd[2], status, pid_col = -1;
	FILE *f;
	pid_t child;

	argv[0] = "ps";
	if (n_args == 0)
		argv[1] = "-ef";
	for (int i = 0; i < n_args; i++)
		argv[1 + i] = ps_args[i];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		dup2(pipefd[1], 1);
		execvp("ps", argv);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (pid_col < 0) {
			/* Find the PID column in the header. */
			char *copy = xstrdup(line), *save = NULL;
			int col = 0;
			for (char *t = strtok_r(copy, " \t\n", &save); t;
			     t = strtok_r(NULL, " \t\n", &save), col++)
				if (strcmp(t, "PID") == 0) {
					pid_col = col;
					break;
				}
			free(copy);
			fputs(line, stdout);
			if (pid_col < 0)
				break;
			continue;
		}
		char *copy = xstrdup(line), *save = NULL, *t = strtok_r(copy, " \t\n", &save);
		for (int col = 0; t && col < pid_col; col++)
			t = strtok_r(NULL, " \t\n", &save);
		if (t && has_pid(pids, n, (pid_t)atoi(t)))
			fputs(line, stdout);
		free(copy);
	}
	free(line);
	fclose(f);
	waitpid(child, &status, 0);
	if (pid_col < 0)
		return -EINVAL;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int cmd_ps(int argc, char **argv)
{
	static const char usage[] = "ps [--format table|json] CONTAINER_ID [PS_ARGS...]";
	static const struct verb_opt opts[] = {
	    {"format", required_argument, 'f'},
	    {"f", required_argument, 'f'},
	    {NULL, 0, 0},
	};
	_cleanup_free_ pid_t *pids = NULL;
	struct kerr err = {0};
	bool json = false;
	size_t n = 0;
	int first = verb_parse(argc, argv, opts, usage, ps_handler, &json);

	if (first < 0)
		return 1;
	if (argc - first < 1) {
		log_error("ps: expected a container id\nUsage: kura %s", usage);
		return 1;
	}
	if (container_pids(&g_opts.ctx, argv[first], &pids, &n, &err) < 0)
		return log_kerr(&err);
	if (json) {
		struct json_object *arr = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(arr, json_object_new_int(pids[i]));
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
		json_object_put(arr);
		return 0;
	}
	if (ps_table(argv + first + 1, argc - first - 1, pids, n) < 0) {
		log_error("ps: running ps(1) failed");
		return 1;
	}
	return 0;
}
