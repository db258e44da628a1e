/* `run` in the foreground with process.terminal and no --console-socket:
 * kura itself receives the pty master from the init (over an internal
 * socketpair) and relays between its own stdio and the container. */
#ifndef KURA_RUNTIME_TTY_H
#define KURA_RUNTIME_TTY_H

#include <signal.h>

#include "../common/err.h"

/* Receive the master fd sent with SCM_RIGHTS on sock. */
int tty_recv_master(int sock, int *ret_master, struct kerr *err);

/* Relay stdin -> master and master -> stdout until the process behind
 * pidfd ends; stdin is put in raw mode while relaying (if it is a
 * terminal) and the window size follows SIGWINCH.  Other signals are
 * forwarded.  Returns the exit status as forward_wait() does. */
int tty_relay_wait(int master, int pidfd, int *ret_status);

#endif
