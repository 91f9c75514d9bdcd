/*
 * forward.h - the messages of one "alert syslog" action for a central
 * syslog server: a queue in the state database and a TCP connection on
 * the agent's event loop that sends it, in order, each message framed
 * by its octet count (RFC 6587 3.4.1), over TLS if asked.
 *
 * A message is appended to the queue (forward_enqueue) and deleted only
 * once all its bytes were written to the socket; one cut short by a lost
 * connection is sent whole again on the next.  So nothing is lost while
 * the server is unreachable, across restarts of the agent too.  Past
 * FORWARD_QUEUE_MAX messages the oldest are dropped, and counted.
 *
 * The connection is made on the event loop given to forward_attach and
 * never blocks it: the name is looked up with getaddrinfo_a (an address
 * needs no lookup), the connect is non-blocking with a timeout, a
 * failure is retried after 1 s, then twice as long each time up to
 * FORWARD_RETRY_MAX.  The server closing the connection is seen when it
 * happens (the socket is read, its input thrown away) and before each
 * message is written.
 *
 * A command without an event loop calls forward_drain, which runs one of
 * its own for at most the seconds given and tries to connect once.
 */
#ifndef ACT_FORWARD_H
#define ACT_FORWARD_H

#include <stddef.h>

struct err;
struct event_base;
struct forward;

#define FORWARD_QUEUE_MAX 100000
#define FORWARD_RETRY_MIN 1.0
#define FORWARD_RETRY_MAX 30.0
#define FORWARD_CONNECT_TIMEOUT 10.0

/*
 * The queue named name (the action's name) in state_dir's database for
 * server; with tls, over TLS (1.2 at least, libssl loaded now) with the
 * server's certificate checked against the authorities in the PEM file
 * ca (NULL: the system's) and the server's name or address.  NULL with
 * err.
 */
struct forward *forward_new(const char *name, const char *server, int tls,
    const char *ca, const char *state_dir, struct err *err);
/*
 * fn is told when the connection fails (ok 0, once until it works
 * again), when it works again (ok 1) and at the end of forward_drain,
 * with a text and the number of messages waiting.
 */
void forward_on_state(struct forward *f,
    void (*fn)(int ok, const char *text, long waiting, void *arg), void *arg);
/*
 * Appends msg (one message, no frame) to the queue and sends it when the
 * connection is up.  Returns the number of messages waiting, or -1 with
 * err; *dropped is the number of the oldest dropped to make room.
 */
long forward_enqueue(struct forward *f, const char *msg, size_t len,
    long *dropped, struct err *err);
/* The number of messages waiting, or -1. */
long forward_waiting(struct forward *f);
/*
 * Connects and sends on base's loop from now on; NULL closes the
 * connection and stops.  0, or -1 with err (libevent missing).
 */
int forward_attach(struct forward *f, struct event_base *base, struct err *err);
/* Sends what another process queued, when connected and idle. */
void forward_kick(struct forward *f);
/*
 * Without an attached loop: connects and sends until the queue is empty,
 * the connection fails (no retry: the failure is told) or secs passed.
 * Returns the number of messages waiting (-1 when it cannot run a loop).
 */
long forward_drain(struct forward *f, double secs);
/* Closes the connection and the database. */
void forward_free(struct forward *f);

#endif
