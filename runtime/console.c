/* process.terminal and --console-socket: see console.h. */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/syscalls.h"
#include "../common/util.h"

int console_socket_connect(const char *path, int *ret_fd, struct kerr *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(addr.sun_path))
		return kerr_setx(err, ENAMETOOLONG, "--console-socket: path too long: `%s`", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kerr_set(err, errno, "--console-socket: socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return kerr_set(err, errno, "--console-socket: connect `%s`", path);
	*ret_fd = steal_fd(fd);
	return 0;
}

int console_send_fd(int socket_fd, int fd, const char *name, struct kerr *err)
{
	char control[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	while (sendmsg(socket_fd, &msg, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			return kerr_set(err, errno, "--console-socket: send the terminal");
	}
	return 0;
}

/* Bind the pty over /dev/console by fd: the target must be a regular file
 * or a character device we created inside /dev, never a symlink. */
static int bind_dev_console(int pty_fd, struct kerr *err)
{
	struct open_how how = {
	    .flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_close_ int dev = -1, target = -1, tree = -1;
	struct stat st;
	int fd;

	dev = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dev < 0)
		return kerr_set(err, errno, "open `/dev`");
	fd = openat(dev, "console", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return kerr_set(err, errno, "create `/dev/console`");
	target = sys_openat2(dev, "console", &how);
	if (target < 0)
		return kerr_set(err, errno, "open `/dev/console`");
	if (fstat(target, &st) < 0)
		return kerr_set(err, errno, "stat `/dev/console`");
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		return kerr_setx(err, EPERM, "`/dev/console` is not a file or device");
	/* The source is the peer fd itself, never a path: /dev/pts/N or
	 * /proc/self/fd/N would be looked up in the container's tree, which a
	 * shared volume may have redirected (CVE-2025-52565). */
	tree = open_tree(pty_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0)
		return kerr_set(err, errno, "open_tree of the terminal");
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return kerr_set(err, errno, "bind the terminal over `/dev/console`");
	return 0;
}

/* The master from the ptmx of the devpts mounted on /dev/pts (what the
 * /dev/ptmx -> pts/ptmx link names), never from whatever a path through
 * the container's tree leads to: /dev/pts must be a devpts mount, and its
 * ptmx is opened beneath it without symlinks or mount crossings, so a
 * /dev or /dev/pts from a volume cannot make us open another file
 * O_RDWR (CVE-2025-52565). */
static int open_ptmx(int *ret_fd, struct kerr *err)
{
	struct open_how dir_how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	struct open_how how = {
	    .flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_close_ int root = -1, pts = -1, fd = -1;
	struct statfs sfs;

	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return kerr_set(err, errno, "open `/`");
	pts = sys_openat2(root, "dev/pts", &dir_how);
	if (pts < 0)
		return kerr_set(err, errno, "open `/dev/pts`");
	if (fstatfs(pts, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC)
		return kerr_setx(err, EPERM, "open `/dev/pts/ptmx`: `/dev/pts` is not devpts");
	fd = sys_openat2(pts, "ptmx", &how);
	if (fd < 0)
		return kerr_set(err, errno, "open `/dev/pts/ptmx`");
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC)
		return kerr_setx(err, EPERM, "`/dev/pts/ptmx` is not on devpts");
	*ret_fd = steal_fd(fd);
	return 0;
}

int console_setup_in_init(int socket_fd, const struct oci_process *proc, bool bind_console,
                          struct kerr *err)
{
	_cleanup_close_ int master = -1, peer = -1;
	int unlock = 0;

	if (socket_fd < 0)
		return kerr_setx(err, EINVAL, "process.terminal needs --console-socket");
	if (open_ptmx(&master, err) < 0)
		return kerr_code(err);
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return kerr_set(err, errno, "unlock the terminal");
	peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return kerr_set(err, errno, "open the terminal peer");
	if (proc->has_console_size) {
		struct winsize ws = {.ws_row = (unsigned short)proc->console_height,
		                     .ws_col = (unsigned short)proc->console_width};
		if (ioctl(peer, TIOCSWINSZ, &ws) < 0)
			return kerr_set(err, errno, "process.consoleSize");
	}
	if (bind_console && bind_dev_console(peer, err) < 0)
		return kerr_code(err);
	for (int i = 0; i < 3; i++)
		if (dup2(peer, i) < 0)
			return kerr_set(err, errno, "dup2 the terminal");
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return kerr_set(err, errno, "make the terminal controlling");
	if (console_send_fd(socket_fd, master, "/dev/ptmx", err) < 0)
		return kerr_code(err);
	close(socket_fd);
	return 0;
}
