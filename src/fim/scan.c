/*
 * scan.c - the parallel walk and digest behind "fim init" and "fim check".
 *
 * A pool of worker threads shares one stack of jobs: a directory to read
 * or a regular file to digest.  Reading a directory lstat()s each name
 * (fstatat, never following links), records it, and pushes the
 * subdirectories and regular files as new jobs, so a big directory
 * spreads over every worker.  Special files are never opened.  Files and
 * directories are opened with O_NOATIME where the kernel permits (owner
 * or CAP_FOWNER), so a scan leaves the access times it records alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/err.h"
#include "base/hex.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "fim/fim.h"

#define READ_CHUNK (1024 * 1024) /* large sequential reads */
#define MAX_RESCANS 3
#define XATTR_LIST_MAX_ 65536
#define XATTR_VAL_MAX 4096 /* longer values are recorded by length only */
#define CAPS_NAME "security.capability"

struct job {
	struct fim_entry *e; /* the entry (owned by the scan's list) */
	int is_dir;
};

struct scan {
	const struct fim_scan_opts *o;
	const EVP_MD *md;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *stack;
	size_t nstack, capstack;
	size_t pending; /* jobs pushed and not yet finished */
	struct fim_entry **ents;
	size_t nents, capents;
	int failed; /* out of memory: stop */
	atomic_uint_fast64_t files, bytes, unreadable, unstable, rescans;
	atomic_int done;
};

const char *
fim_hash_name(enum fim_hash h)
{
	return h == FIM_SHA512 ? "sha512" : "sha256";
}

int
fim_hash_parse(const char *s, enum fim_hash *out)
{
	if (strcmp(s, "sha256") == 0)
		*out = FIM_SHA256;
	else if (strcmp(s, "sha512") == 0)
		*out = FIM_SHA512;
	else
		return -1;
	return 0;
}

size_t
fim_hash_len(enum fim_hash h)
{
	return h == FIM_SHA512 ? 64 : 32;
}

static int
excluded(const struct fim_scan_opts *o, const char *path)
{
	for (size_t i = 0; i < o->nexcludes; i++) {
		const char *x = o->excludes[i];

		if (strpbrk(x, "*?[") != NULL) {
			if (fnmatch(x, path, 0) == 0)
				return 1;
		} else if (fim_path_under(path, x)) {
			return 1;
		}
	}
	return 0;
}

/* Pushes a job; the caller holds the lock.  0 or -1 (ENOMEM). */
static int
push_locked(struct scan *s, struct fim_entry *e, int is_dir)
{
	if (mem_grow(&s->stack, &s->capstack, s->nstack + 1,
	        sizeof(*s->stack)) == -1)
		return -1;
	s->stack[s->nstack].e = e;
	s->stack[s->nstack].is_dir = is_dir;
	s->nstack++;
	s->pending++;
	return 0;
}

static int
keep_locked(struct scan *s, struct fim_entry *e)
{
	if (mem_grow(&s->ents, &s->capents, s->nents + 1, sizeof(*s->ents)) ==
	    -1)
		return -1;
	s->ents[s->nents++] = e;
	return 0;
}

static void
stat_to_entry(struct fim_entry *e, const struct stat *st)
{
	e->mode = st->st_mode;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->size = (uint64_t)st->st_size;
	e->ino = (uint64_t)st->st_ino;
	e->nlink = (uint64_t)st->st_nlink;
	e->dev = (uint64_t)st->st_dev;
	e->mtime =
	    (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	e->ctime =
	    (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	e->atime =
	    (int64_t)st->st_atim.tv_sec * 1000000000 + st->st_atim.tv_nsec;
}

static void
hex_append(struct strbuf *sb, const unsigned char *p, size_t n)
{
	char buf[2 * 64 + 1];

	for (size_t i = 0; i < n; i += 64) {
		size_t k = n - i < 64 ? n - i : 64;

		hex_encode(buf, p + i, k);
		strbuf_add(sb, buf, 2 * k);
	}
}

/*
 * Reads the extended attributes by fd (regular files and directories) or
 * by path without following links (others: never opened).
 */
static void
read_xattrs(struct fim_entry *e, int fd)
{
	char small[512], *names = small, *val = NULL;
	ssize_t nl, vl;
	struct strbuf other = STRBUF_INIT(256 * 1024);

	/* Most files have no attributes, or a few short names: asked into
	 * a small buffer first, so that nothing is allocated for them. */
	nl = fd >= 0 ? flistxattr(fd, small, sizeof(small))
	             : llistxattr(e->path, small, sizeof(small));
	if (nl == 0 || (nl == -1 && errno != ERANGE))
		return;
	if (nl == -1) {
		if ((names = malloc(XATTR_LIST_MAX_)) == NULL)
			return;
		nl = fd >= 0 ? flistxattr(fd, names, XATTR_LIST_MAX_)
		             : llistxattr(e->path, names, XATTR_LIST_MAX_);
		if (nl <= 0)
			goto out;
	}
	if ((val = malloc(XATTR_VAL_MAX)) == NULL)
		goto out;
	/* The kernel lists names in storage order; that is stable enough
	 * for one file, and the diff compares the whole text. */
	for (char *n = names; n < names + nl; n += strlen(n) + 1) {
		vl = fd >= 0 ? fgetxattr(fd, n, val, XATTR_VAL_MAX)
		             : lgetxattr(e->path, n, val, XATTR_VAL_MAX);
		if (strcmp(n, CAPS_NAME) == 0) {
			struct strbuf c = STRBUF_INIT(2 * XATTR_VAL_MAX + 1);

			if (vl > 0)
				hex_append(
				    &c, (unsigned char *)val, (size_t)vl);
			else
				strbuf_adds(&c, "?");
			free(e->caps);
			e->caps = strbuf_detach(&c);
			continue;
		}
		if (other.len)
			strbuf_addc(&other, ',');
		for (const char *p = n; *p; p++) {
			/* Names are the file system's bytes: keep them
			 * unambiguous in the list. */
			if (*p == ',' || *p == '=' || *p == '%' ||
			    (unsigned char)*p <= ' ' || (unsigned char)*p > '~')
				strbuf_printf(
				    &other, "%%%02x", (unsigned char)*p);
			else
				strbuf_addc(&other, *p);
		}
		strbuf_addc(&other, '=');
		if (vl >= 0)
			hex_append(&other, (unsigned char *)val, (size_t)vl);
		else if (errno == ERANGE)
			strbuf_adds(&other, "(long)");
		else
			strbuf_adds(&other, "?");
	}
	if (other.len)
		e->xattrs = strbuf_detach(&other);
out:
	strbuf_release(&other);
	if (names != small)
		free(names);
	free(val);
}

static int
open_noatime(const char *path, int flags)
{
	int fd = open(path, flags | O_NOATIME | O_CLOEXEC | O_NOFOLLOW);

	/* O_NOATIME needs ownership or CAP_FOWNER. */
	if (fd == -1 && errno == EPERM)
		fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

/* Is st (fstat of the open file) what the walk's lstat recorded in e? */
static int
same_file(const struct fim_entry *e, const struct stat *st)
{
	return (uint64_t)st->st_ino == e->ino &&
	    (uint64_t)st->st_dev == e->dev &&
	    (uint64_t)st->st_size == e->size &&
	    (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec ==
	    e->mtime &&
	    (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec ==
	    e->ctime;
}

/*
 * Digests one regular file: read up to the size the walk's lstat gave,
 * then fstat, which says whether this is still that file and whether it
 * held still (one system call per file fewer than a fstat before and
 * after: on 137,000 files that is a third of a second).  A file replaced
 * meanwhile, or changed while read, is read again.  The open is
 * non-blocking, so that a special file swapped in between lstat and open
 * is at most read up to that size, never waited on.
 */
static void
hash_file(
    struct scan *s, struct fim_entry *e, EVP_MD_CTX *ctx, unsigned char *buf)
{
	struct stat after;
	int fd, tries;

	fd = open_noatime(e->path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd == -1) {
		e->flags |= FIM_F_UNREADABLE;
		e->err = errno;
		atomic_fetch_add(&s->unreadable, 1);
		return;
	}
	if (e->size > READ_CHUNK)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (tries = 0; tries < MAX_RESCANS; tries++) {
		uint64_t total = 0;
		ssize_t r;
		unsigned int len = 0;
		int rerr = 0;

		if (tries > 0) {
			atomic_fetch_add(&s->rescans, 1);
			if (lseek(fd, 0, SEEK_SET) == -1)
				break;
		}
		EVP_DigestInit_ex2(ctx, s->md, NULL);
		for (;;) {
			/* Stop at the recorded size: the fstat says whether
			 * more was written meanwhile (and it saves the read
			 * that would return 0 on each of many small files). */
			if (total > 0 && total >= e->size)
				break;
			r = read(fd, buf, READ_CHUNK);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1) {
				rerr = errno;
				break;
			}
			if (r == 0)
				break;
			if (total == 0 && r >= 2 &&
			    ((r >= 4 && memcmp(buf, "\177ELF", 4) == 0) ||
			        memcmp(buf, "MZ", 2) == 0 ||
			        memcmp(buf, "#!", 2) == 0))
				e->flags |= FIM_F_EXEC;
			EVP_DigestUpdate(ctx, buf, (size_t)r);
			total += (uint64_t)r;
			/* Counted as read, so progress moves on a big file. */
			atomic_fetch_add(&s->bytes, (uint64_t)r);
		}
		if (rerr) {
			e->flags |= FIM_F_UNREADABLE;
			e->err = rerr;
			atomic_fetch_add(&s->unreadable, 1);
			break;
		}
		if (fstat(fd, &after) == -1)
			break;
		if (!S_ISREG(after.st_mode)) {
			/* Replaced by something else between lstat and open:
			 * recorded as it was, marked unstable. */
			e->flags |= FIM_F_UNSTABLE;
			break;
		}
		EVP_DigestFinal_ex(ctx, e->hash, &len);
		if (same_file(e, &after) && total == (uint64_t)after.st_size) {
			stat_to_entry(e, &after);
			e->flags |= FIM_F_HASHED;
			e->flags &= ~FIM_F_UNSTABLE;
			break;
		}
		/* Replaced, or changed while we read: record what it is now
		 * and read it again. */
		stat_to_entry(e, &after);
		e->flags |= FIM_F_UNSTABLE;
	}
	if (e->flags & FIM_F_UNSTABLE)
		atomic_fetch_add(&s->unstable, 1);
	read_xattrs(e, fd);
	close(fd);
}

static struct fim_entry *
entry_new(const char *dir, const char *name)
{
	struct fim_entry *e = calloc(1, sizeof(*e));
	size_t dl = strlen(dir), nl = strlen(name);

	if (e == NULL)
		return NULL;
	e->path = malloc(dl + nl + 2);
	if (e->path == NULL) {
		free(e);
		return NULL;
	}
	memcpy(e->path, dir, dl);
	if (dl == 0 || dir[dl - 1] != '/')
		e->path[dl++] = '/';
	memcpy(e->path + dl, name, nl + 1);
	return e;
}

static void
entry_free(struct fim_entry *e)
{
	if (e == NULL)
		return;
	free(e->path);
	free(e->target);
	free(e->caps);
	free(e->xattrs);
	free(e->pkg);
	free(e);
}

/* Records the link target of a symbolic link (never followed). */
/*
 * A symbolic link's target: from the baseline being checked when it
 * recorded this very link (same inode, size, mtime and ctime: replacing
 * or re-creating a link changes them), else read.  Reading sets the
 * link's access time, whatever the open flags; taking it from the
 * baseline keeps a check from touching the links it checks.  After a
 * read, st's access time is the one the read left.
 */
static void
read_target(struct scan *s, struct fim_entry *e, struct stat *st, int dirfd,
    const char *name)
{
	struct stat now;
	const struct fim_entry *old =
	    s->o->prev ? fim_baseline_find(s->o->prev, e->path) : NULL;
	char buf[4096];
	ssize_t n;

	if (old != NULL && S_ISLNK(old->mode) && old->target != NULL &&
	    old->ino == (uint64_t)st->st_ino &&
	    old->size == (uint64_t)st->st_size &&
	    old->mtime ==
	        (int64_t)st->st_mtim.tv_sec * 1000000000 +
	            st->st_mtim.tv_nsec &&
	    old->ctime ==
	        (int64_t)st->st_ctim.tv_sec * 1000000000 +
	            st->st_ctim.tv_nsec) {
		e->target = strdup(old->target);
		return;
	}
	n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	e->target = strdup(buf);
	/* the access time as our own read left it, so that a later check
	 * with --atime does not report that read */
	if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    now.st_ino == st->st_ino && S_ISLNK(now.st_mode))
		st->st_atim = now.st_atim;
}

/*
 * Fills e from st and queues what needs more work.  Called with the lock
 * held.  Returns -1 on ENOMEM.
 */
static int
classify_locked(struct scan *s, struct fim_entry *e, const struct stat *st,
    uint64_t rootdev)
{
	stat_to_entry(e, st);
	if (keep_locked(s, e) == -1)
		return -1;
	atomic_fetch_add(&s->files, 1);
	if (S_ISREG(st->st_mode))
		return push_locked(s, e, 0);
	if (S_ISDIR(st->st_mode) &&
	    (s->o->cross_mounts || (uint64_t)st->st_dev == rootdev))
		return push_locked(s, e, 1);
	return 0;
}

static void
read_dir(struct scan *s, struct fim_entry *de)
{
	struct fim_entry **batch = NULL;
	struct stat *sts = NULL;
	size_t nb = 0, capb = 0, capsts = 0;
	struct dirent *d;
	DIR *dir;
	int fd;

	fd = open_noatime(de->path, O_RDONLY | O_DIRECTORY);
	if (fd == -1) {
		de->flags |= FIM_F_UNREADABLE;
		de->err = errno;
		atomic_fetch_add(&s->unreadable, 1);
		return;
	}
	read_xattrs(de, fd);
	dir = fdopendir(fd);
	if (dir == NULL) {
		close(fd);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		struct fim_entry *e;
		struct stat st;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		e = entry_new(de->path, d->d_name);
		if (e == NULL)
			break;
		if (excluded(s->o, e->path) ||
		    fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			/* Gone since readdir, or excluded. */
			entry_free(e);
			continue;
		}
		if (S_ISLNK(st.st_mode))
			read_target(s, e, &st, fd, d->d_name);
		else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			read_xattrs(e, -1); /* special: by path, never opened */
		if (mem_grow(&batch, &capb, nb + 1, sizeof(*batch)) == -1 ||
		    mem_grow(&sts, &capsts, nb + 1, sizeof(*sts)) == -1) {
			entry_free(e);
			break;
		}
		batch[nb] = e;
		sts[nb] = st;
		nb++;
	}
	closedir(dir);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < nb; i++) {
		if (s->failed ||
		    classify_locked(s, batch[i], &sts[i], de->dev) == -1) {
			s->failed = 1;
			if (s->nents == 0 || s->ents[s->nents - 1] != batch[i])
				entry_free(batch[i]);
		}
	}
	if (nb)
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	free(batch);
	free(sts);
}

static void *
worker(void *arg)
{
	struct scan *s = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = malloc(READ_CHUNK);

	pthread_mutex_lock(&s->mu);
	if (ctx == NULL || buf == NULL)
		s->failed = 1;
	for (;;) {
		struct job j;

		while (s->nstack == 0 && s->pending > 0)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->nstack == 0)
			break;
		j = s->stack[--s->nstack];
		pthread_mutex_unlock(&s->mu);
		if (!s->failed) {
			if (j.is_dir)
				read_dir(s, j.e);
			else
				hash_file(s, j.e, ctx, buf);
		}
		pthread_mutex_lock(&s->mu);
		if (--s->pending == 0)
			pthread_cond_broadcast(&s->cv);
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	EVP_MD_CTX_free(ctx);
	free(buf);
	return NULL;
}

static char **
strv_dup(const char *const *v, size_t n)
{
	char **out = calloc(n ? n : 1, sizeof(*out));

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((out[i] = strdup(v[i])) == NULL)
			return out; /* the caller frees what is there */
	return out;
}

/* Adds the roots themselves (lstat) and queues them. */
static int
add_roots(struct scan *s, struct err *err)
{
	for (size_t i = 0; i < s->o->nroots; i++) {
		const char *r = s->o->roots[i];
		struct fim_entry *e;
		struct stat st;
		size_t l = strlen(r);

		if (r[0] != '/')
			return err_set(
			    err, EINVAL, "path '%s' is not absolute", r);
		if (lstat(r, &st) == -1) {
			if (errno == ENOENT)
				continue; /* not on this system: nothing there */
			return err_sys(err, errno, "cannot read '%s'", r);
		}
		e = calloc(1, sizeof(*e));
		if (e == NULL || (e->path = strdup(r)) == NULL) {
			free(e);
			return err_sys(err, ENOMEM, "scan");
		}
		while (l > 1 && e->path[l - 1] == '/')
			e->path[--l] = '\0';
		if (S_ISLNK(st.st_mode))
			read_target(s, e, &st, AT_FDCWD, r);
		else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			read_xattrs(e, -1);
		if (classify_locked(s, e, &st, (uint64_t)st.st_dev) == -1) {
			entry_free(e);
			return err_sys(err, ENOMEM, "scan");
		}
	}
	return 0;
}

int
fim_scan(const struct fim_scan_opts *o, struct fim_baseline *out,
    struct fim_scan_stats *st, struct err *err)
{
	struct scan s;
	pthread_t *th;
	unsigned nw = o->workers;
	double t0 = clock_mono();
	int rc = 0;
	size_t nstarted = 0;

	if (nw == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		nw = n > 0 ? (unsigned)n : 1;
	}
	if (nw > 256)
		nw = 256;
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.md = o->hash == FIM_SHA512 ? EVP_sha512() : EVP_sha256();
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	out->hash = o->hash;
	out->created = time(NULL);
	gethostname(out->host, sizeof(out->host) - 1);
	out->roots = strv_dup(o->roots, o->nroots);
	out->nroots = o->nroots;
	out->excludes = strv_dup(o->excludes, o->nexcludes);
	out->nexcludes = o->nexcludes;
	if (out->roots == NULL || out->excludes == NULL) {
		rc = err_sys(err, ENOMEM, "scan");
		goto done;
	}
	if (add_roots(&s, err) == -1) {
		rc = -1;
		goto done;
	}
	th = calloc(nw, sizeof(*th));
	if (th == NULL) {
		rc = err_sys(err, ENOMEM, "scan");
		goto done;
	}
	for (; nstarted < nw; nstarted++)
		if (pthread_create(&th[nstarted], NULL, worker, &s) != 0)
			break;
	if (nstarted == 0) {
		free(th);
		rc = err_sys(err, EAGAIN, "cannot start a scanning thread");
		goto done;
	}
	if (o->progress) {
		pthread_mutex_lock(&s.mu);
		while (s.pending > 0) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&s.cv, &s.mu, &ts);
			pthread_mutex_unlock(&s.mu);
			o->progress(o->progress_arg, atomic_load(&s.files),
			    atomic_load(&s.bytes), 0);
			pthread_mutex_lock(&s.mu);
		}
		pthread_mutex_unlock(&s.mu);
		o->progress(o->progress_arg, atomic_load(&s.files),
		    atomic_load(&s.bytes), 1);
	}
	for (size_t i = 0; i < nstarted; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (s.failed) {
		rc = err_sys(err, ENOMEM, "scan");
		goto done;
	}
	/* Move the entries into the baseline's array. */
	out->e = calloc(s.nents ? s.nents : 1, sizeof(*out->e));
	if (out->e == NULL) {
		rc = err_sys(err, ENOMEM, "scan");
		goto done;
	}
	for (size_t i = 0; i < s.nents; i++) {
		out->e[i] = *s.ents[i];
		free(s.ents[i]);
		s.ents[i] = NULL;
	}
	out->n = out->cap = s.nents;
	s.nents = 0;
	rc = fim_baseline_sort(out, err);
done:
	for (size_t i = 0; i < s.nents; i++)
		entry_free(s.ents[i]);
	free(s.ents);
	free(s.stack);
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.cv);
	if (st) {
		st->files = atomic_load(&s.files);
		st->bytes_hashed = atomic_load(&s.bytes);
		st->unreadable = atomic_load(&s.unreadable);
		st->unstable = atomic_load(&s.unstable);
		st->rescans = atomic_load(&s.rescans);
		st->secs = clock_mono() - t0;
	}
	return rc;
}
