/*
 * libinjection_floor.c - what libinjection's SQL injection test alone costs
 * on the User-Agent and Referer of each request of a combined log, for
 * bench/memo-off-floor.sh (built by that script, not part of sakimori).
 *
 * usage: libinjection_floor LOG [PASSES]
 *
 * The Core Rule Set's rule 942100 (@detectSQLi, paranoia level 1) looks
 * at every request's User-Agent and Referer; without a memo each of them
 * goes through libinjection once per request.  This program reads the
 * log into memory, takes the last two quoted fields of each line (the
 * Referer and the User-Agent; "-" and empty ones are left out, as
 * sakimori leaves them out), then calls libinjection_sqli on each of them
 * in a tight loop, PASSES times (default 5), and prints the median CPU
 * time of a pass: per request, in all, and as MB/s of the log's bytes.
 * The values go in as logged: on these logs the rule's transformations
 * (utf8toUnicode, urlDecodeUni, removeNulls) change few of them.  Then
 * the same with the table of keyword lookups sakimori puts in front of
 * it (injection_sqli, the same verdicts): the program is linked with
 * sakimori's library, whose forwarders load libmodsecurity3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/dl_injection.h"
#include "bench_log.h"

int
main(int argc, char **argv)
{
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, len = 0, nv = 0, vcap = 0, nreq = 0;
	struct val *v = NULL;
	int passes = argc > 2 ? atoi(argv[2]) : 5;
	double *t;
	long hits = 0;
	struct injection_words *words;

	if (argc < 2 || passes < 1) {
		fprintf(stderr, "usage: libinjection_floor LOG [PASSES]\n");
		return 64;
	}
	if ((f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "libinjection_floor: cannot open '%s': %s\n",
		    argv[1], strerror(errno));
		return 66;
	}
	for (;;) {
		size_t r;

		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((buf = realloc(buf, cap)) == NULL)
				return 71;
		}
		if ((r = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += r;
	}
	fclose(f);
	for (char *line = buf; line < buf + len;) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		const char *end = nl ? nl : buf + len;
		struct val ua, ref;

		nreq++;
		if (last_quoted(line, &end, &ua) == 0 &&
		    last_quoted(line, &end, &ref) == 0) {
			if (nv + 2 > vcap) {
				vcap = vcap ? vcap * 2 : 1024;
				if ((v = realloc(v, vcap * sizeof(*v))) == NULL)
					return 71;
			}
			if (ua.n > 0 && !(ua.n == 1 && ua.p[0] == '-'))
				v[nv++] = ua;
			if (ref.n > 0 && !(ref.n == 1 && ref.p[0] == '-'))
				v[nv++] = ref;
		}
		line = nl ? nl + 1 : buf + len;
	}
	if ((t = calloc((size_t)passes, sizeof(*t))) == NULL ||
	    (words = injection_words_new()) == NULL)
		return 71;
	for (int with = 0; with < 2; with++) {
		hits = 0;
		for (int k = 0; k < passes; k++) {
			double t0 = cpu_now();
			char fp[LIBINJECTION_FINGERPRINT];

			for (size_t i = 0; i < nv; i++)
				hits += (with ? injection_sqli(
				                    words, v[i].p, v[i].n)
				              : libinjection_sqli(
				                    v[i].p, v[i].n, fp)) != 0;
			t[k] = cpu_now() - t0;
		}
		qsort(t, (size_t)passes, sizeof(*t), cmp_double);
		printf("%zu requests, %zu values (User-Agent and Referer), "
		       "%ld flagged a pass; %s: %.3f s a pass (median of "
		       "%d), %.0f ns a request, %.1f MB/s of the log\n",
		    nreq, nv, hits / passes,
		    with ? "with the keyword table" : "libinjection_sqli",
		    t[passes / 2], passes,
		    nreq ? t[passes / 2] / (double)nreq * 1e9 : 0.0,
		    t[passes / 2] > 0 ? (double)len / 1e6 / t[passes / 2]
		                      : 0.0);
	}
	injection_words_free(words);
	free(t);
	free(v);
	free(buf);
	return 0;
}
