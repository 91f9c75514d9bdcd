/*
 * fuzz_logs_w3c.c - libFuzzer target: the W3C extended (IIS) parser over
 * a whole file of lines, #Fields: headers changing in the middle.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "logs/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct logs_w3c w;
	struct logs_access a;

	logs_w3c_init(&w);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		logs_w3c_line(&w, p, n, &a);
		p += n + 1;
	}
	return 0;
}
