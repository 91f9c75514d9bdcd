/*
 * dl_injection.c - libinjection's two detectors, the SQL-injection and
 * XSS tokenisers behind ModSecurity's @detectSQLi and @detectXSS, taken
 * from libmodsecurity3 at their first call (see dynlib.h).
 *
 * libmodsecurity3 builds its own copy of libinjection into the library
 * and exports its functions, though ModSecurity's headers do not declare
 * them: the declarations below are libinjection's public C API
 * (libinjection.h and libinjection_sqli.h), unchanged since its version
 * 3.  Relying on them is sound because a library without them costs
 * nothing but those rules: the Core Rule Set's translation asks
 * dynlib_require first (or, where
 * the cache says which file an earlier run loaded and it is still there,
 * dynlib_expect, the load left to the first call), and when
 * libmodsecurity3 is missing or no longer exports the symbols, the rules
 * that need them are listed as not translated and everything else runs.
 * The package is in Debian stable with security support, so the
 * detectors are the ones ModSecurity itself uses, kept up to date.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/dl_injection.h"
#include "base/dynlib.h"

/* libinjection_sqli.h's state, which sakimori never looks into: it
 * lives at the start of struct injection_words (see there). */
struct libinjection_sqli_state;
typedef char (*injection_lookup_fn)(
    struct libinjection_sqli_state *, int, const char *, size_t);
#define LOOKUP_FINGERPRINT 4 /* libinjection_sqli.h's enum lookup_type */
void libinjection_sqli_init(
    struct libinjection_sqli_state *st, const char *s, size_t slen, int flags);
void libinjection_sqli_callback(
    struct libinjection_sqli_state *st, injection_lookup_fn fn, void *userdata);
int libinjection_is_sqli(struct libinjection_sqli_state *st);
char libinjection_sqli_lookup_word(
    struct libinjection_sqli_state *st, int type, const char *word, size_t len);
int libinjection_sqli_blacklist(struct libinjection_sqli_state *st);

#ifndef DL_INJECTION_SONAME
#define DL_INJECTION_SONAME "libmodsecurity.so.3"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define INJECTION_FUNCS(X, V)                                                  \
	X(int, libinjection_sqli,                                              \
	    (const char *s, size_t slen, char fingerprint[]),                  \
	    (s, slen, fingerprint))                                            \
	X(int, libinjection_xss, (const char *s, size_t slen), (s, slen))      \
	V(libinjection_sqli_init,                                              \
	    (struct libinjection_sqli_state *st, const char *s, size_t slen,   \
	        int flags),                                                    \
	    (st, s, slen, flags))                                              \
	V(libinjection_sqli_callback,                                          \
	    (struct libinjection_sqli_state *st, injection_lookup_fn fn,       \
	        void *userdata),                                               \
	    (st, fn, userdata))                                                \
	X(int, libinjection_is_sqli, (struct libinjection_sqli_state *st),     \
	    (st))                                                              \
	X(char, libinjection_sqli_lookup_word,                                 \
	    (struct libinjection_sqli_state *st, int type, const char *word,   \
	        size_t len),                                                   \
	    (st, type, word, len))                                             \
	X(int, libinjection_sqli_blacklist,                                    \
	    (struct libinjection_sqli_state *st), (st))
/* clang-format on */

DYNLIB_DEFINE(
    INJECTION_FUNCS, DL_INJECTION_SONAME, "libmodsecurity3", injection);
DYNLIB_FORWARD(INJECTION_FUNCS)

/*
 * The keyword table.  libinjection_sqli(s) is libinjection_sqli_init (the
 * state zeroed, its lookup the library's) and libinjection_is_sqli; the
 * state's size is the library's business, so sakimori measures it once:
 * init on a buffer of STATE_PROBE bytes filled with a pattern zeroes the
 * state whole, and the last byte it changed is the state's end.  A state
 * that fits STATE_ROOM is then made in w->state, the first member, so
 * that the lookup the library calls with it finds w; a larger one (a
 * libinjection sakimori has not seen) and every text go to
 * libinjection_sqli.  Words longer than WORD_MAX bytes go to the
 * library's lookup every time.
 */
#define STATE_ROOM 2048
#define STATE_PROBE 65536
#define WORD_MAX 30

struct word {
	uint8_t len; /* the word's length + 1; 0: empty slot */
	uint8_t type;
	char answer;
	char w[WORD_MAX];
};

struct injection_words {
	_Alignas(64) unsigned char state[STATE_ROOM];
	int fits; /* -1: not measured yet, 0: too large, 1: fits */
	unsigned long hits, misses;
	struct word slot[INJECTION_WORDS];
};

struct injection_words *
injection_words_new(void)
{
	struct injection_words *w = calloc(1, sizeof(*w));

	if (w != NULL)
		w->fits = -1;
	return w;
}

void
injection_words_free(struct injection_words *w)
{
	free(w);
}

void
injection_words_counts(
    const struct injection_words *w, unsigned long *hits, unsigned long *misses)
{
	*hits = w->hits;
	*misses = w->misses;
}

static int
state_fits(void)
{
	unsigned char *b = malloc(STATE_PROBE);
	size_t end = 0;

	if (b == NULL)
		return -1; /* measured again next time */
	memset(b, 0xa5, STATE_PROBE);
	libinjection_sqli_init(
	    (struct libinjection_sqli_state *)(void *)b, "", 0, 0);
	for (size_t i = 0; i < STATE_PROBE; i++)
		if (b[i] != 0xa5)
			end = i + 1;
	free(b);
	return end > 0 && end <= STATE_ROOM;
}

/*
 * The answer to a lookup, from the table or made and kept.  A word's is
 * its keyword type.  A fingerprint's (its token types) is whether the
 * state is SQL injection, blacklist && whitelist: the blacklist's part
 * (the fingerprint is one of the library's) depends on the fingerprint
 * alone and is what the table keeps; one that is not on it answers no,
 * one that is goes to the library for the whole answer.
 */
static char
lookup(
    struct libinjection_sqli_state *st, int type, const char *word, size_t len)
{
	struct injection_words *w = (struct injection_words *)(void *)st;
	struct word *e;
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)type;
	int fp = type == LOOKUP_FINGERPRINT;

	if (len > WORD_MAX)
		return libinjection_sqli_lookup_word(st, type, word, len);
	for (size_t i = 0; i < len; i++) /* FNV-1a */
		h = (h ^ (unsigned char)word[i]) * 0x100000001b3ULL;
	e = &w->slot[(h ^ h >> 32) & (INJECTION_WORDS - 1)];
	if (e->len == len + 1 && e->type == (uint8_t)type &&
	    memcmp(e->w, word, len) == 0)
		w->hits++;
	else {
		w->misses++;
		e->answer = fp
		    ? (char)libinjection_sqli_blacklist(st)
		    : libinjection_sqli_lookup_word(st, type, word, len);
		e->len = (uint8_t)(len + 1);
		e->type = (uint8_t)type;
		memcpy(e->w, word, len);
	}
	if (fp && e->answer)
		return libinjection_sqli_lookup_word(st, type, word, len);
	return e->answer;
}

int
injection_sqli(struct injection_words *w, const char *s, size_t slen)
{
	struct libinjection_sqli_state *st;
	char fp[LIBINJECTION_FINGERPRINT];

	if (w != NULL && w->fits == -1)
		w->fits = state_fits();
	if (w == NULL || w->fits != 1)
		return libinjection_sqli(s, slen, fp);
	st = (struct libinjection_sqli_state *)(void *)w->state;
	libinjection_sqli_init(st, s, slen, 0);
	libinjection_sqli_callback(st, lookup, NULL);
	return libinjection_is_sqli(st);
}
