/*
 * agent_logs.c - the logs the agent follows (logs/follow.h) and the
 * analyzers that read them live: the discovered logs (logs/discover.h)
 * and those of "logs { follow ... }", or only the latter with "logs {
 * discover no }".  One follower per kind: the access logs go to the
 * attacks and floods analyzers, the mail logs to the mail analyzer, the
 * auth logs to the auth analyzer; the other kinds are not followed here.
 * What an analyzer finds is a problem (problems_note): one per (check,
 * subject), its count growing; and the respond rules may block the
 * address it names (agent_respond.c), at once, from the same line.
 *
 * Order, for kill -9 at any moment: a line is fed to the analyzers and
 * what they find is noted in the follower's line callback; the engine
 * writes the notes of a step to the state database in one transaction
 * just before the follower commits its bookmark (on_commit), and the
 * events are printed after that; the counters are written after the
 * bookmark.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>

#include <event2/event.h>

#include "agent/agent_int.h"
#include "agent/problem.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/statedir.h"
#include "conf/conf.h"
#include "logs/analyzer.h"
#include "logs/discover.h"
#include "logs/follow.h"
#include "logs/scan.h"

/* The kinds followed, their analyzers and their parser's format. */
static const struct {
	enum discover_kind kind;
	const char *name, *analyzers;
	enum logs_format fmt;
} kinds[] = {
    {DISCOVER_ACCESS, "access", "attacks,floods", LOGS_FMT_AUTO},
    {DISCOVER_MAIL, "mail", "mail", LOGS_FMT_SYSLOG},
    {DISCOVER_AUTH, "auth", "auth", LOGS_FMT_SYSLOG},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

struct counts {
	unsigned long long lines, analysed, findings;
};

/* Two records of 4 and 3 numbers of 20 digits, their spaces, newlines. */
#define COUNTS_RECORD (7 * 21 + 1)

struct agent_log {
	struct agent *a;
	const char *name;
	char **paths;
	size_t npaths;
	struct logs_opts lo; /* the analyzers keep a pointer to it */
	struct logs_run run;
	struct logs_feed feed;
	struct report rep;
	struct follower *f;
	struct event *ev_fd, *ev_timer;
	unsigned long long lines, analysed, findings; /* since the
	                                                 bookmarks began */
	struct counts committed;
	unsigned long long committed_ino;
	int countfd;
	int have_run, have_feed;
};

struct agent_logs {
	struct agent_log log[NKINDS];
	size_t n;
};

/*
 * ---- the counters, beside the bookmarks ----
 *
 * The follower commits its bookmark (state_dir/logs/follow-NAME.bm,
 * replaced atomically: a new inode each time) inside its step, after the
 * lines.  So the counters file holds two records: the committed counts
 * with the inode of the bookmark they go with, written after each step,
 * and the pending counts, written after each line (before any commit
 * that covers it).  At start, a bookmark that is no longer the one the
 * committed counts go with was committed after the pending counts were
 * written: those are the ones.
 */
static void
counts_paths(
    const struct agent_log *l, char *name, size_t namesz, char *bm, size_t bmsz)
{
	snprintf(name, namesz, "logs/agent-%s.count", l->name);
	snprintf(bm, bmsz, "%s/logs/follow-agent-%s.bm", l->a->o->state_dir,
	    l->name);
}

static void
counts_record(const struct agent_log *l, const struct counts *c,
    unsigned long long ino, char *buf, size_t sz)
{
	snprintf(buf, sz, "%20llu %20llu %20llu %20llu\n%20llu %20llu %20llu\n",
	    c->lines, c->analysed, c->findings, ino, l->lines, l->analysed,
	    l->findings);
}

static unsigned long long
bm_ino(const struct agent_log *l)
{
	char name[64], bm[4096];
	struct stat st;

	counts_paths(l, name, sizeof(name), bm, sizeof(bm));
	return stat(bm, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* The pending record, after a line. */
static void
counts_pending(struct agent_log *l)
{
	char buf[COUNTS_RECORD];

	counts_record(l, &l->committed, l->committed_ino, buf, sizeof(buf));
	if (l->countfd != -1 &&
	    pwrite(l->countfd, buf, COUNTS_RECORD - 1, 0) != COUNTS_RECORD - 1)
		log_warnx("cannot write the counters of the %s logs: %s",
		    l->name, strerror(errno));
}

/* Both records, after a step (its bookmark committed). */
static void
counts_commit(struct agent_log *l)
{
	l->committed.lines = l->lines;
	l->committed.analysed = l->analysed;
	l->committed.findings = l->findings;
	l->committed_ino = bm_ino(l);
	counts_pending(l);
}

/* Opens the counters file and loads what goes with the bookmark. */
static int
counts_open(struct agent_log *l, struct err *err)
{
	char name[64], bm[4096], buf[COUNTS_RECORD];
	struct counts c, p;
	uint64_t v[7];
	const char *cur = buf, *end;
	size_t k = 0;
	ssize_t n;

	counts_paths(l, name, sizeof(name), bm, sizeof(bm));
	l->countfd = statedir_open(
	    l->a->o->state_dir, name, O_RDWR | O_CREAT | O_CLOEXEC, 0600, err);
	if (l->countfd == -1)
		return -1;
	n = pread(l->countfd, buf, sizeof(buf), 0);
	end = buf + (n > 0 ? n : 0);
	/* the seven numbers, separated by spaces and newlines */
	while (k < countof(v)) {
		while (cur < end && (*cur == ' ' || *cur == '\n'))
			cur++;
		if (cur_u64(&cur, end, &v[k]) == -1)
			break;
		k++;
	}
	if (k == countof(v) && bm_ino(l) != 0) {
		c = (struct counts){v[0], v[1], v[2]};
		p = (struct counts){v[4], v[5], v[6]};
		if (bm_ino(l) != v[3])
			c = p; /* committed after the pending counts */
		l->lines = c.lines;
		l->analysed = c.analysed;
		l->findings = c.findings;
	}
	return 0;
}

/* ---- lines ---- */

static void
on_line(void *arg, const char *p, size_t n, int cut)
{
	struct agent_log *l = arg;
	uint64_t records = l->feed.counts.records;
	struct err err = {0};
	time_t now;

	logs_feed_line(&l->feed, p, n, cut);
	l->lines++;
	l->analysed += l->feed.counts.records - records;
	if (l->rep.nf == 0) {
		counts_pending(l);
		return;
	}
	now = time(NULL);
	for (size_t i = 0; i < l->rep.nf; i++)
		if (problems_note(l->a->pb, &l->rep.f[i], now, &err) == -1)
			log_warnx("%s", err.msg);
	agent_respond(l->a, &l->rep);
	l->findings += l->rep.nf;
	report_release(&l->rep);
	report_init(&l->rep);
	counts_pending(l);
}

/*
 * Before the follower commits its bookmarks: the problems the lines made
 * are written, in one transaction for all the lines of the step.
 */
static int
on_commit(void *arg, struct err *err)
{
	struct agent_log *l = arg;

	return problems_flush(l->a->pb, err);
}

/* The follower's diagnostics, at their priority. */
static void
on_notice(void *arg, int prio, const char *msg)
{
	(void)arg;
	(prio <= LOG_WARNING       ? log_warnx
	        : prio <= LOG_INFO ? log_info
	                           : log_debug)("%s", msg);
}

static void
on_step(evutil_socket_t fd, short what, void *arg)
{
	struct agent_log *l = arg;
	struct err err = {0};
	double next;

	(void)fd;
	(void)what;
	if (follower_step(l->f, &err) == -1) {
		log_warnx("following the %s logs: %s", l->name, err.msg);
		next = 1.0;
	} else {
		next = follower_timeout(l->f);
	}
	agent_events_flush(l->a);
	if (l->lines != l->committed.lines)
		counts_commit(l);
	if (agent_timer_arm(l->ev_timer, next) == -1)
		log_warnx("cannot arm the timer of the %s logs", l->name);
}

/* ---- start and stop ---- */

static void
log_release(struct agent_log *l)
{
	struct err err = {0};

	if (l->ev_fd != NULL)
		event_free(l->ev_fd);
	if (l->ev_timer != NULL)
		event_free(l->ev_timer);
	if (l->f != NULL) {
		if (follower_commit(l->f, &err) == -1)
			log_warnx("%s", err.msg);
		else
			counts_commit(l);
		follower_close(l->f);
	}
	if (l->have_feed)
		logs_feed_release(&l->feed);
	if (l->have_run)
		logs_run_release(&l->run);
	report_release(&l->rep);
	if (l->countfd != -1)
		close(l->countfd);
	for (size_t i = 0; i < l->npaths; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}

/* The follower of kind k on the paths of d of that kind: 0, or -1. */
static int
log_open(struct agent *a, struct agent_log *l, size_t k,
    const struct discover *d, struct err *err)
{
	struct follow_opts fo;
	char setname[64];
	const char *errmsg = NULL;

	l->a = a;
	l->name = kinds[k].name;
	l->countfd = -1;
	report_init(&l->rep);
	if ((l->paths = calloc(d->n ? d->n : 1, sizeof(char *))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < d->n; i++)
		if (d->log[i].kind == kinds[k].kind &&
		    (l->paths[l->npaths] = strdup(d->log[i].path)) != NULL)
			l->npaths++;
	if (l->npaths == 0)
		return 0;
	logs_opts_default(&l->lo);
	l->lo.follow = 1;
	l->lo.conf = &a->conf;
	l->lo.state_dir = a->o->state_dir;
	if (logs_run_init(&l->run, kinds[k].analyzers, &l->lo, &errmsg) == -1)
		return err_set(err, EINVAL, "the analyzers of the %s logs: %s",
		    l->name, errmsg ? errmsg : "cannot start");
	l->have_run = 1;
	logs_feed_init(&l->feed, kinds[k].fmt, NULL, &l->run, &l->rep);
	l->have_feed = 1;
	if (counts_open(l, err) == -1)
		return -1;
	follow_opts_default(&fo);
	snprintf(setname, sizeof(setname), "agent-%s", l->name);
	fo.name = setname;
	fo.state_dir = a->o->state_dir;
	fo.line = on_line;
	fo.notice = on_notice;
	fo.commit = on_commit;
	fo.arg = l;
	l->f = follower_open(
	    &fo, (const char *const *)l->paths, l->npaths, NULL, err);
	if (l->f == NULL)
		return -1;
	if (agent_fd_events(a, follower_fd(l->f), on_step, l, &l->ev_fd,
	        &l->ev_timer) == -1 ||
	    agent_timer_arm(l->ev_timer, follower_timeout(l->f)) == -1)
		return err_set(
		    err, ENOMEM, "cannot wait for the %s logs", l->name);
	/* what follower_open read (rotated while no agent ran) */
	agent_events_flush(a);
	counts_commit(l);
	log_info("following %zu %s log%s", l->npaths, l->name,
	    l->npaths == 1 ? "" : "s");
	return 0;
}

/* 1 unless the configuration says "logs { discover no }". */
static int
discover_on(const struct conf *c)
{
	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *b = &c->root.child[i];

		if (strcmp(b->key, "logs") == 0 && b->is_block &&
		    conf_find(b, "discover") != NULL)
			return conf_flag(b, "discover");
	}
	return 1;
}

int
agent_logs_start(struct agent *a, struct err *err)
{
	struct discover d;
	int rc = 0;

	if (a->o->state_dir == NULL) {
		log_info("no state directory: no logs followed");
		return 0;
	}
	if ((a->logs = calloc(1, sizeof(*a->logs))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if (agent_respond_start(a, err) == -1)
		log_warnx("%s: nothing is blocked", err->msg);
	discover_init(&d);
	if (discover_on(&a->conf)) {
		rc = discover_logs(&d, a->o->root, &a->conf, err);
		for (size_t i = 0; i < d.nnotes; i++)
			log_info("logs: %s", d.notes[i]);
	} else {
		rc = discover_conf(&d, &a->conf, err);
	}
	for (size_t k = 0; rc == 0 && k < NKINDS; k++, a->logs->n++)
		rc = log_open(a, &a->logs->log[k], k, &d, err);
	discover_release(&d);
	if (rc == -1)
		agent_logs_stop(a);
	return rc;
}

void
agent_logs_stop(struct agent *a)
{
	agent_respond_stop(a);
	if (a->logs == NULL)
		return;
	for (size_t i = 0; i < a->logs->n; i++)
		log_release(&a->logs->log[i]);
	free(a->logs);
	a->logs = NULL;
}

void
agent_logs_each(const struct agent *a,
    void (*fn)(void *arg, const struct agent_log_info *i), void *arg)
{
	for (size_t i = 0; a->logs != NULL && i < a->logs->n; i++) {
		const struct agent_log *l = &a->logs->log[i];
		struct agent_log_info info = {l->name,
		    (const char *const *)l->paths, l->npaths, l->lines,
		    l->analysed, l->findings};

		if (l->f != NULL)
			fn(arg, &info);
	}
}
