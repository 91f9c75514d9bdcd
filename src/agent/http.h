/*
 * http.h - the agent's HTTP side: /metrics (agent/metrics.h), the
 * dashboard and its JSON API (agent/dash.h) served by libmicrohttpd on
 * the agent's event loop.  It listens on loopback
 * (127.0.0.1:HTTP_PORT) unless told otherwise; anywhere else it serves
 * only HTTPS (a certificate and key from the configuration) with a
 * bearer token (read from a file), and refuses to start without them.
 */
#ifndef AGENT_HTTP_H
#define AGENT_HTTP_H

#include <sys/socket.h>

struct err;

/* The port listened on by default (not in /etc/services). */
#define HTTP_PORT 9947
#define HTTP_DEFAULT "127.0.0.1:9947"

struct http_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	int loopback; /* 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104 */
};

/*
 * "ADDR:PORT", "[V6ADDR]:PORT" or "ADDR" (the default port): numeric
 * addresses only.  0, or -1 with err.
 */
int http_addr_parse(const char *s, struct http_addr *out, struct err *err);

/* How the agent listens: from --listen and the configuration. */
struct http_conf {
	const char *listen;     /* NULL: HTTP_DEFAULT; "no": off */
	int listen_explicit;    /* given by the admin: a failure stops */
	const char *cert, *key; /* PEM files (both or none) */
	const char *token_file; /* the bearer token, one line */
};

/*
 * Checks the rules before anything is opened: a non-loopback address
 * needs cert, key and token_file.  0, or -1 with err (code EINVAL).
 */
int http_conf_check(const struct http_conf *c, struct err *err);

/*
 * The server table /metrics shows (collected again every HTTP_INV_SECS),
 * collected now when it is older; NULL when it could not be.
 */
struct http_server;
struct inventory;
const struct inventory *http_inventory(struct http_server *h);

#endif
