/*
 * test_sock.c - the socket table: the /proc/net parser on fixtures (see
 * tests/fixtures/proc-net/README) and the netlink reader on live sockets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/mem.h"
#include "collect/sock.h"
#include "collect/sock_bpf.h"

static const struct sock_entry *
find(const struct sock_table *t, int proto, int state, uint16_t lport,
    uint16_t rport)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].proto == proto && t->v[i].state == state &&
		    t->v[i].lport == lport && t->v[i].rport == rport)
			return &t->v[i];
	return NULL;
}

static void
reads_the_fixture_tree(void **state)
{
	struct sock_table t = {0};
	struct err err = {0};
	const struct sock_entry *e;
	char buf[64];
	uint8_t a[16];

	(void)state;
	assert_int_equal(sock_collect(NULL, FIXTURES "/proc-net", &t, &err), 0);
	assert_string_equal(t.source, "proc");
	assert_int_equal(t.skipped, 0);
	/* 4 tcp + 4 tcp6 + 1 udp + 1 udp6 */
	assert_int_equal(t.n, 10);

	e = find(&t, IPPROTO_TCP, SOCK_LISTEN, 47001, 0);
	assert_non_null(e);
	assert_int_equal(e->family, AF_INET);
	assert_int_equal(e->inode, 43519);
	sock_addr_format(e->family, e->laddr, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1");

	e = find(&t, IPPROTO_TCP, SOCK_ESTABLISHED, 47001, 40040);
	assert_non_null(e);
	assert_int_equal(e->inode, 43522);
	sock_addr_format(e->family, e->raddr, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1");

	/* the IPv4 client of the dual-stack listener, not yet accepted */
	e = find(&t, IPPROTO_TCP, SOCK_ESTABLISHED, 47002, 52270);
	assert_non_null(e);
	assert_int_equal(e->family, AF_INET6);
	assert_int_equal(e->inode, 0);
	sock_addr_format(e->family, e->raddr, buf, sizeof(buf));
	assert_string_equal(buf, "::ffff:127.0.0.1");
	memcpy(a, e->raddr, 16);
	assert_int_equal(sock_addr_unmap(e->family, a), AF_INET);
	sock_addr_format(AF_INET, a, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1");

	e = find(&t, IPPROTO_TCP, SOCK_ESTABLISHED, 60878, 47002);
	assert_non_null(e);
	sock_addr_format(e->family, e->laddr, buf, sizeof(buf));
	assert_string_equal(buf, "::1");
	memcpy(a, e->laddr, 16);
	assert_int_equal(sock_addr_unmap(e->family, a), AF_INET6);

	e = find(&t, IPPROTO_UDP, SOCK_CLOSE, 47003, 0);
	assert_non_null(e);
	assert_string_equal(sock_state_name(e->state, e->proto), "UNCONN");
	assert_non_null(find(&t, IPPROTO_UDP, SOCK_ESTABLISHED, 51076, 47004));
	sock_table_release(&t);
}

static void
listening_and_state_filter(void **state)
{
	struct sock_table t = {0};
	struct err err = {0};

	(void)state;
	assert_int_equal(sock_listening(FIXTURES "/proc-net", &t, &err), 0);
	/* two TCP listeners and the bound UDP socket */
	assert_int_equal(t.n, 3);
	assert_non_null(find(&t, IPPROTO_TCP, SOCK_LISTEN, 47001, 0));
	assert_non_null(find(&t, IPPROTO_TCP, SOCK_LISTEN, 47002, 0));
	assert_non_null(find(&t, IPPROTO_UDP, SOCK_CLOSE, 47003, 0));

	assert_int_equal(sock_connections(SOCK_STATE_BIT(SOCK_ESTABLISHED),
	                     FIXTURES "/proc-net", &t, &err),
	    0);
	assert_int_equal(t.n, 6);
	for (size_t i = 0; i < t.n; i++) {
		assert_int_equal(t.v[i].state, SOCK_ESTABLISHED);
		assert_int_equal(t.v[i].proto, IPPROTO_TCP);
	}
	sock_table_release(&t);
}

static void
malformed_lines_are_counted(void **state)
{
	struct sock_table t = {0};
	struct sock_query q = {0};
	struct err err = {0};
	char buf[64];

	(void)state;
	q.families = SOCK_INET4;
	assert_int_equal(
	    sock_collect(&q, FIXTURES "/proc-net-bad", &t, &err), 0);
	assert_int_equal(t.skipped, 4);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[1].uid, 1000);
	assert_int_equal(t.v[1].wqueue, 16);
	assert_int_equal(t.v[1].rqueue, 32);
	sock_addr_format(AF_INET, t.v[1].raddr, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.9");
	assert_int_equal(t.v[1].lport, 80);
	sock_table_release(&t);
}

static int
count_cb(const struct sock_entry *e, void *arg)
{
	(void)e;
	++*(unsigned *)arg;
	return 0;
}

static void
parser_reports_first_bad_line(void **state)
{
	const char txt[] =
	    "header\n"
	    "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000 0 0 1 1\n"
	    "   1: 0100007F:0016\n";
	unsigned n = 0, skipped = 0, first_bad = 0;

	(void)state;
	assert_int_equal(sock_proc_parse(txt, strlen(txt), AF_INET, IPPROTO_TCP,
	                     0, count_cb, &n, &skipped, &first_bad),
	    0);
	/* "header" is not the "sl" header, so it is a bad line too */
	assert_int_equal(n, 1);
	assert_int_equal(skipped, 2);
	assert_int_equal(first_bad, 1);
}

static void
state_names(void **state)
{
	(void)state;
	assert_int_equal(sock_state_parse("established"), SOCK_ESTABLISHED);
	assert_int_equal(sock_state_parse("SYN-RECV"), SOCK_SYN_RECV);
	assert_int_equal(sock_state_parse("time_wait"), SOCK_TIME_WAIT);
	assert_int_equal(sock_state_parse("fin-wait-1"), SOCK_FIN_WAIT1);
	assert_int_equal(sock_state_parse("unconn"), SOCK_CLOSE);
	assert_int_equal(sock_state_parse("bogus"), -1);
	assert_int_equal(sock_state_parse(""), -1);
	assert_string_equal(
	    sock_state_name(SOCK_NEW_SYN_RECV, IPPROTO_TCP), "SYN_RECV");
	assert_string_equal(sock_state_name(99, IPPROTO_TCP), "?");
}

/* A real listener of this process, found by netlink with its inode. */
static void
netlink_finds_own_listener(void **state)
{
	struct sockaddr_in sin = {0};
	socklen_t sl = sizeof(sin);
	struct sock_table t = {0};
	struct err err = {0};
	struct stat st;
	int fd, found = 0;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	assert_int_equal(fstat(fd, &st), 0);

	assert_int_equal(sock_listening(NULL, &t, &err), 0);
	assert_string_equal(t.source, "netlink");
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].proto == IPPROTO_TCP &&
		    t.v[i].lport == ntohs(sin.sin_port) &&
		    t.v[i].inode == (uint64_t)st.st_ino) {
			assert_int_equal(t.v[i].uid, getuid());
			found = 1;
		}
	assert_true(found);

	/* the /proc reader sees the same socket */
	{
		struct sock_query q = {0};
		q.protos = SOCK_TCP;
		q.states = SOCK_STATE_BIT(SOCK_LISTEN);
		q.force_proc = 1;
		assert_int_equal(sock_collect(&q, NULL, &t, &err), 0);
		assert_string_equal(t.source, "proc");
		found = 0;
		for (size_t i = 0; i < t.n; i++)
			if (t.v[i].inode == (uint64_t)st.st_ino)
				found = 1;
		assert_true(found);
	}
	close(fd);
	sock_table_release(&t);
}

/* ---- the BPF socket iterator against sock_diag ------------------------ */

struct mine {
	uint16_t ports[2];
	struct sock_entry v[64];
	size_t n;
};

static int
keep_mine(const struct sock_entry *e, void *arg)
{
	struct mine *m = arg;

	for (int i = 0; i < 2; i++)
		if ((e->lport == m->ports[i] || e->rport == m->ports[i]) &&
		    m->n < 64) {
			struct sock_entry *k = &m->v[m->n++];

			*k = *e;
			k->inode = 0; /* the iterator does not read these */
			k->rqueue = k->wqueue = 0;
		}
	return 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct sock_entry));
}

static uint16_t
listener(int family, int *fd)
{
	struct sockaddr_in6 s6 = {0};
	struct sockaddr_in s4 = {0};
	socklen_t sl;
	int off = 0;

	*fd = socket(family, SOCK_STREAM, 0);
	assert_true(*fd >= 0);
	if (family == AF_INET6) {
		/* on :: for both families: an IPv4 client is ::ffff:a.b.c.d */
		assert_int_equal(setsockopt(*fd, IPPROTO_IPV6, IPV6_V6ONLY,
		                     &off, sizeof(off)),
		    0);
		s6.sin6_family = AF_INET6;
		assert_int_equal(
		    bind(*fd, (struct sockaddr *)&s6, sizeof(s6)), 0);
		sl = sizeof(s6);
		assert_int_equal(
		    getsockname(*fd, (struct sockaddr *)&s6, &sl), 0);
		assert_int_equal(listen(*fd, 16), 0);
		return ntohs(s6.sin6_port);
	}
	s4.sin_family = AF_INET;
	s4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(*fd, (struct sockaddr *)&s4, sizeof(s4)), 0);
	sl = sizeof(s4);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&s4, &sl), 0);
	assert_int_equal(listen(*fd, 16), 0);
	return ntohs(s4.sin_port);
}

static int
client(int family, uint16_t port)
{
	struct sockaddr_in6 s6 = {0};
	struct sockaddr_in s4 = {0};
	int fd = socket(family, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	if (family == AF_INET6) {
		s6.sin6_family = AF_INET6;
		s6.sin6_addr = in6addr_loopback;
		s6.sin6_port = htons(port);
		assert_int_equal(
		    connect(fd, (struct sockaddr *)&s6, sizeof(s6)), 0);
	} else {
		s4.sin_family = AF_INET;
		s4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4.sin_port = htons(port);
		assert_int_equal(
		    connect(fd, (struct sockaddr *)&s4, sizeof(s4)), 0);
	}
	return fd;
}

/*
 * Root with the kernel's BTF: the iterator's program is accepted, and it
 * reports the same sockets as sock_diag, in every state made here
 * (LISTEN, ESTABLISHED, CLOSE_WAIT, and the time-wait sockets of
 * FIN_WAIT2 and TIME_WAIT), IPv4, IPv6 and IPv4-mapped.
 */
static void
bpf_iterator_equals_sock_diag(void **state)
{
	struct sock_query q = {0};
	struct mine a = {0}, b = {0};
	struct err err = {0};
	const char *source = NULL;
	int l4, l6, c[6], s[6], fd;
	struct timespec ts = {0, 100 * 1000 * 1000};

	(void)state;
	if (geteuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		skip();
	unsetenv("SAKIMORI_SOCK_BPF");
	a.ports[0] = b.ports[0] = listener(AF_INET, &l4);
	a.ports[1] = b.ports[1] = listener(AF_INET6, &l6);
	c[0] = client(AF_INET, a.ports[0]);
	c[1] = client(AF_INET, a.ports[0]);
	c[2] = client(AF_INET, a.ports[1]); /* IPv4-mapped at the server */
	c[3] = client(AF_INET6, a.ports[1]);
	c[4] = client(AF_INET, a.ports[0]);
	c[5] = client(AF_INET6, a.ports[1]);
	for (int i = 0; i < 6; i++)
		assert_true((s[i] = accept(i == 2 || i == 3 || i == 5 ? l6 : l4,
		                 NULL, NULL)) >= 0);
	/* c4 closes first: FIN_WAIT2 (a time-wait socket), s4 CLOSE_WAIT;
	 * c5 and s5 both close: c5 is in TIME_WAIT */
	close(c[4]);
	close(c[5]);
	nanosleep(&ts, NULL);
	close(s[5]);
	nanosleep(&ts, NULL);

	q.protos = SOCK_TCP;
	q.addr_only = 1;
	assert_int_equal(
	    sock_walk(&q, NULL, keep_mine, &a, &source, NULL, &err), 0);
	assert_string_equal(source, "bpf");
	q.addr_only = 0;
	assert_int_equal(
	    sock_walk(&q, NULL, keep_mine, &b, &source, NULL, &err), 0);
	assert_string_equal(source, "netlink");
	/* 2 listeners, 4 x 2 established, c4 + s4, c5 */
	assert_int_equal(b.n, 13);
	assert_int_equal(a.n, b.n);
	qsort(a.v, a.n, sizeof(a.v[0]), entry_cmp);
	qsort(b.v, b.n, sizeof(b.v[0]), entry_cmp);
	for (size_t i = 0; i < a.n; i++)
		assert_memory_equal(&a.v[i], &b.v[i], sizeof(a.v[i]));
	{
		int st[SOCK_STATE_MAX + 1] = {0};

		for (size_t i = 0; i < a.n; i++)
			st[a.v[i].state]++;
		assert_int_equal(st[SOCK_LISTEN], 2);
		assert_int_equal(st[SOCK_ESTABLISHED], 8);
		assert_int_equal(st[SOCK_CLOSE_WAIT], 1);
		assert_int_equal(st[SOCK_FIN_WAIT2], 1);
		assert_int_equal(st[SOCK_TIME_WAIT], 1);
	}

	/* the state filter is the kernel's: only what was asked for */
	memset(&a, 0, sizeof(a));
	a.ports[0] = b.ports[0];
	a.ports[1] = b.ports[1];
	fd = sock_bpf_open(
	    SOCK_STATE_BIT(SOCK_FIN_WAIT2) | SOCK_STATE_BIT(SOCK_CLOSE_WAIT),
	    &err);
	assert_true(fd >= 0);
	assert_int_equal(
	    sock_bpf_read(fd, SOCK_INET4 | SOCK_INET6, keep_mine, &a, &err), 0);
	close(fd);
	assert_int_equal(a.n, 2);
	assert_true(a.v[0].state != a.v[1].state);

	/* SAKIMORI_SOCK_BPF=0: sock_diag even when the iterator would do */
	setenv("SAKIMORI_SOCK_BPF", "0", 1);
	q.addr_only = 1;
	memset(&a, 0, sizeof(a));
	assert_int_equal(
	    sock_walk(&q, NULL, keep_mine, &a, &source, NULL, &err), 0);
	assert_string_equal(source, "netlink");
	unsetenv("SAKIMORI_SOCK_BPF");

	for (int i = 0; i < 6; i++) {
		if (i != 4 && i != 5)
			close(c[i]);
		if (i != 5)
			close(s[i]);
	}
	close(l4);
	close(l6);
}

/* Addresses with ports in RFC 5952 form: "[::]:22", not
 * "[0:0:0:0:0:0:0:0]:22"; the longest zero run shortened, lowercase. */
static void
endpoint_text(void **state)
{
	static const struct {
		int family;
		uint8_t addr[16];
		unsigned port;
		const char *want;
	} t[] = {
	    {AF_INET6, {0}, 22, "[::]:22"},
	    {AF_INET6, {[15] = 1}, 631, "[::1]:631"},
	    {AF_INET6,
	        {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1},
	        8080, "[2001:db8::1:0:0:1]:8080"},
	    {AF_INET6, {0xfe, 0x80, [15] = 0xab}, 53, "[fe80::ab]:53"},
	    {AF_INET6, {[10] = 0xff, [11] = 0xff, 192, 0, 2, 1}, 80,
	        "[::ffff:192.0.2.1]:80"},
	    {AF_INET, {192, 0, 2, 1}, 80, "192.0.2.1:80"},
	};
	char buf[96];

	(void)state;
	for (size_t i = 0; i < countof(t); i++) {
		sock_endpoint_format(
		    t[i].family, t[i].addr, t[i].port, buf, sizeof(buf));
		assert_string_equal(buf, t[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_the_fixture_tree),
	    cmocka_unit_test(listening_and_state_filter),
	    cmocka_unit_test(malformed_lines_are_counted),
	    cmocka_unit_test(parser_reports_first_bad_line),
	    cmocka_unit_test(state_names),
	    cmocka_unit_test(endpoint_text),
	    cmocka_unit_test(netlink_finds_own_listener),
	    cmocka_unit_test(bpf_iterator_equals_sock_diag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
