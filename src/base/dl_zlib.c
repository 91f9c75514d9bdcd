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

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define ZLIB_FUNCS(X, V)                                                       \
	X(int ZEXPORT, gzbuffer, (gzFile file, unsigned size), (file, size))   \
	X(int ZEXPORT, gzclose, (gzFile file), (file))                         \
	X(gzFile ZEXPORT, gzdopen, (int fd, const char *mode), (fd, mode))     \
	X(const char *ZEXPORT, gzerror, (gzFile file, int *errnum),            \
	    (file, errnum))                                                    \
	X(gzFile ZEXPORT, gzopen, (const char *path, const char *mode),        \
	    (path, mode))                                                      \
	X(int ZEXPORT, gzread, (gzFile file, voidp buf, unsigned len),         \
	    (file, buf, len))                                                  \
	X(int ZEXPORT, inflate, (z_streamp strm, int flush), (strm, flush))    \
	X(int ZEXPORT, inflateEnd, (z_streamp strm), (strm))                   \
	X(int ZEXPORT, inflateInit2_,                                          \
	    (z_streamp strm, int windowBits, const char *version,              \
	        int stream_size),                                              \
	    (strm, windowBits, version, stream_size))                          \
	X(int ZEXPORT, inflateReset, (z_streamp strm), (strm))
/* clang-format on */

DYNLIB_DEFINE(ZLIB_FUNCS, DL_ZLIB_SONAME, "zlib1g", zlib);
DYNLIB_FORWARD(ZLIB_FUNCS)
