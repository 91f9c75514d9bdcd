/*
 * cur.c - string-parse cursors (see cur.h).
 */
#include "base/cur.h"

#include <string.h>

int
cur_u64(const char **cur, const char *end, uint64_t *out)
{
	const char *p = *cur;
	uint64_t v = 0;

	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*cur = p;
	*out = v;
	return 0;
}

/* An optional '-' (*neg says) and the digits after it. */
static int
signed_u64(const char **p, const char *end, int *neg, uint64_t *v)
{
	*neg = *p < end && **p == '-';
	*p += *neg;
	return cur_u64(p, end, v);
}

int
cur_i64(const char **cur, const char *end, int64_t *out)
{
	const char *p = *cur;
	uint64_t v;
	int neg;

	if (signed_u64(&p, end, &neg, &v) == -1)
		return -1;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)v;
	}
	*cur = p;
	return 0;
}

int
cur_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
cur_hex(const char **cur, const char *end, uint64_t *out)
{
	const char *p = *cur;
	uint64_t v = 0;
	int d;

	if (p >= end || cur_hexval(*p) < 0)
		return -1;
	for (; p < end && (d = cur_hexval(*p)) >= 0; p++) {
		if (v >> 60)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*cur = p;
	*out = v;
	return 0;
}

int
cur_dec(const char **cur, const char *end, double *out)
{
	const char *p = *cur;
	uint64_t ip, fp = 0;
	double scale = 1.0;
	int neg;

	if (signed_u64(&p, end, &neg, &ip) == -1)
		return -1;
	if (p < end && *p == '.') {
		p++;
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			if (scale < 1e15) {
				fp = fp * 10 + (uint64_t)(*p - '0');
				scale *= 10.0;
			}
		}
	}
	*out = ((double)ip + (double)fp / scale) * (neg ? -1.0 : 1.0);
	*cur = p;
	return 0;
}

size_t
cur_spaces(const char **cur, const char *end)
{
	const char *p = *cur;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	size_t n = (size_t)(p - *cur);
	*cur = p;
	return n;
}

int
cur_lit(const char **cur, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *cur) < n || memcmp(*cur, lit, n) != 0)
		return -1;
	*cur += n;
	return 0;
}

int
cur_char(const char **cur, const char *end, char c)
{
	if (*cur >= end || **cur != c)
		return -1;
	(*cur)++;
	return 0;
}

size_t
cur_word(const char **cur, const char *end, const char **w)
{
	const char *p = *cur;

	while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*w = *cur;
	size_t n = (size_t)(p - *cur);
	*cur = p;
	return n;
}

size_t
cur_until(const char **cur, const char *end, char c, const char **w)
{
	const char *p = *cur;
	const char *hit = p < end ? memchr(p, c, (size_t)(end - p)) : NULL;

	*w = p;
	*cur = hit ? hit : end;
	return (size_t)(*cur - p);
}

int
cur_line(const char **cur, const char *end, const char **ls, const char **le)
{
	const char *p = *cur, *nl;

	if (p >= end)
		return -1;
	nl = memchr(p, '\n', (size_t)(end - p));
	*ls = p;
	*le = nl ? nl : end;
	if (*le > p && (*le)[-1] == '\r')
		(*le)--;
	*cur = nl ? nl + 1 : end;
	return 0;
}

int
str_u64(const char *s, uint64_t *out)
{
	const char *end = s + strlen(s);

	return cur_u64(&s, end, out) == 0 && s == end ? 0 : -1;
}

int
str_dec(const char *s, double *out)
{
	const char *end = s + strlen(s);

	return cur_dec(&s, end, out) == 0 && s == end ? 0 : -1;
}

int
mem_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}
