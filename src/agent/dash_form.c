/*
 * dash_form.c - what the dashboard reads from a request (dash.h): one
 * field of a urlencoded form (what the silence and unblock forms post),
 * and whether the Host or Origin names the agent by its address.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

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

int
dash_host_ok(const char *host)
{
	char h[64];
	const char *end, *s = host;
	size_t n;

	if (host == NULL)
		return 1;
	if ((end = strstr(s, "://")) != NULL)
		s = end + 3;
	if (s[0] == '[') {
		struct in6_addr a6;

		if ((end = strchr(s, ']')) == NULL ||
		    (n = (size_t)(end - s - 1)) >= sizeof(h))
			return 0;
		memcpy(h, s + 1, n);
		h[n] = '\0';
		end++;
		return inet_pton(AF_INET6, h, &a6) == 1 &&
		    (*end == '\0' || *end == ':');
	}
	n = strcspn(s, ":");
	if (n == 0 || n >= sizeof(h))
		return 0;
	memcpy(h, s, n);
	h[n] = '\0';
	if (strcasecmp(h, "localhost") == 0) {
		return 1;
	} else {
		struct in_addr a4;

		return inet_pton(AF_INET, h, &a4) == 1;
	}
}
