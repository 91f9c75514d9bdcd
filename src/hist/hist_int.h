/*
 * hist_int.h - what the history's files share, and what its tests reach.
 */
#ifndef HIST_HIST_INT_H
#define HIST_HIST_INT_H

#include <time.h>

#include "base/hmap.h"
#include "base/strbuf.h"
#include "collect/cpu.h"
#include "collect/diskstats.h"
#include "collect/netdev.h"
#include "collect/vmstat.h"
#include "hist/hist.h"

struct err;

/* The values of one series not yet stored (hist_write keeps them until
 * its batch is due). */
struct hist_pending {
	unsigned n;
	time_t t[HIST_BATCH_MAX];
	double v[HIST_BATCH_MAX];
};

struct hist {
	char state_dir[4096];
	unsigned batch;   /* steps stored in one update of each file */
	unsigned steps;   /* steps kept since the last flush */
	int fork_flush;   /* hist_set_fork */
	struct hmap pend; /* series name -> struct hist_pending * */
	char *procs[HIST_PROCS_MAX]; /* history { processes ... } */
	size_t nprocs;
	struct hist_sample cur; /* the values of the last hist_collect */
	/* the sample before, for the rates */
	int have_prev;
	double prev_mono;
	struct cpu_times prev_cpu;
	int have_prev_cpu;
	struct vmstat prev_vm;
	int have_prev_vm;
	struct diskstats prev_disk;
	struct netdevs prev_net; /* the counters of the last step */
};

/* Whether a series is a rate (name ending "_ps"): its period total
 * means something. */
int hist_is_rate(const char *name);
/* "day", "week", "month" or "year": the period secs reaches. */
const char *hist_period_name(unsigned long secs);

/* The arguments of rrd_graph_v for MRTG's view of one series. */
struct hist_graph_args {
	char *argv[40];
	int argc;
	char start[32];
	char title[HIST_NAME_MAX + 32];
	struct strbuf def_a, def_m;
};

/* Fills g for the RRD at path (series name) over the last period seconds
 * into output (SVG when it ends in ".svg").  0, or -1 (path too long).
 * Release with hist_graph_args_release. */
int hist_graph_args(struct hist_graph_args *g, const char *path,
    const char *name, unsigned long period, const char *output);
void hist_graph_args_release(struct hist_graph_args *g);

/* Makes the RRD of one series at path, its last update at last. */
int hist_create(const char *path, time_t last, struct err *err);

#endif
