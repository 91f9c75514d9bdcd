/*
 * test_alert.c - the texts of the alert actions: mail headers (MIME,
 * RFC 2047, no injection), the one-event mail, the digest (grouping,
 * bounds, due time), the journal priorities, and which events each
 * configured action takes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "act/alert.h"
#include "act/journal.h"
#include "act/mail.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/strbuf.h"
#include "conf_of.h"

/* Decodes one base64 text (no padding errors expected) into out. */
static size_t
unbase64(const char *s, size_t n, unsigned char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0, bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		const char *p = strchr(tab, s[i]);

		assert_non_null(p);
		v = (v << 6) | (unsigned)(p - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	return o;
}

/*
 * Decodes a header value of encoded-words ("=?UTF-8?B?...?=" separated by
 * folding) into out, checking each word: at most 75 characters, whole
 * UTF-8 characters.  Returns the number of words.
 */
static int
decode_words(const char *v, char *out, size_t outsz)
{
	size_t o = 0;
	int words = 0;

	while (*v) {
		const char *end;
		unsigned char buf[128];
		size_t n;

		if (*v == '\n' || *v == ' ') {
			v++;
			continue;
		}
		if (*v == '<')
			break;
		assert_memory_equal(v, "=?UTF-8?B?", 10);
		end = strstr(v + 10, "?=");
		assert_non_null(end);
		assert_true(end + 2 - v <= 75);
		n = unbase64(v + 10, (size_t)(end - v - 10), buf);
		assert_true(text_is_clean((const char *)buf, n));
		assert_true(o + n < outsz);
		memcpy(out + o, buf, n);
		o += n;
		words++;
		v = end + 2;
	}
	out[o] = '\0';
	return words;
}

/* The value of header name in msg (up to the next header), or NULL. */
static char *
header_of(const char *msg, const char *name)
{
	static char val[4096];
	char key[64];
	const char *p, *end;

	snprintf(key, sizeof(key), "\n%s: ", name);
	if (strncmp(msg, key + 1, strlen(key) - 1) == 0)
		p = msg + strlen(key) - 1;
	else if ((p = strstr(msg, key)) != NULL)
		p += strlen(key);
	else
		return NULL;
	for (end = p; *end && !(end[0] == '\n' && end[1] != ' '); end++)
		;
	assert_true((size_t)(end - p) < sizeof(val));
	memcpy(val, p, (size_t)(end - p));
	val[end - p] = '\0';
	return val;
}

static void
header_ascii_plain_and_controls_removed(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	mail_header(&sb, "Subject", "disk /var full");
	assert_string_equal(sb.p, "Subject: disk /var full\n");
	strbuf_reset(&sb);
	mail_header(&sb, "Subject", "a\r\nBcc: x@example.org\tb");
	assert_string_equal(sb.p, "Subject: a  Bcc: x@example.org b\n");
	strbuf_release(&sb);
}

static void
header_utf8_encoded_words(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	char dec[2048], text[1024] = "";

	(void)state;
	mail_header(&sb, "Subject", "/srv/données pleines");
	assert_memory_equal(sb.p, "Subject: =?UTF-8?B?", 19);
	assert_int_equal(decode_words(sb.p + 9, dec, sizeof(dec)), 1);
	/* decode_words stops at the newline that ends the header */
	assert_string_equal(dec, "/srv/données pleines");

	/* A long value: several words, folded, each whole characters. */
	for (int i = 0; i < 40; i++)
		strcat(text, "été ");
	strbuf_reset(&sb);
	mail_header(&sb, "Subject", text);
	assert_true(decode_words(sb.p + 9, dec, sizeof(dec)) > 2);
	assert_string_equal(dec, text);
	assert_non_null(strstr(sb.p, "?=\n =?UTF-8?B?"));
	/* No line of it longer than 78 characters. */
	for (const char *l = sb.p, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		assert_non_null(nl);
		assert_true(nl - l <= 78);
	}
	/* Control characters become spaces before encoding, too. */
	strbuf_reset(&sb);
	mail_header(&sb, "Subject", "é\r\nBcc: x");
	decode_words(sb.p + 9, dec, sizeof(dec));
	assert_string_equal(dec, "é  Bcc: x");
	strbuf_release(&sb);
}

static void
mail_format_mime_headers(void **state)
{
	struct mail m = {NULL, "Sakimori Wächter <watch@example.org>",
	    "root@example.org", "CRITICAL load", "line one\nline two\n"};
	struct strbuf sb = STRBUF_INIT(0);
	struct err err = {0};
	char dec[256], *v;

	(void)state;
	assert_int_equal(
	    mail_format(&m, 1796000000, "web1.example.org", &sb, &err), 0);
	v = header_of(sb.p, "From");
	assert_non_null(v);
	assert_int_equal(decode_words(v, dec, sizeof(dec)), 1);
	assert_string_equal(dec, "Sakimori Wächter");
	assert_non_null(strstr(v, "?= <watch@example.org>"));
	assert_string_equal(header_of(sb.p, "To"), "root@example.org");
	assert_string_equal(header_of(sb.p, "Subject"), "CRITICAL load");
	assert_non_null(header_of(sb.p, "Date"));
	v = header_of(sb.p, "Message-ID");
	assert_non_null(v);
	assert_int_equal(v[0], '<');
	assert_non_null(strstr(v, "@web1.example.org>"));
	assert_string_equal(header_of(sb.p, "MIME-Version"), "1.0");
	assert_string_equal(
	    header_of(sb.p, "Content-Type"), "text/plain; charset=utf-8");
	assert_string_equal(
	    header_of(sb.p, "Content-Transfer-Encoding"), "7bit");
	assert_non_null(strstr(sb.p, "\n\nline one\nline two\n"));

	/* Two messages never share a Message-ID. */
	{
		char first[256];
		struct strbuf sb2 = STRBUF_INIT(0);

		snprintf(
		    first, sizeof(first), "%s", header_of(sb.p, "Message-ID"));
		mail_format(&m, 1796000000, "web1.example.org", &sb2, &err);
		assert_string_not_equal(first, header_of(sb2.p, "Message-ID"));
		strbuf_release(&sb2);
	}

	/* A UTF-8 body is 8bit; a line past SMTP's limit is broken. */
	{
		char body[3000];

		memset(body, 'x', sizeof(body) - 1);
		body[sizeof(body) - 1] = '\0';
		memcpy(body, "é", 2);
		m.body = body;
		strbuf_reset(&sb);
		assert_int_equal(
		    mail_format(&m, 1796000000, NULL, &sb, &err), 0);
		assert_string_equal(
		    header_of(sb.p, "Content-Transfer-Encoding"), "8bit");
		for (const char *l = sb.p, *nl; *l; l = nl + 1) {
			nl = strchr(l, '\n');
			assert_non_null(nl);
			assert_true(nl - l <= 998);
		}
	}
	/* A hostile Subject adds no header. */
	m.subject = "x\r\nBcc: victim@example.org";
	m.body = "";
	strbuf_reset(&sb);
	mail_format(&m, 1796000000, NULL, &sb, &err);
	assert_null(strstr(sb.p, "\nBcc:"));
	strbuf_release(&sb);
}

static void
mail_cmd_argv(void **state)
{
	struct mail m = {"/usr/sbin/sendmail", "Watch <w@example.org>",
	    "root@example.org", "s", "b"};
	struct mail_cmd cmd;
	struct err err = {0};

	(void)state;
	assert_int_equal(mail_cmd(&m, &cmd, &err), 0);
	assert_string_equal(cmd.argv[0], "/usr/sbin/sendmail");
	assert_string_equal(cmd.argv[1], "-i");
	assert_string_equal(cmd.argv[2], "-f");
	assert_string_equal(cmd.argv[3], "w@example.org");
	assert_string_equal(cmd.argv[4], "--");
	assert_string_equal(cmd.argv[5], "root@example.org");
	assert_null(cmd.argv[6]);
	m.from = NULL;
	assert_int_equal(mail_cmd(&m, &cmd, &err), 0);
	assert_string_equal(cmd.argv[2], "--");
	m.to = "-oQ/tmp";
	assert_int_equal(mail_cmd(&m, &cmd, &err), -1);
}

static struct alert_event
event(enum alert_kind k, enum sev s, const char *check, const char *subject,
    const char *msg, time_t t)
{
	struct alert_event e;

	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.sev = s;
	e.time = e.first = t;
	e.count = 1;
	e.problem = 42;
	snprintf(e.check, sizeof(e.check), "%s", check);
	snprintf(e.subject, sizeof(e.subject), "%s", subject);
	snprintf(e.message, sizeof(e.message), "%s", msg);
	return e;
}

static void
summary_forms(void **state)
{
	struct alert_event e =
	    event(ALERT_OPEN, SEV_CRITICAL, "fs-blocks", "/var", "96% used", 0);
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	alert_summary(&e, &sb);
	assert_string_equal(sb.p, "CRITICAL fs-blocks /var: 96% used");
	e.kind = ALERT_CHANGE;
	e.prev_sev = SEV_WARNING;
	strbuf_reset(&sb);
	alert_summary(&e, &sb);
	assert_string_equal(
	    sb.p, "CRITICAL (was WARNING) fs-blocks /var: 96% used");
	e.kind = ALERT_RESOLVE;
	strbuf_reset(&sb);
	alert_summary(&e, &sb);
	assert_string_equal(sb.p, "RESOLVED fs-blocks /var: 96% used");
	e.kind = ALERT_FLAPPING;
	strbuf_reset(&sb);
	alert_summary(&e, &sb);
	assert_string_equal(sb.p, "FLAPPING fs-blocks /var: 96% used");

	/* Outside text escaped: a newline and an escape sequence. */
	e = event(ALERT_OPEN, SEV_WARNING, "web-attack", "203.0.113.9\n",
	    "GET /\033[2J", 0);
	strbuf_reset(&sb);
	alert_summary(&e, &sb);
	assert_string_equal(
	    sb.p, "WARNING web-attack 203.0.113.9\\x0a: GET /\\x1b[2J");

	/* Fields that fill their arrays (no NUL) are read to their size. */
	memset(e.check, 'c', sizeof(e.check));
	memset(e.subject, 's', sizeof(e.subject));
	memset(e.message, 'm', sizeof(e.message));
	strbuf_reset(&sb);
	alert_summary(&e, &sb);
	assert_int_equal(sb.len,
	    strlen("WARNING ") + sizeof(e.check) + 1 + sizeof(e.subject) + 2 +
	        sizeof(e.message));
	strbuf_release(&sb);
}

static void
mail_subject_and_body(void **state)
{
	struct alert_event e = event(ALERT_OPEN, SEV_WARNING, "load", "",
	    "load 3.1 per CPU", 1796000000);
	struct strbuf sb = STRBUF_INIT(0);
	char msg[600];

	(void)state;
	alert_mail_subject(&e, "web1", &sb);
	assert_string_equal(
	    sb.p, "[sakimori] web1: WARNING load: load 3.1 per CPU");
	strbuf_reset(&sb);
	snprintf(e.ev[0].key, sizeof(e.ev[0].key), "load1");
	snprintf(e.ev[0].val, sizeof(e.ev[0].val), "3.1");
	e.nev = 1;
	e.count = 5;
	e.first = 1795999000;
	alert_mail_body(&e, "web1", &sb);
	assert_non_null(strstr(sb.p, "\nEvent:     open\n"));
	assert_non_null(strstr(sb.p, "\nCheck:     load\n"));
	assert_non_null(strstr(sb.p, "\nSeverity:  WARNING\n"));
	assert_non_null(strstr(sb.p, "\nTime:      2026-11-30T00:53:20Z\n"));
	assert_non_null(strstr(sb.p, "\nSince:     "));
	assert_non_null(strstr(sb.p, "\nCount:     5\n"));
	assert_non_null(strstr(sb.p, "\nProblem:   42\n"));
	assert_non_null(strstr(sb.p, "\nEvidence:\n  load1: 3.1\n"));
	assert_null(strstr(sb.p, "\nSubject:"));

	/* A long message: the Subject is cut between characters. */
	memset(msg, 0, sizeof(msg));
	for (size_t i = 0; i + 2 < 500; i += 2)
		memcpy(msg + i, "é", 2);
	e = event(ALERT_OPEN, SEV_CRITICAL, "load", "", msg, 0);
	strbuf_reset(&sb);
	alert_mail_subject(&e, "web1", &sb);
	assert_true(sb.len < 260);
	assert_true(text_is_clean(sb.p, sb.len));
	assert_string_equal(sb.p + sb.len - 3, "...");
	strbuf_release(&sb);
}

static void
digest_groups_and_bounds(void **state)
{
	struct alert_digest d = {0};
	struct alert_event e;
	struct strbuf sb = STRBUF_INIT(0);
	const char *opened, *resolved, *crit, *warn;

	(void)state;
	assert_false(alert_digest_due(&d, 1000, 60));
	e = event(ALERT_RESOLVE, SEV_WARNING, "memory", "", "ok again", 1000);
	assert_int_equal(alert_digest_add(&d, &e, 1000), 0);
	e = event(ALERT_OPEN, SEV_WARNING, "load", "", "load 1.2", 1010);
	alert_digest_add(&d, &e, 1010);
	e = event(ALERT_OPEN, SEV_CRITICAL, "fs-blocks", "/var", "96%", 1020);
	alert_digest_add(&d, &e, 1020);
	/* The period starts at the first event. */
	assert_int_equal(d.first, 1000);
	assert_false(alert_digest_due(&d, 1059, 60));
	assert_true(alert_digest_due(&d, 1060, 60));

	alert_digest_subject(&d, "web1", &sb);
	assert_string_equal(
	    sb.p, "[sakimori] web1: 3 alerts: 2 open (1 CRITICAL), 1 resolved");
	strbuf_reset(&sb);
	alert_digest_body(&d, "web1", &sb);
	opened = strstr(sb.p, "\nOpened (2)\n");
	resolved = strstr(sb.p, "\nResolved (1)\n");
	crit = strstr(sb.p, "CRITICAL fs-blocks /var: 96%");
	warn = strstr(sb.p, "WARNING load: load 1.2");
	assert_non_null(opened);
	assert_non_null(resolved);
	assert_non_null(crit);
	assert_non_null(warn);
	/* Opened before resolved; within a group the worst first. */
	assert_true(opened < crit && crit < warn && warn < resolved);
	assert_non_null(strstr(resolved, "RESOLVED memory: ok again"));

	/* Bounded: past ALERT_DIGEST_MAX events are counted, not kept. */
	for (int i = 0; i < ALERT_DIGEST_MAX; i++)
		alert_digest_add(&d, &e, 1030);
	assert_int_equal(d.n, ALERT_DIGEST_MAX);
	assert_int_equal(d.dropped, 3);
	strbuf_reset(&sb);
	alert_digest_subject(&d, "web1", &sb);
	assert_non_null(strstr(sb.p, ": 203 alerts: "));
	assert_non_null(strstr(sb.p, ", 3 not listed"));
	strbuf_reset(&sb);
	alert_digest_body(&d, "web1", &sb);
	assert_non_null(strstr(sb.p, "\n3 more events came in this period"));

	alert_digest_clear(&d);
	assert_false(alert_digest_due(&d, 99999, 60));
	alert_digest_release(&d);
	strbuf_release(&sb);
}

static void
journal_priorities(void **state)
{
	struct alert_event e = event(ALERT_OPEN, SEV_CRITICAL, "x", "", "", 0);

	(void)state;
	assert_int_equal(journal_priority(&e), 2);
	e.sev = SEV_WARNING;
	assert_int_equal(journal_priority(&e), 4);
	e.sev = SEV_UNKNOWN;
	assert_int_equal(journal_priority(&e), 3);
	e.kind = ALERT_RESOLVE;
	e.sev = SEV_CRITICAL;
	assert_int_equal(journal_priority(&e), 5);
	e.kind = ALERT_FLAPPING;
	assert_int_equal(journal_priority(&e), 4);
}

static char statedir[] = "/tmp/sakimori-test-alert.XXXXXX";

/* Which events an action takes: checks (patterns), severity, events.  The
 * actions are digests of an hour, so nothing is sent. */
static void
actions_take_by_check_severity_kind(void **state)
{
	struct conf *c =
	    conf_of("alert mail all { to \"a@example.org\"; digest 1h }\n"
	            "alert mail disks { to \"b@example.org\"; digest 1h\n"
	            "  checks \"fs-*\" disk-errors; severity critical }\n"
	            "alert mail opens { to \"c@example.org\"; digest 1h\n"
	            "  events open; severity unknown }\n"
	            "alert mail off { to \"d@example.org\"; disable }\n");
	struct err err = {0};
	struct alert_actions *a = alert_actions_new(c, statedir, &err);
	struct alert_event e;

	(void)state;
	assert_non_null(a);
	assert_int_equal(alert_actions_count(a), 3);
	e = event(ALERT_OPEN, SEV_WARNING, "load", "", "", 0);
	assert_int_equal(alert_actions_event(a, &e, 0), 2); /* all, opens */
	e = event(ALERT_OPEN, SEV_CRITICAL, "fs-inodes", "/", "", 0);
	assert_int_equal(alert_actions_event(a, &e, 0), 3);
	e = event(ALERT_RESOLVE, SEV_CRITICAL, "disk-errors", "sda", "", 0);
	assert_int_equal(alert_actions_event(a, &e, 0), 2); /* all, disks */
	e = event(ALERT_OPEN, SEV_UNKNOWN, "fs-blocks", "/", "", 0);
	assert_int_equal(alert_actions_event(a, &e, 0), 1); /* opens */
	e = event(ALERT_OPEN, SEV_WARNING, "fs-blocks", "/", "", 0);
	assert_int_equal(alert_actions_event(a, &e, 0), 2); /* all, opens */
	assert_int_equal(alert_actions_running(a), 0);
	alert_actions_free(a);
	conf_release(c);
}

static void
actions_refuse_bad_settings(void **state)
{
	struct err err = {0};
	struct conf *c;

	(void)state;
	c = conf_of("alert mail { digest 1h }\n");
	assert_null(alert_actions_new(c, statedir, &err));
	assert_non_null(strstr(err.msg, "alert mail has no recipient"));
	conf_release(c);
	/* set mail-to is the default recipient */
	c = conf_of("set mail-to \"root\"\nalert mail { digest 1h }\n");
	struct alert_actions *a = alert_actions_new(c, statedir, &err);
	assert_non_null(a);
	alert_actions_free(a);
	conf_release(c);
	c = conf_of("alert exec { command \"/bin/true\"; user root }\n");
	assert_null(alert_actions_new(c, statedir, &err));
	assert_non_null(strstr(err.msg, "allow-root yes"));
	conf_release(c);
	c = conf_of("alert exec { command \"/bin/true\"; user "
	            "no-such-user-sakimori }\n");
	assert_null(alert_actions_new(c, statedir, &err));
	assert_non_null(strstr(err.msg, "no user 'no-such-user-sakimori'"));
	conf_release(c);
	/* No state directory: nowhere to audit. */
	c = conf_of("alert journal { }\n");
	assert_null(alert_actions_new(c, NULL, &err));
	conf_release(c);
	/* No alert block: no action, and no audit log needed. */
	c = conf_of("");
	a = alert_actions_new(c, NULL, &err);
	assert_non_null(a);
	assert_int_equal(alert_actions_count(a), 0);
	alert_actions_free(a);
	conf_release(c);
}

static void
conf_checks_alert_blocks(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"alert pager { }", "unknown alert type 'pager'"},
	    {"alert mail", "alert mail wants a block"},
	    {"alert mail { color red }", "unknown key 'color' in alert mail"},
	    {"alert exec { command \"page\" }", "must be an absolute path"},
	    {"alert exec { user nobody }", "alert exec wants a 'command'"},
	    {"alert journal { events open closed }", "'closed' is not open"},
	    {"alert mail { to \"x\"; severity high }", "'severity' wants"},
	    {"alert exec { command \"/bin/x\"; timeout 0 }",
	        "'timeout' must be more than 0"},
	    {"alert mail a b { }", "at most one name"},
	    {"alert syslog { }", "alert syslog wants a 'server' (HOST:PORT)"},
	    {"alert syslog { server \"logs.example.org\" }",
	        "'server': 'logs.example.org' is not HOST:PORT"},
	    {"alert syslog { server \"logs:99999\" }",
	        "the port is not a number from 1 to 65535"},
	    {"alert syslog { server \"[::1]:514\"; ca \"/etc/ca.pem\" }",
	        "alert syslog: 'ca' is for 'tls yes'"},
	    {"alert syslog { server \"[::1]:514\"; tls maybe }", "'tls'"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct conf c;
		struct conf_errs errs = {0};
		int found = 0;

		conf_init(&c);
		assert_int_equal(conf_load_string(&c, "t", bad[i].text,
		                     strlen(bad[i].text), &errs),
		    -1);
		for (size_t j = 0; j < errs.n; j++)
			found |= strstr(errs.msg[j], bad[i].want) != NULL;
		if (!found)
			fail_msg("'%s': no error '%s' (first: %s)", bad[i].text,
			    bad[i].want, errs.n ? errs.msg[0] : "none");
		conf_errs_release(&errs);
		conf_release(&c);
	}
	/* One line without ';' reads as the admin meant. */
	struct conf *c =
	    conf_of("alert journal { severity critical checks load memory }\n");
	assert_int_equal(c->root.child[0].nchild, 2);
	conf_release(c);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(statedir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/audit.log", statedir);
	unlink(path);
	rmdir(statedir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(header_ascii_plain_and_controls_removed),
	    cmocka_unit_test(header_utf8_encoded_words),
	    cmocka_unit_test(mail_format_mime_headers),
	    cmocka_unit_test(mail_cmd_argv),
	    cmocka_unit_test(summary_forms),
	    cmocka_unit_test(mail_subject_and_body),
	    cmocka_unit_test(digest_groups_and_bounds),
	    cmocka_unit_test(journal_priorities),
	    cmocka_unit_test(actions_take_by_check_severity_kind),
	    cmocka_unit_test(actions_refuse_bad_settings),
	    cmocka_unit_test(conf_checks_alert_blocks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
