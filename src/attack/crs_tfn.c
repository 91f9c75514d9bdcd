/*
 * crs_tfn.c - the ModSecurity transformations (see crs_tfn.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "attack/crs_tfn.h"
#include "attack/sig.h"
#include "base/cur.h"
#include "base/mem.h"

_Static_assert(
    CRS_T_N <= CRS_TFN_CLASS_SHIFT && CRS_TFN_CLASS_SHIFT + SIG_NCLASS < 32,
    "crs_tfn_may_change: the classes' bits after the transformations'");

static const char *const names[CRS_T_N] = {
    [CRS_T_NONE] = "none",
    [CRS_T_URLDECODE] = "urlDecode",
    [CRS_T_URLDECODEUNI] = "urlDecodeUni",
    [CRS_T_HTMLENTITYDECODE] = "htmlEntityDecode",
    [CRS_T_JSDECODE] = "jsDecode",
    [CRS_T_CSSDECODE] = "cssDecode",
    [CRS_T_CMDLINE] = "cmdLine",
    [CRS_T_COMPRESSWHITESPACE] = "compressWhitespace",
    [CRS_T_REMOVEWHITESPACE] = "removeWhitespace",
    [CRS_T_REMOVENULLS] = "removeNulls",
    [CRS_T_LOWERCASE] = "lowercase",
    [CRS_T_NORMALISEPATH] = "normalisePath",
    [CRS_T_NORMALISEPATHWIN] = "normalisePathWin",
    [CRS_T_UTF8TOUNICODE] = "utf8toUnicode",
    [CRS_T_REPLACECOMMENTS] = "replaceComments",
    [CRS_T_BASE64DECODE] = "base64Decode",
};

int
crs_tfn_parse(const char *name)
{
	if (strcasecmp(name, "normalizePath") == 0)
		return CRS_T_NORMALISEPATH;
	if (strcasecmp(name, "normalizePathWin") == 0)
		return CRS_T_NORMALISEPATHWIN;
	for (int i = 0; i < CRS_T_N; i++)
		if (strcasecmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *
crs_tfn_name(enum crs_tfn t)
{
	return (unsigned)t < CRS_T_N ? names[t] : "?";
}

static int
hex2(const char *p)
{
	int h = cur_hexval(p[0]), l = cur_hexval(p[1]);

	return h < 0 || l < 0 ? -1 : h << 4 | l;
}

static int
xdigits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cur_hexval(p[i]) < 0)
			return 0;
	return 1;
}

/* %uXXXX and \uXXXX: the low byte; fullwidth ASCII (FF01-FF5E) folded. */
static char
uni_byte(const char *h)
{
	int c = hex2(h + 2);

	if (c > 0 && c < 0x5f && (h[0] == 'f' || h[0] == 'F') &&
	    (h[1] == 'f' || h[1] == 'F'))
		c += 0x20;
	return (char)c;
}

static size_t
url_decode(const char *in, size_t n, char *out, int uni)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] == '+') {
			out[o++] = ' ';
			continue;
		}
		if (in[i] == '%') {
			if (uni && i + 5 < n &&
			    (in[i + 1] == 'u' || in[i + 1] == 'U') &&
			    xdigits(in + i + 2, 4)) {
				out[o++] = uni_byte(in + i + 2);
				i += 5;
				continue;
			}
			if (i + 2 < n && xdigits(in + i + 1, 2)) {
				out[o++] = (char)hex2(in + i + 1);
				i += 2;
				continue;
			}
		}
		out[o++] = in[i];
	}
	return o;
}

/* The named entities htmlEntityDecode knows. */
static const struct {
	const char *name;
	char c;
} ent[] = {{"quot", '"'}, {"amp", '&'}, {"lt", '<'}, {"gt", '>'},
    {"nbsp", (char)0xa0}};

/* The entity named at in + j (after a '&'), any case: its index in ent,
 * or countof(ent). */
static size_t
html_entity(const char *in, size_t n, size_t j)
{
	size_t e;

	for (e = 0; e < countof(ent); e++) {
		size_t l = strlen(ent[e].name);

		if (n - j >= l && strncasecmp(in + j, ent[e].name, l) == 0)
			break;
	}
	return e;
}

/* 1 when html_decode leaves [in, in+n) as it is: no '&' starts a named
 * entity or a '#' with a digit (after an 'x' a hex digit). */
static int
html_same(const char *in, size_t n)
{
	for (const char *p = in, *end = in + n;
	     (p = memchr(p, '&', (size_t)(end - p))) != NULL; p++) {
		size_t j = (size_t)(p - in) + 1;

		if (j >= n)
			return 1;
		if (in[j] == '#') {
			int hex =
			    j + 1 < n && (in[j + 1] == 'x' || in[j + 1] == 'X');
			size_t k = j + 1 + (size_t)hex;

			if (k < n &&
			    (hex ? cur_hexval(in[k]) >= 0
			         : in[k] >= '0' && in[k] <= '9'))
				return 0;
		} else if (html_entity(in, n, j) != countof(ent))
			return 0;
	}
	return 1;
}

static size_t
html_decode(const char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		size_t j = i + 1;

		if (in[i] != '&' || j >= n) {
			out[o++] = in[i++];
			continue;
		}
		if (in[j] == '#') {
			int hex =
			    j + 1 < n && (in[j + 1] == 'x' || in[j + 1] == 'X');
			size_t k = j + 1 + (size_t)hex, d = k;
			unsigned v = 0;

			while (k < n && k - d < 8 &&
			    (hex ? cur_hexval(in[k]) >= 0
			         : (in[k] >= '0' && in[k] <= '9'))) {
				v = v * (hex ? 16u : 10u) +
				    (unsigned)(hex ? cur_hexval(in[k])
				                   : in[k] - '0');
				k++;
			}
			if (k == d) {
				out[o++] = in[i++];
				continue;
			}
			out[o++] = (char)(v & 0xff);
			i = k < n && in[k] == ';' ? k + 1 : k;
			continue;
		}
		size_t e;

		if ((e = html_entity(in, n, j)) == countof(ent)) {
			out[o++] = in[i++];
			continue;
		}
		out[o++] = ent[e].c;
		i = j + strlen(ent[e].name);
		if (i < n && in[i] == ';')
			i++;
	}
	return o;
}

static size_t
js_decode(const char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		if (in[i] != '\\' || i + 1 >= n) {
			out[o++] = in[i++];
			continue;
		}
		char c = in[i + 1];

		if ((c == 'u' || c == 'U') && i + 5 < n &&
		    xdigits(in + i + 2, 4)) {
			out[o++] = uni_byte(in + i + 2);
			i += 6;
		} else if ((c == 'x' || c == 'X') && i + 3 < n &&
		    xdigits(in + i + 2, 2)) {
			out[o++] = (char)hex2(in + i + 2);
			i += 4;
		} else if (c >= '0' && c <= '7') {
			size_t k = i + 1;
			unsigned v = 0;

			/* up to three digits, three only when the first is
			 * 0-3 (the value fits a byte) */
			while (k < n && k - i <= 3 && in[k] >= '0' &&
			    in[k] <= '7' && !(k - i == 3 && in[i + 1] > '3')) {
				v = v * 8 + (unsigned)(in[k] - '0');
				k++;
			}
			out[o++] = (char)v;
			i = k;
		} else {
			switch (c) {
			case 'a':
				c = '\a';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'v':
				c = '\v';
				break;
			default:
				break;
			}
			out[o++] = c;
			i += 2;
		}
	}
	return o;
}

static size_t
css_decode(const char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		if (in[i] != '\\') {
			out[o++] = in[i++];
			continue;
		}
		if (i + 1 >= n) { /* a backslash at the end goes */
			i++;
			continue;
		}
		size_t k = i + 1;

		while (k < n && k - i <= 6 && cur_hexval(in[k]) >= 0)
			k++;
		size_t nd = k - i - 1;

		if (nd == 0) {
			if (in[i + 1] != '\n')
				out[o++] = in[i + 1];
			i += 2;
			continue;
		}
		int v = nd == 1 ? cur_hexval(in[i + 1]) : hex2(in + k - 2);

		/* fullwidth ASCII: \FF01 ... \FF5E */
		if (nd == 4 && v > 0 && v < 0x5f &&
		    (in[i + 1] == 'f' || in[i + 1] == 'F') &&
		    (in[i + 2] == 'f' || in[i + 2] == 'F'))
			v += 0x20;
		out[o++] = (char)v;
		i = k;
		if (i < n &&
		    (in[i] == ' ' || in[i] == '\t' || in[i] == '\n' ||
		        in[i] == '\r' || in[i] == '\f'))
			i++;
	}
	return o;
}

static int
ws(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static size_t
cmdline(const char *in, size_t n, char *out)
{
	size_t o = 0;
	int space = 0;

	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		switch (c) {
		case '"':
		case '\'':
		case '\\':
		case '^':
			break;
		case ' ':
		case ',':
		case ';':
		case '\t':
		case '\r':
		case '\n':
			if (!space)
				out[o++] = ' ';
			space = 1;
			break;
		case '/':
		case '(':
			if (space)
				o--;
			space = 0;
			out[o++] = c;
			break;
		default:
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			space = 0;
			break;
		}
	}
	return o;
}

static size_t
normalise_path(const char *in, size_t n, char *out, int win)
{
	size_t o = 0, i = 0, keep = 0; /* out[0, keep): leading "../"s */
	int abs = n > 0 && (in[0] == '/' || (win && in[0] == '\\'));

	if (abs) {
		out[o++] = '/';
		keep = 1;
		i = 1;
	}
	while (i < n) {
		size_t s = i;

		while (i < n && in[i] != '/' && !(win && in[i] == '\\'))
			i++;
		size_t l = i - s;
		int slash = i < n;

		if (i < n)
			i++;
		if (l == 0 || (l == 1 && in[s] == '.'))
			continue;
		if (l == 2 && in[s] == '.' && in[s + 1] == '.') {
			if (o > keep) { /* drop the last segment */
				o--;
				while (o > keep && out[o - 1] != '/')
					o--;
				continue;
			}
			if (abs)
				continue;
			/* a relative path keeps the ".." it starts with */
			memcpy(out + o, "../", slash ? 3 : 2);
			o += slash ? 3 : 2;
			keep = o;
			continue;
		}
		for (size_t k = 0; k < l; k++)
			out[o++] = in[s + k] == '\\' ? '/' : in[s + k];
		if (slash)
			out[o++] = '/';
	}
	/* "a/.." and "a/." keep no trailing slash of their own */
	return o;
}

static size_t
utf8_to_unicode(const char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)in[i];
		unsigned cp, len = 0;

		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			cp = 0;
		if (len == 0 || i + len > n) {
			out[o++] = in[i++];
			continue;
		}
		unsigned k;

		for (k = 1; k < len; k++) {
			unsigned char d = (unsigned char)in[i + k];

			if ((d & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (d & 0x3f);
		}
		if (k < len) {
			out[o++] = in[i++];
			continue;
		}
		/* at most 7 bytes for 4 in, 6 for 2 or 3 */
		char h[12];
		int hl = snprintf(h, sizeof(h), "%%u%04x", cp);

		memcpy(out + o, h, (size_t)hl);
		o += (size_t)hl;
		i += len;
	}
	return o;
}

static size_t
replace_comments(const char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		if (in[i] == '/' && i + 1 < n && in[i + 1] == '*') {
			const char *e = memmem(in + i + 2, n - i - 2, "*/", 2);

			out[o++] = ' ';
			i = e ? (size_t)(e - in) + 2 : n;
			continue;
		}
		out[o++] = in[i++];
	}
	return o;
}

/* The value of base64 digit c, 64 for '=', -1 for any other byte. */
static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return c == '=' ? 64 : -1;
}

/*
 * ModSecurity 3's base64Decode (the text up to a NUL, decoded as mbedTLS
 * does): CR LF and LF are skipped, and spaces before them or at the
 * text's end; any other byte outside the alphabet, a space before a
 * digit, more than two '=' or a digit after one makes the result empty;
 * a last group of fewer than four digits is dropped.
 */
static size_t
base64_decode(const char *in, size_t n, char *out)
{
	const char *z = memchr(in, '\0', n);
	size_t o = 0, eq = 0, k = 0;
	unsigned long x = 0;
	int full = 3;

	n = z ? (size_t)(z - in) : n;
	for (size_t i = 0; i < n; i++) {
		size_t sp = 0;
		int v;

		while (i < n && in[i] == ' ')
			i++, sp++;
		if (i == n)
			break;
		if (in[i] == '\n' ||
		    (in[i] == '\r' && i + 1 < n && in[i + 1] == '\n')) {
			i += in[i] == '\r';
			continue;
		}
		v = b64val((unsigned char)in[i]);
		if (sp > 0 || v < 0 || (v == 64 && ++eq > 2) ||
		    (v < 64 && eq > 0))
			return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int v = b64val((unsigned char)in[i]);

		if (v < 0) /* the spaces and line ends checked above */
			continue;
		full -= v == 64;
		x = (x << 6 | (unsigned long)(v & 0x3f)) & 0xffffff;
		if (++k < 4)
			continue;
		k = 0;
		if (full > 0)
			out[o++] = (char)(x >> 16);
		if (full > 1)
			out[o++] = (char)(x >> 8 & 0xff);
		if (full > 2)
			out[o++] = (char)(x & 0xff);
	}
	return o;
}

size_t
crs_tfn_apply(enum crs_tfn t, const char *in, size_t n, char *out)
{
	size_t o = 0;

	switch (t) {
	case CRS_T_URLDECODE:
		return url_decode(in, n, out, 0);
	case CRS_T_URLDECODEUNI:
		return url_decode(in, n, out, 1);
	case CRS_T_HTMLENTITYDECODE:
		return html_decode(in, n, out);
	case CRS_T_JSDECODE:
		return js_decode(in, n, out);
	case CRS_T_CSSDECODE:
		return css_decode(in, n, out);
	case CRS_T_CMDLINE:
		return cmdline(in, n, out);
	case CRS_T_COMPRESSWHITESPACE:
		for (size_t i = 0; i < n; i++)
			if (!ws((unsigned char)in[i]))
				out[o++] = in[i];
			else if (i == 0 || !ws((unsigned char)in[i - 1]))
				out[o++] = ' ';
		return o;
	case CRS_T_REMOVEWHITESPACE:
		for (size_t i = 0; i < n; i++)
			if (!ws((unsigned char)in[i]))
				out[o++] = in[i];
		return o;
	case CRS_T_REMOVENULLS:
		for (size_t i = 0; i < n; i++)
			if (in[i] != '\0')
				out[o++] = in[i];
		return o;
	case CRS_T_LOWERCASE:
		for (size_t i = 0; i < n; i++)
			out[i] =
			    (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32
			                                        : in[i]);
		return n;
	case CRS_T_NORMALISEPATH:
		return normalise_path(in, n, out, 0);
	case CRS_T_NORMALISEPATHWIN:
		return normalise_path(in, n, out, 1);
	case CRS_T_UTF8TOUNICODE:
		return utf8_to_unicode(in, n, out);
	case CRS_T_REPLACECOMMENTS:
		return replace_comments(in, n, out);
	case CRS_T_BASE64DECODE:
		return base64_decode(in, n, out);
	case CRS_T_NONE:
	case CRS_T_N:
		break;
	}
	if (n > 0)
		memcpy(out, in, n);
	return n;
}

/*
 * Per byte, the transformations (bit 1 << enum crs_tfn) that may change a
 * text holding it; a text with none of a transformation's bytes comes out
 * of it as it went in.  compressWhitespace, normalisePath and
 * replaceComments look further (crs_tfn_same).
 */
static uint32_t trig[256];

static void
trig_set(const char *bytes, size_t n, enum crs_tfn t)
{
	for (size_t i = 0; i < n; i++)
		trig[(unsigned char)bytes[i]] |= 1u << t;
}

__attribute__((constructor)) static void
trig_init(void)
{
	static const char ws_all[] = " \t\n\v\f\r\xa0";
	static const char *const adds[SIG_NCLASS] = {SIG_CLASS_ADDS};

	trig_set("%+", 2, CRS_T_URLDECODE);
	trig_set("%+", 2, CRS_T_URLDECODEUNI);
	trig_set("&", 1, CRS_T_HTMLENTITYDECODE);
	trig_set("\\", 1, CRS_T_JSDECODE);
	trig_set("\\", 1, CRS_T_CSSDECODE);
	trig_set("\"'\\^ ,;\t\r\n", 11, CRS_T_CMDLINE);
	trig_set(ws_all, sizeof(ws_all) - 1, CRS_T_COMPRESSWHITESPACE);
	trig_set(ws_all, sizeof(ws_all) - 1, CRS_T_REMOVEWHITESPACE);
	trig_set("\0", 1, CRS_T_REMOVENULLS);
	/* both turn '\\' into '/' */
	trig_set("/.\\", 3, CRS_T_NORMALISEPATH);
	trig_set("/.\\", 3, CRS_T_NORMALISEPATHWIN);
	trig_set("/", 1, CRS_T_REPLACECOMMENTS);
	for (unsigned c = 'A'; c <= 'Z'; c++)
		trig[c] |= 1u << CRS_T_LOWERCASE | 1u << CRS_T_CMDLINE;
	for (unsigned c = 0xc2; c <= 0xf4; c++)
		trig[c] |= 1u << CRS_T_UTF8TOUNICODE;
	for (unsigned c = 0; c < 256; c++)
		trig[c] |= 1u << CRS_T_BASE64DECODE;
	/* every byte outside a class (and those below it) */
	for (unsigned c = 0; c < 256; c++)
		trig[c] |= ((1u << SIG_NCLASS) - 1) << CRS_TFN_CLASS_SHIFT;
	for (unsigned k = 0; k < SIG_NCLASS; k++)
		for (const char *b = adds[k]; *b != '\0'; b++)
			for (unsigned j = k; j < SIG_NCLASS; j++)
				trig[(unsigned char)*b] &=
				    ~(1u << (CRS_TFN_CLASS_SHIFT + j));
}

/* The transformations that may change [in, in+n) (see trig). */
uint32_t
crs_tfn_may_change(const char *in, size_t n)
{
	uint32_t m = 0;

	for (size_t i = 0; i < n; i++)
		m |= trig[(unsigned char)in[i]];
	return m;
}

/* A path without '\' (both normalisations make it '/') nor an empty,
 * "." or ".." segment. */
static int
path_same(const char *in, size_t n)
{
	if (memchr(in, '\\', n) != NULL)
		return 0;
	for (size_t s = 0, i = 0; i <= n; i++) {
		if (i < n && in[i] != '/')
			continue;
		/* the segment [s, i) */
		if ((i == s && s > 0 && i < n) ||
		    (i - s == 1 && in[s] == '.') ||
		    (i - s == 2 && in[s] == '.' && in[s + 1] == '.'))
			return 0;
		s = i + 1;
	}
	return 1;
}

int
crs_tfn_same(enum crs_tfn t, const char *in, size_t n)
{
	return crs_tfn_same_m(t, in, n, crs_tfn_may_change(in, n));
}

int
crs_tfn_same_m(enum crs_tfn t, const char *in, size_t n, uint32_t m)
{
	if ((unsigned)t >= CRS_T_N)
		return 1;
	if (!(m & (1u << t)))
		return 1;
	switch (t) {
	case CRS_T_COMPRESSWHITESPACE:
		/* single spaces stay */
		for (size_t i = 0; i < n; i++)
			if (trig[(unsigned char)in[i]] &
			        (1u << CRS_T_COMPRESSWHITESPACE) &&
			    (in[i] != ' ' ||
			        (i + 1 < n &&
			            trig[(unsigned char)in[i + 1]] &
			                (1u << CRS_T_COMPRESSWHITESPACE))))
				return 0;
		return 1;
	case CRS_T_NORMALISEPATH:
		return path_same(in, n);
	case CRS_T_NORMALISEPATHWIN:
		return path_same(in, n);
	case CRS_T_REPLACECOMMENTS:
		return n < 2 || memmem(in, n, "/*", 2) == NULL;
	case CRS_T_HTMLENTITYDECODE:
		return html_same(in, n);
	default:
		return 0;
	}
}

const char *
crs_tfn_chain(const unsigned char *t, unsigned nt, const char *in, size_t n,
    char *a, char *b, size_t *out_n)
{
	return crs_tfn_chain_m(
	    t, nt, in, n, crs_tfn_may_change(in, n), a, b, out_n);
}

const char *
crs_tfn_chain_m(const unsigned char *t, unsigned nt, const char *in, size_t n,
    uint32_t m, char *a, char *b, size_t *out_n)
{
	const char *cur = in;

	for (unsigned i = 0; i < nt; i++) {
		char *dst = cur == a ? b : a;

		/* a transformation that would leave the text as it is */
		if (crs_tfn_same_m((enum crs_tfn)t[i], cur, n, m))
			continue;
		n = crs_tfn_apply((enum crs_tfn)t[i], cur, n, dst);
		cur = dst;
		m = crs_tfn_may_change(cur, n);
	}
	*out_n = n;
	return cur;
}
