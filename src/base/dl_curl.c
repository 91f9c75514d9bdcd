/*
 * dl_curl.c - the libcurl functions sakimori calls (the fleet commands
 * asking Prometheus's HTTP API), loaded from libcurl at their first call
 * (see dynlib.h).  libcurl maps a TLS library and more behind it, which
 * only the fleet commands need.  The declarations are libcurl's own, so
 * a changed signature fails the build.
 */
#include <stdarg.h>
#include <stddef.h>

/* curl.h wraps curl_easy_setopt and curl_easy_getinfo in type-checking
 * macros; this file defines the functions themselves. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "base/dynlib.h"

#ifndef DL_CURL_SONAME
#define DL_CURL_SONAME "libcurl.so.4"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define CURL_FUNCS(X, V)                                                       \
	X(CURL *, curl_easy_init, (void), ())                                  \
	X(CURLcode, curl_easy_perform, (CURL *c), (c))                         \
	V(curl_easy_cleanup, (CURL *c), (c))                                   \
	X(const char *, curl_easy_strerror, (CURLcode e), (e))                 \
	X(char *, curl_easy_escape, (CURL *c, const char *s, int n),           \
	    (c, s, n))                                                         \
	V(curl_free, (void *p), (p))
/* The variadic two, forwarded by hand below. */
#define CURL_ALL(X, V)                                                         \
	CURL_FUNCS(X, V)                                                       \
	X(CURLcode, curl_easy_setopt, (), ())                                  \
	X(CURLcode, curl_easy_getinfo, (), ())
/* clang-format on */

DYNLIB_DEFINE(CURL_ALL, DL_CURL_SONAME, "libcurl4", curl);
DYNLIB_FORWARD(CURL_FUNCS)

/* The argument's type follows from the option's number (curl.h's
 * CURLOPTTYPE_*): a long, a pointer, a function or a curl_off_t. */
CURLcode
curl_easy_setopt(CURL *c, CURLoption o, ...)
{
	CURLcode (*f)(
	    CURL *, CURLoption, ...) = (CURLcode(*)(CURL *, CURLoption, ...))
	    dynlib_fns_[(dynlib_need(dynlib_this_), DYNLIB_I_curl_easy_setopt)];
	CURLcode r;
	va_list ap;

	va_start(ap, o);
	if (o < CURLOPTTYPE_OBJECTPOINT)
		r = f(c, o, va_arg(ap, long));
	else if (o < CURLOPTTYPE_FUNCTIONPOINT)
		r = f(c, o, va_arg(ap, void *));
	else if (o < CURLOPTTYPE_OFF_T)
		r = f(c, o, va_arg(ap, void (*)(void)));
	else if (o < CURLOPTTYPE_BLOB)
		r = f(c, o, va_arg(ap, curl_off_t));
	else
		r = f(c, o, va_arg(ap, void *));
	va_end(ap);
	return r;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *c, CURLINFO i, ...)
{
	CURLcode (*f)(CURL *, CURLINFO, ...) =
	    (CURLcode(*)(CURL *, CURLINFO, ...))dynlib_fns_[(
	        dynlib_need(dynlib_this_), DYNLIB_I_curl_easy_getinfo)];
	CURLcode r;
	va_list ap;

	va_start(ap, i);
	r = f(c, i, va_arg(ap, void *));
	va_end(ap);
	return r;
}
