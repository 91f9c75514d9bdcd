/*
 * esc.h - make untrusted bytes safe for a terminal, a mail or a page.
 *
 * Text from outside (process names, log lines, file names) may hold
 * terminal escape sequences, control characters and invalid UTF-8.
 * esc_text keeps valid printable UTF-8 and writes every other byte as
 * \xNN (and a backslash as \\), so what is shown is unambiguous.
 */
#ifndef BASE_ESC_H
#define BASE_ESC_H

#include <stddef.h>

struct strbuf;

/* Appends the escaped form of [s, s+n) to sb; 0, or -1 when sb is full. */
int esc_text(struct strbuf *sb, const char *s, size_t n);
/* As esc_text, into a fixed buffer (always NUL-terminated, cut if needed). */
void esc_text_buf(char *dst, size_t dstsz, const char *s, size_t n);
/* Appends s with &, <, >, " and ' as HTML entities (after esc_text). */
int esc_html(struct strbuf *sb, const char *s, size_t n);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* 1 if all of [s, s+n) is valid UTF-8 with no control characters except tab. */
int text_is_clean(const char *s, size_t n);

#endif
