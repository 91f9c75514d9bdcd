/*
 * prom.h - the fleet's view of Prometheus: an instant query to its HTTP
 * API (GET /api/v1/query) and the parser of its answer, a vector of
 * samples each with its labels and value.  prom_parse is pure (bytes in,
 * samples out); prom_query does the HTTP with libcurl, loaded at first
 * use (base/dynlib.h).
 */
#ifndef FLEET_PROM_H
#define FLEET_PROM_H

#include <stddef.h>

struct err;

/* Bounds on what one answer may hold; more is refused, not cut. */
#define PROM_MAX_SAMPLES 200000
#define PROM_MAX_LABELS 64
#define PROM_MAX_BODY (256u << 20) /* bytes of one answer */

struct prom_label {
	char *name, *val;
};

struct prom_sample {
	struct prom_label *l;
	size_t nl;
	double v;
};

struct prom_vec {
	struct prom_sample *s;
	size_t n, cap;
};

/* Why a query failed (err->code of prom_query and prom_parse). */
enum prom_fail {
	PROM_UNREACHABLE = 1, /* no answer: connection, timeout, HTTP error
	                         without an API answer */
	PROM_GARBAGE,         /* an answer that is not the API's JSON */
	PROM_REFUSED,         /* the API's own error (status "error") */
};

/*
 * Reads an answer of /api/v1/query (len bytes of buf) into v, which is
 * emptied first: a vector (or a scalar, as one sample without labels).
 * -1 with err (code: PROM_GARBAGE or PROM_REFUSED) on anything else.
 */
int prom_parse(
    const char *buf, size_t len, struct prom_vec *v, struct err *err);

/*
 * Asks Prometheus at url (http[s]://host:port[/prefix]) the instant
 * query q, within timeout seconds, and parses the answer into v.  -1
 * with err (code: one enum prom_fail) when it cannot.
 */
int prom_query(const char *url, const char *q, long timeout, struct prom_vec *v,
    struct err *err);

/* The value of label name of s; "" when s has none. */
const char *prom_label(const struct prom_sample *s, const char *name);

void prom_vec_release(struct prom_vec *v);

#endif
