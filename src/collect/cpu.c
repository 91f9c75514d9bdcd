/*
 * cpu.c - /proc/stat (see cpu.h).
 */
#include "collect/cpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

#define STAT_MAX (4u << 20) /* the intr line is long on big machines */

/* The numbers after "cpu" / "cpuN": at least 4 (user nice system idle). */
static int
parse_times(const char *cur, const char *end, struct cpu_times *t)
{
	unsigned i;

	t->nfields = 0;
	memset(t->t, 0, sizeof(t->t));
	for (i = 0; i < CPU_NFIELDS; i++) {
		if (cur_spaces(&cur, end) == 0)
			break;
		if (cur_u64(&cur, end, &t->t[i]) == -1)
			return -1;
		t->nfields = i + 1;
	}
	return t->nfields >= 4 ? 0 : -1;
}

static int
add_cpu(struct cpu_stat *out, const struct cpu_times *t)
{
	if (out->ncpu >= CPU_MAX)
		return -1;
	if (out->ncpu == 0 ||
	    (out->ncpu >= 4 && (out->ncpu & (out->ncpu - 1)) == 0)) {
		size_t cap = out->ncpu ? out->ncpu * 2 : 4;
		struct cpu_times *p = realloc(out->cpu, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		out->cpu = p;
	}
	out->cpu[out->ncpu++] = *t;
	return 0;
}

static const struct {
	const char *key;
	size_t off;
	unsigned flag;
} counters[] = {
    {"ctxt", offsetof(struct cpu_stat, ctxt), CPUSTAT_CTXT},
    {"intr", offsetof(struct cpu_stat, intr), CPUSTAT_INTR},
    {"btime", offsetof(struct cpu_stat, btime), CPUSTAT_BTIME},
    {"processes", offsetof(struct cpu_stat, processes), CPUSTAT_PROCS},
    {"procs_running", offsetof(struct cpu_stat, procs_running), 0},
    {"procs_blocked", offsetof(struct cpu_stat, procs_blocked), 0},
};

int
cpustat_parse(const char *s, size_t n, struct cpu_stat *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0;
	int have_total = 0;

	memset(out, 0, sizeof(*out));
	out->total.id = -1;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls, *w;
		size_t wl;

		lineno++;
		wl = cur_word(&p, le, &w);
		if (wl == 0)
			continue;
		if (wl >= 3 && memcmp(w, "cpu", 3) == 0) {
			struct cpu_times t;

			if (wl == 3) {
				if (parse_times(p, le, &t) == -1) {
					collect_bad_line(&out->skipped,
					    &out->first_bad, lineno);
					continue;
				}
				t.id = -1;
				out->total = t;
				have_total = 1;
			} else {
				const char *q = w + 3;
				uint64_t id;

				if (cur_u64(&q, w + wl, &id) == -1 ||
				    q != w + wl || id > INT32_MAX ||
				    parse_times(p, le, &t) == -1) {
					collect_bad_line(&out->skipped,
					    &out->first_bad, lineno);
					continue;
				}
				t.id = (int)id;
				if (add_cpu(out, &t) == -1)
					collect_bad_line(&out->skipped,
					    &out->first_bad, lineno);
			}
			continue;
		}
		for (size_t i = 0; i < countof(counters); i++) {
			uint64_t v;

			if (!mem_eq(w, wl, counters[i].key))
				continue;
			cur_spaces(&p, le);
			if (cur_u64(&p, le, &v) == -1) {
				collect_bad_line(
				    &out->skipped, &out->first_bad, lineno);
				break;
			}
			memcpy((char *)out + counters[i].off, &v, sizeof(v));
			out->have |= counters[i].flag;
			break;
		}
	}
	if (!have_total)
		return err_set(err, EINVAL, "no 'cpu' line in /proc/stat");
	return 0;
}

int
cpustat_read(const char *root, struct cpu_stat *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(STAT_MAX);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (collect_file(root, "/proc/stat", STAT_MAX, &sb, err) == 0)
		rc = cpustat_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}

void
cpustat_release(struct cpu_stat *st)
{
	free(st->cpu);
	st->cpu = NULL;
	st->ncpu = 0;
}

const struct cpu_times *
cpustat_find(const struct cpu_stat *st, int id)
{
	if (id < 0)
		return &st->total;
	/* Usually cpu[i].id == i; offline CPUs leave gaps. */
	if ((size_t)id < st->ncpu && st->cpu[id].id == id)
		return &st->cpu[id];
	for (size_t i = 0; i < st->ncpu; i++)
		if (st->cpu[i].id == id)
			return &st->cpu[i];
	return NULL;
}

void
cpu_usage(const struct cpu_times *before, const struct cpu_times *now,
    struct cpu_usage *out)
{
	double d[CPU_NFIELDS], total = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < CPU_NFIELDS; i++) {
		uint64_t a = before ? before->t[i] : 0, b = now->t[i];

		d[i] = b > a ? (double)(b - a) : 0;
		/* guest time is already inside user and nice */
		if (i != CPU_GUEST && i != CPU_GUEST_NICE)
			total += d[i];
	}
	out->ticks = total;
	if (total <= 0)
		return;
	out->nice = 100.0 * d[CPU_NICE] / total;
	out->user = 100.0 * (d[CPU_USER] + d[CPU_NICE]) / total;
	out->irq = 100.0 * (d[CPU_IRQ] + d[CPU_SOFTIRQ]) / total;
	out->system = 100.0 * d[CPU_SYSTEM] / total + out->irq;
	out->idle = 100.0 * d[CPU_IDLE] / total;
	out->iowait = 100.0 * d[CPU_IOWAIT] / total;
	out->steal = 100.0 * d[CPU_STEAL] / total;
}
