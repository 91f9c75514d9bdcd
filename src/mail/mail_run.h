/*
 * mail_run.h - what `mail report` and `mail follow` do around the counts
 * (mail_stats.h): the analyzer of the log engine that fills them, their
 * summary, the policy from the configuration, the process and queue
 * checks, and the live judge that tells which findings of a growing log
 * are new.
 */
#ifndef MAIL_RUN_H
#define MAIL_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "base/finding.h"
#include "mail/mail_stats.h"

struct conf;
struct err;
struct mail_hist;

#define MAIL_LINE_MAX 65536
#define MAIL_CONF_DOMAINS 256

struct logs_run;
struct out;

/*
 * The counts of the mail analyzer (logs_mail_ops, mail_analyzer.c) in run,
 * or NULL when it is not one of run's analyzers.
 */
struct mail_stats *mail_analyzer_stats(const struct logs_run *run);
/* From now on the mail analyzer of run counts into s (a live window's
 * counts); NULL: into its own again. */
void mail_analyzer_count_into(const struct logs_run *run, struct mail_stats *s);

/*
 * The summary of s (counts, then top lists of top rows) to out->fp: a
 * table, or JSON lines ({"type":"mail-summary"}, {"type":"mail-top"}).
 */
void mail_stats_print(
    const struct mail_stats *s, const struct out *out, int top);

/* Domain lists of the configuration, pointed to by a mail_policy. */
struct mail_conf_lists {
	const char *local[MAIL_CONF_DOMAINS];
	const char *usual[MAIL_CONF_DOMAINS];
};

/* The policy: built-in defaults, then the configuration's checks. */
void mail_policy_from_conf(
    const struct conf *c, struct mail_policy *p, struct mail_conf_lists *l);

/*
 * The MTA processes running now (root/proc): performance data, and a
 * finding above the mail-processes thresholds.
 */
void mail_judge_procs(const struct conf *c, const char *root, struct report *r);

/*
 * postfix's deferred queue now, where readable: performance data, a
 * finding above the mail-deferred thresholds, and the growth since the
 * last look (kept in h's state database when h is not NULL).
 */
void mail_judge_queue(const struct conf *c, const char *root,
    struct mail_hist *h, struct report *r);

/* A finding already told: by check and subject, at its severity. */
struct mail_seen {
	char key[330];
	enum sev sev;
};

/* The counts of a growing log, restarted every window. */
struct mail_live {
	struct mail_stats s;
	struct mail_policy p;
	const char *(*uid_fn)(void *arg, uint64_t uid);
	void *uid_arg;
	uint64_t window; /* seconds; 0 never restart */
	double window_start;
	struct mail_seen *seen;
	size_t nseen, capseen;
};

/* p is copied; uid_fn and uid_arg as for mail_stats_uid_names. */
void mail_live_init(struct mail_live *lv, const struct mail_policy *p,
    uint64_t window, double now, const char *(*uid_fn)(void *arg, uint64_t uid),
    void *uid_arg);
/* Judges the counts so far without closing open messages (nor judging
 * deferred mail, which only the end of a period tells): findings into r. */
void mail_live_judge(struct mail_live *lv, struct report *r);
/* 1 when f was not told yet, or at a lower severity (it is recorded). */
int mail_live_is_new(struct mail_live *lv, const struct finding *f);
/* At the end of a window: the counts and what was told start again. */
void mail_live_window(struct mail_live *lv, double now);
void mail_live_release(struct mail_live *lv);

#endif
