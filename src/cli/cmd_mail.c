/*
 * cmd_mail.c - "sakimori mail report [FILE...]": a daily summary of a mail
 * log in the spirit of pflogsumm (received, delivered, deferred, bounced,
 * rejected, top senders, recipients, domains, clients, SASL logins, local
 * users) plus findings; "sakimori mail follow [FILE...]": the same rules
 * on a growing log, printing each finding when it first appears.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/json.h"
#include "base/linesrc.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/log.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "collect/passwd.h"
#include "collect/proc.h"
#include "mail/mail_hist.h"
#include "mail/mail_procs.h"
#include "mail/mail_queue.h"
#include "mail/mail_stats.h"

#define LINE_MAX_LEN 65536
#define MAX_DOMAINS 256

enum {
	OPT_TOP = OPT_FIRST_PRIVATE,
	OPT_YEAR,
	OPT_NO_LEARN,
	OPT_FROM_START,
	OPT_INTERVAL,
	OPT_WINDOW,
	OPT_MAX_LIVE,
	OPT_NO_PROCS,
};

struct mail_opts {
	int top;
	int year;
	int learn;
	int from_start;
	double interval;
	uint64_t window;
	int procs;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori mail report [--json] [--top N] [--year Y] "
	    "[--no-learn] [FILE...]\n"
	    "       sakimori mail follow [--json] [--from-start] "
	    "[--interval SECS] [--window DUR] [FILE...]\n"
	    "\n"
	    "Reads mail logs of postfix, sendmail, exim and qmail (plain or "
	    "gzip;\n"
	    "'-' is standard input; default /var/log/mail.log or "
	    "/var/log/maillog),\n"
	    "joins each message by its queue id and reports what it "
	    "finds:\n"
	    "relay probing, address enumeration, mail to unusual domains, "
	    "volume\n"
	    "spikes per client, SASL login and local user, null-sender mail "
	    "that is\n"
	    "not our own bounces, and deferred mail.\n"
	    "\n"
	    "report   a summary of the whole log, then the findings\n"
	    "follow   watch the log grow; print each finding once\n"
	    "\n"
	    "  --top N          rows in each top list (default 10)\n"
	    "  --year Y         year of syslog stamps without one (default: "
	    "this year)\n"
	    "  --no-learn       do not add this log to the history in the "
	    "state directory\n"
	    "  --no-processes   do not count the MTA processes running now\n"
	    "  --from-start     follow: read what the file holds first\n"
	    "  --interval SECS  follow: how often to judge (default 5)\n"
	    "  --window DUR     follow: restart the counts every DUR "
	    "(default 1h)\n");
}

static int
default_files(const char **files, const char *root, char *buf, size_t bufsz)
{
	static const char *cands[] = {
	    "/var/log/mail.log", "/var/log/maillog", "/var/log/mail/mail.log"};

	for (size_t i = 0; i < countof(cands); i++) {
		if (path_join(buf, bufsz, root, cands[i]) == -1)
			continue;
		if (access(buf, R_OK) == 0) {
			files[0] = buf;
			return 1;
		}
	}
	log_warnx("no mail log found (/var/log/mail.log, /var/log/maillog); "
	          "name one");
	return 0;
}

/*
 * Reads every line of one file (plain or gzip; "-" standard input) into
 * s.  EXIT_OK, or the exit status after saying why: EXIT_DATAERR for a
 * truncated or corrupt gzip stream (the lines before it count),
 * EXIT_NOINPUT when it cannot be read.
 */
static int
feed_file(struct mail_stats *s, const char *path, int year)
{
	struct linesrc_opts o = {LINE_MAX_LEN, LINESRC_CR_STRIP};
	struct linesrc ls;
	struct err err = {0};
	const char *line;
	size_t n;
	int cut, rc;

	if (linesrc_open(&ls, path, &o, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_NOINPUT;
	}
	while ((rc = linesrc_next(&ls, &line, &n, &cut, &err)) == 1)
		mail_stats_line(s, line, n, year); /* a cut one: its start */
	if (ls.cut > 0)
		log_info("'%s': %llu lines longer than %d bytes were cut", path,
		    (unsigned long long)ls.cut, LINE_MAX_LEN);
	linesrc_close(&ls);
	if (rc == -1) {
		log_warnx("%s", err.msg);
		return err.code == EBADMSG ? EXIT_DATAERR : EXIT_NOINPUT;
	}
	return EXIT_OK;
}

/* Lists from configuration ("check mail-outside-domains { local-domains
 * a b }"): up to max values. */
static size_t
conf_list(const struct cli *cli, const char *check, const char *key,
    const char **out, size_t max)
{
	const struct conf_node *blk = conf_check(&cli->conf, check, NULL);
	const struct conf_node *nd = conf_find(blk, key);
	size_t n = 0;

	for (size_t i = 0; nd != NULL && i < nd->nvals && n < max; i++)
		out[n++] = nd->vals[i].str;
	return n;
}

static void
thr(const struct cli *cli, const char *name, double *warn, double *crit,
    int *enabled)
{
	struct threshold t;

	conf_threshold(&cli->conf, name, NULL, &t);
	if (!isnan(t.warn))
		*warn = t.warn;
	if (!isnan(t.crit))
		*crit = t.crit;
	*enabled = t.enabled;
}

static void
policy_from_conf(const struct cli *cli, struct mail_policy *p,
    const char **local, const char **usual)
{
	mail_policy_default(p);
	thr(cli, "mail-relay-probe", &p->relay_warn, &p->relay_crit,
	    &p->enabled_relay);
	thr(cli, "mail-enumeration", &p->enum_warn, &p->enum_crit,
	    &p->enabled_enum);
	thr(cli, "mail-outside-domains", &p->outside_warn, &p->outside_crit,
	    &p->enabled_outside);
	thr(cli, "mail-volume", &p->volume_warn, &p->volume_crit,
	    &p->enabled_volume);
	thr(cli, "mail-null-sender", &p->null_warn, &p->null_crit,
	    &p->enabled_null);
	thr(cli, "mail-deferred", &p->deferred_warn, &p->deferred_crit,
	    &p->enabled_deferred);
	p->volume_factor = conf_num(conf_check(&cli->conf, "mail-volume", NULL),
	    "factor", p->volume_factor);
	p->nlocal = conf_list(
	    cli, "mail-outside-domains", "local-domains", local, MAX_DOMAINS);
	p->local_domains = local;
	p->nusual = conf_list(
	    cli, "mail-outside-domains", "usual-domains", usual, MAX_DOMAINS);
	p->usual_domains = usual;
}

static void
fmt_time(char *dst, size_t n, time_t t)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(dst, n, "-");
		return;
	}
	strftime(dst, n, "%Y-%m-%d %H:%M:%S", &tm);
}

struct summary_row {
	const char *key;
	uint64_t v;
};

static void
print_top(struct cli *cli, const char *list, const char *title, const char *col,
    const struct mail_tally *t, int is_who, int top)
{
	struct mail_top *v;
	size_t n = mail_tally_top(t, is_who, &v);

	if (cli->mode == OUT_JSON) {
		for (size_t i = 0; i < n && i < (size_t)top; i++) {
			json_t *o = json_object();

			jset(o, "type", json_string("mail-top"));
			jset(o, "list", json_string(list));
			jset(o, "key", jstr(v[i].key));
			jset(o, "count", json_integer((json_int_t)v[i].n));
			if (is_who) {
				jset(o, "recipients",
				    json_integer((json_int_t)v[i].who->rcpts));
				jset(o, "relay_rejects",
				    json_integer(
				        (json_int_t)v[i]
				            .who->rej[MAIL_REJ_RELAY]));
				jset(o, "unknown_user_rejects",
				    json_integer(
				        (json_int_t)v[i]
				            .who->rej[MAIL_REJ_UNKNOWN_USER]));
			}
			json_line(stdout, o);
		}
	} else if (n > 0) {
		const char *hdr[] = {col, "count", "recipients", "rejected"};
		struct table tb;

		table_init(&tb, is_who ? 4 : 2, hdr, "lrrr");
		for (size_t i = 0; i < n && i < (size_t)top; i++) {
			char c[24], r[24], j[24];
			uint64_t rej = 0;
			const char *cells[4] = {v[i].key, c, r, j};

			snprintf(
			    c, sizeof(c), "%llu", (unsigned long long)v[i].n);
			if (is_who) {
				for (int k = 0; k < MAIL_REJ_NREJ; k++)
					rej += v[i].who->rej[k];
				snprintf(r, sizeof(r), "%llu",
				    (unsigned long long)v[i].who->rcpts);
				snprintf(j, sizeof(j), "%llu",
				    (unsigned long long)rej);
			}
			table_row(&tb, cells);
		}
		printf("\n%s%s%s\n", cli->out.color ? "\033[1m" : "", title,
		    cli->out.color ? "\033[0m" : "");
		table_print(&tb, stdout, 0);
		table_release(&tb);
	}
	free(v);
}

static void
print_summary(struct cli *cli, const struct mail_stats *s, int top)
{
	char a[32], b[32];
	const struct summary_row rows[] = {
	    {"received", s->received},
	    {"delivered", s->delivered},
	    {"deferred", s->deferred},
	    {"bounced", s->bounced},
	    {"expired", s->expired},
	    {"rejected", s->rejected},
	    {"reject_warnings", s->reject_warn},
	    {"own_bounces", s->notifications},
	    {"null_sender", s->null_from},
	    {"null_sender_not_ours", s->null_unexplained},
	    {"auth_failures", s->auth_fail},
	    {"connections", s->connects},
	    {"bytes_received", s->bytes_received},
	    {"bytes_delivered", s->bytes_delivered},
	    {"still_queued", s->open_at_end},
	    {"still_deferred", s->open_deferred},
	    {"partial", s->join.partial},
	    {"queue_id_reused", s->join.reused},
	    {"evicted", s->join.evicted},
	    {"lines", s->lines},
	    {"mail_lines", s->mail_lines},
	    {"garbage_lines", s->garbage},
	};

	fmt_time(a, sizeof(a), s->first);
	fmt_time(b, sizeof(b), s->last);
	if (cli->mode == OUT_JSON) {
		json_t *o = json_object(), *rj = json_object();

		jset(o, "type", json_string("mail-summary"));
		jset(o, "first", json_string(a));
		jset(o, "last", json_string(b));
		for (size_t i = 0; i < countof(rows); i++)
			jset(o, rows[i].key,
			    json_integer((json_int_t)rows[i].v));
		for (int k = 0; k < MAIL_REJ_NREJ; k++)
			jset(rj, mail_rej_name((enum mail_rej)k),
			    json_integer((json_int_t)s->rej[k]));
		jset(o, "rejected_by", rj);
		json_line(stdout, o);
	} else {
		printf("mail log %s .. %s\n\n", a, b);
		for (size_t i = 0; i < countof(rows); i++)
			printf("  %-22s %llu\n", rows[i].key,
			    (unsigned long long)rows[i].v);
		printf("  %-22s", "rejected by");
		for (int k = 0; k < MAIL_REJ_NREJ; k++)
			if (s->rej[k] > 0)
				printf(" %s %llu",
				    mail_rej_name((enum mail_rej)k),
				    (unsigned long long)s->rej[k]);
		printf("\n");
	}
	print_top(cli, "senders", "Top senders", "sender", &s->senders, 0, top);
	print_top(cli, "sender_domains", "Top sender domains", "domain",
	    &s->sender_domains, 0, top);
	print_top(cli, "recipients", "Top recipients", "recipient", &s->rcpts,
	    0, top);
	print_top(cli, "recipient_domains", "Top recipient domains", "domain",
	    &s->rcpt_domains, 0, top);
	print_top(cli, "clients", "Top clients", "client",
	    &s->who[MAIL_P_CLIENT], 1, top);
	print_top(
	    cli, "sasl", "SASL logins", "login", &s->who[MAIL_P_SASL], 1, top);
	print_top(
	    cli, "users", "Local users", "user", &s->who[MAIL_P_USER], 1, top);
	if (cli->mode != OUT_JSON)
		printf("\n");
}

static int
this_year(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

/*
 * The MTA processes running now (ROOT/proc): performance data, and a
 * finding above the mail-processes thresholds.
 */
static void
judge_procs(struct cli *cli, struct report *r)
{
	struct proc_table t;
	struct mail_procs mp;
	struct threshold th;
	struct err err = {0};
	struct finding *f;

	conf_threshold(&cli->conf, "mail-processes", NULL, &th);
	if (!th.enabled)
		return;
	proc_table_init(&t);
	if (proc_table_read(&t, cli->root, PROC_READ_EXE, NULL, &err) == -1) {
		log_info("mail processes: %s", err.msg);
		proc_table_release(&t);
		return;
	}
	mail_procs_count(&t, &mp);
	proc_table_release(&t);
	report_perf(r, "mta_processes", mp.total, "", th.warn, th.crit, 0, NAN);
	if (isnan(th.warn) || mp.total < th.warn)
		return;
	f = report_add(r,
	    !isnan(th.crit) && mp.total >= th.crit ? SEV_CRITICAL : SEV_WARNING,
	    "mail-processes", "mta",
	    "%u MTA processes running (sendmail %u, postfix %u, exim %u, "
	    "qmail %u)",
	    mp.total, mp.sendmail, mp.postfix, mp.exim, mp.qmail);
	if (f != NULL) {
		finding_ev(f, "processes", "%u", mp.total);
		finding_ev(f, "smtp_servers", "%u", mp.smtpd);
	}
}

/*
 * postfix's deferred queue now, where readable: performance data, a
 * finding above the mail-deferred thresholds, and the growth since the
 * last look (kept in the state database).
 */
static void
judge_queue(struct cli *cli, struct mail_hist *h, struct report *r)
{
	const struct conf_node *blk =
	    conf_check(&cli->conf, "mail-deferred", NULL);
	const char *dir = conf_str(blk, "queue-dir", "/var/spool/postfix");
	struct threshold th;
	struct err err = {0};
	struct strbuf prev = STRBUF_INIT(64);
	struct finding *f;
	uint64_t n, was = 0;
	int have_prev = 0;
	char now[32], key[PATH_MAX];

	conf_threshold(&cli->conf, "mail-deferred", NULL, &th);
	if (!th.enabled)
		return;
	if (mail_queue_deferred(cli->root, dir, &n, &err) == -1) {
		log_info("deferred queue: %s", err.msg);
		return;
	}
	/* the key is the directory as read, root prefix included */
	if (path_join(key, sizeof(key), cli->root, dir) == -1)
		h = NULL;
	if (h != NULL) {
		if (store_kv_get(&h->st, "mail", key, &prev, NULL) == 0) {
			const char *c = strbuf_str(&prev);

			have_prev = cur_u64(&c, c + prev.len, &was) == 0;
		}
		snprintf(now, sizeof(now), "%llu", (unsigned long long)n);
		(void)store_kv_set(&h->st, "mail", key, now, strlen(now), NULL);
	}
	strbuf_release(&prev);
	report_perf(
	    r, "deferred_queue", (double)n, "", th.warn, th.crit, 0, NAN);
	if (isnan(th.warn) || (double)n < th.warn)
		return;
	f = report_add(r,
	    !isnan(th.crit) && (double)n >= th.crit ? SEV_CRITICAL
	                                            : SEV_WARNING,
	    "mail-deferred", "queue", "%llu messages in the deferred queue%s",
	    (unsigned long long)n, have_prev && n > was ? " and growing" : "");
	if (f != NULL) {
		finding_ev(f, "deferred_queue", "%llu", (unsigned long long)n);
		finding_ev(f, "queue_dir", "%s", dir);
		if (have_prev)
			finding_ev(
			    f, "previous", "%llu", (unsigned long long)was);
	}
}

/* A local submitter's uid by name, from ROOT/etc/passwd (pickup's uid=). */
static const char *
uid_name(void *arg, uint64_t uid)
{
	return uid > UINT32_MAX ? NULL : uid_names_lookup(arg, (uint32_t)uid);
}

static int
mail_report(
    struct cli *cli, const struct mail_opts *o, int nfiles, char **files)
{
	struct mail_stats s;
	struct mail_policy p;
	struct mail_hist h;
	struct report r;
	struct uid_names uids;
	const char *local[MAX_DOMAINS], *usual[MAX_DOMAINS];
	const char *deflt[1];
	char defbuf[PATH_MAX];
	int rc = 0, have_hist = 0;

	if (nfiles == 0) {
		if (default_files(deflt, cli->root, defbuf, sizeof(defbuf)) ==
		    0)
			return EXIT_NOINPUT;
		files = (char **)deflt;
		nfiles = 1;
	}
	policy_from_conf(cli, &p, local, usual);
	if (cli_state_dir(cli) == 0 &&
	    mail_hist_open(&h, cli->state_dir, 1, NULL) == 0)
		have_hist = 1;
	mail_stats_init(&s, 0);
	uid_names_init(&uids, cli->root);
	mail_stats_uid_names(&s, uid_name, &uids);
	for (int i = 0; i < nfiles; i++) {
		int frc = feed_file(&s, files[i], o->year);

		if (frc != EXIT_OK && rc == EXIT_OK)
			rc = frc;
	}
	mail_stats_finish(&s);
	if (have_hist)
		mail_hist_policy(&h, &s, &p);
	report_init(&r);
	mail_stats_judge(&s, &p, &r);
	if (o->procs) {
		judge_procs(cli, &r);
		judge_queue(cli, have_hist ? &h : NULL, &r);
	}
	if (cli->mode != OUT_NAGIOS)
		print_summary(cli, &s, o->top);
	out_report(&cli->out, &r, "SAKIMORI MAIL");
	if (have_hist) {
		struct err err = {0};

		if (o->learn && mail_hist_learn(&h, &s, &err) == -1)
			log_warnx("cannot record mail history: %s", err.msg);
		mail_hist_close(&h);
	}
	if (rc == 0)
		rc = cli_exit_for(&r);
	report_release(&r);
	mail_stats_release(&s);
	uid_names_release(&uids);
	return rc;
}

/* --- follow --- */

struct tailf {
	const char *path;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off;
	char *buf;
	size_t have;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
tail_open(struct tailf *t, int at_end)
{
	struct stat st;

	t->fd = open(t->path, O_RDONLY | O_CLOEXEC);
	if (t->fd == -1)
		return;
	if (fstat(t->fd, &st) == 0) {
		t->dev = st.st_dev;
		t->ino = st.st_ino;
		t->off = at_end ? st.st_size : 0;
		lseek(t->fd, t->off, SEEK_SET);
	}
	t->have = 0;
}

/* Reads what was appended; reopens after rotation or truncation. */
static void
tail_poll(struct tailf *t, struct mail_stats *s, int year)
{
	struct stat st;
	ssize_t n;

	if (t->fd == -1) {
		tail_open(t, 0);
		if (t->fd == -1)
			return;
	}
	for (;;) {
		n = read(t->fd, t->buf + t->have, LINE_MAX_LEN - t->have);
		if (n <= 0)
			break;
		t->off += n;
		{
			char *p = t->buf, *end = t->buf + t->have + n, *nl;

			while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
				mail_stats_line(s, p, (size_t)(nl - p), year);
				p = nl + 1;
			}
			t->have = (size_t)(end - p);
			if (t->have == LINE_MAX_LEN) {
				mail_stats_line(s, t->buf, t->have, year);
				t->have = 0;
			} else
				memmove(t->buf, p, t->have);
		}
	}
	if (stat(t->path, &st) == 0 &&
	    (st.st_ino != t->ino || st.st_dev != t->dev ||
	        st.st_size < t->off)) {
		close(t->fd);
		tail_open(t, 0); /* rotated: the new file from its start */
	}
}

struct seen {
	char key[330];
	enum sev sev;
};

static int
mail_follow(
    struct cli *cli, const struct mail_opts *o, int nfiles, char **files)
{
	struct mail_stats s;
	struct mail_policy p;
	struct uid_names uids;
	const char *local[MAX_DOMAINS], *usual[MAX_DOMAINS];
	const char *deflt[1];
	char defbuf[PATH_MAX];
	struct tailf *t;
	struct seen *seen = NULL;
	size_t nseen = 0, capseen = 0;
	double last_judge = 0, window_start;
	struct sigaction sa;

	if (nfiles == 0) {
		if (default_files(deflt, cli->root, defbuf, sizeof(defbuf)) ==
		    0)
			return EXIT_NOINPUT;
		files = (char **)deflt;
		nfiles = 1;
	}
	policy_from_conf(cli, &p, local, usual);
	t = calloc((size_t)nfiles, sizeof(*t));
	if (t == NULL)
		return EXIT_OSERR;
	for (int i = 0; i < nfiles; i++) {
		t[i].path = files[i];
		t[i].buf = malloc(LINE_MAX_LEN);
		if (t[i].buf == NULL)
			return EXIT_OSERR;
		tail_open(&t[i], !o->from_start);
		if (t[i].fd == -1)
			log_warnx("cannot open '%s': %s (waiting for it)",
			    files[i], strerror(errno));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	mail_stats_init(&s, 0);
	uid_names_init(&uids, cli->root);
	mail_stats_uid_names(&s, uid_name, &uids);
	window_start = clock_mono();
	while (!stop) {
		for (int i = 0; i < nfiles; i++)
			tail_poll(&t[i], &s, o->year);
		if (clock_mono() - last_judge >= o->interval) {
			struct report r;
			struct mail_stats *js = &s;

			last_judge = clock_mono();
			report_init(&r);
			/* judge without closing open messages */
			{
				struct mail_policy q = p;

				q.enabled_deferred = 0;
				s.flushed = 1;
				mail_stats_judge(js, &q, &r);
				s.flushed = 0;
				if (o->procs)
					judge_procs(cli, &r);
			}
			for (size_t i = 0; i < r.nf; i++) {
				struct finding *f = &r.f[i];
				char key[330];
				size_t k;

				snprintf(key, sizeof(key), "%s|%s", f->check,
				    f->subject);
				for (k = 0; k < nseen; k++)
					if (strcmp(seen[k].key, key) == 0)
						break;
				if (k < nseen && seen[k].sev >= f->sev)
					continue;
				if (k == nseen) {
					if (mem_grow(&seen, &capseen, nseen + 1,
					        sizeof(*seen)) == -1)
						continue;
					snprintf(seen[k].key,
					    sizeof(seen[k].key), "%s", key);
					nseen++;
				}
				seen[k].sev = f->sev;
				{
					struct report one = {
					    f, 1, 1, NULL, 0, 0, 0};

					f->time = time(NULL);
					out_report(
					    &cli->out, &one, "SAKIMORI MAIL");
				}
				fflush(stdout);
			}
			report_release(&r);
		}
		if (o->window > 0 &&
		    clock_mono() - window_start >= (double)o->window) {
			mail_stats_release(&s);
			mail_stats_init(&s, 0);
			mail_stats_uid_names(&s, uid_name, &uids);
			window_start = clock_mono();
			nseen = 0;
		}
		sleep_secs(0.2);
	}
	mail_stats_release(&s);
	for (int i = 0; i < nfiles; i++) {
		if (t[i].fd != -1)
			close(t[i].fd);
		free(t[i].buf);
	}
	free(t);
	free(seen);
	uid_names_release(&uids);
	return EXIT_OK;
}

int
cmd_mail(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"top", required_argument, NULL, OPT_TOP},
	    {"year", required_argument, NULL, OPT_YEAR},
	    {"no-learn", no_argument, NULL, OPT_NO_LEARN},
	    {"from-start", no_argument, NULL, OPT_FROM_START},
	    {"interval", required_argument, NULL, OPT_INTERVAL},
	    {"window", required_argument, NULL, OPT_WINDOW},
	    {"no-processes", no_argument, NULL, OPT_NO_PROCS},
	    {NULL, 0, NULL, 0},
	};
	struct mail_opts o = {10, 0, 1, 0, 5, 3600, 1};
	uint64_t v;
	double d;
	int c;

	o.year = this_year();
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_TOP:
			if (str_u64(optarg, &v) == -1 || v > 100000)
				return cli_usage_error(
				    cli, "mail", "bad --top '%s'", optarg);
			o.top = (int)v;
			break;
		case OPT_YEAR:
			if (str_u64(optarg, &v) == -1 || v < 1970 || v > 9999)
				return cli_usage_error(
				    cli, "mail", "bad --year '%s'", optarg);
			o.year = (int)v;
			break;
		case OPT_NO_LEARN:
			o.learn = 0;
			break;
		case OPT_FROM_START:
			o.from_start = 1;
			break;
		case OPT_NO_PROCS:
			o.procs = 0;
			break;
		case OPT_INTERVAL:
			if (str_dec(optarg, &d) == -1 || d < 0.1 || d > 86400)
				return cli_usage_error(
				    cli, "mail", "bad --interval '%s'", optarg);
			o.interval = d;
			break;
		case OPT_WINDOW:
			if (dur_parse(optarg, strlen(optarg), &v) == -1)
				return cli_usage_error(
				    cli, "mail", "bad --window '%s'", optarg);
			o.window = v;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage_error(
		    cli, "mail", "expected 'report' or 'follow'");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	cli_out(cli);
	if (strcmp(argv[0], "report") == 0)
		return mail_report(cli, &o, argc - 1, argv + 1);
	if (strcmp(argv[0], "follow") == 0)
		return mail_follow(cli, &o, argc - 1, argv + 1);
	return cli_usage_error(
	    cli, "mail", "unknown mail command '%s'", argv[0]);
}
