/*
 * diskstats.c - /proc/diskstats (see diskstats.h).
 */
#include "collect/diskstats.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

static int
parse_line(const char *p, const char *le, struct disk_stat *d)
{
	const char *name;
	size_t nl;
	uint64_t maj, min;

	memset(d, 0, sizeof(*d));
	d->whole = -1;
	cur_spaces(&p, le);
	if (cur_u64(&p, le, &maj) == -1 || cur_spaces(&p, le) == 0 ||
	    cur_u64(&p, le, &min) == -1 || cur_spaces(&p, le) == 0 ||
	    maj > UINT_MAX || min > UINT_MAX)
		return -1;
	nl = cur_word(&p, le, &name);
	if (nl == 0 || nl >= sizeof(d->name))
		return -1;
	memcpy(d->name, name, nl);
	d->name[nl] = '\0';
	d->major = (unsigned)maj;
	d->minor = (unsigned)min;
	for (unsigned i = 0; i < DS_NFIELDS; i++) {
		if (cur_spaces(&p, le) == 0 || p == le)
			break;
		if (cur_u64(&p, le, &d->f[i]) == -1)
			return -1;
		d->nfields = i + 1;
	}
	cur_spaces(&p, le);
	/* 2.6 partition lines have 4 counters: reads, sectors read, writes, sectors written */
	if (d->nfields == 4) {
		uint64_t r = d->f[0], rs = d->f[1], w = d->f[2], ws = d->f[3];

		memset(d->f, 0, sizeof(d->f));
		d->f[DS_RD_IOS] = r;
		d->f[DS_RD_SECTORS] = rs;
		d->f[DS_WR_IOS] = w;
		d->f[DS_WR_SECTORS] = ws;
		return 0;
	}
	return d->nfields >= 11 ? 0 : -1;
}

int
diskstats_parse(const char *s, size_t n, struct diskstats *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0;

	memset(out, 0, sizeof(*out));
	while (cur_line(&cur, end, &ls, &le) == 0) {
		struct disk_stat d;

		lineno++;
		if (ls == le)
			continue;
		if (out->n >= DISKS_MAX || parse_line(ls, le, &d) == -1) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		if (mem_grow(&out->d, &out->cap, out->n + 1, sizeof(*out->d)) ==
		    -1)
			return err_set(err, ENOMEM, "out of memory");
		out->d[out->n++] = d;
	}
	return 0;
}

int
diskstats_read(const char *root, struct diskstats *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(16u << 20);
	char path[PATH_MAX], rel[128];
	struct stat st;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (collect_file(root, "/proc/diskstats", 16u << 20, &sb, err) == 0)
		rc = diskstats_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	if (rc == -1)
		return -1;
	if (path_join(path, sizeof(path), root, "/sys/block") == -1 ||
	    stat(path, &st) == -1)
		return 0;
	for (size_t i = 0; i < out->n; i++) {
		struct disk_stat *d = &out->d[i];

		snprintf(rel, sizeof(rel), "/sys/block/%s", d->name);
		for (char *c = rel + 11; *c; c++)
			if (*c == '/')
				*c = '!';
		d->whole = path_join(path, sizeof(path), root, rel) == 0 &&
		    stat(path, &st) == 0;
	}
	return 0;
}

void
diskstats_release(struct diskstats *ds)
{
	free(ds->d);
	memset(ds, 0, sizeof(*ds));
}

const struct disk_stat *
diskstats_find(const struct diskstats *ds, const char *name)
{
	for (size_t i = 0; i < ds->n; i++)
		if (strcmp(ds->d[i].name, name) == 0)
			return &ds->d[i];
	return NULL;
}

static double
delta(const struct disk_stat *a, const struct disk_stat *b, int f)
{
	uint64_t x = a ? a->f[f] : 0, y = b->f[f];

	return y > x ? (double)(y - x) : 0;
}

void
disk_rates(const struct disk_stat *before, const struct disk_stat *now,
    double secs, struct disk_rates *out)
{
	double rd = delta(before, now, DS_RD_IOS);
	double wr = delta(before, now, DS_WR_IOS);
	double rt = delta(before, now, DS_RD_TICKS);
	double wt = delta(before, now, DS_WR_TICKS);

	memset(out, 0, sizeof(*out));
	if (secs <= 0)
		return;
	out->r_s = rd / secs;
	out->w_s = wr / secs;
	/* sectors are 512 bytes whatever the device's block size */
	out->rkb_s = delta(before, now, DS_RD_SECTORS) / 2.0 / secs;
	out->wkb_s = delta(before, now, DS_WR_SECTORS) / 2.0 / secs;
	out->rrqm_s = delta(before, now, DS_RD_MERGES) / secs;
	out->wrqm_s = delta(before, now, DS_WR_MERGES) / secs;
	out->r_await = rd > 0 ? rt / rd : 0;
	out->w_await = wr > 0 ? wt / wr : 0;
	out->await = rd + wr > 0 ? (rt + wt) / (rd + wr) : 0;
	out->aqu_sz = delta(before, now, DS_TIME_IN_QUEUE) / 1000.0 / secs;
	out->util = delta(before, now, DS_IO_TICKS) / 10.0 / secs;
	if (out->util > 100.0)
		out->util = 100.0;
}

int
disk_stat_shown(const struct disk_stat *d, int all)
{
	if (all)
		return 1;
	if (d->whole == 0)
		return 0;
	return d->f[DS_RD_IOS] + d->f[DS_WR_IOS] + d->f[DS_DC_IOS] > 0;
}
