/*
 * fuzz_nginx_conf.c - libFuzzer target: the nginx configuration tokenizer
 * of log discovery never crashes or reads past its input, every statement
 * it passes has terminated words and a line within the input, and a
 * failure names a line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logs/discover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	int lines; /* lines in the input */
	size_t bytes;
};

static void
stmt(void *arg, const struct nginx_stmt *s)
{
	struct seen *x = arg;

	if (s->nw == 0 || s->nw > NGINX_MAX_WORDS || s->line < 1 ||
	    s->line > x->lines || s->depth < 0)
		abort();
	for (size_t i = 0; i < s->nw; i++)
		x->bytes += strlen(s->w[i]); /* ASan: inside the buffer */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen x = {1, 0};
	int errline = 0;

	for (size_t i = 0; i < size; i++)
		x.lines += data[i] == '\n';
	if (nginx_conf_parse((const char *)data, size, stmt, &x, &errline) ==
	        -1 &&
	    (errline < 1 || errline > x.lines))
		abort();
	return 0;
}
