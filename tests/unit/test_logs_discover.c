/*
 * test_logs_discover.c - log discovery on a root tree of Debian's stock
 * Apache and nginx configuration (tests/fixtures/discover, see its
 * README), the configuration's follow and ignore, and the nginx
 * tokenizer on its own.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "conf_of.h"
#include "logs/discover.h"

#define ROOT FIXTURES "/discover"

static const struct discover_log *
find(const struct discover *d, const char *path)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->log[i].path, path) == 0)
			return &d->log[i];
	return NULL;
}

static void
assert_log(const struct discover *d, const char *path, enum discover_kind k,
    const char *source, int present)
{
	const struct discover_log *l = find(d, path);

	if (l == NULL)
		fail_msg("'%s' not found", path);
	assert_string_equal(discover_kind_name(l->kind), discover_kind_name(k));
	assert_string_equal(l->source, source);
	assert_int_equal(l->present, present);
}

static void
assert_skip(const struct discover *d, const char *target, const char *why,
    const char *source)
{
	for (size_t i = 0; i < d->nskip; i++)
		if (strcmp(d->skip[i].target, target) == 0) {
			assert_string_equal(d->skip[i].why, why);
			assert_string_equal(d->skip[i].source, source);
			return;
		}
	fail_msg("'%s' not skipped", target);
}

static void
debian_stock(void **state)
{
	struct discover d;
	struct err err = {0};

	(void)state;
	discover_init(&d);
	assert_int_equal(discover_logs(&d, ROOT, NULL, &err), 0);
	/* Apache: ${APACHE_LOG_DIR} from envvars, vhost and main server. */
	assert_log(&d, "/var/log/apache2/error.log", DISCOVER_ERROR,
	    "/etc/apache2/apache2.conf:134", 1);
	assert_log(&d, "/var/log/apache2/access.log", DISCOVER_ACCESS,
	    "/etc/apache2/sites-enabled/000-default.conf:21", 1);
	/* relative to ServerRoot; piped and syslog skipped */
	assert_log(&d, "/etc/apache2/logs/shop-transfer.log", DISCOVER_ACCESS,
	    "/etc/apache2/sites-enabled/shop.conf:6", 0);
	assert_skip(&d,
	    "|/usr/bin/rotatelogs /var/log/apache2/shop.%Y%m%d 86400", "piped",
	    "/etc/apache2/sites-enabled/shop.conf:5");
	assert_skip(&d, "syslog:local1", "syslog",
	    "/etc/apache2/sites-enabled/shop.conf:7");
	/* nginx: nginx.conf and the sites it includes */
	assert_log(&d, "/var/log/nginx/error.log", DISCOVER_ERROR,
	    "/etc/nginx/nginx.conf:4", 0);
	assert_log(&d, "/var/log/nginx/access.log", DISCOVER_ACCESS,
	    "/etc/nginx/nginx.conf:40", 0);
	assert_log(&d, "/var/log/nginx/blog.access.log", DISCOVER_ACCESS,
	    "/etc/nginx/sites-enabled/blog:5", 0);
	assert_log(&d, "/usr/share/nginx/logs/blog.error.log", DISCOVER_ERROR,
	    "/etc/nginx/sites-enabled/blog:6", 0);
	assert_skip(&d, "off", "off", "/etc/nginx/sites-enabled/blog:8");
	assert_skip(&d, "syslog:server=unix:/dev/log,tag=blog", "syslog",
	    "/etc/nginx/sites-enabled/blog:11");
	/* the system: the one that exists, else the usual names, absent */
	assert_log(&d, "/var/log/mail.log", DISCOVER_MAIL, "default", 1);
	assert_null(find(&d, "/var/log/maillog"));
	assert_log(&d, "/var/log/auth.log", DISCOVER_AUTH, "default", 0);
	assert_log(&d, "/var/log/secure", DISCOVER_AUTH, "default", 0);
	assert_log(&d, "/dev/kmsg", DISCOVER_KERNEL, "default", 0);
	assert_int_equal(d.n, 11);
	discover_release(&d);
}

/* A root given with a trailing slash names the same files. */
static void
root_slash(void **state)
{
	struct discover d;
	struct err err = {0};

	(void)state;
	discover_init(&d);
	assert_int_equal(discover_logs(&d, ROOT "/", NULL, &err), 0);
	assert_log(&d, "/var/log/nginx/blog.access.log", DISCOVER_ACCESS,
	    "/etc/nginx/sites-enabled/blog:5", 0);
	assert_log(&d, "/var/log/apache2/access.log", DISCOVER_ACCESS,
	    "/etc/apache2/sites-enabled/000-default.conf:21", 1);
	discover_release(&d);
}

static void
conf_follow_ignore(void **state)
{
	struct conf *c = conf_of("logs {\n"
	                         "  follow \"/srv/app/app.log\" kind error\n"
	                         "  ignore \"/var/log/nginx/blog*\"\n"
	                         "  follow \"/srv/app/mail-out.log\"\n"
	                         "  follow \"/var/log/apache2/access.log\" "
	                         "kind access\n"
	                         "}\n");
	struct discover d;
	struct err err = {0};

	(void)state;
	discover_init(&d);
	assert_int_equal(discover_logs(&d, ROOT, c, &err), 0);
	assert_log(&d, "/srv/app/app.log", DISCOVER_ERROR, "t:2", 0);
	assert_log(&d, "/srv/app/mail-out.log", DISCOVER_MAIL, "t:4", 0);
	/* the configuration's reason replaces the discovered one */
	assert_log(
	    &d, "/var/log/apache2/access.log", DISCOVER_ACCESS, "t:5", 1);
	assert_null(find(&d, "/var/log/nginx/blog.access.log"));
	assert_non_null(find(&d, "/var/log/nginx/access.log"));
	assert_int_equal(d.n, 12);
	discover_release(&d);
	conf_release(c);
}

/* The logs block is checked when the configuration is loaded. */
static void
conf_schema(void **state)
{
	const char *bad[] = {
	    "logs { follow \"/x.log\" kind weird }\n",
	    "logs { follow \"x.log\" }\n",
	    "logs { follow \"/x.log\" sort access }\n",
	    "logs { follow \"/x.log\" kind }\n",
	    "logs { frobnicate 1 }\n",
	    "logs \"x\" { follow \"/a\" }\n",
	    "logs { follow }\n",
	    "logs { ignore { } }\n",
	};
	struct conf c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct conf_errs errs = {0};

		conf_init(&c);
		assert_int_equal(
		    conf_load_string(&c, "t", bad[i], strlen(bad[i]), &errs),
		    -1);
		assert_true(errs.n >= 1);
		assert_int_equal(strncmp(errs.msg[0], "t:1: ", 5), 0);
		if (i == 0)
			assert_string_equal(errs.msg[0],
			    "t:1: follow '/x.log': unknown kind 'weird' "
			    "(access, error, mail, auth, kernel)");
		conf_errs_release(&errs);
		conf_release(&c);
	}
}

struct stmts {
	char text[2048];
};

static void
collect(void *arg, const struct nginx_stmt *s)
{
	struct stmts *x = arg;
	size_t l = strlen(x->text);

	l += (size_t)snprintf(x->text + l, sizeof(x->text) - l,
	    "%d/%d%s:", s->line, s->depth, s->block ? "{" : "");
	for (size_t i = 0; i < s->nw && l < sizeof(x->text); i++)
		l += (size_t)snprintf(
		    x->text + l, sizeof(x->text) - l, "[%s]", s->w[i]);
	if (l < sizeof(x->text))
		snprintf(x->text + l, sizeof(x->text) - l, "\n");
}

static void
nginx_tokens(void **state)
{
	const char *good = "# comment ; {\n"
	                   "http {\n"
	                   "  log_format x '$remote_addr \"q\\\" \\' '\n"
	                   "      \"tab\\there\";\n"
	                   "  access_log \"/var/log/a b.log\" x; # after\n"
	                   "  server { set ${v}a 1; location /x { } }\n"
	                   "}\n";
	const char *bad[] = {"a {\n b;\n", "a;\n}\n", "a \"open;\n", "a b\n",
	    "{ }\n", "a { b }\n"};
	const int badline[] = {3, 2, 2, 2, 1, 1};
	struct stmts x;
	int line = 0;

	(void)state;
	memset(&x, 0, sizeof(x));
	assert_int_equal(
	    nginx_conf_parse(good, strlen(good), collect, &x, &line), 0);
	assert_string_equal(x.text,
	    "2/0{:[http]\n"
	    "3/1:[log_format][x][$remote_addr \"q\" ' ][tab\there]\n"
	    "5/1:[access_log][/var/log/a b.log][x]\n"
	    "6/1{:[server]\n"
	    "6/2:[set][${v}a][1]\n"
	    "6/2{:[location][/x]\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&x, 0, sizeof(x));
		assert_int_equal(nginx_conf_parse(bad[i], strlen(bad[i]),
		                     collect, &x, &line),
		    -1);
		assert_int_equal(line, badline[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(debian_stock),
	    cmocka_unit_test(root_slash),
	    cmocka_unit_test(conf_follow_ignore),
	    cmocka_unit_test(conf_schema),
	    cmocka_unit_test(nginx_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
