/*
 * test_rxbytes.c - rx_may_match (rxbytes.h): its answers on expressions
 * written for the purpose, each with its reason; its soundness against
 * PCRE2 on the expressions of sakimori's rules and of the OWASP Core Rule
 * Set as sakimori translates it (wherever PCRE2 finds a match in a text
 * of the fixtures, or in a text of the bytes of a set, the bytes of the
 * matched text are enough for rx_may_match to say 1); and that it does
 * leave expressions out for the sets sig.c scans apart.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>
#include <hs/hs.h>
#include <pcre2.h>

#include "attack/crs.h"
#include "attack/crs_tfn.h"
#include "attack/ruleset.h"
#include "attack/rxbytes.h"
#include "attack/sig.h"
#include "base/cur.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/hash.h"
#include "base/mem.h"

#define RULES_DIR FIXTURES "/../../rules"

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LETTERS LOWER UPPER
#define DIGITS "0123456789"
#define ALNUM LETTERS DIGITS
#define PATH ALNUM "_./-"
#define UA PATH " ();:,+"

#define CL HS_FLAG_CASELESS
#define DA HS_FLAG_DOTALL
#define U8 HS_FLAG_UTF8
#define UCP HS_FLAG_UCP

/* The sets sig.c may scan apart, as in the brief of rxbytes.h. */
static const struct {
	const char *name, *chars;
} sets[] = {
    {"letters+digits", ALNUM},
    {"path", PATH},
    {"user-agent", UA},
};
#define NSETS countof(sets)

static struct rx_bytes
set_of(const char *s, size_t n)
{
	struct rx_bytes b = {{0}};

	for (size_t i = 0; i < n; i++)
		rx_bytes_add(&b, (unsigned char)s[i]);
	return b;
}

/* [s, s+n) with its bytes outside printable ASCII as \xNN, cut to fit. */
static const char *
shown(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, cap - k, "\\x%02x", c);
	}
	if (k + 8 >= cap && cap > 4)
		memcpy(out + k, "...", 4);
	else
		out[k] = '\0';
	return out;
}

/* [s, s+n)'s bytes as a set, shown. */
static const char *
shown_set(const struct rx_bytes *b, char *out, size_t cap)
{
	char s[256];
	size_t n = 0;

	for (unsigned c = 0; c < 256; c++)
		if (rx_bytes_has(b, (unsigned char)c))
			s[n++] = (char)c;
	return shown(s, n, out, cap);
}

struct rx_case {
	const char *expr;
	size_t len;
	unsigned flags;
	const char *set;
	size_t nset;
	int want;
	const char *why;
};

/* An expression, its flags, the set (both may hold NULs), the answer. */
#define RX(e, fl, s, w, why)                                                   \
	{                                                                      \
		e, sizeof(e) - 1, fl, s, sizeof(s) - 1, w, why                 \
	}

static const struct rx_case cases[] = {
    /* literals, sequences, alternations */
    RX("<script", 0, ALNUM, 0, "'<' is neither a letter nor a digit"),
    RX("a+b", 0, "ab", 1, "\"ab\""),
    RX("select", 0, "selc", 0, "no 't'"),
    RX("a|<", 0, LETTERS, 1, "one branch is enough"),
    RX("(?:<|>)x", 0, LETTERS, 0, "both branches need a sign"),
    RX("(?:<|>)?x", 0, LETTERS, 1, "the group may be left out"),
    RX("(?:a|b<)c", 0, "ac", 1, "\"ac\""),
    RX("(?:a|b<)c", 0, "bc", 0, "'a' or '<' before the 'c'"),
    RX("((a|<)b)+", 0, "ab", 1, "\"ab\""),
    RX("((<|>)b)+c", 0, "bc", 0, "the group is needed once"),
    RX("<|", 0, "", 1, "an empty branch matches the empty text"),
    RX("(<|)", 0, LETTERS, 1, "an empty branch"),
    RX("etc/passwd", 0, ALNUM, 0, "'/'"),
    RX("etc/passwd", 0, PATH, 1, "a path"),
    RX("%[0-9a-f]{2}", 0, PATH, 0, "'%'"),
    RX("(?:\\.\\./)+", 0, ALNUM, 0, "'.' and '/'"),
    RX("(?:\\.\\./)+", 0, PATH, 1, "\"../\""),
    RX("union\\s+select", CL, LETTERS, 0, "\\s+ needs a space"),
    RX("union\\s+select", CL, LETTERS " ", 1, "\"union select\""),
    RX("select.*from", DA | CL, LETTERS, 1, "\"selectfrom\""),
    /* the empty match, the empty set */
    RX("x?", 0, ALNUM, 1, "matches the empty text"),
    RX("x?", 0, "", 1, "the empty text is a text of any set"),
    RX("x?", 0, "<", 1, "the empty text"),
    RX(".", 0, "", 0, "no byte at all"),
    RX(".", DA, "", 0, "no byte at all"),
    RX("a*", 0, "", 1, "zero a's"),
    RX("a*<?", 0, "", 1, "both may be left out"),
    RX("^$", 0, "", 1, "the empty text"),
    RX("\\A\\z", 0, "", 1, "the empty text"),
    RX("", 0, "", 1, "the empty expression"),
    RX("()", 0, "", 1, "an empty group"),
    RX("(?:)", 0, "", 1, "an empty group"),
    /* case: a letter stands for both of its cases whatever the flags */
    RX("(?i)select", 0, LOWER, 1, "(?i)"),
    RX("SELECT", CL, LOWER, 1, "HS_FLAG_CASELESS"),
    RX("SELECT", 0, LOWER, 1, "both cases even case-sensitively"),
    RX("select", 0, UPPER, 1, "both cases even case-sensitively"),
    RX("(?-i)Select", 0, LOWER, 1, "both cases even with (?-i)"),
    RX("(?i:A)", 0, "a", 1, "(?i:...)"),
    RX("[a-c]", 0, "B", 1, "a class's letters in both cases"),
    RX("[A-Z]", 0, LOWER, 1, "a class's letters in both cases"),
    RX("\\x41", 0, "a", 1, "an escaped letter in both cases"),
    RX("[^a]", 0, "a", 0, "the only byte is the one left out"),
    RX("[^a]", 0, "A", 1, "case-sensitively [^a] takes 'A'"),
    RX("[^a-z]", 0, UPPER, 1, "case-sensitively [^a-z] takes 'A'"),
    /* class escapes */
    RX("\\d{3}", 0, LETTERS, 0, "a digit"),
    RX("\\d{3}", 0, DIGITS, 1, "\"123\""),
    RX("\\d{0,3}x", 0, "x", 1, "zero digits"),
    RX("\\s", 0, ALNUM, 0, "a space"),
    RX("\\s", 0, " ", 1, "' '"),
    RX("\\s", 0, "\v", 1, "PCRE2's \\s takes VT"),
    RX("\\h", 0, "\t", 1, "a tab"),
    RX("\\v", 0, "\n", 1, "a newline"),
    RX("\\v", 0, LETTERS, 0, "a vertical space"),
    RX("\\R", 0, "\r", 1, "a line break"),
    RX("\\w", 0, "_", 1, "'_' is a word byte"),
    RX("\\w", 0, "<", 0, "'<' is not"),
    RX("\\W", 0, ALNUM "_", 0, "only word bytes"),
    RX("\\D", 0, DIGITS, 0, "only digits"),
    RX("\\S", 0, " \t", 0, "only spaces"),
    RX("\\p{L}", 0, LETTERS, 1, "a property: a letter"),
    RX("\\X", 0, "a", 1, "an extended grapheme"),
    /* character escapes */
    RX("\\x3c", 0, "<", 1, "\\x3c is '<'"),
    RX("\\x3c", 0, LETTERS, 0, "\\x3c is '<'"),
    RX("\\x{3c}", 0, LETTERS, 0, "\\x{3c} is '<'"),
    RX("\\x{3C}", 0, "<", 1, "\\x{3C} is '<'"),
    RX("\\074", 0, "<", 1, "octal"),
    RX("\\074", 0, LETTERS, 0, "octal '<'"),
    RX("\\o{74}", 0, "<", 1, "octal"),
    RX("\\xe9", 0, "\xe9", 1, "a byte from 0x80"),
    RX("\\e", 0, LETTERS, 0, "escape"),
    RX("\\t", 0, "\t", 1, "a tab"),
    RX("\\n", 0, LETTERS, 0, "a newline"),
    RX("\\cA", 0, "\x01", 1, "control-A"),
    RX("\\ca", 0, "\x01", 1, "control-A"),
    RX("\\cA", 0, LETTERS, 0, "control-A"),
    RX("\\.", 0, ALNUM, 0, "a dot"),
    RX("\\.", 0, ".", 1, "a dot"),
    RX("\\/", 0, "/", 1, "an escaped sign is itself"),
    RX("\\0", 0, LETTERS, 0, "NUL"),
    RX("\\0", 0, "\0", 1, "NUL"),
    RX("a\\12", 0, "a\n", 1, "\\12 without 12 groups: octal, '\\n'"),
    /* classes */
    RX("[]a]", 0, "]", 1, "']' first is a literal"),
    RX("[]a]", 0, "b", 0, "']' or 'a'"),
    RX("[^]a]", 0, "]a", 0, "anything but ']' and 'a'"),
    RX("[^]a]", 0, "b", 1, "'b'"),
    RX("[a-]", 0, "-", 1, "'-' last is a literal"),
    RX("[\\]]", 0, "]", 1, "an escaped ']'"),
    RX("[<>]+", 0, LETTERS, 0, "a sign"),
    RX("[\\x00-\\x08]", 0, ALNUM, 0, "a control byte"),
    RX("[\\x00-\\x08]", 0, "\x05", 1, "in the range"),
    RX("[\\d<]", 0, DIGITS, 1, "a digit"),
    RX("[\\b]", 0, "\b", 1, "in a class \\b is a backspace"),
    RX("[\\Q]\\E]", 0, "]", 1, "a quoted ']'"),
    RX("[^x]", 0, "\n", 1, "a negated class takes '\\n'"),
    /* outside UTF-8 (and without UCP) \w, \s and the POSIX classes are
     * ASCII: a negated class holding them takes the bytes from 0x80 */
    RX("\\W", 0, "\xe9", 1, "0xe9 is no word byte"),
    RX("[^\\w]", 0, "\xe9", 1, "0xe9 is no word byte"),
    RX("[^\\w&=.,:-]", DA | CL, "\xe9", 1, "rule 100053's class"),
    RX("[^\\s]", 0, "\xa0", 1, "0xa0 is no space"),
    RX("[^[:alpha:]]", 0, "\xe9", 1, "0xe9 is no letter"),
    RX("[^[:alnum:]_]", 0, "\xff", 1, "0xff is no letter"),
    RX("[^\\h]", 0, "\x94", 1, "0x94 is no space"),
    RX("[^\\v]", 0, "\x94", 1, "0x94 is no line break"),
    RX("[^\\p{L}]", 0, "1", 1, "a digit is no letter"),
    /* a range's end written in \Q...\E, or after an empty one */
    RX("[\\Q<\\E-[]", 0, "A", 1, "'<'-'[' takes 'A'"),
    RX("[<\\Q\\E-[]", 0, "A", 1, "'<'-'[' takes 'A'"),
    RX("[<-\\Q[\\E]", 0, "A", 1, "'<'-'[' takes 'A'"),
    /* POSIX classes */
    RX("[[:digit:]]", 0, DIGITS, 1, "a digit"),
    RX("[[:digit:]]", 0, LETTERS, 0, "a digit"),
    RX("[[:^alpha:]]", 0, LETTERS, 0, "not a letter"),
    RX("[^[:alnum:]]", 0, ALNUM, 0, "not a letter or digit"),
    RX("[[:alpha:][:digit:]]", 0, "5", 1, "a digit"),
    RX("[[:punct:]]", 0, ALNUM, 0, "a sign"),
    RX("[[:punct:]]", 0, "<", 1, "'<'"),
    RX("[[:space:]]", 0, "\v", 1, "VT is a space"),
    RX("[[:upper:]]", 0, "a", 1, "both cases"),
    RX("[[:xdigit:]]", 0, "g", 0, "not a hex digit"),
    RX("[[:foo:]]", 0, "", 1, "an unknown class: cannot tell"),
    /* '.' and HS_FLAG_DOTALL */
    RX(".", 0, "\n", 0, "without HS_FLAG_DOTALL '.' leaves '\\n' out"),
    RX(".", DA, "\n", 1, "with HS_FLAG_DOTALL it takes it"),
    RX("(?s).", 0, "\n", 1, "(?s) is DOTALL inline"),
    RX("a.b", 0, "ab\n", 1, "'.' can take 'a'"),
    RX("\\N", 0, "a", 1, "\\N takes 'a'"),
    /* zero-width assertions and back references are taken as matching */
    RX("\\bunion\\b", 0, LETTERS, 1, "\\b"),
    RX("\\Bx\\B", 0, "x", 1, "\\B"),
    RX("(?=<)a", 0, "a", 1, "a lookahead"),
    RX("(?!a)b", 0, "b", 1, "a negative lookahead"),
    RX("(?<=<)a", 0, "a", 1, "a lookbehind"),
    RX("(?<!<)a", 0, "a", 1, "a negative lookbehind"),
    RX("(?=a)<", 0, "a", 0, "a lookahead brings no '<'"),
    RX("(a)\\1", 0, "a", 1, "a back reference"),
    RX("(<)\\1", 0, LETTERS, 0, "the group itself needs '<'"),
    RX("(?<n>a)\\k<n>", 0, "a", 1, "a named back reference"),
    RX("(?P<n>a)(?P=n)", 0, "a", 1, "a Python-style back reference"),
    RX("(a)\\g{-1}", 0, "a", 1, "a relative back reference"),
    RX("(a)\\g1", 0, "a", 1, "\\g1"),
    /* '{' as a literal, and quantifiers */
    RX("a{", 0, "a", 0, "'{' is a literal here"),
    RX("a{", 0, "a{", 1, "\"a{\""),
    RX("{x}", 0, "x{}", 1, "\"{x}\""),
    RX("{x}", 0, "x", 0, "braces around a letter are literals"),
    RX("x{a}", 0, "x", 0, "{a} is not a quantifier"),
    RX("a{1", 0, "a1", 0, "{1 without '}' is not a quantifier"),
    RX("a{1", 0, "a{1", 1, "\"a{1\""),
    RX("{", 0, "{", 1, "'{' alone"),
    RX("{", 0, LETTERS, 0, "'{' alone"),
    RX("a{2}", 0, "a", 1, "\"aa\""),
    RX("a{2,}", 0, "a", 1, "\"aa\""),
    RX("<{0}a", 0, "a", 1, "zero repetitions"),
    RX("<{0,2}a", 0, "a", 1, "zero repetitions"),
    RX("<{1,2}a", 0, "a", 0, "at least one '<'"),
    RX("a{,3}", 0, "a", 1, "PCRE2 10.43 reads {,3} as {0,3}"),
    RX("a++b", 0, "ab", 1, "possessive"),
    RX("a+?<", 0, "a", 0, "lazy, '<' still needed"),
    RX("a?+", 0, "", 1, "possessive, may be empty"),
    RX("(?>a|<)b", 0, "ab", 1, "an atomic group"),
    RX("(?:<)*x", 0, "x", 1, "zero '<'"),
    /* \Q...\E: not followed (where a quantifier after it goes, what a
     * range across it joins), so always 1 */
    RX("\\Q<\\E", 0, LETTERS, 1, "a quoted '<': not followed"),
    RX("\\Q<\\E", 0, "<", 1, "a quoted '<'"),
    RX("\\Q<", 0, "<", 1, "\\Q up to the end"),
    RX("\\Qa.b\\E", 0, "ab", 1, "a quoted '.': not followed"),
    RX("\\Qa.b\\E", 0, "a.b", 1, "\"a.b\""),
    RX("\\Q<\\E?", 0, "", 1, "the quantifier takes the quoted '<'"),
    RX("\\Qa<\\E?", 0, "a", 1, "only the last quoted byte is optional"),
    RX("\\Q<a\\E?", 0, "a", 1, "a quoted '<': not followed"),
    RX("a\\E{2}", 0, "a", 1, "\\E is nothing: \"aa\""),
    RX("<\\E{0}", 0, "", 1, "\\E is nothing: no '<'"),
    RX("<\\Q\\E{0}", 0, "", 1, "an empty \\Q\\E is nothing: no '<'"),
    /* groups, comments, options */
    RX("(?#<)a", 0, "a", 1, "a comment needs nothing"),
    RX("(?x) < a", 0, "<a", 1, "extended: the spaces are not needed"),
    RX("(?x)a#<\n", 0, "a", 1, "extended: '#' starts a comment"),
    RX("(a)?(?(1)b|c)", 0, "c", 1, "a condition's second branch"),
    RX("(a(?1)?b)", 0, "ab", 1, "recursion"),
    RX("(?|(a)|(<))", 0, "a", 1, "a branch reset"),
    RX("(*CRLF)a", 0, "a", 1, "a leading option"),
    RX("(?s:.)", 0, "\n", 1, "(?s:...)"),
    /* cut short or malformed: cannot tell */
    RX("(", 0, LETTERS, 1, "cut short"),
    RX("[a", 0, "", 1, "cut short"),
    RX("\\", 0, "", 1, "cut short"),
    RX("<(", 0, LETTERS, 1, "cut short after a '<'"),
    RX("<[", 0, LETTERS, 1, "cut short after a '<'"),
    RX("<\\", 0, LETTERS, 1, "cut short after a '<'"),
    RX("a)", 0, "", 1, "an unmatched ')'"),
    RX("*a", 0, "", 1, "nothing to repeat"),
    RX("a**", 0, "", 1, "a quantifier on a quantifier"),
    RX("(?<", 0, "", 1, "cut short"),
    RX("\\x{zz}", 0, "", 1, "malformed"),
    RX("[z-a]", 0, "", 1, "a range out of order"),
    RX("(?z)<", 0, "", 1, "an unknown option"),
    /* NULs, and only len bytes read */
    RX("a\0", 0, "a", 0, "a NUL is a byte of the expression"),
    RX("a\0", 0, "a\0", 1, "\"a\\0\""),
    {"a<", 1, 0, "a", 1, 1, "only len bytes: \"a\""},
    {"<", 0, 0, "", 0, 1, "nothing read: the empty expression"},
    /* UTF-8 */
    RX("\xc3\xa9", U8, "\xc3\xa9", 1, "\"é\""),
    RX("\xc3\xa9", U8, LETTERS, 0, "'é' is two bytes from 0x80"),
    RX(".", U8, "\xc3\xa9", 1, "'.' takes 'é'"),
    RX("[\xc3\xa9]", U8, "\xc3\xa9", 1, "a class of 'é'"),
    RX("\\x{e9}", U8, "\xc3\xa9", 1, "'é' in UTF-8"),
    RX("\\x{e9}", 0, "\xe9", 1, "byte 0xe9 outside UTF-8"),
    RX("[^\\x{91}]", U8, "\xc3\xa9", 1, "'é' is not U+0091"),
    RX("[^\xc3\xa9]", U8, "\xc3\xa8", 1, "'è' is not 'é'"),
    /* PCRE2 with PCRE2_UTF: caseless matching goes beyond ASCII */
    RX("\xc3\xa9", U8 | CL, "\xc3\x89", 1, "caselessly 'é' matches 'É'"),
    RX("k", U8 | CL, "\xe2\x84\xaa", 1, "caselessly 'k' matches U+212A"),
    RX("s", U8 | CL, "\xc5\xbf", 1, "caselessly 's' matches U+017F"),
    RX("\\N{U+3c}", U8, "<", 1, "\\N{U+3c} is '<' in UTF-8 mode"),
    /* with HS_FLAG_UCP (and PCRE2_UCP) \d, \w and \s go beyond ASCII */
    RX("\\d", U8 | UCP, "\xd9\xa0", 1, "U+0660 ARABIC-INDIC DIGIT ZERO"),
    RX("[^\\W]", U8 | UCP, "\xc3\xa9", 1, "'é' is a word character"),
    RX("[^\\S]", U8 | UCP, "\xc2\xa0", 1, "U+00A0 is a space"),
};

static void
table(void **state)
{
	unsigned bad = 0;

	(void)state;
	for (size_t i = 0; i < countof(cases); i++) {
		const struct rx_case *c = &cases[i];
		struct rx_bytes in = set_of(c->set, c->nset);
		int got = rx_may_match(c->expr, c->len, c->flags, &in);
		char e[256], s[256];

		if (got == c->want)
			continue;
		print_error(
		    "rx_may_match('%s', flags %#x, {%s}) = %d, want %d: "
		    "%s\n",
		    shown(c->expr, c->len, e, sizeof(e)), c->flags,
		    shown(c->set, c->nset, s, sizeof(s)), got, c->want, c->why);
		bad++;
	}
	if (bad > 0)
		fail_msg("%u of %zu cases", bad, countof(cases));
}

/*
 * rx_may_match_sets answers for each set what rx_may_match answers for it
 * alone: on every case of the table, its set among RX_SETS_MAX (the
 * empty set, every byte, the sets of sig.c, other cases' sets) at each
 * place in turn.
 */
static void
sets_at_once(void **state)
{
	struct rx_bytes in[RX_SETS_MAX];
	unsigned bad = 0;

	(void)state;
	assert_true(RX_SETS_MAX >= 2 + NSETS && RX_SETS_MAX < 32);
	for (size_t i = 0; i < countof(cases); i++) {
		const struct rx_case *c = &cases[i];
		unsigned at = (unsigned)(i % RX_SETS_MAX), m;

		memset(&in[0], 0, sizeof(in[0]));
		memset(&in[1], 0xff, sizeof(in[1]));
		for (unsigned k = 0; k < NSETS; k++)
			in[2 + k] =
			    set_of(sets[k].chars, strlen(sets[k].chars));
		for (unsigned k = 2 + NSETS; k < RX_SETS_MAX; k++) {
			const struct rx_case *o =
			    &cases[(i * 7 + k) % countof(cases)];

			in[k] = set_of(o->set, o->nset);
		}
		in[at] = set_of(c->set, c->nset);
		m = rx_may_match_sets(
		    c->expr, c->len, c->flags, in, RX_SETS_MAX);
		for (unsigned k = 0; k < RX_SETS_MAX; k++) {
			int one =
			    rx_may_match(c->expr, c->len, c->flags, &in[k]);
			char e[256], b[600];

			if ((int)((m >> k) & 1) == one)
				continue;
			print_error(
			    "rx_may_match_sets('%s', flags %#x): set %u "
			    "{%s} %u, alone %d\n",
			    shown(c->expr, c->len, e, sizeof(e)), c->flags, k,
			    shown_set(&in[k], b, sizeof(b)), (m >> k) & 1, one);
			bad++;
		}
		if ((m >> RX_SETS_MAX) != 0)
			fail_msg("rx_may_match_sets: bits beyond its sets");
		m = rx_may_match_sets(c->expr, c->len, c->flags, in, 1);
		if (m != (unsigned)rx_may_match(c->expr, c->len, c->flags, in))
			fail_msg("rx_may_match_sets: one set, %u", m);
		if (rx_may_match_sets(c->expr, c->len, c->flags, in, 0) != 0)
			fail_msg("rx_may_match_sets: no set, not 0");
	}
	if (bad > 0)
		fail_msg("%u answers differ", bad);
}

/*
 * The expressions: sakimori's own rules' patterns and every scanned
 * expression of the CRS as sig.c gives them to Hyperscan, each with its
 * PCRE2 code.
 */
#define SEEN_MAX 48

struct rxe {
	char *s;
	size_t len;
	unsigned flags;
	uint32_t id;
	int crs;
	int k;          /* \K: a match may start after what it needed */
	pcre2_code *re; /* NULL: PCRE2 does not compile it */
	/* the witness sets already checked */
	struct rx_bytes seen[SEEN_MAX];
	unsigned nseen;
	int failed;      /* reported once */
	int witnessed;   /* PCRE2 found a match */
	int zero[NSETS]; /* rx_may_match over sets[i] said 0 */
};

struct rxes {
	struct rxe *e;
	size_t n, cap;
	size_t own, crs, nocompile;
};

/* PCRE2's options for Hyperscan's flags (as crs.c compiles them). */
static uint32_t
pcre2_options(unsigned flags)
{
	return ((flags & HS_FLAG_DOTALL) ? PCRE2_DOTALL : 0) |
	    ((flags & HS_FLAG_CASELESS) ? PCRE2_CASELESS : 0) |
	    ((flags & HS_FLAG_MULTILINE) ? PCRE2_MULTILINE : 0) |
	    ((flags & HS_FLAG_UTF8) ? PCRE2_UTF | PCRE2_MATCH_INVALID_UTF : 0) |
	    ((flags & HS_FLAG_UCP) ? PCRE2_UCP : 0) | PCRE2_DOLLAR_ENDONLY;
}

/* A limit on PCRE2's backtracking, in front of every expression. */
#define LIMIT "(*LIMIT_MATCH=1000000)"

static pcre2_code *
compile(const char *s, size_t len, unsigned flags)
{
	char *p = malloc(sizeof(LIMIT) + len);
	pcre2_code *re;
	PCRE2_SIZE eo;
	int ec;

	assert_non_null(p);
	memcpy(p, LIMIT, sizeof(LIMIT) - 1);
	memcpy(p + sizeof(LIMIT) - 1, s, len);
	re = pcre2_compile((PCRE2_SPTR)p, sizeof(LIMIT) - 1 + len,
	    pcre2_options(flags), &ec, &eo, NULL);
	free(p);
	if (re != NULL)
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void
rxes_add(struct rxes *x, const char *s, size_t len, unsigned flags, uint32_t id,
    int crs)
{
	struct rxe *e;

	assert_int_equal(mem_grow(&x->e, &x->cap, x->n + 1, sizeof(*x->e)), 0);
	e = &x->e[x->n++];
	memset(e, 0, sizeof(*e));
	assert_non_null(e->s = malloc(len + 1));
	memcpy(e->s, s, len);
	e->s[len] = '\0';
	e->len = len;
	e->flags = flags;
	e->id = id;
	e->crs = crs;
	e->k = memmem(s, len, "\\K", 2) != NULL;
	e->re = compile(s, len, flags);
	x->nocompile += e->re == NULL;
	if (crs)
		x->crs++;
	else
		x->own++;
}

struct crs_to {
	struct rxes *x;
	uint32_t id;
};

static int
crs_one(const char *e, size_t len, unsigned flags, void *arg)
{
	struct crs_to *to = arg;

	rxes_add(to->x, e, len, flags, to->id, 1);
	return 0;
}

/* 0, or -1 when the CRS is not installed. */
static int
rxes_load(struct rxes *x)
{
	struct attack_ruleset rs;
	struct crs_set cs;
	struct err err = {0};

	memset(x, 0, sizeof(*x));
	ruleset_init(&rs);
	if (ruleset_load_path(&rs, RULES_DIR, &err) == -1)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < rs.n; i++) {
		const struct attack_rule *r = &rs.r[i];

		if (r->pattern != NULL)
			rxes_add(x, r->pattern, strlen(r->pattern),
			    sig_rule_flags(r), r->id, 0);
	}
	ruleset_release(&rs);
	crs_set_init(&cs);
	if (crs_load_dir(&cs, CRS_DEFAULT_DIR, &err) == -1) {
		crs_set_release(&cs);
		return -1;
	}
	/* as sig.c compiles them */
	for (size_t i = 0; i < cs.n; i++) {
		struct crs_to to = {x, cs.r[i].id};

		(void)sig_crs_exprs(&cs.r[i], crs_one, &to);
	}
	crs_set_release(&cs);
	return 0;
}

static void
rxes_free(struct rxes *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->e[i].s);
		pcre2_code_free(x->e[i].re);
	}
	free(x->e);
}

/*
 * Texts, one after another in buf, each followed by '\n': text i is
 * [start[i], start[i + 1] - 1).  A table of the hashes of those in it
 * keeps each text once.
 */
struct corpus {
	const char *name;
	char *buf;
	size_t len, cap;
	size_t *start;
	size_t n, scap;
	uint64_t *seen;
	size_t nseen; /* slots, a power of two */
};

#define TEXT_MAX 4096

static void
corpus_add(struct corpus *c, const char *s, size_t n)
{
	uint64_t h;
	size_t i;

	if (n == 0 || n > TEXT_MAX)
		return;
	if (c->seen == NULL || 2 * c->n >= c->nseen) {
		uint64_t *old = c->seen;
		size_t nold = c->nseen;

		c->nseen = c->nseen ? 2 * c->nseen : 1024;
		assert_non_null(c->seen = calloc(c->nseen, sizeof(*c->seen)));
		for (size_t j = 0; j < nold; j++)
			if (old[j] != 0)
				for (i = old[j] & (c->nseen - 1);;
				     i = (i + 1) & (c->nseen - 1))
					if (c->seen[i] == 0) {
						c->seen[i] = old[j];
						break;
					}
		free(old);
	}
	h = hash_bytes(1, s, n) | 1;
	for (i = h & (c->nseen - 1); c->seen[i] != 0;
	     i = (i + 1) & (c->nseen - 1))
		if (c->seen[i] == h)
			return; /* (or another text of the same hash) */
	c->seen[i] = h;
	assert_int_equal(mem_grow(&c->buf, &c->cap, c->len + n + 1, 1), 0);
	assert_int_equal(
	    mem_grow(&c->start, &c->scap, c->n + 2, sizeof(size_t)), 0);
	c->start[c->n++] = c->len;
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len++] = '\n';
	c->start[c->n] = c->len;
}

static void
corpus_free(struct corpus *c)
{
	free(c->buf);
	free(c->start);
	free(c->seen);
}

/* A text, and it URL-decoded. */
static void
add_decoded(struct corpus *c, const char *s, size_t n)
{
	char d[CRS_TFN_OUT(TEXT_MAX)];

	if (n > TEXT_MAX)
		return;
	corpus_add(c, s, n);
	corpus_add(c, d, crs_tfn_apply(CRS_T_URLDECODEUNI, s, n, d));
}

/* Each line of the files of dir ending in suffix, its tab-separated
 * fields and its double-quoted parts (a log's request, agent,
 * referrer), each as it is and URL-decoded. */
static void
add_files(struct corpus *c, const char *dir, const char *suffix)
{
	char **names;
	size_t nn;
	struct err err = {0};

	if (attack_dir_names(dir, "", suffix, &names, &nn, &err) == -1)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < nn; i++) {
		char path[512], *l = NULL;
		size_t cap = 0;
		ssize_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_non_null(f = fopen(path, "r"));
		while ((n = getline(&l, &cap, f)) > 0) {
			const char *end = l + n - (l[n - 1] == '\n');

			add_decoded(c, l, (size_t)(end - l));
			for (const char *p = l; p < end;) {
				const char *tab =
				    memchr(p, '\t', (size_t)(end - p));
				size_t k = (size_t)((tab ? tab : end) - p);

				add_decoded(c, p, k);
				p += k + 1;
			}
			for (const char *p = l; p < end;) {
				const char *q =
				    memchr(p, '"', (size_t)(end - p));
				const char *r;

				if (q == NULL ||
				    (r = memchr(q + 1, '"',
				         (size_t)(end - q - 1))) == NULL)
					break;
				add_decoded(c, q + 1, (size_t)(r - q - 1));
				p = r + 1;
			}
		}
		free(l);
		fclose(f);
	}
	attack_names_free(names, nn);
}

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * The texts of set chars: the runs of those bytes in the texts of from,
 * and random texts of them (the same every run).
 */
static void
add_set_texts(struct corpus *c, const struct corpus *from, const char *chars)
{
	struct rx_bytes in = set_of(chars, strlen(chars));
	size_t nc = strlen(chars);
	uint64_t x = 88172645463325252ULL;
	char s[64];

	for (size_t i = 0; i < from->n; i++) {
		const char *p = from->buf + from->start[i];
		const char *end = from->buf + from->start[i + 1] - 1;

		while (p < end) {
			const char *q = p;

			while (q < end && rx_bytes_has(&in, (unsigned char)*q))
				q++;
			corpus_add(c, p, (size_t)(q - p));
			p = q + 1;
		}
	}
	for (unsigned i = 0; i < 2000; i++) {
		size_t n = 1 + xorshift(&x) % sizeof(s);

		for (size_t j = 0; j < n; j++)
			s[j] = chars[xorshift(&x) % nc];
		corpus_add(c, s, n);
	}
}

/* Random texts of any bytes (the same every run): for the classes that
 * leave bytes out. */
static void
add_random_bytes(struct corpus *c)
{
	uint64_t x = 2463534242ULL;
	char s[32];

	for (unsigned i = 0; i < 4000; i++) {
		size_t n = 1 + xorshift(&x) % sizeof(s);

		for (size_t j = 0; j < n; j++)
			s[j] = (char)(xorshift(&x) >> 24);
		corpus_add(c, s, n);
	}
}

struct tally {
	size_t matches;  /* witnesses PCRE2 gave */
	size_t pairs;    /* (expression, witness set) pairs checked */
	size_t limits;   /* PCRE2 stopped by its match limit */
	size_t failures; /* wrong 0s */
};

/* The witness [s, t) of a match of e in text [p, p+n): rx_may_match over
 * its bytes must say 1. */
static void
witness(struct rxe *e, const char *p, size_t n, size_t s, size_t t,
    struct tally *ty)
{
	struct rx_bytes b;
	unsigned i;

	if (s > t) { /* \K in a lookahead */
		size_t z = s;

		s = t;
		t = z;
	}
	if (e->k)
		s = 0; /* what \K let go of was needed too */
	(void)n;
	b = set_of(p + s, t - s);
	ty->matches++;
	for (i = 0; i < e->nseen; i++)
		if (memcmp(&e->seen[i], &b, sizeof(b)) == 0)
			return;
	if (e->nseen < SEEN_MAX)
		e->seen[e->nseen++] = b;
	ty->pairs++;
	if (rx_may_match(e->s, e->len, e->flags, &b) == 1)
		return;
	ty->failures++;
	if (!e->failed) {
		char ex[400], w[200], bs[200];

		e->failed = 1;
		print_error("wrong 0: rule %u, flags %#x, '%s' matches '%s' "
		            "(bytes {%s})\n",
		    (unsigned)e->id, e->flags,
		    shown(e->s, e->len, ex, sizeof(ex)),
		    shown(p + s, t - s, w, sizeof(w)),
		    shown_set(&b, bs, sizeof(bs)));
	}
}

/* Matches of one text, at most this many. */
#define TEXT_MATCHES 8

/*
 * Every match of e in every text of c that PCRE2's search of the whole
 * buffer leads to: the buffer is searched for the first text where a
 * match starts, that text alone then at each start of a match (up to
 * TEXT_MATCHES), then the buffer again from the next text.
 */
static void
scan(struct rxe *e, const struct corpus *c, pcre2_match_data *md,
    struct tally *ty)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	size_t off = 0;

	while (off < c->len) {
		size_t lo = 0, hi = c->n, i, n;
		const char *p;
		int rc = pcre2_match(
		    e->re, (PCRE2_SPTR)c->buf, c->len, off, 0, md, NULL);

		if (rc < 0) {
			ty->limits += rc == PCRE2_ERROR_MATCHLIMIT;
			break;
		}
		/* the text of the match's start */
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (c->start[mid] <= ov[0])
				lo = mid;
			else
				hi = mid;
		}
		i = lo;
		p = c->buf + c->start[i];
		n = c->start[i + 1] - 1 - c->start[i];
		for (size_t s = 0, k = 0; s <= n && k < TEXT_MATCHES; k++) {
			rc = pcre2_match(
			    e->re, (PCRE2_SPTR)p, n, s, 0, md, NULL);
			if (rc < 0) {
				ty->limits += rc == PCRE2_ERROR_MATCHLIMIT;
				break;
			}
			witness(e, p, n, ov[0], ov[1], ty);
			e->witnessed = 1;
			s = (ov[0] > s ? ov[0] : s) + 1;
		}
		off = c->start[i + 1];
	}
}

/* Each expression's text with its escapes \xNN and \<sign> undone: a
 * literal (a @pm phrase) then matches itself. */
static void
add_unescaped(struct corpus *c, const struct rxes *x)
{
	for (size_t i = 0; i < x->n; i++) {
		const char *p = x->e[i].s, *end = p + x->e[i].len;
		char t[TEXT_MAX];
		size_t n = 0;

		while (p < end && n < sizeof(t)) {
			if (p[0] == '\\' && end - p >= 4 && p[1] == 'x' &&
			    cur_hexval(p[2]) >= 0 && cur_hexval(p[3]) >= 0) {
				t[n++] = (char)(cur_hexval(p[2]) * 16 +
				    cur_hexval(p[3]));
				p += 4;
			} else if (p[0] == '\\' && end - p >= 2 &&
			    !(p[1] >= '0' && p[1] <= '9') &&
			    !(p[1] >= 'a' && p[1] <= 'z') &&
			    !(p[1] >= 'A' && p[1] <= 'Z')) {
				t[n++] = p[1];
				p += 2;
			} else
				t[n++] = *p++;
		}
		corpus_add(c, t, n);
	}
}

static void
load_corpora(struct corpus *c, const struct rxes *x)
{
	c[0].name = "fixtures";
	add_files(&c[0], FIXTURES "/attacks", ".log");
	add_files(&c[0], FIXTURES "/attacks", ".tsv");
	add_files(&c[0], FIXTURES "/logs/corpus/access", ".log");
	add_files(&c[0], FIXTURES "/logs/corpus/iis", ".log");
	for (size_t i = 0; i < NSETS; i++) {
		c[1 + i].name = sets[i].name;
		add_set_texts(&c[1 + i], &c[0], sets[i].chars);
	}
	c[1 + NSETS].name = "bytes";
	add_random_bytes(&c[1 + NSETS]);
	c[2 + NSETS].name = "the expressions unescaped";
	add_unescaped(&c[2 + NSETS], x);
}

/*
 * The strong test: for every expression of sakimori's rules and of the
 * CRS, every match PCRE2 finds in the texts (the lines of the attack and
 * log fixtures, their fields, URL-decoded too; texts of the bytes of each
 * set) is a witness: rx_may_match over the bytes of the matched text
 * says 1.  Then (the module is no constant 1) a good share of the CRS
 * expressions is left out over letters and digits, and no expression
 * left out over a set matches a text of that set.
 */
static void
witnesses(void **state)
{
	struct corpus c[3 + NSETS];
	struct tally ty = {0}, per[countof(c)];
	struct rxes x;
	pcre2_match_data *md;
	size_t texts = 0, bytes = 0, matched = 0, sets_bad = 0,
	       crs_zero[NSETS] = {0}, own_zero[NSETS] = {0}, zero_matched = 0;

	(void)state;
	if (dynlib_require(DYNLIB_PCRE2, NULL) == -1 ||
	    dynlib_require(DYNLIB_HS, NULL) == -1)
		skip();
	if (rxes_load(&x) == -1) {
		rxes_free(&x);
		skip(); /* no CRS installed */
	}
	memset(c, 0, sizeof(c));
	memset(per, 0, sizeof(per));
	load_corpora(c, &x);
	for (size_t i = 0; i < countof(c); i++) {
		texts += c[i].n;
		bytes += c[i].len;
	}
	assert_non_null(md = pcre2_match_data_create(1, NULL));
	for (size_t i = 0; i < x.n; i++) {
		struct rxe *e = &x.e[i];

		if (e->re == NULL)
			continue;
		for (size_t j = 0; j < countof(c); j++)
			scan(e, &c[j], md, &per[j]);
		matched += (size_t)e->witnessed;
	}
	for (size_t j = 0; j < countof(c); j++) {
		print_message("rxbytes: texts of %s: %zu texts, %zu matches, "
		              "%zu (expression, witness) pairs checked, %zu "
		              "wrong 0s\n",
		    c[j].name, c[j].n, per[j].matches, per[j].pairs,
		    per[j].failures);
		ty.matches += per[j].matches;
		ty.pairs += per[j].pairs;
		ty.limits += per[j].limits;
		ty.failures += per[j].failures;
	}
	print_message("rxbytes: %zu expressions (%zu of sakimori's rules, "
	              "%zu of the CRS; %zu PCRE2 does not compile), %zu texts "
	              "(%zu bytes): %zu matches, %zu (expression, witness) "
	              "pairs checked, %zu expressions matched, %zu searches "
	              "stopped at the match limit, %zu wrong 0s\n",
	    x.n, x.own, x.crs, x.nocompile, texts, bytes, ty.matches, ty.pairs,
	    matched, ty.limits, ty.failures);

	/* the answers over the sets, and over them and witness sets at
	 * once */
	for (size_t i = 0; i < x.n; i++) {
		struct rxe *e = &x.e[i];
		struct rx_bytes in[RX_SETS_MAX];
		unsigned nin = NSETS, m;

		for (size_t j = 0; j < NSETS; j++)
			in[j] = set_of(sets[j].chars, strlen(sets[j].chars));
		for (unsigned k = 0; k < e->nseen && nin < RX_SETS_MAX; k++)
			in[nin++] = e->seen[k];
		m = rx_may_match_sets(e->s, e->len, e->flags, in, nin);
		for (unsigned k = 0; k < nin; k++) {
			int one = rx_may_match(e->s, e->len, e->flags, &in[k]);
			char ex[400];

			if ((int)((m >> k) & 1) == one)
				continue;
			print_error("rule %u: '%s': rx_may_match_sets says %u "
			            "for set %u, rx_may_match %d\n",
			    (unsigned)e->id,
			    shown(e->s, e->len, ex, sizeof(ex)), (m >> k) & 1,
			    k, one);
			sets_bad++;
		}
		for (size_t j = 0; j < NSETS; j++) {
			struct tally none = {0};

			e->zero[j] = !((m >> j) & 1);
			if (!e->zero[j])
				continue;
			if (e->crs)
				crs_zero[j]++;
			else
				own_zero[j]++;
			if (e->re == NULL)
				continue;
			scan(e, &c[1 + j], md, &none);
			if (none.matches > 0) {
				char ex[400];

				print_error("rule %u: '%s' matches a text of "
				            "%s, left out over it\n",
				    (unsigned)e->id,
				    shown(e->s, e->len, ex, sizeof(ex)),
				    sets[j].name);
				zero_matched++;
			}
		}
	}
	for (size_t j = 0; j < NSETS; j++)
		print_message("rxbytes: over %s (%zu bytes), %zu of %zu CRS "
		              "expressions (%.0f%%) and %zu of %zu of "
		              "sakimori's cannot match\n",
		    sets[j].name, strlen(sets[j].chars), crs_zero[j], x.crs,
		    x.crs ? 100.0 * (double)crs_zero[j] / (double)x.crs : 0.0,
		    own_zero[j], x.own);
	pcre2_match_data_free(md);
	for (size_t i = 0; i < countof(c); i++)
		corpus_free(&c[i]);
	rxes_free(&x);

	/* thousands of witnesses, every one of them sound */
	assert_true(ty.pairs > 20000);
	assert_true(matched > 2000);
	assert_int_equal(ty.failures, 0);
	assert_int_equal(zero_matched, 0);
	assert_int_equal(sets_bad, 0);
	/* the CRS is mostly attacks on bytes a word does not have (94% of
	 * its expressions, 88% of sakimori's, were left out when written;
	 * over a path 8% and 50%, over an agent 5% and 32%) */
	assert_true(crs_zero[0] * 100 >= x.crs * 85);
	assert_true(own_zero[0] * 100 >= x.own * 75);
	assert_true(crs_zero[1] * 100 >= x.crs * 4);
	assert_true(own_zero[1] * 100 >= x.own * 30);
	assert_true(crs_zero[2] * 100 >= x.crs * 2);
	/* a wider set leaves no more out */
	assert_true(crs_zero[1] <= crs_zero[0] && crs_zero[2] <= crs_zero[1]);
	assert_true(crs_zero[2] > 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table),
	    cmocka_unit_test(sets_at_once),
	    cmocka_unit_test(witnesses),
	};

	if (argc > 1) /* a pattern: only the cases it names */
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
