/*
 * cmd_status_json.c - "sakimori status --json": the snapshot as JSON
 * lines, one object per item (host, cpu, memory, each filesystem, disk,
 * user session and process, and what could not be read).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/cmd_status.h"
#include "collect/snap.h"

static json_t *
jnum(double v)
{
	return jreal_or_null(v);
}

static json_t *
ju64(uint64_t v)
{
	return json_integer(
	    (json_int_t)(v > (uint64_t)INT64_MAX ? INT64_MAX : v));
}

/* A size the kernel gives in KiB, as bytes. */
static json_t *
jkib(uint64_t kib)
{
	return ju64(kib > (uint64_t)INT64_MAX / 1024 ? (uint64_t)INT64_MAX
	                                             : kib * 1024);
}

static void
json_host(const struct cli *cli, const struct snap *s, FILE *fp)
{
	json_t *o = json_object();
	char host[256];

	jset(o, "type", json_string("host"));
	jset(o, "hostname", jstr(status_hostname(cli, host, sizeof(host))));
	jset(o, "time", jtime((int64_t)s->now));
	jset(o, "interval_seconds", jnum(s->interval));
	jset(o, "uptime_seconds", jnum(s->up.up));
	jset(o, "cpus", json_integer(s->ncpu));
	jset(o, "users", json_integer((json_int_t)s->users.n));
	if (s->have & SNAP_BIT(SNAP_LOAD)) {
		jset(o, "load1", jnum(s->load.avg1));
		jset(o, "load5", jnum(s->load.avg5));
		jset(o, "load15", jnum(s->load.avg15));
		jset(o, "load1_per_cpu", jnum(s->load.avg1 / (double)s->ncpu));
		jset(o, "runnable", ju64(s->load.running));
		jset(o, "threads", ju64(s->load.total));
	}
	json_line(fp, o);
}

static void
json_cpu(const struct snap *s, FILE *fp)
{
	struct cpu_usage u;
	json_t *o;

	if (!(s->have & SNAP_BIT(SNAP_CPU)))
		return;
	for (long i = -1; i < (long)s->cpu1.ncpu; i++) {
		int id = i < 0 ? -1 : s->cpu1.cpu[i].id;

		if (snap_cpu(s, id, &u) == -1)
			continue;
		o = json_object();
		jset(o, "type", json_string("cpu"));
		jset(o, "cpu", id < 0 ? json_string("all") : json_integer(id));
		jset(o, "user", jnum(u.user));
		jset(o, "nice", jnum(u.nice));
		jset(o, "system", jnum(u.system));
		jset(o, "irq", jnum(u.irq));
		jset(o, "idle", jnum(u.idle));
		jset(o, "iowait", jnum(u.iowait));
		jset(o, "steal", jnum(u.steal));
		json_line(fp, o);
	}
	o = json_object();
	jset(o, "type", json_string("system"));
	jset(o, "procs_running", ju64(s->cpu1.procs_running));
	jset(o, "procs_blocked", ju64(s->cpu1.procs_blocked));
	jset(o, "interrupts_per_second", jnum(s->intr_s));
	jset(o, "context_switches_per_second", jnum(s->ctxt_s));
	jset(o, "forks", ju64(s->cpu1.processes));
	jset(o, "boot_time", jtime((int64_t)s->cpu1.btime));
	json_line(fp, o);
}

static void
json_mem(const struct snap *s, FILE *fp)
{
	const struct mem_summary *m = &s->memsum;
	json_t *o;

	if (!(s->have & SNAP_BIT(SNAP_MEM)))
		return;
	o = json_object();
	jset(o, "type", json_string("memory"));
	jset(o, "total_bytes", jkib(m->total));
	jset(o, "used_bytes", jkib(m->used));
	jset(o, "free_bytes", jkib(m->free));
	jset(o, "shared_bytes", jkib(m->shared));
	jset(o, "buff_cache_bytes", jkib(m->buff_cache));
	jset(o, "available_bytes", jkib(m->available));
	jset(o, "available_pct", jnum(m->avail_pct));
	jset(o, "available_estimated", json_boolean(m->avail_estimated));
	jset(o, "swap_total_bytes", jkib(m->swap_total));
	jset(o, "swap_used_bytes", jkib(m->swap_used));
	jset(o, "swap_free_bytes", jkib(m->swap_free));
	if (s->have & SNAP_BIT(SNAP_VM)) {
		jset(o, "swapin_pages_per_second", jnum(s->swapin_s));
		jset(o, "swapout_pages_per_second", jnum(s->swapout_s));
		jset(o, "pgpgin_bytes_per_second", jnum(s->pgin_kb_s * 1024));
		jset(o, "pgpgout_bytes_per_second", jnum(s->pgout_kb_s * 1024));
	}
	json_line(fp, o);
	for (size_t i = 0; i < s->swaps.n; i++) {
		const struct swap_area *a = &s->swaps.a[i];

		o = json_object();
		jset(o, "type", json_string("swap"));
		jset(o, "name", jstr(a->name));
		jset(o, "kind", jstr(a->type));
		jset(o, "size_bytes", jkib(a->size_kb));
		jset(o, "used_bytes", jkib(a->used_kb));
		jset(o, "priority", json_integer(a->prio));
		json_line(fp, o);
	}
}

static void
json_fs(const struct snap *s, FILE *fp)
{
	if (!(s->have & SNAP_BIT(SNAP_FS)))
		return;
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *e = &s->mounts.m[i];
		json_t *o;

		if (!e->shown || !e->have_usage)
			continue;
		o = json_object();
		jset(o, "type", json_string("filesystem"));
		jset(o, "source", jstr(e->source));
		jset(o, "fstype", jstr(e->fstype));
		jset(o, "mount", jstr(e->mnt));
		jset(o, "readonly", json_boolean(e->readonly));
		jset(o, "size_bytes", jkib(e->u.size_kb));
		jset(o, "used_bytes", jkib(e->u.used_kb));
		jset(o, "available_bytes", jkib(e->u.avail_kb));
		jset(o, "used_pct", jnum(e->u.used_pct));
		jset(o, "inodes", ju64(e->u.inodes));
		jset(o, "inodes_used", ju64(e->u.inodes_used));
		jset(o, "inodes_free", ju64(e->u.inodes_free));
		jset(o, "inodes_pct", jnum(e->u.inodes_pct));
		json_line(fp, o);
	}
}

static void
json_disks(const struct snap *s, const struct status_opts *opt, FILE *fp)
{
	struct disk_rates r;

	if (!(s->have & SNAP_BIT(SNAP_DISK)))
		return;
	for (size_t i = 0; i < s->disk1.n; i++) {
		const struct disk_stat *d = &s->disk1.d[i];
		json_t *o;

		if (!disk_stat_shown(d, opt->all_disks) ||
		    snap_disk(s, i, &r) == -1)
			continue;
		o = json_object();
		jset(o, "type", json_string("disk.io"));
		jset(o, "device", jstr(d->name));
		jset(o, "reads_per_second", jnum(r.r_s));
		jset(o, "writes_per_second", jnum(r.w_s));
		jset(o, "read_bytes_per_second", jnum(r.rkb_s * 1024));
		jset(o, "write_bytes_per_second", jnum(r.wkb_s * 1024));
		jset(o, "read_merges_per_second", jnum(r.rrqm_s));
		jset(o, "write_merges_per_second", jnum(r.wrqm_s));
		jset(o, "read_await_seconds", jnum(r.r_await / 1000));
		jset(o, "write_await_seconds", jnum(r.w_await / 1000));
		jset(o, "await_seconds", jnum(r.await / 1000));
		jset(o, "queue_length", jnum(r.aqu_sz));
		jset(o, "util_pct", jnum(r.util));
		json_line(fp, o);
	}
}

static void
json_users(const struct snap *s, FILE *fp)
{
	for (size_t i = 0; i < s->users.n; i++) {
		const struct session *u = &s->users.s[i];
		json_t *o = json_object();

		jset(o, "type", json_string("user"));
		jset(o, "user", jstr(u->user));
		jset(o, "tty", jstr(u->line));
		jset(o, "from", jstr(u->host));
		jset(o, "login_time", jtime((int64_t)u->login));
		jset(o, "idle_seconds",
		    u->idle < 0 ? json_null() : jnum(u->idle));
		jset(o, "pid", json_integer(u->pid));
		json_line(fp, o);
	}
}

static void
json_procs(const struct snap *s, const struct status_opts *opt, FILE *fp)
{
	const struct proc **top;
	json_t *o;
	size_t n;

	if (!(s->have & SNAP_BIT(SNAP_PROC)))
		return;
	o = json_object();
	jset(o, "type", json_string("processes"));
	jset(o, "count", json_integer((json_int_t)s->proc1.n));
	jset(o, "vanished", json_integer(s->proc1.vanished));
	jset(o, "unreadable", json_integer(s->proc1.unreadable));
	jset(o, "malformed", json_integer(s->proc1.malformed));
	jset(o, "cpu_sampled", json_boolean(s->interval > 0));
	json_line(fp, o);
	top = calloc(opt->top ? opt->top : 1, sizeof(*top));
	if (top == NULL)
		return;
	n = proc_table_top(&s->proc1, opt->top, top);
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = top[i];
		char st[2] = {p->state, '\0'};

		o = json_object();
		jset(o, "type", json_string("process"));
		jset(o, "pid", json_integer(p->pid));
		jset(o, "ppid", json_integer(p->ppid));
		jset(o, "user", jstr(p->user));
		jset(o, "uid", json_integer(p->euid));
		jset(o, "state", jstr(st));
		jset(o, "cpu_pct", jnum(p->cpu_pct));
		jset(o, "cpu_seconds", jnum(p->cpu_secs));
		jset(o, "rss_bytes", jkib(p->rss_kb));
		jset(o, "vsz_bytes", jkib(p->vsz_kb));
		jset(o, "threads", ju64(p->nthreads));
		jset(o, "nice", json_integer(p->nice));
		if (p->start_time > 0)
			jset(o, "start_time", jtime((int64_t)p->start_time));
		jset(o, "run_seconds", jnum(p->run_secs));
		jset(o, "comm", jstr(p->comm));
		jset(o, "cmdline", jstr(p->cmdline));
		jset(o, "exe", jstr(p->exe));
		jset(o, "exe_deleted",
		    json_boolean(p->flags & PROC_F_EXE_DELETED));
		json_line(fp, o);
	}
	free(top);
}

static void
json_errors(const struct snap *s, FILE *fp)
{
	static const char *const names[SNAP_NSECTIONS] = {"load", "cpu",
	    "memory", "vmstat", "filesystems", "disks", "processes", "users"};

	for (int i = 0; i < SNAP_NSECTIONS; i++) {
		json_t *o;

		if ((s->have & SNAP_BIT(i)) || !(s->want & SNAP_BIT(i)) ||
		    s->err[i][0] == '\0')
			continue;
		o = json_object();
		jset(o, "type", json_string("error"));
		jset(o, "section", json_string(names[i]));
		jset(o, "message", jstr(s->err[i]));
		json_line(fp, o);
	}
}

void
status_json(const struct cli *cli, const struct snap *s,
    const struct status_opts *o, FILE *fp)
{
	json_host(cli, s, fp);
	json_cpu(s, fp);
	json_mem(s, fp);
	json_fs(s, fp);
	json_disks(s, o, fp);
	json_users(s, fp);
	json_procs(s, o, fp);
	json_errors(s, fp);
}
