/*
 * test_conf.c - the configuration grammar, schema checks, queries and the
 * every-error-with-its-line guarantee.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/mem.h"
#include "conf/conf.h"

static void
defaults_without_a_file(void **state)
{
	struct conf c;
	struct conf_errs errs = {0};
	struct threshold t;

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load(&c, "/nonexistent/sakimori.conf", 0, &errs), 0);
	conf_threshold(&c, "load", NULL, &t);
	assert_true(t.enabled);
	assert_true(fabs(t.warn - 1.0) < 1e-9);
	assert_true(fabs(t.crit - 2.0) < 1e-9);
	conf_threshold(&c, "fs-blocks", "/", &t);
	assert_true(fabs(t.warn - 90) < 1e-9 && fabs(t.crit - 95) < 1e-9);
	/* Named explicitly, a missing file is an error. */
	assert_int_equal(
	    conf_load(&c, "/nonexistent/sakimori.conf", 1, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.msg[0], "/nonexistent/sakimori.conf"));
	conf_errs_release(&errs);
	conf_release(&c);
}

static void
good_file_every_construct(void **state)
{
	struct conf c;
	struct conf_errs errs = {0};
	struct threshold t, t2;
	const char *subj[8];

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load(&c, FIXTURES "/conf/good.conf", 1, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_int_equal(c.nfiles, 2); /* the include was read */
	assert_string_equal(
	    conf_setting(&c, "state-dir", NULL), "/tmp/sakimori-test-state");
	assert_true(conf_setting_num(&c, "interval", 0) == 2);
	/* One-line block split into its statements. */
	conf_threshold(&c, "load", NULL, &t);
	assert_true(fabs(t.warn - 1.5) < 1e-9 && fabs(t.crit - 3) < 1e-9);
	assert_int_equal(t.for_secs, 300);
	conf_threshold(&c, "memory", NULL, &t);
	assert_true(t.warn == 15 && t.crit == 5);
	/* Subject-specific block overrides the default for that subject only. */
	conf_threshold(&c, "fs-blocks", "/var", &t);
	assert_true(t.warn == 80 && t.crit == 90);
	conf_threshold(&c, "fs-blocks", "/", &t);
	assert_true(t.warn == 90 && t.crit == 95);
	/* -w/-c of "check NAME": over the general and the subject's block,
	 * only what is given, only for that check. */
	conf_threshold(&c, "fs-inodes", "/", &t2);
	assert_int_equal(conf_override(&c, "fs-blocks", 50, NAN), 0);
	conf_threshold(&c, "fs-blocks", "/var", &t);
	assert_true(t.warn == 50 && t.crit == 90);
	conf_threshold(&c, "fs-blocks", "/", &t);
	assert_true(t.warn == 50 && t.crit == 95);
	conf_threshold(&c, "fs-inodes", "/", &t);
	assert_true(t.warn == t2.warn && t.crit == t2.crit);
	assert_int_equal(conf_override(&c, "fs-blocks", NAN, NAN), 0);
	conf_threshold(&c, "fs-blocks", "/var", &t);
	assert_true(t.warn == 80 && t.crit == 90);
	/* The macro expanded. */
	conf_threshold(&c, "process-count", "apache2", &t);
	assert_true(t.warn == 120);
	assert_int_equal(conf_check_subjects(&c, "process-count", subj, 8), 1);
	assert_string_equal(subj[0], "apache2");
	conf_threshold(&c, "swap-activity", NULL, &t);
	assert_false(t.enabled);
	/* From the included file. */
	conf_threshold(&c, "fs-inodes", "/home", &t);
	assert_true(t.warn == 70);
	conf_release(&c);
}

/* An error every config test expects: "FILE:LINE: ..." saying what. */
struct want_err {
	int line;
	const char *what;
};

/*
 * Loads path into c (initialised here, released by the caller) and fails
 * unless it fails with every wanted error, each at its line (and, when
 * exact, with no other).  The file of an error is path unless it is
 * given in what ("FILE:LINE: ..." at line 0).
 */
static void
expect_errors(struct conf *c, const char *path, const struct want_err *want,
    size_t n, int exact)
{
	struct conf_errs errs = {0};

	conf_init(c);
	assert_int_equal(conf_load(c, path, 1, &errs), -1);
	for (size_t i = 0; i < n; i++) {
		char prefix[256];
		int found = 0;

		snprintf(prefix, sizeof(prefix), "%s:%d: ", path, want[i].line);
		for (size_t j = 0; j < errs.n; j++)
			found |= (want[i].line == 0 ||
			             strncmp(errs.msg[j], prefix,
			                 strlen(prefix)) == 0) &&
			    strstr(errs.msg[j], want[i].what) != NULL;
		if (!found) {
			for (size_t j = 0; j < errs.n; j++)
				fprintf(stderr, "got: %s\n", errs.msg[j]);
			fail_msg("missing error at line %d: %s", want[i].line,
			    want[i].what);
		}
	}
	if (exact)
		assert_int_equal(errs.n, n);
	conf_errs_release(&errs);
}

/* expect_errors on a configuration of its own. */
static void
expect_file_errors(
    const char *path, const struct want_err *want, size_t n, int exact)
{
	struct conf c;

	expect_errors(&c, path, want, n, exact);
	conf_release(&c);
}

static void
bad_file_reports_every_error(void **state)
{
	static const struct want_err want[] = {
	    {3, "unknown check 'nosuch'"},
	    {4, "'warning' wants a number, not 'lots'"},
	    {5, "unknown setting 'nosuchsetting'"},
	    {6, "unknown key 'colour'"},
	    {7, "takes at most one subject"},
	    {8, "unterminated quoted string"},
	    {9, "macro 'undefined' is not defined"},
	    {10, "cannot open include file"},
	};

	(void)state;
	expect_file_errors(FIXTURES "/conf/bad.conf", want, countof(want), 0);
}

static void
include_loop_is_an_error(void **state)
{
	struct conf c;
	struct conf_errs errs = {0};

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load(&c, FIXTURES "/conf/loop.conf", 1, &errs), -1);
	assert_true(errs.n >= 1);
	assert_non_null(strstr(errs.msg[0], "include loop"));
	assert_non_null(strstr(errs.msg[0], "loop.conf:2:"));
	conf_errs_release(&errs);
	conf_release(&c);
}

/* Included files that begin with a statement, a comment, a blank line. */
static void
include_reads_every_kind_of_file(void **state)
{
	static const struct {
		const char *subject;
		double warn;
	} want[] = {
	    {"stmt", 1},
	    {"comment", 2},
	    {"blank", 3},
	    {"nested", 4},
	    {"nested2", 5},
	    {"main", 6},
	    {"after-semicolon", 7},
	    {"glob-a", 8},
	    {"glob-b", 9},
	    {"last", 10},
	};
	const char *subj[16];
	struct conf c;
	struct conf_errs errs = {0};
	struct threshold t;
	size_t n;

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load(&c, FIXTURES "/conf/inc/main.conf", 1, &errs), 0);
	for (size_t j = 0; j < errs.n; j++)
		fprintf(stderr, "got: %s\n", errs.msg[j]);
	assert_int_equal(errs.n, 0);
	for (size_t i = 0; i < countof(want); i++) {
		conf_threshold(&c, "process-count", want[i].subject, &t);
		if (t.warn != want[i].warn)
			fail_msg("subject %s: warning %g, want %g",
			    want[i].subject, t.warn, want[i].warn);
	}
	/* In the order the files were included. */
	n = conf_check_subjects(&c, "process-count", subj, 16);
	assert_int_equal(n, 10);
	assert_string_equal(subj[0], "stmt");
	assert_string_equal(subj[4], "nested2");
	assert_string_equal(subj[5], "nested");
	assert_string_equal(subj[6], "glob-a");
	assert_string_equal(subj[8], "main");
	assert_string_equal(subj[9], "last");
	conf_errs_release(&errs);
	conf_release(&c);
}

/* Files that include each other from their first line. */
static void
include_loop_from_the_first_line(void **state)
{
	static const struct want_err want[] = {
	    {0,
	        "/conf/inc/loop-b.conf:1: include loop: '" FIXTURES
	        "/conf/inc/loop-a.conf' is already being read"},
	};
	struct conf c;
	struct threshold t;

	(void)state;
	expect_errors(&c, FIXTURES "/conf/inc/loop-a.conf", want, 1, 1);
	/* The rest of both files was read. */
	conf_threshold(&c, "load", NULL, &t);
	assert_true(t.warn == 2);
	conf_release(&c);
}

/* Line numbers after an include: the file's end is no line of its own. */
static void
include_keeps_line_numbers(void **state)
{
	static const struct want_err want[] = {
	    {3, "unknown setting 'nosuch'"},
	};

	(void)state;
	expect_file_errors(
	    FIXTURES "/conf/inc/lines.conf", want, countof(want), 1);
}

/* A quote left open swallows neither its block's '}' nor later lines. */
static void
unterminated_quote_hides_nothing(void **state)
{
	static const char text[] = "check memory { warning \"5% }\n"
	                           "check nosuch { warning 1 }\n"
	                           "set mail-to \"root@localhost\n"
	                           "check load { warning lots }\n";
	struct conf c;
	struct conf_errs errs = {0};

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load_string(&c, "mem", text, strlen(text), &errs), -1);
	for (size_t j = 0; j < errs.n; j++)
		fprintf(stderr, "got: %s\n", errs.msg[j]);
	assert_int_equal(errs.n, 4);
	assert_string_equal(errs.msg[0], "mem:1: unterminated quoted string");
	assert_string_equal(errs.msg[1], "mem:3: unterminated quoted string");
	assert_string_equal(errs.msg[2], "mem:2: unknown check 'nosuch'");
	assert_string_equal(
	    errs.msg[3], "mem:4: 'warning' wants a number, not 'lots'");
	conf_errs_release(&errs);
	conf_release(&c);
}

/* 10,000 nested braces: one message that says so, nothing misleading. */
static void
deep_nesting_is_named(void **state)
{
	enum { DEPTH = 10000 };
	static const char *const open[] = {"check load {\n", "{"};
	struct conf c;
	struct conf_errs errs = {0};

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		size_t ol = strlen(open[k]), len = 0;
		char *text = malloc(DEPTH * (ol + 2) + 1);
		int nested = 0;

		assert_non_null(text);
		for (int i = 0; i < DEPTH; i++, len += ol)
			memcpy(text + len, open[k], ol);
		for (int i = 0; i < DEPTH; i++)
			text[len++] = '}';
		text[len++] = '\n';
		conf_init(&c);
		assert_int_equal(
		    conf_load_string(&c, "mem", text, len, &errs), -1);
		for (size_t j = 0; j < errs.n; j++) {
			fprintf(stderr, "got: %s\n", errs.msg[j]);
			assert_null(strstr(errs.msg[j], "syntax error"));
			assert_null(strstr(errs.msg[j], "memory exhausted"));
			assert_null(strstr(errs.msg[j], "missing '}'"));
			nested += strstr(errs.msg[j],
			              "blocks nested more than 8 deep") != NULL;
		}
		assert_int_equal(nested, 1);
		assert_true(errs.n <= 2);
		conf_errs_release(&errs);
		conf_release(&c);
		free(text);
	}
}

/* Every value is checked at load time, each error with its line. */
static void
values_are_checked_at_load(void **state)
{
	static const struct want_err want[] = {
	    {2, "'admin-networks': 'garbage' is not an IPv4 or IPv6 address"},
	    {3, "'ssh-ports': '70000' is not a port number (1..65535)"},
	    {4, "'net-prefix-v4' must be 1..32, not '99'"},
	    {5, "'block-backend' wants route or nftables, not 'iptables'"},
	    {6, "'block-max-active' must be 1..4294967295, not '-1'"},
	    {7, "check 'load': warning 3 is above critical 2"},
	    {8, "'warning' must be 0..100, not '150%'"},
	    {9, "check 'fs-full-forecast': warning 3 is below critical 7"},
	    {10, "'10.1.2.3/8' has address bits set past the /8 prefix"},
	    {10, "'2001:db8::/129' has a prefix length that is not 0..128"},
	    {11, "the subject 'http' is not a port number"},
	    {12, "'paranoia' must be 1..4, not '5'"},
	    {13, "check 'memory': warning 5 is below critical 10"},
	};

	(void)state;
	expect_file_errors(
	    FIXTURES "/conf/values.conf", want, countof(want), 1);
}

/* What the commands take passes. */
static void
good_values_pass(void **state)
{
	static const char text[] =
	    "set admin-networks \"192.0.2.0/24\" \"2001:db8::/32\" "
	    "\"::1\" 198.51.100.7\n"
	    "set ssh-ports 22 2222\n"
	    "set net-prefix-v4 24; set net-prefix-v6 128\n"
	    "set block-backend nftables; set block-route-type prohibit\n"
	    "set block-max-active 1; set block-repeat-factor 1\n"
	    "check memory { warning 15% critical 5% }\n"
	    "check memory { warning 5 }\n"
	    "check load { warning 2 critical 2 average 15 }\n"
	    "check fs-blocks \"/var\" { warning 100% critical 100% }\n"
	    "check fs-full-forecast { warning 10 critical 1 }\n"
	    "check conn-flood \"8080\" { action block }\n"
	    "check fim { hash sha512; ionice idle; nice -5; workers 0 }\n"
	    "check web-conn-share { workers 90%; ports 80 443 8080 }\n";
	struct conf c;
	struct conf_errs errs = {0};

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load_string(&c, "mem", text, strlen(text), &errs), 0);
	for (size_t j = 0; j < errs.n; j++)
		fprintf(stderr, "got: %s\n", errs.msg[j]);
	assert_int_equal(errs.n, 0);
	conf_release(&c);
}

static void
garbage_never_crashes(void **state)
{
	static const char *const inputs[] = {
	    "}}}}",
	    "{",
	    "check",
	    "check load {",
	    "\"",
	    "$",
	    "=\n=",
	    "check load { warning 1 } }",
	    "a b c { d { e { f { g { h { i { j { k { l { }",
	    "\x01\x02\xff",
	    "include",
	    "x = \"unterminated",
	    "check load { warning 1; critical }",
	};

	(void)state;
	for (size_t i = 0; i < countof(inputs); i++) {
		struct conf c;
		struct conf_errs errs = {0};

		conf_init(&c);
		assert_int_equal(conf_load_string(&c, "mem", inputs[i],
		                     strlen(inputs[i]), &errs),
		    -1);
		assert_true(errs.n >= 1);
		for (size_t j = 0; j < errs.n; j++)
			assert_non_null(strstr(errs.msg[j], "mem:"));
		conf_errs_release(&errs);
		conf_release(&c);
	}
}

static void
dump_is_reparseable(void **state)
{
	struct conf c, c2;
	struct conf_errs errs = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	struct threshold t;

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load(&c, FIXTURES "/conf/good.conf", 1, &errs), 0);
	fp = open_memstream(&buf, &len);
	conf_dump(&c, fp);
	fclose(fp);
	conf_init(&c2);
	assert_int_equal(conf_load_string(&c2, "dump", buf, len, &errs), 0);
	conf_threshold(&c2, "load", NULL, &t);
	assert_true(fabs(t.warn - 1.5) < 1e-9 && t.for_secs == 300);
	conf_threshold(&c2, "process-count", "apache2", &t);
	assert_true(t.warn == 120);
	free(buf);
	conf_release(&c);
	conf_release(&c2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_without_a_file),
	    cmocka_unit_test(good_file_every_construct),
	    cmocka_unit_test(bad_file_reports_every_error),
	    cmocka_unit_test(include_loop_is_an_error),
	    cmocka_unit_test(include_reads_every_kind_of_file),
	    cmocka_unit_test(include_loop_from_the_first_line),
	    cmocka_unit_test(include_keeps_line_numbers),
	    cmocka_unit_test(unterminated_quote_hides_nothing),
	    cmocka_unit_test(deep_nesting_is_named),
	    cmocka_unit_test(values_are_checked_at_load),
	    cmocka_unit_test(good_values_pass),
	    cmocka_unit_test(garbage_never_crashes),
	    cmocka_unit_test(dump_is_reparseable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
