/* seccomp: linux.seccomp -> libseccomp -> BPF, loaded with seccomp(2), and
 * the notify fd handed to a seccomp agent.  See seccomp.h for semantics
 * and for the order the init must follow. */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifdef KURA_HAVE_SECCOMP
#include <seccomp.h>
#endif

#include "../common/cleanup.h"
#include "../common/util.h"
#include "sync.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define FIELD      "config.json: linux.seccomp"
#define MAX_ERRNO  4095
#define N_ARGS_MAX 6

struct kura_seccomp {
	struct sock_filter *insns;
	unsigned short n_insns;
	unsigned int flags; /* SECCOMP_FILTER_FLAG_* passed to seccomp(2) */
	bool uses_notify;
	char *listener_path;
	char *listener_metadata;
	char **unknown_syscalls; /* NULL-terminated */
	size_t n_unknown;
};

int seccomp_filter_load(const struct kura_seccomp *f, int *ret_notify_fd, struct kerr *err)
{
	struct sock_fprog prog;
	long r;

	if (ret_notify_fd)
		*ret_notify_fd = -1;
	if (!f)
		return 0;
	if (f->uses_notify && !ret_notify_fd)
		return kerr_setx(err, EINVAL,
		                 "seccomp: a notify filter needs somewhere to put its fd");
	prog.len = f->n_insns;
	prog.filter = f->insns;
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &prog);
	if (r < 0) {
		if (errno == EACCES)
			return kerr_set(err, errno,
			                "load seccomp filter (without no_new_privileges it must be "
			                "loaded before CAP_SYS_ADMIN is dropped)");
		return kerr_set(err, errno, "load seccomp filter");
	}
	if (f->uses_notify)
		*ret_notify_fd = (int)r;
	return 0;
}

bool seccomp_uses_notify(const struct kura_seccomp *f)
{
	return f && f->uses_notify;
}

const char *seccomp_listener_path(const struct kura_seccomp *f)
{
	return f ? f->listener_path : NULL;
}

const char *seccomp_listener_metadata(const struct kura_seccomp *f)
{
	return f ? f->listener_metadata : NULL;
}

const char *const *seccomp_filter_unknown_syscalls(const struct kura_seccomp *f)
{
	static const char *const none[] = {NULL};

	return f && f->unknown_syscalls ? (const char *const *)f->unknown_syscalls : none;
}

void seccomp_filter_free(struct kura_seccomp *f)
{
	if (!f)
		return;
	free(f->insns);
	free(f->listener_path);
	free(f->listener_metadata);
	strv_free(f->unknown_syscalls);
	free(f);
}

int seccomp_send_listener(const char *listener_path, const char *metadata, int notify_fd,
                          const char *state_json, pid_t pid, struct kerr *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct json_object *state, *msg_obj, *fds, *ver;
	_cleanup_close_ int sock = -1;
	struct msghdr mh = {0};
	struct cmsghdr *cm;
	struct iovec iov;
	const char *text;
	size_t len, off;
	ssize_t n;
	int r = 0;

	if (strlen(listener_path) >= sizeof(addr.sun_path))
		return kerr_setx(err, ENAMETOOLONG,
		                 "seccomp listener `%s`: path too long for a unix socket",
		                 listener_path);
	state = json_tokener_parse(state_json ? state_json : "");
	if (!state || !json_object_is_type(state, json_type_object)) {
		json_object_put(state);
		return kerr_setx(err, EINVAL,
		                 "seccomp listener: container state is not a JSON object");
	}
	msg_obj = json_object_new_object();
	/* The state and the process state describe one runtime: same version. */
	if (json_object_object_get_ex(state, "ociVersion", &ver) &&
	    json_object_is_type(ver, json_type_string))
		json_object_object_add(msg_obj, "ociVersion", json_object_get(ver));
	else
		json_object_object_add(msg_obj, "ociVersion", json_object_new_string("1.2.0"));
	fds = json_object_new_array();
	json_object_array_add(fds, json_object_new_string("seccompFd"));
	json_object_object_add(msg_obj, "fds", fds);
	json_object_object_add(msg_obj, "pid", json_object_new_int64(pid));
	if (metadata && *metadata)
		json_object_object_add(msg_obj, "metadata", json_object_new_string(metadata));
	json_object_object_add(msg_obj, "state", state);
	text = json_object_to_json_string_ext(msg_obj, JSON_C_TO_STRING_PLAIN |
	                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);

	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		r = kerr_set(err, errno, "seccomp listener: socket");
		goto out;
	}
	memcpy(addr.sun_path, listener_path, strlen(listener_path) + 1);
	while (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		if (errno != EINTR) {
			r = kerr_set(err, errno, "seccomp listener: connect `%s`", listener_path);
			goto out;
		}
	}

	/* The fd travels with the first chunk; the rest (if the socket took
	 * only part of it) follows as plain data, as the spec allows. */
	iov.iov_base = (void *)text;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	memset(&cbuf, 0, sizeof(cbuf));
	mh.msg_control = cbuf.buf;
	mh.msg_controllen = sizeof(cbuf.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &notify_fd, sizeof(int));
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r = kerr_set(err, errno, "seccomp listener: send to `%s`", listener_path);
		goto out;
	}
	for (off = (size_t)n; off < len; off += (size_t)n) {
		n = send(sock, text + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0) {
			r = kerr_set(err, errno, "seccomp listener: send to `%s`", listener_path);
			goto out;
		}
	}
out:
	json_object_put(msg_obj);
	return r;
}

#ifdef KURA_HAVE_SECCOMP

struct name_value {
	const char *name;
	uint32_t value;
};

static const struct name_value action_table[] = {
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
};

static const struct name_value arch_table[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
};

static const struct name_value flag_table[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

/* Is flag known to the running kernel?  seccomp(2) validates the flags
 * before it reads the (NULL) program: EFAULT means known.  Anything but
 * EINVAL (e.g. we run under a filter that denies seccomp) is "can't tell",
 * and the load will report it. */
static bool kernel_knows_flag(unsigned int flag)
{
	if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) == 0)
		return true;
	return errno != EINVAL;
}

static const struct name_value op_table[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

/* The init hands the notify fd to the runtime with one of these; a notify
 * rule on them would block the init before any agent holds the fd. */
static const char *const notify_forbidden[] = {"write", "send", "sendto", "sendmsg"};

static const struct name_value *lookup(const struct name_value *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

#define LOOKUP(table, name) lookup(table, ARRAY_SIZE(table), name)

/* Everything one build needs; freed in one place. */
struct builder {
	scmp_filter_ctx ctx;
	struct kura_seccomp *f;
	size_t cap_unknown;
	struct kerr *err;
};

static int field_error(struct kerr *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int field_error(struct kerr *err, const char *path, const char *fmt, ...)
{
	char what[KERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return kerr_setx(err, EINVAL, FIELD "%s: %s", path, what);
}

/* A member that is absent or JSON null is "unset". */
static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int get_string(struct json_object *v, const char *path, const char **ret, struct kerr *err)
{
	if (!json_object_is_type(v, json_type_string))
		return field_error(err, path, "expected a string");
	*ret = json_object_get_string(v);
	return 0;
}

static int get_u64(struct json_object *v, const char *path, uint64_t *ret, struct kerr *err)
{
	/* json-c keeps integers above INT64_MAX as unsigned, so a negative
	 * int64 really is negative. */
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return field_error(err, path, "expected an unsigned integer");
	*ret = json_object_get_uint64(v);
	return 0;
}

static int get_array(struct json_object *v, const char *path, size_t *ret_len, struct kerr *err)
{
	if (!json_object_is_type(v, json_type_array))
		return field_error(err, path, "expected an array");
	*ret_len = json_object_array_length(v);
	return 0;
}

/* action (+ errnoRet) -> libseccomp action value. */
static int parse_action(struct json_object *action, struct json_object *errno_ret, const char *path,
                        const char *errno_path, uint32_t *ret, struct kerr *err)
{
	const struct name_value *a;
	const char *name = NULL;
	uint64_t e = EPERM;

	if (!action)
		return field_error(err, path, "missing");
	if (get_string(action, path, &name, err) < 0)
		return -EINVAL;
	a = LOOKUP(action_table, name);
	if (!a)
		return field_error(err, path, "unknown action \"%s\"", name);
	if (a->value == SCMP_ACT_ERRNO(0) || a->value == SCMP_ACT_TRACE(0)) {
		uint64_t max = a->value == SCMP_ACT_ERRNO(0) ? MAX_ERRNO : SECCOMP_RET_DATA;
		if (errno_ret && get_u64(errno_ret, errno_path, &e, err) < 0)
			return -EINVAL;
		if (e > max)
			return field_error(err, errno_path,
			                   "%" PRIu64 " is out of range (0-%" PRIu64 ")", e, max);
		*ret = a->value | (uint32_t)e;
		return 0;
	}
	if (errno_ret)
		return field_error(err, errno_path, "%s does not take an errno", name);
	*ret = a->value;
	return 0;
}

static int record_unknown(struct builder *b, const char *name)
{
	struct kura_seccomp *f = b->f;

	if (f->n_unknown + 1 >= b->cap_unknown) {
		b->cap_unknown = b->cap_unknown ? 2 * b->cap_unknown : 16;
		f->unknown_syscalls =
		    xrealloc(f->unknown_syscalls, b->cap_unknown * sizeof(*f->unknown_syscalls));
	}
	f->unknown_syscalls[f->n_unknown++] = xstrdup(name);
	f->unknown_syscalls[f->n_unknown] = NULL;
	return 0;
}

static int parse_arg(struct json_object *arg, const char *path, struct scmp_arg_cmp *ret,
                     struct kerr *err)
{
	char sub[256];
	struct json_object *v;
	const struct name_value *op;
	const char *op_name = NULL;
	uint64_t index = 0, value = 0, value_two = 0;

	if (!json_object_is_type(arg, json_type_object))
		return field_error(err, path, "expected an object");

	snprintf(sub, sizeof(sub), "%s.index", path);
	if (!(v = member(arg, "index")))
		return field_error(err, sub, "missing");
	if (get_u64(v, sub, &index, err) < 0)
		return -EINVAL;
	if (index >= N_ARGS_MAX)
		return field_error(err, sub, "%" PRIu64 " is out of range (0-%d)", index,
		                   N_ARGS_MAX - 1);

	snprintf(sub, sizeof(sub), "%s.value", path);
	if (!(v = member(arg, "value")))
		return field_error(err, sub, "missing");
	if (get_u64(v, sub, &value, err) < 0)
		return -EINVAL;

	snprintf(sub, sizeof(sub), "%s.valueTwo", path);
	if ((v = member(arg, "valueTwo")) && get_u64(v, sub, &value_two, err) < 0)
		return -EINVAL;

	snprintf(sub, sizeof(sub), "%s.op", path);
	if (!(v = member(arg, "op")))
		return field_error(err, sub, "missing");
	if (get_string(v, sub, &op_name, err) < 0)
		return -EINVAL;
	op = LOOKUP(op_table, op_name);
	if (!op)
		return field_error(err, sub, "unknown operator \"%s\"", op_name);

	/* For SCMP_CMP_MASKED_EQ value is the mask and valueTwo the datum,
	 * which is libseccomp's (datum_a, datum_b) order. */
	ret->arg = (unsigned int)index;
	ret->op = (enum scmp_compare)op->value;
	ret->datum_a = value;
	ret->datum_b = value_two;
	return 0;
}

static int add_rules(struct builder *b, const char *path, const char *name, uint32_t action,
                     const struct scmp_arg_cmp *conds, size_t n_conds, bool shared_index)
{
	int nr = seccomp_syscall_resolve_name(name);
	int r;

	if (nr == __NR_SCMP_ERROR)
		return record_unknown(b, name);
	if (shared_index) {
		/* runc: conditions on one index cannot be ANDed by libseccomp;
		 * each becomes a rule of its own. */
		for (size_t i = 0; i < n_conds; i++) {
			r = seccomp_rule_add_array(b->ctx, action, nr, 1, &conds[i]);
			if (r < 0)
				goto fail;
		}
	} else {
		r = seccomp_rule_add_array(b->ctx, action, nr, (unsigned int)n_conds, conds);
		if (r < 0)
			goto fail;
	}
	if (action == SCMP_ACT_NOTIFY)
		b->f->uses_notify = true;
	return 0;
fail:
	return kerr_setx(b->err, -r, FIELD "%s: add rule for \"%s\": %s", path, name, strerror(-r));
}

static int parse_syscall(struct builder *b, struct json_object *sc, size_t idx,
                         uint32_t default_action, bool have_listener)
{
	char path[96], sub[160], epath[160];
	struct json_object *names, *v;
	struct scmp_arg_cmp conds[64];
	unsigned int per_index[N_ARGS_MAX] = {0};
	bool shared_index = false;
	size_t n_names = 0, n_args = 0;
	uint32_t action;

	snprintf(path, sizeof(path), ".syscalls[%zu]", idx);
	if (!json_object_is_type(sc, json_type_object))
		return field_error(b->err, path, "expected an object");

	snprintf(sub, sizeof(sub), "%s.names", path);
	if (!(names = member(sc, "names")))
		return field_error(b->err, sub, "missing");
	if (get_array(names, sub, &n_names, b->err) < 0)
		return -EINVAL;
	if (n_names == 0)
		return field_error(b->err, sub, "expected at least one syscall name");

	snprintf(sub, sizeof(sub), "%s.action", path);
	snprintf(epath, sizeof(epath), "%s.errnoRet", path);
	if (parse_action(member(sc, "action"), member(sc, "errnoRet"), sub, epath, &action,
	                 b->err) < 0)
		return -EINVAL;

	if ((v = member(sc, "args"))) {
		snprintf(sub, sizeof(sub), "%s.args", path);
		if (get_array(v, sub, &n_args, b->err) < 0)
			return -EINVAL;
		if (n_args > ARRAY_SIZE(conds))
			return field_error(b->err, sub, "too many conditions (%zu, at most %zu)",
			                   n_args, ARRAY_SIZE(conds));
		for (size_t i = 0; i < n_args; i++) {
			snprintf(sub, sizeof(sub), "%s.args[%zu]", path, i);
			if (parse_arg(json_object_array_get_idx(v, i), sub, &conds[i], b->err) < 0)
				return -EINVAL;
			if (++per_index[conds[i].arg] > 1)
				shared_index = true;
		}
	}

	for (size_t i = 0; i < n_names; i++) {
		const char *name = NULL;

		snprintf(sub, sizeof(sub), "%s.names[%zu]", path, i);
		if (get_string(json_object_array_get_idx(names, i), sub, &name, b->err) < 0)
			return -EINVAL;
		if (!*name)
			return field_error(b->err, sub, "empty syscall name");
		if (action != SCMP_ACT_NOTIFY)
			continue;
		if (!have_listener)
			return field_error(b->err, path,
			                   "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
		for (size_t j = 0; j < ARRAY_SIZE(notify_forbidden); j++)
			if (strcmp(name, notify_forbidden[j]) == 0)
				return field_error(b->err, sub,
				                   "SCMP_ACT_NOTIFY cannot be used for \"%s\": the "
				                   "runtime needs it to pass on the notify fd",
				                   name);
	}

	/* runc: a rule that does what the default does is redundant, and
	 * libseccomp refuses it (EACCES). */
	if (action == default_action)
		return 0;
	for (size_t i = 0; i < n_names; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(names, i));
		if (add_rules(b, path, name, action, conds, n_args, shared_index) < 0)
			return -EINVAL;
	}
	return 0;
}

static int parse_architectures(struct builder *b, struct json_object *archs)
{
	char sub[64];
	size_t n = 0;

	if (get_array(archs, ".architectures", &n, b->err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		const struct name_value *a;
		const char *name = NULL;
		int r;

		snprintf(sub, sizeof(sub), ".architectures[%zu]", i);
		if (get_string(json_object_array_get_idx(archs, i), sub, &name, b->err) < 0)
			return -EINVAL;
		a = LOOKUP(arch_table, name);
		if (!a)
			return field_error(b->err, sub, "unknown architecture \"%s\"", name);
		/* The native architecture is always there: EEXIST is fine. */
		r = seccomp_arch_add(b->ctx, a->value);
		if (r < 0 && r != -EEXIST)
			return kerr_setx(b->err, -r, FIELD "%s: add architecture \"%s\": %s", sub,
			                 name, strerror(-r));
	}
	return 0;
}

static int parse_flags(struct builder *b, struct json_object *flags)
{
	char sub[64];
	size_t n = 0;

	if (get_array(flags, ".flags", &n, b->err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		const struct name_value *fl;
		const char *name = NULL;

		snprintf(sub, sizeof(sub), ".flags[%zu]", i);
		if (get_string(json_object_array_get_idx(flags, i), sub, &name, b->err) < 0)
			return -EINVAL;
		fl = LOOKUP(flag_table, name);
		if (!fl)
			return field_error(b->err, sub, "unknown flag \"%s\"", name);
		if (!kernel_knows_flag(fl->value))
			return kerr_setx(b->err, EOPNOTSUPP,
			                 FIELD "%s: %s is not supported by this kernel", sub, name);
		b->f->flags |= fl->value;
	}
	return 0;
}

static int parse_listener(struct builder *b, struct json_object *js)
{
	struct json_object *v;
	const char *s = "";

	if ((v = member(js, "listenerPath"))) {
		if (get_string(v, ".listenerPath", &s, b->err) < 0)
			return -EINVAL;
		if (*s)
			b->f->listener_path = xstrdup(s);
	}
	if ((v = member(js, "listenerMetadata"))) {
		if (get_string(v, ".listenerMetadata", &s, b->err) < 0)
			return -EINVAL;
		if (*s && !b->f->listener_path)
			return field_error(b->err, ".listenerMetadata",
			                   "set without linux.seccomp.listenerPath");
		if (*s)
			b->f->listener_metadata = xstrdup(s);
	}
	return 0;
}

/* Generate the BPF program into memory.  libseccomp 2.5 exports only to
 * an fd, so go through a memfd. */
static int export_bpf(struct builder *b)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	ssize_t n;
	size_t count;
	int r;

	fd = memfd_create("kura-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return kerr_set(b->err, errno, "seccomp: memfd_create");
	r = seccomp_export_bpf(b->ctx, fd);
	if (r < 0)
		return kerr_setx(b->err, -r, "seccomp: generate the BPF program: %s", strerror(-r));
	if (fstat(fd, &st) < 0)
		return kerr_set(b->err, errno, "seccomp: fstat the BPF program");
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0)
		return kerr_setx(b->err, EIO, "seccomp: libseccomp produced a %lld byte program",
		                 (long long)st.st_size);
	count = (size_t)st.st_size / sizeof(struct sock_filter);
	if (count > BPF_MAXINSNS)
		return kerr_setx(b->err, E2BIG,
		                 FIELD ": the filter has %zu BPF instructions, the kernel takes at "
		                       "most %d",
		                 count, BPF_MAXINSNS);
	b->f->insns = xmalloc((size_t)st.st_size);
	n = pread(fd, b->f->insns, (size_t)st.st_size, 0);
	if (n != st.st_size)
		return kerr_set(b->err, n < 0 ? errno : EIO, "seccomp: read the BPF program");
	b->f->n_insns = (unsigned short)count;
	return 0;
}

static size_t count_names(struct json_object *syscalls, size_t n_syscalls)
{
	size_t n = 0;

	for (size_t i = 0; i < n_syscalls; i++) {
		struct json_object *sc = json_object_array_get_idx(syscalls, i);
		struct json_object *names =
		    json_object_is_type(sc, json_type_object) ? member(sc, "names") : NULL;
		if (json_object_is_type(names, json_type_array))
			n += json_object_array_length(names);
	}
	return n;
}

static int build(struct builder *b, struct json_object *js)
{
	struct json_object *v, *syscalls = member(js, "syscalls");
	uint32_t default_action;
	size_t n_syscalls = 0;

	if (syscalls && get_array(syscalls, ".syscalls", &n_syscalls, b->err) < 0)
		return -EINVAL;
	if (parse_action(member(js, "defaultAction"), member(js, "defaultErrnoRet"),
	                 ".defaultAction", ".defaultErrnoRet", &default_action, b->err) < 0)
		return -EINVAL;
	if (default_action == SCMP_ACT_NOTIFY)
		return field_error(b->err, ".defaultAction",
		                   "SCMP_ACT_NOTIFY cannot be the default action");

	b->ctx = seccomp_init(default_action);
	if (!b->ctx)
		return field_error(b->err, ".defaultAction", "\"%s\" is not supported here",
		                   json_object_get_string(member(js, "defaultAction")));
	/* Real errno values from libseccomp, not its summarised ones. */
	seccomp_attr_set(b->ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	/* A binary tree over syscall numbers pays off for long lists (runc's
	 * threshold: more than 32 names); old libseccomp without it is fine. */
	if (count_names(syscalls, n_syscalls) > 32)
		seccomp_attr_set(b->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

	if ((v = member(js, "architectures")) && parse_architectures(b, v) < 0)
		return -EINVAL;
	if ((v = member(js, "flags")) && parse_flags(b, v) < 0)
		return -EINVAL;
	if (parse_listener(b, js) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n_syscalls; i++)
		if (parse_syscall(b, json_object_array_get_idx(syscalls, i), i, default_action,
		                  b->f->listener_path != NULL) < 0)
			return -EINVAL;

	if (b->f->uses_notify) {
		b->f->flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* The kernel refuses TSYNC with a listener unless a failed
		 * sync reports ESRCH instead of a thread id. */
		if (b->f->flags & SECCOMP_FILTER_FLAG_TSYNC)
			b->f->flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	} else {
		/* Meaningless (and EINVAL) without a listener; libseccomp
		 * drops it the same way. */
		b->f->flags &= ~(unsigned int)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	return export_bpf(b);
}

int seccomp_filter_build(struct json_object *linux_seccomp, struct kura_seccomp **ret,
                         struct kerr *err)
{
	struct builder b = {.err = err};
	struct json_object *syscalls;
	int r;

	if (!linux_seccomp) {
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(linux_seccomp, json_type_object))
		return kerr_setx(err, EINVAL, FIELD ": expected an object");
	syscalls = member(linux_seccomp, "syscalls");
	if (!member(linux_seccomp, "defaultAction") &&
	    (!syscalls || (json_object_is_type(syscalls, json_type_array) &&
	                   json_object_array_length(syscalls) == 0))) {
		*ret = NULL;
		return 0;
	}

	b.f = xcalloc(1, sizeof(*b.f));
	r = build(&b, linux_seccomp);
	if (b.ctx)
		seccomp_release(b.ctx);
	if (r < 0) {
		seccomp_filter_free(b.f);
		return r;
	}
	*ret = b.f;
	return 0;
}

static struct json_object *names_array(const struct name_value *t, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(t[i].name));
	return a;
}

struct json_object *seccomp_features_json(void)
{
	struct json_object *o = json_object_new_object();
	struct json_object *known = json_object_new_array(), *supported = json_object_new_array();

	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	json_object_object_add(o, "actions", names_array(action_table, ARRAY_SIZE(action_table)));
	json_object_object_add(o, "operators", names_array(op_table, ARRAY_SIZE(op_table)));
	json_object_object_add(o, "archs", names_array(arch_table, ARRAY_SIZE(arch_table)));
	for (size_t i = 0; i < ARRAY_SIZE(flag_table); i++) {
		json_object_array_add(known, json_object_new_string(flag_table[i].name));
		if (kernel_knows_flag(flag_table[i].value))
			json_object_array_add(supported,
			                      json_object_new_string(flag_table[i].name));
	}
	json_object_object_add(o, "knownFlags", known);
	json_object_object_add(o, "supportedFlags", supported);
	return o;
}

#else /* !KURA_HAVE_SECCOMP */

int seccomp_filter_build(struct json_object *linux_seccomp, struct kura_seccomp **ret,
                         struct kerr *err)
{
	if (!linux_seccomp) {
		*ret = NULL;
		return 0;
	}
	return kerr_setx(err, EOPNOTSUPP, FIELD ": kura was built without libseccomp");
}

struct json_object *seccomp_features_json(void)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_boolean(0));
	return o;
}

#endif

int seccomp_filter_load_and_send(const struct kura_seccomp *f, int sync_fd, struct kerr *err)
{
	struct sync_msg msg;
	int nfd = -1, r;

	if (seccomp_filter_load(f, &nfd, err) < 0)
		return kerr_code(err);
	if (nfd < 0)
		return 0;
	r = sync_send_fd(sync_fd, SYNC_SECCOMP, nfd);
	close(nfd);
	if (r < 0)
		return kerr_set(err, -r, "seccomp: send the notify fd to the runtime");
	return sync_expect(sync_fd, SYNC_SECCOMP_DONE, &msg, err);
}
