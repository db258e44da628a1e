/* Sparse root, after Solaris' sparse-root zones: a private tmpfs at
 * root.path (size-capped when asked) that inherits host directories read
 * only and holds everything else of the tenant's own: a minimal /etc
 * made for it, /var, /tmp, /root, /home.  No host file is copied; no
 * image is needed.
 *
 * /var, /tmp, /root and /home are mounts of their own on that tmpfs, so
 * that root.readonly fixes / and /etc and leaves the tenant's data
 * writable.  An inherited directory is a recursive bind (open_tree) made read-only
 * with mount_setattr before it is attached, so it is never writable in
 * the container, not even for an instant.  A host entry that is a symlink
 * (/bin -> usr/bin on a merged-/usr host) is recreated as the same
 * symlink, which then resolves inside the container's root. */
#include "rootkind.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "fs-internal.h"

const char *const fsroot_sparse_default_inherit[] = {
    "/usr", "/lib", "/lib64", "/bin", "/sbin", NULL,
};

int fsroot_sparse_check(const char *const *inherit, struct kerr *err)
{
	if (!inherit)
		return 0; /* the defaults that exist */
	for (size_t i = 0; inherit[i]; i++) {
		_cleanup_free_ char *clean = NULL;

		if (fsroot_check_dir(inherit[i], err) < 0)
			return kerr_code(err);
		clean = fsroot_path_clean(inherit[i]);
		if (!*clean)
			return kerr_setx(err, EINVAL, "`%s` is the host's root", inherit[i]);
	}
	return 0;
}

static void restore_umask(mode_t *mask)
{
	umask(*mask);
}

/* One host entry into the root: a symlink as the same symlink, a
 * directory as a read-only recursive bind. */
static int inherit_one(int rootfd, const char *host, bool must_exist, struct kerr *err)
{
	_cleanup_free_ char *rel = fsroot_path_clean(host);
	_cleanup_close_ int mnt = -1, dirfd = -1;
	struct stat st;

	if (lstat(host, &st) < 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return kerr_set(err, errno, "inherit `%s`", host);
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(host, target, sizeof(target) - 1);
		_cleanup_free_ char *parent = xstrdup(rel);
		char *slash = strrchr(parent, '/');
		const char *name = rel;

		if (n < 0)
			return kerr_set(err, errno, "readlink `%s`", host);
		target[n] = '\0';
		if (slash) {
			*slash = '\0';
			name = slash + 1;
			if (fsroot_mkdir_in_root(rootfd, parent, &dirfd, err) < 0)
				return kerr_code(err);
		}
		if (symlinkat(target, slash ? dirfd : rootfd, name) < 0 && errno != EEXIST)
			return kerr_set(err, errno, "symlink `%s`", host);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return kerr_setx(err, ENOTDIR, "inherit `%s`: not a directory", host);
	if (fsroot_clone_tree(AT_FDCWD, host, true, &mnt, err) < 0 ||
	    fsroot_setattr(mnt, true, MOUNT_ATTR_RDONLY, 0, err) < 0)
		return kerr_wrap(err, "inherit `%s`", host);
	if (fsroot_mkdir_in_root(rootfd, rel, &dirfd, err) < 0 ||
	    fsroot_attach(mnt, dirfd, err) < 0)
		return kerr_wrap(err, "inherit `%s`", host);
	return 0;
}

static int write_new(int dirfd, const char *name, const char *data, mode_t mode, struct kerr *err)
{
	_cleanup_close_ int fd =
	    openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

	if (fd < 0)
		return kerr_set(err, errno, "create `/etc/%s`", name);
	if (write_all(fd, data, strlen(data)) < 0)
		return kerr_set(err, errno, "write `/etc/%s`", name);
	return 0;
}

/* The resolver lines of the host's resolv.conf; the file's other
 * contents (comments, a resolver's own notes) are not the tenant's. */
static char *resolv_conf(void)
{
	_cleanup_free_ char *host = NULL;
	struct kerr ignored;
	char *out = xstrdup(""), *save = NULL;

	if (read_file_at(AT_FDCWD, "/etc/resolv.conf", &host, NULL, &ignored) < 0)
		return out;
	for (char *l = strtok_r(host, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *next;

		if (!str_has_prefix(l, "nameserver ") && !str_has_prefix(l, "search ") &&
		    !str_has_prefix(l, "domain ") && !str_has_prefix(l, "options "))
			continue;
		next = xasprintf("%s%s\n", out, l);
		free(out);
		out = next;
	}
	return out;
}

static int make_etc(int rootfd, const char *hostname, struct kerr *err)
{
	_cleanup_close_ int etc = -1;
	_cleanup_free_ char *hosts = NULL, *name = NULL, *resolv = resolv_conf();
	const char *h = hostname && *hostname ? hostname : "localhost";

	if (fsroot_mkdir_in_root(rootfd, "etc", &etc, err) < 0)
		return kerr_code(err);
	hosts = xasprintf("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
	                  "127.0.1.1\t%s\n",
	                  h);
	name = xasprintf("%s\n", h);
	if (write_new(etc, "passwd",
	              "root:x:0:0:root:/root:/bin/sh\n"
	              "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
	              0644, err) < 0 ||
	    write_new(etc, "group", "root:x:0:\nnogroup:x:65534:\n", 0644, err) < 0 ||
	    write_new(etc, "hosts", hosts, 0644, err) < 0 ||
	    write_new(etc, "hostname", name, 0644, err) < 0 ||
	    write_new(etc, "resolv.conf", resolv, 0644, err) < 0 ||
	    write_new(etc, "nsswitch.conf",
	              "passwd:\tfiles\ngroup:\tfiles\nshadow:\tfiles\nhosts:\tfiles dns\n"
	              "networks:\tfiles\nprotocols:\tfiles\nservices:\tfiles\n",
	              0644, err) < 0)
		return kerr_code(err);
	return 0;
}

int fsroot_sparse_mount(const struct fsroot_root *root, int targetfd, struct kerr *err)
{
	static const struct {
		const char *path;
		mode_t mode;
	} dirs[] = {
	    {"var", 0755},  {"var/tmp", 01777}, {"tmp", 01777}, {"root", 0700}, {"home", 0755},
	    {"proc", 0555}, {"sys", 0555},      {"dev", 0755},  {"run", 0755},  {"mnt", 0755},
	};
	static const char *const private_dirs[] = {"var", "tmp", "root", "home"};
	_cleanup_(restore_umask) mode_t old_umask = umask(0);
	const char *const *inherit = root->inherit ? root->inherit : fsroot_sparse_default_inherit;
	_cleanup_close_ int mnt = -1;

	/* Attached first: the inherited binds go onto a mount of this
	 * namespace, not into a detached tree. */
	if (fsroot_tmpfs_new(root->size, "0755", &mnt, err) < 0 ||
	    fsroot_attach(mnt, targetfd, err) < 0)
		return kerr_wrap(err, "private tmpfs");
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (mkdirat(mnt, dirs[i].path, dirs[i].mode) < 0)
			return kerr_set(err, errno, "create `/%s`", dirs[i].path);
	}
	/* The private data directories are mounts of their own (of the same
	 * tmpfs, so under the same cap): root.readonly then fixes / and /etc
	 * and leaves them writable. */
	for (size_t i = 0; i < ARRAY_SIZE(private_dirs); i++) {
		_cleanup_close_ int bind = -1, dir = -1;

		dir = openat(mnt, private_dirs[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dir < 0)
			return kerr_set(err, errno, "open `/%s`", private_dirs[i]);
		if (fsroot_clone_tree(dir, "", false, &bind, err) < 0 ||
		    fsroot_attach(bind, dir, err) < 0)
			return kerr_wrap(err, "make `/%s` a mount", private_dirs[i]);
	}
	if (make_etc(mnt, root->hostname, err) < 0)
		return kerr_code(err);
	for (size_t i = 0; inherit[i]; i++)
		if (inherit_one(mnt, inherit[i], root->inherit != NULL, err) < 0)
			return kerr_code(err);
	return 0;
}
