/* kura features: the runtime-spec features document. */
#include <stdio.h>
#include <stdlib.h>

#include "../runtime/features.h"
#include "cmd.h"

int cmd_features(int argc, char **argv)
{
	static const char usage[] = "features";
	int first = verb_parse(argc, argv, NULL, usage, NULL, NULL);
	char *json;

	if (first < 0 || verb_need_args(argc, first, 0, usage) < 0)
		return 1;
	json = features_json();
	printf("%s\n", json);
	free(json);
	return 0;
}
