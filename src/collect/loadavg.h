/*
 * loadavg.h - load average (/proc/loadavg) and uptime (/proc/uptime).
 *
 * The parsers are pure (bytes in, struct out); the readers open the file
 * below a root prefix (NULL or "" for the real system, a fixture tree in
 * tests).
 */
#ifndef COLLECT_LOADAVG_H
#define COLLECT_LOADAVG_H

#include <stddef.h>
#include <stdint.h>

struct err;

struct loadavg {
	double avg1, avg5, avg15;
	uint64_t running;  /* runnable scheduling entities now */
	uint64_t total;    /* scheduling entities (threads) that exist */
	uint64_t last_pid; /* 0 when absent */
};

struct uptime {
	double up;   /* seconds since boot */
	double idle; /* idle seconds summed over CPUs; NAN when absent */
};

/*
 * "0.52 0.58 0.59 1/467 12345": the three averages are required; the
 * rest is optional (0 when absent).  0, or -1 with err.
 */
int loadavg_parse(
    const char *s, size_t n, struct loadavg *out, struct err *err);
int loadavg_read(const char *root, struct loadavg *out, struct err *err);

/* "883.35 1712.25": 0, or -1 with err when the first number is missing. */
int uptime_parse(const char *s, size_t n, struct uptime *out, struct err *err);
int uptime_read(const char *root, struct uptime *out, struct err *err);

#endif
