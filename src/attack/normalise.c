/*
 * normalise.c - decoding of request fields before signature matching
 * (see normalise.h).  All passes work in place in the caller's buffer:
 * every transformation shortens or keeps the length, so the write position
 * never passes the read position.
 */
#include <stdio.h>
#include <string.h>

#include "attack/normalise.h"
#include "base/cur.h"
#include "base/esc.h"
#include "base/mem.h"

/* A code point from %uXXXX as IIS maps it; at most 3 bytes. */
static size_t
put_u(char *o, unsigned cp, unsigned *flags)
{
	if (cp >= 0xff01 && cp <= 0xff5e) {
		cp -= 0xfee0; /* fullwidth ASCII, folded by best-fit mapping */
		*flags |= NORM_FULLWIDTH;
	}
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* One percent-decoding pass over [p, p+n), in place; returns the new length. */
static size_t
pct_pass(
    char *p, size_t n, int plus_space, int first, unsigned *flags, int *changed)
{
	size_t i = 0, o = 0;

	*changed = 0;
	while (i < n) {
		unsigned char c = (unsigned char)p[i];

		if (c == '%') {
			if (i + 5 < n && (p[i + 1] == 'u' || p[i + 1] == 'U')) {
				int a = cur_hexval(p[i + 2]);
				int b = cur_hexval(p[i + 3]);
				int d = cur_hexval(p[i + 4]);
				int e = cur_hexval(p[i + 5]);

				if (a >= 0 && b >= 0 && d >= 0 && e >= 0) {
					unsigned cp = (unsigned)(a << 12 |
					    b << 8 | d << 4 | e);

					o += put_u(p + o, cp, flags);
					i += 6;
					*flags |= NORM_PCT_U;
					*changed = 1;
					continue;
				}
			}
			if (i + 2 < n) {
				int a = cur_hexval(p[i + 1]);
				int b = cur_hexval(p[i + 2]);

				if (a >= 0 && b >= 0) {
					p[o++] = (char)(a << 4 | b);
					i += 3;
					*changed = 1;
					continue;
				}
			}
			if (first)
				*flags |= NORM_BAD_PCT;
			p[o++] = '%';
			i++;
			continue;
		}
		if (c == '+' && plus_space && first) {
			p[o++] = ' ';
			i++;
			continue;
		}
		p[o++] = (char)c;
		i++;
	}
	return o;
}

static int
is_cont(unsigned char c)
{
	return c >= 0x80 && c < 0xc0;
}

/* Characters whose overlong encoding can only be meant to evade a filter. */
static int
syntax_char(unsigned c)
{
	return c < 0x20 || (c < 0x80 && strchr("/\\.%<>'\"&;|`$(){} ", (int)c));
}

/* Writes an ASCII byte produced by decoding, noting what it is. */
static void
put_ascii(char *p, size_t *o, unsigned c, unsigned *flags)
{
	if (c == 0) {
		*flags |= NORM_NUL;
		return;
	}
	if (c == '\r' || c == '\n')
		*flags |= NORM_CRLF;
	else if ((c < 0x20 && c != '\t') || c == 0x7f)
		*flags |= NORM_CTRL;
	p[(*o)++] = (char)c;
}

/*
 * Overlong UTF-8 of ASCII folded (IIS accepted any low byte after C0/C1,
 * as in %c1%1c), NUL removed, control bytes and invalid UTF-8 noted.
 */
static size_t
utf8_pass(char *p, size_t n, unsigned *flags)
{
	unsigned char *u = (unsigned char *)p;
	size_t i = 0, o = 0;

	while (i < n) {
		unsigned c = u[i];
		size_t len = 0, l;
		unsigned cp;

		if (c < 0x80) {
			put_ascii(p, &o, c, flags);
			i++;
			continue;
		}
		if ((c == 0xc0 || c == 0xc1) && i + 1 < n && u[i + 1] < 0xc0) {
			cp = ((c & 0x1f) << 6) | (u[i + 1] & 0x3f);
			/* IIS's lax form (%c1%1c) only where it makes a
			 * separator; elsewhere such bytes are left alone, as
			 * legacy encodings (Shift_JIS) use them */
			if (is_cont(u[i + 1]) || cp == '/' || cp == '\\' ||
			    cp == '.') {
				if (syntax_char(cp))
					*flags |= NORM_OVERLONG;
				put_ascii(p, &o, cp, flags);
				i += 2;
				continue;
			}
		}
		if (c == 0xe0 && i + 2 < n && u[i + 1] >= 0x80 &&
		    u[i + 1] < 0xa0 && is_cont(u[i + 2]))
			len = 3;
		else if (c == 0xf0 && i + 3 < n && u[i + 1] >= 0x80 &&
		    u[i + 1] < 0x90 && is_cont(u[i + 2]) && is_cont(u[i + 3]))
			len = 4;
		else if ((c == 0xf8 || c == 0xfc) &&
		    i + (c == 0xf8 ? 4 : 5) < n)
			len = c == 0xf8 ? 5 : 6;
		if (len > 0) {
			size_t k;

			cp = c & (len == 3 ? 0x0f : len == 4 ? 0x07 : 0x01);
			for (k = 1; k < len && is_cont(u[i + k]); k++)
				cp = (cp << 6) | (u[i + k] & 0x3f);
			if (k == len && cp < 0x80) {
				*flags |= NORM_OVERLONG;
				put_ascii(p, &o, cp, flags);
				i += len;
				continue;
			}
			if (k == len) {
				/* overlong of a non-ASCII character: kept */
				*flags |= NORM_OVERLONG | NORM_BAD_UTF8;
				memmove(p + o, p + i, len);
				o += len;
				i += len;
				continue;
			}
		}
		l = utf8_seq_len(u + i, n - i);
		if (l == 0) {
			*flags |= NORM_BAD_UTF8;
			l = 1;
		}
		memmove(p + o, p + i, l);
		o += l;
		i += l;
	}
	return o;
}

size_t
norm_decode(const char *s, size_t n, int plus_space, char *out, unsigned *flags)
{
	size_t len;
	int changed;

	memcpy(out, s, n);
	len = pct_pass(out, n, plus_space, 1, flags, &changed);
	if (changed)
		*flags |= NORM_PCT;
	for (int pass = 1; changed && pass < NORM_MAX_PASSES; pass++) {
		if (memchr(out, '%', len) == NULL)
			break;
		len = pct_pass(out, len, 0, 0, flags, &changed);
		if (changed)
			*flags |= NORM_DOUBLE;
	}
	return utf8_pass(out, len, flags);
}

/* Number of ".." segments when [s, s+n) is split at '/' and '\'. */
static unsigned
count_dotdot(const char *s, size_t n)
{
	unsigned count = 0;
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/' || s[i] == '\\') {
			if (i - start == 2 && s[start] == '.' &&
			    s[start + 1] == '.')
				count++;
			start = i + 1;
		}
	}
	return count;
}

size_t
norm_path(const char *s, size_t n, char *out, unsigned *flags)
{
	size_t len, i, o, start;
	unsigned raw_dd, dec_dd = 0, depth = 0;
	int lead, trail = 0;

	len = norm_decode(s, n, 0, out, flags);
	for (i = 0; i < len; i++)
		if (out[i] == '\\') {
			out[i] = '/';
			*flags |= NORM_BACKSLASH;
		}
	raw_dd = count_dotdot(s, n);

	/* Resolve dot segments in place; o never passes i. */
	lead = len > 0 && out[0] == '/';
	i = lead ? 1 : 0;
	o = i;
	while (i <= len) {
		size_t seglen;

		start = i;
		while (i < len && out[i] != '/')
			i++;
		seglen = i - start;
		trail = 0;
		if (seglen == 0) {
			/* "//" folds; a final empty segment is the trailing '/' */
			if (i == len && o > (size_t)lead)
				trail = 1;
		} else if (seglen == 1 && out[start] == '.') {
			*flags |= NORM_DOTSEG;
			trail = 1;
		} else if (seglen == 2 && out[start] == '.' &&
		    out[start + 1] == '.') {
			*flags |= NORM_DOTSEG;
			dec_dd++;
			trail = 1;
			if (depth == 0) {
				*flags |= NORM_ABOVE_ROOT;
			} else {
				depth--;
				/* back to the start of the previous segment */
				while (o > (size_t)lead && out[o - 1] != '/')
					o--;
				if (o > (size_t)lead)
					o--;
			}
		} else {
			if (o > (size_t)lead)
				out[o++] = '/';
			memmove(out + o, out + start, seglen);
			o += seglen;
			depth++;
		}
		i++; /* past the '/' (or past len, ending the loop) */
	}
	if (trail && o > (size_t)lead)
		out[o++] = '/';
	if (dec_dd > raw_dd)
		*flags |= NORM_HIDDEN_TRAVERSAL;
	return o;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
is_name(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

size_t
norm_shell(const char *s, size_t n, char *out)
{
	size_t i = 0, o = 0;
	int space = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' || c == '\'' || c == '"' || c == '^') {
			i++;
			continue;
		}
		if (c == '$' && i + 1 < n) {
			unsigned char d = (unsigned char)s[i + 1];

			if (d == '@' || d == '*') {
				i += 2;
				continue;
			}
			if (n - i >= 4 && memcmp(s + i + 1, "IFS", 3) == 0) {
				i += 4;
				c = ' ';
				goto emit;
			}
			if (d == '{') {
				size_t j = i + 2;

				while (j < n && j - i < 34 && is_name(s[j]))
					j++;
				if (j < n && s[j] == '}') {
					int ifs = j - i - 2 == 3 &&
					    memcmp(s + i + 2, "IFS", 3) == 0;

					i = j + 1;
					if (!ifs)
						continue;
					c = ' ';
					goto emit;
				}
			}
		}
		i++;
	emit:
		if (c == '\n') { /* a command separator to the shell */
			out[o++] = '\n';
			space = 1;
			continue;
		}
		if (is_space(c)) {
			if (!space)
				out[o++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		out[o++] = (char)c;
	}
	return o;
}

void
norm_flag_names(unsigned flags, char *buf, size_t bufsz)
{
	static const char *const names[] = {"percent", "double-encoding",
	    "iis-%u", "overlong-utf8", "bad-percent", "invalid-utf8", "nul",
	    "control", "crlf", "backslash", "dot-segment", "above-root",
	    "hidden-traversal", "fullwidth"};
	size_t o = 0;

	if (bufsz == 0)
		return;
	buf[0] = '\0';
	for (size_t b = 0; b < countof(names); b++) {
		int w;

		if (!(flags & (1u << b)))
			continue;
		w = snprintf(
		    buf + o, bufsz - o, "%s%s", o ? "," : "", names[b]);
		if (w < 0 || (size_t)w >= bufsz - o)
			return;
		o += (size_t)w;
	}
}
