/* Foreground waiting with signal forwarding: see forward.h. */
#include "forward.h"

#include <errno.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/syscalls.h"

/* Signals passed on to the container instead of acting on kura itself. */
static void forward_set(sigset_t *set)
{
	static const int keep[] = {SIGCHLD, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS,  SIGFPE,
	                           SIGILL,  SIGTRAP, SIGSYS,  SIGURG,  SIGWINCH};

	sigfillset(set);
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		sigdelset(set, keep[i]);
}

int forward_begin(sigset_t *ret_old)
{
	sigset_t set;

	forward_set(&set);
	sigprocmask(SIG_BLOCK, &set, ret_old);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int forward_wait(int pidfd, int sfd, const sigset_t *old, int *ret_status)
{
	siginfo_t info = {0};
	int r = 0;

	for (;;) {
		struct pollfd pfd[2] = {{.fd = pidfd, .events = POLLIN},
		                        {.fd = sfd, .events = POLLIN}};
		struct signalfd_siginfo si;

		if (poll(pfd, sfd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (pfd[0].revents & POLLIN)
			break;
		while (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si))
			sys_pidfd_send_signal(pidfd, (int)si.ssi_signo, NULL, 0);
	}
	*ret_status = 0;
	while (waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED) < 0) {
		if (errno == EINTR)
			continue;
		/* Not our child: we only know that it ended. */
		r = -errno;
		break;
	}
	if (r == 0)
		*ret_status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
	if (old)
		sigprocmask(SIG_SETMASK, old, NULL);
	return r;
}
