/*
 * sessions.h - the sessions check: a login by a user, or from an address,
 * not seen before or not allowed by the configuration.
 *
 * It reads the current sessions from the utmp file (below x->root), and
 * the logins appended to /var/log/wtmp since its last look (a bookmark in
 * the state database; the first look only sets it) that utmp no longer
 * holds: sessions that began and ended between two runs, told once.  It
 * remembers the users and addresses it has seen in the state database
 * (module "sessions").  A session is reported on every run while it
 * lasts, under a subject naming it (user, line, address, login time), so
 * the agent makes one problem per session, opened at the login and
 * resolved at the logout; "first login by" and "first login from" are
 * facts about the session, kept with it until it ends.
 *
 *	check sessions { users alice bob; from 192.0.2.0/24 2001:db8::/32 }
 *
 * A user not on "users", or a remote address outside "from", is
 * CRITICAL; without the list, a user (an address) not seen before is a
 * WARNING.  Without a state directory only the lists are checked, and
 * with neither list the check is UNKNOWN: it cannot tell new from known.
 * In the agent (x->memo), a utmp whose sessions did not change since the
 * last run is answered from memory, without the database.
 */
#ifndef CHECK_SESSIONS_H
#define CHECK_SESSIONS_H

struct check_ctx;
struct err;
struct report;

/* 0, or -1 with err (utmp or the state database unreadable). */
int check_sessions(
    const struct check_ctx *x, struct report *r, struct err *err);

#endif
