/*
 * fuzz_mountinfo.c - libFuzzer target: mountinfo_parse and mounts_select never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/mounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct mounts ms;

	if (mountinfo_parse(s, size, &ms, &err) == -1 && err.msg[0] == '\0')
		abort();
	for (size_t i = 0; i < ms.n; i++)
		if (ms.m[i].mnt == NULL || ms.m[i].source == NULL)
			abort();
	mounts_select(&ms, 0);
	mounts_release(&ms);
	return 0;
}
