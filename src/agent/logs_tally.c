/*
 * logs_tally.c - the counts of a followed set of logs (see logs_tally.h).
 */
#include "agent/logs_tally.h"

#include <stdio.h>
#include <string.h>

#include "base/cur.h"
#include "base/hash.h"

uint64_t
logs_tally_key(const char *path)
{
	uint64_t h = hash_fnv1a(HASH_FNV_BASIS, path, strlen(path));

	return h != 0 ? h : 1; /* 0 is the other files' slot */
}

void
logs_tally_init(
    struct logs_tally *t, const char *const *paths, size_t npaths, int web)
{
	memset(t, 0, sizeof(*t));
	if (!web)
		return;
	t->nweb = npaths < PRIV_WEB_LOGS ? npaths : PRIV_WEB_LOGS;
	for (size_t i = 0; i < t->nweb; i++)
		t->key[i] = logs_tally_key(paths[i]);
}

int
logs_tally_add(
    struct logs_tally *t, const struct priv_progress *pr, uint64_t lines)
{
	for (size_t i = 0; i < PRIV_MAIL_N; i++)
		if (pr->mail[i] > lines || t->mail[i] > lines - pr->mail[i])
			return -1;
	for (size_t i = 0; i < PRIV_MAIL_N; i++)
		t->mail[i] += pr->mail[i];
	if (t->nweb == 0)
		return 0;
	for (size_t i = 0; i < PRIV_WEB_LOGS + 1; i++) {
		size_t s = i < t->nweb ? i : LOGS_TALLY_OTHER;

		for (size_t k = 0; k < PRIV_WEB_N; k++)
			t->web[s][k] += pr->web[i][k];
	}
	return 0;
}

/* A number of 20 characters at buf + *n, after a space but the first;
 * *n past sz when it does not fit. */
static void
put(char *buf, size_t sz, size_t *n, uint64_t v)
{
	int w;

	if (*n >= sz)
		return;
	w = snprintf(buf + *n, sz - *n, "%s%20llu", *n > 0 ? " " : "",
	    (unsigned long long)v);
	*n = w < 0 ? sz : *n + (size_t)w;
}

size_t
logs_tally_format(const struct logs_tally *t, char *buf, size_t sz)
{
	size_t nslots = t->nweb > 0 ? t->nweb + 1 : 0, n = 0;

	put(buf, sz, &n, PRIV_MAIL_N);
	put(buf, sz, &n, nslots);
	for (size_t i = 0; i < PRIV_MAIL_N; i++)
		put(buf, sz, &n, t->mail[i]);
	/* the files' own slots, then the others' */
	for (size_t i = 0; i < nslots; i++) {
		size_t s = i < t->nweb ? i : LOGS_TALLY_OTHER;

		put(buf, sz, &n, t->key[s]);
		for (size_t k = 0; k < PRIV_WEB_N; k++)
			put(buf, sz, &n, t->web[s][k]);
	}
	if (n + 1 >= sz)
		return 0;
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

/* The next number at *cur, after spaces. */
static int
number(const char **cur, const char *end, uint64_t *v)
{
	while (*cur < end && **cur == ' ')
		(*cur)++;
	return cur_u64(cur, end, v);
}

int
logs_tally_parse(struct logs_tally *t, const char **cur, const char *end)
{
	struct logs_tally r = *t;
	const char *p = *cur;
	uint64_t nm, ns, key, c[PRIV_WEB_N];

	while (p < end && *p == '\n')
		p++;
	if (number(&p, end, &nm) == -1 || nm != PRIV_MAIL_N ||
	    number(&p, end, &ns) == -1 || ns > PRIV_WEB_LOGS + 1)
		return -1;
	for (size_t i = 0; i < PRIV_MAIL_N; i++)
		if (number(&p, end, &r.mail[i]) == -1)
			return -1;
	for (size_t i = 0; i < ns; i++) {
		if (number(&p, end, &key) == -1)
			return -1;
		for (size_t k = 0; k < PRIV_WEB_N; k++)
			if (number(&p, end, &c[k]) == -1)
				return -1;
		for (size_t s = 0; r.nweb > 0 && s < PRIV_WEB_LOGS + 1; s++)
			if ((s < r.nweb || s == LOGS_TALLY_OTHER) &&
			    r.key[s] == key) {
				memcpy(r.web[s], c, sizeof(c));
				break;
			}
	}
	if (p == end || *p != '\n')
		return -1;
	*cur = p + 1;
	*t = r;
	return 0;
}
