/*
 * ban.h - the record of blocks in the state database (table net_bans):
 * what is blocked, since when, until when, why, by whom, with which
 * backend, and how it ended.  A block is written here (and committed)
 * before the kernel is asked to apply it, so a crash between the two
 * leaves a record that `sakimori net restore` re-applies.
 */
#ifndef NET_BAN_H
#define NET_BAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/addr.h"

struct err;
struct store;

enum net_ban_state {
	NET_BAN_ACTIVE,  /* in force (until passed: due to expire) */
	NET_BAN_REMOVED, /* unblocked by someone */
	NET_BAN_EXPIRED, /* its time ran out and it was removed */
	NET_BAN_FAILED,  /* the backend refused to apply it */
};

struct net_ban {
	int64_t id;
	struct net_prefix prefix;
	char backend[16]; /* "route" or "nftables" */
	char kind[16];    /* "blackhole", "unreachable", "prohibit", "drop" */
	time_t since;
	time_t until; /* 0: never expires */
	char reason[256];
	char by[128]; /* "user:root", "rule:conn-flood" */
	enum net_ban_state state;
	time_t ended; /* 0 while active */
	char ended_by[128];
	char note[256]; /* why it failed, when it did */
};

/* Creates or updates the table (module "net"). */
int net_ban_migrate(struct store *s, struct err *err);

/*
 * Inserts b (state ACTIVE) and sets b->id.  The caller brackets a batch
 * in store_begin/store_commit.  0 or -1.
 */
int net_ban_insert(struct store *s, struct net_ban *b, struct err *err);

/* Ends ban id with state (REMOVED, EXPIRED, FAILED), by and note. */
int net_ban_end(struct store *s, int64_t id, enum net_ban_state state,
    time_t when, const char *by, const char *note, struct err *err);

/* Moves an active ban's expiry (a repeated block extends it). */
int net_ban_extend(struct store *s, int64_t id, time_t until, struct err *err);

/*
 * The active ban of exactly prefix: 0 (b filled), 1 none, -1 error.
 */
int net_ban_find_active(struct store *s, const struct net_prefix *p,
    struct net_ban *b, struct err *err);

/* How many bans prefix had before (any state but FAILED).  -1 on error. */
int64_t net_ban_history(
    struct store *s, const struct net_prefix *p, struct err *err);

/* How many bans are active.  -1 on error. */
int64_t net_ban_count_active(struct store *s, struct err *err);

/*
 * Every ban (active only unless all), oldest first, into a malloc'd array
 * (*out, *n; free it).  0 or -1.
 */
int net_ban_list(
    struct store *s, int all, struct net_ban **out, size_t *n, struct err *err);

const char *net_ban_state_name(enum net_ban_state st);

/* b as a JSON object of type "net.ban" (the ended fields when it is not
 * active), or NULL when out of memory. */
struct json_t;
struct json_t *net_ban_json(const struct net_ban *b);

#endif
