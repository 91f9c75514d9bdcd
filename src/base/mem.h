/*
 * mem.h - memory helpers: the element count of an array, arrays that
 * grow by doubling, and memory for big tables probed at random.
 */
#ifndef BASE_MEM_H
#define BASE_MEM_H

#include <stddef.h>

/* The number of elements of an array (not of a pointer). */
#define countof(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Makes room for at least need elements of elsize bytes in the array
 * whose address is p (a T **, for any T) and that holds *cap elements:
 * when need > *cap, reallocates to max(need, 2 * *cap, 8) elements and
 * sets *cap; the first *cap elements are kept, the new ones are not
 * initialised.  0, or -1 (errno ENOMEM; the array and *cap untouched)
 * when out of memory or when the size would pass PTRDIFF_MAX bytes.
 */
int mem_grow(void *p, size_t *cap, size_t need, size_t elsize);

/*
 * n zeroed bytes aligned to 64 (a cache line), in transparent huge pages
 * where the kernel gives them for the asking ("madvise" mode) when n is
 * 256 KiB or more: a table probed at random then costs no TLB miss per
 * probe, and filling it no page fault per 4 KiB (both dear on a virtual
 * machine).  Freed with free(); NULL when out of memory.
 */
void *mem_huge_calloc(size_t n);

/*
 * Address space for up to n bytes that grow in place: nothing is
 * allocated until touched, zero when first touched, in transparent huge
 * pages (where the kernel gives them) - so a table that would otherwise
 * grow by doubling is neither copied nor zeroed again.  NULL when the
 * space cannot be had (*len is then 0); mem_unreserve() frees it.
 */
void *mem_reserve(size_t n, void **base, size_t *len);
void mem_unreserve(void *base, size_t len);

#endif
