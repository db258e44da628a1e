/* linux.sysctl: only keys that belong to a namespace the container owns
 * are accepted (as runc does); they are written after pivot_root through
 * a private procfs instance, or else a /proc checked to be the root of a
 * procfs mount (CVE-2019-16884, CVE-2025-52881). */
#ifndef KURA_RUNTIME_SYSCTL_H
#define KURA_RUNTIME_SYSCTL_H

#include "../common/err.h"
#include "spec.h"

/* In the runtime, before anything is created: refuse keys that are not
 * namespaced, or whose namespace the container shares with the host. */
int sysctl_validate(const struct oci_spec *spec, struct kerr *err);

/* In the init, after pivot_root: write every key under sys/ of that procfs. */
int sysctl_apply(const struct oci_spec *spec, struct kerr *err);

#endif
