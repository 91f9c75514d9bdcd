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
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/*
 * The version of the JSON contract (docs/json.md): every object json_line
 * prints carries it as "schema", right after "type".  Raise it when a
 * field is renamed or changes meaning.
 */
#define JSON_SCHEMA 2

json_t *jstr(const char *s);
json_t *jstrn(const char *s, size_t n);
/* Sets key in obj to a new value (stealing it); ignores a NULL value. */
void jset(json_t *obj, const char *key, json_t *val);
/*
 * Puts "type" first and "schema":JSON_SCHEMA second in obj, the other
 * members after them in their order.  0 or -1 (out of memory).
 */
int json_stamp(json_t *obj);
/* Stamps obj, prints it compactly on one line and releases it.  0 or -1. */
int json_line(FILE *fp, json_t *obj);
/* A time as RFC 3339 in UTC ("2026-12-06T09:00:00Z"); null for 0. */
json_t *jtime(int64_t epoch);
/*
 * A value of evidence (text): a JSON number when the whole text is one
 * in JSON's own grammar ("42", "-1.5", "2e3"; not "042" or "1.2.3"),
 * else a string as jstr makes it.
 */
json_t *jvalue(const char *s);
/* A number, or null when v is NAN. */
json_t *jreal_or_null(double v);

#endif
