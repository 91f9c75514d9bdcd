/*
 * ctl_server.c - the agent's side of the control socket (agent/ctl.h):
 * a unix stream socket on the agent's event loop that answers status,
 * problems, silence and reload.  A client cannot make it wait or grow:
 * each connection is non-blocking, reads at most one request line of
 * CTL_LINE_MAX bytes, is dropped after CTL_TIMEOUT_SECS, and at most
 * CTL_MAX_CONN are served at once.  Only the agent's own user may
 * connect (mode 0600, and the peer's credentials are checked).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "agent/agent_int.h"
#include "agent/ctl.h"
#include "agent/problem.h"
#include "fim/watch.h"
#include "base/civtime.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/json.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "check/check.h"

struct ctl_conn {
	struct ctl_server *srv;
	struct bufferevent *bev;
	struct ctl_conn *next, *prev;
	int replied;
};

struct ctl_server {
	struct agent *a;
	struct evconnlistener *lis;
	struct ctl_conn *conns;
	size_t nconn;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static void
conn_free(struct ctl_conn *c)
{
	struct ctl_server *s = c->srv;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->nconn--;
	bufferevent_free(c->bev);
	free(c);
}

struct each_ctx {
	FILE *fp;
	int json;
};

static void
problem_line(void *arg, const struct problem_info *i)
{
	struct each_ctx *e = arg;
	char subj[512], msg[1024], first[64];

	if (e->json) {
		json_line(e->fp, problem_info_json(i, 0));
		return;
	}
	esc_text_buf(subj, sizeof(subj), i->subject, strlen(i->subject));
	esc_text_buf(msg, sizeof(msg), i->message, strlen(i->message));
	civ_rfc3339(first, sizeof(first), i->first);
	fprintf(e->fp, "%llu %s %s%s%s %s since %s%s%s: %s\n",
	    (unsigned long long)i->id, sev_name(i->sev), i->check,
	    subj[0] ? "/" : "", subj, i->open ? "open" : "pending", first,
	    i->flapping ? ", flapping" : "",
	    i->silenced_until ? ", silenced" : "", msg);
}

/* One followed set of logs in ctl status --json. */
static void
log_json(void *arg, const struct agent_log_info *i)
{
	json_t *o = json_object(), *paths = json_array();

	for (size_t k = 0; k < i->npaths; k++)
		json_array_append_new(paths, jstr(i->paths[k]));
	jset(o, "type", json_string("logs"));
	jset(o, "name", json_string(i->name));
	jset(o, "paths", paths);
	jset(o, "lines", json_integer((json_int_t)i->lines));
	jset(o, "analysed", json_integer((json_int_t)i->analysed));
	jset(o, "findings", json_integer((json_int_t)i->findings));
	json_line(arg, o);
}

static void
reply_status(struct agent *a, FILE *fp, int json)
{
	time_t now = time(NULL);
	char up[64];

	if (json) {
		json_t *o = json_object();

		jset(o, "type", json_string("agent.status"));
		jset(o, "pid", json_integer(getpid()));
		jset(o, "started", jtime(a->started));
		jset(o, "uptime_seconds",
		    json_integer((json_int_t)(now - a->started)));
		jset(o, "config", jstr(a->o->conf_path));
		jset(o, "checks", json_integer((json_int_t)a->n));
		jset(o, "problems_open",
		    json_integer((json_int_t)problems_open(a->pb)));
		jset(o, "watch_dirs",
		    a->watch ? json_integer((json_int_t)watch_count(a->watch))
		             : json_null());
		jset(o, "watch_findings",
		    json_integer((json_int_t)a->watch_findings));
		json_line(fp, o);
		agent_logs_each(a, log_json, fp);
		for (size_t i = 0; i < a->n; i++) {
			const struct sched_slot *sl = &a->sched.slot[i];

			o = json_object();
			jset(o, "type", json_string("agent.check"));
			jset(o, "check", json_string(a->table[i].name));
			jset(o, "enabled", json_boolean(sl->enabled));
			if (sl->every)
				jset(o, "every_seconds",
				    json_integer((json_int_t)sl->every));
			else
				jset(o, "every_seconds", json_null());
			jset(o, "last", jtime(sl->last));
			jset(o, "next", jtime(sl->enabled ? sl->next : 0));
			json_line(fp, o);
		}
		return;
	}
	dur_format(up, sizeof(up), (uint64_t)(now - a->started));
	fprintf(fp,
	    "sakimori agent: pid %ld, up %s, configuration '%s'\n"
	    "problems open: %zu\n\n%-24s %8s %-24s %s\n",
	    (long)getpid(), up, a->o->conf_path[0] ? a->o->conf_path : "-",
	    problems_open(a->pb), "CHECK", "EVERY", "LAST RUN", "NEXT RUN");
	for (size_t i = 0; i < a->n; i++) {
		const struct sched_slot *sl = &a->sched.slot[i];
		char every[32] = "daily", last[64] = "-", next[64] = "-";

		if (!sl->enabled) {
			fprintf(fp, "%-24s %8s\n", a->table[i].name, "off");
			continue;
		}
		if (sl->every)
			dur_format(every, sizeof(every), sl->every);
		if (sl->last)
			civ_rfc3339(last, sizeof(last), sl->last);
		if (sl->next)
			civ_rfc3339(next, sizeof(next), sl->next);
		fprintf(fp, "%-24s %8s %-24s %s\n", a->table[i].name, every,
		    last, next);
	}
}

/* The reply to one request line: status line and body into fp. */
static void
answer(struct agent *a, const char *line, size_t len, FILE *fp)
{
	struct ctl_req q;
	struct err err = {0};
	struct each_ctx e = {fp, 0};
	time_t now = time(NULL);

	if (ctl_parse(line, len, &q, &err) == -1) {
		fprintf(fp, "error 64 %s\n", err.msg);
		return;
	}
	switch (q.op) {
	case CTL_STATUS:
		fputs("ok\n", fp);
		reply_status(a, fp, q.json);
		break;
	case CTL_PROBLEMS:
		fputs("ok\n", fp);
		e.json = q.json;
		problems_each(a->pb, problem_line, &e);
		break;
	case CTL_SILENCE:
		if (problems_silence(a->pb, q.check,
		        q.has_subject ? q.subject : NULL,
		        q.secs ? now + (time_t)q.secs : now, &err) == -1) {
			fprintf(fp, "error 70 %s\n", err.msg);
			break;
		}
		agent_events_flush(a);
		log_info("%s%s%s silenced for %llu s", q.check,
		    q.has_subject ? "/" : "", q.subject,
		    (unsigned long long)q.secs);
		fputs("ok\n", fp);
		break;
	case CTL_RELOAD:
		if (agent_reload(a, &err) == -1)
			fprintf(fp, "error 78 %s\n", err.msg);
		else
			fputs("ok\n", fp);
		break;
	}
}

/*
 * Answers line (len bytes), or sends the reply fixed when it is not NULL;
 * reading stops, and the connection ends once the reply is sent.
 */
static void
reply(struct ctl_conn *c, const char *line, size_t len, const char *fixed)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	c->replied = 1;
	bufferevent_disable(c->bev, EV_READ);
	if (fp == NULL) {
		conn_free(c);
		return;
	}
	if (fixed != NULL)
		fputs(fixed, fp);
	else
		answer(c->srv->a, line, len, fp);
	if (fclose(fp) != 0 ||
	    bufferevent_write(
	        c->bev, buf, n > CTL_REPLY_MAX ? CTL_REPLY_MAX : n) == -1)
		conn_free(c);
	free(buf);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	static const char too_long[] = "error 64 request too long\n";
	struct ctl_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;

	if (c->replied)
		return;
	if ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) == NULL) {
		if (evbuffer_get_length(in) >= CTL_LINE_MAX)
			reply(c, NULL, 0, too_long);
		return;
	}
	reply(c, line, len, len >= CTL_LINE_MAX ? too_long : NULL);
	free(line);
}

static void
on_write(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;

	if (c->replied && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_free(c);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn *c = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("control connection timed out");
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		conn_free(c);
}

/* The peer runs as this process's user (or root). */
static int
peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return 0;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void
on_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct ctl_server *s = arg;
	struct timeval tv = {CTL_TIMEOUT_SECS, 0};
	struct ctl_conn *c;

	(void)lis;
	(void)sa;
	(void)salen;
	if (s->nconn >= CTL_MAX_CONN || !peer_allowed(fd)) {
		log_debug("control connection refused");
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->srv = s;
	c->bev = bufferevent_socket_new(
	    evconnlistener_get_base(s->lis), fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		evutil_closesocket(fd);
		free(c);
		return;
	}
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->nconn++;
	/* Reading stops once a request's worth is buffered. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTL_LINE_MAX);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/*
 * The run directory: made 0755 when missing; an existing one must be a
 * directory of this user (or root) that no one else may write to.
 */
static int
run_dir_ready(const char *dir, struct err *err)
{
	struct stat st;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return err_sys(err, errno, "cannot make '%s'", dir);
	if (lstat(dir, &st) == -1)
		return err_sys(err, errno, "cannot read '%s'", dir);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ENOTDIR, "'%s' is not a directory", dir);
	if ((st.st_uid != geteuid() && st.st_uid != 0) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		return err_set(err, EPERM,
		    "'%s' may be written by others: refusing to put the "
		    "control socket there",
		    dir);
	return 0;
}

/* An agent answers on path already: 1. */
static int
socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), alive;

	if (fd == -1)
		return 0;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return alive;
}

struct ctl_server *
ctl_server_new(struct agent *a, const char *run_dir, struct err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ctl_server *s;
	mode_t old;
	int fd, rc;

	if (run_dir_ready(run_dir, err) == -1)
		return NULL;
	if (path_join(sa.sun_path, sizeof(sa.sun_path), run_dir, "ctl") == -1) {
		err_set(err, ENAMETOOLONG, "'%s' is too long for a socket",
		    run_dir);
		return NULL;
	}
	if (socket_alive(&sa)) {
		err_set(err, EADDRINUSE, "an agent already answers on '%s'",
		    sa.sun_path);
		return NULL;
	}
	(void)unlink(sa.sun_path); /* left by an agent that was killed */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	         0)) == -1) {
		err_sys(err, errno, "cannot make a socket");
		return NULL;
	}
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc == -1 || chmod(sa.sun_path, 0600) == -1 ||
	    listen(fd, CTL_MAX_CONN) == -1) {
		err_sys(err, errno, "cannot listen on '%s'", sa.sun_path);
		close(fd);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		close(fd);
		unlink(sa.sun_path);
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	s->a = a;
	memcpy(s->path, sa.sun_path, sizeof(s->path));
	s->lis = evconnlistener_new(a->base, on_accept, s,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (s->lis == NULL) {
		close(fd);
		unlink(s->path);
		free(s);
		err_set(err, EIO, "cannot listen on '%s'", sa.sun_path);
		return NULL;
	}
	return s;
}

void
ctl_server_free(struct ctl_server *s)
{
	while (s->conns != NULL)
		conn_free(s->conns);
	evconnlistener_free(s->lis);
	if (unlink(s->path) == -1 && errno != ENOENT)
		log_warn("cannot remove '%s'", s->path);
	free(s);
}
