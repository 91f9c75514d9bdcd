/*
 * http.c - the agent's HTTP side (see http.h): the listening rules and
 * libmicrohttpd on the agent's libevent loop.  MHD runs in its external
 * epoll mode: its one epoll descriptor is a read event of the loop, and
 * a timer follows MHD_get_timeout, so the agent stays single-threaded.
 */
#include "agent/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <microhttpd.h>

#include "agent/agent_int.h"
#include "agent/dash.h"
#include "agent/expo.h"
#include "agent/metrics.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "check/check.h"
#include "collect/netdev.h"
#include "collect/snap.h"
#include "collect/sock.h"
#include "inv/inventory.h"

/* What /metrics reads of the machine. */
#define HTTP_SNAP                                                              \
	(SNAP_BIT(SNAP_LOAD) | SNAP_BIT(SNAP_CPU) | SNAP_BIT(SNAP_MEM) |       \
	    SNAP_BIT(SNAP_VM) | SNAP_BIT(SNAP_FS) | SNAP_BIT(SNAP_DISK))
/* The server table is collected again after this many seconds. */
#define HTTP_INV_SECS 300
/* Largest exposition, PEM file and token file. */
#define HTTP_BODY_MAX (64u << 20)
#define HTTP_PEM_MAX (1u << 20)
#define HTTP_TOKEN_MAX 4096
/* Connections at once, and seconds an idle one is kept. */
#define HTTP_CONN_MAX 64
#define HTTP_CONN_TIMEOUT 15

struct http_server {
	struct agent *a;
	struct MHD_Daemon *d;
	struct event *ev_io, *ev_timer;
	char *token; /* NULL: none asked */
	size_t token_len;
	struct inventory *inv; /* the server table, cached */
	time_t inv_at;
	struct dash *dash; /* the pages and the API */
};

/* A POST body being read (the request's req_cls). */
struct http_post {
	char body[DASH_FORM_MAX];
	size_t len;
	int truncated;
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
	struct netdevs nd = {0};
	uint64_t tcp[SOCK_STATE_MAX + 1] = {0};
	struct err err = {0};
	struct snap s;

	snap_take(&s, a->o->root, HTTP_SNAP, 0, 0);
	m.snap = &s;
	m.hz = sysconf(_SC_CLK_TCK);
	if (netdev_read(a->o->root, &nd, &err) == 0)
		m.net = &nd;
	else
		log_debug("/metrics: %s", err.msg);
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
	expo_end(&e);
	free(ck);
	free(pl.p);
	netdev_release(&nd);
	snap_release(&s);
}

enum MHD_Result
http_respond(struct MHD_Connection *c, unsigned status, const char *type,
    const char *body, size_t len, const char *const *hdrs)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(
	    len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	(void)MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	(void)MHD_add_response_header(
	    r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	(void)MHD_add_response_header(r, "Content-Security-Policy", DASH_CSP);
	(void)MHD_add_response_header(r, "X-Frame-Options", "DENY");
	(void)MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	for (size_t i = 0; hdrs != NULL && hdrs[i] != NULL; i += 2)
		(void)MHD_add_response_header(r, hdrs[i], hdrs[i + 1]);
	if (status == MHD_HTTP_UNAUTHORIZED)
		(void)MHD_add_response_header(
		    r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED && hdrs == NULL)
		(void)MHD_add_response_header(
		    r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
respond_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return http_respond(
	    c, status, "text/plain; charset=utf-8", text, strlen(text), NULL);
}

/* 1 if the request carries "Authorization: Bearer TOKEN" (or none is asked). */
static int
authorized(const struct http_server *h, struct MHD_Connection *c)
{
	const char *v;
	size_t n;
	unsigned char diff = 0;

	if (h->token == NULL)
		return 1;
	v = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (v == NULL || strncasecmp(v, "Bearer ", 7) != 0)
		return 0;
	v += 7;
	while (*v == ' ')
		v++;
	n = strlen(v);
	if (n != h->token_len)
		return 0;
	/* every byte compared: the time says nothing of the token */
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(v[i] ^ h->token[i]);
	return diff == 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct http_server *h = cls;
	struct strbuf body = STRBUF_INIT(HTTP_BODY_MAX);
	const char *accept;
	enum expo_fmt fmt;
	enum MHD_Result ret;

	(void)version;
	if (!authorized(h, c))
		return respond_text(c, MHD_HTTP_UNAUTHORIZED,
		    "a bearer token is needed: Authorization: Bearer TOKEN\n");
	if (strcmp(method, "POST") == 0 && h->dash != NULL && dash_owns(url)) {
		struct http_post *p = *req_cls;

		/* MHD calls again for each piece of the body, then once
		 * with none: the answer comes then */
		if (p == NULL) {
			if ((p = calloc(1, sizeof(*p))) == NULL)
				return MHD_NO;
			*req_cls = p;
			return MHD_YES;
		}
		if (*upload_data_size > 0) {
			size_t n = *upload_data_size;

			if (n > sizeof(p->body) - p->len) {
				n = sizeof(p->body) - p->len;
				p->truncated = 1;
			}
			memcpy(p->body + p->len, upload_data, n);
			p->len += n;
			*upload_data_size = 0;
			return MHD_YES;
		}
		return dash_answer(
		    h->dash, c, url, method, p->body, p->len, p->truncated);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    (h->dash == NULL || !dash_owns(url)))
		return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD are served\n");
	if (strcmp(url, "/metrics") != 0 && h->dash != NULL && dash_owns(url))
		return dash_answer(h->dash, c, url, method, NULL, 0, 0);
	if (strcmp(url, "/metrics") != 0)
		return respond_text(c, MHD_HTTP_NOT_FOUND,
		    "not found: the agent serves /metrics, the dashboard "
		    "at / and /api/v1/\n");
	accept = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	fmt = expo_negotiate(accept, accept ? strlen(accept) : 0);
	render(h, fmt, &body);
	if (strbuf_failed(&body)) {
		strbuf_release(&body);
		return respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory for the metrics\n");
	}
	ret = http_respond(c, MHD_HTTP_OK, expo_content_type(fmt),
	    body.p ? body.p : "", body.len, NULL);
	strbuf_release(&body);
	return ret;
}

/* Frees a POST body once its request is over. */
static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*req_cls);
	*req_cls = NULL;
}

/* Runs MHD, then arms the timer for what it waits for. */
static void
run(struct http_server *h)
{
	MHD_UNSIGNED_LONG_LONG ms;

	(void)MHD_run(h->d);
	if (MHD_get_timeout(h->d, &ms) == MHD_YES)
		(void)agent_timer_arm(h->ev_timer, (double)ms / 1000.0);
}

static void
on_io(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	run(arg);
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

static void
http_server_free(struct http_server *h)
{
	if (h == NULL)
		return;
	if (h->ev_io != NULL)
		event_free(h->ev_io);
	if (h->ev_timer != NULL)
		event_free(h->ev_timer);
	if (h->d != NULL)
		MHD_stop_daemon(h->d);
	if (h->token != NULL) {
		explicit_bzero(h->token, h->token_len);
		free(h->token);
	}
	free(h->inv);
	dash_free(h->dash);
	free(h);
}

static struct http_server *
http_server_new(struct agent *a, const struct http_conf *c, struct err *err)
{
	struct http_server *h;
	struct http_addr addr;
	char *cert = NULL, *key = NULL;
	size_t len;
	unsigned flags = MHD_USE_EPOLL;
	const union MHD_DaemonInfo *info;
	const char *l = c->listen ? c->listen : HTTP_DEFAULT;

	if (http_conf_check(c, err) == -1 ||
	    http_addr_parse(l, &addr, err) == -1)
		return NULL;
	if (dynlib_require(DYNLIB_MHD, err) == -1)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	h->a = a;
	if ((h->dash = dash_new(a, err)) == NULL)
		goto fail;
	if (c->token_file != NULL && read_token(h, c->token_file, err) == -1)
		goto fail;
	if (c->cert != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			err_set(err, ENOTSUP,
			    "listen '%s': this libmicrohttpd has no TLS", l);
			goto fail;
		}
		if (read_file(c->cert, HTTP_PEM_MAX, &cert, &len, err) == -1 ||
		    read_file(c->key, HTTP_PEM_MAX, &key, &len, err) == -1)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	if (addr.ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr.ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONN_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONN_TIMEOUT,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)NULL,
	    cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(cert);
	if (h->d == NULL) {
		/* MHD says no more; binding is what fails in practice */
		int fd = socket(addr.ss.ss_family, SOCK_STREAM, 0);
		int e = EINVAL;

		if (fd != -1) {
			int one = 1;

			(void)setsockopt(
			    fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			e = bind(fd, (struct sockaddr *)&addr.ss, addr.len) ==
			        -1
			    ? errno
			    : EPROTO;
			close(fd);
		}
		err_sys(err, e, "cannot listen on '%s'", l);
		goto fail;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL ||
	    (h->ev_io = event_new(a->base, info->epoll_fd, EV_READ | EV_PERSIST,
	         on_io, h)) == NULL ||
	    event_add(h->ev_io, NULL) == -1 ||
	    (h->ev_timer = event_new(a->base, -1, 0, on_io, h)) == NULL) {
		err_set(err, EIO, "listen '%s': cannot add it to the loop", l);
		goto fail;
	}
	run(h);
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
