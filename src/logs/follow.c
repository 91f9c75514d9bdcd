/*
 * follow.c - the follower: inotify on the files' directories (plus a poll
 * timer), rotation by rename, copytruncate, delete and recreate, and
 * atomic bookmarks committed only after the lines they cover were
 * processed (see follow.h for the contract).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "base/mem.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/statedir.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "logs/follow.h"
#include "logs/follow_int.h"

#define FP_MAX FOLLOW_FP_MAX
#define CHUNK (1024 * 1024)
#define SINK_FLUSH (4 * 1024 * 1024)
#define SWITCH_IDLE 5.0 /* s: old file quiet, new one empty: switch */
/* The read buffer's first bytes, all a quiet log's reads touch; what a
 * burst filled past them is given back once the files are caught up. */
#define BUF_KEEP (64 * 1024)

/* One followed path. */
struct fw {
	char path[PATH_MAX];
	char dir[PATH_MAX];
	char base[NAME_MAX + 1];
	char key[17]; /* hash of the path, in the bookmark file */
	int fd;
	dev_t dev;
	ino_t ino;
	struct follow_id id; /* offset and fingerprints */
	int skipping;        /* inside the tail of a cut line */
	uint64_t lineno;
	double grew; /* clock_mono() when it last grew */
	struct logs_w3c w3c;
	int warned; /* errno of the open failure already reported, 0 none */
	int held;   /* the bookmark waits for the path to be readable */
};

struct follower {
	const struct follow_opts *o; /* &opts */
	struct follow_opts opts;
	struct logs_feed *feed;
	struct fw *fw;
	size_t nfw;
	char bmpath[PATH_MAX];
	int ino;               /* inotify on the files' directories */
	int sink;              /* -1 without lines_to */
	uint64_t sink_len;     /* bytes in the sink (written) */
	uint64_t sink_synced;  /* bytes of it known to be on disk */
	int lockfd;            /* flock'd: one follower per bookmark set */
	int64_t saved_ns;      /* wall time of the last bookmark commit */
	struct strbuf sinkbuf; /* lines not yet written to the sink */
	char *buf;
	size_t bufcap;
	size_t touched; /* how far reads filled buf since buf_rest */
	int dirty;
	uint64_t newlines; /* lines in the last step */
	double looked;     /* clock_mono() of the last step */
	size_t printed;    /* findings already printed */
};

/* A diagnostic, to the caller's notice hook when there is one. */
static void __attribute__((format(printf, 3, 4)))
fnote(const struct follower *f, int prio, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (f->o->notice == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->o->notice(f->o->arg, prio, msg);
}

void
follow_opts_default(struct follow_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->poll = 1.0;
	o->max_line = LOGS_MAX_LINE_DEFAULT;
}

/* ---- sink ---- */

static int
sink_flush(struct follower *f, struct err *err)
{
	const char *p = f->sinkbuf.p;
	size_t n = f->sinkbuf.len;

	while (n > 0) {
		ssize_t k = write(f->sink, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(
			    err, errno, "cannot write '%s'", f->o->lines_to);
		}
		p += k;
		n -= (size_t)k;
		f->sink_len += (uint64_t)k;
	}
	strbuf_reset(&f->sinkbuf);
	return 0;
}

/* ---- lines ---- */

static void
print_new_findings(struct follower *f)
{
	const struct report *r = f->feed ? f->feed->report : NULL;

	if (r == NULL || f->o->out == NULL)
		return;
	for (; f->printed < r->nf; f->printed++) {
		const struct finding *x = &r->f[f->printed];

		if (f->o->out->mode == OUT_JSON) {
			json_line(f->o->out->fp, finding_json(x));
		} else {
			char subj[512], msg[1024];

			esc_text_buf(
			    subj, sizeof(subj), x->subject, strlen(x->subject));
			esc_text_buf(
			    msg, sizeof(msg), x->message, strlen(x->message));
			fprintf(f->o->out->fp, "%s %s %s: %s\n",
			    sev_name(x->sev), x->check, subj, msg);
		}
	}
	fflush(f->o->out->fp);
}

static int
one_line(struct follower *f, struct fw *w, const char *p, size_t n, int cut,
    struct err *err)
{
	struct logs_feed *feed = f->feed;

	if (f->sink != -1) {
		if (strbuf_add(&f->sinkbuf, p, n) == -1 ||
		    strbuf_addc(&f->sinkbuf, '\n') == -1)
			return err_set(err, ENOMEM, "out of memory");
		if (f->sinkbuf.len >= SINK_FLUSH && sink_flush(f, err) == -1)
			return -1;
	}
	if (f->o->line != NULL) {
		w->lineno++;
		f->o->line(f->o->arg, w->path, w->lineno, p, n, cut);
		f->newlines++;
		f->dirty = 1;
		return 0;
	}
	feed->lineno = w->lineno;
	feed->file = w->path;
	feed->parser.w3c = w->w3c;
	logs_feed_line(feed, p, n, cut);
	w->w3c = feed->parser.w3c;
	w->lineno = feed->lineno;
	f->newlines++;
	f->dirty = 1;
	return 0;
}

/*
 * Processes the complete lines of [buf, buf+n) read at offset base; sets
 * *used to the bytes consumed (lines, or a cut line's head).  With final
 * (the file is finished) a partial last line is processed too.
 */
static int
lines(struct follower *f, struct fw *w, const char *buf, size_t n, int final,
    size_t *used, struct err *err)
{
	size_t start = 0;
	size_t max = f->o->max_line;

	for (;;) {
		const char *nl = memchr(buf + start, '\n', n - start);
		size_t len;

		if (nl == NULL)
			break;
		len = (size_t)(nl - (buf + start));
		if (w->skipping)
			w->skipping = 0;
		else if (one_line(f, w, buf + start, len > max ? max : len,
		             len > max, err) == -1)
			return -1;
		start += len + 1;
	}
	if (start < n) {
		if (w->skipping) {
			start = n;
		} else if (n - start > max) {
			if (one_line(f, w, buf + start, max, 1, err) == -1)
				return -1;
			w->skipping = 1;
			start = n;
		} else if (final) {
			if (f->feed != NULL)
				f->feed->counts.no_final_newline++;
			if (one_line(f, w, buf + start, n - start, 0, err) ==
			    -1)
				return -1;
			start = n;
		}
	}
	if (final)
		w->skipping = 0;
	*used = start;
	return 0;
}

/*
 * Gives back to the system the pages of the buffer past BUF_KEEP that
 * reads filled (MADV_DONTNEED: they read as zeros when touched again,
 * and the buffer holds nothing past what a read just put there).  A
 * burst then leaves the process no larger than before it.
 */
static void
buf_rest(struct follower *f)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), a, b;

	if (f->touched <= BUF_KEEP)
		return;
	a = ((uintptr_t)f->buf + BUF_KEEP + pg - 1) & ~(pg - 1);
	b = ((uintptr_t)f->buf + f->bufcap) & ~(pg - 1);
	if (b > a)
		(void)madvise((void *)a, b - a, MADV_DONTNEED);
	f->touched = 0;
}

size_t
follow_buf_resident(const struct follower *f)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)f->buf + pg - 1) & ~(pg - 1);
	uintptr_t b = ((uintptr_t)f->buf + f->bufcap) & ~(pg - 1);
	unsigned char v[4096];
	size_t n = 0;

	for (; a < b; a += sizeof(v) * pg) {
		size_t len = b - a < sizeof(v) * pg ? b - a : sizeof(v) * pg;

		if (mincore((void *)a, len, v) == -1)
			return (size_t)-1;
		for (size_t i = 0; i < (len + pg - 1) / pg; i++)
			n += v[i] & 1;
	}
	return n * pg;
}

/*
 * Reads fd from w's offset to EOF (at most limit bytes when not final).
 * For the file still written (not final) its identity is checked after
 * each read and before its lines are processed: 1 means the file was
 * truncated or rewritten under us and nothing of that read was used.
 */
static int
read_fd(struct follower *f, struct fw *w, int fd, int final, size_t limit,
    struct err *err)
{
	size_t total = 0, have = 0;

	for (;;) {
		ssize_t k = pread(fd, f->buf + have, f->bufcap - have,
		    (off_t)(w->id.off + have));
		size_t used;

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, errno, "cannot read '%s'", w->path);
		}
		have += (size_t)k;
		if (have > f->touched)
			f->touched = have;
		if (!final && k > 0 && follow_id_check(&w->id, fd) == -1)
			return 1;
		if (k == 0) {
			if (final && have > 0) {
				if (lines(f, w, f->buf, have, 1, &used, err) ==
				    -1)
					return -1;
				follow_id_consume(&w->id, f->buf, used);
			}
			buf_rest(f);
			return 0;
		}
		if (lines(f, w, f->buf, have, 0, &used, err) == -1)
			return -1;
		follow_id_consume(&w->id, f->buf, used);
		total += used;
		memmove(f->buf, f->buf + used, have - used);
		have -= used;
		if (used > 0)
			w->grew = clock_mono();
		if (!final && total >= limit)
			return 0;
	}
}

/*
 * A whole rotated .gz file (fd) from the (uncompressed) offset on.  A
 * damaged or cut file is reported and what it held is used.
 */
static int
read_gz(
    struct follower *f, struct fw *w, int fd, const char *path, struct err *err)
{
	int fd2 = dup(fd), k = 0, zerr = Z_OK;
	gzFile gz = fd2 == -1 ? NULL : gzdopen(fd2, "rb");
	size_t have = 0, used;
	uint64_t skip = w->id.off;
	const char *zmsg;

	if (gz == NULL) {
		if (fd2 != -1)
			close(fd2);
		return err_sys(
		    err, errno ? errno : EIO, "cannot open '%s'", path);
	}
	while (skip > 0) {
		unsigned want =
		    skip > f->bufcap ? (unsigned)f->bufcap : (unsigned)skip;

		if ((k = gzread(gz, f->buf, want)) <= 0)
			break;
		skip -= (uint64_t)k;
	}
	while (skip == 0 &&
	    (k = gzread(gz, f->buf + have, (unsigned)(f->bufcap - have))) > 0) {
		have += (size_t)k;
		if (w->id.off == 0 && w->id.fplen < FP_MAX &&
		    have > w->id.fplen) {
			/* From its start: its fingerprint, as for a plain one. */
			w->id.fplen = (uint32_t)(have < FP_MAX ? have : FP_MAX);
			w->id.fphash = follow_hash(f->buf, w->id.fplen);
		}
		if (lines(f, w, f->buf, have, 0, &used, err) == -1) {
			gzclose(gz);
			return -1;
		}
		follow_id_consume(&w->id, f->buf, used);
		memmove(f->buf, f->buf + used, have - used);
		have -= used;
	}
	zmsg = gzerror(gz, &zerr);
	if (k < 0 || zerr != Z_OK || skip > 0)
		fnote(f, LOG_WARNING,
		    "cannot read '%s' to its end after line %llu: %s", path,
		    (unsigned long long)w->lineno,
		    zerr == Z_BUF_ERROR || (k == 0 && skip > 0)
		        ? "unexpected end of compressed data"
		        : zmsg);
	if (have > 0 && lines(f, w, f->buf, have, 1, &used, err) == -1) {
		gzclose(gz);
		return -1;
	}
	if (have > 0)
		follow_id_consume(&w->id, f->buf, used);
	gzclose(gz);
	f->touched = f->bufcap; /* gzread fills what it is given */
	buf_rest(f);
	return 0;
}

/* ---- rotated siblings ---- */

#define LIST_MAX 256

struct cand {
	char name[NAME_MAX + 1];
	struct stat st;
	long num; /* ".N" / ".N.gz" suffix, -1 if none */
	int live; /* the followed path itself */
};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->live != y->live)
		return x->live - y->live; /* the live file last */
	if (x->num >= 0 && y->num >= 0 && x->num != y->num)
		return x->num > y->num ? -1 : 1; /* higher number: older */
	if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec)
		return x->st.st_mtim.tv_sec < y->st.st_mtim.tv_sec ? -1 : 1;
	if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec)
		return x->st.st_mtim.tv_nsec < y->st.st_mtim.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Compressed in a form only zlib's gzip reader does not read. */
static int
other_compression(const char *name)
{
	static const char *const ext[] = {
	    ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".Z", ".zip"};
	size_t n = strlen(name);

	for (size_t i = 0; i < countof(ext); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && strcmp(name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * Drops X.gz while X is still there: gzip (logrotate's compress or
 * delaycompress) is writing X.gz and removes X only once it is complete.
 */
static size_t
drop_unfinished_gz(struct cand *c, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(c[i].name);
		int plain_too = 0;

		for (size_t j = 0; j < n && follow_is_gz(c[i].name); j++)
			if (strlen(c[j].name) == len - 3 &&
			    memcmp(c[j].name, c[i].name, len - 3) == 0)
				plain_too = 1;
		if (!plain_too)
			c[k++] = c[i];
	}
	return k;
}

/* The path and its rotated siblings (base.N, base-DATE, .gz), oldest first. */
static size_t
candidates(const struct fw *w, struct cand *c, size_t max)
{
	size_t n = 0, bl = strlen(w->base);
	DIR *d = opendir(w->dir);
	struct dirent *de;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		char p[PATH_MAX];
		const char *suf;
		int live;

		if (strncmp(de->d_name, w->base, bl) != 0)
			continue;
		suf = de->d_name + bl;
		live = *suf == '\0';
		if (!live && *suf != '.' && *suf != '-' && *suf != '_')
			continue;
		if (other_compression(suf))
			continue;
		if (path_join(p, sizeof(p), w->dir, de->d_name) == -1)
			continue;
		if (stat(p, &c[n].st) == -1 || !S_ISREG(c[n].st.st_mode))
			continue;
		snprintf(c[n].name, sizeof(c[n].name), "%s", de->d_name);
		c[n].live = live;
		c[n].num = -1;
		if (*suf == '.' && suf[1] >= '0' && suf[1] <= '9') {
			const char *q = suf + 1;
			uint64_t v;

			if (cur_u64(&q, suf + strlen(suf), &v) == 0 &&
			    (*q == '\0' || strcmp(q, ".gz") == 0) &&
			    v < 1000000)
				c[n].num = (long)v;
		}
		n++;
	}
	closedir(d);
	n = drop_unfinished_gz(c, n);
	qsort(c, n, sizeof(*c), cand_cmp);
	return n;
}

/* The candidate's path; "" (which opens nothing) when it is too long. */
static void
cand_path(const struct fw *w, const struct cand *c, char *p, size_t size)
{
	path_join(p, size, w->dir, c->name);
}

static int
open_live(struct fw *w)
{
	struct stat st;
	int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	w->fd = fd;
	w->dev = st.st_dev;
	w->ino = st.st_ino;
	w->grew = clock_mono();
	/*
	 * Take the fingerprint at once, before anything is read: a bookmark
	 * at offset 0 must still tell this file from a later copytruncate.
	 */
	if (follow_id_check(&w->id, fd) == -1) {
		close(fd);
		w->fd = -1;
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

static void
reset_file(struct fw *w)
{
	follow_id_reset(&w->id);
	w->skipping = 0;
	w->lineno = 0;
	logs_w3c_init(&w->w3c);
}

static int
newer_or_same(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	    (a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	        a->st_mtim.tv_nsec >= b->st_mtim.tv_nsec);
}

/* ---- finding the bookmarked file again ---- */

static void note_open(const struct follower *f, struct fw *w, int e);
static int bm_save(struct follower *f, struct err *err);

/*
 * The path is there but cannot be opened (permissions): the bookmark is
 * kept as it is until it can, rather than taken for a lost file.
 */
static int
hold_unreadable(const struct follower *f, struct fw *w)
{
	int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd == -1 && errno != ENOENT) {
		note_open(f, w, errno);
		w->held = 1;
		return 1;
	}
	if (fd != -1)
		close(fd);
	w->held = 0;
	return 0;
}

enum {
	RS_QUIET = 1,    /* no warning when the file is not found */
	RS_USE_TIME = 2, /* an empty bookmark: rotated files by time */
	RS_DONE = 4,     /* the bookmarked file was read to its end */
};

enum found { FOUND_NONE, FOUND_INODE, FOUND_TIME, FOUND_COPY };

/* One look at the directory. */
struct listing {
	struct cand c[LIST_MAX]; /* oldest first, the path itself last */
	size_t n;
	ssize_t live;   /* index of the path itself, -1 if absent */
	uint32_t elen;  /* its first bytes when listed ... */
	uint64_t ehash; /* ... and their hash */
};

static void
list_files(const struct fw *w, struct listing *l)
{
	char b[FP_MAX];
	ssize_t k = 0;

	l->n = candidates(w, l->c, LIST_MAX);
	l->live = -1;
	for (size_t i = 0; i < l->n; i++)
		if (l->c[i].live)
			l->live = (ssize_t)i;
	if (l->live >= 0) {
		const struct cand *c = &l->c[l->live];
		int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		struct stat st;

		if (fd != -1) {
			if (fstat(fd, &st) == 0 && st.st_ino == c->st.st_ino &&
			    st.st_dev == c->st.st_dev)
				k = pread(fd, b, FP_MAX, 0);
			close(fd);
		}
	}
	if (k < 0)
		k = 0;
	l->elen = (uint32_t)k;
	l->ehash = follow_hash(b, (size_t)k);
}

/* Whether candidate c holds what the bookmark says was read. */
static int
cand_matches(struct fw *w, const struct cand *c)
{
	char p[PATH_MAX];

	cand_path(w, c, p, sizeof(p));
	return follow_id_match(&w->id, p, -1);
}

/* The file with the bookmark's inode, still holding what was read. */
static ssize_t
find_by_inode(struct fw *w, const struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct cand *c = &l->c[i];

		if (c->st.st_dev == w->dev && c->st.st_ino == w->ino &&
		    !follow_is_gz(c->name) &&
		    (uint64_t)c->st.st_size >= w->id.off && cand_matches(w, c))
			return (ssize_t)i;
	}
	return -1;
}

/*
 * Nothing was known of the bookmarked file (it was empty when
 * committed): the oldest rotated file written after that commit.
 */
static ssize_t
find_by_time(const struct follower *f, const struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct stat *st = &l->c[i].st;

		if (!l->c[i].live &&
		    (int64_t)st->st_mtim.tv_sec * 1000000000 +
		            st->st_mtim.tv_nsec >
		        f->saved_ns)
			return (ssize_t)i;
	}
	return -1;
}

/* A copy (copytruncate): the same bytes up to the offset, newest first. */
static ssize_t
find_copy(struct fw *w, const struct listing *l)
{
	for (size_t i = l->n; w->id.fplen > 0 && i-- > 0;) {
		const struct cand *c = &l->c[i];

		if ((follow_is_gz(c->name) ||
		        (uint64_t)c->st.st_size >= w->id.off) &&
		    cand_matches(w, c))
			return (ssize_t)i;
	}
	return -1;
}

static ssize_t
find_bookmarked(const struct follower *f, struct fw *w, const struct listing *l,
    int flags, enum found *how)
{
	ssize_t m = find_by_inode(w, l), t;

	*how = m >= 0 ? FOUND_INODE : FOUND_NONE;
	if ((flags & RS_USE_TIME) && w->id.fplen == 0 && w->id.off == 0 &&
	    f->saved_ns > 0 && (t = find_by_time(f, l)) >= 0 &&
	    (m < 0 || t < m)) {
		m = t;
		*how = FOUND_TIME;
	}
	if (m < 0 && (m = find_copy(w, l)) >= 0)
		*how = FOUND_COPY;
	return m;
}

/*
 * The bookmarked file is the path itself: open it at the offset.  0 done
 * (or gone: step() opens it when it appears), 1 look again.
 */
static int
open_live_at_bookmark(struct fw *w, const struct cand *c)
{
	struct follow_id id = w->id;
	dev_t dev = w->dev;
	ino_t ino = w->ino;

	int e;

	if (open_live(w) == 0) {
		if (w->ino == c->st.st_ino && w->dev == c->st.st_dev)
			return 0;
		/* Replaced since the listing. */
		close(w->fd);
		w->fd = -1;
		e = EAGAIN;
	} else {
		e = errno;
	}
	w->dev = dev;
	w->ino = ino;
	w->id = id;
	/* EAGAIN: replaced, or truncated since (find the copy). */
	return e == EAGAIN ? 1 : 0;
}

/*
 * Whether rotated file i is followed as it grows rather than read to its
 * end: the newest one, renamed (not a copy, not finished already), while
 * the path itself is missing or empty: the writer may still be writing
 * to it, not having reopened its log yet.
 */
static int
may_follow(
    const struct listing *l, size_t i, ssize_t m, enum found how, int flags)
{
	if (follow_is_gz(l->c[i].name) || (i + 1 < l->n && !l->c[i + 1].live))
		return 0;
	if (l->live >= 0 && l->c[l->live].st.st_size > 0)
		return 0;
	return i != (size_t)m || (how != FOUND_COPY && !(flags & RS_DONE));
}

/*
 * Reads the bookmarked rotated file (index m) from the offset, or from its
 * start when found by time, then every rotated file written after it in
 * full, oldest first.  0 all read, 1 names shifted under us (look again),
 * 2 following the newest one (may_follow), -1 error.
 */
static int
read_rotated(struct follower *f, struct fw *w, const struct listing *l,
    ssize_t m, enum found how, int flags, struct err *err)
{
	for (size_t i = m < 0 ? l->n : (size_t)m; i < l->n && !l->c[i].live;
	     i++) {
		const struct cand *c = &l->c[i];
		char p[PATH_MAX];
		struct stat st;
		int fd, gz = follow_is_gz(c->name), rc;

		if (i != (size_t)m && !newer_or_same(&c->st, &l->c[m].st))
			continue;
		cand_path(w, c, p, sizeof(p));
		fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd == -1 && errno != ENOENT) {
			fnote(f, LOG_WARNING,
			    "cannot open '%s': %s; its lines are skipped", p,
			    strerror(errno));
			continue;
		}
		if (fd == -1 || fstat(fd, &st) == -1 ||
		    st.st_ino != c->st.st_ino || st.st_dev != c->st.st_dev) {
			if (fd != -1)
				close(fd);
			return 1;
		}
		if (i != (size_t)m || how == FOUND_TIME) {
			reset_file(w);
			if (!gz)
				follow_id_check(&w->id, fd);
		}
		w->dev = st.st_dev;
		w->ino = st.st_ino;
		if (may_follow(l, i, m, how, flags)) {
			fnote(f, LOG_DEBUG,
			    "follow '%s' from %llu until '%s' is reopened", p,
			    (unsigned long long)w->id.off, w->path);
			w->fd = fd;
			w->grew = clock_mono();
			return 2;
		}
		fnote(f, LOG_DEBUG, "read '%s' from %llu", p,
		    (unsigned long long)w->id.off);
		rc = gz ? read_gz(f, w, fd, p, err)
		        : read_fd(f, w, fd, 1, 0, err);
		close(fd);
		/*
		 * Commit after each file: a follower stopped again and again
		 * while catching up still gets on.
		 */
		if (rc == -1 || (f->dirty && bm_save(f, err) == -1))
			return -1;
	}
	return 0;
}

/*
 * After the rotated files, the path itself from its start.  It must be the
 * file listed, with the same first bytes; else it was renamed or truncated
 * meanwhile, and is looked for again by that identity.  0 done (or it is
 * gone: step() opens it when it appears), 1 look again.
 */
static int
open_new_live(struct fw *w, const struct listing *l)
{
	const struct cand *c;
	char b[FP_MAX];

	reset_file(w);
	if (open_live(w) == -1) {
		w->dev = 0;
		w->ino = 0;
		return 0;
	}
	if (l->live < 0)
		return 0;
	c = &l->c[l->live];
	if (w->ino == c->st.st_ino && w->dev == c->st.st_dev &&
	    pread(w->fd, b, l->elen, 0) == (ssize_t)l->elen &&
	    follow_hash(b, l->elen) == l->ehash)
		return 0;
	close(w->fd);
	w->fd = -1;
	reset_file(w);
	w->dev = c->st.st_dev;
	w->ino = c->st.st_ino;
	w->id.fplen = l->elen;
	w->id.fphash = l->ehash;
	return 1;
}

/*
 * Finds the file that w's bookmark names among the path and its rotated
 * siblings (by inode, else by time for an empty bookmark, else a copy by
 * content), reads it from the offset and every newer rotated file in full,
 * then opens the path itself at its start.  If the bookmarked file is the
 * path itself, just opens it at the offset.  A rotation while this runs
 * (names shift, the path renamed or truncated) is noticed by identity and
 * the search starts again from where it got to.
 */
static int
resolve(struct follower *f, struct fw *w, int flags, struct err *err)
{
	struct listing *l = calloc(1, sizeof(*l));
	int rc = 0;

	if (l == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (int attempt = 0; attempt < 16; attempt++, flags &= ~RS_USE_TIME) {
		enum found how;
		ssize_t m;

		if (hold_unreadable(f, w))
			goto out;
		list_files(w, l);
		m = find_bookmarked(f, w, l, flags, &how);
		fnote(f, LOG_DEBUG,
		    "resolve '%s': bookmark ino %llu off %llu fplen %u: "
		    "%s",
		    w->path, (unsigned long long)w->ino,
		    (unsigned long long)w->id.off, w->id.fplen,
		    m >= 0 ? l->c[m].name : "(none)");
		if (m >= 0 && l->c[m].live) {
			if (open_live_at_bookmark(w, &l->c[m]) == 1)
				continue;
			goto out;
		}
		if (m < 0 && !(flags & RS_QUIET) &&
		    (w->id.off > 0 || w->id.fplen > 0))
			fnote(f, LOG_WARNING,
			    "'%s': the bookmarked file was not found "
			    "(rotated away?); reading from the start",
			    w->path);
		rc = read_rotated(f, w, l, m, how, flags, err);
		if (rc == 1)
			continue;
		if (rc != 0)
			goto out;
		if (open_new_live(w, l) == 1)
			continue;
		goto out;
	}
	rc = err_set(err, EAGAIN, "'%s': rotating too fast to follow", w->path);
out:
	free(l);
	return rc == -1 ? -1 : 0;
}

/* ---- bookmarks ---- */

/*
 * Commits the bookmark: the lines it covers are in the sink (on disk)
 * before the bookmark says so, so a crash at any moment leaves each line
 * in the sink once after the restart cuts it back.
 */
static int
bm_save(struct follower *f, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1024 * 1024);
	struct timespec ts;
	int rc;

	if (f->o->commit != NULL && f->o->commit(f->o->arg, err) == -1)
		return -1;
	if (f->sink != -1) {
		if (sink_flush(f, err) == -1)
			return -1;
		if (f->sink_len != f->sink_synced) {
			if (fdatasync(f->sink) == -1)
				return err_sys(err, errno, "cannot sync '%s'",
				    f->o->lines_to);
			f->sink_synced = f->sink_len;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	f->saved_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	strbuf_printf(&sb, "sakimori-follow 1\nsink %llu\ntime %lld\n",
	    (unsigned long long)f->sink_len, (long long)f->saved_ns);
	for (size_t i = 0; i < f->nfw; i++) {
		const struct fw *w = &f->fw[i];

		strbuf_printf(&sb,
		    "file %s %llu %llu %llu %u %llu %d %llu %u %llu\n", w->key,
		    (unsigned long long)w->dev, (unsigned long long)w->ino,
		    (unsigned long long)w->id.off, w->id.fplen,
		    (unsigned long long)w->id.fphash, w->skipping,
		    (unsigned long long)w->lineno, w->id.tlen,
		    (unsigned long long)w->id.thash);
	}
	if (strbuf_failed(&sb))
		rc = err_set(err, strbuf_failed(&sb),
		    "cannot save the bookmark '%s': too many files", f->bmpath);
	else
		rc = file_write_atomic_flags(f->bmpath, sb.p, sb.len, 0600,
		    f->o->bookmark_nosync ? FILE_NOSYNC : 0, err);
	strbuf_release(&sb);
	if (rc == 0)
		f->dirty = 0;
	return rc;
}

/* 1 loaded, 0 none, -1 error. */
static int
bm_load(struct follower *f, uint64_t *sink_len, int *have, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1024 * 1024);
	const char *p, *end, *ls, *le;
	struct err e2 = {0};
	struct follow_bm_file bf;
	int rc = 1;

	if (file_read_nofollow(f->bmpath, 1024 * 1024, &sb, NULL, &e2) == -1) {
		strbuf_release(&sb);
		if (e2.code == ENOENT)
			return 0;
		*err = e2;
		return -1;
	}
	p = sb.p;
	end = sb.p + sb.len;
	if (cur_line(&p, end, &ls, &le) == -1 ||
	    !mem_eq(ls, (size_t)(le - ls), "sakimori-follow 1")) {
		strbuf_release(&sb);
		return err_set(
		    err, EBADMSG, "'%s': not a bookmark file", f->bmpath);
	}
	while (cur_line(&p, end, &ls, &le) == 0) {
		const char *q = ls;

		if (cur_lit(&q, le, "time ") == 0) {
			int64_t t;

			if (cur_i64(&q, le, &t) == -1)
				rc = -1;
			else
				f->saved_ns = t;
			continue;
		}
		if (cur_lit(&q, le, "sink ") == 0) {
			if (cur_u64(&q, le, sink_len) == -1)
				rc = -1;
			continue;
		}
		if (cur_lit(&q, le, "file ") == -1 ||
		    follow_bm_file_parse(q, le, &bf) == -1) {
			rc = -1;
			continue;
		}
		for (size_t i = 0; i < f->nfw; i++) {
			struct fw *w = &f->fw[i];

			if (strcmp(bf.key, w->key) != 0)
				continue;
			w->dev = (dev_t)bf.dev;
			w->ino = (ino_t)bf.ino;
			w->id = bf.id;
			w->skipping = bf.skipping;
			w->lineno = bf.lineno;
			have[i] = 1;
		}
	}
	strbuf_release(&sb);
	if (rc == -1)
		return err_set(
		    err, EBADMSG, "'%s': damaged bookmark file", f->bmpath);
	return 1;
}

/*
 * One follower per bookmark set: two would both process every line and
 * overwrite each other's bookmark.  The lock is held until exit.
 */
static int
bm_lock(struct follower *f, const char *dir, const char *name, struct err *err)
{
	char path[PATH_MAX], pid[32];
	ssize_t k;
	int n;

	if (snprintf(path, sizeof(path), "%s/follow-%s.lock", dir, name) >=
	    (int)sizeof(path))
		return err_set(err, ENAMETOOLONG, "state directory too long");
	f->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (f->lockfd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if (flock(f->lockfd, LOCK_EX | LOCK_NB) == -1) {
		int e = errno;

		if (e != EWOULDBLOCK)
			return err_sys(err, e, "cannot lock '%s'", path);
		k = pread(f->lockfd, pid, sizeof(pid) - 1, 0);
		pid[k > 0 ? k : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (pid[0] == '\0' || pid[strspn(pid, "0123456789")] != '\0')
			snprintf(pid, sizeof(pid), "?");
		return err_set(err, EBUSY,
		    "bookmark set '%s' is in use by another follower "
		    "(pid %s)",
		    name, pid);
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(f->lockfd, 0) == 0 &&
	    pwrite(f->lockfd, pid, (size_t)n, 0) != n)
		return err_sys(err, errno, "cannot write '%s'", path);
	return 0;
}

/*
 * Removes the temporary files a killed follower left behind
 * (NAME.bm.tmp.PID): all of this set's, as its lock is held, and other
 * sets' whose process is gone.
 */
static void
bm_clean_tmp(const struct follower *f, const char *dir)
{
	const char *own = strrchr(f->bmpath, '/') + 1;
	size_t ownlen = strlen(own);
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *t = strstr(de->d_name, ".bm.tmp.");
		const char *q, *end;
		uint64_t pid;

		if (strncmp(de->d_name, "follow-", 7) != 0 || t == NULL)
			continue;
		q = t + 8;
		end = q + strlen(q);
		if (cur_u64(&q, end, &pid) == -1 || q != end || pid == 0 ||
		    pid > INT_MAX)
			continue;
		if (!((size_t)(t + 3 - de->d_name) == ownlen &&
		        memcmp(de->d_name, own, ownlen) == 0) &&
		    !(kill((pid_t)pid, 0) == -1 && errno == ESRCH))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			fnote(f, LOG_DEBUG,
			    "removed '%s/%s', left by a killed follower", dir,
			    de->d_name);
	}
	closedir(d);
}

/* ---- one look at a path ---- */

/* Says once why the path cannot be opened, and again when it can. */
static void
note_open(const struct follower *f, struct fw *w, int e)
{
	if (e == 0) {
		if (w->warned == ENOENT)
			fnote(f, LOG_INFO, "'%s' appeared", w->path);
		else if (w->warned != 0)
			fnote(
			    f, LOG_WARNING, "'%s' can be read again", w->path);
		w->warned = 0;
		return;
	}
	if (e == EAGAIN || e == w->warned)
		return;
	w->warned = e;
	if (e == ENOENT)
		fnote(f, LOG_INFO, "'%s' does not exist; waiting for it",
		    w->path);
	else if (e == EISDIR)
		fnote(f, LOG_WARNING, "'%s' is not a regular file; waiting",
		    w->path);
	else
		fnote(f, LOG_WARNING, "cannot open '%s': %s; retrying", w->path,
		    strerror(e));
}

static int
step(struct follower *f, struct fw *w, struct err *err)
{
	struct stat st;

	if (w->fd == -1 && w->held) {
		/* Readable again: from the bookmark. */
		if (resolve(f, w, RS_QUIET, err) == -1)
			return -1;
		if (w->fd == -1)
			return 0;
		note_open(f, w, 0);
	} else if (w->fd == -1) {
		/* Appeared (or came back) since: read it from the start. */
		reset_file(w);
		if (open_live(w) == -1) {
			note_open(f, w, errno);
			return 0;
		}
		note_open(f, w, 0);
	}
	if (follow_id_check(&w->id, w->fd) == -1) {
		/* Truncated or rewritten in place: find the copy. */
		close(w->fd);
		w->fd = -1;
		if (resolve(f, w, RS_QUIET, err) == -1)
			return -1;
		if (w->fd == -1)
			return 0;
	}
	switch (read_fd(f, w, w->fd, 0, 2 * CHUNK, err)) {
	case -1:
		return -1;
	case 1:
		close(w->fd);
		w->fd = -1;
		return resolve(f, w, RS_QUIET, err);
	default:
		break;
	}
	/* Renamed or deleted, and a new file in its place? */
	if (stat(w->path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_dev != w->dev || st.st_ino != w->ino)) {
		if (st.st_size == 0 && clock_mono() - w->grew < SWITCH_IDLE)
			return 0; /* the writer may not have reopened yet */
		if (follow_id_check(&w->id, w->fd) == -1) {
			close(w->fd);
			w->fd = -1;
			return resolve(f, w, RS_QUIET, err);
		}
		if (read_fd(f, w, w->fd, 1, 0, err) == -1)
			return -1;
		close(w->fd);
		w->fd = -1;
		if (resolve(f, w, RS_QUIET | RS_DONE, err) == -1)
			return -1;
		if (w->fd != -1 &&
		    read_fd(f, w, w->fd, 0, 2 * CHUNK, err) == -1)
			return -1;
	}
	return 0;
}

static void
path_key(const char *path, char key[17])
{
	snprintf(key, 17, "%016llx",
	    (unsigned long long)follow_hash(path, strlen(path)));
}

static int
setup(struct follower *f, const char *const *paths, size_t n, struct err *err)
{
	char dir[PATH_MAX], name[64];
	int fd;

	f->fw = calloc(n, sizeof(*f->fw));
	if (f->fw == NULL)
		return err_set(err, ENOMEM, "out of memory");
	f->nfw = n;
	for (size_t i = 0; i < n; i++)
		f->fw[i].fd = -1;
	for (size_t i = 0; i < n; i++) {
		struct fw *w = &f->fw[i];
		const char *slash;
		char abs[PATH_MAX];

		if (paths[i][0] == '/') {
			if (snprintf(abs, sizeof(abs), "%s", paths[i]) >=
			    (int)sizeof(abs))
				return err_set(err, ENAMETOOLONG,
				    "'%s': path too long", paths[i]);
		} else {
			char cwd[PATH_MAX];

			if (getcwd(cwd, sizeof(cwd)) == NULL ||
			    path_join(abs, sizeof(abs), cwd, paths[i]) == -1)
				return err_set(err, ENAMETOOLONG,
				    "'%s': path too long", paths[i]);
		}
		snprintf(w->path, sizeof(w->path), "%s", abs);
		slash = strrchr(abs, '/');
		snprintf(w->dir, sizeof(w->dir), "%.*s",
		    (int)(slash == abs ? 1 : slash - abs), abs);
		snprintf(w->base, sizeof(w->base), "%s", slash + 1);
		if (w->base[0] == '\0')
			return err_set(
			    err, EINVAL, "'%s': not a file name", paths[i]);
		if (follow_is_gz(w->base) || other_compression(w->base))
			return err_set(err, EINVAL,
			    "'%s' is compressed: follow reads a log as it "
			    "grows (use 'logs scan' for a finished file)",
			    paths[i]);
		path_key(w->path, w->key);
		w->fd = -1;
		reset_file(w);
	}
	if (f->o->name != NULL) {
		for (const char *p = f->o->name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			        (*p >= 'A' && *p <= 'Z') ||
			        (*p >= '0' && *p <= '9') || *p == '-' ||
			        *p == '_' || *p == '.') ||
			    strlen(f->o->name) > 60 || f->o->name[0] == '.')
				return err_set(err, EINVAL,
				    "bad bookmark name '%s'", f->o->name);
		snprintf(name, sizeof(name), "%s", f->o->name);
	} else {
		struct strbuf all = STRBUF_INIT(0);

		for (size_t i = 0; i < n; i++) {
			strbuf_adds(&all, f->fw[i].path);
			strbuf_addc(&all, '\n');
		}
		snprintf(name, sizeof(name), "%.20s%016llx",
		    f->o->name_pre ? f->o->name_pre : "",
		    (unsigned long long)follow_hash(all.p, all.len));
		strbuf_release(&all);
	}
	if (snprintf(dir, sizeof(dir), "%s/logs", f->o->state_dir) >=
	        (int)sizeof(dir) ||
	    snprintf(f->bmpath, sizeof(f->bmpath), "%s/follow-%s.bm", dir,
	        name) >= (int)sizeof(f->bmpath))
		return err_set(err, ENAMETOOLONG, "state directory too long");
	if ((fd = statedir_dir(f->o->state_dir, "logs", 1, err)) == -1)
		return -1;
	close(fd);
	if (bm_lock(f, dir, name, err) == -1)
		return -1;
	bm_clean_tmp(f, dir);
	f->bufcap = CHUNK + f->o->max_line + 1;
	f->buf = malloc(f->bufcap);
	if (f->buf == NULL)
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

/*
 * A sink that is one of the followed files, or would be taken for a
 * rotated copy of one (a sibling named after it), would feed the follower
 * its own output.
 */
static int
sink_refused(const struct follower *f, const struct stat *sst, struct err *err)
{
	char abs[PATH_MAX];
	const char *slash;

	if (f->o->lines_to[0] == '/' ||
	    getcwd(abs, sizeof(abs) - NAME_MAX - 2) == NULL)
		snprintf(abs, sizeof(abs), "%s", f->o->lines_to);
	else
		snprintf(abs + strlen(abs), sizeof(abs) - strlen(abs), "/%s",
		    f->o->lines_to);
	slash = strrchr(abs, '/');
	for (size_t i = 0; i < f->nfw; i++) {
		const struct fw *w = &f->fw[i];
		struct stat st;
		size_t bl = strlen(w->base);
		const char *b = slash == NULL ? abs : slash + 1;

		if (stat(w->path, &st) == 0 && st.st_dev == sst->st_dev &&
		    st.st_ino == sst->st_ino)
			return err_set(err, EINVAL,
			    "--lines-to '%s' is the followed file '%s'",
			    f->o->lines_to, w->path);
		if (slash != NULL && strlen(w->dir) == (size_t)(slash - abs) &&
		    memcmp(w->dir, abs, (size_t)(slash - abs)) == 0 &&
		    strncmp(b, w->base, bl) == 0 &&
		    (b[bl] == '.' || b[bl] == '-' || b[bl] == '_'))
			return err_set(err, EINVAL,
			    "--lines-to '%s' would be taken for a rotated "
			    "copy of '%s'",
			    f->o->lines_to, w->path);
	}
	return 0;
}

/* Opens --lines-to and cuts it back to what the last bookmark covers. */
static int
sink_open(struct follower *f, int loaded, uint64_t sink_len, struct err *err)
{
	struct stat st;

	f->sink = open(
	    f->o->lines_to, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (f->sink == -1 || fstat(f->sink, &st) == -1)
		return err_sys(err, errno, "cannot open '%s'", f->o->lines_to);
	if (sink_refused(f, &st, err) == -1)
		return -1;
	if (loaded == 1) {
		/* Roll back what was written after the last commit. */
		if ((uint64_t)st.st_size > sink_len &&
		    ftruncate(f->sink, (off_t)sink_len) == -1)
			return err_sys(
			    err, errno, "cannot truncate '%s'", f->o->lines_to);
		if ((uint64_t)st.st_size < sink_len)
			fnote(f, LOG_WARNING,
			    "'%s' is shorter than its bookmark says "
			    "(%llu bytes, not %llu): lines are missing "
			    "from it",
			    f->o->lines_to, (unsigned long long)st.st_size,
			    (unsigned long long)sink_len);
		f->sink_len = sink_len < (uint64_t)st.st_size
		    ? sink_len
		    : (uint64_t)st.st_size;
	} else {
		f->sink_len = (uint64_t)st.st_size;
	}
	f->sink_synced = f->sink_len;
	return 0;
}

static int
start(struct follower *f, struct err *err)
{
	uint64_t sink_len = 0;
	int *have = calloc(f->nfw, sizeof(int));
	int loaded;

	if (have == NULL)
		return err_set(err, ENOMEM, "out of memory");
	loaded = bm_load(f, &sink_len, have, err);
	if (loaded == -1 ||
	    (f->o->lines_to != NULL &&
	        sink_open(f, loaded, sink_len, err) == -1)) {
		free(have);
		return -1;
	}
	/*
	 * Files without a bookmark first: resolve() commits as it catches
	 * up, and its bookmark must not record them as read from the start.
	 */
	for (size_t i = 0; i < f->nfw; i++) {
		struct fw *w = &f->fw[i];

		if (have[i])
			continue;
		if (open_live(w) == -1) {
			note_open(f, w, errno);
		} else if (!f->o->from_start) {
			struct stat st;

			/* Like tail -F: from the end; a new file: all. */
			if (fstat(w->fd, &st) == 0)
				w->id.off = (uint64_t)st.st_size;
			if (follow_id_check(&w->id, w->fd) == -1 ||
			    !follow_id_match(&w->id, w->path, w->fd))
				w->id.off = 0; /* changed meanwhile */
		}
	}
	for (size_t i = 0; i < f->nfw; i++) {
		if (have[i] && resolve(f, &f->fw[i], RS_USE_TIME, err) == -1) {
			free(have);
			return -1;
		}
	}
	free(have);
	/* Commit at once, so a restart knows where it began. */
	return bm_save(f, err);
}

/* ---- the steppable follower ---- */

struct follower *
follower_open(const struct follow_opts *o, const char *const *paths,
    size_t npaths, struct logs_feed *feed, struct err *err)
{
	struct follower *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	f->opts = *o;
	f->o = &f->opts;
	f->feed = feed;
	f->ino = -1;
	f->sink = -1;
	f->lockfd = -1;
	f->looked = clock_mono();
	strbuf_init(&f->sinkbuf, SINK_FLUSH + o->max_line + CHUNK + 16);
	if (setup(f, paths, npaths, err) == -1 || start(f, err) == -1)
		goto fail;
	f->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->ino == -1) {
		err_sys(err, errno, "inotify");
		goto fail;
	}
	for (size_t i = 0; i < f->nfw; i++)
		if (inotify_add_watch(f->ino, f->fw[i].dir,
		        IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
		            IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB) == -1)
			fnote(f, LOG_WARNING, "cannot watch '%s': %s; polling",
			    f->fw[i].dir, strerror(errno));
	/* The first step reads what came while it was down, at once. */
	f->newlines = 1;
	return f;
fail:
	follower_close(f);
	return NULL;
}

int
follower_fd(const struct follower *f)
{
	return f->ino;
}

int
follower_step(struct follower *f, struct err *err)
{
	char evbuf[8192];

	while (read(f->ino, evbuf, sizeof(evbuf)) > 0)
		;
	f->newlines = 0;
	for (size_t i = 0; i < f->nfw; i++)
		if (step(f, &f->fw[i], err) == -1)
			return -1;
	if (f->dirty && bm_save(f, err) == -1)
		return -1;
	print_new_findings(f);
	if (f->o->tick != NULL)
		f->o->tick(f->o->arg);
	f->looked = clock_mono();
	return f->newlines > 0;
}

double
follower_timeout(const struct follower *f)
{
	double left;

	if (f->newlines > 0)
		return 0; /* a step reads at most 2 MiB a file: more may wait */
	left = f->o->poll - (clock_mono() - f->looked);
	return left > 0 ? left : 0;
}

int
follower_commit(struct follower *f, struct err *err)
{
	return f->dirty ? bm_save(f, err) : 0;
}

void
follower_close(struct follower *f)
{
	if (f == NULL)
		return;
	if (f->ino != -1)
		close(f->ino);
	for (size_t i = 0; i < f->nfw; i++)
		if (f->fw[i].fd != -1)
			close(f->fw[i].fd);
	if (f->sink != -1)
		close(f->sink);
	if (f->lockfd != -1)
		close(f->lockfd);
	strbuf_release(&f->sinkbuf);
	free(f->fw);
	free(f->buf);
	free(f);
}

/* ---- the blocking loop of the commands ---- */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
log_notice(void *arg, int prio, const char *msg)
{
	(void)arg;
	if (prio <= LOG_WARNING)
		log_warnx("%s", msg);
	else if (prio <= LOG_INFO)
		log_info("%s", msg);
	else
		log_debug("%s", msg);
}

int
logs_follow(const struct follow_opts *o, const char *const *paths,
    size_t npaths, struct logs_feed *feed, struct err *err)
{
	struct follow_opts lo = *o;
	struct follower *f;
	struct sigaction sa;
	int rc = -1;
	double idle_since = clock_mono();

	stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (lo.notice == NULL)
		lo.notice = log_notice;
	if ((f = follower_open(&lo, paths, npaths, feed, err)) == NULL)
		return -1;
	while (!stop) {
		struct pollfd pfd = {follower_fd(f), POLLIN, 0};
		int k = follower_step(f, err);

		if (k == -1)
			goto out;
		if (k > 0) {
			idle_since = clock_mono();
			continue; /* more may be waiting: look again */
		}
		if (o->exit_idle > 0 &&
		    clock_mono() - idle_since >= o->exit_idle)
			break;
		poll(&pfd, 1, (int)(follower_timeout(f) * 1000));
	}
	rc = follower_commit(f, err);
out:
	follower_close(f);
	return rc;
}
