/* run.kura.root.* annotations -> struct fsroot_root, checked before the
 * init exists.  Every error names the annotation at fault. */
#include "rootopts.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

/* Which root types each annotation applies to (bit per type). */
#define T(type) (1u << (type))
#define ANY     (T(FSROOT_ROOT_OVERLAY) | T(FSROOT_ROOT_LOOP) | T(FSROOT_ROOT_SPARSE))

const struct rootopts_annotation rootopts_annotations[] = {
    {ROOTOPTS_PREFIX "type", "dir|overlay|loop|sparse"},
    {ROOTOPTS_PREFIX "lower", "overlay: colon-separated lower directories, topmost first"},
    {ROOTOPTS_PREFIX "upper", "overlay: directory keeping upper/ and work/ across runs"},
    {ROOTOPTS_PREFIX "volatile", "overlay: true|false (default: true for a private upper)"},
    {ROOTOPTS_PREFIX "image", "loop: ext4, squashfs or erofs image file"},
    {ROOTOPTS_PREFIX "fstype", "loop: ext4|ext3|ext2|squashfs|erofs (default: detected)"},
    {ROOTOPTS_PREFIX "readonly", "loop: true|false"},
    {ROOTOPTS_PREFIX "inherit", "sparse: colon-separated host directories bound read-only"},
    {ROOTOPTS_PREFIX "size", "overlay, sparse: cap of the writable layer (bytes, k, m, g, t)"},
    {NULL, NULL},
};

static const unsigned applies_to[] = {
    ANY,                                            /* type */
    T(FSROOT_ROOT_OVERLAY),                         /* lower */
    T(FSROOT_ROOT_OVERLAY),                         /* upper */
    T(FSROOT_ROOT_OVERLAY),                         /* volatile */
    T(FSROOT_ROOT_LOOP),                            /* image */
    T(FSROOT_ROOT_LOOP),                            /* fstype */
    T(FSROOT_ROOT_LOOP),                            /* readonly */
    T(FSROOT_ROOT_SPARSE),                          /* inherit */
    T(FSROOT_ROOT_OVERLAY) | T(FSROOT_ROOT_SPARSE), /* size */
};

int rootopts_parse_size(const char *s, uint64_t *ret)
{
	_cleanup_free_ char *num = xstrdup(s);
	size_t len = strlen(num);
	unsigned shift = 0;
	uint64_t v;

	if (len > 1) {
		switch (num[len - 1]) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		case 't':
		case 'T':
			shift = 40;
			break;
		default:
			break;
		}
		if (shift)
			num[len - 1] = '\0';
	}
	if (parse_u64(num, &v) < 0 || v == 0 || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*ret = v << shift;
	return 0;
}

static int parse_bool(const char *key, const char *value, bool *ret, struct kerr *err)
{
	if (strcmp(value, "true") == 0)
		*ret = true;
	else if (strcmp(value, "false") == 0)
		*ret = false;
	else
		return kerr_setx(err, EINVAL, "%s: \"%s\" is not true or false", key, value);
	return 0;
}

/* "a:b:c" -> {"a", "b", "c", NULL}; every entry an absolute path. */
static int parse_dirs(const char *key, const char *value, char ***ret, struct kerr *err)
{
	_cleanup_free_ char *copy = xstrdup(value);
	_cleanup_strv_ char **v = xcalloc(1, sizeof(char *));
	size_t n = 0;
	char *save = NULL;

	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (p[0] != '/')
			return kerr_setx(err, EINVAL, "%s: `%s`: an absolute path is needed", key,
			                 p);
		v = xrealloc(v, (n + 2) * sizeof(char *));
		v[n++] = xstrdup(p);
		v[n] = NULL;
	}
	if (n == 0)
		return kerr_setx(err, EINVAL, "%s: no directory given", key);
	*ret = steal_ptr(v);
	return 0;
}

static int known_index(const char *key)
{
	for (size_t i = 0; rootopts_annotations[i].key; i++)
		if (strcmp(key, rootopts_annotations[i].key) == 0)
			return (int)i;
	return -1;
}

/* Unknown keys, and keys that do not apply to the type. */
static int check_keys(const struct oci_spec *spec, int type, const char *type_name,
                      struct kerr *err)
{
	for (size_t i = 0; i < spec->n_annotations; i++) {
		const char *key = spec->annotations[i].key;
		int k;

		if (!str_has_prefix(key, ROOTOPTS_PREFIX))
			continue;
		k = known_index(key);
		if (k < 0)
			return kerr_setx(err, EINVAL, "%s: unknown annotation", key);
		if (k == 0)
			continue;
		if (type == FSROOT_ROOT_DIR)
			return kerr_setx(err, EINVAL, "%s: needs " ROOTOPTS_PREFIX "type", key);
		if (!(applies_to[k] & T(type)))
			return kerr_setx(err, EINVAL, "%s: not used by a root of type %s", key,
			                 type_name);
	}
	return 0;
}

static int parse_annotations(const struct oci_spec *spec, struct rootopts *o, struct kerr *err)
{
	const char *type = spec_annotation(spec, ROOTOPTS_PREFIX "type");
	const char *v;
	int t = FSROOT_ROOT_DIR;

	if (type) {
		t = fsroot_root_type_from_name(type);
		if (t < 0)
			return kerr_setx(err, EINVAL,
			                 ROOTOPTS_PREFIX "type: unknown root type \"%s\" (dir, "
			                                 "overlay, loop or sparse)",
			                 type);
	}
	if (check_keys(spec, t, type, err) < 0)
		return kerr_code(err);
	if (t != FSROOT_ROOT_DIR) {
		const struct oci_namespace *mntns = spec_namespace(spec, CLONE_NEWNS);

		/* The root is mounted in the container's own mount namespace
		 * and goes away with it. */
		if (!mntns || mntns->path)
			return kerr_setx(
			    err, EINVAL,
			    ROOTOPTS_PREFIX "type: a %s root needs a new mount namespace", type);
	}
	o->root.type = (enum fsroot_root_type)t;
	o->root.target = spec->root_path;
	o->root.hostname = spec->hostname;

	if ((v = spec_annotation(spec, ROOTOPTS_PREFIX "size")) &&
	    rootopts_parse_size(v, &o->root.size) < 0)
		return kerr_setx(err, EINVAL,
		                 ROOTOPTS_PREFIX "size: \"%s\" is not a size (bytes, or a number "
		                                 "with k, m, g or t)",
		                 v);
	switch (o->root.type) {
	case FSROOT_ROOT_OVERLAY:
		v = spec_annotation(spec, ROOTOPTS_PREFIX "lower");
		if (!v)
			return kerr_setx(err, EINVAL,
			                 ROOTOPTS_PREFIX "lower: required by an overlay root");
		if (parse_dirs(ROOTOPTS_PREFIX "lower", v, &o->lower, err) < 0)
			return kerr_code(err);
		o->root.lower = (const char *const *)o->lower;
		if ((v = spec_annotation(spec, ROOTOPTS_PREFIX "upper"))) {
			if (v[0] != '/')
				return kerr_setx(err, EINVAL,
				                 ROOTOPTS_PREFIX "upper: `%s`: an absolute path is "
				                                 "needed",
				                 v);
			if (o->root.size)
				return kerr_setx(err, EINVAL,
				                 ROOTOPTS_PREFIX
				                 "size: a size-capped upper layer is "
				                 "private and cannot be kept in "
				                 "`%s`",
				                 v);
			o->upper_dir = xstrdup(v);
			o->keep_upper = true;
		}
		o->root.upper_dir = o->upper_dir;
		if ((v = spec_annotation(spec, ROOTOPTS_PREFIX "volatile")) &&
		    parse_bool(ROOTOPTS_PREFIX "volatile", v, &o->root.volatile_upper, err) < 0)
			return kerr_code(err);
		break;
	case FSROOT_ROOT_LOOP:
		/* Loop devices and block filesystems need the initial user
		 * namespace's CAP_SYS_ADMIN, which the init lacks in its own. */
		if (spec_namespace(spec, CLONE_NEWUSER))
			return kerr_setx(err, EINVAL,
			                 ROOTOPTS_PREFIX "type: a loop root cannot be mounted in a "
			                                 "user namespace");
		o->root.image = spec_annotation(spec, ROOTOPTS_PREFIX "image");
		if (!o->root.image)
			return kerr_setx(err, EINVAL,
			                 ROOTOPTS_PREFIX "image: required by a loop root");
		if ((v = spec_annotation(spec, ROOTOPTS_PREFIX "fstype"))) {
			static const char *const types[] = {"ext4", "ext3", "ext2", "squashfs",
			                                    "erofs"};
			bool ok = false;

			for (size_t i = 0; i < ARRAY_SIZE(types); i++)
				ok = ok || strcmp(v, types[i]) == 0;
			if (!ok)
				return kerr_setx(err, EINVAL,
				                 ROOTOPTS_PREFIX
				                 "fstype: \"%s\" is not ext4, ext3, "
				                 "ext2, squashfs or erofs",
				                 v);
			o->root.fstype = v;
		}
		if ((v = spec_annotation(spec, ROOTOPTS_PREFIX "readonly")) &&
		    parse_bool(ROOTOPTS_PREFIX "readonly", v, &o->root.readonly, err) < 0)
			return kerr_code(err);
		break;
	case FSROOT_ROOT_SPARSE:
		if ((v = spec_annotation(spec, ROOTOPTS_PREFIX "inherit"))) {
			if (parse_dirs(ROOTOPTS_PREFIX "inherit", v, &o->inherit, err) < 0)
				return kerr_code(err);
			o->root.inherit = (const char *const *)o->inherit;
		}
		break;
	case FSROOT_ROOT_DIR:
		break;
	}
	return 0;
}

int rootopts_from_spec(const struct oci_spec *spec, const char *state_dir, struct rootopts *ret,
                       struct kerr *err)
{
	struct rootopts o = {0};
	const char *field = NULL;

	if (parse_annotations(spec, &o, err) < 0 || fsroot_root_check(&o.root, &field, err) < 0) {
		if (field)
			kerr_wrap(err, "%s%s",
			          strcmp(field, "path") == 0 ? "root." : ROOTOPTS_PREFIX, field);
		rootopts_free(&o);
		return kerr_code(err);
	}
	if (o.root.type == FSROOT_ROOT_OVERLAY && !o.upper_dir && !o.root.size) {
		char cwd[4096];

		if (state_dir[0] == '/')
			o.upper_dir = xasprintf("%s/overlay", state_dir);
		else if (getcwd(cwd, sizeof(cwd)))
			o.upper_dir = xasprintf("%s/%s/overlay", cwd, state_dir);
		else
			o.upper_dir = xasprintf("%s/overlay", state_dir);
		o.root.upper_dir = o.upper_dir;
		/* A private upper goes with the container: syncing it buys
		 * nothing, and an overlay that is not volatile syncs the whole
		 * host filesystem holding it when it is unmounted (300 ms of
		 * `delete` with 1 GiB of other dirty data, 18 ms volatile). */
		if (!spec_annotation(spec, ROOTOPTS_PREFIX "volatile"))
			o.root.volatile_upper = true;
	}
	*ret = o;
	return 0;
}

/* The host id that container id 0 maps to; 0 without a map. */
static uint32_t host_root(const struct oci_id_map *map, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].container_id == 0 && map[i].size > 0)
			return map[i].host_id;
	return 0;
}

/* mkdir, and chown what was made; an existing directory is left as is. */
static int make_dir(int dirfd, const char *name, const char *what, mode_t mode, uid_t uid,
                    gid_t gid, struct kerr *err)
{
	if (mkdirat(dirfd, name, mode) < 0) {
		if (errno == EEXIST)
			return 0;
		return kerr_set(err, errno, "create `%s`", what);
	}
	if ((uid || gid) && fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return kerr_set(err, errno, "chown `%s`", what);
	return 0;
}

int rootopts_prepare(const struct rootopts *o, const struct oci_spec *spec, struct kerr *err)
{
	const char *dir = o->root.upper_dir;
	_cleanup_free_ char *upper = NULL, *work = NULL;
	_cleanup_close_ int fd = -1;
	uid_t uid = 0;
	gid_t gid = 0;

	if (o->root.type != FSROOT_ROOT_OVERLAY || o->root.size || !dir)
		return 0;
	if (spec_namespace(spec, CLONE_NEWUSER)) {
		uid = host_root(spec->linux.uid_mappings, spec->linux.n_uid_mappings);
		gid = host_root(spec->linux.gid_mappings, spec->linux.n_gid_mappings);
	}
	upper = xasprintf("%s/upper", dir);
	work = xasprintf("%s/work", dir);
	if (make_dir(AT_FDCWD, dir, dir, 0700, uid, gid, err) < 0)
		goto fail;
	fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		kerr_set(err, errno, "open `%s`", dir);
		goto fail;
	}
	if (make_dir(fd, "upper", upper, 0755, uid, gid, err) < 0 ||
	    make_dir(fd, "work", work, 0700, uid, gid, err) < 0)
		goto fail;
	return 0;
fail:
	return kerr_wrap(err, ROOTOPTS_PREFIX "upper");
}

void rootopts_free(struct rootopts *o)
{
	if (!o)
		return;
	strv_free(o->lower);
	strv_free(o->inherit);
	free(o->upper_dir);
	if (o->root.premounted)
		close(o->root.mntfd);
	memset(o, 0, sizeof(*o));
}
