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

/* X(name): every function forwarded below, in one list. */
#define SQLITE3_FUNCS(X)                                                       \
	X(sqlite3_bind_blob)                                                   \
	X(sqlite3_bind_int)                                                    \
	X(sqlite3_bind_int64)                                                  \
	X(sqlite3_bind_text)                                                   \
	X(sqlite3_busy_timeout)                                                \
	X(sqlite3_close)                                                       \
	X(sqlite3_column_blob)                                                 \
	X(sqlite3_column_bytes)                                                \
	X(sqlite3_column_double)                                               \
	X(sqlite3_column_int)                                                  \
	X(sqlite3_column_int64)                                                \
	X(sqlite3_column_text)                                                 \
	X(sqlite3_errcode)                                                     \
	X(sqlite3_errmsg)                                                      \
	X(sqlite3_exec)                                                        \
	X(sqlite3_finalize)                                                    \
	X(sqlite3_last_insert_rowid)                                           \
	X(sqlite3_open_v2)                                                     \
	X(sqlite3_prepare_v2)                                                  \
	X(sqlite3_reset)                                                       \
	X(sqlite3_step)

DYNLIB_DEFINE(SQLITE3_FUNCS, DL_SQLITE3_SONAME, "libsqlite3-0", sqlite3);

int
sqlite3_bind_blob(
    sqlite3_stmt *st, int i, const void *v, int n, void (*d)(void *))
{
	return DYNLIB_REAL(sqlite3_bind_blob)(st, i, v, n, d);
}

int
sqlite3_bind_int(sqlite3_stmt *st, int i, int v)
{
	return DYNLIB_REAL(sqlite3_bind_int)(st, i, v);
}

int
sqlite3_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v)
{
	return DYNLIB_REAL(sqlite3_bind_int64)(st, i, v);
}

int
sqlite3_bind_text(
    sqlite3_stmt *st, int i, const char *v, int n, void (*d)(void *))
{
	return DYNLIB_REAL(sqlite3_bind_text)(st, i, v, n, d);
}

int
sqlite3_busy_timeout(sqlite3 *db, int ms)
{
	return DYNLIB_REAL(sqlite3_busy_timeout)(db, ms);
}

int
sqlite3_close(sqlite3 *db)
{
	return DYNLIB_REAL(sqlite3_close)(db);
}

const void *
sqlite3_column_blob(sqlite3_stmt *st, int col)
{
	return DYNLIB_REAL(sqlite3_column_blob)(st, col);
}

int
sqlite3_column_bytes(sqlite3_stmt *st, int col)
{
	return DYNLIB_REAL(sqlite3_column_bytes)(st, col);
}

double
sqlite3_column_double(sqlite3_stmt *st, int col)
{
	return DYNLIB_REAL(sqlite3_column_double)(st, col);
}

int
sqlite3_column_int(sqlite3_stmt *st, int col)
{
	return DYNLIB_REAL(sqlite3_column_int)(st, col);
}

sqlite3_int64
sqlite3_column_int64(sqlite3_stmt *st, int col)
{
	return DYNLIB_REAL(sqlite3_column_int64)(st, col);
}

const unsigned char *
sqlite3_column_text(sqlite3_stmt *st, int col)
{
	return DYNLIB_REAL(sqlite3_column_text)(st, col);
}

int
sqlite3_errcode(sqlite3 *db)
{
	return DYNLIB_REAL(sqlite3_errcode)(db);
}

const char *
sqlite3_errmsg(sqlite3 *db)
{
	return DYNLIB_REAL(sqlite3_errmsg)(db);
}

int
sqlite3_exec(sqlite3 *db, const char *sql,
    int (*cb)(void *, int, char **, char **), void *arg, char **errmsg)
{
	return DYNLIB_REAL(sqlite3_exec)(db, sql, cb, arg, errmsg);
}

int
sqlite3_finalize(sqlite3_stmt *st)
{
	return DYNLIB_REAL(sqlite3_finalize)(st);
}

sqlite3_int64
sqlite3_last_insert_rowid(sqlite3 *db)
{
	return DYNLIB_REAL(sqlite3_last_insert_rowid)(db);
}

int
sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs)
{
	return DYNLIB_REAL(sqlite3_open_v2)(filename, db, flags, vfs);
}

int
sqlite3_prepare_v2(
    sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail)
{
	return DYNLIB_REAL(sqlite3_prepare_v2)(db, sql, n, st, tail);
}

int
sqlite3_reset(sqlite3_stmt *st)
{
	return DYNLIB_REAL(sqlite3_reset)(st);
}

int
sqlite3_step(sqlite3_stmt *st)
{
	return DYNLIB_REAL(sqlite3_step)(st);
}
