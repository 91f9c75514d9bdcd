/*
 * json.c - JSON-lines helpers (see json.h).
 */
#include "base/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/civtime.h"
#include "base/esc.h"
#include "base/strbuf.h"

json_t *
jstrn(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT(0);
	json_t *j;
	size_t i = 0;

	if (s == NULL)
		return json_null();
	/*
	 * Fast path: valid UTF-8 without NUL goes straight through.  C1 controls
	 * count as invalid (utf8_seq_len), so they are written as \\xNN too.
	 */
	while (i < n) {
		size_t l = p[i] == 0 ? 0 : utf8_seq_len(p + i, n - i);

		if (l == 0)
			break;
		i += l;
	}
	if (i == n)
		return json_stringn(s, n);
	for (i = 0; i < n;) {
		size_t l = p[i] == 0 ? 0 : utf8_seq_len(p + i, n - i);

		if (l > 0) {
			strbuf_add(&sb, p + i, l);
			i += l;
		} else {
			strbuf_printf(&sb, "\\x%02x", p[i]);
			i++;
		}
	}
	j = json_stringn(strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return j ? j : json_string("");
}

json_t *
jstr(const char *s)
{
	return s ? jstrn(s, strlen(s)) : json_null();
}

void
jset(json_t *obj, const char *key, json_t *val)
{
	if (val)
		json_object_set_new(obj, key, val);
}

int
json_stamp(json_t *obj)
{
	json_t *rest = json_object(), *type, *v;
	const char *k;
	int rc = 0;

	if (rest == NULL || json_object_update(rest, obj) == -1) {
		json_decref(rest);
		return -1;
	}
	type = json_object_get(rest, "type");
	json_object_clear(obj);
	if (type != NULL)
		rc |= json_object_set(obj, "type", type);
	rc |= json_object_set_new(obj, "schema", json_integer(JSON_SCHEMA));
	json_object_foreach(rest, k, v)
	{
		if (strcmp(k, "type") != 0 && strcmp(k, "schema") != 0)
			rc |= json_object_set(obj, k, v);
	}
	json_decref(rest);
	return rc == 0 ? 0 : -1;
}

int
json_line(FILE *fp, json_t *obj)
{
	int rc = json_stamp(obj);

	if (rc == 0)
		rc = json_dumpf(obj, fp,
		    JSON_COMPACT | JSON_PRESERVE_ORDER |
		        JSON_REAL_PRECISION(10));

	json_decref(obj);
	if (rc == -1)
		return -1;
	return fputc('\n', fp) == EOF ? -1 : 0;
}

json_t *
jreal_or_null(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

json_t *
jtime(int64_t epoch)
{
	char buf[CIV_RFC3339_LEN + 8];

	if (epoch == 0)
		return json_null();
	civ_rfc3339(buf, sizeof(buf), epoch);
	return json_string(buf);
}

/* The length of the JSON number at the start of s, or 0. */
static size_t
number_len(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return (size_t)(p - s);
}

json_t *
jvalue(const char *s)
{
	size_t n;
	char *end;

	if (s == NULL)
		return json_null();
	n = number_len(s);
	if (n == 0 || s[n] != '\0')
		return jstr(s);
	if (strpbrk(s, ".eE") == NULL) {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer((json_int_t)v);
	}
	{
		double d;

		errno = 0;
		d = strtod(s, &end);
		if (errno == 0 && *end == '\0' && isfinite(d))
			return json_real(d);
	}
	return jstr(s);
}
