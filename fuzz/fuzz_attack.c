/*
 * fuzz_attack.c - libFuzzer target: the signature engine with the shipped
 * rules on arbitrary requests.  The input is split at the first two NUL
 * bytes into URI, User-Agent and Referer (so every byte value, NUL too,
 * reaches the fields).  An engine with the big memo and its clean table
 * (attack.h) sees the request line alone, then the request, and must
 * answer as an engine without memo.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "attack/attack.h"
#include "base/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct attack_engine engine; /* the big memo */
static struct attack_engine plain;  /* no memo */
static int ready;

/* Compiling every rule takes seconds under ASan: once, before the clock
 * of the first input starts. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fuzz_attack.XXXXXX", cache[64];
	struct attack_ruleset rs;
	struct attack_result res;
	struct attack_req rq = {0};
	struct err err = {0};

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(cache, sizeof(cache), "%s/own.hsdb", dir);
	/* compiled once, read from the cache the second time */
	for (int i = 0; i < 2; i++) {
		ruleset_init(&rs);
		if (ruleset_load_path(&rs, RULES_DIR, &err) == -1 ||
		    attack_engine_init(
		        i ? &plain : &engine, &rs, cache, 0, &err) == -1) {
			fprintf(stderr, "fuzz_attack: %s\n", err.msg);
			abort();
		}
	}
	(void)unlink(cache);
	(void)rmdir(dir);
	attack_engine_memo(&plain, 0);
	/* a busy log's memo, with the clean table */
	engine.memo_looks = ATTACK_MEMO_BUSY - 1;
	engine.memo_t0 = clock_mono();
	attack_req_uri(&rq, "/", 1);
	attack_match(&engine, &rq, &res);
	if (engine.ctag == NULL)
		abort();
	ready = 1;
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *z;
	struct attack_req rq = {0}, line;
	struct attack_result res, want;

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
	attack_match(&plain, &rq, &want);
	if (want.nhits > ATTACK_MAX_HITS || (want.nhits > 0 && want.top < 0))
		abort();
	for (size_t i = 0; i < want.nhits; i++)
		if (want.hit[i].rule >= plain.rules.n)
			abort();
	line = rq;
	line.ua = line.referer = NULL;
	line.ua_len = line.referer_len = 0;
	attack_match(&engine, &line, &res);
	for (int again = 0; again < 2; again++) {
		attack_match(&engine, &rq, &res);
		if (res.nhits != want.nhits || res.top != want.top ||
		    res.sev != want.sev || res.path_flags != want.path_flags ||
		    res.query_flags != want.query_flags)
			abort();
		for (size_t i = 0; i < res.nhits; i++)
			if (res.hit[i].rule != want.hit[i].rule ||
			    res.hit[i].field != want.hit[i].field)
				abort();
	}
	return 0;
}
