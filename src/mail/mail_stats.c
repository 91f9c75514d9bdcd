/*
 * mail_stats.c - counts, top lists and rules over mail events (see
 * mail_stats.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "mail/mail_int.h"
#include "mail/mail_stats.h"

#define WHO_MAXD 8192 /* distinct domains remembered per principal */
#define LOCAL_MAX 4096

const char *
mail_pkind_name(enum mail_pkind k)
{
	switch (k) {
	case MAIL_P_CLIENT:
		return "client";
	case MAIL_P_SASL:
		return "sasl";
	case MAIL_P_USER:
		return "user";
	default:
		return "";
	}
}

void
mail_domain(char *dst, size_t dstsz, const char *addr, size_t n)
{
	const char *at = NULL;
	size_t i, k = 0;

	for (i = n; i-- > 0;)
		if (addr[i] == '@') {
			at = addr + i + 1;
			break;
		}
	if (at != NULL)
		for (; at < addr + n && k + 1 < dstsz; at++) {
			char c = *at;

			if (c == '>')
				break;
			dst[k++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
	while (k > 0 && dst[k - 1] == '.')
		k--;
	dst[k] = '\0';
}

uint64_t
mail_domain_hash(const char *d, size_t n)
{
	uint64_t h = hash_bytes(hash_seed(), d, n);

	return h ? h : 1;
}

static void
tally_init(struct mail_tally *t, size_t max)
{
	hmap_init(&t->m);
	t->max = max;
	t->dropped = 0;
}

static int
free_who(struct hmap_entry *e, void *arg)
{
	struct mail_who *w = e->val.p;

	(void)arg;
	if (w != NULL)
		free(w->d);
	free(w);
	return 0;
}

static int
free_val(struct hmap_entry *e, void *arg)
{
	(void)arg;
	free(e->val.p);
	return 0;
}

static void
tally_release(struct mail_tally *t, int is_who)
{
	hmap_each(&t->m, is_who ? free_who : free_val, NULL);
	hmap_release(&t->m);
}

/* The entry for key, created when there is room; NULL when full. */
static void *
tally_get(struct mail_tally *t, const char *key, size_t n, size_t size)
{
	struct hmap_entry *e = hmap_get(&t->m, key, n);

	if (e != NULL)
		return e->val.p;
	if (hmap_count(&t->m) >= t->max) {
		t->dropped++;
		return NULL;
	}
	e = hmap_put(&t->m, key, n, NULL);
	if (e == NULL)
		return NULL;
	e->val.p = calloc(1, size);
	if (e->val.p == NULL) {
		/* keep the map consistent: drop the key again */
		(void)hmap_del(&t->m, key, n);
		return NULL;
	}
	return e->val.p;
}

static void
count_add(struct mail_tally *t, const char *key, size_t n, uint64_t bytes)
{
	struct mail_count *c;

	if (n == 0)
		return;
	c = tally_get(t, key, n, sizeof(*c));
	if (c != NULL) {
		c->n++;
		c->bytes += bytes;
	}
}

static void
who_domain(struct mail_who *w, uint64_t h)
{
	uint32_t i;

	if (w->nd * 4 >= w->capd * 3) {
		uint32_t ncap = w->capd ? w->capd * 2 : 16;
		struct mail_dcount *nd;

		if (ncap > WHO_MAXD * 2) {
			/* full: count an unseen domain as overflow */
			for (i = (uint32_t)h & (w->capd - 1); w->d[i].h != 0;
			     i = (i + 1) & (w->capd - 1))
				if (w->d[i].h == h) {
					w->d[i].n++;
					return;
				}
			w->overflow++;
			return;
		}
		nd = calloc(ncap, sizeof(*nd));
		if (nd == NULL) {
			w->overflow++;
			return;
		}
		for (uint32_t k = 0; k < w->capd; k++) {
			if (w->d[k].h == 0)
				continue;
			for (i = (uint32_t)w->d[k].h & (ncap - 1); nd[i].h != 0;
			     i = (i + 1) & (ncap - 1))
				;
			nd[i] = w->d[k];
		}
		free(w->d);
		w->d = nd;
		w->capd = ncap;
	}
	for (i = (uint32_t)h & (w->capd - 1); w->d[i].h != 0;
	     i = (i + 1) & (w->capd - 1))
		if (w->d[i].h == h) {
			w->d[i].n++;
			return;
		}
	w->d[i].h = h;
	w->d[i].n = 1;
	w->nd++;
}

static struct mail_who *
who_get(struct mail_stats *s, enum mail_pkind k, const char *name)
{
	size_t n = strlen(name);

	if (n == 0)
		return NULL;
	return tally_get(&s->who[k], name, n, sizeof(struct mail_who));
}

/* The principals of a message: client address, SASL login, local user. */
static size_t
principals(
    struct mail_stats *s, const struct mail_msg *m, struct mail_who *out[])
{
	size_t n = 0;

	if (m->has_client &&
	    (out[n] = who_get(s, MAIL_P_CLIENT, m->client_addr)) != NULL)
		n++;
	if (m->sasl[0] && (out[n] = who_get(s, MAIL_P_SASL, m->sasl)) != NULL)
		n++;
	if (m->local && m->user[0] &&
	    (out[n] = who_get(s, MAIL_P_USER, m->user)) != NULL)
		n++;
	return n;
}

/* A relay that is a host ("name[addr]:port", "host [addr]") is remote. */
static int
relay_is_local(struct mail_span r)
{
	if (r.n == 0 || memchr(r.p, '[', r.n) != NULL)
		return 0;
	if (span_eq(r, "none") || span_eq(r, "remote") || span_eq(r, "esmtp") ||
	    span_eq(r, "smtp") || span_eq(r, "relay"))
		return 0;
	return 1;
}

static void
on_event(void *arg, const struct mail_event *ev, const struct mail_msg *m,
    int first, time_t t)
{
	struct mail_stats *s = arg;
	struct mail_who *w[MAIL_P_N];
	char dom[256];
	size_t np;

	(void)t;
	switch (ev->kind) {
	case MAIL_EV_CONNECT:
		s->connects++;
		break;
	case MAIL_EV_AUTH_FAIL:
		s->auth_fail++;
		if (ev->client_addr.n > 0) {
			struct mail_who *c =
			    tally_get(&s->who[MAIL_P_CLIENT], ev->client_addr.p,
			        ev->client_addr.n, sizeof(struct mail_who));

			if (c != NULL)
				c->auth_fail++;
		}
		break;
	case MAIL_EV_REJECT: {
		struct mail_who *c = NULL;

		if (ev->warn_only) {
			s->reject_warn++;
			break;
		}
		s->rejected++;
		s->rej[ev->rej]++;
		if (ev->client_addr.n > 0)
			c = tally_get(&s->who[MAIL_P_CLIENT], ev->client_addr.p,
			    ev->client_addr.n, sizeof(struct mail_who));
		else if (m != NULL && m->has_client)
			c = who_get(s, MAIL_P_CLIENT, m->client_addr);
		if (c != NULL)
			c->rej[ev->rej]++;
		break;
	}
	case MAIL_EV_EXPIRED:
		s->expired++;
		break;
	case MAIL_EV_DELIVERY:
		if (ev->status == MAIL_ST_SENT) {
			s->delivered++;
			if (m != NULL && first)
				s->bytes_delivered += m->size;
		} else if (ev->status == MAIL_ST_DEFERRED)
			s->deferred++;
		else if (ev->status == MAIL_ST_BOUNCED)
			s->bounced++;
		else if (ev->status == MAIL_ST_EXPIRED)
			s->expired++;
		else
			break;
		if (!first)
			break;
		mail_domain(dom, sizeof(dom), ev->to.p, ev->to.n);
		count_add(&s->rcpts, ev->to.p, ev->to.n, 0);
		count_add(&s->rcpt_domains, dom, strlen(dom), 0);
		if (dom[0] && relay_is_local(ev->relay) &&
		    ev->status == MAIL_ST_SENT &&
		    hmap_count(&s->local_domains) < LOCAL_MAX)
			(void)hmap_put(
			    &s->local_domains, dom, strlen(dom), NULL);
		if (m == NULL || m->own_bounce)
			break;
		np = principals(s, m, w);
		for (size_t i = 0; i < np; i++) {
			w[i]->rcpts++;
			if (dom[0])
				who_domain(
				    w[i], mail_domain_hash(dom, strlen(dom)));
		}
		break;
	default:
		break;
	}
}

static void
on_end(void *arg, const struct mail_msg *m, enum mail_end why)
{
	struct mail_stats *s = arg;
	struct mail_who *w[MAIL_P_N];
	char dom[256];
	/* our own notifications are nobody's volume */
	size_t np = m->own_bounce ? 0 : principals(s, m, w);

	if (m->received) {
		s->received++;
		s->bytes_received += m->size;
		for (size_t i = 0; i < np; i++) {
			w[i]->msgs++;
			w[i]->bytes += m->size;
		}
		if (m->has_from && !m->null_from) {
			count_add(
			    &s->senders, m->from, strlen(m->from), m->size);
			mail_domain(dom, sizeof(dom), m->from, strlen(m->from));
			count_add(
			    &s->sender_domains, dom, strlen(dom), m->size);
		}
	}
	if (m->own_bounce)
		s->notifications++;
	if (m->has_from && m->null_from) {
		s->null_from++;
		if (!m->own_bounce && (m->has_client || m->local)) {
			s->null_unexplained++;
			if (np > 0)
				w[0]->null_from++;
		}
	}
	if (m->has_client && np > 0)
		for (int k = 0; k < MAIL_REJ_NREJ; k++)
			w[0]->rej[k] += m->unattributed[k];
	if (why == MAIL_END_OPEN) {
		s->open_at_end++;
		if (m->ndeferred > 0)
			s->open_deferred++;
	}
}

void
mail_stats_init(struct mail_stats *s, size_t max_keys)
{
	struct mail_join_cb cb = {on_event, on_end, s};

	memset(s, 0, sizeof(*s));
	if (max_keys == 0)
		max_keys = 100000;
	for (int k = 0; k < MAIL_P_N; k++)
		tally_init(&s->who[k], max_keys);
	tally_init(&s->senders, max_keys);
	tally_init(&s->sender_domains, max_keys);
	tally_init(&s->rcpts, max_keys);
	tally_init(&s->rcpt_domains, max_keys);
	hmap_init(&s->local_domains);
	mail_join_init(&s->join, 0, &cb);
}

void
mail_stats_uid_names(
    struct mail_stats *s, const char *(*fn)(void *arg, uint64_t uid), void *arg)
{
	s->join.uid_name = fn;
	s->join.uid_arg = arg;
}

void
mail_stats_release(struct mail_stats *s)
{
	mail_join_release(&s->join);
	for (int k = 0; k < MAIL_P_N; k++)
		tally_release(&s->who[k], 1);
	tally_release(&s->senders, 0);
	tally_release(&s->sender_domains, 0);
	tally_release(&s->rcpts, 0);
	tally_release(&s->rcpt_domains, 0);
	hmap_release(&s->local_domains);
}

void
mail_stats_event(struct mail_stats *s, const struct mail_event *ev, time_t t)
{
	if (t != 0) {
		if (s->first == 0 || t < s->first)
			s->first = t;
		if (t > s->last)
			s->last = t;
	}
	mail_join_event(&s->join, ev, t);
}

void
mail_stats_line(struct mail_stats *s, const char *line, size_t n, int year)
{
	struct mail_line l;

	s->lines++;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (n == 0)
		return;
	mail_stats_split(
	    s, mail_line_split(line, n, year, &l) == 0 ? &l : NULL);
}

void
mail_stats_split(struct mail_stats *s, const struct mail_line *l)
{
	if (l == NULL)
		s->garbage++;
	else
		mail_stats_msg(
		    s, l->tag.p, l->tag.n, l->msg.p, l->msg.n, l->time);
}

void
mail_stats_msg(struct mail_stats *s, const char *tag, size_t taglen,
    const char *msg, size_t msglen, time_t t)
{
	struct mail_event ev;

	if (mail_parse(tag, taglen, msg, msglen, &ev) == MAIL_EV_NONE)
		return;
	s->mail_lines++;
	mail_stats_event(s, &ev, t);
}

void
mail_stats_finish(struct mail_stats *s)
{
	if (s->flushed)
		return;
	mail_join_flush(&s->join);
	s->flushed = 1;
}

void
mail_policy_default(struct mail_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->relay_warn = 1;
	p->relay_crit = 20;
	p->enum_warn = 10;
	p->enum_crit = 50;
	p->outside_warn = 50;
	p->outside_crit = 200;
	p->volume_warn = 500;
	p->volume_crit = 2000;
	p->volume_factor = 10;
	p->null_warn = 50;
	p->null_crit = 500;
	p->deferred_warn = 100;
	p->deferred_crit = 1000;
	p->enabled_relay = p->enabled_enum = p->enabled_outside = 1;
	p->enabled_volume = p->enabled_null = p->enabled_deferred = 1;
}

/* Hashes of domains that are local or usual. */
struct excl {
	struct hmap set; /* key: 8-byte hash */
};

static void
excl_add(struct excl *x, const char *d, size_t n)
{
	char low[256];
	uint64_t h;

	{
		size_t k = 0;

		for (; k < n && k + 1 < sizeof(low); k++)
			low[k] = (d[k] >= 'A' && d[k] <= 'Z')
			    ? (char)(d[k] + 32)
			    : d[k];
		low[k] = '\0';
		n = k;
	}
	h = mail_domain_hash(low, n);
	(void)hmap_put(&x->set, &h, sizeof(h), NULL);
}

static int
excl_has(const struct excl *x, uint64_t h)
{
	return hmap_get(&x->set, &h, sizeof(h)) != NULL;
}

struct judge_ctx {
	struct mail_stats *s;
	const struct mail_policy *p;
	struct report *r;
	struct excl *x;     /* local and usual */
	struct excl *local; /* local only */
	enum mail_pkind kind;
	double days;
};

static int
add_local(struct hmap_entry *e, void *arg)
{
	excl_add(arg, e->key, e->klen);
	return 0;
}

static int
add_usual(struct hmap_entry *e, void *arg)
{
	struct judge_ctx *c = arg;

	if (c->p->hist_usual && c->p->hist_usual(c->p->hist, e->key))
		excl_add(c->x, e->key, e->klen);
	return 0;
}

static const char *
who_label(enum mail_pkind k)
{
	switch (k) {
	case MAIL_P_CLIENT:
		return "client";
	case MAIL_P_SASL:
		return "SASL login";
	default:
		return "local user";
	}
}

static void
who_ev(struct finding *f, enum mail_pkind k, const char *name)
{
	if (f == NULL)
		return;
	finding_ev(f,
	    k == MAIL_P_CLIENT     ? "client"
	        : k == MAIL_P_SASL ? "login"
	                           : "user",
	    "%s", name);
}

static int
judge_who(struct hmap_entry *e, void *arg)
{
	struct judge_ctx *c = arg;
	const struct mail_policy *p = c->p;
	struct mail_who *w = e->val.p;
	const char *name = e->key;
	char subj[200];
	struct finding *f;
	uint64_t outside = 0, out_rcpts = w->overflow;
	double sev_v;

	w->out_rcpts = 0;
	w->flagged = 0;
	snprintf(subj, sizeof(subj), "%s:%s", mail_pkind_name(c->kind), name);
	if (c->kind == MAIL_P_CLIENT) {
		uint64_t rl = w->rej[MAIL_REJ_RELAY];
		uint64_t uu = w->rej[MAIL_REJ_UNKNOWN_USER];

		if (p->enabled_relay && rl > 0 && rl >= p->relay_warn) {
			f = report_add(c->r,
			    rl >= p->relay_crit ? SEV_CRITICAL : SEV_WARNING,
			    "mail-relay-probe", subj,
			    "client %s: %llu relay attempt%s refused (open "
			    "relay probing)",
			    name, (unsigned long long)rl, rl == 1 ? "" : "s");
			who_ev(f, c->kind, name);
			if (f)
				finding_ev(f, "relay_rejects", "%llu",
				    (unsigned long long)rl);
		}
		if (p->enabled_enum && uu > 0 && uu >= p->enum_warn) {
			f = report_add(c->r,
			    uu >= p->enum_crit ? SEV_CRITICAL : SEV_WARNING,
			    "mail-enumeration", subj,
			    "client %s: %llu recipients refused as unknown "
			    "(address enumeration)",
			    name, (unsigned long long)uu);
			who_ev(f, c->kind, name);
			if (f)
				finding_ev(f, "unknown_users", "%llu",
				    (unsigned long long)uu);
		}
	}
	for (uint32_t i = 0; i < w->capd; i++) {
		if (w->d[i].h == 0)
			continue;
		if (!excl_has(c->local, w->d[i].h))
			w->out_rcpts += w->d[i].n;
		if (excl_has(c->x, w->d[i].h))
			continue;
		outside++;
		out_rcpts += w->d[i].n;
	}
	w->out_rcpts += w->overflow;
	outside += w->overflow ? 1 : 0;
	if (p->enabled_outside && outside > 0 && outside >= p->outside_warn) {
		f = report_add(c->r,
		    outside >= p->outside_crit ? SEV_CRITICAL : SEV_WARNING,
		    "mail-outside-domains", subj,
		    "%s %s sent to %llu recipients in %llu domains that are "
		    "neither local nor usual",
		    who_label(c->kind), name, (unsigned long long)out_rcpts,
		    (unsigned long long)outside);
		who_ev(f, c->kind, name);
		if (f) {
			finding_ev(
			    f, "domains", "%llu", (unsigned long long)outside);
			finding_ev(f, "recipients", "%llu",
			    (unsigned long long)out_rcpts);
		}
		w->flagged = 1;
	}
	if (p->enabled_volume && w->out_rcpts > 0) {
		double rate = (double)w->out_rcpts / c->days;
		double usual = p->hist_volume
		    ? p->hist_volume(p->hist, c->kind, name)
		    : -1;
		double warn = p->volume_warn, crit = p->volume_crit;

		if (usual >= 0) {
			warn =
			    fmax(p->volume_factor * usual, p->volume_warn / 10);
			crit = fmax(warn * 4, p->volume_warn / 2);
		}
		if (rate >= warn) {
			sev_v = rate >= crit ? SEV_CRITICAL : SEV_WARNING;
			f = report_add(c->r, (enum sev)sev_v, "mail-volume",
			    subj,
			    "%s %s sent %.0f outbound recipients per day "
			    "(%s %.0f)",
			    who_label(c->kind), name, rate,
			    usual >= 0 ? "usually" : "threshold",
			    usual >= 0 ? usual : warn);
			who_ev(f, c->kind, name);
			if (f) {
				finding_ev(f, "per_day", "%.0f", rate);
				if (usual >= 0)
					finding_ev(f, "usual", "%.1f", usual);
			}
			w->flagged = 1;
		}
	}
	return 0;
}

struct best {
	const char *key;
	uint64_t n;
};

static int
best_null(struct hmap_entry *e, void *arg)
{
	struct best *b = arg;
	struct mail_who *w = e->val.p;

	if (w->null_from > b->n) {
		b->n = w->null_from;
		b->key = e->key;
	}
	return 0;
}

void
mail_stats_judge(
    struct mail_stats *s, const struct mail_policy *p, struct report *r)
{
	struct excl x, lx;
	struct judge_ctx c = {s, p, r, &x, &lx, MAIL_P_CLIENT, 1};
	struct finding *f;

	mail_stats_finish(s);
	if (s->last > s->first)
		c.days =
		    fmax(1.0, ((double)s->last - (double)s->first) / 86400.0);
	hmap_init(&x.set);
	hmap_init(&lx.set);
	for (size_t i = 0; i < p->nlocal; i++) {
		excl_add(&x, p->local_domains[i], strlen(p->local_domains[i]));
		excl_add(&lx, p->local_domains[i], strlen(p->local_domains[i]));
	}
	for (size_t i = 0; i < p->nusual; i++)
		excl_add(&x, p->usual_domains[i], strlen(p->usual_domains[i]));
	hmap_each(&s->local_domains, add_local, &x);
	hmap_each(&s->local_domains, add_local, &lx);
	if (p->hist_usual)
		hmap_each(&s->rcpt_domains.m, add_usual, &c);
	for (int k = 0; k < MAIL_P_N; k++) {
		c.kind = (enum mail_pkind)k;
		hmap_each(&s->who[k].m, judge_who, &c);
	}
	if (p->enabled_null && s->null_unexplained > 0 &&
	    (double)s->null_unexplained / c.days >= p->null_warn) {
		struct best b = {NULL, 0};

		hmap_each(&s->who[MAIL_P_CLIENT].m, best_null, &b);
		f = report_add(r,
		    (double)s->null_unexplained / c.days >= p->null_crit
		        ? SEV_CRITICAL
		        : SEV_WARNING,
		    "mail-null-sender", "null-sender",
		    "%llu null-sender (from=<>) messages that are not our own "
		    "bounces%s%s",
		    (unsigned long long)s->null_unexplained,
		    b.key ? ", most from client " : "", b.key ? b.key : "");
		if (f) {
			finding_ev(f, "unexplained", "%llu",
			    (unsigned long long)s->null_unexplained);
			finding_ev(f, "own_bounces", "%llu",
			    (unsigned long long)s->notifications);
			if (b.key)
				finding_ev(f, "client", "%s", b.key);
		}
	}
	if (p->enabled_deferred && s->open_deferred > 0 &&
	    (double)s->open_deferred >= p->deferred_warn) {
		f = report_add(r,
		    (double)s->open_deferred >= p->deferred_crit ? SEV_CRITICAL
		                                                 : SEV_WARNING,
		    "mail-deferred", "queue",
		    "%llu messages still deferred when the log ends",
		    (unsigned long long)s->open_deferred);
		if (f)
			finding_ev(f, "deferred", "%llu",
			    (unsigned long long)s->open_deferred);
	}
	hmap_release(&x.set);
	hmap_release(&lx.set);
}

static int
cmp_top(const void *a, const void *b)
{
	const struct mail_top *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

struct top_ctx {
	struct mail_top *v;
	size_t n;
	int is_who;
};

static int
top_add(struct hmap_entry *e, void *arg)
{
	struct top_ctx *c = arg;
	struct mail_top *t = &c->v[c->n++];

	t->key = e->key;
	if (c->is_who) {
		t->who = e->val.p;
		t->n = t->who->msgs;
		t->bytes = t->who->bytes;
	} else {
		const struct mail_count *k = e->val.p;

		t->who = NULL;
		t->n = k->n;
		t->bytes = k->bytes;
	}
	return 0;
}

size_t
mail_tally_top(const struct mail_tally *t, int is_who, struct mail_top **out)
{
	struct top_ctx c = {NULL, 0, is_who};
	size_t n = hmap_count(&t->m);

	*out = NULL;
	if (n == 0)
		return 0;
	c.v = calloc(n, sizeof(*c.v));
	if (c.v == NULL)
		return 0;
	hmap_each(&t->m, top_add, &c);
	qsort(c.v, c.n, sizeof(*c.v), cmp_top);
	*out = c.v;
	return c.n;
}
