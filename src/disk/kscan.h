/*
 * kscan.h - the kernel-log disk-error scan: feed it lines from every
 * source (ksrc.h), it classifies them (klog.h), resolves each device to
 * its disk, model and mount points through /sys and /proc/self/mounts
 * (under a root prefix), and keeps per disk the number of errors by class
 * and the first and last time seen.  disk_kscan_report turns that into
 * CRITICAL findings with the advice to back up and replace the disk.
 *
 * The same error often reaches several sources (the ring buffer, the
 * journal, kern.log): a source read first "covers" the time from its
 * first record on, and lines of later sources inside that time are
 * counted as duplicates, not errors.  Memory is bounded: at most
 * DISK_KSCAN_MAXDEV disks are kept, more are counted in dropped.
 */
#ifndef DISK_KSCAN_H
#define DISK_KSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "disk/klog.h"

struct report;

#define DISK_KSCAN_MAXDEV 256

struct disk_kdev {
	char name[64];    /* the disk ("sda"), or the name as logged */
	char names[128];  /* names seen in the log: "sda1 ata1.00" */
	char model[96];   /* from /sys, "" when unknown */
	char mounts[256]; /* mount points on the disk, space-separated */
	uint64_t count;
	uint64_t by_class[DK_NCLASS];
	time_t first, last; /* wall time, 0 when no line said */
	double first_up,
	    last_up;        /* seconds since boot for lines without date */
	uint64_t sector[4]; /* first sectors reported */
	unsigned nsector;
	char example[256]; /* the last message (raw; escape to print) */
	char pattern[40];  /* its pattern id */
};

struct disk_kscan {
	struct disk_klog *k;
	const char *root; /* prefix for /sys and /proc */
	time_t now;
	time_t since;      /* ignore dated lines at or before this (0: none) */
	time_t cover_from; /* dated lines from here on are duplicates */
	int covering;      /* cover_from applies to the current source */
	struct disk_kdev dev[DISK_KSCAN_MAXDEV];
	size_t ndev;
	uint64_t dropped; /* errors of disks past the maximum */
	uint64_t events;  /* disk-error lines counted */
	uint64_t dups;    /* lines skipped as already seen in another source */
	uint64_t old;     /* lines skipped as at or before since */
	time_t newest;    /* newest dated line seen (any line) */
};

/* k is the caller's (compiled patterns); root may be NULL. */
void disk_kscan_init(
    struct disk_kscan *s, struct disk_klog *k, const char *root, time_t now);

/*
 * One line (a disk_kline_fn: ctx is the struct disk_kscan).  when is the
 * wall time the source knows (kmsg, journal), or 0 to take it from the
 * line's own prefix.
 */
void disk_kscan_line(
    void *ctx, const char *line, size_t len, uint64_t lineno, time_t when);

/*
 * From now on, dated lines at or after t were already read from a
 * better source (call between sources; t 0 turns it off).
 */
void disk_kscan_cover(struct disk_kscan *s, time_t t);

/*
 * Resolves a device name as the kernel logs it ("sda1", "ata1.00",
 * "nvme0", "dm-0") to its disk under root's /sys: "sda", or the name
 * itself when /sys does not say.
 */
void disk_kscan_resolve(
    const char *root, const char *name, char *disk, size_t disksz);

/* Reads a one-line attribute (path under root), trimmed; 0 or -1. */
int disk_sys_attr(const char *root, const char *path, char *dst, size_t dstsz);

/* A disk's model ("vendor model" unless the vendor is ATA; a
 * device-mapper name), "" when /sys under root does not say. */
void disk_model(const char *root, const char *disk, char *dst, size_t dstsz);

/* Adds one CRITICAL finding per disk (check "disk-errors") to r. */
void disk_kscan_report(const struct disk_kscan *s, struct report *r);

#endif
