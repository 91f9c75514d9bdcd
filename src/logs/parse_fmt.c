/*
 * parse_fmt.c - Apache LogFormat and nginx log_format strings, compiled
 * once into a list of literals and fields, then matched against each line.
 * A field ends where the literal after it begins; a field between quotes
 * skips quotes escaped with a backslash (Apache writes \" inside %r and
 * headers).
 */
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/mem.h"
#include "logs/logs.h"
#include "logs/parse_int.h"

enum fid {
	X_LIT = 0,
	X_OTHER,
	X_CLIENT,
	X_IDENT,
	X_USER,
	X_TIME_BR,  /* Apache %t: "[...]" */
	X_TIME_CLF, /* nginx $time_local: no brackets */
	X_TIME_ISO,
	X_REQUEST,
	X_STATUS,
	X_BYTES,
	X_REFERER,
	X_UA,
	X_VHOST,
	X_DUR_US,
	X_DUR_MS,
	X_DUR_S,     /* integer seconds */
	X_DUR_FLOAT, /* nginx $request_time: seconds with fraction */
	X_METHOD,
	X_PATH,  /* %U */
	X_QUERY, /* %q: "?a=1" or "" */
	X_ARGS,  /* $args: "a=1" or "-" */
	X_URI,   /* $request_uri: path?query */
	X_PROTOCOL,
	X_FORWARDED,
};

struct item {
	enum fid id;
	char *lit; /* X_LIT: the text */
	size_t litn;
};

struct logs_fmt {
	struct item *it;
	size_t n;
};

static int
add(struct logs_fmt *f, enum fid id, const char *lit, size_t n)
{
	struct item *ni;

	/* Adjacent literals merge. */
	if (id == X_LIT && f->n > 0 && f->it[f->n - 1].id == X_LIT) {
		struct item *t = &f->it[f->n - 1];
		char *m = realloc(t->lit, t->litn + n + 1);

		if (m == NULL)
			return -1;
		memcpy(m + t->litn, lit, n);
		t->litn += n;
		m[t->litn] = '\0';
		t->lit = m;
		return 0;
	}
	ni = realloc(f->it, (f->n + 1) * sizeof(*ni));
	if (ni == NULL)
		return -1;
	f->it = ni;
	ni = &f->it[f->n++];
	ni->id = id;
	ni->lit = NULL;
	ni->litn = 0;
	if (id == X_LIT) {
		ni->lit = malloc(n + 1);
		if (ni->lit == NULL)
			return -1;
		memcpy(ni->lit, lit, n);
		ni->lit[n] = '\0';
		ni->litn = n;
	}
	return 0;
}

static int
ieq(const char *a, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

static enum fid
apache_id(char c, const char *arg, size_t argn)
{
	switch (c) {
	case 'h':
	case 'a':
		return X_CLIENT;
	case 'l':
		return X_IDENT;
	case 'u':
		return X_USER;
	case 't':
		return arg == NULL ? X_TIME_BR : X_OTHER;
	case 'r':
		return X_REQUEST;
	case 's':
		return X_STATUS;
	case 'b':
	case 'B':
	case 'O':
		return X_BYTES;
	case 'v':
	case 'V':
		return X_VHOST;
	case 'D':
		return X_DUR_US;
	case 'T':
		if (arg != NULL && ieq(arg, argn, "ms"))
			return X_DUR_MS;
		if (arg != NULL && ieq(arg, argn, "us"))
			return X_DUR_US;
		return X_DUR_S;
	case 'm':
		return X_METHOD;
	case 'U':
		return X_PATH;
	case 'q':
		return X_QUERY;
	case 'H':
		return X_PROTOCOL;
	case 'i':
		if (arg == NULL)
			return X_OTHER;
		if (ieq(arg, argn, "referer") || ieq(arg, argn, "referrer"))
			return X_REFERER;
		if (ieq(arg, argn, "user-agent"))
			return X_UA;
		if (ieq(arg, argn, "x-forwarded-for"))
			return X_FORWARDED;
		if (ieq(arg, argn, "host"))
			return X_VHOST;
		return X_OTHER;
	case 'A':
	case 'e':
	case 'f':
	case 'I':
	case 'k':
	case 'L':
	case 'n':
	case 'o':
	case 'p':
	case 'P':
	case 'R':
	case 'S':
	case 'X':
	case 'C':
	case '^':
		return X_OTHER;
	default:
		return X_LIT; /* unknown directive */
	}
}

static enum fid
nginx_id(const char *v, size_t n)
{
	static const struct {
		const char *name;
		enum fid id;
	} t[] = {
	    {"remote_addr", X_CLIENT},
	    {"binary_remote_addr", X_OTHER},
	    {"realip_remote_addr", X_CLIENT},
	    {"remote_user", X_USER},
	    {"time_local", X_TIME_CLF},
	    {"time_iso8601", X_TIME_ISO},
	    {"request", X_REQUEST},
	    {"status", X_STATUS},
	    {"body_bytes_sent", X_BYTES},
	    {"bytes_sent", X_BYTES},
	    {"http_referer", X_REFERER},
	    {"http_user_agent", X_UA},
	    {"http_x_forwarded_for", X_FORWARDED},
	    {"host", X_VHOST},
	    {"server_name", X_VHOST},
	    {"http_host", X_VHOST},
	    {"request_time", X_DUR_FLOAT},
	    {"request_method", X_METHOD},
	    {"uri", X_PATH},
	    {"document_uri", X_PATH},
	    {"request_uri", X_URI},
	    {"args", X_ARGS},
	    {"query_string", X_ARGS},
	    {"server_protocol", X_PROTOCOL},
	};

	for (size_t i = 0; i < countof(t); i++)
		if (strlen(t[i].name) == n && memcmp(t[i].name, v, n) == 0)
			return t[i].id;
	return X_OTHER;
}

static const char *
nickname(const char *spec)
{
	if (strcmp(spec, "common") == 0)
		return "%h %l %u %t \"%r\" %>s %b";
	if (strcmp(spec, "combined") == 0)
		return "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" "
		       "\"%{User-agent}i\"";
	if (strcmp(spec, "vhost_combined") == 0)
		return "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" "
		       "\"%{User-Agent}i\"";
	if (strcmp(spec, "nginx") == 0 || strcmp(spec, "main") == 0)
		return "$remote_addr - $remote_user [$time_local] \"$request\" "
		       "$status $body_bytes_sent \"$http_referer\" "
		       "\"$http_user_agent\"";
	return spec;
}

struct logs_fmt *
logs_fmt_compile(const char *spec, const char **errmsg)
{
	struct logs_fmt *f = calloc(1, sizeof(*f));
	const char *p;
	int nginx;

	*errmsg = NULL;
	if (f == NULL) {
		*errmsg = "out of memory";
		return NULL;
	}
	spec = nickname(spec);
	nginx = strchr(spec, '$') != NULL && strchr(spec, '%') == NULL;
	p = spec;
	while (*p) {
		if (!nginx && *p == '%') {
			const char *arg = NULL;
			size_t argn = 0;
			enum fid id;

			p++;
			if (*p == '%') {
				if (add(f, X_LIT, "%", 1) == -1)
					goto nomem;
				p++;
				continue;
			}
			/* Conditions and redirect markers: %>s, %!200r. */
			while (*p == '<' || *p == '>' || *p == '!' ||
			    *p == ',' || (*p >= '0' && *p <= '9'))
				p++;
			if (*p == '{') {
				const char *c = strchr(p, '}');

				if (c == NULL) {
					*errmsg = "unterminated %{ in format";
					goto fail;
				}
				arg = p + 1;
				argn = (size_t)(c - arg);
				p = c + 1;
			}
			if (*p == '\0') {
				*errmsg = "format ends after %";
				goto fail;
			}
			id = apache_id(*p, arg, argn);
			if (id == X_LIT) {
				*errmsg = "unknown directive in format";
				goto fail;
			}
			p++;
			if (add(f, id, NULL, 0) == -1)
				goto nomem;
		} else if (nginx && *p == '$' &&
		    ((p[1] >= 'a' && p[1] <= 'z') || p[1] == '_' ||
		        p[1] == '{')) {
			const char *v = p + 1, *ve;

			if (*v == '{') {
				v++;
				ve = strchr(v, '}');
				if (ve == NULL) {
					*errmsg = "unterminated ${ in format";
					goto fail;
				}
				p = ve + 1;
			} else {
				ve = v;
				while ((*ve >= 'a' && *ve <= 'z') ||
				    (*ve >= 'A' && *ve <= 'Z') ||
				    (*ve >= '0' && *ve <= '9') || *ve == '_')
					ve++;
				p = ve;
			}
			if (add(f, nginx_id(v, (size_t)(ve - v)), NULL, 0) ==
			    -1)
				goto nomem;
		} else {
			const char *s = p;

			if (!nginx && *p == '\\' && p[1] != '\0') {
				/* \" in a config string: a plain quote. */
				p++;
				s = p;
			}
			p++;
			if (add(f, X_LIT, s, 1) == -1)
				goto nomem;
		}
	}
	/* Two fields with nothing between them cannot be split. */
	for (size_t i = 1; i < f->n; i++)
		if (f->it[i].id != X_LIT && f->it[i - 1].id != X_LIT) {
			*errmsg = "two fields without a separator in format";
			goto fail;
		}
	return f;
nomem:
	*errmsg = "out of memory";
fail:
	logs_fmt_free(f);
	return NULL;
}

void
logs_fmt_free(struct logs_fmt *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->it[i].lit);
	free(f->it);
	free(f);
}

/* Where the field at p ends: before the literal lit (NULL: line end). */
static const char *
field_end(const char *p, const char *end, const struct item *next, int quoted)
{
	const char *q = p;

	if (next == NULL)
		return end;
	for (;;) {
		const char *h = memchr(q, next->lit[0], (size_t)(end - q));

		if (h == NULL)
			return NULL;
		if ((size_t)(end - h) >= next->litn &&
		    memcmp(h, next->lit, next->litn) == 0) {
			if (quoted && next->lit[0] == '"') {
				size_t nb = 0;

				while (
				    h - nb > p && h[-1 - (ptrdiff_t)nb] == '\\')
					nb++;
				if (nb % 2 == 1) {
					q = h + 1;
					continue;
				}
			}
			return h;
		}
		q = h + 1;
	}
}

static int
num(struct logs_str v, int64_t *out)
{
	const char *c = v.p, *ce = v.p + v.n;

	return p_num_or_dash(&c, ce, out) == 0 && c == ce ? 0 : -1;
}

int
logs_fmt_parse(
    const struct logs_fmt *f, const char *line, size_t n, struct logs_access *a)
{
	const char *p = line, *end = line + n;
	struct logs_str uri = {0};
	int have_request = 0;

	memset(a, 0, sizeof(*a));
	a->status = -1;
	a->bytes = -1;
	a->duration_us = -1;
	for (size_t i = 0; i < f->n; i++) {
		const struct item *it = &f->it[i];
		const struct item *next = i + 1 < f->n ? &f->it[i + 1] : NULL;
		int quoted = i > 0 && f->it[i - 1].lit != NULL &&
		    f->it[i - 1].lit[f->it[i - 1].litn - 1] == '"';
		const char *fe;
		struct logs_str v;
		int64_t x;

		if (it->id == X_LIT) {
			if ((size_t)(end - p) < it->litn ||
			    memcmp(p, it->lit, it->litn) != 0)
				return -1;
			p += it->litn;
			continue;
		}
		if (it->id == X_TIME_BR) {
			if (p >= end || *p != '[')
				return -1;
			fe = memchr(p, ']', (size_t)(end - p));
			if (fe == NULL)
				return -1;
			fe++;
		} else {
			fe = field_end(p, end, next, quoted);
			if (fe == NULL)
				return -1;
		}
		v = p_str(p, (size_t)(fe - p));
		p = fe;
		switch (it->id) {
		case X_CLIENT:
			a->client = v;
			break;
		case X_IDENT:
			a->ident = p_dash(v.p, v.n);
			break;
		case X_USER:
			a->user = p_dash(v.p, v.n);
			break;
		case X_TIME_BR:
		case X_TIME_CLF: {
			const char *c = v.p, *ce = v.p + v.n;

			if (it->id == X_TIME_BR) {
				c++;
				ce--;
			}
			if (p_time_clf(&c, ce, &a->time) == -1)
				return -1;
			break;
		}
		case X_TIME_ISO: {
			const char *c = v.p;

			if (civ_iso(&c, v.p + v.n, &a->time, CIV_ISO_T) == -1)
				return -1;
			break;
		}
		case X_REQUEST:
			a->request = v;
			have_request = 1;
			break;
		case X_STATUS:
			if (num(v, &x) == -1 || x > 999)
				return -1;
			a->status = (int)x;
			break;
		case X_BYTES:
			if (num(v, &x) == -1)
				return -1;
			a->bytes = x;
			break;
		case X_REFERER:
			a->referrer = p_dash(v.p, v.n);
			break;
		case X_UA:
			a->user_agent = p_dash(v.p, v.n);
			break;
		case X_VHOST:
			if (a->vhost.n == 0)
				a->vhost = p_dash(v.p, v.n);
			break;
		case X_DUR_US:
		case X_DUR_MS:
		case X_DUR_S:
			if (num(v, &x) == 0)
				a->duration_us = p_dur_us(x,
				    it->id == X_DUR_US       ? 1
				        : it->id == X_DUR_MS ? 1000
				                             : 1000000);
			break;
		case X_DUR_FLOAT: {
			const char *c = v.p;
			double d;

			if (cur_dec(&c, v.p + v.n, &d) == 0 && d >= 0 &&
			    d < 1e9)
				a->duration_us = (int64_t)(d * 1e6);
			break;
		}
		case X_METHOD:
			a->method = v;
			break;
		case X_PATH:
			a->path = v;
			break;
		case X_QUERY:
			if (v.n > 0 && v.p[0] == '?')
				a->query = p_str(v.p + 1, v.n - 1);
			break;
		case X_ARGS:
			a->query = p_dash(v.p, v.n);
			break;
		case X_URI:
			uri = v;
			break;
		case X_PROTOCOL:
			a->protocol = p_dash(v.p, v.n);
			break;
		case X_FORWARDED:
			a->forwarded = p_dash(v.p, v.n);
			break;
		default:
			break;
		}
	}
	if (p != end)
		return -1;
	if (have_request)
		p_request(a);
	else if (uri.n > 0)
		p_target(a, uri.p, uri.n);
	if (a->client.n == 0 && a->request.n == 0 && a->path.n == 0)
		return -1;
	return 0;
}
