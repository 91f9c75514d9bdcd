/*
 * fuzz_rules.c - libFuzzer target: ruleset_parse (the attack rule-file
 * format of rules/ and of administrators' override files) never reads
 * out of bounds, never crashes or leaks; every rule it keeps is complete
 * (an id; unless disabled, a class and either a pattern or an anomaly;
 * a paranoia level 1-4) and every failure explains itself.  The input is parsed twice into one
 * ruleset, as an override file replaces the rules of an earlier one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attack/ruleset.h"
#include "base/err.h"
#include "base/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct attack_ruleset rs;
	struct err err = {0};

	ruleset_init(&rs);
	for (int pass = 0; pass < 2; pass++) {
		err_clear(&err);
		if (ruleset_parse(&rs, "fuzz.rules", s, size, &err) == -1 &&
		    err.msg[0] == '\0')
			abort();
	}
	for (size_t i = 0; i < rs.n; i++) {
		const struct attack_rule *r = &rs.r[i];

		/* a disabled stanza may be just "id" and "disabled: yes" */
		if (r->id == 0 ||
		    (!r->disabled &&
		        (r->cls[0] == '\0' ||
		            (r->pattern == NULL) ==
		                (r->anomaly == ANOM_NONE))) ||
		    (unsigned)r->anomaly >= ANOM_N || r->paranoia < 1 ||
		    r->paranoia > 4 || r->nstatus > countof(r->status) ||
		    memchr(r->cls, '\0', sizeof(r->cls)) == NULL ||
		    memchr(r->desc, '\0', sizeof(r->desc)) == NULL ||
		    memchr(r->origin, '\0', sizeof(r->origin)) == NULL)
			abort();
		for (size_t j = 0; j < i; j++)
			if (rs.r[j].id == r->id)
				abort(); /* a later stanza replaces, never adds */
	}
	ruleset_set_paranoia(&rs, 2);
	ruleset_release(&rs);
	return 0;
}
