/*
 * dash.h - the agent's dashboard and JSON API, served next to /metrics:
 * server-rendered pages (every outside byte escaped, a strict
 * Content-Security-Policy, no script), graphs drawn by librrd as PNG, and
 * /api/v1/... JSON (docs/api.md).  Silence and unblock change state:
 * they are POST only and need the agent's CSRF token, a random secret
 * made at start and put in each form.
 *
 * The HTTP child (http_child.c) reads the requests with what dash_form.c
 * has (the paths, a form's fields, the CSRF token, Host and Origin); the
 * root parent renders the answer to the request it was sent
 * (dash_render: priv.h's struct priv_http_req, checked fields only).
 */
#ifndef AGENT_DASH_H
#define AGENT_DASH_H

#include <stddef.h>

#include <microhttpd.h>

#include "agent/priv.h"

struct agent;
struct err;
struct strbuf;

/* The policy sent with every answer: nothing but the agent's own
 * stylesheet and images, no script, no frames, forms only to itself. */
#define DASH_CSP                                                               \
	"default-src 'none'; img-src 'self'; style-src 'self'; "               \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
/* Largest POST body read. */
#define DASH_FORM_MAX 4096
/* Bytes of the CSRF secret (written as hex). */
#define DASH_CSRF_BYTES 32

struct dash;

/* A dashboard of a with a new CSRF secret; NULL with err. */
struct dash *dash_new(struct agent *a, struct err *err);
void dash_free(struct dash *d);

/* The CSRF secret (hex), for the HTTP child to check the forms. */
const char *dash_csrf(const struct dash *d);

/* The periods of the graphs, by PRIV_HTTP_GRAPH's arg. */
extern const char *const dash_periods[PRIV_HTTP_PERIODS];

/*
 * The answer to a request of the dashboard (a route other than
 * PRIV_HTTP_METRICS): its HTTP status, the body in sb, its content type
 * in *type and where the browser goes next in *loc.
 */
unsigned dash_render(struct dash *d, const struct priv_http_req *r,
    struct strbuf *sb, const char **type, enum priv_http_loc *loc);

/* 1 if url is answered by the dashboard (pages, static files, API). */
int dash_owns(const char *url);
/* 1 if the form of n bytes carries secret as its csrf field. */
int dash_csrf_ok(const char *secret, const char *body, size_t n);

/*
 * Whether a Host header's value (or an Origin's "scheme://host[:port]")
 * names the agent by an address ("127.0.0.1:9947", "[::1]:9947") or as
 * "localhost": any other name may be a DNS name pointed at loopback by
 * a page elsewhere (DNS rebinding), whose scripts must not read the
 * pages nor post their forms.  NULL (no header) is allowed.
 */
int dash_host_ok(const char *host);

/*
 * The value of key in an application/x-www-form-urlencoded body of n
 * bytes, decoded ('+' a space, %XX a byte) into dst (NUL-terminated).
 * 1 found (the first of that key), 0 absent, -1 malformed (a bad %
 * escape, a NUL byte) or longer than dstsz - 1.
 */
int dash_form_get(
    const char *body, size_t n, const char *key, char *dst, size_t dstsz);

/* The active blocks of a's state database (none without one) into a
 * malloc'd array (*b, *n; free it).  0, or -1 with err. */
struct net_ban;
int dash_blocks(
    struct agent *a, struct net_ban **b, size_t *n, struct err *err);

/* The JSON API (dash_api.c): answers a PRIV_HTTP_API_* route into body
 * with its status; the content type is JSON. */
unsigned dash_api(
    struct agent *a, const struct priv_http_req *r, struct strbuf *body);

#endif
