/*
 * show.c - the tables and JSON lines of "sakimori disk" (and of the
 * agent's disks page):
 * filesystem usage, the filesystems' recorded error state, device I/O,
 * the kernel-log sources read, the md arrays and each disk's health.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/esc.h"
#include "base/json.h"
#include "base/output.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "disk/show.h"
#include "collect/snap.h"
#include "disk/fsstate.h"
#include "disk/health.h"
#include "disk/kscan.h"
#include "disk/ksys.h"
#include "disk/md.h"
#include "disk/smart.h"

void
disk_show_fs_json(FILE *fp, const struct disk_fs *fs)
{
	json_t *o = json_object();
	char st[64];

	jset(o, "type", json_string("filesystem.state"));
	jset(o, "device", jstr(fs->dev));
	jset(o, "mount", fs->mnt[0] ? jstr(fs->mnt) : json_null());
	jset(o, "fstype", jstr(fs->type));
	if (fs->have_sb) {
		disk_extsb_state(&fs->sb, st, sizeof(st));
		jset(o, "state", json_string(st));
		jset(o, "state_flags", json_integer(fs->sb.state));
		jset(o, "error_count", json_integer(fs->sb.error_count));
		if (fs->sb.first_error_time) {
			jset(o, "first_error_time",
			    jtime((int64_t)fs->sb.first_error_time));
			jset(o, "first_error_func",
			    jstr(fs->sb.first_error_func));
			jset(o, "first_error_line",
			    json_integer(fs->sb.first_error_line));
		}
		if (fs->sb.last_error_time) {
			jset(o, "last_error_time",
			    jtime((int64_t)fs->sb.last_error_time));
			jset(
			    o, "last_error_func", jstr(fs->sb.last_error_func));
			jset(o, "last_error_line",
			    json_integer(fs->sb.last_error_line));
		}
		jset(o, "mount_count", json_integer(fs->sb.mnt_count));
		jset(o, "max_mount_count", json_integer(fs->sb.max_mnt_count));
		if (fs->sb.lastcheck)
			jset(o, "last_check", jtime((int64_t)fs->sb.lastcheck));
		jset(o, "check_interval_seconds",
		    json_integer(fs->sb.checkinterval));
		jset(o, "checksum",
		    fs->sb.csum < 0 ? json_null() : json_boolean(fs->sb.csum));
	}
	if (fs->have_counters) {
		jset(o, "write_errors", json_integer((json_int_t)fs->wr_errs));
		jset(o, "read_errors", json_integer((json_int_t)fs->rd_errs));
		jset(o, "flush_errors",
		    json_integer((json_int_t)fs->flush_errs));
		jset(o, "corruption_errors",
		    json_integer((json_int_t)fs->corrupt_errs));
		jset(o, "generation_errors",
		    json_integer((json_int_t)fs->gen_errs));
	}
	if (fs->note[0])
		jset(o, "note", jstr(fs->note));
	json_line(fp, o);
}

void
disk_show_fs_table(const struct out *o, const struct disk_fslist *l)
{
	static const char *const hdr[] = {"DEVICE", "MOUNT", "TYPE", "STATE",
	    "ERRORS", "FIRST ERROR", "LAST ERROR", "MOUNTS", "LAST CHECK"};
	struct table t;

	table_init(&t, 9, hdr, "lllrlllrl");
	for (size_t i = 0; i < l->n; i++) {
		const struct disk_fs *fs = &l->fs[i];
		char st[64] = "-", ne[32] = "-", fe[128] = "-", le[128] = "-",
		     mc[32] = "-", lc[64] = "-", tt[64];
		const char *cells[9];

		if (fs->have_sb) {
			disk_extsb_state(&fs->sb, st, sizeof(st));
			snprintf(ne, sizeof(ne), "%u", fs->sb.error_count);
			if (fs->sb.first_error_time) {
				time_iso_or(tt, sizeof(tt),
				    fs->sb.first_error_time, "-");
				snprintf(fe, sizeof(fe), "%s %s", tt,
				    fs->sb.first_error_func);
			}
			if (fs->sb.last_error_time) {
				time_iso_or(tt, sizeof(tt),
				    fs->sb.last_error_time, "-");
				snprintf(le, sizeof(le), "%s %s", tt,
				    fs->sb.last_error_func);
			}
			if (fs->sb.max_mnt_count > 0)
				snprintf(mc, sizeof(mc), "%u/%d",
				    fs->sb.mnt_count, fs->sb.max_mnt_count);
			else
				snprintf(
				    mc, sizeof(mc), "%u", fs->sb.mnt_count);
			time_iso_or(lc, sizeof(lc), fs->sb.lastcheck, "-");
		} else if (fs->have_counters) {
			snprintf(st, sizeof(st), "counters");
			snprintf(ne, sizeof(ne), "%llu",
			    (unsigned long long)(fs->wr_errs + fs->rd_errs +
			        fs->flush_errs + fs->corrupt_errs +
			        fs->gen_errs));
		} else {
			snprintf(st, sizeof(st), "n/a");
		}
		cells[0] = fs->dev;
		cells[1] = fs->mnt[0] ? fs->mnt : "-";
		cells[2] = fs->type;
		cells[3] = st;
		cells[4] = ne;
		cells[5] = fe;
		cells[6] = le;
		cells[7] = mc;
		cells[8] = lc;
		table_row(&t, cells);
	}
	table_print(&t, o->fp, o->color);
	table_release(&t);
	for (size_t i = 0; i < l->n; i++)
		if (l->fs[i].note[0] && l->fs[i].type[0] &&
		    strncmp(l->fs[i].note, "the kernel exposes", 18) != 0) {
			char esc[1024];

			esc_text_buf(esc, sizeof(esc), l->fs[i].note,
			    strlen(l->fs[i].note));
			fprintf(o->fp, "  note: %s\n", esc);
		}
}

void
disk_show_sources(const struct out *o, const struct disk_ksys *run,
    const struct disk_kscan *s)
{
	for (size_t i = 0; i < run->nsrc; i++) {
		const struct disk_ksrc_res *r = &run->src[i];
		const char *status = r->ok == 1 ? "read"
		    : r->ok == 0                ? "absent"
		                                : "error";

		if (o->mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("kernel.source"));
			jset(j, "kind", json_string(r->kind));
			jset(j, "path", jstr(r->path));
			jset(j, "status", json_string(status));
			jset(j, "lines", json_integer((json_int_t)r->st.lines));
			jset(j, "cut", json_integer((json_int_t)r->st.cut));
			if (strcmp(r->kind, "kmsg") == 0) {
				jset(j, "first_seq",
				    json_integer((json_int_t)r->st.first_seq));
				jset(j, "last_seq",
				    json_integer((json_int_t)r->st.last_seq));
				jset(j, "skipped",
				    json_integer((json_int_t)r->st.skipped));
				jset(j, "lost",
				    json_integer((json_int_t)r->st.lost));
				jset(j, "malformed",
				    json_integer((json_int_t)r->st.malformed));
			}
			if (r->error[0])
				jset(j, "error", jstr(r->error));
			json_line(o->fp, j);
		} else if (r->ok != 0) {
			char esc[PATH_MAX + 64];

			esc_text_buf(esc, sizeof(esc),
			    r->path[0] ? r->path : r->kind,
			    strlen(r->path[0] ? r->path : r->kind));
			if (r->ok == 1)
				fprintf(o->fp, "  %-8s %s: %llu lines\n",
				    r->kind, esc,
				    (unsigned long long)r->st.lines);
			else
				fprintf(o->fp, "  %-8s %s: %s\n", r->kind, esc,
				    r->error);
		}
	}
	if (o->mode == OUT_JSON) {
		json_t *j = json_object();

		jset(j, "type", json_string("kernel.scan"));
		jset(j, "errors", json_integer((json_int_t)s->events));
		jset(j, "devices", json_integer((json_int_t)s->ndev));
		jset(j, "duplicates", json_integer((json_int_t)s->dups));
		jset(j, "already_reported", json_integer((json_int_t)s->old));
		json_line(o->fp, j);
	} else {
		fprintf(o->fp,
		    "  %llu disk error line%s on %zu device%s (%llu seen in "
		    "two "
		    "sources, %llu reported before)\n",
		    (unsigned long long)s->events, s->events == 1 ? "" : "s",
		    s->ndev, s->ndev == 1 ? "" : "s",
		    (unsigned long long)s->dups, (unsigned long long)s->old);
	}
}

/* The df view: every filesystem the mount table shows, as df would. */
void
disk_show_usage_table(const struct out *o, const struct snap *s)
{
	static const char *const hdr[] = {"FILESYSTEM", "MOUNT", "TYPE", "SIZE",
	    "USED", "AVAIL", "USE%", "IUSE%", "RO"};
	struct table t;

	table_init(&t, 9, hdr, "lllrrrrrl");
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *m = &s->mounts.m[i];
		char sz[32] = "-", us[32] = "-", av[32] = "-", p[16] = "-",
		     ip[16] = "-";
		const char *cells[9];

		if (!m->shown)
			continue;
		if (m->have_usage) {
			out_size(
			    o, sz, sizeof(sz), (double)m->u.size_kb * 1024);
			out_size(
			    o, us, sizeof(us), (double)m->u.used_kb * 1024);
			out_size(
			    o, av, sizeof(av), (double)m->u.avail_kb * 1024);
			if (m->u.used_pct == m->u.used_pct)
				snprintf(p, sizeof(p), "%.1f", m->u.used_pct);
			if (m->u.inodes_pct == m->u.inodes_pct)
				snprintf(
				    ip, sizeof(ip), "%.1f", m->u.inodes_pct);
		}
		cells[0] = m->source;
		cells[1] = m->mnt;
		cells[2] = m->fstype;
		cells[3] = sz;
		cells[4] = us;
		cells[5] = av;
		cells[6] = p;
		cells[7] = ip;
		cells[8] = m->readonly ? "ro" : "rw";
		table_row(&t, cells);
	}
	table_print(&t, o->fp, o->color);
	table_release(&t);
}

void
disk_show_usage_json(FILE *fp, const struct snap *s)
{
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *m = &s->mounts.m[i];
		json_t *o;

		if (!m->shown)
			continue;
		o = json_object();
		jset(o, "type", json_string("filesystem"));
		jset(o, "source", jstr(m->source));
		jset(o, "mount", jstr(m->mnt));
		jset(o, "fstype", jstr(m->fstype));
		jset(o, "options", jstr(m->opts));
		jset(o, "readonly", json_boolean(m->readonly));
		if (m->have_usage) {
			jset(o, "size_bytes",
			    json_integer((json_int_t)m->u.size_kb * 1024));
			jset(o, "used_bytes",
			    json_integer((json_int_t)m->u.used_kb * 1024));
			jset(o, "available_bytes",
			    json_integer((json_int_t)m->u.avail_kb * 1024));
			jset(o, "used_pct", jreal_or_null(m->u.used_pct));
			jset(
			    o, "inodes", json_integer((json_int_t)m->u.inodes));
			jset(o, "inodes_used",
			    json_integer((json_int_t)m->u.inodes_used));
			jset(o, "inodes_free",
			    json_integer((json_int_t)m->u.inodes_free));
			jset(o, "inodes_pct", jreal_or_null(m->u.inodes_pct));
		}
		json_line(fp, o);
	}
}

/* The iostat -dx view: whole disks that did any I/O. */
void
disk_show_io(const struct out *o, const struct snap *s)
{
	static const char *const hdr[] = {"DEVICE", "r/s", "w/s", "rkB/s",
	    "wkB/s", "rrqm/s", "wrqm/s", "r_await", "w_await", "aqu-sz",
	    "%util"};
	struct table t;

	table_init(&t, 11, hdr, "lrrrrrrrrrr");
	for (size_t i = 0; i < s->disk1.n; i++) {
		const struct disk_stat *d = &s->disk1.d[i];
		struct disk_rates r;
		double v[10];
		char cell[10][32];
		const char *cells[11];

		if (d->whole == 0 ||
		    d->f[DS_RD_IOS] + d->f[DS_WR_IOS] + d->f[DS_DC_IOS] == 0 ||
		    snap_disk(s, i, &r) == -1)
			continue;
		if (o->mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("disk.io"));
			jset(j, "device", jstr(d->name));
			jset(j, "interval_seconds", json_real(s->interval));
			jset(j, "reads_per_second", json_real(r.r_s));
			jset(j, "writes_per_second", json_real(r.w_s));
			jset(j, "read_bytes_per_second",
			    json_real(r.rkb_s * 1024));
			jset(j, "write_bytes_per_second",
			    json_real(r.wkb_s * 1024));
			jset(j, "read_merges_per_second", json_real(r.rrqm_s));
			jset(j, "write_merges_per_second", json_real(r.wrqm_s));
			jset(j, "read_await_seconds",
			    json_real(r.r_await / 1000));
			jset(j, "write_await_seconds",
			    json_real(r.w_await / 1000));
			jset(j, "await_seconds", json_real(r.await / 1000));
			jset(j, "queue_length", json_real(r.aqu_sz));
			jset(j, "util_pct", json_real(r.util));
			json_line(o->fp, j);
			continue;
		}
		v[0] = r.r_s;
		v[1] = r.w_s;
		v[2] = r.rkb_s;
		v[3] = r.wkb_s;
		v[4] = r.rrqm_s;
		v[5] = r.wrqm_s;
		v[6] = r.r_await;
		v[7] = r.w_await;
		v[8] = r.aqu_sz;
		v[9] = r.util;
		cells[0] = d->name;
		for (int k = 0; k < 10; k++) {
			snprintf(cell[k], sizeof(cell[k]), "%.2f", v[k]);
			cells[k + 1] = cell[k];
		}
		table_row(&t, cells);
	}
	if (o->mode != OUT_JSON)
		table_print(&t, o->fp, o->color);
	table_release(&t);
}

/* A SMART figure as a cell: "-" when the disk did not give it. */
static void
fig_cell(char *dst, size_t dstsz, int64_t v)
{
	if (v == DISK_SMART_ABSENT)
		snprintf(dst, dstsz, "-");
	else
		snprintf(dst, dstsz, "%lld", (long long)v);
}

static json_t *
fig_json(int64_t v)
{
	return v == DISK_SMART_ABSENT ? json_null()
	                              : json_integer((json_int_t)v);
}

/* The md arrays: one row (or JSON object) each with its verdict. */
void
disk_show_raid(const struct out *o, const struct disk_mdlist *l, time_t now)
{
	static const char *const hdr[] = {
	    "ARRAY", "LEVEL", "STATE", "DISKS", "MEMBERS", "SYNC", "VERDICT"};
	struct table t;

	table_init(&t, 7, hdr, "lllllll");
	for (size_t i = 0; i < l->n; i++) {
		const struct disk_md *a = &l->md[i];
		char why[512], prog[160], disks[96] = "-", members[512];
		enum sev s = disk_md_verdict(a, now, why, sizeof(why));
		const char *cells[7];

		disk_md_progress(a, now, prog, sizeof(prog));
		disk_md_members(a, 1, members, sizeof(members));
		if (a->raid_disks >= 0 && a->in_sync >= 0)
			snprintf(disks, sizeof(disks), "%d/%d [%s]", a->in_sync,
			    a->raid_disks, a->map);
		else if (a->raid_disks >= 0 && a->degraded >= 0)
			snprintf(disks, sizeof(disks), "%d/%d",
			    a->raid_disks - a->degraded, a->raid_disks);
		if (o->mode == OUT_JSON) {
			json_t *j = json_object(), *arr = json_array();

			for (size_t k = 0; k < a->nm; k++) {
				json_t *m = json_object();

				jset(m, "name", jstr(a->m[k].name));
				jset(m, "disk", jstr(a->m[k].disk));
				jset(m, "state", jstr(a->m[k].state));
				jset(m, "faulty", json_boolean(a->m[k].faulty));
				jset(m, "spare", json_boolean(a->m[k].spare));
				json_array_append_new(arr, m);
			}
			jset(j, "type", json_string("raid"));
			jset(j, "name", jstr(a->name));
			jset(j, "level", jstr(a->level));
			jset(j, "state", jstr(a->state));
			jset(j, "raid_disks", json_integer(a->raid_disks));
			jset(j, "in_sync", json_integer(a->in_sync));
			jset(j, "degraded", json_integer(a->degraded));
			jset(j, "action", jstr(a->action));
			jset(j, "progress_pct",
			    a->progress >= 0 ? json_real(a->progress)
			                     : json_null());
			jset(j, "finish_seconds",
			    a->finish_min >= 0 ? json_real(a->finish_min * 60)
			                       : json_null());
			jset(j, "mismatch_count",
			    a->mismatch >= 0 ? json_integer(a->mismatch)
			                     : json_null());
			jset(j, "members", arr);
			jset(j, "verdict", json_string(sev_name(s)));
			jset(j, "why", jstr(why));
			json_line(o->fp, j);
			continue;
		}
		cells[0] = a->name;
		cells[1] = a->level[0] ? a->level : "-";
		cells[2] = a->state[0] ? a->state : "-";
		cells[3] = disks;
		cells[4] = members;
		cells[5] = a->action[0] ? prog
		    : a->pending[0]     ? a->pending
		                        : "idle";
		cells[6] = sev_name(s);
		table_row(&t, cells);
	}
	if (o->mode != OUT_JSON)
		table_print(&t, o->fp, o->color);
	table_release(&t);
}

static const char *
smart_word(const struct disk_health *h)
{
	if (!h->smart_asked)
		return "not read";
	switch (h->smart.status) {
	case DISK_SMART_OK:
		return h->smart.passed == 0 ? "FAILED"
		    : h->smart.passed == 1  ? "PASSED"
		                            : "read";
	case DISK_SMART_NONE:
		return "no SMART";
	case DISK_SMART_STANDBY:
		return "asleep";
	default:
		return "cannot read";
	}
}

/* One row (or JSON object) per disk: SMART, RAID, kernel log, verdict. */
void
disk_show_health(const struct out *o, const struct disk_healthlist *hl)
{
	static const char *const hdr[] = {"DISK", "MODEL", "SERIAL", "SMART",
	    "REALLOC", "PENDING", "MEDIA", "TEMP", "HOURS", "RAID", "KLOG",
	    "VERDICT", "ADVICE"};
	struct table t;

	if (hl->smartctl == NULL && !hl->skipped && o->mode != OUT_JSON)
		fprintf(o->fp,
		    "smartctl not installed: SMART not read "
		    "(Debian package smartmontools)\n");
	table_init(&t, 13, hdr, "llllrrrrrlrll");
	for (size_t i = 0; i < hl->n; i++) {
		const struct disk_health *h = &hl->d[i];
		const struct disk_smart *s = &h->smart;
		char rl[24], pe[24], me[24], te[24], ho[24], kl[24], raid[80];
		const char *cells[13];

		snprintf(raid, sizeof(raid), "%s%s%s%s", h->md,
		    h->md[0] ? "/" : "-", h->md_member,
		    h->md_faulty      ? " failed"
		        : h->md_alone ? " alone"
		                      : "");
		if (o->mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("disk.health"));
			jset(j, "device", jstr(h->name));
			jset(j, "by_id", jstr(h->by_id));
			jset(j, "model", jstr(h->model));
			jset(j, "serial", jstr(h->serial));
			jset(j, "smart", json_string(smart_word(h)));
			if (h->smart_asked && s->status != DISK_SMART_OK)
				jset(j, "smart_message",
				    jstr(h->smart_err[0] ? h->smart_err
				                         : s->message));
			jset(j, "protocol", jstr(s->protocol));
			jset(j, "reallocated", fig_json(s->realloc));
			jset(j, "pending", fig_json(s->pending));
			jset(j, "offline_uncorrectable",
			    fig_json(s->offline_unc));
			jset(j, "crc_errors", fig_json(s->crc));
			jset(j, "critical_warning",
			    fig_json(s->critical_warning));
			jset(j, "media_errors", fig_json(s->media_errors));
			jset(j, "available_spare_pct", fig_json(s->spare));
			jset(j, "used_pct", fig_json(s->pct_used));
			jset(j, "temperature_celsius", fig_json(s->temp));
			jset(j, "power_on_hours", fig_json(s->power_on_hours));
			jset(j, "raid", h->md[0] ? jstr(h->md) : json_null());
			jset(j, "raid_member", jstr(h->md_member));
			jset(j, "raid_failed", json_boolean(h->md_faulty));
			jset(j, "raid_alone", json_boolean(h->md_alone));
			jset(j, "kernel_log_errors",
			    json_integer((json_int_t)h->klog_errors));
			jset(j, "verdict", json_string(sev_name(h->sev)));
			jset(j, "why", jstr(h->smart_why));
			jset(j, "advice", jstr(h->advice));
			json_line(o->fp, j);
			continue;
		}
		fig_cell(rl, sizeof(rl), s->realloc);
		fig_cell(pe, sizeof(pe), s->pending);
		fig_cell(me, sizeof(me), s->media_errors);
		fig_cell(te, sizeof(te), s->temp);
		fig_cell(ho, sizeof(ho), s->power_on_hours);
		snprintf(
		    kl, sizeof(kl), "%llu", (unsigned long long)h->klog_errors);
		cells[0] = h->name;
		cells[1] = h->model[0] ? h->model : "-";
		cells[2] = h->serial[0] ? h->serial : "-";
		cells[3] = smart_word(h);
		cells[4] = rl;
		cells[5] = pe;
		cells[6] = me;
		cells[7] = te;
		cells[8] = ho;
		cells[9] = raid;
		cells[10] = kl;
		cells[11] = sev_name(h->sev);
		cells[12] = h->advice[0] ? h->advice : "-";
		table_row(&t, cells);
	}
	if (o->mode != OUT_JSON)
		table_print(&t, o->fp, o->color);
	table_release(&t);
}
