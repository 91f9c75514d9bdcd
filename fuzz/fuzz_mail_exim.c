/*
 * fuzz_mail_exim.c - libFuzzer target: the exim log parser never reads
 * outside its input and every span it returns points into it.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_mail_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse(data, size, mail_parse_exim);
}
