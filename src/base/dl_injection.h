/*
 * dl_injection.h - libinjection's detectors as libmodsecurity3 exports
 * them (dl_injection.c), loaded at their first call; ask
 * dynlib_require(DYNLIB_INJECTION) before the first one.
 */
#ifndef BASE_DL_INJECTION_H
#define BASE_DL_INJECTION_H

#include <stddef.h>

/* The fingerprint buffer libinjection_sqli fills (five tokens and a NUL,
 * with room to spare as ModSecurity gives it). */
#define LIBINJECTION_FINGERPRINT 8

/* 1 when s looks like SQL injection; fingerprint gets its token types. */
int libinjection_sqli(const char *s, size_t slen, char fingerprint[]);

/* 1 when s looks like cross-site scripting in any HTML context. */
int libinjection_xss(const char *s, size_t slen);

/*
 * libinjection_sqli's verdict with the answers of its keyword table kept:
 * the tokenizer looks up each word of a text (a binary search of some
 * 9,000 keywords, a third of its time), and the answer is a function of
 * the word alone, so a word looked up before is answered from the table
 * of w (INJECTION_WORDS slots, one word each; a word that lands on a
 * taken slot replaces it).  The verdict is libinjection_sqli's, always:
 * only where the library's state would not fit w does it call
 * libinjection_sqli itself (see dl_injection.c).
 */
#define INJECTION_WORDS 4096
struct injection_words;

/* NULL when out of memory; loads nothing. */
struct injection_words *injection_words_new(void);
void injection_words_free(struct injection_words *w);
int injection_sqli(struct injection_words *w, const char *s, size_t slen);
/* Lookups answered from the table and made by the library, so far. */
void injection_words_counts(const struct injection_words *w,
    unsigned long *hits, unsigned long *misses);

#endif
