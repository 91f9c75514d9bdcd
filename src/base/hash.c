/*
 * hash.c - the per-process hash seed (see hash.h).
 */
#include "base/hash.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static uint64_t seed;
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

static void
seed_init(void)
{
	uint64_t s = 0;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		s = hash_mix64((uint64_t)ts.tv_nsec ^
		    (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 40 ^
		    (uint64_t)(uintptr_t)&ts);
	}
	seed = s ? s : 0x9e3779b97f4a7c15ULL;
}

uint64_t
hash_seed(void)
{
	(void)pthread_once(&seed_once, seed_init);
	return seed;
}

static const uint64_t chain_seed[4] = {
    0x243f6a8885a308d3ULL, /* the digits of pi: nothing up a sleeve */
    0x13198a2e03707344ULL,
    0xa4093822299f31d0ULL,
    0x082efa98ec4e6c89ULL,
};

void
hash256_init(struct hash256 *d)
{
	for (int i = 0; i < 4; i++)
		d->h[i] = chain_seed[i];
}

void
hash256_add(struct hash256 *d, const void *p, size_t n)
{
	for (int i = 0; i < 4; i++)
		d->h[i] = hash_bytes(d->h[i], p, n);
}

void
hash256_hex(const struct hash256 *d, char out[65])
{
	for (int i = 0; i < 4; i++)
		snprintf(
		    out + 16 * i, 17, "%016llx", (unsigned long long)d->h[i]);
}

void
hash256_hex_of(const void *p, size_t n, char out[65])
{
	struct hash256 d;

	hash256_init(&d);
	hash256_add(&d, p, n);
	hash256_hex(&d, out);
}
