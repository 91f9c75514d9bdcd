/*
 * main.c - sakimori's entry point: global options, then one subcommand.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "config.h"
#include "agent/agent.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/paths.h"
#include "base/strbuf.h"
#include "base/statedir.h"
#include "base/table.h"
#include "cli/cli.h"

struct command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *help;
};

/* sakimori respond (cmd_respond.c) */
int cmd_respond(struct cli *cli, int argc, char **argv);

static const struct command commands[] = {
    {"ps", cmd_ps,
        "processes like ps axu (--tree, --sort); --suspicious: backdoors"},
    {"top", cmd_top, "the busiest processes over a sample, like top -b"},
    {"status", cmd_status,
        "one screen: uptime, load, users, CPU, memory, filesystems, disks, "
        "top processes, findings"},
    {"check", cmd_check,
        "run the built-in checks once; Nagios-style exit status"},
    {"alert", cmd_alert,
        "alert test: one made-up event through the alert actions"},
    {"audit", cmd_audit,
        "review a server's configuration (audit apache): what is open"},
    {"config", cmd_config,
        "parse the configuration; print it normalised, or every error"},
    {"fim", cmd_fim,
        "file integrity: signed baselines of system binaries and web roots"},
    {"inventory", cmd_inventory,
        "the server table: host, OS, services and their versions"},
    {"fleet", cmd_fleet,
        "many hosts through Prometheus: alerting rules, the server table, "
        "problems, outdated services"},
    {"logs", cmd_logs, "scan, stats, follow: access, error and system logs"},
    {"disk", cmd_disk,
        "filesystems, I/O, fs error state, disk errors in the kernel log"},
    {"du", cmd_du, "largest directories and files under a path"},
    {"mail", cmd_mail,
        "mail-log report and live findings (postfix, sendmail, exim, "
        "qmail)"},
    {"rules", cmd_rules,
        "rules --crs --check: the OWASP Core Rule Set rules that a log scan "
        "can evaluate, and why the others cannot"},
    {"net", cmd_net,
        "connections per address, prefix, port and state; block, unblock, "
        "bans, restore"},
    {"agent", cmd_agent,
        "watch continuously: every check on its schedule, one event per "
        "problem"},
    {"history", cmd_history,
        "the values the agent kept of a series; --list the series"},
    {"graph", cmd_graph,
        "draw a series as MRTG does (day, week, month, year) to PNG or "
        "SVG"},
    {"ctl", cmd_ctl,
        "ask the running agent: status, problems, silence, "
        "reload"},
    {"respond", cmd_respond,
        "block what the logs' findings name (respond rules); --dry-run"},
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori [-v] [-f FILE] [--state-dir DIR] [--json | "
	    "--nagios] COMMAND [ARGS]\n"
	    "       sakimori -V | --help\n"
	    "\n"
	    "A watchman for UNIX servers: the administrator's checklist in one "
	    "program.\n"
	    "\n"
	    "commands:\n");
	for (size_t i = 0; i < countof(commands); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(fp,
	    "\n"
	    "options (also accepted after the command):\n"
	    "  -f, --config FILE   configuration file (also SAKIMORI_CONFIG); "
	    "default\n"
	    "                      as root: " SAKIMORI_CONFIG_FILE "\n"
	    "  --state-dir DIR     state directory (also SAKIMORI_STATE_DIR)\n"
	    "  --json              JSON lines\n"
	    "  --nagios            one Nagios plugin line with performance "
	    "data\n"
	    "  --root DIR          read /proc, /sys, /dev, /etc and /run below "
	    "DIR\n"
	    "  --wide              tables as wide as their cells (on a "
	    "terminal "
	    "they\n"
	    "                      are cut to its width, COLUMNS if set)\n"
	    "  --human, --bytes    sizes in KiB, MiB, GiB or in bytes "
	    "(default: "
	    "units\n"
	    "                      on a terminal, bytes in a pipe)\n"
	    "  -v                  more diagnostics on stderr (repeat for "
	    "debug)\n"
	    "  -h, --help          this text; 'sakimori COMMAND --help' for a "
	    "command\n"
	    "  -V, --version       print the version\n"
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
	case OPT_WIDE:
		table_screen(stdout, 0);
		return 1;
	case OPT_HUMAN:
		cli->sizes = 1;
		cli->out.human = 1;
		return 1;
	case OPT_BYTES:
		cli->sizes = 2;
		cli->out.human = 0;
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

static void nagios_name(char *dst, size_t n, const char *cmd);

int
cli_state_dir(struct cli *cli)
{
	struct err err = {0};
	const char *opt = cli->state_opt;
	char path[PATH_MAX];

	if (cli->state_resolved)
		return 0;
	if (opt == NULL && cli->conf_loaded)
		opt = conf_setting(&cli->conf, "state-dir", NULL);
	if (paths_state_dir(path, sizeof(path), opt, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	if (statedir_resolve(
	        path, cli->state_dir, sizeof(cli->state_dir), &err) == -1) {
		if (err.code == EPERM) {
			/* Where another user could write: nothing may be
			 * read from it or written to it. */
			if (cli->mode == OUT_NAGIOS) {
				char name[64];

				nagios_name(name, sizeof(name), cli->cmd);
				__fpurge(stdout);
				out_nagios_unknown(stdout, name, err.msg);
			}
			log_warnx("%s", err.msg);
			exit(cli->mode == OUT_NAGIOS ? EXIT_UNKNOWN
			                             : EXIT_NOPERM);
		}
		log_warnx("%s", err.msg);
		snprintf(cli->state_dir, sizeof(cli->state_dir), "%s", path);
		return -1;
	}
	cli->state_resolved = 1;
	return 0;
}

void
cli_out(struct cli *cli)
{
	out_init(&cli->out, cli->mode, stdout);
	if (cli->sizes)
		cli->out.human = cli->sizes == 1;
}

int
cli_format(const char *arg, enum cli_fmt *out)
{
	static const char *const names[] = {
	    [CLI_FMT_TABLE] = "table",
	    [CLI_FMT_CSV] = "csv",
	    [CLI_FMT_MARKDOWN] = "markdown",
	    [CLI_FMT_JSON] = "json",
	};

	for (size_t i = 0; i < countof(names); i++)
		if (strcmp(arg, names[i]) == 0) {
			*out = (enum cli_fmt)i;
			return 0;
		}
	return -1;
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
cli_follow_exit(int code)
{
	switch (code) {
	case EINVAL:
		return EXIT_USAGE;
	case EBADMSG:
		return EXIT_DATAERR;
	case EBUSY: /* another follower holds the bookmark set */
		return EXIT_CANTCREAT;
	case EACCES:
	case EPERM:
		return EXIT_NOPERM;
	default:
		return EXIT_SOFTWARE;
	}
}

/*
 * With --nagios every failure is one UNKNOWN plugin line.  Commands report
 * their errors on stderr and return a status; main keeps what they print
 * on stdout in the buffer until it has the status, and the first line they
 * print on stderr as the reason.
 */
struct nagios_run {
	FILE *real_err, *cap;
	int fd;
	char reason[1024];
	size_t len;
	int done;
};

static struct nagios_run nr;

/* stderr's writes: passed on to fd 2, the first line kept. */
static ssize_t
nagios_err_write(void *cookie, const char *buf, size_t n)
{
	struct nagios_run *r = cookie;
	size_t off = 0;

	while (off < n) {
		ssize_t w = write(r->fd, buf + off, n - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	for (size_t i = 0; i < n && !r->done; i++) {
		if (buf[i] == '\n')
			r->done = r->len > 0;
		else if (r->len + 1 < sizeof(r->reason))
			r->reason[r->len++] = buf[i];
	}
	return (ssize_t)n;
}

/* --nagios (or an abbreviation getopt takes) before any "--". */
static int
wants_nagios(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		size_t n = strlen(argv[i]);

		if (n >= 5 && strncmp(argv[i], "--nagios", n) == 0)
			return 1;
	}
	return 0;
}

static void
nagios_start(void)
{
	static const cookie_io_functions_t fns = {
	    .write = nagios_err_write,
	};

	/* Nothing reaches stdout before the status is known. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	nr.fd = fileno(stderr);
	nr.real_err = stderr;
	nr.cap = fopencookie(&nr, "w", fns);
	if (nr.cap != NULL) {
		setvbuf(nr.cap, NULL, _IONBF, 0);
		stderr = nr.cap;
	}
}

/*
 * The service name of a command's Nagios line: "SAKIMORI" for check and
 * status (the host's health), "SAKIMORI COMMAND" for the others ("SAKIMORI
 * FIM", "SAKIMORI PS"), the same on its UNKNOWN lines.
 */
static void
nagios_name(char *dst, size_t n, const char *cmd)
{
	size_t len;

	if (cmd == NULL || strcmp(cmd, "check") == 0 ||
	    strcmp(cmd, "status") == 0) {
		snprintf(dst, n, "SAKIMORI");
		return;
	}
	snprintf(dst, n, "SAKIMORI %s", cmd);
	for (len = strlen("SAKIMORI "); dst[len]; len++)
		if (dst[len] >= 'a' && dst[len] <= 'z')
			dst[len] = (char)(dst[len] - 'a' + 'A');
}

/*
 * A failure (a sysexits status, or UNKNOWN with nothing printed) becomes
 * one UNKNOWN line in place of what the command printed; exit 3.
 */
static int
nagios_finish(const char *cmd, int rc)
{
	const char *reason = nr.reason;
	char name[64], why[64];

	if (nr.cap != NULL) {
		fflush(nr.cap);
		stderr = nr.real_err;
		fclose(nr.cap);
		nr.cap = NULL;
	}
	if (rc < 64 && !(rc == EXIT_UNKNOWN && __fpending(stdout) == 0))
		return rc;
	nr.reason[nr.len] = '\0';
	/* "sakimori: " or "sakimori CMD: " says nothing the name does not. */
	if (strncmp(reason, "sakimori", 8) == 0 &&
	    strcspn(reason, "'\"") > strcspn(reason, ":") &&
	    reason[strcspn(reason, ":") + 1] == ' ')
		reason += strcspn(reason, ":") + 2;
	if (reason[0] == '\0') {
		snprintf(why, sizeof(why), "failed with exit status %d", rc);
		reason = why;
	}
	nagios_name(name, sizeof(name), cmd);
	__fpurge(stdout);
	out_nagios_unknown(stdout, name, reason);
	return EXIT_UNKNOWN;
}

static int
run(struct cli *cli, int argc, char **argv, const char **cmd)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	/* Global options stop at the command's name ('+'). */
	while ((c = getopt_long(argc, argv, "+" CLI_COMMON_SHORTOPTS "V",
	            longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
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
		fprintf(stderr, "sakimori: no command given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < countof(commands); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		*cmd = commands[i].name;
		cli->cmd = commands[i].name;
		optind = 0; /* glibc: full reset for the subcommand */
		return commands[i].fn(cli, argc, argv);
	}
	fprintf(stderr, "sakimori: unknown command '%s'\n", argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const char *cmd = NULL;
	int nagios = wants_nagios(argc, argv), rc;

	memset(&cli, 0, sizeof(cli));
	cli.progname = "sakimori";
	log_init(cli.progname);
	agent_child_dispatch(argc, argv);
	conf_init(&cli.conf);
	if (nagios)
		nagios_start();
	table_screen(stdout, out_width(stdout));
	rc = run(&cli, argc, argv, &cmd);
	if (nagios || cli.mode == OUT_NAGIOS)
		rc = nagios_finish(cmd, rc);
	fflush(stdout);
	conf_release(&cli.conf);
	if (ferror(stdout) && errno != EPIPE) {
		log_warnx("error writing to standard output");
		return EXIT_OSERR;
	}
	return rc;
}
