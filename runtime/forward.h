/* Foreground waiting: `run` and `exec` without --detach stay until their
 * process ends, passing the signals they receive on to it. */
#ifndef KURA_RUNTIME_FORWARD_H
#define KURA_RUNTIME_FORWARD_H

#include <signal.h>

/* Block the forwarded signals and return a signalfd for them (-1 on
 * failure); the previous mask goes to *ret_old. */
int forward_begin(sigset_t *ret_old);

/* Wait for the process behind pidfd (a child of ours) to end, forwarding
 * every signal read from sfd; then restore the mask.  The exit status,
 * or 128+N for signal N, goes to *ret_status. */
int forward_wait(int pidfd, int sfd, const sigset_t *old, int *ret_status);

#endif
