/*
 * hmap.c - open-addressing hash map with linear probing (see hmap.h).
 *
 * The hash is seeded per process so an attacker who writes the keys (log
 * lines) cannot aim them at one probe chain.
 */
#include "base/hmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

void
hmap_init(struct hmap *m)
{
	m->seed = hash_seed();
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

void
hmap_release(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

void
hmap_release_vals(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			free(m->slots[i].val.p);
	hmap_release(m);
}

static struct hmap_entry *
find(const struct hmap *m, const void *key, size_t klen, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct hmap_entry *e = &m->slots[i];

		if (e->key == NULL)
			return e;
		if (e->hash == h && e->klen == klen &&
		    memcmp(e->key, key, klen) == 0)
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

static int
grow(struct hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 16;
	struct hmap_entry *old = m->slots, *ns;
	size_t ocap = m->cap;

	ns = calloc(ncap, sizeof(*ns));
	if (ns == NULL)
		return -1;
	m->slots = ns;
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (old[i].key == NULL)
			continue;
		*find(m, old[i].key, old[i].klen, old[i].hash) = old[i];
	}
	free(old);
	return 0;
}

struct hmap_entry *
hmap_get(const struct hmap *m, const void *key, size_t klen)
{
	struct hmap_entry *e;

	if (m->cap == 0)
		return NULL;
	e = find(m, key, klen, hash_bytes(m->seed, key, klen));
	return e->key ? e : NULL;
}

struct hmap_entry *
hmap_put(struct hmap *m, const void *key, size_t klen, int *created)
{
	uint64_t h = hash_bytes(m->seed, key, klen);
	struct hmap_entry *e;

	if (created)
		*created = 0;
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) == -1)
		return NULL;
	e = find(m, key, klen, h);
	if (e->key)
		return e;
	e->key = malloc(klen + 1);
	if (e->key == NULL)
		return NULL;
	memcpy(e->key, key, klen);
	e->key[klen] = '\0';
	e->klen = klen;
	e->hash = h;
	e->val.u = 0;
	m->count++;
	if (created)
		*created = 1;
	return e;
}

int
hmap_del(struct hmap *m, const void *key, size_t klen)
{
	struct hmap_entry *e;
	size_t i, j, k, mask = m->cap - 1;

	if (m->cap == 0)
		return -1;
	e = find(m, key, klen, hash_bytes(m->seed, key, klen));
	if (e->key == NULL)
		return -1;
	free(e->key);
	/* Backward-shift deletion keeps every probe chain unbroken. */
	i = j = (size_t)(e - m->slots);
	for (;;) {
		j = (j + 1) & mask;
		if (m->slots[j].key == NULL)
			break;
		k = (size_t)m->slots[j].hash & mask;
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i].key = NULL;
	m->count--;
	return 0;
}

int
hmap_each(
    const struct hmap *m, int (*fn)(struct hmap_entry *, void *), void *arg)
{
	for (size_t i = 0; i < m->cap; i++) {
		int rc;

		if (m->slots[i].key && (rc = fn(&m->slots[i], arg)) != 0)
			return rc;
	}
	return 0;
}

size_t
hmap_count(const struct hmap *m)
{
	return m->count;
}
