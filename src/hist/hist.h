/*
 * hist.h - the history: one round-robin database (RRDtool's librrd,
 * loaded at first use) per series under STATE_DIR/rrd/, written by the
 * agent every HIST_STEP seconds, read back by "sakimori history" and
 * drawn by "sakimori graph".
 *
 * A series is a name ("load", "cpu.user_pct", "fs.var_log.blocks_used")
 * and one number per step.  Every series is a gauge: rates (CPU, disk,
 * swap) are worked out before they are stored, over the time since the
 * sample before, so each RRD holds one data source "v" of type GAUGE.
 *
 * The archives are MRTG's, with a finer one in front (hist_rra):
 *   10 s for 3 hours (AVERAGE, and MAX for a graph of those hours),
 *   5 min for 2 days, 30 min for 2 weeks, 2 h for 2 months, 1 day for
 *   2 years (AVERAGE and MAX each).
 */
#ifndef HIST_HIST_H
#define HIST_HIST_H

#include <stddef.h>
#include <time.h>

struct conf;
struct err;
struct snap;
struct strbuf;

#define HIST_STEP 10u        /* seconds between two stored values */
#define HIST_NAME_MAX 96     /* a series name, with its NUL */
#define HIST_SERIES_MAX 4096 /* series kept per sample; more are dropped */
#define HIST_DIR "rrd"       /* inside the state directory */
#define HIST_PROCS_MAX 64    /* process names counted (history processes) */
/* Steps kept in memory before each file is updated with all of them in
 * one call (history { batch }): one open and map of each file per batch
 * instead of per step.  6 (a minute) by default. */
#define HIST_BATCH_DEFAULT 6u
#define HIST_BATCH_MAX 60u

/* One archive: consolidation function, steps per row, rows. */
struct hist_rra {
	const char *cf; /* "AVERAGE" or "MAX" */
	unsigned steps; /* HIST_STEP-second steps per row */
	unsigned rows;
};

/* The archives, in order; how many (at most max written to out). */
size_t hist_rra(struct hist_rra *out, size_t max);
/* The "RRA:CF:0.5:STEPS:ROWS" text of r into dst; 0, or -1 cut. */
int hist_rra_text(const struct hist_rra *r, char *dst, size_t dstsz);

/*
 * A series name from its parts: prefix ("fs"), an optional subject ("/var
 * /log", "sda", "sendmail") made safe for a file name and for rrd_graph
 * (letters, digits, '_' and '-' kept, any other byte '_', leading and
 * trailing '/' dropped, "/" alone "root"), and what ("blocks_used").
 * 0, or -1 when it does not fit HIST_NAME_MAX.
 */
int hist_name(char *dst, size_t dstsz, const char *prefix, const char *subject,
    const char *what);
/* Whether name is a well-formed series name (letters, digits, "._-", not
 * starting with '.', no "..", at most HIST_NAME_MAX - 1 bytes). */
int hist_name_ok(const char *name);

/* One value of one series. */
struct hist_point {
	char name[HIST_NAME_MAX];
	double v; /* NAN: unknown this step */
};

/* The values of one step (every series). */
struct hist_sample {
	struct hist_point *v;
	size_t n, cap;
	unsigned dropped; /* past HIST_SERIES_MAX, or a name that did not fit */
	unsigned dups;    /* a name already in the sample (first kept) */
};

void hist_sample_init(struct hist_sample *s);
void hist_sample_release(struct hist_sample *s);
void hist_sample_reset(struct hist_sample *s);
/* Adds name = v; a name already there keeps its first value.  0 or -1
 * (out of memory, or dropped). */
int hist_sample_add(struct hist_sample *s, const char *name, double v);
/* The value of name in s, or NULL. */
const struct hist_point *hist_sample_find(
    const struct hist_sample *s, const char *name);

/* What the agent knows besides the snapshot. */
struct hist_extra {
	int have_problems;
	size_t problems[4]; /* open problems by enum sev */
};

/*
 * The history writer: the state directory, the process names to count
 * (history { processes ... }) and what the rates need from the sample
 * before.
 */
struct hist;

/* Whether c wants a history (not "history { enabled no }"). */
int hist_enabled(const struct conf *c);
/* hist_new's flags */
#define HIST_FORK                                                              \
	1u /* store in a child of its own (hist_set_fork), and
                      * try librrd there, not here (dynlib_probe) */
/* The writer for state_dir (STATE_DIR/rrd made 0700 when missing) with
 * the configuration c.  NULL with err when librrd cannot be loaded or the
 * directory cannot be made. */
struct hist *hist_new(const char *state_dir, const struct conf *c,
    unsigned flags, struct err *err);
void hist_free(struct hist *h);
/* Reads the process names again (after a reload). */
void hist_configure(struct hist *h, const struct conf *c);
/* The snapshot sections hist_collect reads (SNAP_BIT mask). */
unsigned hist_snap_want(const struct hist *h);
/*
 * The values of one step from snapshot s (taken with hist_snap_want,
 * interval 0), the TCP sockets under root and x, into h's current
 * sample; rates over the time since the call before (unknown the first
 * time).  The sample is what hist_current returns.
 */
void hist_collect(struct hist *h, struct snap *s, const char *root,
    const struct hist_extra *x);
/*
 * Keeps the current sample as the values at time t, and every batch
 * steps stores what was kept (hist_flush).  0, or -1 with err from the
 * flush; *written is the count of series the flush stored (0 when the
 * batch is not due yet).
 */
int hist_write(struct hist *h, time_t t, size_t *written, struct err *err);
/*
 * Stores what was kept: an RRD made for every series that has none yet,
 * then one update per series with all its values.  0, or -1 with err (the
 * first failure; the other series are still written); *written is the
 * count of series stored.
 */
int hist_flush(struct hist *h, size_t *written, struct err *err);
/*
 * Whether hist_flush stores in a process of its own, forked for each
 * flush and gone after it: librrd and what it brings (cairo, pango, glib:
 * about 5 MB resident) are then loaded there, never in the caller, which
 * a long-running agent keeps small that way.  The caller waits for it as
 * for a flush of its own.  Off by default; where fork fails, in-process.
 */
void hist_set_fork(struct hist *h, int on);
/* The values of the last hist_collect: the series list of /metrics. */
const struct hist_sample *hist_current(const struct hist *h);

/* Reading (the commands). */

/* The RRD file of series name in state_dir into dst.  0, or -1 with err
 * (a bad name, or too long). */
int hist_path(const char *state_dir, const char *name, char *dst, size_t dstsz,
    struct err *err);
/* The series that have an RRD in state_dir, sorted, into *names (each and
 * the array malloc'd; free with hist_names_free).  How many, or -1 with
 * err (ENOENT when there is no history yet). */
long hist_list(const char *state_dir, char ***names, struct err *err);
void hist_names_free(char **names, long n);

/* Values of one series between two times, at the finest archive that
 * covers the range. */
struct hist_series {
	time_t start;       /* the first row ends at start + step */
	unsigned long step; /* seconds per row */
	size_t n;           /* rows */
	double *v;          /* n values, NAN unknown (malloc'd) */
};

int hist_fetch(const char *state_dir, const char *name, const char *cf,
    time_t since, time_t until, struct hist_series *out, struct err *err);
void hist_series_release(struct hist_series *s);

/*
 * The time --since names: "@EPOCH", an ISO 8601 / RFC 3339 stamp (local
 * time without a zone), or a duration ago ("1h", "-2d").  0, or -1.
 */
int hist_since_parse(const char *s, time_t now, time_t *out);

/* The seconds of a graph's period by its name ("day", "week", "month",
 * "year"), or 0. */
unsigned long hist_period_secs(const char *name);

/* The figures of a graph's legend (NAN: no value in the period). */
struct hist_graph_stats {
	double max, avg, last;
};

/* The MRTG view of series name over the last period seconds into output
 * (PNG, or SVG when it ends in ".svg"), and its legend's figures in st.
 * 0, or -1 with err. */
int hist_graph(const char *state_dir, const char *name, unsigned long period,
    const char *output, struct hist_graph_stats *st, struct err *err);
/* The same view as a PNG appended to img (the dashboard).  0, or -1 with
 * err. */
int hist_graph_png(const char *state_dir, const char *name,
    unsigned long period, struct strbuf *img, struct err *err);

#endif
