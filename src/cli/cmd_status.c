/*
 * cmd_status.c - "sakimori status": one screen combining w, vmstat, free,
 * df, iostat and top, then the current findings of the built-in checks.
 * Everything comes from one snapshot (collect/snap.h): the rates over
 * --interval seconds (default 1; 0 means averages since boot).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/finding.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/size.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "cli/cli.h"
#include "cli/cmd_status.h"
#include "collect/snap.h"

enum {
	OPT_INTERVAL = OPT_FIRST_PRIVATE,
	OPT_TOP,
	OPT_ALL_FS,
	OPT_ALL_DISKS,
	OPT_FULL,
};

/* Processes on the one-screen view without --top. */
#define STATUS_TOP_BRIEF 4

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori status [--interval S] [--top N] [--full] "
	    "[--all-fs]\n"
	    "                       [--all-disks] [--wide] [--human | "
	    "--bytes] [--json]\n"
	    "                       [--root DIR] [-f FILE]\n"
	    "\n"
	    "One screen (80x24): uptime, load and users (w); CPU, memory and "
	    "swap\n"
	    "(vmstat, free); filesystems (df); disks (iostat -dx); the "
	    "busiest\n"
	    "processes (top); and the current findings of the built-in "
	    "checks.\n"
	    "\n"
	    "  --interval S   sample rates over S seconds (default 1, or "
	    "'set interval');\n"
	    "                 0: no wait, averages since boot (per-process "
	    "CPU over\n"
	    "                 each process's life, as ps)\n"
	    "  --top N        processes to show (default 4, 10 with --full)\n"
	    "  --full         every section in detail: users, each CPU, "
	    "memory\n"
	    "                 and swap tables, filesystem types\n"
	    "  --all-fs       also pseudo and duplicate filesystems\n"
	    "  --all-disks    also partitions and devices without I/O\n"
	    "  --wide         do not cut tables to the terminal's width\n"
	    "  --human        sizes in KiB, MiB, GiB (the default on a "
	    "terminal)\n"
	    "  --bytes        sizes in bytes (the default in a pipe)\n"
	    "  --json         JSON lines, one object per item (see "
	    "sakimori(8))\n"
	    "  --root DIR     read /proc, /sys, /dev, /etc and /run below DIR\n"
	    "\n"
	    "Exit status: the worst finding (0 OK, 1 WARNING, 2 CRITICAL, 3 "
	    "UNKNOWN).\n");
}

const char *
status_hostname(const struct cli *cli, char *buf, size_t sz)
{
	const char *set = cli->conf_loaded
	    ? conf_setting(&cli->conf, "hostname", NULL)
	    : NULL;

	if (set)
		return set;
	if (gethostname(buf, sz) == -1)
		snprintf(buf, sz, "localhost");
	buf[sz - 1] = '\0';
	return buf;
}

/* A size /proc gives in KiB, for the table (out_size). */
static void
fmt_kb(const struct out *out, char *buf, size_t sz, uint64_t kb)
{
	out_size(out, buf, sz, (double)kb * 1024);
}

static void
fmt_f(char *buf, size_t sz, double v, int prec)
{
	if (isnan(v))
		snprintf(buf, sz, "-");
	else
		snprintf(buf, sz, "%.*f", prec, v);
}

static void
fmt_hm(char *buf, size_t sz, time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		snprintf(buf, sz, "?");
	else
		strftime(buf, sz, "%Y-%m-%d %H:%M", &tm);
}

/* ---- the human screen ------------------------------------------------ */

static void
print_head(const struct cli *cli, const struct snap *s, FILE *fp)
{
	char host[256], up[32], now[32];
	const char *name = status_hostname(cli, host, sizeof(host));

	dur_format(up, sizeof(up), (uint64_t)s->up.up);
	fmt_hm(now, sizeof(now), s->now);
	fprintf(fp, "%s  %s  up %s, %zu user%s", name, now, up, s->users.n,
	    s->users.n == 1 ? "" : "s");
	if (s->have & SNAP_BIT(SNAP_LOAD))
		fprintf(fp, ", load %.2f %.2f %.2f (%ld CPU%s)", s->load.avg1,
		    s->load.avg5, s->load.avg15, s->ncpu,
		    s->ncpu == 1 ? "" : "s");
	fputc('\n', fp);
}

/* Where the rates come from. */
static void
print_rates_note(const struct snap *s, FILE *fp)
{
	if (s->interval > 0)
		fprintf(fp, "rates over %.2f s\n", s->interval);
	else
		fprintf(fp, "rates are averages since boot\n");
}

/* The one-screen view's CPU, task and memory lines (vmstat, free). */
static void
print_brief(const struct snap *s, const struct out *out, FILE *fp)
{
	const struct mem_summary *m = &s->memsum;
	struct cpu_usage u;
	char a[SIZE_TEXT_MAX], b[SIZE_TEXT_MAX], c[SIZE_TEXT_MAX];

	if (s->have & SNAP_BIT(SNAP_CPU) && snap_cpu(s, -1, &u) == 0)
		fprintf(fp,
		    "cpu   %.1f%% user, %.1f%% sys, %.1f%% iowait, %.1f%% "
		    "steal, %.1f%% idle, ",
		    u.user, u.system, u.iowait, u.steal, u.idle);
	else
		fprintf(fp, "cpu   %s; ", s->err[SNAP_CPU]);
	if (s->interval > 0)
		fprintf(fp, "over %.2f s\n", s->interval);
	else
		fprintf(fp, "since boot\n");
	fprintf(fp,
	    "tasks %zu (%llu running, %llu blocked), %.0f interrupts/s, %.0f "
	    "switches/s\n",
	    s->proc1.n, (unsigned long long)s->cpu1.procs_running,
	    (unsigned long long)s->cpu1.procs_blocked, s->intr_s, s->ctxt_s);
	if (!(s->have & SNAP_BIT(SNAP_MEM))) {
		fprintf(fp, "mem   %s\n", s->err[SNAP_MEM]);
		return;
	}
	out_size(out, a, sizeof(a), (double)m->total * 1024);
	out_size(out, b, sizeof(b), (double)m->used * 1024);
	out_size(out, c, sizeof(c), (double)m->available * 1024);
	fprintf(fp, "mem   %s total, %s used, %s available (%.1f%%%s)\n", a, b,
	    c, m->avail_pct, m->avail_estimated ? ", estimated" : "");
	out_size(out, a, sizeof(a), (double)m->swap_total * 1024);
	out_size(out, b, sizeof(b), (double)m->swap_used * 1024);
	fprintf(fp, "swap  %s total, %s used", a, b);
	if (s->have & SNAP_BIT(SNAP_VM))
		fprintf(fp, ", in %.1f, out %.1f pages/s", s->swapin_s,
		    s->swapout_s);
	fputc('\n', fp);
}

static void
print_cpu(const struct snap *s, FILE *fp, int color)
{
	static const char *const hdr[] = {
	    "CPU", "%USER", "%SYS", "%IDLE", "%IOWAIT", "%STEAL"};
	struct table t;
	struct cpu_usage u;
	char c[6][32];
	const char *cells[6];

	if (!(s->have & SNAP_BIT(SNAP_CPU))) {
		fprintf(fp, "\ncpu: %s\n", s->err[SNAP_CPU]);
		return;
	}
	fputc('\n', fp);
	table_init(&t, 6, hdr, "lrrrrr");
	for (long i = -1; i < (long)s->cpu1.ncpu; i++) {
		int id = i < 0 ? -1 : s->cpu1.cpu[i].id;

		if (snap_cpu(s, id, &u) == -1)
			continue;
		if (id < 0)
			snprintf(c[0], sizeof(c[0]), "all");
		else
			snprintf(c[0], sizeof(c[0]), "cpu%d", id);
		fmt_f(c[1], sizeof(c[1]), u.user, 1);
		fmt_f(c[2], sizeof(c[2]), u.system, 1);
		fmt_f(c[3], sizeof(c[3]), u.idle, 1);
		fmt_f(c[4], sizeof(c[4]), u.iowait, 1);
		fmt_f(c[5], sizeof(c[5]), u.steal, 1);
		for (int k = 0; k < 6; k++)
			cells[k] = c[k];
		table_row(&t, cells);
	}
	table_print(&t, fp, color);
	table_release(&t);
	fprintf(fp,
	    "processes: %zu (%llu running, %llu blocked); %.0f interrupts/s, "
	    "%.0f context switches/s\n",
	    s->proc1.n, (unsigned long long)s->cpu1.procs_running,
	    (unsigned long long)s->cpu1.procs_blocked, s->intr_s, s->ctxt_s);
}

static void
print_mem(const struct snap *s, const struct out *out, FILE *fp)
{
	static const char *const hdr[] = {
	    "", "TOTAL", "USED", "FREE", "SHARED", "BUFF/CACHE", "AVAILABLE"};
	const struct mem_summary *m = &s->memsum;
	struct table t;
	char c[7][32];
	const char *cells[7];

	if (!(s->have & SNAP_BIT(SNAP_MEM))) {
		fprintf(fp, "\nmemory: %s\n", s->err[SNAP_MEM]);
		return;
	}
	fputc('\n', fp);
	table_init(&t, 7, hdr, "lrrrrrr");
	snprintf(c[0], sizeof(c[0]), "Mem:");
	fmt_kb(out, c[1], sizeof(c[1]), m->total);
	fmt_kb(out, c[2], sizeof(c[2]), m->used);
	fmt_kb(out, c[3], sizeof(c[3]), m->free);
	fmt_kb(out, c[4], sizeof(c[4]), m->shared);
	fmt_kb(out, c[5], sizeof(c[5]), m->buff_cache);
	fmt_kb(out, c[6], sizeof(c[6]), m->available);
	for (int k = 0; k < 7; k++)
		cells[k] = c[k];
	table_row(&t, cells);
	snprintf(c[0], sizeof(c[0]), "Swap:");
	fmt_kb(out, c[1], sizeof(c[1]), m->swap_total);
	fmt_kb(out, c[2], sizeof(c[2]), m->swap_used);
	fmt_kb(out, c[3], sizeof(c[3]), m->swap_free);
	cells[4] = cells[5] = cells[6] = "";
	table_row(&t, cells);
	table_print(&t, fp, out->color);
	table_release(&t);
	fprintf(fp, "available %.1f%%%s", m->avail_pct,
	    m->avail_estimated ? " (estimated)" : "");
	if (s->have & SNAP_BIT(SNAP_VM))
		fprintf(fp,
		    "; swapped in %.1f, out %.1f pages/s; paged in %.0f, out "
		    "%.0f KiB/s",
		    s->swapin_s, s->swapout_s, s->pgin_kb_s, s->pgout_kb_s);
	fputc('\n', fp);
}

static void
print_fs(const struct snap *s, const struct out *out, int full, FILE *fp)
{
	static const char *const hdr[] = {"FILESYSTEM", "TYPE", "SIZE", "USED",
	    "AVAIL", "USE%", "IUSE%", "MOUNTED ON"};
	/* the one-screen view leaves out the type */
	static const unsigned brief_col[] = {0, 2, 3, 4, 5, 6, 7};
	const char *bhdr[countof(brief_col)];
	struct table t;
	char c[8][64];
	const char *cells[8], *bcells[countof(brief_col)];

	if (!(s->have & SNAP_BIT(SNAP_FS))) {
		fprintf(fp, "\nfilesystems: %s\n", s->err[SNAP_FS]);
		return;
	}
	fputc('\n', fp);
	for (size_t k = 0; k < countof(brief_col); k++)
		bhdr[k] = hdr[brief_col[k]];
	if (full)
		table_init(&t, 8, hdr, "llrrrrrl");
	else
		table_init(&t, countof(brief_col), bhdr, "lrrrrrl");
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *e = &s->mounts.m[i];

		if (!e->shown || !e->have_usage)
			continue;
		cells[0] = e->source;
		cells[1] = e->fstype;
		fmt_kb(out, c[2], sizeof(c[2]), e->u.size_kb);
		fmt_kb(out, c[3], sizeof(c[3]), e->u.used_kb);
		fmt_kb(out, c[4], sizeof(c[4]), e->u.avail_kb);
		fmt_f(c[5], sizeof(c[5]), e->u.used_pct, 1);
		fmt_f(c[6], sizeof(c[6]), e->u.inodes_pct, 1);
		for (int k = 2; k < 7; k++)
			cells[k] = c[k];
		cells[7] = e->mnt;
		for (size_t k = 0; k < countof(brief_col); k++)
			bcells[k] = cells[brief_col[k]];
		table_row(&t, full ? cells : bcells);
	}
	table_print(&t, fp, out->color);
	table_release(&t);
}

static void
print_disks(
    const struct snap *s, const struct status_opts *o, FILE *fp, int color)
{
	static const char *const hdr[] = {"DEVICE", "r/s", "w/s", "rkB/s",
	    "wkB/s", "r_await", "w_await", "aqu-sz", "%util"};
	struct table t;
	char c[9][32];
	const char *cells[9];
	struct disk_rates r;
	size_t rows = 0;

	if (!(s->have & SNAP_BIT(SNAP_DISK))) {
		fprintf(fp, "\ndisks: %s\n", s->err[SNAP_DISK]);
		return;
	}
	table_init(&t, 9, hdr, "lrrrrrrrr");
	for (size_t i = 0; i < s->disk1.n; i++) {
		const struct disk_stat *d = &s->disk1.d[i];

		if (!disk_stat_shown(d, o->all_disks) ||
		    snap_disk(s, i, &r) == -1)
			continue;
		cells[0] = d->name;
		fmt_f(c[1], sizeof(c[1]), r.r_s, 2);
		fmt_f(c[2], sizeof(c[2]), r.w_s, 2);
		fmt_f(c[3], sizeof(c[3]), r.rkb_s, 2);
		fmt_f(c[4], sizeof(c[4]), r.wkb_s, 2);
		fmt_f(c[5], sizeof(c[5]), r.r_await, 2);
		fmt_f(c[6], sizeof(c[6]), r.w_await, 2);
		fmt_f(c[7], sizeof(c[7]), r.aqu_sz, 2);
		fmt_f(c[8], sizeof(c[8]), r.util, 2);
		for (int k = 1; k < 9; k++)
			cells[k] = c[k];
		table_row(&t, cells);
		rows++;
	}
	if (rows) {
		fputc('\n', fp);
		table_print(&t, fp, color);
	}
	table_release(&t);
}

static void
print_users(const struct snap *s, FILE *fp, int color)
{
	static const char *const hdr[] = {
	    "USER", "TTY", "FROM", "LOGIN@", "IDLE"};
	struct table t;
	char login[32], idle[32];
	const char *cells[5];

	if (s->users.n == 0)
		return;
	fputc('\n', fp);
	table_init(&t, 5, hdr, "lllll");
	for (size_t i = 0; i < s->users.n; i++) {
		const struct session *u = &s->users.s[i];

		fmt_hm(login, sizeof(login), u->login);
		if (u->idle < 0)
			snprintf(idle, sizeof(idle), "?");
		else
			dur_format(idle, sizeof(idle), (uint64_t)u->idle);
		cells[0] = u->user;
		cells[1] = u->line;
		cells[2] = u->host[0] ? u->host : "-";
		cells[3] = login;
		cells[4] = idle;
		table_row(&t, cells);
	}
	table_print(&t, fp, color);
	table_release(&t);
}

/* The command line (cut to fit a screen line), or [comm] for kernel threads. */
static const char *
command_of(const struct proc *p, char *buf, size_t sz)
{
	if (p->cmdline[0])
		str_copy(buf, sz, p->cmdline);
	else
		snprintf(buf, sz, "[%s]", p->comm);
	return buf;
}

static void
print_procs(const struct snap *s, const struct status_opts *o,
    const struct out *out, FILE *fp)
{
	static const char *const hdr[] = {"PID", "USER", "S", "%CPU", "RSS",
	    "VSZ", "TIME", "ELAPSED", "COMMAND"};
	const struct proc **top;
	struct table t;
	char c[9][64], cmd[100];
	const char *cells[9];
	size_t n;

	if (!(s->have & SNAP_BIT(SNAP_PROC))) {
		fprintf(fp, "\nprocesses: %s\n", s->err[SNAP_PROC]);
		return;
	}
	top = calloc(o->top ? o->top : 1, sizeof(*top));
	if (top == NULL)
		return;
	n = proc_table_top(&s->proc1, o->top, top);
	fputc('\n', fp);
	table_init(&t, 9, hdr, "rllrrrrrl");
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = top[i];

		snprintf(c[0], sizeof(c[0]), "%d", p->pid);
		cells[1] = p->user;
		snprintf(c[2], sizeof(c[2]), "%c", p->state);
		fmt_f(c[3], sizeof(c[3]), p->cpu_pct, 1);
		fmt_kb(out, c[4], sizeof(c[4]), p->rss_kb);
		fmt_kb(out, c[5], sizeof(c[5]), p->vsz_kb);
		dur_format(c[6], sizeof(c[6]), (uint64_t)p->cpu_secs);
		dur_format(c[7], sizeof(c[7]), (uint64_t)p->run_secs);
		cells[0] = c[0];
		for (int k = 2; k < 8; k++)
			cells[k] = c[k];
		cells[8] = command_of(p, cmd, sizeof(cmd));
		table_row(&t, cells);
	}
	table_print(&t, fp, out->color);
	table_release(&t);
	free(top);
	if (s->proc1.vanished || s->proc1.unreadable || s->proc1.malformed)
		fprintf(fp,
		    "(skipped: %u vanished while read, %u unreadable, %u "
		    "malformed)\n",
		    s->proc1.vanished, s->proc1.unreadable, s->proc1.malformed);
}

int
cmd_status(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"interval", required_argument, NULL, OPT_INTERVAL},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"all-fs", no_argument, NULL, OPT_ALL_FS},
	    {"all-disks", no_argument, NULL, OPT_ALL_DISKS},
	    {"full", no_argument, NULL, OPT_FULL},
	    {NULL, 0, NULL, 0},
	};
	struct status_opts o = {.interval = -1, .top = 10};
	const char *interval_arg = NULL;
	struct snap s;
	struct report r;
	struct check_ctx x = {0};
	uint64_t top;
	FILE *fp = stdout;
	int c, rc, top_set = 0;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_INTERVAL:
			interval_arg = optarg;
			break;
		case OPT_TOP:
			if (str_u64(optarg, &top) == -1 || top > 10000)
				return cli_usage_error(cli, "status",
				    "--top wants a number up to 10000");
			o.top = (size_t)top;
			top_set = 1;
			break;
		case OPT_FULL:
			o.full = 1;
			break;
		case OPT_ALL_FS:
			o.all_fs = 1;
			break;
		case OPT_ALL_DISKS:
			o.all_disks = 1;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(
		    cli, "status", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_sample_setup(cli, "status", interval_arg, &o.interval)) !=
	    EXIT_OK)
		return rc;
	snap_take(&s, cli->root, SNAP_ALL, o.interval, o.all_fs);
	report_init(&r);
	x.conf = &cli->conf;
	x.snap = &s;
	x.root = cli->root;
	x.now = s.now;
	check_run(&x, CHECK_FAST | CHECK_MEDIUM | CHECK_ONLY_SNAPSHOT, &r);
	if (cli->mode == OUT_JSON) {
		status_json(cli, &s, &o, fp);
		out_report(&cli->out, &r, "SAKIMORI");
	} else if (cli->mode == OUT_NAGIOS) {
		out_report(&cli->out, &r, "SAKIMORI");
	} else {
		int color = cli->out.color;

		print_head(cli, &s, fp);
		if (o.full) {
			print_rates_note(&s, fp);
			print_users(&s, fp, color);
			print_cpu(&s, fp, color);
			print_mem(&s, &cli->out, fp);
		} else {
			print_brief(&s, &cli->out, fp);
			if (!top_set)
				o.top = STATUS_TOP_BRIEF;
		}
		print_fs(&s, &cli->out, o.full, fp);
		print_disks(&s, &o, fp, color);
		print_procs(&s, &o, &cli->out, fp);
		fputc('\n', fp);
		out_report(&cli->out, &r, "SAKIMORI");
	}
	rc = cli_exit_for(&r);
	report_release(&r);
	snap_release(&s);
	return rc;
}
