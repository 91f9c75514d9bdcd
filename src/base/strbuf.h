/*
 * strbuf.h - a growable byte buffer with a hard maximum, for anything whose
 * size outside input decides.  The contents are always NUL-terminated and
 * p is never NULL: it points to a shared empty string until the first
 * append allocates.
 *
 * Errors are sticky: once an append fails (the maximum reached, memory
 * exhausted) the buffer remembers it and every later append does nothing,
 * so a caller appends freely and checks strbuf_failed once at the end.
 */
#ifndef BASE_STRBUF_H
#define BASE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p; /* NUL-terminated; strbuf_nul until the first allocation */
	size_t len;
	size_t cap; /* 0 while nothing is allocated */
	size_t max; /* appends past this fail; 0 means 64 MiB */
	int err;    /* 0, or why an append failed (E2BIG, ENOMEM) */
};

/* The empty string every unallocated buffer points to: never written. */
extern char strbuf_nul[1];

#define STRBUF_INIT(m)                                                         \
	{                                                                      \
		strbuf_nul, 0, 0, (m), 0                                       \
	}

void strbuf_init(struct strbuf *sb, size_t max);
/*
 * 0, or -1 (and nothing appended) when the result would pass max, memory
 * runs out, or an earlier append failed; sb->err says which.
 */
int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_addc(struct strbuf *sb, char c);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The error of the first append that failed (E2BIG, ENOMEM), or 0. */
static inline int
strbuf_failed(const struct strbuf *sb)
{
	return sb->err;
}
/* Empties the buffer (keeping its memory) and forgets an error. */
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/*
 * The contents as a string the caller owns and frees (the buffer is left
 * empty), or NULL when nothing was ever allocated.
 */
char *strbuf_detach(struct strbuf *sb);
/* The contents ("" when empty); never NULL. */
const char *strbuf_str(const struct strbuf *sb);

#endif
