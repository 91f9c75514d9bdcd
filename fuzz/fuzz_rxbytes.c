/*
 * fuzz_rxbytes.c - libFuzzer target: rx_may_match (rxbytes.h) reads any
 * expression within its length, and is sound against PCRE2: wherever
 * PCRE2 compiles the expression and finds a match in the text, the bytes
 * of the matched text are enough for rx_may_match to say 1; and
 * rx_may_match_sets says for each set what rx_may_match says for it alone
 * (the empty set, every byte, sig.c's sets, the witnesses' sets).
 *
 * Input: one byte of flags (bit 0 HS_FLAG_CASELESS, 1 HS_FLAG_DOTALL,
 * 2 HS_FLAG_MULTILINE, 3 HS_FLAG_UTF8, 4 HS_FLAG_UCP with HS_FLAG_UTF8),
 * then the text, two NUL bytes, and the expression (which may hold
 * NULs).  Without the separator the whole rest is the expression and the
 * text is empty.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#include <pcre2.h>

#include "attack/rxbytes.h"
#include "base/dynlib.h"

/* Longer texts and expressions are only read by rx_may_match. */
#define PCRE2_MAX 2048
/* Matches looked at in one text (from each start of a match). */
#define MATCHES_MAX 64
/* PCRE2's backtracking, bounded in front of the expression. */
#define LIMIT "(*LIMIT_MATCH=20000)(*LIMIT_DEPTH=2000)"
#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned
hs_flags(uint8_t b)
{
	unsigned f = 0;

	if (b & 1)
		f |= HS_FLAG_CASELESS;
	if (b & 2)
		f |= HS_FLAG_DOTALL;
	if (b & 4)
		f |= HS_FLAG_MULTILINE;
	if (b & 8) {
		f |= HS_FLAG_UTF8;
		if (b & 16)
			f |= HS_FLAG_UCP;
	}
	return f;
}

static uint32_t
pcre2_options(unsigned f)
{
	return ((f & HS_FLAG_CASELESS) ? PCRE2_CASELESS : 0) |
	    ((f & HS_FLAG_DOTALL) ? PCRE2_DOTALL : 0) |
	    ((f & HS_FLAG_MULTILINE) ? PCRE2_MULTILINE : 0) |
	    ((f & HS_FLAG_UTF8) ? PCRE2_UTF | PCRE2_MATCH_INVALID_UTF : 0) |
	    ((f & HS_FLAG_UCP) ? PCRE2_UCP : 0);
}

/* Aborts, saying what, when rx_may_match misses the match [s, t) of
 * text; its bytes into *b. */
static void
witness(const char *expr, size_t len, unsigned flags, const char *text,
    size_t s, size_t t, struct rx_bytes *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = s; i < t; i++)
		rx_bytes_add(b, (unsigned char)text[i]);
	if (rx_may_match(expr, len, flags, b) == 1)
		return;
	fprintf(stderr,
	    "rx_may_match: wrong 0 for flags %#x, match [%zu, %zu)\n", flags, s,
	    t);
	abort();
}

/* Aborts when rx_may_match_sets over in[0..n) differs from rx_may_match
 * over each. */
static void
at_once(const char *expr, size_t len, unsigned flags, const struct rx_bytes *in,
    unsigned n)
{
	unsigned m = rx_may_match_sets(expr, len, flags, in, n);

	if (n < 32 && (m >> n) != 0)
		abort();
	for (unsigned k = 0; k < n; k++)
		if (((m >> k) & 1) !=
		    (unsigned)rx_may_match(expr, len, flags, &in[k])) {
			fprintf(
			    stderr, "rx_may_match_sets: set %u differs\n", k);
			abort();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int have = -1;
	static pcre2_match_data *md;
	struct rx_bytes in[RX_SETS_MAX];
	unsigned nin = 5;
	const char *text, *expr, *sep;
	size_t tlen, len;
	unsigned flags;
	pcre2_code *re;
	PCRE2_SIZE eo, *ov;
	char *pat;
	int ec;

	if (size == 0)
		return 0;
	flags = hs_flags(data[0]);
	text = (const char *)data + 1;
	sep = memmem(text, size - 1, "\0\0", 2);
	if (sep != NULL) {
		tlen = (size_t)(sep - text);
		expr = sep + 2;
		len = size - 1 - tlen - 2;
	} else {
		tlen = 0;
		expr = text;
		len = size - 1;
	}
	/* the empty set, every byte and sig.c's sets first, then the
	 * witnesses' sets */
	memset(in, 0, 5 * sizeof(in[0]));
	memset(&in[1], 0xff, sizeof(in[1]));
	rx_bytes_add_str(&in[2], ALNUM);
	rx_bytes_add_str(&in[3], ALNUM "_./-");
	rx_bytes_add_str(&in[4], ALNUM "_./- ();:,+");
	if (have == -1)
		have = dynlib_require(DYNLIB_PCRE2, NULL) == 0 &&
		    (md = pcre2_match_data_create(1, NULL)) != NULL;
	if (!have || len > PCRE2_MAX || tlen > PCRE2_MAX) {
		at_once(expr, len, flags, in, nin);
		return 0;
	}
	if ((pat = malloc(sizeof(LIMIT) + len)) == NULL)
		abort();
	memcpy(pat, LIMIT, sizeof(LIMIT) - 1);
	memcpy(pat + sizeof(LIMIT) - 1, expr, len);
	re = pcre2_compile((PCRE2_SPTR)pat, sizeof(LIMIT) - 1 + len,
	    pcre2_options(flags), &ec, &eo, NULL);
	free(pat);
	if (re == NULL) {
		at_once(expr, len, flags, in, nin);
		return 0;
	}
	ov = pcre2_get_ovector_pointer(md);
	for (size_t s = 0, k = 0; s <= tlen && k < MATCHES_MAX; k++) {
		size_t a, b;

		if (pcre2_match(re, (PCRE2_SPTR)text, tlen, s, 0, md, NULL) < 0)
			break;
		a = ov[0] < ov[1] ? ov[0] : ov[1];
		b = ov[0] < ov[1] ? ov[1] : ov[0];
		/* \K lets go of what the match needed before it: the text
		 * from its start then */
		if (memmem(expr, len, "\\K", 2) != NULL)
			a = 0;
		witness(expr, len, flags, text, a, b, &in[nin]);
		nin += nin + 1 < RX_SETS_MAX;
		s = (ov[0] > s ? ov[0] : s) + 1;
	}
	pcre2_code_free(re);
	at_once(expr, len, flags, in, nin);
	return 0;
}
