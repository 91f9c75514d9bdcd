/*
 * attack.c - one request through normalisation, the signature databases
 * and the anomaly rules (see attack.h).
 */
#include <stdlib.h>
#include <string.h>

#include "attack/attack.h"
#include "attack/attack_int.h"
#include "attack/normalise.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/timeutil.h"

enum {
	B_PATH,
	B_QUERY,
	B_SHELL,
	B_UA,
	B_REF,
	B_TMP,
};

int
attack_engine_init(struct attack_engine *e, struct attack_ruleset *rs,
    const char *cache_path, unsigned sig_flags, struct err *err)
{
	memset(e, 0, sizeof(*e));
	e->rules = *rs;
	ruleset_init(rs);
	if (sig_compile(&e->sig, &e->rules, cache_path, sig_flags, err) == -1) {
		ruleset_release(&e->rules);
		return -1;
	}
	e->bufcap = ATTACK_FIELD_MAX + 1;
	for (size_t i = 0; i < countof(e->buf); i++)
		if ((e->buf[i] = malloc(e->bufcap)) == NULL) {
			attack_engine_release(e);
			return err_set(err, 0, "out of memory");
		}
	/* the memo's hash is seeded: values an attacker writes into the log
	 * cannot be aimed at one slot (a collision only costs a scan) */
	e->seed = hash_seed();
	attack_engine_memo(e, 1);
	return 0;
}

void
attack_engine_memo(struct attack_engine *e, int on)
{
	if (!on) {
		free(e->memo);
		e->memo = NULL;
		free(e->ctag);
		free(e->clean);
		e->ctag = NULL;
		e->clean = NULL;
	} else if (e->memo == NULL) {
		e->memo = mem_huge_calloc(ATTACK_MEMO_FIRST * sizeof(*e->memo));
		e->memo_slots = ATTACK_MEMO_FIRST;
		e->memo_looks = 0;
		e->memo_t0 = clock_mono();
	}
}

/*
 * Every ATTACK_MEMO_BUSY values: a small memo that saw them in under
 * ATTACK_MEMO_BUSY_SECS seconds is a busy log's, and is replaced by the
 * big one (empty: it is only a cache).
 */
static void
memo_busy(struct attack_engine *e)
{
	double now = clock_mono();
	struct attack_memo *big;

	if (e->memo_slots < ATTACK_MEMO_SLOTS &&
	    now - e->memo_t0 < ATTACK_MEMO_BUSY_SECS &&
	    /* probed at random: in huge pages, no TLB miss per probe */
	    (big = mem_huge_calloc(ATTACK_MEMO_SLOTS * sizeof(*big))) != NULL) {
		free(e->memo);
		e->memo = big;
		e->memo_slots = ATTACK_MEMO_SLOTS;
		/* the clean table too (none: every request line looked at) */
		e->ctag =
		    mem_huge_calloc(ATTACK_CLEAN_SLOTS * sizeof(*e->ctag));
		e->clean =
		    mem_huge_calloc(ATTACK_CLEAN_SLOTS * sizeof(*e->clean));
		if (e->ctag == NULL || e->clean == NULL) {
			free(e->ctag);
			free(e->clean);
			e->ctag = NULL;
			e->clean = NULL;
		}
	}
	e->memo_looks = 0;
	e->memo_t0 = now;
}

void
attack_engine_release(struct attack_engine *e)
{
	attack_crs_release(e);
	sig_release(&e->sig);
	ruleset_release(&e->rules);
	for (size_t i = 0; i < countof(e->buf); i++)
		free(e->buf[i]);
	free(e->memo);
	free(e->ctag);
	free(e->clean);
	memset(e, 0, sizeof(*e));
}

const struct attack_rule *
attack_rule_of(const struct attack_engine *e, const struct attack_hit *h)
{
	return &e->rules.r[h->rule];
}

/*
 * The rules one field matched, in the order the scans reported them,
 * each once.  FRES_MAX is twice ATTACK_MAX_HITS: a longer list could not
 * change a result, as the request's hits are full before its end.
 */
#define FRES_MAX (2 * ATTACK_MAX_HITS)

struct fres {
	unsigned n;
	unsigned flags; /* NORM_* of the field's decoding */
	uint32_t rule[FRES_MAX];
};

/* One scan's rules, each once, in the order of their first match. */
struct match_ctx {
	unsigned n;
	uint32_t rule[FRES_MAX];
};

static void
add_hit(struct attack_result *res, unsigned rule, enum attack_field f)
{
	for (size_t i = 0; i < res->nhits; i++)
		if (res->hit[i].rule == rule)
			return;
	if (res->nhits < ATTACK_MAX_HITS) {
		res->hit[res->nhits].rule = rule;
		res->hit[res->nhits].field = f;
		res->nhits++;
	}
}

/* Adds rule to the n rules of list (at most FRES_MAX), unless there. */
static void
add_rule(uint32_t *list, unsigned *n, unsigned rule)
{
	for (unsigned i = 0; i < *n; i++)
		if (list[i] == rule)
			return;
	if (*n < FRES_MAX)
		list[(*n)++] = rule;
}

/* A match of a rule for the field and the forms scanned (the database
 * holds no other). */
static int
on_match(unsigned rule, size_t to, void *ctx)
{
	struct match_ctx *mc = ctx;

	(void)to;
	add_rule(mc->rule, &mc->n, rule);
	return 0;
}

/*
 * Scans text [p, p+n) of field f for its rules of forms (SIG_FORM bits:
 * all, one, or two that have the same text) into fr.  Two rules or more:
 * scanned again with the database of every rule, once per form, raw,
 * decoded then shell (once when forms are all), for their order: that
 * database's, which for matches that end at the same place is not that
 * of f's own.
 */
static void
scan(struct attack_engine *e, enum attack_field f, unsigned forms,
    const char *p, size_t n, struct fres *fr)
{
	static const enum attack_form order[] = {
	    AFORM_RAW, AFORM_DECODED, AFORM_SHELL};
	struct match_ctx mc = {0};

	if (!sig_has(&e->sig, f, forms))
		return;
	(void)sig_scan(&e->sig, f, forms, p, n, on_match, &mc);
	if (mc.n >= 2) {
		mc.n = 0;
		if (forms == SIG_ALL)
			(void)sig_scan_every(
			    &e->sig, f, SIG_ALL, p, n, on_match, &mc);
		else
			for (size_t i = 0; i < countof(order); i++)
				if (forms & SIG_FORM(order[i]))
					(void)sig_scan_every(&e->sig, f,
					    SIG_FORM(order[i]), p, n, on_match,
					    &mc);
	}
	for (unsigned k = 0; k < mc.n; k++)
		add_rule(fr->rule, &fr->n, mc.rule[k]);
}

static int
same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* 1 when decoding cannot change [s, s+n): printable ASCII, no '%' (nor
 * '+' when it means a space). */
static int
plain(const char *s, size_t n, int plus)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%' || c < 0x20 || c >= 0x7f || (plus && c == '+'))
			return 0;
	}
	return 1;
}

/* ... and for a path: no backslash, "//" or dot segment either. */
static int
path_plain(const char *s, size_t n)
{
	if (!plain(s, n, 0) || (n > 0 && s[0] == '.'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\\' ||
		    (s[i] == '/' && i + 1 < n &&
		        (s[i + 1] == '/' || s[i + 1] == '.')))
			return 0;
	return 1;
}

/* 1 when norm_shell cannot change [s, s+n). */
static int
shell_plain(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' || c == '\'' || c == '"' || c == '^' ||
		    c == '$' || (c < 0x20) ||
		    (c == ' ' && i + 1 < n && s[i + 1] == ' '))
			return 0;
	}
	return 1;
}

/*
 * One field in its three forms (dec == raw when decoding changed
 * nothing): a single scan when they are the same text, else one scan per
 * distinct text, each with the database of the rules of the forms that
 * have that text.
 */
static void
scan_forms(struct attack_engine *e, enum attack_field f, const char *raw,
    size_t rn, const char *dec, size_t dn, struct fres *res)
{
	const char *sh = dec;
	size_t sn = dn;
	int rd = dec == raw || same(raw, rn, dec, dn), ds;

	if (sig_has(&e->sig, f, SIG_FORM(AFORM_SHELL)) &&
	    !shell_plain(dec, dn)) {
		sn = norm_shell(dec, dn, e->buf[B_SHELL]);
		sh = e->buf[B_SHELL];
	}
	ds = sh == dec || same(dec, dn, sh, sn);
	if (rd && ds) {
		scan(e, f, SIG_ALL, raw, rn, res);
	} else if (rd) {
		scan(e, f, SIG_FORM(AFORM_RAW) | SIG_FORM(AFORM_DECODED), raw,
		    rn, res);
		scan(e, f, SIG_FORM(AFORM_SHELL), sh, sn, res);
	} else if (ds) {
		scan(e, f, SIG_FORM(AFORM_RAW), raw, rn, res);
		scan(e, f, SIG_FORM(AFORM_DECODED) | SIG_FORM(AFORM_SHELL), dec,
		    dn, res);
	} else {
		scan(e, f, SIG_FORM(AFORM_RAW), raw, rn, res);
		scan(e, f, SIG_FORM(AFORM_DECODED), dec, dn, res);
		scan(e, f, SIG_FORM(AFORM_SHELL), sh, sn, res);
	}
}

/* Does the anomaly hold for these flags? */
static int
anomaly_holds(enum attack_anomaly a, unsigned pf, unsigned qf)
{
	unsigned any = pf | qf;
	unsigned uni = NORM_OVERLONG | NORM_PCT_U | NORM_FULLWIDTH;

	switch (a) {
	case ANOM_UNICODE_TRAVERSAL:
		return (pf & NORM_HIDDEN_TRAVERSAL) && (pf & uni);
	case ANOM_DOUBLE_ENCODED_TRAVERSAL:
		return (pf & NORM_HIDDEN_TRAVERSAL) && (pf & NORM_DOUBLE) &&
		    !(pf & uni);
	case ANOM_ENCODED_TRAVERSAL:
		return (pf & NORM_HIDDEN_TRAVERSAL) &&
		    !(pf & (uni | NORM_DOUBLE));
	case ANOM_ABOVE_ROOT:
		return (pf & NORM_ABOVE_ROOT) != 0;
	case ANOM_OVERLONG_UTF8:
		return (any & NORM_OVERLONG) != 0;
	case ANOM_IIS_U_ENCODING:
		return (any & NORM_PCT_U) != 0;
	case ANOM_DOUBLE_ENCODING:
		return (any & NORM_DOUBLE) != 0;
	case ANOM_NUL_BYTE:
		return (any & NORM_NUL) != 0;
	case ANOM_CRLF:
		return (any & NORM_CRLF) != 0;
	case ANOM_CONTROL_CHAR:
		return (any & NORM_CTRL) != 0;
	case ANOM_INVALID_UTF8:
		return (any & NORM_BAD_UTF8) != 0;
	case ANOM_BAD_PERCENT:
		return (any & NORM_BAD_PCT) != 0;
	case ANOM_BACKSLASH:
		return (pf & NORM_BACKSLASH) != 0;
	case ANOM_NONE:
	case ANOM_N:
		break;
	}
	return 0;
}

static size_t
cut(size_t n)
{
	return n > ATTACK_FIELD_MAX ? ATTACK_FIELD_MAX : n;
}

/*
 * The memo's slot for a field value (five of these per request): a hash
 * of its length and its ends only, as a hit is confirmed by comparing the
 * whole value; values made to share a slot only cost their scans.
 */
static uint64_t
memo_hash(const char *p, size_t n, uint64_t seed, unsigned field)
{
	return hash_ends(seed ^ field, p, n);
}

/* Normalises and scans one field (all of its forms) into fr. */
static void
field_scan(struct attack_engine *e, enum attack_field f, const char *p,
    size_t n, struct fres *fr)
{
	size_t m;

	switch (f) {
	case AF_METHOD:
		scan(e, AF_METHOD, SIG_ALL, p, n, fr);
		return;
	case AF_PATH:
		if (path_plain(p, n)) {
			scan_forms(e, AF_PATH, p, n, p, n, fr);
			return;
		}
		m = norm_path(p, n, e->buf[B_PATH], &fr->flags);
		scan_forms(e, AF_PATH, p, n, e->buf[B_PATH], m, fr);
		return;
	case AF_QUERY:
		if (plain(p, n, 1)) {
			scan_forms(e, AF_QUERY, p, n, p, n, fr);
			return;
		}
		m = norm_decode(p, n, 1, e->buf[B_QUERY], &fr->flags);
		scan_forms(e, AF_QUERY, p, n, e->buf[B_QUERY], m, fr);
		return;
	case AF_UA:
	case AF_REFERER:
		if (plain(p, n, 0)) {
			scan_forms(e, f, p, n, p, n, fr);
			return;
		}
		m = norm_decode(
		    p, n, 0, e->buf[f == AF_UA ? B_UA : B_REF], &fr->flags);
		scan_forms(
		    e, f, p, n, e->buf[f == AF_UA ? B_UA : B_REF], m, fr);
		return;
	case AF_NFIELDS:
		break;
	}
}

/*
 * One field through the memo: a value seen recently gives back its
 * remembered result, any other is scanned (and remembered when short and
 * with few hits).  The field's hits go into res in the scans' order;
 * returns the field's decoding flags.
 */
static unsigned
field_match(struct attack_engine *e, enum attack_field f, const char *p,
    size_t n, struct attack_result *res, unsigned *nhits)
{
	struct fres fr;
	struct attack_memo *m = NULL;
	uint64_t h = 0;

	if (e->memo != NULL && n < ATTACK_MEMO_KEY) {
		if (++e->memo_looks == ATTACK_MEMO_BUSY)
			memo_busy(e);
		h = memo_hash(p, n, e->seed, (unsigned)f);
		m = &e->memo[h & (e->memo_slots - 1)];
		if (m->hash == h && m->len == n + 1 && m->field == f &&
		    memcmp(m->key, p, n) == 0) {
			e->memo_hits++;
			for (unsigned i = 0; i < m->nhits; i++)
				add_hit(res, m->rule[i], f);
			*nhits += m->nhits;
			return m->flags;
		}
		e->memo_misses++;
	}
	fr.n = 0;
	fr.flags = 0;
	field_scan(e, f, p, n, &fr);
	for (unsigned i = 0; i < fr.n; i++)
		add_hit(res, fr.rule[i], f);
	*nhits += fr.n;
	if (m != NULL && fr.n <= ATTACK_MEMO_HITS) {
		m->hash = h;
		m->len = (uint16_t)(n + 1);
		m->field = (uint8_t)f;
		m->nhits = (uint8_t)fr.n;
		m->flags = fr.flags;
		memcpy(m->rule, fr.rule, fr.n * sizeof(fr.rule[0]));
		if (n > 0)
			memcpy(m->key, p, n);
	}
	return fr.flags;
}

void
attack_clean_forget(struct attack_engine *e)
{
	if (e->ctag != NULL)
		memset(e->ctag, 0, ATTACK_CLEAN_SLOTS * sizeof(*e->ctag));
}

/*
 * The clean table's key of rq into k: the lengths of its method, path,
 * query (and whether it has one) and protocol, then their bytes; 0 when
 * longer than ATTACK_CLEAN_KEY.
 */
static size_t
clean_key(const struct attack_req *rq, char *k)
{
	size_t mn = rq->method_len, pn = rq->path ? rq->path_len : 0;
	size_t qn = rq->query ? rq->query_len : 0;
	size_t rn = rq->protocol ? rq->protocol_len : 0;
	size_t n = 5;

	if (mn + pn + qn + rn > ATTACK_CLEAN_KEY - n)
		return 0;
	k[0] = (char)mn;
	k[1] = (char)pn;
	k[2] = (char)qn;
	k[3] = rq->query != NULL;
	k[4] = (char)rn;
	if (mn > 0)
		memcpy(k + n, rq->method, mn);
	n += mn;
	if (pn > 0)
		memcpy(k + n, rq->path, pn);
	n += pn;
	if (qn > 0)
		memcpy(k + n, rq->query, qn);
	n += qn;
	if (rn > 0)
		memcpy(k + n, rq->protocol, rn);
	return n + rn;
}

/* A slot of the clean table, and the hash its entry has. */
struct clean_slot {
	struct attack_clean_tag *t; /* NULL: the value is not kept */
	struct attack_clean *c;
	uint64_t h;
};

#define CLEAN_SEED 0x636c65616eULL /* "clean": apart from the memo's */
#define CLEAN_FIELD 0xff /* a field value's key: 0xff, field, length */

static struct clean_slot
clean_slot(const struct attack_engine *e, uint64_t h)
{
	struct clean_slot s = {&e->ctag[h & (ATTACK_CLEAN_SLOTS - 1)],
	    &e->clean[h & (ATTACK_CLEAN_SLOTS - 1)], h};

	return s;
}

/* 1 when the user agent or referrer [p, p+n) of field f is in the table
 * (*s: its slot, s->t NULL when it cannot be). */
static int
clean_field(struct attack_engine *e, enum attack_field f, const char *p,
    size_t n, struct clean_slot *s)
{
	const unsigned char *k;

	s->t = NULL;
	if (e->ctag == NULL || n > ATTACK_CLEAN_KEY - 3)
		return 0;
	*s =
	    clean_slot(e, hash_ends(e->seed ^ CLEAN_SEED ^ (f + 1) << 8, p, n));
	k = (const unsigned char *)s->c->key;
	return s->t->hash == s->h && s->t->len == n + 3 &&
	    k[0] == CLEAN_FIELD && k[1] == f && k[2] == n &&
	    memcmp(k + 3, p, n) == 0;
}

static void
clean_put_field(
    struct clean_slot *s, enum attack_field f, const char *p, size_t n)
{
	s->t->hash = s->h;
	s->t->len = (uint32_t)(n + 3);
	s->c->key[0] = (char)CLEAN_FIELD;
	s->c->key[1] = (char)f;
	s->c->key[2] = (char)n;
	memcpy(s->c->key + 3, p, n);
}

size_t
attack_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res)
{
	char key[ATTACK_CLEAN_KEY];
	struct clean_slot line = {0}, ua = {0}, ref = {0};
	size_t kn = 0;
	int clean = 0, ua_clean = 0, ref_clean = 0;
	unsigned own = 0, own_ua = 0, own_ref = 0, dirty = 0;
	/* the CRS targets of the user agent and referrer */
	const unsigned ua_t = 1u << CT_UA, ref_t = 1u << CT_REFERER;
	int whole;

	res->nhits = 0;
	res->crs_score = 0;
	res->ncrs = 0;
	res->path_flags = res->query_flags = 0;
	res->top = -1;
	res->sev = ASEV_INFO;

	if (e->ctag != NULL && (kn = clean_key(rq, key)) > 0) {
		line = clean_slot(e, hash_ends(e->seed ^ CLEAN_SEED, key, kn));
		clean = line.t->hash == line.h && line.t->len == kn &&
		    memcmp(line.c->key, key, kn) == 0;
	}
	if (clean) {
		e->clean_hits++;
		res->path_flags = line.c->path_flags;
		res->query_flags = line.c->query_flags;
		ua_clean = rq->ua_len == 0 ||
		    clean_field(e, AF_UA, rq->ua, rq->ua_len, &ua);
		ref_clean = rq->referer_len == 0 ||
		    clean_field(
		        e, AF_REFERER, rq->referer, rq->referer_len, &ref);
	} else {
		if (rq->method_len > 0)
			(void)field_match(e, AF_METHOD, rq->method,
			    cut(rq->method_len), res, &own);
		res->path_flags = field_match(e, AF_PATH,
		    rq->path ? rq->path : "", cut(rq->path_len), res, &own);
		if (rq->query != NULL)
			res->query_flags = field_match(e, AF_QUERY, rq->query,
			    cut(rq->query_len), res, &own);
		if (line.t != NULL) {
			if (rq->ua_len > 0)
				(void)clean_field(
				    e, AF_UA, rq->ua, rq->ua_len, &ua);
			if (rq->referer_len > 0)
				(void)clean_field(e, AF_REFERER, rq->referer,
				    rq->referer_len, &ref);
		}
	}
	/* all of it known to match nothing: neither rule set looks again */
	whole = clean && ua_clean && ref_clean;
	e->clean_whole += (uint64_t)whole;
	if (!whole && rq->ua_len > 0)
		(void)field_match(
		    e, AF_UA, rq->ua, cut(rq->ua_len), res, &own_ua);
	if (!whole && rq->referer_len > 0)
		(void)field_match(e, AF_REFERER, rq->referer,
		    cut(rq->referer_len), res, &own_ref);
	if (res->path_flags | res->query_flags)
		for (size_t i = 0; i < e->rules.n; i++) {
			const struct attack_rule *r = &e->rules.r[i];

			if (r->disabled || r->anomaly == ANOM_NONE)
				continue;
			if (anomaly_holds(
			        r->anomaly, res->path_flags, res->query_flags))
				add_hit(res, (unsigned)i, AF_PATH);
		}
	if (whole)
		goto statuses;
	/* the Core Rule Set's verdict joins sakimori's as one more hit */
	if (e->crs != NULL) {
		dirty = attack_crs_match(e, rq, res, clean);
		if (res->crs_score >= e->crs->threshold)
			add_hit(res, e->crs->rule, AF_PATH);
	}
	/* what matched nothing goes into the table (of fields of at most
	 * ATTACK_FIELD_MAX: every target was made) */
	if (line.t != NULL &&
	    rq->ua_len + rq->referer_len <= ATTACK_FIELD_MAX) {
		if (!clean && own == 0 && !(dirty & ~(ua_t | ref_t))) {
			line.t->hash = line.h;
			line.t->len = (uint32_t)kn;
			line.c->path_flags = res->path_flags;
			line.c->query_flags = res->query_flags;
			memcpy(line.c->key, key, kn);
		}
		if (ua.t != NULL && !ua_clean && own_ua == 0 && !(dirty & ua_t))
			clean_put_field(&ua, AF_UA, rq->ua, rq->ua_len);
		if (ref.t != NULL && !ref_clean && own_ref == 0 &&
		    !(dirty & ref_t))
			clean_put_field(
			    &ref, AF_REFERER, rq->referer, rq->referer_len);
	}
statuses:;
	/* rules that count only with some response statuses */
	size_t n = 0;

	for (size_t i = 0; i < res->nhits; i++)
		if (attack_rule_status_ok(
		        &e->rules.r[res->hit[i].rule], rq->status))
			res->hit[n++] = res->hit[i];
	res->nhits = n;

	for (size_t i = 0; i < res->nhits; i++) {
		enum attack_sev s = e->rules.r[res->hit[i].rule].sev;

		if (res->top < 0 || s > res->sev) {
			res->top = (int)i;
			res->sev = s;
		}
	}
	return res->nhits;
}

void
attack_req_uri(struct attack_req *rq, const char *uri, size_t n)
{
	const char *qm = memchr(uri, '?', n);

	rq->path = uri;
	rq->path_len = qm ? (size_t)(qm - uri) : n;
	rq->query = qm ? qm + 1 : NULL;
	rq->query_len = qm ? n - rq->path_len - 1 : 0;
}

int
attack_has_class(const struct attack_engine *e, const struct attack_result *res,
    const char *cls)
{
	for (size_t i = 0; i < res->nhits; i++)
		if (strcmp(e->rules.r[res->hit[i].rule].cls, cls) == 0)
			return 1;
	return 0;
}

int
attack_path_executable(const char *uri, size_t n)
{
	static const char *const ext[] = {".exe", ".com", ".bat", ".cmd",
	    ".dll", ".pl", ".cgi", ".php", ".asp", ".aspx", ".jsp", ".sh",
	    ".py", ".ida", ".idq", ".htr", ".printer"};
	const char *qm = memchr(uri, '?', n);
	size_t pn = qm ? (size_t)(qm - uri) : n;

	if (pn >= 9 && memmem(uri, pn, "/cgi-bin/", 9) != NULL)
		return 1;
	for (size_t i = 0; i < countof(ext); i++) {
		size_t l = strlen(ext[i]);

		if (pn >= l && strncasecmp(uri + pn - l, ext[i], l) == 0)
			return 1;
	}
	return 0;
}
