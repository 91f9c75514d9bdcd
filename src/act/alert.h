/*
 * alert.h - the actions taken on alert events (agent/event.h): mail, a
 * program, the journal, a central syslog server.  Each is one "alert TYPE [NAME] { ... }" block of
 * the configuration and takes the events of the checks, the least
 * severity and the kinds of event it names:
 *
 *	alert mail { to "root@example.org"; digest 60s; severity warning }
 *	alert exec page { command "/usr/local/bin/page" "--now"
 *	                  user nobody; timeout 10s; checks load memory }
 *	alert journal { }
 *	alert syslog central { server "logs.example.org:6514"; tls yes }
 *
 * mail     one message per event, or with "digest N" one message with the
 *          events of N seconds (the first event starts the period);
 *          through sendmail (act/mail.h), envelope sender "set mail-from".
 * exec     the program (never a shell: an argument vector) as the user
 *          (root only with "allow-root yes"), the event as one JSON line
 *          on its stdin, stdout to /dev/null, stderr the agent's; killed
 *          (SIGTERM to its process group, SIGKILL 5 s later) after its
 *          timeout.
 * journal  sd_journal_send with PRIORITY, MESSAGE and SAKIMORI_* fields;
 *          syslog(3) with the same MESSAGE where there is no journal
 *          (built without libsystemd, or /run/systemd/journal/socket
 *          absent).
 * syslog   an RFC 5424 message with structured data (act/syslog5424.h)
 *          appended to a queue in the state database and sent over TCP
 *          or TLS to the server, in order, kept until written
 *          (act/forward.h).
 *
 * Every action is recorded in the audit log (act/audit.h): a mail or a
 * program when it is started ("started pid N") and when it ends (its
 * exit status), the journal when written, a syslog message when queued
 * (and its connection when it fails or works again).
 *
 * Nothing here blocks on a program: sendmail and the exec programs are
 * started with their input in a memory file as stdin and reaped later.
 * The event loop drives it:
 *
 *	a = alert_actions_new(conf, state_dir, &err);
 *	alert_actions_on_result(a, fn, arg);   optional: each outcome
 *	alert_actions_attach(a, base);         the syslog connections
 *	alert_actions_event(a, &ev, now);      for every alert event
 *	alert_actions_reap(a);                 on SIGCHLD
 *	alert_actions_tick(a, now);            every second or so: digests
 *	                                       due, timeouts, reaping
 *	alert_actions_flush(a, now);           at exit: pending digests now
 *	alert_actions_wait(a, 10);             at exit: let them finish
 *	                                       (never attached: also sends
 *	                                       the syslog queues)
 *	alert_actions_free(a);                 kills what still runs
 *
 * alert_actions_reap waits only for its own children (waitpid on each
 * pid), so the caller may have children of its own; SIGCHLD must not be
 * ignored (SIG_IGN reaps them before their status is read).  The
 * configuration need not outlive a: what the actions need is copied, so
 * a reload makes a new set (and frees the old one after
 * alert_actions_flush and alert_actions_wait).
 */
#ifndef ACT_ALERT_H
#define ACT_ALERT_H

#include <stddef.h>
#include <time.h>

#include "agent/event.h"

struct conf;
struct err;
struct event_base;
struct strbuf;

struct alert_actions;

/* The outcome of one action. */
struct alert_result {
	const char *type;   /* "mail", "exec", "journal", "syslog" */
	const char *name;   /* the block's NAME, else its type */
	const char *target; /* recipient, program, "journal" or "syslog",
	                       the syslog server */
	int ok;             /* delivered, or the program exited 0 */
	const char *detail; /* "exit status 0", why it failed */
	size_t nevents;     /* events it carried (a digest: several) */
};

/*
 * The actions of c's "alert" blocks, auditing into state_dir.  NULL with
 * err when a block cannot work (a mail without recipient, an unknown
 * user, root without allow-root) or the audit log cannot be written.
 * No "alert" block: a set with no actions.
 */
struct alert_actions *alert_actions_new(
    const struct conf *c, const char *state_dir, struct err *err);
/* How many actions are configured. */
size_t alert_actions_count(const struct alert_actions *a);
/* fn is called with the outcome of every action (when it is known). */
void alert_actions_on_result(struct alert_actions *a,
    void (*fn)(const struct alert_result *, void *), void *arg);
/*
 * Hands e to every action that takes it: sent, started or added to a
 * digest.  Returns how many actions took it.
 */
size_t alert_actions_event(
    struct alert_actions *a, const struct alert_event *e, time_t now);
/*
 * The syslog actions connect and send on base's loop from now on; NULL
 * closes their connections (a set replaced by a reload).  A failure is
 * an outcome.
 */
void alert_actions_attach(struct alert_actions *a, struct event_base *base);
/* Sends the digests that are due, signals programs past their timeout,
 * reaps what ended. */
void alert_actions_tick(struct alert_actions *a, time_t now);
/* Sends every digest that holds events, due or not. */
void alert_actions_flush(struct alert_actions *a, time_t now);
/* Reaps the programs that ended (without waiting); their outcomes. */
void alert_actions_reap(struct alert_actions *a);
/* How many programs (sendmail, exec) are still running. */
size_t alert_actions_running(const struct alert_actions *a);
/*
 * Waits (reaping, enforcing timeouts) until no program runs or secs
 * passed; returns how many still run.  For commands and shutdown, not
 * for the event loop.
 */
size_t alert_actions_wait(struct alert_actions *a, double secs);
/* Kills (SIGKILL) and reaps what still runs, then frees a. */
void alert_actions_free(struct alert_actions *a);

/*
 * The texts, for the actions and their tests.  host is the name the
 * messages give this server.  Outside text is escaped (base/esc.h).
 */
/* "CRITICAL load: load average 3.1 per CPU" (a resolve: "RESOLVED ..."). */
void alert_summary(const struct alert_event *e, struct strbuf *out);
/* The Subject of the mail of one event: "[sakimori] HOST: SUMMARY". */
void alert_mail_subject(
    const struct alert_event *e, const char *host, struct strbuf *out);
/* The body of the mail of one event: its fields and evidence. */
void alert_mail_body(
    const struct alert_event *e, const char *host, struct strbuf *out);

/*
 * The events of a digest, bounded: past ALERT_DIGEST_MAX the events are
 * counted, not kept.
 */
#define ALERT_DIGEST_MAX 200
struct alert_digest {
	struct alert_event *ev;
	size_t n, cap;
	size_t dropped;
	time_t first; /* when its first event came */
};
/* Adds e (first is set by the first event); 0, or -1 when out of memory. */
int alert_digest_add(
    struct alert_digest *d, const struct alert_event *e, time_t now);
/* 1 when d holds events and secs have passed since the first. */
int alert_digest_due(const struct alert_digest *d, time_t now, time_t secs);
void alert_digest_clear(struct alert_digest *d);
void alert_digest_release(struct alert_digest *d);
/* "[sakimori] HOST: 3 alerts: 2 open (1 CRITICAL), 1 resolved" */
void alert_digest_subject(
    const struct alert_digest *d, const char *host, struct strbuf *out);
/*
 * The digest's body: the events grouped by kind (opened, changed,
 * flapping, resolved), in each group the worst first, then by time; one
 * block each as alert_mail_body has them.
 */
void alert_digest_body(
    const struct alert_digest *d, const char *host, struct strbuf *out);

#endif
