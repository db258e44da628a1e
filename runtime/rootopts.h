/* The tenant root of an OCI bundle, chosen by annotations under
 * `run.kura.root.` (see docs/roots.md): parsed and checked in the runtime
 * before the init is cloned, so that bad input is one error naming the
 * annotation and leaves nothing behind; mounted by the init with
 * fsroot_root_mount() before fsroot_setup(). */
#ifndef KURA_RUNTIME_ROOTOPTS_H
#define KURA_RUNTIME_ROOTOPTS_H

#include "../common/err.h"
#include "../fs/fsroot.h"
#include "spec.h"

#define ROOTOPTS_PREFIX "run.kura.root."

struct rootopts {
	struct fsroot_root root; /* points into the fields below and the spec */
	char **lower;            /* NULL-terminated, owned */
	char **inherit;          /* NULL-terminated, owned; NULL = defaults */
	char *upper_dir;         /* owned */
	bool keep_upper;         /* run.kura.root.upper: not removed on delete */
};

/* One annotation kura understands and the values it takes, for
 * `kura features`; the array ends with a NULL key. */
struct rootopts_annotation {
	const char *key;
	const char *values;
};
extern const struct rootopts_annotation rootopts_annotations[];

/* Read the run.kura.root.* annotations of spec and check them against the
 * host.  state_dir is the container's state directory (it need not exist
 * yet; a relative one is taken from the cwd): a private overlay upper
 * goes to STATE_DIR/overlay and is removed with it.  A root type other
 * than "dir" needs a new mount namespace.  Without annotations ret->root.type is FSROOT_ROOT_DIR.
 * On failure err names the annotation: "run.kura.root.lower: `/x`: No such file or directory", and
 * *ret is untouched. */
int rootopts_from_spec(const struct oci_spec *spec, const char *state_dir, struct rootopts *ret,
                       struct kerr *err);

/* In the runtime, once the state directory exists and before the init
 * is cloned: create the overlay's upper directory with upper/ and work/
 * in it, owned by the container's root (the host ids that uid and gid 0
 * map to), so that an init in a user namespace can use them.  A no-op for
 * the other types and for a size-capped overlay (its upper is a tmpfs). */
int rootopts_prepare(const struct rootopts *o, const struct oci_spec *spec, struct kerr *err);

void rootopts_free(struct rootopts *o);
#define _cleanup_rootopts_ __attribute__((cleanup(rootopts_free)))

/* Parse a size: bytes, or a number with k, m, g or t (powers of 1024). */
int rootopts_parse_size(const char *s, uint64_t *ret);

#endif
