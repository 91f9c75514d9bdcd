/*
 * net_dump_floor.c - the least a program can do to get the TCP socket
 * table from the kernel: send the request sakimori sends (TCPDIAG_GETSOCK,
 * family AF_UNSPEC, a state mask) and read the dump, counting messages.
 * bench/net_conns_parts.sh times it to show the kernel's share of
 * "sakimori net conns".  Built static, so it has no start-up to speak of.
 *
 *   net_dump_floor STATES [split] [-v]
 *
 * STATES is the state bit mask (2: ESTABLISHED; 4: SYN_SENT, which nobody
 * is in: the walk alone); "split" makes two threads each ask for half of
 * the sockets with sakimori's port filter; -v prints the count.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

struct req {
	struct nlmsghdr h;
	struct inet_diag_req r;
	struct nlattr a;
	struct inet_diag_bc_op op[7];
};

struct job {
	unsigned states;
	int half; /* -1: all */
	long count;
};

static void
port_op(struct inet_diag_bc_op *o, int code, int yes, int no, unsigned port)
{
	o[0].code = (unsigned char)code;
	o[0].yes = (unsigned char)yes;
	o[0].no = (unsigned short)no;
	o[1].code = INET_DIAG_BC_NOP;
	o[1].no = (unsigned short)port;
}

static void *
run(void *arg)
{
	static __thread char buf[1 << 16];
	struct job *j = arg;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	struct req q;
	unsigned t = 46884; /* the middle of 32768..60999 */
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd == -1)
		return NULL;
	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = j->half < 0 ? NLMSG_LENGTH(sizeof(q.r)) : sizeof(q);
	q.h.nlmsg_type = TCPDIAG_GETSOCK;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.h.nlmsg_seq = 1;
	q.r.idiag_family = AF_UNSPEC;
	q.r.idiag_states = j->states;
	q.a.nla_type = INET_DIAG_REQ_BYTECODE;
	q.a.nla_len = NLA_HDRLEN + 28;
	/* (sport >= T) xor (dport >= T), or its complement */
	port_op(&q.op[0], INET_DIAG_BC_S_GE, 8, 20, t);
	port_op(&q.op[2], j->half == 0 ? INET_DIAG_BC_D_LE : INET_DIAG_BC_D_GE,
	    8, 24, j->half == 0 ? t - 1 : t);
	q.op[4].code = INET_DIAG_BC_JMP;
	q.op[4].yes = 4;
	q.op[4].no = 12;
	port_op(&q.op[5], j->half == 0 ? INET_DIAG_BC_D_GE : INET_DIAG_BC_D_LE,
	    8, 12, j->half == 0 ? t : t - 1);
	if (sendto(fd, &q, q.h.nlmsg_len, 0, (struct sockaddr *)&sa,
	        sizeof(sa)) < 0) {
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		int done = 0;

		if (n <= 0)
			break;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			j->count++;
		}
		if (done)
			break;
	}
	close(fd);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct job a = {0}, b = {0};
	int split = argc > 2 && strcmp(argv[2], "split") == 0;
	int verbose = argc > 1 && strcmp(argv[argc - 1], "-v") == 0;
	pthread_t th;

	if (argc < 2) {
		fprintf(stderr, "usage: net_dump_floor STATES [split] [-v]\n");
		return 64;
	}
	a.states = b.states = (unsigned)strtoul(argv[1], NULL, 0);
	a.half = split ? 0 : -1;
	b.half = 1;
	if (split) {
		if (pthread_create(&th, NULL, run, &b) != 0)
			return 71;
		run(&a);
		pthread_join(th, NULL);
	} else {
		run(&a);
	}
	if (verbose)
		printf("%ld\n", a.count + b.count);
	return 0;
}
