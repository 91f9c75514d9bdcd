/*
 * cmd_inventory.c - "sakimori inventory": the server table, the way an
 * admin keeps it in a notebook: host | IP | location | OS |
 * version | service | version, one row per service; or every fact as CSV,
 * Markdown or JSON (schema in docs/inventory.md).  Each run is also kept in
 * the state directory; "sakimori check" reports what changed since.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "cli/cli.h"
#include "inv/inventory.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori inventory [--format table|csv|markdown|json] "
	    "[--json]\n"
	    "                          [--no-save]\n"
	    "\n"
	    "The server table: host name, addresses, location, OS and version, "
	    "and\n"
	    "every service (each listening socket's process, executable, "
	    "package and\n"
	    "version, and well-known services installed but not listening).  "
	    "Facts\n"
	    "are read from the kernel and dpkg's records; nothing is run.  "
	    "The\n"
	    "inventory is kept in the state directory; 'sakimori check' "
	    "reports what\n"
	    "changed since (a new listener is what a backdoor looks like).\n"
	    "Location, rack and owner come from 'set location', 'set rack' "
	    "and\n"
	    "'set owner' in the configuration.\n");
	fputs(CLI_TABLE_HELP, fp);
}

static const char *
os_version(const struct inventory *inv, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s", inv->os_version);
	return buf;
}

/*
 * The row of service s: the host's five columns (empty unless show_host),
 * then the service's four.
 */
static void
svc_row(const char *row[9], const char *const host[5], int show_host,
    const struct inv_svc *s, char *ports, size_t portsz)
{
	for (size_t c = 0; c < 5; c++)
		row[c] = show_host ? host[c] : "";
	row[5] = s->name;
	row[6] = s->version;
	row[7] = s->package_version;
	row[8] = inv_svc_ports(s, ports, portsz);
}

static void
print(const struct inventory *inv, enum cli_fmt fmt, FILE *fp)
{
	static const char *const hdr[] = {"HOST", "IP", "LOCATION", "OS",
	    "VERSION", "SERVICE", "VERSION", "PACKAGE VERSION", "PORTS"};
	char ports[512], osv[128], loc[256], ip[64];
	const char *host[5] = {NULL, ip, loc, NULL, osv}, *row[9], *slash;

	snprintf(ip, sizeof(ip), "%s", inv_primary_ip(inv));
	if ((slash = strchr(ip, '/')) != NULL)
		ip[slash - ip] = '\0';
	struct table t;

	snprintf(loc, sizeof(loc), "%s%s%s", inv->location,
	    inv->location[0] && inv->rack[0] ? " / " : "", inv->rack);
	os_version(inv, osv, sizeof(osv));
	host[0] = inv->hostname;
	host[3] = inv->os_name;
	switch (fmt) {
	case CLI_FMT_JSON:
		json_line(fp, inv_to_json(inv));
		return;
	case CLI_FMT_CSV:
	case CLI_FMT_MARKDOWN:
		/* every row whole: the host's columns on each */
		table_init(&t, 9, hdr, NULL);
		if (fmt == CLI_FMT_CSV)
			t.hdr[6] = "SERVICE VERSION";
		for (unsigned i = 0; i < inv->nsvcs; i++) {
			svc_row(
			    row, host, 1, &inv->svcs[i], ports, sizeof(ports));
			table_row(&t, row);
		}
		if (fmt == CLI_FMT_CSV)
			table_print_csv(&t, fp);
		else
			table_print_markdown(&t, fp);
		table_release(&t);
		return;
	default:
		break;
	}
	/* The notebook: the host's columns on its first row only. */
	table_init(&t, 9, hdr, "llllllllr");
	t.align[8] = 'l';
	for (unsigned i = 0; i < inv->nsvcs; i++) {
		svc_row(row, host, i == 0, &inv->svcs[i], ports, sizeof(ports));
		table_row(&t, row);
	}
	if (inv->nsvcs == 0) {
		const char *none[9] = {inv->hostname, ip, loc, inv->os_name,
		    osv, "(no services)", "", "", ""};
		table_row(&t, none);
	}
	table_print(&t, fp, 0);
	table_release(&t);
	{
		char mem[32];
		struct strbuf sb = STRBUF_INIT(4096);

		snprintf(mem, sizeof(mem), "%.1f GiB",
		    (double)inv->mem_total_kb / 1048576.0);
		fputc('\n', fp);
		/* two lines, each cut to the terminal (--wide: whole) */
		strbuf_printf(&sb, "%s (%s): %s, kernel %s %s\n", inv->fqdn,
		    inv->os_pretty, inv->os_name, inv->kernel_release,
		    inv->arch);
		strbuf_printf(&sb, "%u x %s, %s, virtualisation %s",
		    inv->cpu_count, inv->cpu_model[0] ? inv->cpu_model : "CPU",
		    mem, inv->virt);
		for (char *line = sb.p, *nl; line != NULL; line = nl) {
			struct strbuf e = STRBUF_INIT(8192);
			size_t lim = table_screen_width(fp);

			nl = strchr(line, '\n');
			esc_text(
			    &e, line, nl ? (size_t)(nl - line) : strlen(line));
			table_put_cut(fp, strbuf_str(&e), lim ? lim : SIZE_MAX);
			fputc('\n', fp);
			strbuf_release(&e);
			if (nl)
				nl++;
		}
		strbuf_release(&sb);
	}
	if (inv->owner[0])
		fprintf(fp, "owner: %s\n", inv->owner);
	if (inv->skipped)
		fprintf(fp,
		    "(%u entries could not be read: processes that "
		    "exited or were not readable)\n",
		    inv->skipped);
}

int
cmd_inventory(struct cli *cli, int argc, char **argv)
{
	enum {
		OPT_FORMAT = OPT_FIRST_PRIVATE,
		OPT_NO_SAVE,
	};
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"no-save", no_argument, NULL, OPT_NO_SAVE},
	    {NULL, 0, NULL, 0},
	};
	struct inventory *inv;
	struct inv_opts o = {0};
	struct err err = {0};
	enum cli_fmt fmt = CLI_FMT_TABLE;
	int c, save = 1, fmt_given = 0;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_FORMAT:
			fmt_given = 1;
			if (cli_format(optarg, &fmt) == -1)
				return cli_usage_error(cli, "inventory",
				    "unknown format '%s'", optarg);
			break;
		case OPT_NO_SAVE:
			save = 0;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(
		    cli, "inventory", "unexpected argument '%s'", argv[optind]);
	if (!fmt_given && cli->mode == OUT_JSON)
		fmt = CLI_FMT_JSON;
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	o.root = cli->root;
	o.location = conf_setting(&cli->conf, "location", NULL);
	o.rack = conf_setting(&cli->conf, "rack", NULL);
	o.owner = conf_setting(&cli->conf, "owner", NULL);
	o.hostname = conf_setting(&cli->conf, "hostname", NULL);
	inv = calloc(1, sizeof(*inv));
	if (inv == NULL) {
		log_warnx("out of memory");
		return EXIT_OSERR;
	}
	if (inv_collect(inv, &o, &err) == -1) {
		log_warnx("%s", err.msg);
		free(inv);
		return EXIT_UNKNOWN;
	}
	print(inv, fmt, stdout);
	if (save && cli_state_dir(cli) == 0 &&
	    inv_state_save(cli->state_dir, inv, &err) == -1)
		log_warnx("cannot keep the inventory: %s", err.msg);
	free(inv);
	return EXIT_OK;
}
