/*
 * fuzz_hostport.c - libFuzzer target: hostport_parse never reads out of
 * bounds, explains every refusal, and what it accepts joins back into a
 * text that splits the same way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/hostport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[512], host[256], port[8], again[600], h2[256], p2[8];
	struct err err = {0};

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (hostport_parse(in, host, sizeof(host), port, sizeof(port), &err) ==
	    -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (host[0] == '\0' || strlen(port) == 0 || strlen(port) > 5)
		abort();
	str_printf(again, sizeof(again),
	    strchr(host, ':') != NULL ? "[%s]:%s" : "%s:%s", host, port);
	if (hostport_parse(again, h2, sizeof(h2), p2, sizeof(p2), &err) == -1 ||
	    strcmp(host, h2) != 0 || strcmp(port, p2) != 0)
		abort();
	return 0;
}
