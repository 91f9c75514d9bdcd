/*
 * ksrc.c - read kernel messages from /dev/kmsg, the journal and log files
 * (see ksrc.h).
 */
#include "disk/ksrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/linesrc.h"

#if HAVE_LIBSYSTEMD
#include <dlfcn.h>
#include <systemd/sd-journal.h>

/*
 * libsystemd (with libgcrypt, liblzma, libzstd, liblz4 and more behind
 * it) is loaded with dlopen when the journal is first read, not at the
 * start of every command: mapping and relocating those libraries costs
 * a few milliseconds a run.  The header is libsystemd's own, so the
 * function types are checked at build time.
 */
#define KSRC_SYSTEMD_SONAME "libsystemd.so.0"

static struct {
	int tried;
	void *h;
	__typeof__(sd_journal_open) *open;
	__typeof__(sd_journal_close) *close;
	__typeof__(sd_journal_add_match) *add_match;
	__typeof__(sd_journal_seek_cursor) *seek_cursor;
	__typeof__(sd_journal_test_cursor) *test_cursor;
	__typeof__(sd_journal_seek_head) *seek_head;
	__typeof__(sd_journal_next) *next;
	__typeof__(sd_journal_previous) *previous;
	__typeof__(sd_journal_get_data) *get_data;
	__typeof__(sd_journal_get_realtime_usec) *get_realtime_usec;
	__typeof__(sd_journal_get_cursor) *get_cursor;
} sdj;

#define SDJ_SYM(field, name)                                                   \
	((*(void **)&sdj.field = dlsym(sdj.h, name)) != NULL)

/* 1 when libsystemd is loaded, 0 when it cannot be (no journal then). */
static int
sdj_load(void)
{
	if (sdj.tried)
		return sdj.h != NULL;
	sdj.tried = 1;
	if ((sdj.h = dlopen(KSRC_SYSTEMD_SONAME, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL)
		return 0;
	if (!SDJ_SYM(open, "sd_journal_open") ||
	    !SDJ_SYM(close, "sd_journal_close") ||
	    !SDJ_SYM(add_match, "sd_journal_add_match") ||
	    !SDJ_SYM(seek_cursor, "sd_journal_seek_cursor") ||
	    !SDJ_SYM(test_cursor, "sd_journal_test_cursor") ||
	    !SDJ_SYM(seek_head, "sd_journal_seek_head") ||
	    !SDJ_SYM(next, "sd_journal_next") ||
	    !SDJ_SYM(previous, "sd_journal_previous") ||
	    !SDJ_SYM(get_data, "sd_journal_get_data") ||
	    !SDJ_SYM(get_realtime_usec, "sd_journal_get_realtime_usec") ||
	    !SDJ_SYM(get_cursor, "sd_journal_get_cursor")) {
		dlclose(sdj.h);
		sdj.h = NULL;
		return 0;
	}
	return 1;
}
#endif

int
disk_kmsg_parse(
    const char *buf, size_t len, struct disk_kmsg_rec *r, struct err *err)
{
	const char *cur = buf, *end = buf + len, *nl;
	uint64_t pri;

	memset(r, 0, sizeof(*r));
	if (cur_u64(&cur, end, &pri) == -1 || pri > 0xFFFFFFFFu ||
	    cur_char(&cur, end, ',') == -1 ||
	    cur_u64(&cur, end, &r->seq) == -1 ||
	    cur_char(&cur, end, ',') == -1 ||
	    cur_u64(&cur, end, &r->usec) == -1 ||
	    cur_char(&cur, end, ',') == -1 || cur >= end)
		return err_set(err, EINVAL, "malformed kmsg record header");
	r->facility = (unsigned)(pri >> 3);
	r->level = (unsigned)(pri & 7);
	r->flag = *cur++;
	/* Fields added by later kernels come before ';'. */
	while (cur < end && *cur != ';' && *cur != '\n')
		cur++;
	if (cur >= end || *cur != ';')
		return err_set(err, EINVAL, "malformed kmsg record: no ';'");
	cur++;
	nl = memchr(cur, '\n', (size_t)(end - cur));
	r->msg = cur;
	r->msglen = nl ? (size_t)(nl - cur) : (size_t)(end - cur);
	cur = nl ? nl + 1 : end;
	/* Dictionary: continuation lines " KEY=value". */
	while (cur < end && *cur == ' ') {
		const char *ls = cur + 1;
		size_t n;

		nl = memchr(ls, '\n', (size_t)(end - ls));
		n = nl ? (size_t)(nl - ls) : (size_t)(end - ls);
		if (n > 7 && memcmp(ls, "DEVICE=", 7) == 0) {
			r->device = ls + 7;
			r->devlen = n - 7;
		}
		r->ndict++;
		cur = nl ? nl + 1 : end;
	}
	return 0;
}

/* --- log files --------------------------------------------------------- */

int
disk_ksrc_file(const char *path, disk_kline_fn fn, void *ctx,
    struct disk_ksrc_stats *st, struct err *err)
{
	struct linesrc_opts o = {DISK_KLINE_MAX, LINESRC_CR_STRIP};
	struct linesrc ls;
	const char *line;
	size_t n;
	int cut, rc;

	memset(st, 0, sizeof(*st));
	if (linesrc_open(&ls, path, &o, err) == -1)
		return -1;
	while ((rc = linesrc_next(&ls, &line, &n, &cut, err)) == 1) {
		st->lines++;
		fn(ctx, line, n, st->lines, 0);
	}
	st->cut = ls.cut;
	linesrc_close(&ls);
	return rc;
}

/* --- /dev/kmsg ---------------------------------------------------------- */

/* Wall time of boot, as the kernel's log time stamps count from it. */
static double
boot_wall(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return (double)rt.tv_sec - (double)mono.tv_sec +
	    ((double)rt.tv_nsec - (double)mono.tv_nsec) / 1e9;
}

int
disk_ksrc_kmsg(const char *path, uint64_t from, int kern_only, disk_kline_fn fn,
    void *ctx, struct disk_ksrc_stats *st, struct err *err)
{
	char *buf;
	double boot = boot_wall();
	int fd;

	memset(st, 0, sizeof(*st));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	buf = malloc(DISK_KLINE_MAX * 2);
	if (buf == NULL) {
		close(fd);
		return err_set(err, ENOMEM, "cannot read '%s'", path);
	}
	for (;;) {
		struct disk_kmsg_rec r;
		struct err perr = {0};
		ssize_t n = read(fd, buf, DISK_KLINE_MAX * 2 - 1);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EPIPE) { /* overwritten: go on */
			st->lost++;
			continue;
		}
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			int e = errno;

			free(buf);
			close(fd);
			return err_sys(err, e, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		if (disk_kmsg_parse(buf, (size_t)n, &r, &perr) == -1) {
			st->malformed++;
			continue;
		}
		/* The buffer covers the time from its oldest record on. */
		if (st->first_time == 0)
			st->first_time = (time_t)(boot + (double)r.usec / 1e6);
		if (r.seq < from) {
			st->skipped++;
			continue;
		}
		if (st->lines == 0)
			st->first_seq = r.seq;
		st->last_seq = r.seq;
		st->lines++;
		if (kern_only && r.facility != 0)
			continue;
		fn(ctx, r.msg, r.msglen, r.seq,
		    (time_t)(boot + (double)r.usec / 1e6));
	}
	free(buf);
	close(fd);
	return 0;
}

/* --- the journal ---------------------------------------------------------- */

int
disk_ksrc_journal(const char *after_cursor, disk_kline_fn fn, void *ctx,
    char *cursor_out, size_t cursor_sz, struct disk_ksrc_stats *st,
    struct err *err)
{
	memset(st, 0, sizeof(*st));
	if (cursor_sz > 0)
		cursor_out[0] = '\0';
#if HAVE_LIBSYSTEMD
	sd_journal *j;
	int rc, any = 0;

	if (!sdj_load())
		return 1; /* no libsystemd here: as if built without it */
	rc = sdj.open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (rc < 0)
		return err_sys(err, -rc, "cannot open the journal");
	rc = sdj.add_match(j, "_TRANSPORT=kernel", 0);
	if (rc < 0) {
		sdj.close(j);
		return err_sys(err, -rc, "cannot read the journal");
	}
	if (after_cursor != NULL && after_cursor[0] != '\0') {
		if (sdj.seek_cursor(j, after_cursor) >= 0 && sdj.next(j) > 0 &&
		    sdj.test_cursor(j, after_cursor) <= 0)
			sdj.previous(j); /* cursor gone: start there */
	} else {
		sdj.seek_head(j);
	}
	while ((rc = sdj.next(j)) > 0) {
		const void *data;
		size_t len;
		uint64_t usec = 0;
		char *c;

		if (sdj.get_data(j, "MESSAGE", &data, &len) < 0 || len < 8)
			continue;
		sdj.get_realtime_usec(j, &usec);
		st->lines++;
		if (st->first_time == 0)
			st->first_time = (time_t)(usec / 1000000);
		if (len - 8 > DISK_KLINE_MAX) {
			st->cut++;
			len = DISK_KLINE_MAX + 8;
		}
		fn(ctx, (const char *)data + 8, len - 8, st->lines,
		    (time_t)(usec / 1000000));
		if (sdj.get_cursor(j, &c) >= 0) {
			if (strlen(c) < cursor_sz) {
				memcpy(cursor_out, c, strlen(c) + 1);
				any = 1;
			}
			free(c);
		}
	}
	sdj.close(j);
	if (rc < 0)
		return err_sys(err, -rc, "cannot read the journal");
	(void)any;
	return 0;
#else
	(void)after_cursor;
	(void)fn;
	(void)ctx;
	(void)err;
	return 1;
#endif
}
