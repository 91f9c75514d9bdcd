/*
 * collect_int.h - what the collect readers share: reading a file below
 * the root prefix, counting a malformed line, telling a process's
 * directory in /proc.
 */
#ifndef COLLECT_COLLECT_INT_H
#define COLLECT_COLLECT_INT_H

#include <stddef.h>

struct err;
struct strbuf;

/*
 * Reads root + rel (root NULL or "" means the real system) into sb, at
 * most max bytes.  0, or -1 with err (err->code is the errno).
 */
int collect_file(const char *root, const char *rel, size_t max,
    struct strbuf *sb, struct err *err);

/* Counts a malformed line in *skipped, keeping the first one's number. */
static inline void
collect_bad_line(unsigned *skipped, unsigned *first_bad, unsigned lineno)
{
	(*skipped)++;
	if (*first_bad == 0)
		*first_bad = lineno;
}

/* Whether a name in /proc is a process's: digits, no leading zero. */
int collect_is_pid(const char *name);

#endif
