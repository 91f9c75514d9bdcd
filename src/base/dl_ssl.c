/*
 * dl_ssl.c - the libssl (OpenSSL 3) functions sakimori calls, loaded at
 * their first call (see dynlib.h): the TLS client of "alert syslog"
 * (act/forward.c).  The few libcrypto functions it needs for the
 * certificate's name and the errors are taken through libssl's handle,
 * which reaches the libraries libssl depends on.  The declarations are
 * OpenSSL's own, so a changed signature fails the build.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "base/dynlib.h"

#ifndef DL_SSL_SONAME
#define DL_SSL_SONAME "libssl.so.3"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define SSL_FUNCS(X, V)                                                        \
	X(unsigned long, ERR_get_error, (void), ())                            \
	V(ERR_error_string_n, (unsigned long e, char *buf, size_t len),        \
	    (e, buf, len))                                                     \
	X(int, SSL_connect, (SSL *ssl), (ssl))                                 \
	X(long, SSL_CTX_ctrl, (SSL_CTX *ctx, int cmd, long larg, void *parg),  \
	    (ctx, cmd, larg, parg))                                            \
	V(SSL_CTX_free, (SSL_CTX *ctx), (ctx))                                 \
	X(int, SSL_CTX_load_verify_locations,                                  \
	    (SSL_CTX *ctx, const char *CAfile, const char *CApath),            \
	    (ctx, CAfile, CApath))                                             \
	X(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *meth), (meth))            \
	X(int, SSL_CTX_set_default_verify_paths, (SSL_CTX *ctx), (ctx))        \
	V(SSL_CTX_set_verify, (SSL_CTX *ctx, int mode, SSL_verify_cb cb),      \
	    (ctx, mode, cb))                                                   \
	X(long, SSL_ctrl, (SSL *ssl, int cmd, long larg, void *parg),          \
	    (ssl, cmd, larg, parg))                                            \
	V(SSL_free, (SSL *ssl), (ssl))                                         \
	X(X509_VERIFY_PARAM *, SSL_get0_param, (SSL *ssl), (ssl))              \
	X(int, SSL_get_error, (const SSL *s, int ret_code), (s, ret_code))     \
	X(long, SSL_get_verify_result, (const SSL *ssl), (ssl))                \
	X(SSL_SESSION *, SSL_get_session, (const SSL *ssl), (ssl))             \
	X(int, SSL_SESSION_is_resumable, (const SSL_SESSION *s), (s))          \
	X(int, SSL_version, (const SSL *ssl), (ssl))                           \
	X(SSL *, SSL_new, (SSL_CTX *ctx), (ctx))                               \
	X(int, SSL_read, (SSL *ssl, void *buf, int num), (ssl, buf, num))      \
	X(int, SSL_set1_host, (SSL *s, const char *hostname), (s, hostname))   \
	X(int, SSL_set_fd, (SSL *s, int fd), (s, fd))                          \
	X(int, SSL_shutdown, (SSL *s), (s))                                    \
	X(int, SSL_write, (SSL *ssl, const void *buf, int num),                \
	    (ssl, buf, num))                                                   \
	X(const SSL_METHOD *, TLS_client_method, (void), ())                   \
	X(int, X509_VERIFY_PARAM_set1_ip_asc,                                  \
	    (X509_VERIFY_PARAM *param, const char *ipasc), (param, ipasc))     \
	X(const char *, X509_verify_cert_error_string, (long n), (n))
/* clang-format on */

DYNLIB_DEFINE(SSL_FUNCS, DL_SSL_SONAME, "libssl3", ssl);
DYNLIB_FORWARD(SSL_FUNCS)
