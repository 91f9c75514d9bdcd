/*
 * sock.h - the socket table: TCP and UDP sockets over IPv4 and IPv6, from
 * the kernel's NETLINK_SOCK_DIAG (inet_diag) with the state filter applied
 * in the kernel, or, where netlink is not available (or a --root fixture
 * tree is given), from /proc/net/{tcp,tcp6,udp,udp6}.
 *
 * Each socket carries its addresses, ports, TCP state, owner uid and
 * socket inode (match against /proc/PID/fd/N -> "socket:[INODE]" to find
 * its process).  Addresses are kept as the kernel reports them: an IPv6
 * socket that accepted an IPv4 client has the IPv4-mapped address
 * ::ffff:a.b.c.d (sock_addr_unmap gives the IPv4 address).
 *
 * Two ways in:
 *   sock_walk     calls a function for every socket, stores nothing (the
 *                 fast path for counting);
 *   sock_collect  fills a struct sock_table (bounded by SOCK_TABLE_MAX);
 * and two shorthands, sock_listening and sock_connections.
 *
 * sock_proc_parse is the pure parser of one /proc/net/tcp-style file.
 */
#ifndef COLLECT_SOCK_H
#define COLLECT_SOCK_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum sock_state {
	SOCK_ESTABLISHED = 1,
	SOCK_SYN_SENT = 2,
	SOCK_SYN_RECV = 3,
	SOCK_FIN_WAIT1 = 4,
	SOCK_FIN_WAIT2 = 5,
	SOCK_TIME_WAIT = 6,
	SOCK_CLOSE = 7, /* also an unconnected UDP socket */
	SOCK_CLOSE_WAIT = 8,
	SOCK_LAST_ACK = 9,
	SOCK_LISTEN = 10,
	SOCK_CLOSING = 11,
	SOCK_NEW_SYN_RECV = 12, /* reported as SOCK_SYN_RECV */
	SOCK_STATE_MAX = 12,
};

#define SOCK_STATE_BIT(s) (1u << (s))
#define SOCK_STATES_ALL 0x1ffeu /* every state 1..12 */

/* Bits for struct sock_query.families and .protos. */
#define SOCK_INET4 1u
#define SOCK_INET6 2u
#define SOCK_TCP 1u
#define SOCK_UDP 2u

/* Sockets kept by sock_collect at most; more are counted in dropped. */
#define SOCK_TABLE_MAX (4u * 1024 * 1024)

/* What to list; zero fields mean "all". */
struct sock_query {
	unsigned families; /* SOCK_INET4 | SOCK_INET6 */
	unsigned protos;   /* SOCK_TCP | SOCK_UDP */
	uint32_t states;   /* SOCK_STATE_BIT(...) mask; applied in the kernel */
	int force_proc;    /* read /proc/net even when netlink works */
	/*
	 * Split a large TCP dump over two threads when a second CPU is
	 * idle (see sock_walk).  fn may then be called from a second
	 * thread, but never by two threads at once.
	 */
	int parallel;
	/*
	 * The caller reads only family, proto, state, ports, addresses and
	 * uid: TCP may then come from the kernel's BPF socket iterator
	 * (sock_bpf.h), which leaves inode and queues 0.
	 */
	int addr_only;
};

struct sock_entry {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t proto;  /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t state;  /* enum sock_state (NEW_SYN_RECV folded to SYN_RECV) */
	uint8_t pad;
	uint16_t lport, rport; /* host byte order */
	uint8_t laddr[16];     /* network order; IPv4 in the first 4 bytes */
	uint8_t raddr[16];
	uint32_t uid;
	uint32_t rqueue, wqueue; /* bytes (listeners: backlog, max backlog) */
	uint64_t inode;          /* 0 for time-wait and request sockets */
};

struct sock_table {
	struct sock_entry *v;
	size_t n, cap;
	size_t dropped;     /* past SOCK_TABLE_MAX */
	unsigned skipped;   /* malformed /proc lines */
	const char *source; /* "bpf", "netlink" or "proc" */
};

/* Returns 0 to go on, non-zero to stop the walk (sock_walk returns it). */
typedef int (*sock_fn)(const struct sock_entry *e, void *arg);

/*
 * Calls fn for every socket q selects.  root ("" or NULL: none) is a
 * fixture-tree prefix; with one, /proc/ROOT/net/... is read instead of
 * netlink.  Netlink is tried first; when the kernel has no sock_diag for
 * a family/protocol (EPROTONOSUPPORT, ENOENT), /proc/net is read instead.
 * *source (when not NULL) is set to "netlink" or "proc".  *skipped (when
 * not NULL) is increased by malformed /proc lines.
 *
 * TCP of both families is one walk of the kernel's socket hash (the
 * TCPDIAG_GETSOCK request).  With q->parallel, two CPUs and one of them
 * idle (/proc/loadavg), the walk is made twice at once, each thread
 * asking the kernel (with a bytecode filter on the ports, split at the
 * middle of the ephemeral port range) for about half of the sockets:
 * the kernel's per-socket work, most of the time, is then shared by two
 * CPUs.  Only for more than 4,000 TCP sockets in this namespace
 * (/proc/net/sockstat).  The environment variable SAKIMORI_SOCK_SPLIT=1
 * forces the split, =0 prevents it (tests, benchmarks).
 *
 * With q->addr_only, TCP (when the states asked for are not LISTEN
 * alone) is first asked of the BPF socket iterator, which is faster
 * still (sock_bpf.h; *source "bpf"); where the kernel refuses it,
 * sock_diag as above.  SAKIMORI_SOCK_BPF=0 prevents it, =1 makes its
 * refusal an error (tests, benchmarks).
 * Returns 0, fn's non-zero value, or -1 with err.
 */
int sock_walk(const struct sock_query *q, const char *root, sock_fn fn,
    void *arg, const char **source, unsigned *skipped, struct err *err);

/* sock_walk into t (emptied first).  0 or -1 with err. */
int sock_collect(const struct sock_query *q, const char *root,
    struct sock_table *t, struct err *err);

/*
 * Listening sockets: TCP in LISTEN and bound UDP sockets that are not
 * connected (state CLOSE, local port != 0), IPv4 and IPv6.  0 or -1.
 */
int sock_listening(const char *root, struct sock_table *t, struct err *err);

/*
 * TCP connections (IPv4 and IPv6) whose state is in the states mask
 * (0 means every state but LISTEN).  0 or -1.
 */
int sock_connections(
    uint32_t states, const char *root, struct sock_table *t, struct err *err);

void sock_table_release(struct sock_table *t);

/*
 * Pure parser of one /proc/net/{tcp,tcp6,udp,udp6} text: calls fn for every
 * socket whose state is in states (0: all).  family is AF_INET or
 * AF_INET6, proto IPPROTO_TCP or IPPROTO_UDP.  The header line is skipped;
 * a malformed line is counted in *skipped (and the first one's line number
 * in *first_bad when not NULL and 0) and skipped.  Addresses are read as
 * the kernel prints them: each 32-bit word in host byte order, so fixtures
 * must come from a little-endian machine when the tests run on one.
 * Returns 0, or fn's non-zero value.
 */
int sock_proc_parse(const char *text, size_t len, int family, int proto,
    uint32_t states, sock_fn fn, void *arg, unsigned *skipped,
    unsigned *first_bad);

/* "ESTABLISHED", "SYN_RECV", ... ("UNCONN" for a UDP CLOSE); "?" if unknown. */
const char *sock_state_name(int state, int proto);
/*
 * Parses a state name (case-insensitive; '-' and '_' alike, "SYN-RECV",
 * "time_wait", also "UNCONN").  The state, or -1.
 */
int sock_state_parse(const char *s);

/*
 * Writes e's local or remote address as text ("192.0.2.1", "2001:db8::1",
 * "::ffff:192.0.2.1") into dst.
 */
void sock_addr_format(
    int family, const uint8_t addr[16], char *dst, size_t dstsz);
/*
 * Writes an address and port as "192.0.2.1:22" or, for IPv6, with the
 * address in RFC 5952 form in brackets: "[::]:22", "[2001:db8::1]:8080".
 */
void sock_endpoint_format(
    int family, const uint8_t addr[16], unsigned port, char *dst, size_t dstsz);
/*
 * If addr is IPv6 and IPv4-mapped (::ffff:a.b.c.d), rewrites it in place
 * as the IPv4 address and returns AF_INET; otherwise returns family.
 */
int sock_addr_unmap(int family, uint8_t addr[16]);

#endif
