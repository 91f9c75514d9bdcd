/*
 * output.c - table, JSON-lines and Nagios output of reports (see output.h).
 */
#include "base/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/esc.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "base/timeutil.h"

void
out_init(struct out *o, enum out_mode mode, FILE *fp)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	o->mode = mode;
	o->fp = fp;
	o->color = mode == OUT_TABLE && isatty(fileno(fp)) &&
	    (nc == NULL || nc[0] == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
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
	char ts[40];

	time_iso(ts, sizeof(ts), f->time);
	jset(o, "type", json_string("finding"));
	jset(o, "severity", json_string(sev_name(f->sev)));
	jset(o, "check", jstr(f->check));
	jset(o, "subject", jstr(f->subject));
	jset(o, "message", jstr(f->message));
	jset(o, "time", json_string(ts));
	for (unsigned i = 0; i < f->nev; i++)
		jset(ev, f->ev[i].key, jstr(f->ev[i].val));
	jset(o, "evidence", ev);
	return o;
}

static void
print_perf_value(FILE *fp, double v)
{
	if (isnan(v))
		return;
	if (v == floor(v) && fabs(v) < 1e15)
		fprintf(fp, "%.0f", v);
	else
		fprintf(fp, "%.2f", v);
}

/* Nagios perfdata labels: quote when needed, no ' or = inside. */
static void
print_perf_label(FILE *fp, const char *l)
{
	int quote = strpbrk(l, " \t") != NULL;

	if (quote)
		fputc('\'', fp);
	for (; *l; l++)
		fputc(*l == '\'' || *l == '=' || (unsigned char)*l < 0x20 ? '_'
		                                                          : *l,
		    fp);
	if (quote)
		fputc('\'', fp);
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
	fprintf(fp, "%s UNKNOWN - %s\n", name, strbuf_str(&sb));
	strbuf_release(&sb);
}

static void
out_nagios(const struct out *o, const struct report *r, const char *name)
{
	enum sev worst = report_worst(r);
	struct strbuf sb = STRBUF_INIT(4096);
	size_t shown = 0;

	fprintf(o->fp, "%s %s - ", name, sev_name(worst));
	if (worst == SEV_OK && r->nf == 0)
		fputs("all checks passed", o->fp);
	/* The worst first: what a pager shows is the first line. */
	for (int pass = 0; pass < 4; pass++) {
		static const enum sev order[] = {
		    SEV_CRITICAL, SEV_WARNING, SEV_UNKNOWN, SEV_OK};

		for (size_t i = 0; i < r->nf; i++) {
			const struct finding *f = &r->f[i];

			if (f->sev != order[pass] || f->sev == SEV_OK)
				continue;
			nagios_text(&sb, f->message);
			fprintf(o->fp, "%s%s: %s", shown ? "; " : "",
			    sev_name(f->sev), strbuf_str(&sb));
			shown++;
		}
	}
	if (worst == SEV_OK && r->nf > 0 && shown == 0)
		fputs("all checks passed", o->fp);
	if (r->np > 0) {
		fputs(" |", o->fp);
		for (size_t i = 0; i < r->np; i++) {
			const struct perf *p = &r->p[i];

			fputc(' ', o->fp);
			print_perf_label(o->fp, p->label);
			fputc('=', o->fp);
			print_perf_value(o->fp, p->value);
			fputs(p->uom, o->fp);
			fputc(';', o->fp);
			print_perf_value(o->fp, p->warn);
			fputc(';', o->fp);
			print_perf_value(o->fp, p->crit);
			fputc(';', o->fp);
			print_perf_value(o->fp, p->min);
			fputc(';', o->fp);
			print_perf_value(o->fp, p->max);
		}
	}
	fputc('\n', o->fp);
	strbuf_release(&sb);
}

static void
out_table(const struct out *o, const struct report *r)
{
	static const char *const hdr[] = {
	    "SEVERITY", "CHECK", "SUBJECT", "MESSAGE"};
	struct table t;

	if (r->nf == 0) {
		fprintf(o->fp, "%sOK%s: no problems found\n",
		    out_sev_color(o, SEV_OK), out_reset(o));
		return;
	}
	if (o->color) {
		/* Coloured severities do not fit the table's widths; print rows. */
		for (size_t i = 0; i < r->nf; i++) {
			const struct finding *f = &r->f[i];
			struct strbuf sb = STRBUF_INIT(4096);

			esc_text(&sb, f->subject, strlen(f->subject));
			strbuf_adds(&sb, ": ");
			esc_text(&sb, f->message, strlen(f->message));
			fprintf(o->fp, "%s%-8s%s  %-16s %s\n",
			    out_sev_color(o, f->sev), sev_name(f->sev),
			    out_reset(o), f->check, strbuf_str(&sb));
			strbuf_release(&sb);
		}
	} else {
		table_init(&t, 4, hdr, "llll");
		for (size_t i = 0; i < r->nf; i++) {
			const struct finding *f = &r->f[i];
			const char *cells[4] = {
			    sev_name(f->sev), f->check, f->subject, f->message};

			table_row(&t, cells);
		}
		table_print(&t, o->fp, 0);
		table_release(&t);
	}
	if (r->dropped)
		fprintf(o->fp, "(%zu more findings not kept)\n", r->dropped);
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
