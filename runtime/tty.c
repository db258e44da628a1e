/* Relaying a container's terminal for a foreground `run`: see tty.h. */
#include "tty.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "../common/syscalls.h"
#include "../common/util.h"
#include "forward.h"

int tty_recv_master(int sock, int *ret_master, struct kerr *err)
{
	char name[256], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = name, .iov_len = sizeof(name)};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	unsigned ptn;
	int fd;

	while (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) < 0)
		if (errno != EINTR)
			return kerr_set(err, errno, "receive the container's terminal");
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return kerr_setx(err, EPROTO, "receive the container's terminal: no fd");
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	/* One fd, and a pty master: nothing else is relayed to our terminal. */
	if ((msg.msg_flags & MSG_CTRUNC) || ioctl(fd, TIOCGPTN, &ptn) < 0) {
		close(fd);
		return kerr_setx(err, EPROTO, "receive the container's terminal: not a pty master");
	}
	*ret_master = fd;
	return 0;
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Move what is readable on from to to; false at EOF or error. */
static bool relay(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	return write_all(to, buf, (size_t)n) >= 0;
}

int tty_relay_wait(int master, int pidfd, int *ret_status)
{
	struct termios saved, raw;
	bool is_tty = tcgetattr(0, &saved) == 0;
	bool stdin_open = true, master_open = true;
	sigset_t old, winch;
	int sfd, wfd, r;

	sfd = forward_begin(&old);
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	wfd = signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		copy_winsize(0, master);
	}
	for (;;) {
		struct pollfd pfd[5] = {
		    {.fd = pidfd, .events = POLLIN},
		    {.fd = master_open ? master : -1, .events = POLLIN},
		    {.fd = stdin_open ? 0 : -1, .events = POLLIN},
		    {.fd = sfd, .events = POLLIN},
		    {.fd = wfd, .events = POLLIN},
		};
		struct signalfd_siginfo si;

		if (poll(pfd, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			master_open = relay(master, 1);
		if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))
			stdin_open = relay(0, master);
		while (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si))
			sys_pidfd_send_signal(pidfd, (int)si.ssi_signo, NULL, 0);
		while (wfd >= 0 && read(wfd, &si, sizeof(si)) == sizeof(si))
			copy_winsize(0, master);
		if ((pfd[0].revents & POLLIN) && !(pfd[1].revents & POLLIN))
			break;
	}
	/* Drain what the container wrote last. */
	while (master_open) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
			break;
		master_open = relay(master, 1);
	}
	if (is_tty)
		tcsetattr(0, TCSANOW, &saved);
	r = forward_wait(pidfd, sfd, &old, ret_status);
	if (wfd >= 0)
		close(wfd);
	if (sfd >= 0)
		close(sfd);
	return r;
}
