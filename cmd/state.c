/* kura state ID: the OCI state JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

int cmd_state(int argc, char **argv)
{
	static const char usage[] = "state CONTAINER_ID";
	struct kerr err = {0};
	char *json = NULL;
	int first = verb_parse(argc, argv, NULL, usage, NULL, NULL);

	if (first < 0 || verb_need_args(argc, first, 1, usage) < 0)
		return 1;
	if (container_state_json(&g_opts.ctx, argv[first], &json, &err) < 0)
		return log_kerr(&err);
	printf("%s\n", json);
	free(json);
	return 0;
}
