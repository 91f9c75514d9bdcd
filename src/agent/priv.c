/*
 * priv.c - the messages of the privilege-separation channel: the pure
 * decoder that checks every datagram before use, the encoder, and
 * sending and receiving them with their descriptors (agent/priv.h).
 */
#include "agent/priv.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/expo.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/timeutil.h"
#include "hist/hist.h"
#include "net/block.h"

_Static_assert(PRIV_MSG_MAX >= sizeof(struct priv_hdr) + PRIV_PATH_MAX &&
        PRIV_MSG_MAX >= sizeof(struct priv_hdr) + sizeof(struct priv_error),
    "PRIV_MSG_MAX holds every body");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct alert_event) &&
        sizeof(struct priv_line) >= sizeof(struct priv_finding),
    "PRIV_MSG_MAX holds an alert and a finding");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct priv_checked),
    "PRIV_MSG_MAX holds a check's finding");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct priv_points),
    "PRIV_MSG_MAX holds a piece of a sample");
_Static_assert(PRIV_POINT_NAME == HIST_NAME_MAX, "a series name's field");
_Static_assert(NET_BLOCK_ABSENT == 5, "the last enum net_block_status");
_Static_assert(OUT_NAGIOS == 2, "the last enum out_mode");
_Static_assert(EXPO_OPENMETRICS == 1, "the last enum expo_fmt");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct priv_shown),
    "PRIV_MSG_MAX holds a piece of text shown");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct priv_http_rep) &&
        sizeof(struct priv_line) >= sizeof(struct priv_http_req),
    "PRIV_MSG_MAX holds an HTTP request and a piece of its answer");
_Static_assert(PRIV_HTTP_NAME_MAX == HIST_NAME_MAX, "a series name fits");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct priv_linked) &&
        sizeof(struct priv_line) >= sizeof(struct priv_stop_req),
    "PRIV_MSG_MAX holds the links read and a stop");
_Static_assert(PRIV_STOP_EV <= FINDING_MAX_EV, "a stop's evidence fits");
_Static_assert(sizeof(struct priv_line) >= sizeof(struct priv_exefacts),
    "PRIV_MSG_MAX holds the executables' facts");

static const char *const type_names[] = {
    [PRIV_OPEN] = "open",
    [PRIV_BLOCK] = "block",
    [PRIV_KILL] = "kill",
    [PRIV_ALERT] = "alert",
    [PRIV_NOTE] = "note",
    [PRIV_FD] = "fd",
    [PRIV_BLOCKED] = "blocked",
    [PRIV_DONE] = "done",
    [PRIV_ERROR] = "error",
    [PRIV_FINDING] = "finding",
    [PRIV_PROGRESS] = "progress",
    [PRIV_LINE] = "line",
    [PRIV_SYNC] = "sync",
    [PRIV_SHOW] = "show",
    [PRIV_SHOWN] = "shown",
    [PRIV_HTTP] = "http",
    [PRIV_HTTP_REP] = "http-rep",
    [PRIV_RUN] = "run",
    [PRIV_CHECKED] = "checked",
    [PRIV_RAN] = "ran",
    [PRIV_SAMPLE] = "sample",
    [PRIV_SAMPLES] = "samples",
    [PRIV_LINKS] = "links",
    [PRIV_LINKED] = "linked",
    [PRIV_STOP] = "stop",
    [PRIV_STOPPED] = "stopped",
    [PRIV_EXEFACTS] = "exe-facts",
    [PRIV_FACTS] = "facts",
};

const char *
priv_type_name(uint32_t type)
{
	if (type == 0 || type >= PRIV_TYPE_MAX)
		return "?";
	return type_names[type];
}

/* The types each side may send. */
static int
type_allowed(uint32_t type, enum priv_from from)
{
	switch (type) {
	case PRIV_OPEN:
	case PRIV_BLOCK:
	case PRIV_KILL:
	case PRIV_ALERT:
	case PRIV_FINDING:
	case PRIV_PROGRESS:
	case PRIV_SHOWN:
	case PRIV_HTTP:
	case PRIV_CHECKED:
	case PRIV_RAN:
	case PRIV_SAMPLES:
	case PRIV_LINKS:
	case PRIV_STOP:
	case PRIV_EXEFACTS:
		return from == PRIV_FROM_CHILD;
	case PRIV_NOTE:
		return 1;
	case PRIV_FD:
	case PRIV_BLOCKED:
	case PRIV_DONE:
	case PRIV_ERROR:
	case PRIV_LINE:
	case PRIV_SYNC:
	case PRIV_SHOW:
	case PRIV_HTTP_REP:
	case PRIV_RUN:
	case PRIV_SAMPLE:
	case PRIV_LINKED:
	case PRIV_STOPPED:
	case PRIV_FACTS:
		return from == PRIV_FROM_PARENT;
	default:
		return 0;
	}
}

/* Body sizes: fixed, or a range for the strings sent without padding. */
static void
body_size(uint32_t type, size_t *min, size_t *max)
{
	*min = *max = 0;
	switch (type) {
	case PRIV_OPEN:
		*min = 2, *max = PRIV_PATH_MAX;
		break;
	case PRIV_NOTE:
		*min = 1, *max = PRIV_TEXT_MAX;
		break;
	case PRIV_BLOCK:
		*min = *max = sizeof(struct priv_block_req);
		break;
	case PRIV_KILL:
		*min = *max = sizeof(struct priv_kill_req);
		break;
	case PRIV_ALERT:
		*min = *max = sizeof(struct alert_event);
		break;
	case PRIV_FINDING:
		*min = *max = sizeof(struct priv_finding);
		break;
	case PRIV_PROGRESS:
		*min = *max = sizeof(struct priv_progress);
		break;
	case PRIV_LINE:
		*min = offsetof(struct priv_line, text);
		*max = sizeof(struct priv_line);
		break;
	case PRIV_SYNC:
		*min = *max = sizeof(struct priv_sync);
		break;
	case PRIV_SHOW:
		*min = *max = sizeof(struct priv_show);
		break;
	case PRIV_SHOWN:
		*min = offsetof(struct priv_shown, text);
		*max = sizeof(struct priv_shown);
		break;
	case PRIV_HTTP:
		*min = *max = sizeof(struct priv_http_req);
		break;
	case PRIV_HTTP_REP:
		*min = offsetof(struct priv_http_rep, text);
		*max = sizeof(struct priv_http_rep);
		break;
	case PRIV_RUN:
		*min = *max = sizeof(struct priv_run);
		break;
	case PRIV_CHECKED:
		*min = *max = sizeof(struct priv_checked);
		break;
	case PRIV_RAN:
		*min = *max = sizeof(struct priv_ran);
		break;
	case PRIV_SAMPLES:
		*min = offsetof(struct priv_points, p);
		*max = sizeof(struct priv_points);
		break;
	case PRIV_LINKS:
		*min = *max = sizeof(struct priv_links_req);
		break;
	case PRIV_LINKED:
		*min = *max = sizeof(struct priv_linked);
		break;
	case PRIV_STOP:
		*min = *max = sizeof(struct priv_stop_req);
		break;
	case PRIV_STOPPED:
		*min = *max = sizeof(struct priv_stopped);
		break;
	case PRIV_EXEFACTS:
		*min = *max = sizeof(struct priv_exefacts_req);
		break;
	case PRIV_FACTS:
		*min = *max = sizeof(struct priv_exefacts);
		break;
	case PRIV_BLOCKED:
		*min = *max = sizeof(struct priv_block_rep);
		break;
	case PRIV_DONE:
		*min = *max = sizeof(struct priv_done);
		break;
	case PRIV_ERROR:
		*min = *max = sizeof(struct priv_error);
		break;
	case PRIV_FD:
	default:
		break;
	}
}

/* A field of n bytes holds a string: a NUL within it. */
static int
terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

/* A string of n bytes whose only NUL is the last. */
static int
one_string(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == '\0' && strlen(s) == n - 1;
}

/* An absolute path without "//", "." or ".." components or a final '/'. */
static int
clean_path(const char *p)
{
	const char *c = p;

	if (*c != '/')
		return 0;
	while (*c == '/') {
		const char *e = strchr(c + 1, '/');
		size_t n;

		if (e == NULL)
			e = c + strlen(c);
		n = (size_t)(e - (c + 1));
		if (n == 0 || (n == 1 && c[1] == '.') ||
		    (n == 2 && c[1] == '.' && c[2] == '.'))
			return 0;
		c = e;
	}
	return 1;
}

/* A name of [a-z0-9._-], at least one. */
static int
good_name(const char *s)
{
	return *s != '\0' &&
	    s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-")] == '\0';
}

/* "rule:NAME": what a child may block by. */
static int
good_by(const char *s)
{
	return strncmp(s, "rule:", 5) == 0 && good_name(s + 5);
}

static int
sev_known(uint32_t s)
{
	return s <= SEV_UNKNOWN;
}

/* At most FINDING_MAX_EV items, each key and value terminated. */
static int
check_evidence(const char *what, const struct finding_ev *ev, unsigned nev,
    struct err *err)
{
	if (nev > FINDING_MAX_EV)
		return err_set(err, 0, "%s: %u evidence items, at most %d",
		    what, nev, FINDING_MAX_EV);
	for (unsigned i = 0; i < nev; i++)
		if (!terminated(ev[i].key, sizeof(ev[i].key)) ||
		    !terminated(ev[i].val, sizeof(ev[i].val)))
			return err_set(
			    err, 0, "%s: unterminated evidence %u", what, i);
	return 0;
}

static int
check_alert(const struct alert_event *e, struct err *err)
{
	if ((uint32_t)e->kind > ALERT_FLAPPING)
		return err_set(
		    err, 0, "alert: unknown event kind %u", (unsigned)e->kind);
	if (!sev_known((uint32_t)e->sev) || !sev_known((uint32_t)e->prev_sev))
		return err_set(err, 0, "alert: unknown severity");
	if (!terminated(e->check, sizeof(e->check)) ||
	    !terminated(e->subject, sizeof(e->subject)) ||
	    !terminated(e->message, sizeof(e->message)))
		return err_set(err, 0, "alert: unterminated string");
	return check_evidence("alert", e->ev, e->nev, err);
}

static int
check_finding(const struct priv_finding *f, struct err *err)
{
	if (f->set >= PRIV_SETS_MAX)
		return err_set(err, 0, "finding: set %u, at most %d",
		    (unsigned)f->set, PRIV_SETS_MAX - 1);
	if (!sev_known(f->sev))
		return err_set(
		    err, 0, "finding: unknown severity %u", (unsigned)f->sev);
	if (f->time < 0)
		return err_set(err, 0, "finding: time before the epoch");
	if (!terminated(f->check, sizeof(f->check)) || !good_name(f->check))
		return err_set(err, 0, "finding: check is not an id");
	if (!terminated(f->subject, sizeof(f->subject)) ||
	    !terminated(f->message, sizeof(f->message)))
		return err_set(err, 0, "finding: unterminated string");
	return check_evidence("finding", f->ev, f->nev, err);
}

static int
check_progress(const struct priv_progress *p, struct err *err)
{
	uint64_t hits = 0;

	if (p->set >= PRIV_SETS_MAX)
		return err_set(err, 0, "progress: set %u, at most %d",
		    (unsigned)p->set, PRIV_SETS_MAX - 1);
	if (p->analysed > p->lines)
		return err_set(
		    err, 0, "progress: more lines analysed than read");
	for (size_t i = 0; i < PRIV_WEB_LOGS + 1; i++) {
		const uint64_t *w = p->web[i];

		if (w[PRIV_WEB_HITS] > p->analysed - hits)
			return err_set(
			    err, 0, "progress: more requests than analysed");
		hits += w[PRIV_WEB_HITS];
		if (w[PRIV_WEB_PAGES] > w[PRIV_WEB_HITS] ||
		    w[PRIV_WEB_4XX] > w[PRIV_WEB_HITS] ||
		    w[PRIV_WEB_5XX] > w[PRIV_WEB_HITS] - w[PRIV_WEB_4XX] ||
		    w[PRIV_WEB_ATTACKS] > w[PRIV_WEB_HITS])
			return err_set(err, 0,
			    "progress: more pages, errors or attacks than "
			    "requests");
	}
	return 0;
}

static int
check_line(const struct priv_line *l, size_t n, struct err *err)
{
	if (l->set >= PRIV_SETS_MAX)
		return err_set(err, 0, "line: set %u, at most %d",
		    (unsigned)l->set, PRIV_SETS_MAX - 1);
	if (l->cut > 1)
		return err_set(err, 0, "line: cut is %u", (unsigned)l->cut);
	if (l->file >= PRIV_FILES_MAX && l->file != PRIV_FILE_NONE)
		return err_set(err, 0, "line: file %u, at most %d",
		    (unsigned)l->file, PRIV_FILES_MAX - 1);
	if (l->len != n - offsetof(struct priv_line, text))
		return err_set(err, 0, "line: says %u bytes, has %zu",
		    (unsigned)l->len, n - offsetof(struct priv_line, text));
	return 0;
}

static int
check_show(const struct priv_show *sh, struct err *err)
{
	if (sh->set == PRIV_SHOW_MACHINE) {
		if (sh->mode > EXPO_OPENMETRICS)
			return err_set(err, 0, "show: unknown format %u",
			    (unsigned)sh->mode);
		if (!terminated(sh->analyzers, sizeof(sh->analyzers)) ||
		    sh->analyzers[0] != '\0')
			return err_set(err, 0,
			    "show: analyzers named for the machine's series");
		return 0;
	}
	if (sh->set >= PRIV_SETS_MAX)
		return err_set(err, 0, "show: set %u, at most %d",
		    (unsigned)sh->set, PRIV_SETS_MAX - 1);
	if (sh->mode > OUT_NAGIOS)
		return err_set(
		    err, 0, "show: unknown mode %u", (unsigned)sh->mode);
	if (!terminated(sh->analyzers, sizeof(sh->analyzers)) ||
	    strspn(sh->analyzers, "abcdefghijklmnopqrstuvwxyz,") !=
	        strlen(sh->analyzers))
		return err_set(err, 0, "show: analyzers not a list of names");
	return 0;
}

static int
check_shown(const struct priv_shown *sh, size_t n, struct err *err)
{
	if (sh->last > 1)
		return err_set(err, 0, "shown: last is %u", (unsigned)sh->last);
	if (sh->len != n - offsetof(struct priv_shown, text))
		return err_set(err, 0, "shown: says %u bytes, has %zu",
		    (unsigned)sh->len, n - offsetof(struct priv_shown, text));
	return 0;
}

/* A known family, a length that fits; made canonical (host bits zero). */
static int
check_prefix(const char *what, struct net_prefix *p, struct err *err)
{
	if (p->family != AF_INET && p->family != AF_INET6)
		return err_set(
		    err, 0, "%s: unknown address family %u", what, p->family);
	if (p->len > net_prefix_maxlen(p))
		return err_set(
		    err, 0, "%s: prefix length %u too long", what, p->len);
	for (unsigned bit = p->len; bit < 128; bit++)
		p->addr[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
	return 0;
}

static int
check_checked(const struct priv_checked *c, struct err *err)
{
	if (c->entry >= PRIV_ENTRIES_MAX)
		return err_set(err, 0, "checked: entry %u, at most %d",
		    (unsigned)c->entry, PRIV_ENTRIES_MAX - 1);
	if (c->f.set != 0 || c->f.line != 0)
		return err_set(err, 0, "checked: a set or a line given");
	return check_finding(&c->f, err);
}

static int
check_points(const struct priv_points *p, size_t n, struct err *err)
{
	if (p->n > PRIV_POINTS_MAX || p->last > 1)
		return err_set(err, 0, "samples: %u points, last %u",
		    (unsigned)p->n, (unsigned)p->last);
	if (n != offsetof(struct priv_points, p) + p->n * sizeof(p->p[0]))
		return err_set(err, 0, "samples: says %u points, has %zu bytes",
		    (unsigned)p->n, n);
	for (uint32_t i = 0; i < p->n; i++) {
		if (!terminated(p->p[i].name, sizeof(p->p[i].name)) ||
		    !hist_name_ok(p->p[i].name))
			return err_set(
			    err, 0, "samples: point %u: not a series name", i);
		if (isinf(p->p[i].v))
			return err_set(
			    err, 0, "samples: point %u: an infinite value", i);
	}
	return 0;
}

static int
check_block(struct priv_block_req *b, struct err *err)
{
	if (check_prefix("block", &b->p, err) == -1)
		return -1;
	if (b->secs > NET_BLOCK_MAX_SECS)
		return err_set(err, 0, "block: duration too long");
	if (!terminated(b->by, sizeof(b->by)) || !good_by(b->by))
		return err_set(err, 0, "block: 'by' is not rule:NAME");
	if (!terminated(b->reason, sizeof(b->reason)))
		return err_set(err, 0, "block: unterminated reason");
	return 0;
}

/* What each route takes: a series name, a check, a prefix. */
static int
route_named(uint32_t route)
{
	return route == PRIV_HTTP_SERIES || route == PRIV_HTTP_GRAPH ||
	    route == PRIV_HTTP_API_HISTORY;
}

static int
check_http(struct priv_http_req *r, struct err *err)
{
	if (r->route == 0 || r->route >= PRIV_HTTP_ROUTE_MAX)
		return err_set(
		    err, 0, "http: unknown route %u", (unsigned)r->route);
	if (!terminated(r->name, sizeof(r->name)) ||
	    !terminated(r->check, sizeof(r->check)) ||
	    !terminated(r->subject, sizeof(r->subject)) ||
	    !terminated(r->text, sizeof(r->text)))
		return err_set(err, 0, "http: unterminated string");
	if (route_named(r->route) != (r->name[0] != '\0') ||
	    (r->name[0] != '\0' && !hist_name_ok(r->name)))
		return err_set(err, 0, "http: not a series name");
	if ((r->route == PRIV_HTTP_SILENCE) != (r->check[0] != '\0') ||
	    (r->check[0] != '\0' && !good_name(r->check)))
		return err_set(err, 0, "http: check is not an id");
	switch (r->route) {
	case PRIV_HTTP_METRICS:
		if (r->arg > 1) /* enum expo_fmt */
			return err_set(err, 0, "http: unknown format %u",
			    (unsigned)r->arg);
		return 0;
	case PRIV_HTTP_GRAPH:
		if (r->arg >= PRIV_HTTP_PERIODS)
			return err_set(err, 0, "http: unknown period %u",
			    (unsigned)r->arg);
		return 0;
	case PRIV_HTTP_API_HISTORY:
		if (r->arg > 1 || r->num < 0)
			return err_set(err, 0, "http: bad history query");
		return 0;
	case PRIV_HTTP_API_ERROR:
		if (r->arg < 400 || r->arg > 599)
			return err_set(
			    err, 0, "http: error status %u", (unsigned)r->arg);
		return 0;
	case PRIV_HTTP_SILENCE:
		if (r->num < 0 || r->num > PRIV_HTTP_SILENCE_MAX)
			return err_set(err, 0, "http: silence out of range");
		return 0;
	case PRIV_HTTP_UNBLOCK:
		return check_prefix("http", &r->prefix, err);
	default:
		return 0;
	}
}

/* A string terminated within n bytes, without control characters; with
 * ascii, of printable ASCII only. */
static int
text_ok(const char *s, size_t n, int ascii)
{
	if (!terminated(s, n))
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    (ascii && (unsigned char)*s > 0x7e))
			return 0;
	return 1;
}

/* Printable ASCII, terminated within n bytes. */
static int
printable(const char *s, size_t n)
{
	return text_ok(s, n, 1);
}

static int
check_http_rep(const struct priv_http_rep *h, size_t n, struct err *err)
{
	if (h->status < 100 || h->status > 599)
		return err_set(
		    err, 0, "http-rep: status %u", (unsigned)h->status);
	if (h->loc > PRIV_HTTP_LOC_CONNECTIONS)
		return err_set(
		    err, 0, "http-rep: unknown location %u", (unsigned)h->loc);
	if (h->last > 1)
		return err_set(
		    err, 0, "http-rep: last is %u", (unsigned)h->last);
	if (h->type[0] == '\0' || !printable(h->type, sizeof(h->type)))
		return err_set(err, 0, "http-rep: bad content type");
	if (h->len != n - offsetof(struct priv_http_rep, text))
		return err_set(err, 0, "http-rep: says %u bytes, has %zu",
		    (unsigned)h->len, n - offsetof(struct priv_http_rep, text));
	return 0;
}

static int
check_links(const struct priv_links_req *l, struct err *err)
{
	if (l->link >= PRIV_LINK_N)
		return err_set(
		    err, 0, "links: unknown link %u", (unsigned)l->link);
	if (l->n == 0 || l->n > PRIV_LINKS_MAX)
		return err_set(err, 0, "links: %u pids, wants 1..%d",
		    (unsigned)l->n, PRIV_LINKS_MAX);
	for (uint32_t i = 0; i < l->n; i++)
		if (l->pid[i] <= 0)
			return err_set(
			    err, 0, "links: bad pid %d", (int)l->pid[i]);
	return 0;
}

static int
check_linked(const struct priv_linked *l, struct err *err)
{
	if (l->link >= PRIV_LINK_N || l->n == 0 || l->n > PRIV_LINKS_MAX)
		return err_set(err, 0, "linked: bad link or count");
	for (uint32_t i = 0; i < l->n; i++) {
		const struct priv_link_rep *r = &l->l[i];

		if (r->pid <= 0 ||
		    (r->code == 0 && (r->len == 0 || r->len > PRIV_LINK_MAX)) ||
		    (r->code != 0 && r->len != 0))
			return err_set(
			    err, 0, "linked: bad entry %u", (unsigned)i);
	}
	return 0;
}

static int
check_exefacts(const struct priv_exefacts_req *q, struct err *err)
{
	if (q->n == 0 || q->n > PRIV_EXEFACTS_MAX)
		return err_set(err, 0, "exe-facts: %u pids, wants 1..%d",
		    (unsigned)q->n, PRIV_EXEFACTS_MAX);
	for (uint32_t i = 0; i < q->n; i++)
		if (q->pid[i] <= 0)
			return err_set(
			    err, 0, "exe-facts: bad pid %d", (int)q->pid[i]);
	return 0;
}

/* An entry: a link and its facts, or an errno and nothing else. */
static int
exefact_ok(const struct priv_exefact *f)
{
	if (f->pid <= 0 || f->deleted > 1 || f->file_code < 0 ||
	    f->dir_code < 0)
		return 0;
	if (f->code != 0)
		return f->code > 0 && f->len == 0 && f->deleted == 0 &&
		    f->file_code == 0 && f->dir_code == 0;
	return f->len > 0 && f->len <= PRIV_LINK_MAX;
}

static int
check_facts(const struct priv_exefacts *r, struct err *err)
{
	if (r->n == 0 || r->n > PRIV_EXEFACTS_MAX)
		return err_set(err, 0, "facts: %u entries", (unsigned)r->n);
	for (uint32_t i = 0; i < r->n; i++)
		if (!exefact_ok(&r->f[i]))
			return err_set(
			    err, 0, "facts: bad entry %u", (unsigned)i);
	return 0;
}

/* n bytes that hold a string without control characters. */
static int
no_controls(const char *s, size_t n)
{
	return text_ok(s, n, 0);
}

static int
check_stop(const struct priv_stop_req *st, struct err *err)
{
	if (st->pid <= 1)
		return err_set(err, 0, "stop: bad pid %d", (int)st->pid);
	if (!terminated(st->comm, sizeof(st->comm)) ||
	    !no_controls(st->user, sizeof(st->user)) ||
	    !no_controls(st->why, sizeof(st->why)))
		return err_set(err, 0, "stop: bad name, user or reason");
	if (!no_controls(st->script, sizeof(st->script)) ||
	    (st->script[0] != '\0' && st->script[0] != '/'))
		return err_set(err, 0, "stop: not an absolute script path");
	return 0;
}

static int
check_stopped(const struct priv_stopped *st, struct err *err)
{
	if (st->result < 0 || st->result > 2 ||
	    !terminated(st->msg, sizeof(st->msg)) || st->nev > PRIV_STOP_EV)
		return err_set(err, 0, "stopped: bad reply");
	return check_evidence("stopped", st->ev, st->nev, err);
}

static int
check_body(struct priv_msg *m, size_t n, struct err *err)
{
	switch (m->type) {
	case PRIV_OPEN:
		if (!one_string(m->u.path, n) || !clean_path(m->u.path))
			return err_set(err, 0,
			    "open: not a clean absolute "
			    "path");
		return 0;
	case PRIV_NOTE:
		if (!one_string(m->u.text, n))
			return err_set(err, 0, "note: not one string");
		return 0;
	case PRIV_BLOCK:
		return check_block(&m->u.block, err);
	case PRIV_KILL:
		if (m->u.kill.pid <= 1)
			return err_set(
			    err, 0, "kill: bad pid %d", (int)m->u.kill.pid);
		if (!isfinite(m->u.kill.grace) || m->u.kill.grace < 0 ||
		    m->u.kill.grace > PRIV_GRACE_MAX)
			return err_set(err, 0, "kill: grace out of range");
		return 0;
	case PRIV_ALERT:
		return check_alert(&m->u.alert, err);
	case PRIV_FINDING:
		return check_finding(&m->u.finding, err);
	case PRIV_PROGRESS:
		return check_progress(&m->u.progress, err);
	case PRIV_LINE:
		return check_line(&m->u.line, n, err);
	case PRIV_SHOW:
		return check_show(&m->u.show, err);
	case PRIV_SHOWN:
		return check_shown(&m->u.shown, n, err);
	case PRIV_HTTP:
		return check_http(&m->u.http, err);
	case PRIV_HTTP_REP:
		return check_http_rep(&m->u.http_rep, n, err);
	case PRIV_RUN:
		if (m->u.run.now < 0 || m->u.run.entries == 0)
			return err_set(err, 0, "run: no entry, or a bad time");
		return 0;
	case PRIV_CHECKED:
		return check_checked(&m->u.checked, err);
	case PRIV_RAN:
		if (m->u.ran.entry >= PRIV_ENTRIES_MAX || m->u.ran.now < 0)
			return err_set(err, 0,
			    "ran: entry %u or time out of range",
			    (unsigned)m->u.ran.entry);
		return 0;
	case PRIV_SAMPLES:
		return check_points(&m->u.points, n, err);
	case PRIV_LINKS:
		return check_links(&m->u.links, err);
	case PRIV_LINKED:
		return check_linked(&m->u.linked, err);
	case PRIV_STOP:
		return check_stop(&m->u.stop, err);
	case PRIV_STOPPED:
		return check_stopped(&m->u.stopped, err);
	case PRIV_EXEFACTS:
		return check_exefacts(&m->u.exefacts, err);
	case PRIV_FACTS:
		return check_facts(&m->u.facts, err);
	case PRIV_SYNC:
		if (m->u.sync.set >= PRIV_SETS_MAX)
			return err_set(err, 0, "sync: set %u, at most %d",
			    (unsigned)m->u.sync.set, PRIV_SETS_MAX - 1);
		return 0;
	case PRIV_BLOCKED:
		if (m->u.blocked.status > NET_BLOCK_ABSENT ||
		    !terminated(m->u.blocked.msg, sizeof(m->u.blocked.msg)))
			return err_set(err, 0, "blocked: bad reply");
		return 0;
	case PRIV_ERROR:
		if (!terminated(m->u.error.msg, sizeof(m->u.error.msg)))
			return err_set(err, 0, "error: unterminated");
		return 0;
	default:
		return 0;
	}
}

int
priv_msg_decode(const void *buf, size_t len, size_t nfds, enum priv_from from,
    struct priv_msg *m, struct err *err)
{
	struct priv_hdr h;
	size_t min, max, n;

	m->fd = -1;
	if (len < sizeof(h))
		return err_set(err, 0,
		    "message of %zu bytes: shorter than "
		    "its header",
		    len);
	memcpy(&h, buf, sizeof(h));
	if (h.len != len)
		return err_set(err, 0, "message says %u bytes, has %zu",
		    (unsigned)h.len, len);
	if (!type_allowed(h.type, from))
		return err_set(err, 0,
		    "message of type %u (%s) not allowed "
		    "from the %s",
		    (unsigned)h.type, priv_type_name(h.type),
		    from == PRIV_FROM_CHILD ? "child" : "parent");
	m->type = (enum priv_type)h.type;
	m->id = h.id;
	n = len - sizeof(h);
	body_size(h.type, &min, &max);
	if (n < min || n > max)
		return err_set(err, 0, "%s: body of %zu bytes, wants %zu..%zu",
		    priv_type_name(h.type), n, min, max);
	if (nfds != (h.type == PRIV_FD ? 1u : 0u))
		return err_set(err, 0, "%s: %zu descriptors, wants %u",
		    priv_type_name(h.type), nfds, h.type == PRIV_FD ? 1 : 0);
	/* the body, and zeros to its type's size (a line's text is not
	 * padded: its length is in it) */
	memcpy(&m->u, (const char *)buf + sizeof(h), n);
	if (h.type != PRIV_LINE && h.type != PRIV_HTTP_REP && max > n)
		memset((char *)&m->u + n, 0, max - n);
	return check_body(m, n, err);
}

size_t
priv_msg_encode(void *buf, size_t bufsz, enum priv_type type, uint32_t id,
    const void *body, size_t bodylen)
{
	struct priv_hdr h;

	if (bodylen > PRIV_MSG_MAX - sizeof(h) || bufsz < sizeof(h) + bodylen)
		return 0;
	h.type = type;
	h.len = (uint32_t)(sizeof(h) + bodylen);
	h.id = id;
	memcpy(buf, &h, sizeof(h));
	if (bodylen > 0)
		memcpy((char *)buf + sizeof(h), body, bodylen);
	return sizeof(h) + bodylen;
}

int
priv_send(int sock, enum priv_type type, uint32_t id, const void *body,
    size_t bodylen, int fd, struct err *err)
{
	char buf[PRIV_MSG_MAX];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov;
	struct msghdr mh = {0};
	size_t n;
	ssize_t w;

	n = priv_msg_encode(buf, sizeof(buf), type, id, body, bodylen);
	if (n == 0)
		return err_set(err, EMSGSIZE, "%s: message too long",
		    priv_type_name(type));
	iov.iov_base = buf;
	iov.iov_len = n;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof(cm.b);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
	}
	do
		w = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (w == -1 && errno == EINTR);
	if (w == -1)
		return err_sys(err, errno, "cannot send a '%s' message",
		    priv_type_name(type));
	return 0;
}

int
priv_send_note(int sock, const char *s, struct err *err)
{
	char text[PRIV_TEXT_MAX];
	size_t n = strnlen(s, sizeof(text) - 1);

	memcpy(text, s, n);
	text[n] = '\0';
	return priv_send(sock, PRIV_NOTE, 0, text, n + 1, -1, err);
}

int
priv_send_pieces(int sock, enum priv_type type, uint32_t id, void *msg,
    size_t head, size_t last_off, size_t len_off, const char *text, size_t len,
    double secs, struct err *err)
{
	double end = clock_mono() + secs;
	size_t off = 0;

	do {
		size_t n =
		    len - off < PRIV_SHOWN_MAX ? len - off : PRIV_SHOWN_MAX;
		uint32_t v = (uint32_t)n;

		memcpy((char *)msg + len_off, &v, sizeof(v));
		v = off + n == len;
		memcpy((char *)msg + last_off, &v, sizeof(v));
		if (n > 0)
			memcpy((char *)msg + head, text + off, n);
		while (
		    priv_send(sock, type, id, msg, head + n, -1, err) == -1) {
			struct pollfd p = {sock, POLLOUT, 0};
			double left = end - clock_mono();

			if ((err->code != EAGAIN && err->code != EWOULDBLOCK) ||
			    left <= 0 ||
			    poll(&p, 1, (int)(left * 1000) + 1) <= 0)
				return -1;
		}
		off += n;
	} while (off < len);
	return 0;
}

int
priv_send_bytes(int sock, uint32_t id, const void *p, size_t n, struct err *err)
{
	size_t off = 0;
	int fd, rc;

	if ((fd = memfd_create("sakimori-setup", MFD_CLOEXEC)) == -1)
		return err_sys(err, errno, "cannot make a memory file");
	while (off < n) {
		ssize_t w = write(fd, (const char *)p + off, n - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			err_sys(err, w == -1 ? errno : EIO,
			    "cannot fill a memory file");
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	rc = priv_send(sock, PRIV_FD, id, NULL, 0, fd, err);
	close(fd);
	return rc;
}

int
priv_fd_read(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = 0;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (*len + 1 >= cap &&
		    (cap > max || mem_grow(buf, &cap, *len + 65536, 1) == -1))
			goto fail;
		r = pread(fd, *buf + *len, cap - *len - 1, (off_t)*len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			goto fail;
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	if (*len > max)
		goto fail;
	(*buf)[*len] = '\0';
	return 0;
fail:
	free(*buf);
	*buf = NULL;
	*len = 0;
	return -1;
}

void
priv_finding_from(struct priv_finding *dst, uint32_t set, uint64_t line,
    const struct finding *f)
{
	memset(dst, 0, sizeof(*dst));
	dst->set = set;
	dst->sev = (uint32_t)f->sev;
	dst->time = (int64_t)f->time;
	dst->line = line;
	str_copy(dst->check, sizeof(dst->check), f->check);
	str_copy(dst->subject, sizeof(dst->subject), f->subject);
	str_copy(dst->message, sizeof(dst->message), f->message);
	dst->nev = f->nev < FINDING_MAX_EV ? f->nev : FINDING_MAX_EV;
	for (unsigned i = 0; i < dst->nev; i++) {
		str_copy(dst->ev[i].key, sizeof(dst->ev[i].key), f->ev[i].key);
		str_copy(dst->ev[i].val, sizeof(dst->ev[i].val), f->ev[i].val);
	}
}

void
priv_finding_to(struct finding *dst, const struct priv_finding *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->sev = (enum sev)src->sev;
	dst->time = (time_t)src->time;
	str_copy(dst->check, sizeof(dst->check), src->check);
	str_copy(dst->subject, sizeof(dst->subject), src->subject);
	str_copy(dst->message, sizeof(dst->message), src->message);
	dst->nev = src->nev < FINDING_MAX_EV ? src->nev : FINDING_MAX_EV;
	for (unsigned i = 0; i < dst->nev; i++) {
		str_copy(
		    dst->ev[i].key, sizeof(dst->ev[i].key), src->ev[i].key);
		str_copy(
		    dst->ev[i].val, sizeof(dst->ev[i].val), src->ev[i].val);
	}
}

/* The descriptors of a received message's SCM_RIGHTS, up to max. */
static size_t
take_fds(struct msghdr *mh, int *fds, size_t max, size_t *extra)
{
	size_t n = 0;

	*extra = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	     c = CMSG_NXTHDR(mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(
			    &fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (n < max)
				fds[n++] = fd;
			else {
				close(fd);
				(*extra)++;
			}
		}
	}
	return n;
}

int
priv_recv(int sock, enum priv_from from, struct priv_msg *m, struct err *err)
{
	char buf[PRIV_MSG_MAX + 1];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {0};
	int fds[4];
	size_t nfds, extra;
	ssize_t r;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	do
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		return err_sys(err, errno, "cannot receive a message");
	nfds = take_fds(&mh, fds, countof(fds), &extra);
	if (r == 0 && nfds == 0)
		return 0;
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 || extra > 0) {
		err_set(err, EMSGSIZE,
		    "message truncated or with too many "
		    "descriptors");
		goto bad;
	}
	if (priv_msg_decode(buf, (size_t)r, nfds, from, m, err) == -1)
		goto bad;
	if (nfds == 1)
		m->fd = fds[0];
	return 1;
bad:
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	m->fd = -1;
	return -1;
}

/* 1 for the types that only answer a child's request. */
static int
is_reply(enum priv_type type)
{
	return type == PRIV_FD || type == PRIV_BLOCKED || type == PRIV_DONE ||
	    type == PRIV_ERROR || type == PRIV_LINKED || type == PRIV_STOPPED ||
	    type == PRIV_FACTS;
}

int
priv_call(int sock, enum priv_type type, const void *body, size_t len,
    struct priv_msg *rep, int (*other)(const struct priv_msg *m, void *arg),
    void *arg, struct err *err)
{
	static uint32_t next_id;
	uint32_t id = ++next_id;
	int r;

	if (priv_send(sock, type, id, body, len, -1, err) == -1)
		return -1;
	for (;;) {
		r = priv_recv(sock, PRIV_FROM_PARENT, rep, err);
		if (r == -1)
			return -1;
		if (r == 0)
			return err_set(err, EPIPE,
			    "the parent closed the "
			    "channel");
		if (is_reply(rep->type) && rep->id == id)
			return 0;
		if (other == NULL) {
			if (rep->fd != -1)
				close(rep->fd);
		} else if (other(rep, arg) == -1)
			return err_set(err, ECANCELED,
			    "'%s' given up while waiting for its answer",
			    priv_type_name(type));
	}
}

int
priv_open(int sock, const char *path, int *fd, struct err *err)
{
	struct priv_msg rep;
	size_t n = strlen(path) + 1;

	*fd = -1;
	if (n > PRIV_PATH_MAX)
		return err_set(err, ENAMETOOLONG, "'%s': path too long", path);
	if (priv_call(sock, PRIV_OPEN, path, n, &rep, NULL, NULL, err) == -1)
		return -1;
	if (rep.type == PRIV_ERROR)
		return err_set(err, rep.u.error.code, "%s", rep.u.error.msg);
	if (rep.type != PRIV_FD)
		return err_set(err, EPROTO, "'%s': unexpected '%s' reply", path,
		    priv_type_name(rep.type));
	*fd = rep.fd;
	return 0;
}
