/*
 * test_attack_labels.c - the labelled access and IIS lines of the
 * third-party corpus (tests/fixtures/logs/corpus/, fail2ban and OSSEC
 * expectations, Filebeat and IIS samples) through what `sakimori logs
 * attacks` runs: the log parser, then the attacks analyzer with the
 * shipped rules at the default paranoia level.  Every request line of
 * each file has a verdict in tests/fixtures/attacks/access-labels.tsv
 * (made by make-access-labels.py from the sources' own labels):
 *	attack        parsed as an access record and flagged
 *	clean         parsed as an access record and not flagged
 *	unparsed      rejected by the parser (counted with its line number)
 *	out-of-scope  what the label is about is not in the line (reverse
 *	              DNS, an error-log line, ...): the reason is printed
 * A line of a labelled file that the parser reads but the table does not
 * list fails the test: nothing is skipped silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/output.h"
#include "base/strbuf.h"
#include "logs/analyzer.h"
#include "logs/scan.h"

#define CORPUS FIXTURES "/logs/corpus/"
#define LABELS FIXTURES "/attacks/access-labels.tsv"
#define RULES_DIR FIXTURES "/../../rules"
#define MAXL 256 /* lines per file */

enum verdict { V_NONE, V_ATTACK, V_CLEAN, V_UNPARSED, V_OUT };

/* What the probe analyzer and the attacks analyzer saw, per line. */
struct seen {
	unsigned kind[MAXL]; /* LOGS_KIND_* of the record, 0: none */
	int flagged[MAXL];   /* an attack.request for this line */
	char classes[MAXL][96];
};

static struct seen seen;

static void *
probe_create(const struct logs_opts *opts, const char **errmsg)
{
	(void)opts;
	(void)errmsg;
	return &seen;
}

static void
probe_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct seen *s = st;

	(void)r;
	if (rec->lineno < MAXL)
		s->kind[rec->lineno] = (unsigned)rec->kind;
}

static void
probe_finish(void *st, struct report *r, const struct out *out)
{
	(void)st;
	(void)r;
	(void)out;
}

static void
probe_free(void *st)
{
	(void)st;
}

static const struct logs_analyzer_ops probe_ops = {"probe", "test probe",
    LOGS_KIND_ACCESS | LOGS_KIND_ERROR | LOGS_KIND_SYSLOG | LOGS_KIND_RAW,
    probe_create, probe_record, probe_finish, probe_free, NULL, NULL};

static const char *
str_or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

/* Reads the attack.request objects the analyzer printed since *off. */
static void
read_flagged(char *buf, size_t len, size_t *off)
{
	while (*off < len) {
		char *nl = memchr(buf + *off, '\n', len - *off);
		json_t *j;
		size_t n = nl ? (size_t)(nl - (buf + *off)) : len - *off;

		j = json_loadb(buf + *off, n, 0, NULL);
		*off += n + (nl != NULL);
		if (j == NULL)
			continue;
		if (strcmp(str_or(json_string_value(json_object_get(j, "type")),
		               ""),
		        "attack.request") == 0) {
			json_int_t ln =
			    json_integer_value(json_object_get(j, "line"));
			json_t *cls = json_object_get(j, "classes");
			size_t i;
			json_t *c;

			if (ln > 0 && ln < MAXL) {
				seen.flagged[ln] = 1;
				json_array_foreach(cls, i, c)
				{
					size_t l = strlen(seen.classes[ln]);

					snprintf(seen.classes[ln] + l,
					    sizeof(seen.classes[ln]) - l,
					    "%s%s", l ? "," : "",
					    str_or(json_string_value(c), "?"));
				}
			}
		}
		json_decref(j);
	}
}

struct label {
	char file[96];
	unsigned line;
	enum verdict v;
	char note[400];
};

static enum verdict
verdict_parse(const char *s)
{
	if (strcmp(s, "attack") == 0)
		return V_ATTACK;
	if (strcmp(s, "clean") == 0)
		return V_CLEAN;
	if (strcmp(s, "unparsed") == 0)
		return V_UNPARSED;
	if (strcmp(s, "out-of-scope") == 0)
		return V_OUT;
	return V_NONE;
}

static size_t
labels_read(struct label **out)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);
	struct err err = {0};
	struct label *l = NULL;
	size_t n = 0, cap = 0;
	char *p, *nl;

	assert_int_equal(file_read(LABELS, 1u << 20, &sb, NULL, &err), 0);
	p = strchr(sb.p, '\n'); /* header */
	assert_non_null(p);
	for (p++; *p; p = nl + 1) {
		char *col[5] = {p};
		size_t nc = 1;

		nl = strchr(p, '\n');
		assert_non_null(nl);
		*nl = '\0';
		for (char *q = p; *q && nc < 5; q++)
			if (*q == '\t') {
				*q = '\0';
				col[nc++] = q + 1;
			}
		assert_int_equal(nc, 5);
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			l = realloc(l, cap * sizeof(*l));
			assert_non_null(l);
		}
		snprintf(l[n].file, sizeof(l[n].file), "%s", col[0]);
		l[n].line = (unsigned)strtoul(col[1], NULL, 10);
		l[n].v = verdict_parse(col[2]);
		assert_int_not_equal(l[n].v, V_NONE);
		assert_true(l[n].line > 0 && l[n].line < MAXL);
		snprintf(l[n].note, sizeof(l[n].note), "%s%s%s", col[3],
		    col[4][0] ? " - " : "", col[4]);
		n++;
	}
	strbuf_release(&sb);
	*out = l;
	return n;
}

static const char *
kind_name(unsigned k)
{
	return k == LOGS_KIND_ACCESS ? "access"
	    : k == LOGS_KIND_ERROR   ? "error"
	    : k == LOGS_KIND_SYSLOG  ? "syslog"
	    : k == LOGS_KIND_RAW     ? "raw"
	                             : "none";
}

static void
labelled_lines_agree(void **state)
{
	struct label *lab;
	size_t nlab = labels_read(&lab);
	struct logs_opts opts;
	struct logs_run run;
	struct report rep;
	struct out out;
	char *mbuf = NULL;
	size_t mlen = 0, off = 0;
	FILE *mfp = open_memstream(&mbuf, &mlen);
	const char *errmsg = NULL;
	unsigned tot[5] = {0}, bad = 0, out_flagged = 0;
	char *paths[64];
	size_t npaths = 0;

	(void)state;
	assert_non_null(mfp);
	out_init(&out, OUT_JSON, mfp);
	logs_opts_default(&opts);
	opts.rules = RULES_DIR;
	opts.attacks_list = 1;
	opts.out = &out;
	assert_int_equal(logs_run_init(&run, "attacks", &opts, &errmsg), 0);
	run.ops[run.n] = &probe_ops;
	run.st[run.n] = probe_create(&opts, &errmsg);
	run.n++;
	run.kinds |= probe_ops.kinds;
	report_init(&rep);

	printf("%-45s %5s %7s %6s %8s %6s %5s\n", "file", "lines", "attack",
	    "clean", "unparsed", "out", "wrong");
	for (size_t i = 0; i < nlab;) {
		struct logs_feed feed;
		struct err err = {0};
		/* the incidents keep the file name until the run finishes */
		char *path = paths[npaths++] = malloc(512);
		size_t j;
		unsigned cnt[5] = {0}, wrong = 0;

		memset(&seen, 0, sizeof(seen));
		assert_non_null(path);
		assert_true(npaths < 64);
		snprintf(path, 512, CORPUS "%s", lab[i].file);
		logs_feed_init(&feed, LOGS_FMT_AUTO, NULL, &run, &rep);
		assert_int_equal(
		    logs_scan_file(path, LOGS_MAX_LINE_DEFAULT, &feed, &err),
		    0);
		fflush(mfp);
		read_flagged(mbuf, mlen, &off);
		for (j = i; j < nlab && strcmp(lab[j].file, lab[i].file) == 0;
		     j++) {
			unsigned ln = lab[j].line, k = seen.kind[ln];
			int ok;

			switch (lab[j].v) {
			case V_ATTACK:
				ok = k == LOGS_KIND_ACCESS && seen.flagged[ln];
				break;
			case V_CLEAN:
				ok = k == LOGS_KIND_ACCESS && !seen.flagged[ln];
				break;
			case V_UNPARSED:
				ok = k == 0 || k == LOGS_KIND_RAW;
				break;
			default:
				ok = 1;
				out_flagged += (unsigned)seen.flagged[ln];
				if (getenv("ATTACK_VERBOSE"))
					fprintf(stderr,
					    "  out of scope %s:%u (%s "
					    "record%s): "
					    "%s\n",
					    lab[j].file, ln, kind_name(k),
					    seen.flagged[ln] ? ", flagged" : "",
					    lab[j].note);
			}
			cnt[lab[j].v]++;
			if (!ok) {
				wrong++;
				fprintf(stderr,
				    "DISAGREE %s:%u expected %s, got %s "
				    "record%s "
				    "%s [%s]\n",
				    lab[j].file, ln,
				    lab[j].v == V_ATTACK      ? "attack"
				        : lab[j].v == V_CLEAN ? "clean"
				                              : "unparsed",
				    kind_name(k),
				    seen.flagged[ln] ? " flagged" : "",
				    seen.classes[ln], lab[j].note);
			}
		}
		/* every access record of the file has a label */
		for (unsigned ln = 1; ln < MAXL; ln++)
			if (seen.kind[ln] == LOGS_KIND_ACCESS) {
				int listed = 0;

				for (size_t m = i; m < j; m++)
					listed |= lab[m].line == ln;
				if (!listed) {
					fprintf(stderr, "UNLABELLED %s:%u\n",
					    lab[i].file, ln);
					wrong++;
				}
			}
		assert_int_equal(feed.counts.lines < MAXL, 1);
		printf("%-45s %5zu %7u %6u %8u %6u %5u\n", lab[i].file, j - i,
		    cnt[V_ATTACK], cnt[V_CLEAN], cnt[V_UNPARSED], cnt[V_OUT],
		    wrong);
		for (int v = 0; v < 5; v++)
			tot[v] += cnt[v];
		bad += wrong;
		logs_feed_release(&feed);
		i = j;
	}
	printf("%-45s %5zu %7u %6u %8u %6u %5u\n", "ALL", nlab, tot[V_ATTACK],
	    tot[V_CLEAN], tot[V_UNPARSED], tot[V_OUT], bad);
	printf("(out of scope: %u lines, of which %u flagged anyway; "
	       "ATTACK_VERBOSE=1 lists them with the reason)\n",
	    tot[V_OUT], out_flagged);
	logs_run_finish(&run, &rep, &out);
	logs_run_release(&run);
	report_release(&rep);
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	fclose(mfp);
	free(mbuf);
	free(lab);
	assert_int_equal(bad, 0);
	assert_true(tot[V_ATTACK] >= 45);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(labelled_lines_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
