/*
 * cmd_rules.c - "sakimori rules --crs --check": which of the OWASP Core
 * Rule Set's request rules sakimori evaluates on a log and which it
 * cannot, with the reason, per file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attack/crs.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/table.h"
#include "cli/cli.h"

enum {
	OPT_CRS = OPT_FIRST_PRIVATE,
	OPT_CHECK,
	OPT_CRS_DIR,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori rules --crs --check [--crs-dir DIR] [--json]\n"
	    "\n"
	    "Reads the OWASP Core Rule Set's request rules (REQUEST-*.conf in\n"
	    "DIR, \"set crs-dir\", default " CRS_DEFAULT_DIR ")\n"
	    "and lists per file the rules loaded, translated for log scanning\n"
	    "and not translated, then every rule not translated with why.\n");
}

static void
print_text(const struct crs_set *cs, FILE *fp, int color)
{
	static const char *const fhdr[] = {
	    "FILE", "LOADED", "TRANSLATED", "UNTRANSLATED"};
	static const char *const shdr[] = {"ID", "FILE", "REASON"};
	struct table t;
	char a[3][24];
	unsigned tl = 0, tt = 0;

	table_init(&t, 4, fhdr, "lrrr");
	for (size_t i = 0; i < cs->nf; i++) {
		const struct crs_file *f = &cs->f[i];
		const char *cells[4] = {f->name, a[0], a[1], a[2]};

		snprintf(a[0], sizeof(a[0]), "%u", f->loaded);
		snprintf(a[1], sizeof(a[1]), "%u", f->translated);
		snprintf(a[2], sizeof(a[2]), "%u", f->loaded - f->translated);
		table_row(&t, cells);
		tl += f->loaded;
		tt += f->translated;
	}
	{
		const char *cells[4] = {"total", a[0], a[1], a[2]};

		snprintf(a[0], sizeof(a[0]), "%u", tl);
		snprintf(a[1], sizeof(a[1]), "%u", tt);
		snprintf(a[2], sizeof(a[2]), "%u", tl - tt);
		table_row(&t, cells);
	}
	table_print(&t, fp, color);
	table_release(&t);
	if (cs->ns == 0)
		return;
	fprintf(fp, "\nNot translated\n");
	table_init(&t, 3, shdr, "rll");
	for (size_t i = 0; i < cs->ns; i++) {
		const char *cells[3] = {
		    a[0], cs->f[cs->s[i].file].name, cs->s[i].reason};

		snprintf(a[0], sizeof(a[0]), "%u", cs->s[i].id);
		table_row(&t, cells);
	}
	table_print(&t, fp, color);
	table_release(&t);
}

static void
print_json(const struct crs_set *cs, FILE *fp)
{
	for (size_t i = 0; i < cs->nf; i++) {
		json_t *j = json_object();

		jset(j, "type", json_string("crs.file"));
		jset(j, "file", jstr(cs->f[i].name));
		jset(j, "loaded", json_integer(cs->f[i].loaded));
		jset(j, "translated", json_integer(cs->f[i].translated));
		jset(j, "untranslated",
		    json_integer(cs->f[i].loaded - cs->f[i].translated));
		json_line(fp, j);
	}
	for (size_t i = 0; i < cs->ns; i++) {
		json_t *j = json_object();

		jset(j, "type", json_string("crs.untranslated"));
		jset(j, "id", json_integer(cs->s[i].id));
		jset(j, "file", jstr(cs->f[cs->s[i].file].name));
		jset(j, "reason", jstr(cs->s[i].reason));
		json_line(fp, j);
	}
}

int
cmd_rules(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"crs", no_argument, NULL, OPT_CRS},
	    {"check", no_argument, NULL, OPT_CHECK},
	    {"crs-dir", required_argument, NULL, OPT_CRS_DIR},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = NULL;
	struct crs_set cs;
	struct err err = {0};
	int c, crs = 0, check = 0;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_CRS:
			crs = 1;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_CRS_DIR:
			dir = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!crs || !check || optind != argc)
		return cli_usage_error(cli, "rules", "expected --crs --check");
	if (dir == NULL) {
		if (cli_conf(cli) == -1)
			return EXIT_CONFIG;
		dir = conf_setting(&cli->conf, "crs-dir", CRS_DEFAULT_DIR);
	}
	cli_out(cli);
	crs_set_init(&cs);
	if (crs_load_dir(&cs, dir, &err) == -1) {
		log_warnx("%s", err.msg);
		crs_set_release(&cs);
		return err.code == ENOENT || err.code == ENOTDIR ||
		        err.code == EACCES
		    ? EXIT_NOINPUT
		    : EXIT_DATAERR;
	}
	if (cli->out.mode == OUT_JSON)
		print_json(&cs, cli->out.fp);
	else
		print_text(&cs, cli->out.fp, cli->out.color);
	crs_set_release(&cs);
	return EXIT_OK;
}
