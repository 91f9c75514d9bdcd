/*
 * table.c - aligned text tables (see table.h).
 */
#include "base/table.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/esc.h"
#include "base/mem.h"
#include "base/strbuf.h"

void
table_init(
    struct table *t, unsigned ncol, const char *const *hdr, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol > TABLE_MAXCOL ? TABLE_MAXCOL : ncol;
	for (unsigned i = 0; i < t->ncol; i++) {
		t->hdr[i] = hdr[i];
		t->align[i] = align && align[i] == 'r' ? 'r' : 'l';
	}
}

int
table_row(struct table *t, const char *const *cells)
{
	return table_row_sgr(t, cells, NULL);
}

int
table_row_sgr(struct table *t, const char *const *cells, const char *sgr)
{
	char **row;

	if (t->nrow == t->caprow) {
		size_t ncap = t->caprow ? t->caprow * 2 : 32;
		char **nc = realloc(t->cells, ncap * t->ncol * sizeof(*nc));
		const char **ns;

		if (nc == NULL)
			return -1;
		t->cells = nc;
		ns = realloc(t->sgr, ncap * sizeof(*ns));
		if (ns == NULL)
			return -1;
		t->sgr = ns;
		t->caprow = ncap;
	}
	t->sgr[t->nrow] = sgr;
	/* a row's cells are one allocation, each cell NUL-terminated
	 * (row[0] is its start): a big table is not one small allocation
	 * per cell */
	row = t->cells + t->nrow * t->ncol;
	{
		struct strbuf one = STRBUF_INIT(1 << 16); /* a cell, cut */
		struct strbuf all = STRBUF_INIT(0);
		size_t off[TABLE_MAXCOL];

		for (unsigned i = 0; i < t->ncol; i++) {
			const char *c = cells[i] ? cells[i] : "-";

			strbuf_reset(&one);
			esc_text(&one, c, strlen(c));
			off[i] = all.len;
			if (strbuf_add(&all, one.p, one.len) == -1 ||
			    strbuf_addc(&all, '\0') == -1) {
				strbuf_release(&one);
				strbuf_release(&all);
				return -1;
			}
		}
		strbuf_release(&one);
		for (unsigned i = 0; i < t->ncol; i++)
			row[i] = all.p + off[i];
	}
	t->nrow++;
	return 0;
}

/* The terminal's stream and width (table_screen). */
static FILE *screen_fp;
static size_t screen_width;

void
table_screen(FILE *fp, size_t width)
{
	screen_fp = fp;
	screen_width = width;
}

size_t
table_screen_width(FILE *fp)
{
	return fp != NULL && fp == screen_fp ? screen_width : 0;
}

size_t
table_text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* "…" when the locale's characters are UTF-8 (LC_ALL, LC_CTYPE, LANG). */
static const char *
ellipsis(size_t *w)
{
	static const char *const env[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	const char *v = NULL;

	for (size_t i = 0; i < countof(env); i++) {
		v = getenv(env[i]);
		if (v != NULL && v[0] != '\0')
			break;
	}
	if (v != NULL && (strcasestr(v, "utf-8") || strcasestr(v, "utf8"))) {
		*w = 1;
		return "\u2026";
	}
	*w = 3;
	return "...";
}

/* Byte length of the first n code points of s. */
static size_t
points_len(const char *s, size_t n)
{
	size_t b = 0;

	for (size_t k = 0; s[b] && k <= n; b++)
		if (((unsigned char)s[b] & 0xc0) != 0x80 && k++ == n)
			break;
	return b;
}

/* Writes the first n code points of s. */
static void
put_points(FILE *fp, const char *s, size_t n)
{
	fwrite(s, 1, points_len(s, n), fp);
}

size_t
table_put_cut(FILE *fp, const char *s, size_t w)
{
	size_t sw = table_text_width(s), ew;
	const char *el;

	if (sw <= w) {
		fputs(s, fp);
		return sw;
	}
	el = ellipsis(&ew);
	if (w <= ew) {
		put_points(fp, s, w);
		return w;
	}
	put_points(fp, s, w - ew);
	fputs(el, fp);
	return w;
}

static void
cell(FILE *fp, const char *s, size_t w, char align, int last)
{
	size_t sw = table_text_width(s);
	size_t pad = w > sw ? w - sw : 0;

	if (align == 'r')
		for (size_t i = 0; i < pad; i++)
			fputc(' ', fp);
	table_put_cut(fp, s, w);
	if (align != 'r' && !last)
		for (size_t i = 0; i < pad; i++)
			fputc(' ', fp);
}

/*
 * Makes the line fit in limit: first one space between columns instead of
 * two (as ps), then narrower text columns, one column at a time off the
 * widest (the rightmost of equals, where command lines and messages are),
 * none below its header or 8 columns (24 for a wrapping last column).
 * Numbers keep their width: a line that cannot fit without cutting one
 * stays wider.  Returns the gap between columns.
 */
static size_t
fit(const struct table *t, size_t *w, size_t limit)
{
	size_t total = 0, floor_[TABLE_MAXCOL], gap = 2;

	for (unsigned c = 0; c < t->ncol; c++) {
		size_t h = table_text_width(t->hdr[c]);

		total += w[c];
		floor_[c] = h > 8 ? h : 8;
		if (t->wrap && c + 1 == t->ncol && floor_[c] < 24)
			floor_[c] = 24;
	}
	if (total + gap * (t->ncol - 1) <= limit)
		return gap;
	gap = 1;
	total += t->ncol - 1;
	while (total > limit) {
		unsigned best = TABLE_MAXCOL;

		for (unsigned c = 0; c < t->ncol; c++)
			if (t->align[c] == 'l' && w[c] > floor_[c] &&
			    (best == TABLE_MAXCOL || w[c] >= w[best]))
				best = c;
		if (best == TABLE_MAXCOL)
			break;
		w[best]--;
		total--;
	}
	return gap;
}

/*
 * The last cell of a wrapping table: lines of at most w columns, broken
 * after the last space that fits (or anywhere in a longer word), each
 * continuation line indented by indent.
 */
static void
wrap_cell(FILE *fp, const char *s, size_t w, size_t indent)
{
	if (w == 0)
		w = 1; /* each line takes at least one character */
	for (int first = 1; *s; first = 0) {
		size_t len = points_len(s, w), brk = len;

		if (!first)
			for (size_t i = 0; i < indent; i++)
				fputc(' ', fp);
		if (s[len] != '\0') {
			for (size_t k = len; k > 0; k--)
				if (s[k] == ' ') {
					brk = k;
					break;
				}
		}
		fwrite(s, 1, brk, fp);
		s += brk;
		while (*s == ' ')
			s++;
		if (*s)
			fputc('\n', fp);
	}
}

void
table_print(const struct table *t, FILE *fp, int color)
{
	size_t w[TABLE_MAXCOL], limit = table_screen_width(fp), gap = 2;
	const char *sep = "  ";

	for (unsigned c = 0; c < t->ncol; c++) {
		w[c] = table_text_width(t->hdr[c]);
		for (size_t r = 0; r < t->nrow; r++) {
			size_t cw = table_text_width(t->cells[r * t->ncol + c]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	if (limit > 0)
		gap = fit(t, w, limit);
	if (gap == 1)
		sep = " ";
	if (color)
		fputs("\033[1m", fp);
	for (unsigned c = 0; c < t->ncol; c++) {
		cell(fp, t->hdr[c], w[c], t->align[c], c + 1 == t->ncol);
		if (c + 1 < t->ncol)
			fputs(sep, fp);
	}
	if (color)
		fputs("\033[0m", fp);
	fputc('\n', fp);
	for (size_t r = 0; r < t->nrow; r++) {
		for (unsigned c = 0; c < t->ncol; c++) {
			const char *sgr = c == 0 && color ? t->sgr[r] : NULL;

			if (sgr != NULL && sgr[0] == '\0')
				sgr = NULL;

			if (sgr != NULL)
				fputs(sgr, fp);
			if (t->wrap && c + 1 == t->ncol) {
				size_t indent = gap * c;

				for (unsigned k = 0; k < c; k++)
					indent += w[k];
				wrap_cell(fp, t->cells[r * t->ncol + c], w[c],
				    indent);
			} else
				cell(fp, t->cells[r * t->ncol + c], w[c],
				    t->align[c], c + 1 == t->ncol);
			if (sgr != NULL)
				fputs("\033[0m", fp);
			if (c + 1 < t->ncol)
				fputs(sep, fp);
		}
		fputc('\n', fp);
	}
}

void
table_release(struct table *t)
{
	for (size_t r = 0; r < t->nrow; r++)
		free(t->cells[r * t->ncol]);
	free(t->cells);
	free(t->sgr);
	t->cells = NULL;
	t->sgr = NULL;
	t->nrow = t->caprow = 0;
}

/* Writes s with mark put before each c in it. */
static void
put_marked(FILE *fp, const char *s, char c, char mark)
{
	for (; *s; s++) {
		if (*s == c)
			fputc(mark, fp);
		fputc(*s, fp);
	}
}

/* A CSV field (RFC 4180): quoted when it holds a comma or a quote. */
static void
csv_field(FILE *fp, const char *s, int last)
{
	if (strpbrk(s, ",\"") != NULL) {
		fputc('"', fp);
		put_marked(fp, s, '"', '"');
		fputc('"', fp);
	} else
		fputs(s, fp);
	fputs(last ? "\n" : ",", fp);
}

void
table_print_csv(const struct table *t, FILE *fp)
{
	for (unsigned c = 0; c < t->ncol; c++)
		csv_field(fp, t->hdr[c], c + 1 == t->ncol);
	for (size_t r = 0; r < t->nrow; r++)
		for (unsigned c = 0; c < t->ncol; c++)
			csv_field(
			    fp, t->cells[r * t->ncol + c], c + 1 == t->ncol);
}

/* A Markdown row: each cell with '|' written as \|. */
static void
md_row(FILE *fp, const char *const *cells, unsigned n)
{
	fputs("|", fp);
	for (unsigned c = 0; c < n; c++) {
		fputs(" ", fp);
		put_marked(fp, cells[c], '|', '\\');
		fputs(" |", fp);
	}
	fputs("\n", fp);
}

void
table_print_markdown(const struct table *t, FILE *fp)
{
	md_row(fp, t->hdr, t->ncol);
	fputs("|", fp);
	for (unsigned c = 0; c < t->ncol; c++)
		fputs("---|", fp);
	fputs("\n", fp);
	for (size_t r = 0; r < t->nrow; r++)
		md_row(
		    fp, (const char *const *)t->cells + r * t->ncol, t->ncol);
}
