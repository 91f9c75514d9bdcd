/*
 * respond.h - active response: which findings block their address, for
 * how long, and what stops a block (the configuration's "respond { }"
 * block).  Pure: findings and the history of blocks in, decisions out;
 * the caller applies them through act_ops.block (act/act.h), whose
 * allow-list, breadth limit and cap always apply.
 *
 *	respond {
 *		block web-attack critical for 1h
 *		block auth-brute-force for 10m
 *		block mail-relay-probe for 1d
 *		block conn-flood for 1h
 *		block web-404-scan for 30m
 *		max-active 500
 *	}
 *
 * "block FINDING [warning|critical] [for DURATION]": findings of that
 * check at or above the severity (default warning) block their address
 * for the duration (default 1h).  FINDING is a check (web-attack,
 * auth-brute-force, auth-user-enumeration, auth-success-after-failures,
 * mail-relay-probe, mail-enumeration, conn-flood) or the kind of a
 * web-attack incident (web-404-scan, web-request-flood, web-login-burst).
 * A repeat offender's block grows as every block does (set
 * block-repeat-factor, block-max-duration); max-active stops responding
 * while that many blocks are active.
 */
#ifndef NET_RESPOND_H
#define NET_RESPOND_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/finding.h"
#include "net/addr.h"
#include "net/block.h"

struct conf;
struct err;
struct net_allow;
struct store;

#define RESPOND_RULES_MAX 32

struct respond_rule {
	char finding[40];
	enum sev min;  /* SEV_WARNING or SEV_CRITICAL */
	uint64_t secs; /* the first block's duration */
};

struct respond_conf {
	struct respond_rule rule[RESPOND_RULES_MAX];
	size_t n;                 /* 0: respond blocks nothing */
	unsigned max_active;      /* 0: no cap of its own */
	struct net_block_conf bc; /* growth of repeat offenders */
};

/* The names "block FINDING" accepts (NULL-terminated). */
extern const char *const respond_findings[];

/*
 * Reads the "respond" block of c (none: no rules) and the block settings.
 * 0, or -1 with err on a rule it cannot read.
 */
int respond_conf_load(
    struct respond_conf *rc, const struct conf *c, struct err *err);
/* Checks one "block ..." statement's values; 0 or -1 with why. */
int respond_rule_parse(const char *const *vals, size_t n,
    struct respond_rule *out, char *why, size_t whysz);

/* An address blocked before: how often, and whether it is now. */
struct respond_past {
	struct net_prefix p;
	unsigned earlier;
	int active;
};

enum respond_what {
	RESPOND_BLOCK,       /* block it */
	RESPOND_ACTIVE,      /* already blocked */
	RESPOND_ALLOWED,     /* the allow-list never blocks it */
	RESPOND_CAP,         /* max-active reached */
	RESPOND_NOT_ADDRESS, /* the finding names no address */
};

struct respond_decision {
	enum respond_what what;
	struct net_prefix p;
	char addr[64];
	size_t finding; /* index into the report */
	const struct respond_rule *rule;
	uint64_t secs;    /* with the growth of earlier blocks */
	unsigned earlier; /* blocks of this address before */
	char reason[256]; /* the finding and its evidence (net bans) */
	char why[160];    /* for ALLOWED, CAP, NOT_ADDRESS */
};

/*
 * Decides for every finding of r a rule selects, one decision per
 * address (the first finding wins; a later one with a longer block
 * replaces its rule).  past: earlier blocks (may be NULL); active: blocks
 * active now; allow: the allow-list, or NULL to leave it to the block.
 * Returns how many decisions were written to out (at most max).
 */
size_t respond_decide(const struct respond_conf *rc, const struct report *r,
    const struct respond_past *past, size_t npast, size_t active,
    const struct net_allow *allow, struct respond_decision *out, size_t max);

const char *respond_what_name(enum respond_what w);

/*
 * The blocks of the state database as respond_decide's history: one entry
 * per prefix, with its earlier blocks and whether one is active at now (a
 * block whose time is up counts as earlier, even before its expiry is
 * recorded).  *out (free it) holds *n entries; *active the active ones.
 * 0, or -1 with err.
 */
int respond_history(struct store *st, time_t now, struct respond_past **out,
    size_t *n, size_t *active, struct err *err);

/*
 * The block requests of the RESPOND_BLOCK decisions among d (n of them)
 * into items (room for n): each with its rule's duration (the block
 * grows a repeat offender's) and its reason.  How many.
 */
size_t respond_items(
    const struct respond_decision *d, size_t n, struct net_block_item *items);

#endif
