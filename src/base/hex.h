/*
 * hex.h - bytes as lowercase hexadecimal digits and back.
 */
#ifndef BASE_HEX_H
#define BASE_HEX_H

#include <stddef.h>

/* The n bytes at src as 2n lowercase digits and a NUL (dst holds 2n+1). */
void hex_encode(char *dst, const void *src, size_t n);

/*
 * The 2n hexadecimal digits (either case) at src as n bytes in dst;
 * 0, or -1 at the first byte that is not a digit (dst then partly
 * written).
 */
int hex_decode(void *dst, const char *src, size_t n);

#endif
