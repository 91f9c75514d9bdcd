/*
 * dl_injection.c - libinjection's two detectors, the SQL-injection and
 * XSS tokenisers behind ModSecurity's @detectSQLi and @detectXSS, taken
 * from libmodsecurity3 at their first call (see dynlib.h).
 *
 * libmodsecurity3 builds its own copy of libinjection into the library
 * and exports its functions, though ModSecurity's headers do not declare
 * them: the declarations below are libinjection's public C API
 * (libinjection.h), unchanged since its version 3.  Relying on them is
 * sound because a library without them costs nothing but those rules:
 * the Core Rule Set's translation asks dynlib_require first (or, where
 * the cache says which file an earlier run loaded and it is still there,
 * dynlib_expect, the load left to the first call), and when
 * libmodsecurity3 is missing or no longer exports the symbols, the rules
 * that need them are listed as not translated and everything else runs.
 * The package is in Debian stable with security support, so the
 * detectors are the ones ModSecurity itself uses, kept up to date.
 */
#include <stddef.h>

#include "base/dl_injection.h"
#include "base/dynlib.h"

#ifndef DL_INJECTION_SONAME
#define DL_INJECTION_SONAME "libmodsecurity.so.3"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define INJECTION_FUNCS(X, V)                                                  \
	X(int, libinjection_sqli,                                              \
	    (const char *s, size_t slen, char fingerprint[]),                  \
	    (s, slen, fingerprint))                                            \
	X(int, libinjection_xss, (const char *s, size_t slen), (s, slen))
/* clang-format on */

DYNLIB_DEFINE(
    INJECTION_FUNCS, DL_INJECTION_SONAME, "libmodsecurity3", injection);
DYNLIB_FORWARD(INJECTION_FUNCS)
