/*
 * store.c - the SQLite state database (see store.h).
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/statedir.h"
#include "base/strbuf.h"

int
store_err(struct store *s, struct err *err, const char *what)
{
	int code = sqlite3_errcode(s->db);

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return err_set(err, EILSEQ,
		    "state database '%s' is corrupt (%s); move it aside to "
		    "start afresh",
		    s->path, sqlite3_errmsg(s->db));
	return err_set(err, EIO, "state database '%s': %s: %s", s->path, what,
	    sqlite3_errmsg(s->db));
}

int
store_exec(struct store *s, const char *sql, struct err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_err(s, err, "cannot execute");
	return 0;
}

/*
 * The database that is there already: 0 when it is not a symbolic link
 * (looked at without opening it, which would drop this process's locks),
 * else -1 with err saying so, as statedir_open says it.
 */
static int
store_is_link(const char *state_dir, struct err *err)
{
	struct stat st;
	int dfd = statedir_dir(state_dir, "", 0, err), rc = 0;

	if (dfd == -1)
		return -1;
	if (fstatat(dfd, "sakimori.db", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		rc = err_set(err, ELOOP,
		    "'%s/sakimori.db' is a symbolic link: not followed in the "
		    "state directory",
		    state_dir);
	close(dfd);
	return rc;
}

int
store_open(struct store *s, const char *state_dir, struct err *err)
{
	memset(s, 0, sizeof(*s));
	s->db = NULL;
	if (path_join(s->path, sizeof(s->path), state_dir, "sakimori.db") == -1)
		return err_set(
		    err, ENAMETOOLONG, "path too long: '%s'", state_dir);
	/* Create it 0600 before SQLite does (with the umask's mode), never
	 * through a symbolic link.  Only when it is missing: closing a
	 * descriptor of a database file drops the POSIX locks every
	 * connection of this process holds on it (another store open here,
	 * as the agent's), and SQLite then takes itself for the last one. */
	struct err e = {0};
	int fd = statedir_open(
	    state_dir, "sakimori.db", O_RDWR | O_CREAT | O_EXCL, 0600, &e);
	if (fd == -1 && e.code != EEXIST)
		return err_set(err, e.code, "%s", e.msg);
	if (fd != -1)
		close(fd);
	else if (store_is_link(state_dir, err) != 0)
		return -1;
	if (sqlite3_open_v2(s->path, &s->db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOFOLLOW,
	        NULL) != SQLITE_OK) {
		int rc = store_err(s, err, "cannot open");
		store_close(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (store_exec(s, "PRAGMA journal_mode=WAL", err) == -1 ||
	    store_exec(s, "PRAGMA synchronous=NORMAL", err) == -1 ||
	    store_exec(s, "PRAGMA foreign_keys=ON", err) == -1 ||
	    store_exec(s,
	        "CREATE TABLE IF NOT EXISTS schema_version ("
	        " module TEXT PRIMARY KEY, version INTEGER NOT NULL);"
	        "CREATE TABLE IF NOT EXISTS kv ("
	        " ns TEXT NOT NULL, key TEXT NOT NULL, val BLOB,"
	        " PRIMARY KEY (ns, key))",
	        err) == -1) {
		store_close(s);
		return -1;
	}
	return 0;
}

void
store_close(struct store *s)
{
	if (s->db)
		sqlite3_close(s->db);
	s->db = NULL;
}

int
store_begin(struct store *s, struct err *err)
{
	return store_exec(s, "BEGIN IMMEDIATE", err);
}

int
store_commit(struct store *s, struct err *err)
{
	return store_exec(s, "COMMIT", err);
}

void
store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *
store_prepare(struct store *s, const char *sql, struct err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_err(s, err, "cannot prepare");
		return NULL;
	}
	return st;
}

int
store_migrate(struct store *s, const char *module, const char *const *steps,
    int nsteps, struct err *err)
{
	sqlite3_stmt *st;
	int version = 0;

	st = store_prepare(
	    s, "SELECT version FROM schema_version WHERE module = ?", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > nsteps)
		return err_set(err, EPROTO,
		    "state database '%s': the '%s' tables are at schema "
		    "version %d, newer than this sakimori knows (%d); use the "
		    "newer sakimori, or move the database aside",
		    s->path, module, version, nsteps);
	for (int v = version; v < nsteps; v++) {
		if (store_begin(s, err) == -1)
			return -1;
		if (store_exec(s, steps[v], err) == -1) {
			store_rollback(s);
			return err_prefix(
			    err, "migrating '%s' to version %d", module, v + 1);
		}
		st = store_prepare(s,
		    "INSERT OR REPLACE INTO schema_version VALUES (?, ?)", err);
		if (st == NULL) {
			store_rollback(s);
			return -1;
		}
		sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, v + 1);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			store_rollback(s);
			return store_err(
			    s, err, "cannot record schema version");
		}
		if (store_commit(s, err) == -1)
			return -1;
	}
	return 0;
}

/* A statement on kv with ns and key bound to its first two parameters. */
static sqlite3_stmt *
kv_prepare(struct store *s, const char *sql, const char *ns, const char *key,
    struct err *err)
{
	sqlite3_stmt *st = store_prepare(s, sql, err);

	if (st != NULL) {
		sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	}
	return st;
}

/* Runs a kv statement that returns no rows, and finalizes it. */
static int
kv_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_err(s, err, what);
}

int
store_kv_get(struct store *s, const char *ns, const char *key,
    struct strbuf *out, struct err *err)
{
	sqlite3_stmt *st = kv_prepare(
	    s, "SELECT val FROM kv WHERE ns = ? AND key = ?", ns, key, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *v = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);

		strbuf_reset(out);
		if (strbuf_add(out, v ? v : "", (size_t)n) == -1) {
			sqlite3_finalize(st);
			return err_set(
			    err, ENOMEM, "value of '%s/%s' too large", ns, key);
		}
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 1;
	return store_err(s, err, "cannot read");
}

int
store_kv_set(struct store *s, const char *ns, const char *key, const void *val,
    size_t len, struct err *err)
{
	sqlite3_stmt *st = kv_prepare(s,
	    "INSERT OR REPLACE INTO kv (ns, key, val) VALUES (?, ?, ?)", ns,
	    key, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 3, val, (int)len, SQLITE_STATIC);
	return kv_done(s, st, "cannot write", err);
}

int
store_kv_del(struct store *s, const char *ns, const char *key, struct err *err)
{
	sqlite3_stmt *st = kv_prepare(
	    s, "DELETE FROM kv WHERE ns = ? AND key = ?", ns, key, err);

	if (st == NULL)
		return -1;
	return kv_done(s, st, "cannot delete", err);
}
