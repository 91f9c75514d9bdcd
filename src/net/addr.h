/*
 * addr.h - IP addresses and prefixes: parse, print, compare, mask.
 *
 * A prefix is a family (AF_INET or AF_INET6), a length and the address
 * with every bit past the length zero.  A single address is a prefix of
 * full length (/32 or /128).  An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is the IPv4 address: it parses as AF_INET, and
 * net_prefix_from_bytes folds it the same way, so a client of a
 * dual-stack listener is counted and blocked as the IPv4 address it is.
 */
#ifndef NET_ADDR_H
#define NET_ADDR_H

#include <stddef.h>
#include <stdint.h>

struct err;

struct net_prefix {
	uint8_t family;   /* AF_INET or AF_INET6 */
	uint8_t len;      /* 0..32 or 0..128 */
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
};

/* "2001:db8:ffff:ffff:ffff:ffff:255.255.255.255/128" and a NUL */
#define NET_PREFIX_STRLEN 56

/*
 * Parses "ADDR" or "ADDR/LEN" (the n bytes at s).  Refuses, each with a
 * message that says why: anything not an IPv4 or IPv6 address, a zone id
 * ("fe80::1%eth0"), brackets, a length out of range or not decimal, and
 * host bits set past the length ("10.1.2.3/8": the message suggests
 * 10.0.0.0/8).  ::ffff:a.b.c.d[/96+N] becomes a.b.c.d[/N].
 * 0, or -1 with err.
 */
int net_prefix_parse(
    const char *s, size_t n, struct net_prefix *p, struct err *err);

/* A host prefix from raw bytes (family AF_INET: 4 bytes used), unmapped. */
void net_prefix_from_bytes(
    struct net_prefix *p, int family, const uint8_t addr[16]);

/*
 * Prints p into dst (at least NET_PREFIX_STRLEN): "192.0.2.1" for a host
 * prefix, "192.0.2.0/24" otherwise; net_prefix_format_len always adds /LEN.
 */
void net_prefix_format(const struct net_prefix *p, char *dst, size_t dstsz);
void net_prefix_format_len(const struct net_prefix *p, char *dst, size_t dstsz);

/* The host length of p's family: 32 or 128. */
unsigned net_prefix_maxlen(const struct net_prefix *p);
/* 1 when p is a single address. */
int net_prefix_is_host(const struct net_prefix *p);

/* Shortens p to len bits (no-op when len >= p->len), zeroing the rest. */
void net_prefix_truncate(struct net_prefix *p, unsigned len);

/* 1 when outer contains inner (same family, inner within outer). */
int net_prefix_contains(
    const struct net_prefix *outer, const struct net_prefix *inner);
/* 1 when a and b share an address (one contains the other). */
int net_prefix_overlaps(const struct net_prefix *a, const struct net_prefix *b);
int net_prefix_equal(const struct net_prefix *a, const struct net_prefix *b);

#endif
