/*
 * dash_data.c - the data of the dashboard's web, mail, integrity, disks
 * and server table pages (dash_int.h), one api.* object each: the JSON
 * lines the analyzers and "sakimori disk" print, read back from memory
 * (one formatter for the command, the API and the page), the problems of
 * the checks concerned, and the server table /metrics keeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent_int.h"
#include "agent/dash_int.h"
#include "agent/http.h"
#include "agent/problem.h"
#include "base/err.h"
#include "base/json.h"
#include "base/output.h"
#include "collect/snap.h"
#include "disk/fsstate.h"
#include "disk/health.h"
#include "disk/md.h"
#include "disk/show.h"
#include "fim/fim.h"
#include "inv/inventory.h"

/* What a formatter prints (JSON lines) into out. */
typedef void (*print_fn)(void *arg, const struct out *out);

/* The JSON lines fn prints, as an array of their objects. */
static json_t *
capture(print_fn fn, void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_t *v = json_array();
	struct out o;

	if (fp == NULL)
		return v;
	out_init(&o, OUT_JSON, fp);
	o.color = 0;
	o.human = 0;
	o.journal = 0;
	fn(arg, &o);
	if (fclose(fp) != 0) {
		free(buf);
		return v;
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		json_t *j = json_loadb(buf + i, n, 0, NULL);

		if (j != NULL)
			json_array_append_new(v, j);
		i += n + 1;
	}
	free(buf);
	return v;
}

/* The objects of all whose "type" is type (and whose member key is val,
 * when key is not NULL). */
static json_t *
pick(json_t *all, const char *type, const char *key, const char *val)
{
	json_t *v = json_array(), *j;
	size_t i;

	json_array_foreach(all, i, j)
	{
		const char *t = json_string_value(json_object_get(j, "type"));
		const char *k =
		    key ? json_string_value(json_object_get(j, key)) : NULL;

		if (t != NULL && strcmp(t, type) == 0 &&
		    (key == NULL || (k != NULL && strcmp(k, val) == 0)))
			json_array_append(v, j);
	}
	return v;
}

/* ---- the followed logs ---- */

struct logs_ctx {
	const struct agent *a;
	const char *kind, *analyzers;
	json_t *paths;
	unsigned long long lines;
	int followed;
};

static void
log_info_of(void *arg, const struct agent_log_info *i)
{
	struct logs_ctx *x = arg;

	if (strcmp(i->name, x->kind) != 0)
		return;
	x->followed = 1;
	x->lines = i->lines;
	for (size_t k = 0; k < i->npaths; k++)
		json_array_append_new(x->paths, jstr(i->paths[k]));
}

static void
print_logs(void *arg, const struct out *out)
{
	struct logs_ctx *x = arg;

	(void)agent_logs_show(x->a, x->kind, x->analyzers, out);
}

/* An api.TYPE object with the logs of kind followed ("logs", "lines")
 * and what its analyzers print (*all). */
static json_t *
logs_object(struct agent *a, const char *type, const char *kind,
    const char *analyzers, json_t **all)
{
	struct logs_ctx x = {a, kind, analyzers, json_array(), 0, 0};
	json_t *o = json_object();

	agent_logs_each(a, log_info_of, &x);
	*all = x.followed ? capture(print_logs, &x) : json_array();
	jset(o, "type", json_string(type));
	jset(o, "logs", x.paths);
	jset(o, "lines", json_integer((json_int_t)x.lines));
	return o;
}

json_t *
dash_web(struct agent *a)
{
	json_t *all,
	    *o = logs_object(
	        a, "api.web", "access", "stats,links,attacks", &all);

	jset(o, "days", pick(all, "stats.day", NULL, NULL));
	jset(o, "pages", pick(all, "stats.top", "list", "pages"));
	jset(o, "broken_links",
	    pick(all, "links.missing", "class", "broken_link"));
	jset(o, "incidents", pick(all, "attack.incident", NULL, NULL));
	json_decref(all);
	return o;
}

json_t *
dash_mail(struct agent *a)
{
	json_t *all, *o = logs_object(a, "api.mail", "mail", "mail", &all);
	json_t *s = pick(all, "mail.summary", NULL, NULL);

	jset(o, "summary", json_incref(json_array_get(s, 0)));
	if (json_object_get(o, "summary") == NULL)
		jset(o, "summary", json_null());
	jset(o, "top", pick(all, "mail.top", NULL, NULL));
	json_decref(s);
	json_decref(all);
	return o;
}

/* ---- the problems of some checks ---- */

struct checks_ctx {
	const char *const *checks;
	json_t *v;
};

static void
add_if_check(void *arg, const struct problem_info *i)
{
	struct checks_ctx *x = arg;
	json_t *j;

	for (size_t k = 0; x->checks[k] != NULL; k++)
		if (strcmp(i->check, x->checks[k]) == 0) {
			j = problem_info_json(i, 1);
			if (j != NULL && json_stamp(j) == 0)
				json_array_append(x->v, j);
			json_decref(j);
			return;
		}
}

/* The open and pending problems of the checks named (NULL-ended). */
static json_t *
problems_of(struct agent *a, const char *const *checks)
{
	struct checks_ctx x = {checks, json_array()};

	problems_each(a->pb, add_if_check, &x);
	return x.v;
}

json_t *
dash_integrity(struct agent *a)
{
	static const char *const checks[] = {
	    "fim", "web-new-executable", "web-page-changed", NULL};
	json_t *o = json_object();

	jset(o, "type", json_string("api.integrity"));
	jset(o, "fim_enabled", json_boolean(fim_conf_enabled(&a->conf)));
	jset(o, "problems", problems_of(a, checks));
	return o;
}

/* ---- the disks ---- */

struct disks_ctx {
	struct agent *a;
	struct snap snap;
	struct disk_fslist fsl;
	struct disk_mdlist *ml;
	struct disk_healthlist *hl;
};

static void
print_disks(void *arg, const struct out *out)
{
	struct disks_ctx *x = arg;

	disk_show_usage_json(out->fp, &x->snap);
	for (size_t i = 0; i < x->fsl.n; i++)
		disk_show_fs_json(out->fp, &x->fsl.fs[i]);
	if (x->ml != NULL)
		disk_show_raid(out, x->ml, time(NULL));
	if (x->hl != NULL)
		disk_show_health(out, x->hl);
}

json_t *
dash_disks(struct agent *a)
{
	static const char *const checks[] = {"fs-blocks", "fs-inodes",
	    "fs-full-forecast", "fs-errors", "disk-errors", "raid", "smart",
	    NULL};
	struct disks_ctx x = {0};
	struct err err = {0};
	json_t *o = json_object(), *all;
	const char *root = a->o->root;

	x.a = a;
	snap_take(&x.snap, root, SNAP_BIT(SNAP_FS) | SNAP_BIT(SNAP_DISK), 0, 0);
	disk_fs_mounted(root, &x.snap.mounts, &x.fsl);
	if ((x.ml = malloc(sizeof(*x.ml))) != NULL &&
	    disk_md_read(root, x.ml, &err) == -1)
		x.ml->n = 0;
	if (x.ml != NULL && (x.hl = malloc(sizeof(*x.hl))) != NULL) {
		/* SMART is read by the daily "smart" check (its problems
		 * below), never while a page waits */
		disk_health_list(root, x.hl);
		x.hl->skipped = 1;
		disk_health_join(x.hl, x.ml, NULL);
	}
	all = capture(print_disks, &x);
	jset(o, "type", json_string("api.disks"));
	jset(o, "filesystems", pick(all, "filesystem", NULL, NULL));
	jset(o, "error_state", pick(all, "filesystem.state", NULL, NULL));
	jset(o, "raid", pick(all, "raid", NULL, NULL));
	jset(o, "disks", pick(all, "disk.health", NULL, NULL));
	jset(o, "problems", problems_of(a, checks));
	json_decref(all);
	free(x.hl);
	free(x.ml);
	disk_fslist_release(&x.fsl);
	snap_release(&x.snap);
	return o;
}

/* ---- the server table ---- */

json_t *
dash_servers(struct agent *a)
{
	const struct inventory *v = a->http ? http_inventory(a->http) : NULL;
	json_t *o = json_object(), *inv = v ? inv_to_json(v) : NULL;

	jset(o, "type", json_string("api.servers"));
	if (inv != NULL)
		(void)json_stamp(inv);
	jset(o, "inventory", inv ? inv : json_null());
	return o;
}
