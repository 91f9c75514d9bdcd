/*
 * hidden.c - hidden processes: the PID range asked directly versus the
 * /proc listing (see hidden.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/hidden.h"
#include "collect/pid_bpf.h"

#define PID_MAX_LIMIT (1 << 22) /* the kernel's own ceiling (4194304) */
#define MAX_REPORT 4096         /* hidden PIDs kept */
#define MAX_CAND 65536          /* candidates verified */
#define MAX_THREADS 64          /* sweep threads */

static int
bit_get(const uint8_t *b, int i)
{
	return (b[i >> 3] >> (i & 7)) & 1;
}

static void
bit_set(uint8_t *b, int i)
{
	b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

int
hidden_list_proc(void *ctx, uint8_t *bits, int pid_max, struct err *err)
{
	struct dirent *de;
	DIR *d;

	(void)ctx;
	d = opendir("/proc");
	if (d == NULL)
		return err_sys(err, errno, "cannot list '/proc'");
	while ((de = readdir(d)) != NULL) {
		uint64_t v;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    str_u64(de->d_name, &v) == -1 || v >= (uint64_t)pid_max)
			continue;
		bit_set(bits, (int)v);
	}
	closedir(d);
	return 0;
}

int
hidden_proc_hidepid(const char *mi, size_t len)
{
	const char *cur = mi, *end = mi + len, *ls, *le;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *sep, *p;
		size_t n = (size_t)(le - ls);

		/* "... /proc rw,... - proc proc rw,hidepid=2" */
		if (n < 8)
			continue;
		sep = NULL;
		for (p = ls; p + 3 <= le; p++)
			if (p[0] == ' ' && p[1] == '-' && p[2] == ' ') {
				sep = p + 3;
				break;
			}
		if (sep == NULL || (size_t)(le - sep) < 5 ||
		    memcmp(sep, "proc ", 5) != 0)
			continue;
		for (p = sep; p + 8 <= le; p++)
			if (memcmp(p, "hidepid=", 8) == 0) {
				const char *v = p + 8;

				if (v < le && *v != '0' &&
				    !(le - v >= 3 && memcmp(v, "off", 3) == 0))
					return 1;
			}
	}
	return 0;
}

/* 1 if some probe says pid exists; *how gets which. */
static int
probe(int pid, int thorough, unsigned *how)
{
	*how = 0;
	if (kill(pid, 0) == 0 || errno == EPERM)
		*how |= HIDDEN_BY_KILL;
	if (thorough) {
		errno = 0;
		if (getpriority(PRIO_PROCESS, (id_t)pid) != -1 || errno == 0 ||
		    errno == EPERM)
			*how |= HIDDEN_BY_PRIO;
		if (sched_getscheduler(pid) != -1 || errno == EPERM)
			*how |= HIDDEN_BY_SCHED;
	}
	return *how != 0;
}

/* Boot-relative now in clock ticks, as /proc/PID/stat's starttime. */
static uint64_t
ticks_now(void)
{
	struct timespec ts;
	long hz = sysconf(_SC_CLK_TCK);

	clock_gettime(CLOCK_BOOTTIME, &ts);
	if (hz <= 0)
		hz = 100;
	return (uint64_t)ts.tv_sec * (uint64_t)hz +
	    (uint64_t)ts.tv_nsec / (1000000000u / (uint64_t)hz);
}

/*
 * What /proc/PID says when opened directly: tgid, uid, comm, start time.
 * 0, or -1 when it cannot be read.
 */
static int
read_status(int pid, int *tgid, uint32_t *uid, char *comm, size_t commsz,
    uint64_t *start)
{
	struct strbuf sb = STRBUF_INIT(65536);
	char path[64];
	const char *cur, *end, *ls, *le;
	struct err err = {0};
	int rc = -1;

	*tgid = pid;
	*uid = UINT32_MAX;
	*start = 0;
	comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (file_read(path, 65536, &sb, NULL, &err) == -1)
		goto out;
	cur = sb.p;
	end = sb.p + sb.len;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		uint64_t v;

		if (cur_lit(&ls, le, "Name:") == 0) {
			cur_spaces(&ls, le);
			snprintf(comm, commsz, "%.*s", (int)(le - ls), ls);
		} else if (cur_lit(&ls, le, "Tgid:") == 0) {
			cur_spaces(&ls, le);
			if (cur_u64(&ls, le, &v) == 0)
				*tgid = (int)v;
		} else if (cur_lit(&ls, le, "Uid:") == 0) {
			cur_spaces(&ls, le);
			if (cur_u64(&ls, le, &v) == 0)
				*uid = (uint32_t)v;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (file_read(path, 65536, &sb, NULL, &err) == 0 && sb.len > 0) {
		const char *p = memrchr(sb.p, ')', sb.len);
		int field = 2;

		end = sb.p + sb.len;
		for (; p != NULL && p < end; p++) {
			if (*p != ' ')
				continue;
			field++;
			if (field == 22) {
				const char *q = p + 1;
				uint64_t v;

				if (cur_u64(&q, end, &v) == 0)
					*start = v;
				break;
			}
		}
	}
	rc = 0;
out:
	strbuf_release(&sb);
	return rc;
}

static int
pid_max_read(struct err *err)
{
	struct strbuf sb = STRBUF_INIT(64);
	const char *cur;
	uint64_t v = 0;

	if (file_read("/proc/sys/kernel/pid_max", 64, &sb, NULL, err) == -1)
		return -1;
	cur = sb.p;
	if (cur == NULL || cur_u64(&cur, sb.p + sb.len, &v) == -1 || v < 2 ||
	    v > PID_MAX_LIMIT) {
		strbuf_release(&sb);
		return err_set(
		    err, EINVAL, "cannot read '/proc/sys/kernel/pid_max'");
	}
	strbuf_release(&sb);
	return (int)v;
}

static int
we_are_hidden_from(void)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);
	struct err err = {0};
	int r = 0;

	if (geteuid() == 0)
		return 0;
	if (file_read("/proc/self/mountinfo", 1u << 20, &sb, NULL, &err) == 0)
		r = hidden_proc_hidepid(sb.p, sb.len);
	strbuf_release(&sb);
	return r;
}

/* A PID to verify, and what named it. */
struct cand {
	int pid;
	unsigned how;
};

struct cands {
	struct cand *v;
	size_t n, cap;
	uint8_t *seen; /* pid_max bits */
	int pid_max;
	int oom;
};

static void
cand_add(struct cands *c, int pid, unsigned how)
{
	if (pid <= 0 || pid >= c->pid_max)
		return;
	if (bit_get(c->seen, pid)) {
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].pid == pid) {
				c->v[i].how |= how;
				return;
			}
		return;
	}
	if (c->n >= MAX_CAND)
		return;
	if (mem_grow(&c->v, &c->cap, c->n + 1, sizeof(*c->v)) == -1) {
		c->oom = 1;
		return;
	}
	bit_set(c->seen, pid);
	c->v[c->n].pid = pid;
	c->v[c->n].how = how;
	c->n++;
}

/* One stripe of the sweep: PIDs lo..hi-1 not in the listing that answer. */
struct stripe {
	const uint8_t *bits;
	int lo, hi, thorough;
	struct cand *cand;
	size_t n, cap;
	unsigned alive;
	int oom;
};

static void *
sweep_stripe(void *arg)
{
	struct stripe *st = arg;

	for (int pid = st->lo; pid < st->hi; pid++) {
		unsigned how;

		/* whole bytes of known PIDs at once */
		if ((pid & 7) == 0 && pid + 8 <= st->hi &&
		    st->bits[pid >> 3] == 0xff) {
			pid += 7;
			continue;
		}
		if (bit_get(st->bits, pid))
			continue;
		if (!probe(pid, st->thorough, &how))
			continue;
		st->alive++;
		if (mem_grow(&st->cand, &st->cap, st->n + 1,
		        sizeof(*st->cand)) == -1) {
			st->oom = 1;
			break;
		}
		st->cand[st->n].pid = pid;
		st->cand[st->n].how = how;
		st->n++;
	}
	return NULL;
}

/*
 * The sweep over 1..pid_max-1, split over a thread per CPU (a system call
 * per unlisted PID is the whole cost), into c.  0, or -1 on ENOMEM.
 */
static int
sweep(const uint8_t *bits, int pid_max, const struct hidden_opts *o,
    struct hidden_result *r, struct cands *c)
{
	struct stripe st[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = o->threads > 0 ? o->threads : ncpu < 1 ? 1 : (int)ncpu;
	int rc = 0;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (pid_max < 4096 * n)
		n = pid_max / 4096 > 0 ? pid_max / 4096 : 1;
	/* stripes end on byte boundaries: whole bytes of the bitmap each */
	for (int i = 0; i < n; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		st[i].bits = bits;
		st[i].thorough = o->thorough;
		st[i].lo = i == 0 ? 1 : (int)(((long)pid_max * i / n) & ~7L);
		st[i].hi = i == n - 1
		    ? pid_max
		    : (int)(((long)pid_max * (i + 1) / n) & ~7L);
		if (i > 0 &&
		    pthread_create(&th[i], NULL, sweep_stripe, &st[i]) == 0)
			started[i] = 1;
	}
	sweep_stripe(&st[0]);
	for (int i = 1; i < n; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			sweep_stripe(&st[i]);
	}
	r->nthreads = n;
	for (int i = 0; i < n; i++) {
		r->alive += st[i].alive;
		if (st[i].oom)
			rc = -1;
		for (size_t k = 0; k < st[i].n; k++)
			cand_add(c, st[i].cand[k].pid, st[i].cand[k].how);
		free(st[i].cand);
	}
	return c->oom ? -1 : rc;
}

/* The numbers in a list of PIDs (children, cgroup.procs) into c when the
 * listing does not have them; returns how many numbers. */
static unsigned
pids_in(const char *s, size_t len, const uint8_t *bits, struct cands *c,
    unsigned how)
{
	const char *cur = s, *end = s + len;
	unsigned n = 0;

	while (cur < end) {
		uint64_t v;

		if (*cur < '0' || *cur > '9') {
			cur++;
			continue;
		}
		if (cur_u64(&cur, end, &v) == -1)
			break;
		n++;
		if (v > 0 && v < (uint64_t)c->pid_max && !bit_get(bits, (int)v))
			cand_add(c, (int)v, how);
	}
	return n;
}

/*
 * The threads of every listed process go into known (their TIDs answer
 * kill but are not listed: not hidden), and, with children, the cross-
 * check: a child the kernel names in a children file of a listed process
 * but the listing does not have is a candidate.
 */
static void
task_walk(const uint8_t *bits, uint8_t *known, int children,
    struct hidden_result *r, struct cands *c)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);

	for (int pid = 1; pid < c->pid_max; pid++) {
		char path[64];
		struct dirent *de;
		DIR *d;

		if ((pid & 7) == 0 && bits[pid >> 3] == 0) {
			pid += 7;
			continue;
		}
		if (!bit_get(bits, pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		if ((d = opendir(path)) == NULL)
			continue; /* gone, or not a process of ours to see */
		while ((de = readdir(d)) != NULL) {
			struct err err = {0};
			char file[96];
			uint64_t tid;

			if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
			    str_u64(de->d_name, &tid) == -1)
				continue;
			if (tid != (uint64_t)pid &&
			    tid < (uint64_t)c->pid_max &&
			    !bit_get(known, (int)tid)) {
				bit_set(known, (int)tid);
				r->threads++;
			}
			if (!children)
				continue;
			snprintf(file, sizeof(file),
			    "/proc/%d/task/%.16s/children", pid, de->d_name);
			if (file_read(file, 1u << 20, &sb, NULL, &err) == 0 &&
			    sb.len > 0)
				r->children += pids_in(
				    sb.p, sb.len, bits, c, HIDDEN_BY_CHILDREN);
		}
		closedir(d);
	}
	strbuf_release(&sb);
}

/* The mount point of the cgroup hierarchy: cgroup2, else the first v1. */
static int
cgroup_mount(char *dst, size_t sz)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);
	struct err err = {0};
	const char *cur, *end, *ls, *le;
	int found = 0;

	if (file_read("/proc/self/mountinfo", 1u << 20, &sb, NULL, &err) ==
	        -1 ||
	    sb.len == 0) {
		strbuf_release(&sb);
		return -1;
	}
	cur = sb.p;
	end = sb.p + sb.len;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE ..." */
		const char *f[5], *p = ls, *sep = NULL;
		size_t flen[5];
		int v2;

		for (int i = 0; i < 5; i++) {
			while (p < le && *p == ' ')
				p++;
			f[i] = p;
			while (p < le && *p != ' ')
				p++;
			flen[i] = (size_t)(p - f[i]);
		}
		for (const char *q = p; q + 3 <= le; q++)
			if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
				sep = q + 3;
				break;
			}
		if (sep == NULL)
			continue;
		v2 = le - sep >= 8 && memcmp(sep, "cgroup2 ", 8) == 0;
		if (!v2 && !(le - sep >= 7 && memcmp(sep, "cgroup ", 7) == 0))
			continue;
		/* the hierarchy's root only, and no octal escapes */
		if (flen[3] != 1 || f[3][0] != '/' ||
		    memchr(f[4], '\\', flen[4]) != NULL || flen[4] >= sz)
			continue;
		if (found && !v2)
			continue;
		snprintf(dst, sz, "%.*s", (int)flen[4], f[4]);
		found = 1;
		if (v2)
			break;
	}
	strbuf_release(&sb);
	return found ? 0 : -1;
}

/* cgroup.procs of dir and every cgroup below it (depth and count bound). */
static void
cgroup_walk(const char *dir, int depth, const uint8_t *bits,
    struct hidden_result *r, struct cands *c, struct strbuf *sb)
{
	char path[PATH_MAX];
	struct err err = {0};
	struct dirent *de;
	DIR *d;

	if (depth > 32 || r->cgroups >= 100000)
		return;
	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >=
	    (int)sizeof(path))
		return;
	if (file_read(path, 64u << 20, sb, NULL, &err) == 0) {
		r->cgroups++;
		if (sb->len > 0)
			pids_in(sb->p, sb->len, bits, c, HIDDEN_BY_CGROUP);
	}
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (path_join(path, sizeof(path), dir, de->d_name) == -1)
			continue;
		cgroup_walk(path, depth + 1, bits, r, c, sb);
	}
	closedir(d);
}

static void
cross_cgroups(const struct hidden_opts *o, const uint8_t *bits,
    struct hidden_result *r, struct cands *c)
{
	char dir[PATH_MAX];
	struct strbuf sb = STRBUF_INIT(64u << 20);

	if (o->cgroup_dir != NULL)
		snprintf(dir, sizeof(dir), "%s", o->cgroup_dir);
	else if (cgroup_mount(dir, sizeof(dir)) == -1)
		return;
	cgroup_walk(dir, 0, bits, r, c, &sb);
	strbuf_release(&sb);
}

/*
 * The sweep inside the kernel: every thread-group leader in its PID table
 * that is not known goes into c.  0; 1 when it cannot run here (why in
 * r->why_not_kernel; pb closed); -1 with err when it failed running.
 */
static int
kernel_sweep(const uint8_t *known, int pid_max, struct pid_bpf *pb,
    struct hidden_result *r, struct cands *c, struct err *err)
{
	struct err e = {0};
	long n;

	if (pid_bpf_open(pb, pid_max, &e) == -1) {
		str_copy(r->why_not_kernel, sizeof(r->why_not_kernel), e.msg);
		return 1;
	}
	if ((n = pid_bpf_sweep(pb, 1, pid_max, err)) == -1)
		return -1;
	r->kernel_sweep = 1;
	r->nthreads = 1;
	for (int pid = 1; pid < pid_max; pid++) {
		if ((pid & 7) == 0 && pid + 8 <= pid_max &&
		    pb->m[PID_BPF_BITS + (pid >> 3)] == 0) {
			pid += 7;
			continue;
		}
		if (pid_bpf_marked(pb, pid) && !bit_get(known, pid)) {
			r->alive++;
			cand_add(c, pid, HIDDEN_BY_KERNEL);
		}
	}
	return 0;
}

/* Is a candidate still there?  Asked both ways when the kernel's sweep
 * ran, so that a filtered kill(2) does not clear it. */
static int
still_alive(struct pid_bpf *pb, int pid, int thorough, unsigned *how)
{
	int alive = probe(pid, thorough, how);

	if (pb->m != NULL && pid_bpf_sweep(pb, pid, pid + 1, NULL) == 1) {
		*how |= HIDDEN_BY_KERNEL;
		alive = 1;
	}
	return alive;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int
hidden_scan(
    const struct hidden_opts *o, struct hidden_result *r, struct err *err)
{
	hidden_list_fn *list = o->list ? o->list : hidden_list_proc;
	uint8_t *bits = NULL, *known = NULL;
	struct cands c = {0};
	struct pid_bpf pb = {.prog = -1, .map = -1};
	const char *env = getenv("SAKIMORI_HIDDEN_BPF");
	int no_bpf = o->no_bpf || (env != NULL && strcmp(env, "0") == 0);
	int need_bpf = o->need_bpf || (env != NULL && strcmp(env, "1") == 0);
	int pid_max = o->pid_max, rc = -1;
	size_t nbytes;
	uint64_t t2;

	memset(r, 0, sizeof(*r));
	if (pid_max <= 0 && (pid_max = pid_max_read(err)) == -1)
		return -1;
	if (pid_max > PID_MAX_LIMIT)
		pid_max = PID_MAX_LIMIT;
	r->pid_max = pid_max;
	if (o->list == NULL && we_are_hidden_from()) {
		r->hidepid = 1;
		return 0;
	}
	nbytes = (size_t)pid_max / 8 + 1;
	bits = calloc(nbytes, 1);
	known = calloc(nbytes, 1);
	c.seen = calloc(nbytes, 1);
	c.pid_max = pid_max;
	if (bits == NULL || known == NULL || c.seen == NULL) {
		err_sys(err, ENOMEM, "hidden-process scan");
		goto out;
	}
	if (list(o->list_ctx, bits, pid_max, err) == -1)
		goto out;
	for (size_t i = 0; i < nbytes; i++)
		r->listed += (unsigned)__builtin_popcount(bits[i]);
	/* known: the listed processes and their threads; the cheap
	 * cross-checks first, then the sweep over what is not known */
	memcpy(known, bits, nbytes);
	task_walk(bits, known, !o->no_children, r, &c);
	if (!o->no_cgroups)
		cross_cgroups(o, bits, r, &c);
	r->alive = r->listed + r->threads;
	if (!o->no_sweep && !no_bpf) {
		int k = kernel_sweep(known, pid_max, &pb, r, &c, err);

		if (k == -1)
			goto out;
		if (k == 1 && need_bpf) {
			err_set(err, EOPNOTSUPP, "SAKIMORI_HIDDEN_BPF=1: %s",
			    r->why_not_kernel);
			goto out;
		}
	}
	if (!o->no_sweep && !r->kernel_sweep &&
	    sweep(known, pid_max, o, r, &c) == -1) {
		err_sys(err, ENOMEM, "hidden-process scan");
		goto out;
	}
	if (c.oom) {
		err_sys(err, ENOMEM, "hidden-process scan");
		goto out;
	}
	if (c.n == 0) {
		rc = 0;
		goto out;
	}
	qsort(c.v, c.n, sizeof(*c.v), cand_cmp);
	/* A second listing: what started during the scan shows up in it. */
	t2 = ticks_now();
	memset(bits, 0, nbytes);
	if (list(o->list_ctx, bits, pid_max, err) == -1)
		goto out;
	for (size_t i = 0; i < c.n; i++) {
		int pid = c.v[i].pid, tgid;
		unsigned how;
		uint32_t uid;
		uint64_t start;
		char comm[32];
		struct hidden_pid *h;

		if (bit_get(bits, pid) ||
		    !still_alive(&pb, pid, o->thorough, &how)) {
			r->raced++;
			continue;
		}
		how |= c.v[i].how;
		if (read_status(pid, &tgid, &uid, comm, sizeof(comm), &start) ==
		    0) {
			how |= HIDDEN_BY_PROC;
			/* a thread: the leader is listed, or is reported
			 * itself when it is hidden too */
			if (tgid != pid && tgid > 0) {
				r->threads++;
				continue;
			}
			if (start > t2) {
				r->raced++; /* started after the listing */
				continue;
			}
		}
		if (r->n >= MAX_REPORT)
			break;
		h = reallocarray(r->v, r->n + 1, sizeof(*r->v));
		if (h == NULL) {
			err_sys(err, ENOMEM, "hidden-process scan");
			goto out;
		}
		r->v = h;
		h = &r->v[r->n++];
		memset(h, 0, sizeof(*h));
		h->pid = pid;
		h->how = how;
		h->uid = uid;
		snprintf(h->comm, sizeof(h->comm), "%s", comm);
		{
			char p[64];
			ssize_t n;

			snprintf(p, sizeof(p), "/proc/%d/exe", pid);
			n = readlink(p, h->exe, sizeof(h->exe) - 1);
			h->exe[n > 0 ? n : 0] = '\0';
		}
	}
	rc = 0;
out:
	pid_bpf_close(&pb);
	free(bits);
	free(known);
	free(c.seen);
	free(c.v);
	if (rc == -1)
		hidden_result_release(r);
	return rc;
}

void
hidden_result_release(struct hidden_result *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
