/*
 * civtime.h - civil dates and the time stamps logs write: Gregorian date
 * arithmetic that needs no time zone, English month names, and cursor
 * readers for ISO 8601 / RFC 3339 and RFC 3164 (syslog) stamps.
 *
 * A stamp without a zone is the wall-clock time of the machine that wrote
 * it: civ_epoch places it in the process's local time zone.
 */
#ifndef BASE_CIVTIME_H
#define BASE_CIVTIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct civtime {
	int year, mon, mday; /* 2024, 1..12, 1..31; year 0 when absent */
	int hour, min, sec;
	int usec;  /* microseconds, 0 when absent */
	int tzoff; /* seconds east of UTC, when has_tz */
	/* the fields counted as UTC, minus tzoff when has_tz (civ_finish) */
	int64_t epoch;
	unsigned has_tz : 1;
	unsigned has_year : 1; /* RFC 3164 has none: the caller supplies it */
	unsigned valid : 1;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static inline int64_t
civ_days(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* The civil date of day days since 1970-01-01 (H. Hinnant). */
void civ_from_days(int64_t days, int *y, int *m, int *d);

/*
 * Writes epoch as an RFC 3339 UTC stamp, "2026-12-06T09:00:00Z" (20
 * characters and a NUL: CIV_RFC3339_LEN bytes); cut to dstsz.
 */
#define CIV_RFC3339_LEN 21
void civ_rfc3339(char *dst, size_t dstsz, int64_t epoch);

/* Month from its English abbreviation at s (3 bytes): 1..12, or 0. */
static inline int
civ_month(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (s[0] == names[i * 3] && s[1] == names[i * 3 + 1] &&
		    s[2] == names[i * 3 + 2])
			return i + 1;
	return 0;
}

/* Checks the fields, fills epoch from them and tzoff, sets valid. */
static inline void
civ_finish(struct civtime *t)
{
	if (t->mon < 1 || t->mon > 12 || t->mday < 1 || t->mday > 31 ||
	    t->hour > 24 || t->min > 59 || t->sec > 60 || t->hour < 0 ||
	    t->min < 0 || t->sec < 0) {
		t->valid = 0;
		return;
	}
	t->epoch = civ_days(t->year, t->mon, t->mday) * 86400 + t->hour * 3600 +
	    t->min * 60 + t->sec;
	if (t->has_tz)
		t->epoch -= t->tzoff;
	t->valid = 1;
}

/*
 * The UTC epoch of t: its own when it has a zone, else the fields read
 * in the process's local time zone (as mktime does); 0 when not valid.
 */
int64_t civ_epoch(const struct civtime *t);

/* Exactly k digits into *v. */
int civ_digits(const char **cur, const char *end, int k, int *v);
/* 1 or 2 digits (or a space then one digit, as syslog pads days). */
int civ_day(const char **cur, const char *end, int *v);
/* HH:MM:SS[.frac|,frac] into t; the hour may have one digit. */
int civ_hms(const char **cur, const char *end, struct civtime *t);
/* A zone into t: Z, +hh, +hhmm, +hh:mm or the same with '-'. */
int civ_zone(const char **cur, const char *end, struct civtime *t);

/* civ_iso flags: which separators between date and time it takes, and
 * which parts may be left out. */
#define CIV_ISO_T 1     /* 2024-01-02T03:04:05 */
#define CIV_ISO_SPACE 2 /* 2024-01-02 03:04:05 */
#define CIV_ISO_DATE 4  /* the time may be absent (midnight) */
#define CIV_ISO_HM 8    /* the seconds may be absent */

/*
 * ISO 8601 / RFC 3339 at *cur: yyyy-mm-dd, a separator, HH:MM:SS[.frac]
 * and an optional zone (Z, +hh:mm, +hhmm).  0 and *cur past it, or -1.
 */
int civ_iso(
    const char **cur, const char *end, struct civtime *t, unsigned flags);
/* RFC 3164 "Mmm dd HH:MM:SS[.frac]" at *cur, in the given year. */
int civ_3164(const char **cur, const char *end, struct civtime *t, int year);

#endif
