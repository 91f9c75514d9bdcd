/*
 * linesrc.h - one reader of text lines for every log reader: a plain
 * file, a gzip-compressed file or stream (told by its first two bytes),
 * standard input ("-"), a pipe, a FIFO or a character device, read to its
 * end with a hard maximum line length.
 *
 * - A line longer than the maximum is cut there (its head is returned,
 *   the rest skipped up to its newline) and counted in cut.
 * - A CR before the newline (CRLF line ends) is dropped unless the policy
 *   keeps it.
 * - A gzip stream that ends before its end marker ("unexpected end of
 *   compressed data"), or that is corrupt, is an error (err->code
 *   EBADMSG) naming the lines read so far; the lines before it were
 *   returned.
 * - Opening never blocks: a FIFO is opened without waiting, then read
 *   once a writer has opened it (as cat(1) waits for one).
 */
#ifndef BASE_LINESRC_H
#define BASE_LINESRC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct err;
struct stat;

#define LINESRC_MAX_DEFAULT (64 * 1024)

enum linesrc_cr {
	LINESRC_CR_STRIP, /* drop one CR before the newline */
	LINESRC_CR_KEEP,  /* the line's bytes as they are */
};

struct linesrc_opts {
	size_t max_line; /* 0: LINESRC_MAX_DEFAULT */
	enum linesrc_cr cr;
};

struct linesrc {
	char name[256]; /* for messages */
	int fd;
	int gzip; /* the bytes are gzip-compressed */
	void *z;  /* the inflate state when gzip */
	unsigned char *zin;
	size_t zcap;      /* of zin */
	int zeof, zend;   /* raw input at its end; a gzip member ended */
	const char *zbad; /* corrupt: zlib's message, after the output */
	char *buf;
	size_t cap, start, have;
	size_t max_line;
	enum linesrc_cr cr;
	int skipping; /* dropping the rest of a cut line */
	int eof, failed;
	size_t nl[2]; /* newlines found ahead by linesrc_ahead */
	unsigned nnl;
	uint64_t lines;            /* returned so far */
	uint64_t cut;              /* of them, cut at the maximum */
	uint64_t no_final_newline; /* 1 when the last had no newline */
	int errcode;               /* of a failed read, kept */
	char errmsg[512];
};

/*
 * Opens path ("-": standard input) for reading.  A directory is an error
 * (EISDIR).  0, or -1 with err (err->code is the errno).
 */
int linesrc_open(struct linesrc *ls, const char *path,
    const struct linesrc_opts *o, struct err *err);

/* As linesrc_open on a descriptor it takes over (closed by
 * linesrc_close); name is for messages. */
int linesrc_open_fd(struct linesrc *ls, int fd, const char *name,
    const struct linesrc_opts *o, struct err *err);

/*
 * The next line, without its newline, in *line and *len, valid until the
 * next call; *cut is 1 when it was cut at the maximum.  1, 0 at the end,
 * -1 with err (a read error, a truncated or corrupt gzip stream; again
 * on every later call).
 */
int linesrc_next(struct linesrc *ls, const char **line, size_t *len, int *cut,
    struct err *err);

/*
 * Up to n bytes of the content (decompressed), for readers of whole
 * files; do not mix with linesrc_next.  The count, 0 at the end, or -1
 * with err.
 */
ssize_t linesrc_read(struct linesrc *ls, void *buf, size_t n, struct err *err);

/*
 * The start of the third line after the one linesrc_next returned last,
 * when it is already in the buffer (a look ahead, to prefetch what that
 * line will need): 1 with *p and *n (the bytes buffered from there on),
 * else 0.
 */
int linesrc_ahead(struct linesrc *ls, const char **p, size_t *n);

void linesrc_close(struct linesrc *ls);

/*
 * Opens path for reading without blocking on a FIFO (see above); a
 * directory is an error.  st gets its fstat.  The descriptor, or -1 with
 * err.
 */
int linesrc_open_path(const char *path, struct stat *st, struct err *err);

#endif
