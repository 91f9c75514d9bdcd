/*
 * incident.h - the story per attacking address: every flagged request
 * opens or extends that address's incident (first and last seen, classes,
 * statuses, bytes, whether an attack succeeded), later requests from the
 * address answer "what did they do next?", and rate rules over the stream
 * find login bursts, 404 scanners and request floods.
 *
 * Memory is bounded: at most max_clients addresses are tracked (more are
 * counted in dropped_clients), each incident keeps its first
 * INC_EVENTS_MAX attack requests and INC_NEXT_MAX later ones, and counts
 * the rest.  Addresses are kept inline in one open-addressing table (one
 * cache line per request on the common path), incidents and events in an
 * arena freed at once.
 */
#ifndef ATTACK_INCIDENT_H
#define ATTACK_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "attack/attack.h"

#define INC_EVENTS_MAX 64
#define INC_NEXT_MAX 32
#define INC_CLASSES_MAX 16
#define INC_REQ_MAX 240 /* request text kept per event (cut) */
#define INC_ADDR_MAX 63 /* longer client names are cut there */

enum rate_kind {
	RATE_LOGIN, /* POSTs to a login URL */
	RATE_404,   /* 404 responses */
	RATE_FLOOD, /* all requests */
	RATE_N,
};

struct rate_rule {
	uint32_t max;    /* this many in window fires (0: off) */
	uint32_t window; /* seconds */
};

struct inc_conf {
	struct rate_rule rate[RATE_N];
	const char *const *login_urls; /* path suffixes; NULL: the defaults */
	size_t max_clients;
};

/* The built-in defaults (20 login POSTs / 5 min, 50 404s / 5 min, 600
 * requests / 1 min, 100000 addresses). */
void inc_conf_default(struct inc_conf *c);

struct inc_event {
	int64_t time;
	uint64_t line;
	const char *file; /* the tracker's copy of the caller's file name */
	char method[16];
	const char *request; /* path?query as logged, cut (not terminated) */
	size_t reqlen;       /* may hold NUL bytes */
	int status;
	int64_t bytes;
	uint32_t rule;   /* rule id; 0 for a rate event */
	const char *cls; /* class (rules' or a rate rule's name) */
	enum attack_sev sev;
};

/*
 * A later request ("what did they do next?"), packed: up to INC_NEXT_MAX
 * of them are kept for every attacking address, so their size is most of
 * the tracker's memory (the numbers are kept as varints).
 * inc_next_event() gives one as an event.
 */
struct inc_next;

struct incident {
	char client[64];
	int64_t first, last;
	uint64_t attacks;  /* flagged requests */
	uint64_t requests; /* all requests since the first flagged one */
	uint64_t bytes;    /* bytes sent in answer to flagged requests */
	uint64_t
	    status[6]; /* flagged requests by status class: 1xx..5xx, other */
	const char *classes[INC_CLASSES_MAX];
	unsigned nclasses;
	enum attack_sev worst;
	int succeeded;        /* a 2xx on an attack request */
	int succeeded_exec;   /* ... on an executable path */
	int rate_fired;       /* bit per enum rate_kind */
	struct inc_event *ev; /* grown as needed, at most INC_EVENTS_MAX */
	unsigned nev, capev;
	/* later, non-flagged requests (at most INC_NEXT_MAX): the last one
	 * (inc_next_list() gives them in order) */
	const struct inc_next *next_last;
	unsigned nnext;
	uint64_t next_dropped;
	double score;
};

struct inc_client;
struct inc_chunk;

struct inc_tracker {
	struct inc_conf conf;
	uint64_t *index; /* open addressing: hash << 32 | client + 1 */
	size_t cap;      /* of index, a power of two */
	struct inc_client *client; /* dense, count of them */
	size_t count, capclient;
	void *client_map; /* client's reserved space (mem_reserve), or NULL */
	size_t client_maplen;
	uint64_t seed;
	struct inc_chunk *arena;
	/* file names seen, copied into the arena, by their number */
	const char **names;
	size_t nnames, capnames;
	size_t last_name; /* the number of the one used last */
	int64_t time0;    /* later requests' times are kept from this one */
	int time0_set;
	uint64_t dropped_clients;
	size_t nincidents;
};

void inc_init(struct inc_tracker *t, const struct inc_conf *c);
void inc_release(struct inc_tracker *t);

/*
 * One request and what attack_match found (res->nhits may be 0): updates
 * the address's rate counters and its incident.  Returns a rate rule that
 * fired on this request (RATE_N when none), so a live follower can report
 * it at once.
 */
enum rate_kind inc_add(struct inc_tracker *t, const struct attack_engine *e,
    const struct attack_req *rq, const struct attack_result *res);

/*
 * 1 when a request with status and what attack_match found makes its
 * incident "succeeded": a 2xx answer to an attack of medium severity or
 * more that is not a mere scanner's.
 */
int inc_succeeded(
    const struct attack_engine *e, const struct attack_result *res, int status);

/* A client address (rq->client: NUL-terminated, NULL for "-", cut at
 * INC_ADDR_MAX bytes) with its hash in this tracker. */
struct inc_key {
	const char *p;
	size_t n;
	uint64_t h;
};

void inc_key(
    const struct inc_tracker *t, const char *client, struct inc_key *k);

/* The same of n bytes at p, n at most INC_ADDR_MAX, none of them NUL (the
 * caller has checked). */
void inc_key_n(
    const struct inc_tracker *t, const char *p, size_t n, struct inc_key *k);

/* inc_add with the key of rq->client, from inc_key() (hashed once for
 * the prefetches below and the update). */
enum rate_kind inc_add_key(struct inc_tracker *t, const struct attack_engine *e,
    const struct attack_req *rq, const struct attack_result *res,
    const struct inc_key *k);

/*
 * Loading a client's tracking state into the cache ahead of inc_add, so
 * that work on other lines hides the memory latency inc_add would wait
 * for.  Optional, and no effect on results (h may even be wrong).
 * inc_prefetch_index() does not wait for memory: for a request two lines
 * ahead; inc_prefetch() reads the index entry (so, best, one the other
 * prefetched a line earlier) and starts loading the client's entry.
 */
void inc_prefetch_index(const struct inc_tracker *t, uint64_t h);
void inc_prefetch(const struct inc_tracker *t, uint64_t h);

/*
 * A later request of t as an event: the method copied into ev, the
 * request pointing into n (valid while the tracker is); rule 0, class
 * NULL.
 */
void inc_next_event(const struct inc_tracker *t, const struct inc_next *n,
    struct inc_event *ev);

/* The incident's later requests in order into v (INC_NEXT_MAX of them at
 * most); returns their number. */
unsigned inc_next_list(
    const struct incident *inc, const struct inc_next *v[INC_NEXT_MAX]);

/*
 * The incidents ranked, worst first (successes, then severity, then
 * volume).  The array is the caller's to free(); the incidents stay the
 * tracker's.  *n is set to their number.
 */
struct incident **inc_ranked(struct inc_tracker *t, size_t *n);

const char *rate_kind_name(enum rate_kind k); /* "login-burst", ... */

#endif
