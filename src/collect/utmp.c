/*
 * utmp.c - the utmp file (see utmp.h).
 */
#include "collect/utmp.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <utmp.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

#define UTMP_FILE_MAX (64u << 20)

static void
field(char *dst, size_t dstsz, const char *src, size_t srcsz)
{
	size_t n = strnlen(src, srcsz);

	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* IPv4 fills only the first of ut_addr_v6's four words (utmp(5)). */
static int
address_family(const unsigned char a[16])
{
	static const unsigned char zero[16];

	if (memcmp(a, zero, 16) == 0)
		return 0;
	return memcmp(a + 4, zero, 12) == 0 ? AF_INET : AF_INET6;
}

int
utmp_parse(const void *data, size_t n, struct sessions *out, struct err *err)
{
	const unsigned char *p = data;
	size_t nrec = n / sizeof(struct utmp);

	memset(out, 0, sizeof(*out));
	if (n % sizeof(struct utmp))
		out->malformed++;
	for (size_t i = 0; i < nrec; i++) {
		struct utmp u;
		struct session *s;

		memcpy(&u, p + i * sizeof(u), sizeof(u));
		out->records++;
		if (u.ut_type != USER_PROCESS || u.ut_user[0] == '\0')
			continue;
		if (out->n >= SESSIONS_MAX) {
			out->dropped++;
			continue;
		}
		if (mem_grow(&out->s, &out->cap, out->n + 1, sizeof(*out->s)) ==
		    -1)
			return err_set(err, ENOMEM, "out of memory");
		s = &out->s[out->n++];
		memset(s, 0, sizeof(*s));
		field(s->user, sizeof(s->user), u.ut_user, sizeof(u.ut_user));
		field(s->line, sizeof(s->line), u.ut_line, sizeof(u.ut_line));
		field(s->host, sizeof(s->host), u.ut_host, sizeof(u.ut_host));
		memcpy(s->addr, u.ut_addr_v6, sizeof(s->addr));
		s->addr_family = address_family(s->addr);
		s->pid = u.ut_pid;
		s->login = (time_t)u.ut_tv.tv_sec;
		s->idle = -1;
	}
	return 0;
}

int
utmp_read(const char *root, time_t now, struct sessions *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(UTMP_FILE_MAX);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = collect_file(root, "/run/utmp", UTMP_FILE_MAX, &sb, err);
	if (rc == -1 && err->code == ENOENT)
		rc = collect_file(
		    root, "/var/run/utmp", UTMP_FILE_MAX, &sb, err);
	if (rc == -1) {
		strbuf_release(&sb);
		return err->code == ENOENT ? 0 : -1;
	}
	rc = utmp_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	for (size_t i = 0; rc == 0 && i < out->n; i++) {
		struct session *s = &out->s[i];
		char rel[64], path[PATH_MAX];
		struct stat st;

		if (s->line[0] == '\0' || strstr(s->line, "..") != NULL)
			continue;
		snprintf(rel, sizeof(rel), "/dev/%s", s->line);
		if (path_join(path, sizeof(path), root, rel) == 0 &&
		    stat(path, &st) == 0)
			s->idle =
			    st.st_atime < now ? (double)(now - st.st_atime) : 0;
	}
	return rc;
}

void
sessions_release(struct sessions *s)
{
	free(s->s);
	memset(s, 0, sizeof(*s));
}
