/*
 * fuzz_logs_fmt.c - libFuzzer target: the LogFormat / log_format compiler
 * on the first line of the input, then the compiled format on the others.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logs/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	const char *nl = memchr(p, '\n', size);
	size_t n = nl ? (size_t)(nl - p) : size;
	char *spec = malloc(n + 1);
	struct logs_fmt *f;
	struct logs_access a;
	const char *errmsg;

	if (spec == NULL)
		return 0;
	memcpy(spec, p, n);
	spec[n] = '\0';
	f = logs_fmt_compile(spec, &errmsg);
	free(spec);
	if (f == NULL) {
		if (errmsg == NULL)
			abort();
		return 0;
	}
	p += n + 1;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		logs_fmt_parse(f, p, n, &a);
		p += n + 1;
	}
	logs_fmt_free(f);
	return 0;
}
