/*
 * fuzz_meminfo.c - libFuzzer target: meminfo_parse and meminfo_summary never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/meminfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct meminfo m;
	struct mem_summary sum;

	if (meminfo_parse(s, size, &m, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	meminfo_summary(&m, &sum);
	if (sum.used > sum.total || sum.swap_used > sum.swap_total)
		abort();
	return 0;
}
