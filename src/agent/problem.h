/*
 * problem.h - problems, not lines.  A problem is (check, subject).  It is
 * pending while its condition holds for less than its "for" time, opens
 * when it has held that long, changes when its severity changes, and
 * resolves when its condition has been clear for the hysteresis time.
 * Each of open, change and resolve is one alert event (agent/event.h).
 * A problem that changes state too often (flapping) gets one
 * ALERT_FLAPPING event and no more events until it has been stable for
 * the flapping window; then the state it settled in is told once (when
 * it is not the state last told: an open, a change or a resolve).
 * A resolved problem is remembered (not listed) for the flapping window
 * so that its changes count; coming back meanwhile, it keeps its id.
 *
 * Two kinds of evidence feed it:
 *   - a scheduled check's whole report (problems_observe): every problem
 *     of the check ids that run covers and that is not in the report is
 *     clear;
 *   - a finding from a followed log (problems_note): the condition holds
 *     now, its count grows, and it is clear once nothing was noted for
 *     the hysteresis time (a log says only what happens).  Its severity
 *     is the worst noted since it opened: a worse note is a change, a
 *     milder one is only counted.
 * A (check, subject) is one or the other, as it was first seen.
 * problems_tick advances the clocks (pending opens, resolves) without
 * new evidence; the agent calls it every second or so.
 *
 * Open problems (ids, first and last times, counts, severity) are kept
 * in the state database when the engine has one: after a restart the
 * open ones are loaded and not told again, and one that cleared while
 * the agent was down resolves once, at the first observation that lacks
 * it.  Silences (ctl silence) are kept there too.
 *
 * Pure but for the database: no clock (callers pass now), no output.
 * The emit function must not call back into the engine.
 */
#ifndef AGENT_PROBLEM_H
#define AGENT_PROBLEM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "agent/event.h"
#include "base/finding.h"

struct err;
struct store;

/* How one check's problems behave (from the configuration). */
struct problem_policy {
	uint64_t for_secs;     /* condition holds this long before open (0) */
	uint64_t clear_secs;   /* clear this long before resolve */
	unsigned flap_changes; /* this many state changes ... (0: off) */
	uint64_t flap_secs;    /* ... within this window is flapping */
	/*
	 * Set by the engine before it asks the policy: 1 for a log-derived
	 * problem (problems_note), whose default hysteresis is longer.
	 */
	int logged;
};

/* Defaults: for 0 s; clear 30 s (10 min when logged); 5 changes in 10 min. */
#define PROBLEM_CLEAR_SECS 30
#define PROBLEM_CLEAR_LOGGED_SECS 600
#define PROBLEM_FLAP_CHANGES 5
#define PROBLEM_FLAP_SECS 600
/* At most this many state changes are remembered per problem. */
#define PROBLEM_FLAP_MAX 16

/* Fills p with the defaults for p->logged (which it keeps). */
void problem_policy_default(struct problem_policy *p);

/*
 * Problems tracked at most (pending, open, and resolved ones kept for
 * their flapping history).  A new problem past it is not tracked: it is
 * counted (problems_dropped), and one problem of its own, check "agent"
 * subject "problem-limit", WARNING, opens (its count: the problems not
 * tracked) and resolves like a log-derived one once none was dropped
 * for its hysteresis time.
 */
#define PROBLEMS_MAX 10000
/* Silences kept at most; problems_silence refuses more. */
#define PROBLEMS_MAX_SILENCES 1000

/* Fills p for (check, subject); arg is the caller's. */
typedef void (*problem_policy_fn)(void *arg, const char *check,
    const char *subject, struct problem_policy *p);
/* Receives each event as it is made; silenced problems make none. */
typedef void (*problem_emit_fn)(void *arg, const struct alert_event *e);

struct problems;

/*
 * A new engine.  st (may be NULL: memory only) is the state database,
 * whose tables it creates; policy (NULL: the defaults) and emit are
 * called with arg.  NULL with err when the database cannot be read.
 *
 * Ids come from the database (a counter kept with the problems), so a
 * problem keeps its id across restarts and a new one never reuses an
 * old one's; without a database they count from 1.  A problem keeps its
 * id while the engine remembers it: from the first time its condition
 * is seen until it has resolved and (with flapping detection on) its
 * flapping window has passed since its last state change.
 *
 * After a restart, the problems that were open are open again and not
 * told again; a scheduled one is clear only when an observation that
 * covers its check lacks it (then it resolves after its hysteresis
 * time, once), a log-derived one when nothing was noted for its
 * hysteresis time since the last note before the restart.  Pending
 * problems are not kept: their "for" time starts again.  A problem that
 * was flapping stays quiet until it has been stable for the flapping
 * window (its state changes before the restart are kept only as "it is
 * flapping" and the time of the last one).
 */
struct problems *problems_new(struct store *st, problem_policy_fn policy,
    problem_emit_fn emit, void *arg, struct err *err);
void problems_free(struct problems *p);

/*
 * A scheduled run's report r: ids (n of them) are the check ids the run
 * covers; findings of other ids in r are ignored.  Findings with
 * SEV_OK are not problems.  0, or -1 with err (database).
 */
int problems_observe(struct problems *p, const char *const *ids, size_t n,
    const struct report *r, time_t now, struct err *err);
/*
 * One finding from a followed log: holds now, count +1.  Nothing is
 * written: the notes of a batch (the lines of one read) are written
 * together by problems_flush, or the next problems_tick, and the events
 * they made must not be told before.  0 (or -1 with err, reserved).
 */
int problems_note(
    struct problems *p, const struct finding *f, time_t now, struct err *err);
/* Writes every change not yet in the state database.  0, or -1 with err. */
int problems_flush(struct problems *p, struct err *err);
/* Advances pending opens and resolves to now; lifts silences past. */
int problems_tick(struct problems *p, time_t now, struct err *err);
/* Asks the policy again for every problem (the configuration changed). */
void problems_policy_changed(struct problems *p);
/* New problems not tracked because PROBLEMS_MAX were. */
uint64_t problems_dropped(const struct problems *p);

/*
 * Silences check (subject NULL: all its subjects) until until: their
 * events are not emitted (state is still kept, and what a silenced
 * problem did is not told later).  until <= now lifts it (a new
 * silence for the same check and subject replaces the old one).
 */
int problems_silence(struct problems *p, const char *check, const char *subject,
    time_t until, struct err *err);

/* An open (or pending) problem, as "ctl problems" lists it. */
struct problem_info {
	uint64_t id;
	char check[64];
	char subject[256];
	char message[512];
	enum sev sev;
	int open; /* 0: pending (its "for" time not yet up) */
	int flapping;
	time_t first;          /* condition first seen */
	time_t last;           /* last seen */
	time_t opened;         /* open event (0 when pending) */
	time_t silenced_until; /* 0: not silenced */
	uint64_t count;
	/* its evidence: nev pairs of NUL-terminated key and value, packed
	 * (evlen bytes); valid during the problems_each call only */
	const char *ev;
	size_t evlen;
	unsigned nev;
};

/*
 * The k-th pair of i's evidence into *key and *val (pointing into i->ev).
 * 0, or -1 past the last.
 */
int problem_info_ev(const struct problem_info *i, unsigned k, const char **key,
    const char **val);

/*
 * i as a JSON object of type "agent.problem" (its evidence as an object
 * "evidence" when with_ev), or NULL when out of memory.
 */
struct json_t;
struct json_t *problem_info_json(const struct problem_info *i, int with_ev);

/* Calls fn for every open or pending problem, in id order. */
void problems_each(const struct problems *p,
    void (*fn)(void *arg, const struct problem_info *i), void *arg);
/* Count of open problems. */
size_t problems_open(const struct problems *p);

#endif
