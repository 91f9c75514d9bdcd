/*
 * hist_rrd.c - the history's files: RRDs made and updated through librrd
 * (loaded at first use), read back, listed and drawn (see hist.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rrd.h>

#include "base/dynlib.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "hist/hist.h"
#include "hist/hist_int.h"

#define RRA_MAX 16

/* librrd's message (thread-local) into err, about path. */
static int
rrd_err(struct err *err, const char *what, const char *path)
{
	const char *m = rrd_get_error();

	err_set(err, EIO, "cannot %s '%s': %s", what, path,
	    m != NULL && *m != '\0' ? m : "unknown librrd error");
	rrd_clear_error();
	return -1;
}

int
hist_path(const char *state_dir, const char *name, char *dst, size_t dstsz,
    struct err *err)
{
	char rel[HIST_NAME_MAX + 16];
	char dir[4096];

	if (!hist_name_ok(name))
		return err_set(err, EINVAL,
		    "'%s' is not a series name (letters, digits and ._-)",
		    name);
	snprintf(rel, sizeof(rel), "%s.rrd", name);
	if (path_join(dir, sizeof(dir), state_dir, HIST_DIR) == -1 ||
	    path_join(dst, dstsz, dir, rel) == -1)
		return err_set(err, ENAMETOOLONG,
		    "the history of '%s' in '%s': path too long", name,
		    state_dir);
	return 0;
}

/* Makes the RRD of one series at path, its last update at last. */
int
hist_create(const char *path, time_t last, struct err *err)
{
	struct hist_rra r[RRA_MAX];
	char text[RRA_MAX][64];
	char ds[64];
	const char *argv[RRA_MAX + 1];
	size_t n = hist_rra(r, RRA_MAX);
	int argc = 0;

	/* heartbeat two steps: one missed update is bridged, two unknown */
	snprintf(ds, sizeof(ds), "DS:v:GAUGE:%u:U:U", 2 * HIST_STEP);
	argv[argc++] = ds;
	for (size_t i = 0; i < n && i < RRA_MAX; i++) {
		if (hist_rra_text(&r[i], text[i], sizeof(text[i])) == -1)
			return err_set(err, EINVAL, "archive %zu too long", i);
		argv[argc++] = text[i];
	}
	rrd_clear_error();
	if (rrd_create_r2(path, HIST_STEP, last, 1, NULL, NULL, argc, argv) !=
	    0)
		return rrd_err(err, "create", path);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
hist_names_free(char **names, long n)
{
	for (long i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

long
hist_list(const char *state_dir, char ***names, struct err *err)
{
	char dir[4096];
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int fd;

	*names = NULL;
	if (path_join(dir, sizeof(dir), state_dir, HIST_DIR) == -1)
		return err_set(
		    err, ENAMETOOLONG, "'%s': path too long", state_dir);
	if ((fd = statedir_dir(state_dir, HIST_DIR, 0, err)) == -1) {
		if (err->code == ENOENT)
			err_set(err, ENOENT,
			    "no history in '%s' yet: the agent writes it", dir);
		return -1;
	}
	if ((d = fdopendir(fd)) == NULL) {
		err_sys(err, errno, "cannot read '%s'", dir);
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *name;

		if (len <= 4 || strcmp(e->d_name + len - 4, ".rrd") != 0)
			continue;
		if ((name = strndup(e->d_name, len - 4)) == NULL ||
		    !hist_name_ok(name) ||
		    mem_grow(&v, &cap, n + 1, sizeof(*v)) == -1) {
			free(name);
			continue;
		}
		v[n++] = name;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	return (long)n;
}

/* The RRD of an existing series, librrd loaded: 0, or -1 with err
 * (ENOENT: no history of it, code 0: no librrd). */
static int
series_file(const char *state_dir, const char *name, char *path, size_t pathsz,
    struct err *err)
{
	if (hist_path(state_dir, name, path, pathsz, err) == -1 ||
	    dynlib_require(DYNLIB_RRD, err) == -1)
		return -1;
	if (access(path, F_OK) == -1)
		return err_sys(
		    err, errno, "no history of '%s' ('%s')", name, path);
	return 0;
}

void
hist_series_release(struct hist_series *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int
hist_fetch(const char *state_dir, const char *name, const char *cf,
    time_t since, time_t until, struct hist_series *out, struct err *err)
{
	char path[4096];
	unsigned long step = HIST_STEP, nds = 0;
	char **dsn = NULL;
	rrd_value_t *data = NULL;
	time_t start = since, end = until;
	size_t rows;

	memset(out, 0, sizeof(*out));
	if (series_file(state_dir, name, path, sizeof(path), err) == -1)
		return -1;
	rrd_clear_error();
	if (rrd_fetch_r(path, cf, &start, &end, &step, &nds, &dsn, &data) != 0)
		return rrd_err(err, "read", path);
	rows = step > 0 && end > start ? (size_t)(end - start) / step : 0;
	if (nds != 1) {
		err_set(
		    err, EINVAL, "'%s' has %lu data sources, not 1", path, nds);
	} else if (rows > 0 &&
	    (out->v = malloc(rows * sizeof(*out->v))) == NULL) {
		err_set(err, ENOMEM, "out of memory for '%s'", path);
	} else {
		for (size_t i = 0; i < rows; i++)
			out->v[i] = data[i];
		out->n = rows;
		out->start = start;
		out->step = step;
	}
	for (unsigned long i = 0; i < nds; i++)
		rrd_freemem(dsn[i]);
	rrd_freemem(dsn);
	rrd_freemem(data);
	return nds == 1 && (rows == 0 || out->v != NULL) ? 0 : -1;
}

static double
info_num(const rrd_info_t *i)
{
	char *e;
	double v;

	if (i->type != RD_I_STR || i->value.u_str == NULL)
		return NAN;
	v = strtod(i->value.u_str, &e);
	return e == i->value.u_str ? NAN : v;
}

/* Draws the graph into output, or ("-") into img; the legend in st. */
static int
draw(const char *state_dir, const char *name, unsigned long period,
    const char *output, struct hist_graph_stats *st, struct strbuf *img,
    struct err *err)
{
	char path[4096];
	struct hist_graph_args g;
	rrd_info_t *info;
	int rc = 0;

	st->max = st->avg = st->last = NAN;
	if (series_file(state_dir, name, path, sizeof(path), err) == -1)
		return -1;
	if (hist_graph_args(&g, path, name, period, output) == -1)
		return err_set(err, ENAMETOOLONG, "'%s': path too long", path);
	rrd_clear_error();
	if ((info = rrd_graph_v(g.argc, g.argv)) == NULL) {
		rc = rrd_err(err, "draw", output);
	} else {
		for (const rrd_info_t *i = info; i != NULL; i = i->next) {
			if (strcmp(i->key, "print[0]") == 0)
				st->max = info_num(i);
			else if (strcmp(i->key, "print[1]") == 0)
				st->avg = info_num(i);
			else if (strcmp(i->key, "print[2]") == 0)
				st->last = info_num(i);
			else if (img != NULL && i->type == RD_I_BLO &&
			    strcmp(i->key, "image") == 0 &&
			    strbuf_add(img, i->value.u_blo.ptr,
			        i->value.u_blo.size) == -1)
				rc = err_set(err, ENOMEM,
				    "out of memory for the graph of '%s'",
				    name);
		}
		rrd_info_free(info);
	}
	hist_graph_args_release(&g);
	return rc;
}

int
hist_graph(const char *state_dir, const char *name, unsigned long period,
    const char *output, struct hist_graph_stats *st, struct err *err)
{
	return draw(state_dir, name, period, output, st, NULL, err);
}

int
hist_graph_png(const char *state_dir, const char *name, unsigned long period,
    struct strbuf *img, struct err *err)
{
	struct hist_graph_stats st;

	if (draw(state_dir, name, period, "-", &st, img, err) == -1)
		return -1;
	if (img->len == 0)
		return err_set(err, EIO, "librrd drew no image of '%s'", name);
	return 0;
}

/* Stores the n values kept of one series. */
static int
flush_one(
    struct hist *h, const char *name, struct hist_pending *p, struct err *err)
{
	char path[4096];
	char vals[HIST_BATCH_MAX][80];
	const char *argv[HIST_BATCH_MAX];

	for (unsigned i = 0; i < p->n; i++) {
		if (isnan(p->v[i]))
			snprintf(vals[i], sizeof(vals[i]), "%lld:U",
			    (long long)p->t[i]);
		else
			snprintf(vals[i], sizeof(vals[i]), "%lld:%.17g",
			    (long long)p->t[i], p->v[i]);
		argv[i] = vals[i];
	}
	if (hist_path(h->state_dir, name, path, sizeof(path), err) == -1 ||
	    (access(path, F_OK) == -1 &&
	        hist_create(path, p->t[0] - HIST_STEP, err) == -1))
		return -1;
	rrd_clear_error();
	if (rrd_update_r(path, NULL, (int)p->n, argv) != 0)
		return rrd_err(err, "update", path);
	return 0;
}

struct flush_arg {
	struct hist *h;
	size_t written;
	int rc;
	struct err *err;
};

static int
flush_entry(struct hmap_entry *e, void *arg)
{
	struct flush_arg *fa = arg;
	struct hist_pending *p = e->val.p;
	struct err e1 = {0};

	if (p->n == 0)
		return 0;
	if (flush_one(fa->h, e->key, p, &e1) == -1) {
		if (fa->rc == 0)
			*fa->err = e1;
		fa->rc = -1;
	} else {
		fa->written++;
	}
	p->n = 0;
	return 0;
}

static int
reset_entry(struct hmap_entry *e, void *arg)
{
	(void)arg;
	((struct hist_pending *)e->val.p)->n = 0;
	return 0;
}

/* What the forked writer tells its parent: one write, under PIPE_BUF. */
struct flush_report {
	size_t written;
	int rc;
	struct err err;
};
_Static_assert(sizeof(struct flush_report) <= 4096, "one atomic write");

/*
 * The flush in a child: 0 with fa filled from its report, -1 with fa's
 * err when it died or said nothing, -2 when it could not be started (the
 * caller then flushes in-process).
 */
static int
flush_forked(struct hist *h, struct flush_arg *fa)
{
	struct flush_report r;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -2;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -2;
	}
	if (pid == 0) {
		struct err e = {0};

		close(fds[0]);
		fa->err = &e;
		(void)hmap_each(&h->pend, flush_entry, fa);
		memset(&r, 0, sizeof(r));
		r.written = fa->written;
		r.rc = fa->rc;
		r.err = e;
		n = write(fds[1], &r, sizeof(r));
		_exit(n == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	do
		n = read(fds[0], &r, sizeof(r));
	while (n == -1 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(r) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fa->rc = -1;
		if (WIFSIGNALED(status))
			err_set(fa->err, 0,
			    "the process storing the history ended with signal "
			    "%d",
			    WTERMSIG(status));
		else
			err_set(fa->err, 0,
			    "the process storing the history ended without "
			    "saying what it stored");
		return -1;
	}
	fa->written = r.written;
	fa->rc = r.rc;
	if (r.rc == -1)
		*fa->err = r.err;
	return 0;
}

void
hist_set_fork(struct hist *h, int on)
{
	h->fork_flush = on;
}

int
hist_flush(struct hist *h, size_t *written, struct err *err)
{
	struct flush_arg fa = {h, 0, 0, err};

	if (!h->fork_flush || h->steps == 0 || flush_forked(h, &fa) == -2)
		(void)hmap_each(&h->pend, flush_entry, &fa);
	/* stored or not, the batch is done with (as a failed update is) */
	(void)hmap_each(&h->pend, reset_entry, NULL);
	h->steps = 0;
	/* series that are gone (a disk, a mount) leave their slot behind:
	 * past a bound the map starts again */
	if (hmap_count(&h->pend) > 2 * HIST_SERIES_MAX) {
		hmap_release_vals(&h->pend);
		hmap_init(&h->pend);
	}
	*written = fa.written;
	return fa.rc;
}

int
hist_write(struct hist *h, time_t t, size_t *written, struct err *err)
{
	const struct hist_sample *s = &h->cur;

	*written = 0;
	for (size_t i = 0; i < s->n; i++) {
		const char *name = s->v[i].name;
		struct hmap_entry *e;
		struct hist_pending *p;
		int created;

		e = hmap_put(&h->pend, name, strlen(name), &created);
		if (e == NULL)
			continue;
		if (created && (e->val.p = calloc(1, sizeof(*p))) == NULL) {
			hmap_del(&h->pend, name, strlen(name));
			continue;
		}
		p = e->val.p;
		/* a time not after the last one kept is not stored twice */
		if (p->n == HIST_BATCH_MAX || (p->n > 0 && t <= p->t[p->n - 1]))
			continue;
		p->t[p->n] = t;
		p->v[p->n] = s->v[i].v;
		p->n++;
	}
	if (++h->steps < h->batch)
		return 0;
	return hist_flush(h, written, err);
}
