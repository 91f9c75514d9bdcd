/*
 * hash.c - the per-process hash seed (see hash.h).
 */
#include "base/hash.h"

#include <pthread.h>
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
