/*
 * health.h - one verdict per physical disk: its SMART record (smart.h),
 * its place in the md arrays (md.h) and its kernel-log errors (kscan.h)
 * joined by disk name, with the disk's by-id name, model and serial, and
 * the advice that applies (back up now; replace the disk; the mirror is
 * running on one disk).
 *
 * Also the two checks: "raid" (every md array, no state) and "smart"
 * (smartctl on every disk; reallocated sectors and media errors are kept
 * in the state database, module disk.smart, so their growth between two
 * checks is a WARNING).
 */
#ifndef DISK_HEALTH_H
#define DISK_HEALTH_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/finding.h"
#include "disk/smart.h"

struct conf;
struct disk_kscan;
struct disk_mdlist;
struct err;
struct report;
struct store;

#define DISK_HEALTH_MAX 128 /* disks kept */

struct disk_health {
	char name[64];   /* "sda" */
	char by_id[160]; /* "ata-WDC_WD140EDFZ-11A0VA0_9RK1XXXX", or "" */
	char model[96];
	char serial[64];
	/* SMART: asked (smartctl run), read, or the reason it was not */
	int smart_asked;
	struct disk_smart smart;
	char smart_err[256];
	int have_prev;
	struct disk_smart_prev prev;
	enum sev smart_sev;
	char smart_why[512];
	/* md: the array this disk is a member of */
	char md[32];
	char md_member[32];
	char md_level[16];
	int md_faulty; /* this member has failed */
	int md_alone;  /* the array is degraded and this is what is left */
	/* kernel log */
	uint64_t klog_errors;
	/* the verdict and what to do */
	enum sev sev;
	char advice[256];
};

struct disk_healthlist {
	struct disk_health d[DISK_HEALTH_MAX];
	size_t n;
	size_t dropped;
	const char *smartctl; /* the program run, NULL: not installed */
	int skipped;          /* SMART not asked for (a root prefix, asked
	                         not to) */
};

/*
 * Lists the physical disks under root's /sys/block (those with a device:
 * not loop, ram, zram, md, dm; not optical drives) with by-id name, model
 * and serial.
 */
void disk_health_list(const char *root, struct disk_healthlist *hl);

/* The model, serial and by-id name of one disk (each "" when unknown). */
void disk_ident(const char *root, const char *disk, char *model, size_t modelsz,
    char *serial, size_t serialsz, char *by_id, size_t by_idsz);

/*
 * Runs smartctl (hl->smartctl) on each disk of hl with the timeout;
 * with st, reads and updates the last figures of each disk (prev).
 */
void disk_health_smart(
    struct disk_healthlist *hl, double timeout, struct store *st, time_t now);

/*
 * The last figures of disk id in st into prev (0, or 1 when none), and
 * the new ones recorded.  -1 with err on a database error.
 */
int disk_smart_state(struct store *st, const char *id, const char *dev,
    const struct disk_smart *s, time_t now, struct disk_smart_prev *prev,
    struct err *err);

/* Joins arrays (may be NULL) and kernel-log errors (may be NULL) and
 * gives each disk its verdict and advice. */
void disk_health_join(struct disk_healthlist *hl, const struct disk_mdlist *ml,
    const struct disk_kscan *ks);

/* One "smart" finding per disk not OK, or UNKNOWN when it could not be
 * read; the "not installed" UNKNOWN once when hl->smartctl is NULL
 * (nothing when hl->skipped). */
void disk_health_report(const struct disk_healthlist *hl, struct report *r);

/* The check "raid": the arrays under root, but those whose "check raid
 * ARRAY" block says disable (c may be NULL).  0, or -1 with err. */
int disk_check_raid(const struct conf *c, const char *root, time_t now,
    struct report *r, struct err *err);

/*
 * The check "smart": smartctl on every disk but those whose "check smart
 * DISK" block says disable (none under a root prefix
 * other than /: those are not this machine's devices; settings from
 * "check smart": smartctl, timeout), growth kept in state_dir (NULL:
 * none).  0, or -1 with err.
 */
int disk_check_smart(const struct conf *c, const char *root,
    const char *state_dir, time_t now, struct report *r, struct err *err);

#endif
