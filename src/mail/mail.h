/*
 * mail.h - mail-log events: pure parsers that turn one log message of an
 * MTA (postfix, sendmail, exim, qmail) into a struct mail_event.
 *
 * The parsers take the program tag and the message body that a syslog
 * parser split off a line (the log engine's for syslog RFC 3164 and 5424,
 * ISO time stamps and postfix's maillog_file; mail_line_other for exim's
 * mainlog and qmail's multilog with TAI64N stamps; mail_line_split for
 * either).
 * They never copy: every span of an event points into the input, so an
 * event lives as long as the line.  No I/O, no allocation, no logging.
 *
 * mail_join.h joins events by queue id into message records;
 * mail_stats.h counts and judges them.
 */
#ifndef MAIL_MAIL_H
#define MAIL_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A piece of the input line; n == 0 means absent. */
struct mail_span {
	const char *p;
	size_t n;
};

enum mail_mta {
	MAIL_MTA_NONE = 0,
	MAIL_MTA_POSTFIX,
	MAIL_MTA_SENDMAIL,
	MAIL_MTA_EXIM,
	MAIL_MTA_QMAIL,
};

enum mail_kind {
	MAIL_EV_NONE = 0,  /* not a line of a mail program */
	MAIL_EV_OTHER,     /* a mail program's line that carries no event */
	MAIL_EV_CONNECT,   /* a client connected: client */
	MAIL_EV_CLIENT,    /* qid accepted from client (sasl login) */
	MAIL_EV_PICKUP,    /* qid submitted locally: uid, from */
	MAIL_EV_NEW,       /* qid entered the queue (qmail "new msg") */
	MAIL_EV_QUEUED,    /* qid: from, size, nrcpt (and client, user) */
	MAIL_EV_DELIVERY,  /* qid: to, orig_to, relay, delay, dsn, status */
	MAIL_EV_DLV_START, /* qmail: delivery N of qid to "to" started */
	MAIL_EV_DONE,      /* qid left the queue */
	MAIL_EV_EXPIRED,   /* qid expired and was returned to its sender */
	MAIL_EV_REJECT,    /* a refused command or message: client, to, rej */
	MAIL_EV_BOUNCE,    /* qid caused our notification newqid (from=<>) */
	MAIL_EV_AUTH_FAIL, /* SASL authentication failed: client, sasl */
};

enum mail_status {
	MAIL_ST_NONE = 0,
	MAIL_ST_SENT,
	MAIL_ST_DEFERRED,
	MAIL_ST_BOUNCED,
	MAIL_ST_EXPIRED,
	MAIL_ST_PROBE, /* address verification, not real mail */
};

enum mail_rej {
	MAIL_REJ_OTHER = 0,
	MAIL_REJ_RELAY,        /* Relay access denied / Relaying denied */
	MAIL_REJ_UNKNOWN_USER, /* User unknown and friends */
	MAIL_REJ_RBL,          /* blocked using a DNS block list */
	MAIL_REJ_SENDER,       /* Sender address rejected */
	MAIL_REJ_HELO,         /* Helo command rejected */
	MAIL_REJ_CLIENT,       /* Client host rejected */
	MAIL_REJ_CONTENT,      /* header/body/milter/local_scan rejection */
	MAIL_REJ_NREJ
};

struct mail_event {
	enum mail_mta mta;
	enum mail_kind kind;
	struct mail_span qid;
	struct mail_span from; /* without <>; present-but-empty: null_from */
	struct mail_span to;   /* sendmail: may list several, comma-separated */
	struct mail_span orig_to;
	struct mail_span relay; /* delivery: where it went */
	struct mail_span client_name;
	struct mail_span client_addr;
	struct mail_span sasl; /* SASL login */
	struct mail_span user; /* local submitter's name (exim U=, sendmail) */
	struct mail_span newqid;    /* bounce: the notification's queue id */
	struct mail_span bounce_of; /* queued: this is our notification
				     * about that queue id (exim R=) */
	struct mail_span dsn;
	struct mail_span reason; /* reject/delivery text */
	struct mail_span cmd;    /* reject: RCPT, MAIL, CONNECT, ... */
	uint64_t size;
	uint64_t nrcpt;
	uint64_t uid;
	uint64_t dlv; /* qmail delivery number */
	uint64_t qp;  /* qmail queue process id */
	double delay; /* seconds, -1 when absent */
	enum mail_status status;
	enum mail_rej rej;
	unsigned has_from : 1;
	unsigned null_from : 1;
	unsigned has_size : 1;
	unsigned has_nrcpt : 1;
	unsigned has_uid : 1;
	unsigned warn_only : 1; /* reject_warning: logged, not refused */
};

/*
 * mail_parse - the event in the message msg of program tag ("postfix/smtpd",
 * "postfix-out/submission/smtpd", "sm-mta", "sendmail", "exim", "exim4",
 * "qmail").  Fills *ev and returns its kind; MAIL_EV_NONE when the tag is
 * not a mail program's.  Never fails: what it cannot read is MAIL_EV_OTHER.
 */
enum mail_kind mail_parse(const char *tag, size_t taglen, const char *msg,
    size_t msglen, struct mail_event *ev);

/* The parsers behind mail_parse, one per MTA (component: postfix's
 * program name after the last '/'). */
enum mail_kind mail_parse_postfix(const char *component, size_t complen,
    const char *msg, size_t msglen, struct mail_event *ev);
enum mail_kind mail_parse_sendmail(
    const char *msg, size_t msglen, struct mail_event *ev);
enum mail_kind mail_parse_exim(
    const char *msg, size_t msglen, struct mail_event *ev);
enum mail_kind mail_parse_qmail(
    const char *msg, size_t msglen, struct mail_event *ev);

/* Classifies a rejection text ("Relay access denied", "User unknown"...). */
enum mail_rej mail_rej_classify(const char *s, size_t n);
const char *mail_rej_name(enum mail_rej r);
const char *mail_status_name(enum mail_status s);
const char *mail_mta_name(enum mail_mta m);

/* One line of a mail log, split. */
struct mail_line {
	time_t time; /* 0 when the line has no usable stamp */
	struct mail_span host;
	struct mail_span tag; /* program, without [pid] */
	uint64_t pid;
	struct mail_span msg;
};

/*
 * mail_line_split - splits line (without its newline) into stamp, host,
 * program and message.  year is used for RFC 3164 stamps, which have none.
 * Returns 0, or -1 when the line has no recognisable shape (garbage).
 * A syslog line is read by the log engine's parser (logs_parse_syslog),
 * then by mail_line_from_syslog; any other by mail_line_other.
 */
int mail_line_split(
    const char *line, size_t n, int year, struct mail_line *out);

struct logs_syslog;
/* A syslog record of the log engine as a mail line; -1 without a program
 * tag (garbage, as mail_line_split counts it). */
int mail_line_from_syslog(const struct logs_syslog *s, struct mail_line *out);
/*
 * The mail logs that are not syslog: exim's mainlog, qmail's multilog
 * (TAI64N) and lines without a stamp ("tag[pid]: msg", "host tag: msg").
 * 0, or -1 (garbage).
 */
int mail_line_other(const char *line, size_t n, struct mail_line *out);

/* Parses a TAI64N label "@4000000063b0c1d2xxxxxxxx" (25 bytes); 0 or -1. */
int mail_tai64n(const char *s, size_t n, time_t *out);

#endif
