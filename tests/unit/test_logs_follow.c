/*
 * test_logs_follow.c - the follower driven as an event loop does: wait on
 * follower_fd (or follower_timeout), follower_step; every line delivered
 * once, across a partial line, a rotation between two steps, and a
 * restart from the bookmark.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "rm_tree.h"
#include "base/err.h"
#include "logs/follow.h"
#include "logs/follow_int.h"

struct got {
	char text[4096]; /* lines joined by '|' */
	int notices;     /* LOG_INFO or worse */
	char notice[256];
	int ticks;
};

static void
on_line(void *arg, const char *file, uint64_t lineno, const char *p, size_t n,
    int cut)
{
	struct got *g = arg;
	size_t l = strlen(g->text);

	(void)file;
	(void)lineno;
	(void)cut;
	snprintf(g->text + l, sizeof(g->text) - l, "%.*s|", (int)n, p);
}

static int counted;

static void
on_count(void *arg, const char *file, uint64_t lineno, const char *p, size_t n,
    int cut)
{
	(void)arg;
	(void)file;
	(void)lineno;
	(void)p;
	(void)n;
	(void)cut;
	counted++;
}

static void
on_tick(void *arg)
{
	((struct got *)arg)->ticks++;
}

static void
on_notice(void *arg, int prio, const char *msg)
{
	struct got *g = arg;

	if (prio > LOG_INFO)
		return;
	g->notices++;
	snprintf(g->notice, sizeof(g->notice), "%s", msg);
}

static void
append(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);

	assert_true(fd != -1);
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

/* Waits as the agent's loop does, then steps; what the step returned. */
static int
wait_step(struct follower *f)
{
	struct pollfd pfd = {follower_fd(f), POLLIN, 0};
	double t = follower_timeout(f);
	struct err err = {0};
	int k;

	assert_true(t >= 0);
	poll(&pfd, 1, (int)(t * 1000) + 1);
	k = follower_step(f, &err);
	if (k == -1)
		fail_msg("follower_step: %s", err.msg);
	return k;
}

/* Steps until a step reads nothing. */
static void
drain(struct follower *f)
{
	for (int i = 0; i < 20 && wait_step(f) > 0; i++)
		;
}

static void
opts(struct follow_opts *o, const char *state, struct got *g)
{
	follow_opts_default(o);
	o->state_dir = state;
	o->name = "t";
	o->poll = 0.2;
	o->from_start = 1;
	o->line = on_line;
	o->tick = on_tick;
	o->notice = on_notice;
	o->arg = g;
}

static void
step_api(void **state)
{
	char dir[] = "/tmp/test_logs_follow_step.XXXXXX", log[128], rot[128],
	     st[128];
	const char *paths[1] = {log};
	struct follow_opts o;
	struct follower *f, *f2;
	struct pollfd pfd;
	struct got g;
	struct err err = {0};

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/access.log", dir);
	snprintf(rot, sizeof(rot), "%s/access.log.1", dir);
	snprintf(st, sizeof(st), "%s/state", dir);
	assert_int_equal(mkdir(st, 0700), 0);
	append(log, "a\n");
	opts(&o, st, &g);
	f = follower_open(&o, paths, 1, NULL, &err);
	if (f == NULL)
		fail_msg("follower_open: %s", err.msg);
	assert_true(follower_fd(f) >= 0);
	/* Due at once: what is there already. */
	assert_true(follower_timeout(f) == 0);
	drain(f);
	assert_string_equal(g.text, "a|");
	assert_true(g.ticks >= 1);
	/* Idle: the poll timer, no more than o.poll. */
	assert_true(follower_timeout(f) > 0 && follower_timeout(f) <= 0.2);

	/* An append makes the fd readable; one step reads it, once. */
	append(log, "b\nc\npartial");
	pfd = (struct pollfd){follower_fd(f), POLLIN, 0};
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	assert_int_equal(follower_step(f, &err), 1);
	assert_string_equal(g.text, "a|b|c|");
	assert_int_equal(follower_step(f, &err), 0);
	assert_string_equal(g.text, "a|b|c|");
	/* The partial line waits for its newline. */
	append(log, "-done\n");
	drain(f);
	assert_string_equal(g.text, "a|b|c|partial-done|");

	/* Rotation between two steps: the old file's last lines first. */
	assert_int_equal(rename(log, rot), 0);
	append(rot, "d\n"); /* the writer has not reopened yet */
	append(log, "e\n");
	drain(f);
	assert_string_equal(g.text, "a|b|c|partial-done|d|e|");

	/* A second follower of the same set is refused while f runs. */
	f2 = follower_open(&o, paths, 1, NULL, &err);
	assert_null(f2);
	assert_int_equal(err.code, EBUSY);

	/* Lines written while no follower runs: from the bookmark on. */
	assert_int_equal(follower_commit(f, &err), 0);
	follower_close(f);
	append(log, "f\n");
	memset(&g, 0, sizeof(g));
	f = follower_open(&o, paths, 1, NULL, &err);
	if (f == NULL)
		fail_msg("follower_open: %s", err.msg);
	drain(f);
	assert_string_equal(g.text, "f|");
	follower_close(f);
	rm_tree(dir);
}

/* A burst fills the read buffer; once caught up, its pages past the
 * first ones are given back (a long-running agent does not keep a
 * burst's memory), and what follows is read as before. */
static void
burst_buffer_given_back(void **state)
{
	char dir[] = "/tmp/test_logs_follow_burst.XXXXXX", log[128], st[128];
	const char *paths[1] = {log};
	struct follow_opts o;
	struct follower *f;
	struct got g;
	struct err err = {0};
	char line[128];
	int fd;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/access.log", dir);
	snprintf(st, sizeof(st), "%s/state", dir);
	assert_int_equal(mkdir(st, 0700), 0);
	/* 1.5 MB of lines: more than a read's chunk */
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	for (int i = 0; i < 15000; i++) {
		int n = snprintf(line, sizeof(line), "%099d\n", i);

		assert_int_equal(write(fd, line, (size_t)n), n);
	}
	close(fd);
	opts(&o, st, &g);
	o.line = on_count; /* 15000 lines: counted, not kept */
	f = follower_open(&o, paths, 1, NULL, &err);
	if (f == NULL)
		fail_msg("follower_open: %s", err.msg);
	drain(f);
	assert_int_equal(counted, 15000);
	assert_true(follow_buf_resident(f) <= 64 * 1024 + 4096);
	assert_int_equal(follower_commit(f, &err), 0);
	o.line = on_line;
	follower_close(f);
	f = follower_open(&o, paths, 1, NULL, &err);
	if (f == NULL)
		fail_msg("follower_open: %s", err.msg);
	append(log, "after\n");
	drain(f);
	assert_string_equal(g.text, "after|");
	follower_close(f);
	rm_tree(dir);
}

/* Diagnostics go to the notice hook, not to the process's log. */
static void
step_notice(void **state)
{
	char dir[] = "/tmp/test_logs_follow_step.XXXXXX", log[128], st[128];
	const char *paths[1] = {log};
	struct follow_opts o;
	struct follower *f;
	struct got g;
	struct err err = {0};

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/later.log", dir);
	snprintf(st, sizeof(st), "%s/state", dir);
	assert_int_equal(mkdir(st, 0700), 0);
	opts(&o, st, &g);
	f = follower_open(&o, paths, 1, NULL, &err);
	if (f == NULL)
		fail_msg("follower_open: %s", err.msg);
	drain(f);
	assert_int_equal(g.notices, 1);
	assert_non_null(strstr(g.notice, "does not exist; waiting for it"));
	append(log, "x\n");
	drain(f);
	assert_string_equal(g.text, "x|");
	assert_int_equal(g.notices, 2);
	assert_non_null(strstr(g.notice, "appeared"));
	follower_close(f);
	rm_tree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(step_api),
	    cmocka_unit_test(step_notice),
	    cmocka_unit_test(burst_buffer_given_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
