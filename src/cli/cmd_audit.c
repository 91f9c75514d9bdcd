/*
 * cmd_audit.c - "sakimori audit apache": read the Apache configuration as
 * httpd would and report what is open that should not be, each finding
 * with file:line.  --show prints what the reader understood instead (MPM,
 * worker limit, document roots, modules, files), for comparing with
 * apache2ctl -M / -S / -t -D DUMP_INCLUDES.
 */
#include <stdio.h>
#include <string.h>

#include "apache/apache.h"
#include "base/esc.h"
#include "base/json.h"
#include "cli/cli.h"

#define MAX_DEFINES 32

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori audit apache [-D NAME]... [-d SERVERROOT] "
	    "[--envvars FILE]\n"
	    "                             [--apache-version V] [--show] "
	    "[--json] [FILE]\n"
	    "\n"
	    "Reads the Apache configuration FILE (default: the first of\n"
	    "/etc/apache2/apache2.conf, /etc/httpd/conf/httpd.conf, ...) with "
	    "its\n"
	    "Include files, Define, ${VAR} and <IfModule>/<IfDefine> as httpd "
	    "does, and\n"
	    "reports server-status/server-info reachable from other hosts, "
	    "CGI\n"
	    "directories open to every client, Indexes or ExecCGI under the "
	    "document\n"
	    "roots and ServerTokens/ServerSignature disclosure, each with "
	    "file:line.\n"
	    "Errors in the configuration are reported as UNKNOWN findings.\n"
	    "\n"
	    "  -D NAME              as httpd -D NAME (for <IfDefine>)\n"
	    "  -d DIR               ServerRoot before any ServerRoot line\n"
	    "  --envvars FILE       Debian's envvars for ${APACHE_*} (default: "
	    "beside FILE)\n"
	    "  --apache-version V   version for <IfVersion> (default "
	    "2.4.62)\n"
	    "  --show               print the MPM, worker limit, document "
	    "roots,\n"
	    "                       modules and files read instead of "
	    "findings\n"
	    "\n"
	    "Exit status: the worst finding (0 none, 1 WARNING, 2 CRITICAL, 3 "
	    "only\nUNKNOWN, i.e. errors); 66 when FILE cannot be read.\n");
}

static void
show_text(const struct apache_conf *c, const struct apache_limits *l,
    int have_limits, const struct apache_docroot *dr, size_t nd)
{
	char e[PATH_MAX * 4];

	esc_text_buf(e, sizeof(e), c->server_root, strlen(c->server_root));
	printf("ServerRoot: %s\n", e);
	if (have_limits) {
		printf("MPM: %s\n", l->mpm);
		printf("MaxRequestWorkers: %ld", l->max_workers);
		if (l->file != NULL) {
			esc_text_buf(e, sizeof(e), l->file, strlen(l->file));
			printf(" (%s:%d)", e, l->line);
		} else
			printf(" (the MPM's default)");
		printf("\nServerLimit: %ld\nThreadsPerChild: %ld\n"
		       "ThreadLimit: %ld\nMaxProcesses: %ld\n",
		    l->server_limit, l->threads_per_child, l->thread_limit,
		    l->max_processes);
		if (l->note[0] != '\0')
			printf("Note: %s\n", l->note);
	} else
		printf("MPM: none loaded\n");
	for (size_t i = 0; i < nd; i++) {
		esc_text_buf(e, sizeof(e), dr[i].path, strlen(dr[i].path));
		printf("DocumentRoot: %s", e);
		if (dr[i].file != NULL) {
			printf(" (");
			esc_text_buf(
			    e, sizeof(e), dr[i].file, strlen(dr[i].file));
			printf("%s:%d)\n", e, dr[i].line);
		} else
			printf(" (compiled-in default)\n");
	}
	for (size_t i = 0; i < c->nmods; i++) {
		esc_text_buf(
		    e, sizeof(e), c->mods[i].id, strlen(c->mods[i].id));
		printf("Module: %s (%s)\n", e,
		    c->mods[i].path ? "shared" : "static");
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		esc_text_buf(e, sizeof(e), c->files[i], strlen(c->files[i]));
		printf("File: %s\n", e);
	}
	for (size_t i = 0; i < c->nerrs; i++) {
		esc_text_buf(e, sizeof(e), c->errs[i], strlen(c->errs[i]));
		printf("Error: %s\n", e);
	}
}

static void
show_json(const struct apache_conf *c, const struct apache_limits *l,
    int have_limits, const struct apache_docroot *dr, size_t nd)
{
	json_t *o = json_object(), *a;

	jset(o, "type", jstr("audit.apache"));
	jset(o, "server_root", jstr(c->server_root));
	jset(o, "main_file", jstr(c->main_file));
	if (have_limits) {
		jset(o, "mpm", jstr(l->mpm));
		jset(o, "max_request_workers", json_integer(l->max_workers));
		jset(o, "server_limit", json_integer(l->server_limit));
		jset(
		    o, "threads_per_child", json_integer(l->threads_per_child));
		jset(o, "thread_limit", json_integer(l->thread_limit));
		jset(o, "max_processes", json_integer(l->max_processes));
		if (l->file != NULL) {
			jset(o, "limit_file", jstr(l->file));
			jset(o, "limit_line", json_integer(l->line));
		}
		if (l->note[0] != '\0')
			jset(o, "limit_note", jstr(l->note));
	} else
		jset(o, "mpm", json_null());
	a = json_array();
	for (size_t i = 0; i < nd; i++)
		json_array_append_new(a, jstr(dr[i].path));
	jset(o, "document_roots", a);
	a = json_array();
	for (size_t i = 0; i < c->nmods; i++)
		json_array_append_new(a, jstr(c->mods[i].id));
	jset(o, "modules", a);
	a = json_array();
	for (size_t i = 0; i < c->nfiles; i++)
		json_array_append_new(a, jstr(c->files[i]));
	jset(o, "files", a);
	a = json_array();
	for (size_t i = 0; i < c->nerrs; i++)
		json_array_append_new(a, jstr(c->errs[i]));
	jset(o, "errors", a);
	json_line(stdout, o);
}

static int
audit_apache(struct cli *cli, int argc, char **argv)
{
	enum { OPT_ENVVARS = OPT_FIRST_PRIVATE, OPT_VERSION, OPT_SHOW };
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"envvars", required_argument, NULL, OPT_ENVVARS},
	    {"apache-version", required_argument, NULL, OPT_VERSION},
	    {"show", no_argument, NULL, OPT_SHOW},
	    {NULL, 0, NULL, 0},
	};
	const char *defines[MAX_DEFINES + 1];
	size_t ndef = 0;
	struct apache_opts o;
	struct apache_conf c;
	struct apache_limits l;
	struct apache_docroot dr[64];
	char path[PATH_MAX];
	int ch, show = 0, have_limits, rc;
	size_t nd;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv,
	            CLI_COMMON_SHORTOPTS "D:d:", longopts, NULL)) != -1) {
		if (cli_common_opt(cli, ch, optarg))
			continue;
		switch (ch) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'D':
			if (ndef == MAX_DEFINES)
				return cli_usage_error(cli, "audit apache",
				    "at most %d -D options", MAX_DEFINES);
			defines[ndef++] = optarg;
			break;
		case 'd':
			o.server_root = optarg;
			break;
		case OPT_ENVVARS:
			o.envvars = optarg;
			break;
		case OPT_VERSION:
			o.version = optarg;
			break;
		case OPT_SHOW:
			show = 1;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return cli_usage_error(
		    cli, "audit apache", "at most one configuration file");
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	defines[ndef] = NULL;
	o.defines = defines;
	o.root = cli->root;
	if (argc == 1)
		snprintf(path, sizeof(path), "%s", argv[0]);
	else if (apache_conf_find(cli->root, path, sizeof(path)) == -1) {
		fprintf(stderr,
		    "sakimori audit apache: no Apache configuration found "
		    "(name the file)\n");
		return EXIT_NOINPUT;
	}
	apache_conf_load(&c, path, &o);
	if (c.nfiles == 0) {
		char e[1024];

		esc_text_buf(e, sizeof(e), c.nerrs ? c.errs[0] : path,
		    strlen(c.nerrs ? c.errs[0] : path));
		fprintf(stderr, "sakimori audit apache: %s\n", e);
		apache_conf_release(&c);
		return EXIT_NOINPUT;
	}
	have_limits = apache_limits(&c, &l) == 0;
	nd = apache_docroots(&c, dr, 64);
	if (nd > 64)
		nd = 64;
	if (show) {
		if (cli->mode == OUT_JSON)
			show_json(&c, &l, have_limits, dr, nd);
		else
			show_text(&c, &l, have_limits, dr, nd);
		rc = c.nerrs > 0 ? EXIT_UNKNOWN : EXIT_OK;
	} else {
		struct report r;

		report_init(&r);
		apache_audit(&c, &r);
		cli_out(cli);
		out_report(&cli->out, &r, "SAKIMORI AUDIT");
		rc = cli_exit_for(&r);
		report_release(&r);
	}
	apache_conf_release(&c);
	return rc;
}

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc < 2)
			return cli_usage_error(
			    cli, "audit", "expected 'apache'");
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "apache") == 0)
		return audit_apache(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, "audit", "unknown target '%s'", argv[1]);
}
