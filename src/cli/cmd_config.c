/*
 * cmd_config.c - "sakimori config check": parse the configuration and print
 * it normalised, or every error as file:line: message (exit 78).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori config check [-f FILE]\n"
	    "\n"
	    "Parses the configuration (and the files it includes), checks "
	    "every\n"
	    "statement, and prints the normalised configuration with the "
	    "effective\n"
	    "thresholds of every check.  On errors prints each as file:line: "
	    "message\n"
	    "and exits 78.  Without a file, prints the built-in defaults.\n");
}

int
cmd_config(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || strcmp(argv[0], "check") != 0)
		return cli_usage_error(cli, "config", "expected 'check'");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	conf_dump(&cli->conf, stdout);
	return EXIT_OK;
}
