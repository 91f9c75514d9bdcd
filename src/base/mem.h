/*
 * mem.h - memory for big tables probed at random.
 */
#ifndef BASE_MEM_H
#define BASE_MEM_H

#include <stddef.h>

/*
 * n zeroed bytes aligned to 64 (a cache line), in transparent huge pages
 * where the kernel gives them for the asking ("madvise" mode) when n is
 * 256 KiB or more: a table probed at random then costs no TLB miss per
 * probe, and filling it no page fault per 4 KiB (both dear on a virtual
 * machine).  Freed with free(); NULL when out of memory.
 */
void *mem_huge_calloc(size_t n);

#endif
