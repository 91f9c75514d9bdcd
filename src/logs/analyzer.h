/*
 * analyzer.h - the plug-in interface of `sakimori logs scan` and `logs
 * follow`: every parsed record is handed to each analyzer in one pass.
 *
 * To add an analyzer (e.g. attack signatures):
 *   1. write src/logs/NAME.c with a `const struct logs_analyzer_ops
 *      logs_NAME_ops` (name, the record kinds it wants, and the four
 *      callbacks below);
 *   2. declare it at the end of this header and add `&logs_NAME_ops` to
 *      logs_analyzer_table[] in src/logs/analyzer.c.
 * An analyzer that is a module of its own (mail: src/mail/mail_analyzer.c)
 * lives there and is only named in the table.
 * `logs scan` and `logs follow` then run it; `--analyzers a,b` selects.
 * One listed in logs_analyzer_named[] instead runs only when named.
 *
 * Contract:
 *   - create(opts) returns the analyzer's private state or NULL (out of
 *     memory, or a bad option: then it sets *errmsg).  State must stay
 *     bounded whatever the input (use base/topk.h for unbounded keys).
 *   - record(state, rec, report) is called for every record whose kind is
 *     in `kinds`, in file order.  The record and its strings are valid only
 *     during the call: copy what you keep.  It may add findings to report
 *     at once (follow mode prints them as they come); most analyzers keep
 *     state and report in finish().
 *   - finish(state, report, out) is called once at the end of a scan (and
 *     when follow stops): add findings to report, and print the analyzer's
 *     summary to out->fp: tables (base/table.h) in OUT_TABLE mode, one
 *     JSON object per line ({"type":"NAME.KIND", ...}, base/json.h) in
 *     OUT_JSON mode, nothing in OUT_NAGIOS.  Document every JSON field in
 *     docs/sakimori.8 and keep them stable.
 *   - free(state) releases everything.
 *   - hint(state, line, n), optional (NULL), sees the head of a line to
 *     come (in a batch scan the third after the line whose record comes
 *     next), before it: a chance to start loading what that line will
 *     need (memory latency hidden behind the work on the lines before).
 *     It must not change any result; it may not be called for some lines.
 *   - show(state, out), optional (NULL), prints what finish() would
 *     print of the records so far, without ending anything and without
 *     findings: the agent's dashboard asks for it while it follows.
 */
#ifndef LOGS_ANALYZER_H
#define LOGS_ANALYZER_H

#include <stdint.h>
#include <stdio.h>

#include "base/finding.h"
#include "base/output.h"
#include "logs/logs.h"

struct conf;

/* Options every analyzer may read; set by the command line / config. */
struct logs_opts {
	int top;         /* rows in top lists (default 10) */
	size_t topk_cap; /* entries a top-k keeps (default 10000) */
	const char
	    *page_types; /* comma list of page suffixes: "html,htm,php" */
	const char *const *sites; /* own host names (NULL-terminated) or NULL */
	double flood_rate;        /* messages per minute that make a flood */
	unsigned flood_min;       /* and at least this many in all */
	int follow;               /* 1 when live: report as lines arrive */
	/* the attacks analyzer (src/logs/attacks.c) */
	const struct conf *conf; /* NULL: built-in defaults */
	const char *state_dir;   /* compiled-rules cache when it exists */
	/* the caches' own paths instead of those in state_dir (NULL: none) */
	const char *rules_cache, *crs_cache;
	const char *rules; /* --rules: rule file or directory */
	int rules_lean; /* the rules' database of every rule alone (SIG_LEAN) */
	int attacks_list;      /* print each flagged request (logs attacks) */
	const struct out *out; /* where analyzers may print as records come */
};

void logs_opts_default(struct logs_opts *o);

struct logs_analyzer_ops {
	const char *name; /* "stats", "links", "floods", "attacks" */
	const char *help;
	unsigned kinds; /* LOGS_KIND_* bits it wants */
	void *(*create)(const struct logs_opts *opts, const char **errmsg);
	void (*record)(void *st, const struct logs_rec *rec, struct report *r);
	void (*finish)(void *st, struct report *r, const struct out *out);
	void (*free)(void *st);
	void (*hint)(void *st, const char *line, size_t n);
	void (*show)(void *st, const struct out *out);
};

/* The table of analyzers that run by default (NULL-terminated). */
extern const struct logs_analyzer_ops *const logs_analyzer_table[];
/* Analyzers that run only when named (NULL-terminated). */
extern const struct logs_analyzer_ops *const logs_analyzer_named[];
/* An analyzer by name, or NULL. */
const struct logs_analyzer_ops *logs_analyzer_find(const char *name);

/* A running set of analyzers. */
struct logs_run {
	const struct logs_analyzer_ops *ops[16];
	void *st[16];
	unsigned n;
	unsigned kinds; /* union of ops' kinds */
	unsigned hints; /* some analyzer has a hint() */
};

/*
 * Creates the analyzers named in the comma list names (NULL: all of them).
 * 0, or -1 with *errmsg.  The analyzers keep opts (and what it points to):
 * it must live until logs_run_release.
 */
int logs_run_init(struct logs_run *run, const char *names,
    const struct logs_opts *opts, const char **errmsg);
/* Hands rec to every analyzer that wants its kind. */
void logs_run_record(
    struct logs_run *run, const struct logs_rec *rec, struct report *r);
/* hint() of every analyzer that has one (see above). */
void logs_run_hint(struct logs_run *run, const char *line, size_t n);
/* finish() of every analyzer. */
void logs_run_finish(
    struct logs_run *run, struct report *r, const struct out *out);
/* show() of every analyzer that has one, those named in the comma list
 * names (NULL: all). */
void logs_run_show(
    struct logs_run *run, const char *names, const struct out *out);
void logs_run_release(struct logs_run *run);

/* The built-in analyzers. */
extern const struct logs_analyzer_ops logs_stats_ops;
extern const struct logs_analyzer_ops logs_attacks_ops;
extern const struct logs_analyzer_ops logs_links_ops;
extern const struct logs_analyzer_ops logs_auth_ops;
extern const struct logs_analyzer_ops logs_floods_ops;
extern const struct logs_analyzer_ops logs_mail_ops; /* src/mail/ */

/* What run's stats analyzer counted so far (fields unchanged when it does
 * not run): requests, pages among them (its page types), responses 4xx
 * and 5xx.  And the requests run's attacks analyzer flagged (0 when it
 * does not run). */
struct logs_web_counts {
	uint64_t hits, pages, c4xx, c5xx;
};
void logs_stats_counts(const struct logs_run *run, struct logs_web_counts *c);
uint64_t logs_attacks_flagged(const struct logs_run *run);

#endif
