/*
 * attack.h - attack detection for one web request: normalise its fields
 * (normalise.h), scan each once with every signature (sig.h), turn
 * decoding anomalies into findings, and say what it is.
 *
 * The input is a small struct of request fields, filled by whichever
 * log parser read the line (Apache, nginx, IIS W3C ...).
 *
 * Anomaly rules (rule files, "anomaly: NAME") report what decoding found:
 *	unicode-traversal         the decoded path climbs directories that its
 *	                          raw form does not show, using overlong UTF-8
 *	                          or %uXXXX (the IIS Unicode bug)
 *	double-encoded-traversal  the same, through double percent-encoding
 *	encoded-traversal         the same, through plain percent-encoding
 *	above-root                ".." climbs above the document root
 *	overlong-utf8             overlong UTF-8 of a syntax character
 *	iis-u-encoding            %uXXXX escapes
 *	double-encoding           decoding twice changed the text again
 *	nul-byte, crlf, control-char, invalid-utf8, bad-percent, backslash
 */
#ifndef ATTACK_ATTACK_H
#define ATTACK_ATTACK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "attack/ruleset.h"
#include "attack/sig.h"

/*
 * One request as a log recorded it.  Strings need not be NUL-terminated.
 * attack_req_uri() fills path and query from a request URI.
 */
struct attack_req {
	const char *method;
	size_t method_len;
	const char *path; /* raw path, as logged (IIS: cs-uri-stem) */
	size_t path_len;
	const char *query; /* raw query without '?'; NULL when none */
	size_t query_len;
	const char *ua; /* 0 long: none (the parsers make a log's "-" none) */
	size_t ua_len;
	const char *referer; /* the same */
	size_t referer_len;
	const char *protocol; /* "HTTP/1.1"; NULL when not logged */
	size_t protocol_len;
	const char *client; /* NUL-terminated address (or host) */
	int status;         /* 0 when unknown */
	uint64_t bytes;
	time_t time;
	const char *file; /* where it was read, for reports */
	uint64_t line;
};

/* Splits a raw request URI at its first '?' into rq's path and query. */
void attack_req_uri(struct attack_req *rq, const char *uri, size_t n);

#define ATTACK_MAX_HITS 32
#define ATTACK_FIELD_MAX (64u << 10) /* longer fields are scanned cut */

struct attack_hit {
	unsigned rule; /* index in the engine's ruleset */
	enum attack_field field;
};

#define ATTACK_CRS_HITS 32
#define ATTACK_CRS_TEXT 48

/* A Core Rule Set rule that matched (attack_engine_crs). */
struct attack_crs_hit {
	uint32_t id;    /* the CRS rule's id */
	unsigned rule;  /* its index in the engine's crs set */
	uint8_t target; /* enum crs_target */
	uint8_t len;
	char text[ATTACK_CRS_TEXT]; /* the transformed text up to where it
	                               matched (its end, at most 48 bytes) */
};

struct attack_result {
	struct attack_hit hit[ATTACK_MAX_HITS];
	size_t nhits;
	int crs_score; /* the CRS rules' anomaly score (0: CRS off) */
	unsigned ncrs; /* the CRS rules that matched, in crs[] */
	struct attack_crs_hit crs[ATTACK_CRS_HITS];
	unsigned path_flags, query_flags; /* NORM_* */
	int top;             /* index in hit[] of the worst, -1 none */
	enum attack_sev sev; /* of hit[top] */
};

/*
 * What scanning one field found does not depend on anything but the
 * field's bytes, and logs repeat the same user agents, referrers, paths
 * and queries over and over: the engine remembers the hits (and the
 * decoding flags) of recently seen short field values in a direct-mapped
 * table, so a repeated value costs a hash and a compare instead of its
 * normalisation and scans.  The results are exactly those of a scan.
 */
#define ATTACK_MEMO_SLOTS 16384 /* power of two: a busy log's (4 MiB) */
/* The memo starts small (128 KiB: what a quiet log needs, and what a
 * long-running agent keeps resident) and takes ATTACK_MEMO_SLOTS once
 * ATTACK_MEMO_BUSY values went through it in under ATTACK_MEMO_BUSY_SECS
 * seconds (a burst, a scan of a big log). */
#define ATTACK_MEMO_FIRST 512 /* power of two */
#define ATTACK_MEMO_BUSY 4096
#define ATTACK_MEMO_BUSY_SECS 10
#define ATTACK_MEMO_KEY 216 /* longer values are always scanned */
#define ATTACK_MEMO_HITS 6  /* values with more hits are not kept */

struct attack_memo {
	uint64_t hash;
	uint16_t len; /* key length + 1; 0: empty slot */
	uint8_t field, nhits;
	unsigned flags;
	uint32_t rule[ATTACK_MEMO_HITS];
	char key[ATTACK_MEMO_KEY];
};

_Static_assert(sizeof(struct attack_memo) == 256, "memo entry: 4 lines");

/*
 * Most requests of a busy log repeat a request line seen shortly before
 * whose method, path and query matched none of sakimori's rules, and none
 * of the CRS rules on anything but the user agent and the referrer.  With
 * the big memo, the engine keeps such request lines (method, path, query
 * and protocol as logged, each with its length) in a direct-mapped table
 * of their own, and a request with one of them has only its user agent and
 * referrer looked up; user agents and referrers that matched nothing go
 * into the same table (key 0xff, the field, the length, the bytes), and a
 * request all of whose parts are there is not looked at again.  Exact, as
 * the memo.
 */
#define ATTACK_CLEAN_SLOTS 8192 /* power of two */
#define ATTACK_CLEAN_KEY 248    /* longer request lines are not kept */

struct attack_clean_tag {
	uint64_t hash;
	uint32_t len; /* key length; 0: empty slot */
	uint32_t pad;
};

struct attack_clean {
	unsigned path_flags, query_flags; /* NORM_* */
	char key[ATTACK_CLEAN_KEY];
};

_Static_assert(sizeof(struct attack_clean) == 256, "clean entry: 4 lines");

/*
 * The CRS rules' memo: what a short value matched for a set of targets,
 * as the memo of sakimori's rules (on and off with it).
 */
#define CRS_MEMO_SLOTS 8192 /* power of two */
#define CRS_MEMO_KEY 200
#define CRS_MEMO_HITS 3

/* A slot's tag: looked at first, so that a value not in the memo costs
 * one cache line of a 128 KiB table (four tags a line), not a line of
 * the entries. */
struct crs_memo_tag {
	uint64_t hash;
	uint16_t len; /* key length + 1; 0: empty */
	uint16_t mask;
};

_Static_assert(sizeof(struct crs_memo_tag) == 16, "memo tag: 16 bytes");

/* A slot's entry: read only when its tag matches. */
struct crs_memo {
	uint8_t nh;
	struct {
		uint32_t rule;
		uint8_t len;
		char text[ATTACK_CRS_TEXT];
	} h[CRS_MEMO_HITS];
	char key[CRS_MEMO_KEY];
};

struct crs_first {
	uint32_t rule, to;
};

#define CRS_TEXTS_BYTES (256u << 10) /* a value's distinct texts */

struct crs_vtext {
	size_t off, n; /* in attack_crs.tx (text 0: the value itself) */
	int scanned;   /* its first matches are in vfirst */
	size_t nfirst;
	unsigned cls; /* its class (sig.h) */
};

/* A value's text part way along the chains of transformations (groups
 * share the first steps of theirs): the transformations that acted so
 * far, the text they made (in attack_crs.sx) and the bytes in it that
 * transformations act on (crs_tfn_may_change). */
#define CRS_STEPS 64
#define CRS_STEP_BYTES (64u << 10)
struct crs_step {
	unsigned char key[SECRULE_TFN_MAX];
	unsigned klen;
	uint32_t m;
	size_t off, n;
};

/* The Core Rule Set side of an engine (attack_engine_crs). */
struct attack_crs {
	struct crs_memo_tag *mtag; /* CRS_MEMO_SLOTS each */
	struct crs_memo *memo;
	struct crs_set set;
	int threshold; /* the inbound anomaly score that flags (5) */
	unsigned rule; /* the rules' entry a flagged request's hit names */
	void **re;     /* PCRE2 code per prefiltered rule, else NULL */
	void *md;      /* PCRE2 match data */
	uint32_t *mark, *fired; /* per rule: stamps of a value, a request */
	struct crs_post **post; /* per group: its negated and @within rules */
	size_t *npost, npost_groups;
	uint32_t *repeat; /* the rules on an argument name given twice */
	size_t nrepeat;
	uint32_t vstamp, rstamp;
	/* a scan's first match of each rule, in the order of the match ends,
	 * of one group's database (all groups': vfirst) */
	struct crs_first *hit;
	uint32_t *group; /* per rule: its group */
	uint32_t *seen;  /* per rule: the stamp of the scan that matched it */
	uint32_t sstamp;
	/* one value's texts as the groups' chains make them (value_scan):
	 * the groups with rules for it, then from index ngrp per group its
	 * text (CRS_TEXT_AGAIN, or an index in vt, 0 being the value as it
	 * came), the distinct ones kept in tx */
	uint32_t *tix;
	uint64_t *gbits; /* per target, gwords words: a bit per group with
	                    rules for it */
	size_t gwords;
	uint32_t *gtfn; /* per group: its chain's transformations, a bit
	                   each (1 << enum crs_tfn) */
	struct crs_vtext *vt;
	struct crs_first *vfirst; /* per text, set.n + 1 first matches */
	char *tx;
	struct crs_step *steps; /* CRS_STEPS; their texts: sx */
	size_t nsteps, sused;
	char *sx;
	char *val, *a, *b;  /* arguments decoded; transformation buffers */
	char *la, *lb, *lc; /* the same for a chained rule's links */
	/* the table of libinjection's keyword lookups (dl_injection.h),
	 * made at the first @detectSQLi; NULL before, or when out of
	 * memory (each word then looked up by libinjection) */
	struct injection_words *words;
};

struct attack_engine {
	struct attack_ruleset rules;
	struct sig sig;
	struct attack_crs *crs; /* NULL: the Core Rule Set is off */
	char *buf[6];
	size_t bufcap;
	struct attack_memo *memo; /* memo_slots; NULL: no memo */
	size_t memo_slots;   /* ATTACK_MEMO_FIRST, then ATTACK_MEMO_SLOTS */
	unsigned memo_looks; /* values looked up since memo_t0 */
	double memo_t0;      /* monotonic seconds */
	uint64_t seed;
	uint64_t memo_hits, memo_misses;
	/* ATTACK_CLEAN_SLOTS each, with the big memo (else NULL) */
	struct attack_clean_tag *ctag;
	struct attack_clean *clean;
	uint64_t clean_hits;  /* requests whose line was found there */
	uint64_t clean_whole; /* ... with their user agent and referrer */
};

/*
 * Switches the memo off (or on again): every field is then normalised
 * and scanned (benchmarks measure the engine both ways).
 */
void attack_engine_memo(struct attack_engine *e, int on);

/*
 * Takes over rs (left empty) and compiles it; cache_path and sig_flags
 * (SIG_* bits) as in sig_compile (NULL: no cache).  0, or -1 with err.
 */
int attack_engine_init(struct attack_engine *e, struct attack_ruleset *rs,
    const char *cache_path, unsigned sig_flags, struct err *err);
void attack_engine_release(struct attack_engine *e);

/*
 * Adds the Core Rule Set's translated rules (cs, taken over and left
 * empty) up to paranoia level paranoia: each request then also gets
 * their anomaly score, and a score of at least threshold adds a hit of
 * rule 949110 (class crs-anomaly, critical) to the request's verdict.
 * cache_path: the compiled groups' cache (NULL: none).  0, or -1 with
 * err.
 */
int attack_engine_crs(struct attack_engine *e, struct crs_set *cs, int paranoia,
    int threshold, const char *cache_path, struct err *err);

/* The CRS rule behind a CRS hit. */
const struct crs_rule *attack_crs_rule(
    const struct attack_engine *e, const struct attack_crs_hit *h);

/*
 * Examines one request; fills res (res->nhits 0: nothing found).  Never
 * fails on any input; returns res->nhits.
 */
size_t attack_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res);

/* The rule behind a hit. */
const struct attack_rule *attack_rule_of(
    const struct attack_engine *e, const struct attack_hit *h);

/* 1 if the result has a hit of class cls. */
int attack_has_class(const struct attack_engine *e,
    const struct attack_result *res, const char *cls);

/*
 * The request path, raw, names an executable or script (.exe, .com, .bat,
 * .cmd, .dll, .pl, .cgi, .php, .asp ... or something under /cgi-bin/):
 * a 2xx there means the attack ran.
 */
int attack_path_executable(const char *uri, size_t n);

#endif
