/*
 * ksys.h - scan the system's kernel logs for disk errors: the ring buffer
 * (/dev/kmsg), the journal's kernel transport, then /var/log/kern.log,
 * messages and syslog with their rotated copies (.1, .N.gz), oldest
 * first, each later source only for the time the earlier ones do not
 * cover (kscan.h).  With a state database, a run reads only what is new
 * since the last: the kmsg sequence number (per boot), the journal cursor
 * and the newest time stamp of the files are kept in it.
 */
#ifndef DISK_KSYS_H
#define DISK_KSYS_H

#include <limits.h>
#include <stddef.h>

#include "disk/ksrc.h"

struct disk_kscan;
struct store;

#define DISK_KSYS_MAXSRC 64

struct disk_ksrc_res {
	char kind[16]; /* "kmsg", "journal", "file" */
	char path[PATH_MAX];
	int ok;      /* read (1), absent (0), failed (-1) */
	int errcode; /* when failed: the errno, EBADMSG for corrupt data */
	char error[512];
	struct disk_ksrc_stats st;
};

struct disk_ksys {
	struct disk_ksrc_res src[DISK_KSYS_MAXSRC];
	size_t nsrc;
};

/*
 * The system's sources under s->root.  store may be NULL (read all).
 * A source that cannot be read is recorded in run with its error and the
 * others are still read.  0, or -1 when the state could not be saved.
 */
int disk_ksys_scan(struct disk_kscan *s, struct store *store,
    struct disk_ksys *run, struct err *err);

/* The given files only (plain or .gz), in order. */
void disk_ksys_files(
    struct disk_kscan *s, char *const *files, size_t n, struct disk_ksys *run);

#endif
