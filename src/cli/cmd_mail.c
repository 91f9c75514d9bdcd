/*
 * cmd_mail.c - "sakimori mail report [FILE...]": a daily summary of a mail
 * log in the spirit of pflogsumm (received, delivered, deferred, bounced,
 * rejected, top senders, recipients, domains, clients, SASL logins, local
 * users) plus findings; "sakimori mail follow [FILE...]": the same rules
 * on a growing log, printing each finding when it first appears.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "collect/passwd.h"
#include "logs/follow.h"
#include "logs/scan.h"
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
	fputs(CLI_TABLE_HELP, fp);
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
 * Reads one file through the log engine into its analyzers.  EXIT_OK, or
 * the exit status after saying why: EXIT_DATAERR for a truncated or
 * corrupt gzip stream (the lines before it count), EXIT_NOINPUT when it
 * cannot be read.
 */
static int
feed_file(struct logs_feed *feed, const char *path)
{
	struct err err = {0};
	uint64_t cut = feed->counts.cut;
	int rc = logs_scan_file(path, MAIL_LINE_MAX, feed, &err);

	cut = feed->counts.cut - cut;
	if (cut > 0)
		log_info("'%s': %llu lines longer than %d bytes were cut", path,
		    (unsigned long long)cut, MAIL_LINE_MAX);
	if (rc == -1) {
		log_warnx("%s", err.msg);
		return err.code == EBADMSG ? EXIT_DATAERR : EXIT_NOINPUT;
	}
	return EXIT_OK;
}

/*
 * The log engine reading mail logs: syslog lines parsed (lines of exim's
 * mainlog and qmail's multilog reach the mail analyzer unparsed), RFC
 * 3164 stamps in year; the mail analyzer counts into its own stats.
 */
static int
engine_init(
    struct cli *cli, int year, struct logs_run *run, struct logs_feed *feed)
{
	struct logs_opts lo;
	const char *errmsg;

	logs_opts_default(&lo);
	lo.conf = &cli->conf;
	lo.out = &cli->out;
	if (logs_run_init(run, "mail", &lo, &errmsg) == -1) {
		log_warnx("%s", errmsg);
		return -1;
	}
	logs_feed_init(feed, LOGS_FMT_SYSLOG, NULL, run, NULL);
	feed->parser.default_year = year;
	feed->parser.syslog_only = 1;
	return 0;
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
	struct logs_run run;
	struct logs_feed feed;
	struct mail_stats *s;
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
	if (engine_init(cli, o->year, &run, &feed) == -1)
		return EXIT_SOFTWARE;
	mail_policy_from_conf(&cli->conf, &p, &lists);
	if (cli_state_dir(cli) == 0 &&
	    mail_hist_open(&h, cli->state_dir, 1, NULL) == 0)
		have_hist = 1;
	s = mail_analyzer_stats(&run);
	uid_names_init(&uids, cli->root);
	mail_stats_uid_names(s, uid_name, &uids);
	for (int i = 0; i < nfiles; i++) {
		int frc = feed_file(&feed, files[i]);

		if (frc != EXIT_OK && rc == EXIT_OK)
			rc = frc;
	}
	s->lines = feed.counts.lines; /* empty ones too */
	mail_stats_finish(s);
	if (have_hist)
		mail_hist_policy(&h, s, &p);
	report_init(&r);
	mail_stats_judge(s, &p, &r);
	if (o->procs) {
		mail_judge_procs(&cli->conf, cli->root, &r);
		mail_judge_queue(
		    &cli->conf, cli->root, have_hist ? &h : NULL, &r);
	}
	if (cli->mode != OUT_NAGIOS)
		mail_stats_print(s, &cli->out, o->top);
	out_report(&cli->out, &r, "SAKIMORI MAIL");
	if (have_hist) {
		struct err err = {0};

		if (o->learn && mail_hist_learn(&h, s, &err) == -1)
			log_warnx("cannot record mail history: %s", err.msg);
		mail_hist_close(&h);
	}
	if (rc == 0)
		rc = cli_exit_for(&r);
	report_release(&r);
	logs_feed_release(&feed);
	logs_run_release(&run);
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
	struct logs_run run;
	struct logs_feed feed;
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
	if (engine_init(cli, o->year, &run, &feed) == -1)
		return EXIT_SOFTWARE;
	mail_policy_from_conf(&cli->conf, &p, &lists);
	uid_names_init(&uids, cli->root);
	memset(&fs, 0, sizeof(fs));
	fs.cli = cli;
	fs.o = o;
	mail_live_init(&fs.lv, &p, o->window, clock_mono(), uid_name, &uids);
	mail_analyzer_count_into(&run, &fs.lv.s);
	follow_opts_default(&fo);
	fo.name_pre = "mail-";
	fo.state_dir = cli->state_dir;
	fo.from_start = o->from_start;
	fo.poll = o->interval;
	fo.max_line = MAIL_LINE_MAX;
	fo.tick = follow_tick;
	fo.arg = &fs;
	if (logs_follow(&fo, (const char *const *)files, (size_t)nfiles, &feed,
	        &err) == -1) {
		log_warnx("%s", err.msg);
		rc = cli_follow_exit(err.code);
	}
	logs_feed_release(&feed);
	logs_run_release(&run);
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
