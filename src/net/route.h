/*
 * route.h - the route backend of blocking, through rtnetlink (libmnl):
 * blackhole, unreachable or prohibit routes in the main table, marked
 * with sakimori's own routing protocol number (NET_RTPROT, shown by
 * `ip route show proto 83`) so sakimori finds and removes only its own.
 * Also a route dump, for the default gateways of the allow-list.
 */
#ifndef NET_ROUTE_H
#define NET_ROUTE_H

#include "net/addr.h"

struct err;
struct mnl_socket;

#define NET_RTPROT 83

struct net_rt {
	struct mnl_socket *nl;
	unsigned seq, portid;
};

#define NET_RT_MAXGW 8

/* One route of a dump. */
struct net_rt_info {
	struct net_prefix dst;
	int type;     /* RTN_UNICAST, RTN_BLACKHOLE, ... */
	int protocol; /* RTPROT_*, NET_RTPROT */
	unsigned table;
	unsigned ngw;
	struct net_prefix gw[NET_RT_MAXGW]; /* host prefixes */
	unsigned oif;
};

int net_rt_open(struct net_rt *rt, struct err *err);
void net_rt_close(struct net_rt *rt);

/* "blackhole", "unreachable", "prohibit" -> RTN_*, or -1. */
int net_rt_kind(const char *kind);

/*
 * Adds (add=1) or removes (add=0) the route of kind for p, protocol
 * NET_RTPROT.  Adding a route that is already there, or removing one that
 * is not, succeeds.  EPERM says that it needs CAP_NET_ADMIN.  0 or -1.
 */
int net_rt_block(struct net_rt *rt, const struct net_prefix *p,
    const char *kind, int add, struct err *err);

/*
 * Calls fn for every route of family (AF_INET or AF_INET6) in every
 * table.  0, fn's non-zero value, or -1.
 */
int net_rt_dump(struct net_rt *rt, int family,
    int (*fn)(const struct net_rt_info *ri, void *arg), void *arg,
    struct err *err);

#endif
