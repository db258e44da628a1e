/* linux.sysctl: only keys that belong to a namespace the container owns
 * are accepted (as runc does); they are written through the container's
 * own procfs after pivot_root. */
#ifndef KURA_RUNTIME_SYSCTL_H
#define KURA_RUNTIME_SYSCTL_H

#include "../common/err.h"
#include "spec.h"

/* In the runtime, before anything is created: refuse keys that are not
 * namespaced, or whose namespace the container shares with the host. */
int sysctl_validate(const struct oci_spec *spec, struct kerr *err);

/* In the init, after pivot_root: write every key under /proc/sys. */
int sysctl_apply(const struct oci_spec *spec, struct kerr *err);

#endif
