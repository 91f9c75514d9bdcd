/*
 * block.h - blocking addresses, safely: the policy (allow-list, prefix
 * breadth, cap on active blocks, repeat offenders), the record in the
 * state database before the kernel is touched, the backends (route or
 * nftables), the audit log, expiry and restore after a reboot.
 *
 * Order of a block: every request is checked (allow-list, breadth, cap);
 * the accepted ones are written to the state database in one transaction
 * (committed); then applied; a backend failure marks the record failed.
 * Every block, unblock and expiry is written to the audit log
 * (act/audit.h) with its result; a call whose actions could not be
 * audited (the log cannot be opened for appending) is refused before
 * anything is done.  A state database that cannot be read (corrupt)
 * fails the whole call before anything is done.
 */
#ifndef NET_BLOCK_H
#define NET_BLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/addr.h"

struct err;
struct store;
struct net_allow;

struct net_block_conf {
	const char *backend;     /* "route" (default) or "nftables" */
	const char *kind;        /* route type: "blackhole" (default), ... */
	unsigned broad4, broad6; /* shortest prefix without force (16, 32) */
	unsigned max_active;     /* cap on active blocks */
	double repeat_factor;    /* duration x factor^(earlier bans); 1: off */
	uint64_t max_duration;   /* repeat growth stops here (seconds) */
	int force;               /* allow prefixes broader than broad4/6 */
	int dry_run;             /* check and report; change nothing */
	const char *by;          /* "user:root", "rule:conn-flood" */
	const char *state_dir;   /* for the audit log */
};

enum net_block_status {
	NET_BLOCK_DONE,     /* blocked (or unblocked, or restored) */
	NET_BLOCK_EXTENDED, /* already blocked; expiry moved */
	NET_BLOCK_REFUSED,  /* policy said no; msg says why */
	NET_BLOCK_FAILED,   /* the backend failed; msg says why */
	NET_BLOCK_DRYRUN,   /* would be done */
	NET_BLOCK_ABSENT,   /* unblock: was not blocked */
};

/* The longest block: 3650 days, about ten years (0 means no end). */
#define NET_BLOCK_MAX_SECS ((uint64_t)3650 * 86400)

struct net_block_item {
	struct net_prefix p;
	uint64_t secs; /* asked duration (at most NET_BLOCK_MAX_SECS); 0: never
	                  expires */
	const char *reason; /* NULL: none given */
	/* filled in: */
	enum net_block_status status;
	time_t until;    /* effective expiry, 0: never */
	uint64_t repeat; /* earlier bans of this prefix */
	int err_code;    /* errno of a failure (EPERM: not root) */
	char msg[400];
};

/* Defaults: route/blackhole, /16 and /32, 10000 active, factor 2, 30 days. */
void net_block_conf_init(struct net_block_conf *c);

/*
 * Results of add, remove and restore besides 0 and -1 (database):
 * EAUDIT, the audit log cannot be written, so nothing was done;
 * UNAUDITED, done as the items say, but the audit log write failed at
 * the end.
 */
#define NET_BLOCK_EAUDIT (-2)
#define NET_BLOCK_UNAUDITED 1

/*
 * Blocks each item (statuses in the items).  -1 with err when the state
 * database fails, NET_BLOCK_EAUDIT with err when the audit log cannot be
 * opened for appending (nothing is applied then); NET_BLOCK_UNAUDITED
 * with err when the items were handled but their audit entries could not
 * be written; otherwise 0, even when some items were refused or failed.
 */
int net_block_add(struct store *s, const struct net_allow *allow,
    const struct net_block_conf *c, struct net_block_item *items, size_t n,
    struct err *err);

/*
 * Unblocks each item's exact prefix.  0, -1 with err (database),
 * NET_BLOCK_EAUDIT or NET_BLOCK_UNAUDITED with err (as net_block_add).
 */
int net_block_remove(struct store *s, const struct net_block_conf *c,
    struct net_block_item *items, size_t n, struct err *err);

/* An active block restore did not apply: what the allow-list says now. */
struct net_restore_skip {
	struct net_prefix p;
	char msg[400]; /* "refused: 10.0.0.1 is never blocked: ..." */
};

struct net_restore_stats {
	size_t applied; /* active blocks put (back) in place */
	size_t skipped; /* active blocks the allow-list refuses: not applied */
	struct net_restore_skip *skip; /* the first NET_RESTORE_SKIP_MAX */
	size_t nskip;
	size_t expired; /* blocks whose time ran out, removed */
	size_t stale;   /* sakimori routes with no active block, removed */
	size_t failed;  /* could not be applied or removed */
	char first_error[400];
};

#define NET_RESTORE_SKIP_MAX 1000

/*
 * Expires blocks whose time is up (removed from the kernel, recorded as
 * expired, audited), removes sakimori's routes that no active block
 * explains, and re-applies every active block that the allow-list still
 * accepts (the same refusals as net_block_add): one it now refuses
 * (an admin network, an SSH peer, a gateway, this host) is skipped,
 * removed from the kernel if it was there, audited and listed in st,
 * and stays recorded as active until it is unblocked or expires.  What
 * the boot unit and the expiry timer run.  0, or -1 with err (database,
 * or an audit log that cannot be written: nothing done).  Release st
 * with net_restore_stats_release.
 */
int net_block_restore(struct store *s, const struct net_allow *allow,
    const struct net_block_conf *c, time_t now, struct net_restore_stats *st,
    struct err *err);
void net_restore_stats_release(struct net_restore_stats *st);

const char *net_block_status_name(enum net_block_status st);

/*
 * How long a block of secs lasts for a prefix blocked earlier times
 * before: secs x repeat_factor^earlier, at most max_duration.
 */
uint64_t net_block_repeat_secs(
    const struct net_block_conf *c, uint64_t secs, uint64_t earlier);

#endif
