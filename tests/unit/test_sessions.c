/*
 * test_sessions.c - the sessions check without a state directory: only
 * the configured lists can be checked, and with none it says it cannot
 * tell (UNKNOWN).  With a state directory it is tested against the real
 * binary (tests/integration/sessions.sh).  The fixture's utmp (made with
 * utmpdump, see tests/fixtures/proc/README.md) has alice on pts/0 from
 * 192.0.2.10 and root on tty1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf_of.h"

#include "base/err.h"
#include "base/finding.h"
#include "check/check.h"
#include "check/sessions.h"

#define MODERN FIXTURES "/proc/modern"

static int
run(const char *conf, struct report *r, struct err *err)
{
	struct check_ctx x = {0};
	int rc;

	x.conf = conf_of(conf);
	x.root = MODERN;
	x.now = 1795719600 + 7200;
	rc = check_sessions(&x, r, err);
	conf_release((struct conf *)x.conf);
	return rc;
}

static void
no_state_no_lists_is_unknown(void **state)
{
	struct report r;
	struct err err = {0};

	(void)state;
	report_init(&r);
	assert_int_equal(run("", &r, &err), -1);
	assert_non_null(strstr(err.msg, "no state directory"));
	assert_int_equal(r.nf, 0);
	report_release(&r);
}

static void
users_list_without_state(void **state)
{
	struct report r;
	struct err err = {0};

	(void)state;
	report_init(&r);
	assert_int_equal(run("check sessions { users alice }", &r, &err), 0);
	/* root is not on the list; alice is, and newness is not known */
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_CRITICAL);
	assert_string_equal(
	    r.f[0].subject, "root tty1 at 2026-11-26T19:30:00Z");
	assert_string_equal(finding_ev_get(&r.f[0], "user_allowed"), "no");
	assert_non_null(strstr(r.f[0].message, "not on the allowed list"));
	report_release(&r);
}

static void
from_list_without_state(void **state)
{
	struct report r;
	struct err err = {0};

	(void)state;
	report_init(&r);
	/* alice's address inside; root's console is not remote */
	assert_int_equal(
	    run("check sessions { from 192.0.2.0/24 }", &r, &err), 0);
	assert_int_equal(r.nf, 0);
	assert_int_equal(run("check sessions { from 198.51.100.0/24 "
	                     "\"2001:db8::/32\" }",
	                     &r, &err),
	    0);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_CRITICAL);
	assert_string_equal(r.f[0].subject,
	    "alice pts/0 from 192.0.2.10 at 2026-11-26T19:00:00Z");
	assert_string_equal(finding_ev_get(&r.f[0], "address"), "192.0.2.10");
	assert_string_equal(finding_ev_get(&r.f[0], "address_allowed"), "no");
	report_release(&r);
}

/* A utmp unchanged since the last run is answered from the agent's memo. */
static void
unchanged_utmp_needs_no_database(void **state)
{
	static const char *const left[] = {"moved.db", "moved.db-wal",
	    "moved.db-shm", "sakimori.db-wal", "sakimori.db-shm"};
	char dir[] = "/tmp/sakimori-sessions.XXXXXX", db[64], side[80];
	struct check_ctx x = {0};
	void *memo = NULL;
	struct report r;
	struct err err = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/sakimori.db", dir);
	snprintf(side, sizeof(side), "%s/moved.db", dir);
	x.conf = conf_of("");
	x.root = MODERN;
	x.now = 1795719600 + 7200;
	x.state_dir = dir;
	x.memo = &memo;
	report_init(&r);
	assert_int_equal(check_sessions(&x, &r, &err), 0);
	assert_int_equal(r.nf, 2); /* alice and root: both new */
	assert_non_null(memo);
	/* the database made unopenable: a run from memory still answers */
	assert_int_equal(rename(db, side), 0);
	assert_int_equal(mkdir(db, 0700), 0);
	report_release(&r);
	report_init(&r);
	assert_int_equal(check_sessions(&x, &r, &err), 0);
	assert_int_equal(r.nf, 2);
	assert_string_equal(finding_ev_get(&r.f[0], "new_user"), "yes");
	/* without the memo it needs the database, and says it cannot */
	x.memo = NULL;
	report_release(&r);
	report_init(&r);
	assert_int_equal(check_sessions(&x, &r, &err), -1);
	report_release(&r);
	free(memo);
	rmdir(db);
	for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		snprintf(side, sizeof(side), "%s/%s", dir, left[i]);
		unlink(side);
	}
	assert_int_equal(rmdir(dir), 0);
	conf_release((struct conf *)x.conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(no_state_no_lists_is_unknown),
	    cmocka_unit_test(users_list_without_state),
	    cmocka_unit_test(from_list_without_state),
	    cmocka_unit_test(unchanged_utmp_needs_no_database),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
