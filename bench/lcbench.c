/* lcbench: interleaved lifecycle timer for OCI runtimes (bench/lifecycle.sh).
 *
 *   lcbench [-j JSONL] [-n N] [-w WARMUP] [-s SEQ] [-t TIMEOUT_S] MODE PLAN
 *
 * PLAN lists the runtimes, one per line (blank lines and #comments skipped):
 *
 *   NAME BUNDLE OPTS ARGV0 [ARG...]
 *
 * OPTS is "-" or a comma list of
 *   mntns=PATH  setns() into the mount namespace PATH before exec (crun on
 *               a hybrid cgroup host: a namespace prepared by lifecycle.sh)
 *   presealed   exec ARGV0 from a sealed memfd copy made once at start-up,
 *               so /proc/self/exe is already sealed (kura then skips its
 *               own copy + re-exec: the CVE-2019-5736 defence's cost)
 * ARGV0 [ARG...] is the runtime with its global flags (e.g. --root DIR).
 *
 * MODE
 *   run    N rounds; each round runs `ARGV run --bundle B ID` once per
 *          runtime, the order rotated every round (interleaved).
 *   cycle  N rounds of create --pid-file, start, wait for the init to
 *          exit (we are a child subreaper, so it is reparented to us),
 *          delete.  Per phase times and the total.
 *   seq    N rounds; each round runs SEQ (default 100) back-to-back `run`s
 *          per runtime and reports their total wall time.
 *
 * Peak RSS is ru_maxrss from wait4() on the runtime process: the runtime
 * and every descendant it waited for (its re-exec, runc init, the
 * container's init for `run`).  It includes what the forked child inherited
 * from lcbench before exec (mode `baseline` shows that floor).  In mode
 * `run` the same rusage also gives user+sys CPU time (run.cpu), which the
 * noisy host disturbs far less than wall time.
 *
 * Output: a table on stdout, one JSON object per line appended to JSONL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RT   8
#define MAX_ARGS 32

struct rt {
	char name[64];
	char bundle[512];
	int mntns_fd; /* -1: none */
	int exe_fd;   /* -1: exec argv[0] by path */
	int argc;
	char *argv[MAX_ARGS];
	char errlog[600];
	int failures;
};

static struct rt rts[MAX_RT];
static int nrt;
static int timeout_s = 60;
static FILE *jf;
static char tmpdir[512];
static double last_cpu_ms; /* user+sys of the last invoke()d runtime and what it reaped */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "lcbench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Reap orphans reparented to us (we are a subreaper), never a given pid. */
static void reap_orphans(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static int make_sealed_copy(const char *path)
{
	int in = open(path, O_RDONLY | O_CLOEXEC), out;
	struct stat st;
	off_t off = 0;

	if (in < 0 || fstat(in, &st) < 0)
		die("open %s: %s", path, strerror(errno));
	out = memfd_create("kura-presealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (out < 0)
		die("memfd_create: %s", strerror(errno));
	while (off < st.st_size) {
		ssize_t n = sendfile(out, in, &off, (size_t)(st.st_size - off));
		if (n <= 0)
			die("copy %s: %s", path, strerror(errno));
	}
	if (fcntl(out, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		die("seal: %s", strerror(errno));
	close(in);
	return out;
}

static void parse_plan(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f)
		die("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok, *opts;
		struct rt *r;

		line[strcspn(line, "\n")] = 0;
		tok = strtok_r(line, " \t", &save);
		if (!tok || tok[0] == '#')
			continue;
		if (nrt == MAX_RT)
			die("too many runtimes");
		r = &rts[nrt++];
		memset(r, 0, sizeof(*r));
		r->mntns_fd = r->exe_fd = -1;
		snprintf(r->name, sizeof(r->name), "%s", tok);
		tok = strtok_r(NULL, " \t", &save);
		if (!tok)
			die("%s: no bundle", r->name);
		snprintf(r->bundle, sizeof(r->bundle), "%s", tok);
		opts = strtok_r(NULL, " \t", &save);
		if (!opts)
			die("%s: no options", r->name);
		while ((tok = strtok_r(NULL, " \t", &save)) && r->argc < MAX_ARGS - 8)
			r->argv[r->argc++] = strdup(tok);
		if (r->argc == 0)
			die("%s: no command", r->name);
		if (strcmp(opts, "-") != 0) {
			char *s2 = NULL, *o;

			for (o = strtok_r(opts, ",", &s2); o; o = strtok_r(NULL, ",", &s2)) {
				if (strncmp(o, "mntns=", 6) == 0) {
					r->mntns_fd = open(o + 6, O_RDONLY | O_CLOEXEC);
					if (r->mntns_fd < 0)
						die("%s: open %s: %s", r->name, o + 6,
						    strerror(errno));
				} else if (strcmp(o, "presealed") == 0) {
					r->exe_fd = make_sealed_copy(r->argv[0]);
				} else {
					die("%s: unknown option %s", r->name, o);
				}
			}
		}
		{
			char nm[sizeof(r->name)];

			memcpy(nm, r->name, sizeof(nm));
			snprintf(r->errlog, sizeof(r->errlog), "%s/%s.stderr", tmpdir, nm);
		}
	}
	fclose(f);
	if (nrt == 0)
		die("%s: no runtimes", path);
}

/* Run the runtime with VERB ARGS...; return exit status (or -1), set
 * *ms and *rss_kb. */
static int invoke(struct rt *r, double *ms, long *rss_kb, const char *verb, ...)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0, status = 0, pfd;
	const char *a;
	va_list ap;
	struct rusage ru;
	double t0;
	pid_t pid;

	for (int i = 0; i < r->argc; i++)
		argv[argc++] = r->argv[i];
	argv[argc++] = (char *)verb;
	va_start(ap, verb);
	while ((a = va_arg(ap, const char *)) && argc < MAX_ARGS)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		int ef = open(r->errlog, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 0);
		dup2(fd, 1);
		dup2(ef >= 0 ? ef : fd, 2);
		signal(SIGPIPE, SIG_DFL);
		if (r->mntns_fd >= 0 && setns(r->mntns_fd, CLONE_NEWNS) < 0) {
			dprintf(2, "lcbench: setns: %s\n", strerror(errno));
			_exit(126);
		}
		if (r->exe_fd >= 0)
			syscall(SYS_execveat, r->exe_fd, "", argv, environ, AT_EMPTY_PATH);
		else
			execv(argv[0], argv);
		dprintf(2, "lcbench: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	pfd = pidfd_open_(pid);
	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};

		if (poll(&p, 1, timeout_s * 1000) == 0) {
			fprintf(stderr, "lcbench: %s %s timed out after %d s, killing %d\n",
			        r->name, verb, timeout_s, (int)pid);
			kill(pid, SIGKILL);
		}
		close(pfd);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR)
			die("wait4: %s", strerror(errno));
	}
	*ms = now_ms() - t0;
	*rss_kb = ru.ru_maxrss;
	last_cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	              (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	reap_orphans();
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;
}

static void fail(struct rt *r, const char *what, int st)
{
	r->failures++;
	fprintf(stderr, "lcbench: %s: %s failed (status %d), see %s\n", r->name, what, st,
	        r->errlog);
	if (r->failures > 5)
		die("%s: too many failures", r->name);
}

/* ---- statistics ---- */

struct series {
	double *v;
	int n, cap;
};

static void push(struct series *s, double x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, (size_t)s->cap * sizeof(double));
		if (!s->v)
			die("oom");
	}
	s->v[s->n++] = x;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Percentile with linear interpolation between closest ranks. */
static double pct(const struct series *s, double p)
{
	double *v, r, out;
	int lo;

	if (s->n == 0)
		return NAN;
	v = malloc((size_t)s->n * sizeof(double));
	memcpy(v, s->v, (size_t)s->n * sizeof(double));
	qsort(v, (size_t)s->n, sizeof(double), cmpd);
	r = p / 100.0 * (s->n - 1);
	lo = (int)floor(r);
	out = lo + 1 < s->n ? v[lo] + (r - lo) * (v[lo + 1] - v[lo]) : v[lo];
	free(v);
	return out;
}

struct metric {
	const char *name; /* e.g. "run" or "cycle.create" */
	const char *unit;
	struct series s[MAX_RT];
};

static int ref_idx(const char *name)
{
	for (int i = 0; i < nrt; i++)
		if (strcmp(rts[i].name, name) == 0)
			return i;
	return -1;
}

static void jnum(const char *key, double v)
{
	if (isnan(v))
		fprintf(jf, ",\"%s\":null", key);
	else
		fprintf(jf, ",\"%s\":%.4f", key, v);
}

static void report(const char *bench, struct metric *m)
{
	int icrun = ref_idx("crun"), irunc = ref_idx("runc");

	for (int i = 0; i < nrt; i++) {
		struct series *s = &m->s[i];
		double med = pct(s, 50), rc = NAN, rr = NAN;

		if (icrun >= 0 && i != icrun)
			rc = med / pct(&m->s[icrun], 50);
		if (irunc >= 0 && i != irunc)
			rr = med / pct(&m->s[irunc], 50);
		printf("%-16s %-14s %4d %10.2f %10.2f %10.2f %10.2f %10.2f", m->name, rts[i].name,
		       s->n, med, pct(s, 10), pct(s, 90), pct(s, 0), pct(s, 100));
		if (!isnan(rc))
			printf(" %7.2fx", rc);
		else
			printf(" %8s", "-");
		if (!isnan(rr))
			printf(" %7.2fx", rr);
		else
			printf(" %8s", "-");
		printf("  %s\n", m->unit);
		if (jf) {
			fprintf(jf,
			        "{\"bench\":\"%s\",\"metric\":\"%s\",\"runtime\":\"%s\",\"unit\":"
			        "\"%s\","
			        "\"n\":%d",
			        bench, m->name, rts[i].name, m->unit, s->n);
			jnum("median", med);
			jnum("p10", pct(s, 10));
			jnum("p90", pct(s, 90));
			jnum("min", pct(s, 0));
			jnum("max", pct(s, 100));
			jnum("ratio_vs_crun", rc);
			jnum("ratio_vs_runc", rr);
			fprintf(jf, ",\"failures\":%d}\n", rts[i].failures);
			fflush(jf);
		}
	}
}

static void header(const char *title)
{
	printf("\n== %s\n", title);
	printf("%-16s %-14s %4s %10s %10s %10s %10s %10s %8s %8s\n", "metric", "runtime", "n",
	       "median", "p10", "p90", "min", "max", "/crun", "/runc");
}

static void id_for(char *buf, size_t len, const struct rt *r, const char *tag, int i)
{
	snprintf(buf, len, "kb%d-%s-%s-%d", (int)getpid(), r->name, tag, i);
}

/* ---- modes ---- */

static void mode_run(int n, int warm)
{
	struct metric wall = {"run", "ms", {{0}}}, rss = {"run.maxrss", "KiB", {{0}}};
	struct metric cpu = {"run.cpu", "ms", {{0}}};
	char id[128];

	for (int round = -warm; round < n; round++) {
		for (int k = 0; k < nrt; k++) {
			int i = (k + (round < 0 ? 0 : round)) % nrt;
			struct rt *r = &rts[i];
			double ms;
			long kb;
			int st;

			id_for(id, sizeof(id), r, "run", round + warm);
			st = invoke(r, &ms, &kb, "run", "--bundle", r->bundle, id, (char *)NULL);
			if (st != 0) {
				fail(r, "run", st);
				continue;
			}
			if (round >= 0) {
				push(&wall.s[i], ms);
				push(&rss.s[i], (double)kb);
				push(&cpu.s[i], last_cpu_ms);
			}
		}
	}
	header("run /bin/true (wall ms per `run`; user+sys CPU ms; peak RSS KiB)");
	report("run", &wall);
	report("run", &cpu);
	report("run", &rss);
}

static pid_t read_pid(const char *path)
{
	FILE *f = fopen(path, "r");
	int pid = -1;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return pid;
}

/* Wait for PID to exit: reap it if it is our child (reparented to us),
 * else poll its pidfd. */
static int wait_exit(pid_t pid)
{
	int pfd = pidfd_open_(pid), rc = 0;

	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};

		if (poll(&p, 1, timeout_s * 1000) == 0)
			rc = -1;
		close(pfd);
	}
	if (waitpid(pid, NULL, WNOHANG) < 0 && errno != ECHILD)
		rc = -1;
	return rc;
}

static void mode_cycle(int n, int warm)
{
	static const char *names[] = {"cycle.total",  "cycle.create", "cycle.start",
	                              "cycle.wait",   "cycle.delete", "create.maxrss",
	                              "start.maxrss", "delete.maxrss"};
	struct metric m[8];
	char id[128], pidf[700];

	memset(m, 0, sizeof(m));
	for (int j = 0; j < 8; j++) {
		m[j].name = names[j];
		m[j].unit = j < 5 ? "ms" : "KiB";
	}
	for (int round = -warm; round < n; round++) {
		for (int k = 0; k < nrt; k++) {
			int i = (k + (round < 0 ? 0 : round)) % nrt;
			struct rt *r = &rts[i];
			double t0, tc, ts, tw, td, ms;
			long kc, ks, kd;
			pid_t pid;
			int st;

			id_for(id, sizeof(id), r, "cyc", round + warm);
			snprintf(pidf, sizeof(pidf), "%s/%s.pid", tmpdir, id);
			t0 = now_ms();
			st = invoke(r, &ms, &kc, "create", "--bundle", r->bundle, "--pid-file",
			            pidf, id, (char *)NULL);
			tc = now_ms();
			if (st != 0) {
				fail(r, "create", st);
				invoke(r, &ms, &kd, "delete", "--force", id, (char *)NULL);
				continue;
			}
			pid = read_pid(pidf);
			unlink(pidf);
			st = invoke(r, &ms, &ks, "start", id, (char *)NULL);
			ts = now_ms();
			if (st != 0 || pid <= 0) {
				fail(r, "start", st);
				invoke(r, &ms, &kd, "delete", "--force", id, (char *)NULL);
				continue;
			}
			if (wait_exit(pid) < 0) {
				fail(r, "wait", -1);
				invoke(r, &ms, &kd, "delete", "--force", id, (char *)NULL);
				continue;
			}
			tw = now_ms();
			st = invoke(r, &ms, &kd, "delete", id, (char *)NULL);
			td = now_ms();
			if (st != 0) {
				fail(r, "delete", st);
				invoke(r, &ms, &kd, "delete", "--force", id, (char *)NULL);
				continue;
			}
			if (round < 0)
				continue;
			push(&m[0].s[i], td - t0);
			push(&m[1].s[i], tc - t0);
			push(&m[2].s[i], ts - tc);
			push(&m[3].s[i], tw - ts);
			push(&m[4].s[i], td - tw);
			push(&m[5].s[i], (double)kc);
			push(&m[6].s[i], (double)ks);
			push(&m[7].s[i], (double)kd);
		}
	}
	header("create + start + wait + delete (wall ms; peak RSS KiB per verb)");
	for (int j = 0; j < 8; j++)
		report("cycle", &m[j]);
}

static void mode_seq(int n, int seqlen, int warm)
{
	struct metric tot = {"seq.total", "s", {{0}}};
	char id[128], tag[32];

	for (int round = -warm; round < n; round++) {
		for (int k = 0; k < nrt; k++) {
			int i = (k + (round < 0 ? 0 : round)) % nrt;
			struct rt *r = &rts[i];
			double t0 = now_ms(), ms;
			int ok = 1;
			long kb;

			snprintf(tag, sizeof(tag), "seq%d", round + warm);
			for (int j = 0; j < seqlen; j++) {
				int st;

				id_for(id, sizeof(id), r, tag, j);
				st = invoke(r, &ms, &kb, "run", "--bundle", r->bundle, id,
				            (char *)NULL);
				if (st != 0) {
					fail(r, "run", st);
					ok = 0;
				}
			}
			if (ok && round >= 0)
				push(&tot.s[i], (now_ms() - t0) / 1e3);
		}
	}
	char title[128];

	snprintf(title, sizeof(title), "%d sequential `run`s of /bin/true, total wall s per block",
	         seqlen);
	header(title);
	report("seq", &tot);
}

static void mode_baseline(int n)
{
	struct metric rss = {"baseline.maxrss", "KiB", {{0}}};
	struct rt save = rts[0];
	int save_n = nrt;

	/* lcbench's fork+exec of a static /bin/true-like program: the floor
	 * under every peak RSS figure. */
	nrt = 1;
	rts[0].argc = 1;
	rts[0].argv[0] = "/bin/true";
	rts[0].mntns_fd = rts[0].exe_fd = -1;
	snprintf(rts[0].name, sizeof(rts[0].name), "lcbench+true");
	for (int i = 0; i < n; i++) {
		double ms;
		long kb;

		if (invoke(&rts[0], &ms, &kb, "--version", (char *)NULL) >= 0)
			push(&rss.s[0], (double)kb);
	}
	header("baseline: peak RSS of lcbench's fork + exec /bin/true");
	report("baseline", &rss);
	rts[0] = save;
	nrt = save_n;
}

int main(int argc, char **argv)
{
	int n = 30, warm = 1, seqlen = 100, c;
	const char *jpath = NULL, *mode, *plan;

	while ((c = getopt(argc, argv, "j:n:w:s:t:d:")) != -1) {
		switch (c) {
		case 'j':
			jpath = optarg;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'w':
			warm = atoi(optarg);
			break;
		case 's':
			seqlen = atoi(optarg);
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		case 'd':
			snprintf(tmpdir, sizeof(tmpdir), "%s", optarg);
			break;
		default:
			die("usage: lcbench [-j JSONL] [-n N] [-w WARMUP] [-s SEQ] [-t S] -d "
			    "TMPDIR MODE PLAN");
		}
	}
	if (argc - optind != 2 || !tmpdir[0])
		die("usage: lcbench [-j JSONL] [-n N] [-w WARMUP] [-s SEQ] [-t S] -d TMPDIR MODE "
		    "PLAN");
	mode = argv[optind];
	plan = argv[optind + 1];
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	if (jpath && !(jf = fopen(jpath, "a")))
		die("open %s: %s", jpath, strerror(errno));
	parse_plan(plan);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "run") == 0)
		mode_run(n, warm);
	else if (strcmp(mode, "cycle") == 0)
		mode_cycle(n, warm);
	else if (strcmp(mode, "seq") == 0)
		mode_seq(n, seqlen, warm);
	else if (strcmp(mode, "baseline") == 0)
		mode_baseline(n);
	else
		die("unknown mode %s", mode);
	reap_orphans();
	for (int i = 0; i < nrt; i++)
		if (rts[i].failures)
			return 1;
	return 0;
}
