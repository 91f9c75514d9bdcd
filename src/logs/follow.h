/*
 * follow.h - follow log files as they grow and rotate (tail -F done
 * right), with a bookmark per file in the state directory.
 *
 * Rotation: rename (the old file is read to its end before the new one,
 * found again by inode after a restart), copytruncate (the copy is found
 * by the fingerprint of the first bytes and read from the bookmark on),
 * delete and recreate, files that appear later (read from their start),
 * several rotations while the follower was down (every rotated file newer
 * than the bookmarked one is read in order; .gz ones through zlib).
 *
 * Bookmark: device, inode, offset, line number and a fingerprint (length
 * and hash of the first up to 128 bytes, so a recycled inode is not
 * mistaken for the old file) per path, in one file written atomically
 * (state_dir/logs/follow-NAME.bm).  The offset only ever covers lines that
 * were processed; a partial last line waits for its newline.  With
 * lines_to, every processed line is appended to that file and its length
 * is part of the bookmark: on start the file is cut back to the committed
 * length, so after a crash or kill -9 at any moment each line is in it
 * exactly once.
 */
#ifndef LOGS_FOLLOW_H
#define LOGS_FOLLOW_H

#include <stddef.h>

#include "base/output.h"
#include "logs/scan.h"

struct err;

struct follow_opts {
	const char *name;      /* bookmark set name; NULL: from the paths */
	const char *lines_to;  /* NULL or a file to append lines to */
	const char *state_dir; /* required */
	double poll;           /* seconds between looks without events */
	double exit_idle;      /* stop after so long without lines; 0 never */
	int from_start;        /* no bookmark: from the start, not the end */
	size_t max_line;
	const struct out *out; /* where findings are printed as they come */
};

void follow_opts_default(struct follow_opts *o);

/*
 * Follows paths until SIGTERM or SIGINT (or exit_idle), feeding every line
 * to feed.  0, or -1 with err (state directory, inotify).
 */
int logs_follow(const struct follow_opts *o, const char *const *paths,
    size_t npaths, struct logs_feed *feed, struct err *err);

#endif
