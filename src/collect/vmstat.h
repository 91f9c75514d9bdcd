/*
 * vmstat.h - paging and swapping counters from /proc/vmstat.
 */
#ifndef COLLECT_VMSTAT_H
#define COLLECT_VMSTAT_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* Counters since boot (pages for pswp*, kB for pgpg*). */
struct vmstat {
	uint64_t pswpin, pswpout; /* pages swapped in / out */
	uint64_t pgpgin, pgpgout; /* kB paged in / out (block I/O) */
	uint64_t pgfault, pgmajfault;
	unsigned have;      /* VMSTAT_* bits of the lines present */
	unsigned skipped;   /* malformed lines */
	unsigned first_bad; /* line number of the first, 0 if none */
};

#define VMSTAT_SWAP 0x1u /* pswpin and pswpout */
#define VMSTAT_PGPG 0x2u /* pgpgin and pgpgout */
#define VMSTAT_FAULT 0x4u

/*
 * Parses "key value" lines.  Absent counters are 0 (and their bit clear
 * in have); pswpin and pswpout are required.  0, or -1 with err.
 */
int vmstat_parse(const char *s, size_t n, struct vmstat *out, struct err *err);
int vmstat_read(const char *root, struct vmstat *out, struct err *err);

#endif
