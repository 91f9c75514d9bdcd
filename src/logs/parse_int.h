/*
 * parse_int.h - cursor helpers shared by the log parsers (internal).
 */
#ifndef LOGS_PARSE_INT_H
#define LOGS_PARSE_INT_H

#include "logs/logs.h"

int p_time_clf(const char **cur, const char *end, struct civtime *t);
/* The same through m (NULL: none), which it updates. */
int p_time_clf_memo(const char **cur, const char *end, struct civtime *t,
    struct logs_clf_memo *m);
int p_time_ctime(const char **cur, const char *end, struct civtime *t);

/* A quoted field at *cur ('"' first): contents without the quotes. */
int p_quoted(const char **cur, const char *end, struct logs_str *out, int lax);
/* Splits "METHOD target PROTO" into method, path, query, protocol. */
void p_request(struct logs_access *a);
/* Splits a target into path and query at the first '?'. */
void p_target(struct logs_access *a, const char *s, size_t n);
/* Decimal into int64; "-" gives -1; 0 or -1 when neither. */
int p_num_or_dash(const char **cur, const char *end, int64_t *v);
/* 1 when [s, s+n) looks like an IPv4 or IPv6 address. */
int p_is_addr(const char *s, size_t n);

static inline struct logs_str
p_str(const char *p, size_t n)
{
	struct logs_str s = {p, n};
	return s;
}

/* "-" and "" are absent. */
static inline struct logs_str
p_dash(const char *p, size_t n)
{
	struct logs_str s = {NULL, 0};
	if (n == 0 || (n == 1 && p[0] == '-'))
		return s;
	s.p = p;
	s.n = n;
	return s;
}

/* A duration of x units (1, 1000 or 1000000 microseconds) in
 * microseconds, or -1 (unknown) when it is negative or would overflow:
 * a value that large in a log is nonsense, not a reason to misbehave. */
static inline int64_t
p_dur_us(int64_t x, int64_t unit)
{
	return x < 0 || x > INT64_MAX / unit ? -1 : x * unit;
}

#endif
