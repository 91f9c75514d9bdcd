/*
 * health.c - one verdict per disk from SMART, the md arrays and the
 * kernel log, and the checks "raid" and "smart" (see health.h).
 */
#include "disk/health.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/strbuf.h"
#include "conf/conf.h"
#include "disk/kscan.h"
#include "disk/md.h"
#include "store/store.h"

static const char *const migrations[] = {
    "CREATE TABLE disk_smart (id TEXT PRIMARY KEY, dev TEXT NOT NULL, "
    "realloc INTEGER NOT NULL, media_errors INTEGER NOT NULL, "
    "t INTEGER NOT NULL);",
};

/* Kinds of block devices that are not disks of their own. */
static int
not_a_disk(const char *name)
{
	static const char *const skip[] = {
	    "loop", "ram", "zram", "md", "dm-", "sr", "fd", "nbd", NULL};

	for (int i = 0; skip[i] != NULL; i++)
		if (strncmp(name, skip[i], strlen(skip[i])) == 0)
			return 1;
	return 0;
}

/* The best /dev/disk/by-id name of disk: ata-, nvme-, scsi-, virtio-
 * before the wwn-/eui. ones. */
static void
by_id_name(const char *root, const char *disk, char *dst, size_t dstsz)
{
	char dir[PATH_MAX], p[PATH_MAX], link[PATH_MAX];
	int best = 100;
	struct dirent *de;
	DIR *d;

	dst[0] = '\0';
	if (path_join(dir, sizeof(dir), root, "/dev/disk/by-id") == -1 ||
	    (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *base;
		ssize_t n;
		int rank;

		if (de->d_name[0] == '.' ||
		    path_join(p, sizeof(p), dir, de->d_name) == -1 ||
		    (n = readlink(p, link, sizeof(link) - 1)) < 0)
			continue;
		link[n] = '\0';
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		if (strcmp(base, disk) != 0)
			continue;
		rank = strncmp(de->d_name, "wwn-", 4) == 0 ||
		        strncmp(de->d_name, "nvme-eui.", 9) == 0 ||
		        strncmp(de->d_name, "nvme-nvme.", 10) == 0
		    ? 2
		    : 1;
		if (rank < best ||
		    (rank == best && strcmp(de->d_name, dst) < 0)) {
			best = rank;
			str_copy(dst, dstsz, de->d_name);
		}
	}
	closedir(d);
}

void
disk_ident(const char *root, const char *disk, char *model, size_t modelsz,
    char *serial, size_t serialsz, char *by_id, size_t by_idsz)
{
	char p[PATH_MAX];

	disk_model(root, disk, model, modelsz);
	snprintf(p, sizeof(p), "/sys/block/%s/device/serial", disk);
	if (disk_sys_attr(root, p, serial, serialsz) == -1)
		serial[0] = '\0';
	by_id_name(root, disk, by_id, by_idsz);
}

void
disk_health_list(const char *root, struct disk_healthlist *hl)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	memset(hl, 0, sizeof(*hl));
	if (path_join(dir, sizeof(dir), root, "/sys/block") == -1 ||
	    (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char p[PATH_MAX], full[PATH_MAX];
		struct disk_health *h;

		if (de->d_name[0] == '.' || not_a_disk(de->d_name) ||
		    strlen(de->d_name) >= sizeof(hl->d[0].name) ||
		    str_printf(p, sizeof(p), "/sys/block/%s/device",
		        de->d_name) == -1 ||
		    path_join(full, sizeof(full), root, p) == -1 ||
		    access(full, F_OK) != 0)
			continue;
		if (hl->n >= DISK_HEALTH_MAX) {
			hl->dropped++;
			continue;
		}
		h = &hl->d[hl->n++];
		memset(h, 0, sizeof(*h));
		str_copy(h->name, sizeof(h->name), de->d_name);
		disk_ident(root, h->name, h->model, sizeof(h->model), h->serial,
		    sizeof(h->serial), h->by_id, sizeof(h->by_id));
	}
	closedir(d);
	/* a stable order: by name */
	for (size_t i = 1; i < hl->n; i++)
		for (size_t k = i;
		     k > 0 && strcmp(hl->d[k - 1].name, hl->d[k].name) > 0;
		     k--) {
			struct disk_health t = hl->d[k];

			hl->d[k] = hl->d[k - 1];
			hl->d[k - 1] = t;
		}
}

/* A figure in the database: -1 for one the disk did not give. */
static sqlite3_int64
db_fig(int64_t v)
{
	return v == DISK_SMART_ABSENT || v < 0 ? -1 : (sqlite3_int64)v;
}

static int64_t
fig_db(sqlite3_int64 v)
{
	return v < 0 ? DISK_SMART_ABSENT : (int64_t)v;
}

int
disk_smart_state(struct store *st, const char *id, const char *dev,
    const struct disk_smart *s, time_t now, struct disk_smart_prev *prev,
    struct err *err)
{
	sqlite3_stmt *sel = NULL, *put = NULL;
	int rc = 1;

	if (store_migrate(st, "disk.smart", migrations, 1, err) == -1)
		return -1;
	sel = store_prepare(st,
	    "SELECT realloc, media_errors, t FROM disk_smart WHERE id = ?",
	    err);
	put = store_prepare(st,
	    "INSERT OR REPLACE INTO disk_smart (id, dev, realloc, "
	    "media_errors, t) VALUES (?, ?, ?, ?, ?)",
	    err);
	if (sel == NULL || put == NULL) {
		rc = -1;
		goto out;
	}
	sqlite3_bind_text(sel, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(sel) == SQLITE_ROW) {
		prev->realloc = fig_db(sqlite3_column_int64(sel, 0));
		prev->media_errors = fig_db(sqlite3_column_int64(sel, 1));
		prev->t = (int64_t)sqlite3_column_int64(sel, 2);
		rc = 0;
	}
	sqlite3_bind_text(put, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(put, 2, dev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(put, 3, db_fig(s->realloc));
	sqlite3_bind_int64(put, 4, db_fig(s->media_errors));
	sqlite3_bind_int64(put, 5, (sqlite3_int64)now);
	if (sqlite3_step(put) != SQLITE_DONE)
		rc = store_err(st, err, "cannot record the SMART figures");
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(put);
	return rc;
}

void
disk_health_smart(
    struct disk_healthlist *hl, double timeout, struct store *st, time_t now)
{
	struct strbuf out = STRBUF_INIT(1u << 20);

	for (size_t i = 0; i < hl->n && hl->smartctl != NULL; i++) {
		struct disk_health *h = &hl->d[i];
		char dev[PATH_MAX], id[160];
		struct err err = {0};
		int xs = 0;

		h->smart_asked = 1;
		str_printf(dev, sizeof(dev), "/dev/%s", h->name);
		if (disk_smart_run(
		        hl->smartctl, dev, timeout, &out, &xs, &err) == -1 ||
		    disk_smart_parse(out.p, out.len, &h->smart, &err) == -1) {
			h->smart.status = DISK_SMART_ERROR;
			str_copy(h->smart_err, sizeof(h->smart_err), err.msg);
			continue;
		}
		if (h->smart.serial[0] && h->serial[0] == '\0')
			str_copy(h->serial, sizeof(h->serial), h->smart.serial);
		if (h->smart.model[0] && h->model[0] == '\0')
			str_copy(h->model, sizeof(h->model), h->smart.model);
		if (st == NULL || h->smart.status != DISK_SMART_OK)
			continue;
		/* a disk is known by its serial, wherever it is plugged */
		if (h->smart.serial[0])
			str_printf(
			    id, sizeof(id), "serial:%s", h->smart.serial);
		else
			str_printf(id, sizeof(id), "dev:%s", h->name);
		h->have_prev = disk_smart_state(st, id, h->name, &h->smart, now,
		                   &h->prev, &err) == 0;
		if (err.msg[0])
			str_copy(h->smart_err, sizeof(h->smart_err), err.msg);
	}
	strbuf_release(&out);
}

void
disk_health_join(struct disk_healthlist *hl, const struct disk_mdlist *ml,
    const struct disk_kscan *ks)
{
	for (size_t i = 0; i < hl->n; i++) {
		struct disk_health *h = &hl->d[i];
		const struct disk_md_member *mem = NULL;
		const struct disk_md *a =
		    ml ? disk_md_of_disk(ml, h->name, &mem) : NULL;
		const char *adv = "";

		h->smart_sev = disk_smart_verdict(&h->smart,
		    h->have_prev ? &h->prev : NULL, h->smart_why,
		    sizeof(h->smart_why));
		h->sev = h->smart_sev;
		if (a != NULL && mem != NULL) {
			str_copy(h->md, sizeof(h->md), a->name);
			str_copy(h->md_member, sizeof(h->md_member), mem->name);
			str_copy(h->md_level, sizeof(h->md_level), a->level);
			h->md_faulty = mem->faulty;
			h->md_alone = disk_md_in_sync(a, mem) &&
			    (a->degraded > 0 ||
			        (a->map[0] && strchr(a->map, '_') != NULL));
		}
		for (size_t k = 0; ks != NULL && k < ks->ndev; k++)
			if (strcmp(ks->dev[k].name, h->name) == 0)
				h->klog_errors += ks->dev[k].count;
		if (h->klog_errors > 0 || h->md_faulty)
			h->sev = SEV_CRITICAL;
		if (h->md_alone && h->sev != SEV_CRITICAL) {
			h->sev = SEV_WARNING;
		}
		if (h->md_alone && h->sev == SEV_CRITICAL)
			adv = "Back up now: this disk holds the only complete "
			      "copy of the array, and it is failing.";
		else if (h->sev == SEV_CRITICAL && h->md_faulty)
			adv = strcmp(h->md_level, "raid1") == 0
			    ? "Replace the disk: the mirror is running on one "
			      "disk."
			    : "Replace the disk: the array runs without it.";
		else if (h->sev == SEV_CRITICAL && h->md[0])
			adv = "Back up now and replace the disk; the array "
			      "keeps the data while you do.";
		else if (h->sev == SEV_CRITICAL)
			adv = "Back up now and replace the disk.";
		else if (h->md_alone)
			adv = strcmp(h->md_level, "raid1") == 0
			    ? "The mirror is running on this disk alone: back "
			      "up now and replace the missing disk."
			    : "The array is degraded: back up now and replace "
			      "the missing disk.";
		else if (h->sev == SEV_WARNING)
			adv = "Back up and plan to replace the disk.";
		str_copy(h->advice, sizeof(h->advice), adv);
	}
}

static void
ident_ev(struct finding *f, const struct disk_health *h)
{
	if (h->by_id[0])
		finding_ev(f, "by_id", "%s", h->by_id);
	if (h->model[0])
		finding_ev(f, "model", "%s", h->model);
	if (h->serial[0])
		finding_ev(f, "serial", "%s", h->serial);
}

static void
fig_ev(struct finding *f, const char *key, int64_t v)
{
	if (v != DISK_SMART_ABSENT)
		finding_ev(f, key, "%lld", (long long)v);
}

void
disk_health_report(const struct disk_healthlist *hl, struct report *r)
{
	if (hl->skipped)
		return;
	if (hl->smartctl == NULL) {
		if (hl->n > 0)
			report_add(r, SEV_UNKNOWN, "smart", "smartctl",
			    "smartctl not installed: SMART of %zu disk%s not "
			    "read (Debian package smartmontools)",
			    hl->n, hl->n == 1 ? "" : "s");
		return;
	}
	for (size_t i = 0; i < hl->n; i++) {
		const struct disk_health *h = &hl->d[i];
		const struct disk_smart *s = &h->smart;
		struct finding *f;
		char label[96];

		if (!h->smart_asked)
			continue;
		if (s->status == DISK_SMART_ERROR) {
			f = report_add(r, SEV_UNKNOWN, "smart", h->name,
			    "%s: SMART not read: %s", h->name,
			    h->smart_err[0] ? h->smart_err : s->message);
			if (f != NULL)
				ident_ev(f, h);
			continue;
		}
		if (s->status != DISK_SMART_OK)
			continue;
		if (s->realloc != DISK_SMART_ABSENT) {
			str_printf(
			    label, sizeof(label), "%s_reallocated", h->name);
			report_perf(r, label, (double)s->realloc, "c", NAN, NAN,
			    0, NAN);
		}
		if (s->media_errors != DISK_SMART_ABSENT) {
			str_printf(
			    label, sizeof(label), "%s_media_errors", h->name);
			report_perf(r, label, (double)s->media_errors, "c", NAN,
			    NAN, 0, NAN);
		}
		if (h->smart_sev == SEV_OK)
			continue;
		f = report_add(r, h->smart_sev, "smart", h->name,
		    "%s%s%s: %s%s%s", h->name, h->model[0] ? " " : "", h->model,
		    h->smart_why, h->md_alone ? " " : "",
		    h->md_alone ? h->advice : "");
		if (f == NULL)
			continue;
		ident_ev(f, h);
		finding_ev(f, "protocol", "%s", s->protocol);
		fig_ev(f, "reallocated", s->realloc);
		fig_ev(f, "pending", s->pending);
		fig_ev(f, "offline_uncorrectable", s->offline_unc);
		fig_ev(f, "crc_errors", s->crc);
		fig_ev(f, "critical_warning", s->critical_warning);
		fig_ev(f, "media_errors", s->media_errors);
		fig_ev(f, "available_spare_pct", s->spare);
		fig_ev(f, "used_pct", s->pct_used);
		fig_ev(f, "temperature_celsius", s->temp);
		fig_ev(f, "power_on_hours", s->power_on_hours);
		if (h->md[0])
			finding_ev(f, "raid", "%s %s%s", h->md, h->md_member,
			    h->md_faulty ? " failed" : "");
		if (h->klog_errors > 0)
			finding_ev(f, "kernel_log_errors", "%llu",
			    (unsigned long long)h->klog_errors);
	}
}

/* Drops the entries of l whose subject block says disable. */
static void
drop_disabled(const struct conf *c, const char *check, struct disk_mdlist *l)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct threshold th;

		conf_threshold(c, check, l->md[i].name, &th);
		if (th.enabled)
			l->md[k++] = l->md[i];
	}
	l->n = k;
}

int
disk_check_raid(const struct conf *c, const char *root, time_t now,
    struct report *r, struct err *err)
{
	struct disk_mdlist *l = malloc(sizeof(*l));

	if (l == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if (disk_md_read(root, l, err) == -1) {
		free(l);
		return -1;
	}
	if (c != NULL)
		drop_disabled(c, "raid", l);
	disk_md_report(l, now, r);
	/* the failed members' disks by name, model and serial */
	for (size_t i = 0; i < r->nf; i++) {
		struct finding *f = &r->f[i];
		const struct disk_md *a = NULL;

		if (strcmp(f->check, "raid") != 0)
			continue;
		for (size_t k = 0; k < l->n; k++)
			if (strcmp(l->md[k].name, f->subject) == 0)
				a = &l->md[k];
		for (size_t k = 0; a != NULL && k < a->nm; k++) {
			char model[96], serial[64], by_id[160];

			if (!a->m[k].faulty)
				continue;
			disk_ident(root, a->m[k].disk, model, sizeof(model),
			    serial, sizeof(serial), by_id, sizeof(by_id));
			finding_ev(f, "failed_disk", "%s%s%s%s%s", a->m[k].disk,
			    model[0] ? " " : "", model,
			    serial[0] ? " serial " : "", serial);
			if (by_id[0])
				finding_ev(f, "failed_by_id", "%s", by_id);
			break;
		}
	}
	free(l);
	return 0;
}

int
disk_check_smart(const struct conf *c, const char *root, const char *state_dir,
    time_t now, struct report *r, struct err *err)
{
	const struct conf_node *blk = conf_check(c, "smart", NULL);
	double timeout = conf_num(blk, "timeout", 30);
	struct disk_healthlist *hl = malloc(sizeof(*hl));
	struct disk_mdlist *ml = malloc(sizeof(*ml));
	struct store st, *stp = NULL;
	int rc = 0;

	if (hl == NULL || ml == NULL) {
		free(hl);
		free(ml);
		return err_set(err, ENOMEM, "out of memory");
	}
	disk_health_list(root, hl);
	{
		size_t k = 0;

		for (size_t i = 0; i < hl->n; i++) {
			struct threshold th;

			conf_threshold(c, "smart", hl->d[i].name, &th);
			if (th.enabled)
				hl->d[k++] = hl->d[i];
		}
		hl->n = k;
	}
	hl->skipped = root != NULL && root[0] != '\0' && strcmp(root, "/") != 0;
	if (!hl->skipped)
		hl->smartctl = disk_smart_find(conf_str(blk, "smartctl", NULL));
	if (hl->smartctl != NULL && hl->n > 0 && state_dir != NULL) {
		if (store_open(&st, state_dir, err) == -1) {
			rc = -1;
			goto out;
		}
		stp = &st;
	}
	disk_health_smart(hl, timeout, stp, now);
	if (stp != NULL)
		store_close(stp);
	if (disk_md_read(root, ml, NULL) == -1)
		ml->n = 0;
	disk_health_join(hl, ml, NULL);
	disk_health_report(hl, r);
out:
	free(hl);
	free(ml);
	return rc;
}
