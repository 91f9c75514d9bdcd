/*
 * test_metrics.c - the Prometheus exposition writer (escaping, family
 * names, the OpenMetrics end), Accept negotiation, the /metrics series
 * of open problems (bounded, worst first), and the listening rules.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/expo.h"
#include "agent/http.h"
#include "agent/metrics.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "collect/netdev.h"
#include "config.h"
#include "inv/inventory.h"

/* The escaped form of [s, s+n) as a string (a static buffer). */
static const char *
escaped(const char *s, size_t n)
{
	static char out[256];
	struct strbuf sb = STRBUF_INIT(1 << 16);

	expo_label_value(&sb, s, n);
	assert_false(strbuf_failed(&sb));
	snprintf(out, sizeof(out), "%.*s", (int)sb.len, sb.p ? sb.p : "");
	strbuf_release(&sb);
	return out;
}

static void
label_escaping(void **state)
{
	(void)state;
	/* quote, backslash and newline as the format says */
	assert_string_equal(escaped("a\"b\\c\nd", 7), "a\\\"b\\\\c\\nd");
	/* other control characters and invalid UTF-8: the text \xNN */
	assert_string_equal(escaped("x\001y", 3), "x\\\\x01y");
	assert_string_equal(escaped("\xff", 1), "\\\\xff");
	assert_string_equal(escaped("a\0b", 3), "a\\\\x00b");
	assert_string_equal(escaped("\x1b[31m", 5), "\\\\x1b[31m");
	/* valid UTF-8 is kept; a cut sequence is not */
	assert_string_equal(escaped("caf\xc3\xa9", 5), "caf\xc3\xa9");
	assert_string_equal(escaped("caf\xc3", 4), "caf\\\\xc3");
	assert_string_equal(escaped("", 0), "");
}

/* The exposition of one counter, one info metric and a gauge, in fmt. */
static char *
sample_exposition(enum expo_fmt fmt)
{
	struct strbuf sb = STRBUF_INIT(1 << 16);
	struct expo e = {&sb, fmt};
	struct expo_label l[2] = {
	    {"mode", "user", EXPO_STR}, {"x", "q\"", EXPO_STR}};
	char *s;

	expo_family(&e, "sakimori_cpu_seconds_total", EXPO_COUNTER,
	    "CPU \\ time\nby mode");
	expo_sample(&e, "sakimori_cpu_seconds_total", l, 1, 12.5);
	expo_family(&e, "sakimori_host_info", EXPO_INFO, "the host");
	expo_sample(&e, "sakimori_host_info", l, 2, 1);
	expo_family(&e, "sakimori_load1", EXPO_GAUGE, "load");
	expo_sample(&e, "sakimori_load1", NULL, 0, 0.1);
	expo_sample(&e, "sakimori_load1", NULL, 0, 1e300 * 1e300);
	expo_sample(&e, "sakimori_load1", NULL, 0, 4294967296.0);
	expo_end(&e);
	assert_false(strbuf_failed(&sb));
	s = strbuf_detach(&sb);
	assert_non_null(s);
	return s;
}

static void
text_format(void **state)
{
	char *s = sample_exposition(EXPO_TEXT);

	(void)state;
	assert_string_equal(s,
	    "# HELP sakimori_cpu_seconds_total CPU \\\\ time\\nby mode\n"
	    "# TYPE sakimori_cpu_seconds_total counter\n"
	    "sakimori_cpu_seconds_total{mode=\"user\"} 12.5\n"
	    "# HELP sakimori_host_info the host\n"
	    "# TYPE sakimori_host_info gauge\n"
	    "sakimori_host_info{mode=\"user\",x=\"q\\\"\"} 1\n"
	    "# HELP sakimori_load1 load\n"
	    "# TYPE sakimori_load1 gauge\n"
	    "sakimori_load1 0.1\n"
	    "sakimori_load1 +Inf\n"
	    "sakimori_load1 4294967296\n");
	free(s);
	assert_string_equal(expo_content_type(EXPO_TEXT),
	    "text/plain; version=0.0.4; charset=utf-8");
}

static void
openmetrics_format(void **state)
{
	char *s = sample_exposition(EXPO_OPENMETRICS);

	(void)state;
	/* families without _total and _info, info typed, # EOF at the end */
	assert_string_equal(s,
	    "# HELP sakimori_cpu_seconds CPU \\\\ time\\nby mode\n"
	    "# TYPE sakimori_cpu_seconds counter\n"
	    "sakimori_cpu_seconds_total{mode=\"user\"} 12.5\n"
	    "# HELP sakimori_host the host\n"
	    "# TYPE sakimori_host info\n"
	    "sakimori_host_info{mode=\"user\",x=\"q\\\"\"} 1\n"
	    "# HELP sakimori_load1 load\n"
	    "# TYPE sakimori_load1 gauge\n"
	    "sakimori_load1 0.1\n"
	    "sakimori_load1 +Inf\n"
	    "sakimori_load1 4294967296\n"
	    "# EOF\n");
	free(s);
	assert_string_equal(expo_content_type(EXPO_OPENMETRICS),
	    "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

static enum expo_fmt
neg(const char *accept)
{
	return expo_negotiate(accept, accept ? strlen(accept) : 0);
}

static void
negotiation(void **state)
{
	(void)state;
	/* what Prometheus sends */
	assert_int_equal(neg("application/openmetrics-text;version=1.0.0,"
	                     "application/openmetrics-text;version=0.0.1;"
	                     "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
	    EXPO_OPENMETRICS);
	assert_int_equal(neg("Application/OpenMetrics-Text ; q=0.9 , "
	                     "text/plain; q=0.2"),
	    EXPO_OPENMETRICS);
	assert_int_equal(neg(NULL), EXPO_TEXT);
	assert_int_equal(neg(""), EXPO_TEXT);
	assert_int_equal(neg("*/*"), EXPO_TEXT);
	assert_int_equal(neg("text/plain"), EXPO_TEXT);
	assert_int_equal(neg("application/openmetrics-text;q=0"), EXPO_TEXT);
	assert_int_equal(
	    neg("text/plain;q=1,application/openmetrics-text;q=0.5"),
	    EXPO_TEXT);
	/* a malformed q drops its media range */
	assert_int_equal(neg("application/openmetrics-text;q=2"), EXPO_TEXT);
	assert_int_equal(neg("application/openmetrics-text;q=x"), EXPO_TEXT);
	assert_int_equal(neg("application/openmetrics-textual"), EXPO_TEXT);
	assert_int_equal(
	    neg(",,;;,application/openmetrics-text"), EXPO_OPENMETRICS);
}

static void
addresses(void **state)
{
	struct http_addr a;
	struct err err = {0};

	(void)state;
	assert_int_equal(http_addr_parse("127.0.0.1:9947", &a, &err), 0);
	assert_true(a.loopback);
	assert_int_equal(http_addr_parse("127.1.2.3", &a, &err), 0);
	assert_true(a.loopback);
	assert_int_equal(http_addr_parse("0.0.0.0:80", &a, &err), 0);
	assert_false(a.loopback);
	assert_int_equal(http_addr_parse("192.0.2.1:80", &a, &err), 0);
	assert_false(a.loopback);
	assert_int_equal(http_addr_parse("[::1]:9947", &a, &err), 0);
	assert_true(a.loopback);
	assert_int_equal(http_addr_parse("[::ffff:127.0.0.1]:1", &a, &err), 0);
	assert_true(a.loopback);
	assert_int_equal(http_addr_parse("[::]:9947", &a, &err), 0);
	assert_false(a.loopback);
	assert_int_equal(http_addr_parse("::1:9947", &a, &err), -1);
	assert_non_null(strstr(err.msg, "in brackets"));
	assert_int_equal(http_addr_parse("127.0.0.1:0", &a, &err), -1);
	assert_int_equal(http_addr_parse("127.0.0.1:65536", &a, &err), -1);
	assert_int_equal(http_addr_parse("127.0.0.1:x", &a, &err), -1);
	assert_int_equal(http_addr_parse("localhost:80", &a, &err), -1);
	assert_string_equal(err.msg,
	    "listen 'localhost:80': 'localhost' is not an IPv4 address");
	assert_int_equal(http_addr_parse(":80", &a, &err), -1);
	assert_int_equal(http_addr_parse("[::1", &a, &err), -1);
}

static void
listening_rules(void **state)
{
	struct http_conf c = {0};
	struct err err = {0};

	(void)state;
	assert_int_equal(http_conf_check(&c, &err), 0); /* the default */
	c.listen = "0.0.0.0:9947";
	assert_int_equal(http_conf_check(&c, &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_non_null(strstr(err.msg, "not a loopback address"));
	assert_non_null(strstr(err.msg, "listen-token-file"));
	c.cert = "/c.pem";
	c.key = "/k.pem";
	assert_int_equal(http_conf_check(&c, &err), -1); /* no token */
	c.token_file = "/t";
	assert_int_equal(http_conf_check(&c, &err), 0);
	c.cert = NULL;
	c.listen = "127.0.0.1:1";
	assert_int_equal(http_conf_check(&c, &err), -1); /* key, no cert */
	assert_non_null(strstr(err.msg, "both"));
	c.key = NULL;
	c.token_file = NULL;
	c.listen = "no";
	assert_int_equal(http_conf_check(&c, &err), 0);
}

/* Open problems: counted by severity, listed worst first, at most 50. */
static void
problem_series(void **state)
{
	struct problem_info pr[60];
	struct strbuf sb = STRBUF_INIT(1 << 20);
	struct expo e = {&sb, EXPO_TEXT};
	struct metrics_src m = {0};
	const char *p, *first;
	size_t listed = 0;

	(void)state;
	memset(pr, 0, sizeof(pr));
	for (size_t i = 0; i < 60; i++) {
		pr[i].id = i + 1;
		snprintf(pr[i].check, sizeof(pr[i].check), "c%zu", i);
		snprintf(pr[i].subject, sizeof(pr[i].subject), "s\"%zu", i);
		pr[i].sev = i == 59 ? SEV_CRITICAL
		    : i % 2         ? SEV_WARNING
		                    : SEV_UNKNOWN;
		pr[i].open = i != 0; /* the first is pending */
		pr[i].first = 1000 + (time_t)i;
	}
	m.pr = pr;
	m.npr = 60;
	metrics_write(&e, &m);
	assert_false(strbuf_failed(&sb));
	assert_int_equal(strbuf_addc(&sb, '\0'), 0);
	assert_non_null(
	    strstr(sb.p, "sakimori_problems{severity=\"CRITICAL\"} 1\n"));
	assert_non_null(
	    strstr(sb.p, "sakimori_problems{severity=\"WARNING\"} 29\n"));
	assert_non_null(
	    strstr(sb.p, "sakimori_problems{severity=\"UNKNOWN\"} 29\n"));
	first = strstr(sb.p, "sakimori_problem_since_timestamp_seconds{");
	assert_non_null(first);
	/* the critical one first, its subject escaped */
	assert_true(
	    strncmp(first,
	        "sakimori_problem_since_timestamp_seconds{check=\"c59\","
	        "subject=\"s\\\"59\",severity=\"CRITICAL\"} 1059\n",
	        93) == 0);
	for (p = first; (p = strstr(p,
	                     "\nsakimori_problem_since_timestamp_"
	                     "seconds{")) != NULL;
	     p++)
		listed++;
	assert_int_equal(listed + 1, METRICS_PROBLEMS_MAX);
	/* the pending one is not listed; 59 open, 50 listed */
	assert_null(strstr(sb.p, "check=\"c0\""));
	assert_non_null(strstr(sb.p, "sakimori_problems_unlisted 9\n"));
	strbuf_release(&sb);
}

/* Each interface's counters, its name a label. */
static void
network_series(void **state)
{
	struct netdev d[2] = {
	    {"lo", 1, 2, 3, 4, 5, 6, 7, 8},
	    {"eth0", 10, 20, 30, 40, 50, 60, 70, 80},
	};
	struct netdevs nd = {d, 2, 2, 0, 0};
	struct strbuf sb = STRBUF_INIT(1 << 20);
	struct expo e = {&sb, EXPO_TEXT};
	struct metrics_src m = {0};

	(void)state;
	m.net = &nd;
	metrics_write(&e, &m);
	assert_int_equal(strbuf_addc(&sb, '\0'), 0);
	assert_non_null(strstr(sb.p,
	    "# TYPE sakimori_network_receive_bytes_total counter\n"
	    "sakimori_network_receive_bytes_total{device=\"lo\"} 1\n"
	    "sakimori_network_receive_bytes_total{device=\"eth0\"} 10\n"));
	assert_non_null(strstr(sb.p,
	    "sakimori_network_transmit_bytes_total{device=\"eth0\"} 50\n"));
	assert_non_null(strstr(sb.p,
	    "sakimori_network_receive_packets_total{device=\"eth0\"} 20\n"));
	assert_non_null(strstr(sb.p,
	    "sakimori_network_transmit_packets_total{device=\"lo\"} 6\n"));
	assert_non_null(strstr(
	    sb.p, "sakimori_network_receive_errors_total{device=\"lo\"} 3\n"));
	assert_non_null(strstr(sb.p,
	    "sakimori_network_transmit_drop_total{device=\"eth0\"} 80\n"));
	strbuf_release(&sb);
}

/*
 * The machine's series alone (what the parsing child writes), then the
 * rest (the parent's) give the same text as all of it written at once;
 * sakimori_machine_up between them, 1 or 0, only when asked.
 */
static void
machine_split(void **state)
{
	struct netdev d[1] = {{"eth0", 10, 20, 30, 40, 50, 60, 70, 80}};
	struct netdevs nd = {d, 1, 1, 0, 0};
	uint64_t tcp[SOCK_STATE_MAX + 1] = {0};
	struct strbuf whole = STRBUF_INIT(1 << 20),
	              split = STRBUF_INIT(1 << 20);
	struct expo ew = {&whole, EXPO_OPENMETRICS};
	struct expo es = {&split, EXPO_OPENMETRICS};
	struct metrics_src m = {0};
	const char *up;

	(void)state;
	tcp[SOCK_LISTEN] = 3;
	m.net = &nd;
	m.tcp = tcp;
	m.started = 1700000000;
	metrics_write(&ew, &m);
	expo_end(&ew);
	metrics_write_machine(&es, NULL, &nd, 100);
	m.net = NULL;
	metrics_write(&es, &m);
	expo_end(&es);
	assert_int_equal(strbuf_addc(&whole, '\0'), 0);
	assert_int_equal(strbuf_addc(&split, '\0'), 0);
	assert_string_equal(whole.p, split.p);
	assert_null(strstr(whole.p, "sakimori_machine_up"));
	/* the machine's part alone: no other series, no # EOF */
	strbuf_reset(&split);
	metrics_write_machine(&es, NULL, &nd, 100);
	assert_int_equal(strbuf_addc(&split, '\0'), 0);
	assert_non_null(strstr(split.p,
	    "sakimori_network_transmit_drop_total{device=\"eth0\"} 80\n"));
	assert_null(strstr(split.p, "sakimori_tcp_connections"));
	assert_null(strstr(split.p, "# EOF"));
	/* up: after the machine's series, before the parent's */
	strbuf_reset(&split);
	m.machine = METRICS_MACHINE_UP;
	metrics_write_machine(&es, NULL, &nd, 100);
	metrics_write(&es, &m);
	assert_int_equal(strbuf_addc(&split, '\0'), 0);
	assert_non_null(up = strstr(split.p,
	                    "# TYPE sakimori_machine_up gauge\n"
	                    "sakimori_machine_up 1\n"));
	assert_true(up > strstr(split.p, "sakimori_network_transmit_drop"));
	assert_true(up < strstr(split.p, "sakimori_tcp_connections"));
	strbuf_reset(&split);
	m.machine = METRICS_MACHINE_DOWN;
	metrics_write(&es, &m);
	assert_int_equal(strbuf_addc(&split, '\0'), 0);
	assert_non_null(strstr(split.p, "\nsakimori_machine_up 0\n"));
	assert_null(strstr(split.p, "sakimori_network_"));
	strbuf_release(&whole);
	strbuf_release(&split);
}

/* Each enabled check's state from its worst open problem, matched by
 * its name or one of its ids; a disabled check is not listed. */
static void
check_series(void **state)
{
	static const char *const fs_ids[] = {"fs-blocks", "fs-inodes", NULL};
	struct metrics_check ck[] = {
	    {"fs", fs_ids, 1, 1700000000},
	    {"load", NULL, 1, 0},
	    {"swap", NULL, 0, 0},
	    {"mail", NULL, 1, 5},
	};
	struct problem_info pr[3];
	struct strbuf sb = STRBUF_INIT(1 << 20);
	struct expo e = {&sb, EXPO_TEXT};
	struct metrics_src m = {0};

	(void)state;
	memset(pr, 0, sizeof(pr));
	str_copy(pr[0].check, sizeof(pr[0].check), "fs-inodes");
	pr[0].sev = SEV_WARNING;
	pr[0].open = 1;
	str_copy(pr[1].check, sizeof(pr[1].check), "fs-blocks");
	pr[1].sev = SEV_CRITICAL;
	pr[1].open = 1;
	str_copy(pr[2].check, sizeof(pr[2].check), "mail");
	pr[2].sev = SEV_CRITICAL;
	pr[2].open = 0; /* pending: not yet a problem */
	m.pr = pr;
	m.npr = 3;
	m.checks = ck;
	m.nchecks = 4;
	metrics_write(&e, &m);
	assert_int_equal(strbuf_addc(&sb, '\0'), 0);
	assert_non_null(strstr(sb.p,
	    "sakimori_check_status{check=\"fs\",state=\"CRITICAL\"} 2\n"));
	assert_non_null(strstr(
	    sb.p, "sakimori_check_status{check=\"load\",state=\"OK\"} 0\n"));
	assert_non_null(strstr(
	    sb.p, "sakimori_check_status{check=\"mail\",state=\"OK\"} 0\n"));
	assert_null(strstr(sb.p, "check=\"swap\""));
	assert_non_null(strstr(sb.p,
	    "sakimori_check_last_run_timestamp_seconds{check=\"fs\"} "
	    "1700000000\n"));
	strbuf_release(&sb);
}

/* The server table's labels: addresses but loopback and link-local,
 * the first global one as ip, the OS version, the agent's version. */
static void
host_series(void **state)
{
	struct inventory *v = calloc(1, sizeof(*v));
	struct strbuf sb = STRBUF_INIT(1 << 20);
	struct expo e = {&sb, EXPO_TEXT};
	struct metrics_src m = {0};

	(void)state;
	assert_non_null(v);
	str_copy(v->hostname, sizeof(v->hostname), "web1");
	str_copy(v->os_version, sizeof(v->os_version), "12 (bookworm)");
	v->nifaces = 2;
	str_copy(v->ifaces[0].addrs[0], 64, "127.0.0.1/8");
	str_copy(v->ifaces[0].addrs[1], 64, "::1/128");
	v->ifaces[0].naddrs = 2;
	str_copy(v->ifaces[1].addrs[0], 64, "192.0.2.7/24");
	str_copy(v->ifaces[1].addrs[1], 64, "fe80::1/64");
	str_copy(v->ifaces[1].addrs[2], 64, "2001:db8::7/64");
	v->ifaces[1].naddrs = 3;
	v->nsvcs = 1;
	str_copy(v->svcs[0].name, 64, "Apache");
	str_copy(v->svcs[0].listen[0].proto, 8, "tcp");
	str_copy(v->svcs[0].listen[0].addr, 64, "0.0.0.0");
	v->svcs[0].listen[0].port = 80;
	str_copy(v->svcs[0].listen[1].proto, 8, "tcp6");
	str_copy(v->svcs[0].listen[1].addr, 64, "::");
	v->svcs[0].listen[1].port = 80;
	v->svcs[0].nlisten = 2;
	m.inv = v;
	metrics_write(&e, &m);
	assert_int_equal(strbuf_addc(&sb, '\0'), 0);
	assert_non_null(strstr(sb.p,
	    "ip=\"192.0.2.7\",addresses=\"192.0.2.7/24 "
	    "2001:db8::7/64\","));
	assert_non_null(strstr(sb.p, "os_version=\"12 (bookworm)\""));
	assert_non_null(strstr(sb.p, "agent_version=\"" SAKIMORI_VERSION "\""));
	assert_non_null(strstr(sb.p, "ports=\"80/tcp 80/tcp6\"}"));
	strbuf_release(&sb);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(label_escaping),
	    cmocka_unit_test(text_format),
	    cmocka_unit_test(openmetrics_format),
	    cmocka_unit_test(negotiation),
	    cmocka_unit_test(addresses),
	    cmocka_unit_test(listening_rules),
	    cmocka_unit_test(problem_series),
	    cmocka_unit_test(network_series),
	    cmocka_unit_test(machine_split),
	    cmocka_unit_test(check_series),
	    cmocka_unit_test(host_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
