/*
 * sched.h - when the agent runs each check of the registry: every entry on
 * its own interval, the default of its class (CHECK_FAST 10 s,
 * CHECK_MEDIUM 60 s, CHECK_SLOW 5 min) unless its configuration block
 * says "every DURATION"; the daily ones (CHECK_DAILY) once a day at
 * "set daily-at HH:MM" (local time, default 06:25) unless "every" is set.
 *
 * Pure: callers pass the clock; local time comes from the time zone of
 * the process (TZ).
 */
#ifndef AGENT_SCHED_H
#define AGENT_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct check_entry;
struct conf;

#define SCHED_FAST_SECS 10
#define SCHED_MEDIUM_SECS 60
#define SCHED_SLOW_SECS 300
#define SCHED_DAILY_DEFAULT (6 * 60 + 25) /* 06:25 */

/* One entry's plan. */
struct sched_slot {
	uint64_t every; /* seconds between runs; 0: once a day at daily-at */
	int enabled;    /* in the configuration it was planned with */
	time_t next;    /* when it runs next (0: never) */
	time_t last;    /* when it last ran (0: not yet) */
};

struct sched {
	size_t n; /* entries of the table, one slot each */
	struct sched_slot *slot;
	int daily_minute; /* minutes after local midnight */
};

/* The minute of "set daily-at", or SCHED_DAILY_DEFAULT (also when bad). */
int sched_daily_minute(const struct conf *c);
/*
 * Seconds between runs of e under c: the smallest "every" of the blocks
 * "check NAME" of its name and ids, else its class default; 0 for a
 * daily entry without "every" (it runs at daily-at).
 */
uint64_t sched_every(const struct conf *c, const struct check_entry *e);
/* The first time after now (strictly) that is minute in local time. */
time_t sched_daily_next(time_t now, int minute);

/* n slots, all zero: 0, or -1 (out of memory). */
int sched_init(struct sched *s, size_t n);
void sched_release(struct sched *s);
/*
 * Plans table t (s->n entries) under c at now: the interval of each entry
 * from c; an entry that has not run yet runs now, one that has runs its
 * new interval after its last run (now at the earliest when that is
 * past, or when due_now is set: a reload applies new thresholds at
 * once); daily entries at the next daily-at.  Disabled entries never run.
 */
void sched_plan(struct sched *s, const struct conf *c,
    const struct check_entry *t, time_t now, int due_now);
/* 1 when slot i is due at now. */
int sched_due(const struct sched *s, size_t i, time_t now);
/* Slot i ran at now: its next run. */
void sched_ran(struct sched *s, size_t i, time_t now);
/* The earliest next run of an enabled slot, or 0 when none. */
time_t sched_next_any(const struct sched *s);

#endif
