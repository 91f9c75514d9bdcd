/*
 * dl_hs.c - the Hyperscan functions sakimori calls, loaded from libhs at
 * their first call (see dynlib.h).  The declarations are Hyperscan's own
 * (hs/hs.h), so a changed signature fails the build.  hs_scan also works
 * around a read past the end of the data in Hyperscan 5.4 (see there).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "base/dynlib.h"

#ifndef DL_HS_SONAME
#define DL_HS_SONAME "libhs.so.5"
#endif

/* Every function forwarded as it is, once, with its signature (see dynlib.h). */
/* clang-format off */
#define HS_FUNCS(X, V)                                                         \
	X(hs_error_t HS_CDECL, hs_alloc_scratch,                               \
	    (const hs_database_t *db, hs_scratch_t **scratch), (db, scratch))  \
	X(hs_error_t HS_CDECL, hs_compile_lit_multi,                           \
	    (const char *const *expressions, const unsigned *flags,            \
	        const unsigned *ids, const size_t *lens, unsigned elements,    \
	        unsigned mode, const hs_platform_info_t *platform,             \
	        hs_database_t **db, hs_compile_error_t **error),               \
	    (expressions, flags, ids, lens, elements, mode, platform, db,      \
	        error))                                                        \
	X(hs_error_t HS_CDECL, hs_compile_multi,                               \
	    (const char *const *expressions, const unsigned int *flags,        \
	        const unsigned int *ids, unsigned int elements,                \
	        unsigned int mode, const hs_platform_info_t *platform,         \
	        hs_database_t **db, hs_compile_error_t **error),               \
	    (expressions, flags, ids, elements, mode, platform, db, error))    \
	X(hs_error_t HS_CDECL, hs_expression_info,                             \
	    (const char *expression, unsigned int flags,                       \
	        hs_expr_info_t **info, hs_compile_error_t **error),            \
	    (expression, flags, info, error))                                  \
	X(hs_error_t HS_CDECL, hs_database_size,                               \
	    (const hs_database_t *database, size_t *database_size),            \
	    (database, database_size))                                         \
	X(hs_error_t HS_CDECL, hs_deserialize_database,                        \
	    (const char *bytes, const size_t length, hs_database_t **db),      \
	    (bytes, length, db))                                               \
	X(hs_error_t HS_CDECL, hs_deserialize_database_at,                     \
	    (const char *bytes, const size_t length, hs_database_t *db),       \
	    (bytes, length, db))                                               \
	X(hs_error_t HS_CDECL, hs_free_compile_error,                          \
	    (hs_compile_error_t *error), (error))                              \
	X(hs_error_t HS_CDECL, hs_free_database, (hs_database_t *db), (db))    \
	X(hs_error_t HS_CDECL, hs_free_scratch, (hs_scratch_t *scratch),       \
	    (scratch))                                                         \
	X(hs_error_t HS_CDECL, hs_populate_platform,                           \
	    (hs_platform_info_t *platform), (platform))                        \
	X(hs_error_t HS_CDECL, hs_serialize_database,                          \
	    (const hs_database_t *db, char **bytes, size_t *length),           \
	    (db, bytes, length))                                               \
	X(hs_error_t HS_CDECL, hs_serialized_database_size,                    \
	    (const char *bytes, const size_t length, size_t *deserialized_size), \
	    (bytes, length, deserialized_size))                                \
	X(const char *HS_CDECL, hs_version, (void), ())
/* clang-format on */

/* The library's functions: those and hs_scan, which is written below. */
/* clang-format off */
#define HS_LOADED(X, V)                                                        \
	HS_FUNCS(X, V)                                                         \
	X(hs_error_t HS_CDECL, hs_scan,                                        \
	    (const hs_database_t *db, const char *data, unsigned int length,   \
	        unsigned int flags, hs_scratch_t *scratch,                     \
	        match_event_handler onEvent, void *context),                   \
	    (db, data, length, flags, scratch, onEvent, context))
/* clang-format on */

DYNLIB_DEFINE(HS_LOADED, DL_HS_SONAME, "libhyperscan5 or libvectorscan5", hs);
DYNLIB_FORWARD(HS_FUNCS)

/*
 * Hyperscan 5.4 (Debian 12's libhyperscan5) reads up to 32 bytes past the
 * end of the data in its AVX-512 VBMI literal matcher (fat Teddy; the same
 * code in Vectorscan was fixed by VectorCamp/vectorscan#333).  Harmless
 * inside a mapped page, a SIGSEGV when the data ends just before an
 * unmapped one: fuzz_klog hit it in CI, and a log line at the very end of
 * a mapping would too.  Data that ends within SCAN_SLACK bytes of a page
 * boundary is therefore scanned from a copy with room after it; match
 * offsets are the same, and the other 98% of scans are not copied.
 */
#define SCAN_SLACK 64
#define SCAN_PAGE 4096 /* the smallest page: a boundary of every size */
#define SCAN_STACK 4096

hs_error_t HS_CDECL
hs_scan(const hs_database_t *db, const char *data, unsigned int length,
    unsigned int flags, hs_scratch_t *scratch, match_event_handler onEvent,
    void *context)
{
	uintptr_t last = (uintptr_t)data + length - 1;
	char stack[SCAN_STACK + SCAN_SLACK], *copy;
	hs_error_t rc;

	if (length == 0 || (last & (SCAN_PAGE - 1)) < SCAN_PAGE - SCAN_SLACK)
		return DYNLIB_REAL(hs_scan)(
		    db, data, length, flags, scratch, onEvent, context);
	copy =
	    length <= SCAN_STACK ? stack : malloc((size_t)length + SCAN_SLACK);
	if (copy == NULL)
		return HS_NOMEM;
	memcpy(copy, data, length);
	memset(copy + length, 0, SCAN_SLACK);
	rc = DYNLIB_REAL(hs_scan)(
	    db, copy, length, flags, scratch, onEvent, context);
	if (copy != stack)
		free(copy);
	return rc;
}
