/*
 * fuzz_normalise.c - libFuzzer target: the request normaliser never reads
 * or writes out of bounds, never grows its input, and its path form holds
 * no ".." segment and no backslash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attack/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = malloc(size + 1);
	unsigned f = 0;
	size_t n;

	if (out == NULL)
		return 0;
	n = norm_decode((const char *)data, size, 1, out, &f);
	if (n > size)
		abort();
	n = norm_shell(out, n, out);
	if (n > size)
		abort();
	f = 0;
	n = norm_path((const char *)data, size, out, &f);
	if (n > size + 1)
		abort();
	if (memchr(out, '\\', n) != NULL)
		abort();
	for (size_t i = 0; i + 1 < n; i++)
		if (out[i] == '.' && out[i + 1] == '.' &&
		    (i == 0 || out[i - 1] == '/') &&
		    (i + 2 == n || out[i + 2] == '/'))
			abort();
	free(out);
	return 0;
}
