/* process.terminal: a pseudo-terminal made inside the container's own
 * devpts, its master handed to the caller over --console-socket. */
#ifndef KURA_RUNTIME_CONSOLE_H
#define KURA_RUNTIME_CONSOLE_H

#include <stdbool.h>

#include "../common/err.h"
#include "spec.h"

/* In the runtime: connect to the unix socket the caller gave us. */
int console_socket_connect(const char *path, int *ret_fd, struct kerr *err);

/* In the init, after pivot_root: open the ptmx of the devpts verified to
 * be mounted at /dev/pts (never a /dev/ptmx the image may have swapped), take the peer with
 * TIOCGPTPEER (no path lookup), make it the controlling terminal and fds
 * 0-2, bind it over /dev/console (for the init, not for exec), send the
 * master over socket_fd. */
int console_setup_in_init(int socket_fd, const struct oci_process *proc, bool bind_console,
                          struct kerr *err);

/* Send one fd with SCM_RIGHTS and a name as payload. */
int console_send_fd(int socket_fd, int fd, const char *name, struct kerr *err);

#endif
