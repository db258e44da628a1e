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
	const char *source;	 /* may be NULL (e.g. tmpfs) */
	const char *type;	 /* may be NULL for bind mounts */
	char *data;		 /* filesystem options joined with ',', owned, may be NULL */
	unsigned long flags;	 /* MS_* to set (MS_RDONLY, MS_NOSUID, ...) */
	unsigned long clear;	 /* MS_* explicitly cleared ("rw", "suid", ...) */
	uint64_t rec_attr_set;	 /* MOUNT_ATTR_* from recursive r* options */
	uint64_t rec_attr_clr;
	unsigned long propagation; /* MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE [|MS_REC] */
	bool bind;		   /* "bind" or "rbind", or type "bind" */
	bool recursive;		   /* "rbind" */
	bool idmap;		   /* "idmap"/"ridmap": not supported yet, refused */
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
	char type;	  /* 'c', 'b', 'u' or 'p' */
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
	const char *rootfs; /* absolute host path of root.path */
	bool readonly;	    /* root.readonly */
	unsigned long propagation; /* rootfsPropagation; 0 means MS_SLAVE|MS_REC */
	const struct fsroot_mount *mounts;
	size_t n_mounts;
	const struct fsroot_device *devices; /* linux.devices, added to the defaults */
	size_t n_devices;
	const char *const *masked_paths; /* NULL-terminated, may be NULL */
	const char *const *readonly_paths; /* NULL-terminated, may be NULL */
	bool in_user_ns;		   /* mknod is refused: bind device nodes instead */
	bool new_pid_ns;		   /* the container has its own pid namespace */
	bool new_net_ns;		   /* the container has its own network namespace */
	const char *mount_label;	   /* SELinux mount label, may be NULL */
	bool no_pivot; /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
};

/* In the container's mount namespace, before pivot: everything up to and
 * including pivot_root (or the MS_MOVE + chroot fallback when the current
 * root is an initramfs).  On return the cwd and root are the new root. */
int fsroot_setup(const struct fsroot_config *cfg, struct kerr *err);

/* After pivot and sysctls: readonlyPaths, maskedPaths, root.readonly. */
int fsroot_finish(const struct fsroot_config *cfg, struct kerr *err);

/* Open path inside the root dirfd without ever leaving it
 * (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS). */
int fsroot_open_in_root(int rootfd, const char *path, int flags, mode_t mode, struct kerr *err);

#endif
