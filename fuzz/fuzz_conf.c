/*
 * fuzz_conf.c - libFuzzer target: the configuration grammar and schema
 * check never crash or leak, and every failure explains itself with a
 * file:line message; so do the respond rules read from the tree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "conf/conf.h"
#include "net/respond.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	struct conf_errs errs = {0};
	struct threshold t;
	struct respond_conf rc_resp;
	struct err err = {0};
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
	/* the respond rules of a configuration that loaded (the commands
	 * read them from no other): read, or refused saying why */
	if (rc == 0 && respond_conf_load(&rc_resp, &c, &err) == -1 &&
	    err.msg[0] == '\0')
		abort();
	if (rc == 0 && rc_resp.n > RESPOND_RULES_MAX)
		abort();
	null = fopen("/dev/null", "w");
	if (null) {
		conf_dump(&c, null);
		fclose(null);
	}
	conf_errs_release(&errs);
	conf_release(&c);
	return 0;
}
