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

/* X(name): every function forwarded below, in one list. */
#define PCRE2_FUNCS(X)                                                         \
	X(pcre2_code_free)                                                     \
	X(pcre2_compile)                                                       \
	X(pcre2_get_error_message)                                             \
	X(pcre2_get_ovector_count)                                             \
	X(pcre2_get_ovector_pointer)                                           \
	X(pcre2_jit_compile)                                                   \
	X(pcre2_match)                                                         \
	X(pcre2_match_data_create)                                             \
	X(pcre2_match_data_free)

DYNLIB_DEFINE(PCRE2_FUNCS, DL_PCRE2_SONAME, "libpcre2-8-0", pcre2);

void
pcre2_code_free(pcre2_code *code)
{
	DYNLIB_REAL(pcre2_code_free)(code);
}

pcre2_code *
pcre2_compile(PCRE2_SPTR pattern, PCRE2_SIZE length, uint32_t options,
    int *errorcode, PCRE2_SIZE *erroroffset, pcre2_compile_context *ccontext)
{
	return DYNLIB_REAL(pcre2_compile)(
	    pattern, length, options, errorcode, erroroffset, ccontext);
}

int
pcre2_get_error_message(int errorcode, PCRE2_UCHAR *buffer, PCRE2_SIZE len)
{
	return DYNLIB_REAL(pcre2_get_error_message)(errorcode, buffer, len);
}

uint32_t
pcre2_get_ovector_count(pcre2_match_data *md)
{
	return DYNLIB_REAL(pcre2_get_ovector_count)(md);
}

PCRE2_SIZE *
pcre2_get_ovector_pointer(pcre2_match_data *md)
{
	return DYNLIB_REAL(pcre2_get_ovector_pointer)(md);
}

int
pcre2_jit_compile(pcre2_code *code, uint32_t options)
{
	return DYNLIB_REAL(pcre2_jit_compile)(code, options);
}

int
pcre2_match(const pcre2_code *code, PCRE2_SPTR subject, PCRE2_SIZE length,
    PCRE2_SIZE startoffset, uint32_t options, pcre2_match_data *md,
    pcre2_match_context *mcontext)
{
	return DYNLIB_REAL(pcre2_match)(
	    code, subject, length, startoffset, options, md, mcontext);
}

pcre2_match_data *
pcre2_match_data_create(uint32_t ovecsize, pcre2_general_context *gcontext)
{
	return DYNLIB_REAL(pcre2_match_data_create)(ovecsize, gcontext);
}

void
pcre2_match_data_free(pcre2_match_data *md)
{
	DYNLIB_REAL(pcre2_match_data_free)(md);
}
