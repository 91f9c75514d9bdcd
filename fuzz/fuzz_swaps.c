/*
 * fuzz_swaps.c - libFuzzer target: swaps_parse (/proc/swaps) never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/swaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct swaps *sw = malloc(sizeof(*sw));

	if (sw == NULL)
		return 0;
	(void)swaps_parse(s, size, sw, &err);
	for (size_t i = 0; i < sw->n; i++)
		if (strlen(sw->a[i].name) >= sizeof(sw->a[i].name))
			abort();
	free(sw);
	return 0;
}
