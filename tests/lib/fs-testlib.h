/* Helpers for the fs/ tests (tests/unit/test-fsroot-*.c), included by each
 * test program (one translation unit each):
 *  - a busybox root in a fresh /tmp directory, removed again;
 *  - a container child: fork, optionally a user namespace whose uid/gid 0
 *    maps to the host's 0, new namespaces, a second fork so that a new pid
 *    namespace applies, and a body that reports "key value" lines back
 *    over a pipe (cmocka asserts run only in the test process);
 *  - host checks: nothing mounted below a directory;
 *  - report helpers for the body and cmocka asserts on the report
 *    (include this file after <cmocka.h>). */
#ifndef KURA_TESTS_FS_TESTLIB_H
#define KURA_TESTS_FS_TESTLIB_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define FS_TESTLIB_FN static __attribute__((unused))

struct fs_fixture {
	char dir[64];     /* /tmp/kura-fsroot-XXXXXX */
	char rootfs[96];  /* dir/rootfs: busybox */
	char hostdir[96]; /* dir/host: holds "hostfile" */
};

/* Run argv, return its exit status (or -1). */
FS_TESTLIB_FN int fs_run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FS_TESTLIB_FN int fs_write_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, data, strlen(data));
	close(fd);
	return n == (ssize_t)strlen(data) ? 0 : -1;
}

FS_TESTLIB_FN int fs_copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

static int fs_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static uid_t fs_chown_uid;

static int fs_chown_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return lchown(path, fs_chown_uid, (gid_t)fs_chown_uid);
}

/* chown -hR uid:uid (a root for a user namespace mapping 0 to uid). */
FS_TESTLIB_FN int fs_chown_tree(const char *path, uid_t uid)
{
	fs_chown_uid = uid;
	return nftw(path, fs_chown_one, 32, FTW_PHYS | FTW_MOUNT);
}

/* rm -rf that never crosses into a mount (FTW_MOUNT). */
FS_TESTLIB_FN void fs_rm_rf(const char *path)
{
	nftw(path, fs_rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* A busybox root: /bin/busybox with its applets as relative symlinks
 * (installed from inside a chroot, so the links do not point at the
 * host), the usual top directories, and a host directory beside it. */
static int fs_fixture_fill(struct fs_fixture *f)
{
	static const char *const dirs[] = {"bin", "proc", "sys", "dev", "tmp", "etc", "mnt"};
	char path[PATH_MAX + 32];

	/* 0755: a user namespace's root must be able to reach its root. */
	if (!mkdtemp(f->dir) || chmod(f->dir, 0755) < 0)
		return -1;
	snprintf(f->rootfs, sizeof(f->rootfs), "%s/rootfs", f->dir);
	snprintf(f->hostdir, sizeof(f->hostdir), "%s/host", f->dir);
	if (mkdir(f->rootfs, 0755) < 0 || mkdir(f->hostdir, 0755) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->rootfs, dirs[i]);
		if (mkdir(path, 0755) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/bin/busybox", f->rootfs);
	if (fs_copy_file("/bin/busybox", path, 0755) < 0)
		return -1;
	{
		char *const argv[] = {
		    "/usr/sbin/chroot", f->rootfs, "/bin/busybox", "--install", "-s", "/bin", NULL};
		if (fs_run(argv) != 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/etc/marker", f->rootfs);
	if (fs_write_file(path, "container\n", 0644) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/hostfile", f->hostdir);
	return fs_write_file(path, "host\n", 0644);
}

FS_TESTLIB_FN int fs_fixture_make(struct fs_fixture *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/kura-fsroot-XXXXXX");
	if (fs_fixture_fill(f) == 0)
		return 0;
	if (strcmp(f->dir, "/tmp/kura-fsroot-XXXXXX") != 0)
		fs_rm_rf(f->dir);
	return -1;
}

/* Whether the host has anything mounted at or below dir. */
FS_TESTLIB_FN bool fs_host_has_mount_under(const char *dir)
{
	FILE *mi = fopen("/proc/self/mountinfo", "re");
	char line[8192], point[PATH_MAX];
	size_t len = strlen(dir);
	bool found = false;

	if (!mi)
		return true;
	while (!found && fgets(line, sizeof(line), mi))
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 &&
		    strncmp(point, dir, len) == 0 && (point[len] == '/' || point[len] == '\0'))
			found = true;
	fclose(mi);
	return found;
}

FS_TESTLIB_FN int fs_count_entries(const char *dir);

/* Check and remove the fixture, even after a failure: detach whatever is
 * mounted below it, remove it.  Returns whether something was mounted and
 * in *ret_host_entries how many entries the host directory had. */
FS_TESTLIB_FN bool fs_fixture_remove(struct fs_fixture *f, int *ret_host_entries)
{
	bool mounted = false;

	if (!f->dir[0])
		return false;
	if (ret_host_entries)
		*ret_host_entries = fs_count_entries(f->hostdir);
	for (int i = 0; i < 64 && fs_host_has_mount_under(f->dir); i++) {
		FILE *mi = fopen("/proc/self/mountinfo", "re");
		char line[8192], point[PATH_MAX], last[PATH_MAX] = "";

		mounted = true;
		while (mi && fgets(line, sizeof(line), mi))
			if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 &&
			    strncmp(point, f->dir, strlen(f->dir)) == 0)
				strcpy(last, point);
		if (mi)
			fclose(mi);
		if (last[0])
			umount2(last, MNT_DETACH);
	}
	fs_rm_rf(f->dir);
	return mounted;
}

FS_TESTLIB_FN int fs_count_entries(const char *dir)
{
	int n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

typedef int (*fs_body_fn)(FILE *out, void *arg);

static int fs_write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return fs_write_file(path, map, 0);
}

/* Run body in new namespaces (ns_flags, plus a user namespace with idmap
 * as its uid and gid map when idmap is not NULL), as the first process of
 * the new pid namespace if ns_flags has one.  Returns body's exit code
 * (128+N for a signal), its output in *ret_out. */
FS_TESTLIB_FN int fs_in_container(int ns_flags, const char *idmap, fs_body_fn body, void *arg,
                                  char **ret_out)
{
	int out[2], go[2], ready[2], status;
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	pid_t pid;
	ssize_t n;

	if (!buf || pipe2(out, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0 ||
	    pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		pid_t inner;
		char c;

		close(out[0]);
		if (idmap) {
			if (unshare(CLONE_NEWUSER) < 0)
				_exit(90);
			if (write(ready[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(91);
			if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
				_exit(92);
		}
		if (unshare(ns_flags) < 0)
			_exit(93);
		inner = fork();
		if (inner < 0)
			_exit(94);
		if (inner == 0) {
			FILE *f = fdopen(out[1], "w");
			int rc;

			if (!f)
				_exit(95);
			setvbuf(f, NULL, _IOLBF, 0);
			rc = body(f, arg);
			fflush(f);
			_exit(rc);
		}
		close(out[1]);
		if (waitpid(inner, &status, 0) < 0)
			_exit(96);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	close(out[1]);
	close(ready[1]);
	close(go[0]);
	if (idmap) {
		char c;

		if (read(ready[0], &c, 1) != 1 || fs_write_map(pid, "uid_map", idmap) < 0 ||
		    fs_write_map(pid, "gid_map", idmap) < 0)
			kill(pid, SIGKILL);
		else if (write(go[1], "g", 1) != 1)
			kill(pid, SIGKILL);
	}
	close(ready[0]);
	close(go[1]);
	while ((n = read(out[0], buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	close(out[0]);
	if (waitpid(pid, &status, 0) < 0) {
		free(buf);
		return -1;
	}
	*ret_out = buf;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The value of the first "key value" line of out (a static copy), or NULL. */
FS_TESTLIB_FN const char *fs_obs(const char *out, const char *key)
{
	static char value[4096];
	size_t klen = strlen(key);

	for (const char *p = out; p && *p;) {
		const char *eol = strchrnul(p, '\n');

		if (strncmp(p, key, klen) == 0 && (p[klen] == ' ' || p + klen == eol)) {
			const char *v = p + klen + (p[klen] == ' ');
			size_t vlen = (size_t)(eol - v) < sizeof(value) - 1 ? (size_t)(eol - v)
			                                                    : sizeof(value) - 1;
			memcpy(value, v, vlen);
			value[vlen] = '\0';
			return value;
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}

/* The raw mountinfo line reported for mount point point ("mi ..." lines
 * of fs_report_mounts()), the last one if stacked; a static copy. */
FS_TESTLIB_FN const char *fs_obs_mount(const char *out, const char *point)
{
	static char found[4096];
	char mp[PATH_MAX];
	bool any = false;

	for (const char *p = out; p && *p;) {
		const char *eol = strchrnul(p, '\n');
		size_t len = (size_t)(eol - p);

		if (len > 3 && strncmp(p, "mi ", 3) == 0 && len < sizeof(found)) {
			char line[4096];

			memcpy(line, p + 3, len - 3);
			line[len - 3] = '\0';
			if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 &&
			    strcmp(mp, point) == 0) {
				strcpy(found, line);
				any = true;
			}
		}
		p = *eol ? eol + 1 : eol;
	}
	return any ? found : NULL;
}

/* In the body: every line of /proc/self/mountinfo as "mi LINE". */
FS_TESTLIB_FN void fs_report_mounts(FILE *out)
{
	FILE *mi = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	if (!mi) {
		fprintf(out, "mountinfo_errno %d\n", errno);
		return;
	}
	while (fgets(line, sizeof(line), mi))
		fprintf(out, "mi %s", line);
	fclose(mi);
}

/* In the body: the errno of opening path for writing (0 if it opened). */
FS_TESTLIB_FN int fs_write_errno(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* In the body: how many bytes path reads (-errno on failure). */
FS_TESTLIB_FN long fs_read_len(const char *path)
{
	char buf[4096];
	long total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0 && total < 1 << 20)
		total += n;
	close(fd);
	return n < 0 ? -errno : total;
}

FS_TESTLIB_FN void fs_report_stat(FILE *out, const char *key, const char *path)
{
	struct stat st;
	char type;

	if (lstat(path, &st) < 0) {
		fprintf(out, "%s errno=%d\n", key, errno);
		return;
	}
	type = S_ISCHR(st.st_mode)    ? 'c'
	       : S_ISBLK(st.st_mode)  ? 'b'
	       : S_ISFIFO(st.st_mode) ? 'p'
	                              : '?';
	fprintf(out, "%s %c %u:%u %o %u %u\n", key, type, major(st.st_rdev), minor(st.st_rdev),
	        st.st_mode & 07777, st.st_uid, st.st_gid);
}

FS_TESTLIB_FN void fs_report_link(FILE *out, const char *key, const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	fprintf(out, "%s %.*s\n", key, n < 0 ? 0 : (int)n, buf);
}

FS_TESTLIB_FN void fs_report_first_line(FILE *out, const char *key, const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	fprintf(out, "%s %s\n", key, buf);
}

/* In the body: sh -c script with the image's shell, stdout on out. */
FS_TESTLIB_FN void fs_report_exec(FILE *out, const char *script)
{
	pid_t pid;
	int status;

	fflush(out);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 1);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
}

/* Field 6 (the per-mount options) of a mountinfo line holds opt. */
FS_TESTLIB_FN bool fs_mount_has_opt(const char *line, const char *opt)
{
	char opts[1024];
	size_t len = strlen(opt);

	if (!line || sscanf(line, "%*s %*s %*s %*s %*s %1023s", opts) != 1)
		return false;
	for (const char *p = opts; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, opt, len) == 0 && (p[len] == ',' || !p[len]))
			return true;
	return false;
}

FS_TESTLIB_FN const char *fs_mount_fstype(const char *line)
{
	static char type[64];
	const char *dash = line ? strstr(line, " - ") : NULL;

	if (!dash || sscanf(dash + 3, "%63s", type) != 1)
		return "";
	return type;
}

FS_TESTLIB_FN void fs_assert_obs(const char *out, const char *key, const char *want)
{
	const char *got = fs_obs(out, key);

	if (!got || strcmp(got, want) != 0) {
		fprintf(stderr, "--- output ---\n%s", out);
		fail_msg("%s: got \"%s\", want \"%s\"", key, got ? got : "(none)", want);
	}
}

FS_TESTLIB_FN void fs_assert_mount(const char *out, const char *point, const char *fstype,
                                   const char *opt)
{
	const char *line = fs_obs_mount(out, point);

	if (!line) {
		fprintf(stderr, "--- output ---\n%s", out);
		fail_msg("no mount at %s", point);
	}
	if (fstype && strcmp(fs_mount_fstype(line), fstype) != 0)
		fail_msg("%s: type %s, want %s (%s)", point, fs_mount_fstype(line), fstype, line);
	if (opt && !fs_mount_has_opt(line, opt))
		fail_msg("%s: no option %s (%s)", point, opt, line);
}

#endif
