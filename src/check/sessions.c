/*
 * sessions.c - the sessions check (see sessions.h).
 */
#include "check/sessions.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "check/check.h"
#include "collect/utmp.h"
#include "conf/conf.h"
#include "net/addr.h"
#include "store/store.h"

#define FROM_MAX 256 /* prefixes in "from" */
#define WTMP_PATH "/var/log/wtmp"
#define WTMP_READ_MAX (1u << 20) /* bytes of wtmp read a run */

static const char *const migrations[] = {
    /* kind: "user" or "address" */
    "CREATE TABLE sessions_seen (kind TEXT NOT NULL, name TEXT NOT NULL, "
    "first INTEGER NOT NULL, PRIMARY KEY (kind, name));"
    /* the sessions that were new, while they last */
    "CREATE TABLE sessions_new (user TEXT NOT NULL, line TEXT NOT NULL, "
    "host TEXT NOT NULL, login INTEGER NOT NULL, new_user INTEGER NOT NULL, "
    "new_address INTEGER NOT NULL, live INTEGER NOT NULL DEFAULT 1, "
    "PRIMARY KEY (user, line, host, login));",
};

/* The configured lists. */
struct allow {
	const struct conf_node *users; /* NULL: any user */
	struct net_prefix from[FROM_MAX];
	size_t nfrom;
	int have_from;
};

/* One session as the check sees it. */
struct sess {
	const struct session *s;
	char addr[NET_PREFIX_STRLEN > 257 ? NET_PREFIX_STRLEN : 257];
	int remote;  /* from another host (addr is its address or name) */
	int have_ip; /* ip is the address */
	struct net_prefix ip;
	int new_user, new_addr;
	int ended; /* only in wtmp: logged in and out since the last look */
};

static int
allow_load(const struct conf *c, struct allow *a, struct err *err)
{
	const struct conf_node *blk = conf_check(c, "sessions", NULL);
	const struct conf_node *from = conf_find(blk, "from");

	memset(a, 0, sizeof(*a));
	a->users = conf_find(blk, "users");
	if (from == NULL)
		return 0;
	a->have_from = 1;
	for (size_t i = 0; i < from->nvals && a->nfrom < FROM_MAX; i++) {
		const char *v = from->vals[i].str;

		if (net_prefix_parse(v, strlen(v), &a->from[a->nfrom], err) ==
		    -1)
			return err_prefix(err, "sessions: from");
		a->nfrom++;
	}
	return 0;
}

static int
user_allowed(const struct allow *a, const char *user)
{
	if (a->users == NULL)
		return 1;
	for (size_t i = 0; i < a->users->nvals; i++)
		if (strcmp(a->users->vals[i].str, user) == 0)
			return 1;
	return 0;
}

static int
addr_allowed(const struct allow *a, const struct sess *e)
{
	if (!a->have_from || !e->remote)
		return 1;
	if (!e->have_ip)
		return 0; /* a name: it cannot be placed in a prefix */
	for (size_t i = 0; i < a->nfrom; i++)
		if (net_prefix_contains(&a->from[i], &e->ip))
			return 1;
	return 0;
}

/*
 * Where a session comes from: utmp's address when it has one, else its
 * host field when that is an address or a name; a local session (a
 * console, an X display ":0") comes from nowhere.
 */
static void
sess_from(const struct session *s, struct sess *e)
{
	struct err err = {0};

	memset(e, 0, sizeof(*e));
	e->s = s;
	if (s->addr_family != 0) {
		net_prefix_from_bytes(&e->ip, s->addr_family, s->addr);
		e->have_ip = e->remote = 1;
		net_prefix_format(&e->ip, e->addr, sizeof(e->addr));
		return;
	}
	if (s->host[0] == '\0' || s->host[0] == ':')
		return;
	e->remote = 1;
	str_copy(e->addr, sizeof(e->addr), s->host);
	if (net_prefix_parse(s->host, strlen(s->host), &e->ip, &err) == 0 &&
	    net_prefix_is_host(&e->ip))
		e->have_ip = 1;
}

/* The state: statements on the open database. */
struct seen_db {
	struct store st;
	sqlite3_stmt *sel_seen, *ins_seen, *sel_new, *ins_new, *live;
};

static void
db_close(struct seen_db *d)
{
	sqlite3_finalize(d->sel_seen);
	sqlite3_finalize(d->ins_seen);
	sqlite3_finalize(d->sel_new);
	sqlite3_finalize(d->ins_new);
	sqlite3_finalize(d->live);
	store_close(&d->st);
}

static int
db_open(struct seen_db *d, const char *state_dir, struct err *err)
{
	memset(d, 0, sizeof(*d));
	if (store_open(&d->st, state_dir, err) == -1)
		return -1;
	if (store_migrate(&d->st, "sessions", migrations, 1, err) == -1)
		goto fail;
	if ((d->sel_seen = store_prepare(&d->st,
	         "SELECT 1 FROM sessions_seen WHERE kind = ? AND name = ?",
	         err)) == NULL ||
	    (d->ins_seen = store_prepare(&d->st,
	         "INSERT OR IGNORE INTO sessions_seen (kind, name, first) "
	         "VALUES (?, ?, ?)",
	         err)) == NULL ||
	    (d->sel_new = store_prepare(&d->st,
	         "SELECT new_user, new_address FROM sessions_new WHERE "
	         "user = ? AND line = ? AND host = ? AND login = ?",
	         err)) == NULL ||
	    (d->ins_new = store_prepare(&d->st,
	         "INSERT OR REPLACE INTO sessions_new (user, line, host, "
	         "login, new_user, new_address, live) "
	         "VALUES (?, ?, ?, ?, ?, ?, 1)",
	         err)) == NULL ||
	    (d->live = store_prepare(&d->st,
	         "UPDATE sessions_new SET live = 1 WHERE user = ? AND "
	         "line = ? AND host = ? AND login = ?",
	         err)) == NULL)
		goto fail;
	return 0;
fail:
	db_close(d);
	return -1;
}

static void
bind_session(sqlite3_stmt *q, const struct session *s)
{
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, s->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, s->line, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, s->host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)s->login);
}

/* 1 when (kind, name) was seen before; records it as seen now. */
static int
seen(struct seen_db *d, const char *kind, const char *name, time_t now,
    struct err *err)
{
	int rc;

	sqlite3_reset(d->sel_seen);
	sqlite3_bind_text(d->sel_seen, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(d->sel_seen, 2, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(d->sel_seen);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return store_err(&d->st, err, "cannot read the seen logins");
	sqlite3_reset(d->ins_seen);
	sqlite3_bind_text(d->ins_seen, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(d->ins_seen, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(d->ins_seen, 3, (sqlite3_int64)now);
	if (sqlite3_step(d->ins_seen) != SQLITE_DONE)
		return store_err(&d->st, err, "cannot record a seen login");
	return 0;
}

/*
 * Sets e's new_user and new_addr: kept from the session's first run when
 * it was new then, else whether its user and address were seen before
 * (and they are seen from now on).  0, or -1 with err.
 */
static int
newness(struct seen_db *d, struct sess *e, time_t now, struct err *err)
{
	const struct session *s = e->s;
	int rc, u, a = 1;

	bind_session(d->sel_new, s);
	rc = sqlite3_step(d->sel_new);
	if (rc == SQLITE_ROW) {
		e->new_user = sqlite3_column_int(d->sel_new, 0);
		e->new_addr = sqlite3_column_int(d->sel_new, 1);
		bind_session(d->live, s);
		if (sqlite3_step(d->live) != SQLITE_DONE)
			return store_err(
			    &d->st, err, "cannot update a session");
		return 0;
	}
	if (rc != SQLITE_DONE)
		return store_err(&d->st, err, "cannot read the new sessions");
	if ((u = seen(d, "user", s->user, now, err)) == -1)
		return -1;
	if (e->remote && (a = seen(d, "address", e->addr, now, err)) == -1)
		return -1;
	e->new_user = !u;
	e->new_addr = !a;
	if (!e->new_user && !e->new_addr)
		return 0;
	bind_session(d->ins_new, s);
	sqlite3_bind_int(d->ins_new, 5, e->new_user);
	sqlite3_bind_int(d->ins_new, 6, e->new_addr);
	if (sqlite3_step(d->ins_new) != SQLITE_DONE)
		return store_err(&d->st, err, "cannot record a new session");
	return 0;
}

static void
report_session(struct report *r, const struct sess *e, const struct allow *a)
{
	const struct session *s = e->s;
	int bad_user = !user_allowed(a, s->user);
	int bad_addr = !addr_allowed(a, e);
	int new_user = a->users == NULL && e->new_user;
	int new_addr = e->remote && !a->have_from && e->new_addr;
	char when[32], subj[256];
	char why[256] = "";
	enum sev sev;
	struct finding *f;
	struct tm tm;
	time_t login = s->login;

	if (bad_user || bad_addr)
		sev = SEV_CRITICAL;
	else if (new_user || new_addr)
		sev = SEV_WARNING;
	else
		return;
	gmtime_r(&login, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (e->remote)
		str_printf(subj, sizeof(subj), "%s %s from %s at %s", s->user,
		    s->line, e->addr, when);
	else
		str_printf(
		    subj, sizeof(subj), "%s %s at %s", s->user, s->line, when);
	str_printf(why, sizeof(why), "%s%s%s%s%s",
	    bad_user ? "; the user is not on the allowed list" : "",
	    bad_addr ? "; the address is outside the allowed prefixes" : "",
	    new_user ? "; the first login by this user" : "",
	    new_addr ? "; the first login from this address" : "",
	    e->ended ? "; logged out again since the last look" : "");
	f = report_add(r, sev, "sessions", subj,
	    "login by %s on %s%s%s at %s%s", s->user, s->line,
	    e->remote ? " from " : "", e->addr, when, why);
	if (f == NULL)
		return;
	finding_ev(f, "user", "%s", s->user);
	finding_ev(f, "line", "%s", s->line);
	finding_ev(f, "host", "%s", s->host);
	finding_ev(f, "address", "%s", e->addr);
	finding_ev(f, "login", "%s", when);
	finding_ev(f, "pid", "%d", s->pid);
	finding_ev(f, "new_user", "%s", e->new_user ? "yes" : "no");
	finding_ev(f, "new_address", "%s", e->new_addr ? "yes" : "no");
	finding_ev(f, "user_allowed", "%s", bad_user ? "no" : "yes");
	finding_ev(f, "address_allowed", "%s", bad_addr ? "no" : "yes");
	finding_ev(f, "ended", "%s", e->ended ? "yes" : "no");
}

static int
by_login(const void *a, const void *b)
{
	const struct sess *x = a, *y = b;

	if (x->s->login != y->s->login)
		return x->s->login < y->s->login ? -1 : 1;
	return strcmp(x->s->line, y->s->line);
}

/* Where wtmp stands: its identity and size (all 0: there is none). */
struct wtmp_at {
	uint64_t dev, ino, size;
};

/* The bookmark kept in the database: where the last look stopped. */
struct wtmp_bm {
	uint64_t dev, ino, off;
};

static void
wtmp_stat(const char *root, struct wtmp_at *w)
{
	char path[PATH_MAX];
	struct stat st;

	memset(w, 0, sizeof(*w));
	if (path_join(path, sizeof(path), root, WTMP_PATH) == 0 &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		w->dev = (uint64_t)st.st_dev;
		w->ino = (uint64_t)st.st_ino;
		w->size = (uint64_t)st.st_size;
	}
}

/*
 * The login records appended to wtmp since the bookmark, into out (at
 * most WTMP_READ_MAX bytes a run; the rest next time), and the bookmark
 * moved past them.  The first look only sets the bookmark at the end:
 * the history before it is not news.  A new file (rotated) is read from
 * its start.  0, or -1 with err.
 */
static int
wtmp_new(struct seen_db *d, const char *root, const struct wtmp_at *w,
    struct sessions *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(64);
	struct wtmp_bm bm = {0};
	char path[PATH_MAX];
	size_t want;
	ssize_t got;
	char *buf;
	int rc, fd;

	memset(out, 0, sizeof(*out));
	if (w->ino == 0)
		return 0;
	rc = store_kv_get(&d->st, "sessions", "wtmp", &sb, err);
	if (rc == 0 && sb.len == sizeof(bm))
		memcpy(&bm, sb.p, sizeof(bm));
	strbuf_release(&sb);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		bm.dev = w->dev;
		bm.ino = w->ino;
		bm.off = w->size - w->size % sizeof(struct utmp);
		return store_kv_set(
		    &d->st, "sessions", "wtmp", &bm, sizeof(bm), err);
	}
	if (bm.dev != w->dev || bm.ino != w->ino || bm.off > w->size) {
		bm.dev = w->dev;
		bm.ino = w->ino;
		bm.off = 0;
	}
	want = (size_t)(w->size - bm.off < WTMP_READ_MAX ? w->size - bm.off
	                                                 : WTMP_READ_MAX);
	want -= want % sizeof(struct utmp);
	if (want == 0)
		return 0;
	if (path_join(path, sizeof(path), root, WTMP_PATH) == -1)
		return err_set(err, ENAMETOOLONG, "path too long");
	if ((buf = malloc(want)) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (got = pread(fd, buf, want, (off_t)bm.off)) < 0) {
		err_set(
		    err, errno, "cannot read '%s': %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(buf);
		return -1;
	}
	close(fd);
	got -= got % (ssize_t)sizeof(struct utmp);
	rc = utmp_parse(buf, (size_t)got, out, err);
	free(buf);
	if (rc == -1)
		return -1;
	bm.off += (uint64_t)got;
	return store_kv_set(&d->st, "sessions", "wtmp", &bm, sizeof(bm), err);
}

static int
same_session(const struct session *a, const struct session *b)
{
	return a->login == b->login && strcmp(a->user, b->user) == 0 &&
	    strcmp(a->line, b->line) == 0 && strcmp(a->host, b->host) == 0;
}

/*
 * Adds to *v (n of them) the sessions of ended that utmp no longer
 * holds: they logged in and out since the last look.  0, or -1 with err.
 */
static int
add_ended(
    struct sess **v, size_t *n, const struct sessions *ended, struct err *err)
{
	size_t cur = *n, cap = *n;

	for (size_t i = 0; i < ended->n; i++) {
		const struct session *s = &ended->s[i];
		size_t j = 0;

		while (j < cur && !same_session((*v)[j].s, s))
			j++;
		if (j < cur)
			continue; /* still logged in: utmp tells it */
		if (mem_grow(v, &cap, *n + 1, sizeof(**v)) == -1)
			return err_set(err, ENOMEM, "out of memory");
		sess_from(s, &(*v)[*n]);
		(*v)[*n].ended = 1;
		(*n)++;
	}
	return 0;
}

/*
 * Notes each session's newness in the database, in one transaction;
 * adds the sessions that began and ended since the last look (wtmp,
 * their records kept in ended) to *v.
 */
static int
note_all(const struct check_ctx *x, const struct wtmp_at *w, struct sess **v,
    size_t *n, struct sessions *ended, struct err *err)
{
	struct seen_db d;

	if (db_open(&d, x->state_dir, err) == -1)
		return -1;
	if (store_begin(&d.st, err) == -1 ||
	    store_exec(&d.st, "UPDATE sessions_new SET live = 0", err) == -1 ||
	    wtmp_new(&d, x->root, w, ended, err) == -1 ||
	    add_ended(v, n, ended, err) == -1)
		goto fail;
	if (*n > 0)
		qsort(*v, *n, sizeof(**v), by_login);
	for (size_t i = 0; i < *n; i++)
		if (newness(&d, &(*v)[i], x->now, err) == -1)
			goto fail;
	/* the sessions that ended are forgotten */
	if (store_exec(&d.st, "DELETE FROM sessions_new WHERE live = 0", err) ==
	        -1 ||
	    store_commit(&d.st, err) == -1)
		goto fail;
	db_close(&d);
	return 0;
fail:
	store_rollback(&d.st);
	db_close(&d);
	return -1;
}

/*
 * The agent's memory between runs: what the sessions of the last run
 * were (a hash, with wtmp's size) and their newness, so that an
 * unchanged utmp and wtmp cost no database work.  One allocation: free() frees it.
 */
struct sess_memo {
	uint64_t key;
	size_t n;
	unsigned char bits[]; /* new_user | new_addr << 1, in login order */
};

static uint64_t
memo_key(const char *state_dir, const struct wtmp_at *w, const struct sess *v,
    size_t n)
{
	uint64_t h = hash_bytes(hash_seed(), state_dir, strlen(state_dir));

	h = hash_bytes(h, w, sizeof(*w));
	for (size_t i = 0; i < n; i++) {
		const struct session *s = v[i].s;

		h = hash_bytes(h, s->user, strlen(s->user) + 1);
		h = hash_bytes(h, s->line, strlen(s->line) + 1);
		h = hash_bytes(h, s->host, strlen(s->host) + 1);
		h = hash_bytes(h, s->addr, sizeof(s->addr));
		h = hash_u64(h, (uint64_t)s->login);
	}
	return hash_u64(h, n);
}

/* 1 when the memo has the newness of these sessions (filled in v). */
static int
memo_recall(void **memo, uint64_t key, struct sess *v, size_t n)
{
	const struct sess_memo *m = memo != NULL ? *memo : NULL;

	if (m == NULL || m->key != key || m->n != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		v[i].new_user = m->bits[i] & 1;
		v[i].new_addr = (m->bits[i] >> 1) & 1;
	}
	return 1;
}

/* Keeps the newness of v for the next run (without memory: nothing). */
static void
memo_keep(void **memo, uint64_t key, const struct sess *v, size_t n)
{
	struct sess_memo *m;

	if (memo == NULL)
		return;
	free(*memo);
	if ((*memo = m = malloc(sizeof(*m) + n)) == NULL)
		return; /* the next run asks the database */
	m->key = key;
	m->n = n;
	for (size_t i = 0; i < n; i++)
		m->bits[i] = (unsigned char)((v[i].new_user ? 1 : 0) |
		    (v[i].new_addr ? 2 : 0));
}

int
check_sessions(const struct check_ctx *x, struct report *r, struct err *err)
{
	struct allow *a;
	struct sessions ss, ended = {0};
	struct sess *v = NULL;
	struct wtmp_at w;
	uint64_t key;
	size_t n;
	int rc = -1;

	if ((a = malloc(sizeof(*a))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if (allow_load(x->conf, a, err) == -1) {
		free(a);
		return -1;
	}
	if (x->state_dir == NULL && a->users == NULL && !a->have_from) {
		free(a);
		return err_set(err, 0,
		    "no state directory: new users and addresses cannot be "
		    "told from known ones (and no allowed lists are "
		    "configured)");
	}
	if (utmp_read(x->root, x->now, &ss, err) == -1) {
		free(a);
		return -1;
	}
	n = ss.n;
	if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL) {
		err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		sess_from(&ss.s[i], &v[i]);
	if (n > 0)
		qsort(v, n, sizeof(*v), by_login);
	if (x->state_dir != NULL) {
		wtmp_stat(x->root, &w);
		key = memo_key(x->state_dir, &w, v, n);
		if (!memo_recall(x->memo, key, v, n)) {
			if (note_all(x, &w, &v, &n, &ended, err) == -1)
				goto out;
			memo_keep(x->memo, key, v, n);
		}
	}
	for (size_t i = 0; i < n; i++)
		report_session(r, &v[i], a);
	rc = 0;
out:
	free(v);
	sessions_release(&ended);
	sessions_release(&ss);
	free(a);
	return rc;
}
