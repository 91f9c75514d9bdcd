/*
 * extsb.h - the ext2/3/4 superblock: what the kernel recorded about a
 * filesystem's health (state flag, error count, first and last error,
 * mount count against the maximum, last check).
 *
 * disk_extsb_parse is pure: the 1024 bytes of the superblock (found at
 * byte offset 1024 of the device) in, a struct out.  Reading the device is
 * the caller's (read-only, see disk_extsb_read).
 */
#ifndef DISK_EXTSB_H
#define DISK_EXTSB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct err;

#define DISK_EXTSB_OFFSET 1024
#define DISK_EXTSB_SIZE 1024

/* s_state bits */
#define DISK_EXT_VALID 0x0001   /* unmounted cleanly (or journal replayable) */
#define DISK_EXT_ERROR 0x0002   /* the kernel found errors */
#define DISK_EXT_ORPHANS 0x0004 /* orphans being recovered */

struct disk_extsb {
	const char *type; /* "ext2", "ext3" or "ext4" (from the features) */
	uint16_t state;
	uint16_t errors_behaviour; /* 1 continue, 2 remount-ro, 3 panic */
	uint32_t error_count;
	time_t first_error_time, last_error_time; /* 0: none recorded */
	char first_error_func[33], last_error_func[33];
	uint32_t first_error_line, last_error_line;
	uint32_t first_error_ino, last_error_ino;
	uint64_t first_error_block, last_error_block;
	uint8_t first_error_errcode, last_error_errcode;
	uint16_t mnt_count;
	int16_t max_mnt_count; /* -1 or 0: not checked by count */
	time_t lastcheck, mtime, wtime, mkfs_time;
	uint32_t checkinterval; /* seconds; 0: not checked by time */
	uint64_t blocks_count, free_blocks;
	uint32_t inodes_count, free_inodes;
	uint32_t block_size;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	char uuid[37];
	char volume_name[17];  /* raw bytes, NUL-terminated; escape to print */
	char last_mounted[65]; /* raw bytes, NUL-terminated; escape to print */
	int csum; /* 1 checksum good, 0 bad, -1 none (no metadata_csum) */
};

/*
 * Parses the len bytes at sb (the superblock itself, not the device).
 * 0, or -1 with err when it is short or not an ext2/3/4 superblock.
 */
int disk_extsb_parse(const unsigned char *sb, size_t len,
    struct disk_extsb *out, struct err *err);

/*
 * Reads the superblock of the block device or image file at path
 * (read-only) and parses it.  0, or -1 with err naming path.
 */
int disk_extsb_read(const char *path, struct disk_extsb *out, struct err *err);

/* "clean", "not clean", "errors", "errors, orphans", ... into dst. */
void disk_extsb_state(const struct disk_extsb *sb, char *dst, size_t dstsz);

/*
 * Whether an offline fsck is due at now: 1 and a reason in why ("3 errors
 * recorded", "mounted 40 times, maximum 30", "last checked ... ago"), or 0.
 */
int disk_extsb_fsck_due(
    const struct disk_extsb *sb, time_t now, char *why, size_t whysz);

#endif
