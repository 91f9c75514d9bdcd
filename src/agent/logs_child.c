/*
 * logs_child.c - the agent's log-parsing child (role "logs", see
 * child.h) and what the parent gives it to start.
 *
 * The parent follows the logs (it opens them, keeps the bookmarks and
 * cuts the lines) and never parses them: it sends each line of a set
 * (PRIV_LINE) to this child, which runs the set's analyzers on it and
 * sends back what they find (PRIV_FINDING), and, when asked (PRIV_SYNC),
 * the set's counters since it was last asked (PRIV_PROGRESS, the sync's
 * id), once the findings of those lines are sent; the mail logs' counts
 * are judged then (an hour's window, as `mail follow`), a new finding
 * sent as one of the set's last line.  Asked what a set's analyzers
 * counted so far (PRIV_SHOW: the dashboard's web and mail pages), it
 * prints their show() into memory and sends the text in pieces
 * (PRIV_SHOWN).  A line comes with its file (an index in the set's
 * files, told at the start) and its number there: the findings say
 * where their lines are.
 *
 * To start, the parent sends: the configuration (as conf_dump writes
 * it, in a memory file: PRIV_FD of id LC_FD_CONF), the attack rules'
 * compiled caches of its state directory when they exist (LC_FD_RULES,
 * LC_FD_CRS), "set N" for every set it will send and "file N I PATH" for
 * its files (PRIV_NOTE), then "start".  The child makes the analyzers then, before the seccomp
 * filter: that reads the rule files, loads the caches (from the
 * descriptors: "fd:N", attack/sig.h) and the libraries the analyzers use;
 * after the filter it reads its channel, writes it, and reads /proc and
 * /sys for the checks.
 *
 * It is also the agent's parsing child for the checks that read only
 * what any user may (agent_check_in_child): asked to run the due
 * entries of the registry (PRIV_RUN), it takes one snapshot, runs them
 * and sends each finding (PRIV_CHECKED) and each entry's end (PRIV_RAN);
 * their memory between runs (the memory-leak samples, the VM counters
 * of the swapping rates) is this child's.  Asked (PRIV_SAMPLE), it
 * samples the history's series that need no privilege and sends their
 * values (PRIV_SAMPLES); the counters behind their rates are its own.
 * The process checks it runs (proc-exe-deleted, stuck-cgi,
 * apache-workers) read /proc here; what only root may read, another
 * user's /proc/PID/exe and cwd, is asked of the parent (PRIV_LINKS: pids
 * in, the links' bytes out), and so is stat(2) of an executable or its
 * directory refused to this child (PRIV_EXEFACTS: pids in, each link and
 * what stat said out), each answer kept only when the process still has
 * the start time (and the executable) it was judged by; a stuck
 * interpreter is stopped by the parent (PRIV_STOP).  While it waits
 * for such an answer, what the parent sends meanwhile (lines, syncs, shows,
 * samples) is handled as in the main loop.
 * Asked for the machine's series of /metrics (PRIV_SHOW of the set
 * PRIV_SHOW_MACHINE), it takes a snapshot and reads the interfaces'
 * counters, and sends the series in the exposition format asked for
 * (PRIV_SHOWN).
 */
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/agent.h"
#include "agent/agent_int.h"
#include "agent/child.h"
#include "agent/expo.h"
#include "agent/http.h"
#include "agent/metrics.h"
#include "agent/priv.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "collect/netdev.h"
#include "collect/passwd.h"
#include "collect/proc.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "hist/hist.h"
#include "logs/analyzer.h"
#include "logs/discover.h"
#include "logs/scan.h"
#include "mail/mail_run.h"
#include "rules/procrules.h"

enum { LC_FD_CONF = 1, LC_FD_RULES, LC_FD_CRS };

/* The window of the live mail counts, as `mail follow`'s default. */
#define MAIL_WINDOW 3600

/*
 * Seconds between two returns of free heap pages to the system: a
 * snapshot's process table is freed after each run, and glibc keeps the
 * freed pages of the main arena resident.
 */
#define LC_TRIM_EVERY 60

/* The configuration given to a child, at most. */
#define LC_CONF_MAX (16 * 1024 * 1024)

struct lc_set {
	int on;
	struct logs_opts lo; /* the analyzers keep a pointer to it */
	struct logs_run run;
	struct logs_feed feed;
	struct report rep;
	uint64_t lines, analysed, findings; /* since the last sync */
	/* the requests of each access log and the mail messages, since
	 * the last sync (priv_progress) */
	uint64_t web[PRIV_WEB_LOGS + 1][PRIV_WEB_N];
	uint64_t msgs[PRIV_MAIL_N];
	uint64_t last; /* the number of the last line in the set */
	char **files;  /* the set's files, by the index lines give */
	size_t nfiles;
	int mail; /* the mail logs: judged live in lv */
	struct mail_live lv;
	struct mail_conf_lists lists;
};

static struct {
	struct conf conf;
	struct lc_set set[PRIV_SETS_MAX];
	int cache_fd[2]; /* the rules' and the CRS's caches, or -1 */
	char cache_path[2][40];
	/* the checks: the registry, their memory between runs, the VM
	 * counters of the last snapshot (the swapping rates), the root */
	const struct check_entry *table;
	size_t n;
	void **memos;
	struct vmstat vm_prev;
	double vm_mono;
	int have_vm;
	char *root;
	struct hist *hist; /* the history's collector, NULL: none */
} lc;

/*
 * The checks of the registry this child runs: they read /proc, /sys and
 * statvfs, what any user may read, and write nothing.  The process
 * checks ask the parent for what they may not read: the executables'
 * links of /proc/PID (stuck-cgi, proc-exe-deleted), the working
 * directories (stuck-cgi) and what stat(2) says of the executables and
 * their directories (proc-exe-deleted); stuck-cgi also for its kill.
 * apache-workers reads the Apache configuration, readable by anyone, and
 * tells the workers by the SIGCHLD they do not ignore (another user's
 * descriptors are not read).  The others need root to look (another
 * user's /proc/PID/fd, SMART, the kernel log, root-only files) or the
 * state database, and run in the parent.
 */
static const char *const child_checks[] = {"load", "swap-activity", "memory",
    "memory-leak", "fs-blocks", "fs-inodes", "process-count", "raid",
    "proc-exe-deleted", "stuck-cgi", "apache-workers", NULL};

int
agent_check_in_child(const struct check_entry *e)
{
	for (size_t i = 0; child_checks[i] != NULL; i++)
		if (strcmp(e->name, child_checks[i]) == 0)
			return 1;
	return 0;
}

/* ---- the parent's half ---- */

/* The configuration as conf_dump writes it, sent in a memory file. */
static int
send_conf(int sock, const struct conf *c, struct err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return err_sys(err, errno, "the log child's configuration");
	conf_dump(c, fp);
	if (fclose(fp) != 0) {
		free(buf);
		return err_sys(err, errno, "the log child's configuration");
	}
	rc = priv_send_bytes(sock, LC_FD_CONF, buf, len, err);
	free(buf);
	return rc;
}

int
logs_child_setup(int sock, const struct conf *c, const char *state_dir,
    const char *root, const struct logs_child_set *sets, struct err *err)
{
	static const char *const caches[] = {
	    "attack-rules.hsdb", "attack-crs.hsdb"};
	char note[PRIV_TEXT_MAX];
	int fd, rc;

	rc = send_conf(sock, c, err);
	for (size_t i = 0; rc == 0 && state_dir != NULL && i < 2; i++) {
		char path[4096];

		if (path_join(path, sizeof(path), state_dir, caches[i]) == -1)
			continue;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd == -1)
			continue; /* none yet: the child compiles the rules */
		rc = priv_send(
		    sock, PRIV_FD, LC_FD_RULES + (uint32_t)i, NULL, 0, fd, err);
		close(fd);
	}
	for (unsigned s = 0; rc == 0 && s < AGENT_LOG_KINDS; s++) {
		if (sets[s].npaths == 0)
			continue;
		str_printf(note, sizeof(note), "set %u", s);
		rc = priv_send_note(sock, note, err);
		/* a path too long for a note: its lines say no file */
		for (size_t i = 0;
		     rc == 0 && i < sets[s].npaths && i < PRIV_FILES_MAX; i++)
			if (str_printf(note, sizeof(note), "file %u %zu %s", s,
			        i, sets[s].paths[i]) != -1)
				rc = priv_send_note(sock, note, err);
	}
	if (rc == 0 && root != NULL &&
	    str_printf(note, sizeof(note), "root %s", root) != -1)
		rc = priv_send_note(sock, note, err);
	if (rc == 0)
		rc = priv_send_note(sock, "start", err);
	return rc;
}

/* ---- the child ---- */

/* A cache given as fd: kept open for the analyzers to read it. */
static void
take_cache(int i, int fd)
{
	if (lc.cache_fd[i] != -1)
		close(lc.cache_fd[i]);
	if ((lc.cache_fd[i] = fcntl(fd, F_DUPFD_CLOEXEC, 0)) != -1)
		str_printf(lc.cache_path[i], sizeof(lc.cache_path[i]), "fd:%d",
		    lc.cache_fd[i]);
}

static int
take_conf(int fd)
{
	struct conf_errs errs = {0};
	char *buf;
	size_t len;
	int rc;

	if (priv_fd_read(fd, LC_CONF_MAX, &buf, &len) == -1) {
		log_warnx("child 'logs': cannot read the configuration");
		return -1;
	}
	conf_release(&lc.conf);
	conf_init(&lc.conf);
	rc = conf_load_string(&lc.conf, "agent", buf ? buf : "", len, &errs);
	for (size_t i = 0; i < errs.n; i++)
		log_warnx("child 'logs': %s", errs.msg[i]);
	conf_errs_release(&errs);
	free(buf);
	return rc;
}

/* N of "set N"; AGENT_LOG_KINDS when it is not that. */
static uint64_t
set_number(const char *text)
{
	const char *cur = text + 4, *end = text + strlen(text);
	uint64_t v;

	if (strncmp(text, "set ", 4) != 0 || cur_u64(&cur, end, &v) == -1 ||
	    cur != end)
		return AGENT_LOG_KINDS;
	return v;
}

/* "file N I PATH": path the file I of set N. */
static void
take_file(const char *text)
{
	const char *cur = text + 5, *end = text + strlen(text);
	uint64_t s, i;
	struct lc_set *l;
	size_t cap;

	if (cur_u64(&cur, end, &s) == -1 || s >= AGENT_LOG_KINDS ||
	    *cur++ != ' ' || cur_u64(&cur, end, &i) == -1 ||
	    i >= PRIV_FILES_MAX || *cur++ != ' ' || *cur != '/')
		return;
	l = &lc.set[s];
	cap = l->nfiles;
	if (i >= l->nfiles) {
		if (mem_grow(&l->files, &cap, i + 1, sizeof(*l->files)) == -1)
			return;
		memset(l->files + l->nfiles, 0,
		    (i + 1 - l->nfiles) * sizeof(*l->files));
		l->nfiles = i + 1;
	}
	free(l->files[i]);
	l->files[i] = strdup(cur);
}

/* The local year, for syslog times that have none (as "logs follow"). */
static int
this_year(void)
{
	time_t now = time(NULL);
	struct tm tm;

	return localtime_r(&now, &tm) ? tm.tm_year + 1900 : 0;
}

/* What the parent sends before "start". */
static int
setup_recv(void)
{
	static struct priv_msg m;
	struct err err = {0};
	uint64_t s;
	int r;

	for (;;) {
		r = priv_recv(CHILD_FD, PRIV_FROM_PARENT, &m, &err);
		if (r == 0)
			return -1;
		if (r == -1) {
			log_warnx("child 'logs': %s", err.msg);
			return -1;
		}
		if (m.type == PRIV_FD) {
			if (m.id == LC_FD_CONF)
				r = take_conf(m.fd);
			else if (m.id == LC_FD_RULES || m.id == LC_FD_CRS)
				take_cache((int)(m.id - LC_FD_RULES), m.fd);
			close(m.fd);
			if (r == -1)
				return -1;
		} else if (m.type == PRIV_NOTE &&
		    strcmp(m.u.text, "start") == 0)
			return 0;
		else if (m.type == PRIV_NOTE &&
		    (s = set_number(m.u.text)) < AGENT_LOG_KINDS)
			lc.set[s].on = 1;
		else if (m.type == PRIV_NOTE &&
		    strncmp(m.u.text, "file ", 5) == 0)
			take_file(m.u.text);
		else if (m.type == PRIV_NOTE &&
		    strncmp(m.u.text, "root /", 6) == 0) {
			free(lc.root);
			lc.root = strdup(m.u.text + 5);
		}
	}
}

/* The analyzers of every set given. */
static int
logs_child_prepare(void)
{
	/* libraries an analyzer may load on first use: now, before the
	 * filter forbids opening files and executable mappings */
	static const int libs[] = {DYNLIB_HS, DYNLIB_PCRE2, DYNLIB_ZLIB};
	struct err err = {0};

	conf_init(&lc.conf);
	lc.cache_fd[0] = lc.cache_fd[1] = -1;
	lc.table = check_registry(&lc.n);
	if ((lc.memos = calloc(lc.n ? lc.n : 1, sizeof(*lc.memos))) == NULL)
		return 71;
	/* the name service may load a library or open a socket: the
	 * filter forbids both, a uid outside /etc/passwd has no name */
	uid_names_use_nss(0);
	if (setup_recv() == -1)
		return 65;
	/* libinjection comes in libmodsecurity3 with some 30 libraries
	 * (ICU, libxml2, curl, GnuTLS, Kerberos...), 9 MiB resident: only
	 * the Core Rule Set's rules on web requests call it.  Loaded before
	 * the rules are translated, which then need not count on a library
	 * not loaded yet (dynlib_expect): a load after the filter fails */
	for (unsigned s = 0; s < AGENT_LOG_KINDS; s++)
		if (lc.set[s].on &&
		    agent_log_kinds[s].kind == DISCOVER_ACCESS &&
		    conf_setting_bool(&lc.conf, "crs", 0)) {
			(void)dynlib_require(DYNLIB_INJECTION, &err);
			break;
		}
	for (unsigned s = 0; s < AGENT_LOG_KINDS; s++) {
		struct lc_set *l = &lc.set[s];
		const char *errmsg = NULL;

		if (!l->on)
			continue;
		logs_opts_default(&l->lo);
		l->lo.follow = 1;
		l->lo.conf = &lc.conf;
		/* resident for good, its memo sparing most scans: the
		 * database of every rule alone, a third of the memory of
		 * those per field (the cache is made whole before) */
		l->lo.rules_lean = 1;
		if (lc.cache_fd[0] != -1)
			l->lo.rules_cache = lc.cache_path[0];
		if (lc.cache_fd[1] != -1)
			l->lo.crs_cache = lc.cache_path[1];
		if (agent_log_kinds[s].kind == DISCOVER_ACCESS)
			l->lo.topk_cap = AGENT_WEB_TOPK;
		if (logs_run_init(&l->run, agent_log_kinds[s].analyzers, &l->lo,
		        &errmsg) == -1) {
			log_warnx("child 'logs': the analyzers of the %s "
			          "logs: %s",
			    agent_log_kinds[s].name,
			    errmsg ? errmsg : "cannot start");
			return 78;
		}
		if (agent_log_kinds[s].kind == DISCOVER_MAIL) {
			struct mail_policy p;

			mail_policy_from_conf(&lc.conf, &p, &l->lists);
			mail_live_init(
			    &l->lv, &p, MAIL_WINDOW, clock_mono(), NULL, NULL);
			mail_analyzer_count_into(&l->run, &l->lv.s);
			l->mail = 1;
		}
		report_init(&l->rep);
		logs_feed_init(&l->feed,
		    (enum logs_format)agent_log_kinds[s].fmt, NULL, &l->run,
		    &l->rep);
		l->feed.parser.default_year = this_year();
	}
	for (int i = 0; i < 2; i++)
		if (lc.cache_fd[i] != -1)
			close(lc.cache_fd[i]);
	if (hist_enabled(&lc.conf))
		lc.hist = hist_collector_new(&lc.conf);
	for (size_t i = 0; i < countof(libs); i++)
		(void)dynlib_require(libs[i], &err);
	tzset();             /* reads /etc/localtime, once */
	json_object_seed(0); /* reads /dev/urandom, once: shown JSON */
	return 0;
}

/* What the analyzers of l counted so far: requests or mail messages. */
static void
counts_of(const struct lc_set *l, uint64_t *web, uint64_t *mail)
{
	struct logs_web_counts c = {0};

	if (l->mail) {
		mail[PRIV_MAIL_RECEIVED] = l->lv.s.received;
		mail[PRIV_MAIL_DELIVERED] = l->lv.s.delivered;
		mail[PRIV_MAIL_BOUNCED] = l->lv.s.bounced;
		mail[PRIV_MAIL_REJECTED] = l->lv.s.rejected;
		return;
	}
	logs_stats_counts(&l->run, &c);
	web[PRIV_WEB_HITS] = c.hits;
	web[PRIV_WEB_PAGES] = c.pages;
	web[PRIV_WEB_4XX] = c.c4xx;
	web[PRIV_WEB_5XX] = c.c5xx;
	web[PRIV_WEB_ATTACKS] = logs_attacks_flagged(&l->run);
}

/* One line: its findings to the parent; what it counted, to its file's. */
static int
line_in(int sock, const struct priv_line *pl)
{
	struct lc_set *l = &lc.set[pl->set];
	struct priv_finding pf;
	struct err err = {0};
	uint64_t records, web[2][PRIV_WEB_N] = {{0}},
	                  mail[2][PRIV_MAIL_N] = {{0}};
	uint64_t *slot;

	if (!l->on)
		return 0;
	records = l->feed.counts.records;
	counts_of(l, web[0], mail[0]);
	/* the records say where they are: the file and its line number */
	l->feed.file = pl->file < l->nfiles ? l->files[pl->file] : NULL;
	l->feed.lineno = pl->fline > 0 ? pl->fline - 1 : 0;
	logs_feed_line(&l->feed, pl->text, pl->len, (int)pl->cut);
	l->lines++;
	l->last = pl->line;
	l->analysed += l->feed.counts.records - records;
	counts_of(l, web[1], mail[1]);
	slot = l->web[pl->file < PRIV_WEB_LOGS ? pl->file : PRIV_WEB_LOGS];
	for (size_t i = 0; i < PRIV_WEB_N; i++)
		slot[i] += web[1][i] - web[0][i];
	for (size_t i = 0; i < PRIV_MAIL_N; i++)
		l->msgs[i] += mail[1][i] - mail[0][i];
	for (size_t i = 0; i < l->rep.nf; i++) {
		priv_finding_from(&pf, pl->set, pl->line, &l->rep.f[i]);
		if (priv_send(
		        sock, PRIV_FINDING, 0, &pf, sizeof(pf), -1, &err) == -1)
			return -1;
		l->findings++;
	}
	report_release(&l->rep);
	report_init(&l->rep);
	return 0;
}

/*
 * The mail counts judged after the lines so far: each finding not told
 * before (or now worse) sent as one of the last line.
 */
static int
mail_judge(int sock, uint32_t set, struct lc_set *l)
{
	struct priv_finding pf;
	struct report r;
	struct err err = {0};
	time_t now = time(NULL);
	int rc = 0;

	report_init(&r);
	mail_live_judge(&l->lv, &r);
	for (size_t i = 0; rc == 0 && i < r.nf; i++) {
		struct finding *f = &r.f[i];

		if (!mail_live_is_new(&l->lv, f))
			continue;
		f->time = now;
		priv_finding_from(&pf, set, l->last, f);
		rc =
		    priv_send(sock, PRIV_FINDING, 0, &pf, sizeof(pf), -1, &err);
		l->findings++;
	}
	report_release(&r);
	mail_live_window(&l->lv, clock_mono());
	return rc;
}

static int
sync_in(int sock, uint32_t id, uint32_t set)
{
	struct lc_set *l = &lc.set[set];
	struct priv_progress pr = {0};
	struct err err = {0};

	if (l->on && l->mail && l->lines > 0 && mail_judge(sock, set, l) == -1)
		return -1;
	l->feed.parser.default_year = this_year();
	pr.set = set;
	pr.lines = l->lines;
	pr.analysed = l->analysed;
	pr.findings = l->findings;
	memcpy(pr.web, l->web, sizeof(pr.web));
	memcpy(pr.mail, l->msgs, sizeof(pr.mail));
	l->lines = l->analysed = l->findings = 0;
	memset(l->web, 0, sizeof(l->web));
	memset(l->msgs, 0, sizeof(l->msgs));
	return priv_send(sock, PRIV_PROGRESS, id, &pr, sizeof(pr), -1, &err);
}

/* What a set's analyzers counted so far, in pieces of PRIV_SHOWN. */
static int
show_in(int sock, uint32_t id, const struct priv_show *sh)
{
	static struct priv_shown piece;
	struct lc_set *l = &lc.set[sh->set];
	struct out o = {(enum out_mode)sh->mode, NULL, 0, 0, 0};
	struct err err = {0};
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (l->on && (o.fp = open_memstream(&buf, &len)) != NULL) {
		logs_run_show(&l->run,
		    sh->analyzers[0] != '\0' ? sh->analyzers : NULL, &o);
		if (fclose(o.fp) != 0)
			len = 0;
	}
	rc = priv_send_pieces(sock, PRIV_SHOWN, id, &piece,
	    offsetof(struct priv_shown, text),
	    offsetof(struct priv_shown, last), offsetof(struct priv_shown, len),
	    buf, len, 0, &err);
	free(buf);
	return rc;
}

/*
 * The machine's series of /metrics in the format fmt, from a snapshot
 * taken now, in pieces of PRIV_SHOWN: the parent copies them into its
 * answer.  They are counters and gauges as read: no baseline is kept.
 * 0, or -1 when the parent is gone.
 */
static int
machine_in(int sock, uint32_t id, enum expo_fmt fmt)
{
	static struct priv_shown piece;
	struct strbuf sb = STRBUF_INIT(PRIV_SHOW_TOTAL);
	struct expo e = {&sb, fmt};
	struct netdevs nd = {0};
	struct err err = {0};
	struct snap s;
	int rc, net;

	snap_take(&s, lc.root, METRICS_SNAP, 0, 0);
	if ((net = netdev_read(lc.root, &nd, &err)) == -1)
		log_debug("/metrics: %s", err.msg);
	metrics_write_machine(
	    &e, &s, net == 0 ? &nd : NULL, sysconf(_SC_CLK_TCK));
	/* no answer when they do not fit: the parent says they are missing */
	if (strbuf_failed(&sb)) {
		log_warnx("child 'logs': out of memory for /metrics");
		rc = 0;
	} else
		rc = priv_send_pieces(sock, PRIV_SHOWN, id, &piece,
		    offsetof(struct priv_shown, text),
		    offsetof(struct priv_shown, last),
		    offsetof(struct priv_shown, len), sb.p, sb.len, 0, &err);
	strbuf_release(&sb);
	netdev_release(&nd);
	snap_release(&s);
	return rc;
}

static int dispatch(int sock, const struct priv_msg *m);

/*
 * The parent's answer to a request of links or of executables' facts
 * (some 60 KiB): one buffer for both, a request at a time (what is
 * handled meanwhile asks nothing).
 */
static struct priv_msg lc_rep;

/* What the parent sends while the child waits for an answer: handled as
 * in the main loop (one run at a time: a run asked within one is not). */
static int
meanwhile(const struct priv_msg *m, void *arg)
{
	if (m->type == PRIV_RUN) {
		log_warnx("child 'logs': a run asked within a run");
		return 0;
	}
	return dispatch(*(const int *)arg, m);
}

/*
 * A request to the parent and its answer in *rep, what the parent sends
 * meanwhile handled.  0, or -1 with err (the channel).
 */
static int
lc_call(int sock, enum priv_type type, const void *body, size_t len,
    struct priv_msg *rep, struct err *err)
{
	return priv_call(sock, type, body, len, rep, meanwhile, &sock, err);
}

/*
 * The links of /proc/PID (q->link) of q's pids, asked of the parent; each
 * given to take with its process (procs, in q's order) only when read and
 * when the process still has the start time it was judged by (its pid
 * not reused meanwhile).  0, or -1 when the parent is gone.
 */
static int
ask_links(int sock, const struct priv_links_req *q, struct proc *const *procs,
    void (*take)(struct proc *p, const char *link, size_t n, void *arg),
    void *arg)
{
	struct priv_msg *rep = &lc_rep;
	const struct priv_linked *l = &rep->u.linked;
	struct err err = {0};

	if (lc_call(sock, PRIV_LINKS, q, sizeof(*q), rep, &err) == -1) {
		log_warnx("child 'logs': %s", err.msg);
		return -1;
	}
	if (rep->type != PRIV_LINKED || l->n != q->n || l->link != q->link)
		return 0;
	for (uint32_t k = 0; k < l->n; k++) {
		const struct priv_link_rep *r = &l->l[k];
		uint64_t start;

		if (r->pid != procs[k]->pid || r->code != 0 ||
		    proc_start_read(lc.root, r->pid, &start) == -1 ||
		    start != procs[k]->start_ticks)
			continue;
		take(procs[k], r->link, r->len, arg);
	}
	return 0;
}

static void
take_exe(struct proc *p, const char *link, size_t n, void *arg)
{
	(void)arg;
	proc_exe_take(p, link, n);
}

/*
 * The executables of t's processes this child may not read (another
 * user's), asked of the parent PRIV_LINKS_MAX at a time.  0, or -1 when
 * the parent is gone.
 */
static int
fill_exes(int sock, struct proc_table *t)
{
	struct priv_links_req q = {PRIV_LINK_EXE, 0, {0}};
	struct proc *procs[PRIV_LINKS_MAX];

	for (size_t i = 0; i < t->n; i++) {
		struct proc *p = &t->p[i];

		if (!(p->flags & PROC_F_EXE_DENIED) ||
		    (p->flags & PROC_F_KTHREAD))
			continue;
		procs[q.n] = p;
		q.pid[q.n++] = p->pid;
		if (q.n == PRIV_LINKS_MAX) {
			if (ask_links(sock, &q, procs, take_exe, NULL) == -1)
				return -1;
			q.n = 0;
		}
	}
	return q.n > 0 ? ask_links(sock, &q, procs, take_exe, NULL) : 0;
}

struct cwd_dst {
	char *dst;
	size_t sz;
	int got;
};

static void
take_cwd(struct proc *p, const char *link, size_t n, void *arg)
{
	struct cwd_dst *d = arg;

	(void)p;
	if (n >= d->sz)
		return;
	memcpy(d->dst, link, n);
	d->dst[n] = '\0';
	d->got = 1;
}

/* procrules_priv.cwd: another user's working directory, from the parent. */
static int
priv_cwd(void *arg, const struct proc *p, char *dst, size_t sz)
{
	struct priv_links_req q = {PRIV_LINK_CWD, 1, {p->pid}};
	struct cwd_dst d = {dst, sz, 0};
	struct proc copy = *p, *procs[1] = {&copy};

	if (ask_links(*(int *)arg, &q, procs, take_cwd, &d) == -1)
		return -1;
	return d.got ? 0 : -1;
}

/* procrules_priv.stop: the parent stops it, audits it, mails the owner. */
static int
priv_stop(void *arg, const struct procrules_stop *s, struct finding *f,
    int *how, struct err *err)
{
	static struct priv_stop_req q;
	static struct priv_msg rep;
	const struct priv_stopped *st = &rep.u.stopped;

	*how = 0;
	memset(&q, 0, sizeof(q));
	q.pid = s->pid;
	q.start_ticks = s->start_ticks;
	str_copy(q.comm, sizeof(q.comm), s->comm);
	esc_text_buf(q.user, sizeof(q.user), s->user, strlen(s->user));
	esc_text_buf(q.why, sizeof(q.why), s->why, strlen(s->why));
	/* a script the parent would not take: it goes without one */
	esc_text_buf(q.script, sizeof(q.script), s->script, strlen(s->script));
	if (q.script[0] != '/' || strcmp(q.script, s->script) != 0)
		q.script[0] = '\0';
	if (lc_call(*(int *)arg, PRIV_STOP, &q, sizeof(q), &rep, err) == -1)
		return -1;
	if (rep.type == PRIV_ERROR)
		return err_set(err, rep.u.error.code, "%s", rep.u.error.msg);
	if (rep.type != PRIV_STOPPED)
		return err_set(err, EPROTO,
		    "pid %d: the parent's answer is a "
		    "'%s'",
		    s->pid, priv_type_name(rep.type));
	for (uint32_t i = 0; i < st->nev; i++)
		finding_ev(f, st->ev[i].key, "%s", st->ev[i].val);
	*how = st->result;
	if (st->msg[0] != '\0')
		return err_set(err, st->code, "%s", st->msg);
	return 0;
}

/*
 * r's facts into *fx when r is about p as it was judged: the same pid,
 * executable (deleted or not) and start time (the pid not reused).
 */
static void
take_fact(
    const struct proc *p, const struct priv_exefact *r, struct exe_facts *fx)
{
	uint64_t start;

	if (r->pid != p->pid || r->code != 0 ||
	    r->deleted != ((p->flags & PROC_F_EXE_DELETED) != 0) ||
	    r->len != strlen(p->exe) || memcmp(r->link, p->exe, r->len) != 0 ||
	    proc_start_read(lc.root, p->pid, &start) == -1 ||
	    start != p->start_ticks)
		return;
	memset(fx, 0, sizeof(*fx));
	if ((fx->exists = r->file_code == 0))
		fx->mode = (mode_t)r->mode;
	if ((fx->dir_known = r->dir_code == 0))
		fx->dir_mode = (mode_t)r->dir_mode;
}

/*
 * procrules_priv.exe_facts: what stat(2) says of the executables this
 * child may not look at, asked of the parent PRIV_EXEFACTS_MAX at a time.
 */
static int
priv_exe_facts(void *arg, const struct proc *const *p,
    struct exe_facts *const *fx, size_t n)
{
	static struct priv_exefacts_req q;
	const struct priv_exefacts *a = &lc_rep.u.facts;
	struct err err = {0};

	for (size_t off = 0; off < n; off += q.n) {
		memset(&q, 0, sizeof(q));
		q.n =
		    (uint32_t)(n - off < PRIV_EXEFACTS_MAX ? n - off
		                                           : PRIV_EXEFACTS_MAX);
		for (uint32_t k = 0; k < q.n; k++)
			q.pid[k] = p[off + k]->pid;
		if (lc_call(*(int *)arg, PRIV_EXEFACTS, &q, sizeof(q), &lc_rep,
		        &err) == -1) {
			log_warnx("child 'logs': %s", err.msg);
			return -1;
		}
		if (lc_rep.type != PRIV_FACTS || a->n != q.n)
			continue;
		for (uint32_t k = 0; k < q.n; k++)
			take_fact(p[off + k], &a->f[k], fx[off + k]);
	}
	return 0;
}

/* 1 when entry e judges processes by their executables: the links of
 * another user's processes are asked of the parent first. */
static int
needs_exes(const struct check_entry *e)
{
	return strcmp(e->name, "stuck-cgi") == 0 ||
	    strcmp(e->name, "proc-exe-deleted") == 0;
}

/* One finding of entry i, and then the entry's end, to the parent. */
static int
run_entry(int sock, uint32_t id, size_t i, const struct check_ctx *x)
{
	static struct priv_checked pc;
	struct priv_ran ran = {0};
	struct check_ctx xe = *x;
	struct err err = {0};
	struct report r;
	int rc = 0;

	xe.flags = lc.table[i].cls == CHECK_DAILY ? CHECK_CTX_DAILY : 0;
	report_init(&r);
	check_run_entry(&xe, lc.table, i, &r);
	for (size_t k = 0; rc == 0 && k < r.nf; k++) {
		memset(&pc, 0, sizeof(pc));
		pc.entry = (uint32_t)i;
		priv_finding_from(&pc.f, 0, 0, &r.f[k]);
		rc = priv_send(
		    sock, PRIV_CHECKED, id, &pc, sizeof(pc), -1, &err);
	}
	ran.entry = (uint32_t)i;
	ran.nfound = (uint32_t)r.nf;
	ran.now = (int64_t)x->now;
	if (rc == 0)
		rc = priv_send(sock, PRIV_RAN, id, &ran, sizeof(ran), -1, &err);
	report_release(&r);
	return rc;
}

/* check_snap_want's due: entry i is asked by run and runs here. */
static int
asked(size_t i, const void *arg)
{
	const struct priv_run *run = arg;

	return i < PRIV_ENTRIES_MAX && (run->entries & (UINT64_C(1) << i)) &&
	    agent_check_in_child(&lc.table[i]);
}

/*
 * The entries of a PRIV_RUN, on one snapshot of what they read, in the
 * registry's order;
 * an entry this child does not run (the parent's: it never asks for
 * one) is answered with PRIV_RAN of nfound UINT32_MAX, not run.
 */
static int
run_in(int sock, uint32_t id, const struct priv_run *run)
{
	static int chan;
	static const struct procrules_priv pp = {
	    priv_cwd, priv_stop, priv_exe_facts, &chan};
	struct check_ctx x = {0};
	struct snap s;
	double mono;
	int rc = 0, links = 0;

	snap_take(
	    &s, lc.root, check_snap_want(lc.table, lc.n, asked, run), 0, 0);
	/* another user's executable, for the process checks: the parent
	 * reads the link (a fixture tree under a root is read here) */
	chan = sock;
	for (size_t i = 0; i < lc.n && i < PRIV_ENTRIES_MAX; i++)
		if ((run->entries & (UINT64_C(1) << i)) &&
		    needs_exes(&lc.table[i]) &&
		    check_enabled(&lc.conf, &lc.table[i]))
			links = lc.root == NULL;
	if (links && (s.have & SNAP_BIT(SNAP_PROC)) &&
	    fill_exes(sock, &s.proc1) == -1) {
		snap_release(&s);
		return -1;
	}
	mono = clock_mono();
	if (s.have & SNAP_BIT(SNAP_VM)) {
		if (lc.have_vm)
			snap_vm_since(&s, &lc.vm_prev, mono - lc.vm_mono);
		lc.vm_prev = s.vm1;
		lc.vm_mono = mono;
		lc.have_vm = 1;
	}
	x.conf = &lc.conf;
	x.snap = &s;
	x.root = lc.root;
	x.now = (time_t)run->now;
	x.memos = lc.memos;
	x.procpriv = lc.root == NULL ? &pp : NULL;
	for (size_t i = 0; rc == 0 && i < lc.n && i < PRIV_ENTRIES_MAX; i++) {
		struct priv_ran ran = {0};
		struct err err = {0};

		if (!(run->entries & (UINT64_C(1) << i)))
			continue;
		if (agent_check_in_child(&lc.table[i])) {
			rc = run_entry(sock, id, i, &x);
			continue;
		}
		ran.entry = (uint32_t)i;
		ran.now = run->now;
		ran.nfound = UINT32_MAX;
		rc = priv_send(sock, PRIV_RAN, id, &ran, sizeof(ran), -1, &err);
	}
	snap_release(&s);
	return rc;
}

/* The history's series now, in pieces of PRIV_SAMPLES (none: empty). */
static int
sample_in(int sock, uint32_t id)
{
	static struct priv_points pts;
	const struct hist_sample *cur = NULL;
	struct err err = {0};
	struct snap s;
	size_t off = 0, n;
	int rc = 0;

	if (lc.hist != NULL) {
		snap_take(&s, lc.root, hist_snap_want(lc.hist), 0, 0);
		hist_collect_snap(lc.hist, &s, lc.root);
		snap_release(&s);
		cur = hist_current(lc.hist);
	}
	do {
		n = cur != NULL ? cur->n - off : 0;
		if (n > PRIV_POINTS_MAX)
			n = PRIV_POINTS_MAX;
		memset(&pts, 0, offsetof(struct priv_points, p));
		pts.n = (uint32_t)n;
		for (size_t i = 0; i < n; i++) {
			str_copy(pts.p[i].name, sizeof(pts.p[i].name),
			    cur->v[off + i].name);
			/* the parent takes no infinity: unknown */
			pts.p[i].v =
			    isinf(cur->v[off + i].v) ? NAN : cur->v[off + i].v;
		}
		off += n;
		pts.last = cur == NULL || off == cur->n;
		rc = priv_send(sock, PRIV_SAMPLES, id, &pts,
		    offsetof(struct priv_points, p) + n * sizeof(pts.p[0]), -1,
		    &err);
	} while (rc == 0 && !pts.last);
	return rc;
}

/* One message of the parent's: 0, or -1 when the parent is gone. */
static int
dispatch(int sock, const struct priv_msg *m)
{
	int r = 0;

	if (m->type == PRIV_LINE)
		r = line_in(sock, &m->u.line);
	else if (m->type == PRIV_SYNC)
		r = sync_in(sock, m->id, m->u.sync.set);
	else if (m->type == PRIV_SHOW && m->u.show.set == PRIV_SHOW_MACHINE)
		r = machine_in(sock, m->id, (enum expo_fmt)m->u.show.mode);
	else if (m->type == PRIV_SHOW)
		r = show_in(sock, m->id, &m->u.show);
	else if (m->type == PRIV_RUN)
		r = run_in(sock, m->id, &m->u.run);
	else if (m->type == PRIV_SAMPLE)
		r = sample_in(sock, m->id);
	if (m->fd != -1)
		close(m->fd);
	return r;
}

static int
logs_child_main(int sock)
{
	static struct priv_msg m;
	struct err err = {0};
	double trimmed = clock_mono();
	int r;

	for (;;) {
		r = priv_recv(sock, PRIV_FROM_PARENT, &m, &err);
		if (r == 0)
			return 0;
		if (r == -1) {
			log_warnx("child 'logs': %s", err.msg);
			return 65;
		}
		r = dispatch(sock, &m);
		if ((m.type == PRIV_RUN || m.type == PRIV_SAMPLE) &&
		    clock_mono() - trimmed >= LC_TRIM_EVERY) {
			trimmed = clock_mono();
#ifdef __GLIBC__
			malloc_trim(0);
#endif
		}
		if (r == -1)
			return 0; /* the parent is gone */
	}
}

const struct child_role logs_child_role = {
    "logs", CHILD_OPEN_RDONLY, logs_child_prepare, logs_child_main};

int
agent_child_dispatch(int argc, char **argv)
{
	const struct child_role roles[] = {logs_child_role, http_child_role};

	return child_dispatch(argc, argv, roles, countof(roles));
}
