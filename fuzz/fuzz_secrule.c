/*
 * fuzz_secrule.c - libFuzzer target: secrule_parse (the ModSecurity rule
 * language of the OWASP Core Rule Set's files) never reads out of
 * bounds, never crashes or leaks; every failure explains itself and
 * every directive it keeps is whole: a rule has variables and an
 * operator argument, a rule or action that heads a chain has an id,
 * paranoia levels are 1-4, strings are terminated.  The parsed rules
 * then go through the Core Rule Set translation (crs_translate): every
 * rule with an id ends up translated or listed with a reason, a
 * translated one has targets and a score, and a failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attack/crs.h"
#include "attack/secrule.h"
#include "base/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secrule_set s;
	struct err err = {0};

	secrule_set_init(&s);
	if (secrule_parse(&s, "fuzz.conf", (const char *)data, size, &err) ==
	        -1 &&
	    err.msg[0] == '\0')
		abort();
	for (size_t i = 0; i < s.n; i++) {
		const struct secrule *r = &s.r[i];

		if (r->kind == SECRULE_MARKER)
			continue;
		if ((!r->link && r->id == 0) || r->paranoia < 1 ||
		    r->paranoia > 4 || r->ntfn > SECRULE_TFN_MAX ||
		    r->ntags > SECRULE_TAG_MAX ||
		    memchr(r->op, '\0', sizeof(r->op)) == NULL ||
		    memchr(r->msg, '\0', sizeof(r->msg)) == NULL ||
		    memchr(r->family, '\0', sizeof(r->family)) == NULL)
			abort();
		if (r->kind == SECRULE_RULE &&
		    (r->vars == NULL || r->arg == NULL || r->op[0] == '\0'))
			abort();
		for (unsigned t = 0; t < r->ntfn; t++)
			if (r->tfn[t][0] == '\0')
				abort();
	}
	{
		struct crs_set cs;
		size_t copies = 0;

		crs_set_init(&cs);
		if (crs_translate(&cs, &s, "fuzz.conf", "/nonexistent", &err) ==
		    -1) {
			if (err.msg[0] == '\0')
				abort();
		} else {
			for (size_t i = 0; i < cs.n; i++) {
				copies += cs.r[i].canon != i;
				if (cs.r[i].targets == 0 ||
				    cs.r[i].score <= 0 || cs.r[i].expr == NULL)
					abort();
			}
			if (cs.nf != 1 ||
			    cs.f[0].loaded != cs.n - copies + cs.ns ||
			    cs.f[0].translated != cs.n - copies)
				abort();
		}
		crs_set_release(&cs);
	}
	secrule_set_release(&s);
	return 0;
}
