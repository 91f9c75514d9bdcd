/*
 * fuzz_logs_line.c - libFuzzer target: format detection and every parser
 * behind it (the journal's JSON too) over a file of lines.
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
	struct logs_parser ps;
	struct logs_rec rec;

	logs_parser_init(&ps, LOGS_FMT_AUTO);
	ps.default_year = 2024;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		logs_parse_line(&ps, p, n, &rec);
		p += n + 1;
	}
	logs_parser_release(&ps);
	return 0;
}
