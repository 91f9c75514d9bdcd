/*
 * test_procrules.c - the process rules' pure verdicts on fixture records:
 * the executable (deleted, replaced, memfd, temporary directory, writable
 * by everyone or in a directory everyone may write), the command name
 * (the program's, argv[0], a script, a title set by the process, posing
 * as another program or a kernel thread), the allow lists (by path, name
 * and port; built-in daemons by path only), and the stuck-CGI rule
 * (interpreter, started by the web server, as its user or under a CGI
 * directory, run time and CPU thresholds).
 */
#include <limits.h>
#include <math.h>
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
#include "rm_tree.h"

#include "base/finding.h"
#include "base/err.h"
#include "collect/proc.h"
#include "conf/conf.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

/* A user process record: pid, comm, exe (as readlink gives it), cmdline. */
static void
rec(struct proc *p, int pid, const char *comm, const char *exe,
    const char *cmdline)
{
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = 1;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	snprintf(p->exe, sizeof(p->exe), "%s", exe);
	snprintf(p->cmdline, sizeof(p->cmdline), "%s", cmdline);
	snprintf(p->user, sizeof(p->user), "root");
	p->flags = PROC_F_EXE | PROC_F_CMDLINE | PROC_F_STATUS;
	if (strstr(exe, " (deleted)") != NULL)
		p->flags |= PROC_F_EXE_DELETED;
}

/* ---- executables ---- */

static void
exe_verdicts(void **state)
{
	struct exe_facts ok = {1, S_IFREG | 0755, 1, S_IFDIR | 0755};
	struct exe_facts world = {1, S_IFREG | 0777, 1, S_IFDIR | 0755};
	struct exe_facts dirw = {1, S_IFREG | 0755, 1, S_IFDIR | 0777};
	struct exe_facts sticky = {1, S_IFREG | 0755, 1, S_IFDIR | 01777};
	struct exe_facts gone = {0, 0, 0, 0};

	(void)state;
	assert_int_equal(procrules_exe_verdict("/usr/sbin/sshd", 0, &ok), 0);
	assert_int_equal(procrules_exe_verdict("", 0, &ok), 0);
	/* a copy of sleep run from /tmp, then deleted */
	assert_int_equal(procrules_exe_verdict("/tmp/x/sleep (deleted)",
	                     PROC_F_EXE_DELETED, &gone),
	    SUSP_EXE_TMP | SUSP_EXE_DELETED);
	/* the same path holds a new file: an upgrade, not a deletion */
	assert_int_equal(procrules_exe_verdict("/usr/sbin/cron (deleted)",
	                     PROC_F_EXE_DELETED, &ok),
	    SUSP_EXE_REPLACED);
	/* nothing known about the path: a deleted one counts as deleted */
	assert_int_equal(procrules_exe_verdict(
	                     "/usr/bin/x (deleted)", PROC_F_EXE_DELETED, NULL),
	    SUSP_EXE_DELETED);
	assert_int_equal(
	    procrules_exe_verdict("/var/tmp/.x/miner", 0, &ok), SUSP_EXE_TMP);
	assert_int_equal(
	    procrules_exe_verdict("/dev/shm/payload", 0, &ok), SUSP_EXE_TMP);
	/* /tmpfoo is not /tmp */
	assert_int_equal(procrules_exe_verdict("/tmpfoo/bin/x", 0, &ok), 0);
	/* fileless: memfd, never on disk, whatever stat says */
	assert_int_equal(procrules_exe_verdict("/memfd:sealed-91 (deleted)",
	                     PROC_F_EXE_DELETED, &gone),
	    SUSP_EXE_MEMFD);
	assert_int_equal(procrules_exe_verdict("/opt/app/bin/app", 0, &world),
	    SUSP_EXE_WORLD);
	assert_int_equal(
	    procrules_exe_verdict("/opt/app/bin/app", 0, &dirw), SUSP_EXE_DIR);
	/* a sticky directory writable by everyone (like /tmp) is not one
	 * anybody may swap the file in */
	assert_int_equal(
	    procrules_exe_verdict("/opt/app/bin/app", 0, &sticky), 0);
}

/* ---- command names ---- */

/* A stand-in for the agent's parent: what stat says, as root would. */
struct asked {
	int pids[8];
	size_t n;
	int fail;
};

static int
ask_facts(void *arg, const struct proc *const *p, struct exe_facts *const *fx,
    size_t n)
{
	struct asked *a = arg;

	if (a->fail)
		return -1;
	for (size_t i = 0; i < n && a->n < 8; i++) {
		a->pids[a->n++] = p[i]->pid;
		fx[i]->exists = 1;
		fx[i]->mode = S_IFREG | 0755;
		fx[i]->dir_known = 1;
		fx[i]->dir_mode = S_IFDIR | 0777; /* everyone may write */
	}
	return 0;
}

/* The severity of check's finding about pid in r, or -1 when none. */
static int
sev_of(const struct report *r, const char *check, int pid)
{
	char subj[32];

	snprintf(subj, sizeof(subj), "pid %d", pid);
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].check, check) == 0 &&
		    strcmp(r->f[i].subject, subj) == 0)
			return (int)r->f[i].sev;
	return -1;
}

/*
 * The executables' facts through one interface: stat'ed in place, and
 * those refused here (a path stat cannot resolve: a symbolic link loop
 * stands for a directory only root may enter) asked through priv.
 */
static void
exe_facts_asked(void **state)
{
	char dir[] = "/tmp/test-procrules.XXXXXX", loop[64];
	char refused[128], real[128], gone[128];
	struct proc v[3];
	struct proc_table t;
	struct procrules_opts o = {0};
	struct procrules_priv pp = {0};
	struct asked a = {0};
	struct conf *c = conf_of("");
	struct report r;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(loop, sizeof(loop), "%s/loop", dir);
	assert_int_equal(symlink("loop", loop), 0);
	snprintf(real, sizeof(real), "%s/real", dir);
	assert_non_null(fp = fopen(real, "w"));
	fclose(fp);
	snprintf(refused, sizeof(refused), "%s/loop/x (deleted)", dir);
	snprintf(gone, sizeof(gone), "%s/gone (deleted)", dir);
	rec(&v[0], 4001, "x", refused, "x");
	rec(&v[1], 4002, "real", real, "real");
	rec(&v[2], 4003, "gone", gone, "gone");
	memset(&t, 0, sizeof(t));
	t.p = v;
	t.n = 3;

	/* one process alone: what it could not stat reads as deleted */
	report_init(&r);
	procrules_suspicious_procs(c, &t, &o, &r);
	assert_int_equal(sev_of(&r, "proc-exe-deleted", 4001), SEV_CRITICAL);
	assert_int_equal(sev_of(&r, "proc-exe-deleted", 4003), SEV_CRITICAL);
	assert_int_equal(sev_of(&r, "proc-exe-deleted", 4002), -1);
	report_release(&r);

	/* the agent's child: only the refused one is asked, and its
	 * answer decides (replaced, not deleted) */
	pp.exe_facts = ask_facts;
	pp.arg = &a;
	o.priv = &pp;
	report_init(&r);
	procrules_suspicious_procs(c, &t, &o, &r);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.pids[0], 4001);
	assert_int_equal(sev_of(&r, "proc-exe-deleted", 4001), SEV_WARNING);
	assert_int_equal(sev_of(&r, "proc-exe-deleted", 4003), SEV_CRITICAL);
	report_release(&r);

	/* a writable directory is seen through the answer too */
	v[0].flags &= ~PROC_F_EXE_DELETED;
	snprintf(v[0].exe, sizeof(v[0].exe), "%s/loop/x", dir);
	a.n = 0;
	report_init(&r);
	procrules_suspicious_procs(c, &t, &o, &r);
	assert_int_equal(a.n, 1);
	assert_int_equal(sev_of(&r, "proc-exe-writable", 4001), SEV_CRITICAL);
	report_release(&r);

	/* what could not be inspected, said as who was refused: root,
	 * which read the executables for the child, or the child itself */
	a.n = 0;
	v[1].flags = PROC_F_EXE_DENIED | PROC_F_CMDLINE | PROC_F_STATUS;
	v[1].state = 'S';
	report_init(&r);
	procrules_suspicious_procs(c, &t, &o, &r);
	assert_string_equal(r.f[r.nf - 1].check, "proc-coverage");
	assert_string_equal(r.f[r.nf - 1].message,
	    "1 process could not be inspected: the kernel refused even root "
	    "(capabilities root lacks here, or a security module)");
	assert_null(finding_ev_get(&r.f[r.nf - 1], "uid"));
	report_release(&r);
	t.unreadable = 2;
	report_init(&r);
	procrules_suspicious_procs(c, &t, &o, &r);
	assert_string_equal(r.f[r.nf - 1].message,
	    "3 processes could not be inspected: their /proc entries are not "
	    "readable by the agent's user (/proc mounted with hidepid?)");
	assert_string_equal(
	    finding_ev_get(&r.f[r.nf - 1], "stat_unreadable"), "2");
	report_release(&r);
	t.unreadable = 0;

	/* no answer: not judged, and said */
	a.fail = 1;
	report_init(&r);
	procrules_suspicious_procs(c, &t, &o, &r);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_UNKNOWN);
	assert_string_equal(r.f[0].message,
	    "cannot look at the processes' executables: no answer from the "
	    "agent");
	report_release(&r);
	conf_release(c);
	rm_tree(dir);
}

static void
name_verdicts(void **state)
{
	struct proc p;

	(void)state;
	rec(&p, 10, "sshd", "/usr/sbin/sshd", "sshd: root@pts/0");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* comm is cut to 15 bytes */
	rec(&p, 11, "systemd-journal", "/usr/lib/systemd/systemd-journald",
	    "/lib/systemd/systemd-journald");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* argv[0]: busybox applets, login shells, symlinked interpreters */
	rec(&p, 12, "ls", "/usr/bin/busybox", "ls -l");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	rec(&p, 13, "python3", "/usr/bin/python3.11", "/usr/bin/python3 -q");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* an interpreter running a script (#!): the script's name */
	rec(&p, 14, "meson", "/usr/bin/python3.11",
	    "/usr/bin/python3 /usr/bin/meson test -C build");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	rec(&p, 15, "unattended-upgr", "/usr/bin/python3.11",
	    "/usr/bin/python3 -u /usr/bin/unattended-upgrade --wait");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* a title the process set itself (setproctitle, perl's $0) */
	rec(&p, 16, "spamd child", "/usr/bin/perl", "spamd child");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	rec(&p, 17, "gunicorn: maste", "/usr/bin/python3.11",
	    "gunicorn: master [app]");
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* a python that renamed itself with prctl(PR_SET_NAME) */
	rec(&p, 18, "sshd", "/usr/bin/python3.11",
	    "/usr/bin/python3 -c import ctypes");
	assert_int_equal(procrules_name_verdict(&p), NAME_MISMATCH);
	rec(&p, 19, "httpd", "/tmp/.x/a.out", "./a.out");
	assert_int_equal(procrules_name_verdict(&p), NAME_MISMATCH);
	/* posing as a kernel thread: by name, or by a [...] command line,
	 * even when argv[0] agrees */
	rec(&p, 20, "kworker/1:2", "/usr/bin/python3.11",
	    "/usr/bin/python3 -c x");
	assert_int_equal(procrules_name_verdict(&p), NAME_KTHREAD);
	rec(&p, 21, "kswapd0", "/usr/bin/perl", "kswapd0");
	assert_int_equal(procrules_name_verdict(&p), NAME_KTHREAD);
	rec(&p, 22, "perl", "/usr/bin/perl", "[kthreadd]");
	assert_int_equal(procrules_name_verdict(&p), NAME_KTHREAD);
	/* exec -a "[kworker/0:1]" /bin/sleep 900: argv[0] in brackets with
	 * arguments after it */
	rec(&p, 24, "sleep", "/usr/bin/sleep", "[kworker/0:1] 900");
	p.argv0_len = 13;
	assert_int_equal(procrules_name_verdict(&p), NAME_KTHREAD);
	/* argv[0] "[kworker/0:1] x" (a space inside it) */
	rec(&p, 25, "sleep", "/usr/bin/sleep", "[kworker/0:1] x 900");
	p.argv0_len = 15;
	assert_true(procrules_kthread_argv0(&p));
	/* ... also when the executable is not ours to read: only a real
	 * kernel thread has PF_KTHREAD */
	rec(&p, 26, "sleep", "", "[kworker/0:1] 900");
	p.flags = PROC_F_CMDLINE | PROC_F_EXE_DENIED;
	assert_int_equal(procrules_name_verdict(&p), NAME_KTHREAD);
	/* test(1) run as "[": argv[0] is "[" alone */
	rec(&p, 27, "[", "/usr/bin/[", "[ -f /etc/passwd ]");
	p.argv0_len = 1;
	assert_false(procrules_kthread_argv0(&p));
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* a zombie: no command line, no executable; not judged */
	rec(&p, 28, "kworker/9:9", "", "");
	p.flags = PROC_F_CMDLINE;
	p.state = 'Z';
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* real kernel threads have no executable and are not judged */
	rec(&p, 2, "kthreadd", "", "");
	p.flags = PROC_F_KTHREAD;
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	/* nothing known (unreadable exe or cmdline): no verdict */
	rec(&p, 23, "x", "/usr/bin/y", "y");
	p.flags &= ~PROC_F_CMDLINE;
	assert_int_equal(procrules_name_verdict(&p), NAME_OK);
	assert_true(procrules_kthread_name("ksoftirqd/0"));
	assert_false(procrules_kthread_name("watchdog")); /* the daemon */
}

/* ---- allow lists ---- */

static void
allow_lists(void **state)
{
	struct conf *c;

	(void)state;
	/* built-in listeners by path; /sbin counts as /usr/sbin */
	assert_true(procrules_builtin_allowed(
	    procrules_listen_allow, "sshd", "/usr/sbin/sshd"));
	assert_true(procrules_builtin_allowed(
	    procrules_listen_allow, "sshd", "/sbin/sshd"));
	assert_true(procrules_builtin_allowed(
	    procrules_listen_allow, "apache2", "/usr/sbin/apache2 (deleted)"));
	assert_true(procrules_builtin_allowed(
	    procrules_listen_allow, "master", "/usr/lib/postfix/sbin/master"));
	assert_true(procrules_builtin_allowed(procrules_listen_allow,
	    "postgres", "/usr/lib/postgresql/15/bin/postgres"));
	/* a command name proves nothing */
	assert_false(procrules_builtin_allowed(
	    procrules_listen_allow, "sshd", "/tmp/sshd"));
	assert_false(procrules_builtin_allowed(
	    procrules_listen_allow, "sshd", "/usr/bin/python3.11"));
	assert_false(
	    procrules_builtin_allowed(procrules_listen_allow, "sshd", NULL));
	/* '*' in a path pattern does not cross '/' */
	assert_false(procrules_builtin_allowed(procrules_listen_allow,
	    "postgres", "/usr/lib/postgresql/15/x/bin/postgres"));
	/* memfd: only container runtimes, by name */
	assert_true(procrules_builtin_allowed(
	    procrules_memfd_allow, "runc:[2:INIT]", "/memfd:runc (deleted)"));
	assert_false(procrules_builtin_allowed(procrules_memfd_allow,
	    "memfd:sealed-91", "/memfd:sealed-91 (deleted)"));

	c = conf_of("check proc-listener { allow \"/opt/app/bin/*\" \"8080\" "
	            "\"myd*\" }\n");
	assert_true(procrules_allowed(c, "proc-listener", "x",
	    "/opt/app/bin/server", "9", procrules_listen_allow));
	assert_false(procrules_allowed(c, "proc-listener", "x",
	    "/opt/app/bin/sub/server", "9", procrules_listen_allow));
	assert_true(procrules_allowed(c, "proc-listener", "x", "/usr/bin/x",
	    "8080", procrules_listen_allow));
	assert_false(procrules_allowed(c, "proc-listener", "x", "/usr/bin/x",
	    "80800", procrules_listen_allow));
	/* a name matches the command name or the executable's base name */
	assert_true(procrules_allowed(c, "proc-listener", "mydaemon",
	    "/usr/bin/x", "9", procrules_listen_allow));
	assert_true(procrules_allowed(c, "proc-listener", "x",
	    "/usr/local/bin/mydaemon", "9", procrules_listen_allow));
	assert_true(procrules_allowed(c, "proc-listener", "sshd",
	    "/usr/sbin/sshd", "22", procrules_listen_allow));
	assert_false(procrules_allowed(c, "proc-listener", "evil", "/tmp/evil",
	    "4444", procrules_listen_allow));
	/* another check's list does not count */
	assert_false(procrules_allowed(c, "proc-sniffer", "mydaemon",
	    "/usr/bin/x", NULL, procrules_sniff_allow));
	/* a port number is not a name for checks without ports */
	assert_false(procrules_allowed(
	    c, "proc-listener", "8080", "/usr/bin/x", NULL, NULL));
	conf_release(c);
}

/* ---- stuck CGI ---- */

#define NPROC 6

/*
 * A table: init (1), apache2 master (100, root), its worker (101,
 * www-data), a perl CGI the worker started (102), a root shell (200) and
 * a perl it runs (201).
 */
static void
web_table(struct proc_table *t, struct proc *v)
{
	memset(t, 0, sizeof(*t));
	rec(&v[0], 1, "systemd", "/usr/lib/systemd/systemd", "/sbin/init");
	v[0].ppid = 0;
	rec(&v[1], 100, "apache2", "/usr/sbin/apache2", "/usr/sbin/apache2 -k");
	rec(&v[2], 101, "apache2", "/usr/sbin/apache2", "/usr/sbin/apache2 -k");
	v[2].ppid = 100;
	snprintf(v[2].user, sizeof(v[2].user), "www-data");
	rec(&v[3], 102, "loop.pl", "/usr/bin/perl",
	    "/usr/bin/perl /srv/www/cgi-bin/loop.pl");
	v[3].ppid = 101;
	snprintf(v[3].user, sizeof(v[3].user), "www-data");
	rec(&v[4], 200, "bash", "/usr/bin/bash", "-bash");
	rec(&v[5], 201, "perl", "/usr/bin/perl", "perl /root/long.pl");
	v[5].ppid = 200;
	t->p = v;
	t->n = NPROC;
}

static void
params(struct stuck_params *sp, const char (*dirs)[PATH_MAX], size_t n)
{
	memset(sp, 0, sizeof(*sp));
	sp->interpreters = procrules_interp_default;
	sp->servers = procrules_servers_default;
	sp->users = procrules_users_default;
	sp->cgi_dirs = dirs;
	sp->ncgi_dirs = n;
	sp->warn = 300;
	sp->crit = 600;
	sp->cpu = 90;
	sp->cpu_min_run = 10;
}

/* A stop another process asks for: only with "kill yes", only of one of
 * the check's interpreters (its own list when it has one). */
static void
stuck_stops_allowed(void **state)
{
	struct err err = {0};
	struct conf *c;

	(void)state;
	c = conf_of("check stuck-cgi { warning 30; critical 60 }");
	assert_int_equal(
	    procrules_stuck_may_stop(c, 42, "/usr/bin/perl", &err), -1);
	assert_string_equal(err.msg,
	    "pid 42 not stopped: stopping stuck interpreters is not enabled");
	conf_release(c);
	c = conf_of("check stuck-cgi { disable; kill yes }");
	assert_int_equal(
	    procrules_stuck_may_stop(c, 42, "/usr/bin/perl", &err), -1);
	conf_release(c);
	c = conf_of("check stuck-cgi { warning 30; critical 60; kill yes }");
	assert_int_equal(
	    procrules_stuck_may_stop(c, 42, "/usr/bin/perl", &err), 0);
	assert_int_equal(procrules_stuck_may_stop(
	                     c, 42, "/usr/bin/python3.11 (deleted)", &err),
	    0);
	assert_int_equal(
	    procrules_stuck_may_stop(c, 42, "/usr/sbin/sshd", &err), -1);
	assert_string_equal(
	    err.msg, "pid 42 not stopped: it runs no interpreter of stuck-cgi");
	assert_int_equal(procrules_stuck_may_stop(c, 42, "", &err), -1);
	conf_release(c);
	c = conf_of("check stuck-cgi { kill yes; interpreters \"tclsh*\" }");
	assert_int_equal(
	    procrules_stuck_may_stop(c, 7, "/usr/bin/tclsh8.6", &err), 0);
	assert_int_equal(
	    procrules_stuck_may_stop(c, 7, "/usr/bin/perl", &err), -1);
	conf_release(c);
}

static void
stuck_verdicts(void **state)
{
	static const char dirs[1][PATH_MAX] = {"/srv/www/cgi-bin"};
	struct proc v[NPROC], *cgi = &v[3], *mine = &v[5];
	struct proc_table t;
	struct stuck_params sp;
	struct stuck_verdict out;
	char script[256];

	(void)state;
	web_table(&t, v);
	params(&sp, NULL, 0);
	assert_int_equal(
	    procrules_script_of(cgi->cmdline, script, sizeof(script)), 0);
	assert_string_equal(script, "/srv/www/cgi-bin/loop.pl");
	assert_int_equal(
	    procrules_script_of("perl -w -T x.pl", script, sizeof(script)), 0);
	assert_string_equal(script, "x.pl");
	assert_int_equal(procrules_script_of("perl -e 1", script, 256), -1);
	assert_int_equal(procrules_script_of("sh -c 'x'", script, 256), -1);
	assert_int_equal(procrules_script_of("python3", script, 256), -1);

	/* young and idle: nothing */
	cgi->run_secs = 5;
	cgi->cpu_pct = 1;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_OK);
	/* run time: warning, then critical; started by the web server */
	cgi->run_secs = 301;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_WARNING);
	assert_int_equal(out.via, STUCK_SERVER);
	assert_int_equal(out.server_pid, 101);
	assert_non_null(strstr(out.why, "ran for 301 s (warning 300 s)"));
	cgi->run_secs = 601;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_CRITICAL);
	/* CPU over the sample, once it has run cpu_min_run seconds */
	cgi->run_secs = 20;
	cgi->cpu_pct = 99;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_WARNING);
	assert_non_null(strstr(out.why, "99% CPU (limit 90%)"));
	cgi->run_secs = 5;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_OK);
	/* a CGI directory wins over the ancestor as the reason */
	params(&sp, dirs, 1);
	cgi->run_secs = 700;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_CRITICAL);
	assert_int_equal(out.via, STUCK_CGI_DIR);
	/* root's own long perl, not the web server's: left alone */
	mine->run_secs = 100000;
	mine->cpu_pct = 100;
	assert_int_equal(
	    procrules_stuck_verdict(mine, &t, "/root/long.pl", &sp, &out),
	    SEV_OK);
	assert_int_equal(out.via, STUCK_NOT);
	/* ... unless its script lies under a CGI directory */
	assert_int_equal(procrules_stuck_verdict(
	                     mine, &t, "/srv/www/cgi-bin/x.pl", &sp, &out),
	    SEV_CRITICAL);
	/* "/srv/www/cgi-bin2" is not under "/srv/www/cgi-bin" */
	assert_int_equal(procrules_stuck_verdict(
	                     mine, &t, "/srv/www/cgi-bin2/x.pl", &sp, &out),
	    SEV_OK);
	/* run as the web server's user, parent gone (reparented to init) */
	mine->ppid = 1;
	snprintf(mine->user, sizeof(mine->user), "www-data");
	assert_int_equal(
	    procrules_stuck_verdict(mine, &t, "/tmp/x.pl", &sp, &out),
	    SEV_CRITICAL);
	assert_int_equal(out.via, STUCK_USER);
	/* the web server itself is not an interpreter */
	v[2].run_secs = 100000;
	assert_int_equal(
	    procrules_stuck_verdict(&v[2], &t, "", &sp, &out), SEV_OK);
	/* a deleted interpreter is still one; thresholds off (NAN) */
	snprintf(cgi->exe, sizeof(cgi->exe), "/usr/bin/perl (deleted)");
	sp.warn = sp.crit = NAN;
	sp.cpu = 0;
	cgi->run_secs = 1e6;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_OK);
	sp.crit = 600;
	assert_int_equal(procrules_stuck_verdict(
	                     cgi, &t, "/srv/www/cgi-bin/loop.pl", &sp, &out),
	    SEV_CRITICAL);
	/* configured interpreters replace the built-in list */
	{
		static const char *const only_python[] = {"python*", NULL};

		sp.interpreters = only_python;
		assert_int_equal(procrules_stuck_verdict(cgi, &t,
		                     "/srv/www/cgi-bin/loop.pl", &sp, &out),
		    SEV_OK);
	}
}

/* Writes text to root/rel (its directories made). */
static void
put_file(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX], cmd[PATH_MAX + 16];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "%s", path);
	for (char *q = cmd + strlen(root) + 1; (q = strchr(q, '/')) != NULL;
	     q++) {
		*q = '\0';
		(void)mkdir(cmd, 0755);
		*q = '/';
	}
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

/* stuck-cgi's findings of t (one perl under /srv/a-bin) with root. */
static size_t
stuck_found(const struct conf *c, const struct proc_table *t, const char *root)
{
	struct procrules_opts o = {0};
	struct report r;
	size_t n;

	o.root = root;
	o.no_hidden = 1;
	report_init(&r);
	procrules_stuck(c, t, &o, &r);
	n = r.nf;
	report_release(&r);
	return n;
}

/*
 * The CGI directories come from Apache's configuration, read again only
 * when one of its files, or a directory it includes, changed: the check
 * runs every 10 seconds.
 */
static void
stuck_cgi_dirs_kept_while_unchanged(void **state)
{
	char root[] = "/tmp/sakimori-test-cgi.XXXXXX", rm[PATH_MAX + 16];
	struct conf *c = conf_of("check stuck-cgi { warning 30; critical 60 }");
	struct proc_table t;
	struct proc p;
	unsigned reads;

	(void)state;
	assert_non_null(mkdtemp(root));
	put_file(root, "/etc/apache2/apache2.conf",
	    "ScriptAlias /cgi-bin/ /srv/a-bin/\n"
	    "IncludeOptional /etc/apache2/sites/*.conf\n");
	put_file(root, "/etc/apache2/sites/b.conf", "# none here\n");
	memset(&p, 0, sizeof(p));
	p.pid = 4242;
	p.ppid = 1;
	p.run_secs = 1000;
	snprintf(p.comm, sizeof(p.comm), "x.pl");
	snprintf(p.exe, sizeof(p.exe), "/usr/bin/perl");
	snprintf(p.cmdline, sizeof(p.cmdline), "perl /srv/a-bin/x.pl");
	snprintf(p.user, sizeof(p.user), "nobody");
	proc_table_init(&t);
	t.p = &p;
	t.n = 1;
	t.what = PROC_READ_ALL;
	/* what changed in the second before a read is read again */
	sleep(2);
	reads = procrules_stuck_conf_reads();
	assert_int_equal(stuck_found(c, &t, root), 1);
	assert_int_equal(procrules_stuck_conf_reads(), reads + 1);
	assert_int_equal(stuck_found(c, &t, root), 1);
	assert_int_equal(stuck_found(c, &t, root), 1);
	assert_int_equal(procrules_stuck_conf_reads(), reads + 1);
	/* the main file changed: read again, the directory is elsewhere */
	put_file(root, "/etc/apache2/apache2.conf",
	    "ScriptAlias /cgi-bin/ /srv/b-bin/\n"
	    "IncludeOptional /etc/apache2/sites/*.conf\n");
	assert_int_equal(stuck_found(c, &t, root), 0);
	assert_int_equal(procrules_stuck_conf_reads(), reads + 2);
	/* changed in the second before: read again, then kept */
	sleep(2);
	assert_int_equal(stuck_found(c, &t, root), 0);
	assert_int_equal(stuck_found(c, &t, root), 0);
	assert_int_equal(procrules_stuck_conf_reads(), reads + 3);
	/* a file added to an included directory */
	put_file(root, "/etc/apache2/sites/a.conf",
	    "ScriptAlias /a-bin/ /srv/a-bin/\n");
	assert_int_equal(stuck_found(c, &t, root), 1);
	assert_int_equal(procrules_stuck_conf_reads(), reads + 4);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", root);
	assert_int_equal(system(rm), 0);
	conf_release(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(exe_verdicts),
	    cmocka_unit_test(exe_facts_asked),
	    cmocka_unit_test(name_verdicts),
	    cmocka_unit_test(allow_lists),
	    cmocka_unit_test(stuck_verdicts),
	    cmocka_unit_test(stuck_stops_allowed),
	    cmocka_unit_test(stuck_cgi_dirs_kept_while_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
