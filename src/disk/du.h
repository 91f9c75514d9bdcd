/*
 * du.h - the largest directories and files under a path (what an admin
 * gets from "du | sort -n | tail"), walked by a pool of threads.
 *
 * Sizes are allocated (st_blocks * 512, as du) and apparent (st_size, as
 * du --apparent-size); a directory's size is its own plus everything
 * below it.  A file with several hard links is counted once, where it is
 * met first.  Symbolic links are never followed; with one_fs the walk
 * stays on the filesystem of the path (du -x).  Memory: one small node
 * per directory and N entries per thread for the files.
 */
#ifndef DISK_DU_H
#define DISK_DU_H

#include <stddef.h>
#include <stdint.h>

struct err;

struct disk_du_opts {
	unsigned top;     /* how many directories and files to keep (N) */
	int one_fs;       /* stay on the filesystem of the path (-x) */
	int by_apparent;  /* rank by apparent size instead of allocated */
	unsigned threads; /* 0: one per CPU, at most 16 */
};

struct disk_du_item {
	char *path; /* raw bytes of the path (escape to print) */
	uint64_t alloc, apparent;
};

struct disk_du {
	struct disk_du_item *dirs, *files; /* largest first */
	size_t ndirs, nfiles;
	uint64_t total_alloc, total_apparent;
	uint64_t ndir_seen, nfile_seen;
	uint64_t hardlinks; /* extra links not counted again */
	uint64_t errors;    /* entries that could not be read */
	char first_error[512];
};

/* Walks path; 0, or -1 with err when path itself cannot be read. */
int disk_du_run(const char *path, const struct disk_du_opts *o,
    struct disk_du *out, struct err *err);
void disk_du_release(struct disk_du *d);

#endif
