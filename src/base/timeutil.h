/*
 * timeutil.h - durations, clocks and time stamps.
 */
#ifndef BASE_TIMEUTIL_H
#define BASE_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * The longest duration dur_parse accepts: 2^53 s (285 million years),
 * exact as a double (the configuration keeps numbers as doubles) and
 * far from overflowing when added to a time_t.
 */
#define DUR_MAX ((uint64_t)1 << 53)

/*
 * Parses a duration: a number with an optional unit s, m, h, d or w
 * ("90", "30s", "5m", "2h", "7d"); several terms may follow each other
 * ("1h30m").  0 and *secs, or -1 (also for a total above DUR_MAX).
 */
int dur_parse(const char *s, size_t n, uint64_t *secs);
/* Formats secs compactly ("2d3h", "5m", "42s"). */
void dur_format(char *dst, size_t dstsz, uint64_t secs);
/*
 * Formats secs in words for a message, in the largest unit that is at
 * least one: "3.5 days", "5.2 hours", "40 minutes", "12 seconds".
 */
void dur_words(char *dst, size_t dstsz, double secs);
/* Monotonic seconds (CLOCK_MONOTONIC) as a double. */
double clock_mono(void);
/* Wall time in seconds since the epoch, with fraction. */
double clock_wall(void);
/*
 * RFC 3339 local time: 2026-11-26T20:04:47Z where the zone is UTC,
 * 2026-11-26T21:04:47+01:00 elsewhere.
 */
void time_iso(char *dst, size_t dstsz, time_t t);
/* time_iso, or the text none when t is 0 (not known, or never). */
void time_iso_or(char *dst, size_t dstsz, time_t t, const char *none);
/*
 * A time of day "HH:MM" or "H:MM" (00:00 to 23:59) into minutes after
 * midnight: 0, or -1.
 */
int daytime_parse(const char *s, int *minute);
/* Sleeps for secs (fractional), restarting after signals. */
void sleep_secs(double secs);

#endif
