/*
 * agent_logs.c - the logs the agent follows (logs/follow.h) and the
 * analyzers that read them live: the discovered logs (logs/discover.h)
 * and those of "logs { follow ... }", or only the latter with "logs {
 * discover no }".  One follower per kind: the access logs go to the
 * attacks and floods analyzers and to the statistics and broken links
 * ones (figures for the dashboard, agent_logs_show), the mail logs to
 * the mail analyzer, the auth logs to the auth analyzer; the other kinds
 * are not followed here.  What an analyzer finds is a problem
 * (problems_note): one per (check, subject), its count growing; and the
 * respond rules may block the address it names (agent_respond.c), at
 * once, from the same line.  The mail counts are judged at each sync, as
 * `mail follow` does (an hour's window): a new finding (a relay prober,
 * an address enumerator) is noted and responded to like the others.
 *
 * This root process never parses a line: it follows the files (opens
 * them, keeps the bookmarks, cuts the lines) and hands every line to the
 * log child (logs_child.c), an unprivileged process under a seccomp
 * filter supervised here (agent/child.h: restarted with backoff, its
 * death logged), which runs the analyzers and sends back their findings.
 * Every SYNC_EVERY lines of a set, and before its bookmark is committed,
 * the parent asks the child for the set's progress and waits for it;
 * the findings of those lines are noted only then, so the lines a child
 * that died had not acknowledged are given again to the next one, and
 * none counts twice.  While no child runs, the logs wait; and the lines
 * held for a child that does not acknowledge them are bounded
 * (HELD_TEXT_MAX): past it the follower is not stepped.  A line goes
 * with its file (an index in the set's files, told to the child at its
 * start) and its number there, so that the findings say where their
 * lines are; the dashboard asks the child what its analyzers counted
 * (PRIV_SHOW).  The attack rules' compiled caches are made before the
 * child starts (a forked process compiles them: neither this process nor
 * the child, which cannot write them, does).
 *
 * Order, for kill -9 at any moment: the findings are noted when the
 * child acknowledged their lines; the engine writes the notes of a step
 * to the state database in one transaction just before the follower
 * commits its bookmark (on_commit), and the events are printed after
 * that; the counters are written in on_commit too (the pending record,
 * before the bookmark) and after the step (the committed one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <event2/event.h>

#include "agent/agent_int.h"
#include "agent/child.h"
#include "agent/logs_tally.h"
#include "agent/priv.h"
#include "agent/problem.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/esc.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "conf/conf.h"
#include "logs/analyzer.h"
#include "logs/discover.h"
#include "logs/follow.h"
#include "logs/scan.h"

const struct agent_log_kind agent_log_kinds[AGENT_LOG_KINDS] = {
    {DISCOVER_ACCESS, "access", "attacks,floods,stats,links", LOGS_FMT_AUTO},
    {DISCOVER_MAIL, "mail", "mail", LOGS_FMT_SYSLOG},
    {DISCOVER_AUTH, "auth", "auth", LOGS_FMT_SYSLOG},
};
#define kinds agent_log_kinds
#define NKINDS AGENT_LOG_KINDS
_Static_assert(AGENT_LOG_KINDS <= PRIV_SETS_MAX, "a set per kind");

/* Lines of a set between two syncs with the child, at most. */
#define SYNC_EVERY 128
/* Findings kept for lines not yet acknowledged, at most. */
#define HELD_MAX 8192
/* How long the child may take to answer a sync. */
#define SYNC_SECS 60.0
/* Text of a set's lines held for the child, past which its follower
 * waits. */
#define HELD_TEXT_MAX (8u << 20)
/* How long the dashboard waits for the child's figures, and /metrics
 * for the machine's series. */
#define SHOW_SECS 10.0
#define MACHINE_SECS 5.0

/* A line sent to the child and not yet acknowledged. */
struct pend_line {
	uint64_t line, fline; /* in the set, in its file */
	uint32_t file;        /* in agent_log.paths, or PRIV_FILE_NONE */
	size_t off, len;      /* in agent_log.text */
	int cut;
};

struct counts {
	unsigned long long lines, analysed, findings;
};

/* Two records of 4 and 3 numbers of 20 digits, their spaces, newlines;
 * then the two tallies of requests and messages (logs_tally.h). */
#define COUNTS_HEAD (7 * 21)
#define COUNTS_RECORD (COUNTS_HEAD + 2 * LOGS_TALLY_TEXT)

struct agent_log {
	struct agent *a;
	struct agent_logs *ls;
	const char *name;
	uint32_t set; /* its number on the child's channel */
	char **paths;
	size_t npaths;
	const char *last_file; /* the file of the last line, its index */
	uint32_t last_index;
	struct follower *f;
	/* the lines since the last acknowledged sync, sent up to nsent */
	struct pend_line *pend;
	size_t npend, cappend, nsent;
	char *text;
	size_t ntext, captext;
	/* what the child found in them, with their line numbers */
	struct finding *held;
	uint64_t *held_line;
	size_t nheld, capheld, capheld_line;
	unsigned long long dropped;
	uint32_t wait_id; /* the sync waited for; 0: none */
	struct event *ev_fd, *ev_timer;
	unsigned long long lines, analysed, findings; /* since the
	                                                 bookmarks began */
	struct counts committed;
	unsigned long long committed_ino;
	/* the requests and messages counted, as the lines above: so far,
	 * and with the committed bookmark */
	struct logs_tally tally, tally_committed;
	struct logs_tally tally_start; /* as read back at the start */
	int tally_refused; /* a progress's mail counts refused: said once */
	int countfd;
	size_t countlen; /* the counters file's length, once written */
};

struct agent_logs {
	struct agent *a;
	struct agent_log log[NKINDS];
	size_t n;
	struct priv_parent pp;
	struct child_sup *sup;
	int ready; /* a child runs and was given its sets */
	uint32_t sync_id;
	/* the PRIV_SHOW waited for (0: none), where its text goes (a
	 * stream or a buffer), its length so far, its last piece came */
	uint32_t show_id;
	FILE *show_fp;
	struct strbuf *show_sb;
	size_t show_len;
	int show_done;
	struct event *ev_child, *ev_chld, *ev_restart;
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
 * written: those are the ones.  The requests and messages counted
 * (logs_tally.h) follow the two records, committed then pending, and
 * are chosen the same way.
 */
static void
counts_paths(
    const struct agent_log *l, char *name, size_t namesz, char *bm, size_t bmsz)
{
	snprintf(name, namesz, "logs/agent-%s.count", l->name);
	snprintf(bm, bmsz, "%s/logs/follow-agent-%s.bm", l->a->o->state_dir,
	    l->name);
}

/* The records into buf; their length. */
static size_t
counts_record(const struct agent_log *l, const struct counts *c,
    unsigned long long ino, char *buf, size_t sz)
{
	size_t n, t;

	snprintf(buf, sz, "%20llu %20llu %20llu %20llu\n%20llu %20llu %20llu\n",
	    c->lines, c->analysed, c->findings, ino, l->lines, l->analysed,
	    l->findings);
	n = COUNTS_HEAD;
	if ((t = logs_tally_format(&l->tally_committed, buf + n, sz - n)) == 0)
		return n;
	n += t;
	t = logs_tally_format(&l->tally, buf + n, sz - n);
	return t == 0 ? COUNTS_HEAD : n + t;
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
	size_t n =
	    counts_record(l, &l->committed, l->committed_ino, buf, sizeof(buf));

	if (l->countfd == -1)
		return;
	if (pwrite(l->countfd, buf, n, 0) != (ssize_t)n)
		log_warnx("cannot write the counters of the %s logs: %s",
		    l->name, strerror(errno));
	else if (l->countlen != n && ftruncate(l->countfd, (off_t)n) == 0)
		l->countlen = n; /* nothing of a longer file left after */
}

/* Both records, after a step (its bookmark committed). */
static void
counts_commit(struct agent_log *l)
{
	l->committed.lines = l->lines;
	l->committed.analysed = l->analysed;
	l->committed.findings = l->findings;
	l->tally_committed = l->tally;
	l->committed_ino = bm_ino(l);
	counts_pending(l);
}

/* Opens the counters file and loads what goes with the bookmark. */
static int
counts_open(struct agent_log *l, struct err *err)
{
	char name[64], bm[4096], buf[COUNTS_RECORD];
	struct counts c, p;
	struct logs_tally tc = l->tally, tp = l->tally;
	int tallied;
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
	/* the tallies after them (none in a file of an older version) */
	tallied = k == countof(v) && logs_tally_parse(&tc, &cur, end) == 0 &&
	    logs_tally_parse(&tp, &cur, end) == 0;
	if (k == countof(v) && bm_ino(l) != 0) {
		c = (struct counts){v[0], v[1], v[2]};
		p = (struct counts){v[4], v[5], v[6]};
		if (bm_ino(l) != v[3]) {
			c = p; /* committed after the pending counts */
			tc = tp;
		}
		l->lines = c.lines;
		l->analysed = c.analysed;
		l->findings = c.findings;
		if (tallied)
			l->tally = tc;
	}
	return 0;
}

/* ---- the child's channel ---- */

/* Waits up to secs for the child's channel to be readable (and serves
 * what it sent) or writable: 0, or -1 when the child is gone. */
static int
pump(struct agent_logs *ls, short events, double secs)
{
	struct pollfd pfd;
	int fd, r;

	if (!ls->ready || (fd = child_sup_fd(ls->sup, 0)) == -1)
		return -1;
	pfd.fd = fd;
	pfd.events = (short)(POLLIN | events);
	pfd.revents = 0;
	r = poll(&pfd, 1, (int)(secs * 1000));
	if (r == -1 && errno != EINTR)
		return -1;
	if (r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)) != 0)
		child_sup_readable(ls->sup, 0);
	return ls->ready ? 0 : -1;
}

/* A child that does not answer: killed, restarted by the supervisor. */
static void
child_stuck(struct agent_logs *ls, const char *what)
{
	pid_t pid = child_sup_pid(ls->sup, 0);

	log_warnx("child 'logs' %s; stopping it", what);
	if (pid > 0)
		(void)kill(pid, SIGKILL);
	ls->ready = 0;
}

/* Sends a message to the child, serving it while its channel is full. */
static int
child_send(struct agent_logs *ls, enum priv_type type, uint32_t id,
    const void *body, size_t len)
{
	double end = clock_mono() + SYNC_SECS;
	struct err err = {0};

	while (ls->ready) {
		if (priv_send(child_sup_fd(ls->sup, 0), type, id, body, len, -1,
		        &err) == 0)
			return 0;
		if (err.code != EAGAIN && err.code != EWOULDBLOCK) {
			log_warnx("child 'logs': %s", err.msg);
			ls->ready = 0;
			return -1;
		}
		if (clock_mono() >= end) {
			child_stuck(ls, "reads no more lines");
			return -1;
		}
		(void)pump(ls, POLLOUT, 0.5);
	}
	return -1;
}

/* Sends the lines of l the current child has not had. */
static int
send_pending(struct agent_log *l)
{
	static struct priv_line pl;

	while (l->nsent < l->npend) {
		const struct pend_line *p = &l->pend[l->nsent];

		pl.set = l->set;
		pl.cut = p->cut != 0;
		pl.line = p->line;
		pl.fline = p->fline;
		pl.file = p->file;
		pl.len = (uint32_t)p->len;
		memcpy(pl.text, l->text + p->off, p->len);
		if (child_send(l->ls, PRIV_LINE, 0, &pl,
		        offsetof(struct priv_line, text) + p->len) == -1)
			return -1;
		l->nsent++;
	}
	return 0;
}

/* The findings of the acknowledged lines noted, one line at a time. */
static void
apply_held(struct agent_log *l)
{
	struct err err = {0};
	time_t now = time(NULL);
	size_t i = 0;

	while (i < l->nheld) {
		struct report r = {0};
		size_t j = i;

		while (j < l->nheld && l->held_line[j] == l->held_line[i])
			j++;
		for (size_t k = i; k < j; k++)
			if (problems_note(l->a->pb, &l->held[k], now, &err) ==
			    -1)
				log_warnx("%s", err.msg);
		r.f = &l->held[i];
		r.nf = r.capf = j - i;
		agent_respond(l->a, &r);
		i = j;
	}
	l->findings += l->nheld;
	l->nheld = 0;
	l->npend = l->nsent = l->ntext = 0;
}

/*
 * Every line of l read so far to the child, and its progress back: the
 * findings of those lines noted.  0, or -1 (no child, or it died): the
 * lines wait for the next one.
 */
static int
sync_child(struct agent_log *l)
{
	struct agent_logs *ls = l->ls;
	struct priv_sync sy = {l->set, 0};
	double end = clock_mono() + SYNC_SECS;

	if (l->npend == 0 && l->wait_id == 0)
		return 0;
	if (!ls->ready || send_pending(l) == -1)
		return -1;
	if (++ls->sync_id == 0)
		ls->sync_id = 1;
	l->wait_id = ls->sync_id;
	if (child_send(ls, PRIV_SYNC, l->wait_id, &sy, sizeof(sy)) == -1)
		return -1;
	while (l->wait_id != 0) {
		if (clock_mono() >= end) {
			child_stuck(ls, "does not answer");
			return -1;
		}
		if (pump(ls, 0, 0.5) == -1)
			return -1;
	}
	return 0;
}

static void
on_finding(void *arg, const char *child, const struct priv_finding *f)
{
	struct agent_logs *ls = arg;
	struct agent_log *l = NULL;

	(void)child;
	for (size_t i = 0; i < ls->n; i++)
		if (ls->log[i].npaths > 0 && ls->log[i].set == f->set)
			l = &ls->log[i];
	if (l == NULL || (l->wait_id == 0 && l->nsent == 0))
		return; /* no line of that set was sent */
	if (l->nheld >= HELD_MAX ||
	    mem_grow(&l->held, &l->capheld, l->nheld + 1, sizeof(*l->held)) ==
	        -1 ||
	    mem_grow(&l->held_line, &l->capheld_line, l->nheld + 1,
	        sizeof(*l->held_line)) == -1) {
		if (l->dropped++ == 0)
			log_warnx("too many findings in the %s logs; "
			          "some are dropped",
			    l->name);
		return;
	}
	priv_finding_to(&l->held[l->nheld], f);
	l->held_line[l->nheld++] = f->line;
}

static void
on_progress(void *arg, const char *child, const struct priv_progress *pr)
{
	struct agent_logs *ls = arg;

	(void)child;
	for (size_t i = 0; i < ls->n; i++) {
		struct agent_log *l = &ls->log[i];

		if (l->npaths == 0 || l->set != pr->set || l->wait_id == 0)
			continue;
		l->wait_id = 0;
		if (pr->lines != l->nsent) {
			char what[128];

			snprintf(what, sizeof(what),
			    "acknowledged %llu lines of %zu sent",
			    (unsigned long long)pr->lines, l->nsent);
			child_stuck(ls, what);
			return;
		}
		l->analysed += pr->analysed;
		if (logs_tally_add(&l->tally, pr, l->lines) == -1 &&
		    l->tally_refused++ == 0)
			log_warnx("child 'logs' counted more mail messages "
			          "than lines in the %s logs; not counted",
			    l->name);
		apply_held(l);
	}
}

static void
on_shown(void *arg, const char *child, uint32_t id, const struct priv_shown *sh)
{
	struct agent_logs *ls = arg;

	(void)child;
	if (ls->show_id == 0 || id != ls->show_id)
		return; /* an answer given up on */
	if (ls->show_len + sh->len <= PRIV_SHOW_TOTAL) {
		if (sh->len > 0 && ls->show_fp != NULL)
			(void)fwrite(sh->text, 1, sh->len, ls->show_fp);
		else if (sh->len > 0)
			(void)strbuf_add(ls->show_sb, sh->text, sh->len);
		ls->show_len += sh->len;
	}
	if (sh->last) {
		ls->show_id = 0;
		ls->show_done = 1;
	}
}

static void
on_note(void *arg, const char *child, const char *text)
{
	char esc[PRIV_TEXT_MAX * 4];

	(void)arg;
	esc_text_buf(esc, sizeof(esc), text, strlen(text));
	log_warnx("child '%s': %s", child, esc);
}

/* ---- lines ---- */

/* The index of the followed path that is file, or PRIV_FILE_NONE (a
 * file found under another name: rotated while no agent ran). */
static uint32_t
file_index(struct agent_log *l, const char *file)
{
	if (l->last_file != NULL &&
	    (l->last_file == file || strcmp(l->last_file, file) == 0))
		return l->last_index;
	l->last_file = NULL;
	for (size_t i = 0; i < l->npaths && i < PRIV_FILES_MAX; i++)
		if (l->paths[i] == file || strcmp(l->paths[i], file) == 0) {
			l->last_file = l->paths[i];
			return l->last_index = (uint32_t)i;
		}
	return PRIV_FILE_NONE;
}

static void
on_line(void *arg, const char *file, uint64_t lineno, const char *p, size_t n,
    int cut)
{
	struct agent_log *l = arg;
	struct pend_line *pl;

	l->lines++;
	if (mem_grow(&l->pend, &l->cappend, l->npend + 1, sizeof(*l->pend)) ==
	        -1 ||
	    mem_grow(&l->text, &l->captext, l->ntext + n + 1, 1) == -1) {
		log_warnx(
		    "out of memory: a line of the %s logs is lost", l->name);
		return;
	}
	pl = &l->pend[l->npend++];
	pl->line = l->lines;
	pl->fline = lineno;
	pl->file = file_index(l, file);
	pl->off = l->ntext;
	pl->len = n < PRIV_LINE_MAX ? n : PRIV_LINE_MAX;
	pl->cut = cut || n > PRIV_LINE_MAX;
	memcpy(l->text + l->ntext, p, pl->len);
	l->ntext += pl->len;
	if (l->ls->ready && send_pending(l) == 0 && l->npend >= SYNC_EVERY)
		(void)sync_child(l);
}

/*
 * Before the follower commits its bookmarks: the child acknowledged
 * every line they cover, and the problems the lines made are written, in
 * one transaction for all the lines of the step.
 */
static int
on_commit(void *arg, struct err *err)
{
	struct agent_log *l = arg;

	if (sync_child(l) == -1)
		return err_set(err, EAGAIN,
		    "the log child did not acknowledge the lines read; "
		    "they wait for the next one");
	counts_pending(l);
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
	int rc;

	(void)fd;
	(void)what;
	if (!l->ls->ready) {
		/* the logs wait for the child: not a busy loop meanwhile */
		event_del(l->ev_fd);
		if (agent_timer_arm(l->ev_timer, 0.5) == -1)
			log_warnx(
			    "cannot arm the timer of the %s logs", l->name);
		return;
	}
	(void)event_add(l->ev_fd, NULL);
	/* lines held past the bound: acknowledged before any more */
	if (l->ntext >= HELD_TEXT_MAX && sync_child(l) == -1) {
		if (agent_timer_arm(l->ev_timer, 0.5) == -1)
			log_warnx(
			    "cannot arm the timer of the %s logs", l->name);
		return;
	}
	rc = follower_step(l->f, &err);
	/* lines a child that died had not acknowledged, and none since */
	if (rc != -1 && l->npend > 0)
		rc = follower_commit(l->f, &err);
	if (rc == -1) {
		log_warnx("following the %s logs: %s", l->name, err.msg);
		next = 1.0;
	} else {
		next = follower_timeout(l->f);
	}
	agent_events_flush(l->a);
	if (rc != -1 && l->npend == 0 && l->lines != l->committed.lines)
		counts_commit(l);
	if (agent_timer_arm(l->ev_timer, next) == -1)
		log_warnx("cannot arm the timer of the %s logs", l->name);
}

/* ---- the child's supervision ---- */

static void
on_child_readable(evutil_socket_t fd, short what, void *arg)
{
	struct agent_logs *ls = arg;

	(void)fd;
	(void)what;
	child_sup_readable(ls->sup, 0);
}

/* A child started (fd) or gone (-1). */
static void
on_child_change(void *arg, size_t i, int fd)
{
	struct agent_logs *ls = arg;
	struct logs_child_set sets[AGENT_LOG_KINDS] = {{0}};
	struct err err = {0};

	(void)i;
	if (ls->ev_child != NULL)
		event_free(ls->ev_child);
	ls->ev_child = NULL;
	ls->ready = 0;
	ls->show_id = 0;
	agent_checks_child(ls->a, 0);
	/* what the last child had not acknowledged goes to the next one */
	for (size_t k = 0; k < ls->n; k++) {
		ls->log[k].nsent = 0;
		ls->log[k].wait_id = 0;
		ls->log[k].nheld = 0;
	}
	if (fd == -1)
		return;
	ls->ev_child = event_new(
	    ls->a->base, fd, EV_READ | EV_PERSIST, on_child_readable, ls);
	if (ls->ev_child == NULL || event_add(ls->ev_child, NULL) == -1) {
		log_warnx("cannot wait for the log child");
		return;
	}
	for (size_t k = 0; k < ls->n; k++) {
		sets[ls->log[k].set].paths =
		    (const char *const *)ls->log[k].paths;
		sets[ls->log[k].set].npaths = ls->log[k].npaths;
	}
	if (logs_child_setup(fd, &ls->a->conf, ls->a->o->state_dir,
	        ls->a->o->root, sets, &err) == -1) {
		log_warnx("cannot start the log child: %s", err.msg);
		return;
	}
	ls->ready = 1;
	agent_checks_child(ls->a, 1);
	for (size_t k = 0; k < ls->n; k++)
		if (ls->log[k].ev_timer != NULL)
			(void)agent_timer_arm(ls->log[k].ev_timer, 0);
}

static void
restart_due(struct agent_logs *ls)
{
	double next = child_sup_tick(ls->sup, clock_mono());

	if (next >= 0 && agent_timer_arm(ls->ev_restart, next) == -1)
		log_warnx("cannot arm the log child's restart");
}

static void
on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct agent_logs *ls = arg;

	(void)sig;
	(void)what;
	child_sup_reap(ls->sup, clock_mono());
	restart_due(ls);
}

static void
on_restart(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	restart_due(arg);
}

/* The log child and its supervisor: 0, or -1 with err. */
static int
child_start(struct agent *a, struct agent_logs *ls, struct err *err)
{
	priv_parent_init(&ls->pp);
	ls->pp.finding = on_finding;
	ls->pp.progress = on_progress;
	ls->pp.shown = on_shown;
	ls->pp.finding_arg = ls;
	ls->pp.note = on_note;
	ls->pp.note_arg = ls;
	ls->pp.checked = agent_checks_checked;
	ls->pp.ran = agent_checks_ran;
	ls->pp.samples = agent_hist_samples;
	ls->pp.stop = agent_checks_stop;
	ls->pp.check_arg = a;
	ls->ev_chld =
	    event_new(a->base, SIGCHLD, EV_SIGNAL | EV_PERSIST, on_sigchld, ls);
	ls->ev_restart = event_new(a->base, -1, 0, on_restart, ls);
	if (ls->ev_chld == NULL || ls->ev_restart == NULL ||
	    event_add(ls->ev_chld, NULL) == -1)
		return err_set(err, ENOMEM, "cannot supervise the log child");
	ls->sup = child_sup_new(child_user_name(&a->conf), &ls->pp, err);
	if (ls->sup == NULL)
		return -1;
	child_sup_on_change(ls->sup, on_child_change, ls);
	if (child_sup_add(ls->sup, logs_child_role.name, err) == -1)
		return -1;
	return 0;
}

static void
child_stop(struct agent_logs *ls)
{
	agent_checks_child(ls->a, 0);
	if (ls->sup != NULL) {
		child_sup_on_change(ls->sup, NULL, NULL);
		child_sup_free(ls->sup);
	}
	if (ls->ev_child != NULL)
		event_free(ls->ev_child);
	if (ls->ev_chld != NULL)
		event_free(ls->ev_chld);
	if (ls->ev_restart != NULL)
		event_free(ls->ev_restart);
	priv_parent_release(&ls->pp);
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
		else if (l->npend == 0)
			counts_commit(l);
		follower_close(l->f);
	}
	if (l->countfd != -1)
		close(l->countfd);
	for (size_t i = 0; i < l->npaths; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->pend);
	free(l->text);
	free(l->held);
	free(l->held_line);
	memset(l, 0, sizeof(*l));
}

/* The paths of d of kind k: 0, or -1. */
static int
log_paths(struct agent *a, struct agent_log *l, size_t k,
    const struct discover *d, struct err *err)
{
	l->a = a;
	l->ls = a->logs;
	l->name = kinds[k].name;
	l->set = (uint32_t)k;
	l->countfd = -1;
	if ((l->paths = calloc(d->n ? d->n : 1, sizeof(char *))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < d->n; i++)
		if (d->log[i].kind == (enum discover_kind)kinds[k].kind &&
		    (l->paths[l->npaths] = strdup(d->log[i].path)) != NULL)
			l->npaths++;
	logs_tally_init(&l->tally, (const char *const *)l->paths, l->npaths,
	    kinds[k].kind == DISCOVER_ACCESS);
	l->tally_committed = l->tally;
	return 0;
}

/* The follower of l's paths (none: nothing): 0, or -1. */
static int
log_open(struct agent *a, struct agent_log *l, struct err *err)
{
	struct follow_opts fo;
	char setname[64];

	if (l->npaths == 0)
		return 0;
	if (counts_open(l, err) == -1)
		return -1;
	l->tally_start = l->tally;
	follow_opts_default(&fo);
	fo.max_line = PRIV_LINE_MAX;
	snprintf(setname, sizeof(setname), "agent-%s", l->name);
	fo.name = setname;
	fo.state_dir = a->o->state_dir;
	fo.line = on_line;
	fo.notice = on_notice;
	fo.commit = on_commit;
	/* a quiet log's every line is a commit: two fsyncs for each would be
	 * most of the agent's CPU, for no more than the database's own
	 * durability (WAL, synchronous=NORMAL) */
	fo.bookmark_nosync = 1;
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
	if (l->npend == 0)
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

/*
 * The attack rules' compiled caches in the state directory, made when
 * missing or stale by a forked process that loads the access logs'
 * attacks analyzer as the child will (its compile itself forks: no
 * process keeps Hyperscan's compiler) and exits: the child, which cannot
 * write them, reads them at each start instead of compiling.
 */
static void
rules_caches_make(struct agent *a, const struct agent_log *access)
{
	int status;
	pid_t pid;

	if (access->npaths == 0)
		return;
	if ((pid = fork()) == -1) {
		log_warn("cannot fork to compile the attack rules");
		return;
	}
	if (pid == 0) {
		struct logs_opts lo;
		struct logs_run run;
		const char *errmsg = NULL;

		logs_opts_default(&lo);
		lo.follow = 1;
		lo.conf = &a->conf;
		lo.state_dir = a->o->state_dir;
		_exit(
		    logs_run_init(&run, "attacks", &lo, &errmsg) == -1 ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return;
}

int
agent_logs_start(struct agent *a, struct err *err)
{
	struct discover d;
	int rc = 0;

	if ((a->logs = calloc(1, sizeof(*a->logs))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	a->logs->a = a;
	if (a->o->state_dir == NULL) {
		log_info("no state directory: no logs followed");
		/* the child runs the checks all the same */
		if (child_start(a, a->logs, err) == -1) {
			agent_logs_stop(a);
			return -1;
		}
		return 0;
	}
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
	a->logs->a = a;
	for (size_t k = 0; rc == 0 && k < NKINDS; k++, a->logs->n++)
		rc = log_paths(a, &a->logs->log[k], k, &d, err);
	for (size_t k = 0; rc == 0 && k < a->logs->n; k++)
		if (kinds[k].kind == DISCOVER_ACCESS)
			rules_caches_make(a, &a->logs->log[k]);
	/* with or without logs: the child runs checks too */
	if (rc == 0)
		rc = child_start(a, a->logs, err);
	for (size_t k = 0; rc == 0 && k < a->logs->n; k++)
		rc = log_open(a, &a->logs->log[k], err);
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
	child_stop(a->logs);
	free(a->logs);
	a->logs = NULL;
}

int
agent_child_state(const struct agent *a)
{
	if (a->logs == NULL || a->logs->sup == NULL)
		return -1;
	return a->logs->ready;
}

int
agent_child_send(
    struct agent *a, int type, uint32_t id, const void *body, size_t len)
{
	if (agent_child_state(a) != 1)
		return -1;
	return child_send(a->logs, (enum priv_type)type, id, body, len);
}

void
agent_child_kill(struct agent *a, const char *why)
{
	if (agent_child_state(a) == 1)
		child_stuck(a->logs, why);
}

/*
 * Sends sh and waits up to secs for the whole answer, its pieces
 * written to fp, else appended to sb: 1 when its last piece came, else 0
 * (what came is there).
 */
static int
show_wait(struct agent_logs *ls, const struct priv_show *sh, FILE *fp,
    struct strbuf *sb, double secs)
{
	double end;

	if (++ls->sync_id == 0)
		ls->sync_id = 1;
	ls->show_id = ls->sync_id;
	ls->show_fp = fp;
	ls->show_sb = sb;
	ls->show_len = 0;
	ls->show_done = 0;
	end = clock_mono() + secs;
	if (child_send(ls, PRIV_SHOW, ls->show_id, sh, sizeof(*sh)) == 0)
		/* given up after a while: a late answer is dropped */
		while (ls->show_id != 0 && clock_mono() < end &&
		    pump(ls, 0, 0.5) == 0)
			;
	ls->show_id = 0;
	ls->show_fp = NULL;
	ls->show_sb = NULL;
	return ls->show_done;
}

int
agent_logs_show(const struct agent *a, const char *name, const char *analyzers,
    const struct out *out)
{
	struct agent_logs *ls = a->logs;
	struct priv_show sh;

	for (size_t i = 0; ls != NULL && i < ls->n; i++) {
		struct agent_log *l = &ls->log[i];

		if (l->f == NULL || strcmp(l->name, name) != 0)
			continue;
		memset(&sh, 0, sizeof(sh));
		sh.set = l->set;
		sh.mode = (uint32_t)out->mode;
		if (!ls->ready ||
		    str_printf(sh.analyzers, sizeof(sh.analyzers), "%s",
		        analyzers ? analyzers : "") == -1)
			return -1;
		(void)show_wait(ls, &sh, out->fp, NULL, SHOW_SECS);
		return 0;
	}
	return -1;
}

int
agent_logs_machine(const struct agent *a, int fmt, struct strbuf *out)
{
	struct agent_logs *ls = a->logs;
	struct strbuf got = STRBUF_INIT(PRIV_SHOW_TOTAL);
	struct priv_show sh = {0};
	int rc = -1;

	sh.set = PRIV_SHOW_MACHINE;
	sh.mode = (uint32_t)fmt;
	/* the whole answer, or none of it */
	if (ls != NULL && ls->ready &&
	    show_wait(ls, &sh, NULL, &got, MACHINE_SECS) &&
	    !strbuf_failed(&got) && strbuf_add(out, got.p, got.len) == 0)
		rc = 0;
	strbuf_release(&got);
	return rc;
}

void
agent_logs_each(const struct agent *a,
    void (*fn)(void *arg, const struct agent_log_info *i), void *arg)
{
	for (size_t i = 0; a->logs != NULL && i < a->logs->n; i++) {
		const struct agent_log *l = &a->logs->log[i];
		struct agent_log_info info = {l->name,
		    (const char *const *)l->paths, l->npaths, l->lines,
		    l->analysed, l->findings, &l->tally, &l->tally_start};

		if (l->f != NULL)
			fn(arg, &info);
	}
}
