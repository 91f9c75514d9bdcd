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
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "collect/sock.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_the_fixture_tree),
	    cmocka_unit_test(listening_and_state_filter),
	    cmocka_unit_test(malformed_lines_are_counted),
	    cmocka_unit_test(parser_reports_first_bad_line),
	    cmocka_unit_test(state_names),
	    cmocka_unit_test(netlink_finds_own_listener),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
