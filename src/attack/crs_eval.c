/*
 * crs_eval.c - the Core Rule Set's translated rules on one request: the
 * request's targets (crs.h) made from its logged fields, each
 * transformed once per chain of transformations and scanned with that
 * chain's database (sig_scan_group), prefilter matches confirmed by
 * PCRE2, negated, @within and libinjection's @detectSQLi/@detectXSS rules
 * decided after the scan, a chained rule's further links checked only
 * when its own operator matched, the anomaly scores of the rules that
 * matched summed.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "attack/attack.h"
#include "attack/attack_int.h"
#include "base/cur.h"
#include "base/dl_injection.h"
#include "base/hash.h"
#include "base/mem.h"

#define CRS_RULE_ID 949110 /* CRS's own "inbound anomaly score exceeded" */
#define MAX_VALUES 64      /* targets of one request, arguments included */

/* A rule decided after its group's scan, with what deciding it needs. */
struct crs_post {
	uint32_t rule;
	unsigned targets;
	enum crs_op op;
	int negated;
	const char *expr; /* @within's text */
	size_t len;
};

struct value {
	const char *p;
	size_t n;
	unsigned mask; /* 1 << enum crs_target: the targets with this text */
};

static void
crs_free(struct attack_crs *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; c->re != NULL && i < c->set.n; i++)
		pcre2_code_free(c->re[i]);
	free(c->re);
	pcre2_match_data_free(c->md);
	for (size_t i = 0; c->post != NULL && i < c->npost_groups; i++)
		free(c->post[i]);
	free(c->post);
	free(c->npost);
	free(c->repeat);
	free(c->mark);
	free(c->fired);
	free(c->hit);
	free(c->tix);
	free(c->gbits);
	free(c->gtfn);
	free(c->vt);
	free(c->vfirst);
	free(c->tx);
	free(c->steps);
	free(c->sx);
	free(c->group);
	free(c->seen);
	free(c->mtag);
	free(c->memo);
	free(c->val);
	free(c->a);
	free(c->b);
	free(c->la);
	free(c->lb);
	free(c->lc);
	injection_words_free(c->words);
	crs_set_release(&c->set);
	free(c);
}

void
attack_crs_release(struct attack_engine *e)
{
	crs_free(e->crs);
	e->crs = NULL;
}

const struct crs_rule *
attack_crs_rule(const struct attack_engine *e, const struct attack_crs_hit *h)
{
	return &e->crs->set.r[h->rule];
}

/*
 * Room for the texts values() makes of one request: its four logged
 * fields unescaped, the URI joined, decoded, the path decoded, the
 * request line and the decoded arguments, each at most the request's
 * fields, so that a request whose fields fit ATTACK_FIELD_MAX has every
 * target made (an argument left out for want of room would go unscanned).
 */
#define CRS_VAL_ROOM (8 * ATTACK_FIELD_MAX)

int
attack_engine_crs(struct attack_engine *e, struct crs_set *cs, int paranoia,
    int threshold, const char *cache_path, struct err *err)
{
	struct attack_crs *c = calloc(1, sizeof(*c));
	struct attack_rule r;
	size_t n = CRS_TFN_OUT(ATTACK_FIELD_MAX);

	if (c == NULL)
		return err_sys(err, ENOMEM, "rules");
	c->set = *cs;
	crs_set_init(cs);
	c->threshold = threshold;
	if ((c->re = calloc(c->set.n + 1, sizeof(*c->re))) == NULL ||
	    (c->mark = calloc(c->set.n + 1, sizeof(*c->mark))) == NULL ||
	    (c->fired = calloc(c->set.n + 1, sizeof(*c->fired))) == NULL ||
	    (c->seen = calloc(c->set.n + 1, sizeof(*c->seen))) == NULL ||
	    (c->group = calloc(c->set.n + 1, sizeof(*c->group))) == NULL ||
	    (c->hit = calloc(c->set.n + 1, sizeof(*c->hit))) == NULL ||
	    (c->val = malloc(CRS_VAL_ROOM + 1)) == NULL ||
	    (c->a = malloc(n)) == NULL || (c->b = malloc(n)) == NULL ||
	    (c->la = malloc(n)) == NULL || (c->lb = malloc(n)) == NULL ||
	    (c->lc = malloc(ATTACK_FIELD_MAX + 1)) == NULL ||
	    (c->md = pcre2_match_data_create(1, NULL)) == NULL ||
	    (c->mtag = mem_huge_calloc(CRS_MEMO_SLOTS * sizeof(*c->mtag))) ==
	        NULL ||
	    (c->memo = mem_huge_calloc(CRS_MEMO_SLOTS * sizeof(*c->memo))) ==
	        NULL) {
		crs_free(c);
		return err_sys(err, ENOMEM, "rules");
	}
	/* the compile may turn an expression into a prefilter: PCRE2 after */
	if (sig_compile_crs(&e->sig, &c->set, paranoia, cache_path, err) ==
	    -1) {
		crs_free(c);
		return -1;
	}
	for (size_t i = 0; i < c->set.n; i++) {
		const struct crs_rule *cr = &c->set.r[i];
		int ec;
		PCRE2_SIZE eo;

		if (!cr->prefilter || cr->paranoia > paranoia)
			continue;
		c->re[i] =
		    pcre2_compile((PCRE2_SPTR)cr->expr, PCRE2_ZERO_TERMINATED,
		        PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY |
		            (cr->caseless ? PCRE2_CASELESS : 0) |
		            (cr->multiline ? PCRE2_MULTILINE : 0),
		        &ec, &eo, NULL);
		if (c->re[i] == NULL) {
			crs_free(c);
			sig_release_crs(&e->sig);
			return err_set(err, 0,
			    "CRS rule %u: PCRE2 cannot compile it", cr->id);
		}
		(void)pcre2_jit_compile(c->re[i], PCRE2_JIT_COMPLETE);
	}
	/* the rules decided per request */
	if ((c->repeat = calloc(c->set.n + 1, sizeof(*c->repeat))) == NULL) {
		crs_free(c);
		sig_release_crs(&e->sig);
		return err_sys(err, ENOMEM, "rules");
	}
	for (size_t i = 0; i < c->set.n; i++)
		if (c->set.r[i].op == CO_REPEATED_ARG &&
		    c->set.r[i].paranoia <= paranoia)
			c->repeat[c->nrepeat++] = (uint32_t)i;
	/* a value's texts, one per group at most, and their scans */
	if ((c->tix = calloc(2 * e->sig.ngrp + 1, sizeof(*c->tix))) == NULL ||
	    (c->vt = calloc(e->sig.ngrp + 1, sizeof(*c->vt))) == NULL ||
	    (c->vfirst = calloc((e->sig.ngrp + 1) * (c->set.n + 1),
	         sizeof(*c->vfirst))) == NULL ||
	    (c->tx = malloc(CRS_TEXTS_BYTES)) == NULL ||
	    (c->steps = calloc(CRS_STEPS, sizeof(*c->steps))) == NULL ||
	    (c->sx = malloc(CRS_STEP_BYTES)) == NULL) {
		crs_free(c);
		sig_release_crs(&e->sig);
		return err_sys(err, ENOMEM, "rules");
	}
	/* per target, its groups */
	c->gwords = (e->sig.ngrp + 63) / 64;
	if ((c->gbits = calloc(CT_N * c->gwords + 1, sizeof(*c->gbits))) ==
	        NULL ||
	    (c->gtfn = calloc(e->sig.ngrp + 1, sizeof(*c->gtfn))) == NULL) {
		crs_free(c);
		sig_release_crs(&e->sig);
		return err_sys(err, ENOMEM, "rules");
	}
	for (size_t g = 0; g < e->sig.ngrp; g++) {
		for (unsigned t = 0; t < CT_N; t++)
			if (e->sig.grp[g].targets & (1u << t))
				c->gbits[t * c->gwords + g / 64] |= 1ull
				    << (g % 64);
		for (unsigned k = 0; k < e->sig.grp[g].ntfn; k++)
			c->gtfn[g] |= 1u << e->sig.grp[g].tfn[k];
	}
	/* per group, the rules decided after its scan */
	c->npost_groups = e->sig.ngrp;
	if ((c->post = calloc(e->sig.ngrp + 1, sizeof(*c->post))) == NULL ||
	    (c->npost = calloc(e->sig.ngrp + 1, sizeof(*c->npost))) == NULL) {
		crs_free(c);
		sig_release_crs(&e->sig);
		return err_sys(err, ENOMEM, "rules");
	}
	for (size_t g = 0; g < e->sig.ngrp; g++) {
		const struct sig_group *gr = &e->sig.grp[g];

		for (size_t k = 0; k < gr->nrules; k++)
			c->group[gr->rules[k]] = (uint32_t)g;
		if ((c->post[g] = calloc(gr->nrules + 1, sizeof(**c->post))) ==
		    NULL) {
			crs_free(c);
			sig_release_crs(&e->sig);
			return err_sys(err, ENOMEM, "rules");
		}
		for (size_t k = 0; k < gr->nrules; k++) {
			const struct crs_rule *cr = &c->set.r[gr->rules[k]];

			if (cr->op == CO_REPEATED_ARG)
				continue; /* per request */
			if (cr->negated || !crs_op_scanned(cr->op))
				c->post[g][c->npost[g]++] = (struct crs_post){
				    gr->rules[k], cr->targets, cr->op,
				    cr->negated, cr->expr,
				    cr->op == CO_WITHIN ? strlen(cr->expr) : 0};
		}
	}
	/* the verdict's hit: an entry of the rules without a pattern */
	memset(&r, 0, sizeof(r));
	r.id = CRS_RULE_ID;
	snprintf(r.cls, sizeof(r.cls), "crs-anomaly");
	r.sev = ASEV_CRITICAL;
	snprintf(r.desc, sizeof(r.desc),
	    "OWASP Core Rule Set: inbound anomaly score of at least %d",
	    threshold);
	r.paranoia = 1;
	snprintf(r.origin, sizeof(r.origin), "crs");
	if (mem_grow(&e->rules.r, &e->rules.cap, e->rules.n + 1,
	        sizeof(*e->rules.r)) == -1) {
		crs_free(c);
		sig_release_crs(&e->sig);
		return err_sys(err, ENOMEM, "rules");
	}
	c->rule = (unsigned)e->rules.n;
	e->rules.r[e->rules.n++] = r;
	/* request lines found clean before these rules came */
	attack_clean_forget(e);
	e->crs = c;
	return 0;
}

static size_t
cutn(size_t n)
{
	return n > ATTACK_FIELD_MAX ? ATTACK_FIELD_MAX : n;
}

static void
add_value(struct value *v, size_t *nv, const char *p, size_t n, unsigned mask)
{
	if (*nv < MAX_VALUES && p != NULL) {
		v[*nv].p = p;
		v[*nv].n = cutn(n);
		v[*nv].mask = mask;
		(*nv)++;
	}
}

/* ModSecurity's argument decoding: %XX and '+'; a bad escape stays. */
static size_t
arg_decode(const char *s, size_t n, char *out)
{
	return crs_tfn_apply(CRS_T_URLDECODE, s, n, out);
}

/* ModSecurity's REQUEST_URI and REQUEST_FILENAME: %XX decoded ('+'
 * stays). */
static size_t
path_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int h = i + 2 < n && s[i] == '%' ? cur_hexval(s[i + 1]) : -1;
		int l = h >= 0 ? cur_hexval(s[i + 2]) : -1;

		if (l >= 0) {
			out[o++] = (char)(h << 4 | l);
			i += 2;
		} else
			out[o++] = s[i];
	}
	return o;
}

/*
 * A logged field as the client sent it: Apache writes '"' and '\' as \"
 * and \\ and other bytes as \xHH, nginx all of them as \xHH.  The text
 * goes to c->val (from *used) when it has a backslash and room.
 */
static void
unescape(struct attack_crs *c, size_t *used, const char **p, size_t *n)
{
	char *out = c->val + *used;
	size_t o = 0;

	if (*p == NULL || memchr(*p, '\\', *n) == NULL ||
	    *used + *n > CRS_VAL_ROOM)
		return;
	for (size_t i = 0; i < *n; i++) {
		const char *s = *p;
		int h = i + 3 < *n && s[i] == '\\' && s[i + 1] == 'x'
		    ? cur_hexval(s[i + 2])
		    : -1;
		int l = h >= 0 ? cur_hexval(s[i + 3]) : -1;

		if (l >= 0) {
			out[o++] = (char)(h << 4 | l);
			i += 3;
		} else if (s[i] == '\\' && i + 1 < *n &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			out[o++] = s[++i];
		else
			out[o++] = s[i];
	}
	*p = out;
	*n = o;
	*used += o;
}

/*
 * The request's targets.  The URI (path and query) and the request line
 * are made in c->val when the log did not keep them side by side; the
 * fields the log escaped are unescaped there, the query's arguments
 * decoded there too.
 */
static size_t
values(struct attack_crs *c, const struct attack_req *logged, struct value *v)
{
	struct attack_req req = *logged;
	const struct attack_req *rq = &req;
	size_t nv = 0, used = 0, cap = CRS_VAL_ROOM;
	const char *path, *uri, *base, *fp;
	size_t un, fn;

	unescape(c, &used, &req.path, &req.path_len);
	unescape(c, &used, &req.query, &req.query_len);
	unescape(c, &used, &req.ua, &req.ua_len);
	unescape(c, &used, &req.referer, &req.referer_len);
	path = fp = uri = rq->path ? rq->path : "";
	un = fn = rq->path_len;
	if (rq->query != NULL) {
		if (rq->query == path + rq->path_len + 1)
			un = rq->path_len + 1 + rq->query_len;
		else if (used + rq->path_len + 1 + rq->query_len <= cap) {
			char *u = c->val + used;

			memcpy(u, path, rq->path_len);
			u[rq->path_len] = '?';
			memcpy(u + rq->path_len + 1, rq->query, rq->query_len);
			uri = u;
			un = rq->path_len + 1 + rq->query_len;
			used += un;
		}
	}
	/* REQUEST_URI is %-decoded, REQUEST_URI_RAW as sent */
	if (memchr(uri, '%', un) != NULL && used + un <= cap) {
		size_t k = path_decode(uri, un, c->val + used);

		add_value(v, &nv, uri, un, 1u << CT_URI_RAW);
		add_value(v, &nv, c->val + used, k, 1u << CT_URI);
		used += k;
	} else
		add_value(v, &nv, uri, un, 1u << CT_URI | 1u << CT_URI_RAW);
	if (memchr(path, '%', rq->path_len) != NULL &&
	    used + rq->path_len <= cap) {
		fp = c->val + used;
		fn = path_decode(path, rq->path_len, c->val + used);
		used += fn;
	}
	add_value(v, &nv, fp, fn, 1u << CT_FILENAME);
	base = fn > 0 ? memrchr(fp, '/', fn) : NULL;
	base = base ? base + 1 : fp;
	add_value(v, &nv, base, fn - (size_t)(base - fp), 1u << CT_BASENAME);
	if (rq->method_len > 0)
		add_value(v, &nv, rq->method, rq->method_len, 1u << CT_METHOD);
	if (rq->protocol != NULL && rq->protocol_len > 0) {
		add_value(
		    v, &nv, rq->protocol, rq->protocol_len, 1u << CT_PROTOCOL);
		/* the request line: "METHOD URI PROTOCOL" */
		if (used + rq->method_len + un + rq->protocol_len + 2 <= cap) {
			char *l = c->val + used;
			size_t k = 0;

			memcpy(l, rq->method, rq->method_len);
			k += rq->method_len;
			l[k++] = ' ';
			memcpy(l + k, uri, un);
			k += un;
			l[k++] = ' ';
			memcpy(l + k, rq->protocol, rq->protocol_len);
			k += rq->protocol_len;
			add_value(v, &nv, l, k, 1u << CT_REQUEST_LINE);
			used += k;
		}
	}
	if (rq->ua_len > 0)
		add_value(v, &nv, rq->ua, rq->ua_len, 1u << CT_UA);
	if (rq->referer_len > 0)
		add_value(
		    v, &nv, rq->referer, rq->referer_len, 1u << CT_REFERER);
	if (rq->query == NULL)
		return nv;
	add_value(v, &nv, rq->query, rq->query_len, 1u << CT_QUERY);
	/* name=value pairs separated by '&', each decoded */
	for (const char *p = rq->query, *end = rq->query + cutn(rq->query_len);
	     p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(e - p));
		const char *ne = eq ? eq : e;

		if (e > p && used + (size_t)(e - p) <= cap) {
			size_t k =
			    arg_decode(p, (size_t)(ne - p), c->val + used);

			add_value(
			    v, &nv, c->val + used, k, 1u << CT_ARGS_NAMES);
			used += k;
			if (eq != NULL) {
				k = arg_decode(eq + 1, (size_t)(e - eq - 1),
				    c->val + used);
				add_value(
				    v, &nv, c->val + used, k, 1u << CT_ARGS);
				used += k;
			}
		}
		p = amp ? amp + 1 : end;
	}
	return nv;
}

/* What one value matched, before the request's own bookkeeping. */
#define VRES_MAX 64 /* per value */
#define MERGE_MAX 4 /* values with the same text scanned as one */

struct vres {
	unsigned n, cap;
	struct {
		uint32_t rule;
		uint8_t len;
		char text[ATTACK_CRS_TEXT];
	} h[VRES_MAX * MERGE_MAX];
};

struct scan_ctx {
	struct attack_crs *c;
	struct vres *vr;
	unsigned mask; /* the value's targets */
	const char *t; /* the transformed text */
	size_t tn;
};

/* A scan's first matches (struct crs_first), of the value's targets. */
struct first_ctx {
	struct attack_crs *c;
	struct crs_first *f;
	size_t n;
	unsigned mask;
};

/* Rule ri matched the text [t, t+tn) at to (0: unknown). */
static void
vfire(struct vres *vr, unsigned ri, const char *t, size_t tn, size_t to)
{
	size_t from;

	if (vr->n >= vr->cap)
		return;
	if (to == 0 || to > tn)
		to = tn < ATTACK_CRS_TEXT ? tn : ATTACK_CRS_TEXT;
	from = to > ATTACK_CRS_TEXT ? to - ATTACK_CRS_TEXT : 0;
	vr->h[vr->n].rule = ri;
	vr->h[vr->n].len = (uint8_t)(to - from);
	memcpy(vr->h[vr->n].text, t + from, to - from);
	vr->n++;
}

static int link_op(
    struct attack_crs *c, const struct crs_link *l, const char *x, size_t xn);

/* The links of rule r on the request's values: each must match one. */
static int
request_links(struct attack_crs *c, const struct crs_rule *r,
    const struct value *v, size_t nv)
{
	for (unsigned i = 0; i < r->nlinks; i++) {
		const struct crs_link *l = &r->links[i];
		int m = 0;

		if (l->targets == 0)
			continue;
		for (size_t k = 0; k < nv && !m; k++) {
			const char *x;
			size_t xn;

			if (!(v[k].mask & l->targets))
				continue;
			x = crs_tfn_chain(
			    l->tfn, l->ntfn, v[k].p, v[k].n, c->la, c->lb, &xn);
			m = link_op(c, l, x, xn) != l->negated;
		}
		if (!m)
			return 0;
	}
	return 1;
}

/* A value's matches into the request's result: each rule once. */
static void
apply(struct attack_crs *c, struct attack_result *res, const struct vres *vr,
    unsigned mask, int referer, const struct value *v, size_t nv)
{
	for (unsigned i = 0; i < vr->n; i++) {
		unsigned ri = vr->h[i].rule;
		const struct crs_rule *r = &c->set.r[ri];
		struct attack_crs_hit *h;
		int target = 0;

		if ((r->no_referer && referer) ||
		    (r->req_link && !request_links(c, r, v, nv)))
			continue;
		/* a multiMatch copy stands for its rule */
		ri = r->canon;
		if (c->fired[ri] == c->rstamp)
			continue;
		c->fired[ri] = c->rstamp;
		res->crs_score += r->score;
		if (res->ncrs >= ATTACK_CRS_HITS)
			continue;
		while (target < CT_N && !(mask & r->targets & (1u << target)))
			target++;
		h = &res->crs[res->ncrs++];
		h->id = r->id;
		h->rule = ri;
		h->target = (uint8_t)target;
		h->len = vr->h[i].len;
		memcpy(h->text, vr->h[i].text, h->len);
	}
}

static int
confirm(struct attack_crs *c, unsigned ri, const char *t, size_t tn)
{
	return pcre2_match(c->re[ri], (PCRE2_SPTR)(tn > 0 ? t : ""), tn, 0, 0,
	           c->md, NULL) >= 0;
}

/* libinjection's verdict on [t, t+tn) for @detectSQLi or @detectXSS. */
static int
detect(struct attack_crs *c, enum crs_op op, const char *t, size_t tn)
{
	if (op == CO_DETECT_SQLI) {
		if (c->words == NULL) /* out of memory: each looked up */
			c->words = injection_words_new();
		return injection_sqli(c->words, tn > 0 ? t : "", tn) != 0;
	}
	if (op == CO_DETECT_XSS) /* most texts cannot hold it: not asked */
		return crs_xss_possible(t, tn) &&
		    libinjection_xss(tn > 0 ? t : "", tn) != 0;
	return 0;
}

/* A link's operator on [x, x+xn). */
static int
link_op(
    struct attack_crs *c, const struct crs_link *l, const char *x, size_t xn)
{
	if (l->op == CO_WITHIN)
		return xn > 0 &&
		    memmem(l->expr, strlen(l->expr), x, xn) != NULL;
	if (!crs_op_scanned(l->op))
		return detect(c, l->op, x, xn);
	return pcre2_match(l->re, (PCRE2_SPTR)(xn > 0 ? x : ""), xn, 0, 0,
	           c->md, NULL) >= 0;
}

/*
 * libinjection's verdicts on the texts of one value: the groups'
 * transformation chains often leave a value as it was, and a text already
 * judged is not judged again (short texts only, compared in full).
 */
#define DCACHE_N 8
#define DCACHE_TEXT 256

struct dcache {
	unsigned n;
	struct {
		enum crs_op op;
		int m;
		size_t len;
		char t[DCACHE_TEXT];
	} e[DCACHE_N];
};

static int
detect_cached(struct attack_crs *c, struct dcache *dc, enum crs_op op,
    const char *t, size_t tn)
{
	int m;

	for (unsigned i = 0; i < dc->n; i++)
		if (dc->e[i].op == op && dc->e[i].len == tn &&
		    (tn == 0 || memcmp(dc->e[i].t, t, tn) == 0))
			return dc->e[i].m;
	m = detect(c, op, t, tn);
	if (dc->n < DCACHE_N && tn <= DCACHE_TEXT) {
		dc->e[dc->n].op = op;
		dc->e[dc->n].m = m;
		dc->e[dc->n].len = tn;
		if (tn > 0)
			memcpy(dc->e[dc->n].t, t, tn);
		dc->n++;
	}
	return m;
}

/*
 * The links of chained rule r on MATCHED_VAR: [t, t+tn) is what the rule's
 * own operator matched; each link transforms what the one before it
 * matched and must match too.
 */
static int
links_match(
    struct attack_crs *c, const struct crs_rule *r, const char *t, size_t tn)
{
	for (unsigned i = 0; i < r->nlinks; i++) {
		const struct crs_link *l = &r->links[i];
		const char *x;
		size_t xn;
		int m;

		if (l->op == CO_NO_REFERER || l->targets != 0)
			continue; /* per request (apply) */
		/* the text may be in a, b, la or lb: a copy to start from */
		tn = cutn(tn);
		memmove(c->lc, t, tn);
		x = crs_tfn_chain(
		    l->tfn, l->ntfn, c->lc, tn, c->la, c->lb, &xn);
		m = link_op(c, l, x, xn);
		if (m == l->negated)
			return 0;
		t = x;
		tn = xn;
	}
	return 1;
}

/* A rule's first match in a scan, kept. */
static int
on_first(unsigned ri, size_t to, void *ctx)
{
	struct first_ctx *fc = ctx;
	struct attack_crs *c = fc->c;

	if (!(c->set.r[ri].targets & fc->mask))
		return 0;
	if (c->seen[ri] == c->sstamp) { /* the earliest end counts */
		for (size_t i = 0; i < fc->n; i++)
			if (fc->f[i].rule == ri && fc->f[i].to > to)
				fc->f[i].to = (uint32_t)to;
		return 0;
	}
	c->seen[ri] = c->sstamp;
	fc->f[fc->n].rule = ri;
	fc->f[fc->n].to = (uint32_t)to;
	fc->n++;
	return 0;
}

/*
 * The first matches of a scan of [p, p+n) with group g's database (g ==
 * SIZE_MAX: every group's) into fc, ordered by where they end, then by
 * rule: the order does not depend on the database that found them.
 */
static void
scan_first(struct attack_engine *e, size_t g, unsigned cls, const char *p,
    size_t n, struct first_ctx *fc)
{
	struct attack_crs *c = e->crs;

	if (++c->sstamp == 0) {
		memset(c->seen, 0, c->set.n * sizeof(*c->seen));
		c->sstamp = 1;
	}
	fc->n = 0;
	if (g == SIZE_MAX)
		(void)sig_scan_all(&e->sig, fc->mask, cls, p, n, on_first, fc);
	else
		(void)sig_scan_group(&e->sig, g, cls, p, n, on_first, fc);
	for (size_t i = 1; i < fc->n; i++) { /* few: insertion */
		struct crs_first x = fc->f[i];
		size_t k = i;

		for (; k > 0 &&
		     (fc->f[k - 1].to > x.to ||
		         (fc->f[k - 1].to == x.to &&
		             fc->f[k - 1].rule > x.rule));
		     k--)
			fc->f[k] = fc->f[k - 1];
		fc->f[k] = x;
	}
}

static int
on_match(unsigned ri, size_t to, void *ctx)
{
	struct scan_ctx *sc = ctx;
	struct attack_crs *c = sc->c;
	const struct crs_rule *r = &c->set.r[ri];

	if (!(r->targets & sc->mask) || c->mark[ri] == c->vstamp)
		return 0;
	if (r->prefilter &&
	    (c->re[ri] == NULL || !confirm(c, ri, sc->t, sc->tn)))
		return 0;
	c->mark[ri] = c->vstamp; /* matched this value */
	if (!r->negated && links_match(c, r, sc->t, sc->tn))
		vfire(sc->vr, ri, sc->t, sc->tn, to);
	return 0;
}

#define CRS_TEXT_AGAIN (UINT32_MAX - 1) /* not kept: made again */

/*
 * The index in c->vt of the text [t, t+tn) that a group's chain made of
 * value v (0: the value as it came), kept in c->tx when new; *nt texts so
 * far.  CRS_TEXT_AGAIN when there is no room left to keep it.
 */
static uint32_t
text_index(struct attack_crs *c, const struct value *v, size_t *nt,
    size_t *used, const char *t, size_t tn, unsigned cls)
{
	if (t == v->p)
		return 0;
	for (size_t k = 0; k < *nt; k++) {
		const char *x = k == 0 ? v->p : c->tx + c->vt[k].off;

		if (c->vt[k].n == tn && (tn == 0 || memcmp(x, t, tn) == 0))
			return (uint32_t)k;
	}
	if (*used + tn > CRS_TEXTS_BYTES)
		return CRS_TEXT_AGAIN;
	if (tn > 0)
		memcpy(c->tx + *used, t, tn);
	c->vt[*nt] = (struct crs_vtext){*used, tn, 0, 0, cls};
	*used += tn;
	return (uint32_t)(*nt)++;
}

/*
 * Group gr's text of value v (crs_tfn_chain_m's) whose bytes for the
 * transformations are acts, each step taken from c->steps when an
 * earlier group's chain made it (the same transformations acted so far:
 * the same text), else made and kept there while there is room.
 */
static const char *
chain_shared(struct attack_crs *c, const struct value *v,
    const struct sig_group *gr, uint32_t acts, size_t *out_n, unsigned *cls)
{
	unsigned char key[SECRULE_TFN_MAX];
	unsigned klen = 0;
	const char *cur = v->p;
	size_t n = v->n;
	uint32_t m = acts;

	for (unsigned i = 0; i < gr->ntfn; i++) {
		enum crs_tfn t = (enum crs_tfn)gr->tfn[i];
		const struct crs_step *st = NULL;
		char *dst;

		if (crs_tfn_same_m(t, cur, n, m))
			continue;
		key[klen++] = (unsigned char)t;
		for (size_t j = 0; j < c->nsteps && st == NULL; j++)
			if (c->steps[j].klen == klen &&
			    memcmp(c->steps[j].key, key, klen) == 0)
				st = &c->steps[j];
		if (st != NULL) {
			cur = c->sx + st->off;
			n = st->n;
			m = st->m;
			continue;
		}
		if (c->nsteps == CRS_STEPS ||
		    CRS_TFN_OUT(n) > CRS_STEP_BYTES - c->sused) {
			/* no room: the rest of the chain as it comes (a
			 * text of no class known) */
			*cls = SIG_NCLASS;
			return crs_tfn_chain_m(gr->tfn + i, gr->ntfn - i, cur,
			    n, m, c->a, c->b, out_n);
		}
		dst = c->sx + c->sused;
		n = crs_tfn_apply(t, cur, n, dst);
		cur = dst;
		m = crs_tfn_may_change(cur, n);
		memcpy(c->steps[c->nsteps].key, key, klen);
		c->steps[c->nsteps].klen = klen;
		c->steps[c->nsteps].m = m;
		c->steps[c->nsteps].off = c->sused;
		c->steps[c->nsteps].n = n;
		c->nsteps++;
		c->sused += n;
	}
	*out_n = n;
	*cls = crs_tfn_class(m);
	return cur;
}

/*
 * Every group's rules on one value.  Each group's chain makes its text of
 * the value first; each distinct text (often the value as it came) is
 * scanned once with the databases of every group's rules for the value's
 * targets, and each group takes its own rules' first matches from that
 * scan.  A small group (sig.h) whose text is not the value as it came
 * (the value in lower case, say, for a handful of rules) scans it with
 * its own database instead: every group's would cost as much as the
 * value's own scan.  Where those databases could not be made, each
 * group's text is scanned with the group's own database.
 */
static void
value_scan(struct attack_engine *e, const struct value *v, struct vres *vr)
{
	struct attack_crs *c = e->crs;
	struct dcache dc;
	struct first_ctx one = {c, c->hit, 0, v->mask};
	struct first_ctx all = {c, NULL, 0, v->mask};
	size_t nt = 1, used = 0, ng = 0;
	/* every target of the value has a database of all groups' rules */
	int shared = !(v->mask & e->sig.crs_targets &
	    ~(e->sig.all_targets | e->sig.big_targets));
	uint32_t acts = crs_tfn_may_change(v->p, v->n);

	dc.n = 0;
	vr->n = 0;
	c->nsteps = c->sused = 0;
	c->vt[0] = (struct crs_vtext){0, v->n, 0, 0, crs_tfn_class(acts)};
	/* the groups with rules for the value's targets, in order */
	for (size_t w = 0; w < c->gwords; w++) {
		uint64_t b = 0;

		for (unsigned t = 0; t < CT_N; t++)
			if (v->mask & (1u << t))
				b |= c->gbits[t * c->gwords + w];
		for (; b != 0; b &= b - 1) {
			size_t g = w * 64 + (size_t)__builtin_ctzll(b);
			const struct sig_group *gr = &e->sig.grp[g];
			const char *t;
			size_t tn;
			unsigned cls;

			c->tix[ng++] = (uint32_t)g;
			/* none of its transformations acts on a byte of
			 * the value: the value as it came */
			if (!(c->gtfn[g] & acts)) {
				c->tix[e->sig.ngrp + g] = 0;
				continue;
			}
			t = chain_shared(c, v, gr, acts, &tn, &cls);
			c->tix[e->sig.ngrp + g] =
			    text_index(c, v, &nt, &used, t, tn, cls);
		}
	}
	for (size_t j = 0; j < ng; j++) {
		size_t g = c->tix[j];
		const struct sig_group *gr = &e->sig.grp[g];
		struct scan_ctx sc = {c, vr, v->mask, NULL, 0};
		const struct first_ctx *fc = &one;
		uint32_t k = c->tix[e->sig.ngrp + g];
		unsigned cls = SIG_NCLASS; /* a text made again: not known */

		if (++c->vstamp == 0) {
			memset(c->mark, 0, c->set.n * sizeof(*c->mark));
			c->vstamp = 1;
		}
		if (k == CRS_TEXT_AGAIN)
			sc.t = crs_tfn_chain_m(gr->tfn, gr->ntfn, v->p, v->n,
			    acts, c->a, c->b, &sc.tn);
		else {
			sc.t = k == 0 ? v->p : c->tx + c->vt[k].off;
			sc.tn = c->vt[k].n;
			cls = c->vt[k].cls;
		}
		if (gr->nexpr == 0)
			one.n = 0; /* only rules decided after a scan */
		else if (!shared || (k != 0 && gr->db != NULL))
			/* a text of its own, or one only small groups
			 * make: its database, not every group's */
			scan_first(e, g, cls, sc.t, sc.tn, &one);
		else if (k == CRS_TEXT_AGAIN)
			scan_first(e, SIZE_MAX, cls, sc.t, sc.tn, &one);
		else {
			struct crs_vtext *vt = &c->vt[k];

			all.f = c->vfirst + (size_t)k * (c->set.n + 1);
			all.n = vt->nfirst;
			if (!vt->scanned) {
				scan_first(e, SIZE_MAX, cls, sc.t, sc.tn, &all);
				vt->scanned = 1;
				vt->nfirst = all.n;
			}
			fc = &all;
		}
		/* a shared scan's matches: this group's rules only */
		for (size_t i = 0; i < fc->n; i++)
			if (!shared || c->group[fc->f[i].rule] == g)
				(void)on_match(fc->f[i].rule, fc->f[i].to, &sc);
		/* negated rules match where the operator did not; @within
		 * when the text is part of its argument */
		for (size_t i = 0; i < c->npost[g]; i++) {
			const struct crs_post *r = &c->post[g][i];
			int m;

			if (!(r->targets & v->mask))
				continue;
			if (r->op == CO_WITHIN)
				m = sc.tn > 0 &&
				    memmem(r->expr, r->len, sc.t, sc.tn) !=
				        NULL;
			else if (!crs_op_scanned(r->op))
				m = detect_cached(c, &dc, r->op, sc.t, sc.tn);
			else
				m = c->mark[r->rule] == c->vstamp;
			if (m != r->negated &&
			    links_match(c, &c->set.r[r->rule], sc.t, sc.tn))
				vfire(vr, r->rule, sc.t, sc.tn, 0);
		}
	}
}

/*
 * One value through the memo (as attack.c's for sakimori's rules): a
 * value seen recently with the same targets gives back its matches.
 */
static void
value_match(struct attack_engine *e, const struct value *v, struct vres *vr)
{
	struct attack_crs *c = e->crs;
	struct crs_memo_tag *t = NULL;
	struct crs_memo *m = NULL;
	uint64_t h = 0;

	if (e->memo != NULL && v->n < CRS_MEMO_KEY) {
		h = hash_ends(e->seed ^ v->mask, v->p, v->n);
		t = &c->mtag[h & (CRS_MEMO_SLOTS - 1)];
		m = &c->memo[h & (CRS_MEMO_SLOTS - 1)];
		if (t->hash == h && t->len == v->n + 1 && t->mask == v->mask &&
		    memcmp(m->key, v->p, v->n) == 0) {
			vr->n = m->nh;
			for (unsigned i = 0; i < m->nh; i++) {
				vr->h[i].rule = m->h[i].rule;
				vr->h[i].len = m->h[i].len;
				memcpy(
				    vr->h[i].text, m->h[i].text, m->h[i].len);
			}
			return;
		}
	}
	value_scan(e, v, vr);
	if (m != NULL && vr->n <= CRS_MEMO_HITS) {
		t->hash = h;
		t->len = (uint16_t)(v->n + 1);
		t->mask = (uint16_t)v->mask;
		m->nh = (uint8_t)vr->n;
		for (unsigned i = 0; i < vr->n; i++) {
			m->h[i].rule = vr->h[i].rule;
			m->h[i].len = vr->h[i].len;
			memcpy(m->h[i].text, vr->h[i].text, vr->h[i].len);
		}
		if (v->n > 0)
			memcpy(m->key, v->p, v->n);
	}
}

/*
 * Values [v, v+k) share one text: scanned once for all their targets,
 * each value's matches then taken out in the order of the scan (as its own
 * scan would have found them, at most VRES_MAX).  A scan that filled the
 * whole result may have lost some: then each value on its own.
 */
static void
match_run(struct attack_engine *e, struct attack_result *res,
    const struct value *v, size_t k, int referer, const struct value *all,
    size_t nv, struct vres *vr, struct vres *one)
{
	struct attack_crs *c = e->crs;
	struct value m = v[0];

	for (size_t i = 1; i < k; i++)
		m.mask |= v[i].mask;
	vr->cap = (unsigned)k * VRES_MAX;
	value_match(e, &m, vr);
	if (k == 1) {
		apply(c, res, vr, m.mask, referer, all, nv);
		return;
	}
	one->cap = VRES_MAX;
	for (size_t i = 0; i < k; i++) {
		if (vr->n >= vr->cap)
			value_match(e, &v[i], one);
		else {
			one->n = 0;
			for (unsigned j = 0; j < vr->n && one->n < VRES_MAX;
			     j++)
				if (c->set.r[vr->h[j].rule].targets & v[i].mask)
					one->h[one->n++] = vr->h[j];
		}
		apply(c, res, one, v[i].mask, referer, all, nv);
	}
}

unsigned
attack_crs_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res, int clean)
{
	/* the targets the clean table's request lines leave out */
	const unsigned other = 1u << CT_UA | 1u << CT_REFERER;
	unsigned dirty = 0;
	struct attack_crs *c = e->crs;
	struct value v[MAX_VALUES];
	struct vres vr, one;
	size_t nv = values(c, rq, v);
	int referer = rq->referer_len > 0;
	const struct value *twice = NULL;

	if (++c->rstamp == 0) { /* wrapped: forget every old stamp */
		memset(c->fired, 0, c->set.n * sizeof(*c->fired));
		c->rstamp = 1;
	}
	for (size_t i = 0, k; i < nv; i += k) {
		/* the run's targets: the request line's, the others */
		unsigned mine, theirs;

		for (k = 1;
		     k < MERGE_MAX && i + k < nv && v[i + k].n == v[i].n &&
		     (v[i + k].p == v[i].p ||
		         memcmp(v[i + k].p, v[i].p, v[i].n) == 0);
		     k++)
			;
		mine = theirs = 0;
		for (size_t j = 0; j < k; j++) {
			mine |= v[i + j].mask & ~other;
			theirs |= v[i + j].mask & other;
		}
		/* a run of the request line alone, known to match nothing */
		if (clean && theirs == 0)
			continue;
		match_run(e, res, &v[i], k, referer, v, nv, &vr, &one);
		if (vr.n > 0)
			dirty |= mine | theirs;
	}
	/* its argument names are the request line's too */
	if (clean || c->nrepeat == 0)
		return dirty;
	/* an argument name given more than once */
	for (size_t i = 0; i < nv && twice == NULL; i++)
		for (size_t k = i + 1;
		     k < nv && v[i].mask == 1u << CT_ARGS_NAMES; k++)
			if (v[k].mask == v[i].mask && v[k].n == v[i].n &&
			    memcmp(v[k].p, v[i].p, v[i].n) == 0) {
				twice = &v[i];
				break;
			}
	if (twice == NULL)
		return dirty;
	vr.n = 0;
	vr.cap = VRES_MAX;
	for (size_t i = 0; i < c->nrepeat; i++)
		vfire(&vr, c->repeat[i], twice->p, twice->n, 0);
	apply(c, res, &vr, twice->mask, referer, v, nv);
	return dirty | 1u << CT_ARGS_NAMES;
}
