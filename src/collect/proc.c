/*
 * proc.c - the process table from /proc/PID (see proc.h).
 */
#include "collect/proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "collect/collect_int.h"
#include "collect/cpu.h"
#include "collect/loadavg.h"

#define PF_KTHREAD 0x00200000 /* the kernel's task flag: a kernel thread */

int
proc_stat_parse(
    const char *s, size_t n, long page_kb, struct proc *p, struct err *err)
{
	const char *cur = s, *end = s + n, *open, *close = NULL;
	int64_t v[25]; /* v[k] is field k (1-based), from field 4 on */
	uint64_t pid;
	unsigned k;

	/* The last ')' ends comm, whatever comm holds. */
	for (const char *q = end; q > s; q--)
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	if (cur_u64(&cur, end, &pid) == -1 || pid == 0 || pid > INT32_MAX ||
	    cur_char(&cur, end, ' ') == -1 || cur_char(&cur, end, '(') == -1 ||
	    close == NULL || close < cur)
		return err_set(err, EINVAL, "malformed stat: no 'pid (comm)'");
	open = cur;
	cur = close + 1;
	if (cur_char(&cur, end, ' ') == -1 || cur >= end || *cur == ' ' ||
	    *cur == '\n')
		return err_set(err, EINVAL, "malformed stat: no state");
	p->pid = (int)pid;
	{
		size_t cl = (size_t)(close - open);

		if (cl >= sizeof(p->comm))
			cl = sizeof(p->comm) - 1;
		memcpy(p->comm, open, cl);
		p->comm[cl] = '\0';
	}
	p->state = *cur++;
	for (k = 4; k <= 24; k++) {
		if (cur_char(&cur, end, ' ') == -1 ||
		    cur_i64(&cur, end, &v[k]) == -1)
			break;
	}
	if (k <= 22)
		return err_set(err, EINVAL,
		    "malformed stat: %u fields, need at least 22", k - 1);
	if ((uint64_t)v[9] & PF_KTHREAD)
		p->flags |= PROC_F_KTHREAD;
	p->ppid = (int)v[4];
	p->pgrp = (int)v[5];
	p->session = (int)v[6];
	p->tty_nr = (uint64_t)v[7];
	p->utime = (uint64_t)(v[14] < 0 ? 0 : v[14]);
	p->stime = (uint64_t)(v[15] < 0 ? 0 : v[15]);
	p->priority = v[18];
	p->nice = v[19];
	p->nthreads = (uint64_t)(v[20] < 0 ? 0 : v[20]);
	p->start_ticks = (uint64_t)(v[22] < 0 ? 0 : v[22]);
	if (k > 24) {
		p->vsz_kb = (uint64_t)(v[23] < 0 ? 0 : v[23]) / 1024;
		p->rss_kb =
		    (uint64_t)(v[24] < 0 ? 0 : v[24]) * (uint64_t)page_kb;
		p->flags |= PROC_F_MEM;
	}
	return 0;
}

/* "Uid:\t0\t0\t0\t0": the first two numbers. */
static int
two_ids(const char *p, const char *le, uint32_t *a, uint32_t *b)
{
	uint64_t x, y;

	cur_spaces(&p, le);
	if (cur_u64(&p, le, &x) == -1 || cur_spaces(&p, le) == 0 ||
	    cur_u64(&p, le, &y) == -1 || x > UINT32_MAX || y > UINT32_MAX)
		return -1;
	*a = (uint32_t)x;
	*b = (uint32_t)y;
	return 0;
}

int
proc_status_parse(const char *s, size_t n, struct proc *p)
{
	const char *cur = s, *end = s + n, *ls, *le;
	int have_uid = 0;
	uint32_t egid;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *q = ls;

		if (cur_lit(&q, le, "Uid:") == 0)
			have_uid = two_ids(q, le, &p->uid, &p->euid) == 0;
		else if (cur_lit(&q, le, "Gid:") == 0)
			(void)two_ids(q, le, &p->gid, &egid);
		else if (cur_lit(&q, le, "SigIgn:") == 0) {
			cur_spaces(&q, le);
			if (cur_hex(&q, le, &p->sigign) == 0)
				p->flags |= PROC_F_SIGIGN;
			break; /* after Uid and Gid */
		}
	}
	if (!have_uid)
		return -1;
	p->flags |= PROC_F_STATUS;
	return 0;
}

void
proc_cmdline_parse(const char *s, size_t n, struct proc *p)
{
	const char *nul;
	size_t o = 0;

	/* A trailing NUL ends the last argument; it is not a separator. */
	while (n > 0 && s[n - 1] == '\0')
		n--;
	nul = memchr(s, '\0', n);
	p->argv0_len = nul != NULL ? (size_t)(nul - s) : n;
	for (size_t i = 0; i < n; i++) {
		if (o + 1 >= sizeof(p->cmdline)) {
			p->flags |= PROC_F_CMD_CUT;
			break;
		}
		p->cmdline[o++] = s[i] == '\0' ? ' ' : s[i];
	}
	p->cmdline[o] = '\0';
	if (p->argv0_len > o)
		p->argv0_len = o;
	p->flags |= PROC_F_CMDLINE;
}

static ssize_t read_at(int dirfd, const char *rel, char *buf, size_t bufsz);

void
proc_exe_take(struct proc *p, const char *link, size_t n)
{
	static const char del[] = " (deleted)";
	size_t dl = sizeof(del) - 1;
	char exe[PROC_EXE_MAX + 16];

	if (n == 0)
		return;
	if (n > sizeof(exe) - 1)
		n = sizeof(exe) - 1;
	memcpy(exe, link, n);
	exe[n] = '\0';
	if (n > dl && memcmp(exe + n - dl, del, dl) == 0) {
		p->flags |= PROC_F_EXE_DELETED;
		exe[n - dl] = '\0';
	}
	str_copy(p->exe, sizeof(p->exe), exe);
	p->flags = (p->flags | PROC_F_EXE) & ~PROC_F_EXE_DENIED;
}

int
proc_start_read(const char *root, int pid, uint64_t *start_ticks)
{
	char rel[64], path[PATH_MAX], buf[8192];
	struct proc p;
	struct err err;
	ssize_t r;

	*start_ticks = 0;
	str_printf(rel, sizeof(rel), "/proc/%d/stat", pid);
	if (path_join(path, sizeof(path), root ? root : "", rel) == -1)
		return -1;
	r = read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (r <= 0 || proc_stat_parse(buf, (size_t)r, 4, &p, &err) == -1)
		return -1;
	*start_ticks = p.start_ticks;
	return 0;
}

void
proc_table_init(struct proc_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
proc_table_release(struct proc_table *t)
{
	free(t->p);
	memset(t, 0, sizeof(*t));
}

/* Reads dirfd/rel into buf (at most bufsz - 1 bytes).  Length, or -errno. */
static ssize_t
read_at(int dirfd, const char *rel, char *buf, size_t bufsz)
{
	size_t len = 0;
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd == -1)
		return -errno;
	while (len + 1 < bufsz) {
		ssize_t r = read(fd, buf + len, bufsz - 1 - len);

		if (r == -1) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static int
gone(ssize_t r)
{
	return r == -ENOENT || r == -ESRCH;
}

static int
cmp_pid(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Reads the parts in what of process dir (dirfd/dir: "PID" under /proc,
 * or a whole path with AT_FDCWD) into p: status, cmdline, exe.
 * 0, or 1 when it vanished meanwhile.
 */
static int
read_parts(int dirfd, const char *dir, unsigned what, struct proc *p)
{
	char path[PATH_MAX], buf[8192];
	ssize_t r;

	if (what & (PROC_READ_STATUS | PROC_READ_USER)) {
		if (path_join(path, sizeof(path), dir, "status") == -1)
			return 1;
		r = read_at(dirfd, path, buf, sizeof(buf));
		if (gone(r))
			return 1;
		if (r > 0)
			(void)proc_status_parse(buf, (size_t)r, p);
	}
	if (what & PROC_READ_CMDLINE) {
		if (path_join(path, sizeof(path), dir, "cmdline") == -1)
			return 1;
		r = read_at(dirfd, path, buf, sizeof(buf));
		if (gone(r))
			return 1;
		if (r >= 0)
			proc_cmdline_parse(buf, (size_t)r, p);
		if (r >= 0 && (size_t)r + 1 >= sizeof(buf))
			p->flags |= PROC_F_CMD_CUT;
	}
	if ((what & PROC_READ_EXE) && !(p->flags & PROC_F_KTHREAD)) {
		char exe[PROC_EXE_MAX + 16];

		if (path_join(path, sizeof(path), dir, "exe") == -1)
			return 1;
		r = readlinkat(dirfd, path, exe, sizeof(exe) - 1);
		if (r > 0)
			proc_exe_take(p, exe, (size_t)r);
		else if (r == -1 && (errno == EACCES || errno == EPERM))
			p->flags |= PROC_F_EXE_DENIED;
	}
	return 0;
}

/* Reads one process into p; 0 keep, 1 vanished, 2 unreadable, 3 malformed. */
static int
read_one(int procfd, const char *pid, unsigned what, const struct proc_table *t,
    struct proc *p)
{
	char path[64], buf[8192];
	ssize_t r;
	struct err err;

	memset(p, 0, sizeof(*p));
	if (path_join(path, sizeof(path), pid, "stat") == -1)
		return 3;
	r = read_at(procfd, path, buf, sizeof(buf));
	if (r == 0 || gone(r))
		return 1;
	if (r < 0)
		return 2; /* EACCES, EPERM (hidepid), or EIO */
	if (proc_stat_parse(buf, (size_t)r, t->page_kb, p, &err) == -1)
		return 3;
	if (read_parts(procfd, pid, what & (PROC_READ_STATUS | PROC_READ_USER),
	        p) != 0)
		return 1;
	if (!(p->flags & PROC_F_STATUS)) {
		/* The directory belongs to the effective uid (when dumpable). */
		struct stat st;

		if (fstatat(procfd, pid, &st, 0) == -1)
			return errno == ENOENT ? 1 : 2;
		p->uid = p->euid = st.st_uid;
		p->gid = st.st_gid;
	}
	if (read_parts(procfd, pid, what & (PROC_READ_CMDLINE | PROC_READ_EXE),
	        p) != 0)
		return 1;
	/* kthreadd and its children on kernels without PF_KTHREAD in stat
	 * (before 2.6.27); a user process always has a command line */
	if ((p->pid == 2 || p->ppid == 2) && p->cmdline[0] == '\0' &&
	    !(p->flags & PROC_F_EXE))
		p->flags |= PROC_F_KTHREAD;
	p->cpu_secs = (double)(p->utime + p->stime) / (double)t->hz;
	if (t->btime)
		p->start_time =
		    (double)t->btime + (double)p->start_ticks / (double)t->hz;
	if (t->uptime > 0) {
		p->run_secs =
		    t->uptime - (double)p->start_ticks / (double)t->hz;
		if (p->run_secs < 0)
			p->run_secs = 0;
	}
	return 0;
}

int
proc_read_more(const char *root, const struct proc_table *t, struct proc *p,
    unsigned what, struct uid_names *names)
{
	char rel[64], dir[PATH_MAX];
	uint64_t start;

	what &= ~t->what;
	if (what == 0)
		return 0;
	str_printf(rel, sizeof(rel), "/proc/%d", p->pid);
	if (path_join(dir, sizeof(dir), root ? root : "", rel) == -1 ||
	    read_parts(AT_FDCWD, dir, what, p) != 0)
		return -1;
	/* the pid of another process by now: what was read is not p's */
	if (proc_start_read(root, p->pid, &start) == -1 ||
	    start != p->start_ticks)
		return -1;
	if ((what & PROC_READ_USER) && names != NULL &&
	    (p->flags & PROC_F_STATUS))
		snprintf(p->user, sizeof(p->user), "%s",
		    uid_names_get(names, p->euid));
	return 0;
}

/* The boot time of the running system, once read. */
static uint64_t live_btime;

int
proc_table_read(struct proc_table *t, const char *root, unsigned what,
    struct uid_names *names, struct err *err)
{
	char path[PATH_MAX];
	struct uptime up;
	struct cpu_stat cs;
	struct err e2;
	struct dirent *de;
	DIR *d;
	int procfd;

	t->n = 0;
	t->what = what & PROC_READ_ALL;
	if (t->what & PROC_READ_USER)
		t->what |= PROC_READ_STATUS;
	t->listed = t->vanished = t->unreadable = t->malformed = 0;
	t->dropped = 0;
	t->hz = sysconf(_SC_CLK_TCK);
	if (t->hz <= 0)
		t->hz = 100;
	t->page_kb = sysconf(_SC_PAGESIZE) / 1024;
	if (t->page_kb <= 0)
		t->page_kb = 4;
	t->uptime = uptime_read(root, &up, &e2) == 0 ? up.up : 0;
	t->btime = live_btime;
	if (t->btime == 0 || (root != NULL && root[0] != '\0')) {
		t->btime = 0;
		if (cpustat_read(root, &cs, &e2) == 0 &&
		    (cs.have & CPUSTAT_BTIME))
			t->btime = cs.btime;
		cpustat_release(&cs);
		/* the running system's boot time, read once per process: it
		 * moves only when the wall clock is stepped, and only the
		 * one-shot commands, which read one table, show start times */
		if (root == NULL || root[0] == '\0')
			live_btime = t->btime;
	}
	if (path_join(path, sizeof(path), root, "/proc") == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", root);
	d = opendir(path);
	if (d == NULL)
		return err_sys(err, errno, "cannot open '%s'", path);
	procfd = dirfd(d);
	t->mono = clock_mono();
	while ((de = readdir(d)) != NULL) {
		struct proc *p;
		int rc;

		if (!collect_is_pid(de->d_name))
			continue;
		t->listed++;
		if (t->n >= PROC_MAX) {
			t->dropped++;
			continue;
		}
		if (mem_grow(&t->p, &t->cap, t->n + 1, sizeof(*t->p)) == -1) {
			t->dropped++;
			continue;
		}
		p = &t->p[t->n];
		rc = read_one(procfd, de->d_name, what, t, p);
		if (rc == 1) {
			t->vanished++;
			continue;
		}
		if (rc == 2) {
			t->unreadable++;
			continue;
		}
		if (rc == 3) {
			t->malformed++;
			continue;
		}
		if (names && (what & PROC_READ_USER))
			snprintf(p->user, sizeof(p->user), "%s",
			    uid_names_get(names, p->euid));
		else
			snprintf(p->user, sizeof(p->user), "%u", p->euid);
		t->n++;
	}
	closedir(d);
	if (t->n > 1)
		qsort(t->p, t->n, sizeof(*t->p), cmp_pid);
	proc_table_cpu(t, NULL);
	return 0;
}

const struct proc *
proc_table_find(const struct proc_table *t, int pid)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->p[mid].pid == pid)
			return &t->p[mid];
		if (t->p[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
proc_table_cpu(struct proc_table *now, const struct proc_table *before)
{
	double elapsed = before ? now->mono - before->mono : 0;

	for (size_t i = 0; i < now->n; i++) {
		struct proc *p = &now->p[i];
		const struct proc *b =
		    before ? proc_table_find(before, p->pid) : NULL;
		uint64_t ticks = p->utime + p->stime;

		if (before == NULL || elapsed <= 0) {
			p->cpu_pct = p->run_secs > 0
			    ? 100.0 * p->cpu_secs / p->run_secs
			    : 0;
			p->flags &= ~PROC_F_CPU_SAMPLED;
			continue;
		}
		if (b && b->start_ticks == p->start_ticks) {
			uint64_t bt = b->utime + b->stime;

			p->cpu_pct = ticks > bt ? 100.0 * (double)(ticks - bt) /
			        (double)now->hz / elapsed
			                        : 0;
		} else {
			/* Started during the sample: all its time is in it. */
			double span = p->run_secs > 0 && p->run_secs < elapsed
			    ? p->run_secs
			    : elapsed;

			p->cpu_pct = 100.0 * p->cpu_secs / span;
		}
		p->flags |= PROC_F_CPU_SAMPLED;
	}
}

static int
cmp_busy(const void *a, const void *b)
{
	const struct proc *x = *(const struct proc *const *)a;
	const struct proc *y = *(const struct proc *const *)b;

	if (x->cpu_pct != y->cpu_pct)
		return x->cpu_pct < y->cpu_pct ? 1 : -1;
	if (x->rss_kb != y->rss_kb)
		return x->rss_kb < y->rss_kb ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

size_t
proc_table_top(const struct proc_table *t, size_t k, const struct proc **out)
{
	const struct proc **all;
	size_t n;

	if (k == 0 || t->n == 0)
		return 0;
	all = malloc(t->n * sizeof(*all));
	if (all == NULL)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		all[i] = &t->p[i];
	qsort(all, t->n, sizeof(*all), cmp_busy);
	n = k < t->n ? k : t->n;
	memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

const char *
proc_name(const struct proc *p)
{
	return p->comm;
}
