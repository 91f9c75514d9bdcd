/*
 * json.c - JSON-lines helpers (see json.h).
 */
#include "base/json.h"

#include <math.h>
#include <string.h>

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
json_line(FILE *fp, json_t *obj)
{
	int rc = json_dumpf(obj, fp,
	    JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));

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
