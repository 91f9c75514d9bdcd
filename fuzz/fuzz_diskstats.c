/*
 * fuzz_diskstats.c - libFuzzer target: diskstats_parse and disk_rates never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/diskstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct diskstats ds;
	struct disk_rates r;

	if (diskstats_parse(s, size, &ds, &err) == -1 && err.msg[0] == '\0')
		abort();
	for (size_t i = 0; i < ds.n; i++) {
		disk_rates(NULL, &ds.d[i], 1.0, &r);
		if (i > 0)
			disk_rates(&ds.d[i - 1], &ds.d[i], 0.5, &r);
		if (r.util > 100.0 || r.util < 0)
			abort();
	}
	diskstats_release(&ds);
	return 0;
}
