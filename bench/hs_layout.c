/*
 * hs_layout.c - what two other layouts of the Hyperscan databases would
 * cost on the fields of a combined log, for bench/memo-off-floor.sh
 * (built by that script, not part of sakimori).
 *
 * usage: hs_layout LOG RULES_DIR CRS_DIR [PARANOIA]
 *
 * Without its memo, `logs attacks` scans each request's fields one at a
 * time, and a User-Agent twice: with sakimori's rules for the field and
 * with the Core Rule Set's.  A scan of a short text costs mostly
 * Hyperscan's start, so this program measures, on the path, Referer and
 * User-Agent of each request of LOG (the Referer and User-Agent as
 * logged, "-" left out):
 *   one by one    sakimori's rules for the field (as sig.c compiles
 *                 them, sig_rule_flags), one scan per text;
 *   64 at once    the same rules (with HS_FLAG_MULTILINE, so that ^ and
 *                 $ stay at each text's ends) on 64 texts joined by
 *                 newlines: what a scan per batch of lines would cost,
 *                 before the confirmation of its rare matches;
 *   two scans     User-Agent: sakimori's rules, then the Core Rule Set's
 *                 expressions on REQUEST_HEADERS:User-Agent up to
 *                 PARANOIA (default 1; sig_crs_exprs), each its own scan;
 *   one database  the same expressions in one database, one scan.
 * The texts are scanned as logged: the transformations the rules name
 * (lower case, decodings) change few of them and not the cost.  Each
 * figure is the median of 5 passes, in ns of CPU time per text.
 */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attack/crs.h"
#include "attack/ruleset.h"
#include "attack/sig.h"
#include "base/err.h"
#include "bench_log.h"

#define PASSES 5
#define BATCH 64

struct texts {
	struct val *v;
	size_t n, cap;
};

struct exprs {
	const char **e;
	unsigned *fl;
	size_t n, cap;
};

static void
die(const char *what)
{
	fprintf(stderr, "hs_layout: %s\n", what);
	exit(1);
}

static void
text_add(struct texts *t, const char *p, size_t n)
{
	if (n == 0 || (n == 1 && p[0] == '-'))
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		if ((t->v = realloc(t->v, t->cap * sizeof(*t->v))) == NULL)
			die("out of memory");
	}
	t->v[t->n].p = p;
	t->v[t->n].n = n;
	t->n++;
}

static int
expr_add(const char *e, size_t len, unsigned flags, void *arg)
{
	struct exprs *x = arg;
	char *s;

	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		if ((x->e = realloc(x->e, x->cap * sizeof(*x->e))) == NULL ||
		    (x->fl = realloc(x->fl, x->cap * sizeof(*x->fl))) == NULL)
			die("out of memory");
	}
	if ((s = strndup(e, len)) == NULL)
		die("out of memory");
	x->e[x->n] = s;
	x->fl[x->n] = flags;
	x->n++;
	return 0;
}

static hs_database_t *
compile(const struct exprs *a, const struct exprs *b, unsigned more)
{
	size_t n = a->n + (b ? b->n : 0);
	const char **e = malloc(n * sizeof(*e));
	unsigned *fl = malloc(n * sizeof(*fl)), *id = malloc(n * sizeof(*id));
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;

	if (e == NULL || fl == NULL || id == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct exprs *x = i < a->n ? a : b;
		size_t k = i < a->n ? i : i - a->n;

		e[i] = x->e[k];
		fl[i] = x->fl[k] | more;
		id[i] = (unsigned)i;
	}
	if (hs_compile_multi(e, fl, id, (unsigned)n, HS_MODE_BLOCK, NULL, &db,
	        &ce) != HS_SUCCESS) {
		fprintf(stderr, "hs_layout: %s\n", ce ? ce->message : "?");
		exit(1);
	}
	free(e);
	free(fl);
	free(id);
	return db;
}

static int
on_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	++*(unsigned long *)ctx;
	return 0;
}

/* ns per text: each text on its own with every database of dbs[nd]; or,
 * batched, BATCH texts joined by newlines per scan (one database). */
static double
measure(hs_database_t **dbs, size_t nd, const struct texts *t, int batched)
{
	hs_scratch_t *s = NULL;
	double pass[PASSES];
	unsigned long m = 0;
	char *buf = NULL;
	size_t cap = 0;

	for (size_t d = 0; d < nd; d++)
		if (hs_alloc_scratch(dbs[d], &s) != HS_SUCCESS)
			die("no scratch");
	for (int k = 0; k < PASSES; k++) {
		double t0 = cpu_now() * 1e9;

		for (size_t i = 0; i < t->n;) {
			if (!batched) {
				for (size_t d = 0; d < nd; d++)
					hs_scan(dbs[d], t->v[i].p,
					    (unsigned)t->v[i].n, 0, s, on_match,
					    &m);
				i++;
				continue;
			}
			size_t len = 0, j;

			for (j = i; j < t->n && j < i + BATCH; j++) {
				if (len + t->v[j].n + 1 > cap) {
					cap = 2 * (len + t->v[j].n + 1);
					if ((buf = realloc(buf, cap)) == NULL)
						die("out of memory");
				}
				memcpy(buf + len, t->v[j].p, t->v[j].n);
				len += t->v[j].n;
				buf[len++] = '\n';
			}
			hs_scan(dbs[0], buf, (unsigned)len, 0, s, on_match, &m);
			i = j;
		}
		pass[k] = (cpu_now() * 1e9 - t0) / (double)t->n;
	}
	free(buf);
	hs_free_scratch(s);
	qsort(pass, PASSES, sizeof(pass[0]), cmp_double);
	return pass[PASSES / 2];
}

int
main(int argc, char **argv)
{
	static const char *const names[] = {"path", "referer", "ua"};
	enum attack_field fields[] = {AF_PATH, AF_REFERER, AF_UA};
	struct texts t[3] = {{0}};
	struct exprs own[3] = {{0}}, crs = {0};
	struct attack_ruleset rs;
	struct crs_set cs;
	struct err err = {0};
	int paranoia = argc > 4 ? atoi(argv[4]) : 1;
	char *log = NULL;
	size_t loglen = 0;
	FILE *fp;

	if (argc < 4)
		die("usage: hs_layout LOG RULES_DIR CRS_DIR [PARANOIA]");
	if ((fp = fopen(argv[1], "r")) == NULL)
		die("cannot read the log");
	if (getdelim(&log, &loglen, '\0', fp) == -1)
		die("cannot read the log");
	fclose(fp);
	/* the fields of each line */
	for (char *line = log, *nl; *line != '\0'; line = nl + 1) {
		const char *end, *req, *sp, *q;
		struct val ua, ref;

		if ((nl = strchr(line, '\n')) == NULL)
			break;
		end = nl;
		if (last_quoted(line, &end, &ua) == -1 ||
		    last_quoted(line, &end, &ref) == -1)
			continue;
		text_add(&t[1], ref.p, ref.n);
		text_add(&t[2], ua.p, ua.n);
		/* "METHOD PATH?QUERY PROTOCOL" */
		if ((req = memchr(line, '"', (size_t)(nl - line))) == NULL ||
		    (sp = memchr(req, ' ', (size_t)(nl - req))) == NULL)
			continue;
		sp++;
		for (q = sp; q < nl && *q != ' ' && *q != '?' && *q != '"'; q++)
			;
		text_add(&t[0], sp, (size_t)(q - sp));
	}
	ruleset_init(&rs);
	if (ruleset_load_path(&rs, argv[2], &err) == -1)
		die(err.msg);
	ruleset_set_paranoia(&rs, paranoia);
	for (size_t i = 0; i < rs.n; i++)
		for (size_t f = 0; f < 3; f++)
			if (rs.r[i].pattern != NULL && !rs.r[i].disabled &&
			    (rs.r[i].fields & (1u << fields[f])))
				expr_add(rs.r[i].pattern,
				    strlen(rs.r[i].pattern),
				    sig_rule_flags(&rs.r[i]), &own[f]);
	crs_set_init(&cs);
	if (crs_load_dir(&cs, argv[3], &err) == -1)
		die(err.msg);
	for (size_t i = 0; i < cs.n; i++)
		if (cs.r[i].paranoia <= paranoia &&
		    (cs.r[i].targets & (1u << CT_UA)))
			(void)sig_crs_exprs(&cs.r[i], expr_add, &crs);

	printf("| field | texts | bytes/text | rules | one by one | %d at once "
	       "|\n",
	    BATCH);
	printf("|---|---:|---:|---:|---:|---:|\n");
	for (size_t f = 0; f < 3; f++) {
		hs_database_t *one = compile(&own[f], NULL, 0);
		hs_database_t *multi =
		    compile(&own[f], NULL, HS_FLAG_MULTILINE);
		size_t bytes = 0;

		for (size_t i = 0; i < t[f].n; i++)
			bytes += t[f].v[i].n;
		printf("| %s | %zu | %.1f | %zu | %.0f ns | %.0f ns |\n",
		    names[f], t[f].n, t[f].n ? (double)bytes / t[f].n : 0.0,
		    own[f].n, measure(&one, 1, &t[f], 0),
		    measure(&multi, 1, &t[f], 1));
		hs_free_database(one);
		hs_free_database(multi);
	}
	{
		hs_database_t *two[2] = {
		    compile(&own[2], NULL, 0), compile(&crs, NULL, 0)};
		hs_database_t *both = compile(&own[2], &crs, 0);

		printf("\nUser-Agent, sakimori's %zu expressions and the Core "
		       "Rule Set's %zu (paranoia %d):\n\n",
		    own[2].n, crs.n, paranoia);
		printf("| layout | ns per User-Agent |\n|---|---:|\n");
		printf("| two scans | %.0f |\n", measure(two, 2, &t[2], 0));
		printf(
		    "| one database | %.0f |\n", measure(&both, 1, &t[2], 0));
	}
	return 0;
}
