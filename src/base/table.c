/*
 * table.c - aligned text tables (see table.h).
 */
#include "base/table.h"

#include <stdlib.h>
#include <string.h>

#include "base/esc.h"
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
	char **row;

	if (t->nrow == t->caprow) {
		size_t ncap = t->caprow ? t->caprow * 2 : 32;
		char **nc = realloc(t->cells, ncap * t->ncol * sizeof(*nc));

		if (nc == NULL)
			return -1;
		t->cells = nc;
		t->caprow = ncap;
	}
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

/* Display width: code points, which is right for the text we print. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
cell(FILE *fp, const char *s, size_t w, char align, int last)
{
	size_t sw = width(s);
	size_t pad = w > sw ? w - sw : 0;

	if (align == 'r')
		for (size_t i = 0; i < pad; i++)
			fputc(' ', fp);
	fputs(s, fp);
	if (align != 'r' && !last)
		for (size_t i = 0; i < pad; i++)
			fputc(' ', fp);
}

void
table_print(const struct table *t, FILE *fp, int color)
{
	size_t w[TABLE_MAXCOL];

	for (unsigned c = 0; c < t->ncol; c++) {
		w[c] = width(t->hdr[c]);
		for (size_t r = 0; r < t->nrow; r++) {
			size_t cw = width(t->cells[r * t->ncol + c]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	if (color)
		fputs("\033[1m", fp);
	for (unsigned c = 0; c < t->ncol; c++) {
		cell(fp, t->hdr[c], w[c], t->align[c], c + 1 == t->ncol);
		if (c + 1 < t->ncol)
			fputs("  ", fp);
	}
	if (color)
		fputs("\033[0m", fp);
	fputc('\n', fp);
	for (size_t r = 0; r < t->nrow; r++) {
		for (unsigned c = 0; c < t->ncol; c++) {
			cell(fp, t->cells[r * t->ncol + c], w[c], t->align[c],
			    c + 1 == t->ncol);
			if (c + 1 < t->ncol)
				fputs("  ", fp);
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
	t->cells = NULL;
	t->nrow = t->caprow = 0;
}
