/*
 * mail_hist.h - what the mail rules learn over time, kept in the state
 * database (store.h): the recipient domains mail went to on each day, and
 * each client's, SASL login's and local user's outbound recipients per
 * day.  A domain seen on at least two other days is "usual"; a
 * principal's usual volume is its average over at least three other days.
 * The days of the log being judged never count as history, so reading
 * the same log twice learns nothing new; principals with a volume or
 * domain finding teach nothing.
 */
#ifndef MAIL_MAIL_HIST_H
#define MAIL_MAIL_HIST_H

#include "mail/mail_stats.h"
#include "store/store.h"

struct err;

struct mail_hist {
	struct store st;
	int64_t day_lo, day_hi; /* the days being judged */
	sqlite3_stmt *q_usual, *q_volume;
};

/* Opens the state database and its mail tables.  0 or -1 with err. */
int mail_hist_open(
    struct mail_hist *h, const char *state_dir, int create, struct err *err);
void mail_hist_close(struct mail_hist *h);
/* Points p's history callbacks at h for the period of s. */
void mail_hist_policy(
    struct mail_hist *h, const struct mail_stats *s, struct mail_policy *p);
/* Records the period of s (after mail_stats_judge).  0 or -1 with err. */
int mail_hist_learn(struct mail_hist *h, struct mail_stats *s, struct err *err);

#endif
