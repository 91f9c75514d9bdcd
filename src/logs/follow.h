/*
 * follow.h - follow log files as they grow and rotate (tail -F done
 * right), with a bookmark per file in the state directory.
 *
 * Rotation: rename (the old file is read to its end before the new one,
 * found again by inode after a restart, and followed on while the path is
 * missing or empty: the writer has not reopened its log yet),
 * copytruncate (the copy is found by its content and read from the
 * bookmark on), delete and recreate, files that appear later (read from
 * their start), several rotations while the follower was down (every
 * rotated file newer than the bookmarked one is read in order; .gz ones
 * through zlib, one still being written ignored for its original).
 *
 * Bookmark: device, inode, offset, line number and two fingerprints per
 * path (follow_int.h): of the first up to 128 bytes, so a recycled inode
 * is not mistaken for the old file, and of the up to 128 bytes before the
 * offset, so a file truncated and written again with the same first bytes
 * is not either.  In one file written atomically
 * (state_dir/logs/follow-NAME.bm), used by one follower at a time (an
 * flock on follow-NAME.lock).  The offset only ever covers lines that
 * were processed; a partial last line waits for its newline.  With
 * lines_to, every processed line is appended to that file (synced before
 * the bookmark is written) and its length is part of the bookmark: on
 * start the file is cut back to the committed length, so after a crash or
 * kill -9 at any moment each line is in it exactly once.  lines_to must
 * not be a followed file nor named like a rotated sibling of one.
 */
#ifndef LOGS_FOLLOW_H
#define LOGS_FOLLOW_H

#include <stddef.h>

#include "base/output.h"
#include "logs/scan.h"

struct err;

struct follow_opts {
	const char *name;      /* bookmark set name; NULL: from the paths */
	const char *name_pre;  /* NULL or a short prefix of that one */
	const char *lines_to;  /* NULL or a file to append lines to */
	const char *state_dir; /* required */
	double poll;           /* seconds between looks without events */
	double exit_idle;      /* stop after so long without lines; 0 never */
	int from_start;        /* no bookmark: from the start, not the end */
	size_t max_line;
	const struct out *out; /* where findings are printed as they come */
	/* When set, every line goes to line(arg, ...) instead of the feed
	 * (which may then be NULL), and tick(arg) is called after every look
	 * at the files (at least every poll seconds). */
	void (*line)(void *arg, const char *p, size_t n, int cut);
	void (*tick)(void *arg);
	void *arg;
};

void follow_opts_default(struct follow_opts *o);

/*
 * Follows paths until SIGTERM or SIGINT (or exit_idle), feeding every line
 * to feed (or to o->line).  0, or -1 with err: code EINVAL for bad arguments (a compressed
 * path, lines_to a followed file), EBUSY when another follower holds the
 * bookmark set, EBADMSG for a damaged bookmark, else the system's (state
 * directory, inotify).
 */
int logs_follow(const struct follow_opts *o, const char *const *paths,
    size_t npaths, struct logs_feed *feed, struct err *err);

#endif
