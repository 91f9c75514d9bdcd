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
 * after the filter it only reads and writes its channel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/agent.h"
#include "agent/agent_int.h"
#include "agent/child.h"
#include "agent/priv.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/timeutil.h"
#include "conf/conf.h"
#include "logs/analyzer.h"
#include "logs/discover.h"
#include "logs/scan.h"
#include "mail/mail_run.h"

enum { LC_FD_CONF = 1, LC_FD_RULES, LC_FD_CRS };

/* The window of the live mail counts, as `mail follow`'s default. */
#define MAIL_WINDOW 3600

/* The configuration given to a child, at most. */
#define LC_CONF_MAX (16 * 1024 * 1024)

struct lc_set {
	int on;
	struct logs_opts lo; /* the analyzers keep a pointer to it */
	struct logs_run run;
	struct logs_feed feed;
	struct report rep;
	uint64_t lines, analysed, findings; /* since the last sync */
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
} lc;

/* ---- the parent's half ---- */

/* The configuration as conf_dump writes it, in a memory file. */
static int
conf_memfd(const struct conf *c, struct err *err)
{
	char *buf = NULL;
	size_t len = 0, off = 0;
	FILE *fp;
	int fd;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return err_sys(err, errno, "the log child's configuration");
	conf_dump(c, fp);
	if (fclose(fp) != 0) {
		free(buf);
		return err_sys(err, errno, "the log child's configuration");
	}
	fd = memfd_create("sakimori-conf", MFD_CLOEXEC);
	while (fd != -1 && off < len) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			fd = -1;
			break;
		}
		off += (size_t)w;
	}
	free(buf);
	if (fd == -1)
		return err_sys(err, errno, "the log child's configuration");
	return fd;
}

int
logs_child_setup(int sock, const struct conf *c, const char *state_dir,
    const struct logs_child_set *sets, struct err *err)
{
	static const char *const caches[] = {
	    "attack-rules.hsdb", "attack-crs.hsdb"};
	char note[PRIV_TEXT_MAX];
	int fd, rc;

	if ((fd = conf_memfd(c, err)) == -1)
		return -1;
	rc = priv_send(sock, PRIV_FD, LC_FD_CONF, NULL, 0, fd, err);
	close(fd);
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
	if (rc == 0)
		rc = priv_send_note(sock, "start", err);
	return rc;
}

/* ---- the child ---- */

/* Reads the whole of fd from its start (at most max bytes) into *buf. */
static int
read_all(int fd, char **buf, size_t *len, size_t max)
{
	size_t cap = 0;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (*len == cap &&
		    (cap >= max || mem_grow(buf, &cap, *len + 65536, 1) == -1))
			return -1;
		r = pread(fd, *buf + *len, cap - *len, (off_t)*len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			return 0;
		*len += (size_t)r;
	}
}

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

	if (read_all(fd, &buf, &len, LC_CONF_MAX) == -1) {
		free(buf);
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
	}
}

/* The analyzers of every set given. */
static int
logs_child_prepare(void)
{
	/* libraries an analyzer may load on first use: now, before the
	 * filter forbids opening files and executable mappings */
	static const int libs[] = {
	    DYNLIB_HS, DYNLIB_PCRE2, DYNLIB_ZLIB, DYNLIB_INJECTION};
	struct err err = {0};

	conf_init(&lc.conf);
	lc.cache_fd[0] = lc.cache_fd[1] = -1;
	if (setup_recv() == -1)
		return 65;
	for (unsigned s = 0; s < AGENT_LOG_KINDS; s++) {
		struct lc_set *l = &lc.set[s];
		const char *errmsg = NULL;

		if (!l->on)
			continue;
		logs_opts_default(&l->lo);
		l->lo.follow = 1;
		l->lo.conf = &lc.conf;
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
	for (size_t i = 0; i < countof(libs); i++)
		(void)dynlib_require(libs[i], &err);
	tzset();             /* reads /etc/localtime, once */
	json_object_seed(0); /* reads /dev/urandom, once: shown JSON */
	return 0;
}

/* One line: its findings to the parent. */
static int
line_in(int sock, const struct priv_line *pl)
{
	struct lc_set *l = &lc.set[pl->set];
	struct priv_finding pf;
	struct err err = {0};
	uint64_t records;

	if (!l->on)
		return 0;
	records = l->feed.counts.records;
	/* the records say where they are: the file and its line number */
	l->feed.file = pl->file < l->nfiles ? l->files[pl->file] : NULL;
	l->feed.lineno = pl->fline > 0 ? pl->fline - 1 : 0;
	logs_feed_line(&l->feed, pl->text, pl->len, (int)pl->cut);
	l->lines++;
	l->last = pl->line;
	l->analysed += l->feed.counts.records - records;
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
	l->lines = l->analysed = l->findings = 0;
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
	size_t len = 0, off = 0;
	int rc = 0;

	if (l->on && (o.fp = open_memstream(&buf, &len)) != NULL) {
		logs_run_show(&l->run,
		    sh->analyzers[0] != '\0' ? sh->analyzers : NULL, &o);
		if (fclose(o.fp) != 0)
			len = 0;
	}
	do {
		size_t n =
		    len - off < PRIV_SHOWN_MAX ? len - off : PRIV_SHOWN_MAX;

		piece.len = (uint32_t)n;
		piece.last = off + n == len;
		if (n > 0)
			memcpy(piece.text, buf + off, n);
		off += n;
		rc = priv_send(sock, PRIV_SHOWN, id, &piece,
		    offsetof(struct priv_shown, text) + n, -1, &err);
	} while (rc == 0 && off < len);
	free(buf);
	return rc;
}

static int
logs_child_main(int sock)
{
	static struct priv_msg m;
	struct err err = {0};
	int r;

	for (;;) {
		r = priv_recv(sock, PRIV_FROM_PARENT, &m, &err);
		if (r == 0)
			return 0;
		if (r == -1) {
			log_warnx("child 'logs': %s", err.msg);
			return 65;
		}
		if (m.type == PRIV_LINE)
			r = line_in(sock, &m.u.line);
		else if (m.type == PRIV_SYNC)
			r = sync_in(sock, m.id, m.u.sync.set);
		else if (m.type == PRIV_SHOW)
			r = show_in(sock, m.id, &m.u.show);
		else if (m.fd != -1)
			close(m.fd);
		if (r == -1)
			return 0; /* the parent is gone */
	}
}

const struct child_role logs_child_role = {
    "logs", 0, logs_child_prepare, logs_child_main};

int
agent_child_dispatch(int argc, char **argv)
{
	return child_dispatch(argc, argv, &logs_child_role, 1);
}
