/*
 * analyzer.c - the table of analyzers and the one-pass runner that hands
 * each record to every analyzer that wants its kind.
 */
#include <string.h>

#include "base/mem.h"
#include "logs/analyzer.h"

/* Add new analyzers here (see analyzer.h). */
const struct logs_analyzer_ops *const logs_analyzer_table[] = {
    &logs_stats_ops,
    &logs_links_ops,
    &logs_floods_ops,
    &logs_auth_ops,
    &logs_attacks_ops,
    NULL,
};

/* Not for every log: only when named (--analyzers mail). */
const struct logs_analyzer_ops *const logs_analyzer_named[] = {
    &logs_mail_ops,
    NULL,
};

void
logs_opts_default(struct logs_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->top = 10;
	o->topk_cap = 10000;
	o->page_types = "html,htm,shtml,xhtml,php,asp,aspx,jsp,cgi,pl,py,/";
	o->flood_rate = 60;
	o->flood_min = 100;
}

const struct logs_analyzer_ops *
logs_analyzer_find(const char *name)
{
	for (size_t i = 0; logs_analyzer_table[i] != NULL; i++)
		if (strcmp(logs_analyzer_table[i]->name, name) == 0)
			return logs_analyzer_table[i];
	for (size_t i = 0; logs_analyzer_named[i] != NULL; i++)
		if (strcmp(logs_analyzer_named[i]->name, name) == 0)
			return logs_analyzer_named[i];
	return NULL;
}

static int
add_one(struct logs_run *run, const struct logs_analyzer_ops *ops,
    const struct logs_opts *opts, const char **errmsg)
{
	void *st;

	for (unsigned i = 0; i < run->n; i++)
		if (run->ops[i] == ops)
			return 0;
	if (run->n == countof(run->ops)) {
		*errmsg = "too many analyzers";
		return -1;
	}
	st = ops->create(opts, errmsg);
	if (st == NULL) {
		if (*errmsg == NULL)
			*errmsg = "out of memory";
		return -1;
	}
	run->ops[run->n] = ops;
	run->st[run->n] = st;
	run->n++;
	run->kinds |= ops->kinds;
	if (ops->hint != NULL)
		run->hints = 1;
	return 0;
}

int
logs_run_init(struct logs_run *run, const char *names,
    const struct logs_opts *opts, const char **errmsg)
{
	memset(run, 0, sizeof(*run));
	*errmsg = NULL;
	if (names == NULL) {
		/* every analyzer of the table, attacks too (its compiled
		 * rules are cached in the state directory) */
		for (size_t i = 0; logs_analyzer_table[i] != NULL; i++)
			if (add_one(run, logs_analyzer_table[i], opts,
			        errmsg) == -1)
				goto fail;
		return 0;
	}
	while (*names) {
		char name[64];
		size_t n = strcspn(names, ",");
		const struct logs_analyzer_ops *ops;

		if (n == 0 || n >= sizeof(name)) {
			*errmsg = "bad analyzer list";
			goto fail;
		}
		memcpy(name, names, n);
		name[n] = '\0';
		ops = logs_analyzer_find(name);
		if (ops == NULL) {
			*errmsg = "unknown analyzer";
			goto fail;
		}
		if (add_one(run, ops, opts, errmsg) == -1)
			goto fail;
		names += n;
		if (*names == ',')
			names++;
	}
	return 0;
fail:
	logs_run_release(run);
	return -1;
}

void
logs_run_record(
    struct logs_run *run, const struct logs_rec *rec, struct report *r)
{
	for (unsigned i = 0; i < run->n; i++)
		if (run->ops[i]->kinds & rec->kind)
			run->ops[i]->record(run->st[i], rec, r);
}

void
logs_run_hint(struct logs_run *run, const char *line, size_t n)
{
	for (unsigned i = 0; i < run->n; i++)
		if (run->ops[i]->hint != NULL)
			run->ops[i]->hint(run->st[i], line, n);
}

void
logs_run_finish(struct logs_run *run, struct report *r, const struct out *out)
{
	for (unsigned i = 0; i < run->n; i++)
		run->ops[i]->finish(run->st[i], r, out);
}

void
logs_run_show(struct logs_run *run, const char *names, const struct out *out)
{
	for (unsigned i = 0; i < run->n; i++) {
		const char *nm = run->ops[i]->name, *p = names;
		size_t len = strlen(nm);
		int named = names == NULL;

		while (!named && p != NULL && *p) {
			named = strncmp(p, nm, len) == 0 &&
			    (p[len] == ',' || p[len] == '\0');
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
		if (named && run->ops[i]->show != NULL)
			run->ops[i]->show(run->st[i], out);
	}
}

void
logs_run_release(struct logs_run *run)
{
	for (unsigned i = 0; i < run->n; i++)
		run->ops[i]->free(run->st[i]);
	run->n = 0;
}
