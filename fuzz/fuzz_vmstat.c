/*
 * fuzz_vmstat.c - libFuzzer target: vmstat_parse (/proc/vmstat) never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/vmstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct vmstat v;

	if (vmstat_parse(s, size, &v, &err) == -1 && err.msg[0] == '\0')
		abort();
	return 0;
}
