/*
 * dl_rrd.c - the librrd functions sakimori calls (the history of
 * src/hist: create, update, fetch, graph), loaded from librrd at their
 * first call (see dynlib.h).  librrd maps cairo, pango and glib behind
 * it: far too much for every start of every command.  The declarations
 * are librrd's own, so a changed signature fails the build.
 */
#include <stddef.h>
#include <time.h>

#include <rrd.h>

#include "base/dynlib.h"

#ifndef DL_RRD_SONAME
#define DL_RRD_SONAME "librrd.so.8"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define RRD_FUNCS(X, V)                                                        \
	X(int, rrd_create_r2,                                                  \
	    (const char *filename, unsigned long pdp_step, time_t last_up,     \
	        int no_overwrite, const char **sources, const char *tmpl,      \
	        int argc, const char **argv),                                  \
	    (filename, pdp_step, last_up, no_overwrite, sources, tmpl, argc,   \
	        argv))                                                         \
	X(int, rrd_update_r,                                                   \
	    (const char *filename, const char *tmpl, int argc,                 \
	        const char **argv),                                            \
	    (filename, tmpl, argc, argv))                                      \
	X(int, rrd_fetch_r,                                                    \
	    (const char *filename, const char *cf, time_t *start,              \
	        time_t *end, unsigned long *step, unsigned long *ds_cnt,       \
	        char ***ds_namv, rrd_value_t **data),                          \
	    (filename, cf, start, end, step, ds_cnt, ds_namv, data))           \
	X(rrd_info_t *, rrd_graph_v, (int argc, char **argv), (argc, argv))    \
	V(rrd_info_free, (rrd_info_t *i), (i))                                 \
	V(rrd_freemem, (void *mem), (mem))                                     \
	X(char *, rrd_get_error, (void), ())                                   \
	V(rrd_clear_error, (void), ())
/* clang-format on */

DYNLIB_DEFINE(RRD_FUNCS, DL_RRD_SONAME, "librrd8", rrd);
DYNLIB_FORWARD(RRD_FUNCS)

#if defined(__SANITIZE_ADDRESS__)
/*
 * Under AddressSanitizer: librrd's graph leaves the caches of fontconfig,
 * pango and cairo, and a few strings of its own (made with vasprintf, which
 * sakimori does not call), allocated to the end of the process.  They are
 * not sakimori's to free, so the leak check leaves them out.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:librrd.so\n"
	       "leak:libfontconfig.so\n"
	       "leak:libpango\n"
	       "leak:libcairo.so\n"
	       "leak:__vasprintf_internal\n";
}
#endif
