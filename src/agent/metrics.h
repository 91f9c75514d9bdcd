/*
 * metrics.h - the agent's /metrics: the values of one snapshot of the
 * machine (load, CPU seconds, memory, swap, filesystems, disk I/O,
 * network interfaces, TCP connections by state), the open problems and the server table, as
 * Prometheus series named sakimori_* (agent/expo.h writes them; the
 * names are listed in docs/api.md).  Pure: the caller collects.
 */
#ifndef AGENT_METRICS_H
#define AGENT_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "agent/problem.h"
#include "collect/sock.h"

struct expo;
struct inventory;
struct netdevs;
struct snap;

/* Problems listed one by one at most (the worst, then the oldest). */
#define METRICS_PROBLEMS_MAX 50

/* A check of the agent's registry, for its state. */
struct metrics_check {
	const char *name;       /* the registry's name */
	const char *const *ids; /* the check names of its problems (NULL:
	                           name only), NULL-terminated */
	int enabled;
	time_t last; /* its last run (0: not yet) */
};

struct metrics_src {
	const struct snap *snap;   /* NULL: no machine series */
	const struct netdevs *net; /* interfaces' counters; NULL: none */
	long hz;                   /* USER_HZ: CPU ticks per second */
	/* TCP sockets by state (index: enum sock_state); NULL: not read */
	const uint64_t *tcp;
	/* the open and pending problems (sorted here, so not const) */
	struct problem_info *pr;
	size_t npr;
	const struct metrics_check *checks; /* the registry's checks */
	size_t nchecks;
	const struct inventory *inv; /* NULL: no server table */
	time_t started;              /* the agent's start */
};

/* Writes every series of m to e (expo_end is the caller's). */
void metrics_write(struct expo *e, const struct metrics_src *m);

#endif
