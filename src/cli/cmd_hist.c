/*
 * cmd_hist.c - "sakimori history" (the values the agent kept of a series,
 * or the list of series) and "sakimori graph" (MRTG's view of one, as a
 * PNG or SVG file), over the history in the state directory (hist/hist.h).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/civtime.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "hist/hist.h"
#include "hist/hist_int.h"

enum {
	OPT_SINCE = OPT_FIRST_PRIVATE,
	OPT_LIST,
	OPT_PERIOD,
	OPT_OUTPUT,
	OPT_MAX,
};

#define EXIT_UNAVAILABLE 69 /* EX_UNAVAILABLE: librrd cannot be loaded */

/* The exit status for a failure of hist_fetch or hist_graph: no history
 * of the series, librrd missing (code 0), or dflt. */
static int
exit_for(const struct err *err, int dflt)
{
	if (err->code == ENOENT)
		return EXIT_NOINPUT;
	if (err->code == 0)
		return EXIT_UNAVAILABLE;
	return dflt;
}

/* v as "%.6g", or "-" when there is none. */
static void
num_or_dash(char *dst, size_t dstsz, double v)
{
	if (isnan(v))
		snprintf(dst, dstsz, "-");
	else
		snprintf(dst, dstsz, "%.6g", v);
}

static void
history_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori history SERIES [--since T] [--max] [--json]\n"
	    "       sakimori history --list [--json]\n"
	    "\n"
	    "The values the agent kept of one series (its history is in the "
	    "state\n"
	    "directory, one RRD file per series, a value every 10 seconds), "
	    "at the\n"
	    "finest archive that reaches back to T: 10 s for 3 hours, then "
	    "5 min,\n"
	    "30 min, 2 h and 1 day.  Intervals without a value are left "
	    "out.\n"
	    "\n"
	    "  --since T   from T: a duration ago (1h, 2d), an ISO 8601 "
	    "time or\n"
	    "              @EPOCH (default 1h)\n"
	    "  --max       the maximum of each interval instead of its "
	    "average\n"
	    "  --list      the series that have a history\n"
	    "  --json      JSON lines (history-point, history-series)\n");
}

static void
graph_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori graph SERIES [--period day|week|month|year] "
	    "[--output FILE]\n"
	    "\n"
	    "Draws one series as MRTG does: the average as a green area, "
	    "the maximum\n"
	    "as a blue line, and the period's maximum, average, current "
	    "value (and\n"
	    "total, for a rate) in the legend.\n"
	    "\n"
	    "  --period P       day (default), week, month, year, or a "
	    "duration (3h:\n"
	    "                   the 10-second archive)\n"
	    "  -o F, --output F the image: SVG when F ends in .svg, else "
	    "PNG (default\n"
	    "                   SERIES-PERIOD.png)\n");
}

/* The history of one series; the exit status. */
static int
show_series(struct cli *cli, const char *name, time_t since, int max)
{
	struct hist_series s;
	struct err err = {0};
	size_t shown = 0;

	if (hist_fetch(cli->state_dir, name, max ? "MAX" : "AVERAGE", since,
	        time(NULL), &s, &err) == -1) {
		log_warnx("%s", err.msg);
		return exit_for(&err, EXIT_DATAERR);
	}
	for (size_t i = 0; i < s.n; i++) {
		time_t t = s.start + (time_t)((i + 1) * s.step);
		char ts[40];

		if (isnan(s.v[i]))
			continue;
		civ_rfc3339(ts, sizeof(ts), (int64_t)t);
		if (cli->out.mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("history.point"));
			jset(j, "series", jstr(name));
			jset(j, "time", json_string(ts));
			jset(j, "step_seconds",
			    json_integer((json_int_t)s.step));
			jset(j, "cf", json_string(max ? "max" : "average"));
			jset(j, "value", jreal_or_null(s.v[i]));
			json_line(cli->out.fp, j);
		} else {
			fprintf(cli->out.fp, "%s %.6g\n", ts, s.v[i]);
		}
		shown++;
	}
	if (shown == 0 && cli->out.mode != OUT_JSON)
		fprintf(stderr,
		    "sakimori history: no value of '%s' since then\n", name);
	hist_series_release(&s);
	return EXIT_OK;
}

static int
list_series(struct cli *cli)
{
	struct err err = {0};
	char **names;
	long n = hist_list(cli->state_dir, &names, &err);

	if (n == -1) {
		log_warnx("%s", err.msg);
		return EXIT_NOINPUT;
	}
	for (long i = 0; i < n; i++) {
		if (cli->out.mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("history.series"));
			jset(j, "series", jstr(names[i]));
			json_line(cli->out.fp, j);
		} else {
			fprintf(cli->out.fp, "%s\n", names[i]);
		}
	}
	hist_names_free(names, n);
	return EXIT_OK;
}

int
cmd_history(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"list", no_argument, NULL, OPT_LIST},
	    {"max", no_argument, NULL, OPT_MAX},
	    {NULL, 0, NULL, 0},
	};
	time_t now = time(NULL), since = now - 3600;
	int c, list = 0, max = 0;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			history_usage(stdout);
			return EXIT_OK;
		case OPT_SINCE:
			if (hist_since_parse(optarg, now, &since) == -1)
				return cli_usage_error(cli, "history",
				    "--since wants a duration ago (1h), an "
				    "ISO 8601 time or @EPOCH, got '%s'",
				    optarg);
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_MAX:
			max = 1;
			break;
		default:
			history_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (list ? argc - optind != 0 : argc - optind != 1)
		return cli_usage_error(cli, "history",
		    list ? "--list takes no SERIES" : "expected one SERIES");
	if (!list && !hist_name_ok(argv[optind]))
		return cli_usage_error(cli, "history",
		    "'%s' is not a series name (see --list)", argv[optind]);
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	cli_out(cli);
	return list ? list_series(cli)
	            : show_series(cli, argv[optind], since, max);
}

int
cmd_graph(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"period", required_argument, NULL, OPT_PERIOD},
	    {"output", required_argument, NULL, OPT_OUTPUT},
	    {NULL, 0, NULL, 0},
	};
	const char *period = "day", *output = NULL;
	unsigned long secs = 0;
	char dflt[HIST_NAME_MAX + 32];
	struct hist_graph_stats st;
	uint64_t dsecs = 0;
	struct err err = {0};
	int c;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts,
	            NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			graph_usage(stdout);
			return EXIT_OK;
		case OPT_PERIOD:
			period = optarg;
			break;
		case 'o':
		case OPT_OUTPUT:
			output = optarg;
			break;
		default:
			graph_usage(stderr);
			return EXIT_USAGE;
		}
	}
	secs = hist_period_secs(period);
	if (secs == 0 &&
	    (dur_parse(period, strlen(period), &dsecs) == -1 || dsecs < 60 ||
	        dsecs > 366 * 86400))
		return cli_usage_error(cli, "graph",
		    "--period wants day, week, month, year or a duration "
		    "from 1m to 366d, got '%s'",
		    period);
	if (secs == 0)
		secs = (unsigned long)dsecs;
	if (argc - optind != 1)
		return cli_usage_error(cli, "graph", "expected one SERIES");
	if (!hist_name_ok(argv[optind]))
		return cli_usage_error(cli, "graph",
		    "'%s' is not a series name (see history --list)",
		    argv[optind]);
	if (output == NULL) {
		snprintf(dflt, sizeof(dflt), "%s-%s.png", argv[optind], period);
		output = dflt;
	}
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	cli_out(cli);
	if (hist_graph(cli->state_dir, argv[optind], secs, output, &st, &err) ==
	    -1) {
		log_warnx("%s", err.msg);
		return exit_for(&err, EXIT_CANTCREAT);
	}
	if (cli->out.mode == OUT_JSON) {
		json_t *j = json_object();

		jset(j, "type", json_string("graph"));
		jset(j, "series", jstr(argv[optind]));
		jset(j, "period", json_string(period));
		jset(j, "period_seconds", json_integer((json_int_t)secs));
		jset(j, "output", jstr(output));
		jset(j, "max", jreal_or_null(st.max));
		jset(j, "average", jreal_or_null(st.avg));
		jset(j, "current", jreal_or_null(st.last));
		json_line(cli->out.fp, j);
	} else {
		char mx[32], av[32], cu[32];

		num_or_dash(mx, sizeof(mx), st.max);
		num_or_dash(av, sizeof(av), st.avg);
		num_or_dash(cu, sizeof(cu), st.last);
		fprintf(cli->out.fp,
		    "%s over the last %s: max %s, average %s, current %s; "
		    "drawn to %s\n",
		    argv[optind], period, mx, av, cu, output);
	}
	return EXIT_OK;
}
