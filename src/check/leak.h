/*
 * leak.h - the memory-leak check: a process whose resident memory grows
 * steadily over a window while the memory available to the machine falls.
 *
 * leak_steady() is the pure part: does a series of samples grow steadily
 * (a line fits it well, most successive samples rose, and the slope is
 * large enough), not by one jump, not as noise?  check_memory_leak() keeps
 * a few samples per process between runs in the agent's memo (nothing in
 * a one-shot run, which has none) and reports the steady growers.
 */
#ifndef CHECK_LEAK_H
#define CHECK_LEAK_H

#include <stddef.h>

struct check_ctx;
struct err;
struct report;

/* What counts as steady growth. */
struct leak_params {
	size_t min_samples; /* at least this many samples */
	double min_span;    /* covering at least this many seconds */
	double min_rate;    /* a slope of at least this many units/s */
	double min_r2;      /* a line explaining this share of the variance */
	double min_rising;  /* this share of successive samples rising */
};

struct leak_fit {
	size_t n;      /* samples */
	double span;   /* seconds from the first to the last */
	double slope;  /* units per second (least squares) */
	double r2;     /* how well the line fits, 0..1 */
	double rising; /* share of successive samples above the one before */
};

/*
 * Fits the n samples (t in seconds, ascending; y the values) and says
 * whether they grow steadily by p: 1 yes, 0 no.  out is filled either
 * way (zeros where there was too little to fit).
 */
int leak_steady(const double *t, const double *y, size_t n,
    const struct leak_params *p, struct leak_fit *out);

/* Processes and samples the check keeps at most (memory stays bounded). */
#define LEAK_PROCS_MAX 1024
#define LEAK_SAMPLES 32

/*
 * The check: samples every process's RSS from x->snap into *x->memo and
 * adds a WARNING per steady grower while available memory falls.  No
 * memo (a one-shot run): nothing.  0, or -1 with err (out of memory).
 */
int check_memory_leak(
    const struct check_ctx *x, struct report *r, struct err *err);
/* Frees the check's memo. */
void check_memory_leak_free(void *memo);
/* Processes the memo tracks now (for tests: memory stays bounded). */
size_t check_memory_leak_tracked(const void *memo);

#endif
