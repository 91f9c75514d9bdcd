/*
 * test_sniff.c - raw and packet socket tables and promiscuous interfaces
 * on the fixture tree tests/fixtures/sniff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "collect/sniff.h"

static void
reads_fixture_tables(void **state)
{
	struct sniff_socks *s = calloc(1, sizeof(*s));
	struct err err = {0};

	(void)state;
	assert_int_equal(sniff_socks_read(s, FIXTURES "/sniff", &err), 0);
	assert_int_equal(s->n, 5);
	assert_int_equal(s->malformed, 1);
	assert_int_equal(s->v[0].kind, SNIFF_RAW4);
	assert_int_equal(s->v[0].proto, 1); /* ICMP */
	assert_int_equal(s->v[0].inode, 315535);
	assert_int_equal(s->v[1].uid, 1000);
	assert_int_equal(s->v[1].proto, 255);
	assert_int_equal(s->v[2].kind, SNIFF_RAW6);
	assert_int_equal(s->v[2].proto, 58);
	assert_int_equal(s->v[3].kind, SNIFF_PACKET);
	assert_int_equal(s->v[3].proto, 3); /* ETH_P_ALL */
	assert_int_equal(s->v[4].ifindex, 2);
	assert_int_equal(s->v[4].uid, 101);
	assert_int_equal(s->v[4].inode, 315538);
	free(s);
}

static void
promiscuous_interface(void **state)
{
	struct sniff_if v[4];
	struct err err = {0};

	(void)state;
	assert_int_equal(sniff_promisc_read(FIXTURES "/sniff", v, 4, &err), 1);
	assert_string_equal(v[0].name, "eth0");
	assert_int_equal(
	    sniff_promisc_read(FIXTURES "/nonexistent", v, 4, &err), -1);
}

static void
truncated_lines(void **state)
{
	const char raw[] = "hdr\n 1: 00000000:0001\n 2:\n\n";
	const char pkt[] = "hdr\nffff 3 3 zz\n";
	struct sniff_socks *s = calloc(1, sizeof(*s));

	(void)state;
	sniff_raw_parse(raw, strlen(raw), SNIFF_RAW4, s);
	sniff_packet_parse(pkt, strlen(pkt), s);
	assert_int_equal(s->n, 0);
	assert_int_equal(s->malformed, 3);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_fixture_tables),
	    cmocka_unit_test(promiscuous_interface),
	    cmocka_unit_test(truncated_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
