/*
 * netdev.h - each network interface's counters from /proc/net/dev (bytes,
 * packets, errors, drops, received and sent), as MRTG and node_exporter
 * read them.
 */
#ifndef COLLECT_NETDEV_H
#define COLLECT_NETDEV_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define NETDEV_MAX 4096 /* interfaces kept; more are counted in skipped */

/* Counters since the interface appeared. */
struct netdev {
	char name[16]; /* IFNAMSIZ */
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;
};

struct netdevs {
	struct netdev *d; /* malloc'd */
	size_t n, cap;
	unsigned skipped;   /* malformed lines, interfaces past NETDEV_MAX */
	unsigned first_bad; /* line number of the first, 0 if none */
};

/*
 * Parses the text of /proc/net/dev (the two heading lines, then one line
 * per interface: "NAME: 16 numbers") into out (emptied first; release
 * with netdev_release).  Malformed lines are counted and skipped.  0, or
 * -1 with err when out of memory.
 */
int netdev_parse(const char *s, size_t n, struct netdevs *out, struct err *err);
/* Reads ROOT/proc/net/dev.  0 or -1 with err. */
int netdev_read(const char *root, struct netdevs *out, struct err *err);
void netdev_release(struct netdevs *d);

#endif
