/*
 * test_store.c - the state database, the audit log and mail through a
 * sendmail stand-in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "act/audit.h"
#include "act/mail.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "store/store.h"

static char dir[] = "/tmp/sakimori-unit.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
kv_and_migrations(void **state)
{
	static const char *const steps[] = {
	    "CREATE TABLE t (a INTEGER)",
	    "ALTER TABLE t ADD COLUMN b TEXT",
	};
	struct store s;
	struct err err = {0};
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(store_open(&s, dir, &err), 0);
	assert_int_equal(store_migrate(&s, "test", steps, 1, &err), 0);
	/* Running again, and then one step further, keeps what is there. */
	assert_int_equal(store_migrate(&s, "test", steps, 1, &err), 0);
	assert_int_equal(store_migrate(&s, "test", steps, 2, &err), 0);
	/* An older sakimori does not use tables a newer one made. */
	assert_int_equal(store_migrate(&s, "test", steps, 1, &err), -1);
	assert_non_null(strstr(err.msg, "schema version 2, newer"));
	assert_int_equal(
	    store_exec(&s, "INSERT INTO t VALUES (1, 'x')", &err), 0);
	assert_int_equal(store_kv_get(&s, "ns", "k", &sb, &err), 1);
	assert_int_equal(store_kv_set(&s, "ns", "k", "v\0w", 3, &err), 0);
	assert_int_equal(store_kv_get(&s, "ns", "k", &sb, &err), 0);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.p, "v\0w", 3);
	assert_int_equal(store_kv_del(&s, "ns", "k", &err), 0);
	assert_int_equal(store_kv_get(&s, "ns", "k", &sb, &err), 1);
	store_close(&s);
	strbuf_release(&sb);
}

static void
corrupt_database_is_refused(void **state)
{
	char sub[512], path[600];
	struct store s;
	struct err err = {0};
	static const char junk[] =
	    "this is not an SQLite database, not at all......"
	    "...............................................................";

	(void)state;
	snprintf(sub, sizeof(sub), "%s/corrupt", dir);
	assert_int_equal(dir_make(sub, 0700, &err), 0);
	snprintf(path, sizeof(path), "%s/sakimori.db", sub);
	assert_int_equal(
	    file_write_atomic(path, junk, sizeof(junk), 0600, &err), 0);
	assert_int_equal(store_open(&s, sub, &err), -1);
	assert_non_null(strstr(err.msg, "corrupt"));
	assert_non_null(strstr(err.msg, path));
}

static void
audit_appends_json_lines(void **state)
{
	struct audit_entry e = {
	    "kill", "rule:test", "pid 1 (\033[2J)", "ran too long", "ok"};
	struct strbuf sb = STRBUF_INIT(0);
	struct err err = {0};
	char path[600];

	(void)state;
	assert_int_equal(audit_log(dir, &e, &err), 0);
	e.action = "block";
	assert_int_equal(audit_log(dir, &e, &err), 0);
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	assert_int_equal(file_read(path, 1 << 20, &sb, NULL, &err), 0);
	assert_non_null(
	    strstr(sb.p, "\"action\":\"kill\",\"who\":\"rule:test\""));
	assert_non_null(strstr(sb.p, "\"action\":\"block\""));
	/* The escape character is JSON-escaped, never raw. */
	assert_null(strchr(sb.p, '\033'));
	assert_non_null(strcasestr(sb.p, "\\u001b[2J"));
	int lines = 0;
	for (size_t i = 0; i < sb.len; i++)
		lines += sb.p[i] == '\n';
	assert_int_equal(lines, 2);
	strbuf_release(&sb);
}

static void
mail_goes_to_sendmail_without_injection(void **state)
{
	struct mail m = {FIXTURES "/bin/fake-sendmail", "sakimori@localhost",
	    "webmaster", "CGI stopped\r\nBcc: victim@example.org",
	    "Your script was stopped.\n"};
	struct strbuf sb = STRBUF_INIT(0);
	struct err err = {0};
	char out[600];

	(void)state;
	snprintf(out, sizeof(out), "%s/mail.out", dir);
	setenv("FAKE_SENDMAIL_OUT", out, 1);
	assert_int_equal(mail_send(&m, &err), 0);
	assert_int_equal(file_read(out, 1 << 20, &sb, NULL, &err), 0);
	assert_non_null(strstr(
	    sb.p, "ARGS: [-i] [-f] [sakimori@localhost] [--] [webmaster]"));
	assert_non_null(strstr(sb.p, "From: sakimori@localhost\n"));
	assert_non_null(strstr(sb.p, "To: webmaster\n"));
	/* The CR LF became spaces: no second header line. */
	assert_non_null(
	    strstr(sb.p, "Subject: CGI stopped  Bcc: victim@example.org\n"));
	assert_null(strstr(sb.p, "\nBcc:"));
	assert_non_null(strstr(sb.p, "\n\nYour script was stopped.\n"));
	strbuf_release(&sb);

	m.to = "-oQ/tmp/x";
	assert_int_equal(mail_send(&m, &err), -1);
	m.to = "root";
	/* mail-from: the From: header and the envelope sender (-f) */
	m.from = "Watchman <watch@example.org>";
	unlink(out);
	assert_int_equal(mail_send(&m, &err), 0);
	assert_int_equal(file_read(out, 1 << 20, &sb, NULL, &err), 0);
	assert_non_null(
	    strstr(sb.p, "ARGS: [-i] [-f] [watch@example.org] [--] [root]"));
	assert_non_null(strstr(sb.p, "From: Watchman <watch@example.org>\n"));
	strbuf_release(&sb);
	/* a sender that would be an option, or is two words, is refused */
	m.from = "<-oQ/tmp/x>";
	assert_int_equal(mail_send(&m, &err), -1);
	assert_non_null(strstr(err.msg, "bad mail sender"));
	m.from = "watch@example.org root@example.org";
	assert_int_equal(mail_send(&m, &err), -1);
	m.from = NULL;
	m.sendmail = "/nonexistent/sendmail";
	assert_int_equal(mail_send(&m, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/sendmail"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kv_and_migrations),
	    cmocka_unit_test(corrupt_database_is_refused),
	    cmocka_unit_test(audit_appends_json_lines),
	    cmocka_unit_test(mail_goes_to_sendmail_without_injection),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
