/*
 * fuzz_logs_syslog.c - libFuzzer target: the syslog parser (RFC 3164,
 * RFC 5424, ISO-time and time-less variants) on any bytes.
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
	struct logs_syslog s;

	if (logs_parse_syslog(b, size, &s) == 0) {
		if (s.message.n > 0 &&
		    (s.message.p < b || s.message.p + s.message.n > b + size))
			abort();
		if (s.severity > 7 || s.facility > 23)
			abort();
	}
	return 0;
}
