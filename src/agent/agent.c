/*
 * agent.c - the agent's event loop: the schedule of checks, the problems
 * they make, their events on stdout, signals, reload and systemd's
 * notifications (see agent.h).
 */
#include "agent/agent.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/agent_int.h"
#include "agent/event.h"
#include "agent/notify.h"
#include "agent/policy.h"
#include "agent/priv.h"
#include "agent/problem.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/bounded.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "collect/proc.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "rules/net_flood.h"
#include "rules/procrules.h"

/* Events of one tick kept at most before they are printed anyway. */
#define AGENT_EVENTS_MAX (16u << 20)
/* How long after a second begins the tick comes. */
#define AGENT_TICK_SLACK_US 20000
/*
 * Seconds between two returns of free heap pages to the system: setting up
 * the log analyzers (compiling their pattern databases), a check's scan of
 * /proc and a burst of log lines free more than they keep, and glibc keeps
 * the freed pages of the main arena resident.
 */
#define AGENT_TRIM_EVERY 60

/* Most check ids one entry covers (its ids and its name). */
#define AGENT_IDS_MAX 32
/* How long the child may take to run the checks asked. */
#define AGENT_RUN_SECS 60
/* A trend check's window when its block says none (check/memleak.c). */
#define AGENT_TREND_WINDOW 1800.0

_Static_assert(sizeof(uint64_t) * 8 == PRIV_ENTRIES_MAX,
    "a run's entries are the bits of a uint64_t");

/*
 * Each event: one line, kept until the engine's call that made it has
 * returned, by when the engine has written what it told to the state
 * database.  So an agent killed at any moment has not printed an event
 * it will tell again after a restart.
 */
static void
emit(void *arg, const struct alert_event *e)
{
	struct agent *a = arg;
	struct strbuf line = STRBUF_INIT(1 << 20);

	if (a->o->json)
		alert_event_json(e, &line);
	else
		alert_event_text(e, &line);
	strbuf_addc(&line, '\n');
	if (strbuf_failed(&line)) {
		log_warnx("cannot format the %s event of problem %llu",
		    alert_kind_name(e->kind), (unsigned long long)e->problem);
	} else if (strbuf_add(&a->events, line.p, line.len) == -1) {
		/* too many at once: print those kept, keep this one */
		agent_events_flush(a);
		if (strbuf_add(&a->events, line.p, line.len) == -1)
			log_warnx("out of memory for an event");
	}
	strbuf_release(&line);
	agent_alerts_queue(a, e);
}

void
agent_events_flush(struct agent *a)
{
	struct err err = {0};

	/* an event is told once what made it is in the state database */
	if (a->pb != NULL && problems_flush(a->pb, &err) == -1)
		log_warnx("%s", err.msg);
	if (a->events.len != 0) {
		fwrite(a->events.p, 1, a->events.len, stdout);
		fflush(stdout);
	}
	strbuf_reset(&a->events);
	/* the actions come after the line: it is the record of the event */
	agent_alerts_send(a);
}

/* The policy of a problem from the configuration in force. */
static void
policy(
    void *arg, const char *check, const char *subject, struct problem_policy *p)
{
	const struct agent *a = arg;

	problem_policy_conf(&a->conf, check, subject, p);
}

/* The check ids entry e covers: its ids and its name.  How many. */
static size_t
entry_ids(const struct check_entry *e, const char **ids)
{
	size_t n = 0;

	ids[n++] = e->name;
	for (const char *const *id = e->ids; id != NULL && *id != NULL; id++)
		if (strcmp(*id, e->name) != 0 && n < AGENT_IDS_MAX)
			ids[n++] = *id;
	return n;
}

/* Tells the engine what entry i's report r says about its ids. */
static void
observe(struct agent *a, size_t i, const struct report *r, time_t now)
{
	const char *ids[AGENT_IDS_MAX];
	size_t n = entry_ids(&a->table[i], ids);
	struct err err = {0};

	if (problems_observe(a->pb, ids, n, r, now, &err) == -1)
		log_warnx("%s", err.msg);
}

/*
 * The entries that are not enabled have nothing to say: their problems
 * (from before a reload, or from the state database) clear.
 */
static void
observe_disabled(struct agent *a, time_t now)
{
	struct report r;

	report_init(&r);
	for (size_t i = 0; i < a->n; i++)
		if (!a->sched.slot[i].enabled)
			observe(a, i, &r, now);
	report_release(&r);
}

/*
 * Tells systemd the number of open problems when it changed; with ready,
 * that it is ready, in the same message.
 */
static void
notify_status(struct agent *a, int ready)
{
	size_t open = problems_open(a->pb);
	char msg[128];

	if (!ready && open == a->last_open)
		return;
	a->last_open = open;
	snprintf(msg, sizeof(msg), "%sSTATUS=watching; %zu problem%s open",
	    ready ? "READY=1\n" : "", open, open == 1 ? "" : "s");
	(void)notify_send(msg);
}

/* 1 when entry i runs in the child (one can be had: child is not -1). */
static int
in_child(const struct agent *a, size_t i, int child)
{
	return child != -1 && i < PRIV_ENTRIES_MAX &&
	    agent_check_in_child(&a->table[i]);
}

/* What run_due asks of due_here. */
struct due_arg {
	struct agent *a;
	time_t now;
	int child;
};

/* check_snap_want's due: entry i is due at now and runs here. */
static int
due_here(size_t i, const void *arg)
{
	const struct due_arg *d = arg;

	return sched_due(&d->a->sched, i, d->now) &&
	    !in_child(d->a, i, d->child);
}

/*
 * Asks the child to run the entries of ask at now: one run at a time,
 * the entries of a run the child does not finish in AGENT_RUN_SECS
 * asked again of the next child.
 */
static void
ask_child(struct agent *a, uint64_t ask, time_t now)
{
	struct priv_run run = {0};

	if (a->chk_wait != 0) {
		if (clock_mono() - a->chk_sent > AGENT_RUN_SECS)
			agent_child_kill(a, "does not finish its checks");
		return;
	}
	if (ask == 0)
		return;
	if (++a->chk_id == 0)
		a->chk_id = 1;
	run.now = (int64_t)now;
	run.entries = ask;
	if (agent_child_send(a, PRIV_RUN, a->chk_id, &run, sizeof(run)) == -1)
		return; /* they stay due: asked of the next child */
	a->chk_wait = ask;
	a->chk_now = now;
	a->chk_sent = clock_mono();
	a->chk_entry = UINT32_MAX;
	report_release(&a->chk_rep);
	report_init(&a->chk_rep);
}

/*
 * Runs the entries due at now: those the child runs are asked of it
 * (their reports come back through agent_checks_ran), the others here
 * on one snapshot of what they read.
 */
static int
run_due(struct agent *a, time_t now)
{
	struct check_ctx x = {0};
	struct snap s;
	size_t i;
	double mono;
	int child = agent_child_state(a);
	struct due_arg d = {a, now, child};
	struct rules_net_shared net = {0};
	uint64_t ask = 0;
	unsigned want;
	int here = 0;

	for (i = 0; i < a->n; i++) {
		if (!sched_due(&a->sched, i, now))
			continue;
		if (in_child(a, i, child))
			ask |= UINT64_C(1) << i;
		else
			here = 1;
	}
	if (child == 1)
		ask_child(a, ask, now);
	if (!here)
		return 0;
	/* only what the checks due here read */
	want = check_snap_want(a->table, a->n, due_here, &d);
	if (want != 0)
		snap_take(&s, a->o->root, want, 0, 0);
	else {
		memset(&s, 0, sizeof(s));
		s.now = now;
	}
	mono = clock_mono();
	if (s.have & SNAP_BIT(SNAP_VM)) {
		if (a->have_vm)
			snap_vm_since(&s, &a->vm_prev, mono - a->vm_mono);
		a->vm_prev = s.vm1;
		a->vm_mono = mono;
		a->have_vm = 1;
	}
	x.conf = &a->conf;
	x.snap = &s;
	x.root = a->o->root;
	x.state_dir = a->o->state_dir;
	x.now = now;
	x.act = &a->act;
	x.memos = a->memos;
	/* one socket table for the flood checks of this tick */
	x.net = &net;
	for (i = 0; i < a->n; i++) {
		struct report r;

		if (!sched_due(&a->sched, i, now) || in_child(a, i, child))
			continue;
		x.flags = a->table[i].cls == CHECK_DAILY ? CHECK_CTX_DAILY : 0;
		report_init(&r);
		check_run_entry(&x, a->table, i, &r);
		observe(a, i, &r, now);
		/* a check's findings the respond rules select (conn-flood) */
		agent_respond(a, &r);
		report_release(&r);
		sched_ran(&a->sched, i, now);
		log_debug("ran %s: next in %llds", a->table[i].name,
		    (long long)(a->sched.slot[i].next - now));
	}
	rules_net_shared_release(&net);
	if (want != 0)
		snap_release(&s);
	return 1;
}

void
agent_checks_child(struct agent *a, int started)
{
	double window;

	/* a run the child did not finish: its entries are still due; a
	 * step it did not sample is not written */
	a->chk_wait = 0;
	a->hist_wait = 0;
	a->chk_entry = UINT32_MAX;
	report_release(&a->chk_rep);
	report_init(&a->chk_rep);
	if (!started)
		return;
	if (a->chk_starts++ == 0)
		return;
	/* the trend checks' samples were the last child's: they start
	 * again, and their problems are kept as they are meanwhile */
	window = conf_num(conf_check(&a->conf, "memory-leak", NULL), "window",
	    AGENT_TREND_WINDOW);
	if (!(window > 0))
		window = AGENT_TREND_WINDOW;
	a->trend_from = time(NULL) + (time_t)window;
	log_info("a new child runs the checks: the memory-leak samples start "
	         "again, its problems kept as they are for %.0f s",
	    window);
}

/* 1 when a finding of check id may come from entry e. */
static int
entry_has(const struct check_entry *e, const char *id)
{
	const char *ids[AGENT_IDS_MAX];
	size_t n = entry_ids(e, ids);

	for (size_t k = 0; k < n; k++)
		if (strcmp(ids[k], id) == 0)
			return 1;
	return 0;
}

void
agent_checks_checked(void *arg, uint32_t id, const struct priv_checked *c)
{
	struct agent *a = arg;
	struct finding f, *d;

	if (id != a->chk_id || c->entry >= a->n ||
	    !(a->chk_wait & (UINT64_C(1) << c->entry)))
		return; /* a run given up, or an entry not asked */
	if (c->entry != a->chk_entry) {
		report_release(&a->chk_rep);
		report_init(&a->chk_rep);
		a->chk_entry = c->entry;
		a->chk_got = 0;
	}
	a->chk_got++;
	priv_finding_to(&f, &c->f);
	if (strcmp(f.check, "proc-coverage") == 0) {
		/* not a problem of its own, as in the parent's checks */
		log_debug("child 'logs': a proc-coverage finding of '%s' not "
		          "observed",
		    a->table[c->entry].name);
		return;
	}
	if (!entry_has(&a->table[c->entry], f.check)) {
		log_warnx("child 'logs': a finding of '%s' from the check '%s' "
		          "dropped",
		    f.check, a->table[c->entry].name);
		return;
	}
	d = report_add(&a->chk_rep, f.sev, f.check, f.subject, "%s", f.message);
	if (d != NULL)
		*d = f;
}

void
agent_checks_ran(void *arg, uint32_t id, const struct priv_ran *r)
{
	struct agent *a = arg;
	uint64_t bit = UINT64_C(1) << (r->entry % PRIV_ENTRIES_MAX);
	const struct check_entry *e;

	if (id != a->chk_id || r->entry >= a->n || !(a->chk_wait & bit))
		return;
	e = &a->table[r->entry];
	a->chk_wait &= ~bit;
	if (a->chk_entry != r->entry) {
		/* no finding came */
		report_release(&a->chk_rep);
		report_init(&a->chk_rep);
		a->chk_got = 0;
	}
	if (r->nfound == UINT32_MAX)
		log_warnx("child 'logs' does not run the check '%s'", e->name);
	else if (r->nfound != a->chk_got)
		log_warnx("child 'logs': the check '%s' said %u findings, "
		          "sent %zu: not observed",
		    e->name, (unsigned)r->nfound, a->chk_got);
	else if (e->memo_free != NULL && a->chk_now < a->trend_from &&
	    a->chk_rep.nf == 0)
		; /* its samples start again: nothing to say yet */
	else {
		observe(a, r->entry, &a->chk_rep, a->chk_now);
		agent_respond(a, &a->chk_rep);
	}
	sched_ran(&a->sched, r->entry, a->chk_now);
	log_debug("ran %s in the child: next in %llds", e->name,
	    (long long)(a->sched.slot[r->entry].next - a->chk_now));
	report_release(&a->chk_rep);
	report_init(&a->chk_rep);
	a->chk_entry = UINT32_MAX;
	a->chk_got = 0;
	if (a->chk_wait == 0) {
		agent_events_flush(a);
		notify_status(a, 0);
	}
}

void
agent_checks_stop(
    void *arg, const struct priv_stop_req *q, struct priv_stopped *rep)
{
	struct agent *a = arg;
	struct procrules_opts o = {0};
	struct procrules_stop s = {
	    q->pid, q->start_ticks, q->comm, q->user, q->script, q->why};
	struct finding f;
	struct err err = {0};
	char path[64], exe[PROC_EXE_MAX + 16];
	ssize_t n;
	int how = 0, rc = -1;

	/* the policy is the parent's, and the process is looked at again:
	 * the child may ask to stop only one of the check's interpreters */
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)q->pid);
	memset(&f, 0, sizeof(f));
	if (a->o->root != NULL || q->pid == getpid())
		err_set(&err, EPERM,
		    "pid %d not stopped: not a process to stop", (int)q->pid);
	else if ((n = readlink(path, exe, sizeof(exe) - 1)) <= 0)
		rc = 0; /* gone: nothing done */
	else {
		exe[n] = '\0';
		if (procrules_stuck_may_stop(&a->conf, q->pid, exe, &err) ==
		    0) {
			o.state_dir = a->o->state_dir;
			o.act = &a->act;
			rc = procrules_stuck_stop(
			    &a->conf, &o, &s, &f, &how, &err);
		}
	}
	if (rc == -1) {
		rep->code = err.code;
		str_copy(rep->msg, sizeof(rep->msg), err.msg);
	}
	rep->result = how;
	for (unsigned i = 0; i < f.nev && i < PRIV_STOP_EV; i++)
		rep->ev[rep->nev++] = f.ev[i];
}

/*
 * The next tick just after the next second begins: the engine counts in
 * whole seconds, so a check run at 12.9 s would start its "for" time at
 * 12 s, almost a second early.
 */
static void
arm_tick(struct agent *a)
{
	double frac = clock_wall();
	struct timeval tv;

	frac -= (double)(time_t)frac;
	tv.tv_sec = 0;
	tv.tv_usec = (suseconds_t)((1.0 - frac) * 1e6) + AGENT_TICK_SLACK_US;
	if (tv.tv_usec >= 1000000) {
		tv.tv_sec = 1;
		tv.tv_usec -= 1000000;
	}
	if (event_add(a->ev_tick, &tv) == -1) {
		log_warnx("cannot arm the timer: stopping");
		event_base_loopbreak(a->base);
	}
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct err err = {0};
	time_t now = time(NULL);
	int here;

	(void)fd;
	(void)what;
	here = run_due(a, now);
	if (problems_tick(a->pb, now, &err) == -1)
		log_warnx("%s", err.msg);
	agent_events_flush(a);
	agent_alerts_tick(a, now);
	notify_status(a, 0);
	/* checks run here (a scan of /proc): what they freed goes back at
	 * once, or the agent's resident size would be their peak */
	if (here || now - a->trimmed >= AGENT_TRIM_EVERY || now < a->trimmed) {
		a->trimmed = now;
#ifdef __GLIBC__
		malloc_trim(0);
#endif
	}
	arm_tick(a);
}

static void
on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct agent *a = arg;

	(void)what;
	log_info("%s: stopping", strsignal((int)sig));
	event_base_loopbreak(a->base);
}

int
agent_reload(struct agent *a, struct err *err)
{
	struct conf c;
	struct conf_errs errs = {0};
	struct alert_actions *next;
	char msg[64];
	time_t now;

	/* with the time of the reload, as systemd 253 and later want it */
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)(clock_mono() * 1e6));
	(void)notify_send(msg);
	conf_init(&c);
	if (conf_load(&c, a->o->conf_path, a->o->conf_explicit, &errs) == -1) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		err_set(err, EINVAL,
		    "'%s' has %zu error%s: not reloaded, still running on "
		    "the configuration loaded before",
		    a->o->conf_path, errs.n, errs.n == 1 ? "" : "s");
		log_warnx("%s", err->msg);
		conf_errs_release(&errs);
		conf_release(&c);
		notify_status(a, 1);
		return -1;
	}
	conf_errs_release(&errs);
	if ((next = agent_alerts_new(a, &c, err)) == NULL) {
		char emsg[sizeof(err->msg)];

		snprintf(emsg, sizeof(emsg), "%s", err->msg);
		err_set(err, EINVAL,
		    "'%s': %.300s: not reloaded, still running on the "
		    "configuration loaded before",
		    a->o->conf_path, emsg);
		log_warnx("%s", err->msg);
		conf_release(&c);
		notify_status(a, 1);
		return -1;
	}
	conf_release(&a->conf);
	a->conf = c;
	agent_alerts_replace(a, next);
	agent_watch_stop(a);
	if (agent_watch_start(a, err) == -1)
		log_warnx("%s: the web roots are not watched", err->msg);
	agent_hist_stop(a);
	if (agent_hist_start(a, err) == -1)
		log_warnx("%s: no history is kept", err->msg);
	agent_logs_stop(a);
	if (agent_logs_start(a, err) == -1)
		log_warnx("%s: no logs followed", err->msg);
	act_system(&a->act, &a->conf, a->o->state_dir);
	problems_policy_changed(a->pb);
	now = time(NULL);
	sched_plan(&a->sched, &a->conf, a->table, now, 1);
	observe_disabled(a, now);
	agent_events_flush(a);
	log_info("configuration '%s' reloaded", a->o->conf_path);
	notify_status(a, 1);
	return 0;
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct err err = {0};

	(void)sig;
	(void)what;
	(void)agent_reload(arg, &err);
}

static void
on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	(void)notify_send("WATCHDOG=1");
}

/* A persistent event: signal sig, or a timer of usec (sig -1). */
static struct event *
add_event(struct agent *a, int sig, uint64_t usec,
    void (*fn)(evutil_socket_t, short, void *))
{
	struct timeval tv = {
	    (time_t)(usec / 1000000), (suseconds_t)(usec % 1000000)};
	struct event *ev = event_new(a->base, sig,
	    sig == -1 ? EV_PERSIST : EV_SIGNAL | EV_PERSIST, fn, a);

	if (ev == NULL || event_add(ev, sig == -1 ? &tv : NULL) == -1) {
		if (ev != NULL)
			event_free(ev);
		return NULL;
	}
	return ev;
}

static void
free_event(struct event **ev)
{
	if (*ev != NULL)
		event_free(*ev);
	*ev = NULL;
}

/* Sets up everything but the loop: 0, or the exit status. */
static int
start(struct agent *a)
{
	struct err err = {0};
	uint64_t wd;
	time_t now = time(NULL);

	a->started = now;
	a->chk_entry = UINT32_MAX;
	report_init(&a->chk_rep);
	a->table = check_registry(&a->n);
	if ((a->memos = calloc(a->n ? a->n : 1, sizeof(*a->memos))) == NULL ||
	    sched_init(&a->sched, a->n) == -1) {
		log_warnx("out of memory");
		return 71;
	}
	if (a->o->state_dir != NULL) {
		if (store_open(&a->st, a->o->state_dir, &err) == -1) {
			log_warnx("%s", err.msg);
			return 73;
		}
		a->have_store = 1;
	}
	a->pb =
	    problems_new(a->have_store ? &a->st : NULL, policy, emit, a, &err);
	if (a->pb == NULL) {
		log_warnx("%s", err.msg);
		return 73;
	}
	act_system(&a->act, &a->conf, a->o->state_dir);
	if (dynlib_require(DYNLIB_EVENT, &err) == -1) {
		log_warnx("%s", err.msg);
		return 69;
	}
	if ((a->base = event_base_new()) == NULL) {
		log_warnx("cannot make the event loop");
		return 71;
	}
	if (agent_alerts_start(a, &err) == -1) {
		log_warnx("%s", err.msg);
		return err.code == EINVAL ? 78 : 73;
	}
	if (agent_watch_start(a, &err) == -1)
		log_warnx("%s: the web roots are not watched", err.msg);
	if (agent_hist_start(a, &err) == -1)
		log_warnx("%s: no history is kept", err.msg);
	if (agent_logs_start(a, &err) == -1)
		log_warnx("%s: no logs followed", err.msg);
	if ((a->ctl = ctl_server_new(a, a->o->run_dir, &err)) == NULL) {
		log_warnx("%s", err.msg);
		return err.code == EADDRINUSE ? 69 : 73;
	}
	if (agent_http_start(a, &err) == -1) {
		log_warnx("%s", err.msg);
		return err.code == EINVAL ? 78 : 69;
	}
	if ((a->ev_term = add_event(a, SIGTERM, 0, on_stop)) == NULL ||
	    (a->ev_int = add_event(a, SIGINT, 0, on_stop)) == NULL ||
	    (a->ev_hup = add_event(a, SIGHUP, 0, on_hup)) == NULL ||
	    (a->ev_tick = event_new(a->base, -1, 0, on_tick, a)) == NULL) {
		log_warnx("cannot set up the event loop");
		return 71;
	}
	if ((wd = notify_watchdog_usec()) != 0 &&
	    (a->ev_watchdog = add_event(a, -1, wd / 2, on_watchdog)) == NULL) {
		log_warnx("cannot set up the watchdog timer");
		return 71;
	}
	sched_plan(&a->sched, &a->conf, a->table, now, 0);
	observe_disabled(a, now);
	agent_events_flush(a);
	return 0;
}

static void
stop(struct agent *a)
{
	if (a->ctl != NULL)
		ctl_server_free(a->ctl);
	agent_http_stop(a);
	agent_events_flush(a);
	agent_alerts_stop(a);
	agent_watch_stop(a);
	agent_hist_stop(a);
	agent_logs_stop(a);
	free_event(&a->ev_term);
	free_event(&a->ev_int);
	free_event(&a->ev_hup);
	free_event(&a->ev_tick);
	free_event(&a->ev_watchdog);
	if (a->base != NULL)
		event_base_free(a->base);
	if (a->pb != NULL)
		problems_free(a->pb);
	a->pb = NULL;
	if (a->have_store)
		store_close(&a->st);
	if (a->memos != NULL)
		check_memos_release(a->table, a->n, a->memos);
	free(a->memos);
	sched_release(&a->sched);
	report_release(&a->chk_rep);
	conf_release(&a->conf);
	agent_events_flush(a);
	strbuf_release(&a->events);
}

int
agent_run(const struct agent_opts *o, struct conf *conf)
{
	struct agent a = {0};
	int rc;

	strbuf_init(&a.events, AGENT_EVENTS_MAX);
	a.o = o;
	a.conf = *conf;
	conf_init(conf); /* taken over */
	signal(SIGPIPE, SIG_IGN);
	/* No transparent huge pages, here and in the children (kept
	 * across fork and execve): one byte written in a large block a
	 * library maps (Hyperscan's scratch, a table) would make 2 MiB
	 * resident, for an agent whose whole heap is a few MiB. */
	(void)prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	if ((rc = start(&a)) == 0) {
		log_info("watching: %zu checks, control socket in '%s'", a.n,
		    o->run_dir);
		/* The first run once the second begins (see arm_tick). */
		arm_tick(&a);
		notify_status(&a, 1);
		if (event_base_dispatch(a.base) == -1) {
			log_warnx("the event loop failed");
			rc = 70;
		}
		(void)notify_send("STOPPING=1");
	}
	stop(&a);
	return rc;
}
