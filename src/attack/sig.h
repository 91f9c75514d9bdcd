/*
 * sig.h - the signature engine: every pattern rule compiled into one
 * Hyperscan database at start-up, so each field of a request is scanned
 * once for all of its signatures at the same time (a match of a rule that
 * does not apply to the field, or to the form of the text scanned, is
 * dropped by the caller).  One database rather than one per field: each
 * pattern is compiled once, which halves the compile time, and a field's
 * scan costs about the same.
 *
 * The compiled database may be cached in a file keyed by the hash of the
 * rules (ruleset_hash), the Hyperscan version and the CPU it was compiled
 * for, so a restart skips the compile; a cache that is corrupt, cut, or
 * from another machine is ignored and rewritten.
 */
#ifndef ATTACK_SIG_H
#define ATTACK_SIG_H

#include <stddef.h>

#include "attack/crs.h"
#include "attack/ruleset.h"
#include "base/err.h"

#define SIG_ALL AFORM_N /* the text is the same in every form */

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
	struct hs_database *db; /* NULL: only @within rules */
	unsigned char tfn[SECRULE_TFN_MAX];
	unsigned ntfn;
	unsigned targets; /* 1 << enum crs_target of its rules */
	uint32_t *rules;  /* its rules' indexes in the crs_set */
	size_t nrules;
};

struct sig {
	struct hs_database *db; /* NULL: no pattern rule */
	unsigned
	    forms[AF_NFIELDS]; /* bit per form some rule of the field has */
	struct hs_scratch *scratch;
	size_t npatterns;
	int from_cache;        /* the database was read from the cache file */
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
	unsigned crs_targets; /* 1 << t: some rule looks at t */
	int crs_from_cache;
	/* set before sig_compile_crs: each group's own database instead of
	 * those per target (the tests compare the two) */
	int crs_groups_only;
};

/*
 * Compiles the enabled pattern rules of rs (a Hyperscan match id is the
 * rule's index in rs).  cache_path, when not NULL, is a file to read the
 * database from when it matches rs's hash, this Hyperscan and this CPU,
 * and to write it to otherwise (a failure to write is ignored); or
 * "fd:N", a descriptor open on such a file, read from its start and never
 * written (for a process that may not open the file itself).  0, or -1
 * with err naming the rule whose pattern does not compile.
 */
int sig_compile(struct sig *s, const struct attack_ruleset *rs,
    const char *cache_path, struct err *err);
void sig_release(struct sig *s);

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

/* Scans [p, p+n) with group g's database.  0, or -1 when Hyperscan
 * fails. */
int sig_scan_group(struct sig *s, size_t g, const char *p, size_t n,
    sig_match_at_fn fn, void *ctx);

/* Scans [p, p+n) with the databases of every group's rules for the
 * targets of mask (1 << enum crs_target): all[t] of each small one, big
 * once for the others (none when not made).  0, or -1 when Hyperscan
 * fails. */
int sig_scan_all(struct sig *s, unsigned mask, const char *p, size_t n,
    sig_match_at_fn fn, void *ctx);

/* Called once per matching rule; return non-zero to stop the scan. */
typedef int (*sig_match_fn)(unsigned rule_index, void *ctx);

/*
 * Scans [p, p+n) with the database; fn sees every match (a rule may match
 * more than once; the caller keeps only the rules of field f, and of form
 * unless form is SIG_ALL).  0, or -1 when Hyperscan fails (which it does
 * not on any input).
 */
int sig_scan(struct sig *s, enum attack_field f, int form, const char *p,
    size_t n, sig_match_fn fn, void *ctx);

/* 1 when any rule is compiled for (field, form). */
int sig_has(const struct sig *s, enum attack_field f, int form);

#endif
