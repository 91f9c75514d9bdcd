/*
 * osrel.c - parse os-release(5) (see osrel.h).
 */
#include "inv/osrel.h"

#include <string.h>

#include "base/cur.h"
#include "base/mem.h"

/* Unquotes [s, e) into dst (cut to dstsz-1). */
static void
unquote(char *dst, size_t dstsz, const char *s, const char *e)
{
	size_t n = 0;
	char q = 0;

	if (s < e && (*s == '"' || *s == '\'')) {
		q = *s++;
		if (e > s && e[-1] == q)
			e--;
	}
	for (; s < e && n + 1 < dstsz; s++) {
		if (*s == '\\' && q != '\'' && s + 1 < e)
			s++;
		dst[n++] = *s;
	}
	dst[n] = '\0';
}

void
osrel_parse(const char *text, size_t len, struct osrel *out)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
	    {"ID", offsetof(struct osrel, id), sizeof(out->id)},
	    {"NAME", offsetof(struct osrel, name), sizeof(out->name)},
	    {"VERSION_ID", offsetof(struct osrel, version_id),
	        sizeof(out->version_id)},
	    {"VERSION", offsetof(struct osrel, version), sizeof(out->version)},
	    {"PRETTY_NAME", offsetof(struct osrel, pretty_name),
	        sizeof(out->pretty_name)},
	};
	const char *cur = text, *end = text + len, *ls, *le;

	memset(out, 0, sizeof(*out));
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls, *eq;

		cur_spaces(&p, le);
		if (p == le || *p == '#')
			continue;
		eq = memchr(p, '=', (size_t)(le - p));
		if (eq == NULL || eq == p) {
			out->skipped++;
			continue;
		}
		while (le > eq + 1 && (le[-1] == ' ' || le[-1] == '\t'))
			le--;
		for (size_t i = 0; i < countof(keys); i++) {
			if (mem_eq(p, (size_t)(eq - p), keys[i].key)) {
				unquote((char *)out + keys[i].off, keys[i].size,
				    eq + 1, le);
				break;
			}
		}
	}
}
