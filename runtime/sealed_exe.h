/* CVE-2019-5736: a container process must never reach the runtime's
 * binary on the host through /proc/PID/exe.  Before kura creates or enters
 * a container it re-executes itself from a sealed memfd copy, so the exe
 * link of every kura process inside a container points at an anonymous,
 * write-sealed file: reopening it for writing fails with EPERM. */
#ifndef KURA_RUNTIME_SEALED_EXE_H
#define KURA_RUNTIME_SEALED_EXE_H

#include "../common/err.h"

/* Return 0 if already running from a sealed copy; otherwise copy, seal
 * and fexecve() (does not return on success). */
int sealed_exe_ensure(char **argv, char **envp, struct kerr *err);

#endif
