/*
 * policy.c - where fim keeps its baseline and keys and how it scans, from
 * the configuration, the state directory and what the command line names
 * instead; and the exit status each failure to find them gets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sysexits.h>
#include <unistd.h>

#include "apache/apache.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "conf/conf.h"
#include "fim/fim.h"

static const char *const default_paths[] = {"/bin", "/sbin", "/usr/bin",
    "/usr/sbin", "/usr/lib", "/usr/local/bin", "/usr/local/sbin", "/etc"};
/* Files the system rewrites by itself, outside dpkg's records. */
static const char *const default_excludes[] = {"/etc/ld.so.cache",
    "/etc/adjtime", "/etc/mtab", "*/__pycache__",
    "/usr/lib/locale/locale-archive"};

static size_t
conf_list(const struct conf_node *blk, const char *key, const char **out,
    size_t max, size_t n)
{
	for (size_t i = 0; blk && i < blk->nchild; i++) {
		const struct conf_node *c = &blk->child[i];

		if (strcmp(c->key, key) != 0)
			continue;
		for (size_t k = 0; k < c->nvals && n < max; k++)
			out[n++] = c->vals[k].str;
	}
	return n;
}

/* v, or def in the state directory, into dst. */
static int
fim_path(char *dst, size_t n, const char *v, const char *state_dir,
    const char *def, struct err *err)
{
	if (path_join(dst, n, v ? NULL : state_dir, v ? v : def) == 0)
		return 0;
	err_set(err, ENAMETOOLONG, "path too long: '%s'", v ? v : state_dir);
	return EX_CONFIG;
}

/*
 * STATE/fim must be a directory of root's when it is there; the recorded
 * fingerprint of the trusted key into o->pin.
 */
static int
state_checks(struct fim_opts *o, struct err *err)
{
	int fd = statedir_dir(o->state_dir, "fim", 0, err);

	if (fd == -1 && err->code != ENOENT)
		return err->code == EPERM || err->code == ELOOP ||
		        err->code == ENOTDIR
		    ? EX_NOPERM
		    : EX_NOINPUT;
	if (fd != -1)
		close(fd);
	o->pin[0] = '\0';
	if (fim_pin_read(o->state_dir, o->pin, sizeof(o->pin), err) == -1)
		return 2; /* CRITICAL: the record of the trusted key */
	return 0;
}

int
fim_opts_locate(struct fim_opts *o, const struct conf *c, const char *state_dir,
    const struct fim_overrides *ov, struct err *err)
{
	static const struct fim_overrides none = {.workers = -1};
	const char *v;
	int rc;

	if (ov == NULL)
		ov = &none;
	memset(o, 0, sizeof(*o));
	o->blk = conf_check(c, "fim", NULL);
	o->state_dir = state_dir;
	o->workers = ov->workers;
	o->named_pub = ov->pubkey;
	v = ov->baseline_dir ? ov->baseline_dir
	                     : conf_str(o->blk, "baseline", NULL);
	if ((rc = fim_path(o->dir, sizeof(o->dir), v, state_dir, "fim", err)))
		return rc;
	if ((rc = state_checks(o, err)) != 0)
		return rc;
	v = ov->key ? ov->key : conf_str(o->blk, "key", NULL);
	if ((rc = fim_path(
	         o->key, sizeof(o->key), v, state_dir, "fim/fim.key", err)))
		return rc;
	v = conf_str(o->blk, "public-key", NULL);
	o->pub_configured = v != NULL;
	if ((rc = fim_path(o->ownpub, sizeof(o->ownpub), v, state_dir,
	         "fim/fim.pub", err)))
		return rc;
	snprintf(
	    o->pub, sizeof(o->pub), "%s", ov->pubkey ? ov->pubkey : o->ownpub);
	return 0;
}

int
fim_opts_resolve(struct fim_opts *o, const struct conf *c,
    const char *state_dir, const struct fim_overrides *ov, struct err *err)
{
	int rc = fim_opts_locate(o, c, state_dir, ov, err);

	if (rc)
		return rc;
	if (o->workers < 0)
		o->workers = (int)conf_num(o->blk, "workers", 0);
	if (o->workers < 0 || o->workers > 256) {
		err_set(err, EINVAL, "workers must be between 0 and 256");
		return EX_CONFIG;
	}
	o->hash =
	    ov && ov->hash ? ov->hash : conf_str(o->blk, "hash", "sha256");
	for (size_t i = 0; i < sizeof(default_excludes) / sizeof(char *); i++)
		o->excl[o->nexcl++] = default_excludes[i];
	o->nexcl =
	    conf_list(o->blk, "exclude", o->excl, FIM_PATHS_MAX, o->nexcl);
	o->atime = (ov && ov->atime) || conf_flag(o->blk, "compare-atime");
	return 0;
}

void
fim_opts_webroots(struct fim_opts *o, const char *root)
{
	struct apache_docroot *dr;
	struct apache_opts ao;
	struct apache_conf ac;
	char path[PATH_MAX];
	struct stat st;
	size_t nd;

	o->nweb = conf_list(o->blk, "webroots", o->web, FIM_WEB_MAX, 0);
	if (o->nweb > 0)
		return;
	if (apache_conf_find(root, path, sizeof(path)) == 0 &&
	    (dr = calloc(FIM_WEB_MAX, sizeof(*dr))) != NULL) {
		memset(&ao, 0, sizeof(ao));
		ao.root = root;
		/* Problems in the file are the audit's to report; what
		 * could be read still names the roots. */
		apache_conf_load(&ac, path, &ao);
		nd = apache_docroots(&ac, dr, FIM_WEB_MAX);
		for (size_t i = 0; i < nd && i < FIM_WEB_MAX; i++) {
			o->webown[i] = strdup(dr[i].path);
			if (o->webown[i])
				o->web[o->nweb++] = o->webown[i];
		}
		apache_conf_release(&ac);
		free(dr);
	}
	if (o->nweb == 0 && stat("/var/www", &st) == 0 && S_ISDIR(st.st_mode))
		o->web[o->nweb++] = "/var/www";
}

size_t
fim_opts_paths(const struct fim_opts *o, const char **out, size_t max)
{
	size_t n = conf_list(o->blk, "paths", out, max, 0);

	if (n)
		return n;
	for (size_t i = 0;
	     i < sizeof(default_paths) / sizeof(char *) && n < max; i++)
		out[n++] = default_paths[i];
	for (size_t i = 0; i < o->nweb && n < max; i++)
		out[n++] = o->web[i];
	return n;
}

int
fim_opts_compare(const struct fim_opts *o, const struct fim_baseline *old,
    const struct fim_baseline *cur, const char *root, struct fim_changes *ch,
    struct err *err)
{
	struct fim_diff_opts d;

	memset(&d, 0, sizeof(d));
	d.compare = FIM_A_DEFAULT | (o->atime ? FIM_A_ATIME : 0);
	d.webroots = o->web;
	d.nwebroots = o->nweb;
	if (fim_diff(old, cur, &d, ch, err) == -1)
		return -1;
	fim_explain(ch, old, root);
	return 0;
}

uint64_t
fim_opts_earlier_bytes(const struct fim_opts *o)
{
	struct strbuf sb = STRBUF_INIT(64 * 1024);
	char p[PATH_MAX + 32];
	uint64_t n = 0;

	if (path_join(p, sizeof(p), o->dir, "baseline") == 0 &&
	    file_read_nofollow(p, 64 * 1024, &sb, NULL, NULL) == 0)
		n = fim_baseline_peek_bytes(strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return n;
}

int
fim_opts_nice(const struct fim_opts *o)
{
	double n = conf_num(o->blk, "nice", 10);
	const char *io = conf_str(o->blk, "ionice", "7");
	uint64_t lvl;
	int rc = 0;

	if (n != 0 && setpriority(PRIO_PROCESS, 0, (int)n) == -1)
		rc = -1;
	if (strcmp(io, "none") == 0)
		return rc;
	/* ioprio: class << 13 | data; 2 best-effort, 3 idle. */
	if (strcmp(io, "idle") == 0)
		syscall(SYS_ioprio_set, 1, 0, 3 << 13);
	else if (str_u64(io, &lvl) == 0 && lvl <= 7)
		syscall(SYS_ioprio_set, 1, 0, (int)(2 << 13 | lvl));
	return rc;
}

void
fim_opts_release(struct fim_opts *o)
{
	for (size_t i = 0; i < FIM_WEB_MAX; i++) {
		free(o->webown[i]);
		o->webown[i] = NULL;
	}
	o->nweb = 0;
}

void
fim_opts_load(const struct fim_opts *o, struct fim_load_opts *lo)
{
	memset(lo, 0, sizeof(*lo));
	lo->dir = o->dir;
	lo->pubkey = o->pub;
	lo->pubkey_named = o->named_pub || o->pub_configured;
	lo->pinned = o->pin;
	lo->accept_new_key = o->named_pub != NULL;
}

int
fim_opts_own_key(const struct fim_opts *o)
{
	struct stat a, b;

	if (o->named_pub == NULL)
		return 1;
	return stat(o->named_pub, &a) == 0 && stat(o->ownpub, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
