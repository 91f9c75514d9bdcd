/*
 * smart.h - a disk's own health record (SMART) through smartmontools:
 * smartctl --json is run with a timeout (fork/execve, never a shell) and
 * its output parsed by the pure disk_smart_parse into the figures an
 * admin looks at: the overall assessment, reallocated, pending and
 * offline-uncorrectable sectors, interface CRC errors, the NVMe critical
 * warning, media errors, available spare and percentage used,
 * temperature and power-on hours.  Disks without SMART (virtual disks)
 * come back as DISK_SMART_NONE, never as an error.
 */
#ifndef DISK_SMART_H
#define DISK_SMART_H

#include <stddef.h>
#include <stdint.h>

#include "base/finding.h"

struct err;
struct strbuf;

enum disk_smart_status {
	DISK_SMART_OK = 0,  /* health figures read */
	DISK_SMART_NONE,    /* the device has no SMART (virtual disks) */
	DISK_SMART_STANDBY, /* asleep; not woken to be read */
	DISK_SMART_ERROR,   /* smartctl could not read it (message says) */
};

#define DISK_SMART_ABSENT INT64_MIN /* a figure the disk did not give */

struct disk_smart {
	enum disk_smart_status status;
	char protocol[16]; /* "ATA", "NVMe", "SCSI" */
	char model[96];
	char serial[64];
	char message[256];   /* smartctl's first error message */
	int exit_status;     /* smartctl's bit mask */
	int passed;          /* overall assessment: 1 passed, 0 failed, -1 */
	int64_t realloc;     /* ATA 5, SCSI grown defects */
	int64_t pending;     /* ATA 197 */
	int64_t offline_unc; /* ATA 198 */
	int64_t crc;         /* ATA 199 */
	int64_t critical_warning;                 /* NVMe bit mask */
	int64_t media_errors;                     /* NVMe */
	int64_t spare, spare_threshold, pct_used; /* NVMe, percent */
	int64_t temp;                             /* degrees Celsius */
	int64_t power_on_hours;
	char failing_now[128]; /* ATA attributes at or below threshold now */
};

/* What the previous check saw of the same disk (state database). */
struct disk_smart_prev {
	int64_t realloc, media_errors; /* DISK_SMART_ABSENT: unknown */
	int64_t t;                     /* when, epoch seconds */
};

/*
 * Parses smartctl --json output.  0, or -1 with err when it is not a
 * smartctl JSON document.
 */
int disk_smart_parse(
    const char *buf, size_t len, struct disk_smart *s, struct err *err);

/*
 * The verdict on one disk with a sentence for the admin in why: CRITICAL
 * when the disk predicts its failure, raises an NVMe critical warning or
 * has pending or uncorrectable sectors; WARNING when reallocated sectors
 * or media errors grew since prev (NULL: no earlier check); else OK.
 */
enum sev disk_smart_verdict(const struct disk_smart *s,
    const struct disk_smart_prev *prev, char *why, size_t whysz);

/* The NVMe critical warning bits in words ("spare below threshold, ..."). */
void disk_smart_cw_words(int64_t cw, char *dst, size_t dstsz);

/*
 * Runs "PROG --json -a -n standby DEV" with its output in out (at most 1
 * MiB), killed after timeout seconds.  *exit_status gets smartctl's exit
 * status (a bit mask: not zero is normal).  0, or -1 with err when it
 * could not be run or did not finish.
 */
int disk_smart_run(const char *prog, const char *dev, double timeout,
    struct strbuf *out, int *exit_status, struct err *err);

/* The smartctl to run: path if given (NULL: the usual places), when it is
 * executable; NULL when not installed. */
const char *disk_smart_find(const char *path);

#endif
