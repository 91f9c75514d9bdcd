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
#include "logs/follow.h"
#include "mail/mail_hist.h"
#include "mail/mail_run.h"
#include "mail/mail_stats.h"

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
 * Reads one file into s.  EXIT_OK, or the exit status after saying why:
 * EXIT_DATAERR for a truncated or corrupt gzip stream (the lines before
 * it count), EXIT_NOINPUT when it cannot be read.
 */
static int
feed_file(struct mail_stats *s, const char *path, int year)
{
	struct err err = {0};
	uint64_t cut;
	int rc = mail_stats_file(s, path, year, &cut, &err);

	if (cut > 0)
		log_info("'%s': %llu lines longer than %d bytes were cut", path,
		    (unsigned long long)cut, MAIL_LINE_MAX);
	if (rc == -1) {
		log_warnx("%s", err.msg);
		return err.code == EBADMSG ? EXIT_DATAERR : EXIT_NOINPUT;
	}
	return EXIT_OK;
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
	struct mail_conf_lists lists;
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
	mail_policy_from_conf(&cli->conf, &p, &lists);
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
		mail_judge_procs(&cli->conf, cli->root, &r);
		mail_judge_queue(
		    &cli->conf, cli->root, have_hist ? &h : NULL, &r);
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

struct follow_state {
	struct cli *cli;
	const struct mail_opts *o;
	struct mail_live lv;
	double last_judge;
};

static void
follow_line(void *arg, const char *p, size_t n, int cut)
{
	struct follow_state *fs = arg;

	(void)cut; /* a cut line: its start */
	mail_live_line(&fs->lv, p, n);
}

/* Every interval: the findings not told yet, each as it comes. */
static void
follow_tick(void *arg)
{
	struct follow_state *fs = arg;
	struct report r;

	if (clock_mono() - fs->last_judge < fs->o->interval)
		return;
	fs->last_judge = clock_mono();
	report_init(&r);
	mail_live_judge(&fs->lv, &r);
	if (fs->o->procs)
		mail_judge_procs(&fs->cli->conf, fs->cli->root, &r);
	for (size_t i = 0; i < r.nf; i++) {
		struct finding *f = &r.f[i];
		struct report one = {f, 1, 1, NULL, 0, 0, 0};

		if (!mail_live_is_new(&fs->lv, f))
			continue;
		f->time = time(NULL);
		out_report(&fs->cli->out, &one, "SAKIMORI MAIL");
		fflush(stdout);
	}
	report_release(&r);
	mail_live_window(&fs->lv, clock_mono());
}

static int
mail_follow(
    struct cli *cli, const struct mail_opts *o, int nfiles, char **files)
{
	struct follow_state fs;
	struct follow_opts fo;
	struct mail_policy p;
	struct mail_conf_lists lists;
	struct uid_names uids;
	struct err err = {0};
	const char *deflt[1];
	char defbuf[PATH_MAX];
	int rc = EXIT_OK;

	if (nfiles == 0) {
		if (default_files(deflt, cli->root, defbuf, sizeof(defbuf)) ==
		    0)
			return EXIT_NOINPUT;
		files = (char **)deflt;
		nfiles = 1;
	}
	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	mail_policy_from_conf(&cli->conf, &p, &lists);
	uid_names_init(&uids, cli->root);
	memset(&fs, 0, sizeof(fs));
	fs.cli = cli;
	fs.o = o;
	mail_live_init(
	    &fs.lv, &p, o->year, o->window, clock_mono(), uid_name, &uids);
	follow_opts_default(&fo);
	fo.name_pre = "mail-";
	fo.state_dir = cli->state_dir;
	fo.from_start = o->from_start;
	fo.poll = o->interval;
	fo.max_line = MAIL_LINE_MAX;
	fo.line = follow_line;
	fo.tick = follow_tick;
	fo.arg = &fs;
	if (logs_follow(&fo, (const char *const *)files, (size_t)nfiles, NULL,
	        &err) == -1) {
		log_warnx("%s", err.msg);
		rc = cli_follow_exit(err.code);
	}
	mail_live_release(&fs.lv);
	uid_names_release(&uids);
	return rc;
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
