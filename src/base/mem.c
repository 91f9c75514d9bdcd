/*
 * mem.c - memory for big tables (see mem.h).
 */
#include "base/mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

int
mem_grow(void *p, size_t *cap, size_t need, size_t elsize)
{
	size_t ncap, max;
	void *old, *n;

	if (need <= *cap)
		return 0;
	/* no object may be larger than PTRDIFF_MAX bytes */
	max = elsize ? (size_t)PTRDIFF_MAX / elsize : 0;
	if (need > max) {
		errno = ENOMEM;
		return -1;
	}
	ncap = *cap < 8 ? 8 : *cap > max / 2 ? max : *cap * 2;
	if (ncap < need)
		ncap = need;
	if (ncap > max)
		ncap = max;
	/* p points to a pointer of any object type: copied, not cast */
	memcpy(&old, p, sizeof(old));
	if ((n = realloc(old, ncap * elsize)) == NULL)
		return -1;
	memcpy(p, &n, sizeof(n));
	*cap = ncap;
	return 0;
}

void *
mem_huge_calloc(size_t n)
{
	void *p = NULL;

	if (n < HUGE_PAGE / 8) {
		if (posix_memalign(&p, 64, n ? n : 1) != 0)
			return NULL;
		memset(p, 0, n);
		return p;
	}
	n = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (posix_memalign(&p, HUGE_PAGE, n) != 0)
		return NULL;
	(void)madvise(p, n, MADV_HUGEPAGE);
	memset(p, 0, n);
	return p;
}

void *
mem_reserve(size_t n, void **base, size_t *len)
{
	size_t r = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	char *p, *a;

	*base = NULL;
	*len = 0;
	if (n == 0 || r < n || r + HUGE_PAGE < r)
		return NULL;
	p = mmap(NULL, r + HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + HUGE_PAGE - 1) &
	    ~(uintptr_t)(HUGE_PAGE - 1));
	(void)madvise(a, r, MADV_HUGEPAGE);
	*base = p;
	*len = r + HUGE_PAGE;
	return a;
}

void
mem_unreserve(void *base, size_t len)
{
	if (base != NULL && len > 0)
		(void)munmap(base, len);
}
