/*
 * test_problem.c - the problem engine: pending, open, change, resolve,
 * log-derived counts, flapping, silences, the cap on problems, restarts
 * on a real state database, and policies from the configuration.  Time
 * is passed in, so every timing is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/policy.h"
#include "agent/problem.h"
#include "base/err.h"
#include "base/finding.h"
#include "store/store.h"

#include "conf_of.h"

static char dir[] = "/tmp/sakimori-unit.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* What the engine told, and the policy it is given. */
struct rec {
	struct alert_event ev[64];
	size_t n;
	size_t total; /* also past the 64 kept */
	struct problem_policy pol;
	int use_pol;
};

static void
emit(void *arg, const struct alert_event *e)
{
	struct rec *r = arg;

	if (r->n < 64)
		r->ev[r->n++] = *e;
	r->total++;
}

static void
policy(
    void *arg, const char *check, const char *subject, struct problem_policy *p)
{
	struct rec *r = arg;
	int logged = p->logged;

	(void)check;
	(void)subject;
	if (r->use_pol) {
		*p = r->pol;
		p->logged = logged;
	}
}

static struct rec *
rec_new(uint64_t for_secs, uint64_t clear_secs, unsigned flap_changes,
    uint64_t flap_secs)
{
	struct rec *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->pol.for_secs = for_secs;
	r->pol.clear_secs = clear_secs;
	r->pol.flap_changes = flap_changes;
	r->pol.flap_secs = flap_secs;
	r->use_pol = 1;
	return r;
}

/* One scheduled run of ids with the findings given as check, subject, sev. */
static void
observe(struct problems *p, const char *const *ids, size_t nids, time_t now,
    int nf, ...)
{
	struct report r;
	struct err err = {0};
	va_list ap;

	report_init(&r);
	va_start(ap, nf);
	for (int i = 0; i < nf; i++) {
		const char *check = va_arg(ap, const char *);
		const char *subject = va_arg(ap, const char *);
		enum sev sev = va_arg(ap, enum sev);
		struct finding *f = report_add(&r, sev, check, subject,
		    "%s on %s", sev_name(sev), subject);

		finding_ev(f, "value", "%d", i);
	}
	va_end(ap);
	assert_int_equal(problems_observe(p, ids, nids, &r, now, &err), 0);
	report_release(&r);
}

static void
tick(struct problems *p, time_t now)
{
	struct err err = {0};

	assert_int_equal(problems_tick(p, now, &err), 0);
}

static void
note(struct problems *p, const char *check, const char *subject, enum sev sev,
    time_t now)
{
	struct finding f;
	struct err err = {0};

	memset(&f, 0, sizeof(f));
	f.sev = sev;
	strcpy(f.check, check);
	strcpy(f.subject, subject);
	snprintf(f.message, sizeof(f.message), "attack from %s", subject);
	f.nev = 1;
	strcpy(f.ev[0].key, "line");
	strcpy(f.ev[0].val, "GET /etc/passwd");
	assert_int_equal(problems_note(p, &f, now, &err), 0);
}

/* problems_each into an array. */
struct list {
	struct problem_info i[16];
	size_t n;
};

static void
collect(void *arg, const struct problem_info *i)
{
	struct list *l = arg;

	if (l->n < 16)
		l->i[l->n] = *i;
	l->n++;
}

static struct list
list_of(const struct problems *p)
{
	struct list l;

	memset(&l, 0, sizeof(l));
	problems_each(p, collect, &l);
	return l;
}

static const char *const load_ids[] = {"load"};

static void
opens_after_its_for_time_once(void **state)
{
	struct rec *r = rec_new(3, 30, 0, 0);
	struct err err = {0};
	struct problems *p = problems_new(NULL, policy, emit, r, &err);
	struct list l;

	(void)state;
	assert_non_null(p);
	observe(p, load_ids, 1, 100, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 0);
	/* pending: listed, not open */
	l = list_of(p);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.i[0].open, 0);
	assert_int_equal(l.i[0].first, 100);
	assert_int_equal(problems_open(p), 0);
	tick(p, 101);
	tick(p, 102);
	assert_int_equal(r->n, 0);
	tick(p, 103);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->ev[0].kind, ALERT_OPEN);
	assert_int_equal(r->ev[0].sev, SEV_WARNING);
	assert_int_equal(r->ev[0].prev_sev, SEV_OK);
	assert_int_equal(r->ev[0].time, 103);
	assert_int_equal(r->ev[0].first, 100);
	assert_int_equal(r->ev[0].problem, 1);
	assert_string_equal(r->ev[0].check, "load");
	assert_string_equal(r->ev[0].message, "WARNING on ");
	assert_int_equal(r->ev[0].nev, 1);
	assert_string_equal(r->ev[0].ev[0].key, "value");
	tick(p, 104);
	observe(p, load_ids, 1, 110, 1, "load", "", SEV_WARNING);
	tick(p, 200);
	assert_int_equal(r->n, 1);
	assert_int_equal(problems_open(p), 1);
	l = list_of(p);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.i[0].open, 1);
	assert_int_equal(l.i[0].opened, 103);
	assert_int_equal(l.i[0].last, 110);
	assert_int_equal(l.i[0].count, 2);

	/* a condition that breaks before its for time starts again */
	observe(p, load_ids, 1, 300, 1, "load", "", SEV_WARNING);
	observe(p, (const char *const[]){"memory"}, 1, 300, 1, "memory", "",
	    SEV_WARNING);
	observe(p, (const char *const[]){"memory"}, 1, 301, 0);
	tick(p, 302);
	observe(p, (const char *const[]){"memory"}, 1, 302, 1, "memory", "",
	    SEV_WARNING);
	tick(p, 304);
	assert_int_equal(r->n, 1);
	tick(p, 305);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->ev[1].check, "memory");
	assert_int_equal(r->ev[1].first, 302);
	assert_int_not_equal(r->ev[1].problem, r->ev[0].problem);
	problems_free(p);
	free(r);
}

static void
changes_and_resolves_after_clear_time(void **state)
{
	struct rec *r = rec_new(0, 30, 0, 0);
	struct err err = {0};
	struct problems *p = problems_new(NULL, policy, emit, r, &err);
	static const char *const fs_ids[] = {"fs-blocks", "fs-inodes"};

	(void)state;
	/* a finding of a check the run does not cover, and OK, are not
	 * problems */
	observe(p, fs_ids, 2, 0, 3, "fs-blocks", "/var", SEV_WARNING, "load",
	    "", SEV_CRITICAL, "fs-inodes", "/var", SEV_OK);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->ev[0].kind, ALERT_OPEN);
	assert_string_equal(r->ev[0].subject, "/var");
	assert_int_equal(problems_open(p), 1);
	/* two findings of one problem: the worst counts, one change */
	observe(p, fs_ids, 2, 10, 2, "fs-blocks", "/var", SEV_WARNING,
	    "fs-blocks", "/var", SEV_CRITICAL);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[1].kind, ALERT_CHANGE);
	assert_int_equal(r->ev[1].sev, SEV_CRITICAL);
	assert_int_equal(r->ev[1].prev_sev, SEV_WARNING);
	assert_int_equal(r->ev[1].problem, r->ev[0].problem);
	assert_int_equal(r->ev[1].count, 2);
	/* clear for less than the hysteresis, then back: nothing told */
	observe(p, fs_ids, 2, 20, 0);
	tick(p, 49);
	observe(p, fs_ids, 2, 49, 1, "fs-blocks", "/var", SEV_CRITICAL);
	tick(p, 100);
	assert_int_equal(r->n, 2);
	/* clear from 110: resolved at 140, not before, once */
	observe(p, fs_ids, 2, 110, 0);
	tick(p, 139);
	assert_int_equal(r->n, 2);
	tick(p, 140);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[2].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[2].sev, SEV_CRITICAL);
	assert_int_equal(r->ev[2].time, 140);
	assert_int_equal(r->ev[2].first, 0);
	tick(p, 200);
	observe(p, fs_ids, 2, 210, 0);
	tick(p, 300);
	assert_int_equal(r->n, 3);
	assert_int_equal(problems_open(p), 0);
	assert_int_equal(list_of(p).n, 0);
	/* the default policy: resolves 30 s after clear */
	problems_free(p);
	r->n = 0;
	p = problems_new(NULL, NULL, emit, r, &err);
	observe(p, load_ids, 1, 0, 1, "load", "", SEV_WARNING);
	observe(p, load_ids, 1, 10, 0);
	tick(p, 39);
	assert_int_equal(r->n, 1);
	tick(p, 40);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[1].kind, ALERT_RESOLVE);
	problems_free(p);
	free(r);
}

static void
notes_count_up_without_events(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct err err = {0};
	struct problems *p = problems_new(NULL, NULL, emit, r, &err);
	struct list l;

	(void)state;
	for (int i = 0; i < 20; i++)
		note(p, "web-attack", "192.0.2.7", SEV_WARNING, i);
	note(p, "web-attack", "198.51.100.1", SEV_WARNING, 5);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[0].kind, ALERT_OPEN);
	assert_int_equal(r->ev[0].count, 1);
	assert_string_equal(r->ev[0].ev[0].val, "GET /etc/passwd");
	l = list_of(p);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.i[0].count, 20);
	assert_int_equal(l.i[0].last, 19);
	/* worse: one change; better again: the worst stays */
	note(p, "web-attack", "192.0.2.7", SEV_CRITICAL, 20);
	note(p, "web-attack", "192.0.2.7", SEV_WARNING, 21);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[2].kind, ALERT_CHANGE);
	assert_int_equal(r->ev[2].count, 21);
	/* quiet for the log default, 10 minutes, after the last note */
	tick(p, 604);
	assert_int_equal(r->n, 3);
	tick(p, 605);
	assert_int_equal(r->n, 4);
	assert_int_equal(r->ev[3].kind, ALERT_RESOLVE);
	assert_string_equal(r->ev[3].subject, "198.51.100.1");
	tick(p, 620);
	assert_int_equal(r->n, 4);
	tick(p, 621);
	assert_int_equal(r->n, 5);
	assert_int_equal(r->ev[4].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[4].count, 22);
	assert_int_equal(r->ev[4].sev, SEV_CRITICAL);
	tick(p, 2000);
	assert_int_equal(r->n, 5);
	assert_int_equal(problems_open(p), 0);
	/* it comes back: a new open */
	note(p, "web-attack", "192.0.2.7", SEV_WARNING, 3000);
	assert_int_equal(r->n, 6);
	assert_int_equal(r->ev[5].kind, ALERT_OPEN);
	assert_int_equal(r->ev[5].count, 1);
	problems_free(p);
	free(r);
}

static void
flapping_is_told_once_then_settles(void **state)
{
	struct rec *r = rec_new(0, 0, 3, 100);
	struct err err = {0};
	struct problems *p = problems_new(NULL, policy, emit, r, &err);

	(void)state;
	observe(p, load_ids, 1, 0, 1, "load", "", SEV_WARNING); /* open */
	observe(p, load_ids, 1, 10, 0);                         /* resolve */
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[1].kind, ALERT_RESOLVE);
	/* the third change within 100 s is flapping */
	observe(p, load_ids, 1, 20, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[2].kind, ALERT_FLAPPING);
	assert_int_equal(r->ev[2].problem, r->ev[0].problem);
	for (int t = 30; t <= 60; t += 10)
		observe(
		    p, load_ids, 1, t, t % 20 ? 0 : 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 3);
	assert_int_equal(list_of(p).i[0].flapping, 1);
	/* open since 60: stable at 160, told once */
	for (int t = 70; t < 160; t += 10)
		observe(p, load_ids, 1, t, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 3);
	observe(p, load_ids, 1, 160, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 4);
	assert_int_equal(r->ev[3].kind, ALERT_OPEN);
	assert_int_equal(r->ev[3].problem, r->ev[0].problem);
	for (int t = 170; t < 400; t += 10)
		observe(p, load_ids, 1, t, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 4);
	assert_int_equal(list_of(p).i[0].flapping, 0);
	/* settling where it was last told tells nothing */
	observe(p, load_ids, 1, 400, 0);
	observe(p, load_ids, 1, 410, 1, "load", "", SEV_WARNING);
	observe(p, load_ids, 1, 420, 0);
	assert_int_equal(r->n, 7);
	assert_int_equal(r->ev[6].kind, ALERT_FLAPPING);
	observe(p, load_ids, 1, 430, 1, "load", "", SEV_WARNING);
	tick(p, 600);
	assert_int_equal(r->n, 7);
	problems_free(p);
	free(r);
}

static void
silences_suppress(void **state)
{
	struct rec *r = rec_new(0, 0, 0, 0);
	struct err err = {0};
	struct problems *p = problems_new(NULL, policy, emit, r, &err);
	static const char *const fs_ids[] = {"fs-blocks"};
	struct list l;

	(void)state;
	assert_int_equal(problems_silence(p, "load", NULL, 100, &err), 0);
	assert_int_equal(
	    problems_silence(p, "fs-blocks", "/var", 100, &err), 0);
	observe(p, load_ids, 1, 10, 1, "load", "", SEV_WARNING);
	observe(p, fs_ids, 1, 10, 2, "fs-blocks", "/var", SEV_WARNING,
	    "fs-blocks", "/home", SEV_WARNING);
	/* only /home is told; the silenced ones are open all the same */
	assert_int_equal(r->n, 1);
	assert_string_equal(r->ev[0].subject, "/home");
	assert_int_equal(problems_open(p), 3);
	l = list_of(p);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.i[0].silenced_until, 100);
	assert_int_equal(l.i[2].silenced_until, 0);
	/* what they did while silenced is not told later */
	observe(p, load_ids, 1, 50, 0);
	tick(p, 150);
	assert_int_equal(r->n, 1);
	/* lifted: told again */
	observe(p, load_ids, 1, 200, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->ev[1].check, "load");
	/* until <= now lifts one at once */
	assert_int_equal(problems_silence(p, "fs-blocks", NULL, 300, &err), 0);
	observe(p, fs_ids, 1, 210, 0);
	assert_int_equal(r->n, 2);
	assert_int_equal(problems_silence(p, "fs-blocks", NULL, 0, &err), 0);
	observe(p, fs_ids, 1, 220, 1, "fs-blocks", "/home", SEV_CRITICAL);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[2].kind, ALERT_OPEN);
	problems_free(p);
	free(r);
}

static void
problems_are_bounded(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct err err = {0};
	struct problems *p = problems_new(NULL, NULL, emit, r, &err);
	struct list l;
	char subj[32];

	(void)state;
	for (int i = 0; i < PROBLEMS_MAX + 5; i++) {
		snprintf(subj, sizeof(subj), "10.0.%d.%d", i / 256, i % 256);
		note(p, "web-attack", subj, SEV_WARNING, 1);
	}
	assert_int_equal(problems_dropped(p), 5);
	/* one open each, and one for the limit */
	assert_int_equal(r->total, PROBLEMS_MAX + 1);
	assert_int_equal(problems_open(p), PROBLEMS_MAX + 1);
	l = list_of(p);
	assert_int_equal(l.n, PROBLEMS_MAX + 1);
	assert_string_equal(r->ev[63].check, "web-attack");
	problems_free(p);
	free(r);
}

/* The engine's problems by check, from problems_each. */
struct find {
	const char *check;
	const char *subject;
	struct problem_info i;
	int found;
};

static void
find_fn(void *arg, const struct problem_info *i)
{
	struct find *f = arg;

	if (strcmp(i->check, f->check) == 0 &&
	    strcmp(i->subject, f->subject) == 0) {
		f->i = *i;
		f->found = 1;
	}
}

static struct find
find_one(const struct problems *p, const char *check, const char *subject)
{
	struct find f;

	memset(&f, 0, sizeof(f));
	f.check = check;
	f.subject = subject;
	problems_each(p, find_fn, &f);
	return f;
}

static void
limit_problem_counts_the_dropped(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct err err = {0};
	struct problems *p = problems_new(NULL, NULL, emit, r, &err);
	struct find f;
	char subj[32];

	(void)state;
	for (int i = 0; i < PROBLEMS_MAX + 3; i++) {
		snprintf(subj, sizeof(subj), "10.0.%d.%d", i / 256, i % 256);
		note(p, "web-attack", subj, SEV_WARNING, 1);
	}
	f = find_one(p, "agent", "problem-limit");
	assert_int_equal(f.found, 1);
	assert_int_equal(f.i.open, 1);
	assert_int_equal(f.i.sev, SEV_WARNING);
	assert_int_equal(f.i.count, 3);
	assert_non_null(strstr(f.i.message, "3 not tracked"));
	/* the tracked ones still count up */
	note(p, "web-attack", "10.0.0.0", SEV_WARNING, 2);
	f = find_one(p, "web-attack", "10.0.0.0");
	assert_int_equal(f.i.count, 2);
	assert_int_equal(problems_dropped(p), 3);
	problems_free(p);
	free(r);
}

static const char *const both_ids[] = {"load", "fs-blocks"};

/* A problem as another engine on the database sees it. */
static struct find
stored(struct store *st, const char *subject)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct err err = {0};
	struct problems *p;
	struct find f;

	assert_non_null(r);
	p = problems_new(st, NULL, emit, r, &err);
	assert_non_null(p);
	f = find_one(p, "web-attack", subject);
	problems_free(p);
	free(r);
	return f;
}

/* Its count, when it is there. */
static uint64_t
stored_count(struct store *st, const char *subject)
{
	struct find f = stored(st, subject);

	assert_int_equal(f.found, 1);
	return f.i.count;
}

static void
restart_tells_nothing_twice(void **state)
{
	struct rec *r = rec_new(0, 30, 0, 0);
	struct err err = {0};
	struct store st;
	struct problems *p;
	uint64_t id_load, id_fs, id_web, id_new;
	struct find f;

	(void)state;
	assert_int_equal(store_open(&st, dir, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	assert_non_null(p);
	observe(p, both_ids, 2, 1000, 2, "load", "", SEV_WARNING, "fs-blocks",
	    "/var", SEV_CRITICAL);
	note(p, "web-attack", "192.0.2.7", SEV_WARNING, 1000);
	/* a note is written with the others of its batch, by the flush */
	assert_int_equal(stored(&st, "192.0.2.7").found, 0);
	assert_int_equal(problems_flush(p, &err), 0);
	assert_int_equal(stored_count(&st, "192.0.2.7"), 1);
	note(p, "web-attack", "192.0.2.7", SEV_WARNING, 1001);
	assert_int_equal(r->n, 3);
	id_load = r->ev[0].problem;
	id_fs = r->ev[1].problem;
	id_web = r->ev[2].problem;
	assert_int_not_equal(id_load, id_fs);
	assert_int_not_equal(id_fs, id_web);
	/* a note that only counts up is written by the next tick */
	assert_int_equal(stored_count(&st, "192.0.2.7"), 1);
	tick(p, 1002);
	assert_int_equal(stored_count(&st, "192.0.2.7"), 2);
	assert_int_equal(
	    problems_silence(p, "mail-volume", NULL, 5000, &err), 0);
	/* pending for 60 s: not kept */
	r->pol.for_secs = 60;
	problems_policy_changed(p);
	observe(p, (const char *const[]){"memory"}, 1, 1002, 1, "memory", "",
	    SEV_WARNING);
	/* as kill -9 would: nothing more is written */
	problems_free(p);
	store_close(&st);

	/* The restart: the open ones are back, with their ids. */
	r->n = 0;
	r->pol.for_secs = 0;
	assert_int_equal(store_open(&st, dir, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	assert_non_null(p);
	assert_int_equal(problems_open(p), 3);
	f = find_one(p, "fs-blocks", "/var");
	assert_int_equal(f.found, 1);
	assert_int_equal(f.i.id, id_fs);
	assert_int_equal(f.i.sev, SEV_CRITICAL);
	assert_int_equal(f.i.first, 1000);
	assert_int_equal(f.i.opened, 1000);
	assert_string_equal(f.i.message, "CRITICAL on /var");
	f = find_one(p, "web-attack", "192.0.2.7");
	assert_int_equal(f.i.id, id_web);
	assert_int_equal(f.i.count, 2);
	assert_int_equal(f.i.last, 1001);
	assert_int_equal(find_one(p, "memory", "").found, 0);
	assert_int_equal(find_one(p, "load", "").i.silenced_until, 0);
	/* nothing is told before an observation lacks one */
	tick(p, 2000);
	assert_int_equal(r->n, 1); /* the log one: quiet since 1001 */
	assert_int_equal(r->ev[0].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[0].problem, id_web);
	/* load is still there: not told again; /var cleared meanwhile */
	observe(p, both_ids, 2, 2000, 1, "load", "", SEV_WARNING);
	tick(p, 2029);
	assert_int_equal(r->n, 1);
	tick(p, 2030);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[1].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[1].problem, id_fs);
	/* the pending one starts its for time again */
	observe(p, (const char *const[]){"memory"}, 1, 2030, 1, "memory", "",
	    SEV_WARNING);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[2].kind, ALERT_OPEN);
	assert_int_equal(r->ev[2].first, 2030);
	id_new = r->ev[2].problem;
	assert_true(id_new > id_web);
	problems_free(p);
	store_close(&st);

	/* Again: only load and memory are open; nothing resolves twice. */
	r->n = 0;
	assert_int_equal(store_open(&st, dir, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	assert_non_null(p);
	assert_int_equal(problems_open(p), 2);
	assert_int_equal(find_one(p, "load", "").i.id, id_load);
	assert_int_equal(find_one(p, "memory", "").i.id, id_new);
	observe(p, both_ids, 2, 3000, 0);
	observe(p, (const char *const[]){"memory"}, 1, 3000, 0);
	tick(p, 3100);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[0].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[1].kind, ALERT_RESOLVE);
	/* the silence was kept too */
	observe(p, (const char *const[]){"mail-volume"}, 1, 3100, 1,
	    "mail-volume", "", SEV_WARNING);
	assert_int_equal(r->n, 2);
	assert_int_equal(find_one(p, "mail-volume", "").i.silenced_until, 5000);
	/* a new problem never takes an old id, even of a resolved one */
	observe(p, both_ids, 2, 3200, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 3);
	assert_true(r->ev[2].problem > id_new + 1);
	problems_free(p);
	store_close(&st);

	r->n = 0;
	assert_int_equal(store_open(&st, dir, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	assert_int_equal(problems_open(p), 2); /* mail-volume, load */
	tick(p, 4000);
	assert_int_equal(r->n, 0);
	problems_free(p);
	store_close(&st);
	free(r);
}

static void
flapping_survives_a_restart(void **state)
{
	struct rec *r = rec_new(0, 0, 3, 100);
	struct err err = {0};
	struct store st;
	struct problems *p;
	char sub[PATH_MAX];
	static const char *const ids[] = {"swap-activity"};

	(void)state;
	snprintf(sub, sizeof(sub), "%s/flap", dir);
	assert_int_equal(store_open(&st, sub, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	observe(p, ids, 1, 0, 1, "swap-activity", "", SEV_WARNING);
	observe(p, ids, 1, 10, 1, "swap-activity", "", SEV_CRITICAL);
	observe(p, ids, 1, 20, 0); /* third change: flapping, still told open */
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[2].kind, ALERT_FLAPPING);
	problems_free(p);
	store_close(&st);

	r->n = 0;
	assert_int_equal(store_open(&st, sub, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	/* told open, resolved while flapping: one resolve once stable */
	tick(p, 119);
	assert_int_equal(r->n, 0);
	tick(p, 120);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->ev[0].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[0].sev, SEV_CRITICAL);
	tick(p, 500);
	assert_int_equal(r->n, 1);
	problems_free(p);
	store_close(&st);

	r->n = 0;
	assert_int_equal(store_open(&st, sub, &err), 0);
	p = problems_new(&st, policy, emit, r, &err);
	assert_int_equal(problems_open(p), 0);
	tick(p, 1000);
	assert_int_equal(r->n, 0);
	problems_free(p);
	store_close(&st);
	free(r);
}

static void
policy_is_asked_again_on_change(void **state)
{
	struct rec *r = rec_new(0, 30, 0, 0);
	struct err err = {0};
	struct problems *p = problems_new(NULL, policy, emit, r, &err);

	(void)state;
	observe(p, load_ids, 1, 0, 1, "load", "", SEV_WARNING);
	assert_int_equal(r->n, 1);
	/* the configuration now says clear 0: resolved at the next look */
	r->pol.clear_secs = 0;
	problems_policy_changed(p);
	observe(p, load_ids, 1, 10, 0);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[1].kind, ALERT_RESOLVE);
	assert_int_equal(r->ev[1].time, 10);
	problems_free(p);
	free(r);
}

static void
ids_count_from_one_without_a_database(void **state)
{
	struct rec *r = rec_new(0, 0, 0, 0);
	struct err err = {0};
	struct problems *p = problems_new(NULL, policy, emit, r, &err);

	(void)state;
	note(p, "web-attack", "a", SEV_WARNING, 1);
	note(p, "web-attack", "b", SEV_WARNING, 1);
	assert_int_equal(r->ev[0].problem, 1);
	assert_int_equal(r->ev[1].problem, 2);
	problems_free(p);
	free(r);
}

static void
policy_from_the_configuration(void **state)
{
	struct conf *c = conf_of(
	    "check load { for 5s clear 1m flap-changes 3 flap-window 2m "
	    "every 20s }\n"
	    "check fs-blocks { clear 2m }\n"
	    "check fs-blocks \"/var\" { clear 5m flap-changes 0 }\n"
	    "check inventory { clear 2h }\n");
	struct problem_policy pol;
	struct conf_errs errs = {0};
	struct conf bad;
	static const char bad_text[] = "check load { flap-changes 17 }\n";

	(void)state;
	memset(&pol, 0, sizeof(pol));
	problem_policy_conf(c, "load", "", &pol);
	assert_int_equal(pol.for_secs, 5);
	assert_int_equal(pol.clear_secs, 60);
	assert_int_equal(pol.flap_changes, 3);
	assert_int_equal(pol.flap_secs, 120);
	assert_int_equal(problem_every(c, "load", 10), 20);
	assert_int_equal(problem_every(c, "memory", 10), 10);
	/* a subject's block over the check's */
	memset(&pol, 0, sizeof(pol));
	problem_policy_conf(c, "fs-blocks", "/var", &pol);
	assert_int_equal(pol.clear_secs, 300);
	assert_int_equal(pol.flap_changes, 0);
	problem_policy_conf(c, "fs-blocks", "/home", &pol);
	assert_int_equal(pol.clear_secs, 120);
	assert_int_equal(pol.flap_changes, PROBLEM_FLAP_CHANGES);
	assert_int_equal(pol.flap_secs, PROBLEM_FLAP_SECS);
	/* a check id under its check's name */
	problem_policy_conf_fn(c, "inventory-listener", "tcp/8080", &pol);
	assert_int_equal(pol.clear_secs, 7200);
	/* defaults: 30 s, or 10 minutes for what a log told */
	memset(&pol, 0, sizeof(pol));
	problem_policy_conf(c, "web-attack", "192.0.2.7", &pol);
	assert_int_equal(pol.clear_secs, PROBLEM_CLEAR_SECS);
	assert_int_equal(pol.for_secs, 0);
	pol.logged = 1;
	problem_policy_conf(c, "web-attack", "192.0.2.7", &pol);
	assert_int_equal(pol.clear_secs, PROBLEM_CLEAR_LOGGED_SECS);
	assert_int_equal(pol.logged, 1);
	conf_release(c);
	/* out of range is refused with its line */
	conf_init(&bad);
	assert_int_equal(
	    conf_load_string(&bad, "t", bad_text, strlen(bad_text), &errs), -1);
	assert_true(errs.n >= 1);
	assert_non_null(strstr(errs.msg[0], "t:1"));
	conf_errs_release(&errs);
	conf_release(&bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(opens_after_its_for_time_once),
	    cmocka_unit_test(changes_and_resolves_after_clear_time),
	    cmocka_unit_test(notes_count_up_without_events),
	    cmocka_unit_test(flapping_is_told_once_then_settles),
	    cmocka_unit_test(silences_suppress),
	    cmocka_unit_test(problems_are_bounded),
	    cmocka_unit_test(limit_problem_counts_the_dropped),
	    cmocka_unit_test(restart_tells_nothing_twice),
	    cmocka_unit_test(flapping_survives_a_restart),
	    cmocka_unit_test(policy_is_asked_again_on_change),
	    cmocka_unit_test(ids_count_from_one_without_a_database),
	    cmocka_unit_test(policy_from_the_configuration),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
