/*
 * timeutil.c - durations, clocks and time stamps (see timeutil.h).
 */
#include "base/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bounded.h"
#include "base/cur.h"

int
dur_parse(const char *s, size_t n, uint64_t *secs)
{
	const char *cur = s, *end = s + n;
	uint64_t total = 0;

	if (n == 0)
		return -1;
	while (cur < end) {
		uint64_t v, mul = 1;

		if (cur_u64(&cur, end, &v) == -1)
			return -1;
		if (cur < end) {
			switch (*cur) {
			case 's':
				mul = 1;
				break;
			case 'm':
				mul = 60;
				break;
			case 'h':
				mul = 3600;
				break;
			case 'd':
				mul = 86400;
				break;
			case 'w':
				mul = 7 * 86400;
				break;
			default:
				return -1;
			}
			cur++;
		} else if (total != 0)
			return -1; /* "1h30" is ambiguous */
		if (v > (DUR_MAX - total) / mul)
			return -1;
		total += v * mul;
	}
	*secs = total;
	return 0;
}

void
dur_format(char *dst, size_t dstsz, uint64_t secs)
{
	uint64_t d = secs / 86400, h = secs % 86400 / 3600,
	         m = secs % 3600 / 60, s = secs % 60;

	if (d && h)
		snprintf(dst, dstsz, "%llud%lluh", (unsigned long long)d,
		    (unsigned long long)h);
	else if (d)
		snprintf(dst, dstsz, "%llud", (unsigned long long)d);
	else if (h && m)
		snprintf(dst, dstsz, "%lluh%llum", (unsigned long long)h,
		    (unsigned long long)m);
	else if (h)
		snprintf(dst, dstsz, "%lluh", (unsigned long long)h);
	else if (m && s)
		snprintf(dst, dstsz, "%llum%llus", (unsigned long long)m,
		    (unsigned long long)s);
	else if (m)
		snprintf(dst, dstsz, "%llum", (unsigned long long)m);
	else
		snprintf(dst, dstsz, "%llus", (unsigned long long)s);
}

void
dur_words(char *dst, size_t dstsz, double secs)
{
	if (!(secs > 0))
		secs = 0;
	if (secs >= 86400)
		snprintf(dst, dstsz, "%.1f days", secs / 86400);
	else if (secs >= 3600)
		snprintf(dst, dstsz, "%.1f hours", secs / 3600);
	else if (secs >= 60)
		snprintf(dst, dstsz, "%.0f minute%s", secs / 60,
		    secs < 90 ? "" : "s");
	else
		snprintf(dst, dstsz, "%.0f second%s", secs,
		    secs >= 0.5 && secs < 1.5 ? "" : "s");
}

double
clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
clock_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
time_iso(char *dst, size_t dstsz, time_t t)
{
	struct tm tm;
	long off;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(dst, dstsz, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(dst, dstsz, "%lld", (long long)t);
		return;
	}
	off = tm.tm_gmtoff / 60;
	if (off == 0)
		str_printf(dst + strlen(dst), dstsz - strlen(dst), "Z");
	else
		str_printf(dst + strlen(dst), dstsz - strlen(dst),
		    "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60,
		    labs(off) % 60);
}

void
time_iso_or(char *dst, size_t dstsz, time_t t, const char *none)
{
	if (t == 0)
		snprintf(dst, dstsz, "%s", none);
	else
		time_iso(dst, dstsz, t);
}

void
sleep_secs(double secs)
{
	struct timespec ts;

	if (secs <= 0)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
daytime_parse(const char *s, int *minute)
{
	size_t len = strlen(s);
	int h, m;

	if (len < 4 || len > 5 || s[len - 3] != ':')
		return -1;
	for (size_t i = 0; i < len; i++)
		if (i != len - 3 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = len == 5 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
	m = (s[len - 2] - '0') * 10 + (s[len - 1] - '0');
	if (h > 23 || m > 59)
		return -1;
	*minute = h * 60 + m;
	return 0;
}
