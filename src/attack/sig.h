/*
 * sig.h - the signature engine: every pattern rule compiled into Hyperscan
 * databases at start-up, one per field and form (decoded, raw, shell, and
 * all three for text that is the same in every form), so each field of a
 * request is scanned once for all of its signatures at the same time.
 *
 * The compiled databases may be cached in a file keyed by the hash of the
 * rules (rules_hash), so a restart skips the compile.
 */
#ifndef ATTACK_SIG_H
#define ATTACK_SIG_H

#include <stddef.h>

#include "attack/rules.h"
#include "base/err.h"

#define SIG_ALL AFORM_N
#define SIG_NDB (AFORM_N + 1)
#define SIG_NDBS (AF_NFIELDS * SIG_NDB)

struct hs_database;
struct hs_scratch;

struct sig {
	/* [field * SIG_NDB + SIG_ALL]: per field one database with the
	 * rules of every form; text that is the same in every form (the
	 * common case) is scanned once, otherwise each form's text is
	 * scanned and only that form's matches count.  The per-form slots
	 * are reserved (NULL). */
	struct hs_database *db[SIG_NDBS];
	unsigned
	    forms[AF_NFIELDS]; /* bit per form some rule of the field has */
	struct hs_scratch *scratch;
	size_t npatterns;
	int from_cache; /* the databases were read from the cache file */
};

/*
 * Compiles the enabled pattern rules of rs (a Hyperscan match id is the
 * rule's index in rs).  cache_path, when not NULL, is a file to read the
 * databases from when it matches rs's hash, and to write them to
 * otherwise (a failure to write is ignored).  0, or -1 with err naming the
 * rule whose pattern does not compile.
 */
int sig_compile(struct sig *s, const struct attack_ruleset *rs,
    const char *cache_path, struct err *err);
void sig_release(struct sig *s);

/* Called once per matching rule; return non-zero to stop the scan. */
typedef int (*sig_match_fn)(unsigned rule_index, void *ctx);

/*
 * Scans [p, p+n) with the field's database; fn sees every match (a rule
 * may match more than once, and the caller keeps only the rules of form
 * unless form is SIG_ALL).  0, or -1 when Hyperscan fails (which it does
 * not on any input).
 */
int sig_scan(struct sig *s, enum attack_field f, int form, const char *p,
    size_t n, sig_match_fn fn, void *ctx);

/* 1 when any rule is compiled for (field, form). */
int sig_has(const struct sig *s, enum attack_field f, int form);

#endif
