/*
 * test_logs.c - the log parsers on lines of every format, the top-k, and
 * the corpus of labelled third-party lines (tests/fixtures/logs/corpus).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/topk.h"
#include "logs/logs.h"

static int
eq(struct logs_str s, const char *lit)
{
	if (lit == NULL)
		return s.n == 0;
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

#define assert_str(s, lit)                                                     \
	do {                                                                   \
		if (!eq((s), (lit)))                                           \
			fail_msg("got '%.*s', want '%s'", (int)(s).n,          \
			    (s).p ? (s).p : "", (lit) ? (lit) : "(absent)");   \
	} while (0)

static void
combined_line(void **state)
{
	const char *l = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
	                "\"GET /apache_pb.gif?x=1 HTTP/1.0\" 200 2326 "
	                "\"http://www.example.com/start.html\" "
	                "\"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
	struct logs_access a;

	(void)state;
	assert_int_equal(logs_parse_clf(l, strlen(l), &a), 0);
	assert_str(a.client, "127.0.0.1");
	assert_str(a.user, "frank");
	assert_str(a.ident, NULL);
	assert_str(a.method, "GET");
	assert_str(a.path, "/apache_pb.gif");
	assert_str(a.query, "x=1");
	assert_str(a.protocol, "HTTP/1.0");
	assert_int_equal(a.status, 200);
	assert_int_equal(a.bytes, 2326);
	assert_str(a.referrer, "http://www.example.com/start.html");
	assert_str(a.user_agent, "Mozilla/4.08 [en] (Win98; I ;Nav)");
	assert_int_equal(a.time.year, 2000);
	assert_int_equal(a.time.mon, 10);
	assert_int_equal(a.time.mday, 10);
	assert_int_equal(a.time.tzoff, -7 * 3600);
	assert_int_equal(a.time.epoch, 971211336);
}

static void
vhost_and_escapes(void **state)
{
	const char *l = "www.example.com:80 10.1.2.3 - - "
	                "[01/Jan/2024:00:00:00 +0000] \"GET /a\\\"b HTTP/1.1\" "
	                "404 - \"-\" \"curl/8\"";
	const char *common = "10.1.2.3 - - [01/Jan/2024:00:00:00 +0000] "
	                     "\"GET / HTTP/1.1\" 304 -";
	struct logs_access a;

	(void)state;
	assert_int_equal(logs_parse_clf(l, strlen(l), &a), 0);
	assert_str(a.vhost, "www.example.com");
	assert_str(a.client, "10.1.2.3");
	assert_str(a.path, "/a\\\"b");
	assert_int_equal(a.status, 404);
	assert_int_equal(a.bytes, -1);
	assert_str(a.referrer, NULL);
	assert_str(a.user_agent, "curl/8");
	assert_int_equal(logs_parse_clf(common, strlen(common), &a), 0);
	assert_int_equal(a.status, 304);
	assert_str(a.user_agent, NULL);
}

static void
bad_access_lines(void **state)
{
	static const char *const bad[] = {
	    "",
	    "garbage",
	    "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0",
	    "1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] \"GET /\" 200 1",
	    "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\" 2000 1",
	    "1.2.3.4 - - [10/Oct/2000:13:55:36",
	};
	struct logs_access a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		    logs_parse_clf(bad[i], strlen(bad[i]), &a), -1);
}

static void
apache_error_22_24(void **state)
{
	const char *l22 = "[Mon Dec 26 16:22:00 2016] [error] [client "
	                  "192.168.33.1] File does not exist: "
	                  "/var/www/favicon.ico, referer: http://x/";
	const char *l24 = "[Thu Jun 27 11:55:44.569531 2013] [core:info] [pid "
	                  "4101:tid 2992634688] [client 192.0.2.12:46652] "
	                  "AH00128: File does not exist: /xxx/~";
	struct logs_error e;

	(void)state;
	assert_int_equal(logs_parse_apache_error(l22, strlen(l22), &e), 0);
	assert_str(e.level, "error");
	assert_int_equal(e.severity, 3);
	assert_str(e.client, "192.168.33.1");
	assert_str(e.message, "File does not exist: /var/www/favicon.ico");
	assert_str(e.referrer, "http://x/");
	assert_int_equal(e.time.year, 2016);
	assert_int_equal(logs_parse_apache_error(l24, strlen(l24), &e), 0);
	assert_str(e.module, "core");
	assert_str(e.level, "info");
	assert_int_equal(e.pid, 4101);
	assert_int_equal(e.tid, 2992634688LL);
	assert_str(e.client, "192.0.2.12");
	assert_int_equal(e.client_port, 46652);
	assert_str(e.code, "AH00128");
	assert_str(e.message, "File does not exist: /xxx/~");
	assert_int_equal(e.time.usec, 569531);
}

static void
syslog_formats(void **state)
{
	const char *l3164 = "<34>Oct 11 22:14:15 mymachine su[123]: 'su root' "
	                    "failed for lonvick on /dev/pts/8";
	const char *l5424 =
	    "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com "
	    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
	    "eventSource=\"Application\"] An application event";
	const char *file = "Mar  1 02:03:04 host kernel: [12.5] EXT4-fs error";
	struct logs_syslog s;

	(void)state;
	assert_int_equal(logs_parse_syslog(l3164, strlen(l3164), &s), 0);
	assert_int_equal(s.facility, 4);
	assert_int_equal(s.severity, 2);
	assert_str(s.host, "mymachine");
	assert_str(s.app, "su");
	assert_str(s.pid, "123");
	assert_str(s.message, "'su root' failed for lonvick on /dev/pts/8");
	assert_int_equal(logs_parse_syslog(l5424, strlen(l5424), &s), 0);
	assert_int_equal(s.version, 1);
	assert_str(s.host, "mymachine.example.com");
	assert_str(s.app, "evntslog");
	assert_str(s.pid, NULL);
	assert_str(s.msgid, "ID47");
	assert_str(
	    s.sd, "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"]");
	assert_str(s.message, "An application event");
	assert_int_equal(s.time.usec, 3000);
	assert_int_equal(logs_parse_syslog(file, strlen(file), &s), 0);
	assert_int_equal(s.time.mday, 1);
	assert_str(s.app, "kernel");
	assert_str(s.message, "[12.5] EXT4-fs error");
}

static void
w3c_fields_change(void **state)
{
	struct logs_w3c w;
	struct logs_access a;
	const char *h1 = "#Fields: date time c-ip cs-method cs-uri-stem "
	                 "sc-status";
	const char *r1 = "2024-01-02 03:04:05 10.0.0.1 GET /a.htm 200";
	const char *h2 = "#Fields: date time cs-method cs-uri-stem c-ip "
	                 "sc-status sc-bytes";
	const char *r2 = "2024-01-02 03:04:06 POST /b.asp 10.0.0.2 500 77";

	(void)state;
	logs_w3c_init(&w);
	assert_int_equal(logs_w3c_line(&w, h1, strlen(h1), &a), LOGS_DIRECTIVE);
	assert_int_equal(logs_w3c_line(&w, r1, strlen(r1), &a), LOGS_OK);
	assert_str(a.client, "10.0.0.1");
	assert_int_equal(a.status, 200);
	assert_int_equal(logs_w3c_line(&w, h2, strlen(h2), &a), LOGS_DIRECTIVE);
	assert_int_equal(logs_w3c_line(&w, r2, strlen(r2), &a), LOGS_OK);
	assert_str(a.client, "10.0.0.2");
	assert_str(a.method, "POST");
	assert_int_equal(a.bytes, 77);
	/* A row of the first layout after the second header. */
	assert_int_equal(logs_w3c_line(&w, r1, strlen(r1), &a), LOGS_OK);
	assert_int_equal(w.rematched, 1);
	assert_int_equal(logs_w3c_line(&w, "2024-01-02 x", 12, &a), LOGS_BAD);
}

static void
logformat_compiled(void **state)
{
	const char *errmsg;
	struct logs_fmt *f =
	    logs_fmt_compile("%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" "
	                     "\"%{User-Agent}i\" %D",
	        &errmsg);
	const char *l =
	    "example.org 1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /x HTTP/1.1\" 200 5 \"-\" \"a \\\"q\\\" b\" 1234";
	const char *ng = "1.2.3.4 - bob [10/Oct/2000:13:55:36 +0000] \"GET / "
	                 "HTTP/1.1\" 301 0 \"-\" \"ua\" 0.250";
	struct logs_access a;

	(void)state;
	assert_non_null(f);
	assert_int_equal(logs_fmt_parse(f, l, strlen(l), &a), 0);
	assert_str(a.vhost, "example.org");
	assert_str(a.client, "1.2.3.4");
	assert_str(a.user_agent, "a \\\"q\\\" b");
	assert_int_equal(a.duration_us, 1234);
	logs_fmt_free(f);
	f = logs_fmt_compile("$remote_addr - $remote_user [$time_local] "
	                     "\"$request\" $status $body_bytes_sent "
	                     "\"$http_referer\" \"$http_user_agent\" "
	                     "$request_time",
	    &errmsg);
	assert_non_null(f);
	assert_int_equal(logs_fmt_parse(f, ng, strlen(ng), &a), 0);
	assert_str(a.user, "bob");
	assert_int_equal(a.status, 301);
	assert_int_equal(a.duration_us, 250000);
	logs_fmt_free(f);
	assert_null(logs_fmt_compile("%h %Z", &errmsg));
	assert_non_null(errmsg);
	assert_null(logs_fmt_compile("%h%u", &errmsg));
}

static void
detects_each_line(void **state)
{
	static const struct {
		const char *line;
		enum logs_kind kind;
		enum logs_format fmt;
	} t[] = {
	    {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 "
	     "1",
	        LOGS_KIND_ACCESS, LOGS_FMT_CLF},
	    {"[Mon Dec 26 16:22:00 2016] [error] [client 1.2.3.4] x",
	        LOGS_KIND_ERROR, LOGS_FMT_APACHE_ERROR},
	    {"2018/09/14 19:03:05 [error] 2035#2035: *9 x, client: 1.2.3.4, "
	     "server: s",
	        LOGS_KIND_ERROR, LOGS_FMT_NGINX_ERROR},
	    {"Oct 11 22:14:15 host sshd[1]: hello", LOGS_KIND_SYSLOG,
	        LOGS_FMT_SYSLOG},
	    {"{\"MESSAGE\":\"hi\",\"PRIORITY\":\"3\",\"SYSLOG_IDENTIFIER\":"
	     "\"app\",\"__REALTIME_TIMESTAMP\":\"1700000000000000\"}",
	        LOGS_KIND_SYSLOG, LOGS_FMT_JOURNAL_JSON},
	    {"192.168.114.201, -, 03/20/01, 7:55:20, W3SVC2, SERVER, "
	     "172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,",
	        LOGS_KIND_ACCESS, LOGS_FMT_IIS_NATIVE},
	};
	struct logs_parser p;
	struct logs_rec rec;

	(void)state;
	logs_parser_init(&p, LOGS_FMT_AUTO);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(
		    logs_parse_line(&p, t[i].line, strlen(t[i].line), &rec),
		    LOGS_OK);
		assert_int_equal(rec.kind, t[i].kind);
		assert_int_equal(rec.format, t[i].fmt);
	}
	assert_str(rec.u.a.path, "/DeptLogo.gif");
	assert_int_equal(rec.u.a.time.year, 2001);
	/* The journal's message is decoded into the parser's scratch. */
	logs_parse_line(&p, t[4].line, strlen(t[4].line), &rec);
	assert_str(rec.u.s.message, "hi");
	assert_int_equal(rec.u.s.severity, 3);
	assert_int_equal(rec.u.s.time.epoch, 1700000000);
	logs_parser_release(&p);
}

static void
topk_exact_then_bounded(void **state)
{
	struct topk t;
	const struct topk_entry *out[8];
	char key[32];
	int fresh;

	(void)state;
	assert_int_equal(topk_init(&t, 100, 0), 0);
	/* Below the bound: exact. */
	for (int i = 0; i < 50; i++)
		for (int k = 0; k <= i; k++) {
			int n = snprintf(key, sizeof(key), "k%d", i);

			topk_add(&t, key, (size_t)n, 1, &fresh);
		}
	assert_true(topk_exact(&t));
	assert_int_equal(topk_sorted(&t, out, 3), 3);
	assert_int_equal(out[0]->count, 50);
	assert_memory_equal(out[0]->key, "k49", 3);
	assert_int_equal(out[1]->count, 49);
	/* 100000 distinct keys pass: memory stays at 100 entries and the
	 * heavy hitter survives. */
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "x%d", i);

		topk_add(&t, key, (size_t)n, 1, &fresh);
		if (i % 10 == 0)
			topk_add(&t, "heavy", 5, 1, &fresh);
	}
	assert_false(topk_exact(&t));
	assert_int_equal(t.n, 100);
	assert_int_equal(topk_sorted(&t, out, 1), 1);
	assert_memory_equal(out[0]->key, "heavy", 5);
	assert_true(out[0]->count - out[0]->err <= 10000);
	assert_true(out[0]->count >= 10000);
	topk_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(combined_line),
	    cmocka_unit_test(vhost_and_escapes),
	    cmocka_unit_test(bad_access_lines),
	    cmocka_unit_test(apache_error_22_24),
	    cmocka_unit_test(syslog_formats),
	    cmocka_unit_test(w3c_fields_change),
	    cmocka_unit_test(logformat_compiled),
	    cmocka_unit_test(detects_each_line),
	    cmocka_unit_test(topk_exact_then_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
