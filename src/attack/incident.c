/*
 * incident.c - incidents per attacking address and rate rules (see
 * incident.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "attack/incident.h"
#include "base/hash.h"
#include "base/hmap.h"
#include "base/mem.h"

struct rate_state {
	int64_t start;
	uint32_t cur, prev;
	int64_t quiet_until; /* fired: not again before this time */
};

struct inc_client {
	uint64_t hash;
	uint8_t klen; /* key length + 1 */
	char key[INC_ADDR_MAX];
	struct rate_state rate[RATE_N];
	struct incident *inc;
	/* the incident's counters that every later request moves, kept here
	 * so that such a request does not touch the incident (copied into
	 * it by inc_ranked) */
	uint64_t inc_requests, next_dropped;
	int64_t inc_last;
	unsigned nnext;                   /* the incident's later requests */
	const struct inc_next *next_last; /* ... the last one */
};

_Static_assert(sizeof(struct inc_client) == 192, "inc_client: 3 lines");

/*
 * A later request: the address's one before, then as varints its file
 * (0: none, 1: "-", else the number in names + 2), its time from time0
 * and its status (both zigzagged), its line and bytes; then the lengths of
 * its method (cut at 15 bytes) and request (path?query, cut at
 * INC_REQ_MAX - 1), one byte each, and their texts, not terminated.
 */
struct inc_next {
	const struct inc_next *prev; /* or NULL */
	unsigned char b[];
};

#define VARINT_MAX 10 /* bytes of a uint64_t */

#define HUGE_PAGE (2u << 20)

/* Arena chunks: incidents, events and request texts, freed together. */
struct inc_chunk {
	struct inc_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define INC_CHUNK HUGE_PAGE

/*
 * A chunk in huge pages where the kernel has them for the asking
 * (transparent huge pages in "madvise" mode): filling a big arena page by
 * page costs a fault per 4 KiB, which on a virtual machine was a tenth of
 * a whole scan.
 */
static struct inc_chunk *
chunk_new(size_t cap)
{
	void *p = NULL;

	if (cap + sizeof(struct inc_chunk) <= INC_CHUNK) {
		if (posix_memalign(&p, INC_CHUNK, INC_CHUNK) != 0)
			return NULL;
		(void)madvise(p, INC_CHUNK, MADV_HUGEPAGE);
		((struct inc_chunk *)p)->cap =
		    INC_CHUNK - sizeof(struct inc_chunk);
		return p;
	}
	if ((p = malloc(sizeof(struct inc_chunk) + cap)) == NULL)
		return NULL;
	((struct inc_chunk *)p)->cap = cap;
	return p;
}

/* n bytes of the arena at a multiple of align (a power of two, at most
 * that of max_align_t). */
static void *
arena_alloc_at(struct inc_tracker *t, size_t n, size_t align)
{
	struct inc_chunk *c = t->arena;
	size_t off = c != NULL ? (c->used + align - 1) & ~(align - 1) : 0;
	void *p;

	if (c == NULL || off > c->cap || c->cap - off < n) {
		if ((c = chunk_new(n)) == NULL)
			return NULL;
		c->next = t->arena;
		t->arena = c;
		off = 0;
	}
	p = (char *)c->data + off;
	c->used = off + n;
	return p;
}

static void *
arena_alloc(struct inc_tracker *t, size_t n)
{
	return arena_alloc_at(t, n, sizeof(max_align_t));
}

/*
 * The number of a file name the events point to (a copy in the arena: the
 * caller's may not outlive the tracker, a follower frees its files before
 * the report is printed); SIZE_MAX when out of memory.
 */
static size_t
intern_name(struct inc_tracker *t, const char *name)
{
	char *s;
	size_t len;

	if (t->last_name < t->nnames &&
	    strcmp(t->names[t->last_name], name) == 0)
		return t->last_name;
	for (size_t i = 0; i < t->nnames; i++)
		if (strcmp(t->names[i], name) == 0)
			return t->last_name = i;
	len = strlen(name);
	if (mem_grow(&t->names, &t->capnames, t->nnames + 1,
	        sizeof(*t->names)) == -1 ||
	    (s = arena_alloc(t, len + 1)) == NULL)
		return SIZE_MAX;
	memcpy(s, name, len + 1);
	t->names[t->nnames] = s;
	return t->last_name = t->nnames++;
}

/* The tracker's copy of a file name: NULL for none, "-" when out of
 * memory. */
static const char *
name_copy(struct inc_tracker *t, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	i = intern_name(t, name);
	return i < t->nnames ? t->names[i] : "-";
}

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
	/* seeded: addresses in a log cannot be aimed at one probe chain */
	t->seed = hash_seed();
}

void
inc_release(struct inc_tracker *t)
{
	while (t->arena != NULL) {
		struct inc_chunk *c = t->arena;

		t->arena = c->next;
		free(c);
	}
	free(t->index);
	free(t->names);
	if (t->client_map != NULL)
		mem_unreserve(t->client_map, t->client_maplen);
	else
		free(t->client);
	memset(t, 0, sizeof(*t));
}

/*
 * The index entry for key: its own, or the empty one where it would go.
 * Entries are 8 bytes (the hash's high half and the client's place), so a
 * probe sequence stays in one or two cache lines.
 */
static uint64_t *
client_slot(const struct inc_tracker *t, const char *key, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (t->cap - 1);
	uint64_t tag = h & 0xffffffff00000000ULL;

	for (;;) {
		uint64_t *x = &t->index[i];

		if (*x == 0)
			return x;
		if ((*x & 0xffffffff00000000ULL) == tag) {
			const struct inc_client *c =
			    &t->client[(*x & 0xffffffffu) - 1];

			if (c->klen == n + 1 && memcmp(c->key, key, n) == 0)
				return x;
		}
		i = (i + 1) & (t->cap - 1);
	}
}

static int
client_grow(struct inc_tracker *t)
{
	size_t ocap = t->cap, ncap = ocap ? ocap * 2 : 4096;
	uint64_t *old = t->index;

	/* not mem_huge_calloc, which would round the table (32 KiB to a
	 * few MiB for 100000 addresses) up to 2 MiB and write every byte:
	 * fresh pages come zeroed, and touching memory is what costs */
	if ((t->index = calloc(ncap, sizeof(*t->index))) == NULL) {
		t->index = old;
		return -1;
	}
	t->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i] != 0) {
			const struct inc_client *c =
			    &t->client[(old[i] & 0xffffffffu) - 1];

			*client_slot(t, c->key, c->klen - 1u, c->hash) = old[i];
		}
	free(old);
	return 0;
}

void
inc_key_n(
    const struct inc_tracker *t, const char *p, size_t n, struct inc_key *k)
{
	k->p = p;
	k->n = n;
	k->h = hash_bytes(t->seed, p, n);
}

void
inc_key(const struct inc_tracker *t, const char *client, struct inc_key *k)
{
	const char *p = client != NULL ? client : "-";

	inc_key_n(t, p, strnlen(p, INC_ADDR_MAX), k);
}

void
inc_prefetch(const struct inc_tracker *t, uint64_t h)
{
	uint64_t x;
	const char *c;

	if (t->cap == 0)
		return;
	x = t->index[(size_t)h & (t->cap - 1)];
	if (x == 0)
		return;
	c = (const char *)&t->client[(x & 0xffffffffu) - 1];
	__builtin_prefetch(c, 1);
	__builtin_prefetch(c + 64, 1);
	__builtin_prefetch(c + 128, 1);
}

void
inc_prefetch_index(const struct inc_tracker *t, uint64_t h)
{
	if (t->cap > 0)
		__builtin_prefetch(&t->index[(size_t)h & (t->cap - 1)]);
}

/* The client's entry, created when new; NULL past max_clients. */
static struct inc_client *
client_get(struct inc_tracker *t, const struct inc_key *k)
{
	const char *key = k->p;
	size_t n = k->n;
	uint64_t h = k->h;
	uint64_t *x;
	struct inc_client *c;

	if (t->cap > 0) {
		x = client_slot(t, key, n, h);
		if (*x != 0)
			return &t->client[(*x & 0xffffffffu) - 1];
	}
	if (t->count >= t->conf.max_clients || t->count >= 0xfffffffeu)
		return NULL;
	/* the index at most half full */
	if ((t->count + 1) * 2 > t->cap && client_grow(t) == -1)
		return NULL;
	if (t->count == 0 && t->client == NULL) {
		/* room for every address the tracker may keep, taken as the
		 * addresses come: no copy, no zeroing twice */
		size_t m = t->conf.max_clients < 0xfffffffeu
		    ? t->conf.max_clients
		    : 0xfffffffeu;

		if (m <= SIZE_MAX / sizeof(struct inc_client) &&
		    (t->client = mem_reserve(m * sizeof(struct inc_client),
		         &t->client_map, &t->client_maplen)) != NULL)
			t->capclient = m;
	}
	if (t->count == t->capclient) {
		/* no room reserved: grown by doubling */
		size_t nc = t->capclient ? t->capclient * 2 : 1024;
		struct inc_client *p;

		if (t->client_map != NULL ||
		    (p = mem_huge_calloc(nc * sizeof(*p))) == NULL)
			return NULL;
		if (t->count > 0)
			memcpy(p, t->client, t->count * sizeof(*p));
		free(t->client);
		t->client = p;
		t->capclient = nc;
	}
	x = client_slot(t, key, n, h);
	c = &t->client[t->count];
	memset(c, 0, sizeof(*c));
	c->hash = h;
	c->klen = (uint8_t)(n + 1);
	memcpy(c->key, key, n);
	t->count++;
	*x = (h & 0xffffffff00000000ULL) | t->count;
	return c;
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

/* The request text kept of rq (path?query): the path cut at
 * INC_REQ_MAX - 1 bytes, the query after it as far as room is left.
 * Returns its length; *qn is the query's part. */
static size_t
req_cut(const struct attack_req *rq, size_t *pn, size_t *qn)
{
	*pn = rq->path_len < INC_REQ_MAX - 1 ? rq->path_len : INC_REQ_MAX - 1;
	*qn = 0;
	if (rq->query == NULL || *pn + 1 >= INC_REQ_MAX - 1)
		return *pn;
	*qn = rq->query_len < INC_REQ_MAX - *pn - 2 ? rq->query_len
	                                            : INC_REQ_MAX - *pn - 2;
	return *pn + 1 + *qn;
}

static void
req_copy(
    char *dst, const struct attack_req *rq, size_t pn, size_t qn, size_t len)
{
	if (pn > 0)
		memcpy(dst, rq->path, pn);
	if (len > pn) {
		dst[pn] = '?';
		if (qn > 0)
			memcpy(dst + pn + 1, rq->query, qn);
	}
}

static void
fill_event(
    struct inc_tracker *t, struct inc_event *ev, const struct attack_req *rq)
{
	size_t pn, qn, len = req_cut(rq, &pn, &qn);
	char *req;

	memset(ev, 0, sizeof(*ev));
	ev->time = (int64_t)rq->time;
	ev->line = rq->line;
	ev->file = name_copy(t, rq->file);
	copy_cut(ev->method, sizeof(ev->method), rq->method, rq->method_len);
	if ((req = arena_alloc(t, len + 1)) == NULL) {
		ev->request = "";
		return;
	}
	req_copy(req, rq, pn, qn, len);
	req[len] = '\0';
	ev->request = req;
	ev->reqlen = len;
	ev->status = rq->status;
	ev->bytes = (int64_t)rq->bytes;
}

static size_t
varint_put(unsigned char *p, uint64_t x)
{
	size_t n = 0;

	for (; x >= 0x80; x >>= 7)
		p[n++] = (unsigned char)(x | 0x80);
	p[n++] = (unsigned char)x;
	return n;
}

static uint64_t
varint_get(const unsigned char **p)
{
	uint64_t x = 0;

	for (unsigned s = 0; s < 64; s += 7) {
		unsigned char c = *(*p)++;

		x |= (uint64_t)(c & 0x7f) << s;
		if (c < 0x80)
			break;
	}
	return x;
}

/* A signed number as an unsigned one, small near 0 on both sides. */
static uint64_t
zigzag(uint64_t x)
{
	return x << 1 ^ (uint64_t) - (int64_t)(x >> 63);
}

static uint64_t
unzigzag(uint64_t x)
{
	return x >> 1 ^ (uint64_t) - (int64_t)(x & 1);
}

/* Appends rq to the address's later requests (touching neither the
 * incident nor the request before); -1 when out of memory. */
static int
add_next(
    struct inc_tracker *t, struct inc_client *c, const struct attack_req *rq)
{
	size_t pn, qn, len = req_cut(rq, &pn, &qn);
	size_t mlen = rq->method_len < 15 ? rq->method_len : 15;
	unsigned char num[5 * VARINT_MAX], *b;
	size_t nn = 0, file = 0;
	struct inc_next *x;

	if (rq->file != NULL) {
		file = intern_name(t, rq->file);
		file = file < t->nnames ? file + 2 : 1;
	}
	if (!t->time0_set) {
		t->time0 = (int64_t)rq->time;
		t->time0_set = 1;
	}
	nn += varint_put(num + nn, file);
	nn += varint_put(
	    num + nn, zigzag((uint64_t)(int64_t)rq->time - (uint64_t)t->time0));
	nn += varint_put(num + nn, zigzag((uint64_t)(int64_t)rq->status));
	nn += varint_put(num + nn, rq->line);
	nn += varint_put(num + nn, rq->bytes);
	x = arena_alloc_at(
	    t, sizeof(*x) + nn + 2 + mlen + len, _Alignof(struct inc_next));
	if (x == NULL)
		return -1;
	x->prev = c->next_last;
	b = x->b;
	memcpy(b, num, nn);
	b += nn;
	*b++ = (unsigned char)mlen;
	*b++ = (unsigned char)len;
	if (mlen > 0)
		memcpy(b, rq->method, mlen);
	req_copy((char *)b + mlen, rq, pn, qn, len);
	c->next_last = x;
	c->nnext++;
	return 0;
}

unsigned
inc_next_list(
    const struct incident *inc, const struct inc_next *v[INC_NEXT_MAX])
{
	unsigned n = 0;

	for (const struct inc_next *x = inc->next_last; x != NULL; x = x->prev)
		n++;
	if (n > INC_NEXT_MAX)
		n = INC_NEXT_MAX; /* cannot be: a guard */
	unsigned i = n;
	for (const struct inc_next *x = inc->next_last; x != NULL && i > 0;
	     x = x->prev)
		v[--i] = x;
	return n;
}

void
inc_next_event(
    const struct inc_tracker *t, const struct inc_next *n, struct inc_event *ev)
{
	const unsigned char *b = n->b;
	uint64_t file = varint_get(&b);
	size_t mlen, rlen;

	memset(ev, 0, sizeof(*ev));
	ev->file = file == 0       ? NULL
	    : file - 2 < t->nnames ? t->names[file - 2]
	                           : "-";
	ev->time = (int64_t)((uint64_t)t->time0 + unzigzag(varint_get(&b)));
	ev->status = (int)(int64_t)unzigzag(varint_get(&b));
	ev->line = varint_get(&b);
	ev->bytes = (int64_t)varint_get(&b);
	mlen = *b++;
	rlen = *b++;
	copy_cut(ev->method, sizeof(ev->method), (const char *)b, mlen);
	ev->request = (const char *)b + mlen;
	ev->reqlen = rlen;
}

/* A free slot of a bounded, growing event array, or NULL when full. */
static struct inc_event *
slot(struct inc_tracker *t, struct inc_event **v, unsigned *n, unsigned *cap,
    unsigned max)
{
	if (*n >= max)
		return NULL;
	if (*n == *cap) {
		/* most incidents have one or two events */
		unsigned nc = *cap ? *cap * 2 : 1;
		struct inc_event *p;

		if (nc > max)
			nc = max;
		/* the old array stays in the arena: at most as much again */
		if ((p = arena_alloc(t, nc * sizeof(*p))) == NULL)
			return NULL;
		if (*n > 0)
			memcpy(p, *v, *n * sizeof(*p));
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
	c->inc = arena_alloc(t, sizeof(*c->inc));
	if (c->inc == NULL)
		return NULL;
	memset(c->inc, 0, sizeof(*c->inc));
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

int
inc_succeeded(
    const struct attack_engine *e, const struct attack_result *res, int status)
{
	if (status / 100 != 2)
		return 0;
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
	struct inc_key k;

	inc_key(t, rq->client, &k);
	return inc_add_key(t, e, rq, res, &k);
}

enum rate_kind
inc_add_key(struct inc_tracker *t, const struct attack_engine *e,
    const struct attack_req *rq, const struct attack_result *res,
    const struct inc_key *k)
{
	struct inc_client *c;
	struct incident *inc;
	enum rate_kind fired = RATE_N;
	int64_t now = (int64_t)rq->time;

	if ((c = client_get(t, k)) == NULL) {
		if (t->count >= t->conf.max_clients)
			t->dropped_clients++;
		return RATE_N;
	}

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
			c->inc_requests++;
			if (now > c->inc_last)
				c->inc_last = now;
			if (c->nnext >= INC_NEXT_MAX ||
			    add_next(t, c, rq) == -1)
				c->next_dropped++;
		}
		return RATE_N;
	}
	if ((inc = open_incident(t, c, rq)) == NULL)
		return fired;
	c->inc_requests++;
	if (now != 0 && (inc->first == 0 || now < inc->first))
		inc->first = now;
	if (now > c->inc_last)
		c->inc_last = now;
	if (fired != RATE_N) {
		inc->rate_fired |= 1 << fired;
		add_class(inc, rate_kind_name(fired));
		if (inc->worst < ASEV_MEDIUM)
			inc->worst = ASEV_MEDIUM;
		struct inc_event *ev =
		    slot(t, &inc->ev, &inc->nev, &inc->capev, INC_EVENTS_MAX);

		if (ev != NULL) {
			fill_event(t, ev, rq);
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
		if (inc_succeeded(e, res, rq->status)) {
			inc->succeeded = 1;
			if (attack_path_executable(rq->path, rq->path_len))
				inc->succeeded_exec = 1;
		}
		struct inc_event *ev =
		    slot(t, &inc->ev, &inc->nev, &inc->capev, INC_EVENTS_MAX);

		if (ev != NULL) {
			fill_event(t, ev, rq);
			ev->rule = top->id;
			ev->cls = top->cls;
			ev->sev = res->sev;
		}
	}
	return fired;
}

static void
score(struct incident *inc)
{
	inc->score = inc->succeeded_exec * 1000.0 + inc->succeeded * 500.0 +
	    (double)inc->worst * 100.0 +
	    (inc->attacks > 99 ? 99.0 : (double)inc->attacks) + inc->nclasses;
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
	struct incident **v;
	size_t k = 0;

	*n = 0;
	v = calloc(t->nincidents ? t->nincidents : 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < t->count && k < t->nincidents; i++)
		if (t->client[i].inc != NULL) {
			struct incident *inc = t->client[i].inc;

			inc->requests = t->client[i].inc_requests;
			inc->last = t->client[i].inc_last;
			inc->next_dropped = t->client[i].next_dropped;
			inc->nnext = t->client[i].nnext;
			inc->next_last = t->client[i].next_last;
			score(inc);
			v[k++] = inc;
		}
	qsort(v, k, sizeof(*v), by_score);
	*n = k;
	return v;
}
