/*
 * test_logs.c - the log parsers on lines of every format, the top-k, and
 * the corpus of labelled third-party lines (tests/fixtures/logs/corpus).
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/cur.h"
#include "base/mem.h"
#include "base/topk.h"
#include "base/err.h"
#include "base/output.h"
#include "logs/analyzer.h"
#include "logs/follow.h"
#include "logs/follow_int.h"
#include "logs/logs.h"
#include "logs/scan.h"

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
	for (size_t i = 0; i < countof(bad); i++)
		assert_int_equal(
		    logs_parse_clf(bad[i], strlen(bad[i]), &a), -1);
}

/* Every field of two records of the same line, the same. */
static void
assert_same_access(const struct logs_access *x, const struct logs_access *y)
{
	static const size_t str[] = {offsetof(struct logs_access, client),
	    offsetof(struct logs_access, forwarded),
	    offsetof(struct logs_access, ident),
	    offsetof(struct logs_access, user),
	    offsetof(struct logs_access, request),
	    offsetof(struct logs_access, method),
	    offsetof(struct logs_access, path),
	    offsetof(struct logs_access, query),
	    offsetof(struct logs_access, protocol),
	    offsetof(struct logs_access, referrer),
	    offsetof(struct logs_access, user_agent),
	    offsetof(struct logs_access, vhost)};

	for (size_t i = 0; i < countof(str); i++) {
		const struct logs_str *a =
		    (const void *)((const char *)x + str[i]);
		const struct logs_str *b =
		    (const void *)((const char *)y + str[i]);

		assert_ptr_equal(a->p, b->p);
		assert_int_equal(a->n, b->n);
	}
	assert_int_equal(x->status, y->status);
	assert_int_equal(x->bytes, y->bytes);
	assert_int_equal(x->duration_us, y->duration_us);
	assert_int_equal(x->time.year, y->time.year);
	assert_int_equal(x->time.mon, y->time.mon);
	assert_int_equal(x->time.mday, y->time.mday);
	assert_int_equal(x->time.hour, y->time.hour);
	assert_int_equal(x->time.min, y->time.min);
	assert_int_equal(x->time.sec, y->time.sec);
	assert_int_equal(x->time.usec, y->time.usec);
	assert_int_equal(x->time.tzoff, y->time.tzoff);
	assert_int_equal(x->time.epoch, y->time.epoch);
	assert_int_equal(x->time.has_tz, y->time.has_tz);
	assert_int_equal(x->time.has_year, y->time.has_year);
	assert_int_equal(x->time.valid, y->time.valid);
}

/* "1.2.3.4 - - [STAMP] "GET / HTTP/1.1" 200 5" into buf. */
static const char *
stamped(char *buf, size_t sz, const char *stamp)
{
	snprintf(buf, sz, "1.2.3.4 - - [%s] \"GET / HTTP/1.1\" 200 5", stamp);
	return buf;
}

/* Through the memo of the last stamp's minute, each line is read as
 * without it: seconds, minutes, hours, days, months and years that roll
 * over, zones that change, stamps that are not valid or malformed. */
static void
clf_time_memo(void **state)
{
	static const char *const stamps[] = {
	    "31/Dec/2023:23:58:59 +0900",
	    "31/Dec/2023:23:58:59 +0900", /* the same second */
	    "31/Dec/2023:23:58:07 +0900", /* the same minute */
	    "31/Dec/2023:23:59:00 +0900", /* minute */
	    "31/Dec/2023:23:59:60 +0900", /* a leap second */
	    "31/Dec/2023:23:59:61 +0900", /* not valid */
	    "31/Dec/2023:23:59:99 +0900",
	    "31/Dec/2023:23:59:5x +0900", /* malformed */
	    "31/Dec/2023:23:59:x5 +0900",
	    "31/Dec/2023:23:59:7 +0900",
	    "31/Dec/2023:23:59:59 +0900",
	    "01/Jan/2024:00:00:00 +0900", /* year, month, day, hour */
	    "01/Jan/2024:00:00:00 -0700", /* the zone */
	    "01/Jan/2024:00:00:01 -0700",
	    "01/Jan/2024:00:00:01 -0730",
	    "01/Jan/2024:00:00:02 +0000",
	    "01/Jan/2024:00:00:03", /* no zone */
	    "01/Jan/2024:00:00:04 +0000",
	    "01/Jan/2024:01:00:04 +0000", /* hour only */
	    "02/Jan/2024:01:00:05 +0000", /* day only */
	    "02/Feb/2024:01:00:06 +0000", /* month only */
	    "02/Feb/2025:01:00:07 +0000", /* year only */
	    "29/Feb/2024:01:00:07 +0000",
	    "29/Feb/2024:01:00:08 +0000",
	    "29/Fex/2024:01:00:09 +0000", /* malformed, then as before */
	    "29/Feb/2024:01:00:10 +0000",
	    "29/Feb/2024:01:00:10+0000",
	    "29/Feb/2024:01:00:11 +0000",
	    "29/Feb/2024:25:00:11 +0000", /* not valid */
	    "29/Feb/2024:25:00:12 +0000",
	};
	struct logs_clf_memo m;
	struct logs_access a, b;
	char l[128];

	(void)state;
	memset(&m, 0, sizeof(m));
	for (size_t i = 0; i < countof(stamps); i++) {
		const char *s = stamped(l, sizeof(l), stamps[i]);
		int rc = logs_parse_clf(s, strlen(s), &a);

		assert_int_equal(logs_parse_clf_memo(s, strlen(s), &m, &b), rc);
		if (rc == 0)
			assert_same_access(&a, &b);
	}
	/* the memo is what gives a stamp of its minute */
	stamped(l, sizeof(l), "10/Oct/2000:13:55:36 -0700");
	assert_int_equal(logs_parse_clf_memo(l, strlen(l), &m, &a), 0);
	assert_true(m.set);
	m.t.hour = 7;
	stamped(l, sizeof(l), "10/Oct/2000:13:55:37 -0700");
	assert_int_equal(logs_parse_clf_memo(l, strlen(l), &m, &a), 0);
	assert_int_equal(a.time.hour, 7);
	assert_int_equal(a.time.sec, 37);
	stamped(l, sizeof(l), "10/Oct/2000:13:56:37 -0700");
	assert_int_equal(logs_parse_clf_memo(l, strlen(l), &m, &a), 0);
	assert_int_equal(a.time.hour, 13);
	assert_int_equal(a.time.epoch, 971211397);
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
w3c_without_header(void **state)
{
	/* IIS 6 rows with no #Fields, told apart by their count: every field
	 * (22), and every field but the three off by default (19; the wazuh
	 * ruleset's iis6 sample). */
	const char *r22 = "2007-01-22 05:00:11 W3SVC1 HOSTNAME 1.1.1.1 POST "
	                  "/Auth.asmx - 80 - 2.2.2.2 HTTP/1.1 Agent - - "
	                  "hostname 400 0 0 1467 841 31";
	const char *r19 = "2005-05-21 05:39:27 W3SVC1 hostname123 "
	                  "192.168.0.101 GET /VirtualServerError/VSWebApp.exe "
	                  "view=1 1024 WEBBROWSER\\User 192.168.0.101 HTTP/1.0 "
	                  "Mozilla/4.0+(User-Agent) - - xx.nada.com 200 0 0";
	struct logs_w3c w;
	struct logs_access a;

	(void)state;
	logs_w3c_init(&w);
	assert_int_equal(logs_w3c_line(&w, r22, strlen(r22), &a), LOGS_OK);
	assert_int_equal(a.status, 400);
	assert_int_equal(a.bytes, 1467);
	assert_str(a.client, "2.2.2.2");
	assert_int_equal(logs_w3c_line(&w, r19, strlen(r19), &a), LOGS_OK);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.bytes, -1);
	assert_str(a.path, "/VirtualServerError/VSWebApp.exe");
	assert_str(a.query, "view=1");
	assert_str(a.user_agent, "Mozilla/4.0+(User-Agent)");
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
	/* %T in seconds: a value whose microseconds overflow is unknown (-1),
	 * not a wrapped number (fuzz_logs_fmt found the overflow). */
	f = logs_fmt_compile("%h %T", &errmsg);
	assert_non_null(f);
	assert_int_equal(logs_fmt_parse(f, "1.2.3.4 3", 9, &a), 0);
	assert_int_equal(a.duration_us, 3000000);
	assert_int_equal(
	    logs_fmt_parse(f, "1.2.3.4 322222222222222222", 26, &a), 0);
	assert_int_equal(a.duration_us, -1);
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
	for (size_t i = 0; i < countof(t); i++) {
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

	/* Only empty fields, in a parser that has no scratch yet (found by
	 * fuzz_logs_line: an offset applied to its null pointer). */
	{
		static const char j[] =
		    "{\"MESSAGE\":\"\",\"_HOSTNAME\":\"\",\"_PID\":[]}";

		logs_parser_init(&p, LOGS_FMT_JOURNAL_JSON);
		assert_int_equal(
		    logs_parse_line(&p, j, strlen(j), &rec), LOGS_OK);
		assert_str(rec.u.s.message, "");
		assert_int_equal(rec.u.s.host.n, 0);
		logs_parser_release(&p);
	}
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
	assert_int_equal(t.ecap, 100);
	topk_release(&t);
}

/* The entries grow with the keys seen, not with the bound: a table made
 * for 100000 keys that saw 300 holds 512 places, and every count in it
 * survived each growth. */
static void
topk_grows_with_use(void **state)
{
	struct topk t;
	const struct topk_entry *e;
	char key[32];
	int fresh;

	(void)state;
	assert_int_equal(topk_init(&t, 100000, 0), 0);
	assert_int_equal(t.ecap, 0);
	for (int i = 0; i < 300; i++)
		for (int k = 0; k <= i % 7; k++) {
			int n = snprintf(key, sizeof(key), "k%d", i);

			topk_add(&t, key, (size_t)n, 1, &fresh);
		}
	assert_int_equal(t.n, 300);
	assert_int_equal(t.ecap, 512);
	for (int i = 0; i < 300; i++) {
		int n = snprintf(key, sizeof(key), "k%d", i);

		assert_non_null(e = topk_get(&t, key, (size_t)n));
		assert_int_equal(e->count, i % 7 + 1);
	}
	assert_true(topk_exact(&t));
	topk_release(&t);
}

/* ---- the labelled corpus (tests/fixtures/logs/corpus) ---- */

struct lines {
	char *buf;
	char **l;
	size_t *len;
	size_t n;
};

static int
load_lines(const char *path, struct lines *ls)
{
	FILE *fp = fopen(path, "rb");
	long sz;
	size_t i, start = 0;

	memset(ls, 0, sizeof(*ls));
	if (fp == NULL)
		return -1;
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	ls->buf = malloc((size_t)sz + 1);
	assert_non_null(ls->buf);
	assert_int_equal(fread(ls->buf, 1, (size_t)sz, fp), (size_t)sz);
	fclose(fp);
	ls->buf[sz] = '\n';
	ls->l = calloc((size_t)sz + 2, sizeof(char *));
	ls->len = calloc((size_t)sz + 2, sizeof(size_t));
	for (i = 0; i <= (size_t)sz; i++)
		if (ls->buf[i] == '\n') {
			if (i == (size_t)sz && start == i)
				break;
			ls->l[ls->n] = ls->buf + start;
			ls->len[ls->n] = i - start;
			if (ls->len[ls->n] > 0 && ls->buf[i - 1] == '\r')
				ls->len[ls->n]--;
			ls->n++;
			start = i + 1;
		}
	return 0;
}

static void
free_lines(struct lines *ls)
{
	free(ls->buf);
	free(ls->l);
	free(ls->len);
}

/* Splits a TSV row in place; returns the number of cells. */
static size_t
cells(char *row, size_t n, char **c, size_t max)
{
	size_t k = 0;
	char *p = row, *end = row + n;

	while (k < max) {
		char *t = memchr(p, '\t', (size_t)(end - p));

		c[k++] = p;
		if (t == NULL) {
			*end = '\0';
			break;
		}
		*t = '\0';
		p = t + 1;
	}
	return k;
}

static void
time_text(const struct civtime *t, char *buf, size_t sz)
{
	if (t->has_tz) {
		/* fail2ban's tests run in CET/CEST. */
		struct tm tm;
		time_t e = (time_t)t->epoch;

		setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
		tzset();
		localtime_r(&e, &tm);
		snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	} else {
		snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d", t->year,
		    t->mon, t->mday, t->hour, t->min, t->sec);
	}
}

/* Every line of every corpus file: a record or counted with its number. */
static void
parse_all(const char *path, struct lines *ls, struct logs_rec *recs,
    enum logs_res *res, unsigned *bad)
{
	struct logs_parser p;

	assert_int_equal(load_lines(path, ls), 0);
	logs_parser_init(&p, LOGS_FMT_AUTO);
	p.default_year = 2005;
	*bad = 0;
	for (size_t i = 0; i < ls->n; i++) {
		res[i] = logs_parse_line(&p, ls->l[i], ls->len[i], &recs[i]);
		if (res[i] == LOGS_BAD)
			(*bad)++;
		/* The journal's strings live in the parser: not used here. */
	}
	logs_parser_release(&p);
}

static void
fail2ban_hosts_and_times(void **state)
{
	static const char *const files[] = {
	    "access/fail2ban--apache-badbots",
	    "access/fail2ban--apache-botsearch",
	    "access/fail2ban--apache-fakegooglebot",
	    "access/fail2ban--apache-shellshock",
	    "access/fail2ban--nginx-bad-request",
	    "access/fail2ban--nginx-botsearch",
	    "access/fail2ban--nginx-forbidden",
	    "access/fail2ban--nginx-http-auth",
	    "access/fail2ban--nginx-limit-req",
	    "error/fail2ban--apache-modsecurity",
	    "error/fail2ban--apache-nohome",
	    "error/fail2ban--apache-noscript",
	    "error/fail2ban--apache-overflows",
	    "error/fail2ban--apache-pass",
	    "error/fail2ban--php-url-fopen",
	    "error/fail2ban--suhosin",
	};
	unsigned checked_host = 0, checked_time = 0, in_message = 0;

	(void)state;
	for (size_t f = 0; f < countof(files); f++) {
		char path[512];
		struct lines ls, tsv;
		struct logs_rec recs[256];
		enum logs_res res[256];
		unsigned bad;

		snprintf(path, sizeof(path), "%s/logs/corpus/%s.log", FIXTURES,
		    files[f]);
		parse_all(path, &ls, recs, res, &bad);
		assert_true(ls.n < 256);
		snprintf(path, sizeof(path), "%s/logs/corpus/%s.expected.tsv",
		    FIXTURES, files[f]);
		assert_int_equal(load_lines(path, &tsv), 0);
		for (size_t r = 1; r < tsv.n; r++) {
			char *c[8], got[64];
			size_t nc = cells(tsv.l[r], tsv.len[r], c, 8);
			uint64_t ln;
			struct logs_str host = {NULL, 0};
			const struct civtime *t = NULL;
			const struct logs_rec *rec;

			assert_true(nc >= 6);
			assert_int_equal(str_u64(c[0], &ln), 0);
			assert_true(ln >= 1 && ln <= ls.n);
			if (res[ln - 1] != LOGS_OK)
				fail_msg("%s line %llu: not parsed", files[f],
				    (unsigned long long)ln);
			rec = &recs[ln - 1];
			if (rec->kind == LOGS_KIND_ACCESS) {
				host = rec->u.a.client;
				t = &rec->u.a.time;
			} else if (rec->kind == LOGS_KIND_ERROR) {
				host = rec->u.e.client;
				t = &rec->u.e.time;
			} else if (rec->kind == LOGS_KIND_SYSLOG) {
				t = &rec->u.s.time;
			}
			if (c[4][0] != '\0') {
				if (host.n == 0) {
					/* suhosin: "attacker 'IP'" in the text */
					assert_int_equal(
					    rec->kind, LOGS_KIND_SYSLOG);
					assert_non_null(
					    memmem(rec->u.s.message.p,
					        rec->u.s.message.n, c[4],
					        strlen(c[4])));
					in_message++;
				} else {
					if (!eq(host, c[4]))
						fail_msg("%s line %llu: host "
						         "'%.*s', want '%s'",
						    files[f],
						    (unsigned long long)ln,
						    (int)host.n, host.p, c[4]);
					checked_host++;
				}
			}
			if (c[5][0] != '\0' && t != NULL && t->valid) {
				time_text(t, got, sizeof(got));
				/* fail2ban fills in a missing year itself */
				if (!t->has_year && !t->has_tz)
					memcpy(got, c[5], 4);
				/*
				 * One label disagrees with its own line:
				 * "[Fri Dec 06 09:29:34 2013]" (a Friday in
				 * 2013) is labelled 2014-12-06.
				 */
				if (strcmp(files[f],
				        "access/fail2ban--apache-botsearch") ==
				        0 &&
				    ln == 19 && strcmp(c[5] + 4, got + 4) == 0)
					continue;
				if (strcmp(got, c[5]) != 0)
					fail_msg(
					    "%s line %llu: time %s, want %s",
					    files[f], (unsigned long long)ln,
					    got, c[5]);
				checked_time++;
			}
		}
		free_lines(&tsv);
		free_lines(&ls);
	}
	print_message("fail2ban corpus: %u hosts, %u times, %u hosts in the "
	              "message text\n",
	    checked_host, checked_time, in_message);
	assert_true(checked_host > 100);
	assert_true(checked_time > 100);
}

static void
iis_fields(void **state)
{
	static const char *const tsvs[] = {
	    "iis/beats--fields-parse.expected.tsv",
	    "iis/brianary-testdata--fields-parse.expected.tsv",
	};
	static const char *const prefix[] = {"beats--", "brianary-testdata--"};
	unsigned rows = 0, bad_rows = 0;

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		char path[512];
		struct lines tsv;

		snprintf(
		    path, sizeof(path), "%s/logs/corpus/%s", FIXTURES, tsvs[f]);
		assert_int_equal(load_lines(path, &tsv), 0);
		for (size_t r = 1; r < tsv.n; r++) {
			char *c[12], date[16];
			size_t nc = cells(tsv.l[r], tsv.len[r], c, 12);
			struct lines ls;
			struct logs_rec recs[256];
			enum logs_res res[256];
			unsigned bad;
			uint64_t ln;
			const struct logs_access *a;

			assert_int_equal(nc, 12);
			snprintf(path, sizeof(path), "%s/logs/corpus/iis/%s%s",
			    FIXTURES, prefix[f], c[0]);
			parse_all(path, &ls, recs, res, &bad);
			assert_int_equal(str_u64(c[1], &ln), 0);
			assert_true(ln >= 1 && ln <= ls.n);
			if (strncmp(c[2], "no: ", 4) == 0 &&
			    strstr(c[2], "EARLIER") == NULL) {
				/* A malformed row: counted, not read. */
				assert_int_equal(res[ln - 1], LOGS_BAD);
				bad_rows++;
				free_lines(&ls);
				continue;
			}
			if (res[ln - 1] != LOGS_OK)
				fail_msg("%s line %llu: not parsed", c[0],
				    (unsigned long long)ln);
			a = &recs[ln - 1].u.a;
			snprintf(date, sizeof(date), "%04d-%02d-%02d",
			    a->time.year, a->time.mon, a->time.mday);
			assert_string_equal(date, c[3]);
			if (c[4][0]) {
				char tm[16];

				snprintf(tm, sizeof(tm), "%02d:%02d:%02d",
				    a->time.hour, a->time.min, a->time.sec);
				assert_string_equal(tm, c[4]);
			}
#define FIELD(s, want)                                                         \
	do {                                                                   \
		const char *w_ = (want);                                       \
		if (w_[0] == '\0')                                             \
			break;                                                 \
		if (!eq((s), strcmp(w_, "-") == 0 ? NULL : w_))                \
			fail_msg("%s line %llu: '%.*s', want '%s'", c[0],      \
			    (unsigned long long)ln, (int)(s).n,                \
			    (s).p ? (s).p : "", w_);                           \
	} while (0)
			FIELD(a->client, c[5]);
			FIELD(a->method, c[6]);
			FIELD(a->path, c[7]);
			FIELD(a->query, c[8]);
			FIELD(a->user, c[10]);
			FIELD(a->user_agent, c[11]);
#undef FIELD
			if (c[9][0]) {
				char st[16];

				snprintf(st, sizeof(st), "%d", a->status);
				assert_string_equal(st, c[9]);
			}
			rows++;
			free_lines(&ls);
		}
		free_lines(&tsv);
	}
	print_message("iis corpus: %u rows match, %u malformed rows counted\n",
	    rows, bad_rows);
	assert_true(rows >= 15);
	assert_true(bad_rows >= 1);
}

/*
 * The IIS log line an admin primer prints for the Unicode attack
 * (fixtures/attacks/seed-s18-iis.log, one line there): a header-less W3C
 * row with a dd/mm/yyyy date, an HH:MM time, a host name as c-ip and a
 * User-Agent with spaces; and the same request in IIS's native format,
 * whose comma separators are not part of the method.
 */
static void
primer_iis_lines(void **state)
{
	static const char *const files[] = {
	    "seed-s18-iis.log",
	    "seed-s18-iis-native.log",
	};
	static const enum logs_format fmt[] = {
	    LOGS_FMT_IIS_W3C,
	    LOGS_FMT_IIS_NATIVE,
	};
	static const char *const path[] = {
	    "/scripts/../../winnt/system32/cmd,exe",
	    "/scripts/..%c0%af../winnt/system32/cmd.exe",
	};
	static const char *const query[] = {"/c+dir+c:\\", "/c+dir"};

	(void)state;
	for (size_t f = 0; f < countof(files); f++) {
		char fn[4096];
		struct lines ls;
		struct logs_parser p;
		struct logs_rec rec;
		size_t parsed = 0;

		snprintf(fn, sizeof(fn), "%s/attacks/%s", FIXTURES, files[f]);
		assert_int_equal(load_lines(fn, &ls), 0);
		assert_true(ls.n >= 1);
		logs_parser_init(&p, LOGS_FMT_AUTO);
		for (size_t i = 0; i < ls.n; i++) {
			if (logs_parse_line(&p, ls.l[i], ls.len[i], &rec) !=
			    LOGS_OK)
				fail_msg("%s:%zu: unparsed: %.*s", files[f],
				    i + 1, (int)ls.len[i], ls.l[i]);
			parsed++;
		}
		assert_int_equal(parsed, ls.n);
		/* the first line is the attack */
		assert_int_equal(
		    logs_parse_line(&p, ls.l[0], ls.len[0], &rec), LOGS_OK);
		assert_int_equal(rec.format, fmt[f]);
		assert_str(rec.u.a.client, "attacker.com");
		assert_str(rec.u.a.method, "GET");
		assert_str(rec.u.a.path, path[f]);
		assert_str(rec.u.a.query, query[f]);
		assert_int_equal(rec.u.a.status, 200);
		assert_int_equal(rec.u.a.bytes, 800);
		assert_int_equal(rec.u.a.duration_us, 32000);
		assert_int_equal(rec.u.a.time.year, 2002);
		assert_int_equal(rec.u.a.time.mon, 12);
		assert_int_equal(rec.u.a.time.mday, 20);
		assert_int_equal(rec.u.a.time.hour, 12);
		/* no request line was logged: nothing like "GET, /x" */
		assert_int_equal(rec.u.a.request.n, 0);
		if (fmt[f] == LOGS_FMT_IIS_W3C) {
			assert_str(rec.u.a.vhost, "www.victim.com");
			assert_str(rec.u.a.user_agent,
			    "Mozilla/4.0 (compatible; MSIE 5.0; Windows 98; "
			    "DigExt)");
		}
		logs_parser_release(&p);
		free_lines(&ls);
	}
}

/* ---- the follower's file identity ---- */

#define FOLLOW_HEAD                                                            \
	"#Software: a server whose first log line is always this same long "   \
	"header line, longer than the 128 bytes of the fingerprint "           \
	"............................\n"

static void
put_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* An identity as the follower builds it reading text in pieces. */
static void
id_of(struct follow_id *id, const char *path, const char *text, size_t step)
{
	size_t n = strlen(text);
	int fd = open(path, O_RDONLY);

	assert_true(fd != -1);
	follow_id_reset(id);
	assert_int_equal(follow_id_check(id, fd), 0);
	for (size_t i = 0; i < n; i += step)
		follow_id_consume(id, text + i, n - i < step ? n - i : step);
	assert_int_equal(follow_id_check(id, fd), 0);
	close(fd);
}

static void
follow_id_tail_across_reads(void **state)
{
	char text[400];
	struct follow_id id;

	(void)state;
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	follow_id_reset(&id);
	follow_id_consume(&id, "abc", 3);
	follow_id_consume(&id, "defg", 4);
	assert_int_equal(id.tlen, 7);
	assert_memory_equal(id.tail, "abcdefg", 7);
	/* Pieces of every size: the tail is the last 128 bytes read. */
	for (size_t step = 1; step <= 300; step += 37) {
		follow_id_reset(&id);
		for (size_t i = 0; i < sizeof(text); i += step)
			follow_id_consume(&id, text + i,
			    sizeof(text) - i < step ? sizeof(text) - i : step);
		assert_int_equal(id.off, sizeof(text));
		assert_int_equal(id.tlen, FOLLOW_FP_MAX);
		assert_memory_equal(id.tail,
		    text + sizeof(text) - FOLLOW_FP_MAX, FOLLOW_FP_MAX);
		assert_true(id.thash == follow_hash(id.tail, FOLLOW_FP_MAX));
	}
}

/*
 * copytruncate while the follower is down, the file regrown past the
 * bookmark with the same first 128 bytes: the live file is no longer the
 * bookmarked one, the copy is.
 */
static void
follow_id_copytruncate_regrown(void **state)
{
	char dir[] = "/tmp/test_logs_follow.XXXXXX", live[64], copy[64];
	const char *before = FOLLOW_HEAD "b1\nb2\nb3\n";
	struct follow_id id, old;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(live, sizeof(live), "%s/app.log", dir);
	snprintf(copy, sizeof(copy), "%s/app.log.1", dir);
	put_file(live, before);
	id_of(&id, live, before, 7);
	assert_int_equal(id.fplen, FOLLOW_FP_MAX);
	put_file(copy, FOLLOW_HEAD "b1\nb2\nb3\nb4\n");
	put_file(live, FOLLOW_HEAD "c1\nc2\nc3\nc4\nc5\nc6\n");
	old = id;
	assert_int_equal(follow_id_match(&id, live, -1), 0);
	assert_memory_equal(&id, &old, sizeof(id)); /* unchanged */
	fd = open(live, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(follow_id_check(&id, fd), -1);
	close(fd);
	assert_int_equal(follow_id_match(&id, copy, -1), 1);
	/* A bookmark of an older version: no bytes before the offset. */
	id = old;
	id.tlen = 0;
	id.thash = follow_hash("", 0);
	assert_int_equal(follow_id_match(&id, live, -1), 1);
	assert_int_equal(id.tlen, FOLLOW_FP_MAX);
	assert_int_equal(follow_id_match(&id, live, -1), 1);
	/* Shorter than the offset: not it. */
	put_file(live, FOLLOW_HEAD);
	id = old;
	assert_int_equal(follow_id_match(&id, live, -1), 0);
	unlink(live);
	unlink(copy);
	rmdir(dir);
}

/* A rotated copy compressed by logrotate is compared through zlib. */
static void
follow_id_gz_copy(void **state)
{
	char dir[] = "/tmp/test_logs_follow.XXXXXX", live[64];
	const char *text = FOLLOW_HEAD "b1\nb2\nb3\n";
	struct follow_id id;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(live, sizeof(live), "%s/app.log", dir);
	put_file(live, text);
	id_of(&id, live, text, 64);
	assert_int_equal(
	    follow_id_match(&id, FIXTURES "/logs/follow/copy.log.1.gz", -1), 1);
	id.off += 100; /* beyond the compressed file's end */
	assert_int_equal(
	    follow_id_match(&id, FIXTURES "/logs/follow/copy.log.1.gz", -1), 0);
	unlink(live);
	rmdir(dir);
}

struct got_lines {
	char text[256];
	char file[64];
	unsigned cut, ticks;
};

/* Each line as "NUMBER:TEXT|"; the file of the last one. */
static void
got_line(void *arg, const char *file, uint64_t lineno, const char *p, size_t n,
    int cut)
{
	struct got_lines *g = arg;
	size_t len = strlen(g->text);

	snprintf(g->text + len, sizeof(g->text) - len, "%llu:%.*s|",
	    (unsigned long long)lineno, (int)n, p);
	snprintf(g->file, sizeof(g->file), "%s", file);
	g->cut += cut != 0;
}

static void
got_tick(void *arg)
{
	((struct got_lines *)arg)->ticks++;
}

static void
follow_run(const char *state, const char *path, struct got_lines *g)
{
	struct follow_opts o;
	struct err err = {0};
	const char *paths[1] = {path};

	follow_opts_default(&o);
	o.name = "unit";
	o.state_dir = state;
	o.poll = 0.05;
	o.exit_idle = 0.2;
	o.from_start = 1;
	o.max_line = 16;
	o.line = got_line;
	o.tick = got_tick;
	o.arg = g;
	memset(g, 0, sizeof(*g));
	if (logs_follow(&o, paths, 1, NULL, &err) == -1)
		fail_msg("logs_follow: %s", err.msg);
}

/* Lines to a callback instead of a feed, with their file and number, with
 * ticks; the bookmark holds. */
static void
follow_line_callback(void **state)
{
	char dir[] = "/tmp/test_logs_follow.XXXXXX", path[64], st[64], p[400];
	struct got_lines g;
	struct dirent *de;
	DIR *d;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mail.log", dir);
	snprintf(st, sizeof(st), "%s/state", dir);
	assert_int_equal(mkdir(st, 0700), 0);
	put_file(path, "one\ntwo\r\n0123456789abcdefXYZ\npartial");
	follow_run(st, path, &g);
	assert_string_equal(g.text, "1:one|2:two\r|3:0123456789abcdef|");
	assert_string_equal(g.file, path);
	assert_int_equal(g.cut, 1);
	assert_true(g.ticks >= 1);
	fp = fopen(path, "a");
	assert_non_null(fp);
	fputs("\nthree\n", fp);
	fclose(fp);
	follow_run(st, path, &g); /* from the bookmark on */
	/* the numbers go on from the bookmark's */
	assert_string_equal(g.text, "4:partial|5:three|");
	assert_string_equal(g.file, path);
	snprintf(p, sizeof(p), "%s/logs", st);
	d = opendir(p);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/logs/%s", st, de->d_name);
		unlink(p);
	}
	closedir(d);
	snprintf(p, sizeof(p), "%s/logs", st);
	rmdir(p);
	rmdir(st);
	unlink(path);
	rmdir(dir);
}

/* Bookmark lines of this version and of the older one without the tail. */
static void
follow_bm_lines(void **state)
{
	const char *cur = "0123456789abcdef 2049 1234567 4096 128 99 0 77 "
	                  "128 55";
	const char *older = "0123456789abcdef 2049 1234567 4096 128 99 1 77";
	const char *bad[] = {
	    "0123456789abcdef 2049 1234567 4096 128 99 0 77 128",
	    "0123456789abcdef 2049 1234567 4096 129 99 0 77",
	    "0123456789abcdef 2049 1234567 100 128 99 0 77 128 55",
	    "0123456789ABCDEF 2049 1234567 4096 128 99 0 77",
	    "0123456789abcdef 2049 1234567 4096 128 99 0 77 ",
	    "0123456789abcde",
	};
	struct follow_bm_file bf;

	(void)state;
	assert_int_equal(follow_bm_file_parse(cur, cur + strlen(cur), &bf), 0);
	assert_string_equal(bf.key, "0123456789abcdef");
	assert_int_equal(bf.dev, 2049);
	assert_int_equal(bf.ino, 1234567);
	assert_int_equal(bf.id.off, 4096);
	assert_int_equal(bf.id.fplen, 128);
	assert_int_equal(bf.id.fphash, 99);
	assert_int_equal(bf.skipping, 0);
	assert_int_equal(bf.lineno, 77);
	assert_int_equal(bf.id.tlen, 128);
	assert_int_equal(bf.id.thash, 55);
	assert_int_equal(
	    follow_bm_file_parse(older, older + strlen(older), &bf), 0);
	assert_int_equal(bf.skipping, 1);
	assert_int_equal(bf.id.tlen, 0);
	assert_true(bf.id.thash == follow_hash("", 0));
	for (size_t i = 0; i < countof(bad); i++)
		assert_int_equal(
		    follow_bm_file_parse(bad[i], bad[i] + strlen(bad[i]), &bf),
		    -1);
}

/* What the named analyzers of run show, in JSON, into a string. */
static char *
shown(struct logs_run *run, const char *names)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct out o;

	assert_non_null(fp);
	out_init(&o, OUT_JSON, fp);
	logs_run_show(run, names, &o);
	fclose(fp);
	return buf;
}

/*
 * show() prints what finish() would of the records so far, and ends
 * nothing: shown twice it is the same, and it counts the lines fed after
 * it; only the analyzers named print.
 */
static void
run_show_mid_stream(void **state)
{
	static const char l1[] = "192.0.2.1 - - [06/Dec/2026:10:00:00 +0000] "
	                         "\"GET /a.html HTTP/1.1\" 200 10 \"-\" \"x\"";
	static const char l2[] = "192.0.2.1 - - [06/Dec/2026:10:00:01 +0000] "
	                         "\"GET /gone.html HTTP/1.1\" 404 10 "
	                         "\"http://h/a.html\" \"x\"";
	struct logs_opts lo;
	struct logs_run run;
	struct logs_feed feed;
	struct report rep;
	const char *errmsg = NULL;
	char *a, *b, *c, *d;

	(void)state;
	logs_opts_default(&lo);
	lo.follow = 1;
	assert_int_equal(logs_run_init(&run, "stats,links", &lo, &errmsg), 0);
	report_init(&rep);
	logs_feed_init(&feed, LOGS_FMT_AUTO, NULL, &run, &rep);
	logs_feed_line(&feed, l1, strlen(l1), 0);
	a = shown(&run, NULL);
	b = shown(&run, NULL);
	assert_string_equal(a, b);
	assert_non_null(strstr(a,
	    "{\"type\":\"stats.day\",\"schema\":2,\"date\":\"2026-12-06\","
	    "\"page_hits\":1,\"hits\":1,"));
	logs_feed_line(&feed, l2, strlen(l2), 0);
	c = shown(&run, "links");
	assert_non_null(strstr(c, "\"type\":\"links.missing\""));
	assert_non_null(strstr(c, "\"path\":\"/gone.html\""));
	assert_non_null(strstr(c, "\"page\":\"http://h/a.html\""));
	assert_null(strstr(c, "stats.day"));
	d = shown(&run, "stats");
	assert_non_null(strstr(d, "\"page_hits\":2,\"hits\":2,"));
	assert_null(strstr(d, "links.missing"));
	/* show adds no finding: the broken link is finish's alone */
	assert_int_equal(rep.nf, 0);
	free(a);
	free(b);
	free(c);
	free(d);
	logs_feed_release(&feed);
	logs_run_release(&run);
	report_release(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(combined_line),
	    cmocka_unit_test(vhost_and_escapes),
	    cmocka_unit_test(bad_access_lines),
	    cmocka_unit_test(clf_time_memo),
	    cmocka_unit_test(apache_error_22_24),
	    cmocka_unit_test(syslog_formats),
	    cmocka_unit_test(w3c_fields_change),
	    cmocka_unit_test(w3c_without_header),
	    cmocka_unit_test(logformat_compiled),
	    cmocka_unit_test(detects_each_line),
	    cmocka_unit_test(topk_exact_then_bounded),
	    cmocka_unit_test(topk_grows_with_use),
	    cmocka_unit_test(fail2ban_hosts_and_times),
	    cmocka_unit_test(iis_fields),
	    cmocka_unit_test(primer_iis_lines),
	    cmocka_unit_test(follow_id_tail_across_reads),
	    cmocka_unit_test(follow_id_copytruncate_regrown),
	    cmocka_unit_test(follow_id_gz_copy),
	    cmocka_unit_test(follow_bm_lines),
	    cmocka_unit_test(follow_line_callback),
	    cmocka_unit_test(run_show_mid_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
