/*
 * mail_hist.c - the mail rules' history in the state database (see
 * mail_hist.h).
 */
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "base/err.h"
#include "mail/mail_hist.h"

static const char *const steps[] = {
    "CREATE TABLE mail_domain_day ("
    " domain TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (domain, day));"
    "CREATE TABLE mail_volume_day ("
    " kind INTEGER NOT NULL, name TEXT NOT NULL, day INTEGER NOT NULL,"
    " rcpts INTEGER NOT NULL, PRIMARY KEY (kind, name, day));",
};

int
mail_hist_open(
    struct mail_hist *h, const char *state_dir, int create, struct err *err)
{
	(void)create;
	memset(h, 0, sizeof(*h));
	if (store_open(&h->st, state_dir, err) == -1)
		return -1;
	if (store_migrate(&h->st, "mail", steps, 1, err) == -1 ||
	    (h->q_usual = store_prepare(&h->st,
	         "SELECT count(*) FROM mail_domain_day WHERE domain = ?1"
	         " AND (day < ?2 OR day > ?3)",
	         err)) == NULL ||
	    (h->q_volume = store_prepare(&h->st,
	         "SELECT avg(rcpts), count(*) FROM mail_volume_day"
	         " WHERE kind = ?1 AND name = ?2 AND (day < ?3 OR day > ?4)",
	         err)) == NULL) {
		mail_hist_close(h);
		return -1;
	}
	return 0;
}

void
mail_hist_close(struct mail_hist *h)
{
	sqlite3_finalize(h->q_usual);
	sqlite3_finalize(h->q_volume);
	h->q_usual = h->q_volume = NULL;
	store_close(&h->st);
}

static int
hist_usual(void *arg, const char *domain)
{
	struct mail_hist *h = arg;
	int days = 0;

	sqlite3_reset(h->q_usual);
	sqlite3_bind_text(h->q_usual, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(h->q_usual, 2, h->day_lo);
	sqlite3_bind_int64(h->q_usual, 3, h->day_hi);
	if (sqlite3_step(h->q_usual) == SQLITE_ROW)
		days = sqlite3_column_int(h->q_usual, 0);
	sqlite3_reset(h->q_usual);
	return days >= 2;
}

static double
hist_volume(void *arg, enum mail_pkind k, const char *name)
{
	struct mail_hist *h = arg;
	double avg = -1;

	sqlite3_reset(h->q_volume);
	sqlite3_bind_int(h->q_volume, 1, (int)k);
	sqlite3_bind_text(h->q_volume, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(h->q_volume, 3, h->day_lo);
	sqlite3_bind_int64(h->q_volume, 4, h->day_hi);
	if (sqlite3_step(h->q_volume) == SQLITE_ROW &&
	    sqlite3_column_int(h->q_volume, 1) >= 3)
		avg = sqlite3_column_double(h->q_volume, 0);
	sqlite3_reset(h->q_volume);
	return avg;
}

void
mail_hist_policy(
    struct mail_hist *h, const struct mail_stats *s, struct mail_policy *p)
{
	h->day_lo = (int64_t)s->first / 86400;
	h->day_hi = (int64_t)s->last / 86400;
	p->hist = h;
	p->hist_usual = hist_usual;
	p->hist_volume = hist_volume;
}

struct learn_ctx {
	struct mail_hist *h;
	sqlite3_stmt *st;
	struct hmap good; /* domain hashes sent to by unflagged principals */
	int kind;
	int64_t day;
	double days;
	int rc;
};

static int
collect_good(struct hmap_entry *e, void *arg)
{
	struct learn_ctx *c = arg;
	struct mail_who *w = e->val.p;

	if (w->flagged)
		return 0;
	for (uint32_t i = 0; i < w->capd; i++)
		if (w->d[i].h != 0)
			(void)hmap_put(
			    &c->good, &w->d[i].h, sizeof(w->d[i].h), NULL);
	return 0;
}

static int
learn_domain(struct hmap_entry *e, void *arg)
{
	struct learn_ctx *c = arg;
	const struct mail_count *n = e->val.p;
	uint64_t h = mail_domain_hash(e->key, e->klen);

	if (e->klen == 0 || hmap_get(&c->good, &h, sizeof(h)) == NULL)
		return 0;
	sqlite3_reset(c->st);
	sqlite3_bind_text(c->st, 1, e->key, (int)e->klen, SQLITE_STATIC);
	sqlite3_bind_int64(c->st, 2, c->day);
	sqlite3_bind_int64(c->st, 3, (sqlite3_int64)n->n);
	if (sqlite3_step(c->st) != SQLITE_DONE)
		c->rc = -1;
	return c->rc;
}

static int
learn_volume(struct hmap_entry *e, void *arg)
{
	struct learn_ctx *c = arg;
	struct mail_who *w = e->val.p;

	if (w->flagged || w->out_rcpts == 0)
		return 0;
	sqlite3_reset(c->st);
	sqlite3_bind_int(c->st, 1, c->kind);
	sqlite3_bind_text(c->st, 2, e->key, (int)e->klen, SQLITE_STATIC);
	sqlite3_bind_int64(c->st, 3, c->day);
	sqlite3_bind_int64(
	    c->st, 4, (sqlite3_int64)((double)w->out_rcpts / c->days + 0.5));
	if (sqlite3_step(c->st) != SQLITE_DONE)
		c->rc = -1;
	return c->rc;
}

int
mail_hist_learn(struct mail_hist *h, struct mail_stats *s, struct err *err)
{
	struct learn_ctx c;

	if (s->last == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	c.h = h;
	c.day = (int64_t)s->last / 86400;
	c.days =
	    s->last > s->first ? (double)(s->last - s->first) / 86400.0 : 1;
	if (c.days < 1)
		c.days = 1;
	hmap_init(&c.good);
	for (int k = 0; k < MAIL_P_N; k++)
		hmap_each(&s->who[k].m, collect_good, &c);
	if (store_begin(&h->st, err) == -1) {
		hmap_release(&c.good);
		return -1;
	}
	c.st = store_prepare(&h->st,
	    "INSERT OR REPLACE INTO mail_domain_day (domain, day, n)"
	    " VALUES (?1, ?2, ?3)",
	    err);
	if (c.st != NULL) {
		hmap_each(&s->rcpt_domains.m, learn_domain, &c);
		sqlite3_finalize(c.st);
		c.st = store_prepare(&h->st,
		    "INSERT OR REPLACE INTO mail_volume_day"
		    " (kind, name, day, rcpts) VALUES (?1, ?2, ?3, ?4)",
		    err);
	}
	if (c.st == NULL)
		c.rc = -1;
	for (int k = 0; c.rc == 0 && k < MAIL_P_N; k++) {
		c.kind = k;
		hmap_each(&s->who[k].m, learn_volume, &c);
	}
	sqlite3_finalize(c.st);
	hmap_release(&c.good);
	if (c.rc == -1) {
		store_rollback(&h->st);
		if (err != NULL && err->msg[0] == '\0')
			err_set(err, EIO, "cannot write the mail history: %s",
			    sqlite3_errmsg(h->st.db));
		return -1;
	}
	return store_commit(&h->st, err);
}
