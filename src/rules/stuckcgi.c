/*
 * stuckcgi.c - the Perl CGI that eats the CPU.  An
 * interpreter (perl, python, php, ruby, a shell, ...) that the web server
 * started (an ancestor is the server, or it runs as the web user) or whose
 * script lies in a CGI directory, and that has run longer than the
 * thresholds or used more CPU than "cpu" percent.  With the kill action
 * (--kill or "kill yes"), a CRITICAL one is stopped (SIGTERM, then SIGKILL
 * after "grace"), the owner of the script gets a mail, and the audit log
 * records it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "act/act.h"
#include "act/audit.h"
#include "act/kill.h"
#include "act/mail.h"
#include "apache/apache.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "collect/proc.h"
#include "conf/conf.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

const char *const procrules_interp_default[] = {"perl", "perl5*", "python",
    "python[0-9]*", "php", "php[0-9]*", "php-cgi*", "ruby", "ruby[0-9]*", "sh",
    "bash", "dash", "ksh", "ksh93", "mksh", "zsh", "tclsh*", "lua*", "node",
    "nodejs", NULL};
const char *const procrules_servers_default[] = {"apache2", "httpd",
    "httpd.worker", "nginx", "lighttpd", "php-fpm*", "fcgiwrap", "uwsgi", NULL};
const char *const procrules_users_default[] = {
    "www-data", "apache", "httpd", "nginx", "wwwrun", "www", "lighttpd", NULL};

#define MAX_CGI_DIRS 64

/* A list key of the check as a NULL-terminated vector (or dflt). */
static const char **
list_key(const struct conf_node *blk, const char *key, const char *const *dflt)
{
	const struct conf_node *n = conf_find(blk, key);
	const char **v;

	if (n == NULL || n->nvals == 0)
		return NULL;
	v = calloc(n->nvals + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < n->nvals; i++)
		v[i] = n->vals[i].str;
	(void)dflt;
	return v;
}

int
procrules_script_of(const char *cmdline, char *dst, size_t sz)
{
	const char *s = strchr(cmdline, ' ');

	while (s != NULL) {
		const char *e;

		s++;
		if (*s == '-') {
			/* "-e CODE" has no script; other options go on */
			if (s[1] == 'e' || s[1] == 'c')
				return -1;
			s = strchr(s, ' ');
			continue;
		}
		e = strchr(s, ' ');
		snprintf(
		    dst, sz, "%.*s", (int)(e ? e - s : (long)strlen(s)), s);
		return dst[0] ? 0 : -1;
	}
	return -1;
}

/* p's working directory (another user's asked through o->priv). */
static int
cwd_of(const struct proc *p, const struct procrules_opts *o, const char *root,
    char *cwd, size_t sz)
{
	char link[PATH_MAX], rel[32];
	ssize_t n;

	snprintf(rel, sizeof(rel), "/proc/%d/cwd", p->pid);
	if (path_join(link, sizeof(link), root, rel) == -1)
		return -1;
	/* readlinkat: the one call of the two the agent's child may make */
	n = readlinkat(AT_FDCWD, link, cwd, sz - 1);
	if (n > 0) {
		cwd[n] = '\0';
		return 0;
	}
	if (n == -1 && (errno == EACCES || errno == EPERM) && o->priv != NULL &&
	    o->priv->cwd != NULL)
		return o->priv->cwd(o->priv->arg, p, cwd, sz);
	return -1;
}

/* Makes a relative script path absolute with the process's cwd. */
static void
script_abs(const struct proc *p, const struct procrules_opts *o,
    const char *root, char *path, size_t sz)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || cwd_of(p, o, root, cwd, sizeof(cwd)) == -1)
		return;
	{
		char tmp[PATH_MAX];

		/* a path that does not fit stays relative (never cut) */
		if (path_join(tmp, sizeof(tmp), cwd, path) == 0 &&
		    strlen(tmp) < sz)
			memcpy(path, tmp, strlen(tmp) + 1);
	}
}

static int
under_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* The web-server ancestor's pid, or 0. */
static int
server_ancestor(const struct proc_table *t, const struct proc *p,
    const char *const *servers)
{
	const struct proc *q = p;

	for (int depth = 0; depth < 64 && q != NULL && q->ppid > 0; depth++) {
		q = proc_table_find(t, q->ppid);
		if (q != NULL && procrules_match(q->comm, servers))
			return q->pid;
	}
	return 0;
}

/* Seconds the CGI directories read from Apache's files are kept at most. */
#define CGI_DIRS_TTL 300

/* What a file or directory was like: changed when any of it differs. */
struct cgi_stamp {
	char *path; /* under the root */
	int there;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

/*
 * The CGI directories of the Apache configuration read last, kept while
 * none of its files, of their directories (a file added to an included
 * directory) and of its envvars changed, and CGI_DIRS_TTL seconds at most
 * (an Include's pattern that matches a new directory, or one that held
 * no file before): the check runs every 10 seconds, Apache's
 * configuration changes seldom.  The agent's reload starts a new child,
 * with nothing kept.
 */
static struct {
	char *root, *path; /* what was read: root prefix, main file */
	char **dirs;
	size_t ndirs;
	struct cgi_stamp *st;
	size_t nst, capst;
	double at; /* clock_mono when read; 0: nothing kept */
} cgi_cache;
static unsigned conf_reads; /* configurations read for the cache */

static void
stamp_take(struct cgi_stamp *s, const char *root)
{
	char full[PATH_MAX];
	struct stat st;

	s->there = path_join(full, sizeof(full), root, s->path) == 0 &&
	    stat(full, &st) == 0;
	if (!s->there)
		return;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
	s->ctime = st.st_ctim;
}

static int
stamp_same(const struct cgi_stamp *s, const char *root)
{
	struct cgi_stamp now = {s->path, 0, 0, 0, 0, {0, 0}, {0, 0}};

	stamp_take(&now, root);
	if (now.there != s->there)
		return 0;
	return !now.there ||
	    (now.dev == s->dev && now.ino == s->ino && now.size == s->size &&
	        now.mtime.tv_sec == s->mtime.tv_sec &&
	        now.mtime.tv_nsec == s->mtime.tv_nsec &&
	        now.ctime.tv_sec == s->ctime.tv_sec &&
	        now.ctime.tv_nsec == s->ctime.tv_nsec);
}

static void
cgi_cache_clear(void)
{
	for (size_t i = 0; i < cgi_cache.ndirs; i++)
		free(cgi_cache.dirs[i]);
	for (size_t i = 0; i < cgi_cache.nst; i++)
		free(cgi_cache.st[i].path);
	free(cgi_cache.dirs);
	free(cgi_cache.st);
	free(cgi_cache.root);
	free(cgi_cache.path);
	memset(&cgi_cache, 0, sizeof(cgi_cache));
}

/* Stamps path (once) into the cache; -1 when out of memory. */
static int
stamp_add(const char *path, size_t len, const char *root)
{
	struct cgi_stamp *s;

	for (size_t i = 0; i < cgi_cache.nst; i++)
		if (strlen(cgi_cache.st[i].path) == len &&
		    memcmp(cgi_cache.st[i].path, path, len) == 0)
			return 0;
	if (mem_grow(&cgi_cache.st, &cgi_cache.capst, cgi_cache.nst + 1,
	        sizeof(*cgi_cache.st)) == -1)
		return -1;
	s = &cgi_cache.st[cgi_cache.nst];
	memset(s, 0, sizeof(*s));
	if ((s->path = strndup(path, len)) == NULL)
		return -1;
	cgi_cache.nst++;
	stamp_take(s, root);
	return 0;
}

/* 1 when the cache holds what reading path under root would give now. */
static int
cgi_cache_valid(const char *root, const char *path)
{
	if (cgi_cache.at == 0 || clock_mono() - cgi_cache.at > CGI_DIRS_TTL ||
	    strcmp(cgi_cache.root, root) != 0 ||
	    strcmp(cgi_cache.path, path) != 0)
		return 0;
	for (size_t i = 0; i < cgi_cache.nst; i++)
		if (!stamp_same(&cgi_cache.st[i], root))
			return 0;
	return 1;
}

/*
 * Keeps the CGI directories of ac (dirs, n) read from path under root,
 * reading having begun at the wall clock's t0.
 */
static void
cgi_cache_keep(const char *root, const char *path, const struct apache_conf *ac,
    char (*dirs)[PATH_MAX], size_t n, time_t t0)
{
	char ev[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int bad = 0;

	cgi_cache_clear();
	cgi_cache.root = strdup(root);
	cgi_cache.path = strdup(path);
	cgi_cache.dirs = calloc(n ? n : 1, sizeof(*cgi_cache.dirs));
	bad = cgi_cache.root == NULL || cgi_cache.path == NULL ||
	    cgi_cache.dirs == NULL;
	for (size_t i = 0; !bad && i < n; i++)
		bad = (cgi_cache.dirs[cgi_cache.ndirs++] = strdup(dirs[i])) ==
		    NULL;
	/* the envvars beside the main file (apache_conf_load reads it) */
	str_printf(ev, sizeof(ev), "%.*s/envvars",
	    (int)(slash ? slash - path : 1), slash ? path : ".");
	bad = bad || stamp_add(path, strlen(path), root) == -1 ||
	    stamp_add(ev, strlen(ev), root) == -1;
	for (size_t i = 0; !bad && i < ac->nfiles; i++) {
		const char *f = ac->files[i], *d = strrchr(f, '/');

		bad = stamp_add(f, strlen(f), root) == -1 ||
		    (d != NULL &&
		        stamp_add(f, d > f ? (size_t)(d - f) : 1, root) == -1);
	}
	/* a file changed since the reading began (the stamps are taken
	 * after it): what was read may be older than them, not kept */
	for (size_t i = 0; !bad && i < cgi_cache.nst; i++)
		bad = cgi_cache.st[i].there &&
		    (cgi_cache.st[i].ctime.tv_sec >= t0 - 1 ||
		        cgi_cache.st[i].mtime.tv_sec >= t0 - 1);
	if (bad) {
		cgi_cache_clear();
		return;
	}
	cgi_cache.at = clock_mono();
}

unsigned
procrules_stuck_conf_reads(void)
{
	return conf_reads;
}

static void
load_cgi_dirs(const struct conf_node *blk, const char *root,
    char (*dirs)[PATH_MAX], size_t *n)
{
	const char *path = conf_str(blk, "apache-config", NULL);
	struct apache_opts o;
	struct apache_conf ac;
	char found[PATH_MAX];
	const struct conf_node *cd = conf_find(blk, "cgi-dirs");
	time_t t0;

	*n = 0;
	if (cd != NULL)
		for (size_t i = 0; i < cd->nvals && *n < MAX_CGI_DIRS; i++)
			snprintf(dirs[(*n)++], PATH_MAX, "%s", cd->vals[i].str);
	if (path == NULL) {
		if (apache_conf_find(root, found, sizeof(found)) == -1)
			return;
		path = found;
	}
	if (cgi_cache_valid(root, path)) {
		for (size_t i = 0; i < cgi_cache.ndirs && *n < MAX_CGI_DIRS;
		     i++)
			str_copy(dirs[(*n)++], PATH_MAX, cgi_cache.dirs[i]);
		return;
	}
	memset(&o, 0, sizeof(o));
	o.root = root;
	t0 = time(NULL);
	conf_reads++;
	apache_conf_load(&ac, path, &o);
	if (ac.nfiles > 0) {
		size_t from = *n;
		size_t k = apache_cgi_dirs(&ac, dirs + *n, MAX_CGI_DIRS - *n);

		*n += k < MAX_CGI_DIRS - *n ? k : MAX_CGI_DIRS - *n;
		cgi_cache_keep(root, path, &ac, dirs + from, *n - from, t0);
	} else
		cgi_cache_clear();
	apache_conf_release(&ac);
}

static void
mail_owner(const struct conf *c, const struct act_ops *act,
    const struct procrules_stop *s, uid_t uid, const char *how,
    struct finding *f)
{
	const char *script = s->script, *why = s->why;
	struct passwd *pw = getpwuid(uid);
	char subject[256], host[256] = "this server", e_script[1024], stamp[64];
	struct strbuf body = STRBUF_INIT(16384);
	struct mail m = {0};
	struct err err = {0};
	time_t now = time(NULL);
	struct tm tm;

	if (pw == NULL) {
		finding_ev(f, "mail", "no user for uid %u", (unsigned)uid);
		return;
	}
	gethostname(host, sizeof(host) - 1);
	esc_text_buf(e_script, sizeof(e_script), script, strlen(script));
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S %z", &tm);
	str_printf(subject, sizeof(subject),
	    "your CGI script was stopped on %s", host);
	strbuf_printf(&body,
	    "Hello %s,\n\n"
	    "sakimori on %s stopped your script\n\n"
	    "    %s\n\n"
	    "(process %d, run by %s) at %s, because %s.\n"
	    "It was stopped with %s.\n\n"
	    "Please check the script for an endless loop or a request that\n"
	    "never ends before you use it again.\n",
	    pw->pw_name, host, e_script, s->pid, s->user, stamp, why, how);
	m.sendmail = conf_setting(c, "sendmail", NULL);
	m.from = conf_setting(c, "mail-from", NULL);
	m.to = pw->pw_name;
	m.subject = subject;
	m.body = strbuf_str(&body);
	if (act->mail(act, &m, &err) == 0)
		finding_ev(f, "mail", "sent to %s", pw->pw_name);
	else
		finding_ev(f, "mail", "failed: %s", err.msg);
	strbuf_release(&body);
}

int
procrules_stuck_stop(const struct conf *c, const struct procrules_opts *o,
    const struct procrules_stop *s, struct finding *f, int *how,
    struct err *err)
{
	const struct conf_node *blk = conf_check(c, "stuck-cgi", NULL);
	const char *root = o->root ? o->root : "", *script = s->script;
	double grace = conf_num(blk, "grace", 5);
	struct audit_entry a = {0};
	struct err kerr = {0}, aerr = {0};
	char target[1024], reason[768], result[600], full[PATH_MAX];
	struct stat st;
	int k, rc = 0;

	*how = KILL_GONE;
	if (audit_check(o->state_dir, err) == -1) {
		err_prefix(err,
		    "pid %d not stopped: the audit log cannot be "
		    "written",
		    s->pid);
		finding_ev(f, "action", "%s", err->msg);
		return -1;
	}
	k = o->act->kill(o->act, s->pid, s->start_ticks, grace, &kerr);
	snprintf(target, sizeof(target), "pid %d (%s)", s->pid,
	    script[0] ? script : s->comm);
	snprintf(reason, sizeof(reason), "stuck interpreter: %s", s->why);
	if (k == -1)
		snprintf(result, sizeof(result), "failed: %s", kerr.msg);
	else
		snprintf(result, sizeof(result), "%s",
		    k == KILL_GONE       ? "already gone"
		        : k == KILL_TERM ? "ok: ended after SIGTERM"
		                         : "ok: ended after SIGKILL");
	a.action = "kill";
	a.who = "rule:stuck-cgi";
	a.target = target;
	a.reason = reason;
	a.result = result;
	if (audit_log(o->state_dir, &a, &aerr) == -1) {
		finding_ev(f, "audit", "failed: %s", aerr.msg);
		rc = err_set(err, aerr.code,
		    "pid %d: %s, but not recorded in the audit log: %s", s->pid,
		    result, aerr.msg);
	}
	finding_ev(f, "action", "%s", result);
	if (k != KILL_TERM && k != KILL_KILL)
		return rc;
	*how = k;
	if (script[0] == '\0' ||
	    !(conf_find(blk, "mail") == NULL || conf_flag(blk, "mail")))
		return rc;
	if (path_join(full, sizeof(full), root, script) == -1 ||
	    stat(full, &st) == -1) {
		finding_ev(f, "mail", "script owner unknown");
		return rc;
	}
	mail_owner(c, o->act, s, st.st_uid,
	    k == KILL_TERM ? "SIGTERM" : "SIGKILL (it ignored SIGTERM)", f);
	{
		struct audit_entry m = {"mail", "rule:stuck-cgi", target,
		    "owner of the stopped script", finding_ev_get(f, "mail")};

		audit_log(o->state_dir, &m, &aerr);
	}
	return rc;
}

int
procrules_stuck_verdict(const struct proc *p, const struct proc_table *t,
    const char *script, const struct stuck_params *sp, struct stuck_verdict *v)
{
	char exe[PROC_EXE_MAX];
	int in_cgi = 0;

	memset(v, 0, sizeof(*v));
	v->sev = SEV_OK;
	if ((p->flags & PROC_F_KTHREAD) || p->exe[0] == '\0')
		return SEV_OK;
	procrules_exe_path(p->exe, exe, sizeof(exe));
	if (!procrules_match(procrules_base(exe), sp->interpreters))
		return SEV_OK;
	for (size_t d = 0; d < sp->ncgi_dirs && script[0]; d++)
		if (under_dir(script, sp->cgi_dirs[d]))
			in_cgi = 1;
	v->server_pid = server_ancestor(t, p, sp->servers);
	if (in_cgi)
		v->via = STUCK_CGI_DIR;
	else if (v->server_pid)
		v->via = STUCK_SERVER;
	else if (procrules_match(p->user, sp->users))
		v->via = STUCK_USER;
	else
		return SEV_OK;
	if (!isnan(sp->crit) && p->run_secs >= sp->crit) {
		v->sev = SEV_CRITICAL;
		snprintf(v->why, sizeof(v->why),
		    "it ran for %.0f s (critical %.0f s)", p->run_secs,
		    sp->crit);
	} else if (!isnan(sp->warn) && p->run_secs >= sp->warn) {
		v->sev = SEV_WARNING;
		snprintf(v->why, sizeof(v->why),
		    "it ran for %.0f s (warning %.0f s)", p->run_secs,
		    sp->warn);
	} else if (sp->cpu > 0 && p->cpu_pct >= sp->cpu &&
	    p->run_secs >= sp->cpu_min_run) {
		v->sev = SEV_WARNING;
		snprintf(v->why, sizeof(v->why),
		    "it used %.0f%% CPU (limit %.0f%%)", p->cpu_pct, sp->cpu);
	}
	return v->sev;
}

int
procrules_stuck_may_stop(
    const struct conf *c, int pid, const char *exe, struct err *err)
{
	const struct conf_node *blk = conf_check(c, "stuck-cgi", NULL);
	const char **interp;
	char path[PROC_EXE_MAX];
	struct threshold th;
	int yes;

	conf_threshold(c, "stuck-cgi", NULL, &th);
	if (!th.enabled || !conf_flag(blk, "kill"))
		return err_set(err, EPERM,
		    "pid %d not stopped: stopping stuck interpreters is not "
		    "enabled",
		    pid);
	interp = list_key(blk, "interpreters", NULL);
	procrules_exe_path(exe, path, sizeof(path));
	yes = procrules_match(
	    procrules_base(path), interp ? interp : procrules_interp_default);
	free(interp);
	if (!yes)
		return err_set(err, EPERM,
		    "pid %d not stopped: it runs no interpreter of stuck-cgi",
		    pid);
	return 0;
}

static const char *const via_text[] = {"", "its script is in a CGI directory",
    "the web server started it", "it runs as the web server's user"};

void
procrules_stuck(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	const struct conf_node *blk = conf_check(c, "stuck-cgi", NULL);
	const char **interp = list_key(blk, "interpreters", NULL);
	const char **servers = list_key(blk, "servers", NULL);
	const char **users = list_key(blk, "users", NULL);
	const char *root = o->root ? o->root : "";
	int do_kill = (o->act != NULL || o->priv != NULL) &&
	    (o->kill || conf_flag(blk, "kill"));
	char(*dirs)[PATH_MAX] = NULL;
	size_t ndirs = 0;
	struct threshold th;
	struct stuck_params sp;
	struct uid_names names;

	conf_threshold(c, "stuck-cgi", NULL, &th);
	if (!th.enabled)
		goto out;
	dirs = calloc(MAX_CGI_DIRS, PATH_MAX);
	if (dirs != NULL)
		load_cgi_dirs(blk, root, dirs, &ndirs);
	memset(&sp, 0, sizeof(sp));
	sp.interpreters = interp ? interp : procrules_interp_default;
	sp.servers = servers ? servers : procrules_servers_default;
	sp.users = users ? users : procrules_users_default;
	sp.cgi_dirs = (const char(*)[PATH_MAX])dirs;
	sp.ncgi_dirs = ndirs;
	sp.warn = th.warn;
	sp.crit = th.crit;
	sp.cpu = conf_num(blk, "cpu", 90);
	sp.cpu_min_run = 10;
	uid_names_init(&names, o->root);
	for (size_t i = 0; i < t->n; i++) {
		struct proc pc;
		const struct proc *p = &t->p[i];
		char exe[PROC_EXE_MAX], script[PATH_MAX] = "", subj[32];
		struct stuck_verdict v;
		struct finding *f;

		if ((p->flags & PROC_F_KTHREAD) || p->exe[0] == '\0')
			continue;
		procrules_exe_path(p->exe, exe, sizeof(exe));
		if (!procrules_match(procrules_base(exe), sp.interpreters))
			continue;
		/* an interpreter's command line and user, when the table was
		 * read without them */
		pc = *p;
		if (proc_read_more(o->root, t, &pc,
		        PROC_READ_CMDLINE | PROC_READ_USER, &names) == -1)
			continue; /* gone meanwhile */
		p = &pc;
		/* no script: a shell running a command (piped logs) or an
		 * interactive interpreter, not a CGI */
		if (procrules_script_of(p->cmdline, script, sizeof(script)) ==
		    -1)
			continue;
		script_abs(p, o, root, script, sizeof(script));
		if (procrules_stuck_verdict(p, t, script, &sp, &v) == SEV_OK)
			continue;
		snprintf(subj, sizeof(subj), "pid %d", p->pid);
		f = report_add(r, (enum sev)v.sev, "stuck-cgi", subj,
		    "%s (pid %d, user %s) %s%s has been running %.0f s at "
		    "%.0f%% CPU: %s",
		    procrules_base(exe), p->pid, p->user,
		    script[0] ? "running " : "", script, p->run_secs,
		    p->cpu_pct, via_text[v.via]);
		if (f == NULL)
			continue;
		finding_ev(f, "pid", "%d", p->pid);
		finding_ev(f, "user", "%s", p->user);
		finding_ev(f, "interpreter", "%s", exe);
		if (script[0])
			finding_ev(f, "script", "%s", script);
		finding_ev(f, "run_seconds", "%.0f", p->run_secs);
		finding_ev(f, "cpu_pct", "%.1f", p->cpu_pct);
		finding_ev(f, "why", "%s", v.why);
		if (v.server_pid)
			finding_ev(f, "server_pid", "%d", v.server_pid);
		if (do_kill && v.sev == SEV_CRITICAL && root[0] == '\0') {
			struct procrules_stop st = {p->pid, p->start_ticks,
			    p->comm, p->user, script, v.why};
			struct err serr = {0};
			int how = KILL_GONE, rc;

			rc = o->priv != NULL && o->priv->stop != NULL
			    ? o->priv->stop(o->priv->arg, &st, f, &how, &serr)
			    : procrules_stuck_stop(c, o, &st, f, &how, &serr);
			if (how == KILL_TERM || how == KILL_KILL) {
				size_t n = strlen(f->message);

				snprintf(f->message + n, sizeof(f->message) - n,
				    "; stopped (%s)",
				    how == KILL_TERM ? "SIGTERM" : "SIGKILL");
			}
			/* f is not used after a report_add */
			if (rc == -1)
				report_add(r, SEV_UNKNOWN, "stuck-cgi", subj,
				    "%s", serr.msg);
		}
	}
	uid_names_release(&names);
out:
	free(dirs);
	free(interp);
	free(servers);
	free(users);
}
