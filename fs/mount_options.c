/* The OCI mount options of one mount: the runc/crun option table that
 * turns "nosuid", "rro", "rslave", "bind"... into MS_* flags to set or
 * clear, MOUNT_ATTR_* for recursive mount_setattr(2), a propagation, and
 * the rest into the filesystem data string. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "../common/cleanup.h"
#include "../common/util.h"
#include "fsroot.h"

enum opt_kind {
	OPT_NOP,       /* accepted, nothing to do */
	OPT_SET,       /* flags |= value */
	OPT_CLEAR,     /* clear |= value */
	OPT_REC_SET,   /* rec_attr_set |= value */
	OPT_REC_CLR,   /* rec_attr_clr |= value */
	OPT_REC_ATIME, /* the atime mode: set value, clear MOUNT_ATTR__ATIME */
	OPT_PROPAGATION,
	OPT_BIND,
	OPT_RBIND,
	OPT_IDMAP,
};

struct mount_option {
	const char *name;
	enum opt_kind kind;
	unsigned long value;
};

static const struct mount_option options_table[] = {
    {"defaults", OPT_NOP, 0},
    /* tmpcopyup (copy the directory's contents into a new tmpfs) is a crun
     * extension that podman may pass; accepted and not applied. */
    {"tmpcopyup", OPT_NOP, 0},
    {"ro", OPT_SET, MS_RDONLY},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"nodev", OPT_SET, MS_NODEV},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"remount", OPT_SET, MS_REMOUNT},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"noatime", OPT_SET, MS_NOATIME},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"relatime", OPT_SET, MS_RELATIME},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"strictatime", OPT_SET, MS_STRICTATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"lazytime", OPT_SET, MS_LAZYTIME},
    {"nolazytime", OPT_CLEAR, MS_LAZYTIME},
    {"silent", OPT_SET, MS_SILENT},
    {"loud", OPT_CLEAR, MS_SILENT},
    {"acl", OPT_SET, MS_POSIXACL},
    {"noacl", OPT_CLEAR, MS_POSIXACL},
    {"iversion", OPT_SET, MS_I_VERSION},
    {"noiversion", OPT_CLEAR, MS_I_VERSION},
    {"nosymfollow", OPT_SET, MS_NOSYMFOLLOW},
    {"symfollow", OPT_CLEAR, MS_NOSYMFOLLOW},
    {"bind", OPT_BIND, 0},
    {"rbind", OPT_RBIND, 0},
    {"private", OPT_PROPAGATION, MS_PRIVATE},
    {"rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC},
    {"shared", OPT_PROPAGATION, MS_SHARED},
    {"rshared", OPT_PROPAGATION, MS_SHARED | MS_REC},
    {"slave", OPT_PROPAGATION, MS_SLAVE},
    {"rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC},
    {"unbindable", OPT_PROPAGATION, MS_UNBINDABLE},
    {"runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC},
    {"rro", OPT_REC_SET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_REC_CLR, MOUNT_ATTR_RDONLY},
    {"rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID},
    {"rsuid", OPT_REC_CLR, MOUNT_ATTR_NOSUID},
    {"rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV},
    {"rdev", OPT_REC_CLR, MOUNT_ATTR_NODEV},
    {"rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC},
    {"rexec", OPT_REC_CLR, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", OPT_REC_CLR, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", OPT_REC_CLR, MOUNT_ATTR_NOSYMFOLLOW},
    /* mount_setattr(2) changes the atime mode only when attr_clr holds all
     * of MOUNT_ATTR__ATIME, so each of these selects a whole mode: the
     * "no" forms fall back to the kernel default (relatime), except
     * norelatime, which asks for every access to be recorded. */
    {"rnoatime", OPT_REC_ATIME, MOUNT_ATTR_NOATIME},
    {"ratime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rrelatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rnorelatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME},
    {"rstrictatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"idmap", OPT_IDMAP, 0},
    {"ridmap", OPT_IDMAP, 0},
};

/* The kernel copies at most one page of mount data. */
#define MOUNT_DATA_MAX 4095

static const struct mount_option *find_option(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(options_table); i++)
		if (strcmp(options_table[i].name, name) == 0)
			return &options_table[i];
	return NULL;
}

int fsroot_parse_propagation(const char *name, unsigned long *ret)
{
	const struct mount_option *o = name ? find_option(name) : NULL;

	if (!o || o->kind != OPT_PROPAGATION)
		return -EINVAL;
	*ret = o->value;
	return 0;
}

int fsroot_parse_mount_options(const char *const *options, size_t n, struct fsroot_mount *m,
                               struct kerr *err)
{
	_cleanup_free_ char *data = NULL;
	size_t data_len = 0;
	unsigned long flags = 0, clear = 0, propagation = 0;
	uint64_t rec_set = 0, rec_clr = 0;
	bool bind = m->type && strcmp(m->type, "bind") == 0, recursive = false, idmap = false;

	for (size_t i = 0; i < n; i++) {
		const char *name = options[i];
		const struct mount_option *o;

		if (!name || !*name)
			return kerr_setx(err, EINVAL, "options[%zu]: empty mount option", i);
		/* x-* / X-* are notes for userspace tools (mount(8), systemd). */
		if ((name[0] == 'x' || name[0] == 'X') && name[1] == '-')
			continue;
		o = find_option(name);
		if (!o) {
			size_t len = strlen(name);

			if (data_len + (data_len ? 1 : 0) + len > MOUNT_DATA_MAX)
				return kerr_setx(err, E2BIG,
				                 "options[%zu]: filesystem options longer than %d "
				                 "bytes",
				                 i, MOUNT_DATA_MAX);
			data = xrealloc(data, data_len + len + 2);
			if (data_len)
				data[data_len++] = ',';
			memcpy(data + data_len, name, len + 1);
			data_len += len;
			continue;
		}
		/* A later option overrides an earlier one ("ro" then "rw"). */
		switch (o->kind) {
		case OPT_NOP:
			break;
		case OPT_SET:
			flags |= o->value;
			clear &= ~o->value;
			break;
		case OPT_CLEAR:
			clear |= o->value;
			flags &= ~o->value;
			break;
		case OPT_REC_SET:
			rec_set |= o->value;
			rec_clr &= ~(uint64_t)o->value;
			break;
		case OPT_REC_CLR:
			rec_clr |= o->value;
			rec_set &= ~(uint64_t)o->value;
			break;
		case OPT_REC_ATIME:
			rec_set = (rec_set & ~(uint64_t)MOUNT_ATTR__ATIME) | o->value;
			rec_clr |= MOUNT_ATTR__ATIME;
			break;
		case OPT_PROPAGATION:
			propagation = o->value;
			break;
		case OPT_BIND:
			bind = true;
			break;
		case OPT_RBIND:
			bind = true;
			recursive = true;
			break;
		case OPT_IDMAP:
			idmap = true;
			break;
		}
	}
	/* m->data is not freed here: m may come straight from the stack. */
	m->data = steal_ptr(data);
	m->flags = flags;
	m->clear = clear;
	m->rec_attr_set = rec_set;
	m->rec_attr_clr = rec_clr;
	m->propagation = propagation;
	m->bind = bind;
	m->recursive = recursive;
	m->idmap = idmap;
	return 0;
}
