/*
 * fuzz_follow_bm.c - libFuzzer target: follow_bm_file_parse (a "file" line
 * of logs follow's bookmark file) never reads out of bounds or crashes,
 * and what it accepts is within its limits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "logs/follow_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct follow_bm_file bf;

	if (follow_bm_file_parse(s, s + size, &bf) == 0 &&
	    (bf.id.fplen > FOLLOW_FP_MAX || bf.id.tlen > FOLLOW_FP_MAX ||
	        bf.id.tlen > bf.id.off || bf.key[16] != '\0'))
		abort();
	return 0;
}
