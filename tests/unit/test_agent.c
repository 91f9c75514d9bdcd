/*
 * test_agent.c - the agent's pure parts: the schedule (class defaults,
 * "every", daily-at, next runs, a reload's plan), the control protocol's
 * requests and replies, and sd_notify's datagram (sent to a real socket).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cmocka.h>

#include "conf_of.h"

#include "agent/ctl.h"
#include "agent/notify.h"
#include "agent/sched.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "check/check.h"

/* conf_of, releasing the configuration it gave before. */
static struct conf *last_conf;

static const struct conf *
cf(const char *text)
{
	if (last_conf != NULL)
		conf_release(last_conf);
	return last_conf = conf_of(text);
}

static int
release_conf(void **state)
{
	(void)state;
	if (last_conf != NULL)
		conf_release(last_conf);
	last_conf = NULL;
	return 0;
}

static int
noop(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)x;
	(void)r;
	(void)err;
	return 0;
}

static const char *const multi_ids[] = {
    "proc-exe-deleted", "proc-sniffer", NULL};

/* A table like the registry's: one entry of each class. */
static const struct check_entry table[] = {
    {"load", NULL, CHECK_FAST, 0, 0, noop, NULL, 0},
    {"fs-blocks", NULL, CHECK_MEDIUM, 0, 0, noop, NULL, 0},
    {"inventory", NULL, CHECK_SLOW, 0, 0, noop, NULL, 0},
    {"fs-errors", NULL, CHECK_DAILY, 0, 0, noop, NULL, 0},
    {"proc-exe-deleted", multi_ids, CHECK_MEDIUM, 0, 0, noop, NULL, 0},
};

/* A local time as time_t (TZ is set by main). */
static time_t
at(int y, int mon, int d, int h, int min, int s)
{
	struct tm tm = {0};

	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = min;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void
class_defaults(void **state)
{
	const struct conf *c = cf("");

	(void)state;
	assert_int_equal(sched_every(c, &table[0]), 10);
	assert_int_equal(sched_every(c, &table[1]), 60);
	assert_int_equal(sched_every(c, &table[2]), 300);
	assert_int_equal(sched_every(c, &table[3]), 0); /* daily-at */
	assert_int_equal(sched_daily_minute(c), 6 * 60 + 25);
}

static void
every_overrides(void **state)
{
	const struct conf *c = cf("check load { every 3s }\n"
	                          "check fs-errors { every 2h }\n"
	                          "check proc-sniffer { every 15s }\n"
	                          "check fs-blocks \"/var\" { every 1s }\n");

	(void)state;
	assert_int_equal(sched_every(c, &table[0]), 3);
	/* a subject's block does not set the entry's schedule */
	assert_int_equal(sched_every(c, &table[1]), 60);
	assert_int_equal(sched_every(c, &table[2]), 300);
	/* a daily check with "every" runs on that interval */
	assert_int_equal(sched_every(c, &table[3]), 7200);
	/* an entry of several ids: the shortest of theirs */
	assert_int_equal(sched_every(c, &table[4]), 15);
}

static void
daily_at(void **state)
{
	int m = -1;

	(void)state;
	assert_int_equal(daytime_parse("06:25", &m), 0);
	assert_int_equal(m, 385);
	assert_int_equal(daytime_parse("0:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(daytime_parse("23:59", &m), 0);
	assert_int_equal(m, 23 * 60 + 59);
	assert_int_equal(daytime_parse("24:00", &m), -1);
	assert_int_equal(daytime_parse("12:60", &m), -1);
	assert_int_equal(daytime_parse("1200", &m), -1);
	assert_int_equal(daytime_parse("12:0", &m), -1);
	assert_int_equal(daytime_parse("a2:00", &m), -1);
	assert_int_equal(daytime_parse("", &m), -1);
	assert_int_equal(
	    sched_daily_minute(cf("set daily-at 23:05\n")), 23 * 60 + 5);
}

/* A bad daily-at is a configuration error with its line. */
static void
daily_at_refused(void **state)
{
	static const char text[] = "\nset daily-at 25:00\n";
	struct conf c;
	struct conf_errs errs = {0};

	(void)state;
	conf_init(&c);
	assert_int_equal(
	    conf_load_string(&c, "t.conf", text, strlen(text), &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.msg[0], "t.conf:2:"));
	assert_non_null(strstr(errs.msg[0], "HH:MM"));
	conf_errs_release(&errs);
	conf_release(&c);
}

static void
daily_next(void **state)
{
	int m = 6 * 60 + 25;

	(void)state;
	/* before today's time: today; at or after it: tomorrow */
	assert_int_equal(sched_daily_next(at(2026, 3, 10, 5, 0, 0), m),
	    at(2026, 3, 10, 6, 25, 0));
	assert_int_equal(sched_daily_next(at(2026, 3, 10, 6, 25, 0), m),
	    at(2026, 3, 11, 6, 25, 0));
	assert_int_equal(sched_daily_next(at(2026, 3, 10, 23, 59, 59), m),
	    at(2026, 3, 11, 6, 25, 0));
	/* the end of a month and of a year */
	assert_int_equal(sched_daily_next(at(2026, 12, 31, 7, 0, 0), m),
	    at(2027, 1, 1, 6, 25, 0));
	/* a day of 23 hours (Europe/Berlin, 29 March 2026): still 06:25 */
	assert_int_equal(sched_daily_next(at(2026, 3, 28, 12, 0, 0), m),
	    at(2026, 3, 29, 6, 25, 0));
	assert_int_equal(
	    at(2026, 3, 29, 6, 25, 0) - at(2026, 3, 28, 6, 25, 0), 23 * 3600);
}

static void
plan_and_run(void **state)
{
	struct sched s;
	time_t t0 = at(2026, 3, 10, 12, 0, 0);

	(void)state;
	assert_int_equal(sched_init(&s, 5), 0);
	sched_plan(&s, cf("check fs-blocks { disable }\n"), table, t0, 0);
	/* first plan: every enabled periodic entry now, daily at 06:25 */
	assert_true(sched_due(&s, 0, t0));
	assert_false(sched_due(&s, 1, t0)); /* disabled */
	assert_false(s.slot[1].enabled);
	assert_true(sched_due(&s, 2, t0));
	assert_false(sched_due(&s, 3, t0));
	assert_int_equal(s.slot[3].next, at(2026, 3, 11, 6, 25, 0));
	sched_ran(&s, 0, t0);
	sched_ran(&s, 2, t0);
	sched_ran(&s, 4, t0);
	assert_false(sched_due(&s, 0, t0 + 9));
	assert_true(sched_due(&s, 0, t0 + 10));
	assert_int_equal(s.slot[2].next, t0 + 300);
	assert_int_equal(sched_next_any(&s), t0 + 10);
	/* a daily run: the next one a day later */
	sched_ran(&s, 3, at(2026, 3, 11, 6, 25, 0));
	assert_int_equal(s.slot[3].next, at(2026, 3, 12, 6, 25, 0));

	/* a new interval counts from the last run ... */
	sched_plan(&s,
	    cf("check inventory { every 1m }\n"
	       "set daily-at 13:00\n"),
	    table, t0 + 20, 0);
	assert_int_equal(s.slot[2].next, t0 + 60);
	assert_true(s.slot[1].enabled); /* enabled again: runs now */
	assert_true(sched_due(&s, 1, t0 + 20));
	assert_int_equal(s.slot[3].next, at(2026, 3, 10, 13, 0, 0));
	/* ... or is due now when that is past, or when asked (a reload) */
	sched_plan(&s, cf("check inventory { every 5s }\n"), table, t0 + 20, 0);
	assert_true(sched_due(&s, 2, t0 + 20));
	sched_ran(&s, 0, t0 + 20);
	sched_plan(&s, cf(""), table, t0 + 21, 1);
	assert_true(sched_due(&s, 0, t0 + 21));
	assert_false(sched_due(&s, 3, t0 + 21)); /* daily: not at a reload */
	sched_release(&s);
}

static void
ctl_requests(void **state)
{
	struct ctl_req q;
	struct err err = {0};

	(void)state;
#define PARSE(s) ctl_parse((s), strlen(s), &q, &err)
	assert_int_equal(PARSE("status"), 0);
	assert_int_equal(q.op, CTL_STATUS);
	assert_false(q.json);
	assert_int_equal(PARSE("problems json\r"), 0);
	assert_int_equal(q.op, CTL_PROBLEMS);
	assert_true(q.json);
	assert_int_equal(PARSE("reload"), 0);
	assert_int_equal(q.op, CTL_RELOAD);
	assert_int_equal(PARSE("silence 2h load"), 0);
	assert_int_equal(q.op, CTL_SILENCE);
	assert_int_equal(q.secs, 7200);
	assert_string_equal(q.check, "load");
	assert_false(q.has_subject);
	/* the subject is the rest: slashes and spaces kept */
	assert_int_equal(PARSE("silence 0 fs-blocks//var/my files"), 0);
	assert_int_equal(q.secs, 0);
	assert_string_equal(q.check, "fs-blocks");
	assert_true(q.has_subject);
	assert_string_equal(q.subject, "/var/my files");

	assert_int_equal(PARSE("reload json"), -1);
	assert_non_null(strstr(err.msg, "unexpected 'json'"));
	assert_int_equal(PARSE("status now"), -1);
	assert_int_equal(PARSE("stop"), -1);
	assert_non_null(strstr(err.msg, "unknown request 'stop'"));
	assert_int_equal(PARSE(""), -1);
	assert_int_equal(PARSE("silence"), -1);
	assert_int_equal(PARSE("silence 2x load"), -1);
	assert_int_equal(PARSE("silence 2h"), -1);
	assert_int_equal(PARSE("silence 2h Load"), -1);
	assert_int_equal(PARSE("silence 2h /x"), -1);
	assert_int_equal(PARSE("silence 2h load/"), -1);
	assert_int_equal(ctl_parse("status\0x", 8, &q, &err), -1);
#undef PARSE
}

static void
ctl_replies(void **state)
{
	const char *msg;
	size_t n;

	(void)state;
	assert_int_equal(ctl_reply_status("ok", 2, &msg, &n), 0);
	assert_int_equal(
	    ctl_reply_status("error 78 'x' has errors", 23, &msg, &n), 78);
	assert_int_equal(n, 14);
	assert_memory_equal(msg, "'x' has errors", 14);
	/* a code out of the sysexits range, or no status line at all */
	assert_int_equal(ctl_reply_status("error 1 x", 9, &msg, &n), 70);
	assert_int_equal(ctl_reply_status("{}", 2, &msg, &n), 70);
	assert_int_equal(ctl_reply_status("", 0, &msg, &n), 70);
}

static void
notify_datagrams(void **state)
{
	char dir[] = "/tmp/sakimori-notify.XXXXXX", path[64], buf[256];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	ssize_t n;
	int fd;

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(notify_send("READY=1"), 0); /* nobody to tell */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(notify_send("READY=1\nSTATUS=watching"), 1);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_int_equal(n, 23);
	buf[n] = '\0';
	assert_string_equal(buf, "READY=1\nSTATUS=watching");
	close(fd);
	unlink(path);
	rmdir(dir);

	/* an abstract socket ("@name") */
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(path, sizeof(path), "@sakimori-test-%ld", (long)getpid());
	memcpy(sa.sun_path + 1, path + 1, strlen(path) - 1);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(
	    bind(fd, (struct sockaddr *)&sa,
	        (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	            strlen(path))),
	    0);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(notify_send("WATCHDOG=1"), 1);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_int_equal(n, 10);
	close(fd);
	/* gone, or not an address: an error, not a crash */
	assert_int_equal(notify_send("WATCHDOG=1"), -1);
	setenv("NOTIFY_SOCKET", "relative", 1);
	assert_int_equal(notify_send("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
}

static void
watchdog_interval(void **state)
{
	char pid[32];

	(void)state;
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(notify_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	assert_int_equal(notify_watchdog_usec(), 30000000);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(notify_watchdog_usec(), 30000000);
	/* meant for another process */
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "30s", 1);
	assert_int_equal(notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_USEC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(class_defaults),
	    cmocka_unit_test(every_overrides),
	    cmocka_unit_test(daily_at),
	    cmocka_unit_test(daily_at_refused),
	    cmocka_unit_test(daily_next),
	    cmocka_unit_test(plan_and_run),
	    cmocka_unit_test(ctl_requests),
	    cmocka_unit_test(ctl_replies),
	    cmocka_unit_test(notify_datagrams),
	    cmocka_unit_test(watchdog_interval),
	};

	/* Local time with daylight saving, whatever the machine's. */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, release_conf);
}
