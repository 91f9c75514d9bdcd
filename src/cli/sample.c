/*
 * sample.c - what status and check share: the sampling interval option.
 */
#include <math.h>
#include <string.h>

#include "base/cur.h"
#include "cli/cli.h"

int
cli_interval(const char *arg, double *out)
{
	const char *cur = arg, *end = arg + strlen(arg);
	double v;

	if (cur_dec(&cur, end, &v) == -1)
		return -1;
	if (cur < end && *cur == 's')
		cur++;
	else if (cur + 2 <= end && cur[0] == 'm' && cur[1] == 's') {
		v /= 1000.0;
		cur += 2;
	}
	if (cur != end || !isfinite(v) || v < 0 || v > 3600)
		return -1;
	*out = v;
	return 0;
}

double
cli_interval_default(const struct cli *cli)
{
	double v = cli->conf_loaded
	    ? conf_setting_num(&cli->conf, "interval", 1.0)
	    : 1.0;

	return v >= 0 && v <= 3600 ? v : 1.0;
}

int
cli_sample_setup(
    struct cli *cli, const char *cmd, const char *arg, double *interval)
{
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	*interval = cli_interval_default(cli);
	if (arg && cli_interval(arg, interval) == -1)
		return cli_usage_error(cli, cmd,
		    "--interval wants seconds (0 to 3600), got '%s'", arg);
	cli_out(cli);
	return EXIT_OK;
}
