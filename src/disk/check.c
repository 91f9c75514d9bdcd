/*
 * check.c - the disk part of "sakimori check" (see check.h).
 */
#include "disk/check.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/finding.h"
#include "base/linfit.h"
#include "base/size.h"
#include "base/timeutil.h"
#include "collect/mounts.h"
#include "conf/conf.h"
#include "disk/fsstate.h"
#include "disk/klog.h"
#include "disk/kscan.h"
#include "disk/ksys.h"
#include "store/store.h"

#define MAX_SAMPLES 2000 /* per filesystem */

static const char *const migrations[] = {
    "CREATE TABLE disk_fs_sample (mnt TEXT NOT NULL, t INTEGER NOT NULL, "
    "used_kb INTEGER NOT NULL, avail_kb INTEGER NOT NULL, "
    "size_kb INTEGER NOT NULL);"
    "CREATE INDEX disk_fs_sample_mnt ON disk_fs_sample (mnt, t);",
};

double
disk_forecast_days(const double *t, const double *used, int n, double avail_kb,
    double min_span, double *rate_kb_day)
{
	struct linfit f;
	double slope;

	*rate_kb_day = 0;
	if (n < 2 || t[n - 1] - t[0] < min_span || t[n - 1] - t[0] <= 0)
		return -1;
	if (linfit(t, used, (size_t)n, &f) == -1)
		return -1;
	slope = f.slope * 86400.0; /* kB per day */
	*rate_kb_day = slope;
	if (!(slope > 0))
		return -1;
	return avail_kb / slope;
}

/* Records the samples and forecasts each filesystem. */
static int
forecast(const struct conf *c, struct store *st, const struct mounts *ms,
    time_t now, struct report *r, struct err *err)
{
	const struct conf_node *blk = conf_check(c, "fs-full-forecast", NULL);
	double window = conf_num(blk, "window", 30 * 86400.0);
	double min_span = conf_num(blk, "min-span", 6 * 3600.0);
	sqlite3_stmt *ins, *sel, *del;
	double *t, *u;
	int rc = -1;

	if (store_migrate(st, "disk.forecast", migrations, 1, err) == -1)
		return -1;
	ins = store_prepare(st,
	    "INSERT INTO disk_fs_sample (mnt, t, used_kb, avail_kb, size_kb) "
	    "VALUES (?, ?, ?, ?, ?)",
	    err);
	sel = store_prepare(st,
	    "SELECT t, used_kb FROM disk_fs_sample WHERE mnt = ? AND t >= ? "
	    "ORDER BY t DESC LIMIT ?",
	    err);
	del = store_prepare(st,
	    "DELETE FROM disk_fs_sample WHERE t < ? OR (mnt = ? AND t IN "
	    "(SELECT t FROM disk_fs_sample WHERE mnt = ? ORDER BY t DESC "
	    "LIMIT -1 OFFSET ?))",
	    err);
	t = malloc(MAX_SAMPLES * sizeof(*t));
	u = malloc(MAX_SAMPLES * sizeof(*u));
	if (ins == NULL || sel == NULL || del == NULL || t == NULL ||
	    u == NULL) {
		if (err->msg[0] == '\0')
			err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (store_begin(st, err) == -1)
		goto fail;
	for (size_t i = 0; i < ms->n; i++) {
		const struct mount_entry *m = &ms->m[i];
		struct threshold th;
		double days, rate;
		int n = 0;

		if (!m->shown || m->pseudo || !m->have_usage ||
		    m->u.size_kb == 0)
			continue;
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, m->mnt, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, (sqlite3_int64)now);
		sqlite3_bind_int64(ins, 3, (sqlite3_int64)m->u.used_kb);
		sqlite3_bind_int64(ins, 4, (sqlite3_int64)m->u.avail_kb);
		sqlite3_bind_int64(ins, 5, (sqlite3_int64)m->u.size_kb);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			err_set(err, EIO, "cannot record a usage sample: %s",
			    sqlite3_errmsg(st->db));
			goto fail;
		}
		sqlite3_reset(del);
		sqlite3_bind_int64(del, 1, (sqlite3_int64)(now - window));
		sqlite3_bind_text(del, 2, m->mnt, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(del, 3, m->mnt, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(del, 4, MAX_SAMPLES);
		sqlite3_step(del);

		conf_threshold(c, "fs-full-forecast", m->mnt, &th);
		if (!th.enabled || m->u.avail_kb == 0)
			continue;
		sqlite3_reset(sel);
		sqlite3_bind_text(sel, 1, m->mnt, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(sel, 2, (sqlite3_int64)(now - window));
		sqlite3_bind_int(sel, 3, MAX_SAMPLES);
		while (n < MAX_SAMPLES && sqlite3_step(sel) == SQLITE_ROW) {
			/* newest first: fill from the end */
			t[MAX_SAMPLES - 1 - n] =
			    (double)sqlite3_column_int64(sel, 0);
			u[MAX_SAMPLES - 1 - n] =
			    (double)sqlite3_column_int64(sel, 1);
			n++;
		}
		days =
		    disk_forecast_days(t + MAX_SAMPLES - n, u + MAX_SAMPLES - n,
		        n, (double)m->u.avail_kb, min_span, &rate);
		if (days < 0)
			continue;
		{
			enum sev sev = SEV_OK;
			struct finding *f;
			char rs[32], av[32], in[32], over[32];

			if (!isnan(th.crit) && days <= th.crit)
				sev = SEV_CRITICAL;
			else if (!isnan(th.warn) && days <= th.warn)
				sev = SEV_WARNING;
			if (sev == SEV_OK)
				continue;
			size_format(rs, sizeof(rs), rate * 1024);
			size_format(
			    av, sizeof(av), (double)m->u.avail_kb * 1024);
			dur_words(in, sizeof(in), days * 86400);
			dur_words(over, sizeof(over),
			    t[MAX_SAMPLES - 1] - t[MAX_SAMPLES - n]);
			f = report_add(r, sev, "fs-full-forecast", m->mnt,
			    "filesystem %s full in %s at the current rate (+%s "
			    "a day, %s left; %d samples over %s)",
			    m->mnt, in, rs, av, n, over);
			if (f == NULL)
				continue;
			finding_ev(f, "days", "%.2f", days);
			finding_ev(
			    f, "rate_bytes_per_day", "%.0f", rate * 1024);
			finding_ev(f, "available_bytes", "%llu",
			    (unsigned long long)m->u.avail_kb * 1024);
			finding_ev(f, "samples", "%d", n);
			finding_ev(f, "device", "%s", m->source);
		}
	}
	if (store_commit(st, err) == 0)
		rc = 0;
fail:
	if (rc == -1)
		store_rollback(st);
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	free(t);
	free(u);
	return rc;
}

int
disk_check_forecast(const struct conf *c, const char *state_dir,
    const struct mounts *ms, time_t now, struct report *r, struct err *err)
{
	struct store st;
	int rc;

	if (store_open(&st, state_dir, err) == -1)
		return -1;
	rc = forecast(c, &st, ms, now, r, err);
	store_close(&st);
	return rc;
}

void
disk_check_fsstate(
    const char *root, const struct mounts *ms, time_t now, struct report *r)
{
	struct disk_fslist fsl = {0};

	disk_fs_mounted(root, ms, &fsl);
	disk_fs_report(&fsl, now, r);
	disk_fslist_release(&fsl);
}

int
disk_check_klog(const char *root, const char *state_dir, time_t now,
    struct report *r, struct err *err)
{
	struct disk_kscan *scan = malloc(sizeof(*scan));
	struct disk_ksys *run = calloc(1, sizeof(*run));
	struct disk_klog *k = NULL;
	struct store st;
	int rc = -1;

	if (scan == NULL || run == NULL) {
		err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if ((k = disk_klog_new(err)) == NULL)
		goto out;
	if (store_open(&st, state_dir, err) == -1)
		goto out;
	disk_kscan_init(scan, k, root, now);
	rc = disk_ksys_scan(scan, &st, run, err);
	store_close(&st);
	disk_kscan_report(scan, r);
	for (size_t i = 0; i < run->nsrc; i++)
		if (run->src[i].ok == -1)
			report_add(r, SEV_UNKNOWN, "disk-errors",
			    run->src[i].path[0] ? run->src[i].path
			                        : run->src[i].kind,
			    "%s", run->src[i].error);
out:
	disk_klog_free(k);
	free(scan);
	free(run);
	return rc;
}
