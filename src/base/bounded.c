/*
 * bounded.c - text into fixed-size buffers (see bounded.h).
 */
#include "base/bounded.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
str_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src), cut = 0;

	if (dstsz == 0)
		return 1;
	if (n >= dstsz) {
		n = dstsz - 1;
		cut = 1;
	}
	memmove(dst, src, n);
	dst[n] = '\0';
	return (int)cut;
}

int
str_printf(char *dst, size_t dstsz, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = str_vprintf(dst, dstsz, fmt, ap);
	va_end(ap);
	return rc;
}

int
str_vprintf(char *dst, size_t dstsz, const char *fmt, va_list ap)
{
	int n;

	if (dstsz == 0)
		return 1;
	n = vsnprintf(dst, dstsz, fmt, ap);
	if (n < 0) {
		dst[0] = '\0';
		return 1;
	}
	return (size_t)n >= dstsz;
}
