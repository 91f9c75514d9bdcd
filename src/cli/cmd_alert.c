/*
 * cmd_alert.c - "sakimori alert test": one made-up alert event through the
 * configured alert actions (act/alert.h), each action's outcome printed,
 * so the admin knows the mail arrives and the pager runs before a real
 * problem needs them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "act/alert.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "cli/cli.h"

enum {
	OPT_CHECK = OPT_FIRST_PRIVATE,
	OPT_SEVERITY,
	OPT_SUBJECT,
	OPT_EVENT,
};

/* Events one test sends at most (one per --check). */
#define MAX_CHECKS 16
/* sendmail and the programs get this long to finish. */
#define TEST_WAIT 75.0

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori alert test [-f FILE] [--check NAME] "
	    "[--severity SEV]\n"
	    "                           [--subject TEXT] [--event KIND] "
	    "[--json]\n"
	    "\n"
	    "Sends one made-up alert event through the actions of the "
	    "configuration's\n"
	    "\"alert\" blocks (mail, exec, journal, syslog) that take it, "
	    "at once (a\n"
	    "mail digest is sent without waiting), waits for sendmail, the "
	    "programs and\n"
	    "the syslog queues, and prints the outcome of each action.  Each "
	    "is in the\naudit log.\n"
	    "\n"
	    "  --check NAME     the event's check (default: alert-test); "
	    "repeated: one\n"
	    "                   event per check (a digest holds them all)\n"
	    "  --severity SEV   warning, critical or unknown (default: "
	    "critical)\n"
	    "  --subject TEXT   the event's subject (default: none)\n"
	    "  --event KIND     open, change, resolve or flapping (default: "
	    "open)\n"
	    "\n"
	    "Exit status: 0 every action delivered (mail handed to sendmail, "
	    "programs\nexited 0, the journal written, the syslog queue "
	    "sent); 69 when one failed "
	    "or none takes the\nevent; 78 when the configuration or an "
	    "action's settings are wrong.\n");
}

struct tally {
	struct cli *cli;
	size_t ok, failed;
};

static void
print_result(const struct alert_result *r, void *arg)
{
	struct tally *t = arg;

	if (r->ok)
		t->ok++;
	else
		t->failed++;
	if (t->cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", json_string("alert.action"));
		jset(o, "action", jstr(r->type));
		jset(o, "name", jstr(r->name));
		jset(o, "target", jstr(r->target));
		jset(o, "ok", json_boolean(r->ok));
		jset(o, "detail", jstr(r->detail));
		json_line(stdout, o);
	} else {
		struct strbuf sb = STRBUF_INIT(0);

		strbuf_printf(&sb, "%-8s ", r->ok ? "ok" : "FAILED");
		esc_text(&sb, r->name, strlen(r->name));
		strbuf_adds(&sb, " (");
		esc_text(&sb, r->target, strlen(r->target));
		strbuf_adds(&sb, "): ");
		esc_text(&sb, r->detail, strlen(r->detail));
		printf("%s\n", sb.p);
		strbuf_release(&sb);
	}
	fflush(stdout);
}

static int
kind_parse(const char *s, enum alert_kind *k)
{
	for (enum alert_kind i = ALERT_OPEN; i <= ALERT_FLAPPING; i++)
		if (strcmp(s, alert_kind_name(i)) == 0) {
			*k = i;
			return 0;
		}
	return -1;
}

int
cmd_alert(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"check", required_argument, NULL, OPT_CHECK},
	    {"severity", required_argument, NULL, OPT_SEVERITY},
	    {"subject", required_argument, NULL, OPT_SUBJECT},
	    {"event", required_argument, NULL, OPT_EVENT},
	    {NULL, 0, NULL, 0},
	};
	struct alert_event ev = {0};
	const char *checks[MAX_CHECKS] = {"alert-test"}, *subject = "";
	size_t nchecks = 0;
	struct tally t = {cli, 0, 0};
	struct alert_actions *a;
	struct err err = {0};
	time_t now = time(NULL);
	size_t taken;
	int c;

	ev.kind = ALERT_OPEN;
	ev.sev = SEV_CRITICAL;
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_CHECK:
			if (nchecks == MAX_CHECKS)
				return cli_usage_error(cli, "alert",
				    "at most %d --check", MAX_CHECKS);
			checks[nchecks++] = optarg;
			break;
		case OPT_SEVERITY:
			if (sev_parse(optarg, &ev.sev) == -1 ||
			    ev.sev == SEV_OK)
				return cli_usage_error(cli, "alert",
				    "bad severity '%s' (warning, critical, "
				    "unknown)",
				    optarg);
			break;
		case OPT_SUBJECT:
			subject = optarg;
			break;
		case OPT_EVENT:
			if (kind_parse(optarg, &ev.kind) == -1)
				return cli_usage_error(cli, "alert",
				    "bad event '%s' (open, change, resolve, "
				    "flapping)",
				    optarg);
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || strcmp(argv[0], "test") != 0)
		return cli_usage_error(cli, "alert", "expected 'test'");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	if ((a = alert_actions_new(&cli->conf, cli->state_dir, &err)) == NULL) {
		log_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	if (alert_actions_count(a) == 0) {
		log_warnx("no alert actions are configured (alert mail, exec, "
		          "journal or syslog blocks in %s)",
		    cli->conf_path[0] ? cli->conf_path : "the configuration");
		alert_actions_free(a);
		return EXIT_CONFIG;
	}
	alert_actions_on_result(a, print_result, &t);

	str_copy(ev.subject, sizeof(ev.subject), subject);
	str_copy(ev.message, sizeof(ev.message),
	    "a test of the alert actions (sakimori alert test), not a "
	    "problem");
	if (ev.kind == ALERT_CHANGE)
		ev.prev_sev =
		    ev.sev == SEV_CRITICAL ? SEV_WARNING : SEV_CRITICAL;
	ev.time = ev.first = now;
	ev.count = 1;
	str_copy(ev.ev[0].key, sizeof(ev.ev[0].key), "test");
	str_copy(ev.ev[0].val, sizeof(ev.ev[0].val), "yes");
	ev.nev = 1;

	taken = 0;
	for (size_t i = 0; i < (nchecks ? nchecks : 1); i++) {
		str_copy(ev.check, sizeof(ev.check), checks[i]);
		ev.problem = (uint64_t)now * MAX_CHECKS + i;
		taken += alert_actions_event(a, &ev, now);
	}
	alert_actions_flush(a, now);
	if (alert_actions_wait(a, TEST_WAIT) > 0)
		log_warnx(
		    "programs still running after %.0f s: killed", TEST_WAIT);
	alert_actions_free(a);
	if (taken == 0) {
		log_warnx("no alert action takes a %s %s event of %s "
		          "(see their checks, severity and events)",
		    sev_name(ev.sev), alert_kind_name(ev.kind),
		    nchecks > 1 ? "these checks" : "this check");
		return 69;
	}
	return t.failed > 0 ? 69 : EXIT_OK;
}
