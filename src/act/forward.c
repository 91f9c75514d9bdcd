/*
 * forward.c - the queue of an "alert syslog" action and its connection
 * to the central server (see forward.h).
 */
#include "act/forward.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "act/syslog5424.h"
#include "base/bounded.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/hostport.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "store/store.h"

/* How long a TLS 1.3 connection waits for the server's session ticket. */
#define SETTLE_WAIT 1.0
/* How long an orderly close waits for the server to close its side. */
#define GOODBYE_WAIT 0.5
/* Messages written in one turn of the loop before it gets it back. */
#define PUMP_BATCH 256
/* How often a name lookup in progress is looked at. */
#define RESOLVE_POLL 0.05

static const char *const queue_steps[] = {
    "CREATE TABLE syslog_queue (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " action TEXT NOT NULL, msg BLOB NOT NULL, queued INTEGER NOT NULL);"
    "CREATE INDEX syslog_queue_action ON syslog_queue (action, id);",
};

enum fstate { F_IDLE, F_RESOLVING, F_CONNECTING, F_HANDSHAKE, F_SETTLE, F_UP };

struct forward {
	char name[64];
	char server[300];
	char host[256], port[16];
	struct store st;
	struct event_base *base;
	struct event *ev_tm, *ev_rd, *ev_wr;
	enum fstate state;
	int fd;
	/* TLS: the settings and the session of the connection */
	SSL_CTX *ctx;
	SSL *ssl;
	/* the name lookup */
	struct gaicb gcb;
	struct addrinfo hints;
	int gai_busy;
	struct addrinfo *ai, *ai_next;
	int last_errno;
	double retry;  /* the wait before the next attempt */
	int down_told; /* the failure was told; the recovery will be */
	/* the message being written: its row and its frame */
	long long cur_id;
	struct strbuf cur;
	size_t off;
	int draining;
	long sent;
	void (*fn)(int, const char *, long, void *);
	void *arg;
};

/* The TLS settings: TLS 1.2 at least, the server's certificate checked
 * against ca (a PEM file) or the system's authorities. */
static int
tls_setup(struct forward *f, const char *ca, struct err *err)
{
	if (dynlib_require(DYNLIB_SSL, err) == -1)
		return -1;
	if ((f->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return err_set(err, ENOMEM, "cannot make a TLS context");
	SSL_CTX_set_min_proto_version(f->ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(f->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	SSL_CTX_set_verify(f->ctx, SSL_VERIFY_PEER, NULL);
	if (ca != NULL ? SSL_CTX_load_verify_locations(f->ctx, ca, NULL) != 1
	               : SSL_CTX_set_default_verify_paths(f->ctx) != 1) {
		char why[256];

		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		return err_set(err, EINVAL,
		    "cannot read the authorities %s%s%s: %s",
		    ca ? "in '" : "of the system", ca ? ca : "", ca ? "'" : "",
		    why);
	}
	return 0;
}

struct forward *
forward_new(const char *name, const char *server, int tls, const char *ca,
    const char *state_dir, struct err *err)
{
	struct forward *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	f->fd = -1;
	f->retry = FORWARD_RETRY_MIN;
	strbuf_init(&f->cur, SYSLOG5424_MAX + 32);
	str_copy(f->name, sizeof(f->name), name);
	str_copy(f->server, sizeof(f->server), server);
	if (hostport_parse(server, f->host, sizeof(f->host), f->port,
	        sizeof(f->port), err) == -1) {
		free(f);
		return NULL;
	}
	if (tls && tls_setup(f, ca, err) == -1) {
		if (f->ctx != NULL)
			SSL_CTX_free(f->ctx);
		free(f);
		return NULL;
	}
	if (dynlib_require(DYNLIB_SQLITE3, err) == -1 ||
	    store_open(&f->st, state_dir, err) == -1) {
		if (f->ctx != NULL)
			SSL_CTX_free(f->ctx);
		free(f);
		return NULL;
	}
	if (store_migrate(&f->st, "syslog-queue", queue_steps,
	        (int)(sizeof(queue_steps) / sizeof(*queue_steps)), err) == -1) {
		store_close(&f->st);
		if (f->ctx != NULL)
			SSL_CTX_free(f->ctx);
		free(f);
		return NULL;
	}
	return f;
}

void
forward_on_state(struct forward *f,
    void (*fn)(int ok, const char *text, long waiting, void *arg), void *arg)
{
	f->fn = fn;
	f->arg = arg;
}

long
forward_waiting(struct forward *f)
{
	sqlite3_stmt *q = store_prepare(
	    &f->st, "SELECT count(*) FROM syslog_queue WHERE action = ?", NULL);
	long n = -1;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, f->name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void pump(struct forward *f);

long
forward_enqueue(struct forward *f, const char *msg, size_t len, long *dropped,
    struct err *err)
{
	sqlite3_stmt *q;
	long n;
	int rc;

	*dropped = 0;
	if ((n = forward_waiting(f)) == -1)
		return store_err(&f->st, err, "the syslog queue");
	if (n >= FORWARD_QUEUE_MAX) {
		*dropped = n - FORWARD_QUEUE_MAX + 1;
		q = store_prepare(&f->st,
		    "DELETE FROM syslog_queue WHERE id IN (SELECT id FROM "
		    "syslog_queue WHERE action = ? ORDER BY id LIMIT ?)",
		    err);
		if (q == NULL)
			return -1;
		sqlite3_bind_text(q, 1, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, *dropped);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return store_err(&f->st, err, "the syslog queue");
		n -= *dropped;
		/* the message in flight may be one of them: it is sent */
	}
	q = store_prepare(&f->st,
	    "INSERT INTO syslog_queue (action, msg, queued) VALUES (?, ?, "
	    "strftime('%s', 'now'))",
	    err);
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 2, msg, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_err(&f->st, err, "the syslog queue");
	pump(f);
	return n + 1;
}

static void tell(struct forward *f, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct forward *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
tell(struct forward *f, int ok, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	if (f->fn == NULL)
		return;
	va_start(ap, fmt);
	str_vprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	f->fn(ok, text, forward_waiting(f), f->arg);
}

static void
set_timer(struct forward *f, double secs)
{
	struct timeval tv = {
	    (time_t)secs, (suseconds_t)((secs - (double)(time_t)secs) * 1e6)};

	event_add(f->ev_tm, &tv);
}

/*
 * The orderly end of a connection that works: TLS's close_notify, the
 * socket's end of output, then what the server sends (TLS 1.3's session
 * tickets, its own close) read until it closes its side, GOODBYE_WAIT at
 * most.  Closed with input unread, a socket is reset, and a server told
 * of the reset may drop what it had not yet read; one that sees the
 * stream end without close_notify logs an error for each connection.
 */
static void
goodbye(struct forward *f)
{
	double until = clock_mono() + GOODBYE_WAIT;
	char buf[4096];

	if (f->fd == -1 || f->state != F_UP)
		return;
	if (f->ssl != NULL)
		(void)SSL_shutdown(f->ssl);
	(void)shutdown(f->fd, SHUT_WR);
	for (;;) {
		struct pollfd pfd = {f->fd, POLLIN, 0};
		double left = until - clock_mono();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			return;
		while ((n = recv(f->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			;
		if (n == 0 ||
		    (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return;
	}
}

/* Closes the socket and its events; the next attempt is the caller's. */
static void
close_conn(struct forward *f)
{
	if (f->ev_rd != NULL)
		event_free(f->ev_rd);
	if (f->ev_wr != NULL)
		event_free(f->ev_wr);
	f->ev_rd = f->ev_wr = NULL;
	if (f->ssl != NULL)
		SSL_free(f->ssl);
	f->ssl = NULL;
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
	if (f->ai != NULL)
		freeaddrinfo(f->ai);
	f->ai = f->ai_next = NULL;
	/* what was cut short is read again from the queue and sent whole */
	strbuf_reset(&f->cur);
	f->cur_id = 0;
	f->off = 0;
}

/* The attempt failed: tells it (once until it works) and waits. */
static void
fail(struct forward *f, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	str_vprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	close_conn(f);
	f->state = F_IDLE;
	if (f->draining) {
		/* a command wants its answer now: the queue stays */
		tell(f, 0, "%s", why);
		event_base_loopbreak(f->base);
		return;
	}
	if (!f->down_told) {
		f->down_told = 1;
		tell(f, 0, "%s; retrying every %g s at most", why,
		    FORWARD_RETRY_MAX);
	}
	set_timer(f, f->retry);
	f->retry *= 2;
	if (f->retry > FORWARD_RETRY_MAX)
		f->retry = FORWARD_RETRY_MAX;
}

/* The connection can carry messages. */
static void
established(struct forward *f)
{
	f->state = F_UP;
	event_del(f->ev_tm);
	f->retry = FORWARD_RETRY_MIN;
	if (f->down_told) {
		f->down_told = 0;
		tell(f, 1, "connected to '%s' again", f->server);
	}
	pump(f);
}

static void on_read(evutil_socket_t fd, short what, void *arg);
static void on_write(evutil_socket_t fd, short what, void *arg);

/* The last TLS error as text: the certificate's, or OpenSSL's. */
static void
tls_why(struct forward *f, char *dst, size_t dstsz)
{
	long v = SSL_get_verify_result(f->ssl);
	unsigned long e = ERR_get_error();

	if (v != X509_V_OK)
		str_printf(dst, dstsz, "its certificate is refused: %s",
		    X509_verify_cert_error_string(v));
	else if (e != 0)
		ERR_error_string_n(e, dst, dstsz);
	else
		str_copy(dst, dstsz, "the connection was closed");
}

/*
 * TLS 1.3: the client's handshake is over before the server has checked
 * its last message, so a message sent at once can go down with a session
 * the server then gives up.  The server's session ticket, which it sends
 * once it has, settles it; a server that sends none is waited for
 * SETTLE_WAIT.  Nothing is written before: an error fails the attempt
 * with every message still in the queue.
 */
static int closed(struct forward *f);

static void
settle(struct forward *f)
{
	/* closed() reads what came (the ticket among it) or fails */
	if (!closed(f) && SSL_SESSION_is_resumable(SSL_get_session(f->ssl)))
		established(f);
}

/* Goes on with the handshake until it is done or waits for the socket. */
static void
handshake(struct forward *f)
{
	int rc = SSL_connect(f->ssl);
	char why[300];

	if (rc == 1 && SSL_version(f->ssl) == TLS1_3_VERSION) {
		f->state = F_SETTLE;
		set_timer(f, SETTLE_WAIT);
		settle(f);
		return;
	}
	if (rc == 1) {
		established(f);
		return;
	}
	switch (SSL_get_error(f->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		return; /* the read event is on */
	case SSL_ERROR_WANT_WRITE:
		event_add(f->ev_wr, NULL);
		return;
	default:
		tls_why(f, why, sizeof(why));
		fail(f, "no TLS with '%s': %s", f->server, why);
	}
}

/* Connected: TLS starts, or the connection is up. */
static void
up(struct forward *f)
{
	unsigned char addr[sizeof(struct in6_addr)];

	f->ai_next = NULL;
	if (f->ai != NULL)
		freeaddrinfo(f->ai);
	f->ai = NULL;
	event_add(f->ev_rd, NULL);
	if (f->ctx == NULL) {
		established(f);
		return;
	}
	f->state = F_HANDSHAKE;
	if ((f->ssl = SSL_new(f->ctx)) == NULL ||
	    SSL_set_fd(f->ssl, f->fd) != 1) {
		fail(f, "cannot start TLS with '%s'", f->server);
		return;
	}
	/* the name the certificate must have: an address, or SNI's name */
	if (inet_pton(AF_INET, f->host, addr) == 1 ||
	    inet_pton(AF_INET6, f->host, addr) == 1) {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(f->ssl), f->host);
	} else {
		SSL_set_tlsext_host_name(f->ssl, f->host);
		SSL_set1_host(f->ssl, f->host);
	}
	handshake(f);
}

/* Connects to the next address of the lookup, or fails. */
static void
try_next(struct forward *f)
{
	while (f->ai_next != NULL) {
		struct addrinfo *ai = f->ai_next;
		int fd = socket(ai->ai_family,
		    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);

		f->ai_next = ai->ai_next;
		if (fd == -1) {
			f->last_errno = errno;
			continue;
		}
		f->fd = fd;
		f->ev_rd =
		    event_new(f->base, fd, EV_READ | EV_PERSIST, on_read, f);
		f->ev_wr = event_new(f->base, fd, EV_WRITE, on_write, f);
		if (f->ev_rd == NULL || f->ev_wr == NULL) {
			fail(f, "cannot watch the connection to '%s'",
			    f->server);
			return;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			up(f);
			return;
		}
		if (errno == EINPROGRESS) {
			f->state = F_CONNECTING;
			event_add(f->ev_wr, NULL);
			set_timer(f, FORWARD_CONNECT_TIMEOUT);
			return;
		}
		f->last_errno = errno;
		event_free(f->ev_rd);
		event_free(f->ev_wr);
		f->ev_rd = f->ev_wr = NULL;
		close(fd);
		f->fd = -1;
	}
	fail(f, "cannot connect to '%s': %s", f->server,
	    strerror(f->last_errno ? f->last_errno : ECONNREFUSED));
}

static void
resolved(struct forward *f, int rc, struct addrinfo *res)
{
	if (rc != 0) {
		fail(f, "cannot look up '%s': %s", f->host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return;
	}
	f->ai = f->ai_next = res;
	f->last_errno = 0;
	try_next(f);
}

/* Starts an attempt: the lookup (at once for an address), the connect. */
static void
start(struct forward *f)
{
	unsigned char buf[sizeof(struct in6_addr)];
	struct gaicb *list[1] = {&f->gcb};
	struct addrinfo *res = NULL;
	int rc;

	f->state = F_RESOLVING;
	memset(&f->hints, 0, sizeof(f->hints));
	f->hints.ai_socktype = SOCK_STREAM;
	f->hints.ai_flags = AI_NUMERICSERV;
	if (inet_pton(AF_INET, f->host, buf) == 1 ||
	    inet_pton(AF_INET6, f->host, buf) == 1) {
		f->hints.ai_flags |= AI_NUMERICHOST;
		rc = getaddrinfo(f->host, f->port, &f->hints, &res);
		resolved(f, rc, res);
		return;
	}
	memset(&f->gcb, 0, sizeof(f->gcb));
	f->gcb.ar_name = f->host;
	f->gcb.ar_service = f->port;
	f->gcb.ar_request = &f->hints;
	if ((rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		resolved(f, rc, NULL);
		return;
	}
	f->gai_busy = 1;
	set_timer(f, RESOLVE_POLL);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct forward *f = arg;
	int rc;

	(void)fd;
	(void)what;
	switch (f->state) {
	case F_IDLE:
		start(f);
		break;
	case F_RESOLVING:
		if ((rc = gai_error(&f->gcb)) == EAI_INPROGRESS) {
			set_timer(f, RESOLVE_POLL);
			break;
		}
		f->gai_busy = 0;
		resolved(f, rc, rc == 0 ? f->gcb.ar_result : NULL);
		break;
	case F_CONNECTING:
		fail(f, "cannot connect to '%s': no answer in %g s", f->server,
		    FORWARD_CONNECT_TIMEOUT);
		break;
	case F_HANDSHAKE:
		fail(f, "no TLS with '%s': no handshake in %g s", f->server,
		    FORWARD_CONNECT_TIMEOUT);
		break;
	case F_SETTLE: /* no session ticket: on without it */
		established(f);
		break;
	case F_UP:
		break;
	}
}

/* 1 when the server closed the connection (or it broke): failed then. */
static int
closed(struct forward *f)
{
	char buf[4096];
	ssize_t n;

	if (f->ssl != NULL) {
		for (;;) {
			int rc = SSL_read(f->ssl, buf, sizeof(buf));

			if (rc > 0)
				continue;
			switch (SSL_get_error(f->ssl, rc)) {
			case SSL_ERROR_WANT_READ:
			case SSL_ERROR_WANT_WRITE:
				return 0;
			case SSL_ERROR_ZERO_RETURN:
				fail(
				    f, "'%s' closed the connection", f->server);
				return 1;
			default:
				tls_why(f, buf, sizeof(buf));
				fail(f, "the connection to '%s' broke: %s",
				    f->server, buf);
				return 1;
			}
		}
	}
	for (;;) {
		n = recv(f->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0)
			continue; /* a server says nothing we need */
		if (n == 0) {
			fail(f, "'%s' closed the connection", f->server);
			return 1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		fail(f, "the connection to '%s' broke: %s", f->server,
		    strerror(errno));
		return 1;
	}
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct forward *f = arg;

	(void)fd;
	(void)what;
	if (f->state == F_HANDSHAKE)
		handshake(f);
	else if (f->state == F_SETTLE)
		settle(f);
	else if (!closed(f) && f->cur.len > 0)
		pump(
		    f); /* a TLS write may have waited for the socket's input */
}

/* Writes from f->cur at f->off: bytes written, 0 to wait, -1 failed. */
static ssize_t
write_some(struct forward *f)
{
	ssize_t n;
	char why[300];
	int rc;

	if (f->ssl == NULL) {
		for (;;) {
			n = send(f->fd, f->cur.p + f->off, f->cur.len - f->off,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n >= 0)
				return n;
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				event_add(f->ev_wr, NULL);
				return 0;
			}
			fail(f, "cannot write to '%s': %s", f->server,
			    strerror(errno));
			return -1;
		}
	}
	rc = SSL_write(f->ssl, f->cur.p + f->off, (int)(f->cur.len - f->off));
	if (rc > 0)
		return rc;
	switch (SSL_get_error(f->ssl, rc)) {
	case SSL_ERROR_WANT_WRITE:
		event_add(f->ev_wr, NULL);
		return 0;
	case SSL_ERROR_WANT_READ:
		return 0; /* the read event is on */
	default:
		tls_why(f, why, sizeof(why));
		fail(f, "cannot write to '%s': %s", f->server, why);
		return -1;
	}
}

/* Reads the oldest message into f->cur as a frame: 1, 0 none, -1 error. */
static int
load_head(struct forward *f)
{
	sqlite3_stmt *q = store_prepare(&f->st,
	    "SELECT id, msg FROM syslog_queue WHERE action = ? ORDER BY id "
	    "LIMIT 1",
	    NULL);
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, f->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		strbuf_reset(&f->cur);
		f->cur_id = sqlite3_column_int64(q, 0);
		syslog5424_frame(sqlite3_column_blob(q, 1),
		    (size_t)sqlite3_column_bytes(q, 1), &f->cur);
		f->off = 0;
		rc = strbuf_failed(&f->cur) ? -1 : 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(q);
	return rc;
}

static int
delete_head(struct forward *f)
{
	sqlite3_stmt *q = store_prepare(
	    &f->st, "DELETE FROM syslog_queue WHERE id = ?", NULL);
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, f->cur_id);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes the queue in order while the socket takes it. */
static void
pump(struct forward *f)
{
	struct err err = {0};

	for (int i = 0; f->state == F_UP && i < PUMP_BATCH; i++) {
		ssize_t n;

		if (f->cur.len == 0) {
			int rc = load_head(f);

			if (rc == 0) {
				if (f->draining)
					event_base_loopbreak(f->base);
				return;
			}
			if (rc == -1) {
				store_err(&f->st, &err, "the syslog queue");
				fail(f, "%s", err.msg);
				return;
			}
		}
		if (closed(f))
			return;
		if ((n = write_some(f)) <= 0)
			return;
		f->off += (size_t)n;
		if (f->off < f->cur.len) {
			event_add(f->ev_wr, NULL);
			return;
		}
		/* all of it is in the socket: only now out of the queue */
		if (delete_head(f) == -1) {
			store_err(&f->st, &err, "the syslog queue");
			fail(f, "sent, but %s", err.msg);
			return;
		}
		strbuf_reset(&f->cur);
		f->cur_id = 0;
		f->sent++;
	}
	/* more than a batch: the loop gets a turn, then the socket's event */
	if (f->state == F_UP)
		event_add(f->ev_wr, NULL);
}

static void
on_write(evutil_socket_t fd, short what, void *arg)
{
	struct forward *f = arg;
	int e = 0;
	socklen_t len = sizeof(e);

	(void)what;
	if (f->state == F_HANDSHAKE) {
		handshake(f);
		return;
	}
	if (f->state == F_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
			e = errno;
		if (e != 0) {
			f->last_errno = e;
			event_free(f->ev_rd);
			event_free(f->ev_wr);
			f->ev_rd = f->ev_wr = NULL;
			close(f->fd);
			f->fd = -1;
			event_del(f->ev_tm);
			try_next(f);
			return;
		}
		up(f);
		return;
	}
	pump(f);
}

/* Stops a lookup in progress, waiting for it if it cannot be cancelled. */
static void
stop_lookup(struct forward *f)
{
	const struct gaicb *list[1] = {&f->gcb};

	if (!f->gai_busy)
		return;
	if (gai_cancel(&f->gcb) != EAI_CANCELED)
		while (gai_error(&f->gcb) == EAI_INPROGRESS)
			gai_suspend(list, 1, NULL);
	if (gai_error(&f->gcb) == 0 && f->gcb.ar_result != NULL)
		freeaddrinfo(f->gcb.ar_result);
	f->gai_busy = 0;
}

static void
detach(struct forward *f)
{
	stop_lookup(f);
	goodbye(f);
	close_conn(f);
	if (f->ev_tm != NULL)
		event_free(f->ev_tm);
	f->ev_tm = NULL;
	f->base = NULL;
	f->state = F_IDLE;
	f->retry = FORWARD_RETRY_MIN;
}

int
forward_attach(struct forward *f, struct event_base *base, struct err *err)
{
	if (f->base == base)
		return 0;
	if (f->base != NULL)
		detach(f);
	if (base == NULL)
		return 0;
	if (dynlib_require(DYNLIB_EVENT, err) == -1)
		return -1;
	if ((f->ev_tm = event_new(base, -1, 0, on_timer, f)) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	f->base = base;
	start(f);
	return 0;
}

void
forward_kick(struct forward *f)
{
	if (f->state == F_UP && f->cur.len == 0)
		pump(f);
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

long
forward_drain(struct forward *f, double secs)
{
	struct event_base *base;
	struct event *dl;
	struct timeval tv = {(time_t)secs, 0};
	struct sigaction ign = {0}, old;
	long n;

	if (f->base != NULL)
		return forward_waiting(f);
	if ((n = forward_waiting(f)) <= 0)
		return n;
	if (dynlib_require(DYNLIB_EVENT, NULL) == -1 ||
	    (base = event_base_new()) == NULL)
		return -1;
	if ((dl = event_new(base, -1, 0, on_deadline, base)) == NULL) {
		event_base_free(base);
		return -1;
	}
	event_add(dl, &tv);
	f->draining = 1;
	f->sent = 0;
	f->down_told = 0;
	/* TLS writes with write(2): a server gone must not end the command */
	sigemptyset(&ign.sa_mask);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	if (forward_attach(f, base, NULL) == 0 && f->state != F_IDLE &&
	    forward_waiting(f) > 0)
		event_base_dispatch(base);
	detach(f);
	sigaction(SIGPIPE, &old, NULL);
	f->draining = 0;
	event_free(dl);
	event_base_free(base);
	n = forward_waiting(f);
	if (n == 0 || f->sent > 0)
		tell(f, n == 0, "%ld sent to '%s'", f->sent, f->server);
	f->down_told = 0;
	return n;
}

void
forward_free(struct forward *f)
{
	if (f == NULL)
		return;
	detach(f);
	strbuf_release(&f->cur);
	store_close(&f->st);
	if (f->ctx != NULL)
		SSL_CTX_free(f->ctx);
	free(f);
}
