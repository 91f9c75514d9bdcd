/*
 * diskstats.h - block-device I/O counters from /proc/diskstats, and the
 * rates iostat -dx shows, from two samples (or since boot).
 */
#ifndef COLLECT_DISKSTATS_H
#define COLLECT_DISKSTATS_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define DISKS_MAX 4096 /* devices kept; more are counted in skipped */

/* The counters after "major minor name", in the kernel's order. */
enum disk_field {
	DS_RD_IOS,
	DS_RD_MERGES,
	DS_RD_SECTORS,
	DS_RD_TICKS, /* ms */
	DS_WR_IOS,
	DS_WR_MERGES,
	DS_WR_SECTORS,
	DS_WR_TICKS,
	DS_IN_FLIGHT,
	DS_IO_TICKS,      /* ms the device was busy */
	DS_TIME_IN_QUEUE, /* ms, weighted */
	DS_DC_IOS,        /* Linux 4.18: discards */
	DS_DC_MERGES,
	DS_DC_SECTORS,
	DS_DC_TICKS,
	DS_FL_IOS, /* Linux 5.5: flushes */
	DS_FL_TICKS,
	DS_NFIELDS,
};

struct disk_stat {
	unsigned major, minor;
	char name[64];
	unsigned nfields; /* 4 (partitions of 2.6 kernels), 11, 15 or 17 */
	uint64_t f[DS_NFIELDS];
	int whole; /* 1 a whole disk, 0 a partition, -1 unknown (see diskstats_read) */
};

struct diskstats {
	struct disk_stat *d;
	size_t n, cap;
	unsigned skipped;   /* malformed lines, devices past DISKS_MAX */
	unsigned first_bad; /* line number of the first, 0 if none */
};

/* iostat -dx figures for one device over an interval. */
struct disk_rates {
	double r_s, w_s;         /* completed reads, writes per second */
	double rkb_s, wkb_s;     /* kB read, written per second */
	double rrqm_s, wrqm_s;   /* merged requests per second */
	double r_await, w_await; /* ms per read, per write (0 without I/O) */
	double await;            /* ms per request, reads and writes */
	double aqu_sz;           /* average queue size */
	double util;             /* % of the time the device was busy */
};

/*
 * Parses the text of /proc/diskstats into out (released by the caller
 * with diskstats_release in every case).  Lines with fewer than 11
 * counters (old partition lines) keep what they have.  0, or -1 on ENOMEM.
 */
int diskstats_parse(
    const char *s, size_t n, struct diskstats *out, struct err *err);
/*
 * Reads ROOT/proc/diskstats and marks whole disks: a device is whole when
 * ROOT/sys/block/NAME exists ('/' in NAME written '!'); when
 * ROOT/sys/block does not exist, whole is -1 for every device.
 */
/* Whether iostat shows a device: whole disks that did some I/O (all:
 * every device). */
int disk_stat_shown(const struct disk_stat *d, int all);

int diskstats_read(const char *root, struct diskstats *out, struct err *err);
void diskstats_release(struct diskstats *ds);
/* The device named name in ds, or NULL. */
const struct disk_stat *diskstats_find(
    const struct diskstats *ds, const char *name);
/*
 * Rates between before and now over secs seconds; before NULL means since
 * boot (secs is then the uptime).  Counters that went backwards count as 0.
 */
void disk_rates(const struct disk_stat *before, const struct disk_stat *now,
    double secs, struct disk_rates *out);

#endif
