/*
 * audit.h - the audit log: every action sakimori takes on the system
 * (kill, block, unblock, mail of an owner) is recorded before or as it
 * happens, as one JSON object per line in STATE_DIR/audit.log (appended,
 * synced) and to syslog (authpriv.notice).
 */
#ifndef ACT_AUDIT_H
#define ACT_AUDIT_H

#include <stddef.h>

struct err;

struct audit_entry {
	const char *action; /* "kill", "block", "unblock", "mail" */
	const char *who;    /* "rule:stuck-cgi" or "user:root" */
	const char
	    *target; /* "pid 1234 (/usr/lib/cgi-bin/x.pl)", "203.0.113.9/32" */
	const char *reason; /* why, for a human */
	const char *result; /* "ok", "failed: ...", "dry-run" */
};

/*
 * Checks that the audit log can be appended to (opens it for appending,
 * creating it and the state directory if missing), so that an action is
 * refused before it is taken when it could not be recorded.  0, or -1
 * with err.
 */
int audit_check(const char *state_dir, struct err *err);
/* Appends e to state_dir/audit.log.  0, or -1 with err. */
int audit_log(
    const char *state_dir, const struct audit_entry *e, struct err *err);
/*
 * Appends n entries with one write and one fsync (a batch of blocks);
 * each also goes to syslog.  0, or -1 with err (then none was written).
 */
int audit_log_many(const char *state_dir, const struct audit_entry *e, size_t n,
    struct err *err);

#endif
