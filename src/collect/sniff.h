/*
 * sniff.h - what a sniffer leaves in the kernel's tables: raw IP sockets
 * (/proc/net/raw, raw6), packet sockets (/proc/net/packet) and network
 * interfaces in promiscuous mode (IFF_PROMISC in /sys/class/net/IF/flags).
 * Socket inodes map to processes with collect/procfd.h.
 *
 * The parsers are pure (text in, entries out); the readers take a root
 * prefix so tests can use fixture trees.
 */
#ifndef COLLECT_SNIFF_H
#define COLLECT_SNIFF_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define SNIFF_MAX 4096 /* sockets or interfaces kept; more are counted */

enum sniff_kind {
	SNIFF_RAW4 = 1, /* AF_INET SOCK_RAW */
	SNIFF_RAW6,     /* AF_INET6 SOCK_RAW */
	SNIFF_PACKET,   /* AF_PACKET */
};

struct sniff_sock {
	enum sniff_kind kind;
	unsigned
	    proto;   /* IP protocol (raw) or ethertype (packet), host order */
	int ifindex; /* packet: bound interface, 0 all */
	uint32_t uid;
	uint64_t inode;
};

struct sniff_socks {
	struct sniff_sock v[SNIFF_MAX];
	size_t n;
	unsigned malformed; /* lines that did not parse */
	unsigned dropped;   /* past SNIFF_MAX */
};

/* Parses /proc/net/raw or raw6 text, appending to s. */
void sniff_raw_parse(
    const char *text, size_t len, enum sniff_kind kind, struct sniff_socks *s);
/* Parses /proc/net/packet text, appending to s. */
void sniff_packet_parse(const char *text, size_t len, struct sniff_socks *s);
/*
 * Reads ROOT/proc/net/{raw,raw6,packet} into s (zeroed first); a file
 * that is missing (no IPv6, no AF_PACKET) is skipped.  0, or -1 with err
 * when none could be read.
 */
int sniff_socks_read(struct sniff_socks *s, const char *root, struct err *err);

struct sniff_if {
	char name[32];
	unsigned flags; /* IFF_* */
};

/*
 * The interfaces under ROOT/sys/class/net whose flags have IFF_PROMISC;
 * returns how many (at most max stored), or -1 with err.
 */
int sniff_promisc_read(
    const char *root, struct sniff_if *out, size_t max, struct err *err);

#endif
