/*
 * alert.c - the actions on alert events (see alert.h): which events each
 * "alert" block takes, the mail digests, the programs started and their
 * timeouts, and the audit of each.
 */
#include "act/alert.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "act/audit.h"
#include "act/forward.h"
#include "act/journal.h"
#include "act/mail.h"
#include "act/spawn.h"
#include "act/syslog5424.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "conf/conf.h"

/* Programs (sendmail, exec) running at once; past it an action fails. */
#define ALERT_MAX_CHILDREN 32
/* sendmail gets this long before it is killed. */
#define MAIL_TIMEOUT 60.0
/* An exec program's default timeout, and SIGTERM to SIGKILL. */
#define EXEC_TIMEOUT 30.0
#define KILL_GRACE 5.0
/* The largest mail handed to sendmail. */
#define MAIL_MAX (4 << 20)

enum action_type { ACT_MAIL, ACT_EXEC, ACT_JOURNAL, ACT_SYSLOG };

static const char *const type_names[] = {"mail", "exec", "journal", "syslog"};

struct action {
	enum action_type type;
	char name[64];
	char **checks; /* fnmatch patterns; none: every check */
	size_t nchecks;
	int min_rank;      /* sev_rank of the least severity taken */
	unsigned events;   /* bit (1 << enum alert_kind) per kind taken */
	char target[1024]; /* for the audit log and the results */
	/* mail */
	char *to, *from, *sendmail;
	time_t digest;
	struct alert_digest dg;
	/* exec */
	char **argv;
	struct spawn_spec spec;
	double timeout;
	/* syslog: the queue and connection; the set, for its outcomes */
	struct forward *fwd;
	struct alert_actions *owner;
};

struct child {
	pid_t pid;
	size_t action;
	size_t nevents;
	double deadline; /* SIGTERM then */
	double kill_at;  /* SIGKILL then, once SIGTERM was sent */
	int termed;
	char reason[256];
};

struct alert_actions {
	struct action *act;
	size_t n;
	struct child child[ALERT_MAX_CHILDREN];
	size_t nchild;
	char state_dir[PATH_MAX];
	char host[256];
	void (*fn)(const struct alert_result *, void *);
	void *arg;
	int on_loop; /* attached once: a loop sends the syslog queues */
};

static char **
copy_vals(const struct conf_node *n, size_t *count)
{
	char **v;

	*count = 0;
	if (n == NULL || n->nvals == 0)
		return NULL;
	if ((v = calloc(n->nvals + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < n->nvals; i++)
		if ((v[i] = strdup(n->vals[i].str)) == NULL)
			return v; /* the rest stays NULL: seen as fewer */
	*count = n->nvals;
	return v;
}

static void
free_vals(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Fills x from the block n ("alert TYPE [NAME] { }"); 0 or -1 with err. */
static int
action_from_conf(struct action *x, const struct conf *c,
    const struct conf_node *n, size_t index, const char *state_dir,
    struct err *err)
{
	const char *type = n->vals[0].str, *s;
	const struct conf_node *k;
	size_t cnt;

	for (x->type = ACT_MAIL; x->type <= ACT_SYSLOG; x->type++)
		if (strcmp(type_names[x->type], type) == 0)
			break;
	if (x->type > ACT_SYSLOG)
		return err_set(err, EINVAL, "%s:%d: unknown alert type '%s'",
		    n->file, n->line, type);
	if (n->nvals > 1)
		str_copy(x->name, sizeof(x->name), n->vals[1].str);
	else
		str_printf(x->name, sizeof(x->name), "%s#%zu", type, index + 1);
	x->checks = copy_vals(conf_find(n, "checks"), &x->nchecks);
	x->min_rank = sev_rank(SEV_WARNING);
	if ((s = conf_str(n, "severity", NULL)) != NULL) {
		enum sev sv;

		if (sev_parse(s, &sv) == 0)
			x->min_rank = sev_rank(sv);
	}
	x->events = ~0U;
	if ((k = conf_find(n, "events")) != NULL) {
		x->events = 0;
		for (size_t i = 0; i < k->nvals; i++)
			for (enum alert_kind e = ALERT_OPEN;
			     e <= ALERT_FLAPPING; e++)
				if (strcmp(k->vals[i].str,
				        alert_kind_name(e)) == 0)
					x->events |= 1U << e;
	}
	switch (x->type) {
	case ACT_MAIL:
		s = conf_str(n, "to", conf_setting(c, "mail-to", NULL));
		if (s == NULL)
			return err_set(err, EINVAL,
			    "%s:%d: alert mail has no recipient: give it "
			    "'to' or set mail-to",
			    n->file, n->line);
		x->to = strdup(s);
		x->from = dup_or_null(
		    conf_str(n, "from", conf_setting(c, "mail-from", NULL)));
		x->sendmail = dup_or_null(conf_setting(c, "sendmail", NULL));
		x->digest = (time_t)conf_num(n, "digest", 0);
		str_copy(x->target, sizeof(x->target), s);
		break;
	case ACT_EXEC:
		s = conf_str(n, "user", "nobody");
		x->argv = copy_vals(conf_find(n, "command"), &cnt);
		if (x->argv == NULL || cnt == 0 || x->argv[0][0] != '/')
			return err_set(err, EINVAL,
			    "%s:%d: alert exec wants a 'command' with an "
			    "absolute path",
			    n->file, n->line);
		if (spawn_user(&x->spec, s, err) == -1)
			return err_prefix(err, "%s:%d: alert exec: the user",
			    n->file, n->line);
		if (x->spec.uid == 0 && !conf_flag(n, "allow-root"))
			return err_set(err, EPERM,
			    "%s:%d: alert exec would run '%s' as root "
			    "('%s'): name another user, or say allow-root yes",
			    n->file, n->line, x->argv[0], s);
		x->spec.path = x->argv[0];
		x->spec.argv = x->argv;
		x->spec.devnull_stdout = 1;
		x->timeout = conf_num(n, "timeout", EXEC_TIMEOUT);
		str_printf(
		    x->target, sizeof(x->target), "%s as %s", x->argv[0], s);
		break;
	case ACT_JOURNAL:
		str_copy(x->target, sizeof(x->target), "journal");
		break;
	case ACT_SYSLOG:
		if ((s = conf_str(n, "server", NULL)) == NULL)
			return err_set(err, EINVAL,
			    "%s:%d: alert syslog wants a 'server' "
			    "(HOST:PORT)",
			    n->file, n->line);
		if (state_dir == NULL)
			return err_set(err, EINVAL,
			    "%s:%d: alert syslog: no state directory for "
			    "its queue",
			    n->file, n->line);
		str_copy(x->target, sizeof(x->target), s);
		if ((x->fwd = forward_new(x->name, s, conf_flag(n, "tls"),
		         conf_str(n, "ca", NULL), state_dir, err)) == NULL)
			return err_prefix(
			    err, "%s:%d: alert syslog", n->file, n->line);
		break;
	}
	if (x->type == ACT_MAIL &&
	    (x->to == NULL ||
	        (conf_setting(c, "sendmail", NULL) && x->sendmail == NULL)))
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

static void
action_release(struct action *x)
{
	free_vals(x->checks);
	free(x->to);
	free(x->from);
	free(x->sendmail);
	free_vals(x->argv);
	alert_digest_release(&x->dg);
	forward_free(x->fwd);
}

struct alert_actions *
alert_actions_new(const struct conf *c, const char *state_dir, struct err *err)
{
	struct alert_actions *a = calloc(1, sizeof(*a));
	size_t n = 0;

	if (a == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	gethostname(a->host, sizeof(a->host) - 1);
	str_copy(a->host, sizeof(a->host),
	    conf_setting(c, "hostname", a->host[0] ? a->host : "localhost"));
	for (size_t i = 0; i < c->root.nchild; i++)
		n += strcmp(c->root.child[i].key, "alert") == 0 &&
		    c->root.child[i].nvals >= 1;
	if (n > 0 && (a->act = calloc(n, sizeof(*a->act))) == NULL) {
		free(a);
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *nd = &c->root.child[i];

		if (strcmp(nd->key, "alert") != 0 || nd->nvals < 1 ||
		    conf_find(nd, "disable") != NULL)
			continue;
		a->act[a->n].owner = a;
		if (action_from_conf(
		        &a->act[a->n], c, nd, a->n, state_dir, err) == -1) {
			action_release(&a->act[a->n]);
			alert_actions_free(a);
			return NULL;
		}
		a->n++;
	}
	if (a->n > 0) {
		if (state_dir == NULL ||
		    str_copy(a->state_dir, sizeof(a->state_dir), state_dir) ==
		        -1) {
			err_set(err, EINVAL,
			    "no state directory for the audit log of the "
			    "alert actions");
			alert_actions_free(a);
			return NULL;
		}
		if (audit_check(a->state_dir, err) == -1) {
			err_prefix(err, "alert actions");
			alert_actions_free(a);
			return NULL;
		}
	}
	return a;
}

size_t
alert_actions_count(const struct alert_actions *a)
{
	return a->n;
}

void
alert_actions_on_result(struct alert_actions *a,
    void (*fn)(const struct alert_result *, void *), void *arg)
{
	a->fn = fn;
	a->arg = arg;
}

static int
takes(const struct action *x, const struct alert_event *e)
{
	int match = x->nchecks == 0;

	if (!(x->events & (1U << e->kind)) || sev_rank(e->sev) < x->min_rank)
		return 0;
	for (size_t i = 0; i < x->nchecks && !match; i++)
		match = fnmatch(x->checks[i], e->check, 0) == 0;
	return match;
}

/* Records what x did in the audit log and tells the caller's function. */
static void
outcome(struct alert_actions *a, const struct action *x, int ok,
    const char *result, const char *reason, size_t nevents)
{
	char what[32], who[96], detail[640];
	struct audit_entry ae = {what, who, x->target, reason, result};
	struct alert_result r = {
	    type_names[x->type], x->name, x->target, ok, detail, nevents};
	struct err aerr = {0};

	str_printf(what, sizeof(what), "alert-%s", type_names[x->type]);
	str_printf(who, sizeof(who), "alert:%s", x->name);
	str_copy(detail, sizeof(detail), result);
	if (audit_log(a->state_dir, &ae, &aerr) == -1)
		str_printf(detail, sizeof(detail),
		    "%s (not in the audit log: %s)", result, aerr.msg);
	if (a->fn != NULL)
		a->fn(&r, a->arg);
}

/* The reason an audit entry gives for the events: the summary, cut. */
static void
reason_of(const struct alert_event *e, size_t n, char *dst, size_t dstsz)
{
	struct strbuf sb = STRBUF_INIT(dstsz * 4);

	if (e == NULL) {
		str_printf(dst, dstsz, "a digest of %zu alert events", n);
	} else {
		strbuf_adds(&sb, alert_kind_name(e->kind));
		strbuf_adds(&sb, ": ");
		alert_summary(e, &sb);
		str_copy(dst, dstsz, sb.p);
	}
	strbuf_release(&sb);
}

/* Starts a program for x with input; a failure is its outcome. */
static void
start_child(struct alert_actions *a, size_t xi, const struct spawn_spec *s,
    const char *input, size_t inlen, double timeout, const char *reason,
    size_t nevents)
{
	struct action *x = &a->act[xi];
	struct spawn_spec spec = *s;
	struct child *ch;
	struct err err = {0};
	char res[600];
	pid_t pid;

	spec.input = input;
	spec.inlen = inlen;
	if (a->nchild == ALERT_MAX_CHILDREN) {
		str_printf(res, sizeof(res),
		    "failed: %d programs are still running",
		    ALERT_MAX_CHILDREN);
		outcome(a, x, 0, res, reason, nevents);
		return;
	}
	if (spec.as_user && geteuid() != 0) {
		if (spec.uid != geteuid()) {
			outcome(a, x, 0,
			    "failed: only root can run it as another user",
			    reason, nevents);
			return;
		}
		spec.as_user = 0; /* already that user */
	}
	if (spawn_start(&spec, &pid, &err) == -1) {
		str_printf(res, sizeof(res), "failed: %s", err.msg);
		outcome(a, x, 0, res, reason, nevents);
		return;
	}
	ch = &a->child[a->nchild++];
	memset(ch, 0, sizeof(*ch));
	ch->pid = pid;
	ch->action = xi;
	ch->nevents = nevents;
	ch->deadline = clock_mono() + timeout;
	str_copy(ch->reason, sizeof(ch->reason), reason);
	/* Started: recorded now, its exit status when it is reaped. */
	{
		char what[32], who[96];
		struct audit_entry ae = {what, who, x->target, reason, res};

		str_printf(what, sizeof(what), "alert-%s", type_names[x->type]);
		str_printf(who, sizeof(who), "alert:%s", x->name);
		str_printf(res, sizeof(res), "started pid %ld", (long)pid);
		audit_log(a->state_dir, &ae, NULL);
	}
}

/* Hands a whole message to sendmail for x. */
static void
mail_start(struct alert_actions *a, size_t xi, const char *subject,
    const char *body, const char *reason, size_t nevents)
{
	struct action *x = &a->act[xi];
	struct mail m = {x->sendmail, x->from, x->to, subject, body};
	struct strbuf msg = STRBUF_INIT(MAIL_MAX);
	struct spawn_spec spec = {0};
	struct mail_cmd cmd;
	struct err err = {0};
	char res[600];

	if (mail_cmd(&m, &cmd, &err) == -1 ||
	    mail_format(&m, time(NULL), a->host, &msg, &err) == -1) {
		str_printf(res, sizeof(res), "failed: %s", err.msg);
		outcome(a, x, 0, res, reason, nevents);
		strbuf_release(&msg);
		return;
	}
	spec.path = cmd.prog;
	spec.argv = cmd.argv;
	/* Nothing of sendmail's on the agent's output (JSON lines there). */
	spec.devnull_stdout = 1;
	start_child(
	    a, xi, &spec, msg.p, msg.len, MAIL_TIMEOUT, reason, nevents);
	strbuf_release(&msg);
}

static void
mail_one(struct alert_actions *a, size_t xi, const struct alert_event *e)
{
	struct strbuf subj = STRBUF_INIT(4096), body = STRBUF_INIT(1 << 20);
	char reason[256];

	alert_mail_subject(e, a->host, &subj);
	alert_mail_body(e, a->host, &body);
	reason_of(e, 1, reason, sizeof(reason));
	mail_start(a, xi, subj.p, body.p, reason, 1);
	strbuf_release(&subj);
	strbuf_release(&body);
}

static void
mail_digest(struct alert_actions *a, size_t xi)
{
	struct action *x = &a->act[xi];
	struct strbuf subj = STRBUF_INIT(4096), body = STRBUF_INIT(MAIL_MAX);
	size_t n = x->dg.n + x->dg.dropped;
	char reason[256];

	alert_digest_subject(&x->dg, a->host, &subj);
	alert_digest_body(&x->dg, a->host, &body);
	reason_of(NULL, n, reason, sizeof(reason));
	mail_start(a, xi, subj.p, body.p, reason, n);
	strbuf_release(&subj);
	strbuf_release(&body);
	alert_digest_clear(&x->dg);
}

static void
exec_one(struct alert_actions *a, size_t xi, const struct alert_event *e)
{
	struct action *x = &a->act[xi];
	struct strbuf in = STRBUF_INIT(1 << 20);
	char ev[64], chk[80], sev[64], prob[64], reason[256];
	char *envp[] = {
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	    "LANG=C.UTF-8", "HOME=/", ev, chk, sev, prob, NULL};
	struct spawn_spec spec = x->spec;

	str_printf(
	    ev, sizeof(ev), "SAKIMORI_EVENT=%s", alert_kind_name(e->kind));
	str_printf(chk, sizeof(chk), "SAKIMORI_CHECK=%.*s",
	    (int)strnlen(e->check, sizeof(e->check)), e->check);
	str_printf(sev, sizeof(sev), "SAKIMORI_SEVERITY=%s", sev_name(e->sev));
	str_printf(prob, sizeof(prob), "SAKIMORI_PROBLEM=%llu",
	    (unsigned long long)e->problem);
	spec.envp = envp;
	alert_event_json(e, &in);
	strbuf_addc(&in, '\n');
	reason_of(e, 1, reason, sizeof(reason));
	if (strbuf_failed(&in))
		outcome(a, x, 0, "failed: the event does not fit", reason, 1);
	else
		start_child(a, xi, &spec, in.p, in.len, x->timeout, reason, 1);
	strbuf_release(&in);
}

static void
journal_one(struct alert_actions *a, size_t xi, const struct alert_event *e)
{
	struct action *x = &a->act[xi];
	const char *where = "journal";
	struct err err = {0};
	char reason[256], res[600];
	int rc = journal_send(e, &where, &err);

	str_copy(x->target, sizeof(x->target), where);
	reason_of(e, 1, reason, sizeof(reason));
	if (rc == 0)
		str_printf(res, sizeof(res), "ok (%s)", where);
	else
		str_printf(res, sizeof(res), "failed: %s", err.msg);
	outcome(a, x, rc == 0, res, reason, 1);
}

/* The connection of a syslog action failed, works again, or drained. */
static void
syslog_state(int ok, const char *text, long waiting, void *arg)
{
	struct action *x = arg;
	char res[640];

	str_printf(res, sizeof(res), "%s: %s; %ld waiting in the queue",
	    ok ? "ok" : "failed", text, waiting);
	outcome(x->owner, x, ok, res, "the connection to the server", 0);
}

static void
syslog_one(struct alert_actions *a, size_t xi, const struct alert_event *e)
{
	struct action *x = &a->act[xi];
	struct strbuf msg = STRBUF_INIT(SYSLOG5424_MAX);
	struct err err = {0};
	char reason[256], res[640];
	long waiting = -1, dropped = 0;

	reason_of(e, 1, reason, sizeof(reason));
	if (syslog5424_message(e, a->host, (long)getpid(), &msg) == -1)
		err_set(&err, E2BIG, "the message does not fit");
	else
		waiting =
		    forward_enqueue(x->fwd, msg.p, msg.len, &dropped, &err);
	strbuf_release(&msg);
	if (waiting == -1)
		str_printf(res, sizeof(res), "failed: %s", err.msg);
	else if (dropped > 0)
		str_printf(res, sizeof(res),
		    "queued (%ld waiting; the %ld oldest dropped: the "
		    "queue holds %d at most)",
		    waiting, dropped, FORWARD_QUEUE_MAX);
	else
		str_printf(res, sizeof(res), "queued (%ld waiting)", waiting);
	outcome(a, x, waiting != -1, res, reason, 1);
}

size_t
alert_actions_event(
    struct alert_actions *a, const struct alert_event *e, time_t now)
{
	size_t taken = 0;

	for (size_t i = 0; i < a->n; i++) {
		struct action *x = &a->act[i];

		if (!takes(x, e))
			continue;
		taken++;
		switch (x->type) {
		case ACT_MAIL:
			if (x->digest > 0)
				alert_digest_add(&x->dg, e, now);
			else
				mail_one(a, i, e);
			break;
		case ACT_EXEC:
			exec_one(a, i, e);
			break;
		case ACT_JOURNAL:
			journal_one(a, i, e);
			break;
		case ACT_SYSLOG:
			syslog_one(a, i, e);
			break;
		}
	}
	return taken;
}

/* The end of child ci with wait status st. */
static void
finish(struct alert_actions *a, size_t ci, int status)
{
	struct child *ch = &a->child[ci];
	struct action *x = &a->act[ch->action];
	char st[64], res[320];
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	spawn_status_text(status, st, sizeof(st));
	if (ch->termed)
		str_printf(res, sizeof(res),
		    "failed: killed after its %gs timeout (%s)",
		    x->type == ACT_MAIL ? MAIL_TIMEOUT : x->timeout, st);
	else
		str_printf(
		    res, sizeof(res), "%s: %s", ok ? "ok" : "failed", st);
	outcome(a, x, ok && !ch->termed, res, ch->reason, ch->nevents);
	a->child[ci] = a->child[--a->nchild];
}

void
alert_actions_reap(struct alert_actions *a)
{
	for (size_t i = 0; i < a->nchild;) {
		int status;
		pid_t w = waitpid(a->child[i].pid, &status, WNOHANG);

		if (w == a->child[i].pid) {
			finish(a, i, status);
			continue; /* the last one moved to i */
		}
		if (w == -1 && errno == ECHILD) {
			/* Reaped by someone else: nothing to tell but that. */
			outcome(a, &a->act[a->child[i].action], 0,
			    "failed: its exit status was lost",
			    a->child[i].reason, a->child[i].nevents);
			a->child[i] = a->child[--a->nchild];
			continue;
		}
		i++;
	}
}

/* SIGTERM to the programs past their timeout, SIGKILL past the grace. */
static void
timeouts(struct alert_actions *a)
{
	double now = clock_mono();

	for (size_t i = 0; i < a->nchild; i++) {
		struct child *ch = &a->child[i];

		if (!ch->termed && now >= ch->deadline) {
			kill(-ch->pid, SIGTERM);
			kill(ch->pid, SIGTERM);
			ch->termed = 1;
			ch->kill_at = now + KILL_GRACE;
		} else if (ch->termed && now >= ch->kill_at) {
			kill(-ch->pid, SIGKILL);
			kill(ch->pid, SIGKILL);
		}
	}
}

void
alert_actions_attach(struct alert_actions *a, struct event_base *base)
{
	a->on_loop = 1;
	for (size_t i = 0; i < a->n; i++) {
		struct action *x = &a->act[i];
		struct err err = {0};
		char res[640];

		if (x->type != ACT_SYSLOG)
			continue;
		forward_on_state(x->fwd, syslog_state, x);
		if (forward_attach(x->fwd, base, &err) == -1) {
			str_printf(res, sizeof(res), "failed: %s", err.msg);
			outcome(
			    a, x, 0, res, "the connection to the server", 0);
		}
	}
}

void
alert_actions_tick(struct alert_actions *a, time_t now)
{
	alert_actions_reap(a);
	timeouts(a);
	for (size_t i = 0; i < a->n; i++) {
		struct action *x = &a->act[i];

		if (x->type == ACT_SYSLOG)
			forward_kick(x->fwd);

		if (x->type == ACT_MAIL && x->digest > 0 &&
		    alert_digest_due(&x->dg, now, x->digest))
			mail_digest(a, i);
	}
}

void
alert_actions_flush(struct alert_actions *a, time_t now)
{
	(void)now;
	for (size_t i = 0; i < a->n; i++) {
		struct action *x = &a->act[i];

		if (x->type == ACT_MAIL && x->dg.n + x->dg.dropped > 0)
			mail_digest(a, i);
	}
}

size_t
alert_actions_running(const struct alert_actions *a)
{
	return a->nchild;
}

size_t
alert_actions_wait(struct alert_actions *a, double secs)
{
	double end = clock_mono() + secs;

	/* a command's queued syslog messages: sent now, in the time given */
	for (size_t i = 0; i < a->n; i++) {
		if (a->act[i].type != ACT_SYSLOG || a->on_loop)
			continue;
		forward_on_state(a->act[i].fwd, syslog_state, &a->act[i]);
		(void)forward_drain(a->act[i].fwd, end - clock_mono());
	}
	for (;;) {
		alert_actions_reap(a);
		timeouts(a);
		if (a->nchild == 0 || clock_mono() >= end)
			return a->nchild;
		sleep_secs(0.02);
	}
}

void
alert_actions_free(struct alert_actions *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nchild; i++) {
		int status;

		kill(-a->child[i].pid, SIGKILL);
		kill(a->child[i].pid, SIGKILL);
		while (waitpid(a->child[i].pid, &status, 0) == -1 &&
		    errno == EINTR)
			;
		outcome(a, &a->act[a->child[i].action], 0,
		    "failed: killed when the alert actions stopped",
		    a->child[i].reason, a->child[i].nevents);
	}
	for (size_t i = 0; i < a->n; i++)
		action_release(&a->act[i]);
	free(a->act);
	free(a);
}
