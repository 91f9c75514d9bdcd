/*
 * swaps.h - swap areas from /proc/swaps.
 */
#ifndef COLLECT_SWAPS_H
#define COLLECT_SWAPS_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define SWAPS_MAX 64 /* areas kept; the kernel allows 32 or so */

struct swap_area {
	char name[256]; /* unescaped ("\040" -> space), cut to fit */
	char type[16];  /* "partition", "file" */
	uint64_t size_kb, used_kb;
	int64_t prio;
};

struct swaps {
	struct swap_area a[SWAPS_MAX];
	size_t n;
	unsigned skipped;   /* malformed lines and areas past SWAPS_MAX */
	unsigned first_bad; /* line number of the first, 0 if none */
};

/* Parses /proc/swaps (a header line, then one line per area).  Always 0. */
int swaps_parse(const char *s, size_t n, struct swaps *out, struct err *err);
int swaps_read(const char *root, struct swaps *out, struct err *err);

/*
 * Copies the octal-escaped field [s, s+n) ("\040" for a space, as the
 * kernel writes names in /proc/swaps and /proc/self/mountinfo) into dst,
 * unescaped, NUL-terminated and cut to dstsz.  Returns the length.
 */
size_t collect_unoctal(char *dst, size_t dstsz, const char *s, size_t n);

#endif
