/*
 * table.h - aligned text tables for the human output of every command.
 * Cells are escaped (esc_text) when added, so untrusted text is safe.
 * A table printed to the terminal (table_screen) is cut to its width: the
 * widest text columns lose their ends first, each cut cell ending in an
 * ellipsis; numbers are never cut.  With wrap set, the last column (a
 * finding's message) wraps at spaces onto more lines instead.
 */
#ifndef BASE_TABLE_H
#define BASE_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define TABLE_MAXCOL 16

struct table {
	unsigned ncol;
	const char *hdr[TABLE_MAXCOL];
	char align[TABLE_MAXCOL]; /* 'l' or 'r' */
	char **cells;             /* nrow * ncol escaped strings */
	const char **sgr;         /* per row: colour of its first cell */
	int wrap; /* the last column wraps onto more lines, never cut */
	size_t nrow, caprow;
};

/* align: one letter per column, 'l' or 'r'. */
void table_init(
    struct table *t, unsigned ncol, const char *const *hdr, const char *align);
/* Adds a row of ncol cells (NULL prints as "-").  0 or -1 on ENOMEM. */
int table_row(struct table *t, const char *const *cells);
/*
 * table_row, and sgr (a static escape sequence such as "\033[33m", or
 * NULL) colours the row's first cell when the table is printed in colour.
 */
int table_row_sgr(struct table *t, const char *const *cells, const char *sgr);
/* Prints header and rows; bold header and coloured cells when color. */
void table_print(const struct table *t, FILE *fp, int color);
void table_release(struct table *t);
/* The same rows as CSV (RFC 4180: a field with a comma or a quote is
 * quoted) or as a Markdown table ('|' in a cell written as \|). */
void table_print_csv(const struct table *t, FILE *fp);
void table_print_markdown(const struct table *t, FILE *fp);

/*
 * Tables printed to fp from now on fit in width display columns (0: no
 * limit).  The process's terminal is set once (cli: stdout and
 * out_width); other streams (a mail, a file) are never cut.
 */
void table_screen(FILE *fp, size_t width);
/* The limit for tables printed to fp (0: none). */
size_t table_screen_width(FILE *fp);
/* Display width of s: code points (wide characters count one). */
size_t table_text_width(const char *s);
/*
 * Writes s cut to at most w display columns to fp: when it does not fit,
 * its end is replaced by an ellipsis ("…" in a UTF-8 locale, else "...").
 * Returns the columns written.
 */
size_t table_put_cut(FILE *fp, const char *s, size_t w);

#endif
