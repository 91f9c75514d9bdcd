/*
 * fuzz_invstate.c - libFuzzer target: the kept inventory (JSON) is read
 * back or refused with a reason; never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "inv/inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct inventory inv;
	struct err err = {0};
	json_t *j = json_loadb((const char *)data, size, 0, NULL);

	if (j == NULL)
		return 0;
	if (inv_from_json(&inv, j, &err) == -1 && err.msg[0] == '\0')
		abort();
	json_decref(j);
	return 0;
}
