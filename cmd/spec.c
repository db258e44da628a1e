/* kura spec [--rootless] [--bundle DIR]: write a default config.json. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "../runtime/spec.h"
#include "cmd.h"

struct spec_args {
	bool rootless;
	const char *bundle;
};

static int spec_handler(int key, const char *arg, void *userdata)
{
	struct spec_args *a = userdata;

	if (key == 'r')
		a->rootless = true;
	else
		a->bundle = arg;
	return 0;
}

int cmd_spec(int argc, char **argv)
{
	static const char usage[] = "spec [--rootless] [--bundle DIR]";
	static const struct verb_opt opts[] = {
	    {"rootless", no_argument, 'r'},
	    {"bundle", required_argument, 'b'},
	    {"b", required_argument, 'b'},
	    {NULL, 0, 0},
	};
	struct spec_args a = {0};
	_cleanup_free_ char *json = NULL, *path = NULL;
	_cleanup_close_ int fd = -1;
	int first = verb_parse(argc, argv, opts, usage, spec_handler, &a);

	if (first < 0 || verb_need_args(argc, first, 0, usage) < 0)
		return 1;
	path = xasprintf("%s/config.json", a.bundle ? a.bundle : ".");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			log_error("File %s exists. Remove it first", path);
		else
			log_error("create `%s`: %s", path, strerror(errno));
		return 1;
	}
	json = spec_default_json(a.rootless, getuid(), getgid());
	if (write_all(fd, json, strlen(json)) < 0 || write_all(fd, "\n", 1) < 0) {
		log_error("write `%s`: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}
