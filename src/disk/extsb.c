/*
 * extsb.c - parse the ext2/3/4 superblock (see extsb.h).  The layout is
 * struct ext4_super_block of the Linux kernel (fs/ext4/ext4.h), all
 * fields little-endian.
 */
#include "disk/extsb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/hex.h"

#define EXT_MAGIC 0xEF53
#define COMPAT_HAS_JOURNAL 0x0004
#define INCOMPAT_EXTENTS 0x0040
#define INCOMPAT_64BIT 0x0080
#define INCOMPAT_FLEX_BG 0x0200
#define RO_COMPAT_METADATA_CSUM 0x0400

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* A 32-bit time with its high byte (ext4's 2038 extension). */
static time_t
sbtime(const unsigned char *sb, size_t off, size_t hi_off)
{
	return (time_t)((int64_t)le32(sb + off) | (int64_t)sb[hi_off] << 32);
}

static void
cstr(char *dst, size_t dstsz, const unsigned char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < dstsz && src[i] != '\0'; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

/* CRC-32C (Castagnoli), as ext4 computes its metadata checksums. */
static uint32_t
crc32c(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	}
	return crc;
}

int
disk_extsb_parse(const unsigned char *sb, size_t len, struct disk_extsb *out,
    struct err *err)
{
	uint32_t log_bs;
	char *u;

	memset(out, 0, sizeof(*out));
	if (len < DISK_EXTSB_SIZE)
		return err_set(err, EINVAL,
		    "superblock is %zu bytes, expected %d", len,
		    DISK_EXTSB_SIZE);
	if (le16(sb + 0x38) != EXT_MAGIC)
		return err_set(err, EINVAL,
		    "not an ext2/3/4 filesystem (magic 0x%04x, expected "
		    "0x%04x)",
		    le16(sb + 0x38), EXT_MAGIC);
	log_bs = le32(sb + 0x18);
	if (log_bs > 6)
		return err_set(err, EINVAL,
		    "corrupt superblock: block size 2^%u KiB", log_bs);
	out->block_size = 1024u << log_bs;
	out->inodes_count = le32(sb + 0x00);
	out->free_inodes = le32(sb + 0x10);
	out->feature_compat = le32(sb + 0x5C);
	out->feature_incompat = le32(sb + 0x60);
	out->feature_ro_compat = le32(sb + 0x64);
	out->blocks_count = le32(sb + 0x04);
	out->free_blocks = le32(sb + 0x0C);
	if (out->feature_incompat & INCOMPAT_64BIT) {
		out->blocks_count |= (uint64_t)le32(sb + 0x150) << 32;
		out->free_blocks |= (uint64_t)le32(sb + 0x158) << 32;
	}
	out->mtime = sbtime(sb, 0x2C, 0x275);
	out->wtime = sbtime(sb, 0x30, 0x274);
	out->mnt_count = le16(sb + 0x34);
	out->max_mnt_count = (int16_t)le16(sb + 0x36);
	out->state = le16(sb + 0x3A);
	out->errors_behaviour = le16(sb + 0x3C);
	out->lastcheck = sbtime(sb, 0x40, 0x277);
	out->checkinterval = le32(sb + 0x44);
	out->mkfs_time = sbtime(sb, 0x108, 0x276);

	u = out->uuid;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*u++ = '-';
		hex_encode(u, sb + 0x68 + i, 1);
		u += 2;
	}
	cstr(out->volume_name, sizeof(out->volume_name), sb + 0x78, 16);
	cstr(out->last_mounted, sizeof(out->last_mounted), sb + 0x88, 64);

	out->error_count = le32(sb + 0x194);
	out->first_error_time = sbtime(sb, 0x198, 0x278);
	out->first_error_ino = le32(sb + 0x19C);
	out->first_error_block = le64(sb + 0x1A0);
	cstr(out->first_error_func, sizeof(out->first_error_func), sb + 0x1A8,
	    32);
	out->first_error_line = le32(sb + 0x1C8);
	out->last_error_time = sbtime(sb, 0x1CC, 0x279);
	out->last_error_ino = le32(sb + 0x1D0);
	out->last_error_line = le32(sb + 0x1D4);
	out->last_error_block = le64(sb + 0x1D8);
	cstr(
	    out->last_error_func, sizeof(out->last_error_func), sb + 0x1E0, 32);
	out->first_error_errcode = sb[0x27A];
	out->last_error_errcode = sb[0x27B];

	if (out->feature_incompat &
	    (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG))
		out->type = "ext4";
	else if (out->feature_compat & COMPAT_HAS_JOURNAL)
		out->type = "ext3";
	else
		out->type = "ext2";
	if (out->feature_ro_compat & RO_COMPAT_METADATA_CSUM)
		out->csum = crc32c(0xFFFFFFFFu, sb, 0x3FC) == le32(sb + 0x3FC);
	else
		out->csum = -1;
	return 0;
}

int
disk_extsb_read(const char *path, struct disk_extsb *out, struct err *err)
{
	unsigned char buf[DISK_EXTSB_SIZE];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	do
		n = pread(fd, buf, sizeof(buf), DISK_EXTSB_OFFSET);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		int e = errno;

		close(fd);
		return err_sys(
		    err, e, "cannot read the superblock of '%s'", path);
	}
	close(fd);
	if (disk_extsb_parse(buf, (size_t)n, out, err) == -1)
		return err_prefix(err, "'%s'", path);
	return 0;
}

void
disk_extsb_state(const struct disk_extsb *sb, char *dst, size_t dstsz)
{
	const char *base = (sb->state & DISK_EXT_ERROR) ? "errors"
	    : (sb->state & DISK_EXT_VALID)              ? "clean"
	                                                : "not clean";

	snprintf(dst, dstsz, "%s%s", base,
	    (sb->state & DISK_EXT_ORPHANS) ? ", orphans" : "");
}

int
disk_extsb_fsck_due(
    const struct disk_extsb *sb, time_t now, char *why, size_t whysz)
{
	if (sb->state & DISK_EXT_ERROR) {
		snprintf(why, whysz,
		    "the kernel recorded errors (state 'errors', %u error%s)",
		    sb->error_count, sb->error_count == 1 ? "" : "s");
		return 1;
	}
	if (sb->error_count > 0) {
		snprintf(why, whysz, "%u error%s recorded since the last fsck",
		    sb->error_count, sb->error_count == 1 ? "" : "s");
		return 1;
	}
	if (sb->max_mnt_count > 0 && sb->mnt_count >= sb->max_mnt_count) {
		snprintf(why, whysz, "mounted %u times, maximum %d",
		    sb->mnt_count, sb->max_mnt_count);
		return 1;
	}
	if (sb->checkinterval > 0 && sb->lastcheck > 0 &&
	    now - sb->lastcheck >= (time_t)sb->checkinterval) {
		snprintf(why, whysz,
		    "last checked %lld days ago, interval %u days",
		    (long long)(now - sb->lastcheck) / 86400,
		    sb->checkinterval / 86400);
		return 1;
	}
	why[0] = '\0';
	return 0;
}
