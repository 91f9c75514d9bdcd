/*
 * fuzz_loadavg.c - libFuzzer target: loadavg_parse and uptime_parse never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/loadavg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct loadavg l;
	struct uptime u;

	if (loadavg_parse(s, size, &l, &err) == -1 && err.msg[0] == '\0')
		abort();
	err.msg[0] = '\0';
	if (uptime_parse(s, size, &u, &err) == -1 && err.msg[0] == '\0')
		abort();
	return 0;
}
