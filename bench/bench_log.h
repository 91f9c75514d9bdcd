/*
 * bench_log.h - what the benchmark programs built by bench/ scripts share
 * (not part of sakimori): a combined log line's quoted fields, CPU time,
 * and the order of doubles for medians.
 */
#ifndef SAKIMORI_BENCH_LOG_H
#define SAKIMORI_BENCH_LOG_H

#include <stddef.h>
#include <time.h>

struct val {
	const char *p;
	size_t n;
};

/* The quoted field that ends just before *end (a '"'), moved past: the
 * last two of a combined log's line are the Referer and the User-Agent.
 * 0, or -1 when there is none. */
static inline int
last_quoted(const char *line, const char **end, struct val *v)
{
	const char *q = *end, *p;

	while (q > line && q[-1] != '"')
		q--;
	if (q == line)
		return -1;
	p = --q; /* the closing quote */
	while (p > line && !(p[-1] == '"' && (p - 1 == line || p[-2] != '\\')))
		p--;
	if (p == line)
		return -1;
	v->p = p;
	v->n = (size_t)(q - p);
	*end = p - 1;
	return 0;
}

/* The process's CPU time in seconds. */
static inline double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
