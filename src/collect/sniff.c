/*
 * sniff.c - raw and packet sockets, promiscuous interfaces (see sniff.h).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/sniff.h"

static struct sniff_sock *
slot(struct sniff_socks *s)
{
	if (s->n >= SNIFF_MAX) {
		s->dropped++;
		return NULL;
	}
	return &s->v[s->n];
}

/* Skips n blank-separated words. */
static int
skip_words(const char **cur, const char *end, int n)
{
	const char *w;

	for (int i = 0; i < n; i++) {
		cur_spaces(cur, end);
		if (cur_word(cur, end, &w) == 0)
			return -1;
	}
	cur_spaces(cur, end);
	return 0;
}

void
sniff_raw_parse(
    const char *text, size_t len, enum sniff_kind kind, struct sniff_socks *s)
{
	const char *cur = text, *end = text + len, *ls, *le;
	int first = 1;

	/* "  sl  local_address rem_address st tx_queue:rx_queue tr:when
	 *  retrnsmt uid timeout inode ..."; local_address is ADDR:PROTO */
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls, *w, *colon;
		uint64_t proto, uid, inode;
		struct sniff_sock *e;
		size_t wl;

		if (first) {
			first = 0;
			continue; /* header */
		}
		cur_spaces(&p, le);
		if (p == le)
			continue;
		if (skip_words(&p, le, 1) == -1 ||
		    (wl = cur_word(&p, le, &w)) == 0 ||
		    (colon = memchr(w, ':', wl)) == NULL) {
			s->malformed++;
			continue;
		}
		{
			const char *q = colon + 1;

			if (cur_hex(&q, w + wl, &proto) == -1) {
				s->malformed++;
				continue;
			}
		}
		/* rem_address st tx:rx tr:when retrnsmt, then uid */
		if (skip_words(&p, le, 5) == -1 ||
		    cur_u64(&p, le, &uid) == -1 ||
		    skip_words(&p, le, 1) == -1 ||
		    cur_u64(&p, le, &inode) == -1) {
			s->malformed++;
			continue;
		}
		if ((e = slot(s)) == NULL)
			continue;
		memset(e, 0, sizeof(*e));
		e->kind = kind;
		e->proto = (unsigned)proto;
		e->uid = (uint32_t)uid;
		e->inode = inode;
		s->n++;
	}
}

void
sniff_packet_parse(const char *text, size_t len, struct sniff_socks *s)
{
	const char *cur = text, *end = text + len, *ls, *le;
	int first = 1;

	/* "sk RefCnt Type Proto Iface R Rmem User Inode" */
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls;
		uint64_t proto, ifindex, uid, inode;
		struct sniff_sock *e;

		if (first) {
			first = 0;
			continue;
		}
		cur_spaces(&p, le);
		if (p == le)
			continue;
		if (skip_words(&p, le, 3) == -1 ||
		    cur_hex(&p, le, &proto) == -1 ||
		    (cur_spaces(&p, le), cur_u64(&p, le, &ifindex)) == -1 ||
		    skip_words(&p, le, 2) == -1 ||
		    cur_u64(&p, le, &uid) == -1 ||
		    (cur_spaces(&p, le), cur_u64(&p, le, &inode)) == -1 ||
		    ifindex > INT_MAX) {
			s->malformed++;
			continue;
		}
		if ((e = slot(s)) == NULL)
			continue;
		memset(e, 0, sizeof(*e));
		e->kind = SNIFF_PACKET;
		e->proto = (unsigned)proto;
		e->ifindex = (int)ifindex;
		e->uid = (uint32_t)uid;
		e->inode = inode;
		s->n++;
	}
}

int
sniff_socks_read(struct sniff_socks *s, const char *root, struct err *err)
{
	static const struct {
		const char *path;
		enum sniff_kind kind;
	} files[] = {
	    {"/proc/net/raw", SNIFF_RAW4},
	    {"/proc/net/raw6", SNIFF_RAW6},
	    {"/proc/net/packet", SNIFF_PACKET},
	};
	struct strbuf sb = STRBUF_INIT(64u << 20);
	int nread = 0;

	s->n = 0;
	s->malformed = 0;
	s->dropped = 0;
	for (size_t i = 0; i < countof(files); i++) {
		char path[PATH_MAX];
		struct err e = {0};

		if (path_join(path, sizeof(path), root, files[i].path) == -1 ||
		    file_read(path, 64u << 20, &sb, NULL, &e) == -1) {
			if (e.code != ENOENT && nread == 0 && i == 0)
				*err = e;
			continue;
		}
		nread++;
		if (files[i].kind == SNIFF_PACKET)
			sniff_packet_parse(sb.p, sb.len, s);
		else
			sniff_raw_parse(sb.p, sb.len, files[i].kind, s);
	}
	strbuf_release(&sb);
	if (nread == 0)
		return err->msg[0] ? -1
		                   : err_set(err, ENOENT,
		                         "cannot read '/proc/net/raw' or "
		                         "'/proc/net/packet'");
	return 0;
}

int
sniff_promisc_read(
    const char *root, struct sniff_if *out, size_t max, struct err *err)
{
	char dir[PATH_MAX];
	struct dirent *de;
	struct strbuf sb = STRBUF_INIT(64);
	int n = 0;
	DIR *d;

	if (path_join(dir, sizeof(dir), root, "/sys/class/net") == -1 ||
	    (d = opendir(dir)) == NULL)
		return err_sys(err, errno, "cannot list '%s'", dir);
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX + 300];
		struct err e = {0};
		const char *cur;
		uint64_t flags;

		if (de->d_name[0] == '.')
			continue;
		if (path_join(path, sizeof(path), dir, de->d_name) == -1 ||
		    path_join(path, sizeof(path), path, "flags") == -1 ||
		    file_read(path, 64, &sb, NULL, &e) == -1)
			continue;
		cur = sb.p;
		cur_lit(&cur, sb.p + sb.len, "0x");
		if (cur_hex(&cur, sb.p + sb.len, &flags) == -1 ||
		    !(flags & IFF_PROMISC))
			continue;
		if ((size_t)n < max) {
			str_copy(out[n].name, sizeof(out[n].name), de->d_name);
			out[n].flags = (unsigned)flags;
		}
		n++;
	}
	closedir(d);
	strbuf_release(&sb);
	return n;
}
