/*
 * hash.h - the hash functions of every in-memory table, seeded once per
 * process so that keys an attacker writes (log lines, addresses, mail
 * domains) cannot be aimed at one probe chain; and FNV-1a for the few
 * values that are stored and must not change between runs.
 *
 * Inline: the tables of `logs attacks` hash every line's fields.
 */
#ifndef BASE_HASH_H
#define BASE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASH_FNV_BASIS 0xcbf29ce484222325ULL

/*
 * The per-process seed, never 0: from getrandom(2); where that has no
 * entropy to give (early boot, old kernels), from the clock, the process
 * id and an address, which an attacker outside cannot read.  The same
 * value for the whole life of the process.
 */
uint64_t hash_seed(void);

/* murmur3's finaliser: every input bit flips about half the output bits. */
static inline uint64_t
hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline uint64_t
hash_rotl64(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/* One 64-bit value (a number, an address word) under seed. */
static inline uint64_t
hash_u64(uint64_t seed, uint64_t x)
{
	return hash_mix64(x ^ seed ^ 0x9e3779b97f4a7c15ULL);
}

/* n bytes under seed, 8 at a time. */
static inline uint64_t
hash_bytes(uint64_t seed, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = (h ^ hash_mix64(w)) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		uint64_t w = 0;

		memcpy(&w, p, n);
		h = (h ^ hash_mix64(w ^ ((uint64_t)n << 56))) *
		    0x9e3779b97f4a7c15ULL;
	}
	return hash_mix64(h);
}

/*
 * A cheaper hash of n bytes under seed that reads at most their first
 * and last 16 (and n): for a cache that compares the whole key on a hit,
 * where a long key costs one memcmp, not a pass to hash it.  Keys that
 * differ only in the middle share a value.
 */
static inline uint64_t
hash_ends(uint64_t seed, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t a = 0, b = 0, c = 0, d = 0, k, h;

	if (n >= 16) {
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + n - 16, 8);
		memcpy(&d, p + n - 8, 8);
	} else if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		a = x | (uint64_t)y << 32;
	} else if (n > 0) {
		a = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 |
		    (uint64_t)p[n - 1] << 16;
	}
	k = seed ^ (uint64_t)n << 8;
	h = (a ^ k) * 0x9e3779b97f4a7c15ULL ^
	    hash_rotl64((b ^ seed) * 0xc2b2ae3d27d4eb4fULL, 23) ^
	    hash_rotl64((c ^ k) * 0x165667b19e3779f9ULL, 41) ^
	    hash_rotl64((d ^ seed) * 0xff51afd7ed558ccdULL, 57);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ h >> 32;
}

/*
 * 64-bit FNV-1a of n bytes, continuing from h (HASH_FNV_BASIS to start):
 * not seeded, the same on every host and in every version, for values
 * kept on disk (a file's fingerprint in a bookmark, a cache's checksum).
 * Never for a table whose keys come from outside.
 */
static inline uint64_t
hash_fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * A 256-bit digest fed in pieces: four chains of hash_bytes under fixed
 * seeds, each piece hashed under the chain's value so far.  The same
 * pieces give the same digest in every process.  Not cryptographic: it
 * tells a changed input from the one before (a cache's key, its
 * checksum), never resists someone who chooses the input; and it needs
 * no library (a digest from libcrypto would load 3 MB into the agent).
 */
struct hash256 {
	uint64_t h[4];
};

void hash256_init(struct hash256 *d);
void hash256_add(struct hash256 *d, const void *p, size_t n);
/* The digest as 64 lower-case hex digits and a NUL. */
void hash256_hex(const struct hash256 *d, char out[65]);
/* The digest of n bytes at p, in one piece. */
void hash256_hex_of(const void *p, size_t n, char out[65]);

#endif
