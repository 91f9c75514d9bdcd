/*
 * table.h - aligned text tables for the human output of every command.
 * Cells are escaped (esc_text) when added, so untrusted text is safe.
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
	size_t nrow, caprow;
};

/* align: one letter per column, 'l' or 'r'. */
void table_init(
    struct table *t, unsigned ncol, const char *const *hdr, const char *align);
/* Adds a row of ncol cells (NULL prints as "-").  0 or -1 on ENOMEM. */
int table_row(struct table *t, const char *const *cells);
/* Prints header and rows; bold header when color. */
void table_print(const struct table *t, FILE *fp, int color);
void table_release(struct table *t);

#endif
