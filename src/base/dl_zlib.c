/*
 * dl_zlib.c - the zlib functions sakimori calls (reading gzip-compressed
 * rotated logs: inflate in base/linesrc.c, the gz* file functions in the
 * follower), loaded from libz at their first call (see dynlib.h).
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
	X(gzread)                                                              \
	X(inflate)                                                             \
	X(inflateEnd)                                                          \
	X(inflateInit2_)                                                       \
	X(inflateReset)

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

int ZEXPORT
inflate(z_streamp strm, int flush)
{
	return DYNLIB_REAL(inflate)(strm, flush);
}

int ZEXPORT
inflateEnd(z_streamp strm)
{
	return DYNLIB_REAL(inflateEnd)(strm);
}

int ZEXPORT
inflateInit2_(
    z_streamp strm, int windowBits, const char *version, int stream_size)
{
	return DYNLIB_REAL(inflateInit2_)(
	    strm, windowBits, version, stream_size);
}

int ZEXPORT
inflateReset(z_streamp strm)
{
	return DYNLIB_REAL(inflateReset)(strm);
}
