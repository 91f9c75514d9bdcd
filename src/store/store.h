/*
 * store.h - the state database: one SQLite file (sakimori.db) in the state
 * directory, in WAL mode, one writer.  Each module owns its tables and
 * creates them with store_migrate; small values go in the key/value table.
 *
 * A database that SQLite reports as corrupt is refused with a clear error;
 * callers that would act on state (block, kill) must then refuse to act.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct err;
struct strbuf;

struct store {
	sqlite3 *db;
	char path[PATH_MAX];
};

/* Opens (creating the directory 0700 and the file 0600) state_dir/sakimori.db. */
int store_open(struct store *s, const char *state_dir, struct err *err);
void store_close(struct store *s);
/*
 * Brings module's tables to version nsteps: runs steps[v] for every v from
 * the recorded version up, each in a transaction.  0 or -1; a recorded
 * version above nsteps (a newer sakimori's tables) is refused (EPROTO).
 */
int store_migrate(struct store *s, const char *module, const char *const *steps,
    int nsteps, struct err *err);
int store_exec(struct store *s, const char *sql, struct err *err);
/*
 * Fills err from the database's last error ("corrupt ..., move it aside"
 * with code EILSEQ for a corrupt file; EIO otherwise) and returns -1.
 */
int store_err(struct store *s, struct err *err, const char *what);
int store_begin(struct store *s, struct err *err); /* BEGIN IMMEDIATE */
int store_commit(struct store *s, struct err *err);
void store_rollback(struct store *s);
/* A prepared statement; NULL with err set. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql, struct err *err);
/* Key/value: 0 found (out filled), 1 absent, -1 error. */
int store_kv_get(struct store *s, const char *ns, const char *key,
    struct strbuf *out, struct err *err);
int store_kv_set(struct store *s, const char *ns, const char *key,
    const void *val, size_t len, struct err *err);
int store_kv_del(
    struct store *s, const char *ns, const char *key, struct err *err);

#endif
