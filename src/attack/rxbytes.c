/*
 * rxbytes.c - whether a regular expression can match in a text made of
 * the bytes of a set (see rxbytes.h): a recursive descent over the
 * expression that answers, per part, "can this part match a text of
 * those bytes": a sequence when each of its items can, an alternation
 * when one of its branches can, an item that may repeat zero times
 * always, a character when it or (a letter) its other case is in the
 * set, a class when it shares a byte with the set.  What it cannot read
 * makes the whole answer 1.
 */
#include <string.h>

#include <hs/hs.h>

#include "attack/rxbytes.h"
#include "base/cur.h"

/* Deeper nesting than this is not followed (the answer is then 1). */
#define RX_DEPTH_MAX 200

struct rx {
	const unsigned char *p, *end;
	const struct rx_bytes *in; /* nin sets */
	unsigned nin, all;         /* all: a bit per set */
	int utf8;
	int dotall;  /* '.' may match '\n' (the flag, or an inline 's') */
	int unknown; /* something was not understood: the answer is 1 */
	unsigned depth;
};

void
rx_bytes_add_str(struct rx_bytes *s, const char *chars)
{
	for (; *chars != '\0'; chars++)
		rx_bytes_add(s, (unsigned char)*chars);
}

static void
add_range(struct rx_bytes *s, unsigned lo, unsigned hi)
{
	for (unsigned b = lo; b <= hi && b < 256; b++)
		rx_bytes_add(s, (unsigned char)b);
}

static void
set_not(struct rx_bytes *s)
{
	for (unsigned i = 0; i < 4; i++)
		s->w[i] = ~s->w[i];
}

static void
set_or(struct rx_bytes *s, const struct rx_bytes *o)
{
	for (unsigned i = 0; i < 4; i++)
		s->w[i] |= o->w[i];
}

/*
 * What a class or class escape matches: the bytes it may match (may: a
 * byte from 0x80 whenever a locale, UTF-8 or Unicode properties could
 * put it in) and those it surely matches (sure).  A class matches a byte
 * of may; a negated one a byte outside sure.
 */
struct cset {
	struct rx_bytes may, sure;
};

/* s and its letters' other cases (in UTF-8, where 'k' and 's' have
 * some of several bytes, every byte from 0x80 with a letter). */
static void
set_fold(int utf8, struct rx_bytes *s)
{
	/* 'A'..'Z' are bits 1..26 of w[1], 'a'..'z' bits 33..58 */
	uint64_t f = ((s->w[1] >> 1) | (s->w[1] >> 33)) & 0x3ffffff;

	s->w[1] |= (f << 1) | (f << 33);
	if (utf8 && f != 0)
		s->w[2] = s->w[3] = ~(uint64_t)0;
}

/* The sets of x (bit k: x->in[k]) that share a byte with s. */
static unsigned
meets(const struct rx_bytes *s, const struct rx *x)
{
	unsigned m = 0;

	for (unsigned k = 0; k < x->nin; k++)
		for (unsigned i = 0; i < 4; i++)
			if (s->w[i] & x->in[k].w[i]) {
				m |= 1u << k;
				break;
			}
	return m;
}

/* A code point as the bytes that may stand for it: itself below 0x80
 * (and below 0x100 outside UTF-8), else every byte from 0x80 (each of
 * its UTF-8 bytes is one of them). */
static void
add_cp(struct rx *x, struct rx_bytes *s, unsigned long cp)
{
	if (cp < 0x80 || (!x->utf8 && cp < 0x100))
		rx_bytes_add(s, (unsigned char)cp);
	else
		add_range(s, 0x80, 0xff);
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Class escape \c (d D w W s S h H v V N R) added to cs, 1; 0 when c is
 * not one. */
static int
class_escape(int c, struct cset *cs)
{
	struct rx_bytes may = {{0}}, sure = {{0}}, ascii = {{0}};

	switch (c) {
	case 'd':
	case 'D':
		add_range(&may, '0', '9');
		break;
	case 'w':
	case 'W':
		add_range(&may, '0', '9');
		add_range(&may, 'a', 'z');
		add_range(&may, 'A', 'Z');
		rx_bytes_add(&may, '_');
		break;
	case 's':
	case 'S':
		add_range(&may, '\t', '\r');
		rx_bytes_add(&may, ' ');
		break;
	case 'h':
	case 'H':
		rx_bytes_add(&may, '\t');
		rx_bytes_add(&may, ' ');
		break;
	case 'v':
	case 'V':
	case 'R':
		add_range(&may, '\n', '\r');
		break;
	case 'N': /* anything but a newline */
		rx_bytes_add(&may, '\n');
		set_not(&may);
		add_range(&sure, 0, 0x7f);
		sure.w[0] &= ~((uint64_t)1 << '\n');
		set_or(&cs->may, &may);
		set_or(&cs->sure, &sure);
		return 1;
	default:
		return 0;
	}
	/* its ASCII bytes: surely in it (but the vertical tab, which older
	 * PCRE leaves out of \s); from 0x80, maybe */
	sure = may;
	if (c == 's' || c == 'S')
		sure.w[0] &= ~((uint64_t)1 << '\v');
	add_range(&ascii, 0, 0x7f);
	if (c >= 'A' && c <= 'Z' && c != 'R') {
		/* the others: may be in it (every byte not surely in the
		 * lower case), surely (each ASCII byte not maybe in it) */
		struct rx_bytes m = sure, t = may;

		set_not(&m);
		set_not(&t);
		for (unsigned i = 0; i < 4; i++)
			t.w[i] &= ascii.w[i];
		may = m;
		sure = t;
	} else
		add_range(&may, 0x80, 0xff);
	set_or(&cs->may, &may);
	set_or(&cs->sure, &sure);
	return 1;
}

/*
 * After a backslash: a character escape's code point into *cp, 1; or 0
 * when it is not one (the caller tries the others); -1 when it is cut
 * short or malformed.  in_class: in a class, where \b is a backspace and
 * \1.. are octal.
 */
static int
char_escape(struct rx *x, unsigned long *cp, int in_class)
{
	int c = *x->p;
	unsigned long v = 0;
	int n = 0;

	switch (c) {
	case 'n':
		*cp = '\n';
		break;
	case 'r':
		*cp = '\r';
		break;
	case 't':
		*cp = '\t';
		break;
	case 'f':
		*cp = '\f';
		break;
	case 'e':
		*cp = 0x1b;
		break;
	case 'a':
		*cp = 0x07;
		break;
	case 'b':
		if (!in_class)
			return 0;
		*cp = 0x08;
		break;
	case 'c':
		if (x->end - x->p < 2)
			return -1;
		c = x->p[1];
		if (c >= 'a' && c <= 'z')
			c -= 32;
		*cp = (unsigned long)(c ^ 0x40) & 0xff;
		x->p += 2;
		return 1;
	case 'x':
		x->p++;
		if (x->p < x->end && *x->p == '{') {
			for (x->p++;
			     x->p < x->end && cur_hexval((char)*x->p) >= 0;
			     x->p++)
				if (++n <= 8)
					v = v * 16 +
					    (unsigned long)cur_hexval(
					        (char)*x->p);
			if (x->p >= x->end || *x->p != '}' || n == 0 || n > 8)
				return -1;
			x->p++;
		} else {
			for (; n < 2 && x->p < x->end &&
			     cur_hexval((char)*x->p) >= 0;
			     n++, x->p++)
				v = v * 16 +
				    (unsigned long)cur_hexval((char)*x->p);
			if (n == 0)
				return -1; /* \x alone: read either way */
		}
		*cp = v;
		return 1;
	case 'o':
		x->p++;
		if (x->p >= x->end || *x->p != '{')
			return -1;
		for (x->p++; x->p < x->end && *x->p >= '0' && *x->p <= '7';
		     x->p++)
			if (++n <= 11)
				v = v * 8 + (unsigned long)(*x->p - '0');
		if (x->p >= x->end || *x->p != '}' || n == 0 || n > 11)
			return -1;
		x->p++;
		*cp = v;
		return 1;
	case '0':
		for (; n < 3 && x->p < x->end && *x->p >= '0' && *x->p <= '7';
		     n++, x->p++)
			v = v * 8 + (unsigned long)(*x->p - '0');
		*cp = v;
		return 1;
	default:
		if (in_class && c >= '1' && c <= '7') {
			for (; n < 3 && x->p < x->end && *x->p >= '0' &&
			     *x->p <= '7';
			     n++, x->p++)
				v = v * 8 + (unsigned long)(*x->p - '0');
			*cp = v;
			return 1;
		}
		if (!is_alnum(c) && c < 0x80) {
			*cp = (unsigned long)c; /* an escaped sign: itself */
			break;
		}
		return 0;
	}
	x->p++;
	return 1;
}

/* Skips a {...} after \p, \P, \g, \k or the like, or one letter. */
static int
skip_name(struct rx *x)
{
	unsigned char close;

	if (x->p >= x->end)
		return -1;
	close = *x->p == '{' ? '}'
	    : *x->p == '<'   ? '>'
	    : *x->p == '\''  ? '\''
	                     : 0;
	if (close == 0) {
		x->p++;
		return 0;
	}
	for (x->p++; x->p < x->end && *x->p != close; x->p++)
		;
	if (x->p >= x->end)
		return -1;
	x->p++;
	return 0;
}

/* A POSIX class "[:name:]" at x->p (just after its '['), into cs; 1 when
 * read, 0 when x->p is not at one, -1 when unknown. */
static int
posix_class(struct rx *x, struct cset *cs)
{
	static const struct {
		const char *name;
		const char *ranges; /* pairs of bytes */
	} cls[] = {
	    {"alpha", "azAZ"},
	    {"digit", "09"},
	    {"alnum", "azAZ09"},
	    {"upper", "AZ"},
	    {"lower", "az"},
	    {"space", "\t\r  "},
	    {"blank", "\t\t  "},
	    {"punct", "!/:@[`{~"},
	    {"print", " ~"},
	    {"graph", "!~"},
	    {"cntrl", "\x01\x1f\x7f\x7f"},
	    {"xdigit", "09afAF"},
	    {"word", "azAZ09__"},
	    {"ascii", "\x01\x7f"},
	};
	const unsigned char *q = x->p + 1, *e;
	int neg = 0;

	if (x->p >= x->end || *x->p != ':')
		return 0;
	if (q < x->end && *q == '^') {
		neg = 1;
		q++;
	}
	for (e = q; e < x->end && *e >= 'a' && *e <= 'z'; e++)
		;
	if (e + 1 >= x->end || e[0] != ':' || e[1] != ']')
		return 0; /* "[:" that is not a class: two characters */
	for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
		struct rx_bytes a = {{0}}, may, sure;

		if (strlen(cls[i].name) != (size_t)(e - q) ||
		    memcmp(cls[i].name, q, (size_t)(e - q)) != 0)
			continue;
		for (const char *r = cls[i].ranges; *r != '\0'; r += 2)
			add_range(&a, (unsigned char)r[0], (unsigned char)r[1]);
		if (strcmp(cls[i].name, "cntrl") == 0 ||
		    strcmp(cls[i].name, "ascii") == 0)
			rx_bytes_add(&a, 0);
		/* its ASCII part surely; a locale or UTF-8 may put bytes
		 * from 0x80 in it */
		may = sure = a;
		add_range(&may, 0x80, 0xff);
		if (neg) {
			struct rx_bytes m = a, t = a;

			set_not(&m); /* maybe: every byte but its ASCII part */
			set_not(&t); /* surely: the other ASCII bytes */
			t.w[2] = t.w[3] = 0;
			may = m;
			sure = t;
		}
		set_or(&cs->may, &may);
		set_or(&cs->sure, &sure);
		x->p = e + 2;
		return 1;
	}
	return -1;
}

/* A class's item at x->p: a character, its code point into *cp (1), or a
 * set of bytes added to cs (2); -1 when unknown or cut short. */
static int
class_item(struct rx *x, struct cset *cs, unsigned long *cp)
{
	int r;

	if (x->p >= x->end)
		return -1;
	if (*x->p == '[') {
		x->p++;
		r = posix_class(x, cs);
		if (r == 1)
			return 2;
		if (r == -1)
			return -1;
		*cp = '[';
		return 1;
	}
	if (*x->p != '\\') {
		if (x->utf8 && *x->p >= 0x80) {
			for (x->p++; x->p < x->end && (*x->p & 0xc0) == 0x80;
			     x->p++)
				;
			*cp = 0x80; /* some character from 0x80 */
			return 1;
		}
		*cp = *x->p++;
		return 1;
	}
	x->p++;
	if (x->p >= x->end)
		return -1;
	/* \Q and \E make literals of what follows and may join a range
	 * across them: not followed */
	if (*x->p == 'Q' || *x->p == 'E' || *x->p == 'N')
		return -1;
	if (class_escape(*x->p, cs)) {
		x->p++;
		return 2;
	}
	if (*x->p == 'p' || *x->p == 'P') {
		x->p++;
		if (skip_name(x) == -1)
			return -1;
		add_range(&cs->may, 0, 0xff); /* surely: none known */
		return 2;
	}
	r = char_escape(x, cp, 1);
	return r == 1 ? 1 : -1;
}

/* Character cp into cs: surely itself, unless only its UTF-8 bytes are
 * known to be from 0x80. */
static void
add_char(struct rx *x, struct cset *cs, unsigned long cp)
{
	add_cp(x, &cs->may, cp);
	if (cp < 0x80 || (!x->utf8 && cp < 0x100))
		rx_bytes_add(&cs->sure, (unsigned char)cp);
}

/* A class at x->p (just after '['): the bytes it may match into s.  0,
 * or -1 when it is unknown or cut short. */
static int class(struct rx *x, struct rx_bytes *s)
{
	struct cset c;
	int neg = 0, first = 1;

	memset(&c, 0, sizeof(c));
	if (x->p < x->end && *x->p == '^') {
		neg = 1;
		x->p++;
	}
	for (;;) {
		unsigned long lo, hi;
		int r;

		if (x->p >= x->end)
			return -1;
		if (*x->p == ']' && !first) {
			x->p++;
			break;
		}
		first = 0;
		r = class_item(x, &c, &lo);
		if (r == -1)
			return -1;
		if (r == 2)
			continue;
		if (x->end - x->p >= 2 && x->p[0] == '-' && x->p[1] != ']') {
			struct cset t;

			memset(&t, 0, sizeof(t));
			x->p++;
			r = class_item(x, &t, &hi);
			if (r == -1)
				return -1;
			if (r == 2) { /* "a-\d": a, '-' and the digits */
				add_char(x, &c, lo);
				add_char(x, &c, '-');
				set_or(&c.may, &t.may);
				set_or(&c.sure, &t.sure);
				continue;
			}
			if (hi < lo)
				return -1;
			if (hi >= 0x80 && (x->utf8 || hi >= 0x100)) {
				if (lo < 0x80) {
					add_range(&c.may, (unsigned)lo, 0x7f);
					add_range(&c.sure, (unsigned)lo, 0x7f);
				}
				add_range(&c.may, 0x80, 0xff);
			} else {
				add_range(&c.may, (unsigned)lo, (unsigned)hi);
				add_range(&c.sure, (unsigned)lo, (unsigned)hi);
			}
			continue;
		}
		add_char(x, &c, lo);
	}
	if (neg) {
		/* a byte it does not surely name (whatever the case: a
		 * caseless class names more) */
		*s = c.sure;
		set_not(s);
	} else {
		*s = c.may;
		set_fold(x->utf8, s);
	}
	return 0;
}

static unsigned alternation(struct rx *x);

/* The sets that have literal byte c (or its other case). */
static unsigned
literal(const struct rx *x, unsigned char c)
{
	struct rx_bytes s = {{0}};

	rx_bytes_add(&s, c);
	set_fold(x->utf8, &s);
	return meets(&s, x);
}

/* Reads a quantifier at x->p, if any: 1 when there was one that lets its
 * item occur zero times, 0 when there was none or one that needs at least
 * one; -1 on a malformed one. */
static int
quantifier(struct rx *x, int *had)
{
	int zero = 0;

	*had = 0;
	if (x->p >= x->end)
		return 0;
	if (*x->p == '*' || *x->p == '?') {
		zero = 1;
		x->p++;
	} else if (*x->p == '+') {
		x->p++;
	} else if (*x->p == '{') {
		/* "{n}", "{n,}", "{n,m}" (and "{,m}", spaces: read as a
		 * quantifier whatever the engine does, the reading that lets
		 * more match); anything else: a literal '{' */
		const unsigned char *q = x->p + 1;
		unsigned long min = 0;
		int digits = 0, other = 0;

		for (; q < x->end && *q != '}'; q++) {
			if (is_digit(*q) && !other) {
				if (min < 100000)
					min = min * 10 +
					    (unsigned long)(*q - '0');
				digits++;
			} else if (*q == ',' || *q == ' ')
				other = 1;
			else if (!is_digit(*q))
				return 0;
		}
		if (q >= x->end || (!digits && !other))
			return 0;
		zero = min == 0;
		x->p = q + 1;
	} else
		return 0;
	*had = 1;
	if (x->p < x->end && (*x->p == '?' || *x->p == '+'))
		x->p++;
	return zero;
}

/* The flags of "(?flags)" or "(?flags:" at x->p; 0, or -1 for one that
 * changes how the expression reads (x: spaces and comments ignored). */
static int
inline_flags(struct rx *x)
{
	for (; x->p < x->end && *x->p != ')' && *x->p != ':'; x->p++) {
		if (strchr("imsnJU-^", *x->p) == NULL || *x->p == '\0')
			return -1;
		if (*x->p == 's') /* on or off: from here on, either */
			x->dotall = 1;
	}
	return x->p < x->end ? 0 : -1;
}

/* A group at x->p, just after its '(': the sets it can match in; x->unknown
 * set for what is not read. */
static unsigned
group(struct rx *x)
{
	unsigned r;
	int assert = 0;

	if (x->p < x->end && *x->p == '*') { /* (*VERB) */
		x->unknown = 1;
		return x->all;
	}
	if (x->p < x->end && *x->p == '?') {
		x->p++;
		if (x->p >= x->end) {
			x->unknown = 1;
			return x->all;
		}
		switch (*x->p) {
		case '#':
			while (x->p < x->end && *x->p != ')')
				x->p++;
			if (x->p >= x->end) {
				x->unknown = 1;
				return x->all;
			}
			x->p++;
			return x->all;
		case ':':
		case '|':
		case '>':
			x->p++;
			break;
		case '=':
		case '!':
			x->p++;
			assert = 1;
			break;
		case '<':
			if (x->end - x->p >= 2 &&
			    (x->p[1] == '=' || x->p[1] == '!')) {
				x->p += 2;
				assert = 1;
				break;
			}
			__attribute__((fallthrough)); /* (?<name> */
		case '\'':
		case 'P':
			if (*x->p == 'P') {
				x->p++;
				if (x->p >= x->end || *x->p != '<') {
					/* (?P=name), (?P>name) */
					x->unknown = 1;
					return x->all;
				}
			}
			if (skip_name(x) == -1) {
				x->unknown = 1;
				return x->all;
			}
			break;
		default:
			if (inline_flags(x) == -1) {
				x->unknown = 1;
				return x->all;
			}
			if (*x->p == ')') {
				x->p++;
				return x->all;
			}
			x->p++; /* ':' */
			break;
		}
	}
	r = alternation(x);
	if (x->p >= x->end || *x->p != ')') {
		x->unknown = 1;
		return x->all;
	}
	x->p++;
	return assert ? x->all : r;
}

/* One item of a sequence at x->p, quantifier included: the sets it can
 * match in. */
static unsigned
item(struct rx *x)
{
	struct rx_bytes s = {{0}};
	struct cset cs;
	unsigned long cp;
	unsigned can;
	int r, had;
	unsigned char c = *x->p;

	memset(&cs, 0, sizeof(cs));
	if (c == '(') {
		x->p++;
		if (++x->depth > RX_DEPTH_MAX) {
			x->unknown = 1;
			return x->all;
		}
		can = group(x);
		x->depth--;
	} else if (c == '[') {
		x->p++;
		if (class(x, &s) == -1) {
			x->unknown = 1;
			return x->all;
		}
		can = meets(&s, x);
	} else if (c == '.') {
		x->p++;
		add_range(&s, 0, 0xff);
		if (!x->dotall)
			s.w[0] &= ~((uint64_t)1 << '\n');
		can = meets(&s, x);
	} else if (c == '^' || c == '$') {
		x->p++;
		can = x->all;
	} else if (c == '*' || c == '+' || c == '?') {
		x->unknown = 1; /* nothing to repeat */
		return x->all;
	} else if (c == '\\') {
		x->p++;
		if (x->p >= x->end) {
			x->unknown = 1;
			return x->all;
		}
		c = *x->p;
		if (strchr("bBAzZGK", c) != NULL && c != '\0') {
			x->p++;
			can = x->all; /* an assertion */
		} else if (c == 'Q' || c == 'E' ||
		    (c == 'N' && x->end - x->p >= 2 && x->p[1] == '{')) {
			/* literals to "\E", after which a quantifier is the
			 * previous item's; a character by name: not followed */
			x->unknown = 1;
			return x->all;
		} else if (class_escape(c, &cs)) {
			x->p++;
			can = meets(&cs.may, x);
		} else if (c == 'p' || c == 'P' || c == 'X' || c == 'C') {
			x->p++;
			if (c != 'X' && c != 'C' && skip_name(x) == -1) {
				x->unknown = 1;
				return x->all;
			}
			can = x->all;
		} else if (c >= '1' && c <= '9') {
			/* a back reference, or an octal escape: read as
			 * one that matches anything */
			while (x->p < x->end && is_digit(*x->p))
				x->p++;
			can = x->all;
		} else if (c == 'g' || c == 'k') {
			x->p++;
			if (x->p < x->end && (is_digit(*x->p) || *x->p == '-'))
				while (x->p < x->end &&
				    (is_digit(*x->p) || *x->p == '-'))
					x->p++;
			else if (skip_name(x) == -1) {
				x->unknown = 1;
				return x->all;
			}
			can = x->all;
		} else {
			r = char_escape(x, &cp, 0);
			if (r != 1) {
				x->unknown = 1;
				return x->all;
			}
			add_cp(x, &s, cp);
			set_fold(x->utf8, &s);
			can = meets(&s, x);
		}
	} else {
		/* a literal; in UTF-8, a character of several bytes is one
		 * item, of bytes from 0x80 (caselessly, others than its
		 * own) */
		x->p++;
		if (x->utf8 && c >= 0x80) {
			while (x->p < x->end && (*x->p & 0xc0) == 0x80)
				x->p++;
			add_range(&s, 0x80, 0xff);
			can = meets(&s, x);
		} else
			can = literal(x, c);
	}
	if (x->unknown)
		return x->all;
	r = quantifier(x, &had);
	if (r == -1)
		x->unknown = 1;
	if (had && x->p < x->end) {
		/* a quantifier on a quantifier: how an engine reads it is
		 * not followed */
		const unsigned char *q = x->p;
		int had2;

		if (*x->p == '*' || *x->p == '+' || *x->p == '?' ||
		    (quantifier(x, &had2) != -1 && had2))
			x->unknown = 1;
		x->p = q;
	}
	return r == 1 ? x->all : can;
}

/* Items up to '|', ')' or the end: the sets each can match in. */
static unsigned
sequence(struct rx *x)
{
	unsigned can = x->all;

	while (x->p < x->end && *x->p != '|' && *x->p != ')' && !x->unknown)
		can &= item(x);
	return can;
}

/* Branches up to ')' or the end: the sets one can match in. */
static unsigned
alternation(struct rx *x)
{
	unsigned can = sequence(x);

	while (x->p < x->end && *x->p == '|' && !x->unknown) {
		x->p++;
		can |= sequence(x);
	}
	return can;
}

unsigned
rx_may_match_sets(const char *expr, size_t len, unsigned flags,
    const struct rx_bytes *in, unsigned nin)
{
	struct rx x;
	unsigned can;

	if (nin > RX_SETS_MAX)
		nin = RX_SETS_MAX;
	memset(&x, 0, sizeof(x));
	x.p = (const unsigned char *)expr;
	x.end = x.p + len;
	x.in = in;
	x.nin = nin;
	x.all = (1u << nin) - 1;
	x.utf8 = (flags & HS_FLAG_UTF8) != 0;
	x.dotall = (flags & HS_FLAG_DOTALL) != 0;
	can = alternation(&x);
	if (x.unknown || x.p != x.end)
		return x.all; /* an unmatched ')' or what was not read */
	return can;
}

int
rx_may_match(
    const char *expr, size_t len, unsigned flags, const struct rx_bytes *in)
{
	return (int)rx_may_match_sets(expr, len, flags, in, 1);
}
