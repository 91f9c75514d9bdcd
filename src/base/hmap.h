/*
 * hmap.h - an open-addressing hash map from byte-string keys to a 64-bit
 * value or a pointer.  Keys are copied.  The caller bounds its size
 * (hmap_count) where outside input decides the number of keys; for
 * "top N of unbounded keys" use a top-k structure instead.
 */
#ifndef BASE_HMAP_H
#define BASE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
	char *key; /* NULL: empty slot */
	size_t klen;
	uint64_t hash;
	union {
		uint64_t u;
		void *p;
	} val;
};

struct hmap {
	struct hmap_entry *slots;
	size_t cap; /* power of two */
	size_t count;
	uint64_t seed; /* hash_seed() */
};

void hmap_init(struct hmap *m);
/* Frees keys and slots; values' pointers are the caller's (see hmap_each). */
void hmap_release(struct hmap *m);
/* hmap_release for a map whose values are malloc'd pointers: frees them too. */
void hmap_release_vals(struct hmap *m);
/* The entry for key, or NULL. */
struct hmap_entry *hmap_get(const struct hmap *m, const void *key, size_t klen);
/* The entry for key, created with val 0 when absent (*created set); NULL on ENOMEM. */
struct hmap_entry *hmap_put(
    struct hmap *m, const void *key, size_t klen, int *created);
/* Removes key (freeing the key copy); 0, or -1 when absent. */
int hmap_del(struct hmap *m, const void *key, size_t klen);
/* Calls fn on every entry; stops and returns fn's value when non-zero. */
int hmap_each(
    const struct hmap *m, int (*fn)(struct hmap_entry *, void *), void *arg);
size_t hmap_count(const struct hmap *m);

#endif
