/*
 * floods.c - one message flooding a log: error-log and syslog messages
 * (and the unprefixed lines a CGI's stderr leaves in Apache 2.2's error
 * log, like Perl's "panic: POPSTACK") reduced to a template with numbers,
 * addresses, hex strings and paths masked, counted per template; a
 * template repeated at least flood_rate times within a minute, and at
 * least flood_min times in all, is reported once with its count and first
 * and last time.  Also the error rate per level.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "base/topk.h"
#include "logs/analyzer.h"

#define TPL_MAX 200
#define SAMPLE_MAX 200
#define WINDOW 60
#define REPORTED (1ULL << 63) /* in aux[0]: already reported live */

static const char *const levels[9] = {"emerg", "alert", "crit", "error", "warn",
    "notice", "info", "debug", "unknown"};

struct floods {
	const struct logs_opts *o;
	struct topk tpl; /* aux[0] window start, aux[1] count in it; sum: peak;
	                    data: sample message */
	uint64_t level[9];
	int64_t first, last; /* time span seen */
	int64_t now;         /* last known time (for lines without one) */
	size_t reported;     /* flood findings added in follow mode */
};

static void
floods_free(void *st)
{
	struct floods *f = st;

	topk_release(&f->tpl);
	free(f);
}

static void *
floods_create(const struct logs_opts *o, const char **errmsg)
{
	struct floods *f = calloc(1, sizeof(*f));

	(void)errmsg;
	if (f == NULL)
		return NULL;
	f->o = o;
	if (topk_init(&f->tpl, o->topk_cap, TPL_MAX + 64) == -1) {
		floods_free(f);
		return NULL;
	}
	f->tpl.free_data = free;
	return f;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
ishex(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * The template of a message: paths -> <path>, addresses -> <ip>, hex
 * strings of 8 or more -> <hex>, other digit runs -> #.  Cut at TPL_MAX.
 */
static size_t
template_of(const char *s, size_t n, char *out, size_t max)
{
	size_t i = 0, o = 0;

#define PUT(str)                                                               \
	do {                                                                   \
		const char *p_ = (str);                                        \
		while (*p_ && o < max)                                         \
			out[o++] = *p_++;                                      \
	} while (0)
	while (i < n && o < max) {
		char c = s[i];
		int boundary = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\'' ||
		    s[i - 1] == '"' || s[i - 1] == '(' || s[i - 1] == '[' ||
		    s[i - 1] == '=' || s[i - 1] == ':' || s[i - 1] == ',';

		if (c == '/' && boundary) {
			while (i < n && s[i] != ' ' && s[i] != '\'' &&
			    s[i] != '"' && s[i] != ',' && s[i] != ')')
				i++;
			PUT("<path>");
			continue;
		}
		if (ishex(c) && boundary) {
			size_t j = i, dig = 0, dots = 0, colons = 0;

			while (j < n &&
			    (ishex(s[j]) || s[j] == '.' || s[j] == ':')) {
				dig += isdig(s[j]);
				dots += s[j] == '.';
				colons += s[j] == ':';
				j++;
			}
			if ((dots == 3 && dig >= 4) || colons >= 2) {
				i = j;
				PUT("<ip>");
				continue;
			}
			if (j - i >= 8 && dots == 0 && colons == 0 && dig > 0) {
				i = j;
				PUT("<hex>");
				continue;
			}
		}
		if (isdig(c)) {
			while (i < n && (isdig(s[i]) || s[i] == '.'))
				i++;
			PUT("#");
			continue;
		}
		out[o++] = (unsigned char)c < 0x20 ? '?' : c;
		i++;
	}
#undef PUT
	return o;
}

static void
add_flood(struct report *r, const struct topk_entry *e)
{
	struct finding *fd;
	char key[TPL_MAX + 80], t1[32], t2[32];

	memcpy(key, e->key, e->klen);
	key[e->klen] = '\0';
	time_iso(t1, sizeof(t1), (time_t)e->first);
	time_iso(t2, sizeof(t2), (time_t)e->last);
	fd = report_add(r, SEV_WARNING, "logs.flood", key,
	    "repeated %llu times from %s to %s (up to %llu a minute)",
	    (unsigned long long)e->count, t1, t2, (unsigned long long)e->sum);
	if (fd != NULL) {
		finding_ev(fd, "count", "%llu", (unsigned long long)e->count);
		finding_ev(fd, "first", "%s", t1);
		finding_ev(fd, "last", "%s", t2);
		finding_ev(
		    fd, "peak_per_minute", "%llu", (unsigned long long)e->sum);
		if (e->data != NULL)
			finding_ev(fd, "example", "%s", (const char *)e->data);
	}
}

static int
is_flood(const struct floods *f, const struct topk_entry *e)
{
	return (double)e->sum >= f->o->flood_rate &&
	    e->count >= f->o->flood_min;
}

static void
floods_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct floods *f = st;
	char key[TPL_MAX + 80];
	size_t k = 0;
	int sev = 8, fresh;
	struct logs_str msg = rec->line;
	const struct civtime *t = NULL;
	struct topk_entry *e;

	switch (rec->kind) {
	case LOGS_KIND_ERROR:
		sev = rec->u.e.severity >= 0 ? rec->u.e.severity : 8;
		msg = rec->u.e.message;
		t = &rec->u.e.time;
		k = (size_t)snprintf(key, sizeof(key), "[%s] ", levels[sev]);
		break;
	case LOGS_KIND_SYSLOG: {
		const struct logs_syslog *s = &rec->u.s;
		size_t an = s->app.n < 40 ? s->app.n : 40;

		sev = s->severity >= 0 ? s->severity : 8;
		msg = s->message;
		t = &s->time;
		k = (size_t)snprintf(key, sizeof(key), "%.*s: ", (int)an,
		    s->app.p ? s->app.p : "");
		break;
	}
	case LOGS_KIND_RAW:
		k = (size_t)snprintf(key, sizeof(key), "[raw] ");
		break;
	default:
		return;
	}
	f->level[sev]++;
	if (t != NULL && t->valid) {
		f->now = civ_epoch(t);
		if (f->first == 0 || f->now < f->first)
			f->first = f->now;
		if (f->now > f->last)
			f->last = f->now;
	}
	k += template_of(msg.p, msg.n, key + k, sizeof(key) - k);
	e = topk_add(&f->tpl, key, k, 1, &fresh);
	if (e == NULL)
		return;
	if (fresh) {
		size_t sn = msg.n < SAMPLE_MAX ? msg.n : SAMPLE_MAX;
		char *sample = malloc(sn + 1);

		if (sample != NULL) {
			memcpy(sample, msg.p, sn);
			sample[sn] = '\0';
		}
		e->data = sample;
		e->first = f->now;
		e->aux[0] = (uint64_t)f->now;
		e->aux[1] = 0;
	}
	e->last = f->now;
	if (f->now - (int64_t)(e->aux[0] & ~REPORTED) >= WINDOW) {
		e->aux[0] = (uint64_t)f->now | (e->aux[0] & REPORTED);
		e->aux[1] = 0;
	}
	e->aux[1]++;
	if (e->aux[1] > e->sum)
		e->sum = e->aux[1];
	/* Live: report the moment it becomes a flood, once. */
	if (f->o->follow && !(e->aux[0] & REPORTED) && is_flood(f, e)) {
		add_flood(r, e);
		e->aux[0] |= REPORTED;
	}
}

static void
floods_finish(void *st, struct report *r, const struct out *o)
{
	struct floods *f = st;
	const struct topk_entry **all;
	size_t n;
	double minutes =
	    f->last > f->first ? (double)(f->last - f->first) / 60 : 1;
	struct table t;
	static const char *const hl[] = {"level", "messages", "per minute"};
	static const char *const hf[] = {
	    "flooding message", "count", "peak/min", "first", "last"};

	if (o->mode == OUT_JSON) {
		for (int i = 0; i < 9; i++) {
			json_t *j;

			if (f->level[i] == 0)
				continue;
			j = json_object();
			jset(j, "type", json_string("floods.level"));
			jset(j, "level", json_string(levels[i]));
			jset(j, "count", json_integer((json_int_t)f->level[i]));
			jset(j, "per_minute",
			    json_real((double)f->level[i] / minutes));
			json_line(o->fp, j);
		}
	} else if (o->mode == OUT_TABLE) {
		int any = 0;

		table_init(&t, 3, hl, "lrr");
		for (int i = 0; i < 9; i++) {
			char c1[32], c2[32];
			const char *row[3] = {levels[i], c1, c2};

			if (f->level[i] == 0)
				continue;
			any = 1;
			snprintf(c1, sizeof(c1), "%llu",
			    (unsigned long long)f->level[i]);
			snprintf(c2, sizeof(c2), "%.2f",
			    (double)f->level[i] / minutes);
			table_row(&t, row);
		}
		if (any) {
			fputc('\n', o->fp);
			table_print(&t, o->fp, o->color);
		}
		table_release(&t);
	}
	all = calloc(f->tpl.n + 1, sizeof(*all));
	if (all == NULL)
		return;
	n = topk_sorted(&f->tpl, all, f->tpl.n);
	table_init(&t, 5, hf, "lrrll");
	for (size_t i = 0; i < n; i++) {
		const struct topk_entry *e = all[i];
		char key[TPL_MAX + 80], c1[32], c2[32], t1[32], t2[32];
		const char *row[5] = {key, c1, c2, t1, t2};

		if (!is_flood(f, e))
			continue;
		memcpy(key, e->key, e->klen);
		key[e->klen] = '\0';
		snprintf(c1, sizeof(c1), "%llu", (unsigned long long)e->count);
		snprintf(c2, sizeof(c2), "%llu", (unsigned long long)e->sum);
		time_iso(t1, sizeof(t1), (time_t)e->first);
		time_iso(t2, sizeof(t2), (time_t)e->last);
		table_row(&t, row);
		if (!f->o->follow)
			add_flood(r, e);
		if (o->mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("floods.flood"));
			jset(j, "template", jstrn(e->key, e->klen));
			jset(j, "count", json_integer((json_int_t)e->count));
			jset(j, "peak_per_minute",
			    json_integer((json_int_t)e->sum));
			jset(j, "first", jtime((int64_t)e->first));
			jset(j, "last", jtime((int64_t)e->last));
			jset(j, "example", jstr(e->data ? e->data : ""));
			json_line(o->fp, j);
		}
	}
	if (o->mode == OUT_TABLE && t.nrow > 0) {
		fputc('\n', o->fp);
		table_print(&t, o->fp, o->color);
	}
	table_release(&t);
	free(all);
}

const struct logs_analyzer_ops logs_floods_ops = {
    .name = "floods",
    .help = "one message repeated above a rate; error rate per level",
    .kinds = LOGS_KIND_ERROR | LOGS_KIND_SYSLOG | LOGS_KIND_RAW,
    .create = floods_create,
    .record = floods_record,
    .finish = floods_finish,
    .free = floods_free,
};
