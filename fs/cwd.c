/* process.cwd made inside the root when it is missing, as runc does. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "fs-internal.h"

int fsroot_make_cwd(const char *cwd, struct kerr *err)
{
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int fd = -1;

	if (rootfd < 0)
		return kerr_set(err, errno, "open `/`");
	/* Resolved in the root: a cwd through a leaked fd or a symlink
	 * cannot make a directory anywhere else. */
	if (fsroot_mkdir_in_root(rootfd, cwd, &fd, err) < 0)
		return kerr_wrap(err, "process.cwd");
	return 0;
}
