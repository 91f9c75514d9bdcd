/*
 * hidden.c - hidden processes: the PID range asked directly versus the
 * /proc listing (see hidden.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "collect/hidden.h"

#define PID_MAX_LIMIT (1 << 22) /* the kernel's own ceiling (4194304) */
#define MAX_REPORT 4096         /* hidden PIDs kept */

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
		r = hidden_proc_hidepid(sb.p ? sb.p : "", sb.len);
	strbuf_release(&sb);
	return r;
}

/* One stripe of the sweep: PIDs lo..hi-1 not in the listing that answer. */
struct stripe {
	const uint8_t *bits;
	int lo, hi, thorough;
	int *cand;
	size_t n, cap;
	unsigned listed, alive;
	int oom;
};

static void *
sweep_stripe(void *arg)
{
	struct stripe *st = arg;

	for (int pid = st->lo; pid < st->hi; pid++) {
		unsigned how;

		if (bit_get(st->bits, pid)) {
			st->listed++;
			st->alive++;
			continue;
		}
		if (!probe(pid, st->thorough, &how))
			continue;
		st->alive++;
		if (st->n == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 256;
			int *v = reallocarray(st->cand, cap, sizeof(*v));

			if (v == NULL) {
				st->oom = 1;
				break;
			}
			st->cand = v;
			st->cap = cap;
		}
		st->cand[st->n++] = pid;
	}
	return NULL;
}

/* The sweep over 1..pid_max-1, split over up to 8 threads (one per CPU):
 * a syscall per PID is the whole cost.  0, or -1 on ENOMEM. */
static int
sweep(const uint8_t *bits, int pid_max, int thorough, struct hidden_result *r,
    int **cand, size_t *ncand)
{
	struct stripe st[8];
	pthread_t th[8];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu, started[8] = {0};
	int rc = 0;
	size_t total = 0;

	if (pid_max < 65536)
		n = 1; /* not worth a thread */
	for (int i = 0; i < n; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		st[i].bits = bits;
		st[i].thorough = thorough;
		st[i].lo = i == 0 ? 1 : (int)((long)pid_max * i / n);
		st[i].hi = (int)((long)pid_max * (i + 1) / n);
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
	for (int i = 0; i < n; i++) {
		r->listed += st[i].listed;
		r->alive += st[i].alive;
		total += st[i].n;
		if (st[i].oom)
			rc = -1;
	}
	*cand = rc == 0 && total ? calloc(total, sizeof(**cand)) : NULL;
	if (total && *cand == NULL)
		rc = -1;
	*ncand = 0;
	for (int i = 0; i < n; i++) {
		if (rc == 0 && st[i].n)
			memcpy(*cand + *ncand, st[i].cand,
			    st[i].n * sizeof(**cand));
		if (rc == 0)
			*ncand += st[i].n;
		free(st[i].cand);
	}
	return rc;
}

int
hidden_scan(
    const struct hidden_opts *o, struct hidden_result *r, struct err *err)
{
	hidden_list_fn *list = o->list ? o->list : hidden_list_proc;
	uint8_t *bits = NULL;
	int *cand = NULL;
	size_t ncand = 0;
	int pid_max = o->pid_max, rc = -1;
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
	bits = calloc((size_t)pid_max / 8 + 1, 1);
	if (bits == NULL)
		return err_sys(err, ENOMEM, "hidden-process scan");
	if (list(o->list_ctx, bits, pid_max, err) == -1)
		goto out;
	if (sweep(bits, pid_max, o->thorough, r, &cand, &ncand) == -1) {
		err_sys(err, ENOMEM, "hidden-process scan");
		goto out;
	}
	if (ncand == 0) {
		rc = 0;
		goto out;
	}
	/* A second listing: what started during the sweep shows up in it. */
	t2 = ticks_now();
	memset(bits, 0, (size_t)pid_max / 8 + 1);
	if (list(o->list_ctx, bits, pid_max, err) == -1)
		goto out;
	for (size_t i = 0; i < ncand; i++) {
		int pid = cand[i], tgid;
		unsigned how;
		uint32_t uid;
		uint64_t start;
		char comm[32];
		struct hidden_pid *h;

		if (bit_get(bits, pid) || !probe(pid, o->thorough, &how)) {
			r->raced++;
			continue;
		}
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
	free(bits);
	free(cand);
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
