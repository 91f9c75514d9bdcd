/*
 * test_respond.c - the active-response decisions (net/respond.c): which
 * findings a rule selects, one decision per address, repeat growth, the
 * cap, the allow-list, and the rules the configuration accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/finding.h"
#include "net/allow.h"
#include "net/respond.h"
#include "conf_of.h"

static struct respond_conf
rules(const char *text)
{
	struct respond_conf rc;
	struct err err = {0};
	struct conf *c = conf_of(text);

	assert_int_equal(respond_conf_load(&rc, c, &err), 0);
	conf_release(c); /* the rules are copies */
	return rc;
}

static void
findings(struct report *r)
{
	struct finding *f;

	report_init(r);
	f = report_add(r, SEV_CRITICAL, "auth-brute-force", "203.0.113.1",
	    "203.0.113.1: 30 failures");
	finding_ev(f, "address", "203.0.113.1");
	finding_ev(f, "lines", "auth.log:1-30");
	report_add(r, SEV_WARNING, "web-attack", "203.0.113.2", "probes");
	f = report_add(r, SEV_CRITICAL, "web-attack", "203.0.113.3", "rce");
	finding_ev(f, "classes", "rce,404-scan");
	report_add(r, SEV_CRITICAL, "mail-relay-probe", "client:x[203.0.113.4]",
	    "relay");
	report_add(r, SEV_WARNING, "auth-distributed", "root", "user root");
	report_add(
	    r, SEV_CRITICAL, "auth-user-enumeration", "example.com", "users");
}

static const struct respond_decision *
of(const struct respond_decision *d, size_t n, const char *addr)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].addr, addr) == 0)
			return &d[i];
	return NULL;
}

static void
selects_by_finding_and_severity(void **state)
{
	struct respond_conf rc = rules("respond {\n"
	                               " block auth-brute-force for 10m\n"
	                               " block web-attack critical for 1h\n"
	                               " block mail-relay-probe for 1d\n"
	                               "}\n");
	struct report r;
	struct respond_decision d[16];
	const struct respond_decision *x;
	size_t n;

	(void)state;
	findings(&r);
	n = respond_decide(&rc, &r, NULL, 0, 0, NULL, d, 16);
	assert_int_equal(n, 3);
	x = of(d, n, "203.0.113.1");
	assert_non_null(x);
	assert_int_equal(x->what, RESPOND_BLOCK);
	assert_int_equal(x->secs, 600);
	assert_non_null(strstr(x->reason, "auth-brute-force CRITICAL"));
	assert_non_null(strstr(x->reason, "lines=auth.log:1-30"));
	/* a WARNING web-attack does not reach "critical" */
	assert_null(of(d, n, "203.0.113.2"));
	assert_int_equal(of(d, n, "203.0.113.3")->secs, 3600);
	/* the mail check's subject "client:NAME[ADDR]" */
	assert_int_equal(of(d, n, "203.0.113.4")->secs, 86400);
	report_release(&r);

	/* nothing configured: nothing blocked */
	rc = rules("set block-duration 1h\n");
	findings(&r);
	assert_int_equal(respond_decide(&rc, &r, NULL, 0, 0, NULL, d, 16), 0);
	report_release(&r);
}

static void
incident_kinds_and_addresses(void **state)
{
	struct respond_conf rc = rules("respond {\n"
	                               " block web-404-scan for 30m\n"
	                               " block auth-user-enumeration\n"
	                               "}\n");
	struct report r;
	struct respond_decision d[16];
	size_t n;

	(void)state;
	findings(&r);
	n = respond_decide(&rc, &r, NULL, 0, 0, NULL, d, 16);
	assert_int_equal(n, 2);
	/* the incident whose classes hold 404-scan, not the other one */
	assert_int_equal(of(d, n, "203.0.113.3")->what, RESPOND_BLOCK);
	assert_int_equal(of(d, n, "203.0.113.3")->secs, 1800);
	/* a host name is not blocked: the finding is listed as such */
	assert_int_equal(of(d, n, "example.com")->what, RESPOND_NOT_ADDRESS);
	assert_int_equal(of(d, n, "example.com")->secs, 0);
	report_release(&r);
}

static void
history_cap_and_allow_list(void **state)
{
	struct respond_conf rc = rules("set block-repeat-factor 3\n"
	                               "respond {\n"
	                               " block auth-brute-force for 10m\n"
	                               " block web-attack critical for 1h\n"
	                               " max-active 2\n"
	                               "}\n");
	struct respond_past past[2] = {0};
	struct err err = {0};
	struct report r;
	struct respond_decision d[16];
	struct net_allow allow = {0};
	struct net_prefix p;
	size_t n;

	(void)state;
	findings(&r);
	assert_int_equal(
	    net_prefix_parse("203.0.113.1", 11, &past[0].p, &err), 0);
	past[0].earlier = 2; /* blocked twice before: 10m x 3 x 3 */
	assert_int_equal(
	    net_prefix_parse("203.0.113.3", 11, &past[1].p, &err), 0);
	past[1].active = 1;
	n = respond_decide(&rc, &r, past, 2, 1, NULL, d, 16);
	assert_int_equal(of(d, n, "203.0.113.1")->what, RESPOND_BLOCK);
	assert_int_equal(of(d, n, "203.0.113.1")->secs, 5400);
	assert_int_equal(of(d, n, "203.0.113.1")->earlier, 2);
	assert_int_equal(of(d, n, "203.0.113.3")->what, RESPOND_ACTIVE);
	report_release(&r);

	/* one active + one new = max-active 2: the next is refused */
	rc = rules("respond {\n block web-attack for 1h\n"
	           " block auth-brute-force\n max-active 2\n}\n");
	findings(&r);
	n = respond_decide(&rc, &r, NULL, 0, 1, NULL, d, 16);
	assert_int_equal(of(d, n, "203.0.113.1")->what, RESPOND_BLOCK);
	assert_int_equal(of(d, n, "203.0.113.2")->what, RESPOND_CAP);
	assert_int_equal(of(d, n, "203.0.113.3")->what, RESPOND_CAP);

	/* the allow-list always applies */
	assert_int_equal(net_prefix_parse("203.0.113.0/24", 14, &p, &err), 0);
	assert_int_equal(net_allow_add(&allow, &p, "admin network"), 0);
	n = respond_decide(&rc, &r, NULL, 0, 0, &allow, d, 16);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(d[i].what, RESPOND_ALLOWED);
	assert_string_equal(of(d, n, "203.0.113.1")->why, "admin network");
	net_allow_release(&allow);
	report_release(&r);
}

static void
bad_rules_refused(void **state)
{
	static const char *const bad[] = {
	    "respond {\n block load for 1h\n}\n",
	    "respond {\n block auth-brute-force for\n}\n",
	    "respond {\n block auth-brute-force for 1x\n}\n",
	    "respond {\n block auth-brute-force critical extra\n}\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct conf c;
		struct conf_errs errs = {0};

		conf_init(&c);
		if (conf_load_string(&c, "t", bad[i], strlen(bad[i]), &errs) ==
		    0)
			fail_msg("accepted: %s", bad[i]);
		assert_true(errs.n > 0);
		assert_non_null(strstr(errs.msg[0], "block"));
		conf_errs_release(&errs);
		conf_release(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(selects_by_finding_and_severity),
	    cmocka_unit_test(incident_kinds_and_addresses),
	    cmocka_unit_test(history_cap_and_allow_list),
	    cmocka_unit_test(bad_rules_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
