/*
 * test_apache.c - the Apache configuration reader, limits and audit on the
 * fixtures in tests/fixtures/apache/ and on small inline configurations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apache/apache.h"
#include "base/finding.h"

#define FX FIXTURES "/apache"

static struct apache_opts
opts_none(void)
{
	struct apache_opts o;

	memset(&o, 0, sizeof(o));
	o.envvars = "";
	return o;
}

static int
has_err(const struct apache_conf *c, const char *needle)
{
	for (size_t i = 0; i < c->nerrs; i++)
		if (strstr(c->errs[i], needle) != NULL)
			return 1;
	return 0;
}

static void
prefork_maxclients_150(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;
	struct apache_limits l;

	(void)state;
	assert_int_equal(
	    apache_conf_load(&c, FX "/prefork/conf/httpd.conf", &o), 0);
	/* ServerRoot is the parent of conf/ */
	assert_string_equal(c.server_root, FX "/prefork");
	assert_int_equal(apache_limits(&c, &l), 0);
	assert_string_equal(l.mpm, "prefork");
	assert_int_equal(l.threaded, 0);
	assert_int_equal(l.max_workers, 150);
	assert_int_equal(l.max_processes, 150);
	assert_int_equal(l.server_limit, 256);
	assert_non_null(strstr(l.file, "httpd.conf"));
	assert_int_equal(l.line, 15);
	apache_conf_release(&c);
}

static void
nested_globs_and_defines(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;
	struct apache_docroot dr[4];

	(void)state;
	assert_int_equal(
	    apache_conf_load(&c, FX "/prefork/conf/httpd.conf", &o), 0);
	/* main, conf.d/10-status, its sub/deep, extra/one/a, extra/two/b */
	assert_int_equal(c.nfiles, 5);
	assert_non_null(strstr(c.files[1], "conf.d/10-status.conf"));
	assert_non_null(strstr(c.files[2], "conf.d/sub/deep.conf"));
	assert_non_null(strstr(c.files[3], "extra/one/a.conf"));
	assert_non_null(strstr(c.files[4], "extra/two/b.conf"));
	assert_true(apache_module_loaded(&c, "status_module"));
	assert_true(apache_module_loaded(&c, "mod_status.c"));
	assert_true(apache_module_loaded(&c, "prefork.c"));
	assert_false(apache_module_loaded(&c, "mod_php7.c"));
	/* <IfModule !mod_php7.c> defined NO_PHP before deep.conf read it?
	 * No: deep.conf is included above it, so DEEP_READ is unset. */
	assert_null(apache_var(&c, "DEEP_READ"));
	assert_true(apache_defined(&c, "NO_PHP"));
	assert_false(apache_defined(&c, "NOT_DEFINED"));
	assert_string_equal(apache_var(&c, "ORDER"), "one two");
	assert_int_equal(apache_docroots(&c, dr, 4), 2);
	assert_string_equal(dr[0].path, "/srv/www/html");
	assert_string_equal(dr[1].path, "/srv/www/other");
	assert_non_null(dr[1].vhost);
	apache_conf_release(&c);
}

static void
ifmodule_absent_is_skipped(void **state)
{
	const char text[] = "LoadModule mpm_worker_module x.so\n"
	                    "<IfModule mod_nothere.c>\n"
	                    "  MaxRequestWorkers 10\n"
	                    "  <Directory /x>\n"
	                    "  </Directory>\n"
	                    "</IfModule>\n"
	                    "<IfModule mpm_worker_module>\n"
	                    "  ServerLimit 4\n"
	                    "  MaxRequestWorkers 1000\n"
	                    "</IfModule>\n";
	struct apache_conf c;
	struct apache_limits l;

	(void)state;
	assert_int_equal(
	    apache_conf_load_string(&c, "t.conf", text, strlen(text), NULL), 0);
	assert_int_equal(apache_limits(&c, &l), 0);
	assert_string_equal(l.mpm, "worker");
	/* 1000 > ServerLimit 4 x ThreadsPerChild 25: httpd lowers it */
	assert_int_equal(l.max_workers, 100);
	assert_int_equal(l.max_processes, 4);
	assert_non_null(strstr(l.note, "ServerLimit"));
	assert_int_equal(c.root.nchild, 3); /* LoadModule and 2 limits */
	apache_conf_release(&c);
}

static void
event_defaults_and_rounding(void **state)
{
	const char def[] = "LoadModule mpm_event_module x.so\n";
	const char odd[] = "LoadModule mpm_event_module x.so\n"
	                   "ThreadsPerChild 25\nMaxRequestWorkers 160\n";
	struct apache_conf c;
	struct apache_limits l;

	(void)state;
	apache_conf_load_string(&c, "d.conf", def, strlen(def), NULL);
	assert_int_equal(apache_limits(&c, &l), 0);
	assert_int_equal(l.max_workers, 400); /* 16 x 25 */
	assert_null(l.file);
	apache_conf_release(&c);
	apache_conf_load_string(&c, "o.conf", odd, strlen(odd), NULL);
	assert_int_equal(apache_limits(&c, &l), 0);
	assert_int_equal(l.max_workers, 150);
	assert_int_equal(l.max_processes, 6);
	apache_conf_release(&c);
}

static void
no_mpm(void **state)
{
	const char t[] = "MaxClients 5\n";
	struct apache_conf c;
	struct apache_limits l;

	(void)state;
	apache_conf_load_string(&c, "n.conf", t, strlen(t), NULL);
	assert_int_equal(apache_limits(&c, &l), -1);
	assert_string_equal(l.mpm, "");
	apache_conf_release(&c);
}

static void
missing_include_is_an_error_with_line(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;
	struct apache_limits l;

	(void)state;
	o.server_root = FX "/bad";
	assert_int_equal(apache_conf_load(&c, FX "/bad/missing.conf", &o), -1);
	assert_true(has_err(&c,
	    "missing.conf:2: cannot open configuration "
	    "file"));
	assert_true(has_err(&c, "missing.conf:4: Include"));
	assert_false(has_err(&c, ":3:")); /* IncludeOptional: silent */
	assert_int_equal(c.nerrs, 2);
	/* reading went on after the errors */
	assert_int_equal(apache_limits(&c, &l), 0);
	assert_int_equal(l.max_workers, 400);
	assert_non_null(strstr(l.note, "lowered"));
	apache_conf_release(&c);
}

static void
include_loop_is_caught(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;

	(void)state;
	o.server_root = FX "/bad";
	assert_int_equal(apache_conf_load(&c, FX "/bad/loop1.conf", &o), -1);
	assert_int_equal(c.nerrs, 1);
	assert_true(has_err(&c, "loop2.conf:2: include loop"));
	apache_conf_release(&c);
}

static void
syntax_errors_name_file_and_line(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;

	(void)state;
	o.server_root = FX "/bad";
	assert_int_equal(apache_conf_load(&c, FX "/bad/syntax.conf", &o), -1);
	assert_true(has_err(&c,
	    "syntax.conf:4: expected </Directory> but "
	    "saw </Location>"));
	assert_true(has_err(&c,
	    "syntax.conf:5: <Location> section is "
	    "missing its closing '>'"));
	assert_true(has_err(&c, "syntax.conf:8: </VirtualHost> without"));
	assert_true(has_err(&c,
	    "syntax.conf:11: expected </IfModule> but "
	    "saw </IfDefine>"));
	assert_true(has_err(&c,
	    "syntax.conf:12: <Directory> section is not "
	    "closed"));
	apache_conf_release(&c);
}

static void
quotes_continuations_and_vars(void **state)
{
	const char t[] = "Define ROOT \"/a b\"\n"
	                 "Define X\n"
	                 "DocumentRoot \"${ROOT}/q \\\" x\"\n"
	                 "Alias /y \\\n"
	                 "   '/z z'\n"
	                 "<IfDefine X>\nServerName yes\n</IfDefine>\n"
	                 "<IfDefine !X>\nServerName no\n</IfDefine>\n"
	                 "UnDefine X\n"
	                 "<IfDefine X>\nServerName again\n</IfDefine>\n"
	                 "ErrorLog ${UNSET}/e.log\n"
	                 "<IfVersion >= 2.4>\nKeepAlive on\n</IfVersion>\n"
	                 "<IfVersion < 2.4>\nKeepAlive off\n</IfVersion>\n";
	struct apache_conf c;
	const struct apache_node *n;

	(void)state;
	assert_int_equal(
	    apache_conf_load_string(&c, "q.conf", t, strlen(t), NULL), 0);
	n = apache_find(&c.root, "DocumentRoot");
	assert_non_null(n);
	assert_string_equal(n->argv[0], "/a b/q \" x");
	n = apache_find(&c.root, "Alias");
	assert_int_equal(n->argc, 2);
	assert_string_equal(n->argv[1], "/z z");
	assert_int_equal(n->line, 4);
	n = apache_find(&c.root, "ServerName");
	assert_string_equal(n->argv[0], "yes");
	n = apache_find(&c.root, "ErrorLog");
	assert_string_equal(n->argv[0], "${UNSET}/e.log");
	n = apache_find(&c.root, "KeepAlive");
	assert_string_equal(n->argv[0], "on");
	apache_conf_release(&c);
}

static void
debian_envvars(void **state)
{
	char ev[] = "/tmp/sakimori-envvars-XXXXXX";
	const char body[] = "unset HOME\nSUFFIX=\n"
	                    "export APACHE_RUN_USER=www-data\n"
	                    "export APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n"
	                    "export APACHE_PID_FILE=${APACHE_LOG_DIR}/x.pid\n";
	const char t[] = "User ${APACHE_RUN_USER}\n"
	                 "ErrorLog ${APACHE_LOG_DIR}/error.log\n";
	struct apache_opts o = opts_none();
	struct apache_conf c;
	FILE *fp;
	int fd = mkstemp(ev);

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(body, fp);
	fclose(fp);
	o.envvars = ev;
	apache_conf_load_string(&c, "e.conf", t, strlen(t), &o);
	assert_string_equal(apache_find(&c.root, "User")->argv[0], "www-data");
	assert_string_equal(apache_find(&c.root, "ErrorLog")->argv[0],
	    "/var/log/apache2/error.log");
	assert_string_equal(
	    apache_var(&c, "APACHE_PID_FILE"), "/var/log/apache2/x.pid");
	apache_conf_release(&c);
	remove(ev);
}

static const struct finding *
find(const struct report *r, const char *check, const char *subj_end)
{
	for (size_t i = 0; i < r->nf; i++) {
		size_t n = strlen(r->f[i].subject), m = strlen(subj_end);

		if (strcmp(r->f[i].check, check) == 0 && n >= m &&
		    strcmp(r->f[i].subject + n - m, subj_end) == 0)
			return &r->f[i];
	}
	return NULL;
}

static void
audit_backend(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;
	struct report r;
	const struct finding *f;

	(void)state;
	o.server_root = FX "/audit";
	assert_int_equal(apache_conf_load(&c, FX "/audit/backend.conf", &o), 0);
	report_init(&r);
	apache_audit(&c, &r);
	/* Allow from all: everyone */
	f = find(&r, "apache-status", "backend.conf:40");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	/* Require ip 10.0.0.0/8: some other hosts */
	f = find(&r, "apache-info", "backend.conf:45");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	/* Require local: nothing */
	assert_null(find(&r, "apache-status", "backend.conf:49"));
	/* the vhost's status inherits /srv/vhost -> <Directory /> denied */
	assert_null(find(&r, "apache-status", "backend.conf:56"));
	/* cgi-bin restricted the 2.2 way: nothing; open-cgi: reported */
	assert_null(find(&r, "apache-cgi-open", "backend.conf:25"));
	f = find(&r, "apache-cgi-open", "backend.conf:34");
	assert_non_null(f);
	assert_string_equal(finding_ev_get(f, "directory"), "/srv/open-cgi");
	/* uploads under the docroot: ExecCGI and Indexes */
	assert_non_null(find(&r, "apache-exec-cgi", "backend.conf:21"));
	assert_non_null(find(&r, "apache-indexes", "backend.conf:21"));
	/* the docroot itself: FollowSymLinks only */
	assert_null(find(&r, "apache-indexes", "backend.conf:17"));
	assert_null(find(&r, "apache-tokens", ""));
	assert_non_null(find(&r, "apache-signature", "backend.conf:54"));
	report_release(&r);
	apache_conf_release(&c);
}

/* CGI directories restricted by .htaccess files, where AllowOverride
 * (or AllowOverrideList) lets httpd read them. */
static void
audit_htaccess(void **state)
{
	struct apache_opts o = opts_none();
	struct apache_conf c;
	struct report r;
	const struct apache_htaccess *ht[4];
	const struct finding *f;

	(void)state;
	o.root = FX "/htaccess";
	assert_int_equal(apache_conf_load(&c, "/etc/httpd.conf", &o), 0);
	/* the access files of the CGI directories were read (none above) */
	assert_int_equal(apache_htaccess_of(&c, "/srv/www/cgi-bin", ht, 4), 1);
	assert_string_equal(ht[0]->file, "/srv/www/cgi-bin/.htaccess");
	assert_int_equal(apache_htaccess_of(&c, "/srv/www", ht, 4), 0);
	report_init(&r);
	apache_audit(&c, &r);
	/* AllowOverride Limit: Order Deny,Allow / Deny from all / Allow
	 * from 127.0.0.1 */
	assert_null(find(&r, "apache-cgi-open", "httpd.conf:11"));
	/* AllowOverride AuthConfig: Require ip */
	assert_null(find(&r, "apache-cgi-open", "httpd.conf:12"));
	/* AllowOverride None: httpd never reads the same .htaccess */
	f = find(&r, "apache-cgi-open", "httpd.conf:13");
	assert_non_null(f);
	assert_string_equal(
	    finding_ev_get(f, "directory"), "/srv/www/open-bin");
	/* AllowOverrideList Order Deny Allow */
	assert_null(find(&r, "apache-cgi-open", "httpd.conf:14"));
	report_release(&r);
	apache_conf_release(&c);

	/* an access file's Include, LoadModule and Define act on nothing;
	 * Require there is kept */
	o = opts_none();
	assert_int_equal(apache_conf_load_string(&c, "m.conf", "", 0, &o), 0);
	assert_int_equal(apache_htaccess_parse(&c, "/x", "/x/.htaccess",
	                     "LoadModule cgi_module m.so\nDefine X\n"
	                     "Include /etc/passwd\nRequire all denied\n",
	                     75),
	    0);
	assert_false(apache_module_loaded(&c, "cgi_module"));
	assert_false(apache_defined(&c, "X"));
	assert_int_equal(apache_htaccess_of(&c, "/x", ht, 4), 1);
	assert_int_equal(ht[0]->root.nchild, 4);
	assert_int_equal(c.nfiles, 1);
	apache_conf_release(&c);
}

static void
audit_open_defaults(void **state)
{
	const char t[] = "LoadModule mpm_event_module x.so\n"
	                 "LoadModule status_module x.so\n"
	                 "<Location /server-status>\n"
	                 "SetHandler server-status\n"
	                 "</Location>\n";
	struct apache_conf c;
	struct report r;
	const struct finding *f;

	(void)state;
	apache_conf_load_string(&c, "o.conf", t, strlen(t), NULL);
	report_init(&r);
	apache_audit(&c, &r);
	f = find(&r, "apache-status", "o.conf:4");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL); /* 2.4 default: granted */
	f = find(&r, "apache-tokens", "o.conf");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "default Full"));
	report_release(&r);
	apache_conf_release(&c);
}

static void
garbage_does_not_crash(void **state)
{
	const char t[] = "<\n</>\n<<<>>>\n\"unterminated\n\\\n${\n</ \n< x>\n"
	                 "Include\nDefine a:b c\n\x01\x02\xff\n";
	struct apache_conf c;

	(void)state;
	assert_int_equal(
	    apache_conf_load_string(&c, "g.conf", t, strlen(t), NULL), -1);
	assert_true(c.nerrs > 0);
	apache_conf_release(&c);
}

/* What a running httpd's command line says: -f, -d, -D, both spellings. */
static void
cmdline_conf(void **state)
{
	struct apache_cmdline a;
	struct apache_opts o;

	(void)state;
	assert_int_equal(
	    apache_cmdline_conf("/usr/sbin/httpd -d /srv/www -f "
	                        "conf/h.conf -DSSL -D DEV -k start",
	        "", NULL, &a, &o),
	    0);
	assert_string_equal(a.path, "/srv/www/conf/h.conf");
	assert_string_equal(o.server_root, "/srv/www");
	assert_int_equal(a.ndefs, 2);
	assert_string_equal(o.defines[0], "SSL");
	assert_string_equal(o.defines[1], "DEV");
	assert_null(o.defines[2]);
	/* an absolute -f stands alone; the override wins over both */
	assert_int_equal(
	    apache_cmdline_conf("apache2 -f/etc/a.conf", "", NULL, &a, &o), 0);
	assert_string_equal(a.path, "/etc/a.conf");
	assert_null(o.server_root);
	assert_int_equal(apache_cmdline_conf("apache2 -f/etc/a.conf", "",
	                     "/etc/b.conf", &a, &o),
	    0);
	assert_string_equal(a.path, "/etc/b.conf");
	/* nothing on the command line and no usual file under the root */
	assert_int_equal(apache_cmdline_conf(
	                     "apache2 -k start", FX "/no-such", NULL, &a, &o),
	    -1);
	/* a relative -f without -d: the usual file, as httpd's default */
	assert_int_equal(
	    apache_cmdline_conf("apache2 -f", FX "/no-such", NULL, &a, &o), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(prefork_maxclients_150),
	    cmocka_unit_test(nested_globs_and_defines),
	    cmocka_unit_test(ifmodule_absent_is_skipped),
	    cmocka_unit_test(event_defaults_and_rounding),
	    cmocka_unit_test(no_mpm),
	    cmocka_unit_test(missing_include_is_an_error_with_line),
	    cmocka_unit_test(include_loop_is_caught),
	    cmocka_unit_test(syntax_errors_name_file_and_line),
	    cmocka_unit_test(quotes_continuations_and_vars),
	    cmocka_unit_test(debian_envvars),
	    cmocka_unit_test(audit_backend),
	    cmocka_unit_test(audit_htaccess),
	    cmocka_unit_test(audit_open_defaults),
	    cmocka_unit_test(garbage_does_not_crash),
	    cmocka_unit_test(cmdline_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
