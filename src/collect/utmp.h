/*
 * utmp.h - logged-in users from the utmp file (who(1), w(1)): user, tty,
 * remote host, login time, and idle time from the terminal's atime.
 */
#ifndef COLLECT_UTMP_H
#define COLLECT_UTMP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct err;

#define SESSIONS_MAX 4096 /* sessions kept; more are counted in dropped */

struct session {
	char user[33];
	char line[33]; /* "pts/0" */
	char host[257];
	/* the remote address (ut_addr_v6): AF_INET (the first 4 bytes of
	 * addr), AF_INET6, or 0 when the record has none */
	int addr_family;
	unsigned char addr[16];
	int pid;
	time_t login; /* seconds since the epoch */
	double idle;  /* seconds since the terminal was last used; -1 unknown */
};

struct sessions {
	struct session *s;
	size_t n, cap;
	unsigned records;   /* utmp records read */
	unsigned malformed; /* a trailing partial record */
	unsigned dropped;   /* past SESSIONS_MAX */
};

/*
 * Parses the bytes of a utmp file (records of struct utmp, glibc's layout
 * for this architecture); keeps USER_PROCESS records with a user name.
 * Fields are not NUL-terminated in the file; they are cut to fit.  The
 * caller releases out with sessions_release in every case.  0, or -1 on
 * ENOMEM.
 */
int utmp_parse(
    const void *data, size_t n, struct sessions *out, struct err *err);
/*
 * Reads ROOT/run/utmp (or ROOT/var/run/utmp) and sets each session's idle
 * time from the atime of ROOT/dev/LINE, against now.  A missing utmp file
 * means nobody is logged in (0, no sessions).
 */
int utmp_read(
    const char *root, time_t now, struct sessions *out, struct err *err);
void sessions_release(struct sessions *s);

#endif
