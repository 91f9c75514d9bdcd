/*
 * prom.c - the answer of Prometheus's /api/v1/query read into samples
 * (see prom.h).  The answer is
 *
 *	{"status":"success","data":{"resultType":"vector","result":[
 *	  {"metric":{"__name__":"up","job":"sakimori"},"value":[1.7e9,"1"]}]}}
 *
 * or {"status":"error","errorType":"bad_data","error":"..."}.  Anything
 * else is refused with what was wrong; nothing is taken half.
 */
#include "fleet/prom.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/err.h"
#include "base/esc.h"
#include "base/mem.h"
#include "base/strbuf.h"

static void
sample_release(struct prom_sample *s)
{
	for (size_t i = 0; i < s->nl; i++) {
		free(s->l[i].name);
		free(s->l[i].val);
	}
	free(s->l);
	memset(s, 0, sizeof(*s));
}

void
prom_vec_release(struct prom_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		sample_release(&v->s[i]);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

const char *
prom_label(const struct prom_sample *s, const char *name)
{
	for (size_t i = 0; i < s->nl; i++)
		if (strcmp(s->l[i].name, name) == 0)
			return s->l[i].val;
	return "";
}

/* A sample value: a number as the API writes it, in a string. */
static int
value(const char *t, double *out)
{
	char *end;

	if (strcmp(t, "NaN") == 0) {
		*out = NAN;
		return 0;
	}
	if (strcmp(t, "+Inf") == 0 || strcmp(t, "-Inf") == 0) {
		*out = t[0] == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	if (*t == '\0' || strchr("0123456789-+.", *t) == NULL)
		return -1;
	errno = 0;
	*out = strtod(t, &end);
	return *end == '\0' && errno != ERANGE && isfinite(*out) ? 0 : -1;
}

/* [time, "value"] of a sample or a scalar. */
static int
pair(const json_t *p, double *out)
{
	const json_t *t = json_array_get(p, 1);

	if (!json_is_array(p) || json_array_size(p) != 2 ||
	    !json_is_number(json_array_get(p, 0)) || !json_is_string(t))
		return -1;
	return value(json_string_value(t), out);
}

static int
labels(const json_t *m, struct prom_sample *s)
{
	const char *k;
	json_t *val;
	size_t n = json_object_size(m);

	if (n > PROM_MAX_LABELS)
		return -1;
	if (n > 0 && (s->l = calloc(n, sizeof(*s->l))) == NULL)
		return -1;
	json_object_foreach((json_t *)m, k, val)
	{
		if (!json_is_string(val))
			return -1;
		s->l[s->nl].name = strdup(k);
		s->l[s->nl].val =
		    strndup(json_string_value(val), json_string_length(val));
		if (s->l[s->nl].name == NULL || s->l[s->nl].val == NULL) {
			free(s->l[s->nl].name);
			free(s->l[s->nl].val);
			return -1;
		}
		s->nl++;
	}
	return 0;
}

static int
vector(const json_t *r, struct prom_vec *v, struct err *err)
{
	size_t n = json_array_size(r);

	if (!json_is_array(r))
		return err_set(err, PROM_GARBAGE, "its result is not a list");
	if (n > PROM_MAX_SAMPLES)
		return err_set(err, PROM_GARBAGE,
		    "%zu samples, more than the %d taken", n, PROM_MAX_SAMPLES);
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(r, i);
		const json_t *m = json_object_get(e, "metric");
		struct prom_sample s = {0};

		if (!json_is_object(e) || !json_is_object(m) ||
		    pair(json_object_get(e, "value"), &s.v) == -1 ||
		    labels(m, &s) == -1) {
			sample_release(&s);
			return err_set(err, PROM_GARBAGE,
			    "sample %zu is not {\"metric\":{...},"
			    "\"value\":[time,\"number\"]}",
			    i + 1);
		}
		if (mem_grow(&v->s, &v->cap, v->n + 1, sizeof(*v->s)) == -1) {
			sample_release(&s);
			return err_set(err, PROM_GARBAGE, "out of memory");
		}
		v->s[v->n++] = s;
	}
	return 0;
}

static int
parse(const json_t *j, struct prom_vec *v, struct err *err)
{
	const char *st = json_string_value(json_object_get(j, "status"));
	const json_t *d = json_object_get(j, "data");
	const char *rt = json_string_value(json_object_get(d, "resultType"));
	struct prom_sample s = {0};

	if (!json_is_object(j) || st == NULL)
		return err_set(err, PROM_GARBAGE, "no \"status\"");
	if (strcmp(st, "error") == 0) {
		const char *et =
		    json_string_value(json_object_get(j, "errorType"));
		const char *e = json_string_value(json_object_get(j, "error"));
		struct strbuf sb = STRBUF_INIT(400);

		/* the server's text, shown on a terminal: escaped */
		if (e != NULL)
			esc_text(&sb, e, strlen(e));
		else
			strbuf_printf(&sb, "(no message)");
		err_set(err, PROM_REFUSED, "%.32s: %s",
		    et != NULL &&
		            strspn(et, "abcdefghijklmnopqrstuvwxyz_") ==
		                strlen(et)
		        ? et
		        : "error",
		    strbuf_str(&sb));
		strbuf_release(&sb);
		return -1;
	}
	if (strcmp(st, "success") != 0)
		return err_set(err, PROM_GARBAGE, "status is not \"success\"");
	if (!json_is_object(d) || rt == NULL)
		return err_set(err, PROM_GARBAGE, "no \"data\".\"resultType\"");
	if (strcmp(rt, "vector") == 0)
		return vector(json_object_get(d, "result"), v, err);
	if (strcmp(rt, "scalar") == 0) {
		if (pair(json_object_get(d, "result"), &s.v) == -1)
			return err_set(err, PROM_GARBAGE,
			    "the scalar is not [time,\"number\"]");
		if (mem_grow(&v->s, &v->cap, 1, sizeof(*v->s)) == -1)
			return err_set(err, PROM_GARBAGE, "out of memory");
		v->s[v->n++] = s;
		return 0;
	}
	return err_set(
	    err, PROM_GARBAGE, "a result of type \"%.32s\", not a vector", rt);
}

int
prom_parse(const char *buf, size_t len, struct prom_vec *v, struct err *err)
{
	json_error_t je;
	json_t *j;
	int rc;

	prom_vec_release(v);
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return err_set(err, PROM_GARBAGE,
		    "not JSON (line %d, column %d: %s)", je.line, je.column,
		    je.text);
	rc = parse(j, v, err);
	json_decref(j);
	if (rc == -1)
		prom_vec_release(v);
	return rc;
}
