/*
 * topk.h - the N most frequent keys of an unbounded stream in bounded
 * memory (the Space-Saving algorithm of Metwally, Agrawal and El Abbadi).
 *
 * A top-k keeps at most cap entries.  While fewer than cap distinct keys
 * have been seen every count is exact (err 0).  After that, a new key
 * takes the place of the entry with the smallest count, inheriting that
 * count as its error bound: an entry's true count lies in
 * [count - err, count], and any key whose true count exceeds total/cap is
 * guaranteed to be present.  Memory: cap entries plus their keys (each cut
 * at maxkey bytes), whatever the input.
 *
 * Each entry carries caller fields (sum, first, last, aux, data) that a
 * caller sets when topk_add says the entry is fresh.
 */
#ifndef BASE_TOPK_H
#define BASE_TOPK_H

#include <stddef.h>
#include <stdint.h>

struct topk_entry {
	char *key;
	uint32_t klen;
	uint32_t heap; /* position in the min-heap */
	uint64_t hash;
	uint64_t count;
	uint64_t err; /* over-estimate bound: 0 while exact */
	/* Caller fields, zeroed when the entry is (re)used. */
	uint64_t sum;
	int64_t first, last;
	uint64_t aux[2];
	void *data; /* freed with the top-k's free_data when evicted */
};

struct topk {
	struct topk_entry *e;
	uint32_t *heap;  /* entry indexes, min count at [0] once heaped */
	uint64_t *slots; /* hash tag << 32 | entry index + 1; 0 empty */
	int heaped;      /* the heap is built when the table first fills */
	size_t cap, n, nslots, maxkey;
	size_t ecap;      /* entries (and heap places) allocated, at most cap */
	uint64_t total;   /* sum of all increments */
	uint64_t evicted; /* replacements so far: 0 means exact */
	uint64_t seed;
	void (*free_data)(void *);
};

#define TOPK_FIRST 64 /* entries allocated at the first key, then doubled */

/* cap entries, keys cut at maxkey bytes (0: 256).  0 or -1 (ENOMEM). */
int topk_init(struct topk *t, size_t cap, size_t maxkey);
void topk_release(struct topk *t);
/*
 * Counts key inc times.  Returns its entry (valid until the next add) and
 * sets *fresh when the entry is new or just replaced another key (its
 * caller fields are zeroed then); NULL only when cap is 0.
 */
struct topk_entry *topk_add(
    struct topk *t, const void *key, size_t klen, uint64_t inc, int *fresh);
/* The entry for key, or NULL. */
struct topk_entry *topk_get(const struct topk *t, const void *key, size_t klen);
/*
 * Fills out with up to max entries, highest count first (ties: key
 * order), and returns how many.
 */
size_t topk_sorted(
    const struct topk *t, const struct topk_entry **out, size_t max);
/* 1 while every count is exact (no key was ever evicted). */
int topk_exact(const struct topk *t);

#endif
