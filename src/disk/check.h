/*
 * check.h - the disk part of "sakimori check": on every run a usage sample
 * of each filesystem goes into the state database and the trend gives
 * "filesystem X full in N days" (check fs-full-forecast); with daily (a
 * once-a-day run from cron) also the kernel-log disk errors
 * not reported by the previous daily run (check disk-errors) and each
 * mounted filesystem's recorded error state (check fs-errors).
 */
#ifndef DISK_CHECK_H
#define DISK_CHECK_H

#include <time.h>

struct conf;
struct err;
struct mounts;
struct report;

/*
 * Records a usage sample of each filesystem of ms (the snapshot's mount
 * table, with usage) in the database in state_dir and adds a
 * fs-full-forecast finding for each whose trend reaches full within the
 * thresholds.  0, or -1 with err.
 */
int disk_check_forecast(const struct conf *c, const char *state_dir,
    const struct mounts *ms, time_t now, struct report *r, struct err *err);

/*
 * The kernel-log disk errors under root that the previous call did not
 * report (positions kept in state_dir): a disk-errors finding per disk;
 * a source that cannot be read adds an UNKNOWN finding.  0, or -1 with err.
 */
int disk_check_klog(const char *root, const char *state_dir, time_t now,
    struct report *r, struct err *err);

/* A fs-errors finding per mounted filesystem that needs an offline fsck. */
void disk_check_fsstate(
    const char *root, const struct mounts *ms, time_t now, struct report *r);

/*
 * Days until a filesystem is full from samples (t seconds, used kB) by a
 * least-squares line; avail_kb is what is free now.  Returns the days, or
 * -1 when the trend does not rise or there are fewer than two samples
 * over less than min_span seconds.  *rate_kb_day gets the slope.
 */
double disk_forecast_days(const double *t, const double *used, int n,
    double avail_kb, double min_span, double *rate_kb_day);

#endif
