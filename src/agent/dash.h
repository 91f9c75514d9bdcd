/*
 * dash.h - the agent's dashboard and JSON API, served by http.c next to
 * /metrics: server-rendered pages (every outside byte escaped, a strict
 * Content-Security-Policy, no script), graphs drawn by librrd as PNG, and
 * /api/v1/... JSON (docs/api.md).  Silence and unblock change state:
 * they are POST only and need the agent's CSRF token, a random secret
 * made at start and put in each form.
 */
#ifndef AGENT_DASH_H
#define AGENT_DASH_H

#include <stddef.h>

#include <microhttpd.h>

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

/* 1 if url is answered by the dashboard (pages, static files, API). */
int dash_owns(const char *url);

/*
 * Answers one request for url (dash_owns said yes): GET and HEAD, or POST
 * with its urlencoded body (blen bytes; the body was cut when
 * truncated).
 */
enum MHD_Result dash_answer(struct dash *d, struct MHD_Connection *c,
    const char *url, const char *method, const char *body, size_t blen,
    int truncated);

/*
 * Whether a Host header's value (or an Origin's "scheme://host[:port]")
 * names the agent by an address ("127.0.0.1:9947", "[::1]:9947") or as
 * "localhost": any other name may be a DNS name pointed at loopback by
 * a page elsewhere (DNS rebinding), whose scripts must not read the
 * pages nor post their forms.  NULL (no header) is allowed.
 */
int dash_host_ok(const char *host);

/*
 * Queues a response (body copied) with the headers every answer of the
 * agent carries; hdrs is NULL or name, value pairs ending with NULL
 * (http.c).
 */
enum MHD_Result http_respond(struct MHD_Connection *c, unsigned status,
    const char *type, const char *body, size_t len, const char *const *hdrs);

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

/* The JSON API (dash_api.c): answers /api/v1/... GETs into body with
 * its status; the content type is JSON. */
unsigned dash_api(struct agent *a, struct MHD_Connection *c, const char *url,
    struct strbuf *body);

#endif
