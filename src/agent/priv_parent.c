/*
 * priv_parent.c - what the root parent does for its children on request
 * (agent/priv.h): open an allowed log and pass the descriptor, block a
 * prefix and stop a process through the act_ops policy, hand an alert
 * event to the alert actions, read links of /proc/PID (the executable,
 * the working directory) and give their bytes unparsed, stat the
 * executables of processes and their directories, stop a stuck
 * interpreter through the stop hook.  Requests arrive decoded and checked by
 * priv_msg_decode; nothing here reads text a child wrote but to compare
 * a path and to copy a reason into a block.
 */
#include "agent/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "act/act.h"
#include "act/alert.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/mem.h"
#include "net/block.h"

void
priv_parent_init(struct priv_parent *p)
{
	memset(p, 0, sizeof(*p));
}

void
priv_parent_release(struct priv_parent *p)
{
	for (size_t i = 0; i < p->nallow; i++)
		free(p->allow[i]);
	free(p->allow);
	memset(p, 0, sizeof(*p));
}

int
priv_alert_actions(void *arg, const struct alert_event *e, struct err *err)
{
	size_t n = alert_actions_event(arg, e, time(NULL));

	(void)err;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int
priv_allow_path(struct priv_parent *p, const char *path, struct err *err)
{
	char **a;
	char *s;

	if (path[0] != '/' || strlen(path) >= PRIV_PATH_MAX)
		return err_set(err, EINVAL, "'%s': not an absolute path", path);
	a = realloc(p->allow, (p->nallow + 1) * sizeof(*a));
	if (a == NULL)
		return err_sys(err, errno, "'%s'", path);
	p->allow = a;
	if ((s = strdup(path)) == NULL)
		return err_sys(err, errno, "'%s'", path);
	p->allow[p->nallow++] = s;
	return 0;
}

/* A rotation suffix: '.' or '-', then letters, digits, '.', '_', '-'. */
static int
rotation_suffix(const char *s)
{
	if (*s != '.' && *s != '-')
		return 0;
	if (*++s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		        *s == '-'))
			return 0;
	return 1;
}

int
priv_path_allowed(const struct priv_parent *p, const char *path, int *exact)
{
	size_t n;

	*exact = 0;
	for (size_t i = 0; i < p->nallow; i++) {
		const char *a = p->allow[i];

		if (strcmp(a, path) == 0) {
			*exact = 1;
			return 1;
		}
		/* a sibling: the listed path, then a suffix without '/' */
		n = strlen(a);
		if (strncmp(a, path, n) == 0 && rotation_suffix(path + n))
			return 1;
	}
	return 0;
}

static int reply_error(int sock, uint32_t id, int code, struct err *err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
reply_error(
    int sock, uint32_t id, int code, struct err *err, const char *fmt, ...)
{
	struct priv_error e = {0};
	va_list ap;

	e.code = code;
	va_start(ap, fmt);
	(void)vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	return priv_send(sock, PRIV_ERROR, id, &e, sizeof(e), -1, err);
}

/*
 * Opens path for a child: read-only, never through a symbolic link at its
 * end, without blocking on a FIFO, and only a regular file (or a
 * character device listed exactly, such as /dev/kmsg).
 */
static int
open_allowed(const char *path, int exact, struct err *err)
{
	struct stat st;
	int fd, fl;

	fd = open(
	    path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if (fstat(fd, &st) == -1) {
		err_sys(err, errno, "cannot stat '%s'", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !(exact && S_ISCHR(st.st_mode))) {
		err_set(err, EPERM, "'%s' is not a regular file", path);
		goto fail;
	}
	/* a file is read blocking; a device keeps O_NONBLOCK (kmsg) */
	if (S_ISREG(st.st_mode) && (fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
fail:
	close(fd);
	return -1;
}

static int
serve_open(
    struct priv_parent *p, int sock, const struct priv_msg *m, struct err *err)
{
	struct err e = {0};
	int exact, fd, rc;

	if (!priv_path_allowed(p, m->u.path, &exact))
		return reply_error(sock, m->id, EPERM, err,
		    "'%s' is not a followed log", m->u.path);
	if ((fd = open_allowed(m->u.path, exact, &e)) == -1)
		return reply_error(sock, m->id, e.code, err, "%s", e.msg);
	rc = priv_send(sock, PRIV_FD, m->id, NULL, 0, fd, err);
	close(fd);
	return rc;
}

static int
serve_block(struct priv_parent *p, const char *child, int sock,
    const struct priv_msg *m, struct err *err)
{
	struct net_block_item it = {0};
	struct priv_block_rep rep = {0};
	struct err e = {0};
	int rc;

	if (p->ops == NULL || p->ops->block == NULL)
		return reply_error(
		    sock, m->id, EPERM, err, "blocking is not enabled");
	it.p = m->u.block.p;
	it.secs = m->u.block.secs;
	it.reason = m->u.block.reason[0] != '\0' ? m->u.block.reason : NULL;
	rc = p->ops->block(p->ops, &it, 1, m->u.block.by, &e);
	if (rc == -1 || rc == NET_BLOCK_EAUDIT)
		return reply_error(
		    sock, m->id, e.code, err, "child '%s': %s", child, e.msg);
	rep.status = it.status;
	rep.err_code = it.err_code;
	rep.until = it.until;
	str_copy(rep.msg, sizeof(rep.msg), it.msg);
	return priv_send(sock, PRIV_BLOCKED, m->id, &rep, sizeof(rep), -1, err);
}

static int
serve_kill(
    struct priv_parent *p, int sock, const struct priv_msg *m, struct err *err)
{
	struct priv_done d = {0};
	struct err e = {0};
	int rc;

	if (p->ops == NULL || p->ops->kill == NULL)
		return reply_error(sock, m->id, EPERM, err,
		    "stopping processes is not enabled");
	if (m->u.kill.pid == getpid())
		return reply_error(sock, m->id, EPERM, err,
		    "pid %d is the agent itself", (int)m->u.kill.pid);
	rc = p->ops->kill(
	    p->ops, m->u.kill.pid, m->u.kill.start_ticks, m->u.kill.grace, &e);
	if (rc == -1)
		return reply_error(sock, m->id, e.code, err, "%s", e.msg);
	d.result = rc;
	return priv_send(sock, PRIV_DONE, m->id, &d, sizeof(d), -1, err);
}

/* The answers of some 60 KiB, built one at a time: one buffer. */
static union {
	struct priv_linked linked;
	struct priv_exefacts facts;
} big_rep;

/* Each pid's link asked, as readlink(2) gives it: no /proc text read. */
static int
serve_links(int sock, const struct priv_msg *m, struct err *err)
{
	static const char *const names[PRIV_LINK_N] = {"exe", "cwd"};
	struct priv_linked *const rep = &big_rep.linked;
	const struct priv_links_req *q = &m->u.links;

	memset(rep, 0, offsetof(struct priv_linked, l));
	rep->link = q->link;
	rep->n = q->n;
	for (uint32_t i = 0; i < q->n; i++) {
		struct priv_link_rep *r = &rep->l[i];
		char path[64];
		ssize_t n;

		memset(r, 0, offsetof(struct priv_link_rep, link));
		r->pid = q->pid[i];
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)q->pid[i],
		    names[q->link]);
		n = readlink(path, r->link, sizeof(r->link));
		if (n <= 0)
			r->code = n == 0 ? ENOENT : errno;
		else if ((size_t)n >= sizeof(r->link))
			r->code = ENAMETOOLONG;
		else
			r->len = (uint32_t)n;
	}
	return priv_send(sock, PRIV_LINKED, m->id, rep, sizeof(*rep), -1, err);
}

/* What stat(2) says of path: its errno, or 0 and the fields. */
static int32_t
stat_fields(const char *path, uint64_t *dev, uint64_t *ino, uint32_t *mode,
    uint32_t *uid)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return errno > 0 ? errno : EIO;
	*dev = (uint64_t)st.st_dev;
	*ino = (uint64_t)st.st_ino;
	*mode = (uint32_t)st.st_mode;
	*uid = (uint32_t)st.st_uid;
	return 0;
}

/*
 * One pid's executable: its link (the kernel's " (deleted)" cut off, the
 * only thing looked at in it), and stat(2) of that path and of the
 * directory before its last '/'.
 */
static void
exe_fact(int pid, struct priv_exefact *f)
{
	static const char deleted[] = " (deleted)";
	const size_t dl = sizeof(deleted) - 1;
	char proc[64], path[PRIV_LINK_MAX + 1], *slash;
	ssize_t n;

	memset(f, 0, offsetof(struct priv_exefact, link));
	f->pid = pid;
	snprintf(proc, sizeof(proc), "/proc/%d/exe", pid);
	n = readlink(proc, f->link, sizeof(f->link));
	if (n <= 0) {
		f->code = n == 0 ? ENOENT : errno;
		return;
	}
	if ((size_t)n >= sizeof(f->link)) {
		f->code = ENAMETOOLONG;
		return;
	}
	if ((size_t)n > dl && memcmp(f->link + n - dl, deleted, dl) == 0) {
		f->deleted = 1;
		n -= (ssize_t)dl;
	}
	f->len = (uint32_t)n;
	memcpy(path, f->link, (size_t)n);
	path[n] = '\0';
	f->file_code = stat_fields(path, &f->dev, &f->ino, &f->mode, &f->uid);
	if ((slash = strrchr(path, '/')) == NULL) {
		f->dir_code = ENOENT;
		return;
	}
	slash[slash == path] = '\0';
	f->dir_code = stat_fields(
	    path, &f->dir_dev, &f->dir_ino, &f->dir_mode, &f->dir_uid);
}

static int
serve_exefacts(int sock, const struct priv_msg *m, struct err *err)
{
	struct priv_exefacts *const rep = &big_rep.facts;
	const struct priv_exefacts_req *q = &m->u.exefacts;

	memset(rep, 0, offsetof(struct priv_exefacts, f));
	rep->n = q->n;
	for (uint32_t i = 0; i < q->n; i++)
		exe_fact(q->pid[i], &rep->f[i]);
	return priv_send(sock, PRIV_FACTS, m->id, rep, sizeof(*rep), -1, err);
}

static int
serve_stop(
    struct priv_parent *p, int sock, const struct priv_msg *m, struct err *err)
{
	struct priv_stopped rep;

	if (p->stop == NULL)
		return reply_error(sock, m->id, EPERM, err,
		    "stopping processes is not enabled");
	memset(&rep, 0, sizeof(rep));
	p->stop(p->check_arg, &m->u.stop, &rep);
	return priv_send(sock, PRIV_STOPPED, m->id, &rep, sizeof(rep), -1, err);
}

static int
serve_alert(
    struct priv_parent *p, int sock, const struct priv_msg *m, struct err *err)
{
	struct priv_done d = {0};
	struct err e = {0};

	if (p->alert == NULL)
		return reply_error(sock, m->id, EPERM, err, "no alert actions");
	if ((d.result = p->alert(p->alert_arg, &m->u.alert, &e)) == -1)
		return reply_error(sock, m->id, e.code, err, "%s", e.msg);
	return priv_send(sock, PRIV_DONE, m->id, &d, sizeof(d), -1, err);
}

int
priv_serve(struct priv_parent *p, const char *child, int sock,
    const struct priv_msg *m, struct err *err)
{
	switch (m->type) {
	case PRIV_OPEN:
		return serve_open(p, sock, m, err);
	case PRIV_BLOCK:
		return serve_block(p, child, sock, m, err);
	case PRIV_KILL:
		return serve_kill(p, sock, m, err);
	case PRIV_ALERT:
		return serve_alert(p, sock, m, err);
	case PRIV_LINKS:
		return serve_links(sock, m, err);
	case PRIV_STOP:
		return serve_stop(p, sock, m, err);
	case PRIV_EXEFACTS:
		return serve_exefacts(sock, m, err);
	case PRIV_NOTE:
		if (p->note != NULL)
			p->note(p->note_arg, child, m->u.text);
		return 0;
	case PRIV_FINDING:
		if (p->finding != NULL)
			p->finding(p->finding_arg, child, &m->u.finding);
		return 0;
	case PRIV_PROGRESS:
		if (p->progress != NULL)
			p->progress(p->finding_arg, child, &m->u.progress);
		return 0;
	case PRIV_SHOWN:
		if (p->shown != NULL)
			p->shown(p->finding_arg, child, m->id, &m->u.shown);
		return 0;
	case PRIV_HTTP:
		if (p->http == NULL)
			return reply_error(sock, m->id, EPERM, err,
			    "child '%s' may not ask for HTTP answers", child);
		return p->http(p->http_arg, sock, m->id, &m->u.http, err);
	case PRIV_CHECKED:
		if (p->checked != NULL)
			p->checked(p->check_arg, m->id, &m->u.checked);
		return 0;
	case PRIV_RAN:
		if (p->ran != NULL)
			p->ran(p->check_arg, m->id, &m->u.ran);
		return 0;
	case PRIV_SAMPLES:
		if (p->samples != NULL)
			p->samples(p->check_arg, m->id, &m->u.points);
		return 0;
	default:
		return reply_error(sock, m->id, EPROTO, err,
		    "'%s' is not a request", priv_type_name(m->type));
	}
}
