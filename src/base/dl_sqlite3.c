/*
 * dl_sqlite3.c - the SQLite functions sakimori calls (the state database),
 * loaded from libsqlite3 at their first call (see dynlib.h).  The
 * declarations are SQLite's own, so a changed signature fails the build.
 */
#include <stddef.h>

#include <sqlite3.h>

#include "base/dynlib.h"

#ifndef DL_SQLITE3_SONAME
#define DL_SQLITE3_SONAME "libsqlite3.so.0"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define SQLITE3_FUNCS(X, V)                                                    \
	X(int, sqlite3_bind_blob,                                              \
	    (sqlite3_stmt *st, int i, const void *v, int n,                    \
	        void (*d)(void *)),                                            \
	    (st, i, v, n, d))                                                  \
	X(int, sqlite3_bind_int, (sqlite3_stmt *st, int i, int v),             \
	    (st, i, v))                                                        \
	X(int, sqlite3_bind_int64,                                             \
	    (sqlite3_stmt *st, int i, sqlite3_int64 v), (st, i, v))            \
	X(int, sqlite3_bind_text,                                              \
	    (sqlite3_stmt *st, int i, const char *v, int n,                    \
	        void (*d)(void *)),                                            \
	    (st, i, v, n, d))                                                  \
	X(int, sqlite3_busy_timeout, (sqlite3 *db, int ms), (db, ms))          \
	X(int, sqlite3_close, (sqlite3 *db), (db))                             \
	X(const void *, sqlite3_column_blob, (sqlite3_stmt *st, int col),      \
	    (st, col))                                                         \
	X(int, sqlite3_column_bytes, (sqlite3_stmt *st, int col), (st, col))   \
	X(double, sqlite3_column_double, (sqlite3_stmt *st, int col),          \
	    (st, col))                                                         \
	X(int, sqlite3_column_int, (sqlite3_stmt *st, int col), (st, col))     \
	X(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *st, int col),    \
	    (st, col))                                                         \
	X(const unsigned char *, sqlite3_column_text,                          \
	    (sqlite3_stmt *st, int col), (st, col))                            \
	X(int, sqlite3_errcode, (sqlite3 *db), (db))                           \
	X(const char *, sqlite3_errmsg, (sqlite3 *db), (db))                   \
	X(int, sqlite3_exec,                                                   \
	    (sqlite3 *db, const char *sql,                                     \
	        int (*cb)(void *, int, char **, char **), void *arg,           \
	        char **errmsg),                                                \
	    (db, sql, cb, arg, errmsg))                                        \
	X(int, sqlite3_finalize, (sqlite3_stmt *st), (st))                     \
	X(sqlite3_int64, sqlite3_last_insert_rowid, (sqlite3 *db), (db))       \
	X(int, sqlite3_open_v2,                                                \
	    (const char *filename, sqlite3 **db, int flags, const char *vfs),  \
	    (filename, db, flags, vfs))                                        \
	X(int, sqlite3_prepare_v2,                                             \
	    (sqlite3 *db, const char *sql, int n, sqlite3_stmt **st,           \
	        const char **tail),                                            \
	    (db, sql, n, st, tail))                                            \
	X(int, sqlite3_reset, (sqlite3_stmt *st), (st))                        \
	X(int, sqlite3_step, (sqlite3_stmt *st), (st))
/* clang-format on */

DYNLIB_DEFINE(SQLITE3_FUNCS, DL_SQLITE3_SONAME, "libsqlite3-0", sqlite3);
DYNLIB_FORWARD(SQLITE3_FUNCS)
