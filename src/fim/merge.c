/*
 * merge.c - parts of baselines: the part under some paths (what a check
 * of those paths compares with) and the baseline an update of those paths
 * makes from the old one and a fresh scan of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "fim/fim.h"

int
fim_path_under_any(const char *path, const char *const *roots, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fim_path_under(path, roots[i]))
			return 1;
	return 0;
}

int
fim_baseline_view(const struct fim_baseline *b, const char *const *roots,
    size_t n, struct fim_baseline *view)
{
	*view = *b;
	view->e = calloc(b->n ? b->n : 1, sizeof(*view->e));
	if (view->e == NULL)
		return -1;
	view->n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (fim_path_under_any(b->e[i].path, roots, n))
			view->e[view->n++] = b->e[i];
	return 0;
}

int
fim_baseline_merge(struct fim_baseline *old, struct fim_baseline *cur,
    const char *const *paths, size_t npaths, struct fim_baseline *out,
    struct err *err)
{
	out->hash = old->hash;
	out->created = cur->created;
	memcpy(out->host, cur->host, sizeof(out->host));
	out->e = calloc(old->n + cur->n + 1, sizeof(*out->e));
	if (out->e == NULL)
		return err_set(err, ENOMEM, "out of memory");
	/* Entries are moved, not copied. */
	for (size_t i = 0; i < old->n; i++)
		if (!fim_path_under_any(old->e[i].path, paths, npaths)) {
			out->e[out->n++] = old->e[i];
			memset(&old->e[i], 0, sizeof(old->e[i]));
		}
	for (size_t i = 0; i < cur->n; i++) {
		out->e[out->n++] = cur->e[i];
		memset(&cur->e[i], 0, sizeof(cur->e[i]));
	}
	out->cap = out->n;
	out->roots = old->roots;
	out->nroots = old->nroots;
	old->roots = NULL;
	old->nroots = 0;
	out->excludes = old->excludes;
	out->nexcludes = old->nexcludes;
	old->excludes = NULL;
	old->nexcludes = 0;
	for (size_t i = 0; i < npaths; i++) {
		char **r;

		if (fim_path_under_any(
		        paths[i], (const char *const *)out->roots, out->nroots))
			continue;
		r = realloc(out->roots, (out->nroots + 1) * sizeof(*r));
		if (r == NULL)
			continue;
		out->roots = r;
		if ((r[out->nroots] = strdup(paths[i])) != NULL)
			out->nroots++;
	}
	return fim_baseline_sort(out, err);
}
