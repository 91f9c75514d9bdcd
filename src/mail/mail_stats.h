/*
 * mail_stats.h - what a mail log says over a period: the pflogsumm-like
 * counts (received, delivered, deferred, bounced, rejected), top senders,
 * recipients, domains, clients, SASL logins and local users, and the
 * rules that judge them (mail_stats_judge):
 *
 *   mail-relay-probe      relay attempts refused per client address
 *   mail-enumeration      "User unknown" refusals per client address
 *   mail-outside-domains  distinct recipient domains that are neither
 *                         local nor usual, per client, SASL login, user
 *   mail-volume           outbound recipients per principal and day,
 *                         absolute or far above its usual level
 *   mail-null-sender      null-sender (from=<>) mail that is not our own
 *                         bounce notification
 *   mail-deferred         messages still deferred when the log ends
 *
 * Every per-key table is bounded (keys past the cap are counted as
 * dropped), so memory does not depend on what an attacker writes.
 */
#ifndef MAIL_MAIL_STATS_H
#define MAIL_MAIL_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/finding.h"
#include "base/hmap.h"
#include "mail/mail_join.h"

enum mail_pkind {
	MAIL_P_CLIENT = 0, /* client address */
	MAIL_P_SASL,       /* SASL login */
	MAIL_P_USER,       /* local submitter */
	MAIL_P_N
};

/* A bounded map from strings to counters. */
struct mail_tally {
	struct hmap m; /* key -> struct mail_who * or struct mail_count * */
	size_t max;
	uint64_t dropped;
};

struct mail_count {
	uint64_t n;
	uint64_t bytes;
};

struct mail_dcount {
	uint64_t h; /* hash of the lowercased domain; 0: empty */
	uint32_t n;
};

/* One client address, SASL login or local user. */
struct mail_who {
	uint64_t msgs; /* messages it submitted */
	uint64_t bytes;
	uint64_t rcpts; /* recipients of its messages */
	uint64_t rej[MAIL_REJ_NREJ];
	uint64_t null_from; /* null-sender messages not ours */
	uint64_t auth_fail;
	struct mail_dcount *d; /* recipient domains, open addressing */
	uint32_t nd, capd;
	uint64_t overflow;  /* recipients past the domain cap */
	uint64_t out_rcpts; /* set by judge: recipients outside local domains */
	unsigned flagged : 1; /* set by judge: a volume or domain finding */
};

struct mail_policy {
	double relay_warn, relay_crit;
	double enum_warn, enum_crit;
	double outside_warn, outside_crit;
	double volume_warn, volume_crit, volume_factor;
	double null_warn, null_crit;
	double deferred_warn, deferred_crit;
	const char *const *local_domains; /* configured */
	size_t nlocal;
	const char *const *usual_domains; /* configured */
	size_t nusual;
	/* History (may be NULL): 1 if domain is usual. */
	int (*hist_usual)(void *arg, const char *domain);
	/* History: usual recipients per day of a principal, or < 0. */
	double (*hist_volume)(void *arg, enum mail_pkind k, const char *name);
	void *hist;
	int enabled_relay, enabled_enum, enabled_outside, enabled_volume,
	    enabled_null, enabled_deferred;
};

struct mail_stats {
	time_t first, last;
	uint64_t lines, garbage, mail_lines;
	uint64_t received, delivered, deferred, bounced, expired;
	uint64_t rejected, reject_warn, rej[MAIL_REJ_NREJ];
	uint64_t notifications; /* our own bounces (from=<>) */
	uint64_t null_from, null_unexplained;
	uint64_t auth_fail, connects;
	uint64_t bytes_received, bytes_delivered;
	uint64_t open_at_end, open_deferred;
	struct mail_tally who[MAIL_P_N];
	struct mail_tally senders, sender_domains, rcpts, rcpt_domains;
	struct hmap local_domains; /* learned: delivered here (bounded) */
	struct mail_join join;
	int flushed;
};

void mail_stats_init(struct mail_stats *s, size_t max_keys);
/* Local submitters by name: fn names a uid (NULL: none, "uid N"). */
void mail_stats_uid_names(struct mail_stats *s,
    const char *(*fn)(void *arg, uint64_t uid), void *arg);
void mail_stats_release(struct mail_stats *s);
/*
 * Feeds one log line (without its newline).  year is for stamps without
 * one.  Lines that are not mail lines are counted; garbage is counted.
 */
void mail_stats_line(
    struct mail_stats *s, const char *line, size_t n, int year);
/* Feeds one line already split (its count in lines is the caller's);
 * NULL: a line of no known shape, counted as garbage. */
void mail_stats_split(struct mail_stats *s, const struct mail_line *l);
/* Feeds the message msg of program tag, logged at t (0: unknown). */
void mail_stats_msg(struct mail_stats *s, const char *tag, size_t taglen,
    const char *msg, size_t msglen, time_t t);
/* Feeds one parsed event at time t. */
void mail_stats_event(
    struct mail_stats *s, const struct mail_event *ev, time_t t);
/* End of input: closes open messages (counted as still in the queue). */
void mail_stats_finish(struct mail_stats *s);

/* The policy from built-in defaults (no configuration). */
void mail_policy_default(struct mail_policy *p);
/* Judges the period: adds findings to r, naming client, login or user. */
void mail_stats_judge(
    struct mail_stats *s, const struct mail_policy *p, struct report *r);

/* Lowercased domain of an address ("" when none), into dst. */
void mail_domain(char *dst, size_t dstsz, const char *addr, size_t n);
const char *mail_pkind_name(enum mail_pkind k);
/* The hash judge and history use for a lowercased domain. */
uint64_t mail_domain_hash(const char *d, size_t n);

/* Entries of a tally sorted by count, biggest first; caller frees. */
struct mail_top {
	const char *key;
	uint64_t n;
	uint64_t bytes;
	const struct mail_who *who;
};
size_t mail_tally_top(
    const struct mail_tally *t, int is_who, struct mail_top **out);

#endif
