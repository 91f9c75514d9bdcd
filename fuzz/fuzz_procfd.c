/*
 * fuzz_procfd.c - libFuzzer target: the /proc/PID/fd link parser accepts
 * exactly "socket:[N]" with N > 0 and never reads past its input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procfd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t ino = 0;

	if (procfd_parse_link((const char *)data, size, &ino) == 0 &&
	    (ino == 0 || size < 10 || memcmp(data, "socket:[", 8) != 0 ||
	        data[size - 1] != ']'))
		abort();
	return 0;
}
