/* Running from a sealed copy of ourselves: see sealed_exe.h. */
#include "sealed_exe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS;
}

int sealed_exe_ensure(char **argv, char **envp, struct kerr *err)
{
	_cleanup_close_ int exe = -1, copy = -1;
	struct stat st;
	off_t off = 0;

	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return kerr_set(err, errno, "open `/proc/self/exe`");
	if (is_sealed(exe))
		return 0;
	if (fstat(exe, &st) < 0)
		return kerr_set(err, errno, "stat `/proc/self/exe`");
	copy = memfd_create("kura", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return kerr_set(err, errno, "memfd_create");
	while (off < st.st_size) {
		ssize_t n = sendfile(copy, exe, &off, (size_t)(st.st_size - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return kerr_set(err, n < 0 ? errno : EIO, "copy `/proc/self/exe`");
	}
	if (fcntl(copy, F_ADD_SEALS, SEALS) < 0)
		return kerr_set(err, errno, "seal the copy of kura");
	fexecve(copy, argv, envp);
	return kerr_set(err, errno, "re-execute kura from its sealed copy");
}
