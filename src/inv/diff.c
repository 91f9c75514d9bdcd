/*
 * diff.c - what changed since the previous inventory: new or vanished
 * listening ports and services, upgraded packages; and where the previous
 * inventory is kept (STATE_DIR/inventory.json, written atomically).
 */
#include "inv/inventory.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/json.h"
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

void
inv_diff(
    const struct inventory *old, const struct inventory *cur, struct report *r)
{
	char subj[128];

	for (unsigned i = 0; i < cur->nsvcs; i++) {
		const struct inv_svc *s = &cur->svcs[i];
		const struct inv_svc *o = by_key(old, s);

		for (unsigned j = 0; j < s->nlisten; j++) {
			const struct inv_listen *l = &s->listen[j];
			struct finding *f;

			if (holder(old, l) != NULL)
				continue;
			subject(subj, sizeof(subj), l);
			f = report_add(r, SEV_WARNING, "inventory-listener",
			    subj,
			    "new listening %s port %u (%s) by '%s' (%s)%s",
			    l->proto, l->port, l->addr, s->comm, s->exe,
			    s->package[0] ? "" : ", not from any package");
			evidence(f, s);
		}
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
	for (unsigned i = 0; i < old->nsvcs; i++) {
		const struct inv_svc *s = &old->svcs[i];

		for (unsigned j = 0; j < s->nlisten; j++) {
			const struct inv_listen *l = &s->listen[j];
			struct finding *f;

			if (holder(cur, l) != NULL)
				continue;
			subject(subj, sizeof(subj), l);
			f = report_add(r, SEV_WARNING, "inventory-listener",
			    subj,
			    "listening %s port %u (%s) of '%s' (%s) is gone",
			    l->proto, l->port, l->addr, s->comm, s->exe);
			evidence(f, s);
		}
	}
}

static int
state_path(char *dst, size_t dstsz, const char *state_dir, struct err *err)
{
	if (path_join(dst, dstsz, state_dir, "inventory.json") == -1)
		return err_set(
		    err, ENAMETOOLONG, "path too long: '%s'", state_dir);
	return 0;
}

int
inv_state_load(const char *state_dir, struct inventory *inv, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(64 << 20);
	char path[PATH_MAX];
	json_error_t je;
	json_t *j;
	int rc;

	if (state_path(path, sizeof(path), state_dir, err) == -1)
		return -1;
	if (file_read(path, 64 << 20, &sb, NULL, err) == -1) {
		strbuf_release(&sb);
		return err->code == ENOENT ? 1 : -1;
	}
	j = json_loadb(sb.p, sb.len, 0, &je);
	strbuf_release(&sb);
	if (j == NULL)
		return err_set(err, EINVAL, "'%s' is corrupt: line %d: %s",
		    path, je.line, je.text);
	rc = inv_from_json(inv, j, err);
	json_decref(j);
	if (rc == -1)
		return err_prefix(err, "'%s' is corrupt", path);
	return 0;
}

int
inv_state_save(
    const char *state_dir, const struct inventory *inv, struct err *err)
{
	char path[PATH_MAX], *text;
	json_t *j;
	int rc;

	if (state_path(path, sizeof(path), state_dir, err) == -1 ||
	    dir_make(state_dir, 0700, err) == -1)
		return -1;
	j = inv_to_json(inv);
	text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (text == NULL)
		return err_set(err, ENOMEM, "cannot format the inventory");
	rc = file_write_atomic(path, text, strlen(text), 0600, err);
	free(text);
	return rc;
}
