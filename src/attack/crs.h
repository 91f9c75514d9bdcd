/*
 * crs.h - the OWASP Core Rule Set's request rules translated into what a
 * log scanner can evaluate: the parsed SecRules (secrule.h) restricted to
 * the parts of a request an access log holds, their operators turned into
 * regular expressions for Hyperscan, their transformations (crs_tfn.h)
 * kept as a chain per rule.
 *
 * Targets kept: REQUEST_LINE, REQUEST_URI, REQUEST_URI_RAW,
 * REQUEST_FILENAME, REQUEST_BASENAME, QUERY_STRING, ARGS and ARGS_GET
 * (each argument of the query string), ARGS_NAMES and ARGS_GET_NAMES,
 * REQUEST_METHOD, REQUEST_PROTOCOL, REQUEST_HEADERS:User-Agent and
 * :Referer (REQUEST_HEADERS as a whole: those two; "!REQUEST_HEADERS:X"
 * takes X away).  Other targets (cookies, bodies, other headers, TX
 * variables) are dropped from a rule; a rule left without a target is
 * not translated.
 *
 * Operators: @rx (flags as ModSecurity's: dot matches newline, ^ and $ at
 * line ends), @pm and @pmFromFile (case-insensitive phrases, the files
 * read from the rule set's directory), @contains, @beginsWith,
 * @endsWith, @streq (literals), @within (evaluated directly),
 * @validateByteRange (an expression matching a byte outside the list),
 * @detectSQLi and @detectXSS (libinjection from libmodsecurity3, when it
 * can be loaded), any of them negated.  A multiMatch rule is also kept
 * with each shorter prefix of its transformations (the copies add its
 * score once).  A chained rule is kept when each link after the first
 * looks at MATCHED_VAR or MATCHED_VARS, or asks for a request without a
 * Referer (&REQUEST_HEADERS:Referer "@eq 0"); its last link may look at
 * targets of the request instead (any of their values matching).  The rule on CRS's counters
 * of argument names (TX:/paramcounter_ ... "@gt 1") is kept as "an
 * argument name given more than once", decided per request.  An
 * expression Hyperscan cannot compile exactly is kept in prefilter mode
 * when PCRE2 compiles it (a prefilter match is then confirmed by PCRE2).
 *
 * A rule that cannot be translated is never dropped in silence: it is
 * listed with its reason (control rules on TX variables, targets not in
 * a log, chained rules with a link on other variables, other operators,
 * libinjection unavailable for @detectSQLi/@detectXSS, an operator
 * argument that uses %{macros}, transformations not implemented, an
 * expression neither Hyperscan nor PCRE2 compiles).
 */
#ifndef ATTACK_CRS_H
#define ATTACK_CRS_H

#include <stddef.h>
#include <stdint.h>

#include "attack/crs_tfn.h"
#include "attack/secrule.h"
#include "base/err.h"

struct strbuf;

#define CRS_DEFAULT_DIR "/usr/share/modsecurity-crs/rules"

enum crs_target {
	CT_REQUEST_LINE,
	CT_URI,        /* REQUEST_URI */
	CT_URI_RAW,    /* REQUEST_URI_RAW */
	CT_FILENAME,   /* REQUEST_FILENAME: the path */
	CT_BASENAME,   /* REQUEST_BASENAME: its last segment */
	CT_QUERY,      /* QUERY_STRING */
	CT_ARGS,       /* each argument's value, decoded */
	CT_ARGS_NAMES, /* each argument's name, decoded */
	CT_METHOD,
	CT_PROTOCOL,
	CT_UA,
	CT_REFERER,
	CT_N,
};

enum crs_op {
	CO_RX,
	CO_PM,
	CO_CONTAINS,
	CO_BEGINS,
	CO_ENDS,
	CO_STREQ,
	CO_WITHIN,
	CO_DETECT_SQLI, /* libinjection, evaluated after the scan */
	CO_DETECT_XSS,
	CO_REPEATED_ARG, /* an argument name given twice (CRS's counters) */
	CO_NO_REFERER,   /* a link: the request has no Referer */
};

/* 1 when op's matches come from Hyperscan (else decided after the scan). */
static inline int
crs_op_scanned(enum crs_op op)
{
	return op != CO_WITHIN && op != CO_DETECT_SQLI && op != CO_DETECT_XSS &&
	    op != CO_REPEATED_ARG && op != CO_NO_REFERER;
}

/*
 * A further condition of a chained rule on MATCHED_VAR or MATCHED_VARS:
 * the text the previous condition matched (after its transformations),
 * transformed again by the link's own; the rule matches when every link
 * does.
 */
struct crs_link {
	unsigned char tfn[SECRULE_TFN_MAX];
	unsigned ntfn;
	enum crs_op op;
	int negated;
	unsigned targets; /* 0: MATCHED_VAR(S); else the request's values of
	                     these targets (1 << enum crs_target), any */
	char *expr; /* a regular expression (@pm: its phrases as one); @within:
	               the text */
	void *re;   /* PCRE2 code of expr (not for @within, @detect*) */
};

struct crs_rule {
	uint32_t id;
	int paranoia;                       /* 1..4 */
	int score;                          /* anomaly score when it matches */
	unsigned targets;                   /* 1 << enum crs_target */
	unsigned char tfn[SECRULE_TFN_MAX]; /* after the last t:none */
	unsigned ntfn;
	enum crs_op op;
	int negated;
	int caseless;  /* the expression is matched ignoring case */
	int multiline; /* ^ and $ at line ends (@rx) */
	int prefilter; /* Hyperscan only approximates it: confirm */
	/* the regular expression; @pm: escaped literals, one per line;
	 * @within: the text */
	char *expr;
	char severity[SECRULE_NAME_MAX];
	char msg[SECRULE_TEXT_MAX];
	unsigned file;          /* index in crs_set.files */
	struct crs_link *links; /* a chained rule's further conditions */
	unsigned nlinks;
	int no_referer; /* a link asks for a request without a Referer */
	int req_link;   /* a link looks at the request's other values */
	/* the rule whose score this one adds (itself, or the rule a
	 * multiMatch copy with fewer transformations stands for) */
	unsigned canon;
};

struct crs_file {
	char name[96]; /* "REQUEST-942-APPLICATION-ATTACK-SQLI.conf" */
	unsigned loaded, translated;
};

struct crs_skip {
	uint32_t id;
	unsigned file;
	char reason[160];
};

/*
 * What the analysis of one expression found (Hyperscan compiles it: k 0,
 * only as a prefilter: 1), under the first 32 hex digits of the hash of
 * its flags and text.
 */
struct crs_verdict {
	char h[33];
	int k;
};

struct crs_set {
	struct crs_rule *r;
	size_t n, cap;
	struct crs_file *f;
	size_t nf, fcap;
	struct crs_skip *s;
	size_t ns, scap;
	/* verdicts known before the load (sorted by h; crs_set_known), so
	 * that their expressions are not analysed again; those of this load
	 * (for the cache); how many expressions this load analysed */
	struct crs_verdict *known, *v;
	size_t nknown, nv, vcap;
	size_t analysed;
	/* libinjection (@detectSQLi, @detectXSS): 1 usable, -1 not, 0 not
	 * asked yet; the file it is in, NULL when unknown (crs_set_known
	 * takes it from the cache: a library still there is counted on
	 * without loading it before its first call, dynlib_expect) */
	int inj;
	char *inj_path;
};

void crs_set_init(struct crs_set *cs);

/*
 * Takes the verdicts of text (tokens "v", 32 hex digits and 0 or 1,
 * separated by spaces; other tokens ignored) as known to the loads of cs
 * that follow, and where libinjection was (a token "l" and the path in
 * hex digits: crs_inj_token).  0, or -1 when out of memory (nothing is
 * then known).
 */
int crs_set_known(struct crs_set *cs, const char *text);
void crs_set_release(struct crs_set *cs);

/* The token of crs_set_known for cs's libinjection path into sb (with a
 * space before it when sb is not empty); nothing when it is unknown. */
void crs_inj_token(const struct crs_set *cs, struct strbuf *sb);

/*
 * Translates the parsed rules of one file (name: its base name) into cs;
 * dir is where @pmFromFile's files are.  Every rule with an id counts as
 * loaded and ends up translated or skipped with its reason.  0, or -1
 * with err (out of memory, a word list that cannot be read).
 */
int crs_translate(struct crs_set *cs, const struct secrule_set *ss,
    const char *name, const char *dir, struct err *err);

/*
 * Reads every REQUEST-*.conf file of dir in name order, parses and
 * translates it.  0, or -1 with err (no such directory, a file that does
 * not parse).
 */
int crs_load_dir(struct crs_set *cs, const char *dir, struct err *err);

/*
 * 0 when libinjection_xss cannot find cross-site scripting in [s, s+n):
 * it has neither '<' nor '='.  libinjection's verdicts come from tokens of
 * its HTML5 tokenizer: a doctype, a comment or a tag's name (each opened
 * by '<'), or an attribute's value after a blacklisted attribute's name
 * (the value begins after '='; the value a text may start inside is
 * judged with no name before it).  1: libinjection must judge it.
 */
int crs_xss_possible(const char *s, size_t n);

/* The target's ModSecurity name ("REQUEST_FILENAME"). */
const char *crs_target_name(enum crs_target t);

#endif
