/*
 * follow_int.h - what the follower remembers of a file to find it again:
 * how far it was read, a fingerprint of its first bytes (a recycled inode
 * is not the old file) and of the bytes just before that offset (a file
 * truncated and regrown with the same first lines is not the old file
 * either: copytruncate while the follower was down).
 */
#ifndef LOGS_FOLLOW_INT_H
#define LOGS_FOLLOW_INT_H

#include <stddef.h>
#include <stdint.h>

#define FOLLOW_FP_MAX 128

struct follow_id {
	uint64_t off;    /* processed up to here */
	uint32_t fplen;  /* the first fplen bytes ... */
	uint64_t fphash; /* ... hash to this */
	uint32_t tlen;   /* the tlen bytes before off (min(off, 128)) ... */
	uint64_t thash;  /* ... hash to this (tlen 0: not known, any) */
	unsigned char tail[FOLLOW_FP_MAX]; /* those bytes, once read */
};

uint64_t follow_hash(const void *p, size_t n);

/* Nothing read yet: offset 0, empty fingerprints. */
void follow_id_reset(struct follow_id *id);

/* The next n bytes (from off on) were processed. */
void follow_id_consume(struct follow_id *id, const void *p, size_t n);

/*
 * Is the open plain file fd still the one id describes: at least off
 * bytes, the same first fplen bytes and the same bytes before off?  0
 * yes (and the head fingerprint extended to what the file has, up to
 * 128 bytes), -1 no (truncated, rewritten, regrown).
 */
int follow_id_check(struct follow_id *id, int fd);

/*
 * Does the file path (through zlib for a name ending in .gz; fd when not
 * -1) hold what id describes up to off?  1 yes (the tail bytes loaded
 * into id), 0 no or unreadable.
 */
int follow_id_match(struct follow_id *id, const char *path, int fd);

/* One followed file in a bookmark file. */
struct follow_bm_file {
	char key[17]; /* hash of the path, 16 hex digits */
	uint64_t dev, ino, lineno;
	int skipping; /* inside the tail of a cut line */
	struct follow_id id;
};

/*
 * Parses a bookmark's "file" line after "file ": KEY dev ino off fplen
 * fphash skipping lineno, then tlen thash (absent from the bookmarks of
 * older versions: the bytes before the offset are then not compared).
 * 0, or -1 when malformed.
 */
int follow_bm_file_parse(
    const char *p, const char *end, struct follow_bm_file *out);

/* Whether a name ends in ".gz". */
int follow_is_gz(const char *name);

struct follower;
/* Bytes of f's read buffer resident in memory (mincore), for the tests:
 * a burst's pages are given back once the files are caught up. */
size_t follow_buf_resident(const struct follower *f);

#endif
