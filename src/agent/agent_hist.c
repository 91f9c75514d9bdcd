/*
 * agent_hist.c - the agent's history (hist/hist.h): its own timer, every
 * HIST_STEP seconds on the step's boundary, takes a snapshot and writes
 * one value of every series.  Apart from the checks' tick, so that the
 * history's cost and failures touch nothing else.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "agent/agent_int.h"
#include "agent/problem.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "hist/hist.h"

static void
count_open(void *arg, const struct problem_info *i)
{
	struct hist_extra *x = arg;

	if (i->open && (unsigned)i->sev < 4)
		x->problems[i->sev]++;
}

/* CPU time of the process so far (the step's cost, for -vv). */
static double
cpu_secs(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds to the next step boundary (a little after it). */
static double
to_next_step(void)
{
	double now = clock_wall();
	double next = (floor(now / HIST_STEP) + 1) * HIST_STEP;

	return next - now + 0.05;
}

static void
on_hist(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct hist_extra x = {0};
	struct err err = {0};
	struct snap s;
	size_t written;
	double t0 = clock_mono(), c0 = cpu_secs();
	/* the step's boundary this run is for: the timer may come a little
	 * early or late, the stored time is the boundary itself */
	time_t now =
	    (time_t)(floor(clock_wall() / HIST_STEP + 0.5) * HIST_STEP);

	(void)fd;
	(void)what;
	snap_take(&s, a->o->root, hist_snap_want(a->hist), 0, 0);
	if (a->pb != NULL) {
		x.have_problems = 1;
		problems_each(a->pb, count_open, &x);
	}
	hist_collect(a->hist, &s, a->o->root, &x);
	snap_release(&s);
	if (hist_write(a->hist, now, &written, &err) == -1 && !a->hist_warned) {
		/* said once: the next steps go on trying */
		log_warnx("history: %s", err.msg);
		a->hist_warned = 1;
	}
	log_debug("history: %zu series, %zu stored, in %.1f ms, %.1f ms of "
	          "CPU",
	    hist_current(a->hist)->n, written, (clock_mono() - t0) * 1e3,
	    (cpu_secs() - c0) * 1e3);
	if (agent_timer_arm(a->ev_hist, to_next_step()) == -1)
		log_warnx("cannot arm the history's timer");
}

int
agent_hist_start(struct agent *a, struct err *err)
{
	if (a->o->state_dir == NULL || !hist_enabled(&a->conf))
		return 0;
	/* librrd only in a short-lived writer, never in the agent for good */
	if ((a->hist = hist_new(a->o->state_dir, &a->conf, HIST_FORK, err)) ==
	    NULL)
		return -1;
	if ((a->ev_hist = event_new(a->base, -1, 0, on_hist, a)) == NULL ||
	    agent_timer_arm(a->ev_hist, to_next_step()) == -1) {
		agent_hist_stop(a);
		return err_set(err, 0, "cannot set up the history's timer");
	}
	a->hist_warned = 0;
	return 0;
}

void
agent_hist_stop(struct agent *a)
{
	struct err err = {0};
	size_t written;

	/* what the batch still holds is not lost */
	if (a->hist != NULL && hist_flush(a->hist, &written, &err) == -1)
		log_warnx("history: %s", err.msg);
	if (a->ev_hist != NULL)
		event_free(a->ev_hist);
	a->ev_hist = NULL;
	hist_free(a->hist);
	a->hist = NULL;
}

const struct hist_sample *
agent_hist_current(const struct agent *a)
{
	return a->hist != NULL ? hist_current(a->hist) : NULL;
}
