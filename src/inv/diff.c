/*
 * diff.c - what changed since the previous inventory: new or vanished
 * listening ports and services, upgraded packages; and where the previous
 * inventory is kept (STATE_DIR/inventory.json, written atomically).
 */
#include "inv/inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/json.h"
#include "base/statedir.h"
#include "base/strbuf.h"

static int
same_listen(const struct inv_listen *a, const struct inv_listen *b)
{
	return a->port == b->port && strcmp(a->proto, b->proto) == 0 &&
	    strcmp(a->addr, b->addr) == 0;
}

/* The service of inv that holds listener l, or NULL. */
static const struct inv_svc *
holder(const struct inventory *inv, const struct inv_listen *l)
{
	for (unsigned i = 0; i < inv->nsvcs; i++)
		for (unsigned j = 0; j < inv->svcs[i].nlisten; j++)
			if (same_listen(&inv->svcs[i].listen[j], l))
				return &inv->svcs[i];
	return NULL;
}

static const struct inv_svc *
by_key(const struct inventory *inv, const struct inv_svc *s)
{
	for (unsigned i = 0; i < inv->nsvcs; i++) {
		const struct inv_svc *t = &inv->svcs[i];

		if (strcmp(t->name, s->name) == 0 &&
		    strcmp(t->exe, s->exe) == 0)
			return t;
	}
	return NULL;
}

static void
subject(char *dst, size_t dstsz, const struct inv_listen *l)
{
	int v6 = strchr(l->addr, ':') != NULL;

	snprintf(dst, dstsz, "%s %s%s%s:%u", l->proto, v6 ? "[" : "", l->addr,
	    v6 ? "]" : "", l->port);
}

static void
evidence(struct finding *f, const struct inv_svc *s)
{
	if (f == NULL || s == NULL)
		return;
	finding_ev(f, "process", "%s", s->comm);
	finding_ev(f, "exe", "%s", s->exe);
	if (s->npids)
		finding_ev(f, "pid", "%d", s->pids[0]);
	finding_ev(f, "user", "%s", s->user);
	finding_ev(f, "package", "%s", s->package[0] ? s->package : "(none)");
}

/*
 * A finding for each listener of s that no service of other holds: a new
 * one (other is the old inventory), or one that is gone (other is the
 * current one).
 */
static void
listeners_not_in(const struct inv_svc *s, const struct inventory *other,
    int gone, struct report *r)
{
	char subj[128];

	for (unsigned j = 0; j < s->nlisten; j++) {
		const struct inv_listen *l = &s->listen[j];
		struct finding *f;

		if (holder(other, l) != NULL)
			continue;
		subject(subj, sizeof(subj), l);
		if (gone)
			f = report_add(r, SEV_WARNING, "inventory-listener",
			    subj,
			    "listening %s port %u (%s) of '%s' (%s) is gone",
			    l->proto, l->port, l->addr, s->comm, s->exe);
		else
			f = report_add(r, SEV_WARNING, "inventory-listener",
			    subj,
			    "new listening %s port %u (%s) by '%s' (%s)%s",
			    l->proto, l->port, l->addr, s->comm, s->exe,
			    s->package[0] ? "" : ", not from any package");
		evidence(f, s);
	}
}

void
inv_diff(
    const struct inventory *old, const struct inventory *cur, struct report *r)
{
	for (unsigned i = 0; i < cur->nsvcs; i++) {
		const struct inv_svc *s = &cur->svcs[i];
		const struct inv_svc *o = by_key(old, s);

		listeners_not_in(s, old, 0, r);
		if (o && o->package_version[0] && s->package_version[0] &&
		    strcmp(o->package_version, s->package_version) != 0) {
			struct finding *f =
			    report_add(r, SEV_OK, "inventory-version", s->name,
			        "%s changed from %s to %s", s->name,
			        o->package_version, s->package_version);
			finding_ev(f, "old", "%s", o->package_version);
			finding_ev(f, "new", "%s", s->package_version);
		}
	}
	for (unsigned i = 0; i < old->nsvcs; i++)
		listeners_not_in(&old->svcs[i], cur, 1, r);
}

#define INV_STATE "inventory.json"

/* The kept inventory's JSON into *j: 0, 1 when there is none, -1 with err. */
static int
state_json(const char *state_dir, json_t **j, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(64 << 20);
	char path[PATH_MAX];
	json_error_t je;
	int fd;

	snprintf(path, sizeof(path), "%s/" INV_STATE, state_dir);
	if ((fd = statedir_open(state_dir, INV_STATE, O_RDONLY, 0, err)) == -1)
		return err->code == ENOENT ? 1 : -1;
	if (file_read_fd(fd, path, 64 << 20, &sb, NULL, err) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	*j = json_loadb(sb.p, sb.len, 0, &je);
	strbuf_release(&sb);
	/* The parser's text quotes the file: never shown. */
	if (*j == NULL)
		return err_set(err, EINVAL,
		    "'%s' is corrupt: not JSON (line %d, column %d)", path,
		    je.line, je.column);
	return 0;
}

int
inv_state_load(const char *state_dir, struct inventory *inv, struct err *err)
{
	json_t *j = NULL;
	int rc;

	if ((rc = state_json(state_dir, &j, err)) != 0)
		return rc;
	rc = inv_from_json(inv, j, err);
	json_decref(j);
	if (rc == -1)
		return err_prefix(err, "'%s/" INV_STATE "'%s", state_dir,
		    err->code == EPROTO ? "" : " is corrupt");
	return 0;
}

int
inv_state_save(
    const char *state_dir, const struct inventory *inv, struct err *err)
{
	char *text;
	json_t *j;
	int dfd, rc;

	/* A newer sakimori's inventory is not replaced by an older one. */
	if (state_json(state_dir, &j, err) == 0) {
		json_t *v = json_object_get(j, "schema");
		json_int_t kept =
		    json_is_integer(v) ? json_integer_value(v) : 0;

		json_decref(j);
		if (kept > INV_SCHEMA)
			return err_set(err, EPROTO,
			    "'%s/" INV_STATE
			    "': inventory schema %lld is newer "
			    "than this sakimori reads (%d); kept as it is",
			    state_dir, (long long)kept, INV_SCHEMA);
	}
	if ((dfd = statedir_dir(state_dir, NULL, 1, err)) == -1)
		return -1;
	j = inv_to_json(inv);
	text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (text == NULL) {
		close(dfd);
		return err_set(err, ENOMEM, "cannot format the inventory");
	}
	rc = file_write_atomic_at(
	    dfd, state_dir, INV_STATE, text, strlen(text), 0600, err);
	free(text);
	close(dfd);
	return rc;
}
