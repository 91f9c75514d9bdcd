/*
 * test_mail.c - the mail-log parsers on the corpus fixtures (postfix,
 * sendmail, exim, qmail), the joiner on whole sessions, the rules on
 * generated days, and bad input (garbage, split lines, reused queue ids,
 * logs that start or end mid-message).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "logs/analyzer.h"
#include "logs/scan.h"
#include "mail/mail.h"
#include "mail/mail_procs.h"
#include "mail/mail_run.h"
#include "mail/mail_stats.h"

static char *
slurp(const char *name, size_t *len)
{
	char path[4096];
	struct strbuf sb = STRBUF_INIT(0);
	struct err err;
	char *p;

	snprintf(path, sizeof(path), "%s/mail/%s", FIXTURES, name);
	if (file_read(path, 1 << 24, &sb, NULL, &err) == -1)
		fail_msg("%s", err.msg);
	*len = sb.len;
	p = malloc(sb.len + 1);
	assert_non_null(p);
	memcpy(p, strbuf_str(&sb), sb.len + 1);
	strbuf_release(&sb);
	return p;
}

static int
span_is(struct mail_span s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

/* want without surrounding <> */
static const char *
strip(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

/* The next line of *text (NUL-terminated in place), or NULL at the end. */
static char *
next_line(char **text)
{
	char *l = *text, *nl;

	if (l == NULL || *l == '\0')
		return NULL;
	nl = strchr(l, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*text = nl + 1;
	} else
		*text = l + strlen(l);
	return l;
}

/* Splits a TSV line in place into at most max columns. */
static int
tsv(char *line, char **col, int max)
{
	int n = 0;

	col[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			col[n++] = p + 1;
		}
	return n;
}

static int
is_component(const char *c)
{
	static const char *pseudo[] = {"command_counter_data", "delays",
	    "relay", "tls_features", "script", "postmap", "sendmail",
	    "postdrop"};

	for (size_t i = 0; i < countof(pseudo); i++)
		if (strcmp(c, pseudo[i]) == 0)
			return 0;
	return 1;
}

static void
span_print(const char *what, struct mail_span s, const char *want)
{
	print_message("  %s: got '%.*s' want '%s'\n", what, (int)s.n,
	    s.p ? s.p : "", want);
}

/* The corpus' expected fields: queue id, from, to, relay, status, client. */
static void
postfix_corpus_fields(void **state)
{
	size_t len, checked = 0, bad = 0, relay_denied = 0;
	char *text = slurp("postfix-grok.tsv", &len), *line, *save = text;

	(void)state;
	(void)next_line(&save); /* header */
	while ((line = next_line(&save)) != NULL) {
		char *col[12], tag[128];
		struct mail_event ev;
		int n = tsv(line, col, 12), rowbad = 0;
		const char *qid, *from, *to, *relay, *status, *client;

		if (n < 11 || !is_component(col[3]))
			continue;
		snprintf(tag, sizeof(tag), "postfix/%s", col[3]);
		mail_parse(tag, strlen(tag), col[4], strlen(col[4]), &ev);
		qid = col[5];
		from = strip(col[6]);
		to = strip(col[7]);
		relay = col[8];
		status = col[9];
		client = col[10];
		checked++;
		if (qid[0] && strcmp(qid, "NOQUEUE") != 0 &&
		    !span_is(ev.qid, qid)) {
			span_print("qid", ev.qid, qid);
			rowbad = 1;
		}
		if (strcmp(qid, "NOQUEUE") == 0 && ev.qid.n != 0)
			rowbad = 1;
		/* from/to are events' fields only where they are mail
		 * (header warnings quote them; we do not use those). */
		if (ev.kind != MAIL_EV_OTHER && col[6][0] &&
		    !span_is(ev.from, from)) {
			span_print("from", ev.from, from);
			rowbad = 1;
		}
		if (ev.kind != MAIL_EV_OTHER && to[0] && !span_is(ev.to, to)) {
			span_print("to", ev.to, to);
			rowbad = 1;
		}
		if (relay[0] && !span_is(ev.relay, relay)) {
			span_print("relay", ev.relay, relay);
			rowbad = 1;
		}
		if (status[0]) {
			const char *got = mail_status_name(ev.status);
			int ok = strcmp(got, status) == 0 ||
			    (ev.status == MAIL_ST_PROBE &&
			        strstr(status, "deliverable") != NULL);

			if (!ok) {
				print_message(
				    "  status: got %s want %s\n", got, status);
				rowbad = 1;
			}
		}
		if (client[0] &&
		    (ev.kind == MAIL_EV_REJECT || ev.kind == MAIL_EV_CONNECT ||
		        ev.kind == MAIL_EV_CLIENT ||
		        ev.kind == MAIL_EV_AUTH_FAIL) &&
		    !span_is(ev.client_addr, client)) {
			span_print("client", ev.client_addr, client);
			rowbad = 1;
		}
		if (strstr(col[4], "Relay access denied") != NULL) {
			relay_denied++;
			assert_int_equal(ev.kind, MAIL_EV_REJECT);
			assert_int_equal(ev.rej, MAIL_REJ_RELAY);
			assert_true(span_is(ev.client_addr, client));
		}
		if (rowbad) {
			print_message("row %s: %s\n", col[0], col[4]);
			bad++;
		}
	}
	free(text);
	assert_true(checked > 150);
	assert_int_equal(relay_denied, 1);
	assert_int_equal(bad, 0);
}

/* Every delivery line of the corpus has a queue id, to, relay, status. */
static void
postfix_deliveries(void **state)
{
	static const char *lines[][2] = {
	    {"postfix/smtp",
	        "0D9633D: to=<jos@example.com>, orig_to=<bestuur@example.com>, "
	        "relay=mail1.example.net[10.74.103.11]:25, delay=11, "
	        "delays=5.4/0.06/5.1/0.03, dsn=2.0.0, status=sent (250 2.0.0 "
	        "Ok: queued as F12DF84004)"},
	};
	struct mail_event ev;

	(void)state;
	assert_int_equal(mail_parse(lines[0][0], strlen(lines[0][0]),
	                     lines[0][1], strlen(lines[0][1]), &ev),
	    MAIL_EV_DELIVERY);
	assert_true(span_is(ev.qid, "0D9633D"));
	assert_true(span_is(ev.to, "jos@example.com"));
	assert_true(span_is(ev.orig_to, "bestuur@example.com"));
	assert_true(span_is(ev.relay, "mail1.example.net[10.74.103.11]:25"));
	assert_true(span_is(ev.dsn, "2.0.0"));
	assert_int_equal(ev.status, MAIL_ST_SENT);
	assert_true(ev.delay == 11);
	assert_true(span_is(ev.reason, "250 2.0.0 Ok: queued as F12DF84004"));
}

/* fail2ban's postfix log: each reject names the client fail2ban bans. */
static void
postfix_fail2ban_clients(void **state)
{
	size_t len, elen, rejects = 0, relay = 0;
	char *text = slurp("fail2ban-postfix.log", &len);
	char *exp = slurp("fail2ban-postfix.expected.tsv", &elen);
	char *lines[128], *rows[128], *save = text, *l;
	int nl = 0, nr = 0;

	(void)state;
	while (nl < 128 && (l = next_line(&save)) != NULL)
		lines[nl++] = l;
	save = exp;
	while (nr < 128 && (l = next_line(&save)) != NULL)
		rows[nr++] = l;
	for (int i = 1; i < nr; i++) {
		char *col[8];
		struct mail_line ml;
		struct mail_event ev;
		uint64_t no;
		int idx;

		if (tsv(rows[i], col, 8) < 5 || str_u64(col[0], &no) == -1)
			continue;
		idx = (int)no - 1;
		if (idx < 0 || idx >= nl || strcmp(col[3], "yes") != 0)
			continue;
		assert_int_equal(
		    mail_line_split(lines[idx], strlen(lines[idx]), 2026, &ml),
		    0);
		mail_parse(ml.tag.p, ml.tag.n, ml.msg.p, ml.msg.n, &ev);
		if (ev.kind != MAIL_EV_REJECT && ev.kind != MAIL_EV_AUTH_FAIL)
			continue;
		rejects++;
		if (!span_is(ev.client_addr, col[4]))
			fail_msg("line %d: client '%.*s', want '%s'", idx + 1,
			    (int)ev.client_addr.n, ev.client_addr.p, col[4]);
		if (ev.rej == MAIL_REJ_RELAY)
			relay++;
	}
	assert_true(rejects >= 35);
	assert_int_equal(relay, 1);
	free(text);
	free(exp);
}

/* "warning: SASL ...": the ": SASL " is inside "warning: " itself, so there
 * is no client between them (fuzz_mail_postfix: a read before its span). */
static void
postfix_sasl_warning_without_client(void **state)
{
	const char *m = "warning: SASL +usr/locauthentication failed";
	const char *ok = "warning: unknown[192.0.2.7]: SASL LOGIN "
	                 "authentication failed: UGFzc3dvcmQ6";
	struct mail_event ev;

	(void)state;
	mail_parse_postfix("smtpd", 5, m, strlen(m), &ev);
	assert_int_not_equal(ev.kind, MAIL_EV_AUTH_FAIL);
	mail_parse_postfix("smtpd", 5, ok, strlen(ok), &ev);
	assert_int_equal(ev.kind, MAIL_EV_AUTH_FAIL);
	assert_true(span_is(ev.client_addr, "192.0.2.7"));
}

/* sendmail rejections quoted by OSSEC: client, queue id, Relaying denied. */
static void
sendmail_rejects(void **state)
{
	size_t len, n = 0, relay = 0;
	char *text = slurp("wazuh-sendmail.log", &len), *save = text, *l;

	(void)state;
	while ((l = next_line(&save)) != NULL) {
		struct mail_line ml;
		struct mail_event ev;
		const char *lb = strrchr(strstr(l, "relay="), '['), *rb;
		char want[64];

		assert_int_equal(mail_line_split(l, strlen(l), 2026, &ml), 0);
		assert_int_equal(
		    mail_parse(ml.tag.p, ml.tag.n, ml.msg.p, ml.msg.n, &ev),
		    MAIL_EV_REJECT);
		assert_int_equal(ev.mta, MAIL_MTA_SENDMAIL);
		lb = strchr(strstr(l, "relay="), '[');
		rb = strchr(lb, ']');
		snprintf(
		    want, sizeof(want), "%.*s", (int)(rb - lb - 1), lb + 1);
		assert_true(span_is(ev.client_addr, want));
		if (strstr(l, "Relaying denied")) {
			relay++;
			assert_int_equal(ev.rej, MAIL_REJ_RELAY);
			assert_true(span_is(ev.qid, "k4PJeY7S014582"));
			assert_true(span_is(ev.client_addr, "200.207.91.189"));
			assert_true(
			    ev.to.n > 0 && memchr(ev.to.p, '@', ev.to.n));
		}
		n++;
	}
	assert_int_equal(n, 14);
	assert_int_equal(relay, 3);
	free(text);
}

static void
feed(struct mail_stats *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		mail_stats_line(s, p, (size_t)(nl - p), 2026);
		p = nl + 1;
	}
	mail_stats_finish(s);
}

static const struct mail_who *
who(struct mail_stats *s, enum mail_pkind k, const char *name)
{
	struct hmap_entry *e = hmap_get(&s->who[k].m, name, strlen(name));

	return e ? e->val.p : NULL;
}

static void
sendmail_session(void **state)
{
	struct mail_stats s;
	size_t len;
	char *text = slurp("sendmail-session.log", &len);
	const struct mail_who *w;
	struct mail_line ml;
	struct mail_event ev;
	const char *dl = strstr(text, "5AQA01aa002001: to=");

	(void)state;
	/* the delivery line's fields */
	assert_int_equal(
	    mail_parse("sm-mta", 6, dl, (size_t)(strchr(dl, '\n') - dl), &ev),
	    MAIL_EV_DELIVERY);
	assert_true(span_is(ev.qid, "5AQA01aa002001"));
	assert_true(span_is(ev.to, "<bob@example.net>,<carol@example.net>"));
	assert_true(span_is(ev.relay, "mx.example.net. [198.51.100.25]"));
	assert_int_equal(ev.status, MAIL_ST_SENT);
	assert_true(ev.delay == 1);
	(void)ml;

	mail_stats_init(&s, 0);
	feed(&s, text, len);
	assert_int_equal(s.received, 3);
	assert_int_equal(s.delivered, 3); /* bob, carol, the DSN to eve */
	assert_int_equal(s.deferred, 1);
	assert_int_equal(s.bounced, 1);
	assert_int_equal(s.rejected, 3);
	assert_int_equal(s.rej[MAIL_REJ_RELAY], 1);
	assert_int_equal(s.rej[MAIL_REJ_UNKNOWN_USER], 2);
	assert_int_equal(s.notifications, 1);
	assert_int_equal(s.null_unexplained, 0);
	w = who(&s, MAIL_P_CLIENT, "203.0.113.77");
	assert_non_null(w);
	assert_int_equal(w->rej[MAIL_REJ_RELAY], 1);
	w = who(&s, MAIL_P_CLIENT, "198.51.100.99");
	assert_non_null(w);
	assert_int_equal(w->rej[MAIL_REJ_UNKNOWN_USER], 2);
	w = who(&s, MAIL_P_USER, "joe");
	assert_non_null(w);
	assert_int_equal(w->msgs, 1);
	mail_stats_release(&s);
	free(text);
}

static void
exim_session(void **state)
{
	struct mail_stats s;
	size_t len;
	char *text = slurp("exim-mainlog.log", &len);
	const struct mail_who *w;

	(void)state;
	mail_stats_init(&s, 0);
	feed(&s, text, len);
	assert_int_equal(s.received, 3);
	assert_int_equal(s.delivered, 3);
	assert_int_equal(s.bounced, 1);
	assert_int_equal(s.deferred, 1);
	assert_int_equal(s.rejected, 2);
	assert_int_equal(s.rej[MAIL_REJ_RELAY], 1);
	assert_int_equal(s.rej[MAIL_REJ_UNKNOWN_USER], 1);
	assert_int_equal(s.notifications, 1);
	assert_int_equal(s.null_from, 1);
	assert_int_equal(s.null_unexplained, 0);
	assert_int_equal(s.garbage, 0);
	w = who(&s, MAIL_P_SASL, "alice");
	assert_non_null(w);
	assert_int_equal(w->msgs, 1);
	assert_int_equal(w->rcpts, 3);
	w = who(&s, MAIL_P_CLIENT, "202.132.70.178");
	assert_non_null(w);
	assert_int_equal(w->rej[MAIL_REJ_RELAY], 1);
	assert_non_null(who(&s, MAIL_P_USER, "joe"));
	assert_int_equal(s.open_deferred, 1);
	mail_stats_release(&s);
	free(text);

	/* fail2ban's exim lines: clients of rejections and auth failures */
	text = slurp("fail2ban-exim.log", &len);
	mail_stats_init(&s, 0);
	feed(&s, text, len);
	assert_true(s.auth_fail >= 10);
	assert_non_null(who(&s, MAIL_P_CLIENT, "202.132.70.178"));
	assert_int_equal(
	    who(&s, MAIL_P_CLIENT, "202.132.70.178")->rej[MAIL_REJ_RELAY], 1);
	assert_int_equal(s.garbage, 0);
	mail_stats_release(&s);
	free(text);
}

static void
qmail_session(void **state)
{
	struct mail_stats s;
	size_t len;
	char *text = slurp("qmail-multilog.log", &len);
	time_t t;

	(void)state;
	assert_int_equal(mail_tai64n("@400000006925a0c000000000", 25, &t), 0);
	assert_int_equal(t, 0x6925a0c0 - 10);
	/* Labels before 1970, after 9999 or reserved (2^63 on) are no time
	 * (a wrapped time_t made the report's day count overflow). */
	assert_int_equal(mail_tai64n("@c00000006925a0c000000000", 25, &t), -1);
	assert_int_equal(mail_tai64n("@4000003b0000000000000000", 25, &t), -1);
	assert_int_equal(mail_tai64n("@400000000000000900000000", 25, &t), -1);
	mail_stats_init(&s, 0);
	feed(&s, text, len);
	assert_int_equal(s.received, 3);
	assert_int_equal(s.delivered, 2);
	assert_int_equal(s.bounced, 1);
	assert_int_equal(s.notifications, 1);
	assert_int_equal(s.null_from, 1);
	assert_int_equal(s.null_unexplained, 0);
	assert_int_equal(s.open_at_end, 0);
	assert_non_null(who(&s, MAIL_P_USER, "uid 1000"));
	mail_stats_release(&s);
	free(text);
}

/* Names uid 1001 only (what ROOT/etc/passwd would give). */
static const char *
name_1001(void *arg, uint64_t uid)
{
	(void)arg;
	return uid == 1001 ? "hanako" : NULL;
}

static void
postfix_local_user_named(void **state)
{
	struct mail_stats s;
	size_t len;
	char *text = slurp("postfix-pickup.log", &len);

	(void)state;
	mail_stats_init(&s, 0);
	mail_stats_uid_names(&s, name_1001, NULL);
	feed(&s, text, len);
	assert_int_equal(s.received, 2);
	/* pickup's uid=1001 is the user's name; an unnamed uid a number */
	assert_non_null(who(&s, MAIL_P_USER, "hanako"));
	assert_null(who(&s, MAIL_P_USER, "uid 1001"));
	assert_non_null(who(&s, MAIL_P_USER, "uid 1002"));
	mail_stats_release(&s);
	free(text);
}

static void
line_formats(void **state)
{
	struct mail_line l;
	const char *a =
	    "<22>1 2026-11-26T10:00:00.123+01:00 mx postfix/smtpd 123 - - "
	    "connect from a[192.0.2.1]";
	const char *b = "2016-03-20T13:30:53.574978+01:00 tron postfix/smtpd"
	                "[32655]: too many errors";
	const char *c = "<13>Nov  6 09:01:02 mx sm-mta[99]: hello";
	const char *d = "2013-06-10 18:33:32 [10099] H=x [1.2.3.4] rejected";

	(void)state;
	assert_int_equal(mail_line_split(a, strlen(a), 2026, &l), 0);
	assert_true(span_is(l.tag, "postfix/smtpd"));
	assert_int_equal(l.pid, 123);
	assert_true(span_is(l.msg, "connect from a[192.0.2.1]"));
	assert_int_equal(mail_line_split(b, strlen(b), 2026, &l), 0);
	assert_true(span_is(l.host, "tron"));
	assert_int_equal(l.pid, 32655);
	assert_int_equal(mail_line_split(c, strlen(c), 2026, &l), 0);
	assert_true(span_is(l.tag, "sm-mta"));
	assert_true(span_is(l.msg, "hello"));
	assert_int_equal(l.time % 86400, 9 * 3600 + 62);
	assert_int_equal(mail_line_split(d, strlen(d), 2026, &l), 0);
	assert_true(span_is(l.tag, "exim"));
	assert_int_equal(l.pid, 10099);
	assert_true(span_is(l.msg, "H=x [1.2.3.4] rejected"));
	assert_int_equal(mail_line_split("\x01\x02 junk", 7, 2026, &l), -1);
	assert_int_equal(mail_line_split("", 0, 2026, &l), -1);
}

#define PF "Nov 26 %02d:%02d:%02d mx postfix/"

/* Garbage, split lines, a reused queue id, a log that starts and ends
 * in the middle of messages. */
static void
bad_input(void **state)
{
	static const char log[] =
	    /* starts mid-message: only the delivery and removal */
	    "Nov 26 00:00:01 mx postfix/smtp[1]: AAAAA11111: "
	    "to=<x@remote.example>, relay=mx.remote.example[192.0.2.9]:25, "
	    "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n"
	    "Nov 26 00:00:01 mx postfix/qmgr[2]: AAAAA11111: removed\n"
	    /* garbage */
	    "\x01\x02\x03 not a log line\n"
	    "garbage without a colon\n"
	    "Nov 26 00:00:02\n"
	    /* a line split by syslog: the tail has no stamp */
	    "Nov 26 00:00:03 mx postfix/smtpd[3]: NOQUEUE: reject: RCPT from "
	    "u[192.0.2.50]: 554 5.7.1 <a@b.example>: Relay access denied; "
	    "from=<s@c.example> to=<a@b.ex\n"
	    "ample> proto=ESMTP helo=<x>\n"
	    /* a queue id used twice, the first never removed */
	    "Nov 26 00:00:04 mx postfix/smtpd[3]: BBBBB22222: "
	    "client=one[192.0.2.1]\n"
	    "Nov 26 00:00:04 mx postfix/qmgr[2]: BBBBB22222: "
	    "from=<a@x.example>, "
	    "size=100, nrcpt=1 (queue active)\n"
	    "Nov 26 00:00:05 mx postfix/smtpd[3]: BBBBB22222: "
	    "client=two[192.0.2.2]\n"
	    "Nov 26 00:00:05 mx postfix/qmgr[2]: BBBBB22222: "
	    "from=<b@x.example>, "
	    "size=200, nrcpt=1 (queue active)\n"
	    "Nov 26 00:00:06 mx postfix/qmgr[2]: BBBBB22222: removed\n"
	    /* ends before delivery */
	    "Nov 26 00:00:07 mx postfix/smtpd[3]: CCCCC33333: "
	    "client=three[192.0.2.3]\n"
	    "Nov 26 00:00:07 mx postfix/qmgr[2]: CCCCC33333: "
	    "from=<c@x.example>, "
	    "size=300, nrcpt=1 (queue active)\n";
	struct mail_stats s;

	(void)state;
	mail_stats_init(&s, 0);
	feed(&s, log, sizeof(log) - 1);
	assert_int_equal(s.delivered, 1);
	assert_int_equal(s.join.partial, 1);
	assert_int_equal(s.garbage, 4); /* three junk lines and the tail */
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.rej[MAIL_REJ_RELAY], 1);
	assert_non_null(who(&s, MAIL_P_CLIENT, "192.0.2.50"));
	assert_int_equal(s.join.reused, 1);
	assert_int_equal(s.received, 3); /* one, two, three */
	assert_int_equal(s.open_at_end, 1);
	assert_int_equal(s.bytes_received, 600);
	mail_stats_release(&s);
}

/*
 * Postfix's bounce daemon logs "QID: sender non-delivery notification:
 * NEWQID" after it handed the notification to cleanup: under load the
 * notification can be queued, delivered and removed before that line.  The
 * late line names a message already gone; it is still our own notification,
 * and nothing stays queued.  In order and late, the counts are the same.
 */
static void
postfix_late_bounce_line(void **state)
{
	static const char head[] =
	    PF "smtpd[3]: AAAAA11111: client=ws[127.0.0.1]\n" PF
	       "qmgr[2]: AAAAA11111: from=<alice@test.example>, size=300, "
	       "nrcpt=1 (queue active)\n" PF
	       "pipe[4]: AAAAA11111: to=<someone@far.example>, "
	       "relay=bouncer, delay=0.1, delays=0/0/0/0.1, dsn=5.3.0, "
	       "status=bounced (Command died with status 1)\n";
	static const char note[] =
	    PF "bounce[5]: AAAAA11111: sender non-delivery notification: "
	       "BBBBB22222\n";
	static const char notice[] =
	    PF "cleanup[6]: BBBBB22222: message-id=<n@test.example>\n" PF
	       "qmgr[2]: BBBBB22222: from=<>, size=2000, nrcpt=1 "
	       "(queue active)\n" PF
	       "virtual[7]: BBBBB22222: to=<alice@test.example>, "
	       "relay=virtual, delay=0, delays=0/0/0/0, dsn=2.0.0, "
	       "status=sent (delivered to mailbox)\n" PF
	       "qmgr[2]: BBBBB22222: removed\n";
	static const char removed[] = PF "qmgr[2]: AAAAA11111: removed\n";
	struct strbuf sb = STRBUF_INIT(0);
	struct mail_stats s;

	(void)state;
	for (int late = 0; late < 2; late++) {
		strbuf_reset(&sb);
		strbuf_printf(&sb, head, 0, 0, 1, 0, 0, 1, 0, 0, 2);
		if (!late)
			strbuf_printf(&sb, note, 0, 0, 2);
		strbuf_printf(&sb, notice, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2);
		if (late)
			strbuf_printf(&sb, note, 0, 0, 2);
		strbuf_printf(&sb, removed, 0, 0, 2);
		mail_stats_init(&s, 0);
		feed(&s, strbuf_str(&sb), sb.len);
		print_message("late %d\n", late);
		assert_int_equal(s.received, 1);
		assert_int_equal(s.bounced, 1);
		assert_int_equal(s.delivered, 1);
		assert_int_equal(s.notifications, 1);
		assert_int_equal(s.null_from, 1);
		assert_int_equal(s.null_unexplained, 0);
		assert_int_equal(s.open_at_end, 0);
		assert_int_equal(s.join.partial, 0);
		mail_stats_release(&s);
	}
	/* The same order from a real Postfix under load. */
	{
		size_t len;
		char *text = slurp("postfix-late-bounce.log", &len);

		mail_stats_init(&s, 0);
		feed(&s, text, len);
		assert_int_equal(s.received, 4);
		assert_int_equal(s.delivered, 5);
		assert_int_equal(s.bounced, 1);
		assert_int_equal(s.rejected, 13);
		assert_int_equal(s.notifications, 1);
		assert_int_equal(s.null_unexplained, 0);
		assert_int_equal(s.open_at_end, 0);
		mail_stats_release(&s);
		free(text);
	}
	/* Held, then its queue id starts a new message: two messages, both
	 * done; without the bounce line the notification is nobody's. */
	strbuf_reset(&sb);
	strbuf_printf(&sb, notice, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2);
	strbuf_printf(&sb,
	    PF "smtpd[3]: BBBBB22222: client=ws[127.0.0.1]\n" PF
	       "qmgr[2]: BBBBB22222: from=<carol@test.example>, size=300, "
	       "nrcpt=1 (queue active)\n" PF "qmgr[2]: BBBBB22222: removed\n",
	    0, 0, 3, 0, 0, 3, 0, 0, 4);
	mail_stats_init(&s, 0);
	feed(&s, strbuf_str(&sb), sb.len);
	assert_int_equal(s.received, 1);
	assert_int_equal(s.notifications, 0);
	assert_int_equal(s.null_from, 1);
	assert_int_equal(s.open_at_end, 0);
	assert_int_equal(s.join.reused, 0);
	mail_stats_release(&s);
	/* Held, and the log ends: done, not still queued. */
	strbuf_reset(&sb);
	strbuf_printf(&sb, notice, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2);
	mail_stats_init(&s, 0);
	feed(&s, strbuf_str(&sb), sb.len);
	assert_int_equal(s.open_at_end, 0);
	assert_int_equal(s.delivered, 1);
	mail_stats_release(&s);
	/* A bounce line later than the hold names a message of its own: it
	 * and the one bounced (both begun before the log) stay open. */
	strbuf_reset(&sb);
	strbuf_printf(&sb, notice, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2);
	strbuf_printf(&sb, note, 0, 0, 2 + MAIL_HELD_SECS + 1);
	mail_stats_init(&s, 0);
	feed(&s, strbuf_str(&sb), sb.len);
	assert_int_equal(s.null_from, 1);
	assert_int_equal(s.notifications, 1);
	assert_int_equal(s.open_at_end, 2);
	mail_stats_release(&s);
	strbuf_release(&sb);
}

/* A generated day: n users with a few usual domains; optionally a
 * compromised SASL login mailing hundreds of outside domains. */
static void
gen_day(struct strbuf *sb, int abuse)
{
	unsigned q = 0x10000;

	for (int u = 0; u < 30; u++)
		for (int m = 0; m < 20; m++) {
			int h = 8 + (m % 10), mi = (u + m) % 60;

			q++;
			strbuf_printf(sb,
			    PF "smtpd[10]: %X: client=ws%d.example.com"
			       "[10.0.0.%d], sasl_method=PLAIN, "
			       "sasl_username=user%d\n",
			    h, mi, 1, q, u, u + 1, u);
			strbuf_printf(sb,
			    PF "qmgr[11]: %X: from=<user%d@example.com>, "
			       "size=2000, nrcpt=1 (queue active)\n",
			    h, mi, 2, q, u);
			strbuf_printf(sb,
			    PF
			    "smtp[12]: %X: to=<contact%d@partner%d.example>, "
			    "relay=mx.partner%d.example[192.0.2.%d]:25, "
			    "delay=0.5, delays=0/0/0/0.5, dsn=2.0.0, "
			    "status=sent (250 ok)\n",
			    h, mi, 3, q, m, (u + m) % 12, (u + m) % 12,
			    (u + m) % 12 + 1);
			strbuf_printf(
			    sb, PF "qmgr[11]: %X: removed\n", h, mi, 4, q);
		}
	if (!abuse)
		return;
	for (int i = 0; i < 400; i++) {
		int h = 2 + i / 100, mi = (i / 2) % 60;

		q++;
		strbuf_printf(sb,
		    PF "smtpd[20]: %X: client=unknown[203.0.113.66], "
		       "sasl_method=LOGIN, sasl_username=mallory\n",
		    h, mi, 1, q);
		strbuf_printf(sb,
		    PF "qmgr[11]: %X: from=<mallory@example.com>, size=900, "
		       "nrcpt=1 (queue active)\n",
		    h, mi, 2, q);
		strbuf_printf(sb,
		    PF "smtp[12]: %X: to=<buyer%d@shop%d.example>, "
		       "relay=mx.shop%d.example[198.51.100.%d]:25, delay=1, "
		       "delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n",
		    h, mi, 3, q, i, i, i, i % 250 + 1);
		strbuf_printf(sb, PF "qmgr[11]: %X: removed\n", h, mi, 4, q);
	}
}

/* Findings of one check and subject in r. */
static size_t
count_findings(const struct report *r, const char *check, const char *subj)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nf; i++)
		n += strcmp(r->f[i].check, check) == 0 &&
		    strcmp(r->f[i].subject, subj) == 0;
	return n;
}

/* The log engine as `mail report` runs it: syslog parsed, the rest of the
 * lines raw to the mail analyzer. */
static void
engine(struct logs_run *run, struct logs_feed *feed, int year)
{
	struct logs_opts lo;
	const char *errmsg;

	logs_opts_default(&lo);
	assert_int_equal(logs_run_init(run, "mail", &lo, &errmsg), 0);
	logs_feed_init(feed, LOGS_FMT_SYSLOG, NULL, run, NULL);
	feed->parser.default_year = year;
	feed->parser.syslog_only = 1;
}

static void
engine_release(struct logs_run *run, struct logs_feed *feed)
{
	logs_feed_release(feed);
	logs_run_release(run);
}

/*
 * The live judge tells a finding once, again only at a higher severity,
 * and starts over (counts and what was told) when its window ends.
 */
static void
live_tells_each_finding_once(void **state)
{
	struct mail_live lv;
	struct mail_policy p;
	struct report r;
	struct finding *f = NULL;
	size_t len, told = 0;
	char *text = slurp("sendmail-session.log", &len);
	const char *line = text, *end = text + len, *nl;

	struct logs_run run;
	struct logs_feed feed;

	(void)state;
	mail_policy_default(&p);
	mail_live_init(&lv, &p, 60, 100.0, NULL, NULL);
	engine(&run, &feed, 2025);
	mail_analyzer_count_into(&run, &lv.s);
	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		logs_feed_line(&feed, line, (size_t)(nl - line), 0);
	}
	assert_true(lv.s.lines > 0);
	report_init(&r);
	mail_live_judge(&lv, &r);
	assert_int_equal(
	    count_findings(&r, "mail-relay-probe", "client:203.0.113.77"), 1);
	for (size_t i = 0; i < r.nf; i++) {
		told += mail_live_is_new(&lv, &r.f[i]);
		if (strcmp(r.f[i].check, "mail-relay-probe") == 0)
			f = &r.f[i];
	}
	assert_int_equal(told, r.nf);
	assert_non_null(f);
	assert_int_equal(mail_live_is_new(&lv, f), 0);
	f->sev = SEV_CRITICAL; /* worse than told */
	assert_int_equal(mail_live_is_new(&lv, f), 1);
	assert_int_equal(mail_live_is_new(&lv, f), 0);
	mail_live_window(&lv, 159.0); /* inside the window: kept */
	assert_true(lv.s.lines > 0);
	assert_int_equal(mail_live_is_new(&lv, f), 0);
	mail_live_window(&lv, 160.0);
	assert_int_equal(lv.s.lines, 0);
	assert_int_equal(mail_live_is_new(&lv, f), 1);
	report_release(&r);
	engine_release(&run, &feed);
	mail_live_release(&lv);
	free(text);
}

/* A whole file through the log engine: cut lines counted, errors typed. */
static void
stats_file_reads_and_fails(void **state)
{
	char path[4096];
	struct logs_run run;
	struct logs_feed feed;
	struct mail_stats *s;
	struct err err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/mail/sendmail-session.log", FIXTURES);
	engine(&run, &feed, 2025);
	assert_int_equal(logs_scan_file(path, MAIL_LINE_MAX, &feed, &err), 0);
	assert_int_equal(feed.counts.cut, 0);
	assert_int_equal(
	    logs_scan_file("/nonexistent/mail.log", MAIL_LINE_MAX, &feed, &err),
	    -1);
	assert_int_equal(err.code, ENOENT);
	s = mail_analyzer_stats(&run);
	mail_stats_finish(s);
	assert_int_equal(s->received, 3);
	engine_release(&run, &feed);
}

/* The same log, line by line (mail_stats_line) and through the engine. */
static void
engine_counts(struct mail_stats *out, const char *name, int by_engine)
{
	size_t len;
	char *text = slurp(name, &len);
	const char *line = text, *end = text + len, *nl;
	struct logs_run run;
	struct logs_feed feed;
	struct mail_stats s, *sp = &s;

	if (by_engine) {
		engine(&run, &feed, 2026);
		sp = mail_analyzer_stats(&run);
	} else
		mail_stats_init(&s, 0);
	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		if (by_engine)
			logs_feed_line(&feed, line, (size_t)(nl - line), 0);
		else
			mail_stats_line(&s, line, (size_t)(nl - line), 2026);
	}
	mail_stats_finish(sp);
	*out = *sp;
	/* the counters only: the tables go with the stats */
	memset(&out->who, 0, sizeof(out->who));
	if (by_engine) {
		assert_int_equal(
		    sp->lines, feed.counts.lines - feed.counts.empty);
		engine_release(&run, &feed);
	} else
		mail_stats_release(&s);
	free(text);
}

/*
 * The mail analyzer, records in: every fixture (syslog of postfix and
 * sendmail; exim's mainlog and qmail's multilog, which reach it as raw
 * lines) counts through the log engine as line by line.
 */
static void
analyzer_counts_as_lines(void **state)
{
	static const char *const files[] = {"postfix-pickup.log",
	    "sendmail-session.log", "exim-mainlog.log", "qmail-multilog.log",
	    "fail2ban-postfix.log", "fail2ban-exim.log", "wazuh-sendmail.log"};

	(void)state;
	for (size_t i = 0; i < countof(files); i++) {
		struct mail_stats a, b;

		engine_counts(&a, files[i], 0);
		engine_counts(&b, files[i], 1);
		print_message("%s: %llu mail lines\n", files[i],
		    (unsigned long long)b.mail_lines);
		assert_true(b.mail_lines > 0);
		assert_int_equal(a.mail_lines, b.mail_lines);
		assert_int_equal(a.garbage, b.garbage);
		assert_int_equal(a.received, b.received);
		assert_int_equal(a.delivered, b.delivered);
		assert_int_equal(a.rejected, b.rejected);
		assert_int_equal(a.auth_fail, b.auth_fail);
		assert_int_equal(a.connects, b.connects);
		assert_int_equal(a.first, b.first);
		assert_int_equal(a.last, b.last);
	}
}

/* An error-log line relayed through syslog becomes an error record for
 * the log analyzers, and stays a syslog record for mail's reading. */
static void
syslog_only_keeps_relayed_lines(void **state)
{
	const char *l = "Nov 26 10:00:00 web httpd[1]: [Tue Nov 26 10:00:00 "
	                "2024] [error] [client 192.0.2.1] File does not "
	                "exist: /srv/x";
	struct logs_parser lp;
	struct logs_rec rec;

	(void)state;
	for (int only = 0; only < 2; only++) {
		logs_parser_init(&lp, LOGS_FMT_SYSLOG);
		lp.syslog_only = only;
		assert_int_equal(
		    logs_parse_line(&lp, l, strlen(l), &rec), LOGS_OK);
		assert_int_equal(
		    rec.kind, only ? LOGS_KIND_SYSLOG : LOGS_KIND_ERROR);
		logs_parser_release(&lp);
	}
}

/*
 * Findings out: at the end of a scan the analyzer judges with the
 * policy (built-in without a configuration) and prints the summary;
 * it runs only when named.
 */
static void
analyzer_finish_judges_and_prints(void **state)
{
	char path[4096], *buf = NULL;
	size_t blen = 0;
	struct logs_run run;
	struct logs_feed feed;
	struct logs_opts lo;
	struct report r;
	struct err err = {0};
	struct out out;
	const char *errmsg;
	FILE *fp = open_memstream(&buf, &blen);
	int relay = 0;

	(void)state;
	assert_non_null(fp);
	logs_opts_default(&lo);
	assert_int_equal(logs_run_init(&run, NULL, &lo, &errmsg), 0);
	assert_null(mail_analyzer_stats(&run)); /* not in the default set */
	logs_run_release(&run);

	snprintf(path, sizeof(path), "%s/mail/sendmail-session.log", FIXTURES);
	engine(&run, &feed, 2025);
	report_init(&r);
	feed.report = &r;
	assert_int_equal(logs_scan_file(path, MAIL_LINE_MAX, &feed, &err), 0);
	assert_int_equal(r.nf, 0); /* judged at the end */
	out_init(&out, OUT_JSON, fp);
	logs_run_finish(&run, &r, &out);
	fclose(fp);
	for (size_t i = 0; i < r.nf; i++)
		relay += strcmp(r.f[i].check, "mail-relay-probe") == 0 &&
		    strcmp(r.f[i].subject, "client:203.0.113.77") == 0;
	assert_int_equal(relay, 1);
	assert_non_null(strstr(buf, "{\"type\":\"mail.summary\""));
	assert_non_null(strstr(buf, "\"received\":3,"));
	free(buf);
	report_release(&r);
	engine_release(&run, &feed);
}

static void
judge_day(int abuse, struct report *r)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct mail_stats s;
	struct mail_policy p;

	gen_day(&sb, abuse);
	mail_stats_init(&s, 0);
	feed(&s, strbuf_str(&sb), sb.len);
	mail_policy_default(&p);
	report_init(r);
	mail_stats_judge(&s, &p, r);
	assert_int_equal(s.received, 600 + (abuse ? 400 : 0));
	mail_stats_release(&s);
	strbuf_release(&sb);
}

static void
normal_day_is_quiet(void **state)
{
	struct report r;

	(void)state;
	judge_day(0, &r);
	for (size_t i = 0; i < r.nf; i++)
		print_message(
		    "unexpected: %s %s\n", r.f[i].check, r.f[i].message);
	assert_int_equal(r.nf, 0);
	report_release(&r);
}

static void
compromised_login_is_named(void **state)
{
	struct report r;
	int found = 0;

	(void)state;
	judge_day(1, &r);
	for (size_t i = 0; i < r.nf; i++) {
		const struct finding *f = &r.f[i];

		if (strcmp(f->check, "mail-outside-domains") == 0 &&
		    strcmp(f->subject, "sasl:mallory") == 0) {
			found = 1;
			assert_int_equal(f->sev, SEV_CRITICAL);
			assert_string_equal(
			    finding_ev_get(f, "login"), "mallory");
			assert_string_equal(
			    finding_ev_get(f, "domains"), "400");
		}
		/* no ordinary user is named */
		assert_null(strstr(f->subject, "user"));
	}
	assert_true(found);
	report_release(&r);
}

static void
counts_mta_processes(void **state)
{
	static const struct {
		const char *comm, *exe;
	} ps[] = {
	    {"master", "/usr/lib/postfix/sbin/master"},
	    {"smtpd", "/usr/lib/postfix/sbin/smtpd"},
	    {"smtpd", "/usr/lib/postfix/sbin/smtpd"},
	    {"qmgr", ""},
	    {"master", ""},            /* some other program's master */
	    {"smtp", "/usr/bin/smtp"}, /* not postfix's */
	    {"sendmail", ""},
	    {"sm-mta", ""},
	    {"exim4", ""},
	    {"qmail-send", ""},
	    {"qmail-smtpd", ""},
	    {"bash", "/bin/bash"},
	};
	struct proc p[countof(ps)];
	struct proc_table t;
	struct mail_procs mp;

	(void)state;
	memset(p, 0, sizeof(p));
	for (size_t i = 0; i < countof(ps); i++) {
		snprintf(p[i].comm, sizeof(p[i].comm), "%s", ps[i].comm);
		snprintf(p[i].exe, sizeof(p[i].exe), "%s", ps[i].exe);
	}
	memset(&t, 0, sizeof(t));
	t.p = p;
	t.n = countof(ps);
	mail_procs_count(&t, &mp);
	assert_int_equal(mp.postfix, 4);
	assert_int_equal(mp.sendmail, 2);
	assert_int_equal(mp.exim, 1);
	assert_int_equal(mp.qmail, 2);
	assert_int_equal(mp.total, 9);
	assert_int_equal(mp.smtpd, 2 + 2 + 1 + 1);
}

/* A syslog record without a pid (the tag alone) gives pid 0. */
static void
syslog_record_without_pid(void **state)
{
	struct logs_syslog r;
	struct mail_line ml;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.app.p = "postfix/smtpd";
	r.app.n = strlen(r.app.p);
	r.message.p = "connect from unknown[192.0.2.1]";
	r.message.n = strlen(r.message.p);
	assert_int_equal(mail_line_from_syslog(&r, &ml), 0);
	assert_int_equal(ml.pid, 0);
	assert_int_equal(ml.tag.n, strlen("postfix/smtpd"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(live_tells_each_finding_once),
	    cmocka_unit_test(stats_file_reads_and_fails),
	    cmocka_unit_test(analyzer_counts_as_lines),
	    cmocka_unit_test(syslog_only_keeps_relayed_lines),
	    cmocka_unit_test(analyzer_finish_judges_and_prints),
	    cmocka_unit_test(postfix_corpus_fields),
	    cmocka_unit_test(postfix_deliveries),
	    cmocka_unit_test(postfix_fail2ban_clients),
	    cmocka_unit_test(postfix_sasl_warning_without_client),
	    cmocka_unit_test(postfix_late_bounce_line),
	    cmocka_unit_test(sendmail_rejects),
	    cmocka_unit_test(sendmail_session),
	    cmocka_unit_test(exim_session),
	    cmocka_unit_test(qmail_session),
	    cmocka_unit_test(postfix_local_user_named),
	    cmocka_unit_test(line_formats),
	    cmocka_unit_test(bad_input),
	    cmocka_unit_test(normal_day_is_quiet),
	    cmocka_unit_test(compromised_login_is_named),
	    cmocka_unit_test(counts_mta_processes),
	    cmocka_unit_test(syslog_record_without_pid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
