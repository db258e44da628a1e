/* Paths inside the container root, resolved by fd.
 *
 * Every lookup starts from the root fd with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS): ".." and absolute symlinks stay inside the root,
 * and /proc magic links are refused.  When a mount target is missing it
 * is created one component at a time on a directory fd (mkdirat, or
 * openat O_CREAT|O_EXCL|O_NOFOLLOW), then opened with O_NOFOLLOW: a
 * symlink swapped in meanwhile is read and its target resolved again from
 * the root, so nothing is ever created or mounted through a symlink
 * outside the root (CVE-2021-30465, CVE-2024-45310). */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

#define MAX_SYMLINKS  40
#define RESOLVE_FLAGS (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

void fsroot_target_release(struct fsroot_target *t)
{
	cleanup_closep(&t->fd);
	cleanup_closep(&t->parent_fd);
	free(t->name);
	free(t->path);
	t->fd = t->parent_fd = -1;
	t->name = t->path = NULL;
}

char *fsroot_path_clean(const char *path)
{
	size_t len = strlen(path);
	char *out = xmalloc(len + 1);
	size_t n = 0;
	const char *p = path;

	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t clen = (size_t)(end - p);

		if (clen == 0 || (clen == 1 && p[0] == '.')) {
			/* nothing */
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n > 0)
				out[n++] = '/';
			memcpy(out + n, p, clen);
			n += clen;
		}
		p = *end ? end + 1 : end;
	}
	out[n] = '\0';
	return out;
}

int fsroot_open_in_root(int rootfd, const char *path, int flags, mode_t mode, struct kerr *err)
{
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_CLOEXEC),
	    .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
	    .resolve = RESOLVE_FLAGS,
	};
	int fd;

	/* EAGAIN: a rename raced the ".." checks of RESOLVE_IN_ROOT. */
	for (int i = 0; i < 16; i++) {
		fd = sys_openat2(rootfd, path, &how);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd < 0)
		return kerr_set(err, errno, "open `%s` in the container root", path);
	return fd;
}

static int open_entry(int rootfd, const char *clean, enum fsroot_kind kind, unsigned *links,
                      struct fsroot_target *ret, struct kerr *err);

/* The directory `clean` (relative, cleaned), created when missing. */
static int open_dir(int rootfd, const char *clean, unsigned *links, int *ret_fd, struct kerr *err)
{
	_cleanup_target_ struct fsroot_target t = FSROOT_TARGET_INIT;
	struct kerr ignored;
	int fd;

	if (!*clean) {
		fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return kerr_set(err, errno, "dup the root fd");
		*ret_fd = fd;
		return 0;
	}
	fd = fsroot_open_in_root(rootfd, clean, O_PATH | O_DIRECTORY, 0, &ignored);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (ignored.errnum != ENOENT)
		return kerr_set(err, ignored.errnum, "open `/%s`", clean);
	if (open_entry(rootfd, clean, FSROOT_DIR, links, &t, err) < 0)
		return kerr_code(err);
	*ret_fd = steal_fd(t.fd);
	return 0;
}

/* Create the missing last component; EEXIST is a race the caller retries. */
static int create_entry(int parent_fd, const char *name, enum fsroot_kind kind)
{
	int fd;

	if (kind == FSROOT_DIR)
		return mkdirat(parent_fd, name, 0755) < 0 ? -errno : 0;
	fd = openat(parent_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Resolve a symlink held by fd (O_PATH|O_NOFOLLOW) in directory pfd the
 * way the kernel would, but from rootfd: an absolute target restarts at
 * the root, a relative one at the directory's real path (not the path
 * asked for, which may have passed through symlinks: "../x" must be
 * relative to where the link really is). */
static char *symlink_next(int rootfd, int pfd, int fd, const char *parent)
{
	_cleanup_free_ char *dir = NULL, *joined = NULL;
	char buf[PATH_MAX];
	ssize_t n = readlinkat(fd, "", buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	if (buf[0] == '/')
		return fsroot_path_clean(buf);
	dir = fsroot_fd_path_in_root(rootfd, pfd);
	joined = xasprintf("%s/%s", dir ? dir : parent, buf);
	return fsroot_path_clean(joined);
}

static int open_entry(int rootfd, const char *clean, enum fsroot_kind kind, unsigned *links,
                      struct fsroot_target *ret, struct kerr *err)
{
	const char *slash = strrchr(clean, '/');
	const char *name = slash ? slash + 1 : clean;
	_cleanup_free_ char *parent =
	    slash ? xasprintf("%.*s", (int)(slash - clean), clean) : xstrdup("");
	_cleanup_close_ int pfd = -1, fd = -1;
	struct stat st;

	if (!*clean)
		return kerr_setx(err, EINVAL, "the container root itself is not a valid target");
	if (open_dir(rootfd, parent, links, &pfd, err) < 0)
		return kerr_code(err);

	for (int tries = 0; fd < 0; tries++) {
		int r;

		fd = openat(pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			break;
		if (errno != ENOENT || kind == FSROOT_NO_CREATE || tries > 8)
			return kerr_set(err, errno, "open `/%s`", clean);
		r = create_entry(pfd, name, kind);
		if (r < 0 && r != -EEXIST)
			return kerr_set(err, -r, "create `/%s`", clean);
	}
	if (fstat(fd, &st) < 0)
		return kerr_set(err, errno, "stat `/%s`", clean);
	if (S_ISLNK(st.st_mode)) {
		_cleanup_free_ char *next = NULL;

		if (++*links > MAX_SYMLINKS)
			return kerr_set(err, ELOOP, "resolve `/%s`", clean);
		next = symlink_next(rootfd, pfd, fd, parent);
		if (!next)
			return kerr_set(err, errno, "readlink `/%s`", clean);
		return open_entry(rootfd, next, kind, links, ret, err);
	}
	ret->fd = steal_fd(fd);
	ret->parent_fd = steal_fd(pfd);
	ret->name = xstrdup(name);
	ret->path = xasprintf("/%s", clean);
	return 0;
}

int fsroot_target_open(int rootfd, const char *path, enum fsroot_kind kind,
                       struct fsroot_target *ret, struct kerr *err)
{
	_cleanup_free_ char *clean = fsroot_path_clean(path);
	unsigned links = 0;

	return open_entry(rootfd, clean, kind, &links, ret, err);
}

int fsroot_mkdir_in_root(int rootfd, const char *path, int *ret_fd, struct kerr *err)
{
	_cleanup_free_ char *clean = fsroot_path_clean(path);
	unsigned links = 0;

	return open_dir(rootfd, clean, &links, ret_fd, err);
}

static char *fd_host_path(int fd)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

char *fsroot_fd_path_in_root(int rootfd, int fd)
{
	_cleanup_free_ char *root = fd_host_path(rootfd);
	_cleanup_free_ char *path = fd_host_path(fd);
	size_t len;

	if (!root || !path)
		return NULL;
	if (strcmp(root, "/") == 0)
		return steal_ptr(path);
	len = strlen(root);
	if (strncmp(path, root, len) != 0 || (path[len] != '/' && path[len] != '\0'))
		return NULL;
	return xstrdup(path[len] ? path + len : "/");
}
