/*
 * bounded.h - text put into a fixed-size buffer where a cut is acceptable
 * (a name shown in a table, a message), said so instead of left to a
 * snprintf whose cut goes unnoticed.  Paths are never cut: path_join
 * (base/fileio.h) refuses what does not fit.
 */
#ifndef BASE_BOUNDED_H
#define BASE_BOUNDED_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Copies src into dst (dstsz > 0), cut at dstsz - 1 bytes when longer;
 * the two may overlap (a field of a struct into another).  0, or 1 when
 * cut.
 */
int str_copy(char *dst, size_t dstsz, const char *src);
/* Formats into dst (dstsz > 0), cut like str_copy.  0, or 1 when cut. */
int str_printf(char *dst, size_t dstsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As str_printf, with the arguments in ap. */
int str_vprintf(char *dst, size_t dstsz, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
