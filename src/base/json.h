/*
 * json.h - small helpers around jansson for JSON-lines output.
 *
 * jansson refuses strings that are not valid UTF-8; text from outside is
 * often not.  jstr/jstrn keep valid UTF-8 as it is and write each invalid
 * byte as the six characters \xNN, so nothing is dropped or rejected.
 */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

json_t *jstr(const char *s);
json_t *jstrn(const char *s, size_t n);
/* Sets key in obj to a new value (stealing it); ignores a NULL value. */
void jset(json_t *obj, const char *key, json_t *val);
/* Prints obj compactly on one line and releases it.  0 or -1. */
int json_line(FILE *fp, json_t *obj);
/* A number, or null when v is NAN. */
json_t *jreal_or_null(double v);

#endif
