/* linux.resources.devices on cgroup v2: the kernel has no devices files
 * there, only BPF_PROG_TYPE_CGROUP_DEVICE programs.  The program is
 * generated here from the rules, a few instructions per rule, checked
 * last rule first so that the last matching rule decides (the order in
 * which v1 applied the list); no rule matching means deny. */
#include "cg-internal.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/util.h"

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define R6 6

static struct bpf_insn ins(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){
	    .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

#define LDX_W(dst, src, off) ins(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define MOV_X(dst, src)      ins(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV_K(dst, imm)      ins(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define AND_K(dst, imm)      ins(BPF_ALU64 | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH_K(dst, imm)      ins(BPF_ALU64 | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JNE_K(dst, imm, off) ins(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JEQ_K(dst, imm, off) ins(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define EXIT()               ins(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

struct prog {
	struct bpf_insn *v;
	size_t n;
};

static void emit(struct prog *p, struct bpf_insn i)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	p->v[p->n++] = i;
}

static unsigned bpf_access(unsigned a)
{
	return ((a & CGROUP_DEV_READ) ? BPF_DEVCG_ACC_READ : 0) |
	       ((a & CGROUP_DEV_WRITE) ? BPF_DEVCG_ACC_WRITE : 0) |
	       ((a & CGROUP_DEV_MKNOD) ? BPF_DEVCG_ACC_MKNOD : 0);
}

/* One rule: each check jumps past the block when it does not match. */
static void emit_rule(struct prog *p, const struct cgroup_device_rule *r)
{
	const unsigned all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
	unsigned acc = bpf_access(r->access);
	bool check_type = r->type != 'a';
	bool check_access = r->allow ? acc != all : true;
	bool check_major = check_type && r->major >= 0, check_minor = check_type && r->minor >= 0;
	int len = (check_type ? 1 : 0) + (check_access ? 3 : 0) + (check_major ? 1 : 0) +
	          (check_minor ? 1 : 0) + 2;
	int left = len;

	if (check_type) {
		left -= 1;
		emit(p, JNE_K(R3, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR,
		              (int16_t)left));
	}
	if (check_access) {
		left -= 3;
		emit(p, MOV_X(R0, R4));
		if (r->allow) {
			/* Every access asked for must be allowed by the rule. */
			emit(p, AND_K(R0, (int32_t)(~acc & all)));
			emit(p, JNE_K(R0, 0, (int16_t)left));
		} else {
			/* Any access the rule denies is denied. */
			emit(p, AND_K(R0, (int32_t)acc));
			emit(p, JEQ_K(R0, 0, (int16_t)left));
		}
	}
	if (check_major) {
		left -= 1;
		emit(p, JNE_K(R5, (int32_t)r->major, (int16_t)left));
	}
	if (check_minor) {
		left -= 1;
		emit(p, JNE_K(R6, (int32_t)r->minor, (int16_t)left));
	}
	emit(p, MOV_K(R0, r->allow ? 1 : 0));
	emit(p, EXIT());
}

static void build(struct prog *p, const struct cgroup_device_rule *rules, size_t n)
{
	/* struct bpf_cgroup_dev_ctx: access_type = access << 16 | type,
	 * major, minor. */
	emit(p, LDX_W(R2, R1, 0));
	emit(p, MOV_X(R3, R2));
	emit(p, AND_K(R3, 0xffff));
	emit(p, MOV_X(R4, R2));
	emit(p, RSH_K(R4, 16));
	emit(p, LDX_W(R5, R1, 4));
	emit(p, LDX_W(R6, R1, 8));
	for (size_t i = n; i-- > 0;)
		emit_rule(p, &rules[i]);
	emit(p, MOV_K(R0, 0));
	emit(p, EXIT());
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* The programs attached before ours (ids), to detach once ours is in. */
static size_t query_attached(int dirfd, uint32_t *ids, size_t max)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)dirfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = (uint32_t)max;
	if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
		return 0;
	return attr.query.prog_cnt;
}

static void detach_id(int dirfd, uint32_t id)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	if (fd < 0)
		return;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dirfd;
	attr.attach_bpf_fd = (uint32_t)fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	sys_bpf(BPF_PROG_DETACH, &attr);
	close(fd);
}

int cg_devices_bpf_attach(int dirfd, const struct cgroup_device_rule *rules, size_t n,
                          struct kerr *err)
{
	struct prog p = {0};
	static char license[] = "GPL";
	uint32_t old[64];
	size_t n_old = query_attached(dirfd, old, ARRAY_SIZE(old));
	union bpf_attr attr;
	_cleanup_close_ int prog = -1;
	int r;

	build(&p, rules, n);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)p.v;
	attr.insn_cnt = (uint32_t)p.n;
	attr.license = (uint64_t)(uintptr_t)license;
	prog = sys_bpf(BPF_PROG_LOAD, &attr);
	free(p.v);
	if (prog < 0)
		return kerr_set(err, errno, "load the device filter (BPF)");
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dirfd;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	r = sys_bpf(BPF_PROG_ATTACH, &attr);
	if (r < 0)
		return kerr_set(err, errno, "attach the device filter (BPF) to the cgroup");
	for (size_t i = 0; i < n_old; i++)
		detach_id(dirfd, old[i]);
	return 0;
}
