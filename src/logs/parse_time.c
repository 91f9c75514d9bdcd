/*
 * parse_time.c - the time stamps only web server logs write (CLF, the
 * Apache error log's ctime-like stamp), read by cursor with the civil-time
 * helpers of base/civtime.h (pure).
 */
#include <string.h>
#include <time.h>

#include "logs/logs.h"
#include "logs/parse_int.h"

static int
dig(const char *p, int i)
{
	return p[i] >= '0' && p[i] <= '9';
}

static int
two(const char *p, int i)
{
	return (p[i] - '0') * 10 + (p[i + 1] - '0');
}

/*
 * The layout Apache and nginx always write, "dd/Mon/yyyy:HH:MM:SS +zzzz",
 * read at fixed offsets (what the general path below reads from it, in a
 * fifth of the time); -1 when the text has another layout.
 */
static int
time_clf_fixed(const char **cur, const char *end, struct civtime *t)
{
	const char *p = *cur;
	static const signed char at[] = {
	    0, 1, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19, 22, 23, 24, 25};

	if (end - p < 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' ||
	    p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
	    (p[21] != '+' && p[21] != '-'))
		return -1;
	for (size_t i = 0; i < sizeof(at); i++)
		if (!dig(p, at[i]))
			return -1;
	if ((t->mon = civ_month(p + 3)) == 0)
		return -1;
	t->mday = two(p, 0);
	t->year = two(p, 7) * 100 + two(p, 9);
	t->hour = two(p, 12);
	t->min = two(p, 15);
	t->sec = two(p, 18);
	t->tzoff =
	    (p[21] == '-' ? -1 : 1) * (two(p, 22) * 3600 + two(p, 24) * 60);
	t->has_tz = 1;
	t->has_year = 1;
	civ_finish(t);
	*cur = p + 26;
	return 0;
}

/*
 * The key of a fixed-layout stamp at p (26 bytes there): its bytes but
 * the seconds' two (18 and 19), whose place the zone's last two take.
 */
static void
memo_key(const char *p, uint64_t k[3])
{
	char b[24];

	memcpy(b, p, 18);
	memcpy(b + 18, p + 20, 6);
	memcpy(k, b, sizeof(b));
}

/*
 * The stamp at *cur from m when it has m's minute and zone: only its
 * seconds are read (what time_clf_fixed gives for it).  -1 otherwise.
 */
static int
time_clf_memo(const char **cur, const char *end, struct civtime *t,
    const struct logs_clf_memo *m)
{
	const char *p = *cur;
	uint64_t k[3];

	if (!m->set || end - p < 26 || !dig(p, 18) || !dig(p, 19))
		return -1;
	memo_key(p, k);
	if (k[0] != m->key[0] || k[1] != m->key[1] || k[2] != m->key[2])
		return -1;
	*t = m->t;
	t->sec = two(p, 18);
	if (t->sec > 60)
		return -1; /* not valid: as time_clf_fixed says */
	t->epoch += t->sec;
	*cur = p + 26;
	return 0;
}

/* CLF: dd/Mon/yyyy:HH:MM:SS[ +zzzz] (inside the brackets). */
int
p_time_clf_memo(const char **cur, const char *end, struct civtime *t,
    struct logs_clf_memo *m)
{
	const char *p = *cur;

	if (m != NULL && time_clf_memo(cur, end, t, m) == 0)
		return 0;
	memset(t, 0, sizeof(*t));
	if (time_clf_fixed(cur, end, t) == 0) {
		if (m != NULL && t->valid) {
			memo_key(p, m->key);
			m->t = *t;
			m->t.sec = 0;
			m->t.epoch -= t->sec;
			m->set = 1;
		}
		return 0;
	}
	if (civ_day(&p, end, &t->mday) == -1 || p >= end || *p++ != '/' ||
	    end - p < 4 || (t->mon = civ_month(p)) == 0)
		return -1;
	p += 3;
	if (p >= end || *p++ != '/' || civ_digits(&p, end, 4, &t->year) == -1 ||
	    p >= end || *p++ != ':' || civ_hms(&p, end, t) == -1)
		return -1;
	t->has_year = 1;
	if (p < end && *p == ' ' && p + 1 < end && p[1] != ']') {
		p++;
		if (civ_zone(&p, end, t) == -1)
			return -1;
	}
	civ_finish(t);
	*cur = p;
	return t->valid ? 0 : -1;
}

int
p_time_clf(const char **cur, const char *end, struct civtime *t)
{
	return p_time_clf_memo(cur, end, t, NULL);
}

/* ctime-like: "Www Mmm dd HH:MM:SS[.usec] yyyy" (Apache error log). */
int
p_time_ctime(const char **cur, const char *end, struct civtime *t)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (end - p < 8 || p[3] != ' ')
		return -1;
	p += 4;
	if ((t->mon = civ_month(p)) == 0 || p[3] != ' ')
		return -1;
	p += 4;
	if (p < end && *p == ' ')
		p++;
	if (civ_day(&p, end, &t->mday) == -1 || p >= end || *p++ != ' ' ||
	    civ_hms(&p, end, t) == -1 || p >= end || *p++ != ' ' ||
	    civ_digits(&p, end, 4, &t->year) == -1)
		return -1;
	t->has_year = 1;
	civ_finish(t);
	*cur = p;
	return t->valid ? 0 : -1;
}
