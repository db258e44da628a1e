/* fs/: the container's root filesystem.
 *
 * fsroot_setup() runs in the container's init, inside its new mount
 * namespace, before pivot_root: it makes the root a mount, applies the
 * root propagation, performs every OCI mount, builds /dev and pivots into
 * the root.  fsroot_finish() runs after the runtime has written sysctls:
 * it applies readonlyPaths, maskedPaths and root.readonly.
 *
 * Every path inside the root is resolved by fd (openat2 RESOLVE_IN_ROOT)
 * and mounted onto that fd with the new mount API; a string path inside
 * the root is never resolved twice.  This header is the whole interface
 * of fs/; it includes nothing from runtime/ or the other leaves. */
#ifndef KURA_FS_FSROOT_H
#define KURA_FS_FSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/err.h"

/* One OCI mount with its options already parsed. */
struct fsroot_mount {
	const char *destination; /* absolute path inside the root */
	const char *source;      /* may be NULL (e.g. tmpfs) */
	const char *type;        /* may be NULL for bind mounts */
	char *data;              /* filesystem options joined with ',', owned, may be NULL */
	unsigned long flags;     /* MS_* to set (MS_RDONLY, MS_NOSUID, ...) */
	unsigned long clear;     /* MS_* explicitly cleared ("rw", "suid", ...) */
	uint64_t rec_attr_set;   /* MOUNT_ATTR_* from recursive r* options */
	uint64_t rec_attr_clr;
	unsigned long propagation; /* MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE [|MS_REC] */
	bool bind;                 /* "bind" or "rbind", or type "bind" */
	bool recursive;            /* "rbind" */
	bool idmap;                /* "idmap"/"ridmap": not supported yet, refused */
};

/* Parse the OCI options of one mount into m (flags, clear, propagation,
 * bind, data...).  Unknown options are passed to the filesystem as data,
 * as runc does.  err names the offending option. */
int fsroot_parse_mount_options(const char *const *options, size_t n, struct fsroot_mount *m,
                               struct kerr *err);

/* Parse one propagation name ("rslave", "shared", ...) to MS_* flags. */
int fsroot_parse_propagation(const char *name, unsigned long *ret);

/* A device node from linux.devices (or the defaults). */
struct fsroot_device {
	const char *path; /* absolute, under /dev */
	char type;        /* 'c', 'b', 'u' or 'p' */
	int64_t major;
	int64_t minor;
	bool has_mode;
	mode_t mode; /* permission bits */
	bool has_uid;
	uid_t uid;
	bool has_gid;
	gid_t gid;
};

struct fsroot_config {
	const char *rootfs;        /* absolute host path of root.path */
	bool readonly;             /* root.readonly */
	unsigned long propagation; /* rootfsPropagation; 0 means MS_SLAVE|MS_REC */
	const struct fsroot_mount *mounts;
	size_t n_mounts;
	const struct fsroot_device *devices; /* linux.devices, added to the defaults */
	size_t n_devices;
	const char *const *masked_paths;   /* NULL-terminated, may be NULL */
	const char *const *readonly_paths; /* NULL-terminated, may be NULL */
	bool in_user_ns;                   /* mknod is refused: bind device nodes instead */
	bool new_pid_ns;                   /* the container has its own pid namespace */
	bool new_net_ns;                   /* the container has its own network namespace */
	const char *mount_label;           /* SELinux mount label, may be NULL */
	bool no_pivot;                     /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
};

/* In the container's mount namespace, before pivot: everything up to and
 * including pivot_root (or the MS_MOVE + chroot fallback when the current
 * root is an initramfs).  On return the cwd and root are the new root. */
int fsroot_setup(const struct fsroot_config *cfg, struct kerr *err);

/* After pivot and sysctls: readonlyPaths, maskedPaths, root.readonly. */
int fsroot_finish(const struct fsroot_config *cfg, struct kerr *err);

/* After pivot_root, before root.readonly: make process.cwd (mkdir -p,
 * resolved inside the new root) when it is missing, as runc does. */
int fsroot_make_cwd(const char *cwd, struct kerr *err);

/* Open path inside the root dirfd without ever leaving it
 * (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS). */
int fsroot_open_in_root(int rootfd, const char *path, int flags, mode_t mode, struct kerr *err);

/* ---- tenant roots (rootkind.c, overlay.c, loop.c, sparse.c) ----
 *
 * A root that kura builds instead of taking root.path as it is: an overlay
 * over shared read-only lower directories, a filesystem image on a loop
 * device, or a sparse root that inherits host directories read-only.
 * fsroot_root_mount() runs in the init's new mount namespace before
 * fsroot_setup() and mounts the root onto root.path there, so every mount
 * and the autoclear loop device go away with the namespace.  Only the
 * overlay's upper and work directories live on (under the state dir, or
 * in a kept directory). */

enum fsroot_root_type {
	FSROOT_ROOT_DIR,     /* root.path as it is */
	FSROOT_ROOT_OVERLAY, /* lower dirs + private upper/work */
	FSROOT_ROOT_LOOP,    /* ext4, squashfs or erofs image on a loop device */
	FSROOT_ROOT_SPARSE,  /* host dirs bound read-only, the rest a private tmpfs */
};

struct fsroot_root {
	enum fsroot_root_type type;
	const char *target; /* root.path: absolute, an existing directory, the mount point */
	uint64_t size;      /* bytes; caps the writable layer (tmpfs size=); 0 = no cap */
	/* overlay */
	const char *const *lower; /* NULL-terminated, topmost first, absolute dirs */
	const char *upper_dir;    /* holds upper/ and work/ (created if missing; its
	                             parent must exist); with size, unused: upper/work
	                             are on a private tmpfs.  fsroot_root_check()
	                             accepts NULL (the caller fills it in later) */
	bool volatile_upper;      /* overlay "volatile": no syncs */
	/* loop */
	const char *image;  /* absolute path of the image file */
	const char *fstype; /* "ext4", "squashfs" or "erofs"; NULL: detected */
	bool readonly;      /* attach and mount read-only (forced for squashfs, erofs) */
	/* sparse */
	const char *const *inherit; /* NULL-terminated absolute host dirs; NULL: defaults */
	const char *hostname;       /* for /etc/hostname and /etc/hosts; NULL: "localhost" */
	/* set by fsroot_root_premount(): the detached mount to attach */
	bool premounted;
	int mntfd;
};

/* "overlay" -> FSROOT_ROOT_OVERLAY...; -1 if unknown.  And back. */
int fsroot_root_type_from_name(const char *name);
const char *fsroot_root_type_name(enum fsroot_root_type type);

/* The host directories a sparse root inherits by default (NULL-terminated):
 * /usr /lib /lib64 /bin /sbin, those that exist. */
extern const char *const fsroot_sparse_default_inherit[];

/* The filesystem of an image from its superblock: "ext4" (ext2/3/4),
 * "squashfs" or "erofs".  EINVAL (with a message naming the image) when it
 * is none of these. */
int fsroot_image_detect(const char *image, const char **ret_fstype, struct kerr *err);

/* Whether a filesystem type can only be mounted read-only. */
bool fsroot_fstype_readonly(const char *fstype);

/* Check what the root needs from the host before anything is created:
 * root.path and the directories exist, the image is a filesystem of the
 * given type and is not attached read-write (nor attached at all when it
 * is to be attached read-write).  On failure *ret_field names the field
 * at fault ("lower", "upper", "image", "fstype", "inherit", "size" or
 * "path"), the message names the path, and the caller adds its own name
 * for the field (an annotation, a tenant JSON key).  For a loop root,
 * fills in root->fstype when it was NULL (a static string) and sets
 * root->readonly for a read-only filesystem. */
int fsroot_root_check(struct fsroot_root *root, const char **ret_field, struct kerr *err);

/* In the runtime, before the init is cloned (and put in a device cgroup
 * that would refuse /dev/loop-control and the loop device): for a loop
 * root, attach the image and mount it detached (root->mntfd, inherited
 * by the init, which attaches it onto root.path).  The device detaches
 * when that mount goes: with the init's mount namespace, or at once if
 * the runtime dies first.  A no-op for the other types.  The caller
 * closes root->mntfd once the init has it. */
int fsroot_root_premount(struct fsroot_root *root, struct kerr *err);

/* In the container's mount namespace, before fsroot_setup(): make `/` a
 * slave (so nothing reaches the host), then mount the root onto
 * root->target.  A no-op for FSROOT_ROOT_DIR. */
int fsroot_root_mount(const struct fsroot_root *root, struct kerr *err);

/* Attach image to a free loop device (LOOP_CTL_GET_FREE + LOOP_CONFIGURE,
 * autoclear, read-only if asked, direct I/O when the backing file takes
 * it).  Refuses an image that is attached read-write, or any attached
 * image when asked read-write.  Returns an fd of the loop device (the
 * device detaches when the last fd and mount are gone) and its number. */
int fsroot_loop_attach(const char *image, bool readonly, int *ret_fd, int *ret_index,
                       struct kerr *err);

#endif
