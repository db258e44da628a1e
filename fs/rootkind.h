/* Helpers shared by the tenant-root files of fs/ (rootkind.c, overlay.c,
 * loop.c, sparse.c); not part of the fs/ interface (that is fsroot.h). */
#ifndef KURA_FS_ROOTKIND_H
#define KURA_FS_ROOTKIND_H

#include <stdint.h>

#include "../common/err.h"
#include "fsroot.h"

/* fsconfig() a string or a flag; a refusal carries the kernel's own
 * message from the fs_context log. */
int fsroot_fsconfig_string(int fsfd, const char *key, const char *value, struct kerr *err);
int fsroot_fsconfig_flag(int fsfd, const char *key, struct kerr *err);

/* FSCONFIG_CMD_CREATE and fsmount() with MOUNT_ATTR_* attrs: a detached mount. */
int fsroot_fsconfig_mount(int fsfd, const char *type, uint64_t attrs, int *ret_mntfd,
                          struct kerr *err);

/* A detached tmpfs with the given mode and size (0 = no cap). */
int fsroot_tmpfs_new(uint64_t size, const char *mode, int *ret_mntfd, struct kerr *err);

/* Each root type onto the O_PATH fd of root.path, in the container's mount
 * namespace (already a slave of the host's). */
int fsroot_overlay_mount(const struct fsroot_root *root, int targetfd, struct kerr *err);
int fsroot_loop_mount(const struct fsroot_root *root, int targetfd, struct kerr *err);
int fsroot_sparse_mount(const struct fsroot_root *root, int targetfd, struct kerr *err);

/* Host-side checks per type (see fsroot_root_check()). */
int fsroot_loop_check(const char *image, bool readonly, struct kerr *err);
int fsroot_sparse_check(const char *const *inherit, struct kerr *err);

/* An existing directory on the host, named in the message. */
int fsroot_check_dir(const char *path, struct kerr *err);

#endif
