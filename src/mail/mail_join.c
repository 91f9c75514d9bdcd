/*
 * mail_join.c - join mail events by queue id into message records (see
 * mail_join.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "mail/mail_int.h"
#include "mail/mail_join.h"

#define QMAIL_DLV_MAX 10000

struct qmail_dlv {
	char qid[40];
	char to[256];
	char relay[16];
};

void
mail_copy(char *dst, size_t dstsz, struct mail_span s)
{
	size_t n = s.n < dstsz - 1 ? s.n : dstsz - 1;

	if (n > 0)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
}

void
mail_join_init(
    struct mail_join *j, size_t max_live, const struct mail_join_cb *cb)
{
	memset(j, 0, sizeof(*j));
	hmap_init(&j->byqid);
	hmap_init(&j->qmail_dlv);
	j->max_live = max_live ? max_live : 50000;
	j->cb = *cb;
}

/* The map key: one byte of MTA, then the queue id. */
static size_t
key_of(char *key, size_t keysz, enum mail_mta mta, struct mail_span qid)
{
	size_t n = qid.n < keysz - 1 ? qid.n : keysz - 1;

	key[0] = (char)('0' + mta);
	if (n > 0)
		memcpy(key + 1, qid.p, n);
	return n + 1;
}

static struct mail_msg *
msg_find(struct mail_join *j, enum mail_mta mta, struct mail_span qid)
{
	char key[48];
	size_t kl = key_of(key, sizeof(key), mta, qid);
	struct hmap_entry *e = hmap_get(&j->byqid, key, kl);

	return e ? e->val.p : NULL;
}

static void
msg_close(struct mail_join *j, struct mail_msg *m, enum mail_end why)
{
	char key[48];
	size_t kl =
	    key_of(key, sizeof(key), m->mta, span_of(m->qid, strlen(m->qid)));

	if (m->held) {
		struct mail_msg **pp = &j->held;

		while (*pp != m)
			pp = &(*pp)->held_next;
		*pp = m->held_next;
		if (j->held_last == m) {
			j->held_last = NULL;
			for (struct mail_msg *h = j->held; h; h = h->held_next)
				j->held_last = h;
		}
		j->nheld--;
	}
	if (j->cb.end)
		j->cb.end(j->cb.arg, m, why);
	(void)hmap_del(&j->byqid, key, kl);
	if (m->prev)
		m->prev->next = m->next;
	else
		j->oldest = m->next;
	if (m->next)
		m->next->prev = m->prev;
	else
		j->newest = m->prev;
	j->live--;
	free(m->rh);
	free(m);
}

/* A removed postfix message that looks like a notification of ours with
 * no line yet saying so (see mail_join.h). */
static int
may_be_late_notification(const struct mail_msg *m)
{
	return m->mta == MAIL_MTA_POSTFIX && m->has_from && m->null_from &&
	    !m->own_bounce && !m->has_client && !m->local;
}

/* Removed: closes m, or holds it for a late bounce line. */
static void
msg_done(struct mail_join *j, struct mail_msg *m, time_t t)
{
	if (m->held || !may_be_late_notification(m)) {
		msg_close(j, m, MAIL_END_DONE);
		return;
	}
	if (j->nheld >= MAIL_HELD_MAX)
		msg_close(j, j->held, MAIL_END_DONE);
	m->held = 1;
	m->held_at = t;
	m->held_next = NULL;
	if (j->held_last)
		j->held_last->held_next = m;
	else
		j->held = m;
	j->held_last = m;
	j->nheld++;
}

/* Closes the held messages whose time is up at log time t. */
static void
held_expire(struct mail_join *j, time_t t)
{
	while (j->held != NULL && t - j->held->held_at > MAIL_HELD_SECS)
		msg_close(j, j->held, MAIL_END_DONE);
}

/* m, or NULL when m was held: its queue id starts a new message. */
static struct mail_msg *
unheld(struct mail_join *j, struct mail_msg *m)
{
	if (m != NULL && m->held) {
		msg_close(j, m, MAIL_END_DONE);
		return NULL;
	}
	return m;
}

static struct mail_msg *
msg_new(struct mail_join *j, enum mail_mta mta, struct mail_span qid, time_t t)
{
	char key[48];
	size_t kl;
	struct hmap_entry *e;
	struct mail_msg *m;

	if (qid.n == 0)
		return NULL;
	while (j->live >= j->max_live && j->oldest != NULL) {
		j->evicted++;
		msg_close(j, j->oldest, MAIL_END_EVICTED);
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		j->nomem++;
		return NULL;
	}
	kl = key_of(key, sizeof(key), mta, qid);
	e = hmap_put(&j->byqid, key, kl, NULL);
	if (e == NULL) {
		free(m);
		j->nomem++;
		return NULL;
	}
	e->val.p = m;
	m->mta = mta;
	mail_copy(m->qid, sizeof(m->qid), qid);
	m->first = m->last = t;
	m->prev = j->newest;
	if (j->newest)
		j->newest->next = m;
	else
		j->oldest = m;
	j->newest = m;
	j->live++;
	return m;
}

/* The message for ev's queue id, opened (partial) when unknown. */
static struct mail_msg *
msg_get(struct mail_join *j, const struct mail_event *ev, time_t t, int starts)
{
	struct mail_msg *m = msg_find(j, ev->mta, ev->qid);

	if (m == NULL && ev->qid.n > 0) {
		m = msg_new(j, ev->mta, ev->qid, t);
		if (m != NULL && !starts) {
			m->partial = 1;
			j->partial++;
		}
	}
	if (m != NULL && t > m->last)
		m->last = t;
	return m;
}

/* 1 if the recipient is new for m (and remembers it). */
static int
rcpt_first(struct mail_join *j, struct mail_msg *m, struct mail_span to)
{
	uint64_t h = hash_bytes(hash_seed(), to.p, to.n);

	for (uint32_t i = 0; i < m->nrh; i++)
		if (m->rh[i] == h)
			return 0;
	if (m->nrh == m->caprh) {
		uint32_t ncap = m->caprh ? m->caprh * 2 : 4;
		uint64_t *n;

		if (ncap > MAIL_MSG_MAXRH)
			return 1; /* counted, not remembered */
		n = realloc(m->rh, ncap * sizeof(*n));
		if (n == NULL) {
			j->nomem++;
			return 1;
		}
		m->rh = n;
		m->caprh = ncap;
	}
	m->rh[m->nrh++] = h;
	return 1;
}

static void
set_client(struct mail_join *j, struct mail_msg *m, const struct mail_event *ev)
{
	if (ev->client_addr.n > 0) {
		mail_copy(
		    m->client_addr, sizeof(m->client_addr), ev->client_addr);
		mail_copy(
		    m->client_name, sizeof(m->client_name), ev->client_name);
		m->has_client = 1;
	}
	if (ev->sasl.n > 0)
		mail_copy(m->sasl, sizeof(m->sasl), ev->sasl);
	if (ev->user.n > 0) {
		mail_copy(m->user, sizeof(m->user), ev->user);
		m->local = 1;
	}
	if (ev->has_uid) {
		m->uid = ev->uid;
		m->has_uid = 1;
		m->local = 1;
		if (m->user[0] == '\0') {
			const char *name = j->uid_name
			    ? j->uid_name(j->uid_arg, ev->uid)
			    : NULL;

			if (name != NULL)
				snprintf(m->user, sizeof(m->user), "%s", name);
			else
				snprintf(m->user, sizeof(m->user), "uid %llu",
				    (unsigned long long)ev->uid);
		}
	}
}

static void
set_from(struct mail_msg *m, const struct mail_event *ev)
{
	if (!ev->has_from)
		return;
	mail_copy(m->from, sizeof(m->from), ev->from);
	m->has_from = 1;
	m->null_from = ev->null_from;
}

static void
emit(struct mail_join *j, const struct mail_event *ev, struct mail_msg *m,
    int first, time_t t)
{
	if (j->cb.ev)
		j->cb.ev(j->cb.arg, ev, m, first, t);
}

static void
qmail_bounce_qp(struct mail_join *j, uint64_t qp)
{
	j->bounce_qp[j->nbqp++ % 64] = qp;
}

static int
qmail_is_bounce_qp(const struct mail_join *j, uint64_t qp)
{
	for (unsigned i = 0; i < 64 && i < j->nbqp; i++)
		if (j->bounce_qp[i] == qp)
			return 1;
	return 0;
}

/* One recipient of a delivery line (sendmail lists several). */
static void
delivery(struct mail_join *j, const struct mail_event *ev, struct mail_msg *m,
    time_t t)
{
	int first = 1;

	if (m != NULL) {
		first = rcpt_first(j, m, ev->to);
		if (ev->status == MAIL_ST_SENT)
			m->nsent++;
		else if (ev->status == MAIL_ST_BOUNCED)
			m->nbounced++;
		else if (ev->status == MAIL_ST_DEFERRED)
			m->ndeferred++;
	}
	emit(j, ev, m, first, t);
}

static void
qmail_event(struct mail_join *j, const struct mail_event *ev, time_t t)
{
	char key[24];
	int kl =
	    snprintf(key, sizeof(key), "%llu", (unsigned long long)ev->dlv);
	struct hmap_entry *e;
	struct qmail_dlv *d;

	if (ev->kind == MAIL_EV_DLV_START) {
		if (hmap_count(&j->qmail_dlv) >= QMAIL_DLV_MAX &&
		    hmap_get(&j->qmail_dlv, key, (size_t)kl) == NULL) {
			emit(j, ev, msg_get(j, ev, t, 0), 0, t);
			return;
		}
		e = hmap_put(&j->qmail_dlv, key, (size_t)kl, NULL);
		if (e == NULL) {
			j->nomem++;
			return;
		}
		if (e->val.p == NULL)
			e->val.p = calloc(1, sizeof(struct qmail_dlv));
		d = e->val.p;
		if (d != NULL) {
			mail_copy(d->qid, sizeof(d->qid), ev->qid);
			mail_copy(d->to, sizeof(d->to), ev->to);
			mail_copy(d->relay, sizeof(d->relay), ev->relay);
		}
		emit(j, ev, msg_get(j, ev, t, 0), 0, t);
		return;
	}
	/* MAIL_EV_DELIVERY: find which message and recipient it was. */
	e = hmap_get(&j->qmail_dlv, key, (size_t)kl);
	d = e ? e->val.p : NULL;
	if (d == NULL) {
		emit(j, ev, NULL, 1, t); /* started before the log did */
		return;
	}
	{
		struct mail_event full = *ev;

		full.qid = span_of(d->qid, strlen(d->qid));
		full.to = span_of(d->to, strlen(d->to));
		full.relay = span_of(d->relay, strlen(d->relay));
		delivery(j, &full, msg_get(j, &full, t, 0), t);
	}
	free(d);
	(void)hmap_del(&j->qmail_dlv, key, (size_t)kl);
}

/* sendmail logs no removal: done when every recipient has a final status. */
static void
sm_maybe_done(struct mail_join *j, struct mail_msg *m)
{
	if (m != NULL && m->has_from && m->nrcpt > 0 &&
	    m->nsent + m->nbounced >= m->nrcpt)
		msg_close(j, m, MAIL_END_DONE);
}

void
mail_join_event(struct mail_join *j, const struct mail_event *ev, time_t t)
{
	struct mail_msg *m = NULL, *o;

	if (j->held != NULL)
		held_expire(j, t);
	switch (ev->kind) {
	case MAIL_EV_CLIENT:
	case MAIL_EV_PICKUP:
	case MAIL_EV_NEW:
		m = unheld(j, msg_find(j, ev->mta, ev->qid));
		/* A second client= for an open id: the id was reused. */
		if (m != NULL &&
		    (ev->kind == MAIL_EV_NEW || m->has_client || m->local ||
		        m->nsent + m->nbounced > 0) &&
		    !(ev->mta == MAIL_MTA_SENDMAIL && !m->has_from)) {
			j->reused++;
			msg_close(j, m, MAIL_END_REUSED);
			m = NULL;
		}
		if (m == NULL)
			m = msg_new(j, ev->mta, ev->qid, t);
		if (m == NULL)
			break;
		set_client(j, m, ev);
		set_from(m, ev);
		if (ev->kind == MAIL_EV_NEW && qmail_is_bounce_qp(j, ev->qp))
			m->own_bounce = 1;
		/* sendmail's AUTH line comes before its from= line. */
		if (!(ev->mta == MAIL_MTA_SENDMAIL &&
		        ev->kind == MAIL_EV_CLIENT))
			m->received = 1;
		break;
	case MAIL_EV_QUEUED:
		m = unheld(j, msg_find(j, ev->mta, ev->qid));
		if (m != NULL && ev->mta != MAIL_MTA_POSTFIX &&
		    ev->mta != MAIL_MTA_QMAIL && m->has_from) {
			j->reused++;
			msg_close(j, m, MAIL_END_REUSED);
			m = NULL;
		}
		if (m == NULL) {
			/* exim <= and sendmail from= start a message. */
			m = msg_get(j, ev, t,
			    ev->mta == MAIL_MTA_EXIM ||
			        ev->mta == MAIL_MTA_SENDMAIL);
		}
		if (m == NULL)
			break;
		set_client(j, m, ev);
		if (!m->has_from || ev->mta != MAIL_MTA_POSTFIX)
			set_from(m, ev);
		if (ev->has_size)
			m->size = ev->size;
		if (ev->has_nrcpt)
			m->nrcpt = ev->nrcpt;
		if (ev->qp)
			m->qp = ev->qp;
		if (ev->bounce_of.n > 0) {
			mail_copy(
			    m->bounce_of, sizeof(m->bounce_of), ev->bounce_of);
			m->own_bounce = 1;
		}
		if (ev->mta == MAIL_MTA_QMAIL && m->null_from &&
		    qmail_is_bounce_qp(j, ev->qp))
			m->own_bounce = 1;
		if (ev->mta == MAIL_MTA_EXIM || ev->mta == MAIL_MTA_SENDMAIL ||
		    ev->mta == MAIL_MTA_QMAIL) {
			if (m->partial && ev->mta == MAIL_MTA_QMAIL) {
				m->partial = 0; /* new msg was before the log */
				j->partial--;
			}
			/* sendmail's nrcpts=0: the session's every
			 * recipient was refused; nothing was received. */
			m->received = !(ev->mta == MAIL_MTA_SENDMAIL &&
			    ev->has_nrcpt && ev->nrcpt == 0);
		}
		break;
	case MAIL_EV_DELIVERY:
		if (ev->mta == MAIL_MTA_QMAIL) {
			qmail_event(j, ev, t);
			return;
		}
		m = msg_get(j, ev, t, 0);
		if (ev->mta == MAIL_MTA_SENDMAIL && ev->to.n > 0 &&
		    memchr(ev->to.p, ',', ev->to.n) != NULL) {
			const char *p = ev->to.p, *end = ev->to.p + ev->to.n;

			while (p < end) {
				const char *c =
				    memchr(p, ',', (size_t)(end - p));
				struct mail_event one = *ev;

				if (c == NULL)
					c = end;
				one.to =
				    mail_unbracket(span_of(p, (size_t)(c - p)));
				delivery(j, &one, m, t);
				p = c + 1;
			}
			sm_maybe_done(j, m);
			return;
		}
		if (ev->mta == MAIL_MTA_SENDMAIL) {
			struct mail_event one = *ev;

			one.to = mail_unbracket(ev->to);
			delivery(j, &one, m, t);
			sm_maybe_done(j, m);
			return;
		}
		delivery(j, ev, m, t);
		return;
	case MAIL_EV_DLV_START:
		qmail_event(j, ev, t);
		return;
	case MAIL_EV_EXPIRED:
		m = msg_get(j, ev, t, 0);
		if (m != NULL)
			m->expired = 1;
		break;
	case MAIL_EV_BOUNCE:
		if (ev->mta == MAIL_MTA_QMAIL) {
			qmail_bounce_qp(j, ev->qp);
			break;
		}
		m = msg_get(j, ev, t, 0);
		if (ev->newqid.n > 0) {
			o = msg_find(j, ev->mta, ev->newqid);
			if (o == NULL)
				o = msg_new(j, ev->mta, ev->newqid, t);
			if (o != NULL) {
				o->own_bounce = 1;
				if (o->partial) { /* generated here, not mid-log */
					o->partial = 0;
					j->partial--;
				}
				if (m != NULL)
					mail_copy(o->bounce_of,
					    sizeof(o->bounce_of), ev->qid);
				if (o->held) /* the late line it waited for */
					msg_close(j, o, MAIL_END_DONE);
			}
		}
		break;
	case MAIL_EV_REJECT:
		if (ev->qid.n == 0)
			break;
		m = msg_find(j, ev->mta, ev->qid);
		if (m != NULL && ev->client_addr.n == 0 && !m->has_client &&
		    (unsigned)ev->rej < MAIL_REJ_NREJ && !ev->warn_only)
			m->unattributed[ev->rej]++;
		if (m == NULL && ev->mta == MAIL_MTA_SENDMAIL &&
		    ev->client_addr.n == 0) {
			/* "<x>... User unknown" before the session's from=. */
			m = msg_new(j, ev->mta, ev->qid, t);
			if (m != NULL && (unsigned)ev->rej < MAIL_REJ_NREJ &&
			    !ev->warn_only)
				m->unattributed[ev->rej]++;
		}
		if (m != NULL && ev->rej == MAIL_REJ_CONTENT &&
		    !ev->warn_only) {
			emit(j, ev, m, 0, t);
			msg_close(j, m, MAIL_END_REJECTED);
			return;
		}
		break;
	case MAIL_EV_DONE:
		m = msg_find(j, ev->mta, ev->qid);
		emit(j, ev, m, 0, t);
		if (m != NULL)
			msg_done(j, m, t);
		return;
	default:
		break;
	}
	emit(j, ev, m, 0, t);
	/* sendmail's from= with nrcpts=0: every recipient was refused. */
	if (m != NULL && ev->kind == MAIL_EV_QUEUED &&
	    ev->mta == MAIL_MTA_SENDMAIL && ev->has_nrcpt && ev->nrcpt == 0)
		msg_close(j, m, MAIL_END_DONE);
}

void
mail_join_flush(struct mail_join *j)
{
	while (j->held != NULL)
		msg_close(j, j->held, MAIL_END_DONE);
	while (j->oldest != NULL)
		msg_close(j, j->oldest, MAIL_END_OPEN);
}

static int
free_dlv(struct hmap_entry *e, void *arg)
{
	(void)arg;
	free(e->val.p);
	return 0;
}

void
mail_join_release(struct mail_join *j)
{
	struct mail_msg *m, *next;

	for (m = j->oldest; m != NULL; m = next) {
		next = m->next;
		free(m->rh);
		free(m);
	}
	j->oldest = j->newest = NULL;
	hmap_release(&j->byqid);
	hmap_each(&j->qmail_dlv, free_dlv, NULL);
	hmap_release(&j->qmail_dlv);
}
