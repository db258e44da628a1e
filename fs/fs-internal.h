/* Helpers shared by the files of fs/; not part of the fs/ interface
 * (that is fsroot.h).  Everything inside the container root is handled
 * through fds: a path string inside the root is resolved once, with
 * openat2(RESOLVE_IN_ROOT), and the mount is attached onto the fd. */
#ifndef KURA_FS_INTERNAL_H
#define KURA_FS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"
#include "fsroot.h"

/* ---- resolve.c: paths inside the root ---- */

/* What to create when the last component of a target is missing. */
enum fsroot_kind {
	FSROOT_NO_CREATE,
	FSROOT_DIR,
	FSROOT_FILE,
};

/* An entry inside the root, held by fd: fd is an O_PATH fd of the entry,
 * parent_fd an O_PATH fd of the directory holding it under `name`.  The
 * pair lets a caller look the entry up again across a mount made on it. */
struct fsroot_target {
	int fd;
	int parent_fd;
	char *name;
	char *path; /* the path as asked for (cleaned), for messages: "/dev/pts" */
};

#define FSROOT_TARGET_INIT                                                                         \
	{                                                                                          \
		.fd = -1, .parent_fd = -1                                                          \
	}

void fsroot_target_release(struct fsroot_target *t);
#define _cleanup_target_ __attribute__((cleanup(fsroot_target_release)))

/* Lexically clean an absolute or relative path: drop "", "." and ".."
 * (clamped at the root) and return it relative, without a leading slash
 * ("" for the root itself).  The caller frees it. */
char *fsroot_path_clean(const char *path);

/* Open path inside rootfd, creating what is missing (directories on the
 * way, and the last component as `kind`).  Symlinks are followed only
 * inside the root: intermediate ones by openat2(RESOLVE_IN_ROOT), the last
 * one by reading it and resolving its target again from rootfd; magic
 * links are never followed.  Never creates anything outside the root. */
int fsroot_target_open(int rootfd, const char *path, enum fsroot_kind kind,
                       struct fsroot_target *ret, struct kerr *err);

/* mkdir -p inside the root; returns an O_PATH fd of the directory. */
int fsroot_mkdir_in_root(int rootfd, const char *path, int *ret_fd, struct kerr *err);

/* The host path of fd relative to the root rootfd ("/proc/cpuinfo"), read
 * from /proc/self/fd; only for checks and messages, never to open. */
char *fsroot_fd_path_in_root(int rootfd, int fd);

/* ---- mountfd.c: the new mount API on fds ---- */

/* err for a refused fsconfig(): the message (printf fmt) with the kernel's
 * own explanation ("tmpfs: Bad value for 'size'") from the fs_context
 * log of fsfd.  Returns -errnum. */
int fsroot_fsconfig_error(int fsfd, int errnum, struct kerr *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* MS_* flags set / cleared to MOUNT_ATTR_* set / clear masks. */
void fsroot_attr_from_flags(unsigned long set_flags, unsigned long clear_flags, uint64_t *ret_set,
                            uint64_t *ret_clr);

/* mount_setattr() on the mount whose root is mntfd (a detached or an
 * attached mount); a no-op when both masks are 0. */
int fsroot_setattr(int mntfd, bool recursive, uint64_t set, uint64_t clr, struct kerr *err);

/* Apply MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE [|MS_REC] to mntfd. */
int fsroot_set_propagation(int mntfd, unsigned long propagation, struct kerr *err);

/* move_mount() the mount mntfd onto the entry target_fd. */
int fsroot_attach(int mntfd, int target_fd, struct kerr *err);

/* open_tree(OPEN_TREE_CLONE) of the tree at dirfd/path ("" = dirfd). */
int fsroot_clone_tree(int dirfd, const char *path, bool recursive, int *ret_fd, struct kerr *err);

/* A new detached mount of a filesystem: fsopen, fsconfig (source, every
 * option of data, superblock flags), fsmount with the mount attributes
 * of ms_flags.  On a refused fsconfig the kernel's own message is added. */
int fsroot_fs_new(const char *type, const char *source, const char *data, unsigned long ms_flags,
                  int *ret_fd, struct kerr *err);

/* Whether an fsroot_fs_new() error is the fs_context API refusing an
 * option that mount(2) may still accept. */
bool fsroot_fs_new_refused(int r);

/* mount(2) of a filesystem onto the target through /proc/self/fd: for
 * filesystems whose options the fs_context API refuses.  Returns an
 * O_PATH fd of the new mount's root in *ret_fd. */
int fsroot_mount_legacy(const struct fsroot_target *t, const char *type, const char *source,
                        const char *data, unsigned long ms_flags, int *ret_fd, struct kerr *err);

/* Detach the mount whose root is fd (umount2 MNT_DETACH on the cwd, so
 * no path is looked up). */
int fsroot_umount_fd(int fd, struct kerr *err);

/* ---- mounts.c, cgroupfs.c, dev.c, paths.c, root.c ---- */

int fsroot_mount_one(int rootfd, const struct fsroot_config *cfg, const struct fsroot_mount *m,
                     struct kerr *err);

/* type "cgroup": cgroup2 on a pure v2 host, else a tmpfs holding one
 * mount per v1 hierarchy (and the v2 one of a hybrid host), each showing
 * the container's own cgroup. */
int fsroot_mount_cgroup(const struct fsroot_mount *m, const struct fsroot_target *t,
                        struct kerr *err);

/* Whether the config mounts something at /dev itself; *ret_bind says it
 * is a bind mount (then the devices are the source's). */
bool fsroot_config_mounts_dev(const struct fsroot_config *cfg, bool *ret_bind);

/* The default tmpfs on /dev when the config has none. */
int fsroot_dev_mount_default(int rootfd, const struct fsroot_config *cfg, struct kerr *err);

/* Device nodes (defaults + linux.devices), /dev symlinks, ptmx. */
int fsroot_dev_populate(int rootfd, const struct fsroot_config *cfg, struct kerr *err);

/* Before the mounts: propagation of /, the root bind-mounted onto
 * itself.  Returns an fd of the root mount in *ret_rootfd. */
int fsroot_prepare_root(const struct fsroot_config *cfg, int *ret_rootfd, struct kerr *err);

/* pivot_root into rootfd (or MS_MOVE + chroot), then the propagation. */
int fsroot_enter_root(const struct fsroot_config *cfg, int rootfd, struct kerr *err);

#endif
