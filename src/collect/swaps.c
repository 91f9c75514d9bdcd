/*
 * swaps.c - /proc/swaps (see swaps.h).
 */
#include "collect/swaps.h"

#include <errno.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

size_t
collect_unoctal(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t o = 0;

	if (dstsz == 0)
		return 0;
	for (size_t i = 0; i < n && o + 1 < dstsz; i++) {
		if (s[i] == '\\' && n - i >= 4 && s[i + 1] >= '0' &&
		    s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			dst[o++] = (char)((s[i + 1] - '0') * 64 +
			    (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
			continue;
		}
		dst[o++] = s[i];
	}
	dst[o] = '\0';
	return o;
}

int
swaps_parse(const char *s, size_t n, struct swaps *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0;

	(void)err;
	memset(out, 0, sizeof(*out));
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls, *name, *type;
		size_t nl, tl;
		struct swap_area a;

		lineno++;
		if (ls == le ||
		    (lineno == 1 && le - ls >= 8 &&
		        memcmp(ls, "Filename", 8) == 0))
			continue;
		memset(&a, 0, sizeof(a));
		nl = cur_word(&p, le, &name);
		cur_spaces(&p, le);
		tl = cur_word(&p, le, &type);
		cur_spaces(&p, le);
		if (nl == 0 || tl == 0 || cur_u64(&p, le, &a.size_kb) == -1 ||
		    cur_spaces(&p, le) == 0 ||
		    cur_u64(&p, le, &a.used_kb) == -1) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		cur_spaces(&p, le);
		if (cur_i64(&p, le, &a.prio) == -1)
			a.prio = 0;
		if (out->n >= SWAPS_MAX) {
			out->skipped++;
			continue;
		}
		collect_unoctal(a.name, sizeof(a.name), name, nl);
		collect_unoctal(a.type, sizeof(a.type), type, tl);
		out->a[out->n++] = a;
	}
	return 0;
}

int
swaps_read(const char *root, struct swaps *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);
	int rc = -1;

	if (collect_file(root, "/proc/swaps", 1u << 20, &sb, err) == 0)
		rc = swaps_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}
