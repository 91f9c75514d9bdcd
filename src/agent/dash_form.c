/*
 * dash_form.c - reading one field of a urlencoded form (dash.h): what
 * the dashboard's silence and unblock forms post.
 */
#include <string.h>

#include "agent/dash.h"
#include "base/hex.h"

/* Decodes [s, s+n) into dst; the length, or -1 (malformed, too long). */
static long
decode(const char *s, size_t n, char *dst, size_t dstsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (n - i < 3 || hex_decode(&c, s + i + 1, 1) == -1)
				return -1;
			i += 2;
		}
		if (c == '\0' || o + 1 >= dstsz)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return (long)o;
}

int
dash_form_get(
    const char *body, size_t n, const char *key, char *dst, size_t dstsz)
{
	size_t klen = strlen(key), i = 0;

	if (dstsz == 0)
		return -1;
	dst[0] = '\0';
	while (i < n) {
		const char *f = body + i, *amp = memchr(f, '&', n - i);
		size_t flen = amp ? (size_t)(amp - f) : n - i;
		const char *eq = memchr(f, '=', flen);
		size_t nlen = eq ? (size_t)(eq - f) : flen;

		i += flen + 1;
		if (nlen != klen || memcmp(f, key, klen) != 0)
			continue;
		if (eq == NULL)
			return 1;
		return decode(eq + 1, flen - nlen - 1, dst, dstsz) < 0 ? -1 : 1;
	}
	return 0;
}
