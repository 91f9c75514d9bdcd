/*
 * watch.c - recursive inotify on the web roots: new executables and
 * changed pages as findings (see watch.h for what counts as which).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "fim/watch.h"

#define WATCH_MASK                                                             \
	(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |            \
	    IN_ATTRIB | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
#define PENDING_MAX 1024 /* new files waiting to be written through */
#define NOTES_MAX 16     /* UNKNOWN findings waiting for the next step */
#define DEPTH_MAX 64

#define CHECK_EXEC "web-new-executable"
#define CHECK_PAGE "web-page-changed"

enum seen { SEEN_NEW, SEEN_MOVED, SEEN_WRITTEN, SEEN_ATTRIB };

struct pending {
	char *path;
	double due;
};

struct note {
	char subject[256];
	char message[512];
};

struct watch {
	int ino;
	size_t max;
	struct hmap dirs; /* wd -> its path (malloc'd) */
	struct pending pend[PENDING_MAX];
	size_t npend;
	struct note notes[NOTES_MAX];
	size_t nnotes, lost_notes;
	int capped; /* the cap's notice was given */
};

/* Names the usual server setups hand to an interpreter. */
static const char *const script_ext[] = {".php", ".php3", ".php4", ".php5",
    ".php7", ".phtml", ".phar", ".cgi", ".pl", ".py", ".sh", ".asp", ".aspx",
    ".jsp"};
static const char *const page_ext[] = {".html", ".htm", ".shtml", ".xhtml"};

static int
ends_in(const char *name, const char *const *ext, size_t n)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < n; i++) {
		size_t e = strlen(ext[i]);

		if (len > e && strcasecmp(name + len - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

static void __attribute__((format(printf, 3, 4)))
note(struct watch *w, const char *subject, const char *fmt, ...)
{
	struct note *n;
	va_list ap;

	if (w->nnotes == NOTES_MAX) {
		w->lost_notes++;
		return;
	}
	n = &w->notes[w->nnotes++];
	snprintf(n->subject, sizeof(n->subject), "%s", subject);
	va_start(ap, fmt);
	vsnprintf(n->message, sizeof(n->message), fmt, ap);
	va_end(ap);
}

/* ---- new files waiting to be written through ---- */

static struct pending *
pending_find(struct watch *w, const char *path)
{
	for (size_t i = 0; i < w->npend; i++)
		if (strcmp(w->pend[i].path, path) == 0)
			return &w->pend[i];
	return NULL;
}

static void
pending_drop(struct watch *w, struct pending *p)
{
	free(p->path);
	*p = w->pend[--w->npend];
}

/* 0 queued (or already), -1 when the queue is full or memory ran out. */
static int
pending_add(struct watch *w, const char *path)
{
	struct pending *p = pending_find(w, path);

	if (p != NULL)
		return 0;
	if (w->npend == PENDING_MAX)
		return -1;
	p = &w->pend[w->npend];
	if ((p->path = strdup(path)) == NULL)
		return -1;
	p->due = clock_mono() + WATCH_SETTLE;
	w->npend++;
	return 0;
}

/* ---- findings ---- */

static void
evidence(struct finding *f, const char *path, const struct stat *st)
{
	struct passwd pw, *pwp = NULL;
	char buf[1024], when[64];

	time_iso(when, sizeof(when), st->st_mtim.tv_sec);
	finding_ev(f, "path", "%s", path);
	finding_ev(f, "size", "%lld", (long long)st->st_size);
	finding_ev(f, "mode", "%04o", (unsigned)(st->st_mode & 07777));
	if (getpwuid_r(st->st_uid, &pw, buf, sizeof(buf), &pwp) == 0 &&
	    pwp != NULL)
		finding_ev(f, "owner", "%s", pw.pw_name);
	else
		finding_ev(f, "owner", "%u", (unsigned)st->st_uid);
	finding_ev(f, "mtime", "%s", when);
}

/* Looks at path after what was seen of it; 1 if a finding was added. */
static size_t
look(const char *path, enum seen seen, struct report *r)
{
	const char *name = strrchr(path, '/');
	struct finding *f = NULL;
	struct stat st;
	int script, exec, page, fresh = seen == SEEN_NEW || seen == SEEN_MOVED;

	if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0; /* gone already, or not a file */
	name = name == NULL ? path : name + 1;
	script = ends_in(name, script_ext, countof(script_ext));
	exec = (st.st_mode & 0111) != 0 || script;
	page = script || ends_in(name, page_ext, countof(page_ext));
	if (seen == SEEN_ATTRIB) {
		if (!(st.st_mode & 0111))
			return 0;
		f = report_add(r, SEV_WARNING, CHECK_EXEC, path,
		    "file in a web root is executable (mode %04o) after a "
		    "change of its mode or owner",
		    (unsigned)(st.st_mode & 07777));
	} else if (fresh && exec) {
		f = report_add(r, SEV_CRITICAL, CHECK_EXEC, path,
		    "new %s in a web root (%s)",
		    script ? "script" : "executable file",
		    seen == SEEN_MOVED ? "moved in" : "created");
	} else if (page) {
		f = report_add(r, SEV_WARNING, CHECK_PAGE, path,
		    "%s in a web root", fresh ? "new page" : "page rewritten");
	} else if (exec) {
		f = report_add(r, SEV_WARNING, CHECK_EXEC, path,
		    "executable file in a web root rewritten");
	}
	if (f == NULL)
		return 0;
	finding_ev(f, "event",
	    seen == SEEN_NEW          ? "created"
	        : seen == SEEN_MOVED  ? "moved-in"
	        : seen == SEEN_ATTRIB ? "attributes"
	                              : "written");
	evidence(f, path, &st);
	return 1;
}

/* ---- directories ---- */

static const char *
dir_of(const struct watch *w, int wd)
{
	struct hmap_entry *e = hmap_get(&w->dirs, &wd, sizeof(wd));

	return e == NULL ? NULL : e->val.p;
}

static void
dir_forget(struct watch *w, int wd)
{
	struct hmap_entry *e = hmap_get(&w->dirs, &wd, sizeof(wd));

	if (e == NULL)
		return;
	free(e->val.p);
	hmap_del(&w->dirs, &wd, sizeof(wd));
}

/*
 * Watches dir and every directory below it; with fresh, the files in them
 * are new (they may have been written before the watch was there).
 */
static void
add_tree(struct watch *w, const char *dir, int fresh, int depth)
{
	struct hmap_entry *e;
	struct dirent *de;
	int wd, created;
	DIR *d;

	if (hmap_count(&w->dirs) >= w->max) {
		if (!w->capped)
			note(w, dir,
			    "more than %zu directories under the web roots: "
			    "'%s' and what is below it are not watched "
			    "(raise the cap, or narrow the web roots)",
			    w->max, dir);
		w->capped = 1;
		return;
	}
	wd = inotify_add_watch(w->ino, dir, WATCH_MASK);
	if (wd == -1) {
		if (errno == ENOSPC && !w->capped) {
			w->capped = 1;
			note(w, dir,
			    "the kernel allows no more inotify watches: '%s' "
			    "and what is below it are not watched "
			    "(fs.inotify.max_user_watches)",
			    dir);
		} else if (errno != ENOENT && errno != ENOTDIR &&
		    errno != ENOSPC) {
			note(w, dir, "cannot watch '%s': %s", dir,
			    strerror(errno));
		}
		return;
	}
	e = hmap_put(&w->dirs, &wd, sizeof(wd), &created);
	if (e == NULL)
		return;
	if (!created)
		return; /* watched already (overlapping roots, a loop) */
	if ((e->val.p = strdup(dir)) == NULL) {
		hmap_del(&w->dirs, &wd, sizeof(wd));
		inotify_rm_watch(w->ino, wd);
		return;
	}
	if (depth >= DEPTH_MAX || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char p[PATH_MAX];
		unsigned char type = de->d_type;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    path_join(p, sizeof(p), dir, de->d_name) == -1)
			continue;
		if (type == DT_UNKNOWN && lstat(p, &st) == 0)
			type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
		if (type == DT_DIR)
			add_tree(w, p, fresh, depth + 1);
		else if (type == DT_REG && fresh)
			pending_add(w, p);
	}
	closedir(d);
}

struct moved {
	struct watch *w;
	const char *path;
	size_t len;
	int wd[64];
	size_t n;
};

static int
find_moved(struct hmap_entry *e, void *arg)
{
	struct moved *m = arg;
	const char *p = e->val.p;

	if (strncmp(p, m->path, m->len) == 0 &&
	    (p[m->len] == '\0' || p[m->len] == '/')) {
		memcpy(&m->wd[m->n++], e->key, sizeof(int));
		if (m->n == countof(m->wd))
			return 1;
	}
	return 0;
}

/*
 * A directory moved away: its watches (and those below it) would report
 * under the old name.  Dropped; if it was moved within the roots, its new
 * name is watched afresh from the IN_MOVED_TO event.
 */
static void
drop_tree(struct watch *w, const char *path)
{
	struct moved m = {w, path, strlen(path), {0}, 0};

	do {
		m.n = 0;
		hmap_each(&w->dirs, find_moved, &m);
		for (size_t i = 0; i < m.n; i++) {
			inotify_rm_watch(w->ino, m.wd[i]);
			dir_forget(w, m.wd[i]);
		}
	} while (m.n == countof(m.wd));
}

/* ---- the interface ---- */

struct watch *
watch_open(const char *const *roots, size_t n, const struct watch_opts *o,
    struct err *err)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	hmap_init(&w->dirs);
	w->max = o != NULL && o->max_watches > 0 ? o->max_watches
	                                         : WATCH_MAX_DEFAULT;
	w->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ino == -1) {
		err_sys(err, errno, "inotify");
		watch_close(w);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (stat(roots[i], &st) == -1) {
			note(w, roots[i], "cannot watch the web root '%s': %s",
			    roots[i], strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			note(w, roots[i],
			    "cannot watch the web root '%s': not a directory",
			    roots[i]);
			continue;
		}
		add_tree(w, roots[i], 0, 0);
	}
	return w;
}

int
watch_fd(const struct watch *w)
{
	return w->ino;
}

size_t
watch_count(const struct watch *w)
{
	return hmap_count(&w->dirs);
}

static size_t
one_event(struct watch *w, const struct inotify_event *ev, struct report *r)
{
	const char *dir;
	char path[PATH_MAX];
	struct pending *p;

	if (ev->mask & IN_Q_OVERFLOW) {
		report_add(r, SEV_UNKNOWN, CHECK_EXEC, "web roots",
		    "the kernel dropped events: changes in the web roots "
		    "were missed (the scheduled fim scan will see them)");
		return 1;
	}
	if (ev->mask & IN_IGNORED) {
		dir_forget(w, ev->wd);
		return 0;
	}
	if ((dir = dir_of(w, ev->wd)) == NULL || ev->len == 0 ||
	    path_join(path, sizeof(path), dir, ev->name) == -1)
		return 0;
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			add_tree(w, path, 1, 0);
		else if (ev->mask & IN_MOVED_FROM)
			drop_tree(w, path);
		return 0;
	}
	p = pending_find(w, path);
	if (ev->mask & IN_CREATE) {
		if (pending_add(w, path) == -1)
			return look(path, SEEN_NEW, r);
	} else if (ev->mask & IN_CLOSE_WRITE) {
		if (p != NULL) {
			pending_drop(w, p);
			return look(path, SEEN_NEW, r);
		}
		return look(path, SEEN_WRITTEN, r);
	} else if (ev->mask & IN_MOVED_TO) {
		if (p != NULL)
			pending_drop(w, p);
		return look(path, SEEN_MOVED, r);
	} else if ((ev->mask & IN_ATTRIB) && p == NULL) {
		return look(path, SEEN_ATTRIB, r);
	}
	return 0;
}

size_t
watch_step(struct watch *w, struct report *r)
{
	char buf[16384]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	size_t added = 0;
	ssize_t k;
	double now;

	while ((k = read(w->ino, buf, sizeof(buf))) > 0) {
		for (char *q = buf; q < buf + k;) {
			const struct inotify_event *ev = (void *)q;

			added += one_event(w, ev, r);
			q += sizeof(*ev) + ev->len;
		}
	}
	now = clock_mono();
	for (size_t i = 0; i < w->npend;) {
		struct pending *p = &w->pend[i];

		if (p->due > now) {
			i++;
			continue;
		}
		added += look(p->path, SEEN_NEW, r);
		pending_drop(w, p);
	}
	for (size_t i = 0; i < w->nnotes; i++) {
		report_add(r, SEV_UNKNOWN, CHECK_EXEC, w->notes[i].subject,
		    "%s", w->notes[i].message);
		added++;
	}
	if (w->lost_notes > 0) {
		report_add(r, SEV_UNKNOWN, CHECK_EXEC, "web roots",
		    "%zu more directories could not be watched", w->lost_notes);
		added++;
	}
	w->nnotes = 0;
	w->lost_notes = 0;
	return added;
}

double
watch_timeout(const struct watch *w)
{
	double first = -1, now = clock_mono();

	if (w->nnotes > 0)
		return 0;
	for (size_t i = 0; i < w->npend; i++)
		if (first < 0 || w->pend[i].due < first)
			first = w->pend[i].due;
	if (first < 0)
		return -1;
	return first > now ? first - now : 0;
}

static int
free_path(struct hmap_entry *e, void *arg)
{
	(void)arg;
	free(e->val.p);
	return 0;
}

void
watch_close(struct watch *w)
{
	if (w == NULL)
		return;
	if (w->ino != -1)
		close(w->ino);
	hmap_each(&w->dirs, free_path, NULL);
	hmap_release(&w->dirs);
	for (size_t i = 0; i < w->npend; i++)
		free(w->pend[i].path);
	free(w);
}
