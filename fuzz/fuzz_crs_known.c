/*
 * fuzz_crs_known.c - libFuzzer target: the expression verdicts of a CRS
 * cache's text (crs_set_known) on any bytes: every verdict taken is 32
 * lower-case hex digits with 0 or 1, they are sorted, and each is in the
 * text as "v", its digits and its answer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attack/crs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crs_set cs;
	char *text = malloc(size + 1), tok[35];

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	crs_set_init(&cs);
	if (crs_set_known(&cs, text) == -1)
		abort();
	for (size_t i = 0; i < cs.nknown; i++) {
		const struct crs_verdict *v = &cs.known[i];

		if (strlen(v->h) != 32 ||
		    strspn(v->h, "0123456789abcdef") != 32 ||
		    (v->k != 0 && v->k != 1))
			abort();
		if (i > 0 && strcmp(cs.known[i - 1].h, v->h) > 0)
			abort();
		tok[0] = 'v';
		memcpy(tok + 1, v->h, 32);
		tok[33] = (char)('0' + v->k);
		tok[34] = '\0';
		if (strstr(text, tok) == NULL)
			abort();
	}
	crs_set_release(&cs);
	free(text);
	return 0;
}
