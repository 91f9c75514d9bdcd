/*
 * hex.c - hexadecimal encoding (see hex.h).
 */
#include "base/hex.h"

#include "base/cur.h"

void
hex_encode(char *dst, const void *src, size_t n)
{
	static const char digit[] = "0123456789abcdef";
	const unsigned char *p = src;

	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = digit[p[i] >> 4];
		dst[2 * i + 1] = digit[p[i] & 15];
	}
	dst[2 * n] = '\0';
}

int
hex_decode(void *dst, const char *src, size_t n)
{
	unsigned char *d = dst;

	for (size_t i = 0; i < n; i++) {
		int h = cur_hexval(src[2 * i]), l = cur_hexval(src[2 * i + 1]);

		if (h < 0 || l < 0)
			return -1;
		d[i] = (unsigned char)(h << 4 | l);
	}
	return 0;
}
