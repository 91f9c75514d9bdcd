/*
 * main.c - sakimori's entry point: global options, then one subcommand.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/strbuf.h"
#include "cli/cli.h"

struct command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *help;
};

static const struct command commands[] = {
    {"ps", cmd_ps,
        "processes like ps axu (--tree, --sort); --suspicious: backdoors"},
    {"top", cmd_top, "the busiest processes over a sample, like top -b"},
    {"status", cmd_status,
        "one screen: uptime, load, users, CPU, memory, filesystems, disks, "
        "top processes, findings"},
    {"check", cmd_check,
        "run the built-in checks once; Nagios-style exit status"},
    {"audit", cmd_audit,
        "review a server's configuration (audit apache): what is open"},
    {"config", cmd_config,
        "parse the configuration; print it normalised, or every error"},
    {"fim", cmd_fim,
        "file integrity: signed baselines of system binaries and web roots"},
    {"inventory", cmd_inventory,
        "the server table: host, OS, services and their versions"},
    {"logs", cmd_logs, "scan, stats, follow: access, error and system logs"},
    {"disk", cmd_disk,
        "filesystems, I/O, fs error state, disk errors in the kernel log"},
    {"du", cmd_du, "largest directories and files under a path"},
    {"mail", cmd_mail,
        "mail-log report and live findings (postfix, sendmail, exim, "
        "qmail)"},
    {"net", cmd_net,
        "connections per address, prefix, port and state; block, unblock, "
        "bans, restore"},
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori [-v] [-f FILE] [--state-dir DIR] [--json | "
	    "--nagios] COMMAND [ARGS]\n"
	    "\n"
	    "A watchman for UNIX servers: the administrator's checklist in one "
	    "program.\n"
	    "\n"
	    "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(fp,
	    "\n"
	    "options (also accepted after the command):\n"
	    "  -f, --config FILE   configuration file (default: "
	    "/etc/sakimori/sakimori.conf\n"
	    "                      as root; also SAKIMORI_CONFIG)\n"
	    "  --state-dir DIR     state directory (also SAKIMORI_STATE_DIR)\n"
	    "  --json              JSON lines\n"
	    "  --nagios            one Nagios plugin line with performance "
	    "data\n"
	    "  -v                  more diagnostics on stderr (repeat for "
	    "debug)\n"
	    "  -h, --help          this text; 'sakimori COMMAND --help' for a "
	    "command\n"
	    "  --version           print the version\n"
	    "\n"
	    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN where a "
	    "command\n"
	    "reports health; 64 usage error, 78 configuration error.\n"
	    "See sakimori(8) and sakimori.conf(5).\n");
}

int
cli_common_opt(struct cli *cli, int c, const char *arg)
{
	switch (c) {
	case OPT_JSON:
		cli->mode = OUT_JSON;
		return 1;
	case OPT_NAGIOS:
		cli->mode = OUT_NAGIOS;
		return 1;
	case OPT_STATE_DIR:
		cli->state_opt = arg;
		return 1;
	case OPT_ROOT:
		cli->root = arg;
		return 1;
	case 'f':
		cli->conf_opt = arg;
		return 1;
	case 'v':
		log_verbose++;
		return 1;
	default:
		return 0;
	}
}

/*
 * conf_load, but a FIFO, pipe or device (not a regular file or a
 * directory) is read as a stream first (base/fileio.h), so that opening it
 * does not wait for a writer and a pipe is not refused.
 */
static int
conf_load_any(
    struct conf *c, const char *path, int must_exist, struct conf_errs *errs)
{
	struct strbuf sb = STRBUF_INIT(2 << 20);
	struct stat st;
	struct err err = {0};
	int rc, cut = 0;

	if (stat(path, &st) == -1 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return conf_load(c, path, must_exist, errs);
	if (file_read_any(path, 1 << 20, &sb, &cut, &err) == -1 || cut) {
		if (cut)
			log_warnx("'%s' is too large (over 1 MiB)", path);
		else
			log_warnx("%s", err.msg);
		strbuf_release(&sb);
		return -1;
	}
	rc = conf_load_string(c, path, sb.p, sb.len, errs);
	strbuf_release(&sb);
	return rc;
}

int
cli_conf(struct cli *cli)
{
	struct conf_errs errs = {0};
	struct err err = {0};
	int explicit_;

	if (cli->conf_loaded)
		return 0;
	if (paths_config(cli->conf_path, sizeof(cli->conf_path), cli->conf_opt,
	        &explicit_, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	if (conf_load_any(&cli->conf, cli->conf_path, explicit_, &errs) == -1) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		conf_errs_release(&errs);
		return -1;
	}
	conf_errs_release(&errs);
	cli->conf_loaded = 1;
	return 0;
}

int
cli_state_dir(struct cli *cli)
{
	struct err err = {0};
	const char *opt = cli->state_opt;

	if (opt == NULL && cli->conf_loaded)
		opt = conf_setting(&cli->conf, "state-dir", NULL);
	if (paths_state_dir(
	        cli->state_dir, sizeof(cli->state_dir), opt, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

void
cli_out(struct cli *cli)
{
	out_init(&cli->out, cli->mode, stdout);
}

int
cli_usage_error(const struct cli *cli, const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s: %s\n", cli->progname, cmd, msg);
	fprintf(stderr, "try '%s %s --help'\n", cli->progname, cmd);
	return EXIT_USAGE;
}

int
cli_exit_for(const struct report *r)
{
	return (int)report_worst(r);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct cli cli;
	int c, rc;

	memset(&cli, 0, sizeof(cli));
	cli.progname = "sakimori";
	log_init(cli.progname);
	conf_init(&cli.conf);

	/* Global options stop at the command's name ('+'). */
	while ((c = getopt_long(argc, argv, "+" CLI_COMMON_SHORTOPTS, longopts,
	            NULL)) != -1) {
		if (cli_common_opt(&cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("sakimori %s\n", SAKIMORI_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		optind = 0; /* glibc: full reset for the subcommand */
		rc = commands[i].fn(&cli, argc, argv);
		fflush(stdout);
		conf_release(&cli.conf);
		if (ferror(stdout) && errno != EPIPE) {
			log_warnx("error writing to standard output");
			return EXIT_OSERR;
		}
		return rc;
	}
	fprintf(stderr, "sakimori: unknown command '%s'\n", argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}
