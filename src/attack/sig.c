/*
 * sig.c - Hyperscan compile, cache and scan for the attack rules.
 *
 * Cache file: the line "SKMHSDB8" (the own rules' databases; the Core
 * Rule Set's have a file and magic of their own), then a line with the
 * key (the rules' digest, the Hyperscan version and the target platform
 * the databases were compiled for, as hs_populate_platform gives it), a
 * line with the digest of the payload (payload_digest: a changed or cut
 * file, not an attacker, is what it tells; whoever can write the state
 * directory can rewrite any checksum, which is why the state directory
 * must be root's alone for root: see base/statedir.h), the payload's
 * length in decimal and '\n', then the payload: a line of text (for the
 * own rules, which database each field and set of forms has), then each
 * database as its length in decimal, '\n' and its hs_serialize_database
 * output (the CRS cache: the databases per target or group, then those
 * made for classes of text, in the order class_plan gives them).
 * Anything that does not match in every part, or a database this CPU
 * cannot run, is ignored (and the cache rewritten after the compile).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hs/hs.h>

#include "attack/rxbytes.h"
#include "attack/sig.h"
#include "base/fileio.h"
#include "base/cur.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/strbuf.h"

#define CACHE_MAGIC "SKMHSDB8\n"
#define CACHE_MAX (64u << 20)
#define KEY_MAX 256

/* The bytes each class of text adds to those of the classes below it
 * (sig.h). */
static const char *const class_adds[SIG_NCLASS] = {SIG_CLASS_ADDS};

/* The classes of text (bit c) expression [e, e+len) with Hyperscan
 * flags fl may match in: those from the first where it may. */
static unsigned char
expr_classes(const char *e, size_t len, unsigned fl)
{
	struct rx_bytes in[SIG_NCLASS] = {{{0}}};
	unsigned m;

	for (unsigned c = 0; c < SIG_NCLASS; c++) {
		if (c > 0)
			in[c] = in[c - 1];
		rx_bytes_add_str(&in[c], class_adds[c]);
	}
	m = rx_may_match_sets(e, len, fl, in, SIG_NCLASS);
	/* a class above one where it may: the bytes of that one too */
	for (unsigned c = 1; c < SIG_NCLASS; c++)
		m |= (m << 1) & (1u << c);
	return (unsigned char)m;
}

/* How a base database's class c is scanned: no expression may match
 * (none), all or nearly all do (the base database serves), the same as
 * class c + 1, or a database of its own. */
enum { CP_NONE, CP_FULL, CP_ABOVE, CP_NEW };

/*
 * Which classes of text have a database of their own: not one with three
 * quarters of the base database's expressions or more (the base serves),
 * nor one with nine tenths of the class above's (that one serves): what
 * a scan would save is not worth the memory and the compile.  k: the
 * class's expressions, n: the base's, above: the class above's.
 */
static int
class_own(size_t k, size_t n, size_t above)
{
	return 4 * k < 3 * n && 10 * k < 9 * above;
}

/*
 * The class plan of a database of n expressions whose classes (from
 * expr_classes) are m: per class, CP_*.  Returns how many are CP_NEW.
 */
static size_t
class_plan(const unsigned char *m, size_t n, unsigned char plan[SIG_NCLASS])
{
	size_t above = n, made = 0;

	for (unsigned c = SIG_NCLASS; c-- > 0;) {
		size_t k = 0;

		for (size_t j = 0; j < n; j++)
			k += (m[j] >> c) & 1;
		if (k == 0)
			plan[c] = CP_NONE;
		else if (4 * k >= 3 * n)
			plan[c] = CP_FULL;
		else if (!class_own(k, n, above))
			plan[c] = CP_ABOVE;
		else {
			plan[c] = CP_NEW;
			made++;
			above = k;
		}
	}
	return made;
}

static int
alloc_scratch(struct sig *s, struct err *err)
{
	for (size_t i = 0; i < s->ndbs; i++)
		if (hs_alloc_scratch(s->dbs[i], &s->scratch) != HS_SUCCESS)
			return err_set(err, ENOMEM,
			    "cannot allocate Hyperscan scratch space");
	return 0;
}

/* 1 when rule r is compiled: enabled, with a pattern and a field. */
static int
compiled(const struct attack_rule *r)
{
	return !r->disabled && r->pattern != NULL && r->fields != 0;
}

/*
 * Which rules go into which database.  One of every rule, whose order of
 * matches that end at the same place (which Hyperscan sets per database)
 * is the one a field's hits are listed in.  Per field, one of all of its
 * rules (for a text that is the same in every form), unless they are two
 * thirds of every rule or more: then the database of every rule serves,
 * the other fields' matches dropped (scanning a few more patterns costs
 * less than the memory and the start of a database nearly as big).  And
 * one for a single form whose rules are at most half of the field's (the
 * raw and shell forms, which few rules use); any other set of forms is
 * scanned with the field's whole database, its matches of rules of other
 * forms dropped (filter).  A set's rules are indexes of rs, in rs's
 * order; sets that are the same share one database, empty sets have
 * none.  The cache holds the distinct ones in the order they are made.
 */
struct own_plan {
	unsigned *ids;                  /* set k's rules: ids + k * stride */
	size_t stride;                  /* rs->n */
	size_t nids[SIG_NDB];           /* set k's size */
	size_t n;                       /* distinct sets */
	int at[AF_NFIELDS][SIG_NFORMS]; /* a set's index, -1: none */
	unsigned char filter[AF_NFIELDS][SIG_NFORMS];
	int every; /* the set of every rule, -1: none */
};

static void
plan_release(struct own_plan *pl)
{
	free(pl->ids);
	pl->ids = NULL;
}

/* The rules of a field of fields whose form is in forms into ids: how
 * many. */
static size_t
rules_of(const struct attack_ruleset *rs, unsigned fields, unsigned forms,
    unsigned *ids)
{
	size_t k = 0;

	for (size_t i = 0; i < rs->n; i++)
		if (compiled(&rs->r[i]) && (rs->r[i].fields & fields) &&
		    (forms & SIG_FORM(rs->r[i].form)))
			ids[k++] = (unsigned)i;
	return k;
}

/* The index of the set of k rules at the plan's next slot, added when
 * new. */
static int
plan_set(struct own_plan *pl, size_t k)
{
	const unsigned *ids = pl->ids + pl->n * pl->stride;
	size_t j;

	for (j = 0; j < pl->n; j++)
		if (pl->nids[j] == k &&
		    memcmp(pl->ids + j * pl->stride, ids, k * sizeof(*ids)) ==
		        0)
			return (int)j;
	pl->nids[pl->n++] = k;
	return (int)j;
}

static int
plan_make(struct own_plan *pl, const struct attack_ruleset *rs)
{
	size_t nev;

	memset(pl, 0, sizeof(*pl));
	pl->stride = rs->n;
	if ((pl->ids = calloc(SIG_NDB * rs->n + 1, sizeof(*pl->ids))) == NULL)
		return -1;
	nev = rules_of(rs, ~0u, SIG_ALL, pl->ids);
	pl->every = nev > 0 ? plan_set(pl, nev) : -1;
	for (unsigned f = 0; f < AF_NFIELDS; f++) {
		size_t all = rules_of(
		    rs, 1u << f, SIG_ALL, pl->ids + pl->n * pl->stride);

		pl->at[f][0] = -1;
		if (all == 0)
			pl->at[f][SIG_ALL] = -1;
		else if (3 * all >= 2 * nev)
			pl->at[f][SIG_ALL] = pl->every;
		else
			pl->at[f][SIG_ALL] = plan_set(pl, all);
		for (unsigned m = 1; m < SIG_ALL; m++) {
			size_t k = rules_of(
			    rs, 1u << f, m, pl->ids + pl->n * pl->stride);

			if (k == 0 || k == all) {
				pl->at[f][m] = k == 0 ? -1 : pl->at[f][SIG_ALL];
			} else if ((m & (m - 1)) == 0 && 2 * k <= all) {
				pl->at[f][m] = plan_set(pl, k);
			} else {
				pl->at[f][m] = pl->at[f][SIG_ALL];
				pl->filter[f][m] = 1;
			}
		}
	}
	return 0;
}

/* The plan as the cache's line of extra text: per field and set of
 * forms, '0' + the set's index or '-', then '/' when filtered. */
static void
plan_text(const struct own_plan *pl, char *out)
{
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 0; m < SIG_NFORMS; m++) {
			*out++ =
			    pl->at[f][m] < 0 ? '-' : (char)('0' + pl->at[f][m]);
			if (pl->filter[f][m])
				*out++ = '/';
		}
	*out++ = '|';
	*out++ = pl->every < 0 ? '-' : (char)('0' + pl->every);
	*out = '\0';
}

/* The databases of the plan's sets into s->dbs (s->ndbs of them), the
 * per-(field, forms) pointers into s->fdb. */
static void
plan_apply(struct sig *s, const struct own_plan *pl)
{
	s->dbsize = 0;
	for (size_t k = 0; k < s->ndbs; k++) {
		size_t sz = 0;

		if (hs_database_size(s->dbs[k], &sz) == HS_SUCCESS)
			s->dbsize += sz;
	}
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 0; m < SIG_NFORMS; m++) {
			s->fdb[f][m] =
			    pl->at[f][m] < 0 ? NULL : s->dbs[pl->at[f][m]];
			s->filter[f][m] = pl->filter[f][m];
		}
	s->every = pl->every < 0 ? NULL : s->dbs[pl->every];
}

/* Compiles set k of the plan into s->dbs[k]. */
static int
compile_set(struct sig *s, const struct attack_ruleset *rs,
    const struct own_plan *pl, size_t k, const char **expr, unsigned *flags,
    struct err *err)
{
	const unsigned *ids = pl->ids + k * pl->stride;
	hs_compile_error_t *cerr = NULL;

	for (size_t j = 0; j < pl->nids[k]; j++) {
		const struct attack_rule *r = &rs->r[ids[j]];

		expr[j] = r->pattern;
		flags[j] = sig_rule_flags(r);
	}
	if (hs_compile_multi(expr, flags, ids, (unsigned)pl->nids[k],
	        HS_MODE_BLOCK, NULL, &s->dbs[k], &cerr) == HS_SUCCESS)
		return 0;
	s->dbs[k] = NULL;
	if (cerr->expression >= 0 && (size_t)cerr->expression < pl->nids[k]) {
		const struct attack_rule *r = &rs->r[ids[cerr->expression]];

		err_set(err, 0, "%s: rule %u: pattern: %s", r->origin, r->id,
		    cerr->message);
	} else
		err_set(err, 0, "hyperscan: %s", cerr->message);
	hs_free_compile_error(cerr);
	return -1;
}

/* Every set of the plan compiled into s->dbs: 0, or -1 with err (then
 * none kept). */
static int
compile_all(struct sig *s, const struct attack_ruleset *rs,
    const struct own_plan *pl, struct err *err)
{
	const char **expr = calloc(rs->n + 1, sizeof(*expr));
	unsigned *flags = calloc(rs->n + 1, sizeof(*flags));
	int rc = 0;

	if (expr == NULL || flags == NULL)
		rc = err_sys(err, ENOMEM, "rules");
	for (size_t k = 0; k < pl->n && rc == 0; k++) {
		if (compile_set(s, rs, pl, k, expr, flags, err) == -1)
			rc = -1;
		else
			s->ndbs = k + 1;
	}
	if (rc == -1) {
		for (size_t k = 0; k < s->ndbs; k++) {
			hs_free_database(s->dbs[k]);
			s->dbs[k] = NULL;
		}
		s->ndbs = 0;
	}
	free(expr);
	free(flags);
	return rc;
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

/*
 * The length line of a database in a payload (at most 10 digits) and its
 * serialisation, which must fit in [*p, end): 0 with *db and *n (*p then
 * past it), or -1.
 */
static int
payload_db(const char **p, const char *end, const char **db, size_t *n)
{
	const char *l;
	size_t ln, dl = 0;

	if ((l = line(p, end, &ln)) == NULL || ln == 0 || ln > 10)
		return -1;
	for (size_t i = 0; i < ln; i++) {
		if (l[i] < '0' || l[i] > '9')
			return -1;
		dl = dl * 10 + (size_t)(l[i] - '0');
	}
	if (dl > (size_t)(end - *p))
		return -1;
	*db = *p;
	*n = dl;
	*p += dl;
	return 0;
}

/*
 * A database as hs_serialize_database writes it: Hyperscan's header (its
 * magic, version, length, platform and the CRC32C of the bytecode), the
 * bytecode, then zeros up to the size of its in-memory header, which
 * nothing reads.  hs_deserialize_database checks the header's fields
 * against itself and the bytecode against that CRC (any change of up to
 * 32 bits in a row, and all but one in 2^32 of the others), so a byte
 * changed there is found when the database is made from it.  The
 * digest takes in the first SER_HEAD bytes and the last SER_TAIL (the
 * zeros, and more).
 */
#define SER_HEAD 32
#define SER_TAIL 128

/*
 * The digest of a payload (payload()'s format) into sum: of its line of
 * text, of each database's length line and of its first and last bytes,
 * the CRC in the first covering the bytecode between.  So every byte of
 * the file is checked (the bytecode once, by Hyperscan as it copies each
 * database into place) without a pass over megabytes of it at every
 * start.  A changed byte in the text (which rules are prefilters, the
 * verdicts) is what only this digest finds.  0, or -1 when the payload
 * is not a line of text and databases up to its end.
 */
static int
payload_digest(const char *p, const char *end, char sum[65])
{
	struct hash256 d;
	const char *db, *l = p;
	size_t n;

	if (line(&p, end, &n) == NULL)
		return -1;
	hash256_init(&d);
	hash256_add(&d, l, n + 1);
	while (p < end) {
		l = p;
		if (payload_db(&p, end, &db, &n) == -1)
			return -1;
		hash256_add(&d, l, (size_t)(db - l));
		if (n <= SER_HEAD + SER_TAIL) {
			hash256_add(&d, db, n);
			continue;
		}
		hash256_add(&d, db, SER_HEAD);
		hash256_add(&d, db + n - SER_TAIL, SER_TAIL);
	}
	hash256_hex(&d, sum);
	return 0;
}

/* The payload of the databases: a line of extra text, then each
 * database as its length in decimal, '\n' and its serialisation. */
static int
payload(struct hs_database *const *db, size_t n, const char *extra,
    struct strbuf *sb)
{
	strbuf_printf(sb, "%s\n", extra);
	for (size_t i = 0; i < n; i++) {
		char *bytes = NULL;
		size_t len = 0;

		if (hs_serialize_database(db[i], &bytes, &len) != HS_SUCCESS)
			return -1;
		strbuf_printf(sb, "%zu\n", len);
		strbuf_add(sb, bytes, len);
		free(bytes);
	}
	return strbuf_failed(sb) ? -1 : 0;
}

/* N of a cache path "fd:N" (see sig.h), else -1. */
static int
cache_fd(const char *path)
{
	const char *cur = path + 3, *end = path + strlen(path);
	uint64_t n;

	if (strncmp(path, "fd:", 3) != 0 || cur_u64(&cur, end, &n) == -1 ||
	    cur != end || n > INT_MAX)
		return -1;
	return (int)n;
}

/*
 * Writes the cache file: 0, or -1 when it could not be written (never
 * to a descriptor "fd:N").
 */
static int
cache_write(struct hs_database *const *db, size_t ndb, const char *extra,
    const char *magic, const char *path, const char *key)
{
	struct strbuf pl = STRBUF_INIT(CACHE_MAX), sb = STRBUF_INIT(CACHE_MAX);
	struct err err;
	char sum[65];
	int rc = -1;

	if (ndb == 0 || cache_fd(path) != -1 ||
	    payload(db, ndb, extra, &pl) == -1 ||
	    payload_digest(pl.p, pl.p + pl.len, sum) == -1)
		goto out;
	if (sum[0] != '\0' &&
	    strbuf_printf(&sb, "%s%s\n%s %zu\n", magic, key, sum, pl.len) !=
	        -1 &&
	    strbuf_add(&sb, pl.p, pl.len) != -1)
		rc = file_write_atomic(path, sb.p, sb.len, 0600, &err);
out:
	strbuf_release(&pl);
	strbuf_release(&sb);
	return rc;
}

struct at_ctx {
	sig_match_at_fn fn;
	void *ctx;
	const unsigned char *rform;   /* not NULL: rules of forms only */
	const unsigned char *rfields; /* not NULL: rules of field only */
	unsigned forms, field;
};

/* Hyperscan's callback for the scans: the end offset passed on. */
static int
on_match_at(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	struct at_ctx *ac = ctx;

	(void)from;
	(void)flags;
	if ((ac->rform != NULL && !(ac->forms & SIG_FORM(ac->rform[id]))) ||
	    (ac->rfields != NULL && !(ac->rfields[id] & (1u << ac->field))))
		return 0;
	return ac->fn(id, (size_t)to, ac->ctx);
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

/* Frees a database, unless it is in a block (freed with the block). */
static void
db_free(struct hs_database *db, const struct sig_mem *m)
{
	if (m->base == NULL)
		hs_free_database(db);
}

static void
block_free(struct sig_mem *m)
{
	mem_unreserve(m->base, m->len);
	m->base = NULL;
	m->len = 0;
}

/* A database of the payload, made at dst (NULL: where Hyperscan's
 * allocator gives), tried on this CPU; -1 when unusable. */
static int
load_db(const char *p, size_t len, void *dst, struct hs_database **db,
    struct hs_scratch **scratch)
{
	if (dst != NULL) {
		*db = dst;
		if (hs_deserialize_database_at(p, len, *db) != HS_SUCCESS) {
			*db = NULL;
			return -1;
		}
	} else if (hs_deserialize_database(p, len, db) != HS_SUCCESS)
		return -1;
	/* a database for features this CPU lacks fails at scan time: try */
	if (hs_alloc_scratch(*db, scratch) != HS_SUCCESS ||
	    hs_scan(*db, "x", 1, 0, *scratch, noop, NULL) != HS_SUCCESS) {
		if (dst == NULL)
			hs_free_database(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

/*
 * Moves *p past a cache file's header when its magic is magic, its key
 * line is key (or, when tail, ends with key) and the payload that
 * follows is whole: 0, or -1.
 */
static int
cache_payload(const char **p, const char *end, const char *magic,
    const char *key, int tail)
{
	size_t keyn = strlen(key);
	const char *l;
	char sum[65], want[65];
	size_t n, ml = strlen(magic), len = 0;

	if ((size_t)(end - *p) < ml || memcmp(*p, magic, ml) != 0)
		return -1;
	*p += ml;
	if ((l = line(p, end, &n)) == NULL || n < keyn ||
	    (!tail && n != keyn) || memcmp(l + n - keyn, key, keyn) != 0)
		return -1;
	if ((l = line(p, end, &n)) == NULL || n < 66 || l[64] != ' ')
		return -1;
	memcpy(want, l, 64);
	want[64] = '\0';
	for (size_t i = 65; i < n; i++) {
		if (l[i] < '0' || l[i] > '9' || len > CACHE_MAX)
			return -1;
		len = len * 10 + (size_t)(l[i] - '0');
	}
	if ((size_t)(end - *p) != len || payload_digest(*p, end, sum) == -1)
		return -1;
	return strcmp(sum, want) == 0 ? 0 : -1;
}

/*
 * The cache file mapped read-only (no copy of its bytes: what the
 * databases are made from is read from the page cache): 0 with *p and
 * *n, or -1.  A file over CACHE_MAX, empty, or not a regular file is
 * refused.  The cache is replaced by a rename, never rewritten in place,
 * so the mapping's file does not shrink under it.
 */
static int
cache_map(const char *path, const char **p, size_t *n)
{
	struct stat st;
	void *m;
	int fd = cache_fd(path);

	if (fd == -1)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > CACHE_MAX) {
		close(fd);
		return -1;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	*p = m;
	*n = (size_t)st.st_size;
	return 0;
}

/*
 * Reads the ndb databases of a payload (the format of payload()), the
 * first keep of them into db (the others skipped, never deserialised),
 * their scratch space into *scratch, the payload's line of text into
 * extra.  With huge, they are made in one block of transparent huge
 * pages, *mem: Hyperscan's zeroing and copy of megabytes then cost a
 * page fault per 2 MiB, not per 4 KiB, and its scans fewer TLB misses
 * (both dear on a virtual machine).  0, or -1 with nothing kept.
 */
static int
cache_read(struct hs_database **db, size_t ndb, size_t keep, int huge,
    struct sig_mem *mem, struct strbuf *extra, struct hs_scratch **scratch,
    const char *magic, const char *path, const char *key)
{
	const char *map = NULL, *p, *end, *l, **ser;
	size_t n, got = 0, mapn = 0, total = 0, *sl, *sz;
	char *blk = NULL;

	ser = calloc(ndb + 1, sizeof(*ser));
	sl = calloc(ndb + 1, sizeof(*sl));
	sz = calloc(ndb + 1, sizeof(*sz));
	if (ser == NULL || sl == NULL || sz == NULL ||
	    cache_map(path, &map, &mapn) == -1)
		goto fail;
	p = map;
	end = p + mapn;
	if (cache_payload(&p, end, magic, key, 0) == -1 ||
	    (l = line(&p, end, &n)) == NULL)
		goto fail;
	strbuf_add(extra, l, n);
	for (size_t k = 0; k < ndb; k++)
		if (payload_db(&p, end, &ser[k], &sl[k]) == -1)
			goto fail;
	if (p != end)
		goto fail;
	for (size_t k = 0; huge && k < keep; k++) {
		if (hs_serialized_database_size(ser[k], sl[k], &sz[k]) !=
		        HS_SUCCESS ||
		    sz[k] > CACHE_MAX)
			goto fail;
		total += (sz[k] + 63) & ~(size_t)63;
	}
	/* no block to be had: each where Hyperscan's allocator gives */
	if (total > 0)
		blk = mem_reserve(total, &mem->base, &mem->len);
	for (; got < keep; got++) {
		if (load_db(ser[got], sl[got], blk, &db[got], scratch) == -1)
			goto fail;
		if (blk != NULL)
			blk += (sz[got] + 63) & ~(size_t)63;
	}
	munmap((void *)map, mapn);
	free(ser);
	free(sl);
	free(sz);
	return 0;
fail:
	if (map != NULL)
		munmap((void *)map, mapn);
	for (size_t i = 0; i < got; i++) {
		db_free(db[i], mem);
		db[i] = NULL;
	}
	block_free(mem);
	hs_free_scratch(*scratch);
	*scratch = NULL;
	free(ser);
	free(sl);
	free(sz);
	return -1;
}

/*
 * The compile, in a child forked for it that writes the cache and exits:
 * Hyperscan's compiler (most of libhs's code, and tens of MB of heap at
 * its peak) then never touches this process, which only reads the
 * cache.  1 when the cache was written, 0 when it was not (the caller
 * compiles here, and says why if the rules do not compile).
 */
static int
compile_forked(const struct attack_ruleset *rs, const struct own_plan *pl,
    const char *cache_path, const char *key)
{
	int status;
	pid_t pid = fork();

	if (pid == -1)
		return 0;
	if (pid == 0) {
		struct sig c;
		struct err e = {0};
		char text[2 * SIG_NDB + 3];

		memset(&c, 0, sizeof(c));
		if (compile_all(&c, rs, pl, &e) == -1 || c.ndbs == 0)
			_exit(1);
		plan_text(pl, text);
		_exit(cache_write(c.dbs, c.ndbs, text, CACHE_MAGIC, cache_path,
		          key) == 0
		        ? 0
		        : 2);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The plan's databases from the cache file (the first keep of them, the
 * rest left in the file): 0, or -1 with none read. */
static int
own_cache_read(struct sig *s, const struct own_plan *pl, size_t keep,
    const char *path, const char *key)
{
	struct strbuf extra = STRBUF_INIT(2 * SIG_NDB + 3);
	char text[2 * SIG_NDB + 3];
	int rc = -1;

	plan_text(pl, text);
	if (cache_read(s->dbs, pl->n, keep, !(s->flags & SIG_LEAN), &s->mem,
	        &extra, &s->scratch, CACHE_MAGIC, path, key) == 0) {
		/* the key says which rules: the plan is theirs, unless
		 * the file was made by other code */
		if (strcmp(strbuf_str(&extra), text) == 0)
			rc = 0;
		else {
			for (size_t k = 0; k < keep; k++) {
				db_free(s->dbs[k], &s->mem);
				s->dbs[k] = NULL;
			}
			block_free(&s->mem);
			hs_free_scratch(s->scratch);
			s->scratch = NULL;
		}
	}
	strbuf_release(&extra);
	if (rc == 0)
		s->ndbs = keep;
	return rc;
}

/*
 * SIG_LEAN: the plan turned to the database of every rule alone (set 0,
 * the first made) for each field and set of forms that has rules, its
 * matches of other fields and forms dropped as the scan's filter does.
 */
static void
plan_lean(struct own_plan *pl)
{
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 0; m < SIG_NFORMS; m++)
			if (pl->at[f][m] >= 0) {
				pl->at[f][m] = pl->every;
				pl->filter[f][m] = m != SIG_ALL;
			}
}

/* SIG_LEAN after a compile here: the databases but that of every rule
 * freed, the scratch space made again for it alone. */
static int
keep_every(struct sig *s, struct err *err)
{
	for (size_t k = 1; k < s->ndbs; k++) {
		hs_free_database(s->dbs[k]);
		s->dbs[k] = NULL;
	}
	s->ndbs = s->ndbs > 0 ? 1 : 0;
	hs_free_scratch(s->scratch);
	s->scratch = NULL;
	return alloc_scratch(s, err);
}

int
sig_compile(struct sig *s, const struct attack_ruleset *rs,
    const char *cache_path, unsigned flags, struct err *err)
{
	struct own_plan pl;
	char key[KEY_MAX];
	size_t keep;

	memset(s, 0, sizeof(*s));
	s->flags = flags;
	key[0] = '\0';
	if ((s->rform = malloc(rs->n + 1)) == NULL ||
	    (s->rfields = malloc(rs->n + 1)) == NULL ||
	    plan_make(&pl, rs) == -1) {
		sig_release(s);
		return err_sys(err, ENOMEM, "rules");
	}
	for (size_t i = 0; i < rs->n; i++) {
		s->rform[i] = (unsigned char)rs->r[i].form;
		s->rfields[i] = (unsigned char)rs->r[i].fields;
		s->npatterns += (size_t)compiled(&rs->r[i]);
	}
	if (pl.n == 0)
		goto done;
	/* the database of every rule is the plan's first */
	keep = flags & SIG_LEAN ? 1 : pl.n;
	if (cache_path != NULL) {
		cache_key(rs, key, sizeof(key));
		if (key[0] != '\0' &&
		    (own_cache_read(s, &pl, keep, cache_path, key) == 0 ||
		        (cache_fd(cache_path) == -1 &&
		            compile_forked(rs, &pl, cache_path, key) &&
		            (s->cache_made = 1) &&
		            own_cache_read(s, &pl, keep, cache_path, key) ==
		                0))) {
			s->from_cache = 1;
			goto done;
		}
	}
	s->cache_made = 0;
	if (compile_all(s, rs, &pl, err) == -1 || alloc_scratch(s, err) == -1) {
		plan_release(&pl);
		sig_release(s);
		return -1;
	}
	if (cache_path != NULL && key[0] != '\0') {
		char text[2 * SIG_NDB + 3];

		plan_text(&pl, text);
		(void)cache_write(
		    s->dbs, s->ndbs, text, CACHE_MAGIC, cache_path, key);
	}
	if ((flags & SIG_LEAN) && keep_every(s, err) == -1) {
		plan_release(&pl);
		sig_release(s);
		return -1;
	}
done:
	if (flags & SIG_LEAN)
		plan_lean(&pl);
	plan_apply(s, &pl);
	plan_release(&pl);
	return 0;
}

#define CRS_CACHE_MAGIC "SKMHSCR3\n"

/* The group of rule r's chain of transformations, made when new. */
static struct sig_group *
group_of(struct sig *s, size_t *cap, const struct crs_rule *r)
{
	struct sig_group *g;

	for (size_t i = 0; i < s->ngrp; i++)
		if (s->grp[i].ntfn == r->ntfn &&
		    memcmp(s->grp[i].tfn, r->tfn, r->ntfn) == 0)
			return &s->grp[i];
	if (mem_grow(&s->grp, cap, s->ngrp + 1, sizeof(*s->grp)) == -1)
		return NULL;
	g = &s->grp[s->ngrp++];
	memset(g, 0, sizeof(*g));
	memcpy(g->tfn, r->tfn, r->ntfn);
	g->ntfn = r->ntfn;
	return g;
}

/* The expressions of one group: NUL-separated texts, flags, ids, the
 * classes of text each may match in. */
struct gexpr {
	struct strbuf text;
	unsigned *flags, *ids;
	unsigned char *cm;
	size_t n, cap, fcap, mcap;
};

static int
gexpr_add(
    struct gexpr *x, const char *e, size_t len, unsigned flags, unsigned id)
{
	size_t c1 = x->cap, c2 = x->fcap, c3 = x->mcap;

	if (mem_grow(&x->flags, &c1, x->n + 1, sizeof(*x->flags)) == -1 ||
	    mem_grow(&x->ids, &c2, x->n + 1, sizeof(*x->ids)) == -1 ||
	    mem_grow(&x->cm, &c3, x->n + 1, sizeof(*x->cm)) == -1)
		return -1;
	x->cap = c1;
	x->fcap = c2;
	x->mcap = c3;
	x->flags[x->n] = flags;
	x->ids[x->n] = id;
	x->cm[x->n] = 0; /* gexpr_classes */
	x->n++;
	strbuf_add(&x->text, e, len);
	strbuf_addc(&x->text, '\0');
	return strbuf_failed(&x->text) ? -1 : 0;
}

unsigned
sig_rule_flags(const struct attack_rule *r)
{
	/* no HS_FLAG_SINGLEMATCH: its bookkeeping costs more than the
	 * repeated callbacks, which the callers dedup */
	return HS_FLAG_DOTALL | (r->caseful ? 0 : HS_FLAG_CASELESS);
}

int
sig_crs_exprs(const struct crs_rule *r,
    int (*fn)(const char *expr, size_t len, unsigned flags, void *arg),
    void *arg)
{
	unsigned fl = HS_FLAG_DOTALL | (r->caseless ? HS_FLAG_CASELESS : 0) |
	    (r->multiline ? HS_FLAG_MULTILINE : 0) |
	    (r->prefilter ? HS_FLAG_PREFILTER : 0);

	if (!crs_op_scanned(r->op))
		return 0;
	if (r->op != CO_PM)
		return fn(r->expr, strlen(r->expr), fl, arg);
	for (const char *p = r->expr; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l > 0 && fn(p, l, fl, arg) == -1)
			return -1;
		p += l + (nl ? 1 : 0);
	}
	return 0;
}

struct gexpr_to {
	struct gexpr *x;
	unsigned id;
};

static int
gexpr_one(const char *e, size_t len, unsigned flags, void *arg)
{
	struct gexpr_to *to = arg;

	return gexpr_add(to->x, e, len, flags, to->id);
}

/* Group g's expressions (@pm: one per phrase) into x. */
static int
gexpr_fill(struct gexpr *x, const struct sig_group *g, const struct crs_set *cs)
{
	for (size_t i = 0; i < g->nrules; i++) {
		struct gexpr_to to = {x, g->rules[i]};

		if (sig_crs_exprs(&cs->r[g->rules[i]], gexpr_one, &to) == -1)
			return -1;
	}
	return 0;
}

/* 1 when the group of x has a database of its own beside the per-target
 * ones: some expressions, of at most SIG_GROUP_SMALL rules (a @pm rule's
 * phrases come one after another). */
static int
small_group(const struct gexpr *x)
{
	size_t rules = 0;

	for (size_t j = 0; j < x->n; j++)
		rules += j == 0 || x->ids[j] != x->ids[j - 1];
	return rules > 0 && rules <= SIG_GROUP_SMALL;
}

static void
free_all(struct sig *s)
{
	for (unsigned t = 0; t < CT_N; t++) {
		db_free(s->all[t], &s->crs_mem);
		s->all[t] = NULL;
	}
	db_free(s->big, &s->crs_mem);
	s->big = NULL;
}

/* Fills ex, fl, id (and cm, when not NULL, with their classes) with
 * every group's expressions for a target of mask; returns how many. */
static size_t
exprs_for(const struct sig *s, const struct gexpr *x, const struct crs_set *cs,
    unsigned mask, const char **ex, unsigned *fl, unsigned *id,
    unsigned char *cm)
{
	size_t k = 0;

	for (size_t i = 0; i < s->ngrp; i++) {
		const char *p = x[i].text.p;

		for (size_t j = 0; j < x[i].n; j++) {
			if (cs->r[x[i].ids[j]].targets & mask) {
				ex[k] = p;
				/* a rule another database demoted: here too */
				fl[k] = x[i].flags[j] |
				    (cs->r[x[i].ids[j]].prefilter
				            ? HS_FLAG_PREFILTER
				            : 0);
				id[k] = x[i].ids[j];
				if (cm != NULL)
					cm[k] = x[i].cm[j];
				k++;
			}
			p += strlen(p) + 1;
		}
	}
	return k;
}

/*
 * Compiles n expressions into *db; an expression too large for Hyperscan
 * as it is goes again as a prefilter (PCRE2 confirms its matches), its
 * rule marked in cs and its index added to demoted.  0, or -1 with err.
 */
static int
compile_demoting(const char **ex, unsigned *fl, const unsigned *id, size_t n,
    struct crs_set *cs, struct strbuf *demoted, struct hs_database **db,
    struct err *err)
{
	hs_compile_error_t *cerr = NULL;

	while (hs_compile_multi(ex, fl, id, (unsigned)n, HS_MODE_BLOCK, NULL,
	           db, &cerr) != HS_SUCCESS) {
		int bad = cerr->expression;

		if (bad >= 0 && (size_t)bad < n &&
		    !(fl[bad] & HS_FLAG_PREFILTER) &&
		    cs->r[id[bad]].op == CO_RX) {
			hs_free_compile_error(cerr);
			cerr = NULL;
			fl[bad] |= HS_FLAG_PREFILTER;
			if (!cs->r[id[bad]].prefilter)
				strbuf_printf(demoted, "%s%u",
				    demoted->len ? " " : "", id[bad]);
			cs->r[id[bad]].prefilter = 1;
			continue;
		}
		if (bad >= 0 && (size_t)bad < n)
			err_set(err, 0, "CRS rule %u: %s", cs->r[id[bad]].id,
			    cerr->message);
		else
			err_set(err, 0, "hyperscan: %s", cerr->message);
		hs_free_compile_error(cerr);
		*db = NULL;
		return -1;
	}
	return 0;
}

/*
 * Per small target t, the expressions of every group's rules for t in one
 * database, s->all[t], and those of the other targets together in s->big;
 * db[] gets those made, in target order, s->big last.  0, or -1 with err
 * (then none).
 */
static int
compile_all_groups(struct sig *s, const struct gexpr *x, struct crs_set *cs,
    struct hs_database **db, struct strbuf *demoted, struct err *err)
{
	const char **ex;
	unsigned *fl, *id;
	size_t n = 0, ndb = 0;
	int rc = 0;

	for (size_t i = 0; i < s->ngrp; i++)
		n += x[i].n;
	ex = calloc(n + 1, sizeof(*ex));
	fl = calloc(n + 1, sizeof(*fl));
	id = calloc(n + 1, sizeof(*id));
	if (ex == NULL || fl == NULL || id == NULL)
		rc = err_sys(err, ENOMEM, "rules");
	for (unsigned t = 0; t <= CT_N && rc == 0; t++) {
		unsigned mask =
		    t < CT_N ? s->all_targets & (1u << t) : s->big_targets;
		struct hs_database **d = t < CT_N ? &s->all[t] : &s->big;
		size_t k;

		if (mask == 0 ||
		    (k = exprs_for(s, x, cs, mask, ex, fl, id, NULL)) == 0)
			continue;
		if (compile_demoting(ex, fl, id, k, cs, demoted, d, err) == -1)
			rc = -1;
		else if (hs_alloc_scratch(*d, &s->scratch) != HS_SUCCESS)
			rc = err_set(err, ENOMEM,
			    "cannot allocate Hyperscan scratch space");
		else
			db[ndb++] = *d;
	}
	free(ex);
	free(fl);
	free(id);
	if (rc == -1) {
		free_all(s);
		s->all_targets = s->big_targets = 0;
	}
	return rc;
}

/*
 * The targets with rules into s->crs_targets, and those compile_all_groups
 * makes a database of their own for (bit 1 << t) into s->all_targets: a
 * target whose rules are a small part of the whole (at most a quarter of
 * the expressions), where a scan of its own database costs much less than
 * one of each group's.  The others (the arguments, with nearly every
 * expression) into s->big_targets: they share one database.
 */
static void
all_targets(struct sig *s, const struct gexpr *x, const struct crs_set *cs)
{
	size_t n = 0, k[CT_N] = {0};

	s->crs_targets = s->all_targets = s->big_targets = 0;
	for (size_t i = 0; i < s->ngrp; i++)
		for (size_t j = 0; j < x[i].n; j++, n++)
			for (unsigned t = 0; t < CT_N; t++)
				k[t] += (cs->r[x[i].ids[j]].targets >> t) & 1;
	for (unsigned t = 0; t < CT_N; t++) {
		if (k[t] > 0)
			s->crs_targets |= 1u << t;
		if (k[t] > 0 && k[t] <= n / 4)
			s->all_targets |= 1u << t;
		else if (k[t] > 0)
			s->big_targets |= 1u << t;
	}
}

/* The class databases freed, their pointers cleared. */
static void
crs_classes_drop(struct sig *s)
{
	for (size_t i = 0; i < s->ncrs_cdbs; i++)
		db_free(s->crs_cdbs[i], &s->crs_mem);
	free(s->crs_cdbs);
	s->crs_cdbs = NULL;
	s->ncrs_cdbs = 0;
	s->crs_classes = 0;
	memset(s->all_c, 0, sizeof(s->all_c));
	memset(s->big_c, 0, sizeof(s->big_c));
	for (size_t i = 0; i < s->ngrp; i++)
		memset(s->grp[i].cdb, 0, sizeof(s->grp[i].cdb));
}

/* A database the CRS cache holds before those of the classes: where it
 * is and where its classes' are. */
struct crs_base {
	struct hs_database **db;
	struct hs_database **cls; /* SIG_NCLASS */
};

/*
 * The expressions of the b-th database the CRS cache holds (shared: per
 * target, big, then each small group's; else each group's that has
 * expressions) into ex, fl (with the prefilter flag of a rule made one),
 * id and cm; how many, and where its databases are into *where.
 */
static size_t
base_exprs(struct sig *s, const struct gexpr *x, const struct crs_set *cs,
    int shared, size_t b, const char **ex, unsigned *fl, unsigned *id,
    unsigned char *cm, struct crs_base *where)
{
	for (unsigned t = 0; shared && t <= CT_N; t++) {
		unsigned mask =
		    t < CT_N ? s->all_targets & (1u << t) : s->big_targets;

		if (mask == 0 || b-- > 0)
			continue;
		where->db = t < CT_N ? &s->all[t] : &s->big;
		where->cls = t < CT_N ? s->all_c[t] : s->big_c;
		return exprs_for(s, x, cs, mask, ex, fl, id, cm);
	}
	for (size_t i = 0; i < s->ngrp; i++) {
		const char *p = x[i].text.p;

		if ((shared ? !small_group(&x[i]) : x[i].n == 0) || b-- > 0)
			continue;
		for (size_t j = 0; j < x[i].n; j++) {
			ex[j] = p;
			p += strlen(p) + 1;
			fl[j] = x[i].flags[j] |
			    (cs->r[x[i].ids[j]].prefilter ? HS_FLAG_PREFILTER
			                                  : 0);
			id[j] = x[i].ids[j];
			if (cm != NULL)
				cm[j] = x[i].cm[j];
		}
		where->db = &s->grp[i].db;
		where->cls = s->grp[i].cdb;
		return x[i].n;
	}
	where->db = where->cls = NULL;
	return 0;
}

/* The class databases of the CRS cache's nbase: per base, its plan. */
struct crs_classes {
	unsigned char (*plan)[SIG_NCLASS];
	size_t nbase, nnew;
	const char **ex;
	unsigned *fl, *id;
	unsigned char *cm;
};

static void
crs_classes_release(struct crs_classes *cc)
{
	free(cc->plan);
	free(cc->ex);
	free(cc->fl);
	free(cc->id);
	free(cc->cm);
	memset(cc, 0, sizeof(*cc));
}

/* The classes of text each expression of x (ngrp groups) may match in,
 * read from its text (the reading a compile needs, a cache does not). */
static void
gexpr_classes(struct gexpr *x, size_t ngrp)
{
	for (size_t i = 0; i < ngrp; i++) {
		const char *p = x[i].text.p;

		for (size_t j = 0; j < x[i].n; j++) {
			size_t len = strlen(p);

			x[i].cm[j] = expr_classes(p, len, x[i].flags[j]);
			p += len + 1;
		}
	}
}

/* Room for the class plan of nbase databases: 0, or -1 (no memory). */
static int
crs_classes_init(struct crs_classes *cc, const struct sig *s,
    const struct gexpr *x, size_t nbase)
{
	size_t n = 0;

	memset(cc, 0, sizeof(*cc));
	for (size_t i = 0; i < s->ngrp; i++)
		n += x[i].n;
	cc->nbase = nbase;
	cc->plan = calloc(nbase + 1, sizeof(*cc->plan));
	cc->ex = calloc(n + 1, sizeof(*cc->ex));
	cc->fl = calloc(n + 1, sizeof(*cc->fl));
	cc->id = calloc(n + 1, sizeof(*cc->id));
	cc->cm = calloc(n + 1, sizeof(*cc->cm));
	if (cc->plan == NULL || cc->ex == NULL || cc->fl == NULL ||
	    cc->id == NULL || cc->cm == NULL) {
		crs_classes_release(cc);
		return -1;
	}
	return 0;
}

/* The plan of the classes of cc's databases, from their expressions'
 * classes (gexpr_classes). */
static void
crs_classes_plan(struct crs_classes *cc, struct sig *s, const struct gexpr *x,
    const struct crs_set *cs, int shared)
{
	struct crs_base w;

	for (size_t b = 0; b < cc->nbase; b++) {
		size_t k = base_exprs(
		    s, x, cs, shared, b, cc->ex, cc->fl, cc->id, cc->cm, &w);

		cc->nnew += class_plan(cc->cm, k, cc->plan[b]);
	}
}

/* The plan as a word of the cache's text: 'c', then per database and
 * class (from the top) its CP_* digit. */
static void
crs_classes_word(const struct crs_classes *cc, struct strbuf *sb)
{
	strbuf_addc(sb, ' ');
	strbuf_addc(sb, 'c');
	for (size_t b = 0; b < cc->nbase; b++)
		for (unsigned c = SIG_NCLASS; c-- > 0;)
			strbuf_addc(sb, (char)('0' + cc->plan[b][c]));
}

/* The plan from the cache's text (crs_classes_word's): 0, or -1 when it
 * has none for cc->nbase databases. */
static int
crs_classes_read(struct crs_classes *cc, const char *text)
{
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, " ");

		if (p[0] == 'c' && n == 1 + cc->nbase * SIG_NCLASS) {
			cc->nnew = 0;
			for (size_t b = 0, i = 1; b < cc->nbase; b++)
				for (unsigned c = SIG_NCLASS; c-- > 0; i++) {
					unsigned v = (unsigned char)p[i] - '0';

					/* the top class has none above */
					if (v > CP_NEW ||
					    (v == CP_ABOVE &&
					        c == SIG_NCLASS - 1))
						return -1;
					cc->plan[b][c] = (unsigned char)v;
					cc->nnew += v == CP_NEW;
				}
			return 0;
		}
		p += n;
		p += strspn(p, " ");
	}
	return -1;
}

/* The cache file's text and how many databases it holds, when it is whole
 * and its key is key: 0, or -1. */
static int
cache_peek(const char *path, const char *magic, const char *key,
    struct strbuf *text, size_t *ndb)
{
	const char *map = NULL, *p, *end, *l, *db;
	size_t n, mapn = 0;
	int rc = -1;

	if (cache_map(path, &map, &mapn) == -1)
		return -1;
	p = map;
	end = p + mapn;
	if (cache_payload(&p, end, magic, key, 0) == 0 &&
	    (l = line(&p, end, &n)) != NULL) {
		strbuf_add(text, l, n);
		for (*ndb = 0; p < end && payload_db(&p, end, &db, &n) == 0;)
			(*ndb)++;
		rc = p == end && !strbuf_failed(text) ? 0 : -1;
	}
	munmap((void *)map, mapn);
	return rc;
}

/*
 * The class databases into each base's cls, after the base databases:
 * those of their own from made[] (read from the cache: read), else
 * compiled into made[].  0, or -1 with err.
 */
static int
crs_classes_apply(struct crs_classes *cc, struct sig *s, const struct gexpr *x,
    struct crs_set *cs, int shared, struct hs_database **made, int read,
    struct strbuf *demoted, struct err *err)
{
	size_t nn = 0;
	struct crs_base w;

	for (size_t b = 0; b < cc->nbase; b++) {
		size_t k = base_exprs(
		    s, x, cs, shared, b, cc->ex, cc->fl, cc->id, cc->cm, &w);

		if (w.db == NULL)
			return err_set(err, 0, "rules: no database %zu", b);
		for (unsigned c = SIG_NCLASS; c-- > 0;) {
			size_t m = 0;

			switch (cc->plan[b][c]) {
			case CP_NONE:
				w.cls[c] = NULL;
				continue;
			case CP_FULL:
				w.cls[c] = *w.db;
				continue;
			case CP_ABOVE:
				w.cls[c] = w.cls[c + 1];
				continue;
			default:
				break;
			}
			if (!read) {
				/* its expressions first, in their order */
				for (size_t j = 0; j < k; j++)
					if ((cc->cm[j] >> c) & 1) {
						cc->ex[m] = cc->ex[j];
						cc->fl[m] = cc->fl[j];
						cc->id[m] = cc->id[j];
						cc->cm[m] = cc->cm[j];
						m++;
					}
				if (compile_demoting(cc->ex, cc->fl, cc->id, m,
				        cs, demoted, &made[nn], err) == -1)
					return -1;
				if (hs_alloc_scratch(made[nn], &s->scratch) !=
				    HS_SUCCESS)
					return err_set(err, ENOMEM,
					    "cannot allocate Hyperscan scratch "
					    "space");
				/* the next class's from all again */
				k = base_exprs(s, x, cs, shared, b, cc->ex,
				    cc->fl, cc->id, cc->cm, &w);
			}
			w.cls[c] = made[nn++];
		}
	}
	return 0;
}

int
sig_crs_known(struct crs_set *cs, const char *cache_path)
{
	const char *map = NULL, *p, *end, *l;
	char tail[KEY_MAX];
	size_t n, mapn = 0;
	hs_platform_info_t pl;
	int rc = -1;

	/* the verdicts hold for this Hyperscan on this CPU: the key's end */
	if (cache_path == NULL || hs_populate_platform(&pl) != HS_SUCCESS ||
	    (size_t)snprintf(tail, sizeof(tail),
	        " %s tune=%u features=%" PRIx64, hs_version(), pl.tune,
	        (uint64_t)pl.cpu_features) >= sizeof(tail) ||
	    strchr(tail, '\n') != NULL ||
	    cache_map(cache_path, &map, &mapn) == -1)
		return -1;
	p = map;
	end = p + mapn;
	if (cache_payload(&p, end, CRS_CACHE_MAGIC, tail, 1) == 0 &&
	    (l = line(&p, end, &n)) != NULL) {
		char *text = strndup(l, n);

		if (text != NULL)
			rc = crs_set_known(cs, text);
		free(text);
	}
	munmap((void *)map, mapn);
	return rc;
}

int
sig_compile_crs(struct sig *s, struct crs_set *cs, int paranoia,
    const char *cache_path, struct err *err)
{
	struct gexpr *x = NULL;
	struct hs_database **dbs = NULL;
	struct crs_classes cc = {0};
	int cache_path_read = 1;
	size_t gcap = 0, ndb = 0;
	size_t nall = 0, nsmall = 0, ncache = 0;
	int shared = 0;
	struct hash256 md;
	char key[KEY_MAX], hash[65];
	struct strbuf demoted = STRBUF_INIT(1u << 20);
	int rc = -1;

	key[0] = '\0';
	for (size_t i = 0; i < cs->n; i++) {
		struct sig_group *g;
		size_t c;

		if (cs->r[i].paranoia > paranoia)
			continue;
		if ((g = group_of(s, &gcap, &cs->r[i])) == NULL)
			goto nomem;
		c = g->nrules;
		if (mem_grow(&g->rules, &c, g->nrules + 1, sizeof(*g->rules)) ==
		    -1)
			goto nomem;
		g->rules[g->nrules++] = (uint32_t)i;
		g->targets |= cs->r[i].targets;
	}
	if (s->ngrp == 0) {
		rc = 0;
		goto out;
	}
	if ((x = calloc(s->ngrp, sizeof(*x))) == NULL)
		goto nomem;
	hash256_init(&md);
	for (size_t i = 0; i < s->ngrp; i++) {
		strbuf_init(&x[i].text, CACHE_MAX);
		if (gexpr_fill(&x[i], &s->grp[i], cs) == -1)
			goto nomem;
		hash256_add(&md, &x[i].n, sizeof(x[i].n));
		s->grp[i].nexpr = x[i].n;
		if (x[i].n == 0)
			continue;
		hash256_add(&md, x[i].text.p, x[i].text.len);
		hash256_add(&md, x[i].flags, x[i].n * sizeof(unsigned));
		hash256_add(&md, x[i].ids, x[i].n * sizeof(unsigned));
		ndb++;
	}
	all_targets(s, x, cs);
	if (s->crs_groups_only)
		s->all_targets = s->big_targets = 0;
	shared = (s->all_targets | s->big_targets) != 0;
	nall =
	    (size_t)__builtin_popcount(s->all_targets) + (s->big_targets != 0);
	for (size_t i = 0; shared && i < s->ngrp; i++)
		nsmall += (size_t)small_group(&x[i]);
	ncache = shared ? nall + nsmall : ndb;
	if (crs_classes_init(&cc, s, x, ncache) == -1)
		goto nomem;
	{
		hs_platform_info_t pl;

		/* which databases the cache holds */
		if (shared)
			hash256_add(&md, "per target, small groups", 24);
		/* the classes' databases: what the classes are and how
		 * rxbytes reads an expression */
		for (unsigned c = 0; c < SIG_NCLASS; c++)
			hash256_add(
			    &md, class_adds[c], strlen(class_adds[c]) + 1);
		hash256_add(&md, RXBYTES_VERSION, strlen(RXBYTES_VERSION));
		hash256_hex(&md, hash);
		if (hs_populate_platform(&pl) == HS_SUCCESS &&
		    (size_t)snprintf(key, sizeof(key),
		        "%s %s tune=%u features=%" PRIx64, hash, hs_version(),
		        pl.tune, (uint64_t)pl.cpu_features) >= sizeof(key))
			key[0] = '\0';
		for (char *c = key; *c; c++)
			if (*c == '\n')
				*c = ' ';
	}
	/* the cache holds the class databases after the others (read by
	 * SIG_LEAN, which uses none, only when it must compile), their plan
	 * in its text */
	if (cache_path != NULL && key[0] != '\0' && ncache > 0) {
		struct strbuf text = STRBUF_INIT(CACHE_MAX);
		size_t n = 0;

		if (cache_peek(cache_path, CRS_CACHE_MAGIC, key, &text, &n) ==
		        -1 ||
		    crs_classes_read(&cc, strbuf_str(&text)) == -1 ||
		    n != ncache + cc.nnew)
			cc.nnew = 0, n = 0;
		strbuf_release(&text);
		if (n == 0)
			cache_path_read = 0;
	}
	if ((dbs = calloc(ncache + cc.nnew + CT_N + 1, sizeof(*dbs))) == NULL ||
	    (s->crs_cdbs = calloc(cc.nnew + 1, sizeof(*s->crs_cdbs))) == NULL)
		goto nomem;
	if (cache_path != NULL && key[0] != '\0' && ncache > 0 &&
	    cache_path_read &&
	    cache_read(dbs, ncache + cc.nnew,
	        ncache + (s->flags & SIG_LEAN ? 0 : cc.nnew),
	        !(s->flags & SIG_LEAN), &s->crs_mem, &demoted, &s->scratch,
	        CRS_CACHE_MAGIC, cache_path, key) == 0) {
		const char *p = strbuf_str(&demoted);

		/* the rules the compile turned into prefilters */
		while (*p != '\0') {
			uint64_t k;

			/* crs_set_known's, the class plan */
			if (*p == 'v' || *p == 'l' || *p == 'c') {
				p += strcspn(p, " ");
				p += strspn(p, " ");
				continue;
			}
			if (cur_u64(&p, p + strlen(p), &k) == -1)
				break;
			if (k < cs->n)
				cs->r[k].prefilter = 1;
			while (*p == ' ')
				p++;
		}
		s->crs_from_cache = 1;
		for (size_t i = 0, k = shared ? nall : 0; i < s->ngrp; i++)
			if (shared ? small_group(&x[i]) : x[i].n > 0)
				s->grp[i].db = dbs[k++];
		for (unsigned t = 0, k = 0; t < CT_N; t++)
			if (s->all_targets & (1u << t))
				s->all[t] = dbs[k++];
		if (s->big_targets != 0)
			s->big = dbs[nall - 1];
		if (!(s->flags & SIG_LEAN)) {
			memcpy(
			    s->crs_cdbs, dbs + ncache, cc.nnew * sizeof(*dbs));
			s->ncrs_cdbs = cc.nnew;
			if (crs_classes_apply(&cc, s, x, cs, shared,
			        s->crs_cdbs, 1, &demoted, err) == -1)
				goto out;
			s->crs_classes = 1;
		}
		rc = 0;
		goto out;
	}
	/* what the cache may have left of the text: a plan not read */
	strbuf_reset(&demoted);
	gexpr_classes(x, s->ngrp);
	cc.nnew = 0;
	crs_classes_plan(&cc, s, x, cs, shared);
	free(dbs);
	free(s->crs_cdbs);
	s->crs_cdbs = NULL;
	if ((dbs = calloc(ncache + cc.nnew + CT_N + 1, sizeof(*dbs))) == NULL ||
	    (s->crs_cdbs = calloc(cc.nnew + 1, sizeof(*s->crs_cdbs))) == NULL)
		goto nomem;
	/* every group's rules per target; each group's own databases only
	 * when those cannot be made */
	if (shared && compile_all_groups(s, x, cs, dbs, &demoted, err) == -1) {
		shared = 0;
		key[0] = '\0'; /* the cache would not hold what its key says */
		crs_classes_release(&cc); /* nor its classes: none */
	}
	for (size_t i = 0, k = shared ? nall : 0; i < s->ngrp; i++) {
		const char **ex;
		const char *p = x[i].text.p;

		if (shared ? !small_group(&x[i]) : x[i].n == 0)
			continue;
		if ((ex = calloc(x[i].n, sizeof(*ex))) == NULL)
			goto nomem;
		for (size_t j = 0; j < x[i].n; j++) {
			ex[j] = p;
			p += strlen(p) + 1;
			/* a rule the per-target databases demoted: here too */
			if (cs->r[x[i].ids[j]].prefilter)
				x[i].flags[j] |= HS_FLAG_PREFILTER;
		}
		if (compile_demoting(ex, x[i].flags, x[i].ids, x[i].n, cs,
		        &demoted, &s->grp[i].db, err) == -1) {
			free(ex);
			goto out;
		}
		free(ex);
		if (hs_alloc_scratch(s->grp[i].db, &s->scratch) != HS_SUCCESS) {
			err_set(err, ENOMEM,
			    "cannot allocate Hyperscan scratch space");
			goto out;
		}
		dbs[k++] = s->grp[i].db;
	}
	/* a cache that could not be read took the scratch space with it:
	 * it must fit the database of sakimori's own rules again */
	if (alloc_scratch(s, err) == -1)
		goto out;
	if (cc.plan != NULL) {
		if (crs_classes_apply(&cc, s, x, cs, shared, s->crs_cdbs, 0,
		        &demoted, err) == -1) {
			s->ncrs_cdbs = cc.nnew;
			goto out;
		}
		s->ncrs_cdbs = cc.nnew;
		s->crs_classes = 1;
		memcpy(dbs + ncache, s->crs_cdbs, cc.nnew * sizeof(*dbs));
	}
	if (cache_path != NULL && key[0] != '\0') {
		for (size_t i = 0; i < cs->nv; i++)
			strbuf_printf(&demoted, "%sv%s%d",
			    demoted.len ? " " : "", cs->v[i].h, cs->v[i].k);
		crs_inj_token(cs, &demoted);
		if (cc.plan != NULL)
			crs_classes_word(&cc, &demoted);
		(void)cache_write(dbs, ncache + cc.nnew, strbuf_str(&demoted),
		    CRS_CACHE_MAGIC, cache_path, key);
	}
	if (s->flags & SIG_LEAN)
		crs_classes_drop(s);
	rc = 0;
	goto out;
nomem:
	err_sys(err, ENOMEM, "rules");
out:
	crs_classes_release(&cc);
	for (size_t i = 0; x != NULL && i < s->ngrp; i++) {
		strbuf_release(&x[i].text);
		free(x[i].flags);
		free(x[i].ids);
		free(x[i].cm);
	}
	free(x);
	free(dbs);
	strbuf_release(&demoted);
	if (rc == -1)
		sig_release_crs(s);
	return rc;
}

static int
scan_at(struct sig *s, struct hs_database *db, const char *p, size_t n,
    struct at_ctx *ac)
{
	hs_error_t e;

	if (db == NULL)
		return 0;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	e = hs_scan(
	    db, n > 0 ? p : "", (unsigned)n, 0, s->scratch, on_match_at, ac);
	return e == HS_SUCCESS || e == HS_SCAN_TERMINATED ? 0 : -1;
}

int
sig_scan_group(struct sig *s, size_t g, unsigned cls, const char *p, size_t n,
    sig_match_at_fn fn, void *ctx)
{
	struct at_ctx ac = {fn, ctx, NULL, NULL, 0, 0};

	if (s->crs_classes && cls < SIG_NCLASS)
		return scan_at(s, s->grp[g].cdb[cls], p, n, &ac);
	return scan_at(s, s->grp[g].db, p, n, &ac);
}

int
sig_scan_all(struct sig *s, unsigned mask, unsigned cls, const char *p,
    size_t n, sig_match_at_fn fn, void *ctx)
{
	struct at_ctx ac = {fn, ctx, NULL, NULL, 0, 0};
	unsigned c = s->crs_classes ? cls : SIG_NCLASS;
	int rc = 0;

	for (unsigned t = 0; t < CT_N; t++)
		if (mask & s->all_targets & (1u << t) &&
		    scan_at(s, c < SIG_NCLASS ? s->all_c[t][c] : s->all[t], p,
		        n, &ac) == -1)
			rc = -1;
	if (mask & s->big_targets &&
	    scan_at(s, c < SIG_NCLASS ? s->big_c[c] : s->big, p, n, &ac) == -1)
		rc = -1;
	return rc;
}

void
sig_release_crs(struct sig *s)
{
	crs_classes_drop(s);
	free_all(s);
	s->all_targets = s->big_targets = s->crs_targets = 0;
	for (size_t i = 0; i < s->ngrp; i++) {
		db_free(s->grp[i].db, &s->crs_mem);
		free(s->grp[i].rules);
	}
	block_free(&s->crs_mem);
	free(s->grp);
	s->grp = NULL;
	s->ngrp = 0;
	s->crs_from_cache = 0;
}

void
sig_release(struct sig *s)
{
	sig_release_crs(s);
	for (size_t k = 0; k < s->ndbs; k++)
		db_free(s->dbs[k], &s->mem);
	block_free(&s->mem);
	free(s->rform);
	free(s->rfields);
	hs_free_scratch(s->scratch);
	memset(s, 0, sizeof(*s));
}

int
sig_has(const struct sig *s, enum attack_field f, unsigned forms)
{
	return s->fdb[f][forms & SIG_ALL] != NULL;
}

int
sig_scan(struct sig *s, enum attack_field f, unsigned forms, const char *p,
    size_t n, sig_match_at_fn fn, void *ctx)
{
	struct at_ctx ac = {fn, ctx, NULL, NULL, forms & SIG_ALL, 0};

	if (n == 0)
		return 0;
	if (s->filter[f][forms & SIG_ALL])
		ac.rform = s->rform;
	if (s->fdb[f][forms & SIG_ALL] == s->every) {
		ac.rfields = s->rfields;
		ac.field = (unsigned)f;
	}
	return scan_at(s, s->fdb[f][forms & SIG_ALL], p, n, &ac);
}

int
sig_scan_every(struct sig *s, enum attack_field f, unsigned forms,
    const char *p, size_t n, sig_match_at_fn fn, void *ctx)
{
	struct at_ctx ac = {
	    fn, ctx, s->rform, s->rfields, forms & SIG_ALL, (unsigned)f};

	if (n == 0)
		return 0;
	if ((forms & SIG_ALL) == SIG_ALL)
		ac.rform = NULL;
	return scan_at(s, s->every, p, n, &ac);
}
