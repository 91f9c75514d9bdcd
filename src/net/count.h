/*
 * count.h - connection counts from the socket table: per remote address,
 * per remote prefix (/24 and /64 by default), per local service port, per
 * TCP state, and per (remote address or prefix, local service port) for
 * the flood rules.
 *
 * A connection's local port counts as a service port when something on
 * this host listens on it (a connection to a listener is inbound); other
 * connections (outbound, from an ephemeral local port) count in the
 * totals, per state and per remote address, but in no port.
 * IPv4-mapped remote addresses count as the IPv4 address.  Every map is
 * bounded (NET_COUNT_MAXKEYS); keys past it are counted in overflow.
 */
#ifndef NET_COUNT_H
#define NET_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "base/hmap.h"
#include "collect/sock.h"
#include "net/addr.h"

struct err;

#define NET_COUNT_MAXKEYS (1u << 20)

struct net_count_opts {
	unsigned plen4, plen6; /* prefix lengths (0: 24 and 64) */
	uint32_t states;       /* SOCK_STATE_BIT mask, 0: all */
	int port;              /* only this local port, or -1 */
	unsigned protos;       /* SOCK_TCP (default) and/or SOCK_UDP */
	int per_port_keys;     /* also fill addr_port and prefix_port */
	int force_proc;        /* read /proc/net instead of netlink */
	int parallel;          /* sock_query.parallel: for interactive use */
	int no_bpf;            /* sock_diag, never the BPF socket iterator */
};

struct net_counts {
	uint64_t total;                     /* sockets counted */
	uint64_t state[SOCK_STATE_MAX + 1]; /* by state */
	struct hmap addr;        /* key: struct net_prefix (host) -> count */
	struct hmap prefix;      /* key: struct net_prefix -> count */
	struct hmap port;        /* key: uint16_t local service port -> count */
	struct hmap addr_port;   /* key: struct net_count_key */
	struct hmap prefix_port; /* key: struct net_count_key */
	uint64_t overflow;       /* keys dropped past NET_COUNT_MAXKEYS */
	const char *source;      /* "bpf", "netlink" or "proc" */
	unsigned skipped;        /* malformed /proc lines */
	uint8_t *listening;      /* 65536 bytes: 1 where a TCP listener is */
};

/* Key of the per-port maps. */
struct net_count_key {
	struct net_prefix p;
	uint16_t port;
};

/* One row of a top list. */
struct net_count_row {
	const void *key; /* points into the map: struct net_prefix, uint16_t
			    or struct net_count_key */
	size_t klen;
	uint64_t n;
};

void net_counts_init(struct net_counts *c);
void net_counts_release(struct net_counts *c);

/*
 * Reads the socket table once (root: fixture prefix or NULL) and counts.
 * LISTEN sockets count in total and state but have no remote address.
 * 0 or -1 with err.
 */
int net_count_collect(const struct net_count_opts *o, const char *root,
    struct net_counts *c, struct err *err);

/*
 * Adds the states of a comma-separated list of names ("ESTABLISHED,
 * SYN_RECV", as sock_state_parse knows them) to *mask; SYN_RECV also
 * means NEW_SYN_RECV.  0, or -1 for an unknown or empty name.
 */
int net_count_states_parse(const char *list, uint32_t *mask);

/*
 * Counts one socket (what net_count_collect does for each); listening
 * must already be known for per-port counts.  0 or -1 (ENOMEM).
 */
int net_count_add(struct net_counts *c, const struct net_count_opts *o,
    const struct sock_entry *e);

/*
 * The largest entries of m, biggest first (ties: smaller key first), at
 * most max (0: all).  *rows is malloc'd (free it); returns how many, or
 * (size_t)-1 on ENOMEM.
 */
size_t net_count_top(
    const struct hmap *m, size_t max, struct net_count_row **rows);

#endif
