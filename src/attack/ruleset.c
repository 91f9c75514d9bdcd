/*
 * ruleset.c - the attack rule-file parser and loader (format in ruleset.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attack/ruleset.h"
#include "base/cur.h"
#include "base/fileio.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/strbuf.h"

#define RULES_FILE_MAX (8u << 20)
#define RULES_MAX 20000

static const char *const sev_names[] = {
    "info", "low", "medium", "high", "critical"};
static const char *const field_names[] = {
    "method", "path", "query", "ua", "referer"};
static const char *const anomaly_names[ANOM_N] = {
    [ANOM_NONE] = "",
    [ANOM_UNICODE_TRAVERSAL] = "unicode-traversal",
    [ANOM_DOUBLE_ENCODED_TRAVERSAL] = "double-encoded-traversal",
    [ANOM_ENCODED_TRAVERSAL] = "encoded-traversal",
    [ANOM_ABOVE_ROOT] = "above-root",
    [ANOM_OVERLONG_UTF8] = "overlong-utf8",
    [ANOM_IIS_U_ENCODING] = "iis-u-encoding",
    [ANOM_DOUBLE_ENCODING] = "double-encoding",
    [ANOM_NUL_BYTE] = "nul-byte",
    [ANOM_CRLF] = "crlf",
    [ANOM_CONTROL_CHAR] = "control-char",
    [ANOM_INVALID_UTF8] = "invalid-utf8",
    [ANOM_BAD_PERCENT] = "bad-percent",
    [ANOM_BACKSLASH] = "backslash",
};

void
ruleset_init(struct attack_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void
ruleset_release(struct attack_ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->r[i].pattern);
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

const char *
attack_sev_name(enum attack_sev s)
{
	return (unsigned)s < 5 ? sev_names[s] : "?";
}

const char *
attack_field_name(enum attack_field f)
{
	return (unsigned)f < AF_NFIELDS ? field_names[f] : "?";
}

const char *
attack_anomaly_name(enum attack_anomaly a)
{
	return (unsigned)a < ANOM_N ? anomaly_names[a] : "?";
}

static int
anomaly_parse(const char *s, size_t n, enum attack_anomaly *out)
{
	for (int i = ANOM_NONE + 1; i < ANOM_N; i++)
		if (mem_eq(s, n, anomaly_names[i])) {
			*out = (enum attack_anomaly)i;
			return 0;
		}
	return -1;
}

enum sev
attack_sev_finding(enum attack_sev s)
{
	return s == ASEV_CRITICAL ? SEV_CRITICAL
	    : s >= ASEV_MEDIUM    ? SEV_WARNING
	                          : SEV_OK;
}

int
attack_sev_parse(const char *s, size_t n, enum attack_sev *out)
{
	for (int i = 0; i < 5; i++)
		if (mem_eq(s, n, sev_names[i])) {
			*out = (enum attack_sev)i;
			return 0;
		}
	return -1;
}

void
ruleset_set_paranoia(struct attack_ruleset *rs, int level)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].paranoia > level)
			rs->r[i].disabled = 1;
}

struct attack_rule *
ruleset_find(struct attack_ruleset *rs, uint32_t id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].id == id)
			return &rs->r[i];
	return NULL;
}

void
attack_text_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int
parse_fields(const char *v, size_t n, unsigned *out)
{
	const char *cur = v, *end = v + n, *w;
	size_t wl;

	*out = 0;
	for (;;) {
		while (
		    cur < end && (*cur == ' ' || *cur == '\t' || *cur == ','))
			cur++;
		if ((wl = cur_word(&cur, end, &w)) == 0)
			break;
		if (w[wl - 1] == ',')
			wl--;
		if (mem_eq(w, wl, "uri")) {
			*out |= 1u << AF_PATH | 1u << AF_QUERY;
			continue;
		}
		if (mem_eq(w, wl, "user-agent"))
			wl = 2, w = "ua";
		int found = 0;
		for (int f = 0; f < AF_NFIELDS; f++)
			if (mem_eq(w, wl, field_names[f])) {
				*out |= 1u << f;
				found = 1;
			}
		if (!found)
			return -1;
	}
	return *out ? 0 : -1;
}

static int
parse_status(const char *v, size_t n, struct attack_rule *r)
{
	const char *cur = v, *end = v + n;
	uint64_t st;

	r->nstatus = 0;
	for (;;) {
		while (
		    cur < end && (*cur == ' ' || *cur == '\t' || *cur == ','))
			cur++;
		if (cur == end)
			break;
		if (cur_u64(&cur, end, &st) == -1 || st < 100 || st > 599 ||
		    r->nstatus == RULE_STATUS_MAX)
			return -1;
		r->status[r->nstatus++] = (uint16_t)st;
	}
	return r->nstatus > 0 ? 0 : -1;
}

int
attack_rule_status_ok(const struct attack_rule *r, int status)
{
	if (r->nstatus == 0)
		return 1;
	for (unsigned i = 0; i < r->nstatus; i++)
		if (r->status[i] == status)
			return 1;
	return 0;
}

/* Adds or replaces (same id) the finished stanza r. */
static int
ruleset_put(struct attack_ruleset *rs, struct attack_rule *r, struct err *err)
{
	struct attack_rule *old = ruleset_find(rs, r->id);

	if (old != NULL) {
		free(old->pattern);
		*old = *r;
		return 0;
	}
	if (rs->n >= RULES_MAX)
		return err_set(
		    err, 0, "%s: more than %d rules", r->origin, RULES_MAX);
	if (mem_grow(&rs->r, &rs->cap, rs->n + 1, sizeof(*rs->r)) == -1)
		return err_sys(err, ENOMEM, "rules");
	rs->r[rs->n++] = *r;
	return 0;
}

/* A stanza is complete: 0, or -1 with err. */
static int
check_rule(const struct attack_rule *r, struct err *err)
{
	if (r->id == 0)
		return err_set(err, 0, "%s: rule without an id", r->origin);
	if (!r->disabled) {
		if (r->cls[0] == '\0')
			return err_set(err, 0, "%s: rule %u has no class",
			    r->origin, r->id);
		if ((r->pattern == NULL) == (r->anomaly == ANOM_NONE))
			return err_set(err, 0,
			    "%s: rule %u needs a pattern or an anomaly (one "
			    "of them)",
			    r->origin, r->id);
		if (r->pattern != NULL && r->fields == 0)
			return err_set(err, 0, "%s: rule %u has no fields",
			    r->origin, r->id);
	}
	return 0;
}

/* The stanza in r (if open) ends: into rs, or its pattern freed with -1. */
static int
finish(struct attack_ruleset *rs, struct attack_rule *r, int *open,
    struct err *err)
{
	if (!*open)
		return 0;
	*open = 0;
	if (check_rule(r, err) == -1 || ruleset_put(rs, r, err) == -1) {
		free(r->pattern);
		r->pattern = NULL;
		return -1;
	}
	return 0;
}

int
ruleset_parse(struct attack_ruleset *rs, const char *name, const char *text,
    size_t len, struct err *err)
{
	const char *cur = text, *end = text + len, *ls, *le;
	struct attack_rule r;
	int open = 0, lineno = 0;

	memset(&r, 0, sizeof(r));
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *k, *v;
		size_t kl, vl;

		lineno++;
		while (ls < le && (*ls == ' ' || *ls == '\t'))
			ls++;
		while (le > ls && (le[-1] == ' ' || le[-1] == '\t'))
			le--;
		if (ls == le) {
			if (finish(rs, &r, &open, err) == -1)
				goto fail;
			continue;
		}
		if (*ls == '#')
			continue;
		k = ls;
		kl = cur_until(&ls, le, ':', &k);
		if (ls == le) {
			err_set(err, 0, "%s:%d: expected 'key: value'", name,
			    lineno);
			goto fail;
		}
		v = ls + 1;
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		vl = (size_t)(le - v);
		if (!open) {
			memset(&r, 0, sizeof(r));
			r.fields = 1u << AF_PATH | 1u << AF_QUERY;
			r.sev = ASEV_MEDIUM;
			r.paranoia = 1;
			snprintf(
			    r.origin, sizeof(r.origin), "%s:%d", name, lineno);
			open = 1;
		}
		if (mem_eq(k, kl, "id")) {
			uint64_t id;
			const char *c = v;

			if (cur_u64(&c, le, &id) == -1 || c != le || id == 0 ||
			    id > UINT32_MAX) {
				err_set(
				    err, 0, "%s:%d: bad rule id", name, lineno);
				goto fail;
			}
			r.id = (uint32_t)id;
		} else if (mem_eq(k, kl, "class")) {
			attack_text_copy(r.cls, sizeof(r.cls), v, vl);
		} else if (mem_eq(k, kl, "severity")) {
			if (attack_sev_parse(v, vl, &r.sev) == -1) {
				err_set(err, 0, "%s:%d: unknown severity", name,
				    lineno);
				goto fail;
			}
		} else if (mem_eq(k, kl, "description")) {
			attack_text_copy(r.desc, sizeof(r.desc), v, vl);
		} else if (mem_eq(k, kl, "references")) {
			attack_text_copy(r.refs, sizeof(r.refs), v, vl);
		} else if (mem_eq(k, kl, "fields")) {
			if (parse_fields(v, vl, &r.fields) == -1) {
				err_set(err, 0,
				    "%s:%d: fields are path, query, uri, ua, "
				    "referer, method",
				    name, lineno);
				goto fail;
			}
		} else if (mem_eq(k, kl, "form")) {
			if (mem_eq(v, vl, "decoded"))
				r.form = AFORM_DECODED;
			else if (mem_eq(v, vl, "raw"))
				r.form = AFORM_RAW;
			else if (mem_eq(v, vl, "shell"))
				r.form = AFORM_SHELL;
			else {
				err_set(err, 0,
				    "%s:%d: form is decoded, raw or shell",
				    name, lineno);
				goto fail;
			}
		} else if (mem_eq(k, kl, "case")) {
			r.caseful = mem_eq(v, vl, "sensitive");
		} else if (mem_eq(k, kl, "disabled")) {
			r.disabled = mem_eq(v, vl, "yes");
		} else if (mem_eq(k, kl, "status")) {
			if (parse_status(v, vl, &r) == -1) {
				err_set(err, 0,
				    "%s:%d: status is up to %d numbers 100-599",
				    name, lineno, RULE_STATUS_MAX);
				goto fail;
			}
		} else if (mem_eq(k, kl, "paranoia")) {
			if (vl != 1 || v[0] < '1' || v[0] > '4') {
				err_set(err, 0, "%s:%d: paranoia is 1 to 4",
				    name, lineno);
				goto fail;
			}
			r.paranoia = v[0] - '0';
		} else if (mem_eq(k, kl, "pattern")) {
			if (vl == 0 || vl > RULE_PATTERN_MAX) {
				err_set(err, 0,
				    "%s:%d: empty or too long pattern", name,
				    lineno);
				goto fail;
			}
			free(r.pattern);
			r.pattern = strndup(v, vl);
			if (r.pattern == NULL) {
				err_sys(err, ENOMEM, "%s", name);
				goto fail;
			}
		} else if (mem_eq(k, kl, "anomaly")) {
			if (anomaly_parse(v, vl, &r.anomaly) == -1) {
				err_set(err, 0, "%s:%d: unknown anomaly '%.*s'",
				    name, lineno, (int)(vl > 40 ? 40 : vl), v);
				goto fail;
			}
		} else {
			err_set(err, 0, "%s:%d: unknown key '%.*s'", name,
			    lineno, (int)(kl > 40 ? 40 : kl), k);
			goto fail;
		}
	}
	if (finish(rs, &r, &open, err) == -1)
		goto fail;
	return 0;
fail:
	if (open)
		free(r.pattern);
	return -1;
}

static int
load_file(struct attack_ruleset *rs, const char *path, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(RULES_FILE_MAX);
	int trunc = 0, rc;

	if (file_read(path, RULES_FILE_MAX, &sb, &trunc, err) == -1)
		return -1;
	if (trunc) {
		strbuf_release(&sb);
		return err_set(err, 0, "'%s': rule file too large", path);
	}
	rc = ruleset_parse(rs, path, strbuf_str(&sb), sb.len, err);
	strbuf_release(&sb);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
attack_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
attack_dir_names(const char *dir, const char *prefix, const char *suffix,
    char ***out, size_t *nout, struct err *err)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return err_sys(err, errno, "cannot open '%s'", dir);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l <= pl + sl || de->d_name[0] == '.' ||
		    strncmp(de->d_name, prefix, pl) != 0 ||
		    strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		if (mem_grow(&names, &cap, n + 1, sizeof(*names)) == -1 ||
		    (names[n] = strdup(de->d_name)) == NULL) {
			attack_names_free(names, n);
			closedir(d);
			return err_sys(err, ENOMEM, "'%s'", dir);
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	*nout = n;
	return 0;
}

int
ruleset_load_path(struct attack_ruleset *rs, const char *path, struct err *err)
{
	struct stat st;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (stat(path, &st) == -1)
		return err_sys(err, errno, "cannot read rules '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path, err);
	if (attack_dir_names(path, "", ".rules", &names, &n, err) == -1)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char full[4096];

		if (path_join(full, sizeof(full), path, names[i]) == -1)
			rc = err_set(err, 0, "'%s': path too long", path);
		else
			rc = load_file(rs, full, err);
	}
	attack_names_free(names, n);
	return rc;
}

void
ruleset_hash(const struct attack_ruleset *rs, char out[65])
{
	struct hash256 d;

	hash256_init(&d);
	for (size_t i = 0; i < rs->n; i++) {
		const struct attack_rule *r = &rs->r[i];
		unsigned hdr[5] = {r->id, r->fields, (unsigned)r->form,
		    (unsigned)r->caseful, (unsigned)r->disabled};

		hash256_add(&d, hdr, sizeof(hdr));
		if (r->nstatus > 0)
			hash256_add(
			    &d, r->status, r->nstatus * sizeof(r->status[0]));
		if (r->pattern != NULL)
			hash256_add(&d, r->pattern, strlen(r->pattern) + 1);
	}
	hash256_hex(&d, out);
}
