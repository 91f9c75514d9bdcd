/*
 * fuzz_cpustat.c - libFuzzer target: cpustat_parse (/proc/stat) and cpu_usage never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/cpu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct cpu_stat st;
	struct cpu_usage u;

	if (cpustat_parse(s, size, &st, &err) == -1 && err.msg[0] == '\0')
		abort();
	cpu_usage(NULL, &st.total, &u);
	for (size_t i = 0; i < st.ncpu; i++)
		cpu_usage(&st.total, &st.cpu[i], &u);
	(void)cpustat_find(&st, 3);
	cpustat_release(&st);
	return 0;
}
