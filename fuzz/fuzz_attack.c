/*
 * fuzz_attack.c - libFuzzer target: the signature engine with the shipped
 * rules on arbitrary requests.  The input is split at the first two NUL
 * bytes into URI, User-Agent and Referer (so every byte value, NUL too,
 * reaches the fields).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attack/attack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct attack_engine engine;
static int ready;

/* Compiling every rule takes seconds under ASan: once, before the clock
 * of the first input starts. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct attack_ruleset rs;
	struct err err = {0};

	ruleset_init(&rs);
	if (ruleset_load_path(&rs, RULES_DIR, &err) == -1 ||
	    attack_engine_init(&engine, &rs, NULL, 0, &err) == -1) {
		fprintf(stderr, "fuzz_attack: %s\n", err.msg);
		abort();
	}
	ready = 1;
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *z;
	struct attack_req rq = {0};
	struct attack_result res;

	if (!ready)
		abort();
	rq.method = "GET";
	rq.method_len = 3;
	z = memchr(p, '\0', size);
	attack_req_uri(&rq, p, z ? (size_t)(z - p) : size);
	if (z != NULL) {
		p = z + 1;
		z = memchr(p, '\0', (size_t)(end - p));
		rq.ua = p;
		rq.ua_len = z ? (size_t)(z - p) : (size_t)(end - p);
		if (z != NULL) {
			rq.referer = z + 1;
			rq.referer_len = (size_t)(end - z - 1);
		}
	}
	attack_match(&engine, &rq, &res);
	if (res.nhits > ATTACK_MAX_HITS || (res.nhits > 0 && res.top < 0))
		abort();
	for (size_t i = 0; i < res.nhits; i++)
		if (res.hit[i].rule >= engine.rules.n)
			abort();
	return 0;
}
