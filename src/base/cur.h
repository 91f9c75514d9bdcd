/*
 * cur.h - string-parse cursors.  A cursor is a (const char **cur,
 * const char *end) pair; every function reads at most up to end, never
 * needs a NUL terminator, and advances *cur only on success.
 */
#ifndef BASE_CUR_H
#define BASE_CUR_H

#include <stddef.h>
#include <stdint.h>

/* Decimal unsigned number; 0, or -1 on no digits or overflow. */
int cur_u64(const char **cur, const char *end, uint64_t *out);
/* Optional '-' then decimal; 0 or -1. */
int cur_i64(const char **cur, const char *end, int64_t *out);
/* Hexadecimal number (no 0x); 0 or -1. */
int cur_hex(const char **cur, const char *end, uint64_t *out);
/* The value of one hexadecimal digit (either case), or -1. */
int cur_hexval(char c);
/* Decimal with optional fraction ("0.52", "12"); 0 or -1. */
int cur_dec(const char **cur, const char *end, double *out);

/* Skips spaces and tabs; returns how many were skipped. */
size_t cur_spaces(const char **cur, const char *end);
/* Consumes the literal lit if it is next; 0, or -1 (cursor unchanged). */
int cur_lit(const char **cur, const char *end, const char *lit);
/* Consumes the byte c if it is next; 0 or -1. */
int cur_char(const char **cur, const char *end, char c);
/*
 * A run of bytes that are not space, tab or newline; sets *w and returns
 * its length (0 when none, cursor unchanged).
 */
size_t cur_word(const char **cur, const char *end, const char **w);
/* Bytes up to (not including) c or end; always succeeds; returns length. */
size_t cur_until(const char **cur, const char *end, char c, const char **w);
/*
 * The next line: sets [*ls, *le) without the newline (and without a CR
 * before it) and moves *cur past the newline.  Returns 0, or -1 at end.
 */
int cur_line(
    const char **cur, const char *end, const char **ls, const char **le);

/* Whole-string helpers for NUL-terminated input (config values, argv). */
int str_u64(const char *s, uint64_t *out);
int str_dec(const char *s, double *out);
/* 1 if [s, s+n) equals the NUL-terminated lit. */
int mem_eq(const char *s, size_t n, const char *lit);

#endif
