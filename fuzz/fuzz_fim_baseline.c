/*
 * fuzz_fim_baseline.c - libFuzzer target: the baseline reader never
 * crashes or leaks, every refusal explains itself, and what it accepts
 * writes back and reads again to the same entries.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/strbuf.h"
#include "fim/fim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fim_baseline b, again;
	struct strbuf out = STRBUF_INIT(0);
	struct err err = {0};

	fim_baseline_init(&b);
	if (fim_baseline_parse((const char *)data, size, &b, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		fim_baseline_release(&b);
		return 0;
	}
	fim_baseline_init(&again);
	if (fim_baseline_write(&b, &out, &err) == -1 ||
	    fim_baseline_parse(out.p, out.len, &again, &err) == -1 ||
	    again.n != b.n)
		abort();
	for (size_t i = 0; i < b.n; i++)
		if (strcmp(b.e[i].path, again.e[i].path) != 0 ||
		    b.e[i].mode != again.e[i].mode ||
		    b.e[i].mtime != again.e[i].mtime)
			abort();
	strbuf_release(&out);
	fim_baseline_release(&b);
	fim_baseline_release(&again);
	return 0;
}
