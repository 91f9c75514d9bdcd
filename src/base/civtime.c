/*
 * civtime.c - civil dates and log time stamps (see civtime.h).
 */
#include "base/civtime.h"

#include <stdio.h>
#include <string.h>

/*
 * The local offset of the last quarter hour of wall-clock time asked for:
 * zones change their offset only at quarter hours, so every stamp of that
 * quarter has it, and a log (whose stamps mostly go forward) asks mktime
 * once per quarter instead of once per line.  tzset (which mktime calls)
 * sets timezone and tzname: a change of TZ followed by tzset shows there.
 */
static _Thread_local struct {
	int64_t quarter;
	int64_t off;
	long tz;
	const char *name;
	int ok;
} local_off;

int64_t
civ_epoch(const struct civtime *t)
{
	int64_t q, start;
	struct tm tm;
	time_t r;

	if (!t->valid)
		return 0;
	if (t->has_tz)
		return t->epoch;
	start = t->epoch - (t->min % 15) * 60 - t->sec;
	q = start / 900;
	if (local_off.ok && local_off.quarter == q &&
	    local_off.tz == timezone && local_off.name == tzname[0])
		return t->epoch - local_off.off;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->mon - 1;
	tm.tm_mday = t->mday;
	tm.tm_hour = t->hour; /* 24 is the next day's midnight */
	tm.tm_min = t->min - t->min % 15;
	tm.tm_isdst = -1;
	r = mktime(&tm);
	if (r == (time_t)-1)
		return -1;
	local_off.quarter = q;
	local_off.off = start - (int64_t)r;
	local_off.tz = timezone;
	local_off.name = tzname[0];
	local_off.ok = 1;
	return t->epoch - local_off.off;
}

int
civ_digits(const char **cur, const char *end, int k, int *v)
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

int
civ_day(const char **cur, const char *end, int *v)
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

/* ".123456" or ",123" into microseconds, when a digit follows. */
static void
frac(const char **cur, const char *end, struct civtime *t)
{
	const char *p = *cur;
	int us = 0, k = 0;

	if (!(p < end && (*p == '.' || *p == ',') && p + 1 < end &&
	        p[1] >= '0' && p[1] <= '9'))
		return;
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
	*cur = p;
}

int
civ_hms(const char **cur, const char *end, struct civtime *t)
{
	const char *p = *cur;

	if (civ_day(&p, end, &t->hour) == -1 || p >= end || *p++ != ':' ||
	    civ_digits(&p, end, 2, &t->min) == -1 || p >= end || *p++ != ':' ||
	    civ_digits(&p, end, 2, &t->sec) == -1)
		return -1;
	frac(&p, end, t);
	*cur = p;
	return 0;
}

int
civ_zone(const char **cur, const char *end, struct civtime *t)
{
	const char *p = *cur;
	int sign, h, m = 0;

	if (p < end && *p == 'Z') {
		t->tzoff = 0;
		t->has_tz = 1;
		*cur = p + 1;
		return 0;
	}
	if (p >= end || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (civ_digits(&p, end, 2, &h) == -1)
		return -1;
	if (p < end && *p == ':')
		p++;
	if (civ_digits(&p, end, 2, &m) == -1)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	t->tzoff = sign * (h * 3600 + m * 60);
	t->has_tz = 1;
	*cur = p;
	return 0;
}

int
civ_iso(const char **cur, const char *end, struct civtime *t, unsigned flags)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (civ_digits(&p, end, 4, &t->year) == -1 || p >= end || *p++ != '-' ||
	    civ_digits(&p, end, 2, &t->mon) == -1 || p >= end || *p++ != '-' ||
	    civ_digits(&p, end, 2, &t->mday) == -1)
		return -1;
	t->has_year = 1;
	if (p < end &&
	    ((*p == 'T' && (flags & CIV_ISO_T)) ||
	        (*p == ' ' && (flags & CIV_ISO_SPACE)))) {
		p++;
		if (flags & CIV_ISO_HM) {
			if (civ_day(&p, end, &t->hour) == -1 || p >= end ||
			    *p++ != ':' ||
			    civ_digits(&p, end, 2, &t->min) == -1)
				return -1;
			if (p < end && *p == ':') {
				p++;
				if (civ_digits(&p, end, 2, &t->sec) == -1)
					return -1;
				frac(&p, end, t);
			}
		} else if (civ_hms(&p, end, t) == -1)
			return -1;
		if (p < end && (*p == 'Z' || *p == '+' || *p == '-') &&
		    civ_zone(&p, end, t) == -1)
			return -1;
	} else if (!(flags & CIV_ISO_DATE))
		return -1;
	civ_finish(t);
	if (!t->valid)
		return -1;
	*cur = p;
	return 0;
}

int
civ_3164(const char **cur, const char *end, struct civtime *t, int year)
{
	const char *p = *cur;

	memset(t, 0, sizeof(*t));
	if (end - p < 14 || (t->mon = civ_month(p)) == 0 || p[3] != ' ')
		return -1;
	p += 4;
	if (civ_day(&p, end, &t->mday) == -1 || p >= end || *p++ != ' ' ||
	    civ_hms(&p, end, t) == -1)
		return -1;
	t->year = year;
	civ_finish(t);
	if (!t->valid)
		return -1;
	*cur = p;
	return 0;
}

void
civ_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

void
civ_rfc3339(char *dst, size_t dstsz, int64_t epoch)
{
	int64_t days = epoch >= 0 ? epoch / 86400 : -((-epoch + 86399) / 86400);
	int64_t secs = epoch - days * 86400;
	int y, m, d;

	civ_from_days(days, &y, &m, &d);
	snprintf(dst, dstsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}
