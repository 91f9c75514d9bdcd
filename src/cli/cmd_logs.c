/*
 * cmd_logs.c - "sakimori logs scan|stats|follow FILE...": the log engine
 * from the command line.  scan runs every analyzer over whole files in one
 * pass; stats runs the web statistics only; follow tails files live with
 * bookmarks in the state directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "base/json.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "logs/analyzer.h"
#include "logs/discover.h"
#include "logs/follow.h"
#include "logs/parse_int.h"
#include "logs/scan.h"

enum {
	OPT_FORMAT = OPT_FIRST_PRIVATE,
	OPT_LOGFORMAT,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_ANALYZERS,
	OPT_TOP,
	OPT_MAX_LINE,
	OPT_PAGE_TYPES,
	OPT_SITE,
	OPT_YEAR,
	OPT_NAME,
	OPT_LINES_TO,
	OPT_POLL,
	OPT_EXIT_IDLE,
	OPT_FROM_START,
	OPT_RULES,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori logs scan [OPTIONS] FILE...\n"
	    "       sakimori logs stats [OPTIONS] FILE...\n"
	    "       sakimori logs follow [OPTIONS] FILE...\n"
	    "       sakimori logs attacks [OPTIONS] FILE...\n"
	    "       sakimori logs sources [--json]\n"
	    "\n"
	    "scan    every analyzer over whole files (plain or .gz) in one "
	    "pass\n"
	    "stats   web statistics: hits and page hits per day, status, "
	    "top lists\n"
	    "follow  follow files as they grow and rotate ('tail -F'), with "
	    "bookmarks\n"
	    "attacks flagged requests and incidents per address only\n"
	    "sources the logs the agent would follow, and why\n"
	    "\n"
	    "scan, stats and attacks read FILE '-' (standard input), a pipe "
	    "or a FIFO\n"
	    "as a stream, gzip-compressed or not.\n"
	    "\n"
	    "options:\n"
	    "  --format NAME       auto (default), clf, logformat, iis, "
	    "iis-native,\n"
	    "                      apache-error, nginx-error, syslog, "
	    "journal\n"
	    "  --logformat STR     an Apache LogFormat or nginx log_format "
	    "string\n"
	    "  --since T, --until T  only records in [since, until): "
	    "2024-10-10,\n"
	    "                      2024-10-10T12:00, or a duration ago "
	    "(2h, 7d)\n"
	    "  --analyzers LIST    comma list (default: all): ");
	for (size_t i = 0; logs_analyzer_table[i] != NULL; i++)
		fprintf(fp, "%s%s", i ? "," : "", logs_analyzer_table[i]->name);
	fprintf(fp,
	    "\n"
	    "  --top N             rows in top lists (default 10)\n"
	    "  --max-line BYTES    cut longer lines there (default 65536)\n"
	    "  --page-types LIST   suffixes that are pages, / for directory "
	    "indexes\n"
	    "                      (default html,htm,shtml,xhtml,php,asp,"
	    "aspx,jsp,cgi,\n"
	    "                      pl,py,/)\n"
	    "  --site HOST         our own host name (repeat; for broken "
	    "links)\n"
	    "  --year Y            year of syslog times that have none\n"
	    "  --rules PATH        attack rule file or directory (default: "
	    "the shipped\n"
	    "                      rules; also SAKIMORI_RULES)\n"
	    "follow only:\n"
	    "  --name NAME         bookmark set name (default: from the "
	    "files)\n"
	    "  --lines-to FILE     append every line read to FILE, "
	    "exactly once\n"
	    "  --from-start        with no bookmark, start at the "
	    "beginning\n"
	    "  --poll SECS         also look every SECS seconds (default "
	    "1)\n"
	    "  --exit-idle SECS    stop after SECS seconds without new "
	    "lines\n"
	    "  --json              JSON lines\n");
}

/* "2024-10-10", "2024-10-10T12:00[:00][zone]", or a duration ago. */
static int
parse_when(const char *s, int64_t *out)
{
	struct civtime t;
	const char *p = s, *end = s + strlen(s);
	uint64_t secs;

	if (dur_parse(s, strlen(s), &secs) == 0) {
		*out = (int64_t)time(NULL) - (int64_t)secs;
		return 0;
	}
	if (civ_iso(&p, end, &t,
	        CIV_ISO_T | CIV_ISO_SPACE | CIV_ISO_DATE | CIV_ISO_HM) == -1 ||
	    p != end)
		return -1;
	*out = civ_epoch(&t);
	return 0;
}

static void
print_counts(const struct out *o, const char *file, const struct logs_counts *c)
{
	if (o->mode == OUT_JSON) {
		json_t *j = json_object(), *bad = json_array(),
		       *fm = json_object();

		jset(j, "type", json_string("logs.file"));
		jset(j, "file", jstr(file));
		jset(j, "lines", json_integer((json_int_t)c->lines));
		jset(j, "records", json_integer((json_int_t)c->records));
		jset(j, "unparsed", json_integer((json_int_t)c->unparsed));
		for (unsigned i = 0; i < c->nbad; i++)
			json_array_append_new(
			    bad, json_integer((json_int_t)c->bad_line[i]));
		jset(j, "unparsed_lines", bad);
		jset(j, "directives", json_integer((json_int_t)c->directives));
		jset(j, "empty", json_integer((json_int_t)c->empty));
		jset(j, "cut", json_integer((json_int_t)c->cut));
		jset(j, "filtered", json_integer((json_int_t)c->filtered));
		jset(j, "no_final_newline",
		    json_integer((json_int_t)c->no_final_newline));
		for (int i = 1; i < LOGS_FMT_COUNT; i++)
			if (c->per_format[i])
				jset(fm, logs_format_name((enum logs_format)i),
				    json_integer((json_int_t)c->per_format[i]));
		jset(j, "formats", fm);
		json_line(o->fp, j);
		return;
	}
	if (o->mode != OUT_TABLE)
		return;
	{
		struct strbuf sb = STRBUF_INIT(4096);

		esc_text(&sb, file, strlen(file));
		fprintf(o->fp,
		    "%s: %llu lines, %llu records, %llu unparsed, %llu cut, "
		    "%llu filtered",
		    strbuf_str(&sb), (unsigned long long)c->lines,
		    (unsigned long long)c->records,
		    (unsigned long long)c->unparsed, (unsigned long long)c->cut,
		    (unsigned long long)c->filtered);
		strbuf_release(&sb);
	}
	if (c->nbad > 0) {
		fprintf(o->fp, " (unparsed lines:");
		for (unsigned i = 0; i < c->nbad; i++)
			fprintf(
			    o->fp, " %llu", (unsigned long long)c->bad_line[i]);
		if (c->unparsed > c->nbad)
			fprintf(o->fp, " ...");
		fprintf(o->fp, ")");
	}
	fputc('\n', o->fp);
}

/* "logs sources": what discovery found, as a table or one JSON line. */
static int
logs_sources(struct cli *cli)
{
	static const char *const hdr[] = {"PATH", "KIND", "STATE", "SOURCE"};
	struct discover d;
	struct err err = {0};
	struct table t;

	discover_init(&d);
	if (discover_logs(&d, cli->root, &cli->conf, &err) == -1) {
		log_warnx("%s", err.msg);
		discover_release(&d);
		return EXIT_CONFIG;
	}
	for (size_t i = 0; i < d.nnotes; i++)
		log_warnx("%s", d.notes[i]);
	if (cli->out.mode == OUT_JSON) {
		json_t *o = json_object(), *logs = json_array(),
		       *skip = json_array();

		for (size_t i = 0; i < d.n; i++) {
			const struct discover_log *l = &d.log[i];
			json_t *x = json_object();

			jset(x, "path", jstr(l->path));
			jset(x, "kind", jstr(discover_kind_name(l->kind)));
			jset(x, "present", json_boolean(l->present));
			jset(x, "server", jstr(l->server));
			jset(x, "source", jstr(l->source));
			json_array_append_new(logs, x);
		}
		for (size_t i = 0; i < d.nskip; i++) {
			json_t *x = json_object();

			jset(x, "target", jstr(d.skip[i].target));
			jset(x, "reason", jstr(d.skip[i].why));
			jset(x, "source", jstr(d.skip[i].source));
			json_array_append_new(skip, x);
		}
		jset(o, "type", json_string("logs.sources"));
		jset(o, "logs", logs);
		jset(o, "skipped", skip);
		json_line(cli->out.fp, o);
		discover_release(&d);
		return EXIT_OK;
	}
	table_init(&t, 4, hdr, "llll");
	for (size_t i = 0; i < d.n; i++) {
		const struct discover_log *l = &d.log[i];
		const char *row[] = {l->path, discover_kind_name(l->kind),
		    l->present ? "follow" : "absent", l->source};

		table_row(&t, row);
	}
	table_print(&t, cli->out.fp, cli->out.color);
	table_release(&t);
	for (size_t i = 0; i < d.nskip; i++) {
		char target[512];

		esc_text_buf(target, sizeof(target), d.skip[i].target,
		    strlen(d.skip[i].target));
		fprintf(cli->out.fp, "skipped (%s): %s  %s\n", d.skip[i].why,
		    target, d.skip[i].source);
	}
	discover_release(&d);
	return EXIT_OK;
}

struct logs_args {
	enum logs_format force;
	const char *logformat;
	const char *analyzers;
	size_t max_line;
	int64_t since, until;
	int has_since, has_until;
	int year;
	const char *sites[33];
	size_t nsites;
	struct follow_opts fo;
};

int
cmd_logs(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"logformat", required_argument, NULL, OPT_LOGFORMAT},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"analyzers", required_argument, NULL, OPT_ANALYZERS},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"max-line", required_argument, NULL, OPT_MAX_LINE},
	    {"page-types", required_argument, NULL, OPT_PAGE_TYPES},
	    {"site", required_argument, NULL, OPT_SITE},
	    {"year", required_argument, NULL, OPT_YEAR},
	    {"name", required_argument, NULL, OPT_NAME},
	    {"lines-to", required_argument, NULL, OPT_LINES_TO},
	    {"poll", required_argument, NULL, OPT_POLL},
	    {"exit-idle", required_argument, NULL, OPT_EXIT_IDLE},
	    {"from-start", no_argument, NULL, OPT_FROM_START},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {NULL, 0, NULL, 0},
	};
	struct logs_args a;
	struct logs_opts lo;
	struct logs_fmt *fmt = NULL;
	struct logs_run run;
	struct logs_feed feed;
	struct logs_counts total;
	struct report rep;
	const char *verb, *errmsg = NULL;
	int c, rc = EXIT_OK, failed = 0;
	uint64_t v;
	time_t now = time(NULL);
	struct tm tmnow;

	memset(&a, 0, sizeof(a));
	a.max_line = LOGS_MAX_LINE_DEFAULT;
	follow_opts_default(&a.fo);
	logs_opts_default(&lo);
	localtime_r(&now, &tmnow);
	a.year = tmnow.tm_year + 1900;
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_FORMAT:
			if (logs_format_parse(optarg, &a.force) == -1)
				return cli_usage_error(
				    cli, "logs", "unknown format '%s'", optarg);
			break;
		case OPT_LOGFORMAT:
			a.logformat = optarg;
			break;
		case OPT_SINCE:
			if (parse_when(optarg, &a.since) == -1)
				return cli_usage_error(
				    cli, "logs", "bad time '%s'", optarg);
			a.has_since = 1;
			break;
		case OPT_UNTIL:
			if (parse_when(optarg, &a.until) == -1)
				return cli_usage_error(
				    cli, "logs", "bad time '%s'", optarg);
			a.has_until = 1;
			break;
		case OPT_ANALYZERS:
			a.analyzers = optarg;
			break;
		case OPT_TOP:
			if (str_u64(optarg, &v) == -1 || v == 0 || v > 100000)
				return cli_usage_error(
				    cli, "logs", "bad --top '%s'", optarg);
			lo.top = (int)v;
			break;
		case OPT_MAX_LINE:
			if (str_u64(optarg, &v) == -1 || v < 16 ||
			    v > 256 * 1024 * 1024)
				return cli_usage_error(
				    cli, "logs", "bad --max-line '%s'", optarg);
			a.max_line = (size_t)v;
			break;
		case OPT_PAGE_TYPES:
			lo.page_types = optarg;
			break;
		case OPT_SITE:
			if (a.nsites == 32)
				return cli_usage_error(
				    cli, "logs", "too many --site");
			a.sites[a.nsites++] = optarg;
			break;
		case OPT_YEAR:
			if (str_u64(optarg, &v) == -1 || v < 1970 || v > 9999)
				return cli_usage_error(
				    cli, "logs", "bad --year '%s'", optarg);
			a.year = (int)v;
			break;
		case OPT_NAME:
			a.fo.name = optarg;
			break;
		case OPT_LINES_TO:
			a.fo.lines_to = optarg;
			break;
		case OPT_POLL:
			if (str_dec(optarg, &a.fo.poll) == -1 ||
			    a.fo.poll <= 0 || a.fo.poll > 3600)
				return cli_usage_error(
				    cli, "logs", "bad --poll '%s'", optarg);
			break;
		case OPT_EXIT_IDLE:
			if (str_dec(optarg, &a.fo.exit_idle) == -1 ||
			    a.fo.exit_idle <= 0)
				return cli_usage_error(cli, "logs",
				    "bad --exit-idle '%s'", optarg);
			break;
		case OPT_FROM_START:
			a.fo.from_start = 1;
			break;
		case OPT_RULES:
			lo.rules = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage_error(cli, "logs",
		    "expected 'scan', 'stats', 'follow' or 'sources'");
	verb = argv[0];
	if (strcmp(verb, "sources") == 0) {
		if (argc > 1)
			return cli_usage_error(
			    cli, "logs", "sources takes no FILE");
		if (cli_conf(cli) == -1)
			return EXIT_CONFIG;
		cli_out(cli);
		return logs_sources(cli);
	}
	if (strcmp(verb, "scan") != 0 && strcmp(verb, "stats") != 0 &&
	    strcmp(verb, "follow") != 0 && strcmp(verb, "attacks") != 0)
		return cli_usage_error(cli, "logs", "unknown verb '%s'", verb);
	if (argc < 2)
		return cli_usage_error(cli, "logs", "no FILE given");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	cli_out(cli);
	a.sites[a.nsites] = NULL;
	lo.sites = a.nsites ? a.sites : NULL;
	lo.follow = strcmp(verb, "follow") == 0;
	lo.attacks_list = strcmp(verb, "attacks") == 0;
	lo.conf = &cli->conf;
	lo.out = &cli->out;
	if (cli_state_dir(cli) == 0)
		lo.state_dir = cli->state_dir;
	if (a.logformat != NULL) {
		fmt = logs_fmt_compile(a.logformat, &errmsg);
		if (fmt == NULL)
			return cli_usage_error(
			    cli, "logs", "--logformat: %s", errmsg);
		if (a.force == LOGS_FMT_AUTO)
			a.force = LOGS_FMT_LOGFORMAT;
	}
	if (logs_run_init(&run,
	        strcmp(verb, "stats") == 0 ? "stats"
	            : lo.attacks_list      ? "attacks"
	                                   : a.analyzers,
	        &lo, &errmsg) == -1) {
		logs_fmt_free(fmt);
		return cli_usage_error(cli, "logs", "--analyzers: %s", errmsg);
	}
	report_init(&rep);
	logs_feed_init(&feed, a.force, fmt, &run, &rep);
	feed.parser.default_year = a.year;
	feed.since = a.since;
	feed.until = a.until;
	feed.has_since = a.has_since;
	feed.has_until = a.has_until;
	memset(&total, 0, sizeof(total));

	if (lo.follow) {
		struct err err = {0};

		if (cli_state_dir(cli) == -1) {
			rc = EXIT_CANTCREAT;
			goto out;
		}
		a.fo.max_line = a.max_line;
		a.fo.state_dir = cli->state_dir;
		a.fo.out = &cli->out;
		if (logs_follow(&a.fo, (const char *const *)argv + 1,
		        (size_t)argc - 1, &feed, &err) == -1) {
			log_warnx("%s", err.msg);
			rc = cli_follow_exit(err.code);
			/* Refused before a line was read: no report. */
			if (feed.counts.lines == 0)
				goto out;
		}
		logs_run_finish(&run, &rep, &cli->out);
		out_report(&cli->out, &rep, "SAKIMORI LOGS");
		if (rc == EXIT_OK)
			rc = cli_exit_for(&rep);
		goto out;
	}

	for (int i = 1; i < argc; i++) {
		struct err err = {0};

		memset(&feed.counts, 0, sizeof(feed.counts));
		if (logs_scan_file(argv[i], a.max_line, &feed, &err) == -1) {
			log_warnx("%s", err.msg);
			if (!failed) /* the first failure's status */
				failed = err.code == EBADMSG ? EXIT_DATAERR
				                             : EXIT_NOINPUT;
		}
		print_counts(&cli->out, argv[i], &feed.counts);
		logs_counts_add(&total, &feed.counts);
	}
	if (cli->out.mode == OUT_TABLE)
		fputc('\n', cli->out.fp);
	logs_run_finish(&run, &rep, &cli->out);
	if (strcmp(verb, "scan") == 0 || lo.attacks_list) {
		if (cli->out.mode == OUT_TABLE)
			fputc('\n', cli->out.fp);
		out_report(&cli->out, &rep, "SAKIMORI LOGS");
		rc = cli_exit_for(&rep);
	}
	/* a file not read to its end outweighs the findings of the rest */
	if (failed && (rc == EXIT_OK || cli->out.mode != OUT_NAGIOS))
		rc = failed;
out:
	logs_feed_release(&feed);
	logs_run_release(&run);
	report_release(&rep);
	logs_fmt_free(fmt);
	return rc;
}
