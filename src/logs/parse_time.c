/*
 * parse_time.c - the time stamps of every log format, read by cursor, and
 * the civil-date arithmetic that turns them into epoch seconds without
 * touching the process's time zone (pure).
 */
#include <string.h>
#include <time.h>

#include "logs/logs.h"
#include "logs/parse_int.h"

int
logs_month(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++)
		if (s[0] == names[i * 3] && s[1] == names[i * 3 + 1] &&
		    s[2] == names[i * 3 + 2])
			return i + 1;
	return 0;
}

int64_t
logs_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
logs_time_finish(struct logs_time *t)
{
	if (t->mon < 1 || t->mon > 12 || t->mday < 1 || t->mday > 31 ||
	    t->hour > 24 || t->min > 59 || t->sec > 60 || t->hour < 0 ||
	    t->min < 0 || t->sec < 0) {
		t->valid = 0;
		return;
	}
	t->epoch = logs_days_from_civil(t->year, t->mon, t->mday) * 86400 +
	    t->hour * 3600 + t->min * 60 + t->sec;
	if (t->has_tz)
		t->epoch -= t->tzoff;
	t->valid = 1;
}

int64_t
logs_time_epoch(const struct logs_time *t)
{
	struct tm tm;

	if (!t->valid)
		return 0;
	if (t->has_tz)
		return t->epoch;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->mon - 1;
	tm.tm_mday = t->mday;
	tm.tm_hour = t->hour;
	tm.tm_min = t->min;
	tm.tm_sec = t->sec;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* Exactly k digits into *v. */
int
p_digits(const char **cur, const char *end, int k, int *v)
{
	const char *p = *cur;
	int x = 0;

	if (end - p < k)
		return -1;
	for (int i = 0; i < k; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (p[i] - '0');
	}
	*v = x;
	*cur = p + k;
	return 0;
}

/* 1 or 2 digits (or a space then one digit, as syslog pads days). */
int
p_day(const char **cur, const char *end, int *v)
{
	const char *p = *cur;

	if (p < end && *p == ' ')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	*v = *p++ - '0';
	if (p < end && *p >= '0' && *p <= '9')
		*v = *v * 10 + (*p++ - '0');
	*cur = p;
	return 0;
}

/* HH:MM:SS[.frac]; the hour may have one digit (IIS native). */
int
p_hms(const char **cur, const char *end, struct logs_time *t)
{
	const char *p = *cur;
	int us = 0, k = 0;

	if (p_day(&p, end, &t->hour) == -1 || p >= end || *p++ != ':' ||
	    p_digits(&p, end, 2, &t->min) == -1 || p >= end || *p++ != ':' ||
	    p_digits(&p, end, 2, &t->sec) == -1)
		return -1;
	if (p < end && (*p == '.' || *p == ',') && p + 1 < end && p[1] >= '0' &&
	    p[1] <= '9') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (k < 6) {
				us = us * 10 + (*p - '0');
				k++;
			}
			p++;
		}
		while (k++ < 6)
			us *= 10;
		t->usec = us;
	}
	*cur = p;
	return 0;
}

/* +hhmm, +hh:mm, -..., Z. */
int
p_zone(const char **cur, const char *end, struct logs_time *t)
{
	const char *p = *cur;
	int sign, h, m;

	if (p < end && *p == 'Z') {
		t->tzoff = 0;
		t->has_tz = 1;
		*cur = p + 1;
		return 0;
	}
	if (p >= end || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (p_digits(&p, end, 2, &h) == -1)
		return -1;
	if (p < end && *p == ':')
		p++;
	if (p_digits(&p, end, 2, &m) == -1)
		return -1;
	t->tzoff = sign * (h * 3600 + m * 60);
	t->has_tz = 1;
	*cur = p;
	return 0;
}

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
time_clf_fixed(const char **cur, const char *end, struct logs_time *t)
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
	if ((t->mon = logs_month(p + 3)) == 0)
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
	logs_time_finish(t);
	*cur = p + 26;
	return 0;
}

/* CLF: dd/Mon/yyyy:HH:MM:SS[ +zzzz] (inside the brackets). */
int
p_time_clf(const char **cur, const char *end, struct logs_time *t)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (time_clf_fixed(cur, end, t) == 0)
		return 0;
	if (p_day(&p, end, &t->mday) == -1 || p >= end || *p++ != '/' ||
	    end - p < 4 || (t->mon = logs_month(p)) == 0)
		return -1;
	p += 3;
	if (p >= end || *p++ != '/' || p_digits(&p, end, 4, &t->year) == -1 ||
	    p >= end || *p++ != ':' || p_hms(&p, end, t) == -1)
		return -1;
	t->has_year = 1;
	if (p < end && *p == ' ' && p + 1 < end && p[1] != ']') {
		p++;
		if (p_zone(&p, end, t) == -1)
			return -1;
	}
	logs_time_finish(t);
	*cur = p;
	return t->valid ? 0 : -1;
}

/* ISO 8601: yyyy-mm-dd[T ]HH:MM:SS[.frac][zone]. */
int
p_time_iso(const char **cur, const char *end, struct logs_time *t, int sep)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (p_digits(&p, end, 4, &t->year) == -1 || p >= end || *p++ != '-' ||
	    p_digits(&p, end, 2, &t->mon) == -1 || p >= end || *p++ != '-' ||
	    p_digits(&p, end, 2, &t->mday) == -1 || p >= end || *p++ != sep ||
	    p_hms(&p, end, t) == -1)
		return -1;
	t->has_year = 1;
	if (p < end && (*p == 'Z' || *p == '+' || *p == '-'))
		if (p_zone(&p, end, t) == -1)
			return -1;
	logs_time_finish(t);
	*cur = p;
	return t->valid ? 0 : -1;
}

/* ctime-like: "Www Mmm dd HH:MM:SS[.usec] yyyy" (Apache error log). */
int
p_time_ctime(const char **cur, const char *end, struct logs_time *t)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (end - p < 8 || p[3] != ' ')
		return -1;
	p += 4;
	if ((t->mon = logs_month(p)) == 0 || p[3] != ' ')
		return -1;
	p += 4;
	if (p < end && *p == ' ')
		p++;
	if (p_day(&p, end, &t->mday) == -1 || p >= end || *p++ != ' ' ||
	    p_hms(&p, end, t) == -1 || p >= end || *p++ != ' ' ||
	    p_digits(&p, end, 4, &t->year) == -1)
		return -1;
	t->has_year = 1;
	logs_time_finish(t);
	*cur = p;
	return t->valid ? 0 : -1;
}

/* RFC 3164: "Mmm dd HH:MM:SS"; the year is the caller's. */
int
p_time_3164(const char **cur, const char *end, struct logs_time *t, int year)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (end - p < 15 || (t->mon = logs_month(p)) == 0 || p[3] != ' ')
		return -1;
	p += 4;
	if (p_day(&p, end, &t->mday) == -1 || p >= end || *p++ != ' ' ||
	    p_hms(&p, end, t) == -1)
		return -1;
	t->year = year;
	logs_time_finish(t);
	*cur = p;
	return t->valid ? 0 : -1;
}
