/*
 * cmd_check.c - "sakimori check": run the built-in checks once (load,
 * swapping now, available memory, filesystem blocks and inodes, process
 * counts) and exit with the worst severity, for cron and Nagios.  As a
 * Nagios plugin: "check NAME..." runs only the named checks, -w/-c set the
 * thresholds of one, -t ends a run that takes too long with UNKNOWN.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "act/act.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/json.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "cli/cli.h"
#include "collect/snap.h"
#include "rules/net_flood.h"

enum {
	OPT_INTERVAL = OPT_FIRST_PRIVATE,
	OPT_UNIT,
};

#define CHECK_TIMEOUT_MAX 86400

/* Calls fn(name, arg) for every name "check NAME" takes, in order. */
static void
names_each(void (*fn)(const char *, void *), void *arg)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	for (size_t i = 0; i < n; i++) {
		fn(t[i].name, arg);
		for (const char *const *id = t[i].ids; id && *id; id++)
			if (strcmp(*id, t[i].name) != 0)
				fn(*id, arg);
	}
}

struct names_out {
	FILE *fp;
	const char *indent;
	size_t width, col;
};

static void
name_out(const char *name, void *arg)
{
	struct names_out *no = arg;
	size_t len = strlen(name);

	if (no->col > 0 && no->col + 1 + len > no->width) {
		fputc('\n', no->fp);
		no->col = 0;
	}
	no->col += (size_t)fprintf(
	    no->fp, "%s%s", no->col == 0 ? no->indent : " ", name);
}

/* The names, wrapped at width columns after indent; width 0: one line. */
static void
names_print(FILE *fp, const char *indent, size_t width)
{
	struct names_out no = {fp, indent, width ? width : (size_t)-1, 0};

	names_each(name_out, &no);
	fputc('\n', fp);
}

/* What each check reports, for --help; thresholds are the defaults. */
static const struct {
	const char *name, *what;
} check_what[] = {
    {"load", "load average per CPU (warning 1.00, critical 2.00)"},
    {"swap-activity", "pages swapped in or out per second (> 0)"},
    {"memory", "available memory in % of the total (below 10% / 5%)"},
    {"memory-leak", "a process whose memory grows steadily (agent only)"},
    {"fs-blocks", "space used on each filesystem (90% / 95%)"},
    {"fs-inodes", "inodes used on each filesystem (90% / 95%)"},
    {"process-count", "processes of one name (httpd, apache2: above 150)"},
    {"proc-exe-deleted", "a process whose program was deleted or replaced"},
    {"proc-exe-location", "a program run from /tmp, /var/tmp, /dev/shm"},
    {"proc-exe-writable", "a running program that others may write to"},
    {"proc-name-mismatch", "a command name that is not the program's"},
    {"proc-listener", "a listening socket not on the allow list"},
    {"proc-sniffer", "a raw or packet socket not on the allow list"},
    {"net-promisc", "an interface in promiscuous mode"},
    {"proc-hidden", "PIDs hidden from the /proc listing"},
    {"proc-exe-changed", "a running program that differs from the baseline"},
    {"stuck-cgi", "web server's interpreters running long (300 s / 600 s)"},
    {"apache-workers", "Apache children against their limit (80% / 95%)"},
    {"inventory", "listening services new or gone since the inventory"},
    {"sessions", "logins by users or from addresses new or not allowed"},
    {"fs-full-forecast", "a filesystem full within 30 days (7 days)"},
    {"disk-errors", "disk errors in the kernel log (daily)"},
    {"fs-errors", "filesystems whose error state needs an fsck (daily)"},
    {"raid", "md RAID arrays degraded, failed, rebuilding"},
    {"smart", "each disk's SMART health (smartctl)"},
    {"conn-flood", "connections from one address to a port (100 / 300)"},
    {"conn-flood-prefix", "connections from one prefix to a port (300 / 1000)"},
    {"syn-flood", "half-open connections, SYN_RECV (100 / 1000)"},
    {"web-conn-share", "one address's share of a busy web server's clients"},
    {"fim", "files changed since the integrity baseline (daily)"},
};

/* One line per check NAME: the name and what it reports. */
static void
check_line(const char *name, void *arg)
{
	FILE *fp = arg;
	const char *what = "";

	for (size_t i = 0; i < countof(check_what); i++)
		if (strcmp(check_what[i].name, name) == 0)
			what = check_what[i].what;
	fprintf(fp, "  %-18s %s\n", name, what);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori check [--interval S] [--daily] [--json | "
	    "--nagios] [-q]\n"
	    "                      [--unit] [--kill] [-t SECONDS] [-w W] "
	    "[-c C] [NAME...]\n"
	    "       sakimori check -V\n"
	    "\n"
	    "Runs the built-in checks once (or only the NAMEs given) and "
	    "prints the\n"
	    "problems found.  Thresholds (warning / critical) come from the\n"
	    "configuration (sakimori.conf(5)).\n"
	    "\n"
	    "  --interval S   sample swapping over S seconds (default 1, or "
	    "'set interval';\n"
	    "                 0 skips the swap-activity check)\n"
	    "  --daily        also the once-a-day checks (cron): disk errors "
	    "in the kernel\n"
	    "                 log since the last daily run, filesystem error "
	    "state, file\n"
	    "                 integrity (when there is a baseline); with\n"
	    "                 'set mail-to', the report is mailed as well\n"
	    "  --json         JSON lines: each finding, then a summary\n"
	    "  --nagios       a Nagios plugin's output: a status line with "
	    "performance\n"
	    "                 data, then one line per finding when there are "
	    "several\n"
	    "  -w W, -c C     warning and critical threshold of the one NAME "
	    "given\n"
	    "                 (its unit, as in sakimori.conf(5))\n"
	    "  -t SECONDS     give up after SECONDS: UNKNOWN, exit 3\n"
	    "  -q, --quiet    print nothing when no check finds a problem "
	    "(cron)\n"
	    "  --unit         exit as a systemd unit: 0, or the status of a "
	    "worst finding\n"
	    "                 at or above 'set daily-fail-on' (default "
	    "critical)\n"
	    "  --kill         stop CRITICAL stuck-cgi processes, mail the "
	    "script's owner\n"
	    "  --suspicious   accepted for older scripts; the proc-* checks "
	    "always run\n"
	    "  -V, --version  print the version\n"
	    "\n"
	    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the "
	    "worst finding).\n"
	    "\n"
	    "checks (NAME):\n");
	names_each(check_line, fp);
	fputs(CLI_TABLE_HELP, fp);
}

static void
json_summary(const struct report *r, double interval, FILE *fp)
{
	json_t *o = json_object(), *perf = json_object();
	jset(o, "type", json_string("summary"));
	jset(o, "severity", json_string(sev_name(report_worst(r))));
	jset(o, "time", jtime((int64_t)time(NULL)));
	jset(o, "interval_seconds", jreal_or_null(interval));
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

/* ---- -t SECONDS: one UNKNOWN line and exit 3, from the signal handler */

static char timeout_msg[128];
static size_t timeout_len;
static int timeout_fd;

static void
on_timeout(int sig)
{
	(void)sig;
	/* Only async-signal-safe calls: what stdio holds is dropped. */
	(void)!write(timeout_fd, timeout_msg, timeout_len);
	_exit(EXIT_UNKNOWN);
}

static int
timeout_start(const struct cli *cli, const char *arg)
{
	struct sigaction sa;
	uint64_t secs;
	int n;

	if (str_u64(arg, &secs) == -1 || secs == 0 || secs > CHECK_TIMEOUT_MAX)
		return cli_usage_error(cli, "check",
		    "-t wants seconds (1 to %d), got '%s'", CHECK_TIMEOUT_MAX,
		    arg);
	if (cli->mode == OUT_NAGIOS) {
		n = snprintf(timeout_msg, sizeof(timeout_msg),
		    "SAKIMORI UNKNOWN - check timed out after %llu s\n",
		    (unsigned long long)secs);
		timeout_fd = STDOUT_FILENO;
	} else {
		n = snprintf(timeout_msg, sizeof(timeout_msg),
		    "%s check: timed out after %llu s\n", cli->progname,
		    (unsigned long long)secs);
		timeout_fd = STDERR_FILENO;
	}
	timeout_len = (size_t)n;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timeout;
	sigfillset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)secs);
	return EXIT_OK;
}

/* ---- check NAME... ---------------------------------------------------- */

struct names_find {
	const char *name;
	int found;
};

static void
name_find(const char *name, void *arg)
{
	struct names_find *nf = arg;

	nf->found |= strcmp(nf->name, name) == 0;
}

static int
is_name(const char *name)
{
	struct names_find nf = {name, 0};

	names_each(name_find, &nf);
	return nf.found;
}

static int
named(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/*
 * 2 when e is named (whole), 1 when some of its ids are (its name is one
 * of them when it has ids), else 0.
 */
static int
entry_named(const struct check_entry *e, char **names, int n)
{
	if (e->ids == NULL)
		return named(names, n, e->name) ? 2 : 0;
	for (const char *const *id = e->ids; id && *id; id++)
		if (named(names, n, *id))
			return 1;
	return 0;
}

/*
 * Runs the entries the names ask for, in registry order; of an entry
 * named only by some of its ids, the findings of its other ids are left
 * out (its UNKNOWN and coverage findings stay).
 */
static void
run_named(const struct check_ctx *x, char **names, int n, struct report *r)
{
	size_t nt;
	const struct check_entry *t = check_registry(&nt);

	for (size_t i = 0; i < nt; i++) {
		int how = entry_named(&t[i], names, n);
		size_t from = r->nf, to = from;

		if (how == 0)
			continue;
		check_run_entry(x, t, i, r);
		if (how == 2)
			continue;
		for (size_t k = from; k < r->nf; k++) {
			struct finding *f = &r->f[k];
			int other = 0;

			for (const char *const *id = t[i].ids; *id; id++)
				other |= strcmp(*id, f->check) == 0 &&
				    !named(names, n, f->check);
			if (!other)
				r->f[to++] = *f;
		}
		r->nf = to;
	}
}

/*
 * -w/-c for check name: read as "check NAME { warning W critical C }"
 * would be, with the same checks of range and order.
 */
static int
thresholds_set(struct cli *cli, const char *name, const char *w, const char *c)
{
	const char *given[2] = {w, c};
	struct conf tmp;
	struct conf_errs errs = {0};
	struct threshold now, t;
	char text[256], other[2][32] = {"", ""};
	int rc = EXIT_OK;

	for (size_t i = 0; i < countof(given); i++) {
		const char *v = given[i];

		if (v != NULL &&
		    (v[0] == '\0' || v[strspn(v, "0123456789.%smhd")] != '\0'))
			return cli_usage_error(cli, "check",
			    "-w and -c want a number, got '%s'", v);
	}
	/* The one not given is the configuration's, for the order check. */
	conf_threshold(&cli->conf, name, NULL, &now);
	if (w == NULL && !isnan(now.warn))
		snprintf(other[0], sizeof(other[0]), "%.17g", now.warn);
	if (c == NULL && !isnan(now.crit))
		snprintf(other[1], sizeof(other[1]), "%.17g", now.crit);
	w = w ? w : other[0];
	c = c ? c : other[1];
	snprintf(text, sizeof(text), "check %s {%s%s%s%s }\n", name,
	    w[0] ? " warning " : "", w, c[0] ? " critical " : "", c);
	conf_init(&tmp);
	if (conf_load_string(&tmp, "-w/-c", text, strlen(text), &errs) == -1) {
		/* "-w/-c:1: message": the message alone */
		const char *m = errs.n ? errs.msg[0] : "bad threshold";
		const char *p = strstr(m, ": ");

		rc = cli_usage_error(cli, "check", "%s", p ? p + 2 : m);
	} else {
		conf_threshold(&tmp, name, NULL, &t);
		conf_override(&cli->conf, name, given[0] ? t.warn : NAN,
		    given[1] ? t.crit : NAN);
	}
	conf_errs_release(&errs);
	conf_release(&tmp);
	return rc;
}

/* With --unit: 0, or the worst status when it reaches daily-fail-on. */
static int
unit_exit(const struct cli *cli, const struct report *r)
{
	const char *on = conf_setting(&cli->conf, "daily-fail-on", "critical");
	enum sev worst = report_worst(r);

	if (strcmp(on, "never") == 0 || worst == SEV_OK || worst == SEV_UNKNOWN)
		return EXIT_OK;
	if (worst == SEV_CRITICAL || strcmp(on, "warning") == 0)
		return (int)worst;
	return EXIT_OK;
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
	    {"quiet", no_argument, NULL, 'q'},
	    {"unit", no_argument, NULL, OPT_UNIT},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *interval_arg = NULL, *warn = NULL, *crit = NULL;
	const char *timeout = NULL;
	double interval;
	struct snap s;
	struct report r;
	struct check_ctx x = {0};
	struct rules_net_shared net = {0};
	struct act_ops act;
	unsigned mask = CHECK_FAST | CHECK_MEDIUM | CHECK_SLOW;
	struct err err = {0};
	int c, rc, quiet = 0, unit = 0, nnames;
	char **names;

	while ((c = getopt_long(argc, argv,
	            CLI_COMMON_SHORTOPTS "qVw:c:t:", longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("sakimori %s\n", SAKIMORI_VERSION);
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
		case 'q':
			quiet = 1;
			break;
		case OPT_UNIT:
			unit = 1;
			break;
		case 'w':
			warn = optarg;
			break;
		case 'c':
			crit = optarg;
			break;
		case 't':
			timeout = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (timeout != NULL && (rc = timeout_start(cli, timeout)) != EXIT_OK)
		return rc;
	names = argv + optind;
	nnames = argc - optind;
	for (int i = 0; i < nnames; i++) {
		if (is_name(names[i]))
			continue;
		fprintf(stderr,
		    "%s check: unknown check '%s'; one of: ", cli->progname,
		    names[i]);
		names_print(stderr, "", 0);
		fprintf(stderr, "try '%s check --help'\n", cli->progname);
		return EXIT_USAGE;
	}
	if ((warn || crit) && nnames != 1)
		return cli_usage_error(
		    cli, "check", "-w and -c want exactly one check NAME");
	if ((rc = cli_sample_setup(cli, "check", interval_arg, &interval)) !=
	    EXIT_OK)
		return rc;
	if ((warn || crit) &&
	    (rc = thresholds_set(cli, names[0], warn, crit)) != EXIT_OK)
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
	x.net = &net; /* one socket table for the flood checks */
	if (nnames > 0)
		run_named(&x, names, nnames, &r);
	else
		check_run(&x, mask, &r);
	if (!quiet || report_worst(&r) != SEV_OK)
		out_report(&cli->out, &r, "SAKIMORI");
	if ((x.flags & CHECK_CTX_DAILY) &&
	    check_mail_report(&x, &r, &err) == -1)
		log_warnx("%s", err.msg);
	if (cli->mode == OUT_JSON && (!quiet || report_worst(&r) != SEV_OK))
		json_summary(&r, s.interval, stdout);
	rc = unit ? unit_exit(cli, &r) : cli_exit_for(&r);
	rules_net_shared_release(&net);
	report_release(&r);
	snap_release(&s);
	return rc;
}
