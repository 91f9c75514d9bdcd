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
#include <stdint.h>

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
	 * (which may then be NULL), with the path of its file (valid during
	 * the call) and its number there, and tick(arg) is called after
	 * every look at the files (at least every poll seconds). */
	void (*line)(void *arg, const char *file, uint64_t lineno,
	    const char *p, size_t n, int cut);
	void (*tick)(void *arg);
	/* When set, called before each commit of the bookmarks, once the
	 * lines they cover were handed to line(): what the caller made of
	 * them must be durable when it returns 0; -1 (with err) stops the
	 * commit, and the lines are read again after a restart. */
	int (*commit)(void *arg, struct err *err);
	/* The bookmarks written without fsync (FILE_NOSYNC): as durable as
	 * the caller's own state written in commit, where that is not synced
	 * at each commit either (the agent's database).  0: synced. */
	int bookmark_nosync;
	/* Diagnostics ("'PATH' does not exist; waiting for it"), with a
	 * syslog priority (LOG_WARNING, LOG_INFO, LOG_DEBUG); NULL: none. */
	void (*notice)(void *arg, int prio, const char *msg);
	void *arg;
};

void follow_opts_default(struct follow_opts *o);

/*
 * The follower as a step of the caller's event loop; it installs no
 * signal handler and logs nothing (diagnostics go to o->notice):
 *
 *	f = follower_open(&o, paths, n, feed, &err);
 *	loop: wait until follower_fd(f) is readable or follower_timeout(f)
 *	      seconds have passed, then follower_step(f, &err);
 *	follower_commit(f, &err); follower_close(f);
 *
 * follower_open takes the bookmark set's lock, loads the bookmarks (and
 * reads, oldest first, what rotated while no follower ran), commits
 * them, and watches the files' directories.  o is copied, not its
 * strings; paths are copied; feed (or o->line's arg) must outlive f.
 * NULL with err (codes as for logs_follow).
 */
struct follower;

struct follower *follower_open(const struct follow_opts *o,
    const char *const *paths, size_t npaths, struct logs_feed *feed,
    struct err *err);

/* The inotify descriptor to wait on (readable: something changed). */
int follower_fd(const struct follower *f);

/*
 * One look at every file: drains follower_fd, reads what was appended
 * (at most 2 MiB a file), follows rotations, feeds the lines, commits
 * the bookmarks, prints new findings to o->out and calls o->tick.  1
 * when lines were read (more may be waiting), 0 none, -1 with err.
 */
int follower_step(struct follower *f, struct err *err);

/*
 * Seconds until the next step is due without an event: 0 after a step
 * that read lines, else what is left of o->poll since the last step (the
 * poll timer, which also finishes a rotation whose writer has not
 * reopened its log yet, and finds files on filesystems inotify misses).
 */
double follower_timeout(const struct follower *f);

/* Commits the bookmarks now, if lines were read since the last commit. */
int follower_commit(struct follower *f, struct err *err);

/* Releases f and its lock (without committing); NULL is fine. */
void follower_close(struct follower *f);

/*
 * The blocking loop of the commands, on the above: follows paths until
 * SIGTERM or SIGINT (or exit_idle), feeding every line to feed (or to
 * o->line).  It installs handlers for SIGTERM and SIGINT and ignores
 * SIGPIPE; without o->notice, diagnostics go to base/log.h.  0, or -1
 * with err: code EINVAL for bad arguments (a compressed path, lines_to a
 * followed file), EBUSY when another follower holds the bookmark set,
 * EBADMSG for a damaged bookmark, else the system's (state directory,
 * inotify).
 */
int logs_follow(const struct follow_opts *o, const char *const *paths,
    size_t npaths, struct logs_feed *feed, struct err *err);

#endif
