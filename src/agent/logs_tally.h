/*
 * logs_tally.h - the requests and mail messages a followed set of logs
 * counted since its bookmarks began: the counts of each PRIV_PROGRESS
 * the log child sent (priv.h) added up, for the history (web and mail
 * series) and /metrics; kept beside the bookmarks in the set's counters
 * file (agent_logs.c), as text, so that a line is counted once however
 * the agent or the child stops.  Pure.
 *
 * An access log is one of the set's first PRIV_WEB_LOGS files, in a
 * slot of its own named by the hash of its path (the counters file is
 * read back by those, whatever order the logs come in next time); the
 * other files of the set share one slot (key 0).
 */
#ifndef AGENT_LOGS_TALLY_H
#define AGENT_LOGS_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "agent/priv.h"

/* The slot of the files past the first PRIV_WEB_LOGS (and of no index). */
#define LOGS_TALLY_OTHER PRIV_WEB_LOGS

struct logs_tally {
	size_t nweb; /* files in slots of their own (0: no access logs) */
	uint64_t key[PRIV_WEB_LOGS + 1]; /* each slot's path hashed; 0 */
	uint64_t web[PRIV_WEB_LOGS + 1][PRIV_WEB_N];
	uint64_t mail[PRIV_MAIL_N];
};

/* The longest text logs_tally_format writes, with its NUL. */
#define LOGS_TALLY_TEXT                                                        \
	(21 * (2 + PRIV_MAIL_N + (PRIV_WEB_LOGS + 1) * (1 + PRIV_WEB_N)) + 2)

/* Nothing counted yet for the set of paths (web: they are access logs,
 * else there are no web slots). */
void logs_tally_init(
    struct logs_tally *t, const char *const *paths, size_t npaths, int web);
/* The hash that names the slot of path. */
uint64_t logs_tally_key(const char *path);
/*
 * Adds the counts of pr.  lines is the number of lines of the set read
 * so far: a mail count past it (each message counted needs a line of its
 * own) is refused, -1 and nothing added; else 0.
 */
int logs_tally_add(
    struct logs_tally *t, const struct priv_progress *pr, uint64_t lines);
/*
 * t as one line of text (numbers of 20 characters: the same length for
 * the same slots) into buf; its length, or 0 when sz is too small.
 */
size_t logs_tally_format(const struct logs_tally *t, char *buf, size_t sz);
/*
 * Reads at *cur a line logs_tally_format wrote: each slot's counts into
 * the slot of t with the same key (those of a path no longer followed
 * are dropped), the mail counts as they are.  0 and *cur past it, or -1
 * (t unchanged) when it is not such a line.
 */
int logs_tally_parse(struct logs_tally *t, const char **cur, const char *end);

#endif
