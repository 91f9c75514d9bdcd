/*
 * strbuf.h - a growable byte buffer with a hard maximum, for anything whose
 * size outside input decides.  The contents are always NUL-terminated.
 */
#ifndef BASE_STRBUF_H
#define BASE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* appends past this fail; 0 means 64 MiB */
};

#define STRBUF_INIT(m)                                                         \
	{                                                                      \
		NULL, 0, 0, (m)                                                \
	}

void strbuf_init(struct strbuf *sb, size_t max);
/* 0, or -1 (and nothing appended) when the result would pass max or memory runs out. */
int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_addc(struct strbuf *sb, char c);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* The contents ("" when empty); never NULL. */
const char *strbuf_str(const struct strbuf *sb);

#endif
