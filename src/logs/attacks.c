/*
 * attacks.c - the "attacks" analyzer of `logs scan` and `logs follow`, and
 * the engine of `logs attacks`: every access record through the attack
 * signatures (src/attack/), incidents per address and rate rules.
 *
 * Output (documented in sakimori(8)): with attacks_list, one line (or JSON
 * object "attack.request") per flagged request as it is read; at the end
 * the incidents ranked (JSON "attack.incident"), the worst with their
 * timeline and what the address did next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "attack/attack.h"
#include "attack/incident.h"
#include "attack/normalise.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/paths.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "conf/conf.h"
#include "logs/analyzer.h"

/* Incidents reported as findings one by one, the worst first; the rest
 * are summed up in one finding (a scan of a big log has thousands). */
#define ATTACKS_FINDINGS_MAX 100

/* Lines hinted and not yet recorded, at most: hints come three lines
 * ahead of the records. */
#define AHEAD_N 4

struct attacks {
	struct attack_engine engine;
	struct inc_tracker inc;
	const struct logs_opts *opts;
	uint64_t requests, flagged;
	/* the clients of the lines hinted last (attacks_hint), a ring: their
	 * keys, hashed once for the hint's prefetches and the record */
	struct ahead {
		uint64_t h;
		uint8_t n; /* the key's length */
		char p[INC_ADDR_MAX];
	} ahead[AHEAD_N];
	unsigned ahead_in;   /* hinted lines so far */
	unsigned ahead_used; /* ... the ones before it met their record */
	char *login_urls[33];
};

static char errbuf[600];

static const char *
rules_base(const struct logs_opts *o)
{
	const char *env = getenv("SAKIMORI_RULES");

	if (o->rules != NULL)
		return o->rules;
	if (o->conf != NULL) {
		const char *s = conf_setting(o->conf, "attack-rules", NULL);

		if (s != NULL)
			return s;
	}
	if (env != NULL && env[0] != '\0')
		return env;
	if (access(SAKIMORI_DATADIR "/rules", F_OK) == -1 &&
	    access(SAKIMORI_SRC_RULES, F_OK) == 0)
		return SAKIMORI_SRC_RULES; /* not installed: the source tree's */
	return SAKIMORI_DATADIR "/rules";
}

/* Extra rule files, the paranoia level (default 1) and disabled ids from
 * "check web-attack { }". */
static int
rules_from_conf(const struct logs_opts *o, struct attack_ruleset *rs)
{
	const struct conf_node *blk, *n;
	struct err err = {0};
	double lvl;

	if (o->conf == NULL ||
	    (blk = conf_check(o->conf, "web-attack", NULL)) == NULL) {
		ruleset_set_paranoia(rs, 1);
		return 0;
	}
	if ((n = conf_find(blk, "rules")) != NULL)
		for (size_t i = 0; i < n->nvals; i++)
			if (ruleset_load_path(rs, n->vals[i].str, &err) == -1) {
				snprintf(errbuf, sizeof(errbuf), "%s", err.msg);
				return -1;
			}
	lvl = conf_num(blk, "paranoia", 1);
	ruleset_set_paranoia(rs, lvl < 1 ? 1 : lvl > 4 ? 4 : (int)lvl);
	if ((n = conf_find(blk, "disable-rules")) != NULL)
		for (size_t i = 0; i < n->nvals; i++) {
			struct attack_rule *r =
			    ruleset_find(rs, (uint32_t)n->vals[i].num);

			if (r != NULL)
				r->disabled = 1;
		}
	return 0;
}

/*
 * "set crs yes": the Core Rule Set's request rules from "set crs-dir"
 * join the engine at the paranoia level of "check web-attack", their
 * compiled groups cached beside the rules' database.
 */
static int
crs_from_conf(struct attacks *a, const struct logs_opts *o, struct err *err)
{
	const struct conf_node *blk;
	struct crs_set cs;
	char cache[4096];
	const char *cachep = NULL;
	double lvl = 1;
	int rc;

	if (o->conf == NULL || !conf_setting_bool(o->conf, "crs", 0))
		return 0;
	if ((blk = conf_check(o->conf, "web-attack", NULL)) != NULL)
		lvl = conf_num(blk, "paranoia", 1);
	if (o->crs_cache != NULL)
		cachep = o->crs_cache;
	else if (o->state_dir != NULL &&
	    paths_state_file(cache, sizeof(cache), o->state_dir,
	        "attack-crs.hsdb", err) == 0)
		cachep = cache;
	crs_set_init(&cs);
	(void)sig_crs_known(&cs, cachep); /* none: every expression analysed */
	rc = crs_load_dir(
	    &cs, conf_setting(o->conf, "crs-dir", CRS_DEFAULT_DIR), err);
	if (rc == 0)
		rc = attack_engine_crs(&a->engine, &cs,
		    lvl < 1       ? 1
		        : lvl > 4 ? 4
		                  : (int)lvl,
		    5, cachep, err);
	crs_set_release(&cs);
	return rc;
}

static void
rate_from_conf(const struct logs_opts *o, struct inc_conf *ic, const char *name,
    enum rate_kind k, struct attacks *a)
{
	struct threshold t;
	const struct conf_node *blk, *n;

	if (o->conf == NULL)
		return;
	conf_threshold(o->conf, name, NULL, &t);
	if (!t.enabled) {
		ic->rate[k].max = 0;
		return;
	}
	if (t.warn == t.warn && t.warn >= 1)
		ic->rate[k].max = (uint32_t)t.warn;
	if ((blk = conf_check(o->conf, name, NULL)) == NULL)
		return;
	ic->rate[k].window =
	    (uint32_t)conf_num(blk, "window", (double)ic->rate[k].window);
	if (ic->rate[k].window == 0)
		ic->rate[k].window = 1;
	if (k == RATE_LOGIN && (n = conf_find(blk, "urls")) != NULL &&
	    n->nvals > 0) {
		size_t m = n->nvals < 32 ? n->nvals : 32;

		for (size_t i = 0; i < m; i++)
			a->login_urls[i] = n->vals[i].str;
		a->login_urls[m] = NULL;
		ic->login_urls = (const char *const *)a->login_urls;
	}
}

static void *
attacks_create(const struct logs_opts *opts, const char **errmsg)
{
	struct attacks *a = calloc(1, sizeof(*a));
	struct attack_ruleset rs;
	struct inc_conf ic;
	struct err err = {0};
	char cache[4096];
	const char *cachep = NULL;

	if (a == NULL)
		return NULL;
	a->opts = opts;
	ruleset_init(&rs);
	if (ruleset_load_path(&rs, rules_base(opts), &err) == -1) {
		snprintf(errbuf, sizeof(errbuf), "%s", err.msg);
		goto fail;
	}
	if (rules_from_conf(opts, &rs) == -1)
		goto fail;
	/* the compiled rules are cached in the state directory (made when
	 * missing); without it every start compiles them again */
	if (opts->rules_cache != NULL)
		cachep = opts->rules_cache;
	else if (opts->state_dir != NULL &&
	    paths_state_file(cache, sizeof(cache), opts->state_dir,
	        "attack-rules.hsdb", &err) == 0)
		cachep = cache;
	err.msg[0] = '\0';
	if (attack_engine_init(&a->engine, &rs, cachep,
	        opts->rules_lean ? SIG_LEAN : 0, &err) == -1) {
		snprintf(errbuf, sizeof(errbuf), "%s", err.msg);
		goto fail;
	}
	if (crs_from_conf(a, opts, &err) == -1) {
		snprintf(errbuf, sizeof(errbuf), "%s", err.msg);
		attack_engine_release(&a->engine);
		goto fail;
	}
	/* benchmarks: every field normalised and scanned, none remembered */
	{
		const char *m = getenv("SAKIMORI_ATTACK_MEMO");

		if (m != NULL && strcmp(m, "0") == 0)
			attack_engine_memo(&a->engine, 0);
	}
	inc_conf_default(&ic);
	rate_from_conf(opts, &ic, "web-login-burst", RATE_LOGIN, a);
	rate_from_conf(opts, &ic, "web-404-scan", RATE_404, a);
	rate_from_conf(opts, &ic, "web-request-flood", RATE_FLOOD, a);
	inc_init(&a->inc, &ic);
	return a;
fail:
	ruleset_release(&rs);
	free(a);
	*errmsg = errbuf;
	return NULL;
}

static void
attacks_free(void *st)
{
	struct attacks *a = st;

	if (a == NULL)
		return;
	inc_release(&a->inc);
	attack_engine_release(&a->engine);
	free(a);
}

static json_t *
str_slice(const char *p, size_t n)
{
	return p ? jstrn(p, n) : json_null();
}

/* One flagged request: a table line or an "attack.request" object. */
static void
print_request(struct attacks *a, const struct attack_req *rq,
    const struct attack_result *res, const struct logs_rec *rec)
{
	const struct out *o = a->opts->out;
	const struct attack_rule *top =
	    attack_rule_of(&a->engine, &res->hit[res->top]);
	char when[40] = "-";

	if (rq->time != 0)
		time_iso(when, sizeof(when), rq->time);
	if (o->mode == OUT_JSON) {
		json_t *j = json_object(), *cls = json_array(),
		       *rules = json_array();
		char flags[256];

		for (size_t i = 0; i < res->nhits; i++) {
			const struct attack_rule *r =
			    attack_rule_of(&a->engine, &res->hit[i]);
			size_t k;

			json_array_append_new(rules, json_integer(r->id));
			for (k = 0; k < i; k++)
				if (strcmp(
				        attack_rule_of(&a->engine, &res->hit[k])
				            ->cls,
				        r->cls) == 0)
					break;
			if (k == i)
				json_array_append_new(cls, json_string(r->cls));
		}
		jset(j, "type", json_string("attack.request"));
		jset(j, "file", jstr(rq->file ? rq->file : "-"));
		jset(j, "line", json_integer((json_int_t)rq->line));
		jset(j, "time", jtime((int64_t)rq->time));
		jset(j, "source", jstr(rq->client ? rq->client : "-"));
		jset(j, "method", str_slice(rq->method, rq->method_len));
		{
			struct strbuf sb = STRBUF_INIT(1u << 20);

			strbuf_add(&sb, rq->path, rq->path_len);
			if (rq->query != NULL) {
				strbuf_addc(&sb, '?');
				strbuf_add(&sb, rq->query, rq->query_len);
			}
			jset(j, "request", jstrn(strbuf_str(&sb), sb.len));
			strbuf_release(&sb);
		}
		jset(j, "status",
		    rq->status > 0 ? json_integer(rq->status) : json_null());
		jset(j, "bytes", json_integer((json_int_t)rq->bytes));
		jset(j, "class", json_string(top->cls));
		jset(j, "rule", json_integer(top->id));
		jset(j, "severity", json_string(attack_sev_name(res->sev)));
		jset(j, "description", jstr(top->desc));
		jset(j, "classes", cls);
		jset(j, "rules", rules);
		norm_flag_names(
		    res->path_flags | res->query_flags, flags, sizeof(flags));
		jset(j, "decoding", json_string(flags));
		jset(j, "user_agent", str_slice(rq->ua, rq->ua_len));
		if (a->engine.crs != NULL) {
			json_t *m = json_array();

			jset(j, "crs_score", json_integer(res->crs_score));
			for (unsigned i = 0; i < res->ncrs; i++) {
				json_t *h = json_object();

				jset(h, "rule", json_integer(res->crs[i].id));
				jset(h, "target",
				    json_string(
				        crs_target_name(res->crs[i].target)));
				jset(h, "text",
				    jstrn(res->crs[i].text, res->crs[i].len));
				json_array_append_new(m, h);
			}
			jset(j, "crs_matches", m);
		}
		json_line(o->fp, j);
		return;
	}
	if (o->mode == OUT_TABLE) {
		struct strbuf sb = STRBUF_INIT(8192);
		size_t n = rec->u.a.request.n ? rec->u.a.request.n : 0;

		strbuf_printf(&sb, "%s %s %d %s/%u ", when,
		    rq->client ? rq->client : "-", rq->status, top->cls,
		    top->id);
		if (n > 0)
			esc_text(&sb, rec->u.a.request.p, n > 2000 ? 2000 : n);
		else {
			esc_text(&sb, rq->method, rq->method_len);
			strbuf_addc(&sb, ' ');
			esc_text(&sb, rq->path,
			    rq->path_len > 2000 ? 2000 : rq->path_len);
			if (rq->query) {
				strbuf_addc(&sb, '?');
				esc_text(&sb, rq->query,
				    rq->query_len > 2000 ? 2000
				                         : rq->query_len);
			}
		}
		if (res->crs_score > 0) {
			strbuf_printf(&sb, " crs=%d:", res->crs_score);
			for (unsigned i = 0; i < res->ncrs; i++)
				strbuf_printf(
				    &sb, "%s%u", i ? "," : "", res->crs[i].id);
		}
		fprintf(o->fp, "%s\n", strbuf_str(&sb));
		strbuf_release(&sb);
	}
}

/*
 * The key of a record's client (cn bytes at client, terminated) from the
 * hint of its line, whose entry is then on its way into the cache: 1, or
 * 0 when no line hinted lately had that client.  Hints and records come in
 * the same order; a hinted line that makes no record (not an access
 * line) is passed over.
 */
static int
ahead_key(struct attacks *a, const char *client, size_t cn, struct inc_key *k)
{
	/* a hinted key has no NUL and is shorter than INC_ADDR_MAX: equal
	 * to the cn bytes at client, it is also their inc_key() */
	for (unsigned i = a->ahead_used; i != a->ahead_in; i++) {
		/* attacks_hint keeps at most AHEAD_N not yet used: none of
		 * these was overwritten */
		const struct ahead *x = &a->ahead[i % AHEAD_N];

		if (x->n == cn && memcmp(x->p, client, cn) == 0) {
			k->p = client;
			k->n = cn;
			k->h = x->h;
			a->ahead_used = i + 1;
			return 1;
		}
	}
	return 0;
}

static void
attacks_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct attacks *a = st;
	const struct logs_access *ac = &rec->u.a;
	struct attack_req rq;
	struct attack_result res;
	struct inc_key key;
	char client[64];
	enum rate_kind fired;
	size_t cn = ac->client.n < sizeof(client) - 1 ? ac->client.n
	                                              : sizeof(client) - 1;

	if (rec->kind != LOGS_KIND_ACCESS)
		return;
	/* every field of rq is set below (no memset: once per line) */
	if (cn > 0)
		memcpy(client, ac->client.p, cn);
	client[cn] = '\0';
	rq.method = ac->method.p;
	rq.method_len = ac->method.n;
	if (rq.method_len == 0) { /* "HELP", binary: the line is the method */
		rq.method = ac->request.p;
		rq.method_len = ac->request.n;
	}
	rq.path = ac->path.p;
	rq.path_len = ac->path.n;
	rq.query = ac->query.p;
	rq.query_len = ac->query.n;
	if (rq.query == NULL && ac->query.n == 0)
		rq.query = NULL;
	rq.ua = ac->user_agent.p;
	rq.ua_len = ac->user_agent.n;
	rq.referer = ac->referrer.p;
	rq.referer_len = ac->referrer.n;
	rq.protocol = ac->protocol.p;
	rq.protocol_len = ac->protocol.n;
	rq.client = cn ? client : "-";
	rq.status = ac->status > 0 ? ac->status : 0;
	rq.bytes = ac->bytes > 0 ? (uint64_t)ac->bytes : 0;
	rq.time = ac->time.valid ? (time_t)ac->time.epoch : 0;
	rq.file = rec->file;
	rq.line = rec->lineno;
	a->requests++;
	if (!ahead_key(a, client, cn, &key)) {
		inc_key(&a->inc, rq.client, &key);
		inc_prefetch(&a->inc, key.h);
	}
	attack_match(&a->engine, &rq, &res);
	fired = inc_add_key(&a->inc, &a->engine, &rq, &res, &key);
	if (res.nhits > 0) {
		a->flagged++;
		if (a->opts->attacks_list && a->opts->out != NULL)
			print_request(a, &rq, &res, rec);
	}
	if (!a->opts->follow)
		return;
	/* live: each request its incident would be reported for when the
	 * log is read whole, at that severity (one that succeeded is
	 * CRITICAL); the agent keeps one problem per address */
	if (res.nhits > 0) {
		const struct attack_rule *top =
		    attack_rule_of(&a->engine, &res.hit[res.top]);
		int ok = inc_succeeded(&a->engine, &res, rq.status);
		enum sev sev = ok ? SEV_CRITICAL : attack_sev_finding(res.sev);
		struct finding *f = sev == SEV_OK
		    ? NULL
		    : report_add(r, sev, "web-attack", client,
		          "%s (rule %u) from %s%s", top->cls, top->id, client,
		          ok ? ", succeeded (2xx)" : "");

		if (f != NULL) {
			finding_ev(f, "request", "%.*s%s%.*s",
			    (int)(rq.path_len > 200 ? 200 : rq.path_len),
			    rq.path, rq.query ? "?" : "",
			    (int)(rq.query_len > 200 ? 200 : rq.query_len),
			    rq.query ? rq.query : "");
			finding_ev(f, "status", "%d", rq.status);
			finding_ev(f, "classes", "%s", top->cls);
		}
	}
	if (fired != RATE_N) {
		/* the kind as the incident's class, for the respond rules
		 * (web-404-scan) as offline */
		struct finding *f = report_add(r, SEV_WARNING, "web-attack",
		    client, "%s from %s", rate_kind_name(fired), client);

		if (f != NULL)
			finding_ev(f, "classes", "%s", rate_kind_name(fired));
	}
}

static void
class_list(const struct incident *inc, char *buf, size_t sz)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < inc->nclasses && o < sz; i++) {
		int w = snprintf(
		    buf + o, sz - o, "%s%s", i ? "," : "", inc->classes[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static json_t *
event_json(const struct inc_event *ev, int attack)
{
	json_t *j = json_object();

	jset(j, "time", jtime((int64_t)ev->time));
	jset(j, "file", jstr(ev->file ? ev->file : "-"));
	jset(j, "line", json_integer((json_int_t)ev->line));
	jset(j, "method", jstr(ev->method));
	jset(j, "request", jstrn(ev->request, ev->reqlen));
	jset(j, "status",
	    ev->status > 0 ? json_integer(ev->status) : json_null());
	jset(j, "bytes", json_integer(ev->bytes));
	if (attack) {
		jset(j, "class", json_string(ev->cls ? ev->cls : "-"));
		jset(
		    j, "rule", ev->rule ? json_integer(ev->rule) : json_null());
		jset(j, "severity", json_string(attack_sev_name(ev->sev)));
	}
	return j;
}

static void
print_incident_json(const struct out *o, const struct inc_tracker *t,
    const struct incident *inc, size_t rank)
{
	json_t *j = json_object(), *cls = json_array(), *st = json_object(),
	       *tl = json_array(), *nx = json_array();
	const struct inc_next *nv[INC_NEXT_MAX];
	unsigned nn;
	static const char *const sc[] = {
	    "1xx", "2xx", "3xx", "4xx", "5xx", "other"};

	jset(j, "type", json_string("attack.incident"));
	jset(j, "rank", json_integer((json_int_t)rank));
	jset(j, "source", jstr(inc->client));
	jset(j, "first", jtime((int64_t)inc->first));
	jset(j, "last", jtime((int64_t)inc->last));
	jset(j, "attacks", json_integer((json_int_t)inc->attacks));
	jset(j, "requests", json_integer((json_int_t)inc->requests));
	jset(j, "bytes", json_integer((json_int_t)inc->bytes));
	for (unsigned i = 0; i < inc->nclasses; i++)
		json_array_append_new(cls, json_string(inc->classes[i]));
	jset(j, "classes", cls);
	for (int i = 0; i < 6; i++)
		if (inc->status[i])
			jset(st, sc[i],
			    json_integer((json_int_t)inc->status[i]));
	jset(j, "statuses", st);
	jset(j, "severity", json_string(attack_sev_name(inc->worst)));
	jset(j, "succeeded", json_boolean(inc->succeeded));
	jset(j, "succeeded_executable", json_boolean(inc->succeeded_exec));
	for (unsigned i = 0; i < inc->nev; i++)
		json_array_append_new(tl, event_json(&inc->ev[i], 1));
	jset(j, "timeline", tl);
	jset(j, "timeline_dropped",
	    json_integer(
	        (json_int_t)(inc->attacks > inc->nev ? inc->attacks - inc->nev
	                                             : 0)));
	nn = inc_next_list(inc, nv);
	for (unsigned i = 0; i < nn; i++) {
		struct inc_event ev;

		inc_next_event(t, nv[i], &ev);
		json_array_append_new(nx, event_json(&ev, 0));
	}
	jset(j, "next", nx);
	jset(j, "next_dropped", json_integer((json_int_t)inc->next_dropped));
	json_line(o->fp, j);
}

static void
print_event_line(FILE *fp, const char *tag, const struct inc_event *ev)
{
	struct strbuf sb = STRBUF_INIT(4096);
	char when[40] = "-";

	if (ev->time)
		time_iso(when, sizeof(when), (time_t)ev->time);
	strbuf_printf(&sb, "    %-5s %s %3d ", tag, when, ev->status);
	if (ev->cls)
		strbuf_printf(&sb, "%s/%u ", ev->cls, ev->rule);
	esc_text(&sb, ev->method, strlen(ev->method));
	strbuf_addc(&sb, ' ');
	esc_text(&sb, ev->request, ev->reqlen);
	fprintf(fp, "%s\n", strbuf_str(&sb));
	strbuf_release(&sb);
}

static void
attacks_finish(void *st, struct report *r, const struct out *o)
{
	struct attacks *a = st;
	struct incident **v;
	size_t n = 0, top = a->opts->top > 0 ? (size_t)a->opts->top : 10;
	size_t reported = 0, more = 0;
	uint64_t more_attacks = 0;
	enum sev more_sev = SEV_OK;

	v = inc_ranked(&a->inc, &n);
	for (size_t i = 0; i < n; i++) {
		struct incident *inc = v[i];
		enum sev sev;
		struct finding *f;
		char cls[512];

		sev = inc->succeeded ? SEV_CRITICAL
		                     : attack_sev_finding(inc->worst);
		if (sev == SEV_OK)
			continue;
		if (a->opts->follow)
			continue; /* reported live */
		if (reported == ATTACKS_FINDINGS_MAX) {
			/* the rest (ranked lower) in one finding; every
			 * incident is in the incident list */
			more++;
			more_attacks += inc->attacks;
			if (sev > more_sev)
				more_sev = sev;
			continue;
		}
		reported++;
		class_list(inc, cls, sizeof(cls));
		f = report_add(r, sev, "web-attack", inc->client,
		    "%s: %llu attack requests (%s)%s", inc->client,
		    (unsigned long long)inc->attacks, cls,
		    inc->succeeded_exec  ? ", SUCCEEDED on an executable"
		        : inc->succeeded ? ", succeeded (2xx)"
		                         : "");
		if (f != NULL) {
			finding_ev(f, "classes", "%s", cls);
			finding_ev(f, "attacks", "%llu",
			    (unsigned long long)inc->attacks);
		}
	}
	if (more > 0) {
		struct finding *f = report_add(r, more_sev, "web-attack",
		    "more-addresses",
		    "%zu more addresses with attacks (%llu attack requests): "
		    "see the incident list",
		    more, (unsigned long long)more_attacks);

		if (f != NULL) {
			finding_ev(f, "addresses", "%zu", more);
			finding_ev(f, "attacks", "%llu",
			    (unsigned long long)more_attacks);
		}
	}
	if (o->mode == OUT_JSON) {
		for (size_t i = 0; i < n; i++)
			print_incident_json(o, &a->inc, v[i], i + 1);
	} else if (o->mode == OUT_TABLE) {
		static const char *const hdr[] = {"#", "source", "first",
		    "last", "attacks", "requests", "2xx", "4xx", "bytes",
		    "severity", "success", "classes"};
		struct table t;

		fprintf(o->fp,
		    "Attacks: %llu of %llu requests flagged, %zu incidents "
		    "(addresses)\n",
		    (unsigned long long)a->flagged,
		    (unsigned long long)a->requests, n);
		table_init(&t, 12, hdr, "rlllrrrrrlll");
		for (size_t i = 0; i < n; i++) {
			struct incident *inc = v[i];
			char c0[24], c2[40], c3[40], c4[24], c5[24], c6[24],
			    c7[24], c8[24], cls[512];
			const char *cells[12];

			snprintf(c0, sizeof(c0), "%zu", i + 1);
			c2[0] = c3[0] = '\0';
			if (inc->first)
				time_iso(c2, sizeof(c2), (time_t)inc->first);
			if (inc->last)
				time_iso(c3, sizeof(c3), (time_t)inc->last);
			snprintf(c4, sizeof(c4), "%llu",
			    (unsigned long long)inc->attacks);
			snprintf(c5, sizeof(c5), "%llu",
			    (unsigned long long)inc->requests);
			snprintf(c6, sizeof(c6), "%llu",
			    (unsigned long long)inc->status[1]);
			snprintf(c7, sizeof(c7), "%llu",
			    (unsigned long long)inc->status[3]);
			snprintf(c8, sizeof(c8), "%llu",
			    (unsigned long long)inc->bytes);
			class_list(inc, cls, sizeof(cls));
			cells[0] = c0;
			cells[1] = inc->client;
			cells[2] = c2;
			cells[3] = c3;
			cells[4] = c4;
			cells[5] = c5;
			cells[6] = c6;
			cells[7] = c7;
			cells[8] = c8;
			cells[9] = attack_sev_name(inc->worst);
			cells[10] = inc->succeeded_exec ? "EXECUTABLE"
			    : inc->succeeded            ? "yes"
			                                : "no";
			cells[11] = cls;
			table_row(&t, cells);
		}
		if (n > 0)
			table_print(&t, o->fp, o->color);
		table_release(&t);
		for (size_t i = 0; i < n && i < top; i++) {
			struct incident *inc = v[i];
			const struct inc_next *nv[INC_NEXT_MAX];
			unsigned nn;

			if (inc->worst < ASEV_MEDIUM && !inc->succeeded)
				continue;
			fprintf(
			    o->fp, "\n#%zu %s: timeline\n", i + 1, inc->client);
			for (unsigned k = 0; k < inc->nev; k++)
				print_event_line(o->fp, "attck", &inc->ev[k]);
			if (inc->attacks > inc->nev)
				fprintf(o->fp, "    ... %llu more\n",
				    (unsigned long long)(inc->attacks -
				        inc->nev));
			nn = inc_next_list(inc, nv);
			if (nn > 0)
				fprintf(o->fp, "  then:\n");
			for (unsigned k = 0; k < nn; k++) {
				struct inc_event ev;

				inc_next_event(&a->inc, nv[k], &ev);
				print_event_line(o->fp, "next", &ev);
			}
			if (inc->next_dropped)
				fprintf(o->fp, "    ... %llu more\n",
				    (unsigned long long)inc->next_dropped);
		}
		if (a->inc.dropped_clients)
			fprintf(o->fp,
			    "(%llu requests from addresses past the tracking "
			    "limit were not kept)\n",
			    (unsigned long long)a->inc.dropped_clients);
	}
	free(v);
}

/* A line to come (three ahead in a batch scan): its first word is (in
 * the common formats) its client; start loading that address's index
 * entry.  The entry of the line hinted two times before, whose index
 * entry should be in the cache by now, starts loading too
 * (attacks_record finds both there, and the client's key in the ring). */
static void
attacks_hint(void *st, const char *line, size_t n)
{
	struct attacks *a = st;
	struct ahead *x;
	struct inc_key k;
	size_t i = 0;

	if (a->ahead_in - a->ahead_used >= 2)
		inc_prefetch(&a->inc, a->ahead[(a->ahead_in - 2) % AHEAD_N].h);
	while (i < n && i < INC_ADDR_MAX && line[i] != ' ' && line[i] != '\0')
		i++;
	if (i == 0 || i == n || i == INC_ADDR_MAX || line[i] != ' ')
		return;
	inc_key_n(&a->inc, line, i, &k);
	inc_prefetch_index(&a->inc, k.h);
	x = &a->ahead[a->ahead_in++ % AHEAD_N];
	x->h = k.h;
	x->n = (uint8_t)k.n;
	memcpy(x->p, k.p, k.n);
	if (a->ahead_in - a->ahead_used > AHEAD_N)
		a->ahead_used = a->ahead_in - AHEAD_N;
}

/* What finish prints (the incidents ranked, with their timelines); the
 * findings it would add are dropped. */
static void
attacks_show(void *st, const struct out *o)
{
	struct report r;

	report_init(&r);
	attacks_finish(st, &r, o);
	report_release(&r);
}

const struct logs_analyzer_ops logs_attacks_ops = {
    "attacks",
    "attack signatures, incidents per address, login bursts, 404 scans, "
    "floods",
    LOGS_KIND_ACCESS,
    attacks_create,
    attacks_record,
    attacks_finish,
    attacks_free,
    attacks_hint,
    attacks_show,
};

uint64_t
logs_attacks_flagged(const struct logs_run *run)
{
	for (unsigned i = 0; i < run->n; i++)
		if (run->ops[i] == &logs_attacks_ops)
			return ((const struct attacks *)run->st[i])->flagged;
	return 0;
}
