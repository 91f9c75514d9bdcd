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

#endif
