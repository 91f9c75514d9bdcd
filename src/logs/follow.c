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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/hash.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "logs/follow.h"

#define FP_MAX 128
#define CHUNK (1024 * 1024)
#define SINK_FLUSH (4 * 1024 * 1024)
#define SWITCH_IDLE 5.0 /* s: old file quiet, new one empty: switch */

/* One followed path. */
struct fw {
	char path[PATH_MAX];
	char dir[PATH_MAX];
	char base[NAME_MAX + 1];
	char key[17]; /* hash of the path, in the bookmark file */
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t off; /* processed up to here */
	uint32_t fplen;
	uint64_t fphash;
	int skipping; /* inside the tail of a cut line */
	uint64_t lineno;
	double grew; /* clock_mono() when it last grew */
	struct logs_w3c w3c;
	int warned_dir;
};

struct fl {
	const struct follow_opts *o;
	struct logs_feed *feed;
	struct fw *fw;
	size_t nfw;
	char bmpath[PATH_MAX];
	int sink;              /* -1 without lines_to */
	uint64_t sink_len;     /* bytes in the sink (written) */
	int64_t saved_ns;      /* wall time of the last bookmark commit */
	struct strbuf sinkbuf; /* lines not yet written to the sink */
	char *buf;
	size_t bufcap;
	int dirty;
	uint64_t newlines; /* lines since the last check (for exit_idle) */
	size_t printed;    /* findings already printed */
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

void
follow_opts_default(struct follow_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->poll = 1.0;
	o->max_line = LOGS_MAX_LINE_DEFAULT;
}

static uint64_t
fp_hash(const void *p, size_t n)
{
	/* Not seeded: the value is stored in the bookmark. */
	return hash_mix64(
	    hash_fnv1a(HASH_FNV_BASIS ^ 0x5a6b1d0f3e2c4b7aULL, p, n));
}

/* ---- sink ---- */

static int
sink_flush(struct fl *f, struct err *err)
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
print_new_findings(struct fl *f)
{
	const struct report *r = f->feed->report;

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
one_line(struct fl *f, struct fw *w, const char *p, size_t n, int cut,
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
lines(struct fl *f, struct fw *w, const char *buf, size_t n, int final,
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

static int fp_check(struct fw *w);

/*
 * Reads fd from w->off to EOF (at most limit bytes when not final).  For
 * the live file (not final) the fingerprint is checked after each read and
 * before its lines are processed: 1 means the file was truncated or
 * rewritten under us and nothing of that read was used.
 */
static int
read_fd(struct fl *f, struct fw *w, int fd, int final, size_t limit,
    struct err *err)
{
	size_t total = 0, have = 0;

	for (;;) {
		ssize_t k = pread(fd, f->buf + have, f->bufcap - have,
		    (off_t)(w->off + have));
		size_t used;

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, errno, "cannot read '%s'", w->path);
		}
		have += (size_t)k;
		if (!final && k > 0 && fp_check(w) == -1)
			return 1;
		if (k == 0) {
			if (final && have > 0) {
				if (lines(f, w, f->buf, have, 1, &used, err) ==
				    -1)
					return -1;
				w->off += used;
			}
			return 0;
		}
		if (lines(f, w, f->buf, have, 0, &used, err) == -1)
			return -1;
		w->off += used;
		total += used;
		memmove(f->buf, f->buf + used, have - used);
		have -= used;
		if (used > 0)
			w->grew = clock_mono();
		if (!final && total >= limit)
			return 0;
	}
}

/* A whole rotated .gz file (fd) from the (uncompressed) offset w->off on. */
static int
read_gz(struct fl *f, struct fw *w, int fd, const char *path, struct err *err)
{
	int fd2 = dup(fd);
	gzFile gz = fd2 == -1 ? NULL : gzdopen(fd2, "rb");
	size_t have = 0, used;
	uint64_t skip = w->off;
	int k;

	if (gz == NULL) {
		if (fd2 != -1)
			close(fd2);
		return err_sys(
		    err, errno ? errno : EIO, "cannot open '%s'", path);
	}
	while (skip > 0) {
		unsigned want =
		    skip > f->bufcap ? (unsigned)f->bufcap : (unsigned)skip;

		k = gzread(gz, f->buf, want);
		if (k <= 0)
			break;
		skip -= (uint64_t)k;
	}
	for (;;) {
		k = gzread(gz, f->buf + have, (unsigned)(f->bufcap - have));
		if (k < 0) {
			gzclose(gz);
			return err_set(err, EIO, "cannot read '%s'", path);
		}
		if (k == 0)
			break;
		have += (size_t)k;
		if (lines(f, w, f->buf, have, 0, &used, err) == -1) {
			gzclose(gz);
			return -1;
		}
		w->off += used;
		memmove(f->buf, f->buf + used, have - used);
		have -= used;
	}
	if (have > 0 && lines(f, w, f->buf, have, 1, &used, err) == -1) {
		gzclose(gz);
		return -1;
	}
	gzclose(gz);
	return 0;
}

/* ---- fingerprints ---- */

static int
is_gz(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".gz") == 0;
}

/* The hash of the first n bytes of path (or of fd when fd != -1). */
static int
fp_of(const char *path, int fd, uint32_t n, uint64_t *h)
{
	char b[FP_MAX];
	ssize_t k;

	if (n == 0) {
		*h = fp_hash("", 0);
		return 0;
	}
	if (is_gz(path) && fd == -1) {
		gzFile gz = gzopen(path, "rb");

		if (gz == NULL)
			return -1;
		k = gzread(gz, b, n);
		gzclose(gz);
	} else {
		int own = fd == -1;

		if (own && (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return -1;
		k = pread(fd, b, n, 0);
		if (own)
			close(fd);
	}
	if (k != (ssize_t)n)
		return -1;
	*h = fp_hash(b, n);
	return 0;
}

/*
 * Still the same contents?  -1 when the file was truncated or its first
 * bytes changed (copytruncate, or rewritten); else extends the
 * fingerprint while it is shorter than FP_MAX.
 */
static int
fp_check(struct fw *w)
{
	char b[FP_MAX];
	struct stat st;
	ssize_t k;

	if (fstat(w->fd, &st) == -1 || (uint64_t)st.st_size < w->off)
		return -1;
	k = pread(w->fd, b, FP_MAX, 0);
	if (k < 0 || (size_t)k < w->fplen)
		return -1;
	if (fp_hash(b, w->fplen) != w->fphash)
		return -1;
	if ((size_t)k > w->fplen) {
		w->fplen = (uint32_t)k;
		w->fphash = fp_hash(b, (size_t)k);
	}
	return 0;
}

/* ---- rotated siblings ---- */

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
		if (snprintf(p, sizeof(p), "%s/%s", w->dir, de->d_name) >=
		    (int)sizeof(p))
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
	qsort(c, n, sizeof(*c), cand_cmp);
	return n;
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
	if (fp_check(w) == -1) {
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
	w->off = 0;
	w->fplen = 0;
	w->fphash = fp_hash("", 0);
	w->skipping = 0;
	w->lineno = 0;
	logs_w3c_init(&w->w3c);
}

/* Sets w's fingerprint from the first bytes of the open fd. */
static void
fp_take(struct fw *w, int fd)
{
	char b[FP_MAX];
	ssize_t k = pread(fd, b, FP_MAX, 0);

	if (k < 0)
		k = 0;
	w->fplen = (uint32_t)k;
	w->fphash = fp_hash(b, (size_t)k);
}

static int
newer_or_same(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	    (a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	        a->st_mtim.tv_nsec >= b->st_mtim.tv_nsec);
}

/*
 * Finds the file that w's bookmark (dev, ino, off, fingerprint) names
 * among the path and its rotated siblings; reads it from off and every
 * newer rotated file in full, then opens the live path at its start.  If
 * the bookmarked file is the live one, just opens it at off.  A rotation
 * while this runs (names shift, the live file renamed or truncated) is
 * noticed by identity and the search starts again from where it got to.
 * use_time: the bookmark was loaded with nothing known of its file
 * (empty when committed): rotated files written after that commit are
 * read from their start.
 */
static int
resolve(struct fl *f, struct fw *w, int quiet, int use_time, struct err *err)
{
	struct cand *c;

	c = calloc(256, sizeof(*c));
	if (c == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (int attempt = 0; attempt < 16; attempt++) {
		size_t n = candidates(w, c, 256), i;
		ssize_t m = -1, live = -1;
		uint32_t elen = 0;
		uint64_t ehash = fp_hash("", 0);
		int retry = 0, by_time = 0;

		for (i = 0; i < n; i++)
			if (c[i].live)
				live = (ssize_t)i;
		if (live >= 0) {
			char p[PATH_MAX];
			char b[FP_MAX];
			int fd;
			ssize_t k = 0;

			snprintf(p, sizeof(p), "%s/%s", w->dir, c[live].name);
			if ((fd = open(p, O_RDONLY | O_CLOEXEC)) != -1) {
				struct stat st;

				if (fstat(fd, &st) == 0 &&
				    st.st_ino == c[live].st.st_ino &&
				    st.st_dev == c[live].st.st_dev)
					k = pread(fd, b, FP_MAX, 0);
				close(fd);
			}
			if (k < 0)
				k = 0;
			elen = (uint32_t)k;
			ehash = fp_hash(b, (size_t)k);
		}
		if (use_time && attempt == 0 && w->fplen == 0 && w->off == 0 &&
		    f->saved_ns > 0)
			for (i = 0; i < n && m < 0; i++)
				if (!c[i].live &&
				    (int64_t)c[i].st.st_mtim.tv_sec *
				                1000000000 +
				            c[i].st.st_mtim.tv_nsec >
				        f->saved_ns) {
					m = (ssize_t)i;
					by_time = 1;
				}
		for (i = 0; i < n && m < 0; i++) {
			uint64_t h;
			char p[PATH_MAX];

			if (c[i].st.st_dev != w->dev ||
			    c[i].st.st_ino != w->ino || is_gz(c[i].name) ||
			    (uint64_t)c[i].st.st_size < w->off)
				continue;
			snprintf(p, sizeof(p), "%s/%s", w->dir, c[i].name);
			if (fp_of(p, -1, w->fplen, &h) == 0 && h == w->fphash)
				m = (ssize_t)i;
		}
		/* A copy (copytruncate): same first bytes, newest first. */
		for (i = n; w->fplen > 0 && i-- > 0 && m < 0;) {
			char p[PATH_MAX];
			uint64_t h;

			if (!is_gz(c[i].name) &&
			    (uint64_t)c[i].st.st_size < w->off)
				continue;
			snprintf(p, sizeof(p), "%s/%s", w->dir, c[i].name);
			if (fp_of(p, -1, w->fplen, &h) == 0 && h == w->fphash)
				m = (ssize_t)i;
		}
		log_debug("resolve '%s': bookmark ino %llu off %llu fplen %u: "
		          "%s",
		    w->path, (unsigned long long)w->ino,
		    (unsigned long long)w->off, w->fplen,
		    m >= 0 ? c[m].name : "(none)");
		if (m >= 0 && c[m].live) {
			dev_t bd = w->dev;
			ino_t bi = w->ino;

			if (open_live(w) == 0) {
				if (w->ino == c[m].st.st_ino &&
				    w->dev == c[m].st.st_dev) {
					free(c);
					return 0;
				}
				/* Replaced since the listing: look again. */
				close(w->fd);
				w->fd = -1;
				w->dev = bd;
				w->ino = bi;
				continue;
			}
			w->dev = bd;
			w->ino = bi;
			if (errno == EAGAIN)
				continue; /* truncated since: find the copy */
			free(c);
			return 0; /* gone: step() opens it when it appears */
		}
		if (m < 0 && !quiet && (w->off > 0 || w->fplen > 0))
			log_warnx("'%s': the bookmarked file was not found "
			          "(rotated away?); reading from the start",
			    w->path);
		for (i = m < 0 ? n : (size_t)m; i < n && !c[i].live; i++) {
			char p[PATH_MAX];
			struct stat st;
			int fd;

			/* A newer rotated file was written after ours. */
			if (i != (size_t)m &&
			    !newer_or_same(&c[i].st, &c[m].st))
				continue;
			snprintf(p, sizeof(p), "%s/%s", w->dir, c[i].name);
			fd = open(p, O_RDONLY | O_CLOEXEC);
			if (fd == -1 || fstat(fd, &st) == -1 ||
			    st.st_ino != c[i].st.st_ino ||
			    st.st_dev != c[i].st.st_dev) {
				/* Names shifted under us: start again from
				 * where the bookmark got to. */
				if (fd != -1)
					close(fd);
				retry = 1;
				break;
			}
			log_debug("read '%s' from %llu", p,
			    i == (size_t)m ? (unsigned long long)w->off : 0ULL);
			if (i != (size_t)m || by_time) {
				reset_file(w);
				w->dev = st.st_dev;
				w->ino = st.st_ino;
				if (!is_gz(p))
					fp_take(w, fd);
			}
			if (is_gz(p)) {
				int rc = read_gz(f, w, fd, p, err);

				close(fd);
				if (rc == -1)
					goto fail;
			} else {
				int rc = read_fd(f, w, fd, 1, 0, err);

				close(fd);
				if (rc == -1)
					goto fail;
			}
		}
		if (retry)
			continue;
		reset_file(w);
		if (open_live(w) == -1) {
			w->dev = 0;
			w->ino = 0;
			free(c);
			return 0;
		}
		if (live >= 0) {
			uint64_t h;

			/*
			 * The live file of the listing must be the one opened,
			 * with the same first bytes: else it was renamed or
			 * copytruncated meanwhile and is read from its start
			 * (or its copy) first.
			 */
			if (w->ino != c[live].st.st_ino ||
			    w->dev != c[live].st.st_dev ||
			    fp_of(w->path, w->fd, elen, &h) == -1 ||
			    h != ehash) {
				close(w->fd);
				w->fd = -1;
				reset_file(w);
				w->dev = c[live].st.st_dev;
				w->ino = c[live].st.st_ino;
				w->fplen = elen;
				w->fphash = ehash;
				continue;
			}
		}
		free(c);
		return 0;
	}
	free(c);
	return err_set(
	    err, EAGAIN, "'%s': rotating too fast to follow", w->path);
fail:
	free(c);
	return -1;
}

/* ---- bookmarks ---- */

static int
bm_save(struct fl *f, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1024 * 1024);
	int rc;

	if (f->sink != -1 && sink_flush(f, err) == -1)
		return -1;
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		f->saved_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	}
	strbuf_printf(&sb, "sakimori-follow 1\nsink %llu\ntime %lld\n",
	    (unsigned long long)f->sink_len, (long long)f->saved_ns);
	for (size_t i = 0; i < f->nfw; i++) {
		const struct fw *w = &f->fw[i];

		strbuf_printf(&sb, "file %s %llu %llu %llu %u %llu %d %llu\n",
		    w->key, (unsigned long long)w->dev,
		    (unsigned long long)w->ino, (unsigned long long)w->off,
		    w->fplen, (unsigned long long)w->fphash, w->skipping,
		    (unsigned long long)w->lineno);
	}
	rc = file_write_atomic(f->bmpath, sb.p, sb.len, 0600, err);
	strbuf_release(&sb);
	if (rc == 0)
		f->dirty = 0;
	return rc;
}

/* 1 loaded, 0 none, -1 error. */
static int
bm_load(struct fl *f, uint64_t *sink_len, int *have, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1024 * 1024);
	const char *p, *end, *ls, *le;
	struct err e2 = {0};
	int rc = 1;

	if (file_read(f->bmpath, 1024 * 1024, &sb, NULL, &e2) == -1) {
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
		    err, EINVAL, "'%s': not a bookmark file", f->bmpath);
	}
	while (cur_line(&p, end, &ls, &le) == 0) {
		const char *q = ls;
		uint64_t v[8];

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
		if (cur_lit(&q, le, "file ") == -1 || le - q < 17) {
			rc = -1;
			continue;
		}
		for (size_t i = 0; i < f->nfw; i++) {
			struct fw *w = &f->fw[i];

			if (memcmp(q, w->key, 16) != 0)
				continue;
			const char *r = q + 16;
			int ok = 1;

			for (int k = 0; k < 7 && ok; k++)
				ok = cur_char(&r, le, ' ') == 0 &&
				    cur_u64(&r, le, &v[k]) == 0;
			if (!ok) {
				rc = -1;
				break;
			}
			w->dev = (dev_t)v[0];
			w->ino = (ino_t)v[1];
			w->off = v[2];
			w->fplen = (uint32_t)(v[3] > FP_MAX ? FP_MAX : v[3]);
			w->fphash = v[4];
			w->skipping = v[5] != 0;
			w->lineno = v[6];
			have[i] = 1;
		}
	}
	strbuf_release(&sb);
	if (rc == -1)
		return err_set(
		    err, EINVAL, "'%s': damaged bookmark file", f->bmpath);
	return 1;
}

/* ---- one look at a path ---- */

static int
step(struct fl *f, struct fw *w, struct err *err)
{
	struct stat st;

	if (w->fd == -1) {
		/* Appeared (or came back) since: read it from the start. */
		reset_file(w);
		if (open_live(w) == -1) {
			if (errno == EISDIR && !w->warned_dir) {
				log_warnx("'%s' is not a regular file; waiting",
				    w->path);
				w->warned_dir = 1;
			}
			return 0;
		}
		w->warned_dir = 0;
	}
	if (fp_check(w) == -1) {
		/* Truncated or rewritten in place: find the copy. */
		close(w->fd);
		w->fd = -1;
		if (resolve(f, w, 1, 0, err) == -1)
			return -1;
		if (w->fd == -1)
			return 0;
	}
	switch (read_fd(f, w, w->fd, 0, 16 * CHUNK, err)) {
	case -1:
		return -1;
	case 1:
		close(w->fd);
		w->fd = -1;
		return resolve(f, w, 1, 0, err);
	default:
		break;
	}
	/* Renamed or deleted, and a new file in its place? */
	if (stat(w->path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_dev != w->dev || st.st_ino != w->ino)) {
		if (st.st_size == 0 && clock_mono() - w->grew < SWITCH_IDLE)
			return 0; /* the writer may not have reopened yet */
		if (fp_check(w) == -1) {
			close(w->fd);
			w->fd = -1;
			return resolve(f, w, 1, 0, err);
		}
		if (read_fd(f, w, w->fd, 1, 0, err) == -1)
			return -1;
		close(w->fd);
		w->fd = -1;
		if (resolve(f, w, 1, 0, err) == -1)
			return -1;
		if (w->fd != -1 &&
		    read_fd(f, w, w->fd, 0, 16 * CHUNK, err) == -1)
			return -1;
	}
	return 0;
}

static void
path_key(const char *path, char key[17])
{
	snprintf(key, 17, "%016llx",
	    (unsigned long long)fp_hash(path, strlen(path)));
}

static int
setup(struct fl *f, const char *const *paths, size_t n, struct err *err)
{
	char dir[PATH_MAX], name[64];

	f->fw = calloc(n, sizeof(*f->fw));
	if (f->fw == NULL)
		return err_set(err, ENOMEM, "out of memory");
	f->nfw = n;
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
			    snprintf(abs, sizeof(abs), "%s/%s", cwd,
			        paths[i]) >= (int)sizeof(abs))
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
		snprintf(name, sizeof(name), "%016llx",
		    (unsigned long long)fp_hash(all.p, all.len));
		strbuf_release(&all);
	}
	if (snprintf(dir, sizeof(dir), "%s/logs", f->o->state_dir) >=
	        (int)sizeof(dir) ||
	    snprintf(f->bmpath, sizeof(f->bmpath), "%s/follow-%s.bm", dir,
	        name) >= (int)sizeof(f->bmpath))
		return err_set(err, ENAMETOOLONG, "state directory too long");
	if (dir_make(dir, 0700, err) == -1)
		return -1;
	f->bufcap = CHUNK + f->o->max_line + 1;
	f->buf = malloc(f->bufcap);
	if (f->buf == NULL)
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

static int
start(struct fl *f, struct err *err)
{
	uint64_t sink_len = 0;
	int *have = calloc(f->nfw, sizeof(int));
	int loaded;

	if (have == NULL)
		return err_set(err, ENOMEM, "out of memory");
	loaded = bm_load(f, &sink_len, have, err);
	if (loaded == -1) {
		free(have);
		return -1;
	}
	if (f->o->lines_to != NULL) {
		struct stat st;

		f->sink = open(f->o->lines_to,
		    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (f->sink == -1 || fstat(f->sink, &st) == -1) {
			free(have);
			return err_sys(
			    err, errno, "cannot open '%s'", f->o->lines_to);
		}
		if (loaded == 1) {
			/* Roll back what was written after the last commit. */
			if ((uint64_t)st.st_size > sink_len &&
			    ftruncate(f->sink, (off_t)sink_len) == -1) {
				free(have);
				return err_sys(err, errno,
				    "cannot truncate '%s'", f->o->lines_to);
			}
			f->sink_len = sink_len < (uint64_t)st.st_size
			    ? sink_len
			    : (uint64_t)st.st_size;
		} else {
			f->sink_len = (uint64_t)st.st_size;
		}
	}
	for (size_t i = 0; i < f->nfw; i++) {
		struct fw *w = &f->fw[i];

		if (have[i]) {
			if (resolve(f, w, 0, 1, err) == -1) {
				free(have);
				return -1;
			}
			if (w->fd != -1 && w->fplen == 0 && w->off == 0)
				w->fphash = fp_hash("", 0);
			continue;
		}
		if (open_live(w) == 0 && !f->o->from_start) {
			struct stat st;

			/* Like tail -F: from the end; a new file: all. */
			if (fstat(w->fd, &st) == 0)
				w->off = (uint64_t)st.st_size;
			fp_check(w);
		}
	}
	free(have);
	/* Commit at once, so a restart knows where it began. */
	return bm_save(f, err);
}

int
logs_follow(const struct follow_opts *o, const char *const *paths,
    size_t npaths, struct logs_feed *feed, struct err *err)
{
	struct fl f;
	struct sigaction sa;
	int ino = -1, rc = -1;
	double idle_since = clock_mono();

	memset(&f, 0, sizeof(f));
	f.o = o;
	f.feed = feed;
	f.sink = -1;
	strbuf_init(&f.sinkbuf, SINK_FLUSH + o->max_line + CHUNK + 16);
	stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (setup(&f, paths, npaths, err) == -1 || start(&f, err) == -1)
		goto out;
	ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ino == -1) {
		err_sys(err, errno, "inotify");
		goto out;
	}
	for (size_t i = 0; i < f.nfw; i++)
		if (inotify_add_watch(ino, f.fw[i].dir,
		        IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
		            IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB) == -1)
			log_warnx("cannot watch '%s': %s; polling", f.fw[i].dir,
			    strerror(errno));
	while (!stop) {
		struct pollfd pfd = {ino, POLLIN, 0};
		char evbuf[8192];

		f.newlines = 0;
		for (size_t i = 0; i < f.nfw && !stop; i++)
			if (step(&f, &f.fw[i], err) == -1)
				goto out;
		if (f.dirty && bm_save(&f, err) == -1)
			goto out;
		print_new_findings(&f);
		if (f.newlines > 0) {
			idle_since = clock_mono();
			continue; /* more may be waiting: look again */
		}
		if (o->exit_idle > 0 &&
		    clock_mono() - idle_since >= o->exit_idle)
			break;
		if (poll(&pfd, 1, (int)(o->poll * 1000)) > 0)
			while (read(ino, evbuf, sizeof(evbuf)) > 0)
				;
	}
	rc = 0;
out:
	if (rc == 0 && f.dirty)
		rc = bm_save(&f, err);
	if (ino != -1)
		close(ino);
	for (size_t i = 0; i < f.nfw; i++)
		if (f.fw[i].fd != -1)
			close(f.fw[i].fd);
	if (f.sink != -1)
		close(f.sink);
	strbuf_release(&f.sinkbuf);
	free(f.fw);
	free(f.buf);
	return rc;
}
