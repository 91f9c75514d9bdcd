/*
 * vmstat.c - /proc/vmstat (see vmstat.h).
 */
#include "collect/vmstat.h"

#include <errno.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

static const struct {
	const char *key;
	size_t off;
	unsigned bit;
} fields[] = {
    {"pswpin", offsetof(struct vmstat, pswpin), 0x10},
    {"pswpout", offsetof(struct vmstat, pswpout), 0x20},
    {"pgpgin", offsetof(struct vmstat, pgpgin), 0x40},
    {"pgpgout", offsetof(struct vmstat, pgpgout), 0x80},
    {"pgfault", offsetof(struct vmstat, pgfault), 0x100},
    {"pgmajfault", offsetof(struct vmstat, pgmajfault), 0x200},
};

int
vmstat_parse(const char *s, size_t n, struct vmstat *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0, seen = 0;

	memset(out, 0, sizeof(*out));
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls, *w;
		size_t wl;
		uint64_t v;

		lineno++;
		if (ls == le)
			continue;
		wl = cur_word(&p, le, &w);
		if (wl == 0 || cur_spaces(&p, le) == 0 ||
		    cur_u64(&p, le, &v) == -1) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		for (size_t i = 0; i < countof(fields); i++) {
			if (mem_eq(w, wl, fields[i].key)) {
				memcpy(
				    (char *)out + fields[i].off, &v, sizeof(v));
				seen |= fields[i].bit;
				break;
			}
		}
	}
	if ((seen & 0x30) == 0x30)
		out->have |= VMSTAT_SWAP;
	if ((seen & 0xc0) == 0xc0)
		out->have |= VMSTAT_PGPG;
	if ((seen & 0x300) == 0x300)
		out->have |= VMSTAT_FAULT;
	if (!(out->have & VMSTAT_SWAP))
		return err_set(
		    err, EINVAL, "no 'pswpin'/'pswpout' lines in /proc/vmstat");
	return 0;
}

int
vmstat_read(const char *root, struct vmstat *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);
	int rc = -1;

	if (collect_file(root, "/proc/vmstat", 1u << 20, &sb, err) == 0)
		rc = vmstat_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}
