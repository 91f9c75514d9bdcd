/*
 * sock_bpf.c - the TCP socket table from a BPF socket iterator (see
 * sock_bpf.h): the layout from BTF, the program, its records, the walk.
 */
#include "collect/sock_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "base/err.h"
#include "base/mem.h"
#include "collect/btf.h"
#include "collect/kbpf.h"

#define BOOT_ID "/proc/sys/kernel/random/boot_id"
#define RUN_DIR "/run/sakimori"

/* ---- the layout ------------------------------------------------------- */

struct want {
	const char *name;
	uint32_t size; /* what the program reads */
	size_t at;     /* offsetof the field in struct sock_bpf_layout */
};

#define W(member, size, field)                                                 \
	{                                                                      \
		member, size, offsetof(struct sock_bpf_layout, field)          \
	}

static const struct want ctx_want[] = {
    W("meta", 8, ctx_meta),
    W("sk_common", 8, ctx_sk),
    W("uid", 4, ctx_uid),
};
static const struct want meta_want[] = {W("seq", 8, meta_seq)};
static const struct want skc_want[] = {
    W("skc_daddr", 4, daddr),
    W("skc_rcv_saddr", 4, rcv_saddr),
    W("skc_dport", 2, dport),
    W("skc_num", 2, num),
    W("skc_family", 2, family),
    W("skc_state", 1, state),
    W("skc_v6_daddr", 16, v6_daddr),
    W("skc_v6_rcv_saddr", 16, v6_rcv_saddr),
};
static const struct want tw_want[] = {W("tw_substate", 1, tw_substate)};

/* The members w of struct id into l.  0, 1 (missing, other size), -1. */
static int
members(struct btf *b, const struct btf_want *s, const struct want *w, size_t n,
    struct sock_bpf_layout *l, struct err *err)
{
	if (s->id == 0) {
		err_set(err, ENOENT, "btf: no struct %s", s->name);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t off, size;
		int r = btf_member(b, s->id, w[i].name, &off, &size, err);

		if (r == -1)
			return -1;
		/* the program's loads use 16-bit offsets from the pointer */
		if (r == 1 || size != w[i].size || off > INT16_MAX) {
			err_set(err, ENOENT,
			    "btf: %s.%s is not a %u-byte member", s->name,
			    w[i].name, w[i].size);
			return 1;
		}
		memcpy((char *)l + w[i].at, &(uint16_t){(uint16_t)off},
		    sizeof(uint16_t));
	}
	return 0;
}

int
sock_bpf_layout(
    const void *data, size_t len, struct sock_bpf_layout *l, struct err *err)
{
	struct btf_want t[] = {
	    {BTF_K_STRUCT, "sock_common", 0},
	    {BTF_K_STRUCT, "inet_timewait_sock", 0},
	    {BTF_K_STRUCT, "bpf_iter_meta", 0},
	    {BTF_K_STRUCT, "bpf_iter__tcp", 0},
	    {BTF_K_FUNC, "bpf_iter_tcp", 0},
	};
	struct btf b;
	int r;

	memset(l, 0, sizeof(*l));
	if (btf_init(&b, data, len, err) == -1)
		return -1;
	if ((r = btf_find(&b, t, countof(t), err)) == 0)
		r = members(&b, &t[0], skc_want, countof(skc_want), l, err);
	if (r == 0)
		r = members(&b, &t[1], tw_want, countof(tw_want), l, err);
	if (r == 0)
		r = members(&b, &t[2], meta_want, countof(meta_want), l, err);
	if (r == 0)
		r = members(&b, &t[3], ctx_want, countof(ctx_want), l, err);
	if (r == 0 && t[4].id == 0) {
		err_set(err, ENOENT,
		    "btf: no function bpf_iter_tcp (a kernel older than 5.9?)");
		r = 1;
	}
	l->iter_id = t[4].id;
	btf_release(&b);
	return r;
}

/* ---- the program ------------------------------------------------------ */

/* The record, on the program's stack at fp - 48 (see sock_bpf_decode). */
#define REC (-SOCK_BPF_REC)
#define TW_STATE 6 /* TCP_TIME_WAIT: the real state is tw_substate */
#define NEW_SYN 12 /* TCP_NEW_SYN_RECV: a request socket */

/*
 * Jumps are written with the label they go to in .off and resolved at the
 * end: label numbers, not instruction counts, so that the program reads
 * top to bottom.
 */
enum { L_OUT = 1, L_FILTER, L_V6, L_EMIT, L_N };

size_t
sock_bpf_program(
    const struct sock_bpf_layout *l, uint32_t states, struct bpf_insn *p)
{
	size_t n = 0, at[L_N] = {0};
	uint32_t mask = states != 0 ? states : 0xffffffffu;
	unsigned char jumps[SOCK_BPF_INSNS] = {0};

	if (mask & SOCK_STATE_BIT(SOCK_SYN_RECV))
		mask |= SOCK_STATE_BIT(NEW_SYN);
	mask &= 0x7fffffffu; /* an immediate is signed: states are < 16 */
#define J(insn, label) (jumps[n] = (label), p[n++] = (insn))
#define LABEL(label) (at[label] = n)
	/* r6 = ctx; r7 = ctx->sk_common, NULL after the last socket */
	p[n++] = MOV_X(R6, R1);
	p[n++] = LDX(BPF_DW, R7, R6, l->ctx_sk);
	J(JMP_K(BPF_JEQ, R7, 0), L_OUT);
	/* r8 = state; a time-wait socket's is its substate (FIN_WAIT2 or
	 * TIME_WAIT), as sock_diag and /proc/net/tcp report it */
	p[n++] = LDX(BPF_B, R8, R7, l->state);
	J(JMP_K(BPF_JNE, R8, TW_STATE), L_FILTER);
	p[n++] = MOV_X(R1, R7);
	p[n++] = CALL(BPF_FUNC_skc_to_tcp_timewait_sock);
	J(JMP_K(BPF_JEQ, R0, 0), L_FILTER);
	p[n++] = LDX(BPF_B, R8, R0, l->tw_substate);
	/* the kernel skips the states not asked for: mask >> state & 1 */
	LABEL(L_FILTER);
	p[n++] = MOV_K(R3, (int32_t)mask);
	p[n++] = ALU_X(BPF_RSH, R3, R8);
	p[n++] = ALU_K(BPF_AND, R3, 1);
	J(JMP_K(BPF_JEQ, R3, 0), L_OUT);
	/* the record, zeroed first: the verifier lets no unwritten stack
	 * byte out, and the unused bytes are then 0 */
	for (int o = REC; o < 0; o += 8)
		p[n++] = ST0(o);
	p[n++] = STX(BPF_B, R_FP, R8, REC + 2);
	p[n++] = LDX(BPF_H, R2, R7, l->family);
	p[n++] = STX(BPF_H, R_FP, R2, REC);
	p[n++] = LDX(BPF_H, R3, R7, l->dport);
	p[n++] = STX(BPF_H, R_FP, R3, REC + 4);
	p[n++] = LDX(BPF_H, R3, R7, l->num);
	p[n++] = STX(BPF_H, R_FP, R3, REC + 6);
	p[n++] = LDX(BPF_DW, R3, R6, l->ctx_uid); /* a u32 in an 8-byte slot */
	p[n++] = STX(BPF_W, R_FP, R3, REC + 8);
	J(JMP_K(BPF_JEQ, R2, AF_INET6), L_V6);
	p[n++] = LDX(BPF_W, R3, R7, l->daddr);
	p[n++] = STX(BPF_W, R_FP, R3, REC + 16);
	p[n++] = LDX(BPF_W, R3, R7, l->rcv_saddr);
	p[n++] = STX(BPF_W, R_FP, R3, REC + 32);
	J(JA(), L_EMIT);
	LABEL(L_V6);
	for (int i = 0; i < 2; i++) {
		p[n++] = LDX(BPF_DW, R3, R7, l->v6_daddr + 8 * i);
		p[n++] = STX(BPF_DW, R_FP, R3, REC + 16 + 8 * i);
		p[n++] = LDX(BPF_DW, R3, R7, l->v6_rcv_saddr + 8 * i);
		p[n++] = STX(BPF_DW, R_FP, R3, REC + 32 + 8 * i);
	}
	/* bpf_seq_write(ctx->meta->seq, fp - 48, 48) */
	LABEL(L_EMIT);
	p[n++] = LDX(BPF_DW, R1, R6, l->ctx_meta);
	p[n++] = LDX(BPF_DW, R1, R1, l->meta_seq);
	p[n++] = MOV_X(R2, R_FP);
	p[n++] = ALU_K(BPF_ADD, R2, REC);
	p[n++] = MOV_K(R3, SOCK_BPF_REC);
	p[n++] = CALL(BPF_FUNC_seq_write);
	LABEL(L_OUT);
	p[n++] = MOV_K(R0, 0);
	p[n++] = EXIT();
#undef J
#undef LABEL
	for (size_t i = 0; i < n; i++)
		if (jumps[i] != 0)
			p[i].off = (int16_t)(at[jumps[i]] - i - 1);
	return n;
}

int
sock_bpf_decode(const uint8_t *rec, struct sock_entry *e)
{
	uint16_t family, port;

	memset(e, 0, sizeof(*e));
	memcpy(&family, rec, 2);
	if ((family != AF_INET && family != AF_INET6) || rec[2] < 1 ||
	    rec[2] > SOCK_STATE_MAX)
		return -1;
	e->family = (uint8_t)family;
	e->proto = IPPROTO_TCP;
	e->state = rec[2] == NEW_SYN ? SOCK_SYN_RECV : rec[2];
	memcpy(&port, rec + 4, 2); /* skc_dport: network order */
	e->rport = ntohs(port);
	memcpy(&e->lport, rec + 6, 2); /* skc_num: host order */
	memcpy(&e->uid, rec + 8, 4);
	memcpy(e->raddr, rec + 16, 16);
	memcpy(e->laddr, rec + 32, 16);
	return 0;
}

/* ---- the walk --------------------------------------------------------- */

/* This boot's id (36 characters).  0 or -1. */
static int
boot_id(char id[40])
{
	ssize_t n;
	int fd = open(BOOT_ID, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	n = read(fd, id, 39);
	close(fd);
	if (n < 32)
		return -1;
	id[n] = '\0';
	id[strcspn(id, "\n")] = '\0';
	return 0;
}

/*
 * The layout of the running kernel: kept from earlier in this boot
 * (sock_bpf_cache.c, root only), else from its BTF.  0, 1 (no BPF here:
 * err says why), -1 malformed.
 */
static int
kernel_layout(struct sock_bpf_layout *l, struct err *err)
{
	char id[40];
	struct stat st;
	struct kbpf_btf b;
	int r;
	int cache = geteuid() == 0 && boot_id(id) == 0;

	if (stat(KBPF_BTF_PATH, &st) == -1 || st.st_size <= 0) {
		err_sys(err, errno, "cannot read '%s'", KBPF_BTF_PATH);
		return 1;
	}
	if (cache &&
	    sock_bpf_cache_get(RUN_DIR, id, (uint64_t)st.st_size, l) == 0)
		return 0;
	if (kbpf_btf_load(&b, err) == -1)
		return 1;
	r = sock_bpf_layout(b.p, b.len, l, err);
	if (r == 0 && cache)
		sock_bpf_cache_put(RUN_DIR, id, (uint64_t)b.len, l);
	kbpf_btf_release(&b);
	return r;
}

/*
 * The program for states loaded and attached: its link's descriptor, or
 * -1 with err (errno kept).
 */
static int
link_new(const struct sock_bpf_layout *l, uint32_t states, struct err *err)
{
	struct bpf_insn prog[SOCK_BPF_INSNS];
	union bpf_attr a;
	int pfd, lfd, e;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_TRACING;
	a.expected_attach_type = BPF_TRACE_ITER;
	a.attach_btf_id = l->iter_id;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = (uint32_t)sock_bpf_program(l, states, prog);
	/* bpf_seq_write is for GPL-compatible programs; this one is ISC */
	a.license = (uintptr_t) "Dual BSD/GPL";
	memcpy(a.prog_name, "sakimori_socks", sizeof("sakimori_socks"));
	if ((pfd = (int)kbpf_sys(BPF_PROG_LOAD, &a)) == -1)
		return err_sys(err, errno, "cannot load the socket iterator");
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)pfd;
	a.link_create.attach_type = BPF_TRACE_ITER;
	lfd = (int)kbpf_sys(BPF_LINK_CREATE, &a);
	e = errno;
	close(pfd);
	if (lfd == -1)
		return err_sys(err, e, "cannot attach the socket iterator");
	return lfd;
}

/*
 * The programs attached so far, by the states they keep, for the life of
 * the process: the kernel's verifier costs far more than a walk, and a
 * process that walks every few seconds (the agent) asks for the same few
 * sets of states again and again.  Each link is namespace-free: the
 * iterator made from it walks the sockets of the network namespace of
 * the process at that time.
 */
#define LINKS_MAX 8
static pthread_mutex_t links_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sock_bpf_layout links_layout;
static int links_have_layout;
static struct {
	uint32_t states;
	int fd;
} links[LINKS_MAX];
static size_t nlinks;

/* An iterator's descriptor, or -1 with err (errno kept). */
static int
iter_open(int lfd, struct err *err)
{
	union bpf_attr a;
	int ifd;

	memset(&a, 0, sizeof(a));
	a.iter_create.link_fd = (uint32_t)lfd;
	ifd = (int)kbpf_sys(BPF_ITER_CREATE, &a);
	if (ifd == -1)
		return err_sys(err, errno, "cannot start the socket iterator");
	return ifd;
}

int
sock_bpf_read(int fd, unsigned families, sock_fn fn, void *arg, struct err *err)
{
	/* a multiple of the record, so that reads end on one */
	enum { BUFSZ = SOCK_BPF_REC * 1365 };
	uint8_t *buf = malloc(BUFSZ);
	struct sock_entry e;
	size_t have = 0;
	int rc = 0;

	if (buf == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (;;) {
		ssize_t got = read(fd, buf + have, BUFSZ - have);
		size_t i;

		if (got == -1) {
			/* EAGAIN: a million sockets skipped in one read */
			if (errno == EINTR || errno == EAGAIN)
				continue;
			rc = err_sys(
			    err, errno, "cannot read the socket iterator");
			break;
		}
		if (got == 0)
			break;
		have += (size_t)got;
		for (i = 0; i + SOCK_BPF_REC <= have; i += SOCK_BPF_REC) {
			if (sock_bpf_decode(buf + i, &e) == -1) {
				rc = err_set(err, EPROTO,
				    "socket iterator: a record not of this "
				    "program");
				break;
			}
			if (!(families &
			        (e.family == AF_INET ? SOCK_INET4
			                             : SOCK_INET6)))
				continue;
			if ((rc = fn(&e, arg)) != 0)
				break;
		}
		if (rc != 0)
			break;
		memmove(buf, buf + i, have - i);
		have -= i;
	}
	free(buf);
	if (rc == 0 && have != 0)
		rc = err_set(
		    err, EPROTO, "socket iterator: %zu bytes left over", have);
	return rc;
}

int
sock_bpf_open(uint32_t states, struct err *err)
{
	int lfd = -1, fd, keep = 0;

	pthread_mutex_lock(&links_lock);
	/* BTF this reader does not know (a newer kind?), no privilege, an
	 * older kernel: the caller uses sock_diag */
	if (!links_have_layout) {
		if (kernel_layout(&links_layout, err) != 0) {
			pthread_mutex_unlock(&links_lock);
			return -1;
		}
		links_have_layout = 1;
	}
	for (size_t i = 0; i < nlinks && lfd == -1; i++)
		if (links[i].states == states)
			lfd = links[i].fd;
	if (lfd == -1 && (lfd = link_new(&links_layout, states, err)) != -1 &&
	    nlinks < LINKS_MAX) {
		links[nlinks].states = states;
		links[nlinks++].fd = lfd;
	}
	for (size_t i = 0; i < nlinks; i++)
		keep |= links[i].fd == lfd;
	fd = lfd == -1 ? -1 : iter_open(lfd, err);
	if (lfd != -1 && !keep)
		close(lfd);
	pthread_mutex_unlock(&links_lock);
	return fd;
}
