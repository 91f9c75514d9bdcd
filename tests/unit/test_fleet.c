/*
 * test_fleet.c - the fleet commands' parts: answers of Prometheus's
 * /api/v1/query read or refused (fixtures in tests/fixtures/prom/),
 * Debian's version order, the alerting rules' text, and tables as CSV
 * and Markdown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/table.h"
#include "fleet/fleet.h"
#include "fleet/prom.h"

/* Parses the fixture name; returns what prom_parse returned. */
static int
parse_fixture(const char *name, struct prom_vec *v, struct err *err)
{
	char path[512], *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *fp;
	int rc;

	snprintf(path, sizeof(path), "%s/prom/%s", FIXTURES, name);
	fp = fopen(path, "r");
	assert_non_null(fp);
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t n = fread(buf + len, 1, cap - len, fp);
		if (n == 0)
			break;
		len += n;
	}
	fclose(fp);
	rc = prom_parse(buf, len, v, err);
	free(buf);
	return rc;
}

static void
answer_vector(void **state)
{
	struct prom_vec v = {0};
	struct err err = {0};

	(void)state;
	assert_int_equal(parse_fixture("host_info.json", &v, &err), 0);
	assert_int_equal(v.n, 3);
	assert_string_equal(prom_label(&v.s[0], "hostname"), "fleet-a");
	assert_string_equal(prom_label(&v.s[1], "instance"), "127.0.0.1:9102");
	/* escapes of JSON read: quote, backslash, newline */
	assert_string_equal(prom_label(&v.s[2], "owner"), "o\"b\\c\nd");
	assert_string_equal(prom_label(&v.s[2], "no-such"), "");
	assert_true(v.s[0].v == 1.0);
	prom_vec_release(&v);
	assert_int_equal(parse_fixture("values.json", &v, &err), 0);
	assert_int_equal(v.n, 3);
	assert_true(v.s[0].v == 1765000000.5);
	assert_true(v.s[1].v == 2.5e-05);
	assert_true(v.s[2].v != v.s[2].v); /* NaN */
	prom_vec_release(&v);
	assert_int_equal(parse_fixture("scalar.json", &v, &err), 0);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.s[0].nl, 0);
	assert_true(v.s[0].v == 42.0);
	prom_vec_release(&v);
}

static void
answer_refused(void **state)
{
	static const struct {
		const char *file, *msg;
		int code;
	} bad[] = {
	    {"error.json",
	        "bad_data: invalid parameter \"query\": 1:5: "
	        "parse error: \\x1b[31m",
	        PROM_REFUSED},
	    {"html.txt", "not JSON", PROM_GARBAGE},
	    {"matrix.json", "a result of type \"matrix\", not a vector",
	        PROM_GARBAGE},
	    {"bad_value.json", "sample 2 is not", PROM_GARBAGE},
	    {"no_status.json", "no \"status\"", PROM_GARBAGE},
	    {"truncated.json", "not JSON", PROM_GARBAGE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct prom_vec v = {0};
		struct err err = {0};

		assert_int_equal(parse_fixture(bad[i].file, &v, &err), -1);
		if (strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("%s: '%s' lacks '%s'", bad[i].file, err.msg,
			    bad[i].msg);
		assert_int_equal(err.code, bad[i].code);
		assert_int_equal(v.n, 0); /* nothing taken half */
	}
}

static void
versions(void **state)
{
	static const struct {
		const char *a, *b;
		int sign;
	} cases[] = {
	    {"2.4.57-2", "2.4.50-1", 1},
	    {"2.4.57-2", "2.4.57-2", 0},
	    {"2.4.9-1", "2.4.10-1", -1}, /* numbers, not text */
	    {"1:1.0-1", "2.0-1", 1},     /* the epoch first */
	    {"1.0~rc1-1", "1.0-1", -1},  /* ~ before the end */
	    {"1.0-1", "1.0-1+deb12u1", -1},
	    {"1.0a", "1.0+", -1}, /* letters before others */
	    {"9.2p1-2+deb12u3", "9.2p1-2+deb12u2", 1},
	    {"", "0", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = fleet_vercmp(cases[i].a, cases[i].b);
		int s = (r > 0) - (r < 0);

		if (s != cases[i].sign)
			fail_msg("'%s' vs '%s': %d, want %d", cases[i].a,
			    cases[i].b, s, cases[i].sign);
		r = fleet_vercmp(cases[i].b, cases[i].a);
		assert_int_equal((r > 0) - (r < 0), -cases[i].sign);
	}
}

/* Reads what fn wrote to a memory stream. */
static char *
written(void (*fn)(FILE *, const void *), const void *arg)
{
	char *p = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&p, &n);

	assert_non_null(fp);
	fn(fp, arg);
	fclose(fp);
	return p;
}

static void
write_rules(FILE *fp, const void *arg)
{
	fleet_rules_write(fp, arg);
}

static void
rules_text(void **state)
{
	struct fleet_rules_opts o = {"web-agents", "2m", "30m"};
	char *t = written(write_rules, &o);

	(void)state;
	assert_non_null(strstr(t, "- alert: SakimoriCritical\n"));
	assert_non_null(strstr(t,
	    "sakimori_problem_since_timestamp_seconds"
	    "{job=\"web-agents\",severity=\"CRITICAL\"}"));
	assert_non_null(strstr(t, "- alert: SakimoriWarning\n"));
	assert_non_null(strstr(t,
	    "expr: up{job=\"web-agents\"} == 0\n"
	    "        for: 2m\n"));
	assert_non_null(strstr(t, "- alert: SakimoriInventoryChanged\n"));
	assert_non_null(strstr(t, "offset 30m"));
	assert_null(strstr(t, "job=\"sakimori\""));
	free(t);
}

static void
write_csv(FILE *fp, const void *arg)
{
	table_print_csv(arg, fp);
}

static void
write_md(FILE *fp, const void *arg)
{
	table_print_markdown(arg, fp);
}

static void
table_formats(void **state)
{
	static const char *const hdr[] = {"HOST", "NOTE"};
	const char *r1[] = {"a,b", "say \"hi\""};
	const char *r2[] = {"x|y", "\033[2J"};
	struct table t;
	char *csv, *md;

	(void)state;
	table_init(&t, 2, hdr, NULL);
	assert_int_equal(table_row(&t, r1), 0);
	assert_int_equal(table_row(&t, r2), 0);
	csv = written(write_csv, &t);
	md = written(write_md, &t);
	assert_string_equal(csv,
	    "HOST,NOTE\n"
	    "\"a,b\",\"say \"\"hi\"\"\"\n"
	    "x|y,\\x1b[2J\n");
	assert_string_equal(md,
	    "| HOST | NOTE |\n"
	    "|---|---|\n"
	    "| a,b | say \"hi\" |\n"
	    "| x\\|y | \\x1b[2J |\n");
	free(csv);
	free(md);
	table_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(answer_vector),
	    cmocka_unit_test(answer_refused),
	    cmocka_unit_test(versions),
	    cmocka_unit_test(rules_text),
	    cmocka_unit_test(table_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
