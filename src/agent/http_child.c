/*
 * http_child.c - the agent's HTTP child (role "http", see child.h and
 * http.h): libmicrohttpd on the listening socket the root parent bound,
 * with TLS when the parent gave a certificate and key.  It checks each
 * request's bearer token, Host and Origin, method, and a form's CSRF
 * token; parses the URL, the query and the form into a typed request
 * (priv.h, PRIV_HTTP: a route and checked, bounded fields); and writes
 * to the client the answer the parent renders (PRIV_HTTP_REP pieces).
 * What it can refuse by itself (401, 403, 404, 405, 413, a bad query) it
 * answers without asking.
 *
 * To start, the parent sends the socket (PRIV_FD HTTP_CHILD_FD_LISTEN),
 * the token, certificate and key in memory files when there are, then
 * the notes "csrf HEX" and "start".  The child loads libmicrohttpd and
 * starts its daemon then, before the seccomp filter (that maps the
 * library and reads its configuration); it says "ready" once it serves,
 * or why it cannot, and exits.  It then waits in poll(2) on the daemon's
 * epoll descriptor and its channel, one request at a time.  Given the
 * note "idle SECONDS" before "start", it exits with status 0 once it has
 * had no connection for that long and none is waiting: the parent starts
 * it again when the socket has one (http.c).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "agent/child.h"
#include "agent/dash.h"
#include "agent/expo.h"
#include "agent/http.h"
#include "agent/priv.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "hist/hist.h"
#include "net/addr.h"

/* Connections at once, and seconds an idle one is kept. */
#define HC_CONN_MAX 64
#define HC_CONN_TIMEOUT 15
/* The token, certificate and key given, at most. */
#define HC_FILE_MAX (1u << 20)

static struct {
	int lfd;
	char *token; /* NULL: none asked */
	size_t token_len;
	char *cert, *key; /* NULL: plain HTTP */
	size_t cert_len, key_len;
	char csrf[2 * DASH_CSRF_BYTES + 1];
	struct MHD_Daemon *d;
	int gone; /* the parent closed the channel */
	uint32_t next_id;
	long idle; /* seconds without a connection before exiting; -1: never */
} hc = {.lfd = -1, .idle = -1};

/* A POST body being read (the request's req_cls). */
struct hc_post {
	char body[DASH_FORM_MAX];
	size_t len;
	int truncated;
};

/* Queues a response (body copied) with the headers every answer has. */
static enum MHD_Result
respond(struct MHD_Connection *c, unsigned status, const char *type,
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
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
respond_text(struct MHD_Connection *c, unsigned status, const char *text,
    const char *const *hdrs)
{
	return respond(
	    c, status, "text/plain; charset=utf-8", text, strlen(text), hdrs);
}

/* 1 if the request carries "Authorization: Bearer TOKEN" (or none is
 * asked). */
static int
authorized(struct MHD_Connection *c)
{
	const char *v;
	size_t n;
	unsigned char diff = 0;

	if (hc.token == NULL)
		return 1;
	v = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (v == NULL || strncasecmp(v, "Bearer ", 7) != 0)
		return 0;
	v += 7;
	while (*v == ' ')
		v++;
	n = strlen(v);
	if (n != hc.token_len)
		return 0;
	/* every byte compared: the time says nothing of the token */
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(v[i] ^ hc.token[i]);
	return diff == 0;
}

/* The parent's answer to r, written to the client. */
static enum MHD_Result
ask(struct MHD_Connection *c, const struct priv_http_req *r)
{
	static const char *const to_home[] = {"Location", "/", NULL};
	static const char *const to_conns[] = {
	    "Location", "/connections", NULL};
	static struct priv_msg m;
	char type[sizeof(m.u.http_rep.type)] = "";
	struct err err = {0};
	char *body = NULL;
	size_t len = 0, cap = 0;
	unsigned status = 0;
	uint32_t loc = 0, id;
	enum MHD_Result ret;
	int rc, big = 0;

	if (++hc.next_id == 0)
		hc.next_id = 1;
	id = hc.next_id;
	if (priv_send(CHILD_FD, PRIV_HTTP, id, r, sizeof(*r), -1, &err) == -1)
		goto gone;
	for (;;) {
		rc = priv_recv(CHILD_FD, PRIV_FROM_PARENT, &m, &err);
		if (rc <= 0)
			goto gone;
		if (m.fd != -1)
			close(m.fd);
		if (m.id != id)
			continue; /* a note */
		if (m.type == PRIV_ERROR) {
			log_warnx("child 'http': %s", m.u.error.msg);
			free(body);
			return respond_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
			    "the agent refused the request\n", NULL);
		}
		if (m.type != PRIV_HTTP_REP)
			continue;
		if (status == 0) {
			status = m.u.http_rep.status;
			loc = m.u.http_rep.loc;
			str_copy(type, sizeof(type), m.u.http_rep.type);
		}
		if (len + m.u.http_rep.len > PRIV_HTTP_TOTAL ||
		    mem_grow(&body, &cap, len + m.u.http_rep.len + 1, 1) == -1)
			big = 1;
		else {
			memcpy(body + len, m.u.http_rep.text, m.u.http_rep.len);
			len += m.u.http_rep.len;
		}
		if (m.u.http_rep.last)
			break;
	}
	if (big)
		ret = respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "the answer is too large\n", NULL);
	else
		ret = respond(c, status, type, body ? body : "", len,
		    loc == PRIV_HTTP_LOC_HOME              ? to_home
		        : loc == PRIV_HTTP_LOC_CONNECTIONS ? to_conns
		                                           : NULL);
	free(body);
	return ret;
gone:
	/* the parent is gone or the channel broken: this child ends */
	free(body);
	hc.gone = 1;
	return respond_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
	    "the agent is not answering\n", NULL);
}

/* An error of the API, in its JSON, from what the child refused. */
static enum MHD_Result
api_error(
    struct MHD_Connection *c, unsigned status, const char *fmt, const char *arg)
{
	static struct priv_http_req r;

	memset(&r, 0, sizeof(r));
	r.route = PRIV_HTTP_API_ERROR;
	r.arg = status;
	str_printf(r.text, sizeof(r.text), fmt, arg);
	return ask(c, &r);
}

static const struct {
	const char *path;
	enum priv_http_route route;
} pages[] = {
    {"/", PRIV_HTTP_OVERVIEW},
    {"/graphs", PRIV_HTTP_GRAPHS},
    {"/processes", PRIV_HTTP_PROCESSES},
    {"/connections", PRIV_HTTP_CONNECTIONS},
    {"/web", PRIV_HTTP_WEB},
    {"/mail", PRIV_HTTP_MAIL},
    {"/integrity", PRIV_HTTP_INTEGRITY},
    {"/disks", PRIV_HTTP_DISKS},
    {"/servers", PRIV_HTTP_SERVERS},
    {"/static/dash.css", PRIV_HTTP_CSS},
    {"/static/icon.svg", PRIV_HTTP_ICON},
    {"/favicon.ico", PRIV_HTTP_ICON},
    {"/api/v1/problems", PRIV_HTTP_API_PROBLEMS},
    {"/api/v1/status", PRIV_HTTP_API_STATUS},
    {"/api/v1/history", PRIV_HTTP_API_HISTORY_LIST},
    {"/api/v1/blocks", PRIV_HTTP_API_BLOCKS},
    {"/api/v1/web", PRIV_HTTP_API_WEB},
    {"/api/v1/mail", PRIV_HTTP_API_MAIL},
    {"/api/v1/integrity", PRIV_HTTP_API_INTEGRITY},
    {"/api/v1/disks", PRIV_HTTP_API_DISKS},
    {"/api/v1/servers", PRIV_HTTP_API_SERVERS},
};

static enum MHD_Result
not_found(struct MHD_Connection *c)
{
	return respond_text(c, MHD_HTTP_NOT_FOUND, "not found\n", NULL);
}

/* "/graph/NAME/PERIOD.png" (rest after "/graph/"): name and period. */
static int
graph_path(const char *rest, struct priv_http_req *r)
{
	const char *slash = strrchr(rest, '/'), *dot;
	size_t n;

	if (slash == NULL || (size_t)(slash - rest) >= sizeof(r->name) ||
	    (dot = strchr(slash, '.')) == NULL || strcmp(dot, ".png") != 0)
		return -1;
	memcpy(r->name, rest, (size_t)(slash - rest));
	r->name[slash - rest] = '\0';
	n = (size_t)(dot - slash - 1);
	for (uint32_t i = 0; i < PRIV_HTTP_PERIODS; i++)
		if (strlen(dash_periods[i]) == n &&
		    strncmp(dash_periods[i], slash + 1, n) == 0) {
			r->arg = i;
			return hist_name_ok(r->name) ? 0 : -1;
		}
	return -1;
}

/* GET /api/v1/history/NAME?since=T&cf=average|max. */
static enum MHD_Result
history(struct MHD_Connection *c, const char *name, struct priv_http_req *r)
{
	const char *since =
	    MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *cf =
	    MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cf");
	time_t now = time(NULL), from = now - 3 * 3600;

	if (!hist_name_ok(name))
		return api_error(c, 404, "no history of '%s'", name);
	if (since != NULL && hist_since_parse(since, now, &from) == -1)
		return api_error(c, 400,
		    "since '%s': expected a duration ago (1h) or a time",
		    since);
	if (cf != NULL && strcmp(cf, "max") != 0 && strcmp(cf, "average") != 0)
		return api_error(
		    c, 400, "cf '%s': expected average or max", cf);
	r->route = PRIV_HTTP_API_HISTORY;
	str_copy(r->name, sizeof(r->name), name);
	r->num = from < 0 ? 0 : (int64_t)from;
	r->arg = cf != NULL && strcmp(cf, "max") == 0;
	return ask(c, r);
}

/* POST /silence: check, subject and for (a duration up to 366 days). */
static enum MHD_Result
silence(struct MHD_Connection *c, const char *body, size_t n,
    struct priv_http_req *r)
{
	char fortxt[32];
	uint64_t secs = 0;

	if (dash_form_get(body, n, "check", r->check, sizeof(r->check)) != 1 ||
	    r->check[0] == '\0' ||
	    r->check[strspn(
	        r->check, "abcdefghijklmnopqrstuvwxyz0123456789._-")] != '\0' ||
	    dash_form_get(body, n, "subject", r->subject, sizeof(r->subject)) ==
	        -1 ||
	    dash_form_get(body, n, "for", fortxt, sizeof(fortxt)) != 1 ||
	    dur_parse(fortxt, strlen(fortxt), &secs) == -1 ||
	    secs > PRIV_HTTP_SILENCE_MAX)
		return respond_text(c, MHD_HTTP_BAD_REQUEST,
		    "expected check, subject and for (a duration up to "
		    "366d)\n",
		    NULL);
	r->route = PRIV_HTTP_SILENCE;
	r->num = (int64_t)secs;
	return ask(c, r);
}

/* POST /unblock: prefix, an address or a prefix. */
static enum MHD_Result
unblock(struct MHD_Connection *c, const char *body, size_t n,
    struct priv_http_req *r)
{
	char text[NET_PREFIX_STRLEN], msg[PRIV_TEXT_MAX];
	struct err err = {0};

	if (dash_form_get(body, n, "prefix", text, sizeof(text)) != 1 ||
	    net_prefix_parse(text, strlen(text), &r->prefix, &err) == -1) {
		str_printf(msg, sizeof(msg),
		    "expected prefix, an address: %s\n",
		    err.msg[0] ? err.msg : "none given");
		return respond_text(c, MHD_HTTP_BAD_REQUEST, msg, NULL);
	}
	r->route = PRIV_HTTP_UNBLOCK;
	return ask(c, r);
}

/* A request of the dashboard (dash_owns said yes). */
static enum MHD_Result
dashboard(struct MHD_Connection *c, const char *url, int post,
    const struct hc_post *p)
{
	static const char *const allow_get[] = {"Allow", "GET, HEAD", NULL};
	static const char *const allow_post[] = {"Allow", "POST", NULL};
	static struct priv_http_req r;
	int form = strcmp(url, "/silence") == 0 || strcmp(url, "/unblock") == 0;

	memset(&r, 0, sizeof(r));
	if (!dash_host_ok(MHD_lookup_connection_value(
	        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) ||
	    !dash_host_ok(
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin")))
		return respond_text(c, MHD_HTTP_FORBIDDEN,
		    "refused: the dashboard answers only to its address "
		    "(127.0.0.1:PORT) or localhost in Host and Origin\n",
		    NULL);
	if (post != form)
		return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    form ? "only POST changes state\n"
		         : "only GET and HEAD are served here\n",
		    form ? allow_post : allow_get);
	if (post) {
		if (p->truncated)
			return respond_text(c, MHD_HTTP_CONTENT_TOO_LARGE,
			    "the form is too large\n", NULL);
		if (!dash_csrf_ok(hc.csrf, p->body, p->len))
			return respond_text(c, MHD_HTTP_FORBIDDEN,
			    "refused: the form lacks the dashboard's CSRF "
			    "token\n",
			    NULL);
		return strcmp(url, "/silence") == 0
		    ? silence(c, p->body, p->len, &r)
		    : unblock(c, p->body, p->len, &r);
	}
	for (size_t i = 0; i < countof(pages); i++)
		if (strcmp(url, pages[i].path) == 0) {
			r.route = pages[i].route;
			return ask(c, &r);
		}
	if (strncmp(url, "/graphs/", 8) == 0) {
		if (!hist_name_ok(url + 8))
			return not_found(c);
		r.route = PRIV_HTTP_SERIES;
		str_copy(r.name, sizeof(r.name), url + 8);
		return ask(c, &r);
	}
	if (strncmp(url, "/graph/", 7) == 0) {
		if (graph_path(url + 7, &r) == -1)
			return not_found(c);
		r.route = PRIV_HTTP_GRAPH;
		return ask(c, &r);
	}
	if (strncmp(url, "/api/v1/history/", 16) == 0)
		return history(c, url + 16, &r);
	return api_error(c, 404, "no such API path '%s'", url);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	static struct priv_http_req r;
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	const char *accept;

	(void)cls;
	(void)version;
	if (!authorized(c))
		return respond_text(c, MHD_HTTP_UNAUTHORIZED,
		    "a bearer token is needed: Authorization: Bearer TOKEN\n",
		    NULL);
	if (strcmp(method, "POST") == 0 && dash_owns(url)) {
		struct hc_post *p = *req_cls;

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
		return dashboard(c, url, 1, p);
	}
	if (!get && !dash_owns(url)) {
		static const char *const allow[] = {"Allow", "GET, HEAD", NULL};

		return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD are served\n", allow);
	}
	if (strcmp(url, "/metrics") != 0 && dash_owns(url))
		return dashboard(c, url, 0, NULL);
	if (strcmp(url, "/metrics") != 0)
		return respond_text(c, MHD_HTTP_NOT_FOUND,
		    "not found: the agent serves /metrics, the dashboard "
		    "at / and /api/v1/\n",
		    NULL);
	accept = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	memset(&r, 0, sizeof(r));
	r.route = PRIV_HTTP_METRICS;
	r.arg = (uint32_t)expo_negotiate(accept, accept ? strlen(accept) : 0);
	return ask(c, &r);
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

/* A memory file the parent gave, into *out (NUL-terminated). */
static int
take_file(int fd, char **out, size_t *len)
{
	if (*out != NULL) {
		explicit_bzero(*out, *len);
		free(*out);
	}
	return priv_fd_read(fd, HC_FILE_MAX, out, len);
}

/* What the parent sends before "start": 0, or -1 (it is gone). */
static int
setup_recv(void)
{
	static struct priv_msg m;
	struct err err = {0};
	int r;

	for (;;) {
		r = priv_recv(CHILD_FD, PRIV_FROM_PARENT, &m, &err);
		if (r <= 0)
			return -1;
		if (m.type == PRIV_FD) {
			if (m.id == HTTP_CHILD_FD_LISTEN && hc.lfd == -1)
				hc.lfd = m.fd, m.fd = -1;
			else if (m.id == HTTP_CHILD_FD_TOKEN)
				r = take_file(m.fd, &hc.token, &hc.token_len);
			else if (m.id == HTTP_CHILD_FD_CERT)
				r = take_file(m.fd, &hc.cert, &hc.cert_len);
			else if (m.id == HTTP_CHILD_FD_KEY)
				r = take_file(m.fd, &hc.key, &hc.key_len);
			if (m.fd != -1)
				close(m.fd);
			if (r == -1)
				return -1;
		} else if (m.type == PRIV_NOTE &&
		    strncmp(m.u.text, "csrf ", 5) == 0)
			str_copy(hc.csrf, sizeof(hc.csrf), m.u.text + 5);
		else if (m.type == PRIV_NOTE &&
		    strncmp(m.u.text, "idle ", 5) == 0) {
			uint64_t v;

			if (str_u64(m.u.text + 5, &v) == 0 && v <= INT_MAX)
				hc.idle = (long)v;
		} else if (m.type == PRIV_NOTE &&
		    strcmp(m.u.text, "start") == 0)
			return 0;
	}
}

/* Tells the parent why it cannot serve: its exit status. */
static int
refuse(int status, const char *fmt, const char *arg)
{
	char msg[PRIV_TEXT_MAX];
	struct err err = {0};

	str_printf(msg, sizeof(msg), fmt, arg);
	(void)priv_send_note(CHILD_FD, msg, &err);
	return status;
}

/* The daemon on the socket given, before the filter. */
static int
http_child_prepare(void)
{
	struct err err = {0};
	unsigned flags = MHD_USE_EPOLL;

	if (setup_recv() == -1)
		return 65;
	if (hc.lfd == -1 || strlen(hc.csrf) != 2 * DASH_CSRF_BYTES)
		return refuse(65, "%s", "the setup lacks the socket or secret");
	if (dynlib_require(DYNLIB_MHD, &err) == -1)
		return refuse(69, "%s", err.msg);
	if (hc.cert != NULL && hc.key != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return refuse(
			    69, "%s", "this libmicrohttpd has no TLS");
		flags |= MHD_USE_TLS;
	}
	hc.d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_LISTEN_SOCKET, hc.lfd, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)HC_CONN_MAX, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)HC_CONN_TIMEOUT, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, (void *)NULL,
	    flags & MHD_USE_TLS ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
	    hc.cert, MHD_OPTION_HTTPS_MEM_KEY, hc.key, MHD_OPTION_END);
	if (hc.key != NULL) {
		explicit_bzero(hc.key, hc.key_len);
		free(hc.key);
		hc.key = NULL;
	}
	free(hc.cert);
	hc.cert = NULL;
	tzset(); /* reads /etc/localtime, once: the Date header's time */
	if (hc.d == NULL)
		return refuse(69, "%s",
		    flags & MHD_USE_TLS
		        ? "libmicrohttpd cannot serve HTTPS with this "
		          "certificate and key"
		        : "libmicrohttpd cannot serve on the socket");
	return 0;
}

/*
 * Whether the child has been without a connection for the idle time it
 * was given, none waiting on the socket: it may exit then, and the
 * parent starts another at the next connection (the socket is the
 * parent's: one that comes meanwhile waits in its queue).  *wait is
 * lowered to the milliseconds left until then.
 */
static int
idle_over(double *busy, int *wait)
{
	const union MHD_DaemonInfo *ci;
	struct pollfd l = {hc.lfd, POLLIN, 0};
	double now = clock_mono(), left;

	if (hc.idle < 0)
		return 0;
	ci = MHD_get_daemon_info(hc.d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	if (ci == NULL || ci->num_connections > 0 || poll(&l, 1, 0) != 0) {
		*busy = now;
		return 0;
	}
	left = *busy + (double)hc.idle - now;
	if (left <= 0)
		return 1;
	if (*wait < 0 || left * 1000 < *wait)
		*wait = (int)(left * 1000) + 1;
	return 0;
}

static int
http_child_main(int sock)
{
	static struct priv_msg m;
	const union MHD_DaemonInfo *info;
	struct err err = {0};
	struct pollfd p[2];
	double busy = clock_mono();

	info = MHD_get_daemon_info(hc.d, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL)
		return refuse(
		    71, "%s", "no epoll descriptor from libmicrohttpd");
	if (priv_send_note(sock, "ready", &err) == -1)
		return 0;
	p[0].fd = info->epoll_fd;
	p[0].events = POLLIN;
	p[1].fd = sock;
	p[1].events = POLLIN;
	while (!hc.gone) {
		MHD_UNSIGNED_LONG_LONG ms;
		int wait = -1, r;

		if (MHD_get_timeout(hc.d, &ms) == MHD_YES)
			wait = ms > INT_MAX ? INT_MAX : (int)ms;
		if (idle_over(&busy, &wait))
			return 0;
		r = poll(p, 2, wait);
		if (r == -1 && errno != EINTR)
			return 71;
		if (r > 0 && p[1].revents != 0) {
			r = priv_recv(sock, PRIV_FROM_PARENT, &m, &err);
			if (r == 0 || (r == -1 && err.code != EAGAIN))
				return 0; /* the parent is gone */
			if (r == 1 && m.fd != -1)
				close(m.fd);
		}
		(void)MHD_run(hc.d);
	}
	return 0;
}

const struct child_role http_child_role = {
    HTTP_CHILD_ROLE, CHILD_SERVE, http_child_prepare, http_child_main};
