/*
 * ksys.c - scan the system's kernel logs, incrementally with a state
 * database (see ksys.h).
 */
#include "disk/ksys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "disk/kscan.h"
#include "store/store.h"

#define NS "disk.klog"

static struct disk_ksrc_res *
res_add(struct disk_ksys *run, const char *kind, const char *path)
{
	struct disk_ksrc_res *r;

	if (run->nsrc >= DISK_KSYS_MAXSRC)
		return NULL;
	r = &run->src[run->nsrc++];
	memset(r, 0, sizeof(*r));
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->path, sizeof(r->path), "%s", path);
	return r;
}

static void
read_file(struct disk_kscan *s, struct disk_ksys *run, const char *path,
    int quiet_absent)
{
	struct disk_ksrc_res *r;
	struct err err = {0};
	struct disk_ksrc_stats st;

	if (quiet_absent && access(path, F_OK) != 0)
		return;
	if ((r = res_add(run, "file", path)) == NULL)
		return;
	if (disk_ksrc_file(path, disk_kscan_line, s, &st, &err) == -1) {
		r->ok = -1;
		r->errcode = err.code;
		r->st = st;
		snprintf(r->error, sizeof(r->error), "%s", err.msg);
		return;
	}
	r->ok = 1;
	r->st = st;
}

void
disk_ksys_files(
    struct disk_kscan *s, char *const *files, size_t n, struct disk_ksys *run)
{
	for (size_t i = 0; i < n; i++)
		read_file(s, run, files[i], 0);
}

static uint64_t
kv_u64(struct store *store, const char *key)
{
	struct strbuf sb = STRBUF_INIT(256);
	uint64_t v = 0;

	if (store != NULL && store_kv_get(store, NS, key, &sb, NULL) == 0)
		if (str_u64(strbuf_str(&sb), &v) == -1)
			v = 0;
	strbuf_release(&sb);
	return v;
}

int
disk_ksys_scan(struct disk_kscan *s, struct store *store, struct disk_ksys *run,
    struct err *err)
{
	static const char *const logs[] = {"kern.log", "messages", "syslog"};
	char path[PATH_MAX], boot[64] = "", oldboot[64] = "", num[32];
	char cursor[512] = "", newcursor[512] = "";
	struct strbuf sb = STRBUF_INIT(1024);
	struct disk_ksrc_res *r;
	struct disk_ksrc_stats st;
	struct err e = {0};
	uint64_t from = 0;
	time_t cover = 0, since = 0;
	int rc;

	/* The kernel's sequence numbers start again at each boot. */
	if (path_join(path, sizeof(path), s->root,
	        "/proc/sys/kernel/random/boot_id") == 0 &&
	    file_read(path, 64, &sb, NULL, NULL) == 0)
		snprintf(
		    boot, sizeof(boot), "%.*s", (int)strcspn(sb.p, "\n"), sb.p);
	if (store != NULL) {
		if (store_kv_get(store, NS, "kmsg_boot", &sb, NULL) == 0)
			snprintf(oldboot, sizeof(oldboot), "%s", sb.p);
		if (boot[0] && strcmp(boot, oldboot) == 0)
			from = kv_u64(store, "kmsg_next");
		if (store_kv_get(store, NS, "journal_cursor", &sb, NULL) == 0)
			snprintf(cursor, sizeof(cursor), "%s", sb.p);
		since = (time_t)kv_u64(store, "files_since");
	}
	strbuf_release(&sb);

	/* 1. The ring buffer. */
	if (path_join(path, sizeof(path), s->root, "/dev/kmsg") == 0 &&
	    (r = res_add(run, "kmsg", path)) != NULL) {
		if (disk_ksrc_kmsg(
		        path, from, 1, disk_kscan_line, s, &st, &e) == -1) {
			r->ok = e.code == ENOENT ? 0 : -1;
			snprintf(r->error, sizeof(r->error), "%s", e.msg);
		} else {
			r->ok = 1;
			r->st = st;
			if (st.first_time != 0)
				cover = st.first_time;
		}
	}

	/* 2. The journal (only for the real root: it has no prefix). */
	if (s->root[0] == '\0' && (r = res_add(run, "journal", "")) != NULL) {
		disk_kscan_cover(s, cover);
		rc = disk_ksrc_journal(cursor[0] ? cursor : NULL,
		    disk_kscan_line, s, newcursor, sizeof(newcursor), &st, &e);
		if (rc == -1) {
			r->ok = -1;
			snprintf(r->error, sizeof(r->error), "%s", e.msg);
		} else if (rc == 1) {
			r->ok = 0;
			snprintf(r->error, sizeof(r->error),
			    "no libsystemd (built without it, or "
			    "libsystemd.so.0 cannot be loaded)");
		} else {
			r->ok = st.lines > 0 || cursor[0] ? 1 : 0;
			r->st = st;
			if (st.first_time != 0 &&
			    (cover == 0 || st.first_time < cover))
				cover = st.first_time;
		}
	}

	/* 3. Files, oldest rotation first; only what is newer than since. */
	disk_kscan_cover(s, cover);
	s->since = since;
	s->newest = 0;
	for (size_t i = 0; i < countof(logs); i++) {
		char rel[64];

		for (int k = 9; k >= 2; k--) {
			snprintf(
			    rel, sizeof(rel), "/var/log/%s.%d.gz", logs[i], k);
			if (path_join(path, sizeof(path), s->root, rel) == 0)
				read_file(s, run, path, 1);
			snprintf(
			    rel, sizeof(rel), "/var/log/%s.%d", logs[i], k);
			if (path_join(path, sizeof(path), s->root, rel) == 0)
				read_file(s, run, path, 1);
		}
		snprintf(rel, sizeof(rel), "/var/log/%s.1.gz", logs[i]);
		if (path_join(path, sizeof(path), s->root, rel) == 0)
			read_file(s, run, path, 1);
		snprintf(rel, sizeof(rel), "/var/log/%s.1", logs[i]);
		if (path_join(path, sizeof(path), s->root, rel) == 0)
			read_file(s, run, path, 1);
		snprintf(rel, sizeof(rel), "/var/log/%s", logs[i]);
		if (path_join(path, sizeof(path), s->root, rel) == 0)
			read_file(s, run, path, 1);
	}
	disk_kscan_cover(s, 0);

	if (store == NULL)
		return 0;
	if (store_begin(store, err) == -1)
		return -1;
	for (size_t i = 0; i < run->nsrc; i++) {
		const struct disk_ksrc_res *x = &run->src[i];

		if (strcmp(x->kind, "kmsg") == 0 && x->ok == 1 &&
		    x->st.lines > 0) {
			snprintf(num, sizeof(num), "%llu",
			    (unsigned long long)x->st.last_seq + 1);
			if (store_kv_set(store, NS, "kmsg_next", num,
			        strlen(num), err) == -1 ||
			    store_kv_set(store, NS, "kmsg_boot", boot,
			        strlen(boot), err) == -1)
				goto fail;
		}
	}
	if (newcursor[0] &&
	    store_kv_set(store, NS, "journal_cursor", newcursor,
	        strlen(newcursor), err) == -1)
		goto fail;
	if (s->newest > since) {
		snprintf(num, sizeof(num), "%lld", (long long)s->newest);
		if (store_kv_set(
		        store, NS, "files_since", num, strlen(num), err) == -1)
			goto fail;
	}
	return store_commit(store, err);
fail:
	store_rollback(store);
	return -1;
}
