/*
 * test_dash.c - the dashboard's form reader (what silence and unblock
 * post): fields found by their whole name, decoded, malformed escapes,
 * NUL bytes and values too long refused; the Host and Origin names
 * answered (addresses and localhost, not DNS names); and the problem
 * evidence the overview and /api/v1/problems show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/dash.h"
#include "agent/problem.h"

static int
get(const char *body, const char *key, char *dst, size_t dstsz)
{
	return dash_form_get(body, strlen(body), key, dst, dstsz);
}

static void
form_fields(void **state)
{
	char v[64];

	(void)state;
	assert_int_equal(
	    get("csrf=ab12&prefix=192.0.2.55", "prefix", v, sizeof(v)), 1);
	assert_string_equal(v, "192.0.2.55");
	assert_int_equal(
	    get("csrf=ab12&prefix=192.0.2.55", "csrf", v, sizeof(v)), 1);
	assert_string_equal(v, "ab12");
	/* a whole name, not a prefix or a suffix of another */
	assert_int_equal(get("xcsrf=1&csrfx=2", "csrf", v, sizeof(v)), 0);
	assert_string_equal(v, "");
	/* the first of a repeated name */
	assert_int_equal(get("for=1h&for=7d", "for", v, sizeof(v)), 1);
	assert_string_equal(v, "1h");
	/* a name without '=' is there, empty */
	assert_int_equal(get("a=1&subject&b=2", "subject", v, sizeof(v)), 1);
	assert_string_equal(v, "");
	assert_int_equal(get("", "csrf", v, sizeof(v)), 0);
	assert_int_equal(get("&&=&", "csrf", v, sizeof(v)), 0);
}

static void
form_decoding(void **state)
{
	char v[64], small[4];

	(void)state;
	assert_int_equal(
	    get("subject=%2Fvar%2flog+x&c=1", "subject", v, sizeof(v)), 1);
	assert_string_equal(v, "/var/log x");
	assert_int_equal(get("q=%3Cscript%3E", "q", v, sizeof(v)), 1);
	assert_string_equal(v, "<script>");
	/* malformed escapes and a NUL byte are refused */
	assert_int_equal(get("q=%zz", "q", v, sizeof(v)), -1);
	assert_int_equal(get("q=%4", "q", v, sizeof(v)), -1);
	assert_int_equal(get("q=a%", "q", v, sizeof(v)), -1);
	assert_int_equal(get("q=a%00b", "q", v, sizeof(v)), -1);
	/* the value must fit with its NUL */
	assert_int_equal(get("q=abc", "q", small, sizeof(small)), 1);
	assert_string_equal(small, "abc");
	assert_int_equal(get("q=abcd", "q", small, sizeof(small)), -1);
	/* the body's length is what counts, not a NUL in it */
	assert_int_equal(dash_form_get("q=ab&r=1", 4, "r", v, sizeof(v)), 0);
	assert_int_equal(dash_form_get("q=ab&r=1", 4, "q", v, sizeof(v)), 1);
	assert_string_equal(v, "ab");
}

static void
host_names(void **state)
{
	(void)state;
	assert_true(dash_host_ok(NULL));
	assert_true(dash_host_ok("127.0.0.1:9947"));
	assert_true(dash_host_ok("127.0.0.1"));
	assert_true(dash_host_ok("10.1.2.3:443"));
	assert_true(dash_host_ok("[::1]:9947"));
	assert_true(dash_host_ok("[::1]"));
	assert_true(dash_host_ok("localhost:9947"));
	assert_true(dash_host_ok("LocalHost"));
	assert_true(dash_host_ok("http://127.0.0.1:9947"));
	assert_true(dash_host_ok("https://[::1]:9947"));
	/* a DNS name may point anywhere: a rebinding page's own name */
	assert_false(dash_host_ok("evil.example:9947"));
	assert_false(dash_host_ok("http://evil.example:9947"));
	assert_false(dash_host_ok("localhost.evil.example"));
	assert_false(dash_host_ok("127.0.0.1.nip.io:9947"));
	assert_false(dash_host_ok("null"));
	assert_false(dash_host_ok(""));
	assert_false(dash_host_ok(":9947"));
	assert_false(dash_host_ok("[::1"));
	assert_false(dash_host_ok("[::1]x"));
	assert_false(dash_host_ok("[evil.example]:1"));
}

static void
problem_evidence(void **state)
{
	static const char packed[] = "request\0/a?q=<b>\0status\0"
	                             "200";
	struct problem_info i = {0};
	const char *k, *v;

	(void)state;
	i.ev = packed;
	i.evlen = sizeof(packed);
	i.nev = 2;
	assert_int_equal(problem_info_ev(&i, 0, &k, &v), 0);
	assert_string_equal(k, "request");
	assert_string_equal(v, "/a?q=<b>");
	assert_int_equal(problem_info_ev(&i, 1, &k, &v), 0);
	assert_string_equal(k, "status");
	assert_string_equal(v, "200");
	assert_int_equal(problem_info_ev(&i, 2, &k, &v), -1);
	/* a count past what the bytes hold stops at the end */
	i.nev = 3;
	assert_int_equal(problem_info_ev(&i, 2, &k, &v), -1);
	i.evlen = 10; /* "request\0/a": the value runs off the end */
	assert_int_equal(problem_info_ev(&i, 0, &k, &v), -1);
	i.ev = NULL;
	assert_int_equal(problem_info_ev(&i, 0, &k, &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(form_fields),
	    cmocka_unit_test(form_decoding),
	    cmocka_unit_test(host_names),
	    cmocka_unit_test(problem_evidence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
