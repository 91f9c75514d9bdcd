/*
 * rxbytes.h - which bytes a regular expression's match needs: whether an
 * expression (PCRE syntax, as Hyperscan and PCRE2 read it) can match
 * anywhere in a text made only of the bytes of a given set.  A text of
 * letters and digits, a path of letters, digits, '/', '.' and '-': most
 * attack expressions need a byte such a text does not have, so a scan of
 * it can leave them out (sig.c compiles a database per such set).
 *
 * The answer is an over-approximation: 0 only when no match can exist;
 * 1 when one may, and for anything this reading does not know (an
 * unknown escape, a construct it cannot follow, a text cut short), so a
 * wrong 0 is a bug and a wrong 1 costs only speed.  Zero-width
 * assertions (anchors, \b, lookarounds) and back references are taken as
 * matching (they only ever narrow what matches); a letter stands for both
 * of its cases whatever the flags.
 */
#ifndef ATTACK_RXBYTES_H
#define ATTACK_RXBYTES_H

#include <stddef.h>
#include <stdint.h>

/* Changes whenever an answer may change: a cache of databases built on
 * the answers is keyed on it. */
#define RXBYTES_VERSION "rxbytes 1"

/* A set of bytes: byte b is in it when bit b % 64 of w[b / 64] is set. */
struct rx_bytes {
	uint64_t w[4];
};

static inline void
rx_bytes_add(struct rx_bytes *s, unsigned char b)
{
	s->w[b >> 6] |= (uint64_t)1 << (b & 63);
}

static inline int
rx_bytes_has(const struct rx_bytes *s, unsigned char b)
{
	return (int)((s->w[b >> 6] >> (b & 63)) & 1);
}

/* Adds the bytes of the C string chars to s. */
void rx_bytes_add_str(struct rx_bytes *s, const char *chars);

/*
 * 0 when expression [expr, expr+len) cannot match (a match of length zero
 * included) in any text all of whose bytes are in `in`; 1 when it may or
 * when it cannot tell.  flags: Hyperscan's HS_FLAG_* of the expression
 * (HS_FLAG_DOTALL: '.' also matches '\n'; HS_FLAG_UTF8: characters of
 * several bytes, and letters whose other case is one; with them or
 * HS_FLAG_UCP a class may have any byte from 0x80, which the answer
 * allows for always).  Reads at most len bytes; a NUL inside is a byte of
 * the expression.
 */
int rx_may_match(
    const char *expr, size_t len, unsigned flags, const struct rx_bytes *in);

/* The most sets rx_may_match_sets answers for at once. */
#define RX_SETS_MAX 16

/* rx_may_match for each of the nin sets in[] (at most RX_SETS_MAX) in one
 * reading: bit k set when the expression may match in a text of in[k]'s
 * bytes. */
unsigned rx_may_match_sets(const char *expr, size_t len, unsigned flags,
    const struct rx_bytes *in, unsigned nin);

#endif
