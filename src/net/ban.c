/*
 * ban.c - the record of blocks in the state database (see ban.h).
 */
#include "net/ban.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/err.h"
#include "base/json.h"
#include "base/mem.h"
#include "store/store.h"

static const char *const migrations[] = {
    "CREATE TABLE net_bans ("
    " id INTEGER PRIMARY KEY,"
    " prefix TEXT NOT NULL,"    /* "203.0.113.0/24", for people */
    " family INTEGER NOT NULL," /* 4 or 6 */
    " plen INTEGER NOT NULL,"
    " addr BLOB NOT NULL," /* 16 bytes, network order */
    " backend TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " since INTEGER NOT NULL,"
    " until INTEGER NOT NULL," /* 0: never */
    " reason TEXT NOT NULL,"
    " by TEXT NOT NULL,"
    " state TEXT NOT NULL," /* active, removed, expired, failed */
    " ended INTEGER NOT NULL DEFAULT 0,"
    " ended_by TEXT NOT NULL DEFAULT '',"
    " note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX net_bans_by_state ON net_bans (state, prefix);"
    "CREATE INDEX net_bans_by_prefix ON net_bans (prefix);",
};

static const char *const state_names[] = {
    [NET_BAN_ACTIVE] = "active",
    [NET_BAN_REMOVED] = "removed",
    [NET_BAN_EXPIRED] = "expired",
    [NET_BAN_FAILED] = "failed",
};

const char *
net_ban_state_name(enum net_ban_state st)
{
	return (unsigned)st < 4 ? state_names[st] : "?";
}

static enum net_ban_state
state_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, state_names[i]) == 0)
			return (enum net_ban_state)i;
	return NET_BAN_FAILED;
}

int
net_ban_migrate(struct store *s, struct err *err)
{
	return store_migrate(
	    s, "net", migrations, (int)(countof(migrations)), err);
}

static int
step_err(struct store *s, sqlite3_stmt *st, struct err *err, const char *what)
{
	/* the error code survives sqlite3_finalize only until the next
	   call: read it first */
	int rc = store_err(s, err, what);

	sqlite3_finalize(st);
	return rc;
}

static void
key_of(const struct net_prefix *p, char *dst, size_t n)
{
	net_prefix_format_len(p, dst, n);
}

int
net_ban_insert(struct store *s, struct net_ban *b, struct err *err)
{
	char key[NET_PREFIX_STRLEN];
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO net_bans (prefix, family, plen, addr, backend, kind,"
	    " since, until, reason, by, state) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
	    err);
	if (st == NULL)
		return -1;
	key_of(&b->prefix, key, sizeof(key));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, b->prefix.family == AF_INET ? 4 : 6);
	sqlite3_bind_int(st, 3, b->prefix.len);
	sqlite3_bind_blob(st, 4, b->prefix.addr, 16, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, b->backend, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, b->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)b->since);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)b->until);
	sqlite3_bind_text(st, 9, b->reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, b->by, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return step_err(s, st, err, "cannot record the block");
	sqlite3_finalize(st);
	b->id = sqlite3_last_insert_rowid(s->db);
	b->state = NET_BAN_ACTIVE;
	return 0;
}

int
net_ban_end(struct store *s, int64_t id, enum net_ban_state state, time_t when,
    const char *by, const char *note, struct err *err)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "UPDATE net_bans SET state = ?, ended = ?, ended_by = ?, note = ?"
	    " WHERE id = ?",
	    err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, net_ban_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)when);
	sqlite3_bind_text(st, 3, by != NULL ? by : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(
	    st, 4, note != NULL ? note : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return step_err(s, st, err, "cannot record the end of a block");
	sqlite3_finalize(st);
	return 0;
}

int
net_ban_extend(struct store *s, int64_t id, time_t until, struct err *err)
{
	sqlite3_stmt *st;

	st =
	    store_prepare(s, "UPDATE net_bans SET until = ? WHERE id = ?", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)until);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return step_err(s, st, err, "cannot extend a block");
	sqlite3_finalize(st);
	return 0;
}

static void
copy_col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", t != NULL ? (const char *)t : "");
}

#define BAN_COLS                                                               \
	"id, family, plen, addr, backend, kind, since, until, reason, by,"     \
	" state, ended, ended_by, note"

static void
row_to_ban(sqlite3_stmt *st, struct net_ban *b)
{
	const void *blob;

	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(st, 0);
	b->prefix.family = sqlite3_column_int(st, 1) == 4 ? AF_INET : AF_INET6;
	b->prefix.len = (uint8_t)sqlite3_column_int(st, 2);
	blob = sqlite3_column_blob(st, 3);
	if (blob != NULL && sqlite3_column_bytes(st, 3) == 16)
		memcpy(b->prefix.addr, blob, 16);
	if (b->prefix.len > net_prefix_maxlen(&b->prefix))
		b->prefix.len = (uint8_t)net_prefix_maxlen(&b->prefix);
	copy_col(st, 4, b->backend, sizeof(b->backend));
	copy_col(st, 5, b->kind, sizeof(b->kind));
	b->since = (time_t)sqlite3_column_int64(st, 6);
	b->until = (time_t)sqlite3_column_int64(st, 7);
	copy_col(st, 8, b->reason, sizeof(b->reason));
	copy_col(st, 9, b->by, sizeof(b->by));
	b->state = state_parse((const char *)sqlite3_column_text(st, 10));
	b->ended = (time_t)sqlite3_column_int64(st, 11);
	copy_col(st, 12, b->ended_by, sizeof(b->ended_by));
	copy_col(st, 13, b->note, sizeof(b->note));
}

int
net_ban_find_active(struct store *s, const struct net_prefix *p,
    struct net_ban *b, struct err *err)
{
	char key[NET_PREFIX_STRLEN];
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(s,
	    "SELECT " BAN_COLS " FROM net_bans"
	    " WHERE state = 'active' AND prefix = ? ORDER BY id LIMIT 1",
	    err);
	if (st == NULL)
		return -1;
	key_of(p, key, sizeof(key));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row_to_ban(st, b);
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_err(s, st, err, "cannot read the blocks");
	sqlite3_finalize(st);
	return 1;
}

static int64_t
count_query(struct store *s, const char *sql, const struct net_prefix *p,
    struct err *err)
{
	char key[NET_PREFIX_STRLEN];
	sqlite3_stmt *st;
	int64_t n;

	if ((st = store_prepare(s, sql, err)) == NULL)
		return -1;
	if (p != NULL) {
		key_of(p, key, sizeof(key));
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	}
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_err(s, st, err, "cannot count the blocks");
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int64_t
net_ban_history(struct store *s, const struct net_prefix *p, struct err *err)
{
	return count_query(s,
	    "SELECT count(*) FROM net_bans WHERE prefix = ?"
	    " AND state IN ('removed', 'expired')",
	    p, err);
}

int64_t
net_ban_count_active(struct store *s, struct err *err)
{
	return count_query(s,
	    "SELECT count(*) FROM net_bans WHERE state = 'active'", NULL, err);
}

int
net_ban_list(
    struct store *s, int all, struct net_ban **out, size_t *n, struct err *err)
{
	sqlite3_stmt *st;
	struct net_ban *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_prepare(s,
	    all ? "SELECT " BAN_COLS " FROM net_bans ORDER BY id"
	        : "SELECT " BAN_COLS " FROM net_bans WHERE state = 'active'"
	          " ORDER BY id",
	    err);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (mem_grow(&v, &cap, cnt + 1, sizeof(*v)) == -1) {
			free(v);
			sqlite3_finalize(st);
			return err_set(err, ENOMEM, "out of memory");
		}
		row_to_ban(st, &v[cnt++]);
	}
	if (rc != SQLITE_DONE) {
		free(v);
		return step_err(s, st, err, "cannot read the blocks");
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return 0;
}

json_t *
net_ban_json(const struct net_ban *b)
{
	json_t *o = json_object();
	char p[NET_PREFIX_STRLEN];

	if (o == NULL)
		return NULL;
	net_prefix_format(&b->prefix, p, sizeof(p));
	jset(o, "type", json_string("net.ban"));
	jset(o, "id", json_integer((json_int_t)b->id));
	jset(o, "prefix", json_string(p));
	jset(o, "state", json_string(net_ban_state_name(b->state)));
	jset(o, "since", jtime((int64_t)b->since));
	jset(o, "until", jtime((int64_t)b->until));
	jset(o, "backend", jstr(b->backend));
	jset(o, "kind", jstr(b->kind));
	jset(o, "by", jstr(b->by));
	jset(o, "reason", jstr(b->reason));
	if (b->state != NET_BAN_ACTIVE) {
		jset(o, "ended", jtime((int64_t)b->ended));
		jset(o, "ended_by", jstr(b->ended_by));
		if (b->note[0])
			jset(o, "note", jstr(b->note));
	}
	return o;
}
