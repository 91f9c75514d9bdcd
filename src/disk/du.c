/*
 * du.c - largest directories and files, walked by a pool of threads (see
 * du.h).
 *
 * Every directory gets a node numbered when it is found; a child is
 * always found after its parent, so after the walk one pass from the
 * highest number down adds each directory's total into its parent's.
 * Workers take directories from a shared stack (depth first keeps it
 * short), read them with readdir and fstatat relative to the directory,
 * and keep their own N largest files; the lists are merged at the end.
 */
#include "disk/du.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/hmap.h"
#include "base/mem.h"

#define CHUNK_SHIFT 12
#define CHUNK (1u << CHUNK_SHIFT)
#define MAXCHUNKS (1u << 16) /* 268 million directories */

struct node {
	uint32_t parent;
	char *name;
	uint64_t alloc, apparent; /* own, then (after the walk) total */
};

struct work {
	uint32_t idx;
	char *path;
};

struct fileent {
	uint64_t key, alloc, apparent;
	uint32_t dir;
	char *name;
};

/* A min-heap of the N largest by key. */
struct topk {
	struct fileent *e;
	size_t n, cap;
};

struct walk {
	const struct disk_du_opts *o;
	dev_t dev;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct work *stack;
	size_t nstack, capstack;
	unsigned active;
	int failed; /* out of memory */
	struct node *chunks[MAXCHUNKS];
	uint32_t nnodes;
	pthread_mutex_t linkmu;
	struct hmap links;
	uint64_t ndir, nfile, hardlinks, errors;
	char first_error[512];
};

struct worker {
	struct walk *w;
	pthread_t tid;
	struct topk top;
	uint64_t nfile, hardlinks, errors;
};

static struct node *
node_at(struct walk *w, uint32_t i)
{
	return &w->chunks[i >> CHUNK_SHIFT][i & (CHUNK - 1)];
}

/* A new node (under w->mu); UINT32_MAX when out of memory. */
static uint32_t
node_new(struct walk *w, uint32_t parent, const char *name)
{
	uint32_t i = w->nnodes;
	struct node *n;

	if (i >= (uint32_t)MAXCHUNKS * CHUNK - 1)
		return UINT32_MAX;
	if (w->chunks[i >> CHUNK_SHIFT] == NULL) {
		w->chunks[i >> CHUNK_SHIFT] =
		    calloc(CHUNK, sizeof(struct node));
		if (w->chunks[i >> CHUNK_SHIFT] == NULL)
			return UINT32_MAX;
	}
	n = node_at(w, i);
	n->parent = parent;
	n->name = strdup(name);
	if (n->name == NULL)
		return UINT32_MAX;
	w->nnodes++;
	return i;
}

static void
note_error(struct walk *w, const char *path, const char *name, int e)
{
	pthread_mutex_lock(&w->mu);
	if (w->first_error[0] == '\0')
		snprintf(w->first_error, sizeof(w->first_error),
		    "cannot read '%s%s%s': %s", path, name ? "/" : "",
		    name ? name : "", strerror(e));
	pthread_mutex_unlock(&w->mu);
}

static void
heap_down(struct topk *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct fileent tmp;

		if (l < t->n && t->e[l].key < t->e[m].key)
			m = l;
		if (r < t->n && t->e[r].key < t->e[m].key)
			m = r;
		if (m == i)
			return;
		tmp = t->e[i];
		t->e[i] = t->e[m];
		t->e[m] = tmp;
		i = m;
	}
}

static void
heap_up(struct topk *t, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct fileent tmp;

		if (t->e[p].key <= t->e[i].key)
			return;
		tmp = t->e[i];
		t->e[i] = t->e[p];
		t->e[p] = tmp;
		i = p;
	}
}

/* Offers a file to the top N; takes name only when it is kept. */
static void
topk_offer(struct topk *t, size_t cap, const struct fileent *f)
{
	if (cap == 0)
		return;
	if (t->n < cap) {
		if (t->cap == 0) {
			t->e = malloc(cap * sizeof(*t->e));
			if (t->e == NULL)
				return;
			t->cap = cap;
		}
		t->e[t->n] = *f;
		t->e[t->n].name = strdup(f->name);
		if (t->e[t->n].name == NULL)
			return;
		heap_up(t, t->n++);
		return;
	}
	if (f->key <= t->e[0].key)
		return;
	free(t->e[0].name);
	t->e[0] = *f;
	t->e[0].name = strdup(f->name);
	if (t->e[0].name == NULL)
		t->e[0].key = 0;
	heap_down(t, 0);
}

static int
push(struct walk *w, uint32_t idx, char *path)
{
	pthread_mutex_lock(&w->mu);
	if (mem_grow(&w->stack, &w->capstack, w->nstack + 1,
	        sizeof(*w->stack)) == -1) {
		w->failed = 1;
		pthread_mutex_unlock(&w->mu);
		free(path);
		return -1;
	}
	w->stack[w->nstack].idx = idx;
	w->stack[w->nstack].path = path;
	w->nstack++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

/* 1 when (dev, ino) was already counted. */
static int
link_seen(struct walk *w, dev_t dev, ino_t ino)
{
	uint64_t key[2] = {(uint64_t)dev, (uint64_t)ino};
	struct hmap_entry *e;
	int created = 0;

	pthread_mutex_lock(&w->linkmu);
	e = hmap_put(&w->links, key, sizeof(key), &created);
	pthread_mutex_unlock(&w->linkmu);
	return e != NULL && !created;
}

static void
scan_dir(struct worker *wk, uint32_t idx, const char *path)
{
	struct walk *w = wk->w;
	uint64_t alloc = 0, apparent = 0;
	struct dirent *de;
	size_t plen = strlen(path);
	int fd;
	DIR *d;

	fd = open(path,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	        O_NONBLOCK);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		int e = errno;

		if (fd != -1)
			close(fd);
		wk->errors++;
		note_error(w, path, NULL, e);
		return;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct stat st;
		const char *name = de->d_name;

		if (name[0] == '.' &&
		    (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			wk->errors++;
			note_error(w, path, name, errno);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			uint32_t c;
			size_t nlen = strlen(name);
			char *cp;

			if (w->o->one_fs && st.st_dev != w->dev)
				continue;
			cp = malloc(plen + nlen + 2);
			if (cp == NULL) {
				w->failed = 1;
				continue;
			}
			memcpy(cp, path, plen);
			cp[plen] = '/';
			memcpy(cp + plen + 1, name, nlen + 1);
			pthread_mutex_lock(&w->mu);
			c = node_new(w, idx, name);
			if (c != UINT32_MAX) {
				node_at(w, c)->alloc =
				    (uint64_t)st.st_blocks * 512;
				node_at(w, c)->apparent = (uint64_t)st.st_size;
			} else {
				w->failed = 1;
			}
			pthread_mutex_unlock(&w->mu);
			if (c == UINT32_MAX)
				free(cp);
			else
				push(w, c, cp);
			continue;
		}
		if (st.st_nlink > 1 && link_seen(w, st.st_dev, st.st_ino)) {
			wk->hardlinks++;
			continue;
		}
		{
			struct fileent f;

			f.alloc = (uint64_t)st.st_blocks * 512;
			f.apparent = (uint64_t)st.st_size;
			f.key = w->o->by_apparent ? f.apparent : f.alloc;
			f.dir = idx;
			f.name = (char *)name;
			alloc += f.alloc;
			apparent += f.apparent;
			wk->nfile++;
			topk_offer(&wk->top, w->o->top, &f);
		}
	}
	if (errno != 0) {
		wk->errors++;
		note_error(w, path, NULL, errno);
	}
	closedir(d);
	/* Only this worker writes this node's own sums. */
	pthread_mutex_lock(&w->mu);
	node_at(w, idx)->alloc += alloc;
	node_at(w, idx)->apparent += apparent;
	pthread_mutex_unlock(&w->mu);
}

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	struct walk *w = wk->w;

	for (;;) {
		struct work it;

		pthread_mutex_lock(&w->mu);
		while (w->nstack == 0 && w->active > 0)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->nstack == 0) {
			pthread_cond_broadcast(&w->cv);
			pthread_mutex_unlock(&w->mu);
			return NULL;
		}
		it = w->stack[--w->nstack];
		w->active++;
		pthread_mutex_unlock(&w->mu);

		scan_dir(wk, it.idx, it.path);
		free(it.path);

		pthread_mutex_lock(&w->mu);
		w->active--;
		if (w->active == 0 && w->nstack == 0)
			pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
}

/* The path of node i: root path, then the names down to it. */
static char *
node_path(struct walk *w, const char *root, uint32_t i, const char *leaf)
{
	size_t len = strlen(root) + 1 + (leaf ? strlen(leaf) + 1 : 0);
	uint32_t j;
	char *p, *end;

	for (j = i; j != 0; j = node_at(w, j)->parent)
		len += strlen(node_at(w, j)->name) + 1;
	p = malloc(len);
	if (p == NULL)
		return NULL;
	end = p + len - 1;
	*end = '\0';
	if (leaf) {
		size_t n = strlen(leaf);

		end -= n;
		memcpy(end, leaf, n);
		*--end = '/';
	}
	for (j = i; j != 0; j = node_at(w, j)->parent) {
		size_t n = strlen(node_at(w, j)->name);

		end -= n;
		memcpy(end, node_at(w, j)->name, n);
		*--end = '/';
	}
	memcpy(p, root, strlen(root));
	/* A root of "/" and the first '/' of the rest make "//": drop one. */
	if (strcmp(root, "/") == 0 && p[1] == '/')
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	return p;
}

static int
cmp_desc(const void *a, const void *b)
{
	const struct fileent *x = a, *y = b;

	return x->key < y->key ? 1 : x->key > y->key ? -1 : 0;
}

int
disk_du_run(const char *path, const struct disk_du_opts *o, struct disk_du *out,
    struct err *err)
{
	struct walk *w;
	struct worker *wk;
	struct topk dirs = {0}, files = {0};
	struct stat st;
	unsigned nt = o->threads;
	char *root;
	size_t rl;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (lstat(path, &st) == -1)
		return err_sys(err, errno, "cannot read '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ENOTDIR, "'%s' is not a directory", path);
	/* a root that cannot be listed is not a tree with one error in it */
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	if (fd == -1)
		return err_sys(err, errno, "cannot read '%s'", path);
	close(fd);
	if (nt == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		nt = c < 1 ? 1 : c > 16 ? 16 : (unsigned)c;
	}
	w = calloc(1, sizeof(*w));
	wk = calloc(nt, sizeof(*wk));
	root = strdup(path);
	if (w == NULL || wk == NULL || root == NULL) {
		free(w);
		free(wk);
		free(root);
		return err_set(err, ENOMEM, "out of memory");
	}
	/* "dir/" and "dir" alike (but keep "/"). */
	rl = strlen(root);
	while (rl > 1 && root[rl - 1] == '/')
		root[--rl] = '\0';
	w->o = o;
	w->dev = st.st_dev;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_mutex_init(&w->linkmu, NULL);
	hmap_init(&w->links);
	if (node_new(w, 0, "") != 0) {
		rc = err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	node_at(w, 0)->alloc = (uint64_t)st.st_blocks * 512;
	node_at(w, 0)->apparent = (uint64_t)st.st_size;
	push(w, 0, strdup(root));
	for (unsigned i = 0; i < nt; i++) {
		wk[i].w = w;
		if (pthread_create(&wk[i].tid, NULL, worker_main, &wk[i]) !=
		    0) {
			wk[i].w = NULL;
			if (i == 0) {
				worker_main(&(struct worker){.w = w});
				break;
			}
		}
	}
	for (unsigned i = 0; i < nt; i++)
		if (wk[i].w != NULL)
			pthread_join(wk[i].tid, NULL);
	if (w->failed) {
		rc = err_set(err, ENOMEM, "out of memory walking '%s'", path);
		goto out;
	}

	/* Totals, children before parents. */
	for (uint32_t i = w->nnodes; i-- > 1;) {
		struct node *n = node_at(w, i), *p = node_at(w, n->parent);

		p->alloc += n->alloc;
		p->apparent += n->apparent;
	}
	out->total_alloc = node_at(w, 0)->alloc;
	out->total_apparent = node_at(w, 0)->apparent;
	out->ndir_seen = w->nnodes;

	/* The N largest directories. */
	for (uint32_t i = 0; i < w->nnodes; i++) {
		struct node *n = node_at(w, i);
		struct fileent f = {o->by_apparent ? n->apparent : n->alloc,
		    n->alloc, n->apparent, i, ""};

		topk_offer(&dirs, o->top, &f);
	}
	/* The N largest files: merge the workers' lists. */
	for (unsigned t = 0; t < nt; t++) {
		for (size_t i = 0; i < wk[t].top.n; i++)
			topk_offer(&files, o->top, &wk[t].top.e[i]);
		out->nfile_seen += wk[t].nfile;
		out->hardlinks += wk[t].hardlinks;
		out->errors += wk[t].errors;
	}
	qsort(dirs.e, dirs.n, sizeof(*dirs.e), cmp_desc);
	qsort(files.e, files.n, sizeof(*files.e), cmp_desc);
	out->dirs = calloc(dirs.n + 1, sizeof(*out->dirs));
	out->files = calloc(files.n + 1, sizeof(*out->files));
	if (out->dirs == NULL || out->files == NULL) {
		rc = err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < dirs.n; i++) {
		out->dirs[i].path = node_path(w, root, dirs.e[i].dir, NULL);
		out->dirs[i].alloc = dirs.e[i].alloc;
		out->dirs[i].apparent = dirs.e[i].apparent;
		if (out->dirs[i].path != NULL)
			out->ndirs++;
	}
	for (size_t i = 0; i < files.n; i++) {
		out->files[out->nfiles].path =
		    node_path(w, root, files.e[i].dir, files.e[i].name);
		out->files[out->nfiles].alloc = files.e[i].alloc;
		out->files[out->nfiles].apparent = files.e[i].apparent;
		if (out->files[out->nfiles].path != NULL)
			out->nfiles++;
	}
	snprintf(
	    out->first_error, sizeof(out->first_error), "%s", w->first_error);
out:
	for (size_t i = 0; i < dirs.n; i++)
		free(dirs.e[i].name);
	free(dirs.e);
	for (size_t i = 0; i < files.n; i++)
		free(files.e[i].name);
	free(files.e);
	for (unsigned t = 0; t < nt; t++) {
		for (size_t i = 0; i < wk[t].top.n; i++)
			free(wk[t].top.e[i].name);
		free(wk[t].top.e);
	}
	for (uint32_t i = 0; i < w->nnodes; i++)
		free(node_at(w, i)->name);
	for (uint32_t c = 0; c < MAXCHUNKS && w->chunks[c] != NULL; c++)
		free(w->chunks[c]);
	for (size_t i = 0; i < w->nstack; i++)
		free(w->stack[i].path);
	free(w->stack);
	hmap_release(&w->links);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->linkmu);
	free(w);
	free(wk);
	free(root);
	if (rc == -1)
		disk_du_release(out);
	return rc;
}

void
disk_du_release(struct disk_du *d)
{
	for (size_t i = 0; i < d->ndirs; i++)
		free(d->dirs[i].path);
	for (size_t i = 0; i < d->nfiles; i++)
		free(d->files[i].path);
	free(d->dirs);
	free(d->files);
	memset(d, 0, sizeof(*d));
}
