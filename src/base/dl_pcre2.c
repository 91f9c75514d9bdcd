/*
 * dl_pcre2.c - the PCRE2 functions sakimori calls (the disk-error
 * classifier's captures), loaded from libpcre2-8 at their first call (see
 * dynlib.h).  The declarations are PCRE2's own, so a changed signature
 * fails the build.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stddef.h>

#include <pcre2.h>

#include "base/dynlib.h"

#ifndef DL_PCRE2_SONAME
#define DL_PCRE2_SONAME "libpcre2-8.so.0"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define PCRE2_FUNCS(X, V)                                                      \
	V(pcre2_code_free, (pcre2_code *code), (code))                         \
	X(int, pcre2_config, (uint32_t what, void *where), (what, where))      \
	X(pcre2_code *, pcre2_compile,                                         \
	    (PCRE2_SPTR pattern, PCRE2_SIZE length, uint32_t options,          \
	        int *errorcode, PCRE2_SIZE *erroroffset,                       \
	        pcre2_compile_context *ccontext),                              \
	    (pattern, length, options, errorcode, erroroffset, ccontext))      \
	X(int, pcre2_get_error_message,                                        \
	    (int errorcode, PCRE2_UCHAR *buffer, PCRE2_SIZE len),              \
	    (errorcode, buffer, len))                                          \
	X(uint32_t, pcre2_get_ovector_count, (pcre2_match_data *md), (md))     \
	X(PCRE2_SIZE *, pcre2_get_ovector_pointer, (pcre2_match_data *md),     \
	    (md))                                                              \
	X(int, pcre2_jit_compile, (pcre2_code *code, uint32_t options),        \
	    (code, options))                                                   \
	X(int, pcre2_match,                                                    \
	    (const pcre2_code *code, PCRE2_SPTR subject, PCRE2_SIZE length,    \
	        PCRE2_SIZE startoffset, uint32_t options,                      \
	        pcre2_match_data *md, pcre2_match_context *mcontext),          \
	    (code, subject, length, startoffset, options, md, mcontext))       \
	X(pcre2_match_data *, pcre2_match_data_create,                         \
	    (uint32_t ovecsize, pcre2_general_context *gcontext),              \
	    (ovecsize, gcontext))                                              \
	V(pcre2_match_data_free, (pcre2_match_data *md), (md))
/* clang-format on */

DYNLIB_DEFINE(PCRE2_FUNCS, DL_PCRE2_SONAME, "libpcre2-8-0", pcre2);
DYNLIB_FORWARD(PCRE2_FUNCS)
