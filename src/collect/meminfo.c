/*
 * meminfo.c - /proc/meminfo (see meminfo.h).
 */
#include "collect/meminfo.h"

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
} fields[] = {
    {"MemTotal", offsetof(struct meminfo, mem_total)},
    {"MemFree", offsetof(struct meminfo, mem_free)},
    {"MemAvailable", offsetof(struct meminfo, mem_available)},
    {"Buffers", offsetof(struct meminfo, buffers)},
    {"Cached", offsetof(struct meminfo, cached)},
    {"SwapCached", offsetof(struct meminfo, swap_cached)},
    {"Active", offsetof(struct meminfo, active)},
    {"Inactive", offsetof(struct meminfo, inactive)},
    {"Shmem", offsetof(struct meminfo, shmem)},
    {"SReclaimable", offsetof(struct meminfo, sreclaimable)},
    {"SwapTotal", offsetof(struct meminfo, swap_total)},
    {"SwapFree", offsetof(struct meminfo, swap_free)},
    {"Dirty", offsetof(struct meminfo, dirty)},
    {"Committed_AS", offsetof(struct meminfo, committed_as)},
};

int
meminfo_parse(const char *s, size_t n, struct meminfo *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0;

	memset(out, 0xff, sizeof(*out)); /* every field MEM_ABSENT */
	out->skipped = 0;
	out->first_bad = 0;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *colon, *p;
		uint64_t v;

		lineno++;
		if (ls == le)
			continue;
		colon = memchr(ls, ':', (size_t)(le - ls));
		p = colon ? colon + 1 : le;
		cur_spaces(&p, le);
		if (colon == NULL || cur_u64(&p, le, &v) == -1) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		for (size_t i = 0; i < countof(fields); i++) {
			if (mem_eq(ls, (size_t)(colon - ls), fields[i].key)) {
				memcpy(
				    (char *)out + fields[i].off, &v, sizeof(v));
				break;
			}
		}
	}
	if (out->mem_total == MEM_ABSENT)
		return err_set(err, EINVAL, "no 'MemTotal' line in meminfo");
	return 0;
}

int
meminfo_read(const char *root, struct meminfo *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(1u << 20);
	int rc = -1;

	if (collect_file(root, "/proc/meminfo", 1u << 20, &sb, err) == 0)
		rc = meminfo_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}

static uint64_t
z(uint64_t v)
{
	return v == MEM_ABSENT ? 0 : v;
}

void
meminfo_summary(const struct meminfo *m, struct mem_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->total = z(m->mem_total);
	out->free = z(m->mem_free);
	out->shared = z(m->shmem);
	out->buff_cache = z(m->buffers) + z(m->cached) + z(m->sreclaimable);
	if (m->mem_available != MEM_ABSENT) {
		out->available = m->mem_available;
	} else {
		out->available = out->free + out->buff_cache;
		out->avail_estimated = 1;
	}
	if (out->available > out->total)
		out->available = out->total;
	out->used = out->total - out->available;
	out->swap_total = z(m->swap_total);
	out->swap_free = z(m->swap_free);
	if (out->swap_free > out->swap_total)
		out->swap_free = out->swap_total;
	out->swap_used = out->swap_total - out->swap_free;
	out->avail_pct = out->total
	    ? 100.0 * (double)out->available / (double)out->total
	    : 0;
}
