/*
 * topk.c - Space-Saving top-k: an open-addressing hash (linear probing,
 * backward-shift deletion) over a fixed array of entries, and a min-heap
 * of those entries by count so the one to evict is always at the root.
 */
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/topk.h"

int
topk_init(struct topk *t, size_t cap, size_t maxkey)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap;
	t->maxkey = maxkey ? maxkey : 256;
	t->nslots = 16;
	while (t->nslots < cap * 2)
		t->nslots <<= 1;
	t->seed = hash_seed();
	/* Entries and heap grow with use (room()), from TOPK_FIRST: a table
	 * made for a busy log costs a quiet one little; slots are small (8
	 * bytes each) and made at once, as probing needs all of them. */
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	t->heaped = 0;
	if (t->slots == NULL) {
		topk_release(t);
		return -1;
	}
	return 0;
}

void
topk_release(struct topk *t)
{
	if (t->e != NULL)
		for (size_t i = 0; i < t->n; i++) {
			free(t->e[i].key);
			if (t->free_data != NULL && t->e[i].data != NULL)
				t->free_data(t->e[i].data);
		}
	free(t->e);
	free(t->heap);
	free(t->slots);
	t->e = NULL;
	t->heap = NULL;
	t->ecap = 0;
	t->slots = NULL;
	t->n = 0;
}

#define SLOT_IDX(s) ((uint32_t)(s)-1)
#define SLOT_TAG(h) ((h) >> 32)
#define SLOT(h, idx) (((h) >> 32 << 32) | ((uint64_t)(idx) + 1))

/* The slot of key, or the empty slot where it would go. */
static size_t
find_slot(const struct topk *t, const void *key, size_t klen, uint64_t h)
{
	size_t mask = t->nslots - 1, i = (size_t)h & mask;

	for (;;) {
		uint64_t s = t->slots[i];

		if (s == 0)
			return i;
		/* The tag (high hash bits) spares a visit to most entries. */
		if ((s >> 32) == SLOT_TAG(h)) {
			const struct topk_entry *e = &t->e[SLOT_IDX(s)];

			if (e->hash == h && e->klen == klen &&
			    memcmp(e->key, key, klen) == 0)
				return i;
		}
		i = (i + 1) & mask;
	}
}

static void
slot_delete(struct topk *t, size_t i)
{
	size_t mask = t->nslots - 1, j = i;

	t->slots[i] = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (t->slots[j] == 0)
			return;
		size_t home = (size_t)t->e[SLOT_IDX(t->slots[j])].hash & mask;

		/* Move j back into the hole i when its home is not in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			t->slots[i] = t->slots[j];
			t->slots[j] = 0;
			i = j;
		}
	}
}

static void
heap_swap(struct topk *t, uint32_t a, uint32_t b)
{
	uint32_t x = t->heap[a];

	t->heap[a] = t->heap[b];
	t->heap[b] = x;
	t->e[t->heap[a]].heap = a;
	t->e[t->heap[b]].heap = b;
}

static void
sift_down(struct topk *t, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < t->n && t->e[t->heap[l]].count < t->e[t->heap[m]].count)
			m = l;
		if (r < t->n && t->e[t->heap[r]].count < t->e[t->heap[m]].count)
			m = r;
		if (m == i)
			return;
		heap_swap(t, i, m);
		i = m;
	}
}

static int
set_key(struct topk_entry *e, const void *key, size_t klen)
{
	if (e->key == NULL || e->klen < klen) {
		char *k = realloc(e->key, klen ? klen : 1);

		if (k == NULL)
			return -1;
		e->key = k;
	}
	memcpy(e->key, key, klen);
	e->klen = (uint32_t)klen;
	return 0;
}

static void
clear_caller(struct topk *t, struct topk_entry *e)
{
	if (t->free_data != NULL && e->data != NULL)
		t->free_data(e->data);
	e->sum = 0;
	e->first = e->last = 0;
	e->aux[0] = e->aux[1] = 0;
	e->data = NULL;
}

/* Room for entry t->n: the entries and the heap double, up to cap.  0, or
 * -1 (out of memory). */
static int
room(struct topk *t)
{
	struct topk_entry *e;
	uint32_t *h;
	size_t c;

	if (t->n < t->ecap)
		return 0;
	c = t->ecap ? t->ecap * 2 : TOPK_FIRST;
	if (c > t->cap)
		c = t->cap;
	if ((e = realloc(t->e, c * sizeof(*e))) == NULL)
		return -1;
	t->e = e;
	if ((h = realloc(t->heap, c * sizeof(*h))) == NULL)
		return -1;
	t->heap = h;
	t->ecap = c;
	return 0;
}

struct topk_entry *
topk_add(struct topk *t, const void *key, size_t klen, uint64_t inc, int *fresh)
{
	uint64_t h;
	size_t s;
	struct topk_entry *e;
	uint32_t idx;

	*fresh = 0;
	if (t->cap == 0)
		return NULL;
	if (klen > t->maxkey)
		klen = t->maxkey;
	h = hash_bytes(t->seed, key, klen);
	s = find_slot(t, key, klen, h);
	t->total += inc;
	if (t->slots[s] != 0) {
		e = &t->e[SLOT_IDX(t->slots[s])];
		e->count += inc;
		/* The heap is kept only once the table is full. */
		if (t->heaped)
			sift_down(t, e->heap);
		return e;
	}
	if (t->n < t->cap) {
		if (room(t) == -1)
			return NULL;
		idx = (uint32_t)t->n;
		e = &t->e[idx];
		memset(e, 0, sizeof(*e));
		if (set_key(e, key, klen) == -1)
			return NULL;
		e->hash = h;
		e->count = inc;
		t->heap[t->n] = idx;
		e->heap = (uint32_t)t->n;
		t->n++;
		t->slots[s] = SLOT(h, idx);
		*fresh = 1;
		return e;
	}
	if (!t->heaped) {
		/* Full for the first time: heapify, O(cap). */
		for (size_t i = t->n / 2; i-- > 0;)
			sift_down(t, (uint32_t)i);
		t->heaped = 1;
	}
	/* The minimum makes room and lends its count as the error. */
	idx = t->heap[0];
	e = &t->e[idx];
	slot_delete(t, find_slot(t, e->key, e->klen, e->hash));
	if (set_key(e, key, klen) == -1)
		return NULL;
	clear_caller(t, e);
	e->hash = h;
	e->err = e->count;
	e->count += inc;
	t->evicted++;
	t->slots[find_slot(t, key, klen, h)] = SLOT(h, idx);
	sift_down(t, 0);
	*fresh = 1;
	return e;
}

struct topk_entry *
topk_get(const struct topk *t, const void *key, size_t klen)
{
	size_t s;

	if (t->cap == 0)
		return NULL;
	if (klen > t->maxkey)
		klen = t->maxkey;
	s = find_slot(t, key, klen, hash_bytes(t->seed, key, klen));
	return t->slots[s] ? &t->e[SLOT_IDX(t->slots[s])] : NULL;
}

static int
cmp_desc(const void *a, const void *b)
{
	const struct topk_entry *x = *(const struct topk_entry *const *)a;
	const struct topk_entry *y = *(const struct topk_entry *const *)b;
	size_t n;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	n = x->klen < y->klen ? x->klen : y->klen;
	c = memcmp(x->key, y->key, n);
	if (c != 0)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

size_t
topk_sorted(const struct topk *t, const struct topk_entry **out, size_t max)
{
	const struct topk_entry **all;
	size_t k;

	if (t->n == 0 || max == 0)
		return 0;
	all = malloc(t->n * sizeof(*all));
	if (all == NULL)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		all[i] = &t->e[i];
	qsort(all, t->n, sizeof(*all), cmp_desc);
	k = t->n < max ? t->n : max;
	memcpy(out, all, k * sizeof(*out));
	free(all);
	return k;
}

int
topk_exact(const struct topk *t)
{
	return t->evicted == 0;
}
