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
#include "collect/snap.h"
#include "collect/sock.h"

struct expo;
struct inventory;
struct netdevs;
struct snap;

/* What the machine's series read of a snapshot (collect/snap.h). */
#define METRICS_SNAP                                                           \
	(SNAP_BIT(SNAP_LOAD) | SNAP_BIT(SNAP_CPU) | SNAP_BIT(SNAP_MEM) |       \
	    SNAP_BIT(SNAP_VM) | SNAP_BIT(SNAP_FS) | SNAP_BIT(SNAP_DISK))

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

/* Whether sakimori_machine_up is written, and its value. */
enum metrics_machine {
	METRICS_MACHINE_NONE, /* not written */
	METRICS_MACHINE_UP,   /* 1: the machine's series are in */
	METRICS_MACHINE_DOWN, /* 0: they could not be had */
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
	const struct inventory *inv;  /* NULL: no server table */
	time_t started;               /* the agent's start */
	enum metrics_machine machine; /* sakimori_machine_up */
};

/*
 * Writes every series of m to e (expo_end is the caller's): the
 * machine's (metrics_write_machine) first, then sakimori_machine_up (as
 * m->machine says), then the others.
 */
void metrics_write(struct expo *e, const struct metrics_src *m);

/*
 * The machine's series alone, from a snapshot taken with METRICS_SNAP
 * (NULL: none), the interfaces' counters (NULL: none) and USER_HZ: what
 * the agent's parsing child writes for the root parent's /metrics.
 */
void metrics_write_machine(
    struct expo *e, const struct snap *s, const struct netdevs *nd, long hz);

#endif
