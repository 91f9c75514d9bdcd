/*
 * fuzz_sniff.c - libFuzzer target: the /proc/net/raw and /proc/net/packet
 * parsers never read out of bounds and never keep more than SNIFF_MAX.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collect/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sniff_socks s;

	s.n = 0;
	sniff_raw_parse((const char *)data, size, SNIFF_RAW6, &s);
	sniff_packet_parse((const char *)data, size, &s);
	if (s.n > SNIFF_MAX)
		abort();
	return 0;
}
