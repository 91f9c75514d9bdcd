/*
 * sign.c - Ed25519 keys and signatures of baselines (OpenSSL EVP).
 *
 * The signature file is text:
 *
 *	sakimori-fim-signature 1
 *	algorithm ed25519
 *	key SHA256:<hex of the SHA-256 of the signer's raw public key>
 *	signature <128 hex digits>
 *
 * The key line is not trusted (it is not signed); it only lets a refusal
 * say "signed by another key" rather than "altered".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/hex.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define SIG_MAGIC "sakimori-fim-signature 1"
#define KEY_FILE_MAX (64 * 1024)
#define FP_LEN 71 /* "SHA256:" + 64 hex */

static int
pem_to_file(EVP_PKEY *pk, int priv, const char *path, struct err *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int ok, rc;

	if (bio == NULL)
		return err_set(err, ENOMEM, "cannot write key '%s'", path);
	ok = priv ? PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL)
	          : PEM_write_bio_PUBKEY(bio, pk);
	n = BIO_get_mem_data(bio, &data);
	if (!ok || n <= 0) {
		BIO_free(bio);
		return err_set(err, EIO, "cannot encode key '%s'", path);
	}
	rc = file_write_atomic(path, data, (size_t)n, priv ? 0600 : 0644, err);
	BIO_free(bio);
	return rc;
}

int
fim_keygen(const char *priv_path, const char *pub_path, struct err *err)
{
	EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_name(NULL, "ED25519", NULL);
	EVP_PKEY *pk = NULL;
	int rc;

	if (kc == NULL || EVP_PKEY_keygen_init(kc) <= 0 ||
	    EVP_PKEY_generate(kc, &pk) <= 0) {
		EVP_PKEY_CTX_free(kc);
		return err_set(err, EIO, "cannot make an Ed25519 key pair");
	}
	EVP_PKEY_CTX_free(kc);
	rc = pem_to_file(pk, 1, priv_path, err);
	if (rc == 0)
		rc = pem_to_file(pk, 0, pub_path, err);
	EVP_PKEY_free(pk);
	return rc;
}

static EVP_PKEY *
load_key(const char *path, int priv, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(KEY_FILE_MAX);
	EVP_PKEY *pk = NULL;
	BIO *bio;

	if (file_read_nofollow(path, KEY_FILE_MAX, &sb, NULL, err) == -1) {
		err_prefix(err, "%s key", priv ? "private" : "public");
		strbuf_release(&sb);
		return NULL;
	}
	bio = BIO_new_mem_buf(sb.p, (int)sb.len);
	if (bio != NULL)
		pk = priv ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
		          : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	strbuf_release(&sb);
	if (pk == NULL) {
		err_set(err, EINVAL, "'%s' is not a PEM %s key", path,
		    priv ? "private" : "public");
		return NULL;
	}
	if (!EVP_PKEY_is_a(pk, "ED25519")) {
		EVP_PKEY_free(pk);
		err_set(err, EINVAL, "'%s' is not an Ed25519 key", path);
		return NULL;
	}
	return pk;
}

static int
fingerprint(EVP_PKEY *pk, char *dst, size_t dstsz, struct err *err)
{
	unsigned char raw[64], md[32];
	size_t rl = sizeof(raw);
	unsigned int ml = 0;
	char hx[65];

	if (EVP_PKEY_get_raw_public_key(pk, raw, &rl) != 1 ||
	    EVP_Digest(raw, rl, md, &ml, EVP_sha256(), NULL) != 1)
		return err_set(err, EIO, "cannot read the public key");
	hex_encode(hx, md, 32);
	snprintf(dst, dstsz, "SHA256:%s", hx);
	return 0;
}

int
fim_key_fingerprint(
    const char *pub_path, char *dst, size_t dstsz, struct err *err)
{
	EVP_PKEY *pk = load_key(pub_path, 0, err);
	int rc;

	if (pk == NULL)
		return -1;
	rc = fingerprint(pk, dst, dstsz, err);
	EVP_PKEY_free(pk);
	return rc;
}

int
fim_sign(const char *priv_path, const void *data, size_t len,
    struct strbuf *sig, struct err *err)
{
	EVP_PKEY *pk = load_key(priv_path, 1, err);
	EVP_MD_CTX *ctx;
	unsigned char s[64];
	size_t sl = sizeof(s);
	char fp[FP_LEN + 1], hx[129];
	int rc = -1;

	if (pk == NULL)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || fingerprint(pk, fp, sizeof(fp), err) == -1)
		goto out;
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, pk) != 1 ||
	    EVP_DigestSign(ctx, s, &sl, data, len) != 1 || sl != 64) {
		err_set(err, EIO, "cannot sign with '%s'", priv_path);
		goto out;
	}
	hex_encode(hx, s, 64);
	strbuf_printf(sig,
	    SIG_MAGIC "\nalgorithm ed25519\nkey %s\nsignature %s\n", fp, hx);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}

int
fim_verify(const char *pub_path, const void *data, size_t len, const char *sig,
    size_t siglen, struct err *err)
{
	const char *cur = sig, *end = sig + siglen, *ls, *le;
	char signer[FP_LEN + 1] = "", trusted[FP_LEN + 1];
	unsigned char s[64];
	int have_sig = 0, have_magic = 0, algo_ok = 0, rc = -1;
	EVP_PKEY *pk;
	EVP_MD_CTX *ctx;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		size_t n = (size_t)(le - ls);

		if (mem_eq(ls, n, SIG_MAGIC))
			have_magic = 1;
		else if (mem_eq(ls, n, "algorithm ed25519"))
			algo_ok = 1;
		else if (n == 4 + FP_LEN && memcmp(ls, "key ", 4) == 0) {
			memcpy(signer, ls + 4, FP_LEN);
			signer[FP_LEN] = '\0';
		} else if (n == 10 + 128 && memcmp(ls, "signature ", 10) == 0) {
			if (hex_decode(s, ls + 10, 64) == 0)
				have_sig = 1;
		}
	}
	if (!have_magic || !algo_ok || !have_sig)
		return err_set(err, EINVAL,
		    "the signature file is malformed (not a sakimori Ed25519 "
		    "signature)");
	pk = load_key(pub_path, 0, err);
	if (pk == NULL)
		return -1;
	if (fingerprint(pk, trusted, sizeof(trusted), err) == -1) {
		EVP_PKEY_free(pk);
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1 &&
	    EVP_DigestVerify(ctx, s, 64, data, len) == 1) {
		rc = 0;
	} else if (signer[0] && strcmp(signer, trusted) != 0) {
		err_set(err, EPERM,
		    "the baseline was signed by another key (%s), not by the "
		    "trusted public key '%s' (%s)",
		    signer, pub_path, trusted);
	} else {
		err_set(err, EPERM,
		    "the signature does not verify with the public key '%s' "
		    "(%s): the baseline was altered after it was signed",
		    pub_path, trusted);
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}
