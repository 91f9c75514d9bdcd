/*
 * output.c - table, JSON-lines and Nagios output of reports (see output.h).
 */
#include "base/output.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "base/cur.h"
#include "base/esc.h"
#include "base/mem.h"
#include "base/json.h"
#include "base/size.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "base/timeutil.h"

/* 1 when fp is the stream JOURNAL_STREAM ("DEVICE:INODE") names. */
static int
is_journal(FILE *fp)
{
	const char *js = getenv("JOURNAL_STREAM"), *end;
	uint64_t dev, ino;
	struct stat st;

	if (js == NULL)
		return 0;
	end = js + strlen(js);
	if (cur_u64(&js, end, &dev) == -1 || cur_char(&js, end, ':') == -1 ||
	    cur_u64(&js, end, &ino) == -1 || js != end)
		return 0;
	if (fileno(fp) < 0 || fstat(fileno(fp), &st) == -1)
		return 0;
	return (uint64_t)st.st_dev == dev && (uint64_t)st.st_ino == ino;
}

void
out_init(struct out *o, enum out_mode mode, FILE *fp)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	o->mode = mode;
	o->fp = fp;
	o->journal = mode == OUT_TABLE && is_journal(fp);
	o->color = mode == OUT_TABLE && !o->journal && isatty(fileno(fp)) &&
	    (nc == NULL || nc[0] == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
	o->human = !o->journal && isatty(fileno(fp));
}

size_t
out_width(FILE *fp)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	uint64_t v;

	if (env != NULL && str_u64(env, &v) == 0 && v > 0 && v <= 10000)
		return (size_t)v;
	if (fp == NULL || !isatty(fileno(fp)))
		return 0;
	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

void
out_size(const struct out *o, char *dst, size_t dstsz, double bytes)
{
	if (o->human)
		size_format(dst, dstsz, bytes);
	else
		snprintf(dst, dstsz, "%.0f", bytes);
}

/* The sd-daemon(3) priority of a severity (syslog levels). */
static int
sev_priority(enum sev sev)
{
	switch (sev) {
	case SEV_OK:
		return 6; /* LOG_INFO */
	case SEV_WARNING:
		return 4; /* LOG_WARNING */
	case SEV_CRITICAL:
		return 2; /* LOG_CRIT */
	default:
		return 3; /* LOG_ERR: it could not look */
	}
}

const char *
out_sev_color(const struct out *o, enum sev sev)
{
	if (!o->color)
		return "";
	switch (sev) {
	case SEV_OK:
		return "\033[32m";
	case SEV_WARNING:
		return "\033[33m";
	case SEV_CRITICAL:
		return "\033[1;31m";
	default:
		return "\033[35m";
	}
}

const char *
out_reset(const struct out *o)
{
	return o->color ? "\033[0m" : "";
}

json_t *
finding_json(const struct finding *f)
{
	json_t *o = json_object(), *ev = json_object();
	jset(o, "type", json_string("finding"));
	jset(o, "severity", json_string(sev_name(f->sev)));
	jset(o, "check", jstr(f->check));
	jset(o, "subject", jstr(f->subject));
	jset(o, "message", jstr(f->message));
	jset(o, "time", jtime((int64_t)f->time));
	for (unsigned i = 0; i < f->nev; i++)
		jset(ev, f->ev[i].key, jvalue(f->ev[i].val));
	jset(o, "evidence", ev);
	return o;
}

/*
 * The plugin's first line: its text cut near OUT_NAGIOS_TEXT_MAX bytes, the
 * whole line (with the perfdata that fits) under OUT_NAGIOS_LINE_MAX.
 */
#define OUT_NAGIOS_TEXT_MAX 300
#define OUT_NAGIOS_LINE_MAX 900

/* Cuts sb to at most len bytes, not inside a UTF-8 sequence. */
static void
text_cut(struct strbuf *sb, size_t len)
{
	if (len >= sb->len)
		return;
	while (len > 0 && ((unsigned char)sb->p[len] & 0xC0) == 0x80)
		len--;
	sb->len = len;
	sb->p[len] = '\0';
}

static void
perf_value(struct strbuf *sb, double v)
{
	if (isnan(v))
		return;
	if (v == floor(v) && fabs(v) < 1e15)
		strbuf_printf(sb, "%.0f", v);
	else
		strbuf_printf(sb, "%.2f", v);
}

/* A threshold as a range: "10" alerts above 10, "10:" below 10. */
static void
perf_range(struct strbuf *sb, double v, int lower)
{
	perf_value(sb, v);
	if (lower && !isnan(v))
		strbuf_addc(sb, ':');
}

/*
 * One perfdata item, 'label'=value[UOM];warn;crit;min;max.  The label is
 * quoted when it holds a space, '=' or a quote (doubled inside), control
 * characters and '|' written as '_'.
 */
static void
perf_item(struct strbuf *sb, const struct perf *p)
{
	int quote = strpbrk(p->label, " \t='") != NULL;

	if (quote)
		strbuf_addc(sb, '\'');
	for (const char *l = p->label; *l; l++) {
		if (*l == '\'')
			strbuf_adds(sb, "''");
		else
			strbuf_addc(sb,
			    (unsigned char)*l < 0x20 || *l == '|' ? '_' : *l);
	}
	if (quote)
		strbuf_addc(sb, '\'');
	strbuf_addc(sb, '=');
	perf_value(sb, p->value);
	strbuf_adds(sb, p->uom);
	strbuf_addc(sb, ';');
	perf_range(sb, p->warn, p->lower);
	strbuf_addc(sb, ';');
	perf_range(sb, p->crit, p->lower);
	strbuf_addc(sb, ';');
	perf_value(sb, p->min);
	strbuf_addc(sb, ';');
	perf_value(sb, p->max);
}

/* Text for the plugin line: escaped, and no '|' (perfdata starts there). */
static void
nagios_text(struct strbuf *sb, const char *text)
{
	strbuf_reset(sb);
	esc_text(sb, text, strlen(text));
	for (size_t k = 0; k < sb->len; k++)
		if (sb->p[k] == '|' || sb->p[k] == '\n')
			sb->p[k] = '/';
}

void
out_nagios_unknown(FILE *fp, const char *name, const char *reason)
{
	struct strbuf sb = STRBUF_INIT(1024);

	nagios_text(&sb, reason);
	if (sb.len > OUT_NAGIOS_LINE_MAX - 100)
		text_cut(&sb, OUT_NAGIOS_LINE_MAX - 100);
	fprintf(fp, "%s UNKNOWN - %s\n", name, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* The findings worth a line, the worst first: what a pager shows first. */
static size_t
nagios_order(const struct report *r, size_t *idx)
{
	static const enum sev order[] = {
	    SEV_CRITICAL, SEV_WARNING, SEV_UNKNOWN};
	size_t n = 0;

	for (size_t pass = 0; pass < countof(order); pass++)
		for (size_t i = 0; i < r->nf; i++)
			if (r->f[i].sev == order[pass])
				idx[n++] = i;
	return n;
}

/*
 * The monitoring-plugins form: a first line "NAME STATE - text | perfdata"
 * well under 1 KiB, then, when there is more than it says, one line per
 * finding (the long output), and the perfdata that did not fit on the first
 * line after a '|' on the last line.
 */
static void
out_nagios(const struct out *o, const struct report *r, const char *name)
{
	enum sev worst = report_worst(r);
	struct strbuf line = STRBUF_INIT(1 << 16);
	struct strbuf sb = STRBUF_INIT(4096), item = STRBUF_INIT(512);
	size_t *idx = calloc(r->nf + 1, sizeof(*idx));
	size_t n = 0, shown = 0, perf_first = 0;
	int cut = 0;

	if (idx != NULL)
		n = nagios_order(r, idx);
	strbuf_printf(&line, "%s %s - ", name, sev_name(worst));
	if (n == 0)
		strbuf_adds(&line, "all checks passed");
	for (; shown < n; shown++) {
		const struct finding *f = &r->f[idx[shown]];
		size_t at = line.len;

		nagios_text(&sb, f->message);
		strbuf_printf(&line, "%s%s: %s", shown ? "; " : "",
		    sev_name(f->sev), strbuf_str(&sb));
		if (line.len <= OUT_NAGIOS_TEXT_MAX)
			continue;
		if (shown > 0) {
			text_cut(&line, at);
			break;
		}
		text_cut(&line, OUT_NAGIOS_TEXT_MAX - 3);
		strbuf_adds(&line, "...");
		cut = 1;
	}
	if (shown < n)
		strbuf_printf(&line, " (%zu more below)", n - shown);
	for (; perf_first < r->np; perf_first++) {
		strbuf_reset(&item);
		perf_item(&item, &r->p[perf_first]);
		if (line.len + item.len + 3 > OUT_NAGIOS_LINE_MAX)
			break;
		strbuf_adds(&line, perf_first ? " " : " | ");
		strbuf_adds(&line, strbuf_str(&item));
	}
	fprintf(o->fp, "%s\n", strbuf_str(&line));
	/* The long output: every finding, when the first line is not all. */
	for (size_t k = 0; (n > 1 || cut) && k < n; k++) {
		const struct finding *f = &r->f[idx[k]];

		nagios_text(&sb, f->subject);
		fprintf(o->fp, "%s: %s %s: ", sev_name(f->sev), f->check,
		    strbuf_str(&sb));
		nagios_text(&sb, f->message);
		fprintf(o->fp, "%s\n", strbuf_str(&sb));
	}
	if (perf_first < r->np) {
		fputc('|', o->fp);
		for (size_t i = perf_first; i < r->np; i++) {
			strbuf_reset(&item);
			perf_item(&item, &r->p[i]);
			fprintf(o->fp, " %s", strbuf_str(&item));
		}
		fputc('\n', o->fp);
	}
	free(idx);
	strbuf_release(&item);
	strbuf_release(&sb);
	strbuf_release(&line);
}

static void
out_table(const struct out *o, const struct report *r)
{
	static const char *const hdr[] = {
	    "SEVERITY", "CHECK", "SUBJECT", "MESSAGE"};
	struct table t;

	if (r->nf == 0) {
		fprintf(o->fp, "%s%sOK%s: no problems found\n",
		    o->journal ? "<6>" : "", out_sev_color(o, SEV_OK),
		    out_reset(o));
		return;
	}
	if (o->journal) {
		/* One line per finding, in the journal at its priority. */
		for (size_t i = 0; i < r->nf; i++) {
			const struct finding *f = &r->f[i];
			struct strbuf sb = STRBUF_INIT(4096);

			esc_text(&sb, f->subject, strlen(f->subject));
			strbuf_adds(&sb, ": ");
			esc_text(&sb, f->message, strlen(f->message));
			fprintf(o->fp, "<%d>%s %s %s\n", sev_priority(f->sev),
			    sev_name(f->sev), f->check, strbuf_str(&sb));
			strbuf_release(&sb);
		}
	} else {
		/* The same table on a terminal as in a pipe; in colour, the
		 * severity says itself in its colour. */
		table_init(&t, 4, hdr, "llll");
		t.wrap = 1; /* a message is read whole */
		for (size_t i = 0; i < r->nf; i++) {
			const struct finding *f = &r->f[i];
			const char *cells[4] = {
			    sev_name(f->sev), f->check, f->subject, f->message};

			table_row_sgr(&t, cells, out_sev_color(o, f->sev));
		}
		table_print(&t, o->fp, o->color);
		table_release(&t);
	}
	if (r->dropped)
		fprintf(o->fp, "%s(%zu more findings not kept)\n",
		    o->journal ? "<4>" : "", r->dropped);
}

void
out_report(const struct out *o, const struct report *r, const char *name)
{
	switch (o->mode) {
	case OUT_JSON:
		for (size_t i = 0; i < r->nf; i++)
			json_line(o->fp, finding_json(&r->f[i]));
		break;
	case OUT_NAGIOS:
		out_nagios(o, r, name);
		break;
	default:
		out_table(o, r);
		break;
	}
}
