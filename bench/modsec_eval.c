/*
 * modsec_eval.c - the requests of a log through libmodsecurity3 with the
 * OWASP Core Rule Set, for bench/crs-vs-modsec.sh (built by that script,
 * not part of sakimori).
 *
 * usage: modsec_eval CONF < requests.tsv > verdicts.tsv
 *
 * CONF is a ModSecurity configuration (the script writes one: the rule
 * engine in DetectionOnly, the paranoia level, the CRS setup and its
 * REQUEST-*.conf files).  Each input line is
 *
 *	METHOD TAB URI TAB USER-AGENT TAB REFERER
 *
 * (an empty or "-" header is not sent); each is run through the request
 * phases only (the URI, those two headers, no body), and its line number
 * (from 1) and the ids of the rules that logged a match are written, TAB
 * separated, ids comma-separated.  The CPU time per request goes to
 * stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#define MAX_IDS 256

static unsigned long ids[MAX_IDS];
static size_t nids;

/* A rule's log line: keep its [id "N"]. */
static void
on_log(void *data, const void *msg)
{
	const char *p = msg ? strstr(msg, "[id \"") : NULL;
	unsigned long id;

	(void)data;
	if (p == NULL || nids >= MAX_IDS)
		return;
	id = strtoul(p + 5, NULL, 10);
	for (size_t i = 0; i < nids; i++)
		if (ids[i] == id)
			return;
	ids[nids++] = id;
}

static int
cmp_id(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The next TAB-separated field of *p (cut in place). */
static char *
field(char **p)
{
	char *s = *p, *t;

	if (s == NULL)
		return "";
	if ((t = strchr(s, '\t')) != NULL) {
		*t = '\0';
		*p = t + 1;
	} else
		*p = NULL;
	return s;
}

int
main(int argc, char **argv)
{
	ModSecurity *ms;
	RulesSet *rules;
	const char *error = NULL;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	struct timespec t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: modsec_eval CONF < requests.tsv\n");
		return 64;
	}
	ms = msc_init();
	msc_set_connector_info(ms, "sakimori-bench");
	msc_set_log_cb(ms, on_log);
	rules = msc_create_rules_set();
	if (msc_rules_add_file(rules, argv[1], &error) < 0) {
		fprintf(stderr, "modsec_eval: '%s': %s\n", argv[1],
		    error ? error : "cannot load");
		return 78;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	while ((len = getline(&line, &cap, stdin)) != -1) {
		char *p = line, *method, *uri, *ua, *ref;
		Transaction *t;

		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		method = field(&p);
		uri = field(&p);
		ua = field(&p);
		ref = field(&p);
		nids = 0;
		t = msc_new_transaction(ms, rules, NULL);
		msc_process_connection(t, "192.0.2.1", 40000, "127.0.0.1", 80);
		msc_process_uri(t, uri, method, "1.1");
		if (*ua != '\0' && strcmp(ua, "-") != 0)
			msc_add_request_header(t,
			    (const unsigned char *)"User-Agent",
			    (const unsigned char *)ua);
		if (*ref != '\0' && strcmp(ref, "-") != 0)
			msc_add_request_header(t,
			    (const unsigned char *)"Referer",
			    (const unsigned char *)ref);
		msc_process_request_headers(t);
		msc_process_request_body(t);
		msc_transaction_cleanup(t);
		qsort(ids, nids, sizeof(ids[0]), cmp_id);
		printf("%zu\t", ++n);
		for (size_t i = 0; i < nids; i++)
			printf("%s%lu", i ? "," : "", ids[i]);
		putchar('\n');
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	{
		double s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		fprintf(stderr,
		    "modsec_eval: %zu requests, %.2f s CPU, %.0f/s\n", n, s,
		    s > 0 ? (double)n / s : 0.0);
	}
	free(line);
	msc_rules_cleanup(rules);
	msc_cleanup(ms);
	return 0;
}
