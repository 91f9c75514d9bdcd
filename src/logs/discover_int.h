/*
 * discover_int.h - what the files of log discovery share: adding a log,
 * a skipped directive, a note.
 */
#ifndef LOGS_DISCOVER_INT_H
#define LOGS_DISCOVER_INT_H

#include "logs/discover.h"

/* Adds path (a second mention of a path is dropped: the first says why). */
void discover_add(struct discover *d, const char *path, enum discover_kind k,
    const char *source, const char *server);
void discover_skipped(struct discover *d, const char *target,
    const char *source, const char *why);
void discover_note(struct discover *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
