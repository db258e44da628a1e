/* The create-time protocol between runtime and init: see sync.h. */
#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int sync_send(int fd, enum sync_type type, int32_t value, const char *text)
{
	struct sync_msg msg = {.type = type, .value = value};
	size_t len = offsetof(struct sync_msg, text);

	if (text) {
		size_t tl = strnlen(text, sizeof(msg.text) - 1);
		memcpy(msg.text, text, tl);
		msg.text[tl] = '\0';
		len += tl + 1;
	}
	for (;;) {
		ssize_t n = send(fd, &msg, len, MSG_NOSIGNAL);
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int sync_recv(int fd, struct sync_msg *msg)
{
	for (;;) {
		ssize_t n = recv(fd, msg, sizeof(*msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		if ((size_t)n < offsetof(struct sync_msg, text))
			return -EBADMSG;
		if ((size_t)n == offsetof(struct sync_msg, text))
			msg->text[0] = '\0';
		msg->text[sizeof(msg->text) - 1] = '\0';
		return 0;
	}
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
