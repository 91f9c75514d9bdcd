/*
 * passwd.c - uid -> user name (see passwd.h).
 */
#include "collect/passwd.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

#define NAMES_MAX 100000 /* cached names; past that, numbers */

unsigned
passwd_parse(const char *s, size_t n,
    void (*fn)(const char *name, size_t namelen, uint32_t uid, void *arg),
    void *arg)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned bad = 0;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls, *name, *pw;
		size_t nl;
		uint64_t uid;

		if (ls == le || *ls == '#')
			continue;
		nl = cur_until(&p, le, ':', &name);
		if (nl == 0 || cur_char(&p, le, ':') == -1) {
			bad++;
			continue;
		}
		(void)cur_until(&p, le, ':', &pw);
		if (cur_char(&p, le, ':') == -1 ||
		    cur_u64(&p, le, &uid) == -1 ||
		    cur_char(&p, le, ':') == -1 || uid > UINT32_MAX) {
			bad++;
			continue;
		}
		fn(name, nl, (uint32_t)uid, arg);
	}
	return bad;
}

static void
put_name(struct uid_names *u, uint32_t uid, const char *name, size_t nl)
{
	struct hmap_entry *e;
	int created;

	if (hmap_count(&u->m) >= NAMES_MAX)
		return;
	e = hmap_put(&u->m, &uid, sizeof(uid), &created);
	if (e == NULL || !created)
		return; /* the first line for a uid wins, as getpwuid */
	e->val.p = strndup(name, nl < 64 ? nl : 64);
}

static void
on_entry(const char *name, size_t nl, uint32_t uid, void *arg)
{
	put_name(arg, uid, name, nl);
}

void
uid_names_init(struct uid_names *u, const char *root)
{
	memset(u, 0, sizeof(*u));
	hmap_init(&u->m);
	if (root && root[0])
		u->root = strdup(root);
}

void
uid_names_release(struct uid_names *u)
{
	hmap_release_vals(&u->m);
	free(u->root);
	u->root = NULL;
}

const char *
uid_names_get(struct uid_names *u, uint32_t uid)
{
	const char *name = uid_names_lookup(u, uid);

	if (name != NULL)
		return name;
	snprintf(u->num, sizeof(u->num), "%u", uid);
	return u->num;
}

static int use_nss = 1;

void
uid_names_use_nss(int on)
{
	use_nss = on;
}

const char *
uid_names_lookup(struct uid_names *u, uint32_t uid)
{
	struct hmap_entry *e;

	if (!u->loaded) {
		struct strbuf sb = STRBUF_INIT(16u << 20);
		struct err err;

		u->loaded = 1;
		if (collect_file(
		        u->root, "/etc/passwd", 16u << 20, &sb, &err) == 0)
			u->skipped = passwd_parse(sb.p, sb.len, on_entry, u);
		strbuf_release(&sb);
	}
	e = hmap_get(&u->m, &uid, sizeof(uid));
	if (e == NULL && u->root == NULL && use_nss) {
		/* Not in /etc/passwd: ask the name service (LDAP, sssd...). */
		struct passwd pw, *res = NULL;
		char buf[4096];

		if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
			put_name(u, uid, res->pw_name, strlen(res->pw_name));
		else
			put_name(u, uid, "", 0);
		e = hmap_get(&u->m, &uid, sizeof(uid));
	}
	if (e && e->val.p && ((char *)e->val.p)[0])
		return e->val.p;
	return NULL;
}
