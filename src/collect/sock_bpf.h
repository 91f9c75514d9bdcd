/*
 * sock_bpf.h - TCP sockets from the kernel's BPF socket iterator (iter/tcp,
 * Linux 5.9 and later): the fast way to walk a large socket table.
 *
 * sock_diag fills a netlink message of about 100 bytes with attributes for
 * every socket; this small BPF program, run by the kernel on each socket
 * as it walks its hash tables, writes 48 bytes (family, state, ports, uid,
 * addresses) and skips, in the kernel, the states not asked for.  On 40,000
 * sockets the kernel's share drops from about 30 to 17 ms.
 *
 * The program is written here as instructions (no compiler, no libbpf);
 * the offsets it reads are this kernel's own, looked up in its BTF
 * (/sys/kernel/btf/vmlinux, see btf.h), and every load is checked again by
 * the kernel's verifier against the same BTF.  It needs CAP_BPF and
 * CAP_PERFMON (root); sock_walk falls back to sock_diag when the kernel
 * says no.  The socket inode and queue sizes are not read (0).
 */
#ifndef COLLECT_SOCK_BPF_H
#define COLLECT_SOCK_BPF_H

#include <stddef.h>
#include <stdint.h>

#include "collect/sock.h"

struct err;
struct bpf_insn;

/* What the program needs from this kernel's BTF: byte offsets. */
struct sock_bpf_layout {
	uint32_t iter_id; /* BTF id of the function bpf_iter_tcp */
	/* struct bpf_iter__tcp (the program's context), bpf_iter_meta */
	uint16_t ctx_meta, ctx_sk, ctx_uid, meta_seq;
	/* struct sock_common */
	uint16_t daddr, rcv_saddr, dport, num, family, state;
	uint16_t v6_daddr, v6_rcv_saddr;
	/* struct inet_timewait_sock */
	uint16_t tw_substate;
};

/*
 * The layout from the BTF of len bytes at btf.  0; 1 when a type or
 * member is missing or not of the size the program reads (err says
 * which: the program cannot be used); -1 when the data is malformed.
 */
int sock_bpf_layout(
    const void *btf, size_t len, struct sock_bpf_layout *l, struct err *err);

/* Instructions in the program at most. */
#define SOCK_BPF_INSNS 64

/*
 * The program for a state mask (SOCK_STATE_BIT; 0: every state), written
 * into prog (SOCK_BPF_INSNS at least).  Returns the instruction count.
 */
size_t sock_bpf_program(
    const struct sock_bpf_layout *l, uint32_t states, struct bpf_insn *prog);

/* Bytes the program writes per socket. */
#define SOCK_BPF_REC 48

/* One record into e.  0, or -1 when it is not one the program writes. */
int sock_bpf_decode(const uint8_t *rec, struct sock_entry *e);

/*
 * The layout kept in DIR/btf-layout for the boot boot_id and a BTF of
 * btf_size bytes (sock_bpf_cache.c).  get: 0, or -1 when there is none
 * to trust; put: 0 or -1, and nothing is lost by a failure.
 */
int sock_bpf_cache_get(const char *dir, const char *boot_id, uint64_t btf_size,
    struct sock_bpf_layout *l);
int sock_bpf_cache_put(const char *dir, const char *boot_id, uint64_t btf_size,
    const struct sock_bpf_layout *l);

/*
 * An iterator over the TCP sockets of this network namespace whose state
 * is in states (0: all): its descriptor, or -1 with err when it cannot be
 * used here (no BTF, no privilege, an older kernel).
 */
int sock_bpf_open(uint32_t states, struct err *err);

/*
 * Reads the iterator fd to its end, calling fn for every socket of the
 * families (SOCK_INET4 | SOCK_INET6).  Returns 0, fn's non-zero value, or
 * -1 with err.  The caller closes fd.
 */
int sock_bpf_read(
    int fd, unsigned families, sock_fn fn, void *arg, struct err *err);

#endif
