/* Container state directories and state.json: see state.h. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

#define OCI_VERSION "1.2.0"

const char *container_status_name(enum container_status s)
{
	switch (s) {
	case CONTAINER_CREATING:
		return "creating";
	case CONTAINER_CREATED:
		return "created";
	case CONTAINER_RUNNING:
		return "running";
	case CONTAINER_PAUSED:
		return "paused";
	case CONTAINER_STOPPED:
		return "stopped";
	}
	return "unknown";
}

void container_state_free(struct container_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->owner);
	json_object_put(st->annotations);
	memset(st, 0, sizeof(*st));
}

int state_check_id(const char *id, struct kerr *err)
{
	size_t len = strlen(id);

	if (len == 0 || len > 1024 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return kerr_set(err, 0, "invalid container id format: \"%s\"", id);
	for (const char *p = id; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '.'))
			return kerr_set(err, 0, "invalid container id format: \"%s\"", id);
	}
	return 0;
}

static int mkdir_p(const char *path, mode_t mode)
{
	_cleanup_free_ char *copy = xstrdup(path);

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(copy, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int state_open_root(const char *root, bool create, int *ret_fd, struct kerr *err)
{
	int fd, r;

	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		r = mkdir_p(root, 0711);
		if (r < 0)
			return kerr_set(err, -r, "create root directory `%s`", root);
		fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return kerr_set(err, errno, "open root directory `%s`", root);
	*ret_fd = fd;
	return 0;
}

static int lock_dir(const char *id, int dirfd, int *ret_fd, struct kerr *err)
{
	/* flock() needs a real open file description, not O_PATH. */
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return kerr_set(err, errno, "open state directory of `%s`", id);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return kerr_set(err, e, "lock state directory of `%s`", id);
		}
	}
	*ret_fd = fd;
	return 0;
}

int state_dir_create(int rootfd, const char *id, int *ret_dirfd, struct kerr *err)
{
	_cleanup_close_ int dirfd = -1;
	int r;

	if (mkdirat(rootfd, id, 0711) < 0) {
		if (errno == EEXIST)
			return kerr_setx(err, EEXIST, "container with given ID already exists: %s",
			                 id);
		return kerr_set(err, errno, "create state directory for `%s`", id);
	}
	dirfd = openat(rootfd, id, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dirfd < 0)
		return kerr_set(err, errno, "open state directory for `%s`", id);
	r = lock_dir(id, dirfd, ret_dirfd, err);
	return r;
}

int state_dir_open(int rootfd, const char *id, int *ret_dirfd, struct kerr *err)
{
	_cleanup_close_ int dirfd = -1;
	struct stat stb;

	dirfd = openat(rootfd, id, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dirfd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return kerr_setx(err, ENOENT, "container \"%s\" does not exist", id);
		return kerr_set(err, errno, "open state directory of `%s`", id);
	}
	if (lock_dir(id, dirfd, ret_dirfd, err) < 0)
		return kerr_code(err);
	/* A concurrent delete may have removed the directory while we waited
	 * for the lock: the directory we hold is then unlinked. */
	if (fstat(*ret_dirfd, &stb) == 0 && stb.st_nlink == 0) {
		close(*ret_dirfd);
		*ret_dirfd = -1;
		return kerr_setx(err, ENOENT, "container \"%s\" does not exist", id);
	}
	return 0;
}

static int remove_tree_at(int parentfd, const char *name)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int fd;

	if (unlinkat(parentfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return -errno;
	fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type == DT_DIR) {
			int r = remove_tree_at(dirfd(d), de->d_name);
			if (r < 0)
				return r;
		} else if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT) {
			return -errno;
		}
	}
	if (unlinkat(parentfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int state_dir_remove(int rootfd, const char *id, struct kerr *err)
{
	int r = remove_tree_at(rootfd, id);
	if (r < 0)
		return kerr_set(err, -r, "remove state directory of `%s`", id);
	return 0;
}

static struct json_object *state_json_common(const struct container_state *st, const char *status)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ociVersion", json_object_new_string(OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "pid", json_object_new_int64(st->pid));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle ? st->bundle : ""));
	json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs ? st->rootfs : ""));
	json_object_object_add(o, "created",
	                       json_object_new_string(st->created ? st->created : ""));
	json_object_object_add(o, "owner", json_object_new_string(st->owner ? st->owner : ""));
	if (st->annotations && json_object_object_length(st->annotations) > 0)
		json_object_object_add(o, "annotations", json_object_get(st->annotations));
	return o;
}

int state_write(int dirfd, const struct container_state *st, struct kerr *err)
{
	struct json_object *o = state_json_common(st, "created");
	const char *text;
	int r;

	json_object_object_add(o, "kuraStartTime", json_object_new_uint64(st->start_time));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	r = write_file_atomic_at(dirfd, "state.json", text, strlen(text), 0600, err);
	json_object_put(o);
	return r;
}

static char *dup_string_field(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return xstrdup(json_object_get_string(v));
}

int state_read(int dirfd, const char *id, struct container_state *st, struct kerr *err)
{
	_cleanup_free_ char *text = NULL;
	struct json_object *o, *v;

	memset(st, 0, sizeof(*st));
	if (read_file_at(dirfd, "state.json", &text, NULL, err) < 0) {
		if (err->errnum != ENOENT)
			return kerr_code(err);
		/* A create that was killed before it wrote its state: the
		 * container exists only to be deleted. */
		st->id = xstrdup(id);
		return 0;
	}
	o = json_tokener_parse(text);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return kerr_set(err, EINVAL, "state of `%s`: state.json is corrupt", id);
	}
	st->has_state_file = true;
	st->id = xstrdup(id);
	st->bundle = dup_string_field(o, "bundle");
	st->rootfs = dup_string_field(o, "rootfs");
	st->created = dup_string_field(o, "created");
	st->owner = dup_string_field(o, "owner");
	if (json_object_object_get_ex(o, "pid", &v))
		st->pid = (pid_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "kuraStartTime", &v))
		st->start_time = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "annotations", &v) &&
	    json_object_is_type(v, json_type_object))
		st->annotations = json_object_get(v);
	json_object_put(o);
	return 0;
}

int state_save_cgroup(int dirfd, struct json_object *cgroup, struct kerr *err)
{
	const char *text = json_object_to_json_string_ext(cgroup, JSON_C_TO_STRING_PLAIN);

	return write_file_atomic_at(dirfd, "cgroup.json", text, strlen(text), 0600, err);
}

int state_load_cgroup(int dirfd, struct json_object **ret, struct kerr *err)
{
	_cleanup_free_ char *text = NULL;
	struct json_object *o;

	*ret = NULL;
	if (read_file_at(dirfd, "cgroup.json", &text, NULL, err) < 0)
		return err->errnum == ENOENT ? 0 : kerr_code(err);
	o = json_tokener_parse(text);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return kerr_setx(err, EINVAL, "cgroup.json is corrupt");
	}
	*ret = o;
	return 0;
}

static bool proc_is_zombie(pid_t pid)
{
	char path[64], buf[512];
	_cleanup_close_ int fd = -1;
	ssize_t n;
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read_all(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return !p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X';
}

int state_pidfd(const struct container_state *st, int *ret_pidfd)
{
	_cleanup_close_ int pidfd = -1;
	uint64_t start;
	struct kerr err;

	if (st->pid <= 0)
		return -ESRCH;
	pidfd = sys_pidfd_open(st->pid, 0);
	if (pidfd < 0)
		return -errno;
	/* Checked after the pidfd is open: from now on the pid cannot be
	 * reused behind our back. */
	if (proc_start_time(st->pid, &start, &err) < 0 || start != st->start_time)
		return -ESRCH;
	if (proc_is_zombie(st->pid))
		return -ESRCH;
	*ret_pidfd = steal_fd(pidfd);
	return 0;
}

enum container_status state_status(int dirfd, const struct container_state *st, bool frozen)
{
	_cleanup_close_ int pidfd = -1;

	if (!st->has_state_file)
		return CONTAINER_STOPPED;
	if (state_pidfd(st, &pidfd) < 0)
		return CONTAINER_STOPPED;
	if (frozen)
		return CONTAINER_PAUSED;
	if (faccessat(dirfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return CONTAINER_CREATED;
	return CONTAINER_RUNNING;
}

char *state_to_oci_json(const struct container_state *st, enum container_status status, bool pretty)
{
	struct container_state copy = *st;
	struct json_object *o;
	char *text;

	if (status == CONTAINER_STOPPED)
		copy.pid = 0;
	o = state_json_common(&copy, container_status_name(status));
	text = xstrdup(json_object_to_json_string_ext(
	    o,
	    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN) |
	        JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}
