/*
 * dl_crypto.c - the libcrypto (OpenSSL 3) functions sakimori calls, loaded
 * at their first call (see dynlib.h): SHA-256/512 and MD5 digests for
 * file integrity, the attack-rule cache and dpkg's records, Ed25519 keys
 * and signatures for baselines.  The declarations are OpenSSL's own, so a
 * changed signature fails the build.
 */
#include <stddef.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/dynlib.h"

#ifndef DL_CRYPTO_SONAME
#define DL_CRYPTO_SONAME "libcrypto.so.3"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define CRYPTO_FUNCS(X, V)                                                     \
	X(long, BIO_ctrl, (BIO *bp, int cmd, long larg, void *parg),           \
	    (bp, cmd, larg, parg))                                             \
	X(int, BIO_free, (BIO *a), (a))                                        \
	X(BIO *, BIO_new, (const BIO_METHOD *type), (type))                    \
	X(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len))      \
	X(const BIO_METHOD *, BIO_s_mem, (void), ())                           \
	X(int, EVP_Digest,                                                     \
	    (const void *data, size_t count, unsigned char *md,                \
	        unsigned int *size, const EVP_MD *type, ENGINE *impl),         \
	    (data, count, md, size, type, impl))                               \
	X(int, EVP_DigestFinal_ex,                                             \
	    (EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s),             \
	    (ctx, md, s))                                                      \
	X(int, EVP_DigestInit_ex,                                              \
	    (EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl),               \
	    (ctx, type, impl))                                                 \
	X(int, EVP_DigestInit_ex2,                                             \
	    (EVP_MD_CTX *ctx, const EVP_MD *type, const OSSL_PARAM params[]),  \
	    (ctx, type, params))                                               \
	X(int, EVP_DigestSign,                                                 \
	    (EVP_MD_CTX *ctx, unsigned char *sigret, size_t *siglen,           \
	        const unsigned char *tbs, size_t tbslen),                      \
	    (ctx, sigret, siglen, tbs, tbslen))                                \
	X(int, EVP_DigestVerify,                                               \
	    (EVP_MD_CTX *ctx, const unsigned char *sigret, size_t siglen,      \
	        const unsigned char *tbs, size_t tbslen),                      \
	    (ctx, sigret, siglen, tbs, tbslen))                                \
	X(int, EVP_DigestSignInit,                                             \
	    (EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type,         \
	        ENGINE *e, EVP_PKEY *pkey),                                    \
	    (ctx, pctx, type, e, pkey))                                        \
	X(int, EVP_DigestVerifyInit,                                           \
	    (EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type,         \
	        ENGINE *e, EVP_PKEY *pkey),                                    \
	    (ctx, pctx, type, e, pkey))                                        \
	X(int, EVP_DigestUpdate,                                               \
	    (EVP_MD_CTX *ctx, const void *d, size_t cnt), (ctx, d, cnt))       \
	V(EVP_MD_CTX_free, (EVP_MD_CTX *ctx), (ctx))                           \
	X(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())                            \
	V(EVP_PKEY_CTX_free, (EVP_PKEY_CTX *ctx), (ctx))                       \
	X(EVP_PKEY_CTX *, EVP_PKEY_CTX_new_from_name,                          \
	    (OSSL_LIB_CTX *libctx, const char *name, const char *propquery),   \
	    (libctx, name, propquery))                                         \
	V(EVP_PKEY_free, (EVP_PKEY *pkey), (pkey))                             \
	X(int, EVP_PKEY_generate, (EVP_PKEY_CTX *ctx, EVP_PKEY **ppkey),       \
	    (ctx, ppkey))                                                      \
	X(int, EVP_PKEY_get_raw_public_key,                                    \
	    (const EVP_PKEY *pkey, unsigned char *pub, size_t *len),           \
	    (pkey, pub, len))                                                  \
	X(int, EVP_PKEY_is_a, (const EVP_PKEY *pkey, const char *name),        \
	    (pkey, name))                                                      \
	X(int, EVP_PKEY_keygen_init, (EVP_PKEY_CTX *ctx), (ctx))               \
	X(const EVP_MD *, EVP_md5, (void), ())                                 \
	X(const EVP_MD *, EVP_sha256, (void), ())                              \
	X(const EVP_MD *, EVP_sha512, (void), ())                              \
	X(EVP_PKEY *, PEM_read_bio_PUBKEY,                                     \
	    (BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u),            \
	    (out, x, cb, u))                                                   \
	X(EVP_PKEY *, PEM_read_bio_PrivateKey,                                 \
	    (BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u),            \
	    (out, x, cb, u))                                                   \
	X(int, PEM_write_bio_PUBKEY, (BIO *out, const EVP_PKEY *x), (out, x))  \
	X(int, PEM_write_bio_PrivateKey,                                       \
	    (BIO *out, const EVP_PKEY *x, const EVP_CIPHER *enc,               \
	        const unsigned char *kstr, int klen, pem_password_cb *cb,      \
	        void *u),                                                      \
	    (out, x, enc, kstr, klen, cb, u))
/* clang-format on */

DYNLIB_DEFINE(CRYPTO_FUNCS, DL_CRYPTO_SONAME, "libssl3", crypto);
DYNLIB_FORWARD(CRYPTO_FUNCS)
