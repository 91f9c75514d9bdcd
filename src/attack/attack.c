/*
 * attack.c - one request through normalisation, the signature databases
 * and the anomaly rules (see attack.h).
 */
#include <stdlib.h>
#include <string.h>

#include "attack/attack.h"
#include "attack/normalise.h"

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
    const char *cache_path, struct err *err)
{
	memset(e, 0, sizeof(*e));
	e->rules = *rs;
	rules_init(rs);
	if (sig_compile(&e->sig, &e->rules, cache_path, err) == -1) {
		rules_release(&e->rules);
		return -1;
	}
	e->bufcap = ATTACK_FIELD_MAX + 1;
	for (size_t i = 0; i < sizeof(e->buf) / sizeof(e->buf[0]); i++)
		if ((e->buf[i] = malloc(e->bufcap)) == NULL) {
			attack_engine_release(e);
			return err_set(err, 0, "out of memory");
		}
	return 0;
}

void
attack_engine_release(struct attack_engine *e)
{
	sig_release(&e->sig);
	rules_release(&e->rules);
	for (size_t i = 0; i < sizeof(e->buf) / sizeof(e->buf[0]); i++)
		free(e->buf[i]);
	memset(e, 0, sizeof(*e));
}

const struct attack_rule *
attack_rule_of(const struct attack_engine *e, const struct attack_hit *h)
{
	return &e->rules.r[h->rule];
}

struct match_ctx {
	const struct attack_engine *e;
	struct attack_result *res;
	enum attack_field field;
	int form; /* SIG_ALL: the text is the same in every form */
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

static int
on_match(unsigned rule, void *ctx)
{
	struct match_ctx *mc = ctx;

	const struct attack_rule *r = &mc->e->rules.r[rule];

	if ((r->fields & (1u << mc->field)) &&
	    (mc->form == SIG_ALL || (int)r->form == mc->form))
		add_hit(mc->res, rule, mc->field);
	return 0;
}

static void
scan(struct attack_engine *e, enum attack_field f, int form, const char *p,
    size_t n, struct attack_result *res)
{
	struct match_ctx mc = {e, res, f, form};

	if (sig_has(&e->sig, f, form))
		(void)sig_scan(&e->sig, f, form, p, n, on_match, &mc);
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
 * form, each keeping only that form's rules.
 */
static void
scan_forms(struct attack_engine *e, enum attack_field f, const char *raw,
    size_t rn, const char *dec, size_t dn, struct attack_result *res)
{
	const char *sh = dec;
	size_t sn = dn;
	int rd = dec == raw || same(raw, rn, dec, dn);

	if (sig_has(&e->sig, f, AFORM_SHELL) && !shell_plain(dec, dn)) {
		sn = norm_shell(dec, dn, e->buf[B_SHELL]);
		sh = e->buf[B_SHELL];
	}
	if (rd && (sh == dec || same(dec, dn, sh, sn))) {
		scan(e, f, SIG_ALL, raw, rn, res);
		return;
	}
	scan(e, f, AFORM_RAW, raw, rn, res);
	scan(e, f, AFORM_DECODED, dec, dn, res);
	scan(e, f, AFORM_SHELL, sh, sn, res);
}

/* Does the named anomaly hold for these flags? */
static int
anomaly_holds(const char *name, unsigned pf, unsigned qf)
{
	unsigned any = pf | qf;
	unsigned uni = NORM_OVERLONG | NORM_PCT_U | NORM_FULLWIDTH;

	if (strcmp(name, "unicode-traversal") == 0)
		return (pf & NORM_HIDDEN_TRAVERSAL) && (pf & uni);
	if (strcmp(name, "double-encoded-traversal") == 0)
		return (pf & NORM_HIDDEN_TRAVERSAL) && (pf & NORM_DOUBLE) &&
		    !(pf & uni);
	if (strcmp(name, "encoded-traversal") == 0)
		return (pf & NORM_HIDDEN_TRAVERSAL) &&
		    !(pf & (uni | NORM_DOUBLE));
	if (strcmp(name, "above-root") == 0)
		return (pf & NORM_ABOVE_ROOT) != 0;
	if (strcmp(name, "overlong-utf8") == 0)
		return (any & NORM_OVERLONG) != 0;
	if (strcmp(name, "iis-u-encoding") == 0)
		return (any & NORM_PCT_U) != 0;
	if (strcmp(name, "double-encoding") == 0)
		return (any & NORM_DOUBLE) != 0;
	if (strcmp(name, "nul-byte") == 0)
		return (any & NORM_NUL) != 0;
	if (strcmp(name, "crlf") == 0)
		return (any & NORM_CRLF) != 0;
	if (strcmp(name, "control-char") == 0)
		return (any & NORM_CTRL) != 0;
	if (strcmp(name, "invalid-utf8") == 0)
		return (any & NORM_BAD_UTF8) != 0;
	if (strcmp(name, "bad-percent") == 0)
		return (any & NORM_BAD_PCT) != 0;
	if (strcmp(name, "backslash") == 0)
		return (pf & NORM_BACKSLASH) != 0;
	return 0;
}

static size_t
cut(size_t n)
{
	return n > ATTACK_FIELD_MAX ? ATTACK_FIELD_MAX : n;
}

size_t
attack_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res)
{
	const char *path = rq->path ? rq->path : "";
	const char *q = rq->query;
	size_t pn = cut(rq->path_len), qn = cut(rq->query_len), n;

	memset(res, 0, sizeof(*res));
	res->top = -1;

	if (rq->method_len > 0)
		scan(e, AF_METHOD, SIG_ALL, rq->method, cut(rq->method_len),
		    res);

	if (path_plain(path, pn))
		scan_forms(e, AF_PATH, path, pn, path, pn, res);
	else {
		n = norm_path(path, pn, e->buf[B_PATH], &res->path_flags);
		scan_forms(e, AF_PATH, path, pn, e->buf[B_PATH], n, res);
	}
	if (q != NULL) {
		if (plain(q, qn, 1))
			scan_forms(e, AF_QUERY, q, qn, q, qn, res);
		else {
			n = norm_decode(
			    q, qn, 1, e->buf[B_QUERY], &res->query_flags);
			scan_forms(e, AF_QUERY, q, qn, e->buf[B_QUERY], n, res);
		}
	}
	if (rq->ua_len > 0) {
		unsigned f = 0;
		size_t l = cut(rq->ua_len);

		if (plain(rq->ua, l, 0))
			scan_forms(e, AF_UA, rq->ua, l, rq->ua, l, res);
		else {
			n = norm_decode(rq->ua, l, 0, e->buf[B_UA], &f);
			scan_forms(e, AF_UA, rq->ua, l, e->buf[B_UA], n, res);
		}
	}
	if (rq->referer_len > 0) {
		unsigned f = 0;
		size_t l = cut(rq->referer_len);

		if (plain(rq->referer, l, 0))
			scan_forms(
			    e, AF_REFERER, rq->referer, l, rq->referer, l, res);
		else {
			n = norm_decode(rq->referer, l, 0, e->buf[B_REF], &f);
			scan_forms(e, AF_REFERER, rq->referer, l, e->buf[B_REF],
			    n, res);
		}
	}

	if (res->path_flags | res->query_flags)
		for (size_t i = 0; i < e->rules.n; i++) {
			const struct attack_rule *r = &e->rules.r[i];

			if (r->disabled || r->anomaly[0] == '\0')
				continue;
			if (anomaly_holds(
			        r->anomaly, res->path_flags, res->query_flags))
				add_hit(res, (unsigned)i, AF_PATH);
		}

	/* rules that count only with some response statuses */
	n = 0;
	for (size_t i = 0; i < res->nhits; i++)
		if (rules_status_ok(&e->rules.r[res->hit[i].rule], rq->status))
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
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t l = strlen(ext[i]);

		if (pn >= l && strncasecmp(uri + pn - l, ext[i], l) == 0)
			return 1;
	}
	return 0;
}
