/* The create-time protocol between runtime and init: see sync.h. */
#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

union fd_cmsg {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int))];
};

static int send_msg(int fd, enum sync_type type, int32_t value, const char *text, int passfd)
{
	struct sync_msg msg = {.type = type, .value = value};
	struct iovec iov = {.iov_base = &msg, .iov_len = offsetof(struct sync_msg, text)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	union fd_cmsg cbuf;

	if (text) {
		size_t tl = strnlen(text, sizeof(msg.text) - 1);
		memcpy(msg.text, text, tl);
		msg.text[tl] = '\0';
		iov.iov_len += tl + 1;
	}
	if (passfd >= 0) {
		struct cmsghdr *cm;

		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &passfd, sizeof(int));
	}
	for (;;) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int sync_send(int fd, enum sync_type type, int32_t value, const char *text)
{
	return send_msg(fd, type, value, text, -1);
}

int sync_send_fd(int fd, enum sync_type type, int passfd)
{
	return send_msg(fd, type, 0, NULL, passfd);
}

int sync_recv_fd(int fd, struct sync_msg *msg, int *ret_fd)
{
	struct iovec iov = {.iov_base = msg, .iov_len = sizeof(*msg)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	union fd_cmsg cbuf;
	int passed = -1;

	if (ret_fd) {
		*ret_fd = -1;
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
	}
	for (;;) {
		ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		struct cmsghdr *cm;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (ret_fd && mh.msg_controllen > 0)
			for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
				if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
				    cm->cmsg_len == CMSG_LEN(sizeof(int)))
					memcpy(&passed, CMSG_DATA(cm), sizeof(int));
		if (n == 0)
			return -EPIPE;
		if ((size_t)n < offsetof(struct sync_msg, text)) {
			if (passed >= 0)
				close(passed);
			return -EBADMSG;
		}
		if ((size_t)n == offsetof(struct sync_msg, text))
			msg->text[0] = '\0';
		msg->text[sizeof(msg->text) - 1] = '\0';
		if (ret_fd)
			*ret_fd = passed;
		return 0;
	}
}

int sync_recv(int fd, struct sync_msg *msg)
{
	return sync_recv_fd(fd, msg, NULL);
}

int sync_expect(int fd, enum sync_type type, struct sync_msg *msg, struct kerr *err)
{
	int r = sync_recv(fd, msg);

	if (r == -EPIPE)
		return kerr_setx(err, EPIPE, "container init exited unexpectedly");
	if (r < 0)
		return kerr_set(err, -r, "read from container init");
	if (msg->type == SYNC_ERROR)
		return kerr_setx(err, msg->value > 0 ? msg->value : EINVAL, "%s", msg->text);
	if (msg->type != type)
		return kerr_setx(err, EPROTO, "container init: unexpected message %u (wanted %u)",
		                 msg->type, (unsigned)type);
	return 0;
}
