/*
 * mem.c - memory for big tables (see mem.h).
 */
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

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
