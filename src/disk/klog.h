/*
 * klog.h - disk and filesystem errors in kernel log lines.
 *
 * disk_klog_classify is pure: one kernel log line in (as dmesg, /dev/kmsg,
 * kern.log, messages, syslog or the journal give it), and out comes what
 * kind of disk error it reports, about which device, at which sector.  The
 * patterns are compiled once into one Hyperscan database (one pass over
 * each line for all of them); only a line that matches is given to the
 * PCRE2 (JIT) form of the matching pattern to capture the device and the
 * sector.  Most lines match nothing and cost one Hyperscan scan.
 *
 * disk_klog_split is pure too: it takes the syslog or dmesg prefix off a
 * line and says when it was logged and by which program.
 */
#ifndef DISK_KLOG_H
#define DISK_KLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct err;

enum disk_kclass {
	DK_NONE = 0,
	DK_IO_ERROR,        /* block layer: I/O error on a sector */
	DK_MEDIUM_ERROR,    /* the medium itself: unreadable sector (UNC) */
	DK_ATA_ERROR,       /* ATA command failed, device status ERR */
	DK_CONTROLLER,      /* controller timeout or reset (NVMe, HBA) */
	DK_FS_ERROR,        /* filesystem found corruption or an error */
	DK_FS_READONLY,     /* filesystem remounted read-only after errors */
	DK_JOURNAL_ABORTED, /* the journal (JBD2) aborted */
	DK_FS_SHUTDOWN,     /* filesystem shut down (XFS) */
	DK_RAID_FAILURE, /* RAID member failed or medium error behind a RAID */
	DK_NCLASS,
};

struct disk_kmatch {
	enum disk_kclass cls;
	const char *pattern; /* id of the pattern: "linux.blk_update_request" */
	char device[64];     /* "sda", "sda1", "ata1.00", "nvme0", "" if none */
	char extra[64];  /* an array (md0) or the failed command; "" if none */
	uint64_t sector; /* sector or block; UINT64_MAX when not given */
};

struct disk_klog; /* the compiled patterns */

/* Compiles the patterns; NULL with err (which names the pattern). */
struct disk_klog *disk_klog_new(struct err *err);
void disk_klog_free(struct disk_klog *k);

/*
 * Classifies the len bytes at line (no newline needed, NUL bytes allowed).
 * Returns the class (DK_NONE when the line reports no disk error) and
 * fills *m when it is not DK_NONE.
 */
enum disk_kclass disk_klog_classify(
    struct disk_klog *k, const char *line, size_t len, struct disk_kmatch *m);

/* "io-error", "medium-error", ... (stable names, used in JSON). */
const char *disk_kclass_name(enum disk_kclass c);
/* How many patterns there are, and the id of pattern i (tests). */
size_t disk_klog_npatterns(void);
const char *disk_klog_pattern_id(size_t i);

/* A log line taken apart. */
struct disk_kline {
	const char *msg; /* the message, inside the line */
	size_t msglen;
	const char
	    *tag; /* program ("kernel"), or NULL when there is no prefix */
	size_t taglen;
	time_t when;   /* wall time, 0 when the line does not say */
	double uptime; /* "[  12.345678]" seconds since boot, -1 if absent */
};

/*
 * Splits a line: an RFC 3164 ("Nov 26 20:18:15 host kernel: ...") or
 * RFC 3339 ("2026-11-26T20:18:15.123+00:00 host kernel: ...") syslog
 * prefix, then a dmesg time stamp ("[  12.345678] ").  now is the time
 * used to guess the year of an RFC 3164 stamp (the last one not in the
 * future by more than a day).  Lines without a prefix are all message.
 */
void disk_klog_split(
    const char *line, size_t len, time_t now, struct disk_kline *out);

/*
 * A whole log line: split off its prefix, skip lines that a program other
 * than the kernel logged (a syslog tag other than "kernel" or "/kernel"),
 * classify the message.  *kl is filled whatever the result.
 */
enum disk_kclass disk_klog_line(struct disk_klog *k, const char *line,
    size_t len, time_t now, struct disk_kline *kl, struct disk_kmatch *m);

#endif
