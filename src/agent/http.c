/*
 * http.c - the agent's HTTP side (see http.h), the root parent's half:
 * the listening rules, the listening socket (bound here, so a privileged
 * port and any configured address work), the certificate, key and token
 * files read here, and the answers.  HTTP itself is spoken by the HTTP
 * child (http_child.c, "sakimori-http"), given the socket and those
 * files' bytes: it sends the parent each request as a typed, checked
 * PRIV_HTTP, and the parent renders the answer from its own structures
 * (dash.c, metrics.c) and sends it back in pieces; /metrics' series of
 * the machine (read from /proc) are the parsing child's, copied in.
 * libmicrohttpd is loaded in the child only.
 */
#include "agent/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/agent_int.h"
#include "agent/child.h"
#include "agent/dash.h"
#include "agent/expo.h"
#include "agent/metrics.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "check/check.h"
#include "collect/sock.h"
#include "inv/inventory.h"

/* The server table is collected again after this many seconds. */
#define HTTP_INV_SECS 300
/* Largest answer, PEM file and token file. */
#define HTTP_BODY_MAX PRIV_HTTP_TOTAL
#define HTTP_PEM_MAX (1u << 20)
#define HTTP_TOKEN_MAX 4096
/* Seconds the child has to say it serves, and to take an answer. */
#define HTTP_START_SECS 60
#define HTTP_SEND_SECS 10
/* Seconds the child stays without a connection ("set listen-idle"). */
#define HTTP_IDLE_SECS 60

struct http_server {
	struct agent *a;
	const char *listen;
	int lfd;     /* the listening socket */
	char *token; /* NULL: none asked */
	size_t token_len;
	char *cert, *key; /* PEM, NULL: plain HTTP */
	size_t cert_len, key_len;
	struct inventory *inv; /* the server table, cached */
	time_t inv_at;
	struct dash *dash; /* the pages and the API */
	/* the HTTP child */
	struct priv_parent pp;
	struct child_sup *sup;
	struct event *ev_child, *ev_chld, *ev_restart;
	struct event *ev_listen;  /* a connection waits: start the child */
	int ready;                /* the child said it serves */
	long idle;                /* seconds it may idle; 0: never exits */
	int first;                /* its first start, the agent's own */
	char said[PRIV_TEXT_MAX]; /* what it said instead, at start */
};

int
http_addr_parse(const char *s, struct http_addr *out, struct err *err)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port = NULL, *h = s;
	size_t hlen;
	uint64_t p = HTTP_PORT;

	memset(out, 0, sizeof(*out));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL)
			return err_set(err, EINVAL,
			    "listen '%s': expected ']' after the IPv6 address",
			    s);
		h = s + 1;
		hlen = (size_t)(close - h);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return err_set(err, EINVAL,
			    "listen '%s': expected ':PORT' after ']'", s);
	} else {
		const char *colon = strrchr(s, ':');

		if (colon != NULL && strchr(s, ':') != colon)
			return err_set(err, EINVAL,
			    "listen '%s': an IPv6 address goes in brackets "
			    "([::1]:%d)",
			    s, HTTP_PORT);
		hlen = colon ? (size_t)(colon - s) : strlen(s);
		if (colon != NULL)
			port = colon + 1;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return err_set(err, EINVAL, "listen '%s': no address", s);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (port != NULL && (str_u64(port, &p) == -1 || p == 0 || p > 65535))
		return err_set(err, EINVAL,
		    "listen '%s': the port is not a number from 1 to 65535", s);
	if (h == s) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&out->ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return err_set(err, EINVAL,
			    "listen '%s': '%s' is not an IPv4 address", s,
			    host);
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		out->len = sizeof(*sin);
		out->loopback =
		    (ntohl(sin->sin_addr.s_addr) >> 24) == IN_LOOPBACKNET;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->ss;
		const uint8_t *b = sin6->sin6_addr.s6_addr;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return err_set(err, EINVAL,
			    "listen '%s': '%s' is not an IPv6 address", s,
			    host);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		out->len = sizeof(*sin6);
		out->loopback = IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) &&
		        b[12] == IN_LOOPBACKNET);
	}
	return 0;
}

int
http_conf_check(const struct http_conf *c, struct err *err)
{
	struct http_addr a;
	const char *l = c->listen ? c->listen : HTTP_DEFAULT;

	if (strcmp(l, "no") == 0)
		return 0;
	if (http_addr_parse(l, &a, err) == -1)
		return -1;
	if ((c->cert == NULL) != (c->key == NULL))
		return err_set(err, EINVAL,
		    "listen '%s': HTTPS needs both 'set listen-cert' and "
		    "'set listen-key'",
		    l);
	if (!a.loopback && (c->cert == NULL || c->token_file == NULL))
		return err_set(err, EINVAL,
		    "listen '%s': not a loopback address, so the agent serves "
		    "there only over HTTPS with a bearer token: set "
		    "listen-cert, listen-key and listen-token-file "
		    "(refusing to start)",
		    l);
	return 0;
}

/* Counts a TCP socket by its state. */
static int
count_state(const struct sock_entry *e, void *arg)
{
	uint64_t *n = arg;

	if (e->state <= SOCK_STATE_MAX)
		n[e->state]++;
	return 0;
}

struct problem_list {
	struct problem_info *p;
	size_t n, cap;
};

static void
add_problem(void *arg, const struct problem_info *i)
{
	struct problem_list *l = arg;

	if (mem_grow(&l->p, &l->cap, l->n + 1, sizeof(*l->p)) == 0)
		l->p[l->n++] = *i;
}

/* Collects the server table again (kept as it was when that fails). */
static void
inventory(struct http_server *h, time_t now)
{
	const struct conf *c = &h->a->conf;
	struct inv_opts o = {0};
	struct inventory *v;
	struct err err = {0};

	h->inv_at = now; /* tried: again in HTTP_INV_SECS, not at once */
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return;
	o.root = h->a->o->root;
	o.location = conf_setting(c, "location", NULL);
	o.rack = conf_setting(c, "rack", NULL);
	o.owner = conf_setting(c, "owner", NULL);
	o.hostname = conf_setting(c, "hostname", NULL);
	if (inv_collect(v, &o, &err) == -1) {
		log_warnx("/metrics: the server table: %s", err.msg);
		free(v);
		return;
	}
	free(h->inv);
	h->inv = v;
}

const struct inventory *
http_inventory(struct http_server *h)
{
	time_t now = time(NULL);

	if (h->inv_at == 0 || now < h->inv_at ||
	    now - h->inv_at >= HTTP_INV_SECS)
		inventory(h, now);
	return h->inv;
}

/* The current values, written in fmt into body. */
static void
render(struct http_server *h, enum expo_fmt fmt, struct strbuf *body)
{
	struct agent *a = h->a;
	struct expo e = {body, fmt};
	struct metrics_src m = {0};
	struct metrics_check *ck;
	struct sock_query q = {0};
	struct problem_list pl = {0};
	uint64_t tcp[SOCK_STATE_MAX + 1] = {0};
	struct err err = {0};

	/* the machine's series, written by the parsing child: /proc is
	 * not parsed here */
	m.machine = agent_logs_machine(a, (int)fmt, body) == 0
	    ? METRICS_MACHINE_UP
	    : METRICS_MACHINE_DOWN;
	q.families = SOCK_INET4 | SOCK_INET6;
	q.protos = SOCK_TCP;
	q.states = SOCK_STATES_ALL;
	q.addr_only = 1;
	if (sock_walk(&q, a->o->root, count_state, tcp, NULL, NULL, &err) == 0)
		m.tcp = tcp;
	else
		log_debug("/metrics: %s", err.msg);
	problems_each(a->pb, add_problem, &pl);
	m.pr = pl.p;
	m.npr = pl.n;
	m.inv = http_inventory(h);
	m.started = a->started;
	if ((ck = calloc(a->n ? a->n : 1, sizeof(*ck))) != NULL) {
		for (size_t i = 0; i < a->n; i++) {
			ck[i].name = a->table[i].name;
			ck[i].ids = a->table[i].ids;
			ck[i].enabled = a->sched.slot[i].enabled;
			ck[i].last = a->sched.slot[i].last;
		}
		m.checks = ck;
		m.nchecks = a->n;
	}
	metrics_write(&e, &m);
	agent_logs_metrics(&e, a);
	expo_end(&e);
	free(ck);
	free(pl.p);
}

/* A file's contents, NUL-terminated, into *out (malloc'd); 0 or -1. */
static int
read_file(
    const char *path, size_t max, char **out, size_t *len, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(max);
	int trunc = 0;

	if (file_read(path, max, &sb, &trunc, err) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	if (trunc || strbuf_addc(&sb, '\0') == -1) {
		strbuf_release(&sb);
		return err_set(
		    err, EFBIG, "'%s': larger than %zu bytes", path, max);
	}
	*len = sb.len - 1;
	*out = strbuf_detach(&sb);
	return *out ? 0 : err_set(err, ENOMEM, "out of memory");
}

/* The bearer token: the file's first line, not empty. */
static int
read_token(struct http_server *h, const char *path, struct err *err)
{
	size_t len;

	if (read_file(path, HTTP_TOKEN_MAX, &h->token, &len, err) == -1)
		return err_prefix(err, "listen-token-file");
	h->token_len = strcspn(h->token, "\r\n");
	h->token[h->token_len] = '\0';
	if (h->token_len == 0)
		return err_set(err, EINVAL,
		    "listen-token-file '%s': no token on its first line", path);
	return 0;
}

/* An answer to the child: status, type, where next, the body in pieces. */
static int
send_answer(int sock, uint32_t id, unsigned status, const char *type,
    enum priv_http_loc loc, const char *body, size_t len, struct err *err)
{
	static struct priv_http_rep piece;

	memset(&piece, 0, offsetof(struct priv_http_rep, text));
	piece.status = status;
	piece.loc = (uint32_t)loc;
	str_copy(piece.type, sizeof(piece.type), type);
	return priv_send_pieces(sock, PRIV_HTTP_REP, id, &piece,
	    offsetof(struct priv_http_rep, text),
	    offsetof(struct priv_http_rep, last),
	    offsetof(struct priv_http_rep, len), body, len, HTTP_SEND_SECS,
	    err);
}

/* PRIV_HTTP: a request the child parsed, answered from what the agent
 * holds. */
static int
on_http(void *arg, int sock, uint32_t id, const struct priv_http_req *r,
    struct err *err)
{
	static const char oom[] = "out of memory for the answer\n";
	struct http_server *h = arg;
	struct strbuf body = STRBUF_INIT(HTTP_BODY_MAX);
	enum priv_http_loc loc = PRIV_HTTP_LOC_NONE;
	const char *type;
	unsigned status;
	int rc;

	if (r->route == PRIV_HTTP_METRICS) {
		type = expo_content_type((enum expo_fmt)r->arg);
		render(h, (enum expo_fmt)r->arg, &body);
		status = 200;
	} else
		status = dash_render(h->dash, r, &body, &type, &loc);
	if (strbuf_failed(&body))
		rc = send_answer(sock, id, 500, "text/plain; charset=utf-8",
		    PRIV_HTTP_LOC_NONE, oom, sizeof(oom) - 1, err);
	else
		rc = send_answer(sock, id, status, type, loc,
		    body.p ? body.p : "", body.len, err);
	strbuf_release(&body);
	return rc;
}

/* A child's note: "ready" once it serves, else a diagnostic. */
static void
on_note(void *arg, const char *child, const char *text)
{
	struct http_server *h = arg;
	char esc[PRIV_TEXT_MAX * 4];

	if (strcmp(text, "ready") == 0) {
		h->ready = 1;
		return;
	}
	esc_text_buf(esc, sizeof(esc), text, strlen(text));
	if (!h->ready)
		str_copy(h->said, sizeof(h->said), esc);
	log_warnx("child '%s': %s", child, esc);
}

/* What the child is given to serve: the socket, the files, the secret. */
static int
child_setup(struct http_server *h, int sock, struct err *err)
{
	char note[PRIV_TEXT_MAX];
	int rc;

	rc = priv_send(
	    sock, PRIV_FD, HTTP_CHILD_FD_LISTEN, NULL, 0, h->lfd, err);
	if (rc == 0 && h->token != NULL)
		rc = priv_send_bytes(
		    sock, HTTP_CHILD_FD_TOKEN, h->token, h->token_len, err);
	if (rc == 0 && h->cert != NULL)
		rc = priv_send_bytes(
		    sock, HTTP_CHILD_FD_CERT, h->cert, h->cert_len, err);
	if (rc == 0 && h->key != NULL)
		rc = priv_send_bytes(
		    sock, HTTP_CHILD_FD_KEY, h->key, h->key_len, err);
	if (rc == 0) {
		str_printf(note, sizeof(note), "csrf %s", dash_csrf(h->dash));
		rc = priv_send_note(sock, note, err);
		explicit_bzero(note, sizeof(note));
	}
	/* started with the agent, it only shows that it can serve: it
	 * exits once it has nobody to serve, and the first connection
	 * starts it again */
	if (rc == 0 && h->idle > 0) {
		str_printf(
		    note, sizeof(note), "idle %ld", h->first ? 0 : h->idle);
		rc = priv_send_note(sock, note, err);
	}
	if (rc == 0)
		rc = priv_send_note(sock, "start", err);
	return rc;
}

static void
on_child_readable(evutil_socket_t fd, short what, void *arg)
{
	struct http_server *h = arg;

	(void)fd;
	(void)what;
	child_sup_readable(h->sup, 0);
}

/* The child started (fd) or gone (-1). */
static void
on_child_change(void *arg, size_t i, int fd)
{
	struct http_server *h = arg;
	struct err err = {0};

	(void)i;
	if (h->ev_child != NULL)
		event_free(h->ev_child);
	h->ev_child = NULL;
	h->ready = 0;
	if (fd == -1)
		return;
	h->ev_child = event_new(
	    h->a->base, fd, EV_READ | EV_PERSIST, on_child_readable, h);
	if (h->ev_child == NULL || event_add(h->ev_child, NULL) == -1)
		log_warnx("cannot wait for the HTTP child");
	else if (child_setup(h, fd, &err) == -1)
		log_warnx("cannot start the HTTP child: %s", err.msg);
}

/* With the child stopped (idle), the socket is watched for its next
 * connection; while it runs, the child accepts them. */
static void
listen_watch(struct http_server *h)
{
	if (h->ev_listen == NULL || !child_sup_stopped(h->sup, 0))
		return;
	if (event_add(h->ev_listen, NULL) == -1)
		log_warnx("cannot wait for a connection on '%s'", h->listen);
}

static void
restart_due(struct http_server *h)
{
	double next = child_sup_tick(h->sup, clock_mono());

	if (next >= 0 && agent_timer_arm(h->ev_restart, next) == -1)
		log_warnx("cannot arm the HTTP child's restart");
	listen_watch(h);
}

/* A connection waits on the socket and no child serves it: one is
 * started, given the socket, and accepts it. */
static void
on_listen(evutil_socket_t fd, short what, void *arg)
{
	struct http_server *h = arg;
	struct err err = {0};

	(void)fd;
	(void)what;
	if (child_sup_start(h->sup, 0, &err) == 0)
		return;
	log_warnx(
	    "cannot start the HTTP child: %s; trying again in 1 s", err.msg);
	if (agent_timer_arm(h->ev_restart, 1) == -1)
		log_warnx("cannot arm the HTTP child's restart");
}

static void
on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct http_server *h = arg;

	(void)sig;
	(void)what;
	child_sup_reap(h->sup, clock_mono());
	restart_due(h);
}

static void
on_restart(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	restart_due(arg);
}

/*
 * The first child, waited for until it says it serves (its libraries
 * loaded, the socket taken, the filter in force): 0, or -1 with err
 * saying what it said instead.
 */
static int
child_start(struct http_server *h, struct err *err)
{
	double end;
	int fd;

	priv_parent_init(&h->pp);
	h->pp.http = on_http;
	h->pp.http_arg = h;
	h->pp.note = on_note;
	h->pp.note_arg = h;
	h->ev_chld = event_new(
	    h->a->base, SIGCHLD, EV_SIGNAL | EV_PERSIST, on_sigchld, h);
	h->ev_restart = event_new(h->a->base, -1, 0, on_restart, h);
	if (h->ev_chld == NULL || h->ev_restart == NULL ||
	    event_add(h->ev_chld, NULL) == -1)
		return err_set(err, ENOMEM, "cannot supervise the HTTP child");
	h->sup = child_sup_new(child_user_name(&h->a->conf), &h->pp, err);
	if (h->sup == NULL)
		return -1;
	child_sup_on_change(h->sup, on_child_change, h);
	if (h->idle > 0) {
		h->ev_listen =
		    event_new(h->a->base, h->lfd, EV_READ, on_listen, h);
		if (h->ev_listen == NULL)
			return err_set(err, ENOMEM,
			    "cannot wait for connections on '%s'", h->listen);
	}
	h->first = 1;
	if (child_sup_add(h->sup, HTTP_CHILD_ROLE, err) == -1)
		return -1;
	if (h->idle > 0)
		child_sup_on_demand(h->sup, 0);
	end = clock_mono() + HTTP_START_SECS;
	while (!h->ready && (fd = child_sup_fd(h->sup, 0)) != -1 &&
	    clock_mono() < end) {
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 500) > 0)
			child_sup_readable(h->sup, 0);
	}
	h->first = 0;
	if (h->ready)
		return 0;
	return err_set(err, EIO, "listen '%s': %s", h->listen,
	    h->said[0] ? h->said : "the HTTP child did not start");
}

/* The listening socket of addr, bound here (root may take any port). */
static int
listen_socket(const struct http_addr *addr, const char *l, struct err *err)
{
	int fd, one = 1;

	fd = socket(
	    addr->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return err_sys(err, errno, "cannot listen on '%s'", l);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->ss.ss_family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&addr->ss, addr->len) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		err_sys(err, errno, "cannot listen on '%s'", l);
		close(fd);
		return -1;
	}
	return fd;
}

static void
http_server_free(struct http_server *h)
{
	if (h == NULL)
		return;
	if (h->sup != NULL) {
		child_sup_on_change(h->sup, NULL, NULL);
		child_sup_free(h->sup);
	}
	if (h->ev_child != NULL)
		event_free(h->ev_child);
	if (h->ev_chld != NULL)
		event_free(h->ev_chld);
	if (h->ev_restart != NULL)
		event_free(h->ev_restart);
	if (h->ev_listen != NULL)
		event_free(h->ev_listen);
	priv_parent_release(&h->pp);
	if (h->lfd != -1)
		close(h->lfd);
	if (h->token != NULL) {
		explicit_bzero(h->token, h->token_len);
		free(h->token);
	}
	if (h->key != NULL) {
		explicit_bzero(h->key, h->key_len);
		free(h->key);
	}
	free(h->cert);
	free(h->inv);
	dash_free(h->dash);
	free(h);
}

static struct http_server *
http_server_new(struct agent *a, const struct http_conf *c, struct err *err)
{
	struct http_server *h;
	struct http_addr addr;
	const char *l = c->listen ? c->listen : HTTP_DEFAULT;

	if (http_conf_check(c, err) == -1 ||
	    http_addr_parse(l, &addr, err) == -1)
		return NULL;
	/* loaded in a throw-away process: it is the child's library */
	if (dynlib_probe(DYNLIB_MHD, err) == -1)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	h->a = a;
	h->listen = l;
	h->lfd = -1;
	h->idle =
	    (long)conf_setting_num(&a->conf, "listen-idle", HTTP_IDLE_SECS);
	if ((h->dash = dash_new(a, err)) == NULL)
		goto fail;
	if (c->token_file != NULL && read_token(h, c->token_file, err) == -1)
		goto fail;
	if (c->cert != NULL &&
	    (read_file(c->cert, HTTP_PEM_MAX, &h->cert, &h->cert_len, err) ==
	            -1 ||
	        read_file(c->key, HTTP_PEM_MAX, &h->key, &h->key_len, err) ==
	            -1))
		goto fail;
	if ((h->lfd = listen_socket(&addr, l, err)) == -1 ||
	    child_start(h, err) == -1)
		goto fail;
	return h;
fail:
	http_server_free(h);
	return NULL;
}

int
agent_http_start(struct agent *a, struct err *err)
{
	struct http_conf c = {0};

	c.listen = a->o->listen;
	if (c.listen == NULL)
		c.listen = conf_setting(&a->conf, "listen", NULL);
	c.listen_explicit = c.listen != NULL;
	c.cert = conf_setting(&a->conf, "listen-cert", NULL);
	c.key = conf_setting(&a->conf, "listen-key", NULL);
	c.token_file = conf_setting(&a->conf, "listen-token-file", NULL);
	if (c.listen != NULL && strcmp(c.listen, "no") == 0)
		return 0;
	if ((a->http = http_server_new(a, &c, err)) != NULL) {
		log_info("serving /metrics and the dashboard on %s://%s/",
		    c.cert ? "https" : "http",
		    c.listen ? c.listen : HTTP_DEFAULT);
		return 0;
	}
	if (!c.listen_explicit && err->code != EINVAL) {
		/* the default place is taken (another agent): go on without */
		log_warnx("%s: /metrics is not served", err->msg);
		return 0;
	}
	return -1;
}

void
agent_http_stop(struct agent *a)
{
	http_server_free(a->http);
	a->http = NULL;
}
