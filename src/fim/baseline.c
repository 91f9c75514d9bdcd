/*
 * baseline.c - the baseline's text format: writer and pure parser.
 *
 *	sakimori-fim-baseline 1
 *	created 1764187200
 *	host web1
 *	hash sha256
 *	bytes 123456789		(of regular files: for progress estimates)
 *	root /usr/bin
 *	exclude /etc/mtab
 *	fields path type mode uid gid size ino nlink mtime ctime atime hash
 *	  target caps xattrs flags err pkg		(one line)
 *	entries 2
 *	/usr/bin f 0755 0 0 ...
 *	...
 *	end
 *
 * The header names the format and its version, then the fields of each
 * entry line in order, so a reader can tell what it holds and a newer
 * version may add fields.  Strings are written byte for byte except
 * space, control characters, bytes above 0x7e and '%', which become %XX;
 * an absent value is "-".  Entries are sorted by path (byte order) and
 * unique.  "entries N" and the final "end" make truncation evident.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/hex.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define MAGIC "sakimori-fim-baseline"
#define MAX_LIST 4096 /* roots, excludes */

enum field {
	F_PATH,
	F_TYPE,
	F_MODE,
	F_UID,
	F_GID,
	F_SIZE,
	F_INO,
	F_NLINK,
	F_MTIME,
	F_CTIME,
	F_ATIME,
	F_HASH,
	F_TARGET,
	F_CAPS,
	F_XATTRS,
	F_FLAGS,
	F_ERR,
	F_PKG,
	F_NFIELDS,
	F_UNKNOWN = -1,
};

static const char *const field_names[F_NFIELDS] = {
    "path",
    "type",
    "mode",
    "uid",
    "gid",
    "size",
    "ino",
    "nlink",
    "mtime",
    "ctime",
    "atime",
    "hash",
    "target",
    "caps",
    "xattrs",
    "flags",
    "err",
    "pkg",
};

void
fim_baseline_init(struct fim_baseline *b)
{
	memset(b, 0, sizeof(*b));
	b->version = FIM_FORMAT_VERSION;
}

static void
strv_free(char **v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
fim_baseline_release(struct fim_baseline *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].path);
		free(b->e[i].target);
		free(b->e[i].caps);
		free(b->e[i].xattrs);
		free(b->e[i].pkg);
	}
	free(b->e);
	strv_free(b->roots, b->nroots);
	strv_free(b->excludes, b->nexcludes);
	fim_baseline_init(b);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct fim_entry *x = a, *y = b;

	return strcmp(x->path, y->path);
}

int
fim_baseline_sort(struct fim_baseline *b, struct err *err)
{
	if (b->n > 1)
		qsort(b->e, b->n, sizeof(*b->e), entry_cmp);
	for (size_t i = 1; i < b->n; i++)
		if (strcmp(b->e[i - 1].path, b->e[i].path) == 0)
			return err_set(err, EINVAL, "path '%s' recorded twice",
			    b->e[i].path);
	return 0;
}

const struct fim_entry *
fim_baseline_find(const struct fim_baseline *b, const char *path)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->e[mid].path, path);

		if (c == 0)
			return &b->e[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Writer. */

/* The writer runs once per entry (100,000s): no printf on its path. */

static void
put_str(struct strbuf *sb, const char *s)
{
	const unsigned char *p, *run;

	if (s == NULL) {
		strbuf_addc(sb, '-');
		return;
	}
	if (strcmp(s, "-") == 0) {
		strbuf_adds(sb, "%2d");
		return;
	}
	for (p = run = (const unsigned char *)s; *p; p++) {
		char esc[4];

		if (*p > ' ' && *p <= '~' && *p != '%')
			continue;
		strbuf_add(sb, run, (size_t)(p - run));
		esc[0] = '%';
		hex_encode(esc + 1, p, 1);
		strbuf_add(sb, esc, 3);
		run = p + 1;
	}
	strbuf_add(sb, run, (size_t)(p - run));
}

/* Decimal digits of v, right-aligned in buf (20 bytes); their count. */
static size_t
dec(char *buf, uint64_t v)
{
	size_t n = 0;

	do {
		buf[19 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return n;
}

static void
put_u64(struct strbuf *sb, uint64_t v)
{
	char buf[20];
	size_t n = dec(buf, v);

	strbuf_add(sb, buf + 20 - n, n);
}

static char
type_char(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return 'f';
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'l';
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	default:
		return '?';
	}
}

static mode_t
type_mode(char c)
{
	switch (c) {
	case 'f':
		return S_IFREG;
	case 'd':
		return S_IFDIR;
	case 'l':
		return S_IFLNK;
	case 'c':
		return S_IFCHR;
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	case 's':
		return S_IFSOCK;
	default:
		return (mode_t)-1;
	}
}

static void
put_time(struct strbuf *sb, int64_t ns)
{
	int64_t s = ns / 1000000000, f = ns % 1000000000;
	char frac[10];

	if (f < 0) {
		f += 1000000000;
		s--;
	}
	if (s < 0) {
		strbuf_addc(sb, '-');
		put_u64(sb, (uint64_t)0 - (uint64_t)s);
	} else
		put_u64(sb, (uint64_t)s);
	frac[0] = '.';
	for (int i = 9; i >= 1; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	strbuf_add(sb, frac, sizeof(frac));
}

static void
put_hash(struct strbuf *sb, const struct fim_entry *e, size_t hl)
{
	char hex[2 * sizeof(e->hash) + 1];

	if (!(e->flags & (FIM_F_HASHED | FIM_F_UNSTABLE)) ||
	    (e->flags & FIM_F_UNREADABLE) || hl > sizeof(e->hash)) {
		strbuf_addc(sb, '-');
		return;
	}
	hex_encode(hex, e->hash, hl);
	strbuf_add(sb, hex, 2 * hl);
}

static void
put_flags(struct strbuf *sb, unsigned f)
{
	size_t before = sb->len;

	if (f & FIM_F_HASHED)
		strbuf_addc(sb, 'h');
	if (f & FIM_F_UNREADABLE)
		strbuf_addc(sb, 'u');
	if (f & FIM_F_UNSTABLE)
		strbuf_addc(sb, 's');
	if (f & FIM_F_EXEC)
		strbuf_addc(sb, 'x');
	if (sb->len == before)
		strbuf_addc(sb, '-');
}

uint64_t
fim_baseline_bytes(const struct fim_baseline *b)
{
	uint64_t t = 0;

	for (size_t i = 0; i < b->n; i++)
		if (S_ISREG(b->e[i].mode))
			t += b->e[i].size;
	return t;
}

int
fim_baseline_write(
    const struct fim_baseline *b, struct strbuf *sb, struct err *err)
{
	size_t hl = fim_hash_len(b->hash);

	strbuf_printf(sb, "%s %d\n", MAGIC, FIM_FORMAT_VERSION);
	strbuf_printf(sb, "created %lld\n", (long long)b->created);
	strbuf_adds(sb, "host ");
	put_str(sb, b->host);
	strbuf_printf(sb, "\nhash %s\n", fim_hash_name(b->hash));
	strbuf_printf(sb, "bytes %" PRIu64 "\n", fim_baseline_bytes(b));
	for (size_t i = 0; i < b->nroots; i++) {
		strbuf_adds(sb, "root ");
		put_str(sb, b->roots[i]);
		strbuf_addc(sb, '\n');
	}
	for (size_t i = 0; i < b->nexcludes; i++) {
		strbuf_adds(sb, "exclude ");
		put_str(sb, b->excludes[i]);
		strbuf_addc(sb, '\n');
	}
	strbuf_adds(sb, "fields");
	for (int i = 0; i < F_NFIELDS; i++)
		strbuf_printf(sb, " %s", field_names[i]);
	strbuf_printf(sb, "\nentries %zu\n", b->n);
	for (size_t i = 0; i < b->n; i++) {
		const struct fim_entry *e = &b->e[i];

		char tm[8];
		unsigned m = (unsigned)(e->mode & 07777);
		const uint64_t nums[] = {
		    e->uid, e->gid, e->size, e->ino, e->nlink};
		const int64_t times[] = {e->mtime, e->ctime, e->atime};
		const char *strs[] = {e->target, e->caps, e->xattrs};

		put_str(sb, e->path);
		/* " %c %04o " */
		tm[0] = ' ';
		tm[1] = type_char(e->mode);
		tm[2] = ' ';
		tm[3] = (char)('0' + (m >> 9 & 7));
		tm[4] = (char)('0' + (m >> 6 & 7));
		tm[5] = (char)('0' + (m >> 3 & 7));
		tm[6] = (char)('0' + (m & 7));
		tm[7] = ' ';
		strbuf_add(sb, tm, sizeof(tm));
		/* each field, then the space before the next */
		for (size_t k = 0; k < countof(nums); k++) {
			put_u64(sb, nums[k]);
			strbuf_addc(sb, ' ');
		}
		for (size_t k = 0; k < countof(times); k++) {
			put_time(sb, times[k]);
			strbuf_addc(sb, ' ');
		}
		put_hash(sb, e, hl);
		strbuf_addc(sb, ' ');
		for (size_t k = 0; k < countof(strs); k++) {
			put_str(sb, strs[k]);
			strbuf_addc(sb, ' ');
		}
		put_flags(sb, e->flags);
		strbuf_addc(sb, ' ');
		if (e->err < 0) {
			strbuf_addc(sb, '-');
			put_u64(sb, (uint64_t)0 - (uint64_t)(int64_t)e->err);
		} else
			put_u64(sb, (uint64_t)e->err);
		strbuf_addc(sb, ' ');
		put_str(sb, e->pkg);
		strbuf_addc(sb, '\n');
	}
	strbuf_adds(sb, "end\n");
	if (strbuf_failed(sb))
		return err_set(err, strbuf_failed(sb),
		    "baseline too large for memory (%zu entries)", b->n);
	return 0;
}

/* Parser. */

struct pstate {
	const char *data, *end, *cur;
	size_t line;
	struct err *err;
};

static int
perr(struct pstate *p, const char *fmt, const char *what)
{
	char w[80], msg[200];
	size_t n = strlen(what);

	/* what may be bytes from the file: keep it short and printable. */
	if (n > sizeof(w) - 1)
		n = sizeof(w) - 1;
	for (size_t i = 0; i < n; i++)
		w[i] = (what[i] > ' ' && what[i] < 127) ? what[i] : '?';
	w[n] = '\0';
	snprintf(msg, sizeof(msg), fmt, w);
	return err_set(
	    p->err, EINVAL, "corrupt baseline: line %zu: %s", p->line, msg);
}

static int
next_line(struct pstate *p, const char **ls, const char **le)
{
	const char *nl;

	if (p->cur >= p->end)
		return -1;
	nl = memchr(p->cur, '\n', (size_t)(p->end - p->cur));
	if (nl == NULL)
		return -1; /* a last line without newline: truncated */
	*ls = p->cur;
	*le = nl;
	p->cur = nl + 1;
	p->line++;
	return 0;
}

/* Decodes one string field; *out NULL for "-".  0 or -1. */
static int
get_str(const char *w, size_t n, char **out)
{
	char *s, *d;

	*out = NULL;
	if (n == 1 && w[0] == '-')
		return 0;
	s = malloc(n + 1);
	if (s == NULL)
		return -1;
	d = s;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '%') {
			int h, l;

			if (i + 2 >= n) {
				free(s);
				return -1;
			}
			h = cur_hexval(w[i + 1]);
			l = cur_hexval(w[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0)) {
				free(s);
				return -1;
			}
			*d++ = (char)(h * 16 + l);
			i += 2;
		} else if ((unsigned char)w[i] <= ' ' ||
		    (unsigned char)w[i] > '~') {
			/* The writer encodes these: a raw one is corruption. */
			free(s);
			return -1;
		} else {
			*d++ = w[i];
		}
	}
	*d = '\0';
	*out = s;
	return 0;
}

static int
get_u64(const char *w, size_t n, uint64_t *v)
{
	const char *c = w;

	return cur_u64(&c, w + n, v) == 0 && c == w + n ? 0 : -1;
}

static int
get_time(const char *w, size_t n, int64_t *ns)
{
	const char *c = w, *e = w + n, *f;
	int64_t s;
	uint64_t frac;

	if (cur_i64(&c, e, &s) == -1 || cur_char(&c, e, '.') == -1)
		return -1;
	f = c;
	if (cur_u64(&c, e, &frac) == -1 || c != e || c - f != 9)
		return -1;
	if (s > INT64_MAX / 1000000000 - 1 || s < INT64_MIN / 1000000000 + 1)
		return -1;
	*ns = s * 1000000000 + (int64_t)frac;
	return 0;
}

static int
get_mode(const char *w, size_t n, mode_t *m)
{
	unsigned v = 0;

	if (n == 0 || n > 6)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '7')
			return -1;
		v = v * 8 + (unsigned)(w[i] - '0');
	}
	if (v > 07777)
		return -1;
	*m = (mode_t)v;
	return 0;
}

static int
get_hash(const char *w, size_t n, size_t hl, struct fim_entry *e)
{
	if (n == 1 && w[0] == '-')
		return 0;
	if (n != 2 * hl)
		return -1;
	return hex_decode(e->hash, w, hl);
}

static int
get_flags(const char *w, size_t n, unsigned *f)
{
	*f = 0;
	if (n == 1 && w[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		switch (w[i]) {
		case 'h':
			*f |= FIM_F_HASHED;
			break;
		case 'u':
			*f |= FIM_F_UNREADABLE;
			break;
		case 's':
			*f |= FIM_F_UNSTABLE;
			break;
		case 'x':
			*f |= FIM_F_EXEC;
			break;
		default:
			break; /* a newer flag: ignored */
		}
	}
	return 0;
}

static int
strv_add(char ***v, size_t *n, char *s)
{
	char **p;

	if (*n >= MAX_LIST)
		return -1;
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (p == NULL)
		return -1;
	*v = p;
	p[(*n)++] = s;
	return 0;
}

static void
entry_release(struct fim_entry *e)
{
	free(e->path);
	free(e->target);
	free(e->caps);
	free(e->xattrs);
	free(e->pkg);
	memset(e, 0, sizeof(*e));
}

static int
parse_entry(struct pstate *p, const char *ls, const char *le, const int *fmap,
    size_t nf, size_t hl, struct fim_entry *e)
{
	const char *c = ls;
	int seen[F_NFIELDS] = {0};
	int rc = 0;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < nf; i++) {
		const char *w;
		size_t n;
		uint64_t v;
		mode_t m = 0;

		if (i > 0 && cur_char(&c, le, ' ') == -1)
			return perr(p, "too few fields%s", "");
		n = cur_word(&c, le, &w);
		if (n == 0)
			return perr(p, "empty field%s", "");
		switch (fmap[i]) {
		case F_PATH:
			rc = get_str(w, n, &e->path);
			if (rc == 0 && (e->path == NULL || e->path[0] != '/'))
				rc = -1;
			break;
		case F_TYPE:
			m = n == 1 ? type_mode(w[0]) : (mode_t)-1;
			if (m == (mode_t)-1)
				rc = -1;
			else
				e->mode |= m;
			break;
		case F_MODE:
			rc = get_mode(w, n, &m);
			e->mode |= m;
			break;
		case F_UID:
		case F_GID:
			rc = get_u64(w, n, &v);
			if (rc == 0 && v > UINT32_MAX)
				rc = -1;
			if (fmap[i] == F_UID)
				e->uid = (uid_t)v;
			else
				e->gid = (gid_t)v;
			break;
		case F_SIZE:
			rc = get_u64(w, n, &e->size);
			break;
		case F_INO:
			rc = get_u64(w, n, &e->ino);
			break;
		case F_NLINK:
			rc = get_u64(w, n, &e->nlink);
			break;
		case F_MTIME:
			rc = get_time(w, n, &e->mtime);
			break;
		case F_CTIME:
			rc = get_time(w, n, &e->ctime);
			break;
		case F_ATIME:
			rc = get_time(w, n, &e->atime);
			break;
		case F_HASH:
			rc = get_hash(w, n, hl, e);
			break;
		case F_TARGET:
			rc = get_str(w, n, &e->target);
			break;
		case F_CAPS:
			rc = get_str(w, n, &e->caps);
			break;
		case F_XATTRS:
			rc = get_str(w, n, &e->xattrs);
			break;
		case F_FLAGS:
			rc = get_flags(w, n, &e->flags);
			break;
		case F_ERR:
			rc = get_u64(w, n, &v);
			e->err = v > 4095 ? 0 : (int)v;
			break;
		case F_PKG:
			rc = get_str(w, n, &e->pkg);
			break;
		default:
			break; /* a field of a newer version */
		}
		if (rc == -1)
			return perr(p, "bad value for field '%s'",
			    fmap[i] >= 0 ? field_names[fmap[i]] : "?");
		if (fmap[i] >= 0)
			seen[fmap[i]] = 1;
	}
	if (c != le)
		return perr(p, "too many fields%s", "");
	if (!seen[F_PATH] || !seen[F_TYPE])
		return perr(p, "entry without path or type%s", "");
	return 0;
}

static int
header_word(
    const char *ls, const char *le, const char *key, const char **v, size_t *vn)
{
	size_t kl = strlen(key);

	if ((size_t)(le - ls) < kl + 1 || memcmp(ls, key, kl) != 0 ||
	    ls[kl] != ' ')
		return 0;
	*v = ls + kl + 1;
	*vn = (size_t)(le - *v);
	return 1;
}

uint64_t
fim_baseline_peek_bytes(const char *data, size_t len)
{
	const char *cur = data, *end = data + len, *ls, *le, *v;
	size_t vn;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		uint64_t n;

		if (header_word(ls, le, "fields", &v, &vn) ||
		    header_word(ls, le, "entries", &v, &vn))
			break; /* the header is over */
		if (header_word(ls, le, "bytes", &v, &vn) &&
		    get_u64(v, vn, &n) == 0)
			return n;
	}
	return 0;
}

int
fim_baseline_parse(
    const char *data, size_t len, struct fim_baseline *b, struct err *err)
{
	struct pstate p = {data, data + len, data, 0, err};
	const char *ls, *le, *v, *c;
	size_t vn, nf = 0, hl = 0;
	uint64_t n, ver;
	int fmap[64];
	int have_hash = 0;

	if (next_line(&p, &ls, &le) == -1)
		return err_set(err, EINVAL,
		    "not a baseline: empty or without a header line");
	if (!header_word(ls, le, MAGIC, &v, &vn))
		return err_set(err, EINVAL,
		    "not a sakimori baseline (no '" MAGIC "' header)");
	if (get_u64(v, vn, &ver) == -1 || ver == 0)
		return perr(&p, "bad format version%s", "");
	if (ver > FIM_FORMAT_VERSION)
		return err_set(err, EINVAL,
		    "baseline format version %" PRIu64
		    " is newer than this sakimori reads (%d)",
		    ver, FIM_FORMAT_VERSION);
	b->version = (int)ver;
	for (;;) {
		char *s;

		if (next_line(&p, &ls, &le) == -1)
			return err_set(err, EINVAL,
			    "baseline is truncated: it ends in the header "
			    "(line %zu)",
			    p.line);
		if (header_word(ls, le, "created", &v, &vn)) {
			int64_t t;

			c = v;
			if (cur_i64(&c, v + vn, &t) == -1 || c != v + vn)
				return perr(&p, "bad creation time%s", "");
			b->created = (time_t)t;
		} else if (header_word(ls, le, "host", &v, &vn)) {
			if (get_str(v, vn, &s) == -1)
				return perr(&p, "bad host%s", "");
			snprintf(b->host, sizeof(b->host), "%s", s ? s : "");
			free(s);
		} else if (header_word(ls, le, "hash", &v, &vn)) {
			char name[16];

			if (vn >= sizeof(name))
				return perr(&p, "unknown hash%s", "");
			memcpy(name, v, vn);
			name[vn] = '\0';
			if (fim_hash_parse(name, &b->hash) == -1)
				return perr(&p, "unknown hash%s", "");
			hl = fim_hash_len(b->hash);
			have_hash = 1;
		} else if (header_word(ls, le, "root", &v, &vn) ||
		    header_word(ls, le, "exclude", &v, &vn)) {
			int is_root = ls[0] == 'r';

			if (get_str(v, vn, &s) == -1 || s == NULL)
				return perr(&p, "bad path%s", "");
			if (strv_add(is_root ? &b->roots : &b->excludes,
			        is_root ? &b->nroots : &b->nexcludes,
			        s) == -1) {
				free(s);
				return perr(&p, "too many paths%s", "");
			}
		} else if (header_word(ls, le, "fields", &v, &vn)) {
			const char *w;
			size_t wn;

			c = v;
			nf = 0;
			while ((wn = cur_word(&c, v + vn, &w)) > 0) {
				int f = F_UNKNOWN;

				if (nf == countof(fmap))
					return perr(
					    &p, "too many fields%s", "");
				for (int i = 0; i < F_NFIELDS; i++)
					if (mem_eq(w, wn, field_names[i]))
						f = i;
				for (size_t k = 0; f >= 0 && k < nf; k++)
					if (fmap[k] == f)
						return perr(&p,
						    "field '%s' named twice",
						    field_names[f]);
				fmap[nf++] = f;
				cur_spaces(&c, v + vn);
			}
		} else if (header_word(ls, le, "entries", &v, &vn)) {
			if (get_u64(v, vn, &n) == -1)
				return perr(&p, "bad number of entries%s", "");
			break;
		}
		/* Other header lines: from a newer version, ignored. */
	}
	if (!have_hash)
		return perr(&p, "no 'hash' line before the entries%s", "");
	if (nf == 0)
		return perr(&p, "no 'fields' line before the entries%s", "");
	/* Never trust the count for memory: grow as lines arrive. */
	for (uint64_t i = 0; i < n; i++) {
		struct fim_entry e;

		if (next_line(&p, &ls, &le) == -1)
			return err_set(err, EINVAL,
			    "baseline is truncated: %" PRIu64 " of %" PRIu64
			    " entries, no 'end' line",
			    i, n);
		if (parse_entry(&p, ls, le, fmap, nf, hl, &e) == -1) {
			entry_release(&e);
			return -1;
		}
		if (b->n > 0 && strcmp(b->e[b->n - 1].path, e.path) >= 0) {
			entry_release(&e);
			return perr(
			    &p, "entries out of order or repeated%s", "");
		}
		if (mem_grow(&b->e, &b->cap, b->n + 1, sizeof(*b->e)) == -1) {
			entry_release(&e);
			return err_set(
			    err, ENOMEM, "baseline too large for memory");
		}
		b->e[b->n++] = e;
	}
	if (next_line(&p, &ls, &le) == -1)
		return err_set(err, EINVAL,
		    "baseline is truncated: no 'end' line after %" PRIu64
		    " entries",
		    n);
	if (!mem_eq(ls, (size_t)(le - ls), "end"))
		return perr(&p, "expected 'end' after the entries%s", "");
	if (p.cur != p.end)
		return perr(&p, "data after 'end'%s", "");
	return 0;
}
