/*
 * cmd_check.c - "sakimori check": run the built-in checks once (load,
 * swapping now, available memory, filesystem blocks and inodes, process
 * counts) and exit with the worst severity, for cron and Nagios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/act.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/json.h"
#include "base/output.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "cli/cli.h"
#include "collect/snap.h"

enum {
	OPT_INTERVAL = OPT_FIRST_PRIVATE,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori check [--interval S] [--json | --nagios] [--root "
	    "DIR] [-f FILE]\n"
	    "\n"
	    "Runs the built-in checks once and prints the problems found:\n"
	    "  load           load average per CPU (warning 1.00, critical "
	    "2.00)\n"
	    "  swap-activity  pages swapped in or out per second over the "
	    "sample (> 0)\n"
	    "  memory         available memory in %% of the total (below 10%% "
	    "/ 5%%)\n"
	    "  fs-blocks      space used on each filesystem (90%% / 95%%)\n"
	    "  fs-inodes      inodes used on each filesystem (90%% / 95%%)\n"
	    "  process-count  processes of one name (httpd, apache2: warning "
	    "above 150)\n"
	    "  stuck-cgi      interpreters of the web server running long "
	    "(300 s / 600 s)\n"
	    "  apache-workers Apache children against MaxRequestWorkers "
	    "(80%% / 95%%)\n"
	    "  proc-*, net-promisc  suspicious processes, sockets and "
	    "interfaces\n"
	    "                 (as ps --suspicious; allow lists in the "
	    "configuration)\n"
	    "Thresholds come from the configuration (sakimori.conf(5)).\n"
	    "\n"
	    "  --interval S   sample swapping over S seconds (default 1, or "
	    "'set interval';\n"
	    "                 0 skips the swap-activity check)\n"
	    "  --daily        also the once-a-day checks (cron): disk errors "
	    "in "
	    "the kernel\n"
	    "                 log since the last daily run, filesystem error "
	    "state, file\n"
	    "                 integrity (when there is a baseline); with\n"
	    "                 'set mail-to', the report is mailed as well\n"
	    "  --json         JSON lines: each finding, then a summary\n"
	    "  --nagios       one Nagios plugin line with performance data\n"
	    "  --kill         stop CRITICAL stuck-cgi processes, mail the "
	    "script's owner\n"
	    "\n"
	    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the "
	    "worst finding).\n");
}

static void
json_summary(const struct report *r, double interval, FILE *fp)
{
	json_t *o = json_object(), *perf = json_object();
	char now[64];

	time_iso(now, sizeof(now), time(NULL));
	jset(o, "type", json_string("summary"));
	jset(o, "severity", json_string(sev_name(report_worst(r))));
	jset(o, "time", json_string(now));
	jset(o, "interval_s", jreal_or_null(interval));
	jset(o, "critical",
	    json_integer((json_int_t)report_count(r, SEV_CRITICAL)));
	jset(o, "warning",
	    json_integer((json_int_t)report_count(r, SEV_WARNING)));
	jset(o, "unknown",
	    json_integer((json_int_t)report_count(r, SEV_UNKNOWN)));
	for (size_t i = 0; i < r->np; i++)
		jset(perf, r->p[i].label, jreal_or_null(r->p[i].value));
	jset(o, "perfdata", perf);
	json_line(fp, o);
}

int
cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"interval", required_argument, NULL, OPT_INTERVAL},
	    {"daily", no_argument, NULL, 'd'},
	    {"kill", no_argument, NULL, 'k'},
	    {"suspicious", no_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	const char *interval_arg = NULL;
	double interval;
	struct snap s;
	struct report r;
	struct check_ctx x = {0};
	struct act_ops act;
	unsigned mask = CHECK_FAST | CHECK_MEDIUM | CHECK_SLOW;
	struct err err = {0};
	int c, rc;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_INTERVAL:
			interval_arg = optarg;
			break;
		case 'd':
			mask |= CHECK_DAILY;
			x.flags |= CHECK_CTX_DAILY;
			break;
		case 'k':
			x.flags |= CHECK_CTX_KILL; /* stuck-cgi: stop it */
			break;
		case 's':
			/* the suspicious checks are part of check now; the
			 * option stays for scripts written for --suspicious */
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(
		    cli, "check", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_sample_setup(cli, "check", interval_arg, &interval)) !=
	    EXIT_OK)
		return rc;
	snap_take(&s, cli->root,
	    SNAP_BIT(SNAP_LOAD) | SNAP_BIT(SNAP_CPU) | SNAP_BIT(SNAP_MEM) |
	        SNAP_BIT(SNAP_VM) | SNAP_BIT(SNAP_FS) | SNAP_BIT(SNAP_PROC) |
	        SNAP_PROC_ONCE,
	    interval, 0);
	report_init(&r);
	x.conf = &cli->conf;
	x.snap = &s;
	x.root = cli->root;
	x.state_dir = cli_state_dir(cli) == 0 ? cli->state_dir : NULL;
	x.now = s.now;
	act_system(&act, &cli->conf, x.state_dir);
	x.act = &act;
	check_run(&x, mask, &r);
	out_report(&cli->out, &r, "SAKIMORI");
	if ((x.flags & CHECK_CTX_DAILY) &&
	    check_mail_report(&x, &r, &err) == -1)
		log_warnx("%s", err.msg);
	if (cli->mode == OUT_JSON)
		json_summary(&r, s.interval, stdout);
	rc = cli_exit_for(&r);
	report_release(&r);
	snap_release(&s);
	return rc;
}
