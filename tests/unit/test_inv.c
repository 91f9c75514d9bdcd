/*
 * test_inv.c - the inventory's parser of os-release, its JSON round trip,
 * the comparison with the previous inventory and the corrupt-state path
 * (dpkg's records are tested with the package database, test_pkg.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/finding.h"
#include "inv/inventory.h"
#include "inv/osrel.h"

#define ROOT FIXTURES "/inv/root"

static void
os_release(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct err err = {0};
	struct osrel r;

	(void)state;
	assert_int_equal(
	    file_read(ROOT "/etc/os-release", 1 << 20, &sb, NULL, &err), 0);
	osrel_parse(sb.p, sb.len, &r);
	assert_string_equal(r.id, "debian");
	assert_string_equal(r.name, "Debian GNU/Linux"); /* single quotes */
	assert_string_equal(r.version_id, "12");
	assert_string_equal(r.version, "12 \"bookworm\""); /* escapes */
	assert_string_equal(r.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_int_equal(r.skipped, 1);
	osrel_parse("", 0, &r);
	assert_string_equal(r.id, "");
	strbuf_release(&sb);
}

static struct inventory *
sample(void)
{
	struct inventory *inv = calloc(1, sizeof(*inv));
	struct inv_svc *s;

	snprintf(inv->hostname, sizeof(inv->hostname), "www1");
	inv->taken_at = 1700000000;
	s = &inv->svcs[inv->nsvcs++];
	snprintf(s->name, sizeof(s->name), "OpenSSH");
	snprintf(s->exe, sizeof(s->exe), "/usr/sbin/sshd");
	snprintf(s->comm, sizeof(s->comm), "sshd");
	snprintf(s->package, sizeof(s->package), "openssh-server");
	snprintf(s->package_version, sizeof(s->package_version), "1:9.2p1-2");
	s->listening = 1;
	s->pids[s->npids++] = 500;
	snprintf(s->listen[0].proto, sizeof(s->listen[0].proto), "tcp");
	snprintf(s->listen[0].addr, sizeof(s->listen[0].addr), "0.0.0.0");
	s->listen[0].port = 22;
	s->nlisten = 1;
	return inv;
}

static void
json_round_trip_and_diff(void **state)
{
	struct inventory *a = sample(), *b = calloc(1, sizeof(*b)), *c;
	struct err err = {0};
	struct report r;
	json_t *j;

	(void)state;
	j = inv_to_json(a);
	assert_int_equal(inv_from_json(b, j, &err), 0);
	json_decref(j);
	assert_string_equal(b->hostname, "www1");
	assert_int_equal(b->nsvcs, 1);
	assert_int_equal(b->svcs[0].listen[0].port, 22);
	assert_string_equal(b->svcs[0].package_version, "1:9.2p1-2");

	/* Same inventory: nothing to report. */
	report_init(&r);
	inv_diff(a, b, &r);
	assert_int_equal(r.nf, 0);
	report_release(&r);

	/* A new listener on 31337 by a process from no package; sshd upgraded. */
	c = sample();
	snprintf(c->svcs[0].package_version, 128, "1:9.2p1-3");
	struct inv_svc *s = &c->svcs[c->nsvcs++];
	snprintf(s->name, sizeof(s->name), "nc");
	snprintf(s->exe, sizeof(s->exe), "/tmp/.x/nc");
	snprintf(s->comm, sizeof(s->comm), "nc");
	s->pids[s->npids++] = 4242;
	snprintf(s->listen[0].proto, 8, "tcp");
	snprintf(s->listen[0].addr, 64, "0.0.0.0");
	s->listen[0].port = 31337;
	s->nlisten = 1;
	report_init(&r);
	inv_diff(a, c, &r);
	assert_int_equal(r.nf, 2);
	const struct finding *nl = NULL, *up = NULL;
	for (size_t i = 0; i < r.nf; i++) {
		if (strcmp(r.f[i].check, "inventory-listener") == 0)
			nl = &r.f[i];
		if (strcmp(r.f[i].check, "inventory-version") == 0)
			up = &r.f[i];
	}
	assert_non_null(nl);
	assert_non_null(up);
	assert_int_equal(nl->sev, SEV_WARNING);
	assert_string_equal(nl->subject, "tcp 0.0.0.0:31337");
	assert_non_null(strstr(nl->message, "'nc'"));
	assert_non_null(strstr(nl->message, "not from any package"));
	assert_string_equal(finding_ev_get(nl, "pid"), "4242");
	assert_int_equal(up->sev, SEV_OK);
	assert_non_null(strstr(up->message, "1:9.2p1-3"));
	report_release(&r);

	/* And back: the listener is reported gone. */
	report_init(&r);
	inv_diff(c, a, &r);
	int gone = 0;
	for (size_t i = 0; i < r.nf; i++)
		gone += strstr(r.f[i].message, "is gone") != NULL;
	assert_int_equal(gone, 1);
	report_release(&r);
	free(a);
	free(b);
	free(c);
}

static void
corrupt_state(void **state)
{
	char dir[] = "/tmp/sakimori-inv.XXXXXX", path[256];
	struct inventory *inv = calloc(1, sizeof(*inv));
	struct err err = {0};
	static const char newer[] = "{\"schema\":99,\"services\":[]}";
	static const char *const bad[] = {"{\"schema\": SECRET}", "[]",
	    "{\"schema\":1}", "{\"schema\":0,\"services\":[]}",
	    "{\"schema\":1,\"services\":[{\"listen\":[{\"port\":\"x\"}]}]}"};

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(inv_state_load(dir, inv, &err), 1); /* none yet */
	snprintf(path, sizeof(path), "%s/inventory.json", dir);
	for (size_t i = 0; i < countof(bad); i++) {
		assert_int_equal(
		    file_write_atomic(path, bad[i], strlen(bad[i]), 0600, &err),
		    0);
		assert_int_equal(inv_state_load(dir, inv, &err), -1);
		assert_non_null(strstr(err.msg, "corrupt"));
		/* What the file holds is never repeated. */
		assert_null(strstr(err.msg, "SECRET"));
	}
	struct inventory *s = sample();
	/* A newer sakimori's inventory: refused, and not replaced. */
	assert_int_equal(
	    file_write_atomic(path, newer, strlen(newer), 0600, &err), 0);
	assert_int_equal(inv_state_load(dir, inv, &err), -1);
	assert_int_equal(err.code, EPROTO);
	assert_non_null(strstr(err.msg, "schema 99 is newer"));
	assert_int_equal(inv_state_save(dir, s, &err), -1);
	assert_int_equal(err.code, EPROTO);
	assert_int_equal(inv_state_load(dir, inv, &err), -1);
	assert_int_equal(err.code, EPROTO);
	unlink(path);
	assert_int_equal(inv_state_save(dir, s, &err), 0);
	assert_int_equal(inv_state_load(dir, inv, &err), 0);
	assert_int_equal(inv->svcs[0].listen[0].port, 22);
	/* The stamp is written in RFC 3339 and read back to the second. */
	assert_int_equal(inv->taken_at, 1700000000);
	/* An inventory kept with schema 1 (the time as a number) still reads. */
	static const char old[] =
	    "{\"type\":\"inventory\",\"schema\":1,"
	    "\"taken_at\":\"2023-11-14T23:13:20+0100\","
	    "\"taken_at_epoch\":1700000000,\"memory_kb\":1024,"
	    "\"services\":[{\"name\":\"sshd\",\"listen\":"
	    "[{\"proto\":\"tcp\",\"address\":\"0.0.0.0\",\"port\":22}]}]}";
	assert_int_equal(
	    file_write_atomic(path, old, strlen(old), 0600, &err), 0);
	assert_int_equal(inv_state_load(dir, inv, &err), 0);
	assert_int_equal(inv->taken_at, 1700000000);
	assert_int_equal(inv->svcs[0].listen[0].port, 22);
	unlink(path);
	rmdir(dir);
	free(s);
	free(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(os_release),
	    cmocka_unit_test(json_round_trip_and_diff),
	    cmocka_unit_test(corrupt_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
