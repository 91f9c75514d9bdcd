/*
 * problem.c - the problem engine (see problem.h): findings in, alert
 * events out, open problems kept in the state database.
 *
 * Every problem the engine remembers is one struct prob, found by
 * (check, subject) in a hash map and listed in an array.  Its state is
 * pending, open or closed (resolved, kept only for its flapping
 * history); apart from it the engine keeps what was last told (told_open,
 * told_sev), which differs from the state only while it is flapping.
 * Rows are written for the problems that are open or told open, at the
 * end of the call that changed them, all in one transaction; a note that
 * only counts up is written by the next tick or observation.
 */
#include "agent/problem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "store/store.h"

enum pstate {
	P_PENDING,
	P_OPEN,
	P_CLOSED,
};

struct prob {
	uint64_t id;
	char check[64];
	char subject[256];
	char *message; /* heap */
	char *ev;      /* nev pairs "key\0val\0", heap */
	size_t evlen;
	unsigned nev;
	enum sev sev;      /* the condition's severity */
	enum sev told_sev; /* the last severity told */
	enum sev gsev;     /* the worst in the observation being read */
	enum pstate state;
	unsigned told_open : 1; /* an open was told, its resolve not yet */
	unsigned logged : 1;    /* log-derived (problems_note) */
	unsigned flapping : 1;
	unsigned stored : 1; /* has a row */
	unsigned dirty : 1;  /* its row is to be written */
	unsigned dead : 1;   /* to be forgotten at the end of the call */
	uint64_t gen;        /* the last observation it was in */
	time_t first, last, opened;
	time_t clear_since; /* scheduled: first observation without it; 0 */
	time_t flap_last;   /* last state change while flapping */
	uint64_t count;
	struct problem_policy pol;
	unsigned nflap; /* recent state changes, oldest first */
	time_t flap[PROBLEM_FLAP_MAX];
};

struct silence {
	char check[64];
	char subject[256];
	int all; /* every subject of check */
	time_t until;
};

struct problems {
	struct store *st;
	problem_policy_fn policy;
	problem_emit_fn emit;
	void *arg;
	struct hmap map; /* "check\0subject" -> struct prob * */
	struct prob **v;
	size_t n, cap;
	uint64_t next_id, saved_id; /* saved_id: next_id as stored */
	uint64_t gen;
	uint64_t dropped;
	int dirty;        /* some prob is dirty */
	int urgent;       /* ... and must be written before returning */
	struct prob **dv; /* the dirty ones (unless dv_all) */
	size_t ndv, capdv;
	int dv_all; /* dv ran out of memory: look at every one */
	size_t ndead;
	struct silence *sil;
	size_t nsil, capsil;
	int sil_dirty;
};

#define LIMIT_CHECK "agent"
#define LIMIT_SUBJECT "problem-limit"

static const char *const migrations[] = {
    "CREATE TABLE problems ("
    " id INTEGER PRIMARY KEY,"
    " check_id TEXT NOT NULL,"
    " subject TEXT NOT NULL,"
    " sev INTEGER NOT NULL,"
    " told_sev INTEGER NOT NULL,"
    " message TEXT NOT NULL,"
    " evidence TEXT NOT NULL," /* [[key, value], ...] */
    " first INTEGER NOT NULL,"
    " last INTEGER NOT NULL,"
    " opened INTEGER NOT NULL,"
    " count INTEGER NOT NULL,"
    " state INTEGER NOT NULL," /* 1 open, 2 resolved (still told open) */
    " told INTEGER NOT NULL,"  /* the open was told */
    " flapping INTEGER NOT NULL,"
    " logged INTEGER NOT NULL,"
    " flap_last INTEGER NOT NULL," /* last state change while flapping */
    " UNIQUE (check_id, subject));"
    "CREATE TABLE problem_silences ("
    " check_id TEXT NOT NULL,"
    " subject TEXT NOT NULL,"
    " every_subject INTEGER NOT NULL," /* 1: subject is not used */
    " until INTEGER NOT NULL);",
};

static uint64_t
elapsed(time_t from, time_t now)
{
	return now > from ? (uint64_t)(now - from) : 0;
}

void
problem_policy_default(struct problem_policy *p)
{
	int logged = p->logged;

	p->for_secs = 0;
	p->clear_secs = logged ? PROBLEM_CLEAR_LOGGED_SECS : PROBLEM_CLEAR_SECS;
	p->flap_changes = PROBLEM_FLAP_CHANGES;
	p->flap_secs = PROBLEM_FLAP_SECS;
	p->logged = logged;
}

static void
policy_of(struct problems *p, struct prob *pr)
{
	memset(&pr->pol, 0, sizeof(pr->pol));
	pr->pol.logged = pr->logged;
	problem_policy_default(&pr->pol);
	if (p->policy)
		p->policy(p->arg, pr->check, pr->subject, &pr->pol);
	pr->pol.logged = pr->logged;
	if (pr->pol.flap_changes > PROBLEM_FLAP_MAX)
		pr->pol.flap_changes = PROBLEM_FLAP_MAX;
}

static size_t
key_of(char *key, const char *check, const char *subject)
{
	size_t lc = strnlen(check, 63), ls = strnlen(subject, 255);

	memcpy(key, check, lc);
	key[lc] = '\0';
	memcpy(key + lc + 1, subject, ls);
	return lc + 1 + ls;
}

static struct prob *
find(const struct problems *p, const char *check, const char *subject)
{
	char key[64 + 256];
	struct hmap_entry *e =
	    hmap_get(&p->map, key, key_of(key, check, subject));

	return e ? e->val.p : NULL;
}

/* A new problem (with an id), or NULL when out of memory. */
static struct prob *
add(struct problems *p, const char *check, const char *subject, uint64_t id)
{
	char key[64 + 256];
	size_t klen = key_of(key, check, subject);
	struct hmap_entry *e;
	struct prob *pr;
	int created;

	if (mem_grow(&p->v, &p->cap, p->n + 1, sizeof(*p->v)) == -1 ||
	    (pr = calloc(1, sizeof(*pr))) == NULL)
		return NULL;
	if ((e = hmap_put(&p->map, key, klen, &created)) == NULL) {
		free(pr);
		return NULL;
	}
	str_copy(pr->check, sizeof(pr->check), check);
	str_copy(pr->subject, sizeof(pr->subject), subject);
	pr->id = id ? id : p->next_id++;
	if (pr->id >= p->next_id)
		p->next_id = pr->id + 1;
	e->val.p = pr;
	p->v[p->n++] = pr;
	return pr;
}

/* Replaces the message and evidence; 0, or -1 when out of memory. */
static int
set_text(struct prob *pr, const char *message, const struct finding_ev *ev,
    unsigned nev)
{
	struct strbuf sb = STRBUF_INIT(0);
	char *m;

	if (pr->message == NULL || strcmp(pr->message, message) != 0) {
		if ((m = strdup(message)) == NULL)
			return -1;
		free(pr->message);
		pr->message = m;
	}
	if (nev > FINDING_MAX_EV)
		nev = FINDING_MAX_EV;
	for (unsigned i = 0; i < nev; i++) {
		strbuf_add(
		    &sb, ev[i].key, strnlen(ev[i].key, sizeof(ev[i].key)));
		strbuf_addc(&sb, '\0');
		strbuf_add(
		    &sb, ev[i].val, strnlen(ev[i].val, sizeof(ev[i].val)));
		strbuf_addc(&sb, '\0');
	}
	if (strbuf_failed(&sb)) {
		strbuf_release(&sb);
		return -1;
	}
	free(pr->ev);
	pr->evlen = sb.len;
	pr->nev = nev;
	pr->ev = nev ? strbuf_detach(&sb) : NULL;
	strbuf_release(&sb);
	return 0;
}

/* The evidence of pr unpacked into ev; returns how many. */
static unsigned
get_ev(const struct prob *pr, struct finding_ev *ev)
{
	const char *s = pr->ev, *end = pr->ev + pr->evlen;
	unsigned i;

	for (i = 0; i < pr->nev && s && s < end; i++) {
		str_copy(ev[i].key, sizeof(ev[i].key), s);
		s += strlen(s) + 1;
		str_copy(ev[i].val, sizeof(ev[i].val), s < end ? s : "");
		s += s < end ? strlen(s) + 1 : 0;
	}
	return i;
}

static void
forget(struct problems *p, struct prob *pr)
{
	char key[64 + 256];

	hmap_del(&p->map, key, key_of(key, pr->check, pr->subject));
	free(pr->message);
	free(pr->ev);
	free(pr);
}

/* A row: an open problem, or one whose open was told and resolve not. */
static int
persists(const struct prob *pr)
{
	return !pr->dead && (pr->state == P_OPEN || pr->told_open);
}

/* pr is to be forgotten at the end of the call. */
static void
kill_prob(struct problems *p, struct prob *pr)
{
	if (!pr->dead)
		p->ndead++;
	pr->dead = 1;
}

/* pr changed; with urgent, its row is written before the call returns. */
static void
mark(struct problems *p, struct prob *pr, int urgent)
{
	if (p->st == NULL || !(persists(pr) || pr->stored))
		return;
	if (!pr->dirty) {
		if (mem_grow(&p->dv, &p->capdv, p->ndv + 1, sizeof(*p->dv)) ==
		    -1)
			p->dv_all = 1;
		else
			p->dv[p->ndv++] = pr;
	}
	pr->dirty = 1;
	p->dirty = 1;
	if (urgent)
		p->urgent = 1;
}

static int
silenced(
    const struct problems *p, const struct prob *pr, time_t now, time_t *until)
{
	time_t u = 0;

	for (size_t i = 0; i < p->nsil; i++) {
		const struct silence *s = &p->sil[i];

		if (strcmp(s->check, pr->check) == 0 &&
		    (s->all || strcmp(s->subject, pr->subject) == 0) &&
		    s->until > u)
			u = s->until;
	}
	if (until)
		*until = u;
	return u > now;
}

/* Tells kind (unless silenced) and records what was told. */
static void
tell(struct problems *p, struct prob *pr, enum alert_kind kind, time_t now)
{
	struct alert_event e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.problem = pr->id;
	str_copy(e.check, sizeof(e.check), pr->check);
	str_copy(e.subject, sizeof(e.subject), pr->subject);
	str_copy(e.message, sizeof(e.message), pr->message ? pr->message : "");
	e.sev = pr->sev;
	e.prev_sev = kind == ALERT_OPEN ? SEV_OK : pr->told_sev;
	e.time = now;
	e.first = pr->first;
	e.count = pr->count;
	e.nev = get_ev(pr, e.ev);
	switch (kind) {
	case ALERT_OPEN:
		pr->told_open = 1;
		pr->told_sev = pr->sev;
		break;
	case ALERT_CHANGE:
		pr->told_sev = pr->sev;
		break;
	case ALERT_RESOLVE:
		pr->told_open = 0;
		break;
	case ALERT_FLAPPING:
		break;
	}
	mark(p, pr, 1);
	if (!silenced(p, pr, now, NULL) && p->emit)
		p->emit(p->arg, &e);
}

/*
 * The state of pr changed (kind says how): counted for flapping, and
 * told unless it is flapping.  The change that makes flap_changes within
 * flap_secs is told as ALERT_FLAPPING instead.
 */
static void
changed(struct problems *p, struct prob *pr, enum alert_kind kind, time_t now)
{
	const struct problem_policy *pol = &pr->pol;
	unsigned recent = 0;

	mark(p, pr, 1);
	if (pol->flap_changes > 0) {
		if (pr->nflap == PROBLEM_FLAP_MAX) {
			memmove(pr->flap, pr->flap + 1,
			    (PROBLEM_FLAP_MAX - 1) * sizeof(pr->flap[0]));
			pr->nflap--;
		}
		pr->flap[pr->nflap++] = now;
		for (unsigned i = 0; i < pr->nflap; i++)
			if (elapsed(pr->flap[i], now) < pol->flap_secs)
				recent++;
	}
	if (pr->flapping) {
		pr->flap_last = now;
		return;
	}
	if (pol->flap_changes > 0 && recent >= pol->flap_changes) {
		pr->flapping = 1;
		pr->flap_last = now;
		tell(p, pr, ALERT_FLAPPING, now);
		return;
	}
	tell(p, pr, kind, now);
}

/* The severity of an open problem is now sev. */
static void
set_sev(struct problems *p, struct prob *pr, enum sev sev, time_t now)
{
	if (pr->state == P_OPEN && sev != pr->sev) {
		pr->sev = sev;
		changed(p, pr, ALERT_CHANGE, now);
	} else {
		pr->sev = sev;
	}
}

/* The condition holds again for a resolved problem: pending anew. */
static void
reopen(struct prob *pr, time_t now)
{
	pr->state = P_PENDING;
	pr->first = now;
	pr->opened = 0;
	pr->count = 0;
}

/* Advances pr's clocks to now. */
static void
step(struct problems *p, struct prob *pr, time_t now)
{
	const struct problem_policy *pol = &pr->pol;
	uint64_t clear = pol->clear_secs;
	int holding;
	time_t since;

	if (pr->logged) {
		/* a note holds at its time only: clear from the next second */
		if (clear == 0)
			clear = 1;
		since = pr->last;
		holding = elapsed(pr->last, now) < clear;
	} else {
		since = pr->clear_since;
		holding = pr->clear_since == 0;
	}
	switch (pr->state) {
	case P_PENDING:
		if (!holding) {
			kill_prob(p, pr);
			mark(p, pr, 1);
		} else if (elapsed(pr->first, now) >= pol->for_secs) {
			pr->state = P_OPEN;
			pr->opened = now;
			changed(p, pr, ALERT_OPEN, now);
		}
		break;
	case P_OPEN:
		if (!holding && elapsed(since, now) >= clear) {
			pr->state = P_CLOSED;
			changed(p, pr, ALERT_RESOLVE, now);
		}
		break;
	case P_CLOSED:
		break;
	}
	if (pr->flapping && elapsed(pr->flap_last, now) >= pol->flap_secs) {
		/* Stable again: tell the state it settled in, if news. */
		pr->flapping = 0;
		pr->nflap = 0;
		mark(p, pr, 1);
		if (pr->state == P_OPEN && !pr->told_open)
			tell(p, pr, ALERT_OPEN, now);
		else if (pr->state == P_OPEN && pr->sev != pr->told_sev)
			tell(p, pr, ALERT_CHANGE, now);
		else if (pr->state != P_OPEN && pr->told_open)
			tell(p, pr, ALERT_RESOLVE, now);
	}
	if (pr->state == P_CLOSED && !pr->flapping &&
	    (pol->flap_changes == 0 || pr->nflap == 0 ||
	        elapsed(pr->flap[pr->nflap - 1], now) >= pol->flap_secs)) {
		kill_prob(p, pr);
		mark(p, pr, 1);
	}
}

/* Evidence as stored: [[key, value], ...]. */
static char *
ev_json(const struct prob *pr)
{
	struct finding_ev ev[FINDING_MAX_EV];
	unsigned n = get_ev(pr, ev);
	json_t *a = json_array();
	char *s;

	for (unsigned i = 0; a && i < n; i++) {
		json_t *kv = json_array();

		json_array_append_new(kv, jstr(ev[i].key));
		json_array_append_new(kv, jstr(ev[i].val));
		json_array_append_new(a, kv);
	}
	s = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return s;
}

static int
put_row(struct problems *p, sqlite3_stmt *put, struct prob *pr, struct err *err)
{
	char *ev = ev_json(pr);
	int rc;

	sqlite3_reset(put);
	sqlite3_bind_int64(put, 1, (sqlite3_int64)pr->id);
	sqlite3_bind_text(put, 2, pr->check, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 3, pr->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int(put, 4, (int)pr->sev);
	sqlite3_bind_int(put, 5, (int)pr->told_sev);
	sqlite3_bind_text(
	    put, 6, pr->message ? pr->message : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 7, ev ? ev : "[]", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(put, 8, (sqlite3_int64)pr->first);
	sqlite3_bind_int64(put, 9, (sqlite3_int64)pr->last);
	sqlite3_bind_int64(put, 10, (sqlite3_int64)pr->opened);
	sqlite3_bind_int64(put, 11, (sqlite3_int64)pr->count);
	sqlite3_bind_int(put, 12, pr->state == P_OPEN ? 1 : 2);
	sqlite3_bind_int(put, 13, pr->told_open);
	sqlite3_bind_int(put, 14, pr->flapping);
	sqlite3_bind_int(put, 15, pr->logged);
	sqlite3_bind_int64(put, 16, (sqlite3_int64)pr->flap_last);
	rc = sqlite3_step(put);
	free(ev);
	if (rc != SQLITE_DONE)
		return store_err(p->st, err, "cannot write a problem");
	return 0;
}

static int
del_row(struct problems *p, sqlite3_stmt *del, uint64_t id, struct err *err)
{
	sqlite3_reset(del);
	sqlite3_bind_int64(del, 1, (sqlite3_int64)id);
	if (sqlite3_step(del) != SQLITE_DONE)
		return store_err(p->st, err, "cannot remove a problem");
	return 0;
}

static int
write_silences(struct problems *p, struct err *err)
{
	sqlite3_stmt *ins;
	int rc = 0;

	if (store_exec(p->st, "DELETE FROM problem_silences", err) == -1)
		return -1;
	ins = store_prepare(p->st,
	    "INSERT INTO problem_silences (check_id, subject, every_subject, "
	    "until) VALUES (?, ?, ?, ?)",
	    err);
	if (ins == NULL)
		return -1;
	for (size_t i = 0; i < p->nsil && rc == 0; i++) {
		const struct silence *s = &p->sil[i];

		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, s->check, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, s->subject, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 3, s->all);
		sqlite3_bind_int64(ins, 4, (sqlite3_int64)s->until);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = store_err(p->st, err, "cannot write a silence");
	}
	sqlite3_finalize(ins);
	return rc;
}

/*
 * Writes the dirty rows (all: every dirty one; else only when one is
 * urgent) in one transaction, then forgets the dead problems.
 */
static int
flush(struct problems *p, int all, struct err *err)
{
	sqlite3_stmt *put = NULL, *del = NULL;
	int rc = 0;
	size_t j = 0;

	if (p->st != NULL && (p->urgent || p->sil_dirty || (all && p->dirty))) {
		char idbuf[32];

		put = store_prepare(p->st,
		    "INSERT OR REPLACE INTO problems (id, check_id, subject, "
		    "sev, told_sev, message, evidence, first, last, opened, "
		    "count, state, told, flapping, logged, flap_last) VALUES "
		    "(?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    err);
		del = put ? store_prepare(
		                p->st, "DELETE FROM problems WHERE id = ?", err)
		          : NULL;
		rc = del && store_begin(p->st, err) == 0 ? 0 : -1;
		for (size_t i = 0; i < (p->dv_all ? p->n : p->ndv) && rc == 0;
		     i++) {
			struct prob *pr = p->dv_all ? p->v[i] : p->dv[i];

			if (!pr->dirty)
				continue;
			if (persists(pr)) {
				rc = put_row(p, put, pr, err);
				pr->stored = 1;
			} else if (pr->stored) {
				rc = del_row(p, del, pr->id, err);
				pr->stored = 0;
			}
			pr->dirty = 0;
		}
		if (rc == 0 && p->sil_dirty)
			rc = write_silences(p, err);
		if (rc == 0 && p->next_id != p->saved_id) {
			snprintf(idbuf, sizeof(idbuf), "%" PRIu64, p->next_id);
			rc = store_kv_set(p->st, "problems", "next-id", idbuf,
			    strlen(idbuf), err);
		}
		if (rc == 0)
			rc = store_commit(p->st, err);
		if (rc == 0) {
			p->saved_id = p->next_id;
			p->ndv = 0;
			p->dv_all = 0;
			p->dirty = 0;
			p->urgent = 0;
			p->sil_dirty = 0;
		} else {
			/* Nothing was written: write every row next time. */
			store_rollback(p->st);
			p->ndv = 0;
			p->dv_all = 1;
			for (size_t i = 0; i < p->n; i++)
				p->v[i]->dirty = !p->v[i]->dead &&
				    (persists(p->v[i]) || p->v[i]->stored);
		}
		sqlite3_finalize(put);
		sqlite3_finalize(del);
	}
	/*
	 * Forget the dead.  One whose row could not be removed leaves the
	 * row behind: after a restart it is open again and resolves at the
	 * first observation that lacks it.
	 */
	if (p->ndead == 0)
		return rc;
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i]->dead)
			forget(p, p->v[i]);
		else
			p->v[j++] = p->v[i];
	}
	p->n = j;
	p->ndead = 0;
	return rc;
}

static int
load(struct problems *p, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(64);
	sqlite3_stmt *sel;
	uint64_t saved = 1;
	int rc;

	if (store_migrate(
	        p->st, "problems", migrations, countof(migrations), err) == -1)
		return -1;
	rc = store_kv_get(p->st, "problems", "next-id", &sb, err);
	if (rc == -1) {
		strbuf_release(&sb);
		return -1;
	}
	if (rc == 0)
		saved = strtoull(strbuf_str(&sb), NULL, 10);
	strbuf_release(&sb);
	if (saved > p->next_id)
		p->next_id = saved;
	sel = store_prepare(p->st,
	    "SELECT id, check_id, subject, sev, told_sev, message, evidence, "
	    "first, last, opened, count, state, told, flapping, logged, "
	    "flap_last "
	    "FROM problems ORDER BY id",
	    err);
	if (sel == NULL)
		return -1;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *check = (const char *)sqlite3_column_text(sel, 1);
		const char *subject = (const char *)sqlite3_column_text(sel, 2);
		const char *msg = (const char *)sqlite3_column_text(sel, 5);
		const char *evs = (const char *)sqlite3_column_text(sel, 6);
		struct finding_ev ev[FINDING_MAX_EV];
		unsigned nev = 0;
		struct prob *pr;
		json_t *a;
		int64_t id = sqlite3_column_int64(sel, 0);

		if (id <= 0 || check == NULL || subject == NULL ||
		    find(p, check, subject) != NULL)
			continue;
		if ((pr = add(p, check, subject, (uint64_t)id)) == NULL) {
			sqlite3_finalize(sel);
			return err_set(err, ENOMEM, "out of memory");
		}
		pr->sev = (enum sev)(sqlite3_column_int(sel, 3) & 3);
		pr->told_sev = (enum sev)(sqlite3_column_int(sel, 4) & 3);
		a = evs ? json_loads(evs, 0, NULL) : NULL;
		for (size_t i = 0; json_is_array(a) && i < json_array_size(a) &&
		     nev < FINDING_MAX_EV;
		     i++) {
			json_t *kv = json_array_get(a, i);
			const char *k =
			    json_string_value(json_array_get(kv, 0));
			const char *v =
			    json_string_value(json_array_get(kv, 1));

			if (k == NULL || v == NULL)
				continue;
			str_copy(ev[nev].key, sizeof(ev[nev].key), k);
			str_copy(ev[nev].val, sizeof(ev[nev].val), v);
			nev++;
		}
		json_decref(a);
		if (set_text(pr, msg ? msg : "", ev, nev) == -1) {
			sqlite3_finalize(sel);
			return err_set(err, ENOMEM, "out of memory");
		}
		pr->first = (time_t)sqlite3_column_int64(sel, 7);
		pr->last = (time_t)sqlite3_column_int64(sel, 8);
		pr->opened = (time_t)sqlite3_column_int64(sel, 9);
		pr->count = (uint64_t)sqlite3_column_int64(sel, 10);
		pr->state =
		    sqlite3_column_int(sel, 11) == 1 ? P_OPEN : P_CLOSED;
		pr->told_open = sqlite3_column_int(sel, 12) != 0;
		pr->flapping = sqlite3_column_int(sel, 13) != 0;
		pr->logged = sqlite3_column_int(sel, 14) != 0;
		pr->flap_last = (time_t)sqlite3_column_int64(sel, 15);
		pr->stored = 1;
		policy_of(p, pr);
	}
	sqlite3_finalize(sel);
	if (rc != SQLITE_DONE)
		return store_err(p->st, err, "cannot read the problems");
	sel = store_prepare(p->st,
	    "SELECT check_id, subject, every_subject, until "
	    "FROM problem_silences",
	    err);
	if (sel == NULL)
		return -1;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW &&
	    p->nsil < PROBLEMS_MAX_SILENCES) {
		const char *check = (const char *)sqlite3_column_text(sel, 0);
		const char *subject = (const char *)sqlite3_column_text(sel, 1);
		struct silence *s;

		if (check == NULL || subject == NULL)
			continue;
		if (mem_grow(&p->sil, &p->capsil, p->nsil + 1,
		        sizeof(*p->sil)) == -1) {
			sqlite3_finalize(sel);
			return err_set(err, ENOMEM, "out of memory");
		}
		s = &p->sil[p->nsil++];
		memset(s, 0, sizeof(*s));
		str_copy(s->check, sizeof(s->check), check);
		s->all = sqlite3_column_int(sel, 2) != 0;
		str_copy(s->subject, sizeof(s->subject), subject);
		s->until = (time_t)sqlite3_column_int64(sel, 3);
	}
	sqlite3_finalize(sel);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_err(p->st, err, "cannot read the silences");
	p->saved_id = p->next_id;
	return 0;
}

struct problems *
problems_new(struct store *st, problem_policy_fn policy, problem_emit_fn emit,
    void *arg, struct err *err)
{
	struct problems *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	p->st = st;
	p->policy = policy;
	p->emit = emit;
	p->arg = arg;
	p->next_id = 1;
	hmap_init(&p->map);
	if (st != NULL && load(p, err) == -1) {
		problems_free(p);
		return NULL;
	}
	return p;
}

void
problems_free(struct problems *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i]->message);
		free(p->v[i]->ev);
		free(p->v[i]);
	}
	free(p->v);
	free(p->dv);
	free(p->sil);
	hmap_release(&p->map);
	free(p);
}

static struct prob *get(struct problems *p, const char *check,
    const char *subject, int logged, time_t now);

/* Counts one problem not tracked, on the engine's own problem. */
static void
note_dropped(struct problems *p, time_t now)
{
	struct prob *pr;
	char msg[160];

	p->dropped++;
	if ((pr = get(p, LIMIT_CHECK, LIMIT_SUBJECT, 1, now)) == NULL)
		return;
	snprintf(msg, sizeof(msg),
	    "more problems than the %d kept: %" PRIu64 " not tracked",
	    PROBLEMS_MAX, p->dropped);
	pr->count++;
	pr->last = now;
	set_text(pr, msg, NULL, 0);
	set_sev(p, pr, SEV_WARNING, now);
	mark(p, pr, 0);
	step(p, pr, now);
}

/*
 * The problem (check, subject), made pending when new or resolved; NULL
 * when PROBLEMS_MAX are tracked (counted) or memory ran out.
 */
static struct prob *
get(struct problems *p, const char *check, const char *subject, int logged,
    time_t now)
{
	struct prob *pr = find(p, check, subject);
	int limit;

	if (pr != NULL) {
		if (pr->dead) {
			/* forgotten at the end of this call: alive again */
			pr->dead = 0;
			p->ndead--;
			pr->state = P_CLOSED;
		}
		if (pr->state == P_CLOSED)
			reopen(pr, now);
		return pr;
	}
	limit = strcmp(check, LIMIT_CHECK) == 0 &&
	    strcmp(subject, LIMIT_SUBJECT) == 0;
	if (p->n >= PROBLEMS_MAX + (size_t)limit) {
		if (!limit)
			note_dropped(p, now);
		return NULL;
	}
	if ((pr = add(p, check, subject, 0)) == NULL)
		return NULL;
	pr->logged = logged ? 1 : 0;
	pr->state = P_PENDING;
	pr->first = now;
	policy_of(p, pr);
	return pr;
}

static int
covered(const char *check, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], check) == 0)
			return 1;
	return 0;
}

int
problems_observe(struct problems *p, const char *const *ids, size_t n,
    const struct report *r, time_t now, struct err *err)
{
	uint64_t gen = ++p->gen;

	/* The worst finding of each problem in the report. */
	for (size_t i = 0; i < r->nf; i++) {
		const struct finding *f = &r->f[i];
		struct prob *pr;

		if (f->sev == SEV_OK || !covered(f->check, ids, n))
			continue;
		/* a log-derived problem of the same name is the log's */
		pr = find(p, f->check, f->subject);
		if ((pr != NULL && pr->logged) ||
		    (pr = get(p, f->check, f->subject, 0, now)) == NULL)
			continue;
		if (pr->gen != gen) {
			pr->gen = gen;
			pr->gsev = f->sev;
			pr->count++;
		} else if (sev_worse(pr->gsev, f->sev) != pr->gsev) {
			pr->gsev = f->sev;
		} else {
			continue;
		}
		set_text(pr, f->message, f->ev, f->nev);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct prob *pr = p->v[i];

		if (pr->logged || pr->dead || !covered(pr->check, ids, n))
			continue;
		if (pr->gen == gen) {
			pr->last = now;
			pr->clear_since = 0;
			set_sev(p, pr, pr->gsev, now);
			mark(p, pr, 0);
		} else if (pr->clear_since == 0 && pr->state != P_CLOSED) {
			pr->clear_since = now;
			mark(p, pr, 0);
		}
	}
	return problems_tick(p, now, err);
}

int
problems_note(
    struct problems *p, const struct finding *f, time_t now, struct err *err)
{
	struct prob *pr;

	(void)err; /* written by problems_flush */
	if (f->sev == SEV_OK)
		return 0;
	pr = find(p, f->check, f->subject);
	if (pr != NULL && !pr->logged)
		return 0; /* a scheduled check's problem of the same name */
	if ((pr = get(p, f->check, f->subject, 1, now)) != NULL) {
		pr->count++;
		pr->last = now;
		/* a log says what happened: the worst of the notes counts */
		if (pr->count == 1)
			pr->sev = f->sev;
		if (pr->count == 1 || sev_worse(pr->sev, f->sev) == f->sev)
			set_text(pr, f->message, f->ev, f->nev);
		set_sev(p, pr, sev_worse(pr->sev, f->sev), now);
		mark(p, pr, 0);
		step(p, pr, now);
	}
	return 0;
}

int
problems_flush(struct problems *p, struct err *err)
{
	return flush(p, 1, err);
}

int
problems_tick(struct problems *p, time_t now, struct err *err)
{
	size_t j = 0;

	for (size_t i = 0; i < p->nsil; i++) {
		if (p->sil[i].until <= now)
			p->sil_dirty = 1;
		else
			p->sil[j++] = p->sil[i];
	}
	p->nsil = j;
	for (size_t i = 0; i < p->n; i++)
		if (!p->v[i]->dead)
			step(p, p->v[i], now);
	return flush(p, 1, err);
}

int
problems_silence(struct problems *p, const char *check, const char *subject,
    time_t until, struct err *err)
{
	struct silence *s = NULL;

	for (size_t i = 0; i < p->nsil && s == NULL; i++)
		if (strcmp(p->sil[i].check, check) == 0 &&
		    (subject == NULL ? p->sil[i].all
		                     : !p->sil[i].all &&
		                strcmp(p->sil[i].subject, subject) == 0))
			s = &p->sil[i];
	if (s == NULL) {
		if (p->nsil >= PROBLEMS_MAX_SILENCES)
			return err_set(err, ENOSPC,
			    "too many silences (%d): cannot silence '%s'",
			    PROBLEMS_MAX_SILENCES, check);
		if (mem_grow(&p->sil, &p->capsil, p->nsil + 1,
		        sizeof(*p->sil)) == -1)
			return err_set(err, ENOMEM, "out of memory");
		s = &p->sil[p->nsil++];
		memset(s, 0, sizeof(*s));
		str_copy(s->check, sizeof(s->check), check);
		str_copy(
		    s->subject, sizeof(s->subject), subject ? subject : "");
		s->all = subject == NULL;
	}
	s->until = until;
	p->sil_dirty = 1;
	return flush(p, 0, err);
}

static int
by_id(const void *a, const void *b)
{
	const struct prob *x = *(const struct prob *const *)a;
	const struct prob *y = *(const struct prob *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void
problems_each(const struct problems *p,
    void (*fn)(void *arg, const struct problem_info *i), void *arg)
{
	struct prob **v;
	size_t n = 0;

	if (p->n == 0 || (v = malloc(p->n * sizeof(*v))) == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		if (!p->v[i]->dead && p->v[i]->state != P_CLOSED)
			v[n++] = p->v[i];
	qsort(v, n, sizeof(*v), by_id);
	for (size_t i = 0; i < n; i++) {
		struct problem_info info;

		memset(&info, 0, sizeof(info));
		info.id = v[i]->id;
		str_copy(info.check, sizeof(info.check), v[i]->check);
		str_copy(info.subject, sizeof(info.subject), v[i]->subject);
		str_copy(info.message, sizeof(info.message),
		    v[i]->message ? v[i]->message : "");
		info.sev = v[i]->sev;
		info.open = v[i]->state == P_OPEN;
		info.flapping = v[i]->flapping;
		info.first = v[i]->first;
		info.last = v[i]->last;
		info.opened = v[i]->opened;
		info.count = v[i]->count;
		info.ev = v[i]->ev;
		info.evlen = v[i]->ev ? v[i]->evlen : 0;
		info.nev = v[i]->ev ? v[i]->nev : 0;
		silenced(p, v[i], 0, &info.silenced_until);
		fn(arg, &info);
	}
	free(v);
}

int
problem_info_ev(const struct problem_info *i, unsigned k, const char **key,
    const char **val)
{
	const char *s = i->ev, *end = i->ev + i->evlen;

	if (k >= i->nev || s == NULL)
		return -1;
	for (unsigned j = 0;; j++) {
		const char *kk = s, *vv;

		if (s >= end ||
		    (vv = memchr(s, '\0', (size_t)(end - s))) == NULL)
			return -1;
		vv++;
		if (vv >= end ||
		    (s = memchr(vv, '\0', (size_t)(end - vv))) == NULL)
			return -1;
		s++;
		if (j == k) {
			*key = kk;
			*val = vv;
			return 0;
		}
	}
}

json_t *
problem_info_json(const struct problem_info *i, int with_ev)
{
	json_t *o = json_object(), *ev;
	const char *k, *v;

	if (o == NULL)
		return NULL;
	jset(o, "type", json_string("agent.problem"));
	jset(o, "problem", json_integer((json_int_t)i->id));
	jset(o, "check", jstr(i->check));
	jset(o, "subject", jstr(i->subject));
	jset(o, "severity", json_string(sev_name(i->sev)));
	jset(o, "state", json_string(i->open ? "open" : "pending"));
	jset(o, "flapping", json_boolean(i->flapping));
	jset(o, "message", jstr(i->message));
	jset(o, "first", jtime(i->first));
	jset(o, "last", jtime(i->last));
	jset(o, "opened", jtime(i->opened));
	jset(o, "silenced_until", jtime(i->silenced_until));
	jset(o, "count", json_integer((json_int_t)i->count));
	if (with_ev && (ev = json_object()) != NULL) {
		for (unsigned n = 0; problem_info_ev(i, n, &k, &v) == 0; n++)
			if (json_object_get(ev, k) == NULL)
				json_object_set_new(ev, k, jvalue(v));
		jset(o, "evidence", ev);
	}
	return o;
}

size_t
problems_open(const struct problems *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += !p->v[i]->dead && p->v[i]->state == P_OPEN;
	return n;
}

void
problems_policy_changed(struct problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		policy_of(p, p->v[i]);
}

uint64_t
problems_dropped(const struct problems *p)
{
	return p->dropped;
}
