/*
 * cmd_agent.c - "sakimori agent": the options; the agent itself is in
 * src/agent (agent.h).
 */
#include <stdio.h>
#include <string.h>

#include "agent/agent.h"
#include "base/err.h"
#include "base/log.h"
#include "base/paths.h"
#include "cli/cli.h"

enum {
	OPT_RUN_DIR = OPT_FIRST_PRIVATE,
	OPT_LISTEN,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori agent [-f FILE] [--state-dir DIR] [--run-dir DIR] "
	    "[--json]\n"
	    "                      [--listen ADDR:PORT|no]\n"
	    "\n"
	    "Watches continuously, in the foreground, until SIGTERM or "
	    "SIGINT:\n"
	    "runs every check on its own schedule (load, memory, swapping and\n"
	    "processes every 10 s, filesystems every minute, inventory every "
	    "5\n"
	    "minutes, the daily checks at 'set daily-at'; 'every DURATION' in "
	    "a\n"
	    "check's block), and prints one line per alert event: a problem\n"
	    "opened, changed severity, resolved or started flapping.  SIGHUP\n"
	    "(or 'sakimori ctl reload') reads the configuration again; one "
	    "with\n"
	    "errors is refused and the agent keeps the one it has.\n"
	    "\n"
	    "  --json           each event as one JSON line\n"
	    "  --state-dir DIR  where open problems are kept across restarts\n"
	    "  --run-dir DIR    where the control socket 'ctl' is made "
	    "(default\n"
	    "                   'set run-dir', or /run/sakimori as root)\n"
	    "  --listen ADDR:PORT  serve /metrics and the dashboard there\n"
	    "                   (default 'set "
	    "listen', or\n"
	    "                   127.0.0.1:9947; 'no': not at all); not "
	    "loopback:\n"
	    "                   only HTTPS with a bearer token (set "
	    "listen-cert,\n"
	    "                   listen-key, listen-token-file)\n"
	    "\n"
	    "Exit status: 0 after SIGTERM or SIGINT; 73 when the state or run\n"
	    "directory cannot be used, 69 when another agent answers on the\n"
	    "control socket or the --listen address is taken, 78 for a\n"
	    "configuration with errors or a non-loopback --listen without "
	    "HTTPS\n"
	    "and a token.\n");
}

int
cmd_agent(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"run-dir", required_argument, NULL, OPT_RUN_DIR},
	    {"listen", required_argument, NULL, OPT_LISTEN},
	    {NULL, 0, NULL, 0},
	};
	const char *run_opt = NULL;
	char run_dir[4096];
	struct agent_opts o = {0};
	struct err err = {0};
	int c, explicit_ = 0;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_RUN_DIR:
			run_opt = optarg;
			break;
		case OPT_LISTEN:
			o.listen = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(
		    cli, "agent", "unexpected argument '%s'", argv[optind]);
	if (cli->mode == OUT_NAGIOS)
		return cli_usage_error(cli, "agent",
		    "--nagios is not for the "
		    "agent: use --json");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	if (run_opt == NULL)
		run_opt = conf_setting(&cli->conf, "run-dir", NULL);
	if (paths_run_dir(run_dir, sizeof(run_dir), run_opt, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_CANTCREAT;
	}
	/* The file read at start, read again at reload. */
	if (paths_config(cli->conf_path, sizeof(cli->conf_path), cli->conf_opt,
	        &explicit_, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	o.conf_path = cli->conf_path;
	o.conf_explicit = explicit_;
	o.state_dir = cli->state_dir;
	o.run_dir = run_dir;
	o.root = cli->root;
	o.json = cli->mode == OUT_JSON;
	return agent_run(&o, &cli->conf);
}
