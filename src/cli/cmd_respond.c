/*
 * cmd_respond.c - "sakimori respond [--dry-run] LOG...": runs the log
 * analyzers over the logs and blocks the addresses the configuration's
 * respond rules select (net/respond.h decides, act_ops.block applies);
 * with --dry-run, only says what would be blocked and why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/act.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/cmd_net_show.h"
#include "logs/analyzer.h"
#include "logs/scan.h"
#include "net/allow.h"
#include "net/ban.h"
#include "net/respond.h"
#include "net/settings.h"
#include "store/store.h"

#define DECISIONS_MAX 4096

int cmd_respond(struct cli *cli, int argc, char **argv);

enum { OPT_DRY_RUN = OPT_FIRST_PRIVATE };

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori respond [--dry-run] [--json] LOG...\n"
	    "  runs the log analyzers over the logs and blocks the addresses\n"
	    "  the configuration's respond { block ... } rules select\n"
	    "  --dry-run   only print what would be blocked and why\n");
}

/* Every earlier block, per prefix (history for the repeat growth). */
static size_t
history(struct cli *cli, struct respond_past **out, size_t *active)
{
	struct store st;
	struct err err = {0};
	size_t n = 0;

	*out = NULL;
	*active = 0;
	if (cli_state_dir(cli) == -1 || cmd_net_open_store(cli, &st) != 0)
		return 0;
	if (respond_history(&st, time(NULL), out, &n, active, &err) == -1)
		log_warnx("%s", err.msg);
	store_close(&st);
	return n;
}

/* What became of a block: "blocked until ...", or why not. */
static void
outcome(const struct net_block_item *it, char *dst, size_t sz)
{
	char until[40] = "never expires";

	if (it->until != 0)
		time_iso(until, sizeof(until), it->until);
	if (it->status == NET_BLOCK_DONE)
		snprintf(dst, sz, "blocked until %s", until);
	else if (it->status == NET_BLOCK_EXTENDED)
		snprintf(dst, sz, "block extended until %s", until);
	else
		snprintf(dst, sz, "%s",
		    it->msg[0] ? it->msg : net_block_status_name(it->status));
}

static void
print_decisions(const struct cli *cli, const struct report *r,
    const struct respond_decision *d, size_t n,
    const struct net_block_item *items, int dry_run)
{
	static const char *const hdr[] = {
	    "address", "decision", "for", "finding", "reason"};
	struct table t;

	if (cli->out.mode != OUT_JSON)
		table_init(&t, 5, hdr, "lllll");
	for (size_t i = 0, k = 0; i < n; i++) {
		const struct finding *f = &r->f[d[i].finding];
		char dur[32] = "-", what[480];

		if (d[i].what == RESPOND_BLOCK || d[i].what == RESPOND_ACTIVE) {
			if (d[i].secs == 0)
				snprintf(dur, sizeof(dur), "forever");
			else
				dur_format(dur, sizeof(dur), d[i].secs);
		}
		if (d[i].what == RESPOND_BLOCK && !dry_run)
			outcome(&items[k++], what, sizeof(what));
		else if (d[i].what == RESPOND_BLOCK)
			snprintf(what, sizeof(what), "would block%s",
			    d[i].earlier ? " (repeat offender)" : "");
		else if (d[i].why[0] != '\0')
			snprintf(what, sizeof(what), "%s: %s",
			    respond_what_name(d[i].what), d[i].why);
		else
			snprintf(what, sizeof(what), "%s",
			    respond_what_name(d[i].what));
		if (cli->out.mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("respond.decision"));
			jset(j, "address", jstr(d[i].addr));
			jset(j, "decision", jstr(what));
			jset(j, "block",
			    json_boolean(d[i].what == RESPOND_BLOCK));
			jset(j, "duration_seconds",
			    json_integer((json_int_t)d[i].secs));
			jset(j, "finding", jstr(f->check));
			jset(j, "severity", json_string(sev_name(f->sev)));
			jset(j, "earlier_blocks",
			    json_integer((json_int_t)d[i].earlier));
			jset(j, "reason", jstr(d[i].reason));
			json_line(cli->out.fp, j);
		} else {
			const char *row[5] = {
			    d[i].addr, what, dur, f->check, d[i].reason};

			table_row(&t, row);
		}
	}
	if (cli->out.mode != OUT_JSON) {
		if (n == 0)
			fprintf(cli->out.fp, "nothing to block\n");
		else
			table_print(&t, cli->out.fp, cli->out.color);
		table_release(&t);
	}
}

/* Blocks the BLOCK decisions through the system's actions. */
static int
apply(struct cli *cli, const struct respond_decision *d, size_t n,
    struct net_block_item *items, size_t *nitems)
{
	struct act_ops a;
	struct err err = {0};
	int rc;

	*nitems = respond_items(d, n, items);
	if (*nitems == 0)
		return 0;
	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	act_system(&a, &cli->conf, cli->state_dir);
	rc = a.block(&a, items, *nitems, "rule:respond", &err);
	if (rc < 0 && rc != NET_BLOCK_UNAUDITED) {
		log_warnx("respond: %s", err.msg);
		return err.code == EPERM ? EXIT_NOPERM : EXIT_SOFTWARE;
	}
	if (rc == NET_BLOCK_UNAUDITED) {
		log_warnx("respond: %s", err.msg);
		return EXIT_SOFTWARE;
	}
	/* as "net block": no privilege 77, another failure 71 */
	for (size_t i = 0; i < *nitems; i++)
		if (items[i].status == NET_BLOCK_FAILED)
			return items[i].err_code == EPERM ||
			        items[i].err_code == EACCES
			    ? EXIT_NOPERM
			    : EXIT_OSERR;
	return 0;
}

/* Runs every analyzer over the logs; their own output is not shown. */
static int
analyze(struct cli *cli, int argc, char **argv, struct report *rep)
{
	struct logs_opts lo;
	struct logs_run run;
	struct logs_feed feed;
	struct out quiet;
	FILE *null = fopen("/dev/null", "w");
	const char *errmsg = NULL;
	int rc = 0;

	if (null == NULL)
		return EXIT_OSERR;
	out_init(&quiet, OUT_NAGIOS, null);
	logs_opts_default(&lo);
	lo.conf = &cli->conf;
	lo.out = &quiet;
	if (cli_state_dir(cli) == 0)
		lo.state_dir = cli->state_dir;
	if (logs_run_init(&run, NULL, &lo, &errmsg) == -1) {
		log_warnx("respond: %s", errmsg);
		fclose(null);
		return EXIT_SOFTWARE;
	}
	logs_feed_init(&feed, LOGS_FMT_AUTO, NULL, &run, rep);
	for (int i = 0; i < argc; i++) {
		struct err err = {0};

		if (logs_scan_file(
		        argv[i], LOGS_MAX_LINE_DEFAULT, &feed, &err) == -1) {
			log_warnx("%s", err.msg);
			rc = EXIT_NOINPUT;
		}
	}
	logs_run_finish(&run, rep, &quiet);
	logs_run_release(&run);
	logs_feed_release(&feed);
	fclose(null);
	return rc;
}

int
cmd_respond(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    CLI_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct respond_conf rc;
	struct respond_past *past = NULL;
	struct respond_decision *d = NULL;
	struct net_block_item *items = NULL;
	struct net_allow allow = {0}, *allowp = NULL;
	struct report rep;
	struct err err = {0};
	size_t npast, active = 0, n, nitems = 0;
	int c, dry_run = 0, status;

	while ((c = getopt_long(argc, argv, "+" CLI_COMMON_SHORTOPTS, longopts,
	            NULL)) != -1) {
		if (c == OPT_DRY_RUN) {
			dry_run = 1;
		} else if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		} else if (!cli_common_opt(cli, c, optarg)) {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return cli_usage_error(cli, "respond", "no LOG given");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	if (respond_conf_load(&rc, &cli->conf, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	cli_out(cli);
	if (rc.n == 0)
		log_warnx("respond: no 'respond { block ... }' rules in the "
		          "configuration: nothing is blocked");
	report_init(&rep);
	status = analyze(cli, argc, argv, &rep);
	npast = history(cli, &past, &active);
	if (dry_run &&
	    net_allow_from_conf(
	        &allow, &cli->conf, getenv("SSH_CONNECTION"), &err) == 0)
		allowp = &allow;
	d = calloc(DECISIONS_MAX, sizeof(*d));
	items = calloc(DECISIONS_MAX, sizeof(*items));
	if (d == NULL || items == NULL) {
		status = EXIT_OSERR;
		goto out;
	}
	n = respond_decide(
	    &rc, &rep, past, npast, active, allowp, d, DECISIONS_MAX);
	if (!dry_run) {
		int st = apply(cli, d, n, items, &nitems);

		if (st != 0)
			status = st;
	}
	print_decisions(cli, &rep, d, n, items, dry_run);
out:
	net_allow_release(&allow);
	free(past);
	free(d);
	free(items);
	report_release(&rep);
	return status;
}
