/*
 * dynlib.h - shared libraries loaded when first used, not at start-up.
 *
 * Hyperscan (with the C++ runtime behind it) and libcrypto are needed by
 * the attack signatures, the disk-error scanner and file integrity only,
 * yet mapping and relocating them costs every run of every command a few
 * milliseconds (more than the work of `net conns` or `status` itself on
 * a VM where page faults are dear).  src/base/dl_hs.c and dl_crypto.c
 * define the functions sakimori calls, with the libraries' own headers,
 * as thin forwarders that load the library on their first call.
 *
 * A check that needs a library asks dynlib_require() before its first
 * call, so a library that cannot be loaded makes that check UNKNOWN (the
 * error says which library and which Debian package) and the others run.
 * A forwarder called without that (a command whose whole job needs the
 * library) prints the same message and exits with 69 (EX_UNAVAILABLE).
 *
 * For tests, SAKIMORI_DYNLIB_FAIL (a comma-separated list of the names
 * below: hs, crypto, sqlite3, pcre2, zlib, event, cap, seccomp, mhd, rrd,
 * injection, curl, ssl) makes those libraries fail to
 * load as if they were missing.  It is read only when a library is first
 * loaded.
 */
#ifndef BASE_DYNLIB_H
#define BASE_DYNLIB_H

#include <stddef.h>

struct err;

struct dynlib {
	const char *soname;       /* "libhs.so.5" */
	const char *package;      /* "libhyperscan5" */
	const char *tag;          /* "hs": the name in SAKIMORI_DYNLIB_FAIL */
	const char *const *names; /* symbols, NULL-terminated */
	void **fns;               /* filled in the order of names */
	int ready;                /* set (release) once fns is complete */
	int failed;               /* set once a load failed (why says why) */
	char why[320];
};

#define DYNLIB_INIT(so, pkg, tag, n, f)                                        \
	{                                                                      \
		so, pkg, tag, n, f, 0, 0, ""                                   \
	}

/* The libraries loaded at first use, for dynlib_require. */
enum dynlib_id {
	DYNLIB_HS,
	DYNLIB_CRYPTO,
	DYNLIB_SQLITE3,
	DYNLIB_PCRE2,
	DYNLIB_ZLIB,
	DYNLIB_EVENT,
	DYNLIB_CAP,
	DYNLIB_SECCOMP,
	DYNLIB_MHD,
	DYNLIB_RRD,
	DYNLIB_INJECTION,
	DYNLIB_CURL,
	DYNLIB_SSL,
	DYNLIB_NLIBS,
};

/* Each defined by its forwarder file (DYNLIB_DEFINE). */
extern struct dynlib dynlib_hs, dynlib_crypto, dynlib_sqlite3, dynlib_pcre2,
    dynlib_zlib, dynlib_event, dynlib_cap, dynlib_seccomp, dynlib_mhd,
    dynlib_rrd, dynlib_injection, dynlib_curl, dynlib_ssl;

/* The symbol's name as a string after macro expansion (pcre2_compile is
 * pcre2_compile_8, gzopen may be gzopen64). */
#define DYNLIB_SYM(f) DYNLIB_STR_(f)
#define DYNLIB_STR_(f) #f

/*
 * DYNLIB_DEFINE(LIST, soname, package, tag), in a forwarder file: the
 * library dynlib_TAG with the functions of LIST, an X-macro that lists
 * each function once with its signature: LIST(X, V) is
 *
 *	X(ret, name, (params), (args))	a function that returns ret
 *	V(name, (params), (args))	a function that returns nothing
 *
 * DYNLIB_FORWARD(LIST) then defines every function of LIST as a forwarder
 * to the library's own, loaded on its first call:
 *
 *	#define ZLIB_FUNCS(X, V) X(int ZEXPORT, gzclose, (gzFile g), (g))
 *	DYNLIB_DEFINE(ZLIB_FUNCS, "libz.so.1", "zlib1g", zlib);
 *	DYNLIB_FORWARD(ZLIB_FUNCS)
 *
 * DYNLIB_REAL(f) is the library's f, for a forwarder written by hand.
 * The name is pasted unexpanded for the index (DYNLIB_I_pcre2_compile)
 * and expanded for the symbol and the definition (pcre2_compile_8).
 */
#define DYNLIB_INDEX_(ret, f, params, args) DYNLIB_I_##f,
#define DYNLIB_INDEXV_(f, params, args) DYNLIB_I_##f,
#define DYNLIB_NAME_(ret, f, params, args) DYNLIB_SYM(f),
#define DYNLIB_NAMEV_(f, params, args) DYNLIB_SYM(f),
#define DYNLIB_DEFINE(LIST, so, pkg, tag)                                      \
	enum { LIST(DYNLIB_INDEX_, DYNLIB_INDEXV_) DYNLIB_N_ };                \
	static const char *const dynlib_names_[] = {                           \
	    LIST(DYNLIB_NAME_, DYNLIB_NAMEV_) NULL};                           \
	static void *dynlib_fns_[DYNLIB_N_];                                   \
	struct dynlib dynlib_##tag =                                           \
	    DYNLIB_INIT(so, pkg, #tag, dynlib_names_, dynlib_fns_);            \
	static struct dynlib *const dynlib_this_ = &dynlib_##tag
#define DYNLIB_AT_(f, i)                                                       \
	(dynlib_need(dynlib_this_), (__typeof__(f) *)dynlib_fns_[i])
#define DYNLIB_REAL(f) DYNLIB_AT_(f, DYNLIB_I_##f)
#define DYNLIB_FWD_(ret, f, params, args)                                      \
	ret f params                                                           \
	{                                                                      \
		return DYNLIB_AT_(f, DYNLIB_I_##f) args;                       \
	}
#define DYNLIB_FWDV_(f, params, args)                                          \
	void f params                                                          \
	{                                                                      \
		DYNLIB_AT_(f, DYNLIB_I_##f) args;                              \
	}
#define DYNLIB_FORWARD(LIST) LIST(DYNLIB_FWD_, DYNLIB_FWDV_)

/*
 * Loads library id and fills its functions (thread-safe, once; a failure
 * is kept, not retried).  0, or -1 with err ("cannot load libhs.so.5
 * (Debian package ...): ...").  What a check calls before it uses a
 * library, so that a missing one makes it UNKNOWN instead of an exit.
 */
int dynlib_require(enum dynlib_id id, struct err *err);

/*
 * Whether library id loads, tried in a child process forked for that and
 * gone after it, so that this process stays without the library (and
 * what it brings) until it calls it.  0, or -1 with err as
 * dynlib_require's; where fork fails, dynlib_require itself.
 */
int dynlib_probe(enum dynlib_id id, struct err *err);

/*
 * The file library id was loaded from (after dynlib_require): 0 with its
 * path in path, or -1 (not loaded, or a path longer than sz).
 */
int dynlib_where(enum dynlib_id id, char *path, size_t sz);

/*
 * Whether library id can be counted on without loading it now: 0 when it
 * is loaded, or when path (where an earlier run found it: dynlib_where)
 * is still a regular file and neither a load failed nor
 * SAKIMORI_DYNLIB_FAIL names it; it then loads at its first call, and a
 * load that fails there ends the process as a forwarder's does.  -1
 * otherwise (ask dynlib_require).  For a library dear to load (some 20
 * ms for libmodsecurity3 and its 45 libraries) that many runs never call.
 */
int dynlib_expect(enum dynlib_id id, const char *path);

/* Loads l and fills its fns (thread-safe, once); prints why and exits
 * with 69 (EX_UNAVAILABLE) when it cannot.  Use dynlib_need. */
void dynlib_load(struct dynlib *l);

/* Makes sure l is loaded: one load of a flag once it is (the forwarders
 * call it on every call, hs_scan included). */
static inline void
dynlib_need(struct dynlib *l)
{
	if (!__atomic_load_n(&l->ready, __ATOMIC_ACQUIRE))
		dynlib_load(l);
}

#endif
