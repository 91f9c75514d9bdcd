/*
 * incident.c - incidents per attacking address and rate rules (see
 * incident.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attack/incident.h"

struct rate_state {
	int64_t start;
	uint32_t cur, prev;
	int64_t quiet_until; /* fired: not again before this time */
};

struct inc_client {
	struct rate_state rate[RATE_N];
	struct incident *inc;
};

static const char *const default_login[] = {"/wp-login.php", "/xmlrpc.php",
    "/user/login", "/administrator/index.php", "/admin/login", "/login.php",
    "/login", "/signin", "/session", "/j_security_check", NULL};

void
inc_conf_default(struct inc_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->rate[RATE_LOGIN].max = 20;
	c->rate[RATE_LOGIN].window = 300;
	c->rate[RATE_404].max = 50;
	c->rate[RATE_404].window = 300;
	c->rate[RATE_FLOOD].max = 600;
	c->rate[RATE_FLOOD].window = 60;
	c->login_urls = default_login;
	c->max_clients = 100000;
}

const char *
rate_kind_name(enum rate_kind k)
{
	static const char *const names[] = {
	    "login-burst", "404-scan", "request-flood"};

	return (unsigned)k < RATE_N ? names[k] : "?";
}

void
inc_init(struct inc_tracker *t, const struct inc_conf *c)
{
	memset(t, 0, sizeof(*t));
	t->conf = *c;
	if (t->conf.login_urls == NULL)
		t->conf.login_urls = default_login;
	if (t->conf.max_clients == 0)
		t->conf.max_clients = 100000;
	hmap_init(&t->clients);
}

static int
free_client(struct hmap_entry *e, void *arg)
{
	struct inc_client *c = e->val.p;

	(void)arg;
	if (c != NULL && c->inc != NULL) {
		free(c->inc->ev);
		free(c->inc->next);
		free(c->inc);
	}
	free(c);
	return 0;
}

void
inc_release(struct inc_tracker *t)
{
	hmap_each(&t->clients, free_client, NULL);
	hmap_release(&t->clients);
	memset(t, 0, sizeof(*t));
}

static void
copy_cut(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	if (n > 0)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
fill_event(struct inc_event *ev, const struct attack_req *rq)
{
	size_t pn =
	    rq->path_len < INC_REQ_MAX - 1 ? rq->path_len : INC_REQ_MAX - 1;

	memset(ev, 0, sizeof(*ev));
	ev->time = (int64_t)rq->time;
	ev->line = rq->line;
	ev->file = rq->file;
	copy_cut(ev->method, sizeof(ev->method), rq->method, rq->method_len);
	copy_cut(ev->request, sizeof(ev->request), rq->path, pn);
	ev->reqlen = pn;
	if (rq->query != NULL && pn + 1 < INC_REQ_MAX - 1) {
		size_t qn = rq->query_len < INC_REQ_MAX - pn - 2
		    ? rq->query_len
		    : INC_REQ_MAX - pn - 2;

		ev->request[pn] = '?';
		copy_cut(
		    ev->request + pn + 1, INC_REQ_MAX - pn - 1, rq->query, qn);
		ev->reqlen = pn + 1 + qn;
	}
	ev->status = rq->status;
	ev->bytes = (int64_t)rq->bytes;
}

/* A free slot of a bounded, growing event array, or NULL when full. */
static struct inc_event *
slot(struct inc_event **v, unsigned *n, unsigned *cap, unsigned max)
{
	if (*n >= max)
		return NULL;
	if (*n == *cap) {
		unsigned nc = *cap ? *cap * 2 : 4;
		struct inc_event *p;

		if (nc > max)
			nc = max;
		if ((p = realloc(*v, nc * sizeof(*p))) == NULL)
			return NULL;
		*v = p;
		*cap = nc;
	}
	return &(*v)[(*n)++];
}

static void
add_class(struct incident *inc, const char *cls)
{
	for (unsigned i = 0; i < inc->nclasses; i++)
		if (strcmp(inc->classes[i], cls) == 0)
			return;
	if (inc->nclasses < INC_CLASSES_MAX)
		inc->classes[inc->nclasses++] = cls;
}

static struct incident *
open_incident(
    struct inc_tracker *t, struct inc_client *c, const struct attack_req *rq)
{
	if (c->inc != NULL)
		return c->inc;
	c->inc = calloc(1, sizeof(*c->inc));
	if (c->inc == NULL)
		return NULL;
	copy_cut(c->inc->client, sizeof(c->inc->client),
	    rq->client ? rq->client : "-", rq->client ? strlen(rq->client) : 1);
	c->inc->first = (int64_t)rq->time;
	t->nincidents++;
	return c->inc;
}

static int
is_login(const struct inc_tracker *t, const struct attack_req *rq)
{
	if (rq->method_len != 4 || strncasecmp(rq->method, "POST", 4) != 0)
		return 0;
	for (size_t i = 0; t->conf.login_urls[i] != NULL; i++) {
		size_t l = strlen(t->conf.login_urls[i]);

		if (rq->path_len >= l &&
		    strncasecmp(rq->path + rq->path_len - l,
		        t->conf.login_urls[i], l) == 0)
			return 1;
	}
	return 0;
}

/* Counts one event; 1 when the rule fires now. */
static int
rate_step(struct rate_state *s, const struct rate_rule *r, int64_t now)
{
	int64_t k;
	uint64_t est;

	if (r->max == 0 || r->window == 0 || now <= 0)
		return 0;
	if (s->start == 0)
		s->start = now;
	k = now >= s->start ? (now - s->start) / r->window : 0;
	if (k >= 1) {
		s->prev = k == 1 ? s->cur : 0;
		s->cur = 0;
		s->start += k * (int64_t)r->window;
	}
	if (s->cur < UINT32_MAX)
		s->cur++;
	/* sliding window: the previous window weighted by its overlap */
	est = s->cur +
	    (uint64_t)s->prev *
	        (uint64_t)(r->window - (now >= s->start ? now - s->start : 0)) /
	        r->window;
	if (est >= r->max && now >= s->quiet_until) {
		s->quiet_until = now + r->window;
		return 1;
	}
	return 0;
}

static int
counts_for_success(
    const struct attack_engine *e, const struct attack_result *res)
{
	for (size_t i = 0; i < res->nhits; i++) {
		const struct attack_rule *r = attack_rule_of(e, &res->hit[i]);

		if (r->sev >= ASEV_MEDIUM && strcmp(r->cls, "scanner") != 0)
			return 1;
	}
	return 0;
}

enum rate_kind
inc_add(struct inc_tracker *t, const struct attack_engine *e,
    const struct attack_req *rq, const struct attack_result *res)
{
	const char *client = rq->client ? rq->client : "-";
	struct hmap_entry *he;
	struct inc_client *c;
	struct incident *inc;
	enum rate_kind fired = RATE_N;
	int created = 0;
	int64_t now = (int64_t)rq->time;

	he = hmap_get(&t->clients, client, strlen(client));
	if (he == NULL) {
		if (hmap_count(&t->clients) >= t->conf.max_clients) {
			t->dropped_clients++;
			return RATE_N;
		}
		he = hmap_put(&t->clients, client, strlen(client), &created);
		if (he == NULL)
			return RATE_N;
		he->val.p = calloc(1, sizeof(struct inc_client));
		if (he->val.p == NULL)
			return RATE_N;
	}
	c = he->val.p;

	if (is_login(t, rq) &&
	    rate_step(&c->rate[RATE_LOGIN], &t->conf.rate[RATE_LOGIN], now))
		fired = RATE_LOGIN;
	if (rq->status == 404 &&
	    rate_step(&c->rate[RATE_404], &t->conf.rate[RATE_404], now))
		fired = RATE_404;
	if (rate_step(&c->rate[RATE_FLOOD], &t->conf.rate[RATE_FLOOD], now))
		fired = RATE_FLOOD;

	if (res->nhits == 0 && fired == RATE_N) {
		/* "what did they do next?" */
		if ((inc = c->inc) != NULL) {
			inc->requests++;
			if (now > inc->last)
				inc->last = now;
			struct inc_event *ev = slot(&inc->next, &inc->nnext,
			    &inc->capnext, INC_NEXT_MAX);

			if (ev != NULL)
				fill_event(ev, rq);
			else
				inc->next_dropped++;
		}
		return RATE_N;
	}
	if ((inc = open_incident(t, c, rq)) == NULL)
		return fired;
	inc->requests++;
	if (now != 0 && (inc->first == 0 || now < inc->first))
		inc->first = now;
	if (now > inc->last)
		inc->last = now;
	if (fired != RATE_N) {
		inc->rate_fired |= 1 << fired;
		add_class(inc, rate_kind_name(fired));
		if (inc->worst < ASEV_MEDIUM)
			inc->worst = ASEV_MEDIUM;
		struct inc_event *ev =
		    slot(&inc->ev, &inc->nev, &inc->capev, INC_EVENTS_MAX);

		if (ev != NULL) {
			fill_event(ev, rq);
			ev->cls = rate_kind_name(fired);
			ev->sev = ASEV_MEDIUM;
		}
	}
	if (res->nhits > 0) {
		const struct attack_rule *top =
		    attack_rule_of(e, &res->hit[res->top]);
		int sc = rq->status / 100;

		inc->attacks++;
		inc->bytes += rq->bytes;
		inc->status[sc >= 1 && sc <= 5 ? sc - 1 : 5]++;
		for (size_t i = 0; i < res->nhits; i++)
			add_class(inc, attack_rule_of(e, &res->hit[i])->cls);
		if (res->sev > inc->worst)
			inc->worst = res->sev;
		if (sc == 2 && counts_for_success(e, res)) {
			inc->succeeded = 1;
			if (attack_path_executable(rq->path, rq->path_len))
				inc->succeeded_exec = 1;
		}
		struct inc_event *ev =
		    slot(&inc->ev, &inc->nev, &inc->capev, INC_EVENTS_MAX);

		if (ev != NULL) {
			fill_event(ev, rq);
			ev->rule = top->id;
			ev->cls = top->cls;
			ev->sev = res->sev;
		}
	}
	return fired;
}

struct collect {
	struct incident **v;
	size_t n, cap;
};

static int
collect_one(struct hmap_entry *e, void *arg)
{
	struct collect *col = arg;
	struct inc_client *c = e->val.p;

	if (c == NULL || c->inc == NULL || col->n >= col->cap)
		return 0;
	c->inc->score = c->inc->succeeded_exec * 1000.0 +
	    c->inc->succeeded * 500.0 + (double)c->inc->worst * 100.0 +
	    (c->inc->attacks > 99 ? 99.0 : (double)c->inc->attacks) +
	    c->inc->nclasses;
	col->v[col->n++] = c->inc;
	return 0;
}

static int
by_score(const void *a, const void *b)
{
	const struct incident *x = *(struct incident *const *)a;
	const struct incident *y = *(struct incident *const *)b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return strcmp(x->client, y->client);
}

struct incident **
inc_ranked(struct inc_tracker *t, size_t *n)
{
	struct collect col = {NULL, 0, t->nincidents};

	*n = 0;
	col.v = calloc(t->nincidents ? t->nincidents : 1, sizeof(*col.v));
	if (col.v == NULL)
		return NULL;
	hmap_each(&t->clients, collect_one, &col);
	qsort(col.v, col.n, sizeof(*col.v), by_score);
	*n = col.n;
	return col.v;
}
