/*
 * diff.c - compare a baseline with a fresh scan: which paths were added,
 * removed or changed, which attributes changed, and what class of change
 * it is (a changed program, a new setuid file, a new executable or a
 * changed page in a web root, changed capabilities).
 *
 * Directories are compared by type, owner, mode and attributes only:
 * their size, times and link count follow from their entries, whose
 * additions and removals are reported themselves.  Symbolic links are
 * compared by target and owner (replacing a link by an identical one is
 * what package managers do).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define DIR_IGNORE                                                             \
	(FIM_A_SIZE | FIM_A_MTIME | FIM_A_CTIME | FIM_A_ATIME | FIM_A_NLINK |  \
	    FIM_A_HASH)
#define LINK_IGNORE                                                            \
	(FIM_A_MODE | FIM_A_SIZE | FIM_A_MTIME | FIM_A_CTIME | FIM_A_ATIME |   \
	    FIM_A_NLINK | FIM_A_INO | FIM_A_HASH)

static const char *const class_names[] = {
    [FIM_C_PACKAGE] = "package",
    [FIM_C_ADDED] = "added",
    [FIM_C_REMOVED] = "removed",
    [FIM_C_CHANGED] = "changed",
    [FIM_C_SYSBIN] = "changed-program",
    [FIM_C_SETUID] = "new-setuid",
    [FIM_C_WEBEXEC] = "web-executable",
    [FIM_C_DEFACEMENT] = "web-page-changed",
    [FIM_C_CAPABILITY] = "capabilities",
    [FIM_C_UNREADABLE] = "unreadable",
    [FIM_C_UNSTABLE] = "unstable",
};

static const char *const attr_names[] = {
    "type",
    "mode",
    "uid",
    "gid",
    "size",
    "inode",
    "links",
    "mtime",
    "ctime",
    "atime",
    "hash",
    "target",
    "caps",
    "xattrs",
};

const char *
fim_class_name(enum fim_class c)
{
	if ((size_t)c >= countof(class_names))
		return "?";
	return class_names[c];
}

enum sev
fim_class_sev(enum fim_class c)
{
	switch (c) {
	case FIM_C_PACKAGE:
		return SEV_OK;
	case FIM_C_SYSBIN:
	case FIM_C_SETUID:
	case FIM_C_WEBEXEC:
	case FIM_C_DEFACEMENT:
	case FIM_C_CAPABILITY:
		return SEV_CRITICAL;
	default:
		return SEV_WARNING;
	}
}

int
fim_path_under(const char *path, const char *root)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(path, root, n) == 0 && (path[n] == '/' || !path[n]);
}

void
fim_attrs_names(unsigned attrs, char *dst, size_t dstsz)
{
	size_t o = 0;

	dst[0] = '\0';
	for (size_t i = 0; i < countof(attr_names); i++) {
		if (!(attrs & (1u << i)))
			continue;
		o += (size_t)snprintf(dst + o, o < dstsz ? dstsz - o : 0,
		    "%s%s", o ? "," : "", attr_names[i]);
		if (o >= dstsz)
			break;
	}
}

unsigned
fim_change_shown(const struct fim_change *c)
{
	const struct fim_entry *e = c->cur ? c->cur : c->old;
	unsigned a = FIM_A_TYPE | FIM_A_MODE | FIM_A_UID | FIM_A_GID;

	if (c->old && c->cur)
		return c->attrs;
	if (S_ISREG(e->mode))
		a |= FIM_A_SIZE | FIM_A_HASH | FIM_A_NLINK;
	if (e->target)
		a |= FIM_A_TARGET;
	if (e->caps)
		a |= FIM_A_CAPS;
	if (e->xattrs)
		a |= FIM_A_XATTRS;
	return a;
}

static int
hash_known(const struct fim_entry *e)
{
	return (e->flags & FIM_F_HASHED) && !(e->flags & FIM_F_UNREADABLE);
}

static void time_utc(struct strbuf *sb, int64_t ns);

void
fim_attr_value(const struct fim_entry *e, unsigned attr, enum fim_hash h,
    struct strbuf *sb)
{
	int64_t t;

	switch (attr) {
	case FIM_A_TYPE:
		switch (e->mode & S_IFMT) {
		case S_IFREG:
			strbuf_adds(sb, "file");
			break;
		case S_IFDIR:
			strbuf_adds(sb, "directory");
			break;
		case S_IFLNK:
			strbuf_adds(sb, "symlink");
			break;
		case S_IFCHR:
			strbuf_adds(sb, "char-device");
			break;
		case S_IFBLK:
			strbuf_adds(sb, "block-device");
			break;
		case S_IFIFO:
			strbuf_adds(sb, "fifo");
			break;
		case S_IFSOCK:
			strbuf_adds(sb, "socket");
			break;
		default:
			strbuf_adds(sb, "unknown");
		}
		return;
	case FIM_A_MODE:
		strbuf_printf(sb, "%04o", (unsigned)(e->mode & 07777));
		return;
	case FIM_A_UID:
		strbuf_printf(sb, "%u", (unsigned)e->uid);
		return;
	case FIM_A_GID:
		strbuf_printf(sb, "%u", (unsigned)e->gid);
		return;
	case FIM_A_SIZE:
		strbuf_printf(sb, "%" PRIu64, e->size);
		return;
	case FIM_A_INO:
		strbuf_printf(sb, "%" PRIu64, e->ino);
		return;
	case FIM_A_NLINK:
		strbuf_printf(sb, "%" PRIu64, e->nlink);
		return;
	case FIM_A_MTIME:
	case FIM_A_CTIME:
	case FIM_A_ATIME:
		t = attr == FIM_A_MTIME   ? e->mtime
		    : attr == FIM_A_CTIME ? e->ctime
		                          : e->atime;
		time_utc(sb, t);
		return;
	case FIM_A_HASH:
		if (!hash_known(e)) {
			strbuf_adds(sb,
			    (e->flags & FIM_F_UNREADABLE) ? "unreadable" : "-");
			return;
		}
		for (size_t i = 0; i < fim_hash_len(h); i++)
			strbuf_printf(sb, "%02x", e->hash[i]);
		return;
	case FIM_A_TARGET:
		strbuf_adds(sb, e->target ? e->target : "");
		return;
	case FIM_A_CAPS:
		strbuf_adds(sb, e->caps ? e->caps : "");
		return;
	case FIM_A_XATTRS:
		strbuf_adds(sb, e->xattrs ? e->xattrs : "");
		return;
	default:
		return;
	}
}

/* Nanoseconds since the epoch as 2026-11-26T20:04:47.123456789Z. */
static void
time_utc(struct strbuf *sb, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	time_t t;
	struct tm tm;
	char b[32];

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		strbuf_printf(sb, "%" PRId64 ".%09" PRId64, sec, frac);
		return;
	}
	strbuf_printf(sb, "%s.%09" PRId64 "Z", b, frac);
}

static int
streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static unsigned
compare(const struct fim_entry *a, const struct fim_entry *b, size_t hl,
    unsigned want)
{
	unsigned d = 0;

	if ((a->mode & S_IFMT) != (b->mode & S_IFMT))
		d |= FIM_A_TYPE;
	if ((a->mode & 07777) != (b->mode & 07777))
		d |= FIM_A_MODE;
	if (a->uid != b->uid)
		d |= FIM_A_UID;
	if (a->gid != b->gid)
		d |= FIM_A_GID;
	if (a->size != b->size)
		d |= FIM_A_SIZE;
	if (a->ino != b->ino)
		d |= FIM_A_INO;
	if (a->nlink != b->nlink)
		d |= FIM_A_NLINK;
	if (a->mtime != b->mtime)
		d |= FIM_A_MTIME;
	if (a->ctime != b->ctime)
		d |= FIM_A_CTIME;
	if (a->atime != b->atime)
		d |= FIM_A_ATIME;
	if (S_ISREG(a->mode) &&
	    (hash_known(a) != hash_known(b) ||
	        (hash_known(a) && memcmp(a->hash, b->hash, hl) != 0)))
		d |= FIM_A_HASH;
	if (!streq_null(a->target, b->target))
		d |= FIM_A_TARGET;
	if (!streq_null(a->caps, b->caps))
		d |= FIM_A_CAPS;
	if (!streq_null(a->xattrs, b->xattrs))
		d |= FIM_A_XATTRS;
	if (S_ISDIR(a->mode) && S_ISDIR(b->mode))
		d &= ~(unsigned)DIR_IGNORE;
	if (S_ISLNK(a->mode) && S_ISLNK(b->mode))
		d &= ~(unsigned)LINK_IGNORE;
	return d & want;
}

static int
in_webroot(const struct fim_diff_opts *o, const char *path)
{
	for (size_t i = 0; i < o->nwebroots; i++)
		if (fim_path_under(path, o->webroots[i]))
			return 1;
	return 0;
}

/* Looks like something a web server or a user could run. */
static int
executable(const struct fim_entry *e)
{
	static const char *const ext[] = {"exe", "com", "dll", "bat", "cmd",
	    "cgi", "pl", "php", "php3", "php4", "php5", "phtml", "py", "sh",
	    "asp", "aspx", "jsp", "so"};
	const char *dot = strrchr(e->path, '.');

	if (!S_ISREG(e->mode))
		return 0;
	if ((e->mode & 0111) || (e->flags & FIM_F_EXEC))
		return 1;
	if (dot == NULL || strchr(dot, '/') != NULL)
		return 0;
	for (size_t i = 0; i < countof(ext); i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

static int
suid(const struct fim_entry *e)
{
	return S_ISREG(e->mode) && (e->mode & (S_ISUID | S_ISGID));
}

static enum fim_class
classify(const struct fim_diff_opts *o, const struct fim_entry *old,
    const struct fim_entry *cur, unsigned attrs)
{
	int web;

	if (cur == NULL)
		return FIM_C_REMOVED;
	web = in_webroot(o, cur->path);
	if (old == NULL) {
		if (cur->caps)
			return FIM_C_CAPABILITY;
		if (suid(cur))
			return FIM_C_SETUID;
		if (web && executable(cur))
			return FIM_C_WEBEXEC;
		return FIM_C_ADDED;
	}
	if (attrs & FIM_A_CAPS)
		return FIM_C_CAPABILITY;
	if (suid(cur) &&
	    (!suid(old) || ((cur->mode & ~old->mode) & (S_ISUID | S_ISGID))))
		return FIM_C_SETUID;
	if (cur->flags & FIM_F_UNREADABLE)
		return FIM_C_UNREADABLE;
	if (cur->flags & FIM_F_UNSTABLE)
		return FIM_C_UNSTABLE;
	if (web && executable(cur) && !executable(old))
		return FIM_C_WEBEXEC;
	if (attrs & (FIM_A_HASH | FIM_A_TYPE)) {
		if (web)
			return FIM_C_DEFACEMENT;
		if (executable(cur) || executable(old))
			return FIM_C_SYSBIN;
	}
	return FIM_C_CHANGED;
}

static int
add_change(struct fim_changes *out, const struct fim_entry *old,
    const struct fim_entry *cur, unsigned attrs, enum fim_class cls)
{
	struct fim_change *c;

	if (mem_grow(&out->c, &out->cap, out->n + 1, sizeof(*out->c)) == -1)
		return -1;
	c = &out->c[out->n++];
	memset(c, 0, sizeof(*c));
	c->old = old;
	c->cur = cur;
	c->attrs = attrs;
	c->cls = cls;
	return 0;
}

int
fim_diff(const struct fim_baseline *old, const struct fim_baseline *cur,
    const struct fim_diff_opts *o, struct fim_changes *out, struct err *err)
{
	size_t i = 0, j = 0, hl;

	if (old->hash != cur->hash)
		return err_set(err, EINVAL,
		    "the baseline uses %s, the scan %s: cannot compare",
		    fim_hash_name(old->hash), fim_hash_name(cur->hash));
	hl = fim_hash_len(old->hash);
	while (i < old->n || j < cur->n) {
		const struct fim_entry *a = i < old->n ? &old->e[i] : NULL;
		const struct fim_entry *b = j < cur->n ? &cur->e[j] : NULL;
		int c = a == NULL ? 1
		    : b == NULL   ? -1
		                  : strcmp(a->path, b->path);
		int rc = 0;

		if (c < 0) {
			rc = add_change(out, a, NULL, 0, FIM_C_REMOVED);
			i++;
		} else if (c > 0) {
			rc = add_change(
			    out, NULL, b, 0, classify(o, NULL, b, 0));
			j++;
		} else {
			unsigned d = compare(a, b, hl, o->compare);

			/* A file that cannot be read now is worth saying
			 * even when its attributes held. */
			if (d ||
			    ((b->flags & (FIM_F_UNREADABLE | FIM_F_UNSTABLE)) &&
			        !(a->flags &
			            (FIM_F_UNREADABLE | FIM_F_UNSTABLE))))
				rc = add_change(
				    out, a, b, d, classify(o, a, b, d));
			i++;
			j++;
		}
		if (rc == -1)
			return err_sys(err, ENOMEM, "comparing the baseline");
	}
	return 0;
}

void
fim_changes_release(struct fim_changes *c)
{
	free(c->c);
	memset(c, 0, sizeof(*c));
}
