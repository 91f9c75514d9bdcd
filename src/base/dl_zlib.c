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

DYNLIB_DEFINE(ZLIB_FUNCS, DL_ZLIB_SONAME, "zlib1g", zlib);

int ZEXPORT
gzbuffer(gzFile file, unsigned size)
{
	return DYNLIB_REAL(gzbuffer)(file, size);
}

int ZEXPORT
gzclose(gzFile file)
{
	return DYNLIB_REAL(gzclose)(file);
}

gzFile ZEXPORT
gzdopen(int fd, const char *mode)
{
	return DYNLIB_REAL(gzdopen)(fd, mode);
}

const char *ZEXPORT
gzerror(gzFile file, int *errnum)
{
	return DYNLIB_REAL(gzerror)(file, errnum);
}

gzFile ZEXPORT
gzopen(const char *path, const char *mode)
{
	return DYNLIB_REAL(gzopen)(path, mode);
}

int ZEXPORT
gzread(gzFile file, voidp buf, unsigned len)
{
	return DYNLIB_REAL(gzread)(file, buf, len);
}
