/* Linux security modules: process.apparmorProfile and
 * process.selinuxLabel.  The label is written to /proc/self/attr/... of a
 * private procfs instance that kura mounts itself (fsopen("proc"), never
 * attached to any path), so a container image cannot redirect the write
 * with a fake or shared /proc (CVE-2019-16884, CVE-2025-52881). */
#ifndef KURA_RUNTIME_LSM_H
#define KURA_RUNTIME_LSM_H

#include <stdbool.h>

#include "../common/err.h"
#include "spec.h"

bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* In the runtime: a clear error if the config asks for an LSM the host
 * does not have. */
int lsm_validate(const struct oci_process *proc, struct kerr *err);

/* In the init, while still privileged and before pivot_root: open a
 * private procfs handle.  Returns -1 in *ret_fd if no label is wanted. */
int lsm_open_proc(const struct oci_process *proc, int *ret_fd, struct kerr *err);

/* Right before the identity switch: set the label the next execve() gets. */
int lsm_set_exec_label(int procfd, const struct oci_process *proc, struct kerr *err);

#endif
