/*
 * sig.c - Hyperscan compile, cache and scan for the attack rules.
 *
 * Cache file: the line "SKMHSDB6", then a line with the key (the rules'
 * SHA-256, the Hyperscan version and the target platform the database was
 * compiled for, as hs_populate_platform gives it), a line with the
 * SHA-256 of the payload, the payload's length in decimal and '\n', then
 * the payload: hs_serialize_database output.  Anything that does not
 * match in every part, or a database this CPU cannot run, is ignored (and
 * the cache rewritten after the compile).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#include <openssl/evp.h>

#include "attack/sig.h"
#include "base/fileio.h"
#include "base/hex.h"
#include "base/strbuf.h"

#define CACHE_MAGIC "SKMHSDB6\n"
#define CACHE_MAX (64u << 20)
#define KEY_MAX 256

static int
alloc_scratch(struct sig *s, struct err *err)
{
	if (s->db != NULL && hs_alloc_scratch(s->db, &s->scratch) != HS_SUCCESS)
		return err_set(
		    err, ENOMEM, "cannot allocate Hyperscan scratch space");
	return 0;
}

static int
compile_all(struct sig *s, const struct attack_ruleset *rs, struct err *err)
{
	const char **expr = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t n = 0;
	hs_compile_error_t *cerr = NULL;
	int rc = 0;

	expr = calloc(rs->n + 1, sizeof(*expr));
	flags = calloc(rs->n + 1, sizeof(*flags));
	ids = calloc(rs->n + 1, sizeof(*ids));
	if (expr == NULL || flags == NULL || ids == NULL) {
		rc = err_sys(err, ENOMEM, "rules");
		goto out;
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct attack_rule *r = &rs->r[i];

		if (r->disabled || r->pattern == NULL || r->fields == 0)
			continue;
		expr[n] = r->pattern;
		/* no HS_FLAG_SINGLEMATCH: its bookkeeping costs more than
		 * the repeated callbacks, which the caller dedups */
		flags[n] = HS_FLAG_DOTALL | (r->caseful ? 0 : HS_FLAG_CASELESS);
		ids[n] = (unsigned)i;
		n++;
	}
	if (n == 0)
		goto out;
	if (hs_compile_multi(expr, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL,
	        &s->db, &cerr) != HS_SUCCESS) {
		if (cerr->expression >= 0 && (size_t)cerr->expression < n) {
			const struct attack_rule *r =
			    &rs->r[ids[cerr->expression]];

			rc = err_set(err, 0, "%s: rule %u: pattern: %s",
			    r->origin, r->id, cerr->message);
		} else
			rc = err_set(err, 0, "hyperscan: %s", cerr->message);
		hs_free_compile_error(cerr);
		s->db = NULL;
		goto out;
	}
	s->npatterns = n;
out:
	free(expr);
	free(flags);
	free(ids);
	return rc;
}

static void
sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned mdlen = 0;

	out[0] = '\0';
	if (EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return;
	hex_encode(out, md, 32);
}

/* The cache key: what the database depends on.  "" when unknown. */
static void
cache_key(const struct attack_ruleset *rs, char *key, size_t sz)
{
	char hash[65];
	hs_platform_info_t pl;

	key[0] = '\0';
	ruleset_hash(rs, hash);
	if (hash[0] == '\0' || hs_populate_platform(&pl) != HS_SUCCESS)
		return;
	if ((size_t)snprintf(key, sz, "%s %s tune=%u features=%" PRIx64, hash,
	        hs_version(), pl.tune, (uint64_t)pl.cpu_features) >= sz)
		key[0] = '\0';
	for (char *c = key; *c; c++)
		if (*c == '\n')
			*c = ' ';
}

static void
cache_write(struct sig *s, const char *path, const char *key)
{
	struct strbuf sb = STRBUF_INIT(CACHE_MAX);
	struct err err;
	char *bytes = NULL, sum[65];
	size_t len = 0;

	if (s->db == NULL ||
	    hs_serialize_database(s->db, &bytes, &len) != HS_SUCCESS)
		return;
	sha256_hex(bytes, len, sum);
	if (sum[0] != '\0' &&
	    strbuf_printf(&sb, "%s%s\n%s %zu\n", CACHE_MAGIC, key, sum, len) !=
	        -1 &&
	    strbuf_add(&sb, bytes, len) != -1)
		(void)file_write_atomic(path, sb.p, sb.len, 0600, &err);
	free(bytes);
	strbuf_release(&sb);
}

/* One line of [*p, end) without its '\n'; NULL when there is none. */
static const char *
line(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));

	if (nl == NULL)
		return NULL;
	*n = (size_t)(nl - s);
	*p = nl + 1;
	return s;
}

static int
noop(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(void)ctx;
	return 0;
}

static int
cache_read(struct sig *s, const char *path, const char *key)
{
	struct strbuf sb = STRBUF_INIT(CACHE_MAX);
	struct err err;
	const char *p, *end, *l;
	char sum[65], want[65];
	size_t n, ml = strlen(CACHE_MAGIC), len = 0;
	int trunc = 0;

	if (file_read_nofollow(path, CACHE_MAX, &sb, &trunc, &err) == -1 ||
	    trunc)
		goto fail;
	p = sb.p;
	end = p + sb.len;
	if (sb.len < ml || memcmp(p, CACHE_MAGIC, ml) != 0)
		goto fail;
	p += ml;
	if ((l = line(&p, end, &n)) == NULL || n != strlen(key) ||
	    memcmp(l, key, n) != 0)
		goto fail;
	if ((l = line(&p, end, &n)) == NULL || n < 66 || l[64] != ' ')
		goto fail;
	memcpy(want, l, 64);
	want[64] = '\0';
	for (size_t i = 65; i < n; i++) {
		if (l[i] < '0' || l[i] > '9' || len > CACHE_MAX)
			goto fail;
		len = len * 10 + (size_t)(l[i] - '0');
	}
	if ((size_t)(end - p) != len)
		goto fail;
	sha256_hex(p, len, sum);
	if (strcmp(sum, want) != 0 ||
	    hs_deserialize_database(p, len, &s->db) != HS_SUCCESS)
		goto fail;
	/* a database for features this CPU lacks fails at scan time: try */
	if (hs_alloc_scratch(s->db, &s->scratch) != HS_SUCCESS ||
	    hs_scan(s->db, "x", 1, 0, s->scratch, noop, NULL) != HS_SUCCESS)
		goto fail;
	strbuf_release(&sb);
	return 0;
fail:
	strbuf_release(&sb);
	hs_free_scratch(s->scratch);
	hs_free_database(s->db);
	s->scratch = NULL;
	s->db = NULL;
	return -1;
}

int
sig_compile(struct sig *s, const struct attack_ruleset *rs,
    const char *cache_path, struct err *err)
{
	char key[KEY_MAX];

	memset(s, 0, sizeof(*s));
	key[0] = '\0';
	for (size_t i = 0; i < rs->n; i++)
		for (int f = 0; f < AF_NFIELDS; f++)
			if (!rs->r[i].disabled && rs->r[i].pattern != NULL &&
			    (rs->r[i].fields & (1u << f)))
				s->forms[f] |= 1u << rs->r[i].form;
	if (cache_path != NULL) {
		cache_key(rs, key, sizeof(key));
		if (key[0] != '\0' && cache_read(s, cache_path, key) == 0) {
			s->from_cache = 1;
			for (size_t i = 0; i < rs->n; i++)
				if (!rs->r[i].disabled && rs->r[i].pattern &&
				    rs->r[i].fields != 0)
					s->npatterns++;
			return 0;
		}
	}
	if (compile_all(s, rs, err) == -1 || alloc_scratch(s, err) == -1) {
		sig_release(s);
		return -1;
	}
	if (cache_path != NULL && key[0] != '\0')
		cache_write(s, cache_path, key);
	return 0;
}

void
sig_release(struct sig *s)
{
	hs_free_database(s->db);
	hs_free_scratch(s->scratch);
	memset(s, 0, sizeof(*s));
}

int
sig_has(const struct sig *s, enum attack_field f, int form)
{
	if (s->db == NULL || !s->forms[f])
		return 0;
	return form == SIG_ALL || (s->forms[f] & (1u << form));
}

struct scan_ctx {
	sig_match_fn fn;
	void *ctx;
};

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	struct scan_ctx *sc = ctx;

	(void)from;
	(void)to;
	(void)flags;
	return sc->fn(id, sc->ctx);
}

int
sig_scan(struct sig *s, enum attack_field f, int form, const char *p, size_t n,
    sig_match_fn fn, void *ctx)
{
	struct scan_ctx sc = {fn, ctx};
	hs_error_t e;

	(void)f; /* one database: the caller filters by field and form */
	(void)form;
	if (s->db == NULL || n == 0)
		return 0;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	e = hs_scan(s->db, p, (unsigned)n, 0, s->scratch, on_match, &sc);
	return e == HS_SUCCESS || e == HS_SCAN_TERMINATED ? 0 : -1;
}
