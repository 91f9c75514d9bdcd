/*
 * journal.h - an alert event into the systemd journal, or syslog where
 * there is none (see alert.h).
 */
#ifndef ACT_JOURNAL_H
#define ACT_JOURNAL_H

#include "agent/event.h"

struct err;

/*
 * The syslog priority of e: CRITICAL 2 (crit), UNKNOWN 3 (err), WARNING
 * and flapping 4 (warning), a resolve 5 (notice).
 */
int journal_priority(const struct alert_event *e);
/*
 * Writes e: with sd_journal_send (libsystemd, loaded at first use) as
 * MESSAGE (alert_summary), PRIORITY, SYSLOG_IDENTIFIER=sakimori and
 * SAKIMORI_CHECK, _SUBJECT, _SEVERITY, _EVENT, _PROBLEM, _COUNT when the
 * journal's socket exists; else to syslog(3) (facility daemon) with the
 * same MESSAGE (an error when /dev/log is missing too).  *where is
 * "journal" or "syslog".  0, or -1 with err.
 */
int journal_send(
    const struct alert_event *e, const char **where, struct err *err);

#endif
