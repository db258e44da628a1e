/* iobench: file I/O jobs timed from the inside, for bench/roots.sh.
 *
 *   iobench work [-S] [-P] [-K] [-s MIB] [-n FILES] [-b BYTES] [-B KIB] [-p PHASES] [-F FILE]
 *                [-W DIR] DIR
 *   iobench drive -o TSV -e ENV -r ROUND [-L PREFIX] [-D LOG] [-T SECONDS] -- CMD...
 *   iobench cycle -o TSV -n N -w WARMUP -t TAG [-l LOG] KURA ROOTDIR NAME=BUNDLE[=IMAGE]...
 *   iobench mkdata -s MIB FILE
 *   iobench report -w WARMUP IO.TSV [CYCLE.TSV]
 *
 * work: runs the jobs in a fresh directory DIR/iob.XXXXXX and prints one line
 *   per phase, "phase NAME WALL_S USER_S SYS_S BYTES OPS"; wall is
 *   CLOCK_MONOTONIC, user/sys are getrusage(RUSAGE_SELF) deltas, so the
 *   start-up of whatever launched it (a container) is never counted.
 *   PHASES (comma list, default write,read,dread,dwrite,meta):
 *     write   sequential write of MIB MiB in KIB blocks (1024), fsync, close
 *     read    buffered sequential read of that file (it is in the page
 *             cache: it was just written; this is the fs/VFS path + copy)
 *     dread   O_DIRECT sequential read (the device path; no page cache)
 *     dwrite  O_DIRECT sequential write of a new file (+ fsync), then
 *             read.cold: buffered read of it, which is not in the page
 *             cache (an O_DIRECT write leaves none): readahead + device
 *     meta    meta.create (FILES files of BYTES bytes, default 0: open
 *             O_CREAT|O_EXCL, write, close), meta.stat (fstatat each),
 *             meta.unlink (each, then rmdir); no fsync: the metadata path
 *     cold    read.cold: buffered read of the existing FILE (-F), then
 *             read: the same again (cached); DIR may be "-" (none made)
 *   -K: keep the (emptied) directory DIR/iob.XXXXXX.  On an ext4 without
 *   a journal, a create skips every inode of its group freed in the last
 *   1-6 minutes (fs/ext4/ialloc.c, recently_deleted()); with DIR's parent
 *   marked TOPDIR (chattr +T), Orlov puts each job's directory in the
 *   flex group with the fewest directories, and a kept directory keeps the
 *   next job out of the group this one just filled with freed inodes.
 *   -P: before write, read.cold, meta and cold, touch and free memory of
 *   the size the phase will allocate (see prefault()); -W DIR: a writable
 *   directory for the page-cache part of it before `cold` (whose own file
 *   system is read-only).
 *   -S: before and after each phase, write "B NAME" / "E NAME" to fd 3 and
 *   wait for one byte on fd 4 (the driver samples kernel threads there);
 *   the waits are outside the timed region.
 *
 * drive: runs CMD (a native worker or `kura run --preserve-fds 2 ...`)
 *   with fds 3/4 as the sync pipes and its stdout captured, and at each
 *   phase edge samples (a) the CPU of every kernel thread (PF_KTHREAD,
 *   /proc/PID/schedstat, ns): loop workers, writeback, jbd2, ksoftirqd;
 *   (b) the host's softirq and busy time from /proc/stat.  Appends per
 *   phase "ENV ROUND PHASE WALL USER SYS KTHR SOFTIRQ HOSTBUSY BYTES OPS" to
 *   TSV; with -L, records the loop devices whose backing file starts with
 *   PREFIX (and their dio flag) in the log (-D), with the top kernel threads
 *   of each phase.
 *
 * cycle: N (+WARMUP) interleaved rounds of `KURA --root ROOTDIR create
 *   --bundle BUNDLE ID` then `delete --force ID`, per NAME, the order
 *   rotated each round.  We are a child subreaper, so the container's init
 *   (where kura builds the root) is reparented to us and its CPU is reaped
 *   here too.  With IMAGE, the sample also waits until no loop device is
 *   backed by it (autoclear done).  Appends "NAME ROUND CREATE_WALL
 *   CREATE_CPU DELETE_WALL DELETE_CPU INIT_CPU TOTAL_WALL TOTAL_CPU RC".
 *
 * report: the tables of bench/README.md from those TSV files.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PF_KTHREAD_FLAG 0x00200000u

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "iobench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static void write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

static long parse_long(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0)
		die("bad %s: %s", what, s);
	return v;
}

/* ------------------------------------------------------------------ */
/* work                                                                */

static int sync_on;

static void sync_point(char kind, const char *name)
{
	char line[128], c;
	int n;

	if (!sync_on)
		return;
	n = snprintf(line, sizeof(line), "%c %s\n", kind, name);
	write_all(3, line, (size_t)n);
	for (;;) {
		ssize_t r = read(4, &c, 1);

		if (r == 1)
			return;
		if (r < 0 && errno == EINTR)
			continue;
		die("sync: the driver went away");
	}
}

struct phase {
	const char *name;
	double t0, u0, s0;
};

static void begin(struct phase *p, const char *name)
{
	struct rusage ru;

	p->name = name;
	sync_point('B', name);
	getrusage(RUSAGE_SELF, &ru);
	p->u0 = tv(ru.ru_utime);
	p->s0 = tv(ru.ru_stime);
	p->t0 = now();
}

static void end(struct phase *p, long long bytes, long long ops)
{
	double t1 = now();
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	sync_point('E', p->name);
	printf("phase %s %.6f %.6f %.6f %lld %lld\n", p->name, t1 - p->t0, tv(ru.ru_utime) - p->u0,
	       tv(ru.ru_stime) - p->s0, bytes, ops);
	fflush(stdout);
}

static void fill_random(unsigned char *buf, size_t n, uint64_t seed)
{
	uint64_t x = seed | 1;

	for (size_t i = 0; i + 8 <= n; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(buf + i, &x, 8);
	}
}

static unsigned char *alloc_buf(size_t n)
{
	void *p;

	if (posix_memalign(&p, 4096, n))
		die("out of memory");
	return p;
}

/* Make the memory the next phase allocates host-backed again.  This host
 * is a VM whose balloon reports free pages to the hypervisor
 * (VIRTIO_BALLOON_F_REPORTING): a block that stayed free for ~2 s is
 * discarded by the host, and the next first touch of each of its pages
 * costs a host fault, invisible to the guest except as a slow memcpy.
 * Without this, whichever job runs after an idle or read-only one pays
 * 3-6x the CPU for its buffered writes (256 MiB write+fsync: 0.19-0.38 s
 * sys after a 5-10 s pause, 0.044 s back to back).
 *
 * Two steps, both freed again before the phase: anonymous memory of
 * MIB MiB touched in 4 KiB pages and as transparent huge pages (the
 * small free blocks first, then 2 MiB ones: reporting works on 2 MiB+
 * blocks, their split remainders stay discarded), and, when the phase
 * writes to a file system, a buffered write of MIB MiB to a scratch file
 * in DIR that is unlinked before writeback (delayed allocation: no I/O),
 * which returns page-cache folios of the orders the phase will ask for
 * to the head of the free lists. */
static int prefault_on;

static void touch(size_t n, int advice)
{
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap %zu MiB: %s", n >> 20, strerror(errno));
	madvise(p, n, advice);
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	munmap(p, n);
}

static void prefault(const char *dir, long mib, const unsigned char *buf, size_t bs)
{
	size_t n = (size_t)mib << 20;

	if (!prefault_on || mib <= 0)
		return;
	touch(n, MADV_NOHUGEPAGE);
	touch(n, MADV_HUGEPAGE);
	if (dir) {
		char path[4200];
		int fd;

		snprintf(path, sizeof(path), "%s/prefault", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			die("open %s: %s", path, strerror(errno));
		for (size_t done = 0; done < n; done += bs)
			write_all(fd, buf, bs);
		if (unlink(path) < 0)
			die("unlink %s: %s", path, strerror(errno));
		close(fd);
	}
}

/* Returns 0, or -1 when O_DIRECT is refused (nothing written). */
static int job_write(const char *name, const char *dir, const char *path, int flags, long mib,
                     size_t bs, unsigned char *buf)
{
	long long total = (long long)mib << 20, done = 0;
	struct phase p;
	int fd;

	if (flags & O_DIRECT) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | flags, 0644);
		if (fd < 0 && errno == EINVAL) {
			fprintf(stderr, "iobench: %s: O_DIRECT not supported, %s skipped\n", path,
			        name);
			return -1;
		}
		if (fd < 0)
			die("open %s: %s", path, strerror(errno));
		close(fd);
	}
	prefault(dir, mib + 64, buf, bs);
	begin(&p, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | flags, 0644);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	while (done < total) {
		size_t n = (size_t)(total - done) < bs ? (size_t)(total - done) : bs;
		ssize_t w = write(fd, buf, n);

		if (w <= 0)
			die("write %s: %s", path, w < 0 ? strerror(errno) : "short");
		done += w;
	}
	if (fsync(fd) < 0)
		die("fsync %s: %s", path, strerror(errno));
	close(fd);
	end(&p, total, 0);
	return 0;
}

static void job_read(const char *name, const char *path, int flags, size_t bs, unsigned char *buf)
{
	long long done = 0;
	struct phase p;
	int fd;

	/* Opened outside the phase only to find out whether O_DIRECT works. */
	fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0 && errno == EINVAL && (flags & O_DIRECT)) {
		fprintf(stderr, "iobench: %s: O_DIRECT not supported, %s skipped\n", path, name);
		return;
	}
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	close(fd);
	begin(&p, name);
	fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	for (;;) {
		ssize_t r = read(fd, buf, bs);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read %s: %s", path, strerror(errno));
		if (r == 0)
			break;
		done += r;
	}
	close(fd);
	end(&p, done, 0);
}

static void job_meta(const char *dir, long files, size_t small, unsigned char *buf)
{
	char sub[4200], name[32];
	struct phase p;
	struct stat st;
	int dfd;

	snprintf(sub, sizeof(sub), "%s/meta", dir);
	prefault(NULL, files * 8 / 1024 + 64, buf, 0);
	begin(&p, "meta.create");
	if (mkdir(sub, 0755) < 0)
		die("mkdir %s: %s", sub, strerror(errno));
	dfd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open %s: %s", sub, strerror(errno));
	for (long i = 0; i < files; i++) {
		int fd;

		snprintf(name, sizeof(name), "f%07ld", i);
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			die("create %s/%s: %s", sub, name, strerror(errno));
		if (small && write(fd, buf, small) != (ssize_t)small)
			die("write %s/%s: %s", sub, name, strerror(errno));
		close(fd);
	}
	end(&p, 0, files);

	begin(&p, "meta.stat");
	for (long i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "f%07ld", i);
		if (fstatat(dfd, name, &st, 0) < 0 || st.st_size != (off_t)small)
			die("stat %s/%s: %s", sub, name, strerror(errno));
	}
	end(&p, 0, files);

	begin(&p, "meta.unlink");
	for (long i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "f%07ld", i);
		if (unlinkat(dfd, name, 0) < 0)
			die("unlink %s/%s: %s", sub, name, strerror(errno));
	}
	close(dfd);
	if (rmdir(sub) < 0)
		die("rmdir %s: %s", sub, strerror(errno));
	end(&p, 0, files);
}

static int cmd_work(int argc, char **argv)
{
	long mib = 256, files = 20000, small = 0, bs_kib = 1024;
	const char *phases = "write,read,dread,dwrite,meta", *file = NULL, *scratch = NULL;
	char dir[4096], data[4200], data2[4200];
	unsigned char *buf;
	char *list, *tok, *save = NULL;
	int c, mkd, keep = 0;

	while ((c = getopt(argc, argv, "SPKs:n:b:B:p:F:W:")) != -1) {
		switch (c) {
		case 'W':
			scratch = optarg;
			break;
		case 'K':
			keep = 1;
			break;
		case 'S':
			sync_on = 1;
			break;
		case 'P':
			prefault_on = 1;
			break;
		case 's':
			mib = parse_long(optarg, "-s");
			break;
		case 'n':
			files = parse_long(optarg, "-n");
			break;
		case 'b':
			small = parse_long(optarg, "-b");
			break;
		case 'B':
			bs_kib = parse_long(optarg, "-B");
			break;
		case 'p':
			phases = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc || bs_kib < 4 || small > 65536)
		die("usage: iobench work [-S] [-P] [-K] [-s MIB] [-n FILES] [-b BYTES] [-B KIB] "
		    "[-p PHASES] [-F FILE] [-W DIR] DIR");
	if (sync_on && (fcntl(3, F_GETFD) < 0 || fcntl(4, F_GETFD) < 0))
		die("-S: fds 3 and 4 are not open");
	buf = alloc_buf((size_t)bs_kib << 10);
	fill_random(buf, (size_t)bs_kib << 10, (uint64_t)getpid() * 0x9e3779b97f4a7c15ull);
	/* DIR "-": no directory (only the cold read of -F). */
	mkd = strcmp(argv[optind], "-") != 0;
	snprintf(dir, sizeof(dir), "%s/iob.XXXXXX", argv[optind]);
	if (mkd && !mkdtemp(dir))
		die("mkdtemp %s: %s", dir, strerror(errno));
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(data2, sizeof(data2), "%s/data2", dir);
	list = strdup(phases);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "cold") == 0) {
			if (!file)
				die("cold needs -F FILE");
			struct stat fst;

			if (stat(file, &fst) < 0)
				die("stat %s: %s", file, strerror(errno));
			prefault(scratch, (long)(fst.st_size >> 20) + 64, buf,
			         (size_t)bs_kib << 10);
			job_read("read.cold", file, 0, (size_t)bs_kib << 10, buf);
			job_read("read", file, 0, (size_t)bs_kib << 10, buf);
		} else if (!mkd)
			die("phase %s needs a DIR", tok);
		else if (strcmp(tok, "write") == 0)
			job_write("write", dir, data, 0, mib, (size_t)bs_kib << 10, buf);
		else if (strcmp(tok, "dwrite") == 0) {
			/* A new file, never in the page cache: read.cold reads it
			 * from the device (no cache is dropped anywhere). */
			unlink(data);
			if (job_write("dwrite", NULL, data2, O_DIRECT, mib, (size_t)bs_kib << 10,
			              buf) == 0) {
				prefault(dir, mib + 64, buf, (size_t)bs_kib << 10);
				job_read("read.cold", data2, 0, (size_t)bs_kib << 10, buf);
			}
			unlink(data2);
		} else if (strcmp(tok, "read") == 0)
			job_read("read", data, 0, (size_t)bs_kib << 10, buf);
		else if (strcmp(tok, "dread") == 0)
			job_read("dread", data, O_DIRECT, (size_t)bs_kib << 10, buf);
		else if (strcmp(tok, "meta") == 0)
			job_meta(dir, files, (size_t)small, buf);
		else
			die("unknown phase %s", tok);
	}
	if (mkd) {
		unlink(data);
		unlink(data2);
		if (!keep && rmdir(dir) < 0)
			die("rmdir %s: %s", dir, strerror(errno));
	}
	if (sync_on)
		write_all(3, "Q -\n", 4);
	return 0;
}

static int cmd_mkdata(int argc, char **argv)
{
	long mib = 256;
	unsigned char *buf;
	int c, fd;

	while ((c = getopt(argc, argv, "s:")) != -1) {
		if (c != 's')
			return 2;
		mib = parse_long(optarg, "-s");
	}
	if (optind + 1 != argc)
		die("usage: iobench mkdata -s MIB FILE");
	fd = open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open %s: %s", argv[optind], strerror(errno));
	buf = alloc_buf(1 << 20);
	for (long i = 0; i < mib; i++) {
		fill_random(buf, 1 << 20, (uint64_t)i * 0x9e3779b97f4a7c15ull + 12345);
		write_all(fd, buf, 1 << 20);
	}
	if (fsync(fd) < 0)
		die("fsync: %s", strerror(errno));
	close(fd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* drive                                                               */

struct kt {
	int pid;
	unsigned long long ns;
	char comm[40];
};

struct snap {
	struct kt *v;
	size_t n, cap;
	unsigned long long softirq, busy; /* USER_HZ ticks, all CPUs */
};

static int read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return (int)r;
}

static void take_snap(struct snap *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], buf[1024];

	s->n = 0;
	if (!d)
		die("opendir /proc: %s", strerror(errno));
	while ((de = readdir(d))) {
		char *rp, *lp;
		unsigned flags = 0;
		unsigned long long ns;
		struct kt *k;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (read_small(path, buf, sizeof(buf)) < 0)
			continue;
		lp = strchr(buf, '(');
		rp = strrchr(buf, ')');
		if (!lp || !rp)
			continue;
		/* After ") ": state ppid pgrp session tty_nr tpgid flags */
		if (sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %u", &flags) != 1 ||
		    !(flags & PF_KTHREAD_FLAG))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", de->d_name);
		if (read_small(path, buf + 600, 400) < 0 || sscanf(buf + 600, "%llu", &ns) != 1)
			continue;
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 512;
			s->v = realloc(s->v, s->cap * sizeof(*s->v));
			if (!s->v)
				die("out of memory");
		}
		k = &s->v[s->n++];
		k->pid = atoi(de->d_name);
		k->ns = ns;
		*rp = '\0';
		snprintf(k->comm, sizeof(k->comm), "%s", lp + 1);
	}
	closedir(d);
	s->softirq = s->busy = 0;
	if (read_small("/proc/stat", buf, sizeof(buf)) > 0) {
		unsigned long long f[8] = {0};

		if (sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
		           &f[3], &f[4], &f[5], &f[6], &f[7]) == 8) {
			s->softirq = f[6];
			s->busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
		}
	}
}

struct kdelta {
	char phase[64];
	double kthr, softirq, busy;
	char top[200];
};

/* Kernel-thread CPU between a and b, in seconds; the top 3 in *top. */
static double snap_delta(const struct snap *a, const struct snap *b, char *top, size_t topn)
{
	struct {
		double s;
		const char *comm;
	} best[3] = {{0, NULL}, {0, NULL}, {0, NULL}};
	double sum = 0;
	size_t j = 0;
	int off = 0;

	/* Both are in /proc's readdir order (ascending pids). */
	for (size_t i = 0; i < b->n; i++) {
		unsigned long long base = 0;
		double dsec;

		while (j < a->n && a->v[j].pid < b->v[i].pid)
			j++;
		if (j < a->n && a->v[j].pid == b->v[i].pid)
			base = a->v[j].ns <= b->v[i].ns ? a->v[j].ns : b->v[i].ns;
		dsec = (double)(b->v[i].ns - base) / 1e9;
		sum += dsec;
		for (int k = 0; k < 3; k++) {
			if (dsec > best[k].s) {
				memmove(&best[k + 1], &best[k], (size_t)(2 - k) * sizeof(best[0]));
				best[k].s = dsec;
				best[k].comm = b->v[i].comm;
				break;
			}
		}
	}
	top[0] = '\0';
	for (int k = 0; k < 3 && best[k].comm; k++)
		off += snprintf(top + off, topn - (size_t)off, "%s%s=%.1fms", k ? " " : "",
		                best[k].comm, best[k].s * 1e3);
	return sum;
}

static void loop_info(const char *prefix, FILE *log, const char *env)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;
	char path[300], bf[4096], dio[16];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "loop", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", de->d_name);
		if (read_small(path, bf, sizeof(bf)) <= 0 ||
		    strncmp(bf, prefix, strlen(prefix)) != 0)
			continue;
		bf[strcspn(bf, "\n")] = '\0';
		snprintf(path, sizeof(path), "/sys/block/%s/loop/dio", de->d_name);
		if (read_small(path, dio, sizeof(dio)) <= 0)
			snprintf(dio, sizeof(dio), "?");
		dio[strcspn(dio, "\n")] = '\0';
		snprintf(path, sizeof(path), "/sys/block/%s/queue/logical_block_size", de->d_name);
		char lbs[16];
		if (read_small(path, lbs, sizeof(lbs)) <= 0)
			snprintf(lbs, sizeof(lbs), "?");
		lbs[strcspn(lbs, "\n")] = '\0';
		if (log)
			fprintf(log, "%s: /dev/%s backing=%s dio=%s logical_block_size=%s\n", env,
			        de->d_name, bf, dio, lbs);
	}
	closedir(d);
}

static int cmd_drive(int argc, char **argv)
{
	const char *out = NULL, *env = NULL, *round = NULL, *prefix = NULL, *logpath = NULL;
	int req[2], ack[2], outp[2], c, timeout_s = 900, status;
	struct snap a = {0}, b = {0};
	struct kdelta kd[32];
	int nkd = 0, loop_done = 0;
	char lines[32][256];
	int nlines = 0;
	char rbuf[4096], obuf[8192];
	size_t rlen = 0, olen = 0;
	int req_open = 1, out_open = 1;
	double tick = (double)sysconf(_SC_CLK_TCK);
	FILE *log = NULL, *tsv;
	pid_t pid;

	while ((c = getopt(argc, argv, "+o:e:r:L:D:T:")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'e':
			env = optarg;
			break;
		case 'r':
			round = optarg;
			break;
		case 'L':
			prefix = optarg;
			break;
		case 'D':
			logpath = optarg;
			break;
		case 'T':
			timeout_s = (int)parse_long(optarg, "-T");
			break;
		default:
			return 2;
		}
	}
	if (!out || !env || !round || optind >= argc)
		die("usage: iobench drive -o TSV -e ENV -r ROUND [-L PREFIX] [-D LOG] -- CMD...");
	if (logpath && !(log = fopen(logpath, "a")))
		die("open %s: %s", logpath, strerror(errno));
	if (pipe2(req, O_CLOEXEC) || pipe2(ack, O_CLOEXEC) || pipe2(outp, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	/* Out of the way of fds 3 and 4 before the child dup2()s onto them. */
	int fds[6] = {req[0], req[1], ack[0], ack[1], outp[0], outp[1]};
	for (int i = 0; i < 6; i++) {
		int nfd = fcntl(fds[i], F_DUPFD_CLOEXEC, 100);

		if (nfd < 0)
			die("fcntl: %s", strerror(errno));
		close(fds[i]);
		fds[i] = nfd;
	}
	req[0] = fds[0], req[1] = fds[1], ack[0] = fds[2], ack[1] = fds[3];
	outp[0] = fds[4], outp[1] = fds[5];
	signal(SIGPIPE, SIG_IGN);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (dup2(req[1], 3) < 0 || dup2(ack[0], 4) < 0 || dup2(outp[1], 1) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "iobench: exec %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	close(req[1]);
	close(ack[0]);
	close(outp[1]);
	double deadline = now() + timeout_s;
	while (req_open || out_open) {
		struct pollfd pf[2] = {{req_open ? req[0] : -1, POLLIN, 0},
		                       {out_open ? outp[0] : -1, POLLIN, 0}};
		int left = (int)((deadline - now()) * 1000);

		if (left <= 0) {
			fprintf(stderr, "iobench drive %s: timeout after %d s, killing %d\n", env,
			        timeout_s, (int)pid);
			kill(pid, SIGKILL);
			break;
		}
		if (poll(pf, 2, left) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (pf[1].revents) {
			ssize_t r = read(outp[0], obuf + olen, sizeof(obuf) - 1 - olen);
			char *nl;

			if (r <= 0) {
				out_open = 0;
			} else {
				olen += (size_t)r;
				obuf[olen] = '\0';
				while ((nl = memchr(obuf, '\n', olen))) {
					*nl = '\0';
					if (strncmp(obuf, "phase ", 6) == 0 && nlines < 32)
						snprintf(lines[nlines++], sizeof(lines[0]),
						         "%.250s", obuf + 6);
					else if (*obuf)
						fprintf(stderr, "%s: %s\n", env, obuf);
					olen -= (size_t)(nl + 1 - obuf);
					memmove(obuf, nl + 1, olen);
				}
				if (olen == sizeof(obuf) - 1)
					olen = 0;
			}
		}
		if (pf[0].revents) {
			ssize_t r = read(req[0], rbuf + rlen, sizeof(rbuf) - 1 - rlen);
			char *nl;

			if (r <= 0) {
				req_open = 0;
				continue;
			}
			rlen += (size_t)r;
			rbuf[rlen] = '\0';
			while ((nl = memchr(rbuf, '\n', rlen))) {
				char kind = rbuf[0], *name = rbuf + 2;

				*nl = '\0';
				if (kind == 'B') {
					if (prefix && !loop_done) {
						loop_info(prefix, log, env);
						loop_done = 1;
					}
					take_snap(&a);
					write_all(ack[1], "k", 1);
				} else if (kind == 'E') {
					take_snap(&b);
					if (nkd < 32) {
						struct kdelta *k = &kd[nkd++];

						snprintf(k->phase, sizeof(k->phase), "%.63s", name);
						k->kthr =
						    snap_delta(&a, &b, k->top, sizeof(k->top));
						k->softirq = (double)(b.softirq - a.softirq) / tick;
						k->busy = (double)(b.busy - a.busy) / tick;
					}
					write_all(ack[1], "k", 1);
				}
				rlen -= (size_t)(nl + 1 - rbuf);
				memmove(rbuf, nl + 1, rlen);
			}
		}
	}
	close(ack[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!(tsv = fopen(out, "a")))
		die("open %s: %s", out, strerror(errno));
	for (int i = 0; i < nlines; i++) {
		char name[64];
		double wall, u, s;
		long long bytes, ops;
		struct kdelta *k = NULL;

		if (sscanf(lines[i], "%63s %lf %lf %lf %lld %lld", name, &wall, &u, &s, &bytes,
		           &ops) != 6)
			continue;
		for (int j = 0; j < nkd; j++)
			if (strcmp(kd[j].phase, name) == 0)
				k = &kd[j];
		fprintf(tsv, "%s\t%s\t%s\t%.6f\t%.6f\t%.6f\t%.6f\t%.3f\t%.3f\t%lld\t%lld\n", env,
		        round, name, wall, u, s, k ? k->kthr : NAN, k ? k->softirq : NAN,
		        k ? k->busy : NAN, bytes, ops);
		if (log && k)
			fprintf(log,
			        "%s r%s %-12s wall=%.3fs cpu=%.1fms kthreads=%.1fms softirq=%.0fms "
			        "host_busy=%.2fs top: %s\n",
			        env, round, name, wall, (u + s) * 1e3, k->kthr * 1e3,
			        k->softirq * 1e3, k->busy, k->top);
	}
	fclose(tsv);
	if (log)
		fclose(log);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "iobench drive %s: command failed (status %#x)\n", env, status);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* cycle                                                               */

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static int spawn_wait(char **argv, int logfd, double *cpu)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);

		dup2(nul, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4: %s", strerror(errno));
	*cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int image_attached(const char *image)
{
	struct stat img;
	DIR *d;
	struct dirent *de;
	int found = 0;

	if (stat(image, &img) < 0 || !(d = opendir("/sys/block")))
		return 0;
	while ((de = readdir(d)) && !found) {
		char path[300], bf[4096];
		struct stat st;

		if (strncmp(de->d_name, "loop", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", de->d_name);
		if (read_small(path, bf, sizeof(bf)) <= 0)
			continue;
		bf[strcspn(bf, "\n")] = '\0';
		if (stat(bf, &st) == 0 && st.st_ino == img.st_ino && st.st_dev == img.st_dev)
			found = 1;
	}
	closedir(d);
	return found;
}

static int cmd_cycle(int argc, char **argv)
{
	const char *out = NULL, *tag = "iob", *logpath = "/dev/null";
	long n = 15, warm = 2;
	int c, nent, logfd, fails = 0;
	struct entry {
		char *name, *bundle, *image;
	} ent[16];
	FILE *tsv;

	while ((c = getopt(argc, argv, "o:n:w:t:l:")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			n = parse_long(optarg, "-n");
			break;
		case 'w':
			warm = parse_long(optarg, "-w");
			break;
		case 't':
			tag = optarg;
			break;
		case 'l':
			logpath = optarg;
			break;
		default:
			return 2;
		}
	}
	if (!out || argc - optind < 3)
		die("usage: iobench cycle -o TSV -n N -w W -t TAG KURA ROOTDIR "
		    "NAME=BUNDLE[=IMAGE]...");
	char *kura = argv[optind], *root = argv[optind + 1];
	nent = argc - optind - 2;
	if (nent > 16)
		die("too many entries");
	for (int i = 0; i < nent; i++) {
		char *s = strdup(argv[optind + 2 + i]), *eq = strchr(s, '='), *eq2;

		if (!eq)
			die("entry %s: NAME=BUNDLE[=IMAGE]", s);
		*eq = '\0';
		ent[i].name = s;
		ent[i].bundle = eq + 1;
		eq2 = strchr(eq + 1, '=');
		ent[i].image = NULL;
		if (eq2) {
			*eq2 = '\0';
			ent[i].image = eq2 + 1;
		}
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: wait4 returns EINTR */
	logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0 || !(tsv = fopen(out, "a")))
		die("open: %s", strerror(errno));
	for (long r = 0; r < warm + n; r++) {
		for (int k = 0; k < nent; k++) {
			struct entry *e = &ent[(r + k) % nent];
			char id[128];
			char *cr[] = {kura,       "--root",  root, "create",
			              "--bundle", e->bundle, id,   NULL};
			char *dl[] = {kura, "--root", root, "delete", "--force", id, NULL};
			double t0, t1, t2, t3, ccpu, dcpu, icpu = 0;
			int rc, drc;
			struct rusage ru;
			int st;

			snprintf(id, sizeof(id), "%s-cyc-%s-%ld", tag, e->name, r);
			t0 = now();
			rc = spawn_wait(cr, logfd, &ccpu);
			t1 = now();
			drc = spawn_wait(dl, logfd, &dcpu);
			t2 = now();
			/* The init, reparented to us. */
			alarmed = 0;
			alarm(30);
			for (;;) {
				pid_t p = wait4(-1, &st, 0, &ru);

				if (p > 0) {
					icpu += tv(ru.ru_utime) + tv(ru.ru_stime);
					continue;
				}
				if (errno == EINTR && !alarmed)
					continue;
				break;
			}
			alarm(0);
			if (alarmed)
				fprintf(stderr,
				        "iobench cycle: %s: the init did not exit in 30 s\n", id);
			if (e->image) {
				double lim = now() + 10;

				while (image_attached(e->image) && now() < lim)
					usleep(500);
			}
			t3 = now();
			if (rc || drc) {
				fprintf(stderr,
				        "iobench cycle: %s: create rc=%d delete rc=%d (see %s)\n",
				        id, rc, drc, logpath);
				fails++;
			}
			fprintf(tsv, "%s\t%ld\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%d\n",
			        e->name, r - warm, t1 - t0, ccpu, t2 - t1, dcpu, icpu, t3 - t0,
			        ccpu + dcpu + icpu, rc ? rc : drc);
			fflush(tsv);
		}
	}
	fclose(tsv);
	return fails ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* report                                                              */

struct row {
	char env[32], phase[32];
	int round;
	double wall, cpu, kthr, softirq, busy;
	long long bytes, ops;
};

static struct row *rows;
static size_t nrows;

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	double r;
	int lo;

	if (n == 0)
		return NAN;
	qsort(v, (size_t)n, sizeof(double), cmpd);
	r = p / 100.0 * (n - 1);
	lo = (int)floor(r);
	return lo + 1 < n ? v[lo] + (r - lo) * (v[lo + 1] - v[lo]) : v[lo];
}

static const struct row *find(const char *env, const char *phase, int round)
{
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].round == round && strcmp(rows[i].env, env) == 0 &&
		    strcmp(rows[i].phase, phase) == 0)
			return &rows[i];
	return NULL;
}

static int max_round;

/* Units of work: MB (1e6 bytes) or ops. */
static double units(const struct row *r)
{
	return r->bytes ? (double)r->bytes / 1e6 : (double)r->ops;
}

static double per_unit_mib(const struct row *r, double v)
{
	/* CPU per MiB for byte jobs, per op for ops jobs. */
	return r->bytes ? v / ((double)r->bytes / 1048576.0) : v / (double)r->ops;
}

static void fmt3(char *buf, size_t n, double med, double lo, double hi, const char *f)
{
	char a[32], b[32], c[32];

	if (isnan(med)) {
		snprintf(buf, n, "-");
		return;
	}
	snprintf(a, sizeof(a), f, med);
	snprintf(b, sizeof(b), f, lo);
	snprintf(c, sizeof(c), f, hi);
	snprintf(buf, n, "%s (%s-%s)", a, b, c);
}

static void report_pair(const char *env, const char *phase, const char *base, const char *bphase,
                        const char *label)
{
	double thr_e[256], thr_b[256], ratio[256], cpu_e[256], cpu_b[256], cratio[256];
	double kt_e[256], kt_b[256], tot_ratio[256];
	int n = 0, byte_job = 0;
	char s1[128], s2[128], s3[128], s4[64], s5[64], s6[128], s7[128];

	for (int r = 0; r <= max_round && n < 256; r++) {
		const struct row *e = find(env, phase, r), *b = find(base, bphase, r);

		if (!e || !b || e->wall <= 0 || b->wall <= 0)
			continue;
		byte_job = e->bytes != 0;
		thr_e[n] = units(e) / e->wall;
		thr_b[n] = units(b) / b->wall;
		ratio[n] = thr_e[n] / thr_b[n];
		cpu_e[n] = per_unit_mib(e, e->cpu) * 1e6;
		cpu_b[n] = per_unit_mib(b, b->cpu) * 1e6;
		cratio[n] = cpu_e[n] / cpu_b[n];
		kt_e[n] = per_unit_mib(e, isnan(e->kthr) ? 0 : e->kthr) * 1e6;
		kt_b[n] = per_unit_mib(b, isnan(b->kthr) ? 0 : b->kthr) * 1e6;
		tot_ratio[n] = (cpu_e[n] + kt_e[n]) / (cpu_b[n] + kt_b[n]);
		n++;
	}
	if (n == 0)
		return;
	const char *tf = byte_job ? "%.0f" : "%.0f";
	fmt3(s1, sizeof(s1), pct(thr_b, n, 50), pct(thr_b, n, 10), pct(thr_b, n, 90), tf);
	fmt3(s2, sizeof(s2), pct(thr_e, n, 50), pct(thr_e, n, 10), pct(thr_e, n, 90), tf);
	fmt3(s3, sizeof(s3), pct(ratio, n, 50), pct(ratio, n, 10), pct(ratio, n, 90), "%.3f");
	const char *cf = byte_job ? "%.0f" : "%.2f";
	snprintf(s4, sizeof(s4), cf, pct(cpu_b, n, 50));
	snprintf(s5, sizeof(s5), cf, pct(cpu_e, n, 50));
	fmt3(s6, sizeof(s6), pct(cratio, n, 50), pct(cratio, n, 10), pct(cratio, n, 90), "%.2f");
	char kb[32], ke[32];
	snprintf(kb, sizeof(kb), cf, pct(kt_b, n, 50));
	snprintf(ke, sizeof(ke), cf, pct(kt_e, n, 50));
	fmt3(s7, sizeof(s7), pct(tot_ratio, n, 50), pct(tot_ratio, n, 10), pct(tot_ratio, n, 90),
	     "%.2f");
	printf("| %s | %s %s | %s | %s | **%s** | %s / %s | %s | %s / %s | %s | %d |\n", env, label,
	       byte_job ? "MB/s" : "ops/s", s1, s2, s3, s4, s5, s6, kb, ke, s7, n);
}

static void add_meta_sum(void)
{
	/* meta = create + stat + unlink, per env and round. */
	size_t n0 = nrows;

	for (size_t i = 0; i < n0; i++) {
		const struct row *c = &rows[i], *s, *u;
		struct row m;

		if (strcmp(c->phase, "meta.create") != 0)
			continue;
		s = find(c->env, "meta.stat", c->round);
		u = find(c->env, "meta.unlink", c->round);
		if (!s || !u)
			continue;
		m = *c;
		snprintf(m.phase, sizeof(m.phase), "meta");
		m.wall = c->wall + s->wall + u->wall;
		m.cpu = c->cpu + s->cpu + u->cpu;
		m.kthr = c->kthr + s->kthr + u->kthr;
		m.ops = c->ops + s->ops + u->ops;
		rows = realloc(rows, (nrows + 1) * sizeof(*rows));
		rows[nrows++] = m;
	}
}

static int envs_seen(const char *env)
{
	for (size_t i = 0; i < nrows; i++)
		if (strcmp(rows[i].env, env) == 0)
			return 1;
	return 0;
}

static void report_io(const char *path, int warm)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		die("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		struct row r;
		double u, s;
		int round;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%31s %d %31s %lf %lf %lf %lf %lf %lf %lld %lld", r.env, &round,
		           r.phase, &r.wall, &u, &s, &r.kthr, &r.softirq, &r.busy, &r.bytes,
		           &r.ops) != 11)
			continue;
		if (round < warm)
			continue;
		r.round = round - warm;
		r.cpu = u + s;
		if (r.round > max_round)
			max_round = r.round;
		rows = realloc(rows, (nrows + 1) * sizeof(*rows));
		rows[nrows++] = r;
	}
	fclose(f);
	add_meta_sum();
	printf("Throughput: median (p10-p90) over rounds; ratio = root/native in the same round,\n"
	       "then median (p10-p90) of those per-round ratios (> 1: the root is faster).\n"
	       "CPU = the job's own user+sys (getrusage), per MiB (byte jobs) or per op, in us;\n"
	       "kthr = CPU of all kernel threads during the phase (loop workers, writeback,\n"
	       "jbd2, ksoftirqd; includes other users' kernel work), same units.\n"
	       "total = (CPU + kthr) ratio.\n\n");
	printf("| root | job | native | root | ratio | CPU us/unit native / root | CPU ratio | "
	       "kthr us/unit native / root | total CPU ratio | n |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|\n");
	static const char *const ext4_roots[] = {"dir", "overlay", "loop-ext4"};
	static const char *const tmpfs_roots[] = {"sparse", "overlay-tmpfs"};
	static const struct {
		const char *phase, *label;
	} jobs[] = {
	    {"write", "write+fsync"},       {"read", "read (cached)"},
	    {"dread", "read O_DIRECT"},     {"dwrite", "write O_DIRECT"},
	    {"read.cold", "read (cold)"},   {"meta", "meta (c+s+u)"},
	    {"meta.create", "meta.create"}, {"meta.stat", "meta.stat"},
	    {"meta.unlink", "meta.unlink"},
	};
	for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		for (size_t e = 0; e < 3; e++)
			if (envs_seen(ext4_roots[e]))
				report_pair(ext4_roots[e], jobs[j].phase, "native-ext4",
				            jobs[j].phase, jobs[j].label);
		for (size_t e = 0; e < 2; e++)
			if (envs_seen(tmpfs_roots[e]))
				report_pair(tmpfs_roots[e], jobs[j].phase, "native-tmpfs",
				            jobs[j].phase, jobs[j].label);
	}
	static const char *const ro_roots[] = {"loop-squashfs", "loop-erofs"};
	for (size_t e = 0; e < 2; e++)
		if (envs_seen(ro_roots[e]))
			report_pair(ro_roots[e], "read.cold", "native-ext4", "read.cold",
			            "first read (cold)");
	for (size_t e = 0; e < 2; e++)
		if (envs_seen(ro_roots[e]))
			report_pair(ro_roots[e], "read", "native-ext4", "read", "read (cached)");
	printf("\nAbsolute medians per environment (MB/s or ops/s; CPU us/unit; kthr us/unit;"
	       " host busy CPU-s during the phase, all users):\n\n");
	printf("| env | job | throughput (p10-p90) | CPU us/unit | kthr us/unit | host busy s | n "
	       "|\n");
	printf("|---|---|---|---|---|---|---|\n");
	static const char *const envs[] = {"native-ext4",   "dir",           "overlay",
	                                   "loop-ext4",     "native-tmpfs",  "sparse",
	                                   "overlay-tmpfs", "loop-squashfs", "loop-erofs"};
	static const char *const phases[] = {"write",       "read",      "dread",
	                                     "dwrite",      "read.cold", "meta",
	                                     "meta.create", "meta.stat", "meta.unlink"};
	for (size_t e = 0; e < sizeof(envs) / sizeof(envs[0]); e++) {
		for (size_t p = 0; p < sizeof(phases) / sizeof(phases[0]); p++) {
			double thr[256], cpu[256], kt[256], busy[256];
			int n = 0, bj = 0;
			char s[128];

			for (int r = 0; r <= max_round && n < 256; r++) {
				const struct row *x = find(envs[e], phases[p], r);

				if (!x || x->wall <= 0)
					continue;
				bj = x->bytes != 0;
				thr[n] = units(x) / x->wall;
				cpu[n] = per_unit_mib(x, x->cpu) * 1e6;
				kt[n] = per_unit_mib(x, isnan(x->kthr) ? 0 : x->kthr) * 1e6;
				busy[n] = isnan(x->busy) ? 0 : x->busy;
				n++;
			}
			if (!n)
				continue;
			fmt3(s, sizeof(s), pct(thr, n, 50), pct(thr, n, 10), pct(thr, n, 90),
			     "%.0f");
			printf(bj ? "| %s | %s MB/s | %s | %.0f | %.0f | %.2f | %d |\n"
			          : "| %s | %s ops/s | %s | %.2f | %.2f | %.2f | %d |\n",
			       envs[e], phases[p], s, pct(cpu, n, 50), pct(kt, n, 50),
			       pct(busy, n, 50), n);
		}
	}
}

struct crow {
	char name[32];
	int round;
	double cw, cc, dw, dc, ic, tw, tc;
	int rc;
};

static void report_cycle(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], names[16][32];
	struct crow *cr = NULL;
	size_t ncr = 0;
	int nn = 0, maxr = -1, fails = 0;

	if (!f)
		die("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		struct crow c;

		if (sscanf(line, "%31s %d %lf %lf %lf %lf %lf %lf %lf %d", c.name, &c.round, &c.cw,
		           &c.cc, &c.dw, &c.dc, &c.ic, &c.tw, &c.tc, &c.rc) != 10 ||
		    c.round < 0)
			continue;
		if (c.rc)
			fails++;
		int seen = 0;
		for (int i = 0; i < nn; i++)
			seen |= strcmp(names[i], c.name) == 0;
		if (!seen && nn < 16)
			snprintf(names[nn++], sizeof(names[0]), "%s", c.name);
		if (c.round > maxr)
			maxr = c.round;
		cr = realloc(cr, (ncr + 1) * sizeof(*cr));
		cr[ncr++] = c;
	}
	fclose(f);
	printf("\nCreate cost per root type: `kura create` + `kura delete --force` of a created\n"
	       "(never started) container, ms, median (p10-p90); CPU = kura create + kura delete\n"
	       "+ the container's init (where the root is mounted), reaped by the timer;\n"
	       "total wall = from create's start until the init is reaped (and, for loop roots,\n"
	       "the loop device is detached); delta = per-round difference to `dir`.\n\n");
	printf("| root | create wall | delete wall | total wall | total CPU | init CPU | wall - "
	       "dir | CPU - dir | n |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < nn; i++) {
		double cw[512], dw[512], tw[512], tc[512], ic[512], ddw[512], ddc[512];
		int n = 0, nd = 0;
		char a[128], b[128], c[128], d[128], e[128], g[128], h[128];

		for (size_t k = 0; k < ncr && n < 512; k++) {
			if (strcmp(cr[k].name, names[i]) != 0 || cr[k].rc)
				continue;
			cw[n] = cr[k].cw * 1e3;
			dw[n] = cr[k].dw * 1e3;
			tw[n] = cr[k].tw * 1e3;
			tc[n] = cr[k].tc * 1e3;
			ic[n] = cr[k].ic * 1e3;
			n++;
			for (size_t m = 0; m < ncr; m++)
				if (cr[m].round == cr[k].round && strcmp(cr[m].name, "dir") == 0 &&
				    !cr[m].rc) {
					ddw[nd] = (cr[k].tw - cr[m].tw) * 1e3;
					ddc[nd] = (cr[k].tc - cr[m].tc) * 1e3;
					nd++;
				}
		}
		if (!n)
			continue;
		fmt3(a, sizeof(a), pct(cw, n, 50), pct(cw, n, 10), pct(cw, n, 90), "%.2f");
		fmt3(b, sizeof(b), pct(dw, n, 50), pct(dw, n, 10), pct(dw, n, 90), "%.2f");
		fmt3(c, sizeof(c), pct(tw, n, 50), pct(tw, n, 10), pct(tw, n, 90), "%.2f");
		fmt3(d, sizeof(d), pct(tc, n, 50), pct(tc, n, 10), pct(tc, n, 90), "%.2f");
		fmt3(e, sizeof(e), pct(ic, n, 50), pct(ic, n, 10), pct(ic, n, 90), "%.2f");
		fmt3(g, sizeof(g), pct(ddw, nd, 50), pct(ddw, nd, 10), pct(ddw, nd, 90), "%+.2f");
		fmt3(h, sizeof(h), pct(ddc, nd, 50), pct(ddc, nd, 10), pct(ddc, nd, 90), "%+.2f");
		printf("| %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", names[i], a, b, c, d, e,
		       strcmp(names[i], "dir") ? g : "-", strcmp(names[i], "dir") ? h : "-", n);
	}
	if (fails)
		printf("\n%d failed samples (left out)\n", fails);
	(void)maxr;
}

static int cmd_report(int argc, char **argv)
{
	int c, warm = 0;

	while ((c = getopt(argc, argv, "w:")) != -1) {
		if (c != 'w')
			return 2;
		warm = (int)parse_long(optarg, "-w");
	}
	if (optind >= argc)
		die("usage: iobench report -w WARMUP IO.TSV [CYCLE.TSV]");
	if (strcmp(argv[optind], "-") != 0)
		report_io(argv[optind], warm);
	if (optind + 1 < argc)
		report_cycle(argv[optind + 1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: iobench work|drive|cycle|mkdata|report ...");
	argv++, argc--;
	optind = 1;
	if (strcmp(argv[0], "work") == 0)
		return cmd_work(argc, argv);
	if (strcmp(argv[0], "drive") == 0)
		return cmd_drive(argc, argv);
	if (strcmp(argv[0], "cycle") == 0)
		return cmd_cycle(argc, argv);
	if (strcmp(argv[0], "mkdata") == 0)
		return cmd_mkdata(argc, argv);
	if (strcmp(argv[0], "report") == 0)
		return cmd_report(argc, argv);
	die("unknown mode %s", argv[0]);
}
