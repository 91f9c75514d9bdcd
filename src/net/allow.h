/*
 * allow.h - the allow-list: what can never be blocked, whatever a rule or
 * a person asks.  Built fresh before each block from: loopback (127/8,
 * ::1) and the unspecified address; every address of this host
 * (getifaddrs, in the current network namespace); the default gateways
 * (routes of length 0 in any table, with their multipath next hops); the
 * configured admin networks; the peers of established TCP connections to
 * a local SSH port (22 unless configured) that no visible sshd process
 * holds, the peers of every established TCP socket a logged-in sshd
 * process holds (found by socket inode in /proc/PID/fd: sshd on any port,
 * also the targets of its forwardings; a connection still authenticating,
 * a password guesser's, is no session), and the client in this process's
 * SSH_CONNECTION.  Multicast
 * (224.0.0.0/4, ff00::/8) and the broadcast address are on it too: a
 * route or a set element for them stops no attacker.  A block is
 * refused when its prefix overlaps any entry (contains it or lies
 * inside it).
 */
#ifndef NET_ALLOW_H
#define NET_ALLOW_H

#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

struct err;

struct net_allow_entry {
	struct net_prefix p;
	char why[128];
};

struct net_allow {
	struct net_allow_entry *v;
	size_t n, cap;
};

struct net_allow_opts {
	const char *const *admin; /* prefixes as text */
	size_t nadmin;
	const uint16_t *ssh_ports; /* NULL: 22 */
	size_t nssh;
	const char *ssh_connection; /* $SSH_CONNECTION, or NULL */
};

/*
 * Fills a (emptied first).  A bad admin network is an error (the
 * configuration check should have caught it); failing to read addresses,
 * routes or sockets is an error too: without the list, nothing is
 * blocked.  0 or -1 with err.
 */
int net_allow_build(
    struct net_allow *a, const struct net_allow_opts *o, struct err *err);
/* Adds one entry.  0 or -1 (ENOMEM). */
int net_allow_add(
    struct net_allow *a, const struct net_prefix *p, const char *why);
/* The first entry p overlaps, or NULL. */
const struct net_allow_entry *net_allow_match(
    const struct net_allow *a, const struct net_prefix *p);
void net_allow_release(struct net_allow *a);

#endif
