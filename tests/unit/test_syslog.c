/*
 * test_syslog.c - the "alert syslog" action's parts: the RFC 5424
 * message (PRI, timestamp, hostname, app-name, structured data and its
 * escaping of '"', '\' and ']'), its octet-counted frame, the server's
 * "HOST:PORT", and the queue on disk: kept in order across a close and
 * reopen, sent whole and in order to a real listening socket, kept when
 * the server refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "act/forward.h"
#include "act/syslog5424.h"
#include "base/err.h"
#include "base/hostport.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "rm_tree.h"

static char statedir[] = "/tmp/sakimori-test-syslog.XXXXXX";

static struct alert_event
event(enum alert_kind k, enum sev s, const char *check, const char *subject,
    uint64_t problem)
{
	struct alert_event e;

	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.sev = s;
	/* 2025-12-06 05:46:40 UTC */
	e.time = e.first = 1764999999 + 1;
	e.count = 3;
	e.problem = problem;
	snprintf(e.check, sizeof(e.check), "%s", check);
	snprintf(e.subject, sizeof(e.subject), "%s", subject);
	snprintf(e.message, sizeof(e.message), "%s", "load average 3.1");
	return e;
}

static void
message_fields(void **state)
{
	struct alert_event e = event(ALERT_OPEN, SEV_CRITICAL, "load", "", 17);
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(syslog5424_message(&e, "web1", 4242, &sb), 0);
	/* daemon (3) * 8 + crit (2) = 26; version 1 */
	assert_string_equal(sb.p,
	    "<26>1 2025-12-06T05:46:40Z web1 sakimori 4242 open "
	    "[sakimori@32473 event=\"open\" problem=\"17\" check=\"load\" "
	    "subject=\"\" severity=\"CRITICAL\" count=\"3\"] "
	    "CRITICAL load: load average 3.1");
	/* a resolve is notice (5): 29; no procid: the NILVALUE */
	strbuf_reset(&sb);
	e.kind = ALERT_RESOLVE;
	assert_int_equal(syslog5424_message(&e, "web1", 0, &sb), 0);
	assert_int_equal(strncmp(sb.p,
	                     "<29>1 2025-12-06T05:46:40Z web1 "
	                     "sakimori - resolve [sakimori@32473 "
	                     "event=\"resolve\" problem=\"17\"",
	                     strlen("<29>1 2025-12-06T05:46:40Z web1 "
	                            "sakimori - resolve [sakimori@32473 "
	                            "event=\"resolve\" problem=\"17\"")),
	    0);
	/* a warning: 28 */
	strbuf_reset(&sb);
	e.kind = ALERT_CHANGE;
	e.sev = SEV_WARNING;
	assert_int_equal(syslog5424_message(&e, "web1", 0, &sb), 0);
	assert_int_equal(strncmp(sb.p, "<28>1 ", 6), 0);
	assert_non_null(
	    strstr(sb.p, " change [sakimori@32473 event=\"change\""));
	strbuf_release(&sb);
}

static void
message_hostname_printable_ascii(void **state)
{
	struct alert_event e = event(ALERT_OPEN, SEV_WARNING, "load", "", 1);
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(syslog5424_message(&e, "web 1\n\xc3\xa9", 0, &sb), 0);
	assert_non_null(strstr(sb.p, "Z web_1___ sakimori - "));
	strbuf_reset(&sb);
	assert_int_equal(syslog5424_message(&e, "", 0, &sb), 0);
	assert_non_null(strstr(sb.p, "Z - sakimori - "));
	strbuf_release(&sb);
}

static void
message_sd_escaping(void **state)
{
	/* '"', ']' and '\' are escaped; a control byte and invalid UTF-8
	 * are first written \xNN (so their backslash is escaped too);
	 * valid UTF-8 stays */
	struct alert_event e = event(ALERT_OPEN, SEV_WARNING, "web-attack",
	    "/a\"b]c\\d\x07\xff/\xc3\xa9", 5);
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(syslog5424_message(&e, "h", 0, &sb), 0);
	assert_non_null(strstr(
	    sb.p, " subject=\"/a\\\"b\\]c\\\\\\\\d\\\\x07\\\\xff/\xc3\xa9\" "));
	/* the SD element ends at the first unescaped ']' */
	{
		const char *p = strchr(sb.p, '[') + 1;

		while (*p != ']')
			p += *p == '\\' ? 2 : 1;
		assert_string_equal(p,
		    "] WARNING web-attack /a\"b]c\\\\d"
		    "\\x07\\xff/\xc3\xa9: load average 3.1");
	}
	strbuf_reset(&sb);
	assert_int_equal(syslog5424_param(&sb, "]\"\\", 3), 0);
	assert_string_equal(sb.p, "\\]\\\"\\\\\\\\");
	strbuf_release(&sb);
}

static void
frame_octet_count(void **state)
{
	struct alert_event e = event(ALERT_OPEN, SEV_WARNING, "fs-blocks",
	    "/srv/donn\xc3\xa9"
	    "es",
	    9);
	struct strbuf msg = STRBUF_INIT(0), fr = STRBUF_INIT(0);
	char want[32];

	(void)state;
	assert_int_equal(syslog5424_message(&e, "h", 0, &msg), 0);
	assert_int_equal(syslog5424_frame(msg.p, msg.len, &fr), 0);
	/* the count is of bytes (é is two), then one space, then them */
	snprintf(want, sizeof(want), "%zu ", strlen(msg.p));
	assert_int_equal(strncmp(fr.p, want, strlen(want)), 0);
	assert_int_equal(fr.len, strlen(want) + msg.len);
	assert_memory_equal(fr.p + strlen(want), msg.p, msg.len);
	strbuf_reset(&fr);
	assert_int_equal(syslog5424_frame("abc", 3, &fr), 0);
	assert_string_equal(fr.p, "3 abc");
	strbuf_release(&msg);
	strbuf_release(&fr);
}

static void
hostport_forms(void **state)
{
	char host[64], port[8];
	struct err err = {0};

	(void)state;
	assert_int_equal(hostport_parse("127.0.0.1:514", host, sizeof(host),
	                     port, sizeof(port), &err),
	    0);
	assert_string_equal(host, "127.0.0.1");
	assert_string_equal(port, "514");
	assert_int_equal(hostport_parse("[::1]:6514", host, sizeof(host), port,
	                     sizeof(port), &err),
	    0);
	assert_string_equal(host, "::1");
	assert_string_equal(port, "6514");
	assert_int_equal(hostport_parse("logs.example.org:00514", host,
	                     sizeof(host), port, sizeof(port), &err),
	    0);
	assert_string_equal(host, "logs.example.org");
	assert_string_equal(port, "514");
	static const char *const bad[] = {"logs", "::1:514", "[::1]514", ":514",
	    "h:", "h:0", "h:65536", "h:51x", "a b:1", "[a]b]:1",
	    "h:99999999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err.msg[0] = '\0';
		if (hostport_parse(bad[i], host, sizeof(host), port,
		        sizeof(port), &err) != -1)
			fail_msg("'%s' was taken", bad[i]);
		assert_non_null(strstr(err.msg, bad[i]));
	}
}

/* A listening socket on a free loopback port; its "127.0.0.1:PORT". */
static int
listener(char *server, size_t sz)
{
	struct sockaddr_in sin = {0};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(server, sz, "127.0.0.1:%u", ntohs(sin.sin_port));
	return fd;
}

static char told[1024];
static int told_ok = -1;

static void
on_state(int ok, const char *text, long waiting, void *arg)
{
	(void)arg;
	told_ok = ok;
	snprintf(told, sizeof(told), "%s (%ld)", text, waiting);
}

static void
queue_kept_and_sent_in_order(void **state)
{
	char server[64], buf[4096], want[4096];
	struct err err = {0};
	struct forward *f;
	long dropped;
	size_t got = 0;
	ssize_t n;
	int lfd = listener(server, sizeof(server)), cfd;

	(void)state;
	assert_non_null(
	    f = forward_new("central", server, 0, NULL, statedir, &err));
	assert_int_equal(forward_enqueue(f, "first", 5, &dropped, &err), 1);
	assert_int_equal(forward_enqueue(f, "second", 6, &dropped, &err), 2);
	assert_int_equal(dropped, 0);
	forward_free(f);
	/* another action's queue is its own */
	assert_non_null(
	    f = forward_new("other", server, 0, NULL, statedir, &err));
	assert_int_equal(forward_waiting(f), 0);
	forward_free(f);
	/* reopened (an agent restarted): both still there, then a third */
	assert_non_null(
	    f = forward_new("central", server, 0, NULL, statedir, &err));
	assert_int_equal(forward_waiting(f), 2);
	assert_int_equal(forward_enqueue(f, "third", 5, &dropped, &err), 3);
	forward_on_state(f, on_state, NULL);
	/* the kernel accepts the connection; it is read after */
	assert_int_equal(forward_drain(f, 10), 0);
	assert_int_equal(told_ok, 1);
	snprintf(want, sizeof(want), "3 sent to '%s' (0)", server);
	assert_string_equal(told, want);
	forward_free(f);
	cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	while ((n = read(cfd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	assert_string_equal(buf, "5 first6 second5 third");
	close(cfd);
	close(lfd);
}

static void
queue_kept_when_refused(void **state)
{
	char server[64], want[256];
	double t0;
	struct err err = {0};
	struct forward *f;
	long dropped;
	int lfd = listener(server, sizeof(server));

	(void)state;
	close(lfd); /* nobody listens there now */
	assert_non_null(
	    f = forward_new("refused", server, 0, NULL, statedir, &err));
	assert_int_equal(forward_enqueue(f, "one", 3, &dropped, &err), 1);
	forward_on_state(f, on_state, NULL);
	/* one attempt, told at once; no retry for a command */
	t0 = clock_mono();
	assert_int_equal(forward_drain(f, 30), 1);
	assert_true(clock_mono() - t0 < 5);
	assert_int_equal(told_ok, 0);
	snprintf(want, sizeof(want),
	    "cannot connect to '%s': Connection refused (1)", server);
	assert_string_equal(told, want);
	forward_free(f);
	assert_null(forward_new("x", "no-port", 0, NULL, statedir, &err));
	assert_non_null(strstr(err.msg, "'no-port' is not HOST:PORT"));
	assert_null(
	    forward_new("x", "h:1", 1, "/nonexistent/ca.pem", statedir, &err));
	assert_non_null(strstr(err.msg,
	    "cannot read the authorities in "
	    "'/nonexistent/ca.pem': "));
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
	(void)state;
	rm_tree(statedir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(message_fields),
	    cmocka_unit_test(message_hostname_printable_ascii),
	    cmocka_unit_test(message_sd_escaping),
	    cmocka_unit_test(frame_octet_count),
	    cmocka_unit_test(hostport_forms),
	    cmocka_unit_test(queue_kept_and_sent_in_order),
	    cmocka_unit_test(queue_kept_when_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
