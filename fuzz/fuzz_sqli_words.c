/*
 * fuzz_sqli_words.c - libFuzzer target: libinjection's SQL injection test
 * with its keyword lookups answered from sakimori's table
 * (injection_sqli) says what libinjection_sqli says, on any bytes; the
 * table lives across inputs, so a word's answer kept from one input
 * serves the next.  Without libmodsecurity3 there is nothing to compare.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/dl_injection.h"
#include "base/dynlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct injection_words *w;
	static int have = -1;
	const char *s = size > 0 ? (const char *)data : "";
	char fp[LIBINJECTION_FINGERPRINT];

	if (have == -1)
		have = dynlib_require(DYNLIB_INJECTION, NULL) == 0 &&
		    (w = injection_words_new()) != NULL;
	if (!have)
		return 0;
	if ((injection_sqli(w, s, size) != 0) !=
	    (libinjection_sqli(s, size, fp) != 0))
		abort();
	return 0;
}
