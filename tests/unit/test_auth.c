/*
 * test_auth.c - the authentication parser and analyzer: every wording on
 * its own line, fail2ban's and OSSEC's labelled test logs
 * (tests/fixtures/auth), the findings and the malformed-line count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/err.h"
#include "base/finding.h"
#include "base/output.h"
#include "logs/analyzer.h"
#include "logs/auth.h"
#include "logs/scan.h"
#include "conf_of.h"

#define MAXLINE 4096

/* What a scan reported: the records per line, the findings, the summary. */
struct scan {
	char *type[MAXLINE];
	char *addr[MAXLINE];
	unsigned nrec[MAXLINE];
	struct report rep;
	json_t *summary;
};

static void
scan_free(struct scan *s)
{
	for (size_t i = 0; i < MAXLINE; i++) {
		free(s->type[i]);
		free(s->addr[i]);
	}
	report_release(&s->rep);
	json_decref(s->summary);
	free(s);
}

/* Scans text (written to a file) or path with the auth analyzer alone. */
static struct scan *
scan_run(const char *path, const char *text, const struct conf *c)
{
	struct scan *s = calloc(1, sizeof(*s));
	char tmp[] = "/tmp/test_auth.XXXXXX", *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct logs_opts o;
	struct logs_run run;
	struct logs_feed feed;
	struct out out;
	struct err err = {0};
	const char *errmsg = NULL;

	assert_non_null(s);
	assert_non_null(fp);
	if (text != NULL) {
		int fd = mkstemp(tmp);
		FILE *w = fdopen(fd, "w");

		assert_non_null(w);
		fputs(text, w);
		fclose(w);
		path = tmp;
	}
	out_init(&out, OUT_JSON, fp);
	logs_opts_default(&o);
	o.conf = c;
	o.out = &out;
	report_init(&s->rep);
	assert_int_equal(logs_run_init(&run, "auth", &o, &errmsg), 0);
	logs_feed_init(&feed, LOGS_FMT_AUTO, NULL, &run, &s->rep);
	assert_int_equal(
	    logs_scan_file(path, LOGS_MAX_LINE_DEFAULT, &feed, &err), 0);
	logs_run_finish(&run, &s->rep, &out);
	logs_run_release(&run);
	logs_feed_release(&feed);
	fclose(fp);
	if (text != NULL)
		unlink(tmp);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(line, 0, NULL);
		const char *type;
		json_int_t ln;

		assert_non_null(j);
		type = json_string_value(json_object_get(j, "type"));
		assert_non_null(type);
		if (strcmp(type, "auth.summary") == 0) {
			s->summary = j;
			continue;
		}
		/* a record: auth.event, its pattern in event */
		assert_string_equal(type, "auth.event");
		assert_non_null(json_string_value(json_object_get(j, "event")));
		ln = json_integer_value(json_object_get(j, "line"));
		assert_true(ln > 0 && ln < MAXLINE);
		/* keep the first record of a line, count them all */
		if (s->nrec[ln]++ == 0) {
			char full[128];

			snprintf(full, sizeof(full), "auth.%s",
			    json_string_value(json_object_get(j, "event")));
			s->type[ln] = strdup(full);
			s->addr[ln] = strdup(
			    json_string_value(json_object_get(j, "address")));
		}
		json_decref(j);
	}
	free(buf);
	return s;
}

/* ---- one line at a time ---- */

/* The parser's scratch holds the journal's strings: one per test. */
static struct logs_parser p;

static int
one(const char *line, struct logs_auth *x)
{
	struct logs_rec rec;
	int rc = 0;

	memset(&rec, 0, sizeof(rec));
	switch (logs_parse_line(&p, line, strlen(line), &rec)) {
	case LOGS_OK:
		if (rec.kind == LOGS_KIND_SYSLOG)
			rc = logs_auth_parse_syslog(&rec.u.s, x);
		else if (rec.kind == LOGS_KIND_ERROR)
			rc = logs_auth_parse_error(&rec.u.e, x);
		break;
	default:
		rc = logs_auth_parse_raw(line, strlen(line), x);
		break;
	}
	return rc;
}

static int
eq(struct logs_str s, const char *lit)
{
	if (s.n == 0)
		return lit[0] == '\0';
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

struct want {
	const char *line, *name, *service, *address, *user;
};

/* Failures of every service, with the address and user they name. */
static const struct want wants[] = {
    {"Mar  1 10:00:00 h sshd[1]: Failed password for root from 203.0.113.1 "
     "port 22 ssh2",
        "sshd.failed-password", "sshd", "203.0.113.1", "root"},
    {"Mar  1 10:00:00 h sshd-session[1]: Failed password for invalid user "
     "bob from 2001:db8::7 port 22 ssh2",
        "sshd.invalid-user-password", "sshd", "2001:db8::7", "bob"},
    {"Mar  1 10:00:00 h sshd[1]: Invalid user admin from 203.0.113.2 port 5",
        "sshd.invalid-user", "sshd", "203.0.113.2", "admin"},
    {"Mar  1 10:00:00 h sshd[1]: error: maximum authentication attempts "
     "exceeded for root from 203.0.113.3 port 1 ssh2 [preauth]",
        "sshd.max-attempts", "sshd", "203.0.113.3", "root"},
    {"Mar  1 10:00:00 h sshd[1]: Connection closed by authenticating user "
     "support 203.0.113.20 port 16024 [preauth]",
        "sshd.preauth-close", "sshd", "203.0.113.20", "support"},
    {"Mar  1 10:00:00 h sshd[1]: Unable to negotiate with 203.0.113.4 port "
     "1: no matching key exchange method found.",
        "sshd.negotiation-failed", "sshd", "203.0.113.4", NULL},
    {"{\"MESSAGE\":\"Failed password for root from 203.0.113.5 port 2 "
     "ssh2\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"_PID\":\"9\","
     "\"__REALTIME_TIMESTAMP\":\"1700000000000000\"}",
        "sshd.failed-password", "sshd", "203.0.113.5", "root"},
    {"Mar  1 10:00:00 h dropbear[2]: Bad password attempt for 'root' from "
     "203.0.113.6:4022",
        "dropbear.bad-password", "dropbear", "203.0.113.6", "root"},
    /* no user between "for" and "from" (found by fuzz_auth) */
    {"Mar  1 10:00:00 h dropbear[2]: bad password attempt for from "
     "203.0.113.21:5543",
        "dropbear.bad-password", "dropbear", "203.0.113.21", ""},
    {"Mar  1 10:00:00 h sudo:     mike : 3 incorrect password attempts ; "
     "TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/ls",
        "sudo.incorrect-password", "sudo", "", "mike"},
    {"Mar  1 10:00:00 h su[3]: FAILED SU (to root) alice on pts/0", "su.failed",
        "su", "", "alice"},
    {"Mar  1 10:00:00 h login[4]: pam_unix(login:auth): authentication "
     "failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  "
     "user=carol",
        "pam.auth-failure", "pam", "", "carol"},
    {"Mar  1 10:00:00 h vsftpd[5]: [ftp] FAIL LOGIN: Client "
     "\"::ffff:203.0.113.7\"",
        "vsftpd.fail-login", "vsftpd", "203.0.113.7", "ftp"},
    {"Fri Mar  1 10:00:00 2024 [pid 5] [anna] FAIL LOGIN: Client "
     "\"203.0.113.8\"",
        "vsftpd.fail-login", "vsftpd", "203.0.113.8", "anna"},
    {"Mar  1 10:00:00 h proftpd[6]: h (bad.example[203.0.113.9]) - USER "
     "joe (Login failed): Incorrect password",
        "proftpd.login-failed", "proftpd", "203.0.113.9", "joe"},
    {"Mar  1 10:00:00 h dovecot: imap-login: Disconnected (auth failed, 1 "
     "attempts in 2 secs): user=<kim>, method=PLAIN, rip=203.0.113.10, "
     "lip=192.0.2.1, TLS, session=<x>",
        "dovecot.auth-failed", "dovecot", "203.0.113.10", "kim"},
    {"Mar  1 10:00:00 h dovecot: auth: passwd-file(lee,203.0.113.11,<s>): "
     "unknown user",
        "dovecot.auth-failed", "dovecot", "203.0.113.11", "lee"},
    {"Mar  1 10:00:00 h postfix/smtpd[7]: warning: unknown[203.0.113.12]: "
     "SASL LOGIN authentication failed: UGFzc3dvcmQ6",
        "postfix.sasl-failed", "postfix", "203.0.113.12", NULL},
    {"Mar  1 10:00:00 h sendmail[8]: x1: AUTH failure (LOGIN): "
     "authentication failure (-13) SASL(-13): authentication failure: "
     "checkpass failed, user=ann, relay=bad.example [203.0.113.13]",
        "sendmail.auth-failure", "sendmail", "203.0.113.13", "ann"},
    {"[Wed Oct 11 14:32:52 2000] [error] [client 203.0.113.14] user bob: "
     "authentication failure for \"/private\": Password Mismatch",
        "apache.password-mismatch", "apache", "203.0.113.14", "bob"},
    {"[Wed Oct 11 14:32:52 2000] [error] [client 203.0.113.15] Digest: user "
     "`eve' in realm `r' not found: /private",
        "apache.unknown-user", "apache", "203.0.113.15", "eve"},
    {"[Wed Oct 11 14:32:52.123456 2023] [auth_basic:error] [pid 9] [client "
     "203.0.113.16:5000] AH01618: user dan not found: /admin",
        "apache.unknown-user", "apache", "203.0.113.16", "dan"},
    {"[Wed Oct 11 14:32:52.123456 2023] [auth_basic:error] [pid 9] [client "
     "203.0.113.17:5000] AH01617: user dan: authentication failure for "
     "\"/admin\": Password Mismatch",
        "apache.password-mismatch", "apache", "203.0.113.17", "dan"},
    {"[Wed Oct 11 14:32:52.123456 2023] [auth_digest:error] [pid 9] "
     "[client 203.0.113.18:5000] AH01792: user dan: password mismatch: "
     "/admin",
        "apache.password-mismatch", "apache", "203.0.113.18", "dan"},
    /* OpenSSH's other wordings of a failure or a probe */
    {"Mar  1 10:00:00 h sshd[1]: Failed publickey for invalid user git from "
     "203.0.113.30 port 22 ssh2: RSA SHA256:x",
        "sshd.invalid-user-key", "sshd", "203.0.113.30", "git"},
    {"Mar  1 10:00:00 h sshd[1]: error: PAM: Authentication failure for "
     "root from 203.0.113.32",
        "sshd.pam-failure", "sshd", "203.0.113.32", "root"},
    {"Mar  1 10:00:00 h sshd[1]: Disconnected from invalid user oracle "
     "203.0.113.33 port 4242 [preauth]",
        "sshd.preauth-close", "sshd", "203.0.113.33", "oracle"},
    {"Mar  1 10:00:00 h sshd[1]: Received disconnect from 203.0.113.34 port "
     "5:14: No supported authentication methods available [preauth]",
        "sshd.no-auth-methods", "sshd", "203.0.113.34", NULL},
    {"Mar  1 10:00:00 h sshd[1]: Bad protocol version identification 'GET / "
     "HTTP/1.1' from 203.0.113.35 port 4444",
        "sshd.bad-protocol", "sshd", "203.0.113.35", NULL},
    {"Mar  1 10:00:00 h sshd[1]: Did not receive identification string "
     "from 203.0.113.36 port 5555",
        "sshd.no-identification", "sshd", "203.0.113.36", NULL},
    {"Mar  1 10:00:00 h sshd[1]: banner exchange: Connection from "
     "203.0.113.37 port 6666: invalid format",
        "sshd.bad-banner", "sshd", "203.0.113.37", NULL},
    {"Mar  1 10:00:00 h sshd[1]: Timeout before authentication for "
     "203.0.113.38 port 7777",
        "sshd.auth-timeout", "sshd", "203.0.113.38", NULL},
    /* the syslog formats: RFC 3339 stamps (rsyslog's default), RFC 5424 */
    {"2024-03-01T10:00:00.123456+01:00 h sshd[1]: Failed password for root "
     "from 203.0.113.39 port 22 ssh2",
        "sshd.failed-password", "sshd", "203.0.113.39", "root"},
    {"<38>1 2024-03-01T10:00:00Z h sshd 1 - - Failed password for root from "
     "203.0.113.40 port 22 ssh2",
        "sshd.failed-password", "sshd", "203.0.113.40", "root"},
    /* Apache 2.2: basic's unknown user, digest's password mismatch */
    {"[Wed Oct 11 14:32:52 2000] [error] [client 203.0.113.41] user bob not "
     "found: /private",
        "apache.unknown-user", "apache", "203.0.113.41", "bob"},
    {"[Wed Oct 11 14:32:52 2000] [error] [client 203.0.113.42] Digest: user "
     "bob: password mismatch: /private",
        "apache.password-mismatch", "apache", "203.0.113.42", "bob"},
    {"type=USER_AUTH msg=audit(1700000000.1:2): pid=1 uid=0 "
     "msg='op=PAM:authentication acct=\"root\" exe=\"/usr/sbin/sshd\" "
     "hostname=203.0.113.19 addr=203.0.113.19 terminal=ssh res=failed'",
        "audit.auth-failed", "sshd", "203.0.113.19", "root"},
};

/* A line with no user name between the wording and " from ": the user is
 * empty, never a slice that ends before it starts. */
static void
empty_user_is_empty(void **state)
{
	static const char *const lines[] = {
	    "Mar  1 10:00:00 h sshd[1]: Invalid user from 192.0.2.1",
	    "Mar  1 10:00:00 h sshd[1]: maximum authentication attempts "
	    "exceeded for from 192.0.2.1 port 22 ssh2",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct logs_auth x;

		logs_parser_init(&p, LOGS_FMT_AUTO);
		if (one(lines[i], &x) != 1)
			fail_msg("not read: %s", lines[i]);
		assert_int_equal(x.user.n, 0);
		assert_int_equal(x.address.n, strlen("192.0.2.1"));
		assert_memory_equal(x.address.p, "192.0.2.1", x.address.n);
	}
}

static void
every_wording(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		const struct want *w = &wants[i];
		struct logs_auth x;

		logs_parser_init(&p, LOGS_FMT_AUTO);
		if (one(w->line, &x) != 1)
			fail_msg("not read: %s", w->line);
		if (x.kind != LOGS_AUTH_FAIL &&
		    x.kind != LOGS_AUTH_PREAUTH_CLOSE)
			fail_msg("kind %d (%s), not a failure: %s", (int)x.kind,
			    x.name, w->line);
		assert_string_equal(x.name, w->name);
		assert_string_equal(x.service, w->service);
		if (!eq(x.address, w->address))
			fail_msg("address '%.*s', want '%s': %s",
			    (int)x.address.n, x.address.p, w->address, w->line);
		if (w->user != NULL && !eq(x.user, w->user))
			fail_msg("user '%.*s', want '%s': %s", (int)x.user.n,
			    x.user.p, w->user, w->line);
		logs_parser_release(&p);
	}
}

/*
 * OpenSSH's lines read as other kinds: sshd's PAM line (counted only when
 * the connection switches user: sshd logs the same attempt), a key
 * offered (counted when sshd gives up), the kex errors and "Too many
 * authentication failures" (the connection's address), the "POSSIBLE
 * BREAK-IN ATTEMPT" notes.
 */
static void
other_kinds(void **state)
{
	static const struct {
		const char *line;
		enum logs_auth_kind kind;
		const char *name, *address, *user;
	} lines[] = {
	    {"Mar  1 10:00:00 h sshd[1]: pam_unix(sshd:auth): authentication "
	     "failure; logname= uid=0 euid=0 tty=ssh ruser= "
	     "rhost=203.0.113.31  user=root",
	        LOGS_AUTH_PAM_SSHD, "sshd.pam-failure", "203.0.113.31", "root"},
	    {"Mar  1 10:00:00 h sshd[1]: Failed publickey for root from "
	     "203.0.113.45 port 22 ssh2: ED25519 SHA256:x",
	        LOGS_AUTH_KEY_TRIED, "sshd.key-tried", "203.0.113.45", "root"},
	    {"Mar  1 10:00:00 h sshd[1]: error: kex_exchange_identification: "
	     "Connection closed by remote host",
	        LOGS_AUTH_FAIL_SESSION, "sshd.kex-error", "", NULL},
	    {"Mar  1 10:00:00 h sshd[1]: error: kex_exchange_identification: "
	     "read: Connection reset by peer",
	        LOGS_AUTH_FAIL_SESSION, "sshd.kex-error", "", NULL},
	    {"Mar  1 10:00:00 h sshd[1]: Disconnecting: Too many "
	     "authentication failures for root [preauth]",
	        LOGS_AUTH_FAIL_SESSION, "sshd.too-many-failures", "", "root"},
	    {"Mar  1 10:00:00 h sshd[1]: reverse mapping checking getaddrinfo "
	     "for bad.example [203.0.113.43] failed - POSSIBLE BREAK-IN "
	     "ATTEMPT!",
	        LOGS_AUTH_NOTE, "sshd.dns-mismatch", "203.0.113.43", NULL},
	    {"Mar  1 10:00:00 h sshd[1]: Address 203.0.113.44 maps to "
	     "x.example, but this does not map back to the address - POSSIBLE "
	     "BREAK-IN ATTEMPT!",
	        LOGS_AUTH_NOTE, "sshd.dns-mismatch", "203.0.113.44", NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct logs_auth x;

		logs_parser_init(&p, LOGS_FMT_AUTO);
		if (one(lines[i].line, &x) != 1)
			fail_msg("not read: %s", lines[i].line);
		if (x.kind != lines[i].kind)
			fail_msg("kind %d, want %d: %s", (int)x.kind,
			    (int)lines[i].kind, lines[i].line);
		assert_string_equal(x.name, lines[i].name);
		if (!eq(x.address, lines[i].address))
			fail_msg("address '%.*s', want '%s': %s",
			    (int)x.address.n, x.address.p, lines[i].address,
			    lines[i].line);
		if (lines[i].user != NULL && !eq(x.user, lines[i].user))
			fail_msg("user '%.*s', want '%s': %s", (int)x.user.n,
			    x.user.p, lines[i].user, lines[i].line);
		logs_parser_release(&p);
	}
}

/* Lines that are not failures: logins, sessions, commands, other noise. */
static void
not_failures(void **state)
{
	static const char *const lines[] = {
	    "Mar  1 10:00:00 h sshd[1]: Accepted publickey for git from "
	    "192.0.2.1 port 22 ssh2: RSA SHA256:x",
	    "Mar  1 10:00:00 h sshd[1]: pam_unix(sshd:session): session opened "
	    "for user git by (uid=0)",
	    "Mar  1 10:00:00 h sshd[1]: Received disconnect from 192.0.2.1 "
	    "port "
	    "22:11: disconnected by user",
	    "Mar  1 10:00:00 h sudo:     mike : TTY=pts/0 ; PWD=/root ; "
	    "USER=root ; COMMAND=/bin/ls",
	    "Mar  1 10:00:00 h CRON[2]: pam_unix(cron:session): session opened "
	    "for user root by (uid=0)",
	    "[Wed Oct 11 14:32:52 2000] [error] [client 192.0.2.2] File does "
	    "not exist: /var/www/favicon.ico",
	    "type=USER_AUTH msg=audit(1700000000.1:2): pid=1 uid=0 "
	    "msg='op=PAM:authentication acct=\"root\" exe=\"/usr/bin/sudo\" "
	    "hostname=? addr=? terminal=pts/0 res=success'",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct logs_auth x;
		int rc;

		logs_parser_init(&p, LOGS_FMT_AUTO);
		rc = one(lines[i], &x);
		logs_parser_release(&p);
		if (rc == 1 &&
		    (x.kind == LOGS_AUTH_FAIL ||
		        x.kind == LOGS_AUTH_PREAUTH_CLOSE))
			fail_msg("read as a failure: %s", lines[i]);
		assert_true(rc >= 0);
	}
}

/* ---- fail2ban's test logs ---- */

/*
 * Which rows apply to fail2ban's aggressive mode: a row tested in the
 * default mode or in aggressive; a "yes" of any mode (aggressive matches
 * what normal, ddos and extra match); "no" rows of the normal mode only
 * apply unless the wording is one aggressive adds (listed here with the
 * row that shows it).
 */
static const struct {
	const char *file;
	unsigned line;
} aggressive_adds[] = {
    /* "Disconnected from authenticating user U ADDR port N [preauth]":
     * row 153 marks the same wording a match in extra/aggressive */
    {"sshd", 104},
};

static int
applies(
    const char *file, unsigned ln, const char *opts, const char *other, int yes)
{
	if (strstr(other, "opts.get('mode') != 'aggressive'") != NULL)
		return 0;
	if (yes)
		return 1;
	if (opts[0] == '\0' || strstr(opts, "aggressive") != NULL ||
	    strstr(opts, "{}") != NULL)
		return 1;
	for (size_t i = 0;
	     i < sizeof(aggressive_adds) / sizeof(aggressive_adds[0]); i++)
		if (strcmp(aggressive_adds[i].file, file) == 0 &&
		    aggressive_adds[i].line == ln)
			return 0;
	return 1;
}

/* Splits a TSV row in place; returns the field count. */
static size_t
tsv(char *line, char **f, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (line == NULL)
			break;
		*line++ = '\0';
	}
	return n;
}

static void
fail2ban_file(const char *name)
{
	char path[512], row[8192];
	FILE *fp;
	struct scan *s;
	unsigned yes = 0, no = 0, wrong = 0, lines = 0;

	snprintf(path, sizeof(path), FIXTURES "/auth/fail2ban/%s.log", name);
	s = scan_run(path, NULL, NULL);
	snprintf(path, sizeof(path), FIXTURES "/auth/fail2ban/%s.expected.tsv",
	    name);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(row, sizeof(row), fp)); /* header */
	while (fgets(row, sizeof(row), fp) != NULL) {
		char *f[8];
		unsigned ln;
		int match;

		if (tsv(row, f, 8) < 7)
			continue;
		lines++;
		ln = (unsigned)strtoul(f[0], NULL, 10);
		assert_true(ln > 0 && ln < MAXLINE);
		match = strcmp(f[3], "yes") == 0;
		if (!applies(name, ln, f[2], f[6], match))
			continue;
		if (match) {
			yes++;
			/* an empty host: fail2ban knows it from the
			 * connection, as sakimori does; any address */
			if (s->nrec[ln] == 0 ||
			    (f[4][0] != '\0' && strcmp(s->addr[ln], f[4]))) {
				wrong++;
				fprintf(stderr,
				    "%s:%u: want a failure from '%s', got "
				    "%s\n",
				    name, ln, f[4],
				    s->nrec[ln] ? s->addr[ln] : "none");
			}
		} else {
			no++;
			if (s->nrec[ln] > 0) {
				wrong++;
				fprintf(stderr,
				    "%s:%u: no failure wanted, got %s from "
				    "%s\n",
				    name, ln, s->type[ln], s->addr[ln]);
			}
		}
	}
	fclose(fp);
	printf("fail2ban %-12s %3u lines: %3u matches reported with the same "
	       "address, %3u non-matches not reported, %u wrong\n",
	    name, lines, yes - wrong, no, wrong);
	assert_int_equal(wrong, 0);
	assert_true(yes > 0);
	scan_free(s);
}

static void
fail2ban_sshd(void **state)
{
	(void)state;
	fail2ban_file("sshd");
}

static void
fail2ban_dropbear(void **state)
{
	(void)state;
	fail2ban_file("dropbear");
}

static void
fail2ban_pam_generic(void **state)
{
	(void)state;
	fail2ban_file("pam-generic");
}

static void
fail2ban_selinux_ssh(void **state)
{
	(void)state;
	fail2ban_file("selinux-ssh");
}

/* ---- OSSEC's labelled lines ---- */

/* OSSEC rules that are failed logins or probes. */
static const char *const ossec_failure_rules[] = {"5301", "5302", "5401",
    "5404", "5405", "5503", "5504", "2502", "5710", "5716", "5758", "5701",
    "2503", "5752", "5753", NULL};

/*
 * Lines OSSEC matches as failures that sakimori counts elsewhere or not:
 * the PAM message with the module in the tag ("su(pam_unix)[1]:",
 * fail2ban's pam-generic does not read it either), "check pass; user
 * unknown" (names neither user nor address), "Postponed ..." (the attempt
 * is counted at its "Failed ..." line), and a failure without address in
 * a file that never gives its connection's address.
 */
static const struct {
	const char *file;
	unsigned line;
} ossec_skip[] = {
    {"pam", 1}, {"pam", 3}, {"pam", 6}, {"sshd", 17}, {"sshd", 18}};

static void
ossec_labels(void **state)
{
	static const char *const files[] = {"sshd", "pam", "su", "sudo"};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512], row[8192];
		struct scan *s;
		FILE *fp;
		unsigned fails = 0, others = 0, wrong = 0;

		snprintf(path, sizeof(path), FIXTURES "/auth/ossec/%s.log",
		    files[i]);
		s = scan_run(path, NULL, NULL);
		snprintf(path, sizeof(path),
		    FIXTURES "/auth/ossec/%s.expected.tsv", files[i]);
		fp = fopen(path, "r");
		assert_non_null(fp);
		assert_non_null(fgets(row, sizeof(row), fp));
		while (fgets(row, sizeof(row), fp) != NULL) {
			char *f[10];
			unsigned ln;
			int fail = 0, skip = 0;

			if (tsv(row, f, 10) < 5 || strcmp(f[3], "match"))
				continue;
			ln = (unsigned)strtoul(f[0], NULL, 10);
			for (size_t k = 0; ossec_failure_rules[k]; k++)
				fail |= !strcmp(f[4], ossec_failure_rules[k]);
			for (size_t k = 0;
			     k < sizeof(ossec_skip) / sizeof(ossec_skip[0]);
			     k++)
				skip |= !strcmp(ossec_skip[k].file, files[i]) &&
				    ossec_skip[k].line == ln;
			if (skip)
				continue;
			fails += (unsigned)fail;
			others += (unsigned)!fail;
			if (fail != (s->nrec[ln] > 0)) {
				wrong++;
				fprintf(stderr, "ossec %s:%u rule %s: %s\n",
				    files[i], ln, f[4],
				    fail ? "failure not reported"
				         : "reported as a failure");
			}
		}
		fclose(fp);
		printf("ossec %-5s: %u failures, %u other lines, %u wrong\n",
		    files[i], fails, others, wrong);
		assert_int_equal(wrong, 0);
		scan_free(s);
	}
}

/* ---- findings ---- */

static const struct finding *
finding_of(const struct report *r, const char *check, const char *subject)
{
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].check, check) == 0 &&
		    strcmp(r->f[i].subject, subject) == 0)
			return &r->f[i];
	return NULL;
}

static char *
lines_of(const char *fmt, unsigned n, unsigned step)
{
	size_t cap = (size_t)n * 200 + 1, o = 0;
	char *b = malloc(cap);

	assert_non_null(b);
	b[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		o += (size_t)snprintf(b + o, cap - o, fmt, i * step / 60,
		    i * step % 60, i, i % 7);
	return b;
}

static void
brute_force_and_enumeration(void **state)
{
	/* 25 failures from one address, one every 10 s, 25 user names */
	char *text =
	    lines_of("Mar  1 10:%02u:%02u h sshd[1%u]: Failed password "
	             "for invalid user u%u from 203.0.113.50 port 22 "
	             "ssh2\n",
	        25, 10);
	struct scan *s = scan_run(NULL, text, NULL);
	const struct finding *f;
	struct conf *c;

	(void)state;
	f = finding_of(&s->rep, "auth-brute-force", "203.0.113.50");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL); /* 25 >= 20 within 10m */
	assert_string_equal(finding_ev_get(f, "failures"), "25");
	f = finding_of(&s->rep, "auth-user-enumeration", "203.0.113.50");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING); /* 7 user names: 5 <= 7 < 20 */
	assert_string_equal(finding_ev_get(f, "users"), "7");
	scan_free(s);
	free(text);

	/* thresholds from the configuration: 30 failures needed */
	text = lines_of("Mar  1 10:%02u:%02u h sshd[1%u]: Failed password for "
	                "root from 203.0.113.51 port %u ssh2\n",
	    25, 10);
	c = conf_of("check auth-brute-force { warning 30 critical 40 }\n");
	s = scan_run(NULL, text, c);
	assert_null(finding_of(&s->rep, "auth-brute-force", "203.0.113.51"));
	scan_free(s);
	conf_release(c);
	/* spread over more than the window: the peak stays low */
	c = conf_of("check auth-brute-force { warning 10 window 60 }\n");
	s = scan_run(NULL, text, c);
	assert_null(finding_of(&s->rep, "auth-brute-force", "203.0.113.51"));
	scan_free(s);
	conf_release(c);
	free(text);
}

static void
distributed_guessing(void **state)
{
	char *text = malloc(12 * 200);
	struct scan *s;
	const struct finding *f;

	(void)state;
	assert_non_null(text);
	text[0] = '\0';
	for (unsigned i = 0; i < 12; i++) {
		char l[200];

		snprintf(l, sizeof(l),
		    "Mar  1 10:%02u:00 h sshd[%u]: Failed password for admin "
		    "from 198.51.100.%u port 22 ssh2\n",
		    i, 100 + i, i + 1);
		strcat(text, l);
	}
	s = scan_run(NULL, text, NULL);
	f = finding_of(&s->rep, "auth-distributed", "admin");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_string_equal(finding_ev_get(f, "addresses"), "12");
	assert_null(finding_of(&s->rep, "auth-brute-force", "198.51.100.1"));
	scan_free(s);
	free(text);
}

static void
success_after_failures(void **state)
{
	static const char text[] =
	    "Mar  1 10:00:00 h sshd[1]: Failed password for root from "
	    "203.0.113.60 port 1 ssh2\n"
	    "Mar  1 10:00:02 h sshd[1]: Failed password for root from "
	    "203.0.113.60 port 1 ssh2\n"
	    "Mar  1 10:00:04 h sshd[1]: Failed password for root from "
	    "203.0.113.60 port 1 ssh2\n"
	    "Mar  1 10:00:06 h sshd[1]: Accepted password for root from "
	    "203.0.113.60 port 1 ssh2\n"
	    "Mar  1 10:00:08 h sshd[2]: Failed password for ann from "
	    "203.0.113.61 port 1 ssh2\n"
	    "Mar  1 10:00:09 h sshd[2]: Accepted password for ann from "
	    "203.0.113.61 port 1 ssh2\n";
	struct scan *s = scan_run(NULL, text, NULL);
	const struct finding *f;

	(void)state;
	f = finding_of(&s->rep, "auth-success-after-failures", "203.0.113.60");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_string_equal(finding_ev_get(f, "user"), "root");
	assert_non_null(strstr(finding_ev_get(f, "login"), ":4"));
	/* one typo before a login is not the finding (threshold 3) */
	assert_null(
	    finding_of(&s->rep, "auth-success-after-failures", "203.0.113.61"));
	assert_int_equal(
	    json_integer_value(json_object_get(s->summary, "successes")), 2);
	scan_free(s);
}

static void
malformed_counted(void **state)
{
	static const char text[] =
	    "Mar  1 10:00:00 h sshd[1]: Failed password for root from "
	    "203.0.113.70 port 1 ssh2\n"
	    "Mar  1 10:00:01 h sshd[1]: Failed password for root\n"
	    "Mar  1 10:00:02 h sshd[1]: Invalid user x from \n"
	    "Mar  1 10:00:03 h sshd[1]: Server listening on 0.0.0.0 port 22.\n";
	struct scan *s = scan_run(NULL, text, NULL);
	json_t *bl;

	(void)state;
	assert_int_equal(
	    json_integer_value(json_object_get(s->summary, "malformed")), 2);
	bl = json_object_get(s->summary, "malformed_lines");
	assert_int_equal(json_array_size(bl), 2);
	assert_int_equal(json_integer_value(json_array_get(bl, 0)), 2);
	assert_int_equal(json_integer_value(json_array_get(bl, 1)), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(s->summary, "failures")), 1);
	assert_int_equal(s->nrec[1], 1);
	assert_string_equal(s->type[1], "auth.sshd.failed-password");
	scan_free(s);

	/* a log with nothing about logins: no summary at all */
	s = scan_run(NULL,
	    "Mar  1 10:00:03 h kernel: eth0: link up\n"
	    "192.0.2.1 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" "
	    "200 1\n",
	    NULL);
	assert_null(s->summary);
	scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_wording),
	    cmocka_unit_test(empty_user_is_empty),
	    cmocka_unit_test(other_kinds),
	    cmocka_unit_test(not_failures),
	    cmocka_unit_test(fail2ban_sshd),
	    cmocka_unit_test(fail2ban_dropbear),
	    cmocka_unit_test(fail2ban_pam_generic),
	    cmocka_unit_test(fail2ban_selinux_ssh),
	    cmocka_unit_test(ossec_labels),
	    cmocka_unit_test(brute_force_and_enumeration),
	    cmocka_unit_test(distributed_guessing),
	    cmocka_unit_test(success_after_failures),
	    cmocka_unit_test(malformed_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
