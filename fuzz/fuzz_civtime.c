/*
 * fuzz_civtime.c - libFuzzer target: civ_iso and civ_3164 never read out
 * of bounds, never crash, and what they accept is a time in range whose
 * cursor stayed inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/civtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *s, const char *end, const char *p, const struct civtime *t)
{
	if (p <= s || p > end || !t->valid || t->mon < 1 || t->mon > 12 ||
	    t->mday < 1 || t->mday > 31 || t->hour > 24 || t->min > 59 ||
	    t->sec > 60 || t->usec < 0 || t->usec > 999999 ||
	    t->tzoff < -86400 || t->tzoff > 86400)
		abort();
	(void)civ_epoch(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *p;
	struct civtime t;

	for (unsigned flags = 0; flags < 16; flags++) {
		p = s;
		if (civ_iso(&p, end, &t, flags) == 0)
			check(s, end, p, &t);
		else if (p != s)
			abort();
	}
	p = s;
	if (civ_3164(&p, end, &t, 2024) == 0)
		check(s, end, p, &t);
	else if (p != s)
		abort();
	return 0;
}
