/*
 * cmd_du.c - "sakimori du PATH": the largest directories and files under
 * PATH, walked in parallel (what "du -x PATH | sort -n | tail" answers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/table.h"
#include "cli/cli.h"
#include "disk/du.h"

enum {
	OPT_TOP = OPT_FIRST_PRIVATE,
	OPT_APPARENT,
	OPT_THREADS,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori du [--top N] [-x] [--apparent] [--threads N] "
	    "[--json] PATH\n"
	    "\n"
	    "The N largest directories (with everything below them) and the "
	    "N largest\n"
	    "files under PATH, by allocated size (as du) or apparent size.  "
	    "Files with\n"
	    "several hard links count once; symbolic links are not "
	    "followed.\n"
	    "\n"
	    "  --top N        how many of each (default 10)\n"
	    "  -x, --one-file-system\n"
	    "                 stay on PATH's filesystem (as du -x)\n"
	    "  --apparent, --apparent-size\n"
	    "                 rank by apparent size (st_size) instead of "
	    "allocated blocks\n"
	    "  --threads N    walkers (default: one per CPU, at most 16)\n"
	    "  --json         JSON lines: du.dir, du.file and du.total "
	    "objects\n");
	fputs(CLI_TABLE_HELP, fp);
}

static void
print_items(const struct out *o, const char *title, const char *type,
    const struct disk_du_item *it, size_t n)
{
	static const char *const hdr[] = {"SIZE", "APPARENT", "PATH"};
	struct table t;

	if (o->mode == OUT_JSON) {
		for (size_t i = 0; i < n; i++) {
			json_t *j = json_object();

			jset(j, "type", json_string(type));
			jset(j, "path", jstr(it[i].path));
			jset(j, "alloc_bytes",
			    json_integer((json_int_t)it[i].alloc));
			jset(j, "apparent_bytes",
			    json_integer((json_int_t)it[i].apparent));
			json_line(o->fp, j);
		}
		return;
	}
	fprintf(o->fp, "%s\n", title);
	table_init(&t, 3, hdr, "rrl");
	for (size_t i = 0; i < n; i++) {
		char a[32], b[32];
		const char *cells[3] = {a, b, it[i].path};

		out_size(o, a, sizeof(a), (double)it[i].alloc);
		out_size(o, b, sizeof(b), (double)it[i].apparent);
		table_row(&t, cells);
	}
	table_print(&t, o->fp, o->color);
	table_release(&t);
	fprintf(o->fp, "\n");
}

int
cmd_du(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"top", required_argument, NULL, OPT_TOP},
	    {"apparent", no_argument, NULL, OPT_APPARENT},
	    {"apparent-size", no_argument, NULL, OPT_APPARENT},
	    {"threads", required_argument, NULL, OPT_THREADS},
	    {"one-file-system", no_argument, NULL, 'x'},
	    {NULL, 0, NULL, 0},
	};
	struct disk_du_opts o = {10, 0, 0, 0};
	struct disk_du d;
	struct err err = {0};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "x", longopts,
	            NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'x':
			o.one_fs = 1;
			break;
		case OPT_APPARENT:
			o.by_apparent = 1;
			break;
		case OPT_TOP:
			if (str_u64(optarg, &v) == -1 || v < 1 || v > 100000)
				return cli_usage_error(cli, "du",
				    "--top wants 1 to 100000, got '%s'",
				    optarg);
			o.top = (unsigned)v;
			break;
		case OPT_THREADS:
			if (str_u64(optarg, &v) == -1 || v < 1 || v > 64)
				return cli_usage_error(cli, "du",
				    "--threads wants 1 to 64, got '%s'",
				    optarg);
			o.threads = (unsigned)v;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "du", "expected one PATH");
	cli_out(cli);
	if (disk_du_run(argv[optind], &o, &d, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_NOINPUT;
	}
	print_items(&cli->out,
	    o.by_apparent ? "Largest directories (by apparent size)"
	                  : "Largest directories (by allocated size)",
	    "du.dir", d.dirs, d.ndirs);
	print_items(&cli->out, "Largest files", "du.file", d.files, d.nfiles);
	if (cli->out.mode == OUT_JSON) {
		json_t *j = json_object();

		jset(j, "type", json_string("du.total"));
		jset(j, "path", jstr(argv[optind]));
		jset(j, "alloc_bytes", json_integer((json_int_t)d.total_alloc));
		jset(j, "apparent_bytes",
		    json_integer((json_int_t)d.total_apparent));
		jset(j, "directories", json_integer((json_int_t)d.ndir_seen));
		jset(j, "files", json_integer((json_int_t)d.nfile_seen));
		jset(j, "hardlinks_skipped",
		    json_integer((json_int_t)d.hardlinks));
		jset(j, "errors", json_integer((json_int_t)d.errors));
		json_line(cli->out.fp, j);
	} else {
		char a[32], b[32];

		out_size(&cli->out, a, sizeof(a), (double)d.total_alloc);
		out_size(&cli->out, b, sizeof(b), (double)d.total_apparent);
		fprintf(cli->out.fp,
		    "Total %s allocated, %s apparent: %llu files in %llu "
		    "directories; %llu more hard links counted once; %llu "
		    "unreadable\n",
		    a, b, (unsigned long long)d.nfile_seen,
		    (unsigned long long)d.ndir_seen,
		    (unsigned long long)d.hardlinks,
		    (unsigned long long)d.errors);
	}
	if (d.errors > 0)
		log_warnx("%llu entries could not be read; the first: %s",
		    (unsigned long long)d.errors, d.first_error);
	disk_du_release(&d);
	return EXIT_OK;
}
