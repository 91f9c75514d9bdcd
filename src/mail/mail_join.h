/*
 * mail_join.h - join mail events by queue id into message records: sender,
 * client address and name, SASL login, local submitter, size, recipients
 * seen, whether it is our own bounce notification.
 *
 * Memory is bounded: at most max_live messages are open (the oldest is
 * closed as "evicted" to make room), and a message remembers at most
 * MAIL_MSG_MAXRH recipients for de-duplication.  A queue id that is used
 * again (a new client= for an id still open) closes the old message as
 * "reused".  A log that starts mid-message opens the message at its first
 * line (marked partial); one that ends before delivery leaves messages
 * open, which mail_join_flush closes as "open".
 *
 * Postfix's bounce daemon names its notification ("QID: sender
 * non-delivery notification: NEWQID") after handing it to cleanup, and
 * under load the notification can be delivered and removed before that
 * line is logged.  So a removed postfix message from <> with no client
 * and no local submitter (what a notification looks like) is held open,
 * at most MAIL_HELD_MAX of them and for MAIL_HELD_SECS of log time, for
 * the line that makes it our own; it then closes as "done" all the same.
 */
#ifndef MAIL_MAIL_JOIN_H
#define MAIL_MAIL_JOIN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/hmap.h"
#include "mail/mail.h"

#define MAIL_MSG_MAXRH 4096 /* recipients remembered per message */
#define MAIL_HELD_MAX 64    /* removed notifications held (see above) */
#define MAIL_HELD_SECS 5

enum mail_end {
	MAIL_END_DONE,    /* removed / Completed / end msg */
	MAIL_END_REUSED,  /* its queue id was used again */
	MAIL_END_EVICTED, /* closed to stay within max_live */
	MAIL_END_OPEN,    /* still in the queue when the log ended */
	MAIL_END_REJECTED /* refused after the queue id was given */
};

struct mail_msg {
	enum mail_mta mta;
	char qid[40];
	time_t first, last;
	char from[256];
	char client_name[128];
	char client_addr[64];
	char sasl[128];
	char user[64]; /* local submitter: name, or "uid N" when unnamed */
	char bounce_of[40];
	uint64_t size, nrcpt, uid, qp;
	unsigned has_from : 1;
	unsigned null_from : 1;
	unsigned has_client : 1;
	unsigned local : 1;      /* submitted locally (pickup, U=, ctladdr) */
	unsigned received : 1;   /* counted as received */
	unsigned partial : 1;    /* its start was not in the log */
	unsigned own_bounce : 1; /* a notification we generated */
	unsigned expired : 1;
	unsigned has_uid : 1;
	unsigned held : 1; /* removed, held for a late bounce line */
	uint32_t nsent, nbounced, ndeferred; /* delivery lines */
	uint32_t nrh;                        /* distinct recipients seen */
	uint32_t caprh;
	uint64_t *rh; /* hashes of the recipients seen */
	uint32_t unattributed[MAIL_REJ_NREJ]; /* rejects before its client */
	struct mail_msg *prev, *next;         /* age order, oldest first */
	struct mail_msg *held_next;           /* held ones, oldest first */
	time_t held_at;
};

/*
 * What the joiner reports.  ev is called for every event after the
 * message it concerns (or NULL) was updated; first is 1 the first time
 * a recipient of that message is seen.  end is called once per message.
 */
struct mail_join_cb {
	void (*ev)(void *arg, const struct mail_event *ev,
	    const struct mail_msg *m, int first_rcpt, time_t t);
	void (*end)(void *arg, const struct mail_msg *m, enum mail_end why);
	void *arg;
};

struct mail_join {
	struct hmap byqid; /* mta + qid -> struct mail_msg * */
	struct mail_msg *oldest, *newest;
	size_t live, max_live;
	struct mail_msg *held, *held_last; /* held after removal, FIFO */
	size_t nheld;
	struct hmap qmail_dlv;  /* delivery number -> qmail qid + rcpt */
	uint64_t bounce_qp[64]; /* qmail: qp of recent bounces */
	unsigned nbqp;
	struct mail_join_cb cb;
	/* Names a local submitter's uid, NULL when it has none ("uid N"
	 * then); NULL (the default) leaves every uid a number. */
	const char *(*uid_name)(void *arg, uint64_t uid);
	void *uid_arg;
	uint64_t evicted, reused, partial, nomem;
};

/* max_live 0 means 50000. */
void mail_join_init(
    struct mail_join *j, size_t max_live, const struct mail_join_cb *cb);
void mail_join_release(struct mail_join *j);
/* Applies one event (time t of its line). */
void mail_join_event(
    struct mail_join *j, const struct mail_event *ev, time_t t);
/* Closes every held message as MAIL_END_DONE and every other open one
 * (end of input) as MAIL_END_OPEN. */
void mail_join_flush(struct mail_join *j);

/* Copies span s into dst (cut to dstsz-1), NUL-terminated. */
void mail_copy(char *dst, size_t dstsz, struct mail_span s);

#endif
