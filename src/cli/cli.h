/*
 * cli.h - what every subcommand shares: global options, the loaded
 * configuration, the state directory, the output mode, and exit codes.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <getopt.h>
#include <limits.h>

#include "base/output.h"
#include "conf/conf.h"

/* Exit codes: Nagios where a command reports health, sysexits otherwise. */
#define EXIT_OK 0
#define EXIT_WARNING 1
#define EXIT_CRITICAL 2
#define EXIT_UNKNOWN 3
#define EXIT_USAGE 64     /* EX_USAGE */
#define EXIT_DATAERR 65   /* EX_DATAERR: bad input data */
#define EXIT_NOINPUT 66   /* EX_NOINPUT */
#define EXIT_SOFTWARE 70  /* EX_SOFTWARE */
#define EXIT_OSERR 71     /* EX_OSERR */
#define EXIT_CANTCREAT 73 /* EX_CANTCREAT */
#define EXIT_NOPERM 77    /* EX_NOPERM */
#define EXIT_CONFIG 78    /* EX_CONFIG */

struct cli {
	const char *progname;
	const char *cmd;       /* the command's name, once known */
	const char *conf_opt;  /* -f FILE */
	const char *state_opt; /* --state-dir DIR */
	const char
	    *root; /* --root DIR: prefix for /proc, /sys, /dev, /etc (tests) */
	enum out_mode mode; /* --json, --nagios */
	int sizes;          /* 0 as the terminal says, 1 --human, 2 --bytes */
	struct out out;
	struct conf conf;
	int conf_loaded;
	char conf_path[PATH_MAX];
	char state_dir[PATH_MAX]; /* resolved and checked */
	int state_resolved;
};

/*
 * Options every subcommand accepts; a subcommand appends them to its own
 * getopt_long table with CLI_COMMON_LONGOPTS and passes unknown option
 * values to cli_common_opt.
 */
enum {
	OPT_JSON = 1000,
	OPT_NAGIOS,
	OPT_STATE_DIR,
	OPT_ROOT,
	OPT_HELP,
	OPT_WIDE,
	OPT_HUMAN,
	OPT_BYTES,
	OPT_FIRST_PRIVATE = 1100, /* subcommands number theirs from here */
};

#define CLI_COMMON_LONGOPTS                                                    \
	{"json", no_argument, NULL, OPT_JSON},                                 \
	    {"nagios", no_argument, NULL, OPT_NAGIOS},                         \
	    {"state-dir", required_argument, NULL, OPT_STATE_DIR},             \
	    {"root", required_argument, NULL, OPT_ROOT},                       \
	    {"config", required_argument, NULL, 'f'},                          \
	    {"wide", no_argument, NULL, OPT_WIDE},                             \
	    {"human", no_argument, NULL, OPT_HUMAN},                           \
	    {"bytes", no_argument, NULL, OPT_BYTES},                           \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}

/*
 * The human output's options (common to every command), for the help of
 * the commands that print tables.
 */
#define CLI_TABLE_HELP                                                         \
	"\n"                                                                   \
	"Tables:\n"                                                            \
	"  --wide             whole cells; on a terminal tables are cut to "   \
	"its "                                                                 \
	"width\n"                                                              \
	"                     (or to COLUMNS) with an ellipsis\n"              \
	"  --human, --bytes   sizes in KiB, MiB, GiB or in bytes (default: "   \
	"units on\n"                                                           \
	"                     a terminal, bytes in a pipe)\n"

/* --format of the commands that print the server table. */
enum cli_fmt {
	CLI_FMT_TABLE,
	CLI_FMT_CSV,
	CLI_FMT_MARKDOWN,
	CLI_FMT_JSON,
};
/* Reads "table", "csv", "markdown" or "json" into *out; -1 for others. */
int cli_format(const char *arg, enum cli_fmt *out);

/* Short options every subcommand accepts ("f:hv"), to prefix its own. */
#define CLI_COMMON_SHORTOPTS "f:hv"

/*
 * Handles a common option c (with optarg).  Returns 1 when handled, 0 when
 * c is not a common option.  -h is left to the caller (its usage text).
 */
int cli_common_opt(struct cli *cli, int c, const char *arg);
/*
 * Loads the configuration once (-f, SAKIMORI_CONFIG, default path).  On
 * errors prints each as file:line: message and returns -1 (exit 78).
 */
int cli_conf(struct cli *cli);
/*
 * Makes (0700) and resolves the state directory into cli->state_dir; -1
 * after printing why.  As root, a state directory that another user could
 * write to (statedir.h) ends the process: exit 77 (3 with --nagios).
 */
int cli_state_dir(struct cli *cli);
/* Prepares cli->out for the chosen mode on stdout. */
void cli_out(struct cli *cli);
/* Prints "sakimori CMD: MESSAGE" and the usage hint on stderr; returns EXIT_USAGE. */
int cli_usage_error(const struct cli *cli, const char *cmd, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/* The exit status for a report: its worst severity. */
int cli_exit_for(const struct report *r);
/* The exit status for a follower (logs/follow.h) that failed with code. */
int cli_follow_exit(int code);

/*
 * Sampling interval for rates ("1", "0.5", "2s", "250ms"; 0 means rates
 * since boot); 0 or -1.  The default is "set interval" or 1 s.
 */
int cli_interval(const char *arg, double *out);
double cli_interval_default(const struct cli *cli);
/*
 * For commands that sample: loads the configuration, resolves the
 * interval (arg from --interval, or NULL) and prepares the output.
 * EXIT_OK, or the exit status after printing why.
 */
int cli_sample_setup(
    struct cli *cli, const char *cmd, const char *arg, double *interval);

/* Subcommands: argv[0] is the subcommand's name. */
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_alert(struct cli *cli, int argc, char **argv);
int cmd_ps(struct cli *cli, int argc, char **argv);
int cmd_top(struct cli *cli, int argc, char **argv);
int cmd_logs(struct cli *cli, int argc, char **argv);
int cmd_fim(struct cli *cli, int argc, char **argv);
int cmd_inventory(struct cli *cli, int argc, char **argv);
int cmd_fleet(struct cli *cli, int argc, char **argv);

int cmd_disk(struct cli *cli, int argc, char **argv);
int cmd_du(struct cli *cli, int argc, char **argv);
int cmd_mail(struct cli *cli, int argc, char **argv);
int cmd_net(struct cli *cli, int argc, char **argv);
int cmd_agent(struct cli *cli, int argc, char **argv);
int cmd_ctl(struct cli *cli, int argc, char **argv);
int cmd_rules(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_graph(struct cli *cli, int argc, char **argv);

#endif
