/*
 * expo.c - the Prometheus text format 0.0.4 and OpenMetrics 1.0 (see
 * expo.h).
 */
#include "agent/expo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/esc.h"
#include "base/strbuf.h"

const char *
expo_content_type(enum expo_fmt fmt)
{
	return fmt == EXPO_OPENMETRICS
	    ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
	    : "text/plain; version=0.0.4; charset=utf-8";
}

/* ASCII lower case of c. */
static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* 1 if [s, s+n) equals lit, ignoring ASCII case. */
static int
eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n && lit[i] != '\0'; i++)
		if (lower(s[i]) != lit[i])
			return 0;
	return i == n && lit[i] == '\0';
}

/* [s, e) without spaces and tabs at either end. */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/*
 * An RFC 9110 qvalue: "0", "0.5", "1", "1.000"; -1 when malformed (the
 * media range is then ignored).
 */
static double
qvalue(const char *s, const char *e)
{
	double q;

	if (s == e || (*s != '0' && *s != '1'))
		return -1;
	q = *s++ - '0';
	if (s < e && *s == '.') {
		double scale = 0.1;
		int digits = 0;

		for (s++; s < e && *s >= '0' && *s <= '9' && digits < 3;
		     s++, digits++, scale /= 10)
			q += (*s - '0') * scale;
	}
	return s == e && q <= 1.0 ? q : -1;
}

enum expo_fmt
expo_negotiate(const char *accept, size_t len)
{
	const char *p = accept, *end = accept + (accept ? len : 0);
	double q_om = 0, q_text = -1;

	while (p < end) {
		const char *item = p, *item_end, *type_end;
		double q = 1.0;

		while (p < end && *p != ',')
			p++;
		item_end = p;
		if (p < end)
			p++;
		for (type_end = item; type_end < item_end && *type_end != ';';
		     type_end++)
			;
		/* the parameters: only q matters */
		for (const char *s = type_end; s < item_end;) {
			const char *ps = ++s, *pe;

			while (s < item_end && *s != ';')
				s++;
			pe = s;
			trim(&ps, &pe);
			if (pe - ps >= 2 && lower(ps[0]) == 'q' && ps[1] == '=')
				q = qvalue(ps + 2, pe);
		}
		if (q < 0)
			continue;
		{
			const char *ts = item, *te = type_end;

			trim(&ts, &te);
			if (eq_nocase(ts, (size_t)(te - ts),
			        "application/openmetrics-text")) {
				if (q > q_om)
					q_om = q;
			} else if (eq_nocase(
			               ts, (size_t)(te - ts), "text/plain")) {
				if (q > q_text)
					q_text = q;
			}
		}
	}
	return q_om > 0 && q_om >= q_text ? EXPO_OPENMETRICS : EXPO_TEXT;
}

void
expo_label_value(struct strbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k;

		switch (u[i]) {
		case '\\':
			strbuf_adds(out, "\\\\");
			i++;
			continue;
		case '"':
			strbuf_adds(out, "\\\"");
			i++;
			continue;
		case '\n':
			strbuf_adds(out, "\\n");
			i++;
			continue;
		default:
			break;
		}
		k = u[i] < 0x20 || u[i] == 0x7f ? 0
		                                : utf8_seq_len(u + i, n - i);
		if (k == 0) {
			/* the text \xNN: its backslash escaped */
			char x[6] = {'\\', '\\', 'x', hex[u[i] >> 4],
			    hex[u[i] & 15], '\0'};

			strbuf_adds(out, x);
			i++;
		} else {
			strbuf_add(out, s + i, k);
			i += k;
		}
	}
}

/* The family's name: OpenMetrics drops a counter's _total, an info's _info. */
static void
family_name(struct expo *e, const char *name, enum expo_type type)
{
	size_t n = strlen(name);

	if (e->fmt == EXPO_OPENMETRICS) {
		if (type == EXPO_COUNTER && n > 6 &&
		    strcmp(name + n - 6, "_total") == 0)
			n -= 6;
		else if (type == EXPO_INFO && n > 5 &&
		    strcmp(name + n - 5, "_info") == 0)
			n -= 5;
	}
	strbuf_add(e->out, name, n);
}

void
expo_family(
    struct expo *e, const char *name, enum expo_type type, const char *help)
{
	static const char *const om[] = {"gauge", "counter", "info"};
	static const char *const text[] = {"gauge", "counter", "gauge"};

	strbuf_adds(e->out, "# HELP ");
	family_name(e, name, type);
	strbuf_addc(e->out, ' ');
	for (const char *h = help; *h != '\0'; h++) {
		if (*h == '\\')
			strbuf_adds(e->out, "\\\\");
		else if (*h == '\n')
			strbuf_adds(e->out, "\\n");
		else if (*h == '"' && e->fmt == EXPO_OPENMETRICS)
			strbuf_adds(e->out, "\\\"");
		else
			strbuf_addc(e->out, *h);
	}
	strbuf_adds(e->out, "\n# TYPE ");
	family_name(e, name, type);
	strbuf_printf(e->out, " %s\n",
	    e->fmt == EXPO_OPENMETRICS ? om[type] : text[type]);
}

/* A value: integers as such, NaN and infinities by their names. */
static void
value(struct strbuf *out, double v)
{
	char buf[32];

	if (isnan(v)) {
		strbuf_adds(out, "NaN");
	} else if (isinf(v)) {
		strbuf_adds(out, v > 0 ? "+Inf" : "-Inf");
	} else if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		strbuf_printf(out, "%.0f", v);
	} else {
		/* the shortest of 15 and 17 digits that reads back as v */
		snprintf(buf, sizeof(buf), "%.15g", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, sizeof(buf), "%.17g", v);
		strbuf_adds(out, buf);
	}
}

void
expo_sample(struct expo *e, const char *name, const struct expo_label *l,
    size_t nl, double v)
{
	strbuf_adds(e->out, name);
	if (nl > 0) {
		strbuf_addc(e->out, '{');
		for (size_t i = 0; i < nl; i++) {
			const char *s = l[i].val ? l[i].val : "";
			size_t n = l[i].len == EXPO_STR ? strlen(s) : l[i].len;

			strbuf_printf(
			    e->out, "%s%s=\"", i ? "," : "", l[i].name);
			expo_label_value(e->out, s, n);
			strbuf_addc(e->out, '"');
		}
		strbuf_addc(e->out, '}');
	}
	strbuf_addc(e->out, ' ');
	value(e->out, v);
	strbuf_addc(e->out, '\n');
}

void
expo_end(struct expo *e)
{
	if (e->fmt == EXPO_OPENMETRICS)
		strbuf_adds(e->out, "# EOF\n");
}
