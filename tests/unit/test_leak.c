/*
 * test_leak.c - the memory-leak check: the fit tells steady growth from
 * one jump and from noise and measures the slope; the check names a
 * steady grower while available memory falls, only with the agent's
 * memory between runs, knows a process by pid and start time, drops
 * the processes that are gone and tracks a bounded number.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf_of.h"

#include "base/finding.h"
#include "check/check.h"
#include "check/leak.h"
#include "collect/snap.h"

#define MIB 1048576.0

/* 30 samples a minute apart, a window of 30 minutes */
static const struct leak_params params = {
    .min_samples = 6,
    .min_span = 900,
    .min_rate = 16 * MIB / 1800,
    .min_r2 = 0.9,
    .min_rising = 0.6,
};

/* A fixed pseudo-random sequence in [-1, 1]. */
static double
noise(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (double)((*seed >> 8) & 0xffff) / 32767.5 - 1.0;
}

static void
steady_growth_detected(void **state)
{
	double t[30], y[30];
	struct leak_fit f;
	unsigned seed = 1;

	(void)state;
	/* 1 MiB a minute, with 64 KiB of jitter */
	for (int i = 0; i < 30; i++) {
		t[i] = 1000 + 60.0 * i;
		y[i] = 100 * MIB + MIB * i + 65536 * noise(&seed);
	}
	assert_int_equal(leak_steady(t, y, 30, &params, &f), 1);
	assert_true(f.r2 > 0.99);
	assert_true(f.rising > 0.9);
	assert_true(fabs(f.slope - MIB / 60) < 0.02 * MIB / 60);
	/* the same growth seen too briefly, or too few times: not yet */
	assert_int_equal(leak_steady(t, y, 10, &params, &f), 0);
	assert_int_equal(leak_steady(t + 20, y + 20, 5, &params, &f), 0);
}

static void
one_jump_is_not_a_leak(void **state)
{
	double t[30], y[30];
	struct leak_fit f;

	(void)state;
	/* flat, one jump of 100 MiB in the middle, flat */
	for (int i = 0; i < 30; i++) {
		t[i] = 60.0 * i;
		y[i] = (i < 15 ? 100 : 200) * MIB;
	}
	assert_int_equal(leak_steady(t, y, 30, &params, &f), 0);
	assert_true(
	    f.slope > params.min_rate); /* the slope alone would say so */
	assert_true(f.rising < 0.1);
	/* the jump at the end: not either */
	for (int i = 0; i < 30; i++)
		y[i] = (i < 29 ? 100 : 300) * MIB;
	assert_int_equal(leak_steady(t, y, 30, &params, &f), 0);
	assert_true(f.r2 < 0.9);
}

static void
noisy_flat_is_not_a_leak(void **state)
{
	double t[30], y[30];
	struct leak_fit f;
	unsigned seed = 7;

	(void)state;
	/* 100 MiB, give or take 20 */
	for (int i = 0; i < 30; i++) {
		t[i] = 60.0 * i;
		y[i] = 100 * MIB + 20 * MIB * noise(&seed);
	}
	assert_int_equal(leak_steady(t, y, 30, &params, &f), 0);
	assert_true(f.r2 < 0.5);
	/* and a flat line is no growth at all */
	for (int i = 0; i < 30; i++)
		y[i] = 100 * MIB;
	assert_int_equal(leak_steady(t, y, 30, &params, &f), 0);
	assert_true(f.slope == 0);
}

static void
slope_value_right(void **state)
{
	double t[20], y[20];
	struct leak_fit f;

	(void)state;
	/* 10 MB a second from epoch-sized times: no cancellation */
	for (int i = 0; i < 20; i++) {
		t[i] = 1.8e9 + 1.5 * i;
		y[i] = 5e6 + 10e6 * 1.5 * i;
	}
	assert_int_equal(leak_steady(t, y, 20, &params, &f), 0); /* 28 s */
	assert_true(fabs(f.slope - 10e6) < 1e-3);
	assert_true(fabs(f.r2 - 1) < 1e-9);
	assert_true(f.rising == 1);
	assert_int_equal(f.n, 20);
	assert_true(fabs(f.span - 28.5) < 1e-6);
}

/* ---- the check, through the registry ---- */

struct world {
	struct snap s;
	struct check_ctx x;
	void **memos;
	size_t ntab, idx;
	const struct check_entry *tab;
};

static void
world_init(struct world *w, const char *conf)
{
	memset(w, 0, sizeof(*w));
	w->tab = check_registry(&w->ntab);
	for (w->idx = 0; strcmp(w->tab[w->idx].name, "memory-leak") != 0;
	     w->idx++)
		assert_true(w->idx + 1 < w->ntab);
	w->memos = calloc(w->ntab, sizeof(*w->memos));
	assert_non_null(w->memos);
	w->x.conf = conf_of(conf);
	w->x.snap = &w->s;
	w->x.memos = w->memos;
	w->s.have = SNAP_BIT(SNAP_PROC) | SNAP_BIT(SNAP_MEM);
	w->s.proc1.what = PROC_READ_ALL; /* world_proc sets every part */
	w->s.memsum.total = 8u << 20;    /* kB */
}

static void
world_release(struct world *w)
{
	check_memos_release(w->tab, w->ntab, w->memos);
	free(w->memos);
	free(w->s.proc1.p);
	conf_release((struct conf *)w->x.conf);
}

/* Sets process i of the table. */
static void
world_proc(struct world *w, size_t i, int pid, uint64_t start, double rss)
{
	struct proc *p;

	if (i >= w->s.proc1.cap) {
		w->s.proc1.cap = 2 * i + 16;
		w->s.proc1.p = realloc(
		    w->s.proc1.p, w->s.proc1.cap * sizeof(*w->s.proc1.p));
		assert_non_null(w->s.proc1.p);
	}
	if (i >= w->s.proc1.n)
		w->s.proc1.n = i + 1;
	p = &w->s.proc1.p[i];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->start_ticks = start;
	p->rss_kb = (uint64_t)(rss / 1024);
	p->flags = PROC_F_MEM;
	snprintf(p->comm, sizeof(p->comm), "grower%d", pid);
	snprintf(p->cmdline, sizeof(p->cmdline), "grower%d --leak", pid);
	snprintf(p->user, sizeof(p->user), "alice");
}

/* One run at time t with avail kB available; the findings in r. */
static void
world_run(struct world *w, double t, uint64_t avail, struct report *r)
{
	report_release(r);
	report_init(r);
	w->s.proc1.mono = t;
	w->s.memsum.available = avail;
	check_run_entry(&w->x, w->tab, w->idx, r);
}

static void
check_names_a_steady_grower(void **state)
{
	struct world w;
	struct report r;
	const char *ev;
	int first = -1;

	(void)state;
	report_init(&r);
	world_init(&w, "check memory-leak { window 60s }");
	/* pid 100 grows 1 MiB/s, pid 200 stays; available memory falls */
	for (int k = 0; k < 20; k++) {
		double t = 3.0 * k;

		world_proc(&w, 0, 100, 5, 50 * MIB + MIB * t);
		world_proc(&w, 1, 200, 6, 80 * MIB);
		world_run(&w, t, (4u << 20) - (uint64_t)(1024 * t), &r);
		if (r.nf > 0 && first < 0)
			first = k;
		for (size_t i = 0; i < r.nf; i++)
			assert_string_equal(r.f[i].subject, "pid 100");
	}
	/* after half the window of samples, not before */
	assert_int_equal(first, 10);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_WARNING);
	assert_string_equal(r.f[0].check, "memory-leak");
	assert_non_null(
	    strstr(r.f[0].message, "grower100 (pid 100, user alice)"));
	assert_non_null(strstr(r.f[0].message, "1.0 MiB/s"));
	ev = finding_ev_get(&r.f[0], "growth_bytes_per_second");
	assert_non_null(ev);
	assert_true(fabs(strtod(ev, NULL) - MIB) < 1024);
	assert_string_equal(finding_ev_get(&r.f[0], "pid"), "100");
	assert_string_equal(finding_ev_get(&r.f[0], "user"), "alice");
	assert_string_equal(
	    finding_ev_get(&r.f[0], "cmdline"), "grower100 --leak");
	/* 4 GiB - 57 MiB left at 1 MiB/s */
	ev = finding_ev_get(&r.f[0], "exhausted_in_seconds");
	assert_non_null(ev);
	assert_true(fabs(strtod(ev, NULL) - (4096 - 57)) < 2);
	world_release(&w);
	report_release(&r);
}

static void
nothing_without_memory_between_runs(void **state)
{
	struct world w;
	struct report r;

	(void)state;
	report_init(&r);
	world_init(&w, "check memory-leak { window 60s }");
	w.x.memos = NULL; /* a one-shot run */
	for (int k = 0; k < 20; k++) {
		world_proc(&w, 0, 100, 5, 50 * MIB + 3 * MIB * k);
		world_run(&w, 3.0 * k, (4u << 20) - 3072u * k, &r);
		assert_int_equal(r.nf, 0);
	}
	world_release(&w);
	report_release(&r);
}

static void
nothing_while_available_memory_holds(void **state)
{
	struct world w;
	struct report r;

	(void)state;
	report_init(&r);
	world_init(&w, "check memory-leak { window 60s }");
	for (int k = 0; k < 20; k++) {
		world_proc(&w, 0, 100, 5, 50 * MIB + 3 * MIB * k);
		world_run(&w, 3.0 * k, 4u << 20, &r);
		assert_int_equal(r.nf, 0);
	}
	world_release(&w);
	report_release(&r);
}

static void
reused_pid_is_a_new_process(void **state)
{
	struct world w;
	struct report r;

	(void)state;
	report_init(&r);
	world_init(&w, "check memory-leak { window 60s }");
	for (int k = 0; k < 15; k++) {
		world_proc(&w, 0, 100, 5, 50 * MIB + 3 * MIB * k);
		world_proc(&w, 1, 200, 6, 80 * MIB);
		world_run(&w, 3.0 * k, (4u << 20) - 3072u * k, &r);
	}
	assert_int_equal(r.nf, 1);
	/* pid 100 again, started later: its history starts over */
	world_proc(&w, 0, 100, 9999, 200 * MIB);
	world_run(&w, 45, (4u << 20) - 3072u * 15, &r);
	assert_int_equal(r.nf, 0);
	assert_int_equal(check_memory_leak_tracked(w.memos[w.idx]), 2);
	/* pid 200 exits: it is dropped */
	w.s.proc1.n = 1;
	world_run(&w, 48, (4u << 20) - 3072u * 16, &r);
	assert_int_equal(check_memory_leak_tracked(w.memos[w.idx]), 1);
	world_release(&w);
	report_release(&r);
}

static void
tracked_processes_are_bounded(void **state)
{
	struct world w;
	struct report r;
	size_t n = LEAK_PROCS_MAX + 100;

	(void)state;
	report_init(&r);
	world_init(&w, "");
	for (size_t i = 0; i < n; i++)
		world_proc(&w, i, (int)i + 1, 1, MIB);
	world_run(&w, 0, 1u << 20, &r);
	assert_int_equal(
	    check_memory_leak_tracked(w.memos[w.idx]), LEAK_PROCS_MAX);
	/* the ones tracked keep their place while they run */
	for (size_t i = 0; i < 100; i++)
		world_proc(&w, i, (int)i + 1, 2, MIB); /* restarted */
	world_run(&w, 1, 1u << 20, &r);
	assert_int_equal(
	    check_memory_leak_tracked(w.memos[w.idx]), LEAK_PROCS_MAX);
	world_release(&w);
	report_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(steady_growth_detected),
	    cmocka_unit_test(one_jump_is_not_a_leak),
	    cmocka_unit_test(noisy_flat_is_not_a_leak),
	    cmocka_unit_test(slope_value_right),
	    cmocka_unit_test(check_names_a_steady_grower),
	    cmocka_unit_test(nothing_without_memory_between_runs),
	    cmocka_unit_test(nothing_while_available_memory_holds),
	    cmocka_unit_test(reused_pid_is_a_new_process),
	    cmocka_unit_test(tracked_processes_are_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
