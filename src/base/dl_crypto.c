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

/* X(name): every function forwarded below, in one list. */
#define CRYPTO_FUNCS(X)                                                        \
	X(BIO_ctrl)                                                            \
	X(BIO_free)                                                            \
	X(BIO_new)                                                             \
	X(BIO_new_mem_buf)                                                     \
	X(BIO_s_mem)                                                           \
	X(EVP_Digest)                                                          \
	X(EVP_DigestFinal_ex)                                                  \
	X(EVP_DigestInit_ex)                                                   \
	X(EVP_DigestInit_ex2)                                                  \
	X(EVP_DigestSign)                                                      \
	X(EVP_DigestSignInit)                                                  \
	X(EVP_DigestUpdate)                                                    \
	X(EVP_DigestVerify)                                                    \
	X(EVP_DigestVerifyInit)                                                \
	X(EVP_MD_CTX_free)                                                     \
	X(EVP_MD_CTX_new)                                                      \
	X(EVP_PKEY_CTX_free)                                                   \
	X(EVP_PKEY_CTX_new_from_name)                                          \
	X(EVP_PKEY_free)                                                       \
	X(EVP_PKEY_generate)                                                   \
	X(EVP_PKEY_get_raw_public_key)                                         \
	X(EVP_PKEY_is_a)                                                       \
	X(EVP_PKEY_keygen_init)                                                \
	X(EVP_md5)                                                             \
	X(EVP_sha256)                                                          \
	X(EVP_sha512)                                                          \
	X(PEM_read_bio_PUBKEY)                                                 \
	X(PEM_read_bio_PrivateKey)                                             \
	X(PEM_write_bio_PUBKEY)                                                \
	X(PEM_write_bio_PrivateKey)

DYNLIB_DEFINE(CRYPTO_FUNCS, DL_CRYPTO_SONAME, "libssl3", crypto);

long
BIO_ctrl(BIO *bp, int cmd, long larg, void *parg)
{
	return DYNLIB_REAL(BIO_ctrl)(bp, cmd, larg, parg);
}

int
BIO_free(BIO *a)
{
	return DYNLIB_REAL(BIO_free)(a);
}

BIO *
BIO_new(const BIO_METHOD *type)
{
	return DYNLIB_REAL(BIO_new)(type);
}

BIO *
BIO_new_mem_buf(const void *buf, int len)
{
	return DYNLIB_REAL(BIO_new_mem_buf)(buf, len);
}

const BIO_METHOD *
BIO_s_mem(void)
{
	return DYNLIB_REAL(BIO_s_mem)();
}

int
EVP_Digest(const void *data, size_t count, unsigned char *md,
    unsigned int *size, const EVP_MD *type, ENGINE *impl)
{
	return DYNLIB_REAL(EVP_Digest)(data, count, md, size, type, impl);
}

int
EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s)
{
	return DYNLIB_REAL(EVP_DigestFinal_ex)(ctx, md, s);
}

int
EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl)
{
	return DYNLIB_REAL(EVP_DigestInit_ex)(ctx, type, impl);
}

int
EVP_DigestInit_ex2(
    EVP_MD_CTX *ctx, const EVP_MD *type, const OSSL_PARAM params[])
{
	return DYNLIB_REAL(EVP_DigestInit_ex2)(ctx, type, params);
}

int
EVP_DigestSign(EVP_MD_CTX *ctx, unsigned char *sigret, size_t *siglen,
    const unsigned char *tbs, size_t tbslen)
{
	return DYNLIB_REAL(EVP_DigestSign)(ctx, sigret, siglen, tbs, tbslen);
}

int
EVP_DigestSignInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type,
    ENGINE *e, EVP_PKEY *pkey)
{
	return DYNLIB_REAL(EVP_DigestSignInit)(ctx, pctx, type, e, pkey);
}

int
EVP_DigestUpdate(EVP_MD_CTX *ctx, const void *d, size_t cnt)
{
	return DYNLIB_REAL(EVP_DigestUpdate)(ctx, d, cnt);
}

int
EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sigret, size_t siglen,
    const unsigned char *tbs, size_t tbslen)
{
	return DYNLIB_REAL(EVP_DigestVerify)(ctx, sigret, siglen, tbs, tbslen);
}

int
EVP_DigestVerifyInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type,
    ENGINE *e, EVP_PKEY *pkey)
{
	return DYNLIB_REAL(EVP_DigestVerifyInit)(ctx, pctx, type, e, pkey);
}

void
EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
	DYNLIB_REAL(EVP_MD_CTX_free)(ctx);
}

EVP_MD_CTX *
EVP_MD_CTX_new(void)
{
	return DYNLIB_REAL(EVP_MD_CTX_new)();
}

void
EVP_PKEY_CTX_free(EVP_PKEY_CTX *ctx)
{
	DYNLIB_REAL(EVP_PKEY_CTX_free)(ctx);
}

EVP_PKEY_CTX *
EVP_PKEY_CTX_new_from_name(
    OSSL_LIB_CTX *libctx, const char *name, const char *propquery)
{
	return DYNLIB_REAL(EVP_PKEY_CTX_new_from_name)(libctx, name, propquery);
}

void
EVP_PKEY_free(EVP_PKEY *pkey)
{
	DYNLIB_REAL(EVP_PKEY_free)(pkey);
}

int
EVP_PKEY_generate(EVP_PKEY_CTX *ctx, EVP_PKEY **ppkey)
{
	return DYNLIB_REAL(EVP_PKEY_generate)(ctx, ppkey);
}

int
EVP_PKEY_get_raw_public_key(
    const EVP_PKEY *pkey, unsigned char *pub, size_t *len)
{
	return DYNLIB_REAL(EVP_PKEY_get_raw_public_key)(pkey, pub, len);
}

int
EVP_PKEY_is_a(const EVP_PKEY *pkey, const char *name)
{
	return DYNLIB_REAL(EVP_PKEY_is_a)(pkey, name);
}

int
EVP_PKEY_keygen_init(EVP_PKEY_CTX *ctx)
{
	return DYNLIB_REAL(EVP_PKEY_keygen_init)(ctx);
}

const EVP_MD *
EVP_md5(void)
{
	return DYNLIB_REAL(EVP_md5)();
}

const EVP_MD *
EVP_sha256(void)
{
	return DYNLIB_REAL(EVP_sha256)();
}

const EVP_MD *
EVP_sha512(void)
{
	return DYNLIB_REAL(EVP_sha512)();
}

EVP_PKEY *
PEM_read_bio_PUBKEY(BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u)
{
	return DYNLIB_REAL(PEM_read_bio_PUBKEY)(out, x, cb, u);
}

EVP_PKEY *
PEM_read_bio_PrivateKey(BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u)
{
	return DYNLIB_REAL(PEM_read_bio_PrivateKey)(out, x, cb, u);
}

int
PEM_write_bio_PUBKEY(BIO *out, const EVP_PKEY *x)
{
	return DYNLIB_REAL(PEM_write_bio_PUBKEY)(out, x);
}

int
PEM_write_bio_PrivateKey(BIO *out, const EVP_PKEY *x, const EVP_CIPHER *enc,
    const unsigned char *kstr, int klen, pem_password_cb *cb, void *u)
{
	return DYNLIB_REAL(PEM_write_bio_PrivateKey)(
	    out, x, enc, kstr, klen, cb, u);
}
