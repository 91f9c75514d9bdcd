/*
 * fuzz_crs_transform.c - libFuzzer target: every ModSecurity
 * transformation of crs_tfn.c on any bytes writes within CRS_TFN_OUT(n)
 * (the output buffer is exactly that long, so ASan sees one byte more);
 * every one but utf8toUnicode never lengthens the text; lowercase leaves
 * no upper-case letter, removeNulls no NUL, removeWhitespace no space,
 * cmdLine neither; a chain of all of them gives what applying them one
 * by one gives.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attack/crs_tfn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t cap = CRS_TFN_OUT(size), n, m;
	char *out = malloc(cap), *a = malloc(cap), *b = malloc(cap);
	char *step = malloc(cap), *tmp = malloc(cap);
	unsigned char all[CRS_T_N];
	const char *r;

	if (out == NULL || a == NULL || b == NULL || step == NULL ||
	    tmp == NULL)
		abort();
	for (int t = 0; t < CRS_T_N; t++) {
		n = crs_tfn_apply((enum crs_tfn)t, in, size, out);
		if (n > cap || (t != CRS_T_UTF8TOUNICODE && n > size))
			abort();
		/* a text it says a transformation leaves must stay */
		if (crs_tfn_same((enum crs_tfn)t, in, size) &&
		    (n != size || (n > 0 && memcmp(out, in, n) != 0)))
			abort();
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)out[i];

			if ((t == CRS_T_LOWERCASE || t == CRS_T_CMDLINE) &&
			    c >= 'A' && c <= 'Z')
				abort();
			if (t == CRS_T_REMOVENULLS && c == '\0')
				abort();
			if (t == CRS_T_REMOVEWHITESPACE &&
			    (c == ' ' || c == '\t' || c == '\n' || c == 0xa0))
				abort();
			if (t == CRS_T_CMDLINE &&
			    (c == '"' || c == '\'' || c == '^' || c == '\\'))
				abort();
		}
	}
	/* utf8toUnicode once, first: the chain's bound holds */
	all[0] = CRS_T_UTF8TOUNICODE;
	for (int t = 1; t < CRS_T_N; t++)
		all[t] = (unsigned char)(t == CRS_T_UTF8TOUNICODE ? 0 : t);
	r = crs_tfn_chain(all, CRS_T_N, in, size, a, b, &n);
	m = size;
	memcpy(step, in, size);
	for (int t = 0; t < CRS_T_N; t++) {
		m = crs_tfn_apply((enum crs_tfn)all[t], step, m, tmp);
		memcpy(step, tmp, m);
	}
	if (n != m || (n > 0 && memcmp(r, step, n) != 0))
		abort();
	free(out);
	free(a);
	free(b);
	free(step);
	free(tmp);
	return 0;
}
