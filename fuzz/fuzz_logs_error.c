/*
 * fuzz_logs_error.c - libFuzzer target: the Apache (2.2, 2.4) and nginx
 * error-log parsers on any bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "logs/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct logs_error e;

	if (logs_parse_apache_error(b, size, &e) == 0 &&
	    (e.message.p < b || e.message.p + e.message.n > b + size))
		abort();
	if (logs_parse_nginx_error(b, size, &e) == 0 &&
	    (e.client.n > size || e.message.n > size))
		abort();
	return 0;
}
