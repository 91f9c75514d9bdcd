/*
 * md.h - the state of the Linux software RAID (md) arrays: /proc/mdstat
 * (arrays, members with their (F)aulty and (S)pare marks, [n/m] [UU_],
 * the resync/recovery/check line with progress and finish estimate) and
 * /sys/block/mdN/md/ (array_state, degraded, raid_disks, sync_action,
 * sync_completed, mismatch_cnt, dev-NAME/state), read under a root prefix.
 *
 * disk_md_parse is the pure parser of mdstat; disk_md_sysattr takes one
 * sysfs attribute; disk_md_read does the I/O.  disk_md_verdict judges an
 * array: CRITICAL when degraded or failed (naming the failed members),
 * WARNING while it rebuilds and for mismatches found by a check, OK else.
 */
#ifndef DISK_MD_H
#define DISK_MD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/finding.h"

struct err;
struct report;

#define DISK_MD_MAX 64    /* arrays kept; more are counted in dropped */
#define DISK_MD_MAXMEM 32 /* members kept per array */
/* A finish estimate further away than a century (minutes) is no estimate
 * (a stalled rebuild, or a line that is not the kernel's). */
#define DISK_MD_FINISH_MAX (100.0 * 366 * 24 * 60)

struct disk_md_member {
	char name[32];  /* "sda1", as md names it */
	char disk[64];  /* the disk behind it ("sda"), kscan's resolution */
	char state[64]; /* sysfs dev-X/state ("in_sync", "faulty"), or "" */
	int slot;       /* role number in mdstat's "sda1[0]", -1 none */
	int faulty;     /* (F) in mdstat or "faulty" in sysfs */
	int spare;      /* (S) in mdstat or "spare" in sysfs */
};

struct disk_md {
	char name[32];    /* "md0" */
	char level[16];   /* "raid1", "" when mdstat and sysfs do not say */
	char state[32];   /* sysfs array_state, else mdstat's active/inactive */
	int inactive;     /* not running */
	int raid_disks;   /* [n/m]: n; -1 unknown */
	int in_sync;      /* [n/m]: m; -1 unknown */
	char map[64];     /* "UU_" */
	int degraded;     /* sysfs degraded, else n - m; -1 unknown */
	char action[16];  /* "recovery", "resync", "check", "reshape", "repair",
	                    "" idle; pending resyncs are not actions */
	char pending[16]; /* "DELAYED", "PENDING" */
	double progress;  /* percent, -1 unknown */
	double finish_min; /* mdstat's finish estimate, -1 unknown (also
	                      when past DISK_MD_FINISH_MAX) */
	double speed_kps;  /* K/sec, -1 unknown */
	int64_t mismatch;  /* mismatch_cnt, -1 unknown */
	struct disk_md_member m[DISK_MD_MAXMEM];
	size_t nm;
};

struct disk_mdlist {
	struct disk_md md[DISK_MD_MAX];
	size_t n;
	size_t dropped;     /* arrays past DISK_MD_MAX */
	uint64_t malformed; /* lines of mdstat not understood */
	uint64_t bad_line;  /* the first of them, 1-based */
	int present;        /* the kernel has md (mdstat or sysfs arrays) */
};

/* Parses /proc/mdstat text into l (appended after what l has). */
void disk_md_parse(const char *buf, size_t len, struct disk_mdlist *l);

/*
 * Takes one attribute of /sys/block/NAME/md/ into a: key is the file's
 * name ("array_state", "degraded", "sync_action", "sync_completed",
 * "mismatch_cnt", "raid_disks", "level"), or "dev-X/state" and
 * "dev-X/slot" for a member.
 * Values are trimmed of the newline by the caller or here.
 */
void disk_md_sysattr(
    struct disk_md *a, const char *key, const char *val, size_t len);

/*
 * Reads ROOT/proc/mdstat and ROOT/sys/block/md* into l (root NULL: /).
 * Arrays only sysfs has are added.  Members are resolved to their disks.
 * 0; -1 with err only when mdstat exists but cannot be read.
 */
int disk_md_read(const char *root, struct disk_mdlist *l, struct err *err);

/* The array of l that has a member on disk, or NULL; *member gets it. */
const struct disk_md *disk_md_of_disk(const struct disk_mdlist *l,
    const char *disk, const struct disk_md_member **member);

/* 1 when member m of a holds a complete copy (not failed, spare or
 * still being rebuilt). */
int disk_md_in_sync(const struct disk_md *a, const struct disk_md_member *m);

/*
 * The verdict on one array with a sentence for the admin in why (who is
 * failed and the disk behind it, progress and finish from now,
 * mismatches).
 */
enum sev disk_md_verdict(
    const struct disk_md *a, time_t now, char *why, size_t whysz);

/* The members as "sda1 sdb1(F) sdc1(S)", with_disk: "sda1@sda ...". */
void disk_md_members(
    const struct disk_md *a, int with_disk, char *dst, size_t dstsz);

/* One finding per array not OK (check "raid"), at now. */
void disk_md_report(const struct disk_mdlist *l, time_t now, struct report *r);

/* "rebuilding 8.5%, about 17 min left (until 2026-...)" into dst. */
void disk_md_progress(
    const struct disk_md *a, time_t now, char *dst, size_t dstsz);

#endif
