/*
 * ksrc.h - where kernel messages land, read line by line: /dev/kmsg (the
 * ring buffer, with sequence numbers), the systemd journal (kernel
 * transport; when built with libsystemd), and log files (kern.log,
 * messages, syslog, plain or gzip-compressed).
 *
 * disk_kmsg_parse is pure (one /dev/kmsg record in, fields out); the
 * readers are the I/O edge and hand each line to a callback.
 */
#ifndef DISK_KSRC_H
#define DISK_KSRC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct err;

#define DISK_KLINE_MAX 8192 /* longer lines are cut (and counted) */

/* One /dev/kmsg record: "PRI,SEQ,USEC,FLAG[,...];MESSAGE\n[ KEY=VAL\n]..." */
struct disk_kmsg_rec {
	unsigned facility, level;
	uint64_t seq;
	uint64_t usec; /* since boot */
	char flag; /* '-', 'c' (continued in the next), '+' (continuation) */
	const char *msg;
	size_t msglen;
	const char
	    *device; /* DEVICE= of the dictionary ("b8:0", "+block:sda") */
	size_t devlen;
	unsigned ndict; /* continuation (dictionary) lines seen */
};

/* Parses one record of len bytes.  0, or -1 with err when malformed. */
int disk_kmsg_parse(
    const char *buf, size_t len, struct disk_kmsg_rec *r, struct err *err);

/* What a reader saw. */
struct disk_ksrc_stats {
	uint64_t lines;     /* lines or records handed to the callback */
	uint64_t cut;       /* lines longer than DISK_KLINE_MAX, cut */
	uint64_t malformed; /* records that did not parse (kmsg) */
	uint64_t lost;      /* records overwritten before read (kmsg EPIPE) */
	uint64_t skipped;   /* records below the start sequence */
	uint64_t first_seq, last_seq; /* kmsg: of the records handed over */
	time_t first_time; /* wall time of the first line/record, 0 unknown */
};

/* Called with each line (no newline); the line is valid during the call. */
typedef void (*disk_kline_fn)(
    void *ctx, const char *line, size_t len, uint64_t lineno, time_t when);

/*
 * Reads the log file at path (gzip-compressed or plain, decided by its
 * contents; "-" standard input; a pipe or FIFO as a stream) and calls fn
 * for each line.  0, or -1 with err (err->code EBADMSG for a truncated
 * or corrupt gzip stream, after the lines before it).
 */
int disk_ksrc_file(const char *path, disk_kline_fn fn, void *ctx,
    struct disk_ksrc_stats *st, struct err *err);

/*
 * Reads every record of the kernel ring buffer at path (/dev/kmsg) with a
 * sequence number from from on (0: all), without blocking, and calls fn
 * with each record's message (facility kern only when kern_only: user
 * space may write to /dev/kmsg but not as the kernel); when is the wall
 * time of the record (boot time + its time stamp).  st->last_seq is the
 * last sequence number read.  0, or -1 with err.
 */
int disk_ksrc_kmsg(const char *path, uint64_t from, int kern_only,
    disk_kline_fn fn, void *ctx, struct disk_ksrc_stats *st, struct err *err);

/*
 * Reads kernel-transport entries of the local journal after the cursor
 * (NULL: all), calls fn with each MESSAGE, and copies the last cursor to
 * cursor_out.  Returns 0, 1 when built without libsystemd or no journal
 * exists, -1 with err.
 */
int disk_ksrc_journal(const char *after_cursor, disk_kline_fn fn, void *ctx,
    char *cursor_out, size_t cursor_sz, struct disk_ksrc_stats *st,
    struct err *err);

#endif
