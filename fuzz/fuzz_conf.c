/*
 * fuzz_conf.c - libFuzzer target: the configuration grammar and schema
 * check never crash or leak, and every failure explains itself with a
 * file:line message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	struct conf_errs errs = {0};
	struct threshold t;
	FILE *null;
	int rc;

	conf_init(&c);
	rc = conf_load_string(&c, "fuzz", (const char *)data, size, &errs);
	if (rc == -1 && errs.n == 0)
		abort();
	/* Every message is "file:line: text" (includes may name other files). */
	for (size_t i = 0; i < errs.n; i++) {
		const char *colon = strchr(errs.msg[i], ':');

		if (colon == NULL || colon[1] < '0' || colon[1] > '9' ||
		    strstr(colon, ": ") == NULL)
			abort();
	}
	/* Queries and the dump walk whatever tree was built. */
	conf_threshold(&c, "load", NULL, &t);
	conf_threshold(&c, "fs-blocks", "/", &t);
	(void)conf_setting(&c, "state-dir", NULL);
	null = fopen("/dev/null", "w");
	if (null) {
		conf_dump(&c, null);
		fclose(null);
	}
	conf_errs_release(&errs);
	conf_release(&c);
	return 0;
}
