/*
 * hist.c - the pure parts of the history: the archives, series names,
 * the sample of one step and the --since time (see hist.h).
 */
#include "hist/hist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/civtime.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "hist/hist_int.h"

#define HOUR 3600u
#define DAY (24u * HOUR)

/* Each archive by the time one row covers and the time all rows cover. */
static const struct {
	const char *cf;
	unsigned row_secs, span_secs;
} rras[] = {
    {"AVERAGE", HIST_STEP, 3 * HOUR},
    {"MAX", HIST_STEP, 3 * HOUR}, /* the same figures: for a graph's max */
    {"AVERAGE", 300, 2 * DAY},
    {"MAX", 300, 2 * DAY},
    {"AVERAGE", 1800, 14 * DAY},
    {"MAX", 1800, 14 * DAY},
    {"AVERAGE", 2 * HOUR, 62 * DAY},
    {"MAX", 2 * HOUR, 62 * DAY},
    {"AVERAGE", DAY, 730 * DAY},
    {"MAX", DAY, 730 * DAY},
};

size_t
hist_rra(struct hist_rra *out, size_t max)
{
	for (size_t i = 0; i < countof(rras) && i < max; i++) {
		out[i].cf = rras[i].cf;
		out[i].steps = rras[i].row_secs / HIST_STEP;
		out[i].rows = rras[i].span_secs / rras[i].row_secs;
	}
	return countof(rras);
}

int
hist_rra_text(const struct hist_rra *r, char *dst, size_t dstsz)
{
	int n =
	    snprintf(dst, dstsz, "RRA:%s:0.5:%u:%u", r->cf, r->steps, r->rows);

	return n < 0 || (size_t)n >= dstsz ? -1 : 0;
}

static int
safe_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int
hist_name(char *dst, size_t dstsz, const char *prefix, const char *subject,
    const char *what)
{
	struct strbuf sb = STRBUF_INIT(HIST_NAME_MAX - 1);
	int rc = 0;

	strbuf_adds(&sb, prefix);
	if (subject != NULL) {
		size_t a = 0, b = strlen(subject);

		while (a < b && subject[a] == '/')
			a++;
		while (b > a && subject[b - 1] == '/')
			b--;
		strbuf_addc(&sb, '.');
		if (a == b)
			strbuf_adds(&sb, b == 0 ? "none" : "root");
		for (size_t i = a; i < b; i++)
			strbuf_addc(&sb,
			    safe_byte((unsigned char)subject[i]) ? subject[i]
			                                         : '_');
	}
	if (what != NULL) {
		strbuf_addc(&sb, '.');
		strbuf_adds(&sb, what);
	}
	if (strbuf_failed(&sb) || sb.len >= dstsz)
		rc = -1;
	else
		memcpy(dst, sb.p, sb.len + 1);
	strbuf_release(&sb);
	return rc;
}

int
hist_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= HIST_NAME_MAX || name[0] == '.' ||
	    strstr(name, "..") != NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!safe_byte((unsigned char)name[i]) && name[i] != '.')
			return 0;
	return 1;
}

void
hist_sample_init(struct hist_sample *s)
{
	memset(s, 0, sizeof(*s));
}

void
hist_sample_release(struct hist_sample *s)
{
	free(s->v);
	hist_sample_init(s);
}

void
hist_sample_reset(struct hist_sample *s)
{
	s->n = 0;
	s->dropped = 0;
	s->dups = 0;
}

const struct hist_point *
hist_sample_find(const struct hist_sample *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

int
hist_sample_add(struct hist_sample *s, const char *name, double v)
{
	size_t len = strlen(name);

	if (len >= HIST_NAME_MAX || s->n >= HIST_SERIES_MAX) {
		s->dropped++;
		return -1;
	}
	if (hist_sample_find(s, name) != NULL) {
		s->dups++;
		return -1;
	}
	if (mem_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) == -1) {
		s->dropped++;
		return -1;
	}
	memcpy(s->v[s->n].name, name, len + 1);
	s->v[s->n].v = v;
	s->n++;
	return 0;
}

int
hist_since_parse(const char *s, time_t now, time_t *out)
{
	const char *cur = s, *end = s + strlen(s);
	struct civtime t = {0};
	uint64_t secs;

	if (*s == '@') {
		char *e;
		long long v;

		if (s[1] < '0' || s[1] > '9')
			return -1;
		v = strtoll(s + 1, &e, 10);
		if (*e != '\0' || v < 0)
			return -1;
		*out = (time_t)v;
		return 0;
	}
	if (civ_iso(&cur, end, &t, CIV_ISO_T | CIV_ISO_SPACE | CIV_ISO_DATE) ==
	        0 &&
	    cur == end) {
		*out = (time_t)civ_epoch(&t);
		return 0;
	}
	if (*s == '-')
		s++;
	if (dur_parse(s, strlen(s), &secs) == -1 || secs > (uint64_t)now)
		return -1;
	*out = now - (time_t)secs;
	return 0;
}

/* path with every ':' and '\\' escaped, as rrd_graph's DEF wants it. */
static void
def_path(struct strbuf *sb, const char *var, const char *path, const char *cf)
{
	strbuf_printf(sb, "DEF:%s=", var);
	for (const char *p = path; *p != '\0'; p++) {
		if (*p == ':' || *p == '\\')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *p);
	}
	strbuf_printf(sb, ":v:%s", cf);
}

int
hist_is_rate(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, "_ps") == 0;
}

unsigned long
hist_period_secs(const char *name)
{
	static const struct {
		const char *name;
		unsigned long secs;
	} periods[] = {
	    {"day", 86400},
	    {"week", 7 * 86400},
	    {"month", 31 * 86400},
	    {"year", 366 * 86400},
	};

	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if (strcmp(name, periods[i].name) == 0)
			return periods[i].secs;
	return 0;
}

const char *
hist_period_name(unsigned long secs)
{
	return secs <= 86400     ? "day"
	    : secs <= 7 * 86400  ? "week"
	    : secs <= 31 * 86400 ? "month"
	                         : "year";
}

int
hist_graph_args(struct hist_graph_args *g, const char *path, const char *name,
    unsigned long period, const char *output)
{
	size_t olen = strlen(output);
	int svg = olen > 4 && strcasecmp(output + olen - 4, ".svg") == 0;
	int rate = hist_is_rate(name);
	char **v = g->argv;

	memset(g, 0, sizeof(*g));
	strbuf_init(&g->def_a, 8192);
	strbuf_init(&g->def_m, 8192);
	def_path(&g->def_a, "a", path, "AVERAGE");
	def_path(&g->def_m, "m", path, "MAX");
	if (strbuf_failed(&g->def_a) || strbuf_failed(&g->def_m)) {
		hist_graph_args_release(g);
		return -1;
	}
	snprintf(g->start, sizeof(g->start), "end-%lus", period);
	snprintf(g->title, sizeof(g->title), "%s (last %s)", name,
	    hist_period_name(period));
	/* MRTG's view: the average a green area, the maximum a blue line,
	 * and max / average / current (total for a rate) in the legend;
	 * the PRINTs give the same figures back to the caller */
	v[g->argc++] = (char *)"graph";
	v[g->argc++] = (char *)output;
	v[g->argc++] = (char *)"--imgformat";
	v[g->argc++] = (char *)(svg ? "SVG" : "PNG");
	v[g->argc++] = (char *)"--start";
	v[g->argc++] = g->start;
	v[g->argc++] = (char *)"--end";
	v[g->argc++] = (char *)"now";
	v[g->argc++] = (char *)"--title";
	v[g->argc++] = g->title;
	v[g->argc++] = (char *)"--width";
	v[g->argc++] = (char *)"500";
	v[g->argc++] = (char *)"--height";
	v[g->argc++] = (char *)"135";
	v[g->argc++] = (char *)"--lower-limit";
	v[g->argc++] = (char *)"0";
	v[g->argc++] = g->def_a.p;
	v[g->argc++] = g->def_m.p;
	v[g->argc++] = (char *)"VDEF:amax=m,MAXIMUM";
	v[g->argc++] = (char *)"VDEF:aavg=a,AVERAGE";
	v[g->argc++] = (char *)"VDEF:alast=a,LAST";
	v[g->argc++] = (char *)"PRINT:amax:%.6lf";
	v[g->argc++] = (char *)"PRINT:aavg:%.6lf";
	v[g->argc++] = (char *)"PRINT:alast:%.6lf";
	v[g->argc++] = (char *)"AREA:a#00cc00:Average";
	v[g->argc++] = (char *)"LINE1:m#0000ff:Maximum\\n";
	v[g->argc++] = (char *)"GPRINT:amax:Max %.2lf%s";
	v[g->argc++] = (char *)"GPRINT:aavg:Average %.2lf%s";
	if (rate) {
		v[g->argc++] = (char *)"GPRINT:alast:Current %.2lf%s";
		v[g->argc++] = (char *)"VDEF:atot=a,TOTAL";
		v[g->argc++] = (char *)"GPRINT:atot:Total %.2lf%s\\n";
	} else {
		v[g->argc++] = (char *)"GPRINT:alast:Current %.2lf%s\\n";
	}
	v[g->argc] = NULL;
	return 0;
}

void
hist_graph_args_release(struct hist_graph_args *g)
{
	strbuf_release(&g->def_a);
	strbuf_release(&g->def_m);
}
