/*
 * crs_tfn.h - the ModSecurity transformations (t:) the OWASP Core Rule
 * Set's request rules name, each a pure function with ModSecurity 3's
 * documented behaviour:
 *
 *	none               nothing (in a rule: forget the transformations
 *	                   before it)
 *	urlDecode          %XX and '+' as a space; a bad escape stays
 *	urlDecodeUni       the same and %uXXXX as its low byte (fullwidth
 *	                   %uFF01-%uFF5E folded to ASCII)
 *	htmlEntityDecode   &#DDD; &#xHH; &quot; &amp; &lt; &gt; &nbsp; (the
 *	                   ';' optional), a code point as its low byte
 *	jsDecode           \uHHHH (as urlDecodeUni's %u), \xHH, \OOO, \a \b
 *	                   \f \n \r \t \v, \c as c
 *	cssDecode          \ and 1-6 hex digits (the last two, an optional
 *	                   space after them eaten), \ newline removed, \c
 *	                   as c
 *	cmdLine            \ ' " ^ removed; runs of space , ; \t \r \n as
 *	                   one space; no space before / or (; lower case
 *	compressWhitespace runs of white space (and 0xa0) as one space
 *	removeWhitespace   white space (and 0xa0) removed
 *	removeNulls        NUL bytes removed
 *	lowercase          ASCII lower case
 *	normalisePath      // folded, /./ removed, /../ resolved (a
 *	                   relative path keeps the ../ it starts with)
 *	normalisePathWin   the same after \ became /
 *	utf8toUnicode      every UTF-8 sequence of two or more bytes as
 *	                   %uHHHH (lower-case hex, at least four digits)
 *	replaceComments    C comments as one space (an open one to the end)
 *	base64Decode       the text up to a NUL decoded as mbedTLS does
 *	                   (line ends, and spaces before one or at the end,
 *	                   skipped; a short last group dropped); text that
 *	                   is not base64 decodes to nothing
 *
 * Every transformation writes at most CRS_TFN_OUT(n) bytes for n in.
 */
#ifndef ATTACK_CRS_TFN_H
#define ATTACK_CRS_TFN_H

#include <stddef.h>
#include <stdint.h>

enum crs_tfn {
	CRS_T_NONE,
	CRS_T_URLDECODE,
	CRS_T_URLDECODEUNI,
	CRS_T_HTMLENTITYDECODE,
	CRS_T_JSDECODE,
	CRS_T_CSSDECODE,
	CRS_T_CMDLINE,
	CRS_T_COMPRESSWHITESPACE,
	CRS_T_REMOVEWHITESPACE,
	CRS_T_REMOVENULLS,
	CRS_T_LOWERCASE,
	CRS_T_NORMALISEPATH,
	CRS_T_NORMALISEPATHWIN,
	CRS_T_UTF8TOUNICODE,
	CRS_T_REPLACECOMMENTS,
	CRS_T_BASE64DECODE,
	CRS_T_N,
};

/* utf8toUnicode turns 2 bytes into 6 */
#define CRS_TFN_OUT(n) (3 * (n) + 1)

/* The transformation named (both spellings of normalise), or -1. */
int crs_tfn_parse(const char *name);
const char *crs_tfn_name(enum crs_tfn t);

/*
 * Transforms [in, in+n) into out (CRS_TFN_OUT(n) bytes, not the same
 * buffer); returns the output length.
 */
size_t crs_tfn_apply(enum crs_tfn t, const char *in, size_t n, char *out);

/* The transformations (bit 1 << enum crs_tfn) that may change
 * [in, in+n): those that act on one of its bytes; and from bit
 * CRS_TFN_CLASS_SHIFT, per class of text (sig.h), whether a byte of
 * another class is in it: crs_tfn_class gives the text's class. */
uint32_t crs_tfn_may_change(const char *in, size_t n);
#define CRS_TFN_CLASS_SHIFT 16

static inline unsigned
crs_tfn_class(uint32_t m)
{
	return (unsigned)__builtin_ctz(~(m >> CRS_TFN_CLASS_SHIFT));
}

/*
 * 1 when transformation t surely leaves [in, in+n) as it is (no byte it
 * acts on; for compressWhitespace, the path normalisations,
 * replaceComments and htmlEntityDecode, none where it would act: a '&'
 * that starts no entity, say), 0 when it may change it; _m with
 * may_change's mask of the text (crs_tfn_may_change).
 */
int crs_tfn_same(enum crs_tfn t, const char *in, size_t n);
int crs_tfn_same_m(enum crs_tfn t, const char *in, size_t n, uint32_t m);

/*
 * A chain of transformations: the result is in one of a and b (each of
 * CRS_TFN_OUT(n) bytes; only utf8toUnicode grows the text, and at most
 * once in a chain that names it once), *out_n its length.  Returns in
 * itself when the chain is empty or would leave the text as it is.
 */
const char *crs_tfn_chain(const unsigned char *t, unsigned nt, const char *in,
    size_t n, char *a, char *b, size_t *out_n);
/* The same with crs_tfn_may_change(in, n) given as m. */
const char *crs_tfn_chain_m(const unsigned char *t, unsigned nt, const char *in,
    size_t n, uint32_t m, char *a, char *b, size_t *out_n);

#endif
