/*
 * addrlist.c - the address list of a block or unblock command
 * (addrlist.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "net/addrlist.h"

/* The largest list file read. */
#define ADDRLIST_FILE_MAX (256u << 20)

int
net_addrlist_add(struct net_addrlist *l, const char *s, size_t len,
    const char *where, net_addrlist_bad_fn bad, void *arg, struct err *err)
{
	struct net_block_item *x;
	struct err perr = {0};

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct net_block_item *nv;

		if (l->n >= NET_ADDRLIST_MAX) {
			l->bad++;
			return err_set(err, E2BIG,
			    "more than %u addresses in one command",
			    NET_ADDRLIST_MAX);
		}
		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return err_set(err, ENOMEM, "out of memory");
		l->v = nv;
		l->cap = ncap;
	}
	x = &l->v[l->n];
	memset(x, 0, sizeof(*x));
	if (net_prefix_parse(s, len, &x->p, &perr) == -1) {
		l->bad++;
		if (bad != NULL)
			bad(arg, where, perr.msg);
		return 0;
	}
	l->n++;
	return 0;
}

/* Reads all of standard input into sb.  0 or -1 with err. */
static int
read_stdin(struct strbuf *sb, struct err *err)
{
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (strbuf_add(sb, buf, n) == -1)
			return err_set(
			    err, EFBIG, "standard input is too large");
	return 0;
}

int
net_addrlist_read(struct net_addrlist *l, const char *path,
    net_addrlist_bad_fn bad, void *arg, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(ADDRLIST_FILE_MAX);
	const char *cur, *end, *ls, *le;
	char name[512];
	unsigned lineno = 0;
	int rc = 0;

	if (strcmp(path, "-") == 0) {
		if (read_stdin(&sb, err) == -1) {
			strbuf_release(&sb);
			return -1;
		}
	} else if (file_read(path, ADDRLIST_FILE_MAX, &sb, NULL, err) == -1) {
		return -1;
	}
	esc_text_buf(name, sizeof(name), path, strlen(path));
	cur = strbuf_str(&sb);
	end = cur + sb.len;
	while (rc == 0 && cur_line(&cur, end, &ls, &le) == 0) {
		const char *w, *hash;
		char where[sizeof(name) + 16];
		size_t wl;

		lineno++;
		hash = memchr(ls, '#', (size_t)(le - ls));
		if (hash != NULL)
			le = hash;
		cur_spaces(&ls, le);
		if ((wl = cur_word(&ls, le, &w)) == 0)
			continue;
		snprintf(where, sizeof(where), "%s:%u",
		    strcmp(path, "-") == 0 ? "standard input" : name, lineno);
		rc = net_addrlist_add(l, w, wl, where, bad, arg, err);
	}
	strbuf_release(&sb);
	return rc;
}

void
net_addrlist_release(struct net_addrlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
