/*
 * fsstate.h - the recorded error state of each local filesystem:
 * for ext2/3/4 the superblock read read-only from the block device
 * (extsb.h); for btrfs the per-device error counters in /sys; for other
 * types what the kernel exposes, or that nothing is.  sakimori never
 * repairs: it says when an offline fsck is due.
 */
#ifndef DISK_FSSTATE_H
#define DISK_FSSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "disk/extsb.h"

struct mount_entry;
struct mounts;
struct report;

struct disk_fs {
	char dev[256]; /* device or image path */
	char mnt[256]; /* mount point, "" for --device */
	char type[32]; /* fstype from the mount table, or the superblock's */
	int have_sb;   /* ext: superblock read */
	struct disk_extsb sb;
	int have_counters; /* btrfs: error counters read */
	uint64_t wr_errs, rd_errs, flush_errs, corrupt_errs, gen_errs;
	char note[512]; /* why nothing was read ("cannot open ...") */
	const struct mount_entry *me; /* its mount (disk_fs_mounted), or NULL */
};

struct disk_fslist {
	struct disk_fs *fs;
	size_t n, cap;
};

/*
 * The local filesystems of the mount table ms (collect/mounts.h), each
 * with its state, one per device; pseudo and network filesystems are left
 * out.  Devices are opened under root.  A device that cannot be read gets
 * a note and the others are still read.
 */
void disk_fs_mounted(
    const char *root, const struct mounts *ms, struct disk_fslist *l);
/* Adds the block device or image file at path (any type) to l. */
void disk_fs_device(const char *path, struct disk_fslist *l);
/*
 * disk_fs_device, and when its superblock could not be read an UNKNOWN
 * "fs-errors" finding in r for path (sakimori could not look) with the
 * note as message.  NULL, or that note when it could not look.
 */
const char *disk_fs_device_check(
    const char *path, struct disk_fslist *l, struct report *r);
void disk_fslist_release(struct disk_fslist *l);

/*
 * Findings: "fs-errors" WARNING for each filesystem with recorded errors
 * or an fsck due (count, first/last error time and function, mount count,
 * last check, the advice to run fsck in single-user mode).
 */
void disk_fs_report(const struct disk_fslist *l, time_t now, struct report *r);

#endif
