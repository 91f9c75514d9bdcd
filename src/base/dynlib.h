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
 * A library that cannot be loaded is an installation error, as it was
 * when the dynamic loader refused to start the program: the message says
 * which library and which Debian package, and the process exits with 127
 * (the loader's status).
 */
#ifndef BASE_DYNLIB_H
#define BASE_DYNLIB_H

struct dynlib {
	const char *soname;       /* "libhs.so.5" */
	const char *package;      /* "libhyperscan5" */
	const char *const *names; /* symbols, NULL-terminated */
	void **fns;               /* filled in the order of names */
	int ready;                /* set (release) once fns is complete */
};

#define DYNLIB_INIT(so, pkg, n, f)                                             \
	{                                                                      \
		so, pkg, n, f, 0                                               \
	}

/* The symbol's name as a string after macro expansion (pcre2_compile is
 * pcre2_compile_8, gzopen may be gzopen64). */
#define DYNLIB_SYM(f) DYNLIB_STR_(f)
#define DYNLIB_STR_(f) #f

/*
 * DYNLIB_DEFINE(LIST, soname, package), in a forwarder file: the library
 * with the functions of LIST, an X-macro (LIST(X) is X(f1) X(f2) ...).
 * DYNLIB_REAL(f) is then the library's f, loaded on first use:
 *
 *	int gzclose(gzFile g) { return DYNLIB_REAL(gzclose)(g); }
 */
#define DYNLIB_INDEX_(f) DYNLIB_I_##f,
#define DYNLIB_NAME_(f) DYNLIB_SYM(f),
#define DYNLIB_DEFINE(LIST, so, pkg)                                           \
	enum { LIST(DYNLIB_INDEX_) DYNLIB_N_ };                                \
	static const char *const dynlib_names_[] = {LIST(DYNLIB_NAME_) NULL};  \
	static void *dynlib_fns_[DYNLIB_N_];                                   \
	static struct dynlib dynlib_lib_ =                                     \
	    DYNLIB_INIT(so, pkg, dynlib_names_, dynlib_fns_)
#define DYNLIB_REAL(f)                                                         \
	(dynlib_need(&dynlib_lib_), (__typeof__(f) *)dynlib_fns_[DYNLIB_I_##f])

/* Loads l and fills its fns (thread-safe, once); exits with 127 when it
 * cannot.  Use dynlib_need. */
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
