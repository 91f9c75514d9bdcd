/*
 * sock.c - the socket table from NETLINK_SOCK_DIAG, or from /proc/net
 * (see sock.h).
 */
#include "collect/sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/sock_bpf.h"

/* /proc/net/tcp of a busy server: about 150 bytes a socket. */
#define PROC_MAX ((size_t)1 << 30)

static const char *const state_names[] = {
    [SOCK_ESTABLISHED] = "ESTABLISHED",
    [SOCK_SYN_SENT] = "SYN_SENT",
    [SOCK_SYN_RECV] = "SYN_RECV",
    [SOCK_FIN_WAIT1] = "FIN_WAIT1",
    [SOCK_FIN_WAIT2] = "FIN_WAIT2",
    [SOCK_TIME_WAIT] = "TIME_WAIT",
    [SOCK_CLOSE] = "CLOSE",
    [SOCK_CLOSE_WAIT] = "CLOSE_WAIT",
    [SOCK_LAST_ACK] = "LAST_ACK",
    [SOCK_LISTEN] = "LISTEN",
    [SOCK_CLOSING] = "CLOSING",
    [SOCK_NEW_SYN_RECV] = "SYN_RECV",
};

const char *
sock_state_name(int state, int proto)
{
	if (state == SOCK_CLOSE && proto == IPPROTO_UDP)
		return "UNCONN";
	if (state < 1 || state > SOCK_STATE_MAX)
		return "?";
	return state_names[state];
}

int
sock_state_parse(const char *s)
{
	char norm[32];
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i + 1 >= sizeof(norm))
			return -1;
		if (c == '-')
			c = '_';
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		norm[i] = c;
	}
	norm[i] = '\0';
	if (strcmp(norm, "UNCONN") == 0)
		return SOCK_CLOSE;
	/* ss spells them without underscores in places */
	if (strcmp(norm, "FIN_WAIT_1") == 0)
		return SOCK_FIN_WAIT1;
	if (strcmp(norm, "FIN_WAIT_2") == 0)
		return SOCK_FIN_WAIT2;
	if (strcmp(norm, "SYN_RECEIVED") == 0)
		return SOCK_SYN_RECV;
	for (int st = 1; st < SOCK_NEW_SYN_RECV; st++)
		if (strcmp(norm, state_names[st]) == 0)
			return st;
	return -1;
}

void
sock_addr_format(int family, const uint8_t addr[16], char *dst, size_t dstsz)
{
	if (dstsz == 0)
		return;
	if (inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, dst,
	        (socklen_t)dstsz) == NULL)
		dst[0] = '\0';
}

void
sock_endpoint_format(
    int family, const uint8_t addr[16], unsigned port, char *dst, size_t dstsz)
{
	char a[INET6_ADDRSTRLEN];

	sock_addr_format(family, addr, a, sizeof(a));
	if (family == AF_INET)
		snprintf(dst, dstsz, "%s:%u", a, port);
	else
		snprintf(dst, dstsz, "[%s]:%u", a, port);
}

int
sock_addr_unmap(int family, uint8_t addr[16])
{
	static const uint8_t prefix[12] = {
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (family != AF_INET6 || memcmp(addr, prefix, sizeof(prefix)) != 0)
		return family;
	memmove(addr, addr + 12, 4);
	memset(addr + 4, 0, 12);
	return AF_INET;
}

/* The state the caller sees: request sockets are SYN_RECV. */
static uint8_t
state_fold(unsigned st)
{
	return (uint8_t)(st == SOCK_NEW_SYN_RECV ? SOCK_SYN_RECV : st);
}

static int
state_wanted(uint32_t states, unsigned st)
{
	if (states == 0)
		return 1;
	if (st == SOCK_NEW_SYN_RECV)
		st = SOCK_SYN_RECV;
	return (states & SOCK_STATE_BIT(st)) != 0;
}

/* ---- /proc/net/tcp ---------------------------------------------------- */

/* Exactly n hex digits (n <= 8). */
static int
hex_fixed(const char **cur, const char *end, unsigned n, uint32_t *out)
{
	const char *p = *cur;
	uint32_t v = 0;

	if ((size_t)(end - p) < n)
		return -1;
	for (unsigned i = 0; i < n; i++, p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*cur = p;
	*out = v;
	return 0;
}

/* "0100007F:0035": words of the address in host order, then the port. */
static int
proc_addr(const char **cur, const char *end, int family, uint8_t addr[16],
    uint16_t *port)
{
	unsigned words = family == AF_INET ? 1 : 4;
	uint32_t w, p;

	memset(addr, 0, 16);
	for (unsigned i = 0; i < words; i++) {
		if (hex_fixed(cur, end, 8, &w) == -1)
			return -1;
		memcpy(addr + 4 * i, &w, 4);
	}
	if (cur_char(cur, end, ':') == -1 || hex_fixed(cur, end, 4, &p) == -1)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static int
proc_line(
    const char *p, const char *end, int family, int proto, struct sock_entry *e)
{
	uint64_t v;
	uint32_t st, tx, rx;
	const char *w;

	memset(e, 0, sizeof(*e));
	e->family = (uint8_t)family;
	e->proto = (uint8_t)proto;
	cur_spaces(&p, end);
	/* "sl:" */
	if (cur_u64(&p, end, &v) == -1 || cur_char(&p, end, ':') == -1)
		return -1;
	cur_spaces(&p, end);
	if (proc_addr(&p, end, family, e->laddr, &e->lport) == -1)
		return -1;
	if (cur_spaces(&p, end) == 0 ||
	    proc_addr(&p, end, family, e->raddr, &e->rport) == -1)
		return -1;
	if (cur_spaces(&p, end) == 0 || hex_fixed(&p, end, 2, &st) == -1)
		return -1;
	if (st < 1 || st > SOCK_STATE_MAX)
		return -1;
	e->state = (uint8_t)st;
	/* tx_queue:rx_queue */
	if (cur_spaces(&p, end) == 0 || hex_fixed(&p, end, 8, &tx) == -1 ||
	    cur_char(&p, end, ':') == -1 || hex_fixed(&p, end, 8, &rx) == -1)
		return -1;
	e->wqueue = tx;
	e->rqueue = rx;
	/* tr:tm->when, retrnsmt: not needed, but must be there */
	if (cur_spaces(&p, end) == 0 || cur_word(&p, end, &w) == 0)
		return -1;
	if (cur_spaces(&p, end) == 0 || cur_word(&p, end, &w) == 0)
		return -1;
	/* uid */
	cur_spaces(&p, end);
	if (cur_u64(&p, end, &v) == -1 || v > UINT32_MAX)
		return -1;
	e->uid = (uint32_t)v;
	/* timeout (may be negative on old kernels), inode */
	cur_spaces(&p, end);
	if (cur_word(&p, end, &w) == 0)
		return -1;
	cur_spaces(&p, end);
	if (cur_u64(&p, end, &v) == -1)
		return -1;
	e->inode = v;
	return 0;
}

int
sock_proc_parse(const char *text, size_t len, int family, int proto,
    uint32_t states, sock_fn fn, void *arg, unsigned *skipped,
    unsigned *first_bad)
{
	const char *cur = text, *end = text + len, *ls, *le;
	unsigned lineno = 0;
	struct sock_entry e;
	int rc;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *q = ls;

		lineno++;
		cur_spaces(&q, le);
		if (q == le)
			continue;
		if (lineno == 1 && cur_lit(&q, le, "sl") == 0)
			continue; /* the header */
		if (proc_line(ls, le, family, proto, &e) == -1) {
			if (skipped != NULL)
				(*skipped)++;
			if (first_bad != NULL && *first_bad == 0)
				*first_bad = lineno;
			continue;
		}
		if (!state_wanted(states, e.state))
			continue;
		e.state = state_fold(e.state);
		if ((rc = fn(&e, arg)) != 0)
			return rc;
	}
	return 0;
}

static int
proc_walk(const char *root, int family, int proto, uint32_t states, sock_fn fn,
    void *arg, unsigned *skipped, struct err *err)
{
	const char *name;
	char path[4096];
	struct strbuf sb = STRBUF_INIT(PROC_MAX);
	unsigned first_bad = 0;
	int rc;

	if (proto == IPPROTO_TCP)
		name = family == AF_INET ? "/proc/net/tcp" : "/proc/net/tcp6";
	else
		name = family == AF_INET ? "/proc/net/udp" : "/proc/net/udp6";
	if (path_join(path, sizeof(path), root, name) == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", name);
	if (file_read(path, PROC_MAX, &sb, NULL, err) == -1) {
		strbuf_release(&sb);
		/* a kernel without IPv6 has no tcp6: nothing to list */
		if (err->code == ENOENT && family == AF_INET6) {
			err_clear(err);
			return 0;
		}
		return -1;
	}
	rc = sock_proc_parse(
	    sb.p, sb.len, family, proto, states, fn, arg, skipped, &first_bad);
	strbuf_release(&sb);
	return rc;
}

/* ---- NETLINK_SOCK_DIAG ------------------------------------------------- */

struct diag_ctx {
	int family, proto;
	uint32_t states;
	sock_fn fn;
	void *arg;
	int rc; /* fn's non-zero value, once */
	/* two threads walking halves: fn is called under lock, and a
	 * non-zero value of fn in either thread sets *stop for both */
	pthread_mutex_t *lock;
	int *stop;
	size_t delivered; /* sockets handed to fn */
};

static int
diag_cb(const struct nlmsghdr *nlh, void *data)
{
	struct diag_ctx *c = data;
	const struct inet_diag_msg *m;
	struct sock_entry e;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return MNL_CB_OK;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return MNL_CB_OK;
	if (!state_wanted(c->states, m->idiag_state))
		return MNL_CB_OK;
	/* after a stop the rest of the dump is read to its end, unused */
	if (c->rc != 0 || (c->stop != NULL && *c->stop))
		return MNL_CB_OK;
	memset(&e, 0, sizeof(e));
	e.family = m->idiag_family;
	e.proto = (uint8_t)c->proto;
	e.state = state_fold(m->idiag_state);
	e.lport = ntohs(m->id.idiag_sport);
	e.rport = ntohs(m->id.idiag_dport);
	memcpy(e.laddr, m->id.idiag_src, m->idiag_family == AF_INET ? 4 : 16);
	memcpy(e.raddr, m->id.idiag_dst, m->idiag_family == AF_INET ? 4 : 16);
	e.uid = m->idiag_uid;
	e.inode = m->idiag_inode;
	e.rqueue = m->idiag_rqueue;
	e.wqueue = m->idiag_wqueue;
	c->delivered++;
	if ((c->rc = c->fn(&e, c->arg)) != 0 && c->stop != NULL)
		*c->stop = 1;
	return MNL_CB_OK;
}

/*
 * One dump of family/proto.  0, 1 when the kernel cannot do it (the caller
 * falls back to /proc), or -1 with err.
 */
static int
dump_into(struct mnl_socket *nl, int family, int proto, uint32_t states,
    const void *bc, size_t bclen, struct diag_ctx *c, char *buf, size_t bufsz,
    struct err *err)
{
	struct nlmsghdr *nlh;
	unsigned seq = (unsigned)time(NULL), portid;
	uint32_t kstates = states != 0 ? states : 0xffffffffu;
	ssize_t n;
	int ret, e;

	if (states & SOCK_STATE_BIT(SOCK_SYN_RECV))
		kstates |= SOCK_STATE_BIT(SOCK_NEW_SYN_RECV);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (family == AF_UNSPEC) {
		/*
		 * The older request: TCP of both families in one walk of
		 * the kernel's socket hash (what ss does), instead of one
		 * walk per family.
		 */
		struct inet_diag_req *req;

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->idiag_family = AF_UNSPEC;
		req->idiag_states = kstates;
		if (bc != NULL)
			mnl_attr_put(
			    nlh, INET_DIAG_REQ_BYTECODE, (uint16_t)bclen, bc);
	} else {
		struct inet_diag_req_v2 *req;

		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->sdiag_family = (uint8_t)family;
		req->sdiag_protocol = (uint8_t)proto;
		/* the kernel's filter: only the states asked for are dumped */
		req->idiag_states = kstates;
	}
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return err_sys(err, errno, "cannot send sock_diag request");
	c->family = family;
	c->proto = proto;
	c->states = states;
	c->rc = 0;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(
			    err, errno, "cannot read sock_diag reply");
		}
		if (c->lock != NULL)
			pthread_mutex_lock(c->lock);
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, diag_cb, c);
		e = errno;
		if (c->lock != NULL)
			pthread_mutex_unlock(c->lock);
		errno = e;
		if (ret == MNL_CB_STOP)
			return 0; /* NLMSG_DONE */
		if (ret == MNL_CB_ERROR) {
			if (errno == ENOENT || errno == EPROTONOSUPPORT ||
			    errno == EOPNOTSUPP || errno == EINVAL)
				return 1;
			return err_sys(err, errno, "sock_diag dump of %s%s",
			    proto == IPPROTO_TCP ? "tcp" : "udp",
			    family == AF_INET6 ? "6" : "");
		}
	}
}

static int
diag_dump(struct mnl_socket *nl, int family, int proto, uint32_t states,
    const void *bc, size_t bclen, struct diag_ctx *c, struct err *err)
{
	/* a large buffer lets the kernel fill 32 KiB dump messages (on the
	 * heap: a thread-local one is zeroed at every start of the program) */
	enum { BUFSZ = 65536 };
	char *buf = malloc(BUFSZ);
	int r;

	if (buf == NULL)
		return err_set(err, ENOMEM, "out of memory");
	r = dump_into(nl, family, proto, states, bc, bclen, c, buf, BUFSZ, err);
	free(buf);
	return r;
}

/* ---- one TCP walk on two CPUs ------------------------------------------ */

/* Below this many sockets in this namespace a second thread is not worth it. */
#define SPLIT_MIN_SOCKETS 4000

/* 1 when a second CPU is there for us and likely idle. */
static int
split_worth_it(void)
{
	struct strbuf sb = STRBUF_INIT(4096);
	cpu_set_t set;
	const char *cur, *end, *w;
	uint64_t running = 0, inuse = 0, tw = 0;
	const char *env = getenv("SAKIMORI_SOCK_SPLIT");
	int ncpu, ok = 0;

	/* "1": always, "0": never (tests and benchmarks); else automatic */
	if (env != NULL && (strcmp(env, "0") == 0 || strcmp(env, "1") == 0))
		return env[0] == '1';
	if (sched_getaffinity(0, sizeof(set), &set) == -1 ||
	    (ncpu = CPU_COUNT(&set)) < 2)
		return 0;
	/* "0.52 0.58 0.59 2/149 12345": running (us included) / all */
	if (file_read("/proc/loadavg", 4096, &sb, NULL, NULL) == 0) {
		cur = sb.p;
		end = sb.p + sb.len;
		for (int i = 0; i < 3; i++) {
			cur_spaces(&cur, end);
			cur_word(&cur, end, &w);
		}
		cur_spaces(&cur, end);
		ok = cur_u64(&cur, end, &running) == 0 &&
		    running < (uint64_t)ncpu;
	}
	/* "TCP: inuse 38 orphan 0 tw 2 alloc 41 mem 3" (this namespace) */
	if (ok && file_read("/proc/net/sockstat", 4096, &sb, NULL, NULL) == 0) {
		const char *p = strstr(strbuf_str(&sb), "TCP: inuse ");

		ok = 0;
		if (p != NULL) {
			cur = p + strlen("TCP: inuse ");
			end = sb.p + sb.len;
			if (cur_u64(&cur, end, &inuse) == 0 &&
			    (p = strstr(cur, " tw ")) != NULL) {
				cur = p + 4;
				if (cur_u64(&cur, end, &tw) == -1)
					tw = 0;
			}
			ok = inuse + tw >= SPLIT_MIN_SOCKETS;
		}
	}
	strbuf_release(&sb);
	return ok;
}

/*
 * The two halves: with T the middle of the ephemeral port range, half A
 * is (sport >= T) xor (dport >= T) and half B its complement.  Nearly
 * every connection has one ephemeral port, so each half gets about half
 * of them.  The kernel runs the program until it jumps exactly to the end
 * (accept) or past it (reject).
 */
struct split_bc {
	struct inet_diag_bc_op op[7];
};

static void
bc_port(struct inet_diag_bc_op *op, int code, unsigned char yes,
    unsigned short no, unsigned port)
{
	op[0].code = (unsigned char)code;
	op[0].yes = yes;
	op[0].no = no;
	op[1].code = INET_DIAG_BC_NOP;
	op[1].yes = 0;
	op[1].no = (unsigned short)port;
}

static void
split_program(struct split_bc *b, unsigned t, int half)
{
	/*
	 *  0: sport >= T ?  yes: 8            no: 20
	 *  8: A: dport <= T-1, B: dport >= T ?  yes: 16   no: reject
	 * 16: jump to the end (accept)
	 * 20: A: dport >= T, B: dport <= T-1 ?  yes: accept  no: reject
	 */
	memset(b, 0, sizeof(*b));
	bc_port(&b->op[0], INET_DIAG_BC_S_GE, 8, 20, t);
	bc_port(&b->op[2], half == 0 ? INET_DIAG_BC_D_LE : INET_DIAG_BC_D_GE, 8,
	    24, half == 0 ? t - 1 : t);
	b->op[4].code = INET_DIAG_BC_JMP;
	b->op[4].yes = 4;
	b->op[4].no = 12;
	bc_port(&b->op[5], half == 0 ? INET_DIAG_BC_D_GE : INET_DIAG_BC_D_LE, 8,
	    12, half == 0 ? t : t - 1);
}

/* The middle of net.ipv4.ip_local_port_range (32768..60999 if unknown). */
static unsigned
split_port(void)
{
	struct strbuf sb = STRBUF_INIT(256);
	uint64_t lo = 32768, hi = 60999;
	const char *cur, *end;

	if (file_read("/proc/sys/net/ipv4/ip_local_port_range", 256, &sb, NULL,
	        NULL) == 0) {
		uint64_t a, b;

		cur = sb.p;
		end = sb.p + sb.len;
		if (cur_u64(&cur, end, &a) == 0 && cur_spaces(&cur, end) > 0 &&
		    cur_u64(&cur, end, &b) == 0 && a >= 1 && a <= b &&
		    b <= 65535) {
			lo = a;
			hi = b;
		}
	}
	strbuf_release(&sb);
	return (unsigned)((lo + hi + 1) / 2);
}

struct split_part {
	uint32_t states;
	struct split_bc bc;
	struct diag_ctx c; /* fn, arg, lock and stop shared with the caller */
	struct err err;
	int r; /* diag_dump's result, 2: could not start */
};

static void *
split_run(void *arg)
{
	struct split_part *p = arg;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);

	p->r = 2;
	if (nl == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0)
		p->r = diag_dump(nl, AF_UNSPEC, IPPROTO_TCP, p->states, &p->bc,
		    sizeof(p->bc), &p->c, &p->err);
	mnl_socket_close(nl);
	return NULL;
}

/*
 * The TCP walk of both families in two halves, the second in a thread of
 * its own; both hand their sockets to fn as they come, one at a time
 * (under a lock), so the counting overlaps the kernel's work.  0 (ctx->rc
 * is fn's value), 1 when not done (the caller walks as usual; fn has not
 * been called), -1 with err.
 */
static int
tcp_split(struct mnl_socket *nl, uint32_t states, struct diag_ctx *ctx,
    struct err *err)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct split_part *p;
	struct split_bc mine;
	pthread_t th;
	unsigned t;
	int r, stop = 0;

	if (!split_worth_it())
		return 1;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return 1;
	t = split_port();
	p->states = states;
	split_program(&p->bc, t, 1);
	split_program(&mine, t, 0);
	p->c.fn = ctx->fn;
	p->c.arg = ctx->arg;
	p->c.lock = &lock;
	p->c.stop = &stop;
	ctx->lock = &lock;
	ctx->stop = &stop;
	ctx->delivered = 0;
	if (pthread_create(&th, NULL, split_run, p) != 0) {
		ctx->lock = NULL;
		ctx->stop = NULL;
		free(p);
		return 1;
	}
	r = diag_dump(
	    nl, AF_UNSPEC, IPPROTO_TCP, states, &mine, sizeof(mine), ctx, err);
	pthread_join(th, NULL);
	ctx->lock = NULL;
	ctx->stop = NULL;
	if (r == 0 && ctx->rc == 0)
		ctx->rc = p->c.rc; /* the other half's fn stopped */
	if (r == 1 && p->c.delivered != 0)
		r = err_set(err, EIO,
		    "sock_diag: one half of the TCP dump was refused, the "
		    "other not");
	else if (r == 0 && ctx->rc == 0 && p->r != 0) {
		/* the other half failed or could not start */
		if (p->c.delivered != 0)
			r = err_set(err, p->err.code ? p->err.code : EIO, "%s",
			    p->r == -1 ? p->err.msg
			               : "sock_diag: half of the TCP "
			                 "dump failed");
		else if ((r = diag_dump(nl, AF_UNSPEC, IPPROTO_TCP, states,
		              &p->bc, sizeof(p->bc), ctx, err)) == 1)
			r = err_set(err, EIO,
			    "sock_diag: the second half of the TCP dump was "
			    "refused");
	}
	pthread_mutex_destroy(&lock);
	free(p);
	return r;
}

int
sock_walk(const struct sock_query *q, const char *root, sock_fn fn, void *arg,
    const char **source, unsigned *skipped, struct err *err)
{
	static const struct sock_query all = {0};
	unsigned fams, protos;
	struct mnl_socket *nl = NULL;
	struct diag_ctx ctx = {0};
	int use_proc, rc = 0, used_proc = 0, used_bpf = 0;

	if (q == NULL)
		q = &all;
	fams = q->families != 0 ? q->families : SOCK_INET4 | SOCK_INET6;
	protos = q->protos != 0 ? q->protos : SOCK_TCP | SOCK_UDP;
	use_proc = q->force_proc || (root != NULL && root[0] != '\0');
	if (!use_proc) {
		nl = mnl_socket_open(NETLINK_SOCK_DIAG);
		if (nl == NULL ||
		    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
			if (nl != NULL)
				mnl_socket_close(nl);
			nl = NULL;
			use_proc = 1;
		}
	}
	/* LISTEN alone: sock_diag walks only the listening hash, faster */
	if (!use_proc && q->addr_only && (protos & SOCK_TCP) &&
	    (q->states == 0 ||
	        (q->states & ~SOCK_STATE_BIT(SOCK_LISTEN)) != 0)) {
		/* "0": never; "1": always, and an error when it cannot be */
		const char *env = getenv("SAKIMORI_SOCK_BPF");
		int fd = -1;

		if (env == NULL || strcmp(env, "0") != 0)
			fd = sock_bpf_open(q->states, err);
		if (fd >= 0) {
			rc = sock_bpf_read(fd, fams, fn, arg, err);
			close(fd);
			used_bpf = 1;
		} else if (env != NULL && strcmp(env, "1") == 0) {
			if (nl != NULL)
				mnl_socket_close(nl);
			return err_prefix(err, "SAKIMORI_SOCK_BPF=1");
		} else
			err_clear(err);
	}
	ctx.fn = fn;
	ctx.arg = arg;
	for (unsigned pi = 0; pi < 2 && rc == 0; pi++) {
		int proto = pi == 0 ? IPPROTO_TCP : IPPROTO_UDP;

		if (!(protos & (pi == 0 ? SOCK_TCP : SOCK_UDP)) ||
		    (pi == 0 && used_bpf))
			continue;
		if (!use_proc && proto == IPPROTO_TCP &&
		    (fams & (SOCK_INET4 | SOCK_INET6)) ==
		        (SOCK_INET4 | SOCK_INET6)) {
			int r = 1;

			if (q->parallel)
				r = tcp_split(nl, q->states, &ctx, err);
			if (r == 1)
				r = diag_dump(nl, AF_UNSPEC, proto, q->states,
				    NULL, 0, &ctx, err);

			if (r == -1) {
				rc = -1;
				break;
			}
			if (r == 0) {
				if (ctx.rc != 0)
					rc = ctx.rc;
				continue;
			}
			err_clear(err); /* no compat request: one per family */
		}
		for (unsigned fi = 0; fi < 2 && rc == 0; fi++) {
			int family = fi == 0 ? AF_INET : AF_INET6;
			int r = 1;

			if (!(fams & (fi == 0 ? SOCK_INET4 : SOCK_INET6)))
				continue;
			if (!use_proc) {
				r = diag_dump(nl, family, proto, q->states,
				    NULL, 0, &ctx, err);
				if (r == -1) {
					rc = -1;
					break;
				}
				if (r == 0 && ctx.rc != 0)
					rc = ctx.rc;
			}
			if (r == 1) {
				used_proc = 1;
				rc = proc_walk(root, family, proto, q->states,
				    fn, arg, skipped, err);
			}
		}
	}
	if (nl != NULL)
		mnl_socket_close(nl);
	if (source != NULL)
		*source = used_proc ? "proc" : used_bpf ? "bpf" : "netlink";
	return rc;
}

static int
table_add(const struct sock_entry *e, void *arg)
{
	struct sock_table *t = arg;

	if (t->n >= SOCK_TABLE_MAX) {
		t->dropped++;
		return 0;
	}
	if (mem_grow(&t->v, &t->cap, t->n + 1, sizeof(*t->v)) == -1)
		return ENOMEM;
	t->v[t->n++] = *e;
	return 0;
}

int
sock_collect(const struct sock_query *q, const char *root, struct sock_table *t,
    struct err *err)
{
	int rc;

	t->n = 0;
	t->dropped = 0;
	t->skipped = 0;
	rc = sock_walk(q, root, table_add, t, &t->source, &t->skipped, err);
	if (rc == ENOMEM)
		return err_set(
		    err, ENOMEM, "out of memory for the socket table");
	return rc == 0 ? 0 : -1;
}

struct listen_ctx {
	struct sock_table *t;
};

static int
listen_add(const struct sock_entry *e, void *arg)
{
	struct listen_ctx *c = arg;

	if (e->proto == IPPROTO_UDP && e->lport == 0)
		return 0;
	return table_add(e, c->t);
}

int
sock_listening(const char *root, struct sock_table *t, struct err *err)
{
	struct sock_query q = {0};
	struct listen_ctx c = {t};
	int rc;

	t->n = 0;
	t->dropped = 0;
	t->skipped = 0;
	q.protos = SOCK_TCP;
	q.states = SOCK_STATE_BIT(SOCK_LISTEN);
	rc = sock_walk(&q, root, listen_add, &c, &t->source, &t->skipped, err);
	if (rc == 0) {
		q.protos = SOCK_UDP;
		q.states = SOCK_STATE_BIT(SOCK_CLOSE);
		rc = sock_walk(
		    &q, root, listen_add, &c, &t->source, &t->skipped, err);
	}
	if (rc == ENOMEM)
		return err_set(
		    err, ENOMEM, "out of memory for the socket table");
	return rc == 0 ? 0 : -1;
}

int
sock_connections(
    uint32_t states, const char *root, struct sock_table *t, struct err *err)
{
	struct sock_query q = {0};

	q.protos = SOCK_TCP;
	q.states = states != 0 ? states
	                       : SOCK_STATES_ALL & ~SOCK_STATE_BIT(SOCK_LISTEN);
	return sock_collect(&q, root, t, err);
}

void
sock_table_release(struct sock_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
