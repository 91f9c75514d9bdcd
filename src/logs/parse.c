/*
 * parse.c - one entry point for every format: detects the format of each
 * line from its first bytes (or uses the one the caller forces), keeps the
 * per-file state (W3C header, year for RFC 3164), and decodes the
 * journal's JSON lines (journalctl -o json).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/cur.h"
#include "base/mem.h"
#include "logs/logs.h"
#include "logs/parse_int.h"

static const char *const fmt_names[LOGS_FMT_COUNT] = {
    "auto",
    "clf",
    "logformat",
    "iis",
    "iis-native",
    "apache-error",
    "nginx-error",
    "syslog",
    "journal",
};

const char *
logs_format_name(enum logs_format f)
{
	return (unsigned)f < LOGS_FMT_COUNT ? fmt_names[f] : "?";
}

int
logs_format_parse(const char *name, enum logs_format *out)
{
	static const struct {
		const char *alias;
		enum logs_format f;
	} aliases[] = {
	    {"common", LOGS_FMT_CLF},
	    {"combined", LOGS_FMT_CLF},
	    {"vhost_combined", LOGS_FMT_CLF},
	    {"nginx", LOGS_FMT_CLF},
	    {"apache", LOGS_FMT_CLF},
	    {"w3c", LOGS_FMT_IIS_W3C},
	    {"error", LOGS_FMT_APACHE_ERROR},
	    {"json", LOGS_FMT_JOURNAL_JSON},
	};

	for (int i = 0; i < LOGS_FMT_COUNT; i++)
		if (strcmp(name, fmt_names[i]) == 0) {
			*out = (enum logs_format)i;
			return 0;
		}
	for (size_t i = 0; i < countof(aliases); i++)
		if (strcmp(name, aliases[i].alias) == 0) {
			*out = aliases[i].f;
			return 0;
		}
	return -1;
}

void
logs_parser_init(struct logs_parser *p, enum logs_format force)
{
	memset(p, 0, sizeof(*p));
	p->force = force;
	logs_w3c_init(&p->w3c);
}

void
logs_parser_release(struct logs_parser *p)
{
	free(p->scratch);
	if (p->jroot != NULL)
		json_decref((json_t *)p->jroot);
	p->scratch = NULL;
	p->jroot = NULL;
}

/* ---- the journal: journalctl -o json ---- */

/* A string field, or a byte array (the journal's form for binary data). */
static int
jfield(struct logs_parser *p, json_t *o, const char *key, size_t *off,
    struct logs_str *out)
{
	json_t *v = json_object_get(o, key);
	size_t need;

	*out = p_str(NULL, 0);
	if (v == NULL)
		return 0;
	if (json_is_string(v))
		need = json_string_length(v);
	else if (json_is_array(v))
		need = json_array_size(v);
	else
		return 0;
	if (need == 0)
		return 0; /* empty as absent (scratch may not exist yet) */
	if (*off + need > p->scratch_cap) {
		/* Slices already handed out point into scratch: grow it only
		 * before the first field (off == 0), else cut. */
		if (*off != 0)
			need = p->scratch_cap - *off;
		else {
			char *m = realloc(p->scratch, need + 256);

			if (m == NULL)
				return -1;
			p->scratch = m;
			p->scratch_cap = need + 256;
		}
	}
	if (json_is_string(v)) {
		memcpy(p->scratch + *off, json_string_value(v), need);
	} else {
		for (size_t i = 0; i < need; i++) {
			json_t *b = json_array_get(v, i);

			p->scratch[*off + i] = json_is_integer(b)
			    ? (char)json_integer_value(b)
			    : '?';
		}
	}
	*out = p_str(p->scratch + *off, need);
	*off += need;
	return 0;
}

static int
journal(
    struct logs_parser *p, const char *line, size_t n, struct logs_syslog *s)
{
	json_error_t je;
	json_t *o, *v;
	size_t off = 0, total = 0;
	static const char *const keys[] = {
	    "MESSAGE", "_HOSTNAME", "SYSLOG_IDENTIFIER", "_PID", "SYSLOG_PID"};

	memset(s, 0, sizeof(*s));
	s->facility = s->severity = -1;
	o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL || !json_is_object(o)) {
		if (o != NULL)
			json_decref(o);
		return -1;
	}
	/* Room for every field at once, so no slice moves. */
	for (size_t i = 0; i < countof(keys); i++) {
		v = json_object_get(o, keys[i]);
		if (json_is_string(v))
			total += json_string_length(v);
		else if (json_is_array(v))
			total += json_array_size(v);
	}
	if (total > p->scratch_cap) {
		char *m = realloc(p->scratch, total + 256);

		if (m == NULL) {
			json_decref(o);
			return -1;
		}
		p->scratch = m;
		p->scratch_cap = total + 256;
	}
	if (jfield(p, o, "MESSAGE", &off, &s->message) == -1 ||
	    jfield(p, o, "_HOSTNAME", &off, &s->host) == -1 ||
	    jfield(p, o, "SYSLOG_IDENTIFIER", &off, &s->app) == -1 ||
	    jfield(p, o, "_PID", &off, &s->pid) == -1) {
		json_decref(o);
		return -1;
	}
	v = json_object_get(o, "PRIORITY");
	if (json_is_string(v) && json_string_length(v) == 1 &&
	    json_string_value(v)[0] >= '0' && json_string_value(v)[0] <= '7')
		s->severity = json_string_value(v)[0] - '0';
	v = json_object_get(o, "SYSLOG_FACILITY");
	if (json_is_string(v)) {
		uint64_t fac;

		if (str_u64(json_string_value(v), &fac) == 0 && fac < 24)
			s->facility = (int)fac;
	}
	v = json_object_get(o, "__REALTIME_TIMESTAMP");
	if (json_is_string(v)) {
		uint64_t us;

		if (str_u64(json_string_value(v), &us) == 0) {
			int64_t secs = (int64_t)(us / 1000000);
			int64_t days = secs / 86400, rem = secs % 86400;
			/* civil_from_days (Hinnant) */
			int64_t z = days + 719468;
			int64_t era = (z >= 0 ? z : z - 146096) / 146097;
			int64_t doe = z - era * 146097;
			int64_t yoe =
			    (doe - doe / 1460 + doe / 36524 - doe / 146096) /
			    365;
			int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
			int64_t mp = (5 * doy + 2) / 153;
			struct civtime *t = &s->time;

			t->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
			t->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
			t->year = (int)(yoe + era * 400 + (t->mon <= 2));
			t->hour = (int)(rem / 3600);
			t->min = (int)(rem / 60 % 60);
			t->sec = (int)(rem % 60);
			t->usec = (int)(us % 1000000);
			t->has_tz = 1;
			t->has_year = 1;
			civ_finish(t);
		}
	}
	if (p->jroot != NULL)
		json_decref((json_t *)p->jroot);
	p->jroot = o;
	if (s->message.p == NULL)
		s->message = p_str("", 0);
	return 0;
}

/* ---- dispatch ---- */

/*
 * An Apache or nginx error log sent through syslog: the message is the
 * error-log line; the record becomes that error record.
 */
static void
unwrap(struct logs_rec *rec)
{
	struct logs_str m = rec->u.s.message;
	struct logs_error e;

	for (int pass = 0; pass < 2; pass++) {
		const char *c;

		if (m.n < 20)
			return;
		if (m.p[0] == '['
		        ? logs_parse_apache_error(m.p, m.n, &e) == 0
		        : (m.p[4] == '/' &&
		              logs_parse_nginx_error(m.p, m.n, &e) == 0)) {
			rec->kind = LOGS_KIND_ERROR;
			rec->u.e = e;
			return;
		}
		/* A second "host tag: " prefix (relayed twice). */
		c = memchr(m.p, ':', m.n < 64 ? m.n : 64);
		if (c == NULL || c + 2 >= m.p + m.n || c[1] != ' ')
			return;
		m.n -= (size_t)(c + 2 - m.p);
		m.p = c + 2;
	}
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static enum logs_res
try_format(struct logs_parser *p, enum logs_format f, const char *line,
    size_t n, struct logs_rec *rec)
{
	int rc = -1;

	switch (f) {
	case LOGS_FMT_CLF:
		rec->kind = LOGS_KIND_ACCESS;
		rc = logs_parse_clf_memo(line, n, &p->clf, &rec->u.a);
		break;
	case LOGS_FMT_LOGFORMAT:
		rec->kind = LOGS_KIND_ACCESS;
		if (p->fmt != NULL)
			rc = logs_fmt_parse(p->fmt, line, n, &rec->u.a);
		break;
	case LOGS_FMT_IIS_W3C: {
		enum logs_res r;

		rec->kind = LOGS_KIND_ACCESS;
		r = logs_w3c_line(&p->w3c, line, n, &rec->u.a);
		if (r != LOGS_OK) {
			rec->kind = LOGS_KIND_NONE;
			rec->format = f;
			return r;
		}
		rc = 0;
		break;
	}
	case LOGS_FMT_IIS_NATIVE:
		rec->kind = LOGS_KIND_ACCESS;
		rc = logs_parse_iis_native(line, n, &rec->u.a);
		break;
	case LOGS_FMT_APACHE_ERROR:
		rec->kind = LOGS_KIND_ERROR;
		rc = logs_parse_apache_error(line, n, &rec->u.e);
		break;
	case LOGS_FMT_NGINX_ERROR:
		rec->kind = LOGS_KIND_ERROR;
		rc = logs_parse_nginx_error(line, n, &rec->u.e);
		break;
	case LOGS_FMT_SYSLOG:
		rec->kind = LOGS_KIND_SYSLOG;
		rc =
		    logs_parse_syslog_year(line, n, p->default_year, &rec->u.s);
		if (rc == 0 && !p->syslog_only)
			unwrap(rec);
		break;
	case LOGS_FMT_JOURNAL_JSON:
		rec->kind = LOGS_KIND_SYSLOG;
		rc = journal(p, line, n, &rec->u.s);
		break;
	default:
		break;
	}
	if (rc == -1) {
		rec->kind = LOGS_KIND_NONE;
		return LOGS_BAD;
	}
	rec->format = f;
	return LOGS_OK;
}

/* Candidate formats for a line, most likely first, from its first bytes. */
static unsigned
candidates(const char *s, size_t n, enum logs_format *c)
{
	unsigned k = 0;

	switch (s[0]) {
	case '[':
		c[k++] = LOGS_FMT_APACHE_ERROR;
		return k;
	case '<':
		c[k++] = LOGS_FMT_SYSLOG;
		return k;
	case '{':
		c[k++] = LOGS_FMT_JOURNAL_JSON;
		return k;
	case '#':
		c[k++] = LOGS_FMT_IIS_W3C;
		return k;
	default:
		break;
	}
	if (n >= 11 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
	    is_digit(s[3])) {
		if (s[4] == '-' && s[7] == '-' && s[10] == ' ') {
			c[k++] = LOGS_FMT_IIS_W3C;
			return k;
		}
		if (s[4] == '-' && s[7] == '-' && s[10] == 'T') {
			c[k++] = LOGS_FMT_SYSLOG;
			return k;
		}
		if (s[4] == '/' && s[7] == '/') {
			c[k++] = LOGS_FMT_NGINX_ERROR;
			return k;
		}
	}
	/* "20/12/2002 12:00 ...": W3C rows with a Windows locale's date */
	if (n >= 11 && is_digit(s[0]) && is_digit(s[1]) && s[2] == '/' &&
	    is_digit(s[3]) && is_digit(s[4]) && s[5] == '/' && is_digit(s[6]) &&
	    is_digit(s[9]) && s[10] == ' ')
		c[k++] = LOGS_FMT_IIS_W3C;
	if (n >= 16 && s[3] == ' ' && civ_month(s) != 0 &&
	    (is_digit(s[4]) || s[4] == ' ')) {
		c[k++] = LOGS_FMT_SYSLOG;
		c[k++] = LOGS_FMT_CLF;
		return k;
	}
	c[k++] = LOGS_FMT_CLF;
	c[k++] = LOGS_FMT_IIS_NATIVE;
	c[k++] = LOGS_FMT_SYSLOG;
	return k;
}

enum logs_res
logs_parse_line(
    struct logs_parser *p, const char *line, size_t n, struct logs_rec *rec)
{
	enum logs_format c[8];
	unsigned k;
	enum logs_res r;

	rec->kind = LOGS_KIND_NONE;
	rec->format = LOGS_FMT_AUTO;
	if (n == 0)
		return LOGS_EMPTY;
	if (p->force != LOGS_FMT_AUTO) {
		/* W3C files: a '#' line is a directive whatever is forced. */
		return try_format(p, p->force, line, n, rec);
	}
	if (p->fmt != NULL) {
		r = try_format(p, LOGS_FMT_LOGFORMAT, line, n, rec);
		if (r == LOGS_OK)
			return r;
	}
	k = candidates(line, n, c);
	for (unsigned i = 0; i < k; i++) {
		r = try_format(p, c[i], line, n, rec);
		if (r != LOGS_BAD) {
			if (r == LOGS_OK)
				p->last = c[i];
			return r;
		}
	}
	return LOGS_BAD;
}
