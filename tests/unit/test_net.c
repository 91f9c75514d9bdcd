/*
 * test_net.c - addresses and prefixes (parse, print, compare), connection
 * counts on the /proc/net fixtures, and the ban records in a real state
 * database.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/mem.h"
#include "net/addr.h"
#include "net/allow.h"
#include "net/ban.h"
#include "collect/sock.h"
#include "conf/conf.h"
#include "net/addrlist.h"
#include "net/count.h"
#include "net/settings.h"
#include "store/store.h"

static struct net_prefix
P(const char *s) {
	struct net_prefix p;
	struct err err = {0};

	if (net_prefix_parse(s, strlen(s), &p, &err) == -1)
		fail_msg("'%s': %s", s, err.msg);
	return p;
}

static void
parses_and_prints(void **state)
{
	struct net_prefix p;
	char buf[NET_PREFIX_STRLEN];

	(void)state;
	p = P("192.0.2.1");
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 32);
	net_prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1");
	net_prefix_format_len(&p, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1/32");

	p = P("203.0.113.0/24");
	assert_int_equal(p.len, 24);
	net_prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "203.0.113.0/24");

	p = P("2001:DB8::1");
	assert_int_equal(p.family, AF_INET6);
	net_prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");

	p = P("2001:db8::/32");
	assert_int_equal(p.len, 32);
	p = P("0.0.0.0/0");
	assert_int_equal(p.len, 0);
}

static void
ipv4_mapped_is_ipv4(void **state)
{
	struct net_prefix p;
	char buf[NET_PREFIX_STRLEN];
	uint8_t raw[16] = {0};

	(void)state;
	p = P("::ffff:1.2.3.4");
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 32);
	net_prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "1.2.3.4");
	p = P("::ffff:1.2.3.0/120");
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 24);
	/* from a socket: the same folding */
	raw[10] = raw[11] = 0xff;
	raw[12] = 198;
	raw[13] = 51;
	raw[14] = 100;
	raw[15] = 7;
	net_prefix_from_bytes(&p, AF_INET6, raw);
	assert_true(net_prefix_equal(&p, &(struct net_prefix){0}) == 0);
	net_prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "198.51.100.7");
}

static void
expect_bad(const char *s, const char *why)
{
	struct net_prefix p;
	struct err err = {0};

	if (net_prefix_parse(s, strlen(s), &p, &err) != -1)
		fail_msg("'%s' was accepted", s);
	if (strstr(err.msg, why) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", s, err.msg, why);
}

static void
refuses_bad_input(void **state)
{
	(void)state;
	expect_bad("", "empty");
	expect_bad("1.2.3", "not an IPv4 or IPv6 address");
	expect_bad("1.2.3.4.5", "not an IPv4 or IPv6 address");
	expect_bad("256.1.1.1", "not an IPv4 or IPv6 address");
	expect_bad("01.2.3.4", "not an IPv4 or IPv6 address");
	expect_bad("1.2.3.4 ", "not an IPv4 or IPv6 address");
	expect_bad("example.org", "not an IPv4 or IPv6 address");
	expect_bad("2001:db8::g", "not an IPv4 or IPv6 address");
	expect_bad("1.2.3.4/33", "at most 32");
	expect_bad("2001:db8::/129", "at most 128");
	expect_bad("1.2.3.4/", "decimal");
	expect_bad("1.2.3.4/08", "decimal");
	expect_bad("1.2.3.4/+8", "decimal");
	expect_bad("1.2.3.4/8x", "decimal");
	expect_bad("1.2.3.4/99999999999999999999999", "decimal");
	expect_bad("fe80::1%eth0", "zone ids");
	expect_bad("fe80::1%eth0/64", "zone ids");
	expect_bad("[2001:db8::1]", "brackets");
	expect_bad("10.1.2.3/8", "did you mean 10.0.0.0/8");
	expect_bad("2001:db8::1/32", "did you mean 2001:db8::/32");
	{
		struct net_prefix p;
		struct err err = {0};
		const char nul[] = "1.2.3.4\0/8";

		assert_int_equal(
		    net_prefix_parse(nul, sizeof(nul) - 1, &p, &err), -1);
	}
}

static void
contains_and_overlaps(void **state)
{
	struct net_prefix a = P("10.0.0.0/8"), b = P("10.9.0.1"),
	                  c = P("11.0.0.0/8"), d = P("::1"), t;

	(void)state;
	assert_true(net_prefix_contains(&a, &b));
	assert_false(net_prefix_contains(&b, &a));
	assert_true(net_prefix_overlaps(&b, &a));
	assert_false(net_prefix_overlaps(&a, &c));
	assert_false(net_prefix_overlaps(&a, &d)); /* families differ */
	t = P("192.0.2.77");
	net_prefix_truncate(&t, 24);
	assert_true(net_prefix_equal(&t, &(struct net_prefix){0}) == 0);
	{
		char buf[NET_PREFIX_STRLEN];

		net_prefix_format(&t, buf, sizeof(buf));
		assert_string_equal(buf, "192.0.2.0/24");
	}
	t = P("2001:db8:1:2:3:4:5:6");
	net_prefix_truncate(&t, 64);
	assert_true(net_prefix_equal(&t,
	    &(struct net_prefix){
	        .family = AF_INET6,
	        .len = 64,
	        .addr = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2},
	    }));
}

static void
allow_list_matches(void **state)
{
	struct net_allow a = {0};
	struct net_prefix p = P("127.0.0.0/8"), q;
	const struct net_allow_entry *e;

	(void)state;
	assert_int_equal(net_allow_add(&a, &p, "loopback"), 0);
	q = P("127.0.0.1");
	e = net_allow_match(&a, &q);
	assert_non_null(e);
	assert_string_equal(e->why, "loopback");
	q = P("0.0.0.0/1");
	assert_non_null(net_allow_match(&a, &q));
	q = P("128.0.0.0/1");
	assert_null(net_allow_match(&a, &q));
	net_allow_release(&a);
}

/* Built from this host: multicast and broadcast are never blocked. */
static void
allow_list_refuses_multicast_and_broadcast(void **state)
{
	static const char *const never[] = {"224.0.0.1", "239.255.0.0/16",
	    "255.255.255.255", "ff02::1", "ff0e::/16"};
	struct net_allow a = {0};
	struct net_allow_opts o = {0};
	struct err err = {0};
	struct net_prefix q;
	const struct net_allow_entry *e;

	(void)state;
	assert_int_equal(net_allow_build(&a, &o, &err), 0);
	for (size_t i = 0; i < countof(never); i++) {
		q = P(never[i]);
		e = net_allow_match(&a, &q);
		if (e == NULL)
			fail_msg("'%s' is not on the allow-list", never[i]);
		assert_true(strcmp(e->why, "multicast") == 0 ||
		    strcmp(e->why, "the broadcast address") == 0);
	}
	q = P("255.255.255.254");
	e = net_allow_match(&a, &q);
	assert_true(e == NULL || strcmp(e->why, "multicast") != 0);
	net_allow_release(&a);
}

/* A bad admin network is an error, never skipped. */
static void
allow_list_bad_admin_network(void **state)
{
	const char *admin[] = {"192.0.2.0/24", "garbage"};
	struct net_allow a = {0};
	struct net_allow_opts o = {0};
	struct err err = {0};

	(void)state;
	o.admin = admin;
	o.nadmin = 2;
	assert_int_equal(net_allow_build(&a, &o, &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_non_null(strstr(err.msg, "admin-networks"));
	assert_non_null(strstr(err.msg, "'garbage'"));
	net_allow_release(&a);
}

static void
counts_the_fixture(void **state)
{
	struct net_counts c;
	struct net_count_opts o = {0};
	struct err err = {0};
	struct net_count_row *rows;
	size_t n;
	char buf[NET_PREFIX_STRLEN];
	uint16_t port;

	(void)state;
	o.port = -1;
	o.per_port_keys = 1;
	net_counts_init(&c);
	assert_int_equal(
	    net_count_collect(&o, FIXTURES "/proc-net", &c, &err), 0);
	assert_string_equal(c.source, "proc");
	assert_int_equal(c.total, 8); /* TCP only by default */
	assert_int_equal(c.state[SOCK_LISTEN], 2);
	assert_int_equal(c.state[SOCK_ESTABLISHED], 6);
	/* 127.0.0.1 (4 incl. the mapped one) and ::1 (2) */
	n = net_count_top(&c.addr, 0, &rows);
	assert_int_equal(n, 2);
	net_prefix_format(rows[0].key, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1");
	assert_int_equal(rows[0].n, 4);
	net_prefix_format(rows[1].key, buf, sizeof(buf));
	assert_string_equal(buf, "::1");
	free(rows);
	n = net_count_top(&c.prefix, 1, &rows);
	assert_int_equal(n, 1);
	net_prefix_format(rows[0].key, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.0/24");
	free(rows);
	/* inbound to the two listening ports: 1 to 47001, 2 to 47002 */
	n = net_count_top(&c.port, 0, &rows);
	assert_int_equal(n, 2);
	memcpy(&port, rows[0].key, 2);
	assert_int_equal(port, 47002);
	assert_int_equal(rows[0].n, 2);
	free(rows);
	/* (127.0.0.1, 47001), (127.0.0.1, 47002) mapped, (::1, 47002) */
	assert_int_equal(hmap_count(&c.addr_port), 3);
	net_counts_release(&c);
}

static void
ban_records(void **state)
{
	char dir[] = "/tmp/sakimori-test-net.XXXXXX";
	struct store s;
	struct err err = {0};
	struct net_ban b, got, *list;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(&s, dir, &err), 0);
	assert_int_equal(net_ban_migrate(&s, &err), 0);
	assert_int_equal(net_ban_migrate(&s, &err), 0); /* idempotent */
	memset(&b, 0, sizeof(b));
	b.prefix = P("203.0.113.0/24");
	snprintf(b.backend, sizeof(b.backend), "%s", "route");
	snprintf(b.kind, sizeof(b.kind), "%s", "blackhole");
	b.since = 1000;
	b.until = 2000;
	snprintf(b.reason, sizeof(b.reason), "%s", "flood");
	snprintf(b.by, sizeof(b.by), "%s", "rule:conn-flood");
	assert_int_equal(net_ban_insert(&s, &b, &err), 0);
	assert_true(b.id > 0);
	assert_int_equal(net_ban_count_active(&s, &err), 1);
	assert_int_equal(net_ban_find_active(&s, &b.prefix, &got, &err), 0);
	assert_true(net_prefix_equal(&got.prefix, &b.prefix));
	assert_string_equal(got.by, "rule:conn-flood");
	assert_int_equal(got.until, 2000);
	assert_int_equal(net_ban_history(&s, &b.prefix, &err), 0);
	assert_int_equal(
	    net_ban_end(&s, b.id, NET_BAN_EXPIRED, 2001, "expiry", "", &err),
	    0);
	assert_int_equal(net_ban_find_active(&s, &b.prefix, &got, &err), 1);
	assert_int_equal(net_ban_history(&s, &b.prefix, &err), 1);
	assert_int_equal(net_ban_list(&s, 1, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].state, NET_BAN_EXPIRED);
	assert_string_equal(list[0].ended_by, "expiry");
	free(list);
	assert_int_equal(net_ban_list(&s, 0, &list, &n, &err), 0);
	assert_int_equal(n, 0);
	free(list);
	store_close(&s);
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/sakimori.db", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/sakimori.db-wal", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/sakimori.db-shm", dir);
		unlink(path);
		rmdir(dir);
	}
}

/* --state of "net conns": names, commas, SYN_RECV with NEW_SYN_RECV. */
static void
states_parse(void **state)
{
	uint32_t m = 0;

	(void)state;
	assert_int_equal(net_count_states_parse("ESTABLISHED,SYN_RECV", &m), 0);
	assert_int_equal(m,
	    SOCK_STATE_BIT(SOCK_ESTABLISHED) | SOCK_STATE_BIT(SOCK_SYN_RECV) |
	        SOCK_STATE_BIT(SOCK_NEW_SYN_RECV));
	m = 0;
	assert_int_equal(net_count_states_parse("ESTABLISHED,", &m), 0);
	assert_int_equal(m, SOCK_STATE_BIT(SOCK_ESTABLISHED));
	assert_int_equal(net_count_states_parse("ESTABLISHED,,LISTEN", &m), -1);
	assert_int_equal(net_count_states_parse("BOGUS", &m), -1);
}

/* --for: a unit on every number, 1 s to ten years, or forever. */
static void
block_for_parse(void **state)
{
	uint64_t s;

	(void)state;
	assert_int_equal(net_block_for_parse("forever", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(net_block_for_parse("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(net_block_for_parse("1h30m", &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(net_block_for_parse("3650d", &s), 0);
	assert_int_equal(net_block_for_parse("90", &s), -1);
	assert_int_equal(net_block_for_parse("1h30", &s), -1);
	assert_int_equal(net_block_for_parse("3651d", &s), -1);
	assert_int_equal(net_block_for_parse("0s", &s), -1);
	assert_int_equal(net_block_for_parse("", &s), -1);
}

/* Who blocks: the user's name, and who ran sudo. */
static void
block_actor(void **state)
{
	char by[192];

	(void)state;
	net_block_actor(by, sizeof(by), 0, NULL);
	assert_string_equal(by, "user:root");
	net_block_actor(by, sizeof(by), 0, "alice");
	assert_string_equal(by, "user:root (sudo by alice)");
	net_block_actor(by, sizeof(by), 0, "");
	assert_string_equal(by, "user:root");
	net_block_actor(by, sizeof(by), 4000000000u, NULL);
	assert_string_equal(by, "uid:4000000000");
}

static void
load_conf(struct conf *c, const char *text)
{
	struct conf_errs errs = {0};

	conf_init(c);
	assert_int_equal(
	    conf_load_string(c, "t.conf", text, strlen(text), &errs), 0);
	conf_errs_release(&errs);
}

/* The block and counting settings, defaults and configured. */
static void
settings_from_conf(void **state)
{
	struct conf c;
	struct net_block_conf bc;
	struct net_count_opts o = {0};
	struct err err = {0};
	const char *v[4];
	uint64_t secs;

	(void)state;
	conf_init(&c);
	assert_int_equal(net_block_conf_load(&bc, &c, "/sd", &err), 0);
	assert_string_equal(bc.backend, "route");
	assert_int_equal(bc.broad4, 16);
	assert_int_equal(bc.broad6, 32);
	assert_int_equal(bc.max_active, 10000);
	assert_int_equal(bc.max_duration, 30 * 86400);
	assert_string_equal(bc.state_dir, "/sd");
	assert_int_equal(net_count_opts_from_conf(&o, &c, &err), 0);
	assert_int_equal(o.plen4, 24);
	assert_int_equal(o.plen6, 64);
	assert_false(o.no_bpf);
	conf_release(&c);

	load_conf(&c,
	    "set block-backend nftables\nset block-broadest-v4 20\n"
	    "set block-max-duration 2d\nset net-prefix-v6 48\n"
	    "set net-bpf no\n"
	    "set admin-networks 192.0.2.0/24 198.51.100.0/24\n");
	assert_int_equal(net_block_conf_load(&bc, &c, "/sd", &err), 0);
	assert_string_equal(bc.backend, "nftables");
	assert_int_equal(bc.broad4, 20);
	assert_int_equal(bc.max_duration, 2 * 86400);
	memset(&o, 0, sizeof(o));
	o.plen4 = 20; /* from the command line: kept */
	assert_int_equal(net_count_opts_from_conf(&o, &c, &err), 0);
	assert_int_equal(o.plen4, 20);
	assert_int_equal(o.plen6, 48);
	assert_true(o.no_bpf);
	o.plen4 = 33;
	assert_int_equal(net_count_opts_from_conf(&o, &c, &err), -1);
	assert_non_null(strstr(err.msg, "net-prefix-v4 must be 1..32"));
	assert_int_equal(net_setting_list(&c, "admin-networks", v, 4, &err), 2);
	assert_string_equal(v[1], "198.51.100.0/24");
	assert_int_equal(
	    net_setting_list(&c, "admin-networks", v, 1, &err), -1);
	assert_non_null(strstr(err.msg, "admin-networks: more than 1 values"));
	conf_release(&c);

	assert_int_equal(net_block_secs(3600, "k", &secs, &err), 0);
	assert_int_equal(secs, 3600);
	assert_int_equal(net_block_secs(-1, "k", &secs, &err), -1);
	assert_int_equal(
	    net_block_secs((double)NET_BLOCK_MAX_SECS + 1, "k", &secs, &err),
	    -1);
	assert_non_null(strstr(err.msg, "k: a duration from 0 to 3650d"));
}

struct bad_seen {
	int n;
	char where[64], msg[256];
};

static void
bad_cb(void *arg, const char *where, const char *msg)
{
	struct bad_seen *b = arg;

	b->n++;
	snprintf(b->where, sizeof(b->where), "%s", where ? where : "(arg)");
	snprintf(b->msg, sizeof(b->msg), "%s", msg);
}

/* The address list of "net block --from FILE": comments, blank lines,
 * a malformed line counted and named by file and line. */
static void
addrlist_reads_a_file(void **state)
{
	struct net_addrlist l = {0};
	struct bad_seen b = {0};
	struct err err = {0};
	char dir[] = "/tmp/test_net.XXXXXX", path[64];
	const char text[] = "# blocked\n192.0.2.1\n\n  2001:db8::/32  # v6\n"
	                    "not-an-address\n198.51.100.0/24\n";
	FILE *fp;
	char txt[NET_PREFIX_STRLEN];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/list", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(net_addrlist_read(&l, path, bad_cb, &b, &err), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.bad, 1);
	assert_int_equal(b.n, 1);
	assert_int_equal(str_printf(txt, sizeof(txt), "%s:5", path), 0);
	assert_string_equal(b.where, txt);
	assert_non_null(strstr(b.msg, "not-an-address"));
	net_prefix_format(&l.v[1].p, txt, sizeof(txt));
	assert_string_equal(txt, "2001:db8::/32");
	assert_int_equal(
	    net_addrlist_add(&l, "10.0.0.1", 8, NULL, bad_cb, &b, &err), 0);
	assert_int_equal(l.n, 4);
	net_addrlist_release(&l);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(net_addrlist_read(&l, path, bad_cb, &b, &err), -1);
	assert_non_null(strstr(err.msg, path));
	net_addrlist_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_and_prints),
	    cmocka_unit_test(ipv4_mapped_is_ipv4),
	    cmocka_unit_test(refuses_bad_input),
	    cmocka_unit_test(contains_and_overlaps),
	    cmocka_unit_test(allow_list_matches),
	    cmocka_unit_test(allow_list_refuses_multicast_and_broadcast),
	    cmocka_unit_test(allow_list_bad_admin_network),
	    cmocka_unit_test(counts_the_fixture),
	    cmocka_unit_test(ban_records),
	    cmocka_unit_test(states_parse),
	    cmocka_unit_test(block_for_parse),
	    cmocka_unit_test(block_actor),
	    cmocka_unit_test(settings_from_conf),
	    cmocka_unit_test(addrlist_reads_a_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
