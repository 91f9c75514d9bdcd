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

struct walk_ctx {
	struct net_counts *c;
	const struct net_count_opts *o;
};

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

	if (w->o->port >= 0 && e->lport != w->o->port)
		return 0;
	return net_count_add(w->c, w->o, e) == -1 ? ENOMEM : 0;
}

int
net_count_collect(const struct net_count_opts *o, const char *root,
    struct net_counts *c, struct err *err)
{
	struct sock_query q = {0};
	struct walk_ctx w = {c, o};
	int rc;

	if (c->listening == NULL && (c->listening = calloc(65536, 1)) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	/* the service ports: what TCP listens on */
	q.protos = SOCK_TCP;
	q.states = SOCK_STATE_BIT(SOCK_LISTEN);
	q.force_proc = o->force_proc;
	rc =
	    sock_walk(&q, root, mark_listener, c, &c->source, &c->skipped, err);
	if (rc != 0)
		return -1;
	q.protos = o->protos != 0 ? o->protos : SOCK_TCP;
	q.states = o->states;
	rc = sock_walk(&q, root, count_one, &w, &c->source, &c->skipped, err);
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
