/*
 * passwd.h - user names for uids: ROOT/etc/passwd (parsed once), and on
 * the real system (no root prefix) the name service for uids not listed
 * there.  Answers are cached; unknown uids are shown as numbers, like ps.
 */
#ifndef COLLECT_PASSWD_H
#define COLLECT_PASSWD_H

#include <stddef.h>
#include <stdint.h>

#include "base/hmap.h"

struct uid_names {
	struct hmap m; /* uid (4 bytes) -> malloc'd name */
	char *root;
	int loaded;
	unsigned skipped; /* malformed passwd lines */
	char num[16];
};

void uid_names_init(struct uid_names *u, const char *root);
/*
 * Whether a uid missing from /etc/passwd is asked of the name service
 * (getpwuid_r: LDAP, sssd, systemd's userdb); on by default.  A process
 * under a seccomp filter that forbids sockets and loading libraries
 * turns it off: such a uid then has no name.
 */
void uid_names_use_nss(int on);
void uid_names_release(struct uid_names *u);
/* The name of uid (or its number as text); valid until the next call or release. */
const char *uid_names_get(struct uid_names *u, uint32_t uid);
/* The name of uid, or NULL when it has none; valid until release. */
const char *uid_names_lookup(struct uid_names *u, uint32_t uid);

/*
 * Parses passwd text ("name:x:uid:gid:...") calling fn for each entry;
 * returns the number of malformed lines.  Pure.
 */
unsigned passwd_parse(const char *s, size_t n,
    void (*fn)(const char *name, size_t namelen, uint32_t uid, void *arg),
    void *arg);

#endif
