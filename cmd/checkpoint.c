/* kura checkpoint / restore: CRIU is not supported.  podman probes
 * support with `checkpoint --help` and takes exit 0 as "supported", so
 * every form of these verbs, --help included, fails with a clear error. */
#include "cmd.h"

static int unsupported(const char *verb)
{
	log_error("%s is not supported by kura: checkpoint/restore (CRIU) is not implemented",
	          verb);
	return 1;
}

int cmd_checkpoint(int argc, char **argv)
{
	return unsupported(argv[0]);
}

int cmd_restore(int argc, char **argv)
{
	return unsupported(argv[0]);
}
