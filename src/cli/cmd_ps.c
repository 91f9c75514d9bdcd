/*
 * cmd_ps.c - "sakimori ps" (like ps axu, from the kernel's /proc, never by
 * running ps) and "sakimori top -b" (sampled CPU over an interval, like
 * top in batch mode).  ps --suspicious runs the suspicious-process checks
 * (rules/procrules.h) instead of listing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "collect/loadavg.h"
#include "collect/meminfo.h"
#include "collect/passwd.h"
#include "collect/proc.h"
#include "collect/procsel.h"
#include "rules/procrules.h"

static void
stat_text(const struct proc *p, char *dst, size_t sz)
{
	size_t k = 0;

	dst[k++] = p->state ? p->state : '?';
	if (p->nice < 0)
		dst[k++] = '<';
	else if (p->nice > 0)
		dst[k++] = 'N';
	if (p->pid == p->session)
		dst[k++] = 's';
	if (p->nthreads > 1)
		dst[k++] = 'l';
	dst[k < sz ? k : sz - 1] = '\0';
}

static void
start_text(const struct proc *p, char *dst, size_t sz)
{
	time_t now = time(NULL), t = (time_t)p->start_time;
	struct tm tm;

	if (p->start_time <= 0) {
		snprintf(dst, sz, "?");
		return;
	}
	localtime_r(&t, &tm);
	if (now - t < 24 * 3600)
		strftime(dst, sz, "%H:%M", &tm);
	else if (now - t < 365 * 24 * 3600)
		strftime(dst, sz, "%b%d", &tm);
	else
		strftime(dst, sz, "%Y", &tm);
}

static void
time_text(double secs, char *dst, size_t sz)
{
	unsigned long s = (unsigned long)secs;

	if (s >= 3600)
		snprintf(
		    dst, sz, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(dst, sz, "%lu:%02lu", s / 60, s % 60);
}

static void
command_text(const struct proc *p, char *dst, size_t sz)
{
	if (p->cmdline[0] != '\0')
		snprintf(dst, sz, "%s", p->cmdline);
	else
		snprintf(dst, sz, "[%s]", p->comm);
}

/* ---- output ---- */

static json_t *
proc_json(const struct proc *p, double mem_pct, int depth)
{
	json_t *o = json_object();
	char tty[32], st[8];

	proc_tty_name(p->tty_nr, tty, sizeof(tty));
	stat_text(p, st, sizeof(st));
	jset(o, "type", jstr("process"));
	jset(o, "pid", json_integer(p->pid));
	jset(o, "ppid", json_integer(p->ppid));
	jset(o, "user", jstr(p->user));
	jset(o, "uid", json_integer(p->euid));
	jset(o, "state", jstr(st));
	jset(o, "cpu_pct", json_real(round(p->cpu_pct * 10) / 10));
	jset(o, "mem_pct", jreal_or_null(mem_pct));
	jset(o, "vsz_bytes", json_integer((json_int_t)p->vsz_kb * 1024));
	jset(o, "rss_bytes", json_integer((json_int_t)p->rss_kb * 1024));
	jset(o, "tty", jstr(tty));
	jset(o, "start_time", jtime((int64_t)p->start_time));
	jset(o, "run_seconds", json_real(round(p->run_secs)));
	jset(o, "cpu_seconds", json_real(round(p->cpu_secs * 100) / 100));
	jset(o, "threads", json_integer((json_int_t)p->nthreads));
	jset(o, "comm", jstr(p->comm));
	jset(o, "exe", jstr(p->exe));
	jset(o, "cmdline", jstr(p->cmdline));
	if (p->flags & PROC_F_EXE_DELETED)
		jset(o, "exe_deleted", json_true());
	if (depth >= 0)
		jset(o, "depth", json_integer(depth));
	return o;
}

struct lister {
	struct cli *cli;
	struct table tab;
	uint64_t mem_total;
	int top; /* top's columns */
};

static double
mem_pct(const struct lister *L, const struct proc *p)
{
	return L->mem_total > 0 && L->mem_total != UINT64_MAX
	    ? 100.0 * (double)p->rss_kb / (double)L->mem_total
	    : NAN;
}

static void
emit(struct lister *L, const struct proc *p, int depth)
{
	char pid[16], cpu[16], mem[16], vsz[24], rss[24], tty[32], st[8],
	    start[16], tm[24], cmd[PROC_CMD_MAX + 16],
	    indent[PROC_CMD_MAX + 160], pr[16], ni[16];
	double m = mem_pct(L, p);

	if (L->cli->mode == OUT_JSON) {
		json_line(stdout, proc_json(p, m, depth));
		return;
	}
	snprintf(pid, sizeof(pid), "%d", p->pid);
	snprintf(cpu, sizeof(cpu), "%.1f", p->cpu_pct);
	if (isnan(m))
		snprintf(mem, sizeof(mem), "?");
	else
		snprintf(mem, sizeof(mem), "%.1f", m);
	out_size(&L->cli->out, vsz, sizeof(vsz), (double)p->vsz_kb * 1024);
	out_size(&L->cli->out, rss, sizeof(rss), (double)p->rss_kb * 1024);
	proc_tty_name(p->tty_nr, tty, sizeof(tty));
	stat_text(p, st, sizeof(st));
	start_text(p, start, sizeof(start));
	time_text(p->cpu_secs, tm, sizeof(tm));
	command_text(p, cmd, sizeof(cmd));
	if (depth > 0) {
		int k = 0;

		for (int i = 0; i < depth && k < 120; i++)
			k += snprintf(indent + k, sizeof(indent) - (size_t)k,
			    "%s", i + 1 == depth ? " \\_ " : "    ");
		snprintf(indent + k, sizeof(indent) - (size_t)k, "%s", cmd);
	} else
		snprintf(indent, sizeof(indent), "%s", cmd);
	if (L->top) {
		const char *row[] = {
		    pid, p->user, pr, ni, vsz, rss, st, cpu, mem, tm, p->comm};

		snprintf(pr, sizeof(pr), "%lld", (long long)p->priority);
		snprintf(ni, sizeof(ni), "%lld", (long long)p->nice);
		table_row(&L->tab, row);
	} else {
		const char *row[] = {p->user, pid, cpu, mem, vsz, rss, tty, st,
		    start, tm, indent};

		table_row(&L->tab, row);
	}
}

static void
print_list(struct lister *L, const struct proc_table *t,
    const struct proc_sel *fl, int tree, size_t count)
{
	static const char *const ps_hdr[] = {"USER", "PID", "%CPU", "%MEM",
	    "VSZ", "RSS", "TTY", "STAT", "START", "TIME", "COMMAND"};
	static const char *const top_hdr[] = {"PID", "USER", "PR", "NI", "VIRT",
	    "RES", "S", "%CPU", "%MEM", "TIME", "COMMAND"};
	const struct proc **v;
	size_t n;

	v = proc_select(t, fl, &n);
	if (v == NULL)
		return;
	if (count > 0 && n > count)
		n = count;
	if (L->top)
		table_init(&L->tab, 11, top_hdr, "rlrrrrlrrrl");
	else
		table_init(&L->tab, 11, ps_hdr, "lrrrrrllrrl");
	if (tree) {
		size_t *order = calloc(n + 1, sizeof(*order));
		int *depth = calloc(n + 1, sizeof(*depth));
		size_t placed = order != NULL && depth != NULL
		    ? proc_forest(v, n, order, depth)
		    : 0;

		for (size_t i = 0; i < placed; i++)
			emit(L, v[order[i]], depth[i]);
		free(order);
		free(depth);
	} else
		for (size_t i = 0; i < n; i++)
			emit(L, v[i], -1);
	if (L->cli->mode != OUT_JSON)
		table_print(&L->tab, stdout, L->cli->out.color);
	table_release(&L->tab);
	free(v);
}

static int
read_table(struct cli *cli, struct proc_table *t, struct uid_names *names)
{
	struct err err = {0};

	if (proc_table_read(t, cli->root, PROC_READ_ALL, names, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	if (t->vanished || t->unreadable || t->malformed)
		log_debug("processes: %u vanished, %u unreadable, %u "
		          "malformed while read",
		    t->vanished, t->unreadable, t->malformed);
	return 0;
}

static void
ps_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori ps [--sort KEYS] [--user USER]... [--name "
	    "PATTERN]...\n"
	    "                   [--tree] [--json] [--suspicious "
	    "[--no-hidden]]\n"
	    "\n"
	    "Lists the processes from /proc like 'ps axu' (never by running "
	    "ps).\n"
	    "  --sort KEYS     comma-separated: pid ppid user cpu mem vsz "
	    "time start\n"
	    "                  name; '-' before a key sorts descending "
	    "(-cpu)\n"
	    "  --user USER     only this user's (name or uid; repeatable)\n"
	    "  --name PATTERN  only commands matching the shell pattern "
	    "(repeatable)\n"
	    "  --tree          children under their parents (ps axf)\n"
	    "  --json          one JSON object per process\n"
	    "  --suspicious    run the suspicious-process checks instead: "
	    "deleted or\n"
	    "                  replaced executables, executables in /tmp, "
	    "/var/tmp,\n"
	    "                  /dev/shm or writable by all, command names "
	    "that are\n"
	    "                  not the program's, unexpected listeners, raw "
	    "and packet\n"
	    "                  sockets, promiscuous interfaces, hidden PIDs; "
	    "exit 0/1/2/3;\n"
	    "                  other users' processes need root (UNKNOWN "
	    "proc-coverage)\n"
	    "  --no-hidden     skip the hidden-process scan\n");
	fputs(CLI_TABLE_HELP, fp);
}

static int
run_suspicious(struct cli *cli, const struct proc_table *t, int no_hidden)
{
	struct procrules_opts o = {0};
	struct report r;
	int rc;

	o.root = cli->root;
	o.no_hidden = no_hidden;
	if (cli_state_dir(cli) == 0)
		o.state_dir = cli->state_dir;
	report_init(&r);
	procrules_suspicious(&cli->conf, t, &o, &r);
	procrules_integrity(&cli->conf, t, &o, &r);
	cli_out(cli);
	out_report(&cli->out, &r, "SAKIMORI PS");
	rc = cli_exit_for(&r);
	report_release(&r);
	return rc;
}

int
cmd_ps(struct cli *cli, int argc, char **argv)
{
	enum {
		OPT_SORT = OPT_FIRST_PRIVATE,
		OPT_USER,
		OPT_NAME,
		OPT_TREE,
		OPT_SUSP,
		OPT_NOHIDDEN,
	};
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"sort", required_argument, NULL, OPT_SORT},
	    {"user", required_argument, NULL, OPT_USER},
	    {"name", required_argument, NULL, OPT_NAME},
	    {"tree", no_argument, NULL, OPT_TREE},
	    {"suspicious", no_argument, NULL, OPT_SUSP},
	    {"no-hidden", no_argument, NULL, OPT_NOHIDDEN},
	    {NULL, 0, NULL, 0},
	};
	struct proc_sel fl = {0};
	struct lister L = {0};
	struct proc_table t;
	struct uid_names names;
	struct meminfo mi;
	struct err err = {0};
	int c, tree = 0, susp = 0, no_hidden = 0, rc = EXIT_OK;

	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			ps_usage(stdout);
			return EXIT_OK;
		case OPT_SORT:
			if (proc_sel_sort(&fl, optarg) == -1)
				return cli_usage_error(
				    cli, "ps", "bad sort key in '%s'", optarg);
			break;
		case OPT_USER:
			if (fl.nusers == PROC_SEL_MAX)
				return cli_usage_error(
				    cli, "ps", "too many --user");
			fl.users[fl.nusers++] = optarg;
			break;
		case OPT_NAME:
			if (fl.nnames == PROC_SEL_MAX)
				return cli_usage_error(
				    cli, "ps", "too many --name");
			fl.names[fl.nnames++] = optarg;
			break;
		case OPT_TREE:
			tree = 1;
			break;
		case OPT_SUSP:
			susp = 1;
			break;
		case OPT_NOHIDDEN:
			no_hidden = 1;
			break;
		default:
			ps_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(
		    cli, "ps", "unexpected argument '%s'", argv[optind]);
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	if (fl.nsort == 0)
		proc_sel_sort(&fl, "pid");
	uid_names_init(&names, cli->root);
	proc_table_init(&t);
	if (read_table(cli, &t, &names) == -1) {
		rc = EXIT_OSERR;
		goto out;
	}
	proc_table_cpu(&t, NULL);
	if (susp) {
		rc = run_suspicious(cli, &t, no_hidden);
		goto out;
	}
	cli_out(cli);
	L.cli = cli;
	if (meminfo_read(cli->root, &mi, &err) == 0)
		L.mem_total = mi.mem_total;
	print_list(&L, &t, &fl, tree, 0);
out:
	proc_table_release(&t);
	uid_names_release(&names);
	return rc;
}

/* ---- top -b ---- */

static void
top_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori top -b [-d SECS] [-n ITERATIONS] [--sort cpu|mem] "
	    "[--count N]\n"
	    "                   [--user USER]... [--name PATTERN]... "
	    "[--json]\n"
	    "\n"
	    "Samples the processes twice, SECS apart (default 1), and prints "
	    "the\n"
	    "busiest by CPU over the interval (or by resident memory), like "
	    "top -b.\n"
	    "  -b, --batch     batch mode (the only mode; accepted for top's "
	    "sake)\n"
	    "  -d SECS         the sampling interval (also 500ms, 2s)\n"
	    "  -n ITERATIONS   print this many samples (default 1)\n"
	    "  --sort KEY      cpu (default) or mem\n"
	    "  --count N       at most N processes per sample (default 20; 0 "
	    "all)\n");
	fputs(CLI_TABLE_HELP, fp);
}

static void
top_header(struct cli *cli, const struct proc_table *t)
{
	struct loadavg la;
	struct meminfo mi;
	struct mem_summary ms;
	struct err err = {0};
	struct proc_states ps;
	time_t now = time(NULL);
	struct tm tm;
	char clock[16];

	proc_states_count(t, &ps);
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("top.sample"));
		jset(o, "time", jtime((int64_t)now));
		jset(o, "tasks", json_integer((json_int_t)t->n));
		jset(o, "running", json_integer(ps.run));
		jset(o, "zombie", json_integer(ps.zombie));
		if (loadavg_read(cli->root, &la, &err) == 0) {
			jset(o, "load1", json_real(la.avg1));
			jset(o, "load5", json_real(la.avg5));
			jset(o, "load15", json_real(la.avg15));
		}
		json_line(stdout, o);
		return;
	}
	printf("top - %s up %.0f min", clock, t->uptime / 60);
	if (loadavg_read(cli->root, &la, &err) == 0)
		printf(",  load average: %.2f, %.2f, %.2f", la.avg1, la.avg5,
		    la.avg15);
	printf("\nTasks: %zu total, %u running, %u sleeping, %u stopped, %u "
	       "zombie\n",
	    t->n, ps.run, ps.sleep, ps.stop, ps.zombie);
	if (meminfo_read(cli->root, &mi, &err) == 0) {
		meminfo_summary(&mi, &ms);
		printf("MiB Mem: %.1f total, %.1f free, %.1f used, %.1f "
		       "buff/cache, %.1f avail\n",
		    (double)ms.total / 1024, (double)ms.free / 1024,
		    (double)ms.used / 1024, (double)ms.buff_cache / 1024,
		    (double)ms.available / 1024);
	}
	printf("\n");
}

int
cmd_top(struct cli *cli, int argc, char **argv)
{
	enum {
		OPT_SORT = OPT_FIRST_PRIVATE,
		OPT_COUNT,
		OPT_USER,
		OPT_NAME,
	};
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"sort", required_argument, NULL, OPT_SORT},
	    {"count", required_argument, NULL, OPT_COUNT},
	    {"user", required_argument, NULL, OPT_USER},
	    {"name", required_argument, NULL, OPT_NAME},
	    {"batch", no_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	struct proc_sel fl = {0};
	struct lister L = {0};
	struct proc_table t0, t1;
	struct uid_names names;
	struct meminfo mi;
	struct err err = {0};
	double interval = 1;
	uint64_t iters = 1, count = 20, u;
	int c, rc = EXIT_OK;

	proc_sel_sort(&fl, "-cpu");
	while ((c = getopt_long(argc, argv,
	            CLI_COMMON_SHORTOPTS "bd:n:", longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			top_usage(stdout);
			return EXIT_OK;
		case 'b':
			break;
		case 'd':
			if (str_dec(optarg, &interval) == -1) {
				uint64_t secs;

				if (dur_parse(optarg, strlen(optarg), &secs) ==
				    -1)
					return cli_usage_error(cli, "top",
					    "bad interval '%s'", optarg);
				interval = (double)secs;
			}
			if (interval <= 0 || interval > 3600)
				return cli_usage_error(cli, "top",
				    "interval must be above 0 and at most 1h");
			break;
		case 'n':
			if (str_u64(optarg, &iters) == -1 || iters == 0 ||
			    iters > 1000000)
				return cli_usage_error(cli, "top",
				    "bad iteration count '%s'", optarg);
			break;
		case OPT_SORT:
			if (strcmp(optarg, "cpu") == 0)
				proc_sel_sort(&fl, "-cpu");
			else if (strcmp(optarg, "mem") == 0)
				proc_sel_sort(&fl, "-mem");
			else
				return cli_usage_error(cli, "top",
				    "--sort takes cpu or mem, not '%s'",
				    optarg);
			break;
		case OPT_COUNT:
			if (str_u64(optarg, &u) == -1 || u > 1000000)
				return cli_usage_error(
				    cli, "top", "bad count '%s'", optarg);
			count = u;
			break;
		case OPT_USER:
			if (fl.nusers == PROC_SEL_MAX)
				return cli_usage_error(
				    cli, "top", "too many --user");
			fl.users[fl.nusers++] = optarg;
			break;
		case OPT_NAME:
			if (fl.nnames == PROC_SEL_MAX)
				return cli_usage_error(
				    cli, "top", "too many --name");
			fl.names[fl.nnames++] = optarg;
			break;
		default:
			top_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(
		    cli, "top", "unexpected argument '%s'", argv[optind]);
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	cli_out(cli);
	L.cli = cli;
	L.top = 1;
	if (meminfo_read(cli->root, &mi, &err) == 0)
		L.mem_total = mi.mem_total;
	uid_names_init(&names, cli->root);
	proc_table_init(&t0);
	proc_table_init(&t1);
	if (read_table(cli, &t0, &names) == -1) {
		rc = EXIT_OSERR;
		goto out;
	}
	for (uint64_t i = 0; i < iters; i++) {
		struct proc_table tmp;

		sleep_secs(interval);
		if (read_table(cli, &t1, &names) == -1) {
			rc = EXIT_OSERR;
			break;
		}
		proc_table_cpu(&t1, &t0);
		top_header(cli, &t1);
		print_list(&L, &t1, &fl, 0, (size_t)count);
		if (i + 1 < iters && cli->mode != OUT_JSON)
			printf("\n");
		fflush(stdout);
		tmp = t0;
		t0 = t1;
		t1 = tmp;
	}
out:
	proc_table_release(&t0);
	proc_table_release(&t1);
	uid_names_release(&names);
	return rc;
}
