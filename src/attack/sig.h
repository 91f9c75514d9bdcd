/*
 * sig.h - the signature engine: the pattern rules compiled into Hyperscan
 * databases at start-up: one of every rule, and per field one of all of
 * its rules (unless they are most of every rule: then that one serves)
 * and one of its rules of a single form (raw, shell) where those are few,
 * so that a scan of a field's text runs only the patterns of that field
 * (and, mostly, of the forms that have that text).  Fields with the same
 * rules share one database.  The database of every rule also gives the
 * order of a field's hits (of matches that end at the same place).
 *
 * The compiled databases may be cached in a file keyed by the hash of the
 * rules (ruleset_hash), the Hyperscan version and the CPU they were
 * compiled for, so a restart skips the compile; a cache that is corrupt,
 * cut, or from another machine is ignored and rewritten.
 */
#ifndef ATTACK_SIG_H
#define ATTACK_SIG_H

#include <stddef.h>

#include "attack/crs.h"
#include "attack/ruleset.h"
#include "base/err.h"

/* A set of forms: bit 1 << enum attack_form per form. */
#define SIG_FORM(form) (1u << (form))
#define SIG_ALL ((1u << AFORM_N) - 1) /* the text is the same in each */
#define SIG_NFORMS (1u << AFORM_N)
#define SIG_NDB (AF_NFIELDS * SIG_NFORMS) /* at most, distinct */

/*
 * The classes of text that the Core Rule Set's databases have a version
 * of their own for: a text made only of digits is of class 0; of letters,
 * digits and '_' of class 1; of those and spaces (words, a search) of
 * class 2; of those and "./-" (a path, a host) of class 3; of those and
 * "();:,+" (a browser's User-Agent) of class 4; of those and "?=&" (a
 * URL) of class 5; a text with any other byte is of class SIG_NCLASS and
 * scanned with the whole database.  A class's database holds only the
 * expressions that can match in a text of the class (rxbytes.h): most
 * attack expressions need a byte that a plain word, path or agent does
 * not have, and the scan of such a text skips them, or is not made at
 * all when none is left.  The matches are the same.
 */
#define SIG_NCLASS 6
/* The bytes each class adds to those of the classes below it. */
#define SIG_CLASS_ADDS                                                         \
	"0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_", \
	    " ", "./-", "();:,+", "?=&"

/* A text's class (0 to SIG_NCLASS) comes with its transformations' mask:
 * crs_tfn_class(crs_tfn_may_change(p, n)) (crs_tfn.h). */

struct hs_database;
struct hs_scratch;

/*
 * The Core Rule Set's translated rules, grouped by their chain of
 * transformations: a field is transformed once per chain and scanned
 * with that group's database (a match id is the rule's index in the
 * crs_set; a match of a rule for another target is dropped by the
 * caller).
 */
struct sig_group {
	/* its rules' database; NULL: nothing to scan (only rules decided
	 * after the scan), or per-target databases hold its rules and it
	 * has more than SIG_GROUP_SMALL rules of its own (a small group has
	 * both: its own scans a text that only small groups make) */
	struct hs_database *db;
	size_t nexpr; /* its expressions (@pm: one per phrase) */
	/* per class of text, the database of those of its expressions that
	 * can match in such a text (NULL: none can); db itself when all */
	struct hs_database *cdb[SIG_NCLASS];
	unsigned char tfn[SECRULE_TFN_MAX];
	unsigned ntfn;
	unsigned targets; /* 1 << enum crs_target of its rules */
	uint32_t *rules;  /* its rules' indexes in the crs_set */
	size_t nrules;
};

/* A block of memory the databases read from a cache were deserialised
 * into (base NULL: none, each from Hyperscan's allocator). */
struct sig_mem {
	void *base;
	size_t len;
};

/* The most rules a group can have to have its own database beside the
 * per-target ones. */
#define SIG_GROUP_SMALL 8

struct sig {
	/* per field and set of forms, the database of the field's rules of
	 * those forms (NULL: none); one of dbs.  filter: it holds the
	 * field's rules of other forms too, whose matches sig_scan drops
	 * (as it drops those of other fields when it is every) */
	struct hs_database *fdb[AF_NFIELDS][SIG_NFORMS];
	unsigned char filter[AF_NFIELDS][SIG_NFORMS];
	unsigned char *rform;      /* per rule of the rule set, its form */
	unsigned char *rfields;    /* ... and its fields */
	struct hs_database *every; /* one of dbs: every rule */
	struct hs_database *dbs[SIG_NDB]; /* the distinct ones */
	size_t ndbs;
	size_t dbsize; /* hs_database_size of dbs, all together */
	struct hs_scratch *scratch;
	size_t npatterns;
	int from_cache; /* the database was read from the cache file */
	unsigned flags; /* sig_compile's */
	/* where the databases read from the caches are (the own rules',
	 * the CRS groups'): freed as blocks, never by hs_free_database */
	struct sig_mem mem, crs_mem;
	int cache_made;        /* ... that a compile forked for it just wrote */
	struct sig_group *grp; /* the CRS rules' groups */
	size_t ngrp;
	/* per target, every group's expressions for it in one database
	 * (NULL: none), for a text that each group's chain of
	 * transformations leaves as it is */
	struct hs_database *all[CT_N];
	unsigned all_targets; /* 1 << t: all[t] is there */
	/* the other targets' expressions together (NULL: none) */
	struct hs_database *big;
	unsigned big_targets; /* 1 << t: t's expressions are in big */
	/* per class of text, as sig_group.cdb, for all[] and big; made when
	 * crs_classes (not SIG_LEAN) */
	struct hs_database *all_c[CT_N][SIG_NCLASS], *big_c[SIG_NCLASS];
	int crs_classes; /* scans use them (a test clears it to compare) */
	struct hs_database **crs_cdbs; /* those made for classes alone */
	size_t ncrs_cdbs;
	unsigned crs_targets; /* 1 << t: some rule looks at t */
	int crs_from_cache;
	/* set before sig_compile_crs: each group's own database instead of
	 * those per target (the tests compare the two) */
	int crs_groups_only;
};

/*
 * sig_compile's flags.  SIG_LEAN: only the database of every rule is
 * kept (read alone from the cache, which is still written whole), each
 * field's scan filtering its matches: the same hits, in about a third of
 * the memory, for a long-running process whose memo spares most scans.
 */
#define SIG_LEAN 1u

/*
 * Compiles the enabled pattern rules of rs (a Hyperscan match id is the
 * rule's index in rs).  cache_path, when not NULL, is a file to read the
 * databases from when it matches rs's hash, this Hyperscan and this CPU,
 * and to write them to otherwise (a failure to write is ignored); or
 * "fd:N", a descriptor open on such a file, read from its start and never
 * written (for a process that may not open the file itself).  flags:
 * SIG_* bits.  0, or -1 with err naming the rule whose pattern does not
 * compile.
 */
int sig_compile(struct sig *s, const struct attack_ruleset *rs,
    const char *cache_path, unsigned flags, struct err *err);
void sig_release(struct sig *s);

/* The Hyperscan flags sakimori's pattern rule r is compiled with. */
unsigned sig_rule_flags(const struct attack_rule *r);

/*
 * Calls fn(expr, len, flags, arg) for each Hyperscan expression of CRS
 * rule r (a @pm rule: one per phrase, not NUL-terminated) with the flags
 * it is compiled with; none for a rule that no scan decides.  0, or the
 * first -1 of fn.
 */
int sig_crs_exprs(const struct crs_rule *r,
    int (*fn)(const char *expr, size_t len, unsigned flags, void *arg),
    void *arg);

/*
 * After sig_compile: compiles the rules of cs whose paranoia level is at
 * most paranoia into one database per chain of transformations
 * (prefilter mode for the rules marked so, and for an expression
 * Hyperscan finds too large as it is: marked so in cs).  cache_path as in
 * sig_compile, a file of its own.  0, or -1 with err naming the rule
 * whose expression does not compile.
 */
/*
 * Before crs_load_dir: the verdicts on the CRS expressions that the
 * cache file of sig_compile_crs holds, when it is whole and made by this
 * Hyperscan for this CPU, taken as known to cs (crs_set_known), so that
 * a load of unchanged rules analyses none of them again (its rules, and
 * so the key of the cache, are the same as an analysing load's).  0, or
 * -1 when none could be read.
 */
int sig_crs_known(struct crs_set *cs, const char *cache_path);

int sig_compile_crs(struct sig *s, struct crs_set *cs, int paranoia,
    const char *cache_path, struct err *err);

/* Frees the CRS groups only (the rules' own database stays). */
void sig_release_crs(struct sig *s);

/* Called once per match of a group's rule, with the match's end. */
typedef int (*sig_match_at_fn)(unsigned rule, size_t to, void *ctx);

/* Scans [p, p+n), a text of class cls (crs_tfn_class's; SIG_NCLASS is
 * always right), with group g's database.  0, or -1 when Hyperscan
 * fails. */
int sig_scan_group(struct sig *s, size_t g, unsigned cls, const char *p,
    size_t n, sig_match_at_fn fn, void *ctx);

/* Scans [p, p+n), of class cls, with the databases of every group's
 * rules for the targets of mask (1 << enum crs_target): all[t] of each
 * small one, big once for the others (none when not made).  0, or -1 when
 * Hyperscan fails. */
int sig_scan_all(struct sig *s, unsigned mask, unsigned cls, const char *p,
    size_t n, sig_match_at_fn fn, void *ctx);

/*
 * Scans [p, p+n), a text of field f, with the database of f's rules of
 * the forms of forms (SIG_FORM bits); fn sees every match of those rules
 * and of no other, with its end (a rule may match more than once, and
 * matches that end at the same place come in no set order).  0, or -1 when
 * Hyperscan fails (which it does not on any input).
 */
int sig_scan(struct sig *s, enum attack_field f, unsigned forms, const char *p,
    size_t n, sig_match_at_fn fn, void *ctx);

/*
 * As sig_scan, with the database of every rule: its matches of other
 * rules dropped, those of f's come in the order that database reports
 * them, which for matches that end at the same place differs from the
 * order of f's own database.
 */
int sig_scan_every(struct sig *s, enum attack_field f, unsigned forms,
    const char *p, size_t n, sig_match_at_fn fn, void *ctx);

/* 1 when field f has a rule of a form of forms (SIG_FORM bits). */
int sig_has(const struct sig *s, enum attack_field f, unsigned forms);

#endif
