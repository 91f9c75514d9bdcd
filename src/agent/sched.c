/*
 * sched.c - the agent's schedule of checks (see sched.h).
 */
#include "agent/sched.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "check/check.h"
#include "conf/conf.h"

int
sched_daily_minute(const struct conf *c)
{
	const char *v = conf_setting(c, "daily-at", NULL);
	int m;

	if (v == NULL || daytime_parse(v, &m) == -1)
		return SCHED_DAILY_DEFAULT;
	return m;
}

/* The "every" of "check NAME" in seconds, or 0 when not set. */
static uint64_t
every_of(const struct conf *c, const char *name)
{
	double v = conf_num(conf_check(c, name, NULL), "every", 0);

	if (!(v >= 1))
		return 0;
	return v >= 1e15 ? (uint64_t)1e15 : (uint64_t)v;
}

uint64_t
sched_every(const struct conf *c, const struct check_entry *e)
{
	uint64_t every = every_of(c, e->name), v;

	for (const char *const *id = e->ids; id != NULL && *id != NULL; id++)
		if ((v = every_of(c, *id)) != 0 && (every == 0 || v < every))
			every = v;
	if (every != 0)
		return every;
	switch (e->cls) {
	case CHECK_FAST:
		return SCHED_FAST_SECS;
	case CHECK_MEDIUM:
		return SCHED_MEDIUM_SECS;
	case CHECK_SLOW:
		return SCHED_SLOW_SECS;
	default:
		return 0;
	}
}

time_t
sched_daily_next(time_t now, int minute)
{
	struct tm tm;
	time_t t;

	for (int day = 0; day < 3; day++) {
		if (localtime_r(&now, &tm) == NULL)
			return now + 86400;
		tm.tm_mday += day;
		tm.tm_hour = minute / 60;
		tm.tm_min = minute % 60;
		tm.tm_sec = 0;
		tm.tm_isdst = -1; /* whatever daylight saving says that day */
		if ((t = mktime(&tm)) != (time_t)-1 && t > now)
			return t;
	}
	return now + 86400;
}

int
sched_init(struct sched *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->daily_minute = SCHED_DAILY_DEFAULT;
	if (n == 0)
		return 0;
	if ((s->slot = calloc(n, sizeof(*s->slot))) == NULL)
		return -1;
	s->n = n;
	return 0;
}

void
sched_release(struct sched *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* Slot i's next run after a run (or a plan) at now. */
static time_t
next_after(const struct sched *s, const struct sched_slot *sl, time_t now)
{
	if (sl->every == 0)
		return sched_daily_next(now, s->daily_minute);
	return now + (time_t)sl->every;
}

void
sched_plan(struct sched *s, const struct conf *c, const struct check_entry *t,
    time_t now, int due_now)
{
	s->daily_minute = sched_daily_minute(c);
	for (size_t i = 0; i < s->n; i++) {
		struct sched_slot *sl = &s->slot[i];

		sl->every = sched_every(c, &t[i]);
		sl->enabled = check_enabled(c, &t[i]);
		if (!sl->enabled)
			sl->next = 0;
		else if (sl->every == 0)
			sl->next = sched_daily_next(now, s->daily_minute);
		else if (sl->last == 0 || due_now)
			sl->next = now;
		else if ((sl->next = next_after(s, sl, sl->last)) < now)
			sl->next = now;
	}
}

int
sched_due(const struct sched *s, size_t i, time_t now)
{
	const struct sched_slot *sl = &s->slot[i];

	return sl->enabled && sl->next != 0 && sl->next <= now;
}

void
sched_ran(struct sched *s, size_t i, time_t now)
{
	struct sched_slot *sl = &s->slot[i];

	sl->last = now;
	sl->next = next_after(s, sl, now);
}

time_t
sched_next_any(const struct sched *s)
{
	time_t best = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct sched_slot *sl = &s->slot[i];

		if (sl->enabled && sl->next != 0 &&
		    (best == 0 || sl->next < best))
			best = sl->next;
	}
	return best;
}
