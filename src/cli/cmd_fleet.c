/*
 * cmd_fleet.c - "sakimori fleet": many hosts through Prometheus, which
 * scrapes every agent's /metrics.  "rules" writes the alerting rules;
 * "table", "problems" and "services" ask Prometheus's HTTP API and print
 * the server table of every host, the open problems across hosts, and
 * the services that run at different versions across the fleet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/civtime.h"
#include "base/finding.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "cli/cli.h"
#include "fleet/fleet.h"
#include "fleet/prom.h"

#define FLEET_TIMEOUT 15L /* seconds for one query */

struct fleet {
	struct cli *cli;
	const char *url; /* --prometheus */
	const char *job; /* --job */
	enum cli_fmt fmt;
	int outdated; /* services --outdated */
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori fleet rules [--job NAME] [--down-for DURATION]\n"
	    "                            [--window DURATION]\n"
	    "       sakimori fleet table --prometheus URL [--job NAME]\n"
	    "                            [--format table|csv|markdown|json]\n"
	    "       sakimori fleet problems --prometheus URL [--job NAME] "
	    "[--format ...]\n"
	    "       sakimori fleet services --prometheus URL [--job NAME] "
	    "[--outdated]\n"
	    "                            [--format ...]\n"
	    "\n"
	    "Many hosts through Prometheus, which scrapes the /metrics each "
	    "agent\n"
	    "serves, in the job NAME (default sakimori).\n"
	    "  rules      Prometheus alerting rules: each open problem by "
	    "severity,\n"
	    "             an agent down for DURATION (5m), a host whose "
	    "server table\n"
	    "             changed within DURATION (1h); for Alertmanager to "
	    "route\n"
	    "  table      the server table of every host: host, IP, "
	    "location, OS,\n"
	    "             version, and each service with its version and "
	    "ports\n"
	    "  problems   the open problems across hosts, worst first; agents "
	    "down;\n"
	    "             exit status the worst severity (0 to 3)\n"
	    "  services   each service's versions across hosts; --outdated: "
	    "only those\n"
	    "             running at more than one version, older ones "
	    "marked\n"
	    "Exit status: 69 when Prometheus cannot be reached, 65 when it "
	    "answers\n"
	    "something that is not its API.\n");
	fputs(CLI_TABLE_HELP, fp);
}

/* A word fit for a PromQL string and YAML without quoting. */
static int
plain_word(const char *s, const char *extra)
{
	size_t n = strspn(s,
	    "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	if (extra != NULL)
		n = strspn(s, extra);
	return s[0] != '\0' && s[n] == '\0' && n < 128;
}

/* A Prometheus duration: digits and a unit, repeated ("1h30m"). */
static int
duration(const char *s)
{
	const char *p = s;

	while (*p) {
		size_t d = strspn(p, "0123456789");

		if (d == 0)
			return 0;
		p += d;
		if (strncmp(p, "ms", 2) == 0)
			p += 2;
		else if (*p != '\0' && strchr("smhdwy", *p) != NULL)
			p++;
		else
			return 0;
	}
	return p != s && p - s < 32;
}

/* Asks q; on failure says why and gives the exit status in *rc. */
static int
ask(struct fleet *f, const char *q, struct prom_vec *v, int *rc)
{
	struct err err = {0};

	if (prom_query(f->url, q, FLEET_TIMEOUT, v, &err) == 0)
		return 0;
	log_warnx("%s", err.msg);
	*rc = err.code == PROM_UNREACHABLE ? 69 : EXIT_DATAERR;
	return -1;
}

static int
cmp_target(const struct prom_sample *a, const struct prom_sample *b)
{
	int r = strcmp(prom_label(a, "instance"), prom_label(b, "instance"));

	return r ? r : strcmp(prom_label(a, "job"), prom_label(b, "job"));
}

static int
same_target(const struct prom_sample *a, const struct prom_sample *b)
{
	return cmp_target(a, b) == 0;
}

static int
by_target(const void *a, const void *b)
{
	return cmp_target(a, b);
}

/* By target, then service name and sockets. */
static int
by_target_service(const void *a, const void *b)
{
	const struct prom_sample *x = a, *y = b;
	int r = cmp_target(x, y);

	if (r == 0)
		r = strcmp(prom_label(x, "name"), prom_label(y, "name"));
	return r ? r : strcmp(prom_label(x, "listen"), prom_label(y, "listen"));
}

/* The first of v (sorted by target) of the target of s, or v->n. */
static size_t
first_of(const struct prom_vec *v, const struct prom_sample *s)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_target(&v->s[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The host name of the target of s (its instance when no host_info);
 * hosts sorted by target. */
static const char *
host_of(const struct prom_vec *hosts, const struct prom_sample *s)
{
	size_t i = first_of(hosts, s);

	if (i < hosts->n && same_target(&hosts->s[i], s) &&
	    prom_label(&hosts->s[i], "hostname")[0] != '\0')
		return prom_label(&hosts->s[i], "hostname");
	return prom_label(s, "instance");
}

static int
by_host(const void *a, const void *b)
{
	const struct prom_sample *x = a, *y = b;
	int r = strcmp(prom_label(x, "hostname"), prom_label(y, "hostname"));

	return r ? r : cmp_target(x, y);
}

/* The job selector of a query: {job="NAME"}. */
static const char *
query(char *buf, size_t sz, const char *metric, const struct fleet *f)
{
	snprintf(buf, sz, "%s{job=\"%s\"}", metric, f->job);
	return buf;
}

/* A list of the words of s (space-separated) as JSON strings. */
static json_t *
words(const char *s)
{
	json_t *a = json_array();

	while (*s) {
		size_t n;

		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0)
			json_array_append_new(a, jstrn(s, n));
		s += n;
	}
	return a;
}

static void
print_table(const struct table *t, enum cli_fmt fmt, int color)
{
	if (fmt == CLI_FMT_CSV)
		table_print_csv(t, stdout);
	else if (fmt == CLI_FMT_MARKDOWN)
		table_print_markdown(t, stdout);
	else
		table_print(t, stdout, color);
}

static json_t *
host_json(const struct prom_sample *h, const struct prom_vec *svcs)
{
	static const char *const keys[] = {"hostname", "fqdn", "instance", "ip",
	    "location", "rack", "owner", "os", "os_name", "os_version",
	    "kernel", "arch", "virt", "agent_version"};
	json_t *o = json_object(), *a = json_array();

	jset(o, "type", json_string("fleet.host"));
	for (size_t k = 0; k < countof(keys); k++)
		jset(o, keys[k], jstr(prom_label(h, keys[k])));
	jset(o, "addresses", words(prom_label(h, "addresses")));
	for (size_t i = first_of(svcs, h);
	     i < svcs->n && same_target(&svcs->s[i], h); i++) {
		const struct prom_sample *s = &svcs->s[i];
		json_t *e = json_object();

		jset(e, "name", jstr(prom_label(s, "name")));
		jset(e, "version", jstr(prom_label(s, "version")));
		jset(e, "package", jstr(prom_label(s, "package")));
		jset(e, "package_version",
		    jstr(prom_label(s, "package_version")));
		jset(e, "exe", jstr(prom_label(s, "exe")));
		jset(e, "user", jstr(prom_label(s, "user")));
		jset(e, "ports", words(prom_label(s, "ports")));
		json_array_append_new(a, e);
	}
	jset(o, "services", a);
	return o;
}

/* The server table: every host's info and every service's. */
static int
ask_tables(
    struct fleet *f, struct prom_vec *hosts, struct prom_vec *svcs, int *rc)
{
	char q[256];

	if (ask(f, query(q, sizeof(q), "sakimori_host_info", f), hosts, rc) ==
	    -1)
		return -1;
	return ask(
	    f, query(q, sizeof(q), "sakimori_service_info", f), svcs, rc);
}

static int
fleet_table(struct fleet *f)
{
	static const char *const hdr[] = {"HOST", "IP", "LOCATION", "OS",
	    "VERSION", "SERVICE", "VERSION", "PACKAGE VERSION", "PORTS"};
	struct prom_vec hosts = {0}, svcs = {0};
	struct table t;
	int rc = EXIT_OK;

	if (ask_tables(f, &hosts, &svcs, &rc) == -1)
		goto out;
	if (hosts.n > 1)
		qsort(hosts.s, hosts.n, sizeof(*hosts.s), by_host);
	if (svcs.n > 1)
		qsort(svcs.s, svcs.n, sizeof(*svcs.s), by_target_service);
	if (f->fmt == CLI_FMT_JSON) {
		for (size_t i = 0; i < hosts.n; i++)
			json_line(stdout, host_json(&hosts.s[i], &svcs));
		goto out;
	}
	table_init(&t, 9, hdr, NULL);
	for (size_t i = 0; i < hosts.n; i++) {
		const struct prom_sample *h = &hosts.s[i];
		char loc[512];
		const char *rack = prom_label(h, "rack");
		const char *row[9] = {prom_label(h, "hostname"),
		    prom_label(h, "ip"), loc, prom_label(h, "os_name"),
		    prom_label(h, "os_version"), "(no services)", "", "", ""};
		int first = 1;

		snprintf(loc, sizeof(loc), "%s%s%s", prom_label(h, "location"),
		    prom_label(h, "location")[0] && rack[0] ? " / " : "", rack);
		for (size_t j = first_of(&svcs, h);
		     j < svcs.n && same_target(&svcs.s[j], h); j++) {
			const struct prom_sample *s = &svcs.s[j];

			/* the notebook: the host's columns once; a CSV or
			 * Markdown row whole */
			if (!first && f->fmt == CLI_FMT_TABLE)
				for (size_t c = 0; c < 5; c++)
					row[c] = "";
			row[5] = prom_label(s, "name");
			row[6] = prom_label(s, "version");
			row[7] = prom_label(s, "package_version");
			row[8] = prom_label(s, "ports");
			table_row(&t, row);
			first = 0;
		}
		if (first)
			table_row(&t, row);
	}
	if (f->fmt == CLI_FMT_CSV)
		t.hdr[6] = "SERVICE VERSION";
	print_table(&t, f->fmt, f->cli->out.color);
	table_release(&t);
out:
	prom_vec_release(&hosts);
	prom_vec_release(&svcs);
	return rc;
}

static int
by_problem(const void *a, const void *b)
{
	const struct prom_sample *x = a, *y = b;
	enum sev sx = SEV_UNKNOWN, sy = SEV_UNKNOWN;

	sev_parse(prom_label(x, "severity"), &sx);
	sev_parse(prom_label(y, "severity"), &sy);
	if (sev_rank(sx) != sev_rank(sy))
		return sev_rank(sx) > sev_rank(sy) ? -1 : 1;
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return strcmp(prom_label(x, "instance"), prom_label(y, "instance"));
}

static int
fleet_problems(struct fleet *f)
{
	static const char *const hdr[] = {
	    "HOST", "SEVERITY", "CHECK", "SUBJECT", "SINCE"};
	struct prom_vec hosts = {0}, pr = {0}, down = {0}, more = {0};
	enum sev worst = SEV_OK;
	struct table t;
	char q[256];
	int rc = EXIT_OK;

	/* the names of the hosts seen in the last hour: an agent down
	 * is named too, though its series are stale now */
	snprintf(q, sizeof(q),
	    "last_over_time(sakimori_host_info{job=\"%s\"}[1h])", f->job);
	if (ask(f, q, &hosts, &rc) == -1 ||
	    ask(f,
	        query(q, sizeof(q), "sakimori_problem_since_timestamp_seconds",
	            f),
	        &pr, &rc) == -1 ||
	    ask(f, query(q, sizeof(q), "up", f), &down, &rc) == -1 ||
	    ask(f, query(q, sizeof(q), "sakimori_problems_unlisted", f), &more,
	        &rc) == -1)
		goto out;
	if (hosts.n > 1) /* for host_of */
		qsort(hosts.s, hosts.n, sizeof(*hosts.s), by_target);
	if (pr.n > 1)
		qsort(pr.s, pr.n, sizeof(*pr.s), by_problem);
	table_init(&t, 5, hdr, NULL);
	/* an agent Prometheus cannot scrape: it cannot say what is wrong */
	for (size_t i = 0; i < down.n; i++) {
		const char *host = host_of(&hosts, &down.s[i]);

		if (down.s[i].v == 1)
			continue;
		worst = sev_worse(worst, SEV_CRITICAL);
		if (f->fmt == CLI_FMT_JSON) {
			json_t *o = json_object();

			jset(o, "type", json_string("fleet.problem"));
			jset(o, "hostname", jstr(host));
			jset(o, "instance",
			    jstr(prom_label(&down.s[i], "instance")));
			jset(o, "severity", json_string("CRITICAL"));
			jset(o, "check", json_string("agent-down"));
			jset(o, "subject",
			    jstr(prom_label(&down.s[i], "instance")));
			jset(o, "since", json_null());
			json_line(stdout, o);
		} else {
			const char *row[5] = {host, "CRITICAL", "agent-down",
			    prom_label(&down.s[i], "instance"),
			    "(not scraped)"};

			table_row(&t, row);
		}
	}
	for (size_t i = 0; i < pr.n; i++) {
		const struct prom_sample *p = &pr.s[i];
		const char *host = host_of(&hosts, p);
		enum sev s = SEV_UNKNOWN;
		char since[64] = "";

		sev_parse(prom_label(p, "severity"), &s);
		worst = sev_worse(worst, s);
		if (f->fmt == CLI_FMT_JSON) {
			json_t *o = json_object();

			jset(o, "type", json_string("fleet.problem"));
			jset(o, "hostname", jstr(host));
			jset(o, "instance", jstr(prom_label(p, "instance")));
			jset(o, "severity", json_string(sev_name(s)));
			jset(o, "check", jstr(prom_label(p, "check")));
			jset(o, "subject", jstr(prom_label(p, "subject")));
			jset(o, "since", jtime((int64_t)p->v));
			json_line(stdout, o);
		} else {
			const char *row[5] = {host, sev_name(s),
			    prom_label(p, "check"), prom_label(p, "subject"),
			    since};

			civ_rfc3339(since, sizeof(since), (time_t)p->v);
			table_row(&t, row);
		}
	}
	if (f->fmt != CLI_FMT_JSON) {
		print_table(&t, f->fmt, f->cli->out.color);
		for (size_t i = 0; i < more.n && f->fmt == CLI_FMT_TABLE; i++)
			if (more.s[i].v > 0)
				printf("(%s: %.0f more open problems than "
				       "/metrics lists one by one)\n",
				    host_of(&hosts, &more.s[i]), more.s[i].v);
	}
	table_release(&t);
	rc = worst == SEV_CRITICAL ? EXIT_CRITICAL
	    : worst == SEV_WARNING ? EXIT_WARNING
	    : worst == SEV_UNKNOWN ? EXIT_UNKNOWN
	                           : EXIT_OK;
out:
	prom_vec_release(&hosts);
	prom_vec_release(&pr);
	prom_vec_release(&down);
	prom_vec_release(&more);
	return rc;
}

/* The version a service runs: its package's, else its own. */
static const char *
svc_version(const struct prom_sample *s)
{
	const char *v = prom_label(s, "package_version");

	return v[0] ? v : prom_label(s, "version");
}

/* Services by name, then newest version first, then host. */
static const struct prom_vec *sort_hosts;

static int
by_version(const void *a, const void *b)
{
	const struct prom_sample *x = a, *y = b;
	int r = strcmp(prom_label(x, "name"), prom_label(y, "name"));

	if (r == 0)
		r = -fleet_vercmp(svc_version(x), svc_version(y));
	if (r == 0)
		r = strcmp(svc_version(x), svc_version(y));
	if (r == 0)
		r = strcmp(host_of(sort_hosts, x), host_of(sort_hosts, y));
	return r;
}

static int
fleet_services(struct fleet *f)
{
	static const char *const hdr[] = {
	    "SERVICE", "VERSION", "STATE", "HOSTS"};
	struct prom_vec hosts = {0}, svcs = {0};
	struct table t;
	int rc = EXIT_OK;

	if (ask_tables(f, &hosts, &svcs, &rc) == -1)
		goto out;
	if (hosts.n > 1) /* for host_of */
		qsort(hosts.s, hosts.n, sizeof(*hosts.s), by_target);
	sort_hosts = &hosts;
	if (svcs.n > 1)
		qsort(svcs.s, svcs.n, sizeof(*svcs.s), by_version);
	table_init(&t, 4, hdr, NULL);
	/* one row per service and version; i..j the service, k..l the
	 * version's samples */
	for (size_t i = 0, j; i < svcs.n; i = j) {
		const char *name = prom_label(&svcs.s[i], "name");
		size_t nver = 0;

		for (j = i; j < svcs.n &&
		     strcmp(prom_label(&svcs.s[j], "name"), name) == 0;
		     j++)
			nver += j == i ||
			    strcmp(svc_version(&svcs.s[j]),
			        svc_version(&svcs.s[j - 1])) != 0;
		if (f->outdated && nver < 2)
			continue;
		for (size_t k = i, l; k < j; k = l) {
			const char *ver = svc_version(&svcs.s[k]);
			const char *state = nver < 2 ? "same"
			    : k == i                 ? "newest"
			                             : "outdated";
			struct strbuf names = STRBUF_INIT(1 << 20);
			json_t *a = json_array();

			for (l = k;
			     l < j && strcmp(svc_version(&svcs.s[l]), ver) == 0;
			     l++) {
				const char *h = host_of(&hosts, &svcs.s[l]);

				/* a host once, though it run it twice */
				if (l > k &&
				    strcmp(h,
				        host_of(&hosts, &svcs.s[l - 1])) == 0)
					continue;
				strbuf_printf(
				    &names, "%s%s", l > k ? " " : "", h);
				json_array_append_new(a, jstr(h));
			}
			if (f->fmt == CLI_FMT_JSON) {
				json_t *o = json_object();

				jset(o, "type", json_string("fleet.service"));
				jset(o, "name", jstr(name));
				jset(o, "version", jstr(ver));
				jset(o, "state", json_string(state));
				jset(o, "hosts", a);
				json_line(stdout, o);
			} else {
				const char *row[4] = {
				    name, ver, state, strbuf_str(&names)};

				json_decref(a);
				table_row(&t, row);
			}
			strbuf_release(&names);
		}
	}
	if (f->fmt != CLI_FMT_JSON)
		print_table(&t, f->fmt, f->cli->out.color);
	table_release(&t);
out:
	prom_vec_release(&hosts);
	prom_vec_release(&svcs);
	return rc;
}

static int
fleet_rules(struct fleet *f, const char *down_for, const char *window)
{
	struct fleet_rules_opts o = {f->job, down_for, window};

	if (!duration(down_for) || !duration(window))
		return cli_usage_error(f->cli, "fleet",
		    "a duration is digits and a unit (ms, s, m, h, d, w, y): "
		    "'%s'",
		    duration(down_for) ? window : down_for);
	fleet_rules_write(stdout, &o);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_CANTCREAT;
}

int
cmd_fleet(struct cli *cli, int argc, char **argv)
{
	enum {
		OPT_PROM = OPT_FIRST_PRIVATE,
		OPT_FORMAT,
		OPT_JOB,
		OPT_OUTDATED,
		OPT_DOWN_FOR,
		OPT_WINDOW,
	};
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"prometheus", required_argument, NULL, OPT_PROM},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"job", required_argument, NULL, OPT_JOB},
	    {"outdated", no_argument, NULL, OPT_OUTDATED},
	    {"down-for", required_argument, NULL, OPT_DOWN_FOR},
	    {"window", required_argument, NULL, OPT_WINDOW},
	    {NULL, 0, NULL, 0},
	};
	struct fleet f = {cli, NULL, "sakimori", CLI_FMT_TABLE, 0};
	const char *sub, *down_for = "5m", *window = "1h";
	int c, fmt_given = 0;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_PROM:
			f.url = optarg;
			break;
		case OPT_FORMAT:
			fmt_given = 1;
			if (cli_format(optarg, &f.fmt) == -1)
				return cli_usage_error(cli, "fleet",
				    "unknown format '%s'", optarg);
			break;
		case OPT_JOB:
			if (!plain_word(optarg,
			        "abcdefghijklmnopqrstuvwxyz"
			        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-"))
				return cli_usage_error(cli, "fleet",
				    "a job name is letters, digits, '_', "
				    "'.', ':' and '-': '%s'",
				    optarg);
			f.job = optarg;
			break;
		case OPT_OUTDATED:
			f.outdated = 1;
			break;
		case OPT_DOWN_FOR:
			down_for = optarg;
			break;
		case OPT_WINDOW:
			window = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(cli, "fleet",
		    "which one: rules, table, problems or services?");
	sub = argv[optind++];
	if (optind != argc)
		return cli_usage_error(
		    cli, "fleet", "unexpected argument '%s'", argv[optind]);
	if (!fmt_given && cli->mode == OUT_JSON)
		f.fmt = CLI_FMT_JSON;
	cli_out(cli);
	if (strcmp(sub, "rules") == 0)
		return fleet_rules(&f, down_for, window);
	if (strcmp(sub, "table") != 0 && strcmp(sub, "problems") != 0 &&
	    strcmp(sub, "services") != 0)
		return cli_usage_error(
		    cli, "fleet", "unknown subcommand '%s'", sub);
	if (f.url == NULL)
		return cli_usage_error(cli, "fleet",
		    "fleet %s asks Prometheus: --prometheus URL", sub);
	if (f.outdated && strcmp(sub, "services") != 0)
		return cli_usage_error(
		    cli, "fleet", "--outdated is for fleet services");
	if (strcmp(sub, "table") == 0)
		return fleet_table(&f);
	if (strcmp(sub, "problems") == 0)
		return fleet_problems(&f);
	return fleet_services(&f);
}
