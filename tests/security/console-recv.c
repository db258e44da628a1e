/* kura-console-recv: the receiving end of --console-socket, for tests.
 *
 *   kura-console-recv SOCKET OUT [INPUT]
 *
 * Listens on the unix socket SOCKET (the name appears only once the
 * socket listens), accepts one connection, receives the terminal master
 * the runtime sends with SCM_RIGHTS, and writes to OUT.meta what it got:
 *
 *   name=<the message payload>
 *   fds=<number of fds received>
 *   ptn=<pty number, from TIOCGPTN on the fd: it is a pty master>
 *   rows=<rows> cols=<cols>   (TIOCGWINSZ on the master)
 *
 * Then writes INPUT (if given) to the master and copies everything the
 * container writes to its terminal into OUT until the last slave fd is
 * closed (EIO).  Gives up after 60 seconds. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "kura-console-recv: %s: %s\n", what, strerror(errno));
	return 1;
}

static int listen_at(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char tmp[sizeof(addr.sun_path)];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, tmp);
	unlink(tmp);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0 ||
	    rename(tmp, path) < 0)
		return -1;
	return fd;
}

static int recv_master(int conn, char *name, size_t name_len, int *ret_nfds)
{
	char control[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = {.iov_base = name, .iov_len = name_len - 1};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	int fd = -1;
	ssize_t n;

	*ret_nfds = 0;
	n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -1;
	name[n] = '\0';
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		*ret_nfds += (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	}
	if (fd < 0)
		errno = EPROTO;
	return fd;
}

int main(int argc, char **argv)
{
	char name[256], meta[4096], buf[4096];
	struct winsize ws = {0};
	FILE *out, *info;
	int lfd, conn, master, nfds;
	unsigned ptn = 0;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s SOCKET OUT [INPUT]\n", argv[0]);
		return 2;
	}
	alarm(60);
	lfd = listen_at(argv[1]);
	if (lfd < 0)
		return die("listen");
	conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return die("accept");
	master = recv_master(conn, name, sizeof(name), &nfds);
	if (master < 0)
		return die("receive the terminal");
	close(conn);
	close(lfd);

	snprintf(meta, sizeof(meta), "%s.meta", argv[2]);
	info = fopen(meta, "we");
	if (!info)
		return die("open OUT.meta");
	fprintf(info, "name=%s\nfds=%d\n", name, nfds);
	if (ioctl(master, TIOCGPTN, &ptn) == 0)
		fprintf(info, "ptn=%u\n", ptn);
	else
		fprintf(info, "ptn=none (%s)\n", strerror(errno));
	if (ioctl(master, TIOCGWINSZ, &ws) == 0)
		fprintf(info, "rows=%u cols=%u\n", ws.ws_row, ws.ws_col);
	fclose(info);

	out = fopen(argv[2], "we");
	if (!out)
		return die("open OUT");
	if (argc == 4) {
		size_t len = strlen(argv[3]);

		if (write(master, argv[3], len) != (ssize_t)len)
			return die("write the input");
	}
	for (;;) {
		ssize_t n = read(master, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EIO: no slave left */
		fwrite(buf, 1, (size_t)n, out);
		fflush(out);
	}
	fclose(out);
	return 0;
}
