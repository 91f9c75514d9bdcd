/*
 * normalise.h - decode request fields the way web servers (and IIS in
 * particular) decode them, so that signatures see what the server saw,
 * while the raw form stays available for signatures on the encoding
 * itself.
 *
 * Decoding: percent-decoding repeated until nothing changes (at most
 * NORM_MAX_PASSES, catching %255c), IIS %uXXXX (fullwidth forms fold to
 * ASCII as IIS's best-fit mapping does), overlong UTF-8 of ASCII (%c0%af,
 * %e0%80%af, %c1%9c, and IIS's lax %c1%1c), NUL removed; for a path also
 * backslash to slash, repeated slashes folded and /./ and /../ resolved.
 * Every transformation that happened is recorded as a NORM_* flag: they
 * are the evidence for the encoding anomaly rules.
 *
 * Pure functions: bytes in, bytes and flags out.  The output is never
 * longer than the input, so a buffer of n bytes always suffices.
 */
#ifndef ATTACK_NORMALISE_H
#define ATTACK_NORMALISE_H

#include <stddef.h>

#define NORM_MAX_PASSES 3

enum norm_flag {
	NORM_PCT = 1u << 0,         /* percent-encoding was decoded */
	NORM_DOUBLE = 1u << 1,      /* a second pass decoded more (%2527) */
	NORM_PCT_U = 1u << 2,       /* IIS %uXXXX */
	NORM_OVERLONG = 1u << 3,    /* overlong UTF-8 folded to ASCII */
	NORM_BAD_PCT = 1u << 4,     /* '%' not followed by a valid escape */
	NORM_BAD_UTF8 = 1u << 5,    /* invalid UTF-8 remains after decoding */
	NORM_NUL = 1u << 6,         /* NUL byte(s) removed */
	NORM_CTRL = 1u << 7,        /* other control characters */
	NORM_CRLF = 1u << 8,        /* CR or LF (header injection) */
	NORM_BACKSLASH = 1u << 9,   /* backslash used as a separator */
	NORM_DOTSEG = 1u << 10,     /* "." or ".." path segments */
	NORM_ABOVE_ROOT = 1u << 11, /* ".." climbs above the document root */
	/* The decoded path climbs more directories than its raw form shows:
	 * the traversal is hidden by the encoding. */
	NORM_HIDDEN_TRAVERSAL = 1u << 12,
	NORM_FULLWIDTH = 1u << 13, /* %uFFxx fullwidth folded to ASCII */
};

/*
 * Decodes [s, s+n) into out (at least n bytes): repeated
 * percent-decoding, %uXXXX, overlong UTF-8, NUL removal.  plus_space
 * turns '+' into a space on the first pass (query strings).  ORs
 * NORM_* flags into *flags; returns the output length.
 */
size_t norm_decode(
    const char *s, size_t n, int plus_space, char *out, unsigned *flags);

/*
 * A request path: norm_decode, then backslash to slash, "//" folded,
 * "/./" and "/../" resolved (never above "/"), and the hidden-traversal
 * check against the raw form.  out needs n + 1 bytes.  Returns the length.
 */
size_t norm_path(const char *s, size_t n, char *out, unsigned *flags);

/*
 * The shell's view of decoded text, for command-injection signatures:
 * drops the quoting and escaping that shells ignore (\ ' " ^ and empty
 * expansions such as $@ or ${x}), turns $IFS / ${IFS} and runs of
 * whitespace into one space; a newline, which separates commands, stays.  out needs n bytes.  Returns the length.
 */
size_t norm_shell(const char *s, size_t n, char *out);

/* Names of the flags set in flags, comma-separated, into buf. */
void norm_flag_names(unsigned flags, char *buf, size_t bufsz);

#endif
