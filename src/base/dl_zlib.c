/*
 * dl_zlib.c - the zlib functions sakimori calls (reading gzip-compressed
 * rotated logs), loaded from libz at their first call (see dynlib.h).
 * The declarations are zlib's own, so a changed signature fails the
 * build.
 */
#include <stddef.h>

#include <zlib.h>

#include "base/dynlib.h"

#ifndef DL_ZLIB_SONAME
#define DL_ZLIB_SONAME "libz.so.1"
#endif

/* X(name): every function forwarded below, in one list. */
#define ZLIB_FUNCS(X)                                                          \
	X(gzbuffer)                                                            \
	X(gzclose)                                                             \
	X(gzdopen)                                                             \
	X(gzerror)                                                             \
	X(gzopen)                                                              \
	X(gzread)

#define AS_INDEX(f) I_##f,
#define AS_NAME(f) DYNLIB_SYM(f),
enum { ZLIB_FUNCS(AS_INDEX) N_FUNCS };
static const char *const names[] = {ZLIB_FUNCS(AS_NAME) NULL};
static void *fns[N_FUNCS];
static struct dynlib lib = DYNLIB_INIT(DL_ZLIB_SONAME, "zlib1g", names, fns);

/* The library's function f, loaded on first use. */
#define REAL(f) (dynlib_need(&lib), (__typeof__(f) *)fns[I_##f])

int ZEXPORT
gzbuffer(gzFile file, unsigned size)
{
	return REAL(gzbuffer)(file, size);
}

int ZEXPORT
gzclose(gzFile file)
{
	return REAL(gzclose)(file);
}

gzFile ZEXPORT
gzdopen(int fd, const char *mode)
{
	return REAL(gzdopen)(fd, mode);
}

const char *ZEXPORT
gzerror(gzFile file, int *errnum)
{
	return REAL(gzerror)(file, errnum);
}

gzFile ZEXPORT
gzopen(const char *path, const char *mode)
{
	return REAL(gzopen)(path, mode);
}

int ZEXPORT
gzread(gzFile file, voidp buf, unsigned len)
{
	return REAL(gzread)(file, buf, len);
}
