/*
 * fuzz_prom.c - libFuzzer target: an answer of Prometheus's
 * /api/v1/query is read into samples or refused with a reason (and
 * then leaves no sample behind); never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "fleet/prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prom_vec v = {0};
	struct err err = {0};

	if (prom_parse((const char *)data, size, &v, &err) == -1) {
		if (err.msg[0] == '\0' || v.n != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < v.n; i++)
		(void)prom_label(&v.s[i], "instance");
	prom_vec_release(&v);
	return 0;
}
