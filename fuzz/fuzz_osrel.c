/*
 * fuzz_osrel.c - libFuzzer target: os-release parsing never reads out of
 * bounds and always leaves NUL-terminated fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inv/osrel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osrel r;

	osrel_parse((const char *)data, size, &r);
	if (strlen(r.pretty_name) >= sizeof(r.pretty_name) ||
	    strlen(r.id) >= sizeof(r.id))
		abort();
	return 0;
}
