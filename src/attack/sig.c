/*
 * sig.c - Hyperscan compile, cache and scan for the attack rules.
 *
 * Cache file: "SKMHSDB5\n", the rules' SHA-256 in hex and '\n', then for
 * (field, form) database a 32-bit little-endian length and that many bytes of
 * hs_serialize_database output (length 0: no database).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "attack/sig.h"
#include "base/fileio.h"
#include "base/strbuf.h"

#define CACHE_MAGIC "SKMHSDB5\n"
#define CACHE_MAX (256u << 20)

static int
alloc_scratch(struct sig *s, struct err *err)
{
	for (int m = 0; m < SIG_NDBS; m++) {
		if (s->db[m] == NULL)
			continue;
		if (hs_alloc_scratch(s->db[m], &s->scratch) != HS_SUCCESS)
			return err_set(err, ENOMEM,
			    "cannot allocate Hyperscan scratch space");
	}
	return 0;
}

static int
compile_one(
    struct sig *s, const struct attack_ruleset *rs, int m, struct err *err)
{
	const char **expr = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t n = 0;
	hs_compile_error_t *cerr = NULL;
	int rc = 0;

	if (m % SIG_NDB != SIG_ALL)
		return 0;
	expr = calloc(rs->n + 1, sizeof(*expr));
	flags = calloc(rs->n + 1, sizeof(*flags));
	ids = calloc(rs->n + 1, sizeof(*ids));
	if (expr == NULL || flags == NULL || ids == NULL) {
		rc = err_sys(err, ENOMEM, "rules");
		goto out;
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct attack_rule *r = &rs->r[i];

		if (r->disabled || r->pattern == NULL ||
		    !(r->fields & (1u << (m / SIG_NDB))) ||
		    (m % SIG_NDB != SIG_ALL && (int)r->form != m % SIG_NDB))
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
	        &s->db[m], &cerr) != HS_SUCCESS) {
		if (cerr->expression >= 0 && (size_t)cerr->expression < n) {
			const struct attack_rule *r =
			    &rs->r[ids[cerr->expression]];

			rc = err_set(err, 0, "%s: rule %u: pattern: %s",
			    r->origin, r->id, cerr->message);
		} else
			rc = err_set(err, 0, "hyperscan: %s", cerr->message);
		hs_free_compile_error(cerr);
		s->db[m] = NULL;
		goto out;
	}
	s->npatterns += n;
out:
	free(expr);
	free(flags);
	free(ids);
	return rc;
}

static void
put_u32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24)};

	strbuf_add(sb, b, 4);
}

static void
cache_write(struct sig *s, const char *path, const char *hash)
{
	struct strbuf sb = STRBUF_INIT(CACHE_MAX);
	struct err err;
	int ok = 1;

	strbuf_adds(&sb, CACHE_MAGIC);
	strbuf_adds(&sb, hash);
	strbuf_addc(&sb, '\n');
	for (int m = 0; m < SIG_NDBS && ok; m++) {
		char *bytes = NULL;
		size_t len = 0;

		if (s->db[m] == NULL) {
			put_u32(&sb, 0);
			continue;
		}
		if (hs_serialize_database(s->db[m], &bytes, &len) !=
		    HS_SUCCESS) {
			ok = 0;
			break;
		}
		put_u32(&sb, (uint32_t)len);
		if (strbuf_add(&sb, bytes, len) == -1)
			ok = 0;
		free(bytes);
	}
	if (ok)
		(void)file_write_atomic(path, sb.p, sb.len, 0600, &err);
	strbuf_release(&sb);
}

static int
cache_read(struct sig *s, const char *path, const char *hash)
{
	struct strbuf sb = STRBUF_INIT(CACHE_MAX);
	struct err err;
	const unsigned char *p, *end;
	size_t hl = strlen(hash), ml = strlen(CACHE_MAGIC);
	int trunc = 0;

	if (file_read(path, CACHE_MAX, &sb, &trunc, &err) == -1 || trunc)
		goto fail;
	p = (const unsigned char *)sb.p;
	end = p + sb.len;
	if (sb.len < ml + hl + 1 || memcmp(p, CACHE_MAGIC, ml) != 0 ||
	    memcmp(p + ml, hash, hl) != 0 || p[ml + hl] != '\n')
		goto fail;
	p += ml + hl + 1;
	for (int m = 0; m < SIG_NDBS; m++) {
		uint32_t len;

		if (end - p < 4)
			goto fail;
		len = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		p += 4;
		if (len == 0)
			continue;
		if ((size_t)(end - p) < len ||
		    hs_deserialize_database((const char *)p, len, &s->db[m]) !=
		        HS_SUCCESS)
			goto fail;
		p += len;
	}
	strbuf_release(&sb);
	return 0;
fail:
	strbuf_release(&sb);
	for (int m = 0; m < SIG_NDBS; m++) {
		hs_free_database(s->db[m]);
		s->db[m] = NULL;
	}
	return -1;
}

int
sig_compile(struct sig *s, const struct attack_ruleset *rs,
    const char *cache_path, struct err *err)
{
	char hash[65];

	memset(s, 0, sizeof(*s));
	hash[0] = '\0';
	for (size_t i = 0; i < rs->n; i++)
		for (int f = 0; f < AF_NFIELDS; f++)
			if (!rs->r[i].disabled && rs->r[i].pattern != NULL &&
			    (rs->r[i].fields & (1u << f)))
				s->forms[f] |= 1u << rs->r[i].form;
	if (cache_path != NULL) {
		rules_hash(rs, hash);
		if (hash[0] != '\0' && cache_read(s, cache_path, hash) == 0) {
			s->from_cache = 1;
			for (size_t i = 0; i < rs->n; i++)
				if (!rs->r[i].disabled && rs->r[i].pattern)
					s->npatterns++;
			if (alloc_scratch(s, err) == -1) {
				sig_release(s);
				return -1;
			}
			return 0;
		}
	}
	for (int m = 0; m < SIG_NDBS; m++)
		if (compile_one(s, rs, m, err) == -1) {
			sig_release(s);
			return -1;
		}
	if (alloc_scratch(s, err) == -1) {
		sig_release(s);
		return -1;
	}
	if (cache_path != NULL && hash[0] != '\0')
		cache_write(s, cache_path, hash);
	return 0;
}

void
sig_release(struct sig *s)
{
	for (int m = 0; m < SIG_NDBS; m++)
		hs_free_database(s->db[m]);
	hs_free_scratch(s->scratch);
	memset(s, 0, sizeof(*s));
}

int
sig_has(const struct sig *s, enum attack_field f, int form)
{
	if (s->db[f * SIG_NDB + SIG_ALL] == NULL)
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
	struct hs_database *db = s->db[f * SIG_NDB + SIG_ALL];
	hs_error_t e;

	(void)form; /* one database per field: the caller filters by form */
	if (db == NULL || n == 0)
		return 0;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	e = hs_scan(db, p, (unsigned)n, 0, s->scratch, on_match, &sc);
	return e == HS_SUCCESS || e == HS_SCAN_TERMINATED ? 0 : -1;
}
