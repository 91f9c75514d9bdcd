/*
 * meminfo.h - memory and swap from /proc/meminfo, and the derived figures
 * free(1) shows.
 */
#ifndef COLLECT_MEMINFO_H
#define COLLECT_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define MEM_ABSENT UINT64_MAX

/* Values in kB as the kernel reports them; MEM_ABSENT when a line is missing. */
struct meminfo {
	uint64_t mem_total;
	uint64_t mem_free;
	uint64_t mem_available; /* Linux 3.14; see avail_estimated */
	uint64_t buffers;
	uint64_t cached;
	uint64_t swap_cached;
	uint64_t active;
	uint64_t inactive;
	uint64_t shmem;        /* 2.6.32 */
	uint64_t sreclaimable; /* 2.6.19 */
	uint64_t swap_total;
	uint64_t swap_free;
	uint64_t dirty;
	uint64_t committed_as;
	unsigned skipped;   /* malformed lines */
	unsigned first_bad; /* line number of the first, 0 if none */
};

/* What free(1) (procps 4) prints, in kB; absent inputs count as 0. */
struct mem_summary {
	uint64_t total, used, free, shared, buff_cache, available;
	uint64_t swap_total, swap_used, swap_free;
	int avail_estimated; /* 1: MemAvailable absent (kernel < 3.14), estimated */
	double avail_pct; /* available / total * 100 */
};

/*
 * Parses the text of /proc/meminfo.  MemTotal is required; other lines
 * are optional (MEM_ABSENT), unknown keys ignored, malformed lines
 * counted.  0, or -1 with err.
 */
int meminfo_parse(
    const char *s, size_t n, struct meminfo *out, struct err *err);
int meminfo_read(const char *root, struct meminfo *out, struct err *err);
/*
 * free(1)'s figures: buff/cache = Buffers + Cached + SReclaimable;
 * used = total - available (procps 4); without MemAvailable, available is
 * estimated as MemFree + buff/cache.
 */
void meminfo_summary(const struct meminfo *m, struct mem_summary *out);

#endif
