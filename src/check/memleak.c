/*
 * memleak.c - the memory-leak check (see leak.h): RSS samples per process
 * kept between the agent's runs, fitted over the configured window.
 *
 * A process is known by (pid, start time), so a reused pid is a new
 * process; processes that are gone are dropped on the next run.  Each
 * series keeps at most LEAK_SAMPLES samples at least window/24 apart and
 * none older than the window; at most LEAK_PROCS_MAX processes are
 * tracked (those already tracked first), so the memory the check keeps
 * is bounded whatever runs on the machine.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/finding.h"
#include "base/linfit.h"
#include "base/mem.h"
#include "base/size.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "check/leak.h"
#include "collect/snap.h"
#include "conf/conf.h"

#define WINDOW_DEFAULT 1800.0 /* seconds */
#define GROWTH_DEFAULT 16.0   /* MiB over the window */
#define SPACING_DIV 24        /* samples per window at most (+1) */

struct series {
	size_t n;
	double t[LEAK_SAMPLES], y[LEAK_SAMPLES];
};

struct tracked {
	int pid;
	uint64_t start; /* clock ticks after boot */
	struct series s;
};

struct leak_memo {
	struct tracked *p; /* sorted by pid */
	size_t n, cap;
	struct series avail; /* the machine's available memory, bytes */
	unsigned untracked;  /* processes past LEAK_PROCS_MAX, last run */
};

/* Forgets samples older than window; adds (t, y) when spacing has passed. */
static void
series_add(struct series *s, double t, double y, double window, double spacing)
{
	size_t old = 0;

	while (old < s->n && s->t[old] < t - window)
		old++;
	if (old > 0) {
		memmove(s->t, s->t + old, (s->n - old) * sizeof(*s->t));
		memmove(s->y, s->y + old, (s->n - old) * sizeof(*s->y));
		s->n -= old;
	}
	if (s->n > 0 && t - s->t[s->n - 1] < spacing)
		return;
	if (s->n == LEAK_SAMPLES) {
		memmove(s->t, s->t + 1, (s->n - 1) * sizeof(*s->t));
		memmove(s->y, s->y + 1, (s->n - 1) * sizeof(*s->y));
		s->n--;
	}
	s->t[s->n] = t;
	s->y[s->n] = y;
	s->n++;
}

static int
sampled(const struct proc *p)
{
	return !(p->flags & PROC_F_KTHREAD) && (p->flags & PROC_F_MEM) &&
	    p->rss_kb > 0;
}

/* The entry of old for p (a merge walk: both sorted by pid), or NULL. */
static struct tracked *
find_old(struct leak_memo *m, size_t *at, const struct proc *p)
{
	while (*at < m->n && m->p[*at].pid < p->pid)
		(*at)++;
	if (*at < m->n && m->p[*at].pid == p->pid &&
	    m->p[*at].start == p->start_ticks)
		return &m->p[*at];
	return NULL;
}

/*
 * Replaces the tracked processes with those of t: the ones still running
 * keep their samples, new ones start empty while there is room.
 */
static int
retrack(struct leak_memo *m, const struct proc_table *t, struct err *err)
{
	struct tracked *next = NULL;
	size_t nnext = 0, capnext = 0, kept = 0, at = 0;

	for (size_t i = 0; i < t->n; i++)
		if (sampled(&t->p[i]) && find_old(m, &at, &t->p[i]) != NULL)
			kept++;
	m->untracked = 0;
	at = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];
		struct tracked *o;

		if (!sampled(p))
			continue;
		o = find_old(m, &at, p);
		if (o == NULL && kept >= LEAK_PROCS_MAX) {
			m->untracked++;
			continue;
		}
		if (mem_grow(&next, &capnext, nnext + 1, sizeof(*next)) == -1) {
			free(next);
			return err_set(err, ENOMEM, "out of memory");
		}
		if (o != NULL) {
			next[nnext++] = *o;
		} else {
			kept++;
			memset(&next[nnext], 0, sizeof(next[nnext]));
			next[nnext].pid = p->pid;
			next[nnext].start = p->start_ticks;
			nnext++;
		}
	}
	free(m->p);
	m->p = next;
	m->n = nnext;
	m->cap = capnext;
	return 0;
}

static void
report_leak(struct report *r, const struct proc *p, const struct leak_fit *f,
    double avail, double window)
{
	char rate[SIZE_TEXT_MAX], rss[SIZE_TEXT_MAX], av[SIZE_TEXT_MAX];
	char left[64], subj[32];
	double secs = avail / f->slope;
	struct finding *fd;

	size_format(rate, sizeof(rate), f->slope);
	size_format(rss, sizeof(rss), (double)p->rss_kb * 1024.0);
	size_format(av, sizeof(av), avail);
	dur_words(left, sizeof(left), secs);
	snprintf(subj, sizeof(subj), "pid %d", p->pid);
	fd = report_add(r, SEV_WARNING, "memory-leak", subj,
	    "%s (pid %d, user %s) grows steadily by %s/s, now %s; available "
	    "memory (%s) is falling and would be exhausted in %s at that rate",
	    proc_name(p), p->pid, p->user, rate, rss, av, left);
	if (fd == NULL)
		return;
	finding_ev(fd, "pid", "%d", p->pid);
	finding_ev(fd, "command", "%s", proc_name(p));
	finding_ev(fd, "cmdline", "%s", p->cmdline);
	finding_ev(fd, "user", "%s", p->user);
	finding_ev(
	    fd, "rss_bytes", "%llu", (unsigned long long)p->rss_kb * 1024ull);
	finding_ev(fd, "growth_bytes_per_second", "%.0f", f->slope);
	finding_ev(fd, "fit_r2", "%.3f", f->r2);
	finding_ev(fd, "samples", "%zu", f->n);
	finding_ev(fd, "span_seconds", "%.0f", f->span);
	finding_ev(fd, "window_seconds", "%.0f", window);
	finding_ev(fd, "available_bytes", "%.0f", avail);
	finding_ev(fd, "exhausted_in_seconds", "%.0f", secs);
}

/*
 * report_leak with the user and command line of p, read now when the
 * table was read without them (a process gone meanwhile has no leak).
 */
static void
report_named(struct report *r, const char *root, const struct proc_table *t,
    const struct proc *p, const struct leak_fit *f, double avail, double window)
{
	struct uid_names names;
	struct proc pc = *p;

	uid_names_init(&names, root);
	if (proc_read_more(
	        root, t, &pc, PROC_READ_CMDLINE | PROC_READ_USER, &names) == 0)
		report_leak(r, &pc, f, avail, window);
	uid_names_release(&names);
}

int
check_memory_leak(const struct check_ctx *x, struct report *r, struct err *err)
{
	const struct conf_node *blk = conf_check(x->conf, "memory-leak", NULL);
	double window = conf_num(blk, "window", WINDOW_DEFAULT);
	double growth = conf_num(blk, "growth", GROWTH_DEFAULT) * 1048576.0;
	const struct snap *s = x->snap;
	const struct proc_table *t = &s->proc1;
	struct leak_params lp = {0};
	struct leak_memo *m;
	struct linfit af;
	double now, spacing, avail;
	size_t at = 0;
	int falling;

	if (x->memo == NULL)
		return 0; /* a trend needs the agent's memory between runs */
	if (!(s->have & SNAP_BIT(SNAP_PROC)) || !(s->have & SNAP_BIT(SNAP_MEM)))
		return 0; /* process-count and memory say why */
	if (!(window > 0))
		window = WINDOW_DEFAULT;
	if (*x->memo == NULL && (*x->memo = calloc(1, sizeof(*m))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	m = *x->memo;
	now = t->mono > 0 ? t->mono : (double)x->now;
	spacing = window / SPACING_DIV;
	avail = (double)s->memsum.available * 1024.0;
	series_add(&m->avail, now, avail, window, spacing);
	if (retrack(m, t, err) == -1)
		return -1;
	lp.min_samples = 6;
	lp.min_span = window / 2;
	lp.min_rate = growth / window;
	lp.min_r2 = 0.9;
	lp.min_rising = 0.6;
	/* the machine's memory must be going too, not just one process's */
	falling = linfit(m->avail.t, m->avail.y, m->avail.n, &af) == 0 &&
	    af.slope < 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];
		struct tracked *k;
		struct leak_fit f;

		if (!sampled(p))
			continue;
		while (at < m->n && m->p[at].pid < p->pid)
			at++;
		if (at == m->n || m->p[at].pid != p->pid)
			continue; /* not tracked: past the cap */
		k = &m->p[at];
		series_add(
		    &k->s, now, (double)p->rss_kb * 1024.0, window, spacing);
		if (falling && leak_steady(k->s.t, k->s.y, k->s.n, &lp, &f) &&
		    f.slope > 0)
			report_named(r, x->root, t, p, &f, avail, window);
	}
	return 0;
}

void
check_memory_leak_free(void *memo)
{
	struct leak_memo *m = memo;

	if (m == NULL)
		return;
	free(m->p);
	free(m);
}

size_t
check_memory_leak_tracked(const void *memo)
{
	const struct leak_memo *m = memo;

	return m != NULL ? m->n : 0;
}
