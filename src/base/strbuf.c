/*
 * strbuf.c - a growable byte buffer with a hard maximum (see strbuf.h).
 */
#include "base/strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRBUF_DEFAULT_MAX ((size_t)64 << 20)

char strbuf_nul[1];

void
strbuf_init(struct strbuf *sb, size_t max)
{
	sb->p = strbuf_nul;
	sb->len = sb->cap = 0;
	sb->max = max;
	sb->err = 0;
}

/* Room for need more bytes and the NUL; -1 (and the error kept) if not. */
static int
grow(struct strbuf *sb, size_t need)
{
	size_t max = sb->max ? sb->max : STRBUF_DEFAULT_MAX;
	size_t ncap;
	char *np;

	if (sb->err)
		return -1;
	if (need > max || sb->len + need > max) {
		sb->err = E2BIG;
		return -1;
	}
	if (sb->len + need + 1 <= sb->cap)
		return 0;
	ncap = sb->cap ? sb->cap : 64;
	while (ncap < sb->len + need + 1)
		ncap *= 2;
	if (ncap > max + 1)
		ncap = max + 1;
	np = realloc(sb->cap ? sb->p : NULL, ncap);
	if (np == NULL) {
		sb->err = ENOMEM;
		return -1;
	}
	if (sb->cap == 0)
		np[0] = '\0';
	sb->p = np;
	sb->cap = ncap;
	return 0;
}

int
strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	if (grow(sb, n) == -1)
		return -1;
	if (n)
		memcpy(sb->p + sb->len, data, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
	return 0;
}

int
strbuf_addc(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int
strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->err)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->err = EINVAL;
		return -1;
	}
	if (grow(sb, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->err = 0;
	if (sb->cap)
		sb->p[0] = '\0';
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->p);
	sb->p = strbuf_nul;
	sb->len = sb->cap = 0;
	sb->err = 0;
}

char *
strbuf_detach(struct strbuf *sb)
{
	char *p = sb->cap ? sb->p : NULL;

	sb->p = strbuf_nul;
	sb->len = sb->cap = 0;
	sb->err = 0;
	return p;
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->p ? sb->p : "";
}
