/*
 * count.c - connection counts from the socket table (see count.h).
 */
#include "net/count.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/err.h"
#include "base/hash.h"

void
net_counts_init(struct net_counts *c)
{
	memset(c, 0, sizeof(*c));
	hmap_init(&c->addr);
	hmap_init(&c->prefix);
	hmap_init(&c->port);
	hmap_init(&c->addr_port);
	hmap_init(&c->prefix_port);
}

void
net_counts_release(struct net_counts *c)
{
	hmap_release(&c->addr);
	hmap_release(&c->prefix);
	hmap_release(&c->port);
	hmap_release(&c->addr_port);
	hmap_release(&c->prefix_port);
	free(c->listening);
	memset(c, 0, sizeof(*c));
}

static int
bump(struct net_counts *c, struct hmap *m, const void *key, size_t klen)
{
	struct hmap_entry *he = hmap_get(m, key, klen);
	int created;

	if (he == NULL) {
		if (hmap_count(m) >= NET_COUNT_MAXKEYS) {
			c->overflow++;
			return 0;
		}
		if ((he = hmap_put(m, key, klen, &created)) == NULL)
			return -1;
	}
	he->val.u++;
	return 0;
}

int
net_count_add(struct net_counts *c, const struct net_count_opts *o,
    const struct sock_entry *e)
{
	struct net_count_key k;
	struct net_prefix pre;
	unsigned plen;
	int inbound;

	c->total++;
	c->state[e->state <= SOCK_STATE_MAX ? e->state : 0]++;
	if (e->state == SOCK_LISTEN ||
	    (e->proto == IPPROTO_UDP && e->state == SOCK_CLOSE))
		return 0;
	memset(&k, 0, sizeof(k));
	net_prefix_from_bytes(&k.p, e->family, e->raddr);
	if (bump(c, &c->addr, &k.p, sizeof(k.p)) == -1)
		return -1;
	pre = k.p;
	if (pre.family == AF_INET)
		plen = o->plen4 != 0 ? o->plen4 : 24;
	else
		plen = o->plen6 != 0 ? o->plen6 : 64;
	net_prefix_truncate(&pre, plen);
	if (bump(c, &c->prefix, &pre, sizeof(pre)) == -1)
		return -1;
	inbound = c->listening != NULL && c->listening[e->lport];
	if (!inbound)
		return 0;
	if (bump(c, &c->port, &e->lport, sizeof(e->lport)) == -1)
		return -1;
	if (!o->per_port_keys)
		return 0;
	k.port = e->lport;
	if (bump(c, &c->addr_port, &k, sizeof(k)) == -1)
		return -1;
	k.p = pre;
	return bump(c, &c->prefix_port, &k, sizeof(k));
}

/*
 * The walk's fast path: the sockets are first counted in one table keyed
 * by (remote address, local service port or 0), one lookup a socket;
 * the maps of struct net_counts are filled from it at the end, one
 * update per distinct key.  The table is bounded: past NET_COUNT_MAXKEYS
 * keys the remaining sockets go through net_count_add directly.
 */
struct agg_slot {
	uint8_t addr[16]; /* unmapped remote address */
	uint16_t port;    /* local service port, 0: not inbound */
	uint8_t family;   /* 0: empty slot */
	uint8_t inbound;
	uint8_t state; /* of the socket (batch only; not part of the key) */
	uint8_t pad[3];
	uint64_t n;
};

struct agg {
	struct agg_slot *v;
	size_t cap, count; /* cap: a power of two (or 0) */
	uint64_t seed;
};

static uint64_t
agg_hash(const struct agg *a, const struct agg_slot *k)
{
	uint64_t x, y;

	memcpy(&x, k->addr, 8);
	memcpy(&y, k->addr + 8, 8);
	return hash_u64(hash_u64(a->seed, x) ^ y,
	    (uint64_t)k->port << 16 | (uint64_t)k->family << 8 | k->inbound);
}

static int
agg_same(const struct agg_slot *s, const struct agg_slot *k)
{
	return s->family == k->family && s->port == k->port &&
	    s->inbound == k->inbound &&
	    memcmp(s->addr, k->addr, sizeof(s->addr)) == 0;
}

static struct agg_slot *
agg_find(const struct agg *a, const struct agg_slot *k)
{
	size_t i = (size_t)agg_hash(a, k) & (a->cap - 1);

	while (a->v[i].family != 0 && !agg_same(&a->v[i], k))
		i = (i + 1) & (a->cap - 1);
	return &a->v[i];
}

static int
agg_grow(struct agg *a)
{
	size_t ncap = a->cap != 0 ? a->cap * 2 : 1024;
	struct agg old = *a;

	if ((a->v = calloc(ncap, sizeof(*a->v))) == NULL) {
		a->v = old.v;
		return -1;
	}
	a->cap = ncap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i].family != 0)
			*agg_find(a, &old.v[i]) = old.v[i];
	free(old.v);
	return 0;
}

/* 0 counted, 1 table full (count another way), -1 ENOMEM. */
static int
agg_add(struct agg *a, const struct agg_slot *k)
{
	struct agg_slot *s;

	if (a->count * 2 >= a->cap) {
		if (a->count >= NET_COUNT_MAXKEYS)
			return 1;
		if (agg_grow(a) == -1)
			return -1;
	}
	s = agg_find(a, k);
	if (s->family == 0) {
		*s = *k;
		s->n = 0;
		a->count++;
	}
	s->n++;
	return 0;
}

static int
bump_n(struct net_counts *c, struct hmap *m, const void *key, size_t klen,
    uint64_t n)
{
	struct hmap_entry *he = hmap_get(m, key, klen);
	int created;

	if (he == NULL) {
		if (hmap_count(m) >= NET_COUNT_MAXKEYS) {
			c->overflow += n;
			return 0;
		}
		if ((he = hmap_put(m, key, klen, &created)) == NULL)
			return -1;
	}
	he->val.u += n;
	return 0;
}

/* The maps from the table: what net_count_add does, n sockets at once. */
static int
agg_flush(
    const struct agg *a, struct net_counts *c, const struct net_count_opts *o)
{
	for (size_t i = 0; i < a->cap; i++) {
		const struct agg_slot *s = &a->v[i];
		struct net_count_key k;
		struct net_prefix pre;

		if (s->family == 0)
			continue;
		memset(&k, 0, sizeof(k));
		k.p.family = s->family;
		k.p.len = (uint8_t)net_prefix_maxlen(&k.p);
		memcpy(k.p.addr, s->addr, sizeof(k.p.addr));
		if (bump_n(c, &c->addr, &k.p, sizeof(k.p), s->n) == -1)
			return -1;
		pre = k.p;
		net_prefix_truncate(&pre,
		    pre.family == AF_INET ? (o->plen4 != 0 ? o->plen4 : 24)
		                          : (o->plen6 != 0 ? o->plen6 : 64));
		if (bump_n(c, &c->prefix, &pre, sizeof(pre), s->n) == -1)
			return -1;
		if (!s->inbound)
			continue;
		if (bump_n(c, &c->port, &s->port, sizeof(s->port), s->n) == -1)
			return -1;
		if (!o->per_port_keys)
			continue;
		k.port = s->port;
		if (bump_n(c, &c->addr_port, &k, sizeof(k), s->n) == -1)
			return -1;
		k.p = pre;
		if (bump_n(c, &c->prefix_port, &k, sizeof(k), s->n) == -1)
			return -1;
	}
	return 0;
}

/*
 * Keys are gathered in a batch and counted when it is full: between two
 * netlink reads the kernel has evicted the table from the caches (and,
 * in some virtual machines, from the TLB), so a batch counted at once
 * runs on a warm table.
 */
#define AGG_BATCH 8192

struct walk_ctx {
	struct net_counts *c;
	const struct net_count_opts *o;
	struct agg agg;
	struct agg_slot *batch; /* AGG_BATCH keys */
	size_t nbatch;
};

/* Counts the batch: 0, or -1 (ENOMEM). */
static int
agg_drain(struct walk_ctx *w)
{
	for (size_t i = 0; i < w->nbatch; i++) {
		const struct agg_slot *k = &w->batch[i];
		int r = agg_add(&w->agg, k);
		struct sock_entry e;

		if (r == -1)
			return -1;
		if (r == 0) {
			w->c->total++;
			w->c->state[k->state]++;
			continue;
		}
		/* the table is full: the slow way, one map at a time */
		memset(&e, 0, sizeof(e));
		e.family = k->family;
		e.proto = IPPROTO_TCP;
		e.state = k->state;
		memcpy(e.raddr, k->addr, sizeof(e.raddr));
		e.lport = k->port;
		if (net_count_add(w->c, w->o, &e) == -1)
			return -1;
	}
	w->nbatch = 0;
	return 0;
}

static int
mark_listener(const struct sock_entry *e, void *arg)
{
	struct net_counts *c = arg;

	c->listening[e->lport] = 1;
	return 0;
}

static int
count_one(const struct sock_entry *e, void *arg)
{
	struct walk_ctx *w = arg;
	struct net_counts *c = w->c;
	struct net_prefix p;
	struct agg_slot *k;

	if (w->o->port >= 0 && e->lport != w->o->port)
		return 0;
	if (e->state == SOCK_LISTEN ||
	    (e->proto == IPPROTO_UDP && e->state == SOCK_CLOSE))
		return net_count_add(c, w->o, e) == -1 ? ENOMEM : 0;
	if (w->nbatch == AGG_BATCH && agg_drain(w) == -1)
		return ENOMEM;
	net_prefix_from_bytes(&p, e->family, e->raddr);
	k = &w->batch[w->nbatch++];
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, p.addr, sizeof(k->addr));
	k->family = p.family;
	k->inbound = c->listening[e->lport];
	k->port = k->inbound ? e->lport : 0;
	k->state = e->state <= SOCK_STATE_MAX ? e->state : 0;
	return 0;
}

int
net_count_collect(const struct net_count_opts *o, const char *root,
    struct net_counts *c, struct err *err)
{
	struct sock_query q = {0};
	struct walk_ctx w = {c, o, {NULL, 0, 0, 0}, NULL, 0};
	int rc;

	if (c->listening == NULL && (c->listening = calloc(65536, 1)) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if ((w.batch = malloc(AGG_BATCH * sizeof(*w.batch))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	w.agg.seed = hash_seed();
	/* the service ports: what TCP listens on */
	q.protos = SOCK_TCP;
	q.states = SOCK_STATE_BIT(SOCK_LISTEN);
	q.force_proc = o->force_proc;
	rc =
	    sock_walk(&q, root, mark_listener, c, &c->source, &c->skipped, err);
	if (rc == 0) {
		q.protos = o->protos != 0 ? o->protos : SOCK_TCP;
		q.states = o->states;
		q.parallel = o->parallel;
		q.addr_only = !o->no_bpf; /* uid, inode, queues: unused */
		rc = sock_walk(
		    &q, root, count_one, &w, &c->source, &c->skipped, err);
	}
	if (rc == 0 && (agg_drain(&w) == -1 || agg_flush(&w.agg, c, o) == -1))
		rc = ENOMEM;
	free(w.batch);
	free(w.agg.v);
	if (rc == ENOMEM)
		return err_set(err, ENOMEM, "out of memory while counting");
	return rc == 0 ? 0 : -1;
}

struct top_ctx {
	struct net_count_row *rows;
	size_t n;
};

static int
top_collect(struct hmap_entry *he, void *arg)
{
	struct top_ctx *t = arg;

	t->rows[t->n].key = he->key;
	t->rows[t->n].klen = he->klen;
	t->rows[t->n].n = he->val.u;
	t->n++;
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct net_count_row *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return memcmp(x->key, y->key, x->klen);
}

size_t
net_count_top(const struct hmap *m, size_t max, struct net_count_row **rows)
{
	struct top_ctx t = {NULL, 0};
	size_t cnt = hmap_count(m);

	*rows = NULL;
	if (cnt == 0)
		return 0;
	if ((t.rows = calloc(cnt, sizeof(*t.rows))) == NULL)
		return (size_t)-1;
	hmap_each(m, top_collect, &t);
	qsort(t.rows, t.n, sizeof(*t.rows), row_cmp);
	if (max != 0 && t.n > max)
		t.n = max;
	*rows = t.rows;
	return t.n;
}

int
net_count_states_parse(const char *list, uint32_t *mask)
{
	const char *p = list;

	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char name[32];
		int st;

		if (len == 0 || len >= sizeof(name))
			return -1;
		memcpy(name, p, len);
		name[len] = '\0';
		if ((st = sock_state_parse(name)) < 0)
			return -1;
		*mask |= SOCK_STATE_BIT(st);
		if (st == SOCK_SYN_RECV)
			*mask |= SOCK_STATE_BIT(SOCK_NEW_SYN_RECV);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}
