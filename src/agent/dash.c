/*
 * dash.c - the dashboard's pages (see dash.h): overview (open problems
 * with their evidence and a silence form), graphs (librrd's PNGs per
 * series and period), processes, connections with the blocks and an
 * unblock form.  Every text from the machine goes through esc_html.
 */
#include "agent/dash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "agent/dash_int.h"
#include "agent/problem.h"
#include "base/civtime.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/hex.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "collect/proc.h"
#include "collect/sock.h"
#include "hist/hist.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/settings.h"
#include "store/store.h"

#define DASH_BODY_MAX (16u << 20)
#define DASH_PROCS 100  /* processes listed, the busiest first */
#define DASH_CONNS 1000 /* connections listed */

struct dash {
	struct agent *a;
	char csrf[2 * DASH_CSRF_BYTES + 1];
};

static const char css[] =
    "body{font-family:sans-serif;margin:1em;color:#222}"
    "nav a{margin-right:1em}"
    "a:focus,button:focus,select:focus{outline:2px solid #05a}"
    "table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top;"
    "text-align:left}"
    ".CRITICAL{color:#b00}.WARNING{color:#a60}.UNKNOWN{color:#666}"
    "dl{margin:0}dt{font-weight:bold}dd{margin:0 0 0 1em;"
    "white-space:pre-wrap;word-break:break-all}"
    "img{display:block;margin:.5em 0}form{margin:0}";

static const char icon[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
    "<rect width=\"16\" height=\"16\" fill=\"#05a\"/></svg>";

struct dash *
dash_new(struct agent *a, struct err *err)
{
	struct dash *d = calloc(1, sizeof(*d));
	unsigned char secret[DASH_CSRF_BYTES];

	if (d == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	if (getrandom(secret, sizeof(secret), 0) != (ssize_t)sizeof(secret)) {
		err_sys(err, errno, "cannot make the dashboard's CSRF secret");
		free(d);
		return NULL;
	}
	hex_encode(d->csrf, secret, sizeof(secret));
	explicit_bzero(secret, sizeof(secret));
	d->a = a;
	return d;
}

void
dash_free(struct dash *d)
{
	if (d == NULL)
		return;
	explicit_bzero(d->csrf, sizeof(d->csrf));
	free(d);
}

static int
prefixed(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int
dash_owns(const char *url)
{
	static const char *const exact[] = {"/", "/graphs", "/processes",
	    "/connections", "/web", "/mail", "/integrity", "/disks", "/servers",
	    "/silence", "/unblock", "/static/dash.css", "/static/icon.svg",
	    "/favicon.ico"};

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(url, exact[i]) == 0)
			return 1;
	return prefixed(url, "/graphs/") || prefixed(url, "/graph/") ||
	    prefixed(url, "/api/v1/");
}

void
dash_h(struct strbuf *sb, const char *s)
{
	esc_html(sb, s, strlen(s));
}

void
dash_page_head(struct strbuf *sb, const char *title)
{
	strbuf_adds(sb,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>sakimori: ");
	dash_h(sb, title);
	strbuf_adds(sb,
	    "</title><link rel=\"stylesheet\" href=\"/static/dash.css\">"
	    "<link rel=\"icon\" href=\"/static/icon.svg\" "
	    "type=\"image/svg+xml\"></head><body><nav>"
	    "<a href=\"/\">Overview</a><a href=\"/graphs\">Graphs</a>"
	    "<a href=\"/processes\">Processes</a>"
	    "<a href=\"/connections\">Connections and blocks</a>"
	    "<a href=\"/web\">Web</a><a href=\"/mail\">Mail</a>"
	    "<a href=\"/integrity\">Integrity</a>"
	    "<a href=\"/disks\">Disks</a>"
	    "<a href=\"/servers\">Server table</a></nav>"
	    "<main><h1>");
	dash_h(sb, title);
	strbuf_adds(sb, "</h1>\n");
}

void
dash_page_end(struct strbuf *sb)
{
	strbuf_adds(sb, "</main></body></html>\n");
}

static void
time_cell(struct strbuf *sb, time_t t)
{
	char buf[64] = "-";

	if (t != 0)
		civ_rfc3339(buf, sizeof(buf), t);
	strbuf_printf(sb, "<td>%s</td>", buf);
}

static void
csrf_field(struct strbuf *sb, const struct dash *d)
{
	strbuf_printf(
	    sb, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", d->csrf);
}

struct overview_ctx {
	struct dash *d;
	struct strbuf *sb;
	size_t n;
};

static void
problem_row(void *arg, const struct problem_info *i)
{
	struct overview_ctx *o = arg;
	struct strbuf *sb = o->sb;
	const char *k, *v;

	o->n++;
	strbuf_printf(sb, "<tr><td>%llu</td><td class=\"%s\">%s</td><td>",
	    (unsigned long long)i->id, sev_name(i->sev), sev_name(i->sev));
	dash_h(sb, i->check);
	strbuf_adds(sb, "</td><td>");
	dash_h(sb, i->subject);
	strbuf_printf(sb, "</td><td>%s%s%s</td>", i->open ? "open" : "pending",
	    i->flapping ? ", flapping" : "",
	    i->silenced_until ? ", silenced" : "");
	time_cell(sb, i->first);
	strbuf_printf(sb, "<td>%llu</td><td>", (unsigned long long)i->count);
	dash_h(sb, i->message);
	strbuf_adds(sb, "<dl>");
	for (unsigned n = 0; problem_info_ev(i, n, &k, &v) == 0; n++) {
		strbuf_adds(sb, "<dt>");
		dash_h(sb, k);
		strbuf_adds(sb, "</dt><dd>");
		dash_h(sb, v);
		strbuf_adds(sb, "</dd>");
	}
	strbuf_adds(sb,
	    "</dl></td><td><form method=\"post\" "
	    "action=\"/silence\">");
	csrf_field(sb, o->d);
	strbuf_adds(sb, "<input type=\"hidden\" name=\"check\" value=\"");
	dash_h(sb, i->check);
	strbuf_adds(sb, "\"><input type=\"hidden\" name=\"subject\" value=\"");
	dash_h(sb, i->subject);
	strbuf_printf(sb,
	    "\"><label>for <select name=\"for\" aria-label=\"silence "
	    "problem %llu for\">"
	    "<option value=\"1h\">1 hour</option>"
	    "<option value=\"1d\">1 day</option>"
	    "<option value=\"7d\">1 week</option>"
	    "<option value=\"0s\">lift</option></select></label> "
	    "<button type=\"submit\">Silence</button></form></td></tr>\n",
	    (unsigned long long)i->id);
}

static unsigned
page_overview(struct dash *d, struct strbuf *sb)
{
	struct overview_ctx o = {d, sb, 0};
	struct agent *a = d->a;
	char up[64];

	dash_page_head(sb, "Overview");
	dur_format(up, sizeof(up), (uint64_t)(time(NULL) - a->started));
	strbuf_printf(sb, "<p>Agent up %s; %zu problems open.</p>\n", up,
	    problems_open(a->pb));
	strbuf_adds(sb,
	    "<h2>Problems</h2><table><thead><tr><th>id</th>"
	    "<th>severity</th><th>check</th><th>subject</th>"
	    "<th>state</th><th>since</th><th>count</th>"
	    "<th>message and evidence</th><th>silence</th></tr>"
	    "</thead><tbody>\n");
	problems_each(a->pb, problem_row, &o);
	strbuf_adds(sb, "</tbody></table>\n");
	if (o.n == 0)
		strbuf_adds(sb, "<p>No open problem.</p>\n");
	dash_page_end(sb);
	return MHD_HTTP_OK;
}

static unsigned
page_graphs(struct dash *d, struct strbuf *sb)
{
	char **names = NULL;
	struct err err = {0};
	long n = -1;

	dash_page_head(sb, "Graphs");
	if (d->a->o->state_dir == NULL)
		strbuf_adds(sb,
		    "<p>No history: the agent has no state "
		    "directory.</p>\n");
	else if ((n = hist_list(d->a->o->state_dir, &names, &err)) == -1) {
		strbuf_adds(sb, "<p>No history: ");
		dash_h(sb, err.msg);
		strbuf_adds(sb, "</p>\n");
	}
	if (n > 0)
		strbuf_adds(sb, "<ul>\n");
	for (long i = 0; i < n; i++) {
		strbuf_adds(sb, "<li><a href=\"/graphs/");
		dash_h(sb, names[i]);
		strbuf_adds(sb, "\">");
		dash_h(sb, names[i]);
		strbuf_adds(sb, "</a></li>\n");
	}
	if (n > 0)
		strbuf_adds(sb, "</ul>\n");
	hist_names_free(names, n);
	dash_page_end(sb);
	return MHD_HTTP_OK;
}

static const char *const periods[] = {"day", "week", "month", "year"};

static unsigned
page_series(struct dash *d, const char *name, struct strbuf *sb)
{
	char title[HIST_NAME_MAX + 16], path[4096];
	struct err err = {0};

	if (!hist_name_ok(name) || d->a->o->state_dir == NULL ||
	    hist_path(d->a->o->state_dir, name, path, sizeof(path), &err) ==
	        -1 ||
	    access(path, F_OK) == -1)
		return MHD_HTTP_NOT_FOUND;
	snprintf(title, sizeof(title), "Graphs of %s", name);
	dash_page_head(sb, title);
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		strbuf_printf(
		    sb, "<h2>The last %s</h2><img src=\"/graph/", periods[i]);
		dash_h(sb, name);
		strbuf_printf(sb,
		    "/%s.png\" width=\"597\" height=\"250\" "
		    "alt=\"",
		    periods[i]);
		dash_h(sb, name);
		strbuf_printf(sb, ", the last %s\">\n", periods[i]);
	}
	dash_page_end(sb);
	return MHD_HTTP_OK;
}

/* GET /graph/NAME/PERIOD.png into sb (a PNG). */
static unsigned
graph_png(struct dash *d, const char *rest, struct strbuf *sb)
{
	char name[HIST_NAME_MAX], period[16];
	const char *slash = strrchr(rest, '/'), *dot;
	unsigned long secs;
	struct err err = {0};

	if (slash == NULL || (size_t)(slash - rest) >= sizeof(name) ||
	    (dot = strchr(slash, '.')) == NULL || strcmp(dot, ".png") != 0 ||
	    (size_t)(dot - slash - 1) >= sizeof(period) ||
	    d->a->o->state_dir == NULL)
		return MHD_HTTP_NOT_FOUND;
	memcpy(name, rest, (size_t)(slash - rest));
	name[slash - rest] = '\0';
	memcpy(period, slash + 1, (size_t)(dot - slash - 1));
	period[dot - slash - 1] = '\0';
	if (!hist_name_ok(name) || (secs = hist_period_secs(period)) == 0)
		return MHD_HTTP_NOT_FOUND;
	if (hist_graph_png(d->a->o->state_dir, name, secs, sb, &err) == -1) {
		log_warnx("dashboard: %s", err.msg);
		return err.code == ENOENT ? MHD_HTTP_NOT_FOUND
		                          : MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	return MHD_HTTP_OK;
}

static unsigned
page_processes(struct dash *d, struct strbuf *sb)
{
	struct proc_table t;
	const struct proc *top[DASH_PROCS];
	struct err err = {0};
	size_t n;

	dash_page_head(sb, "Processes");
	proc_table_init(&t);
	if (proc_table_read(&t, d->a->o->root, PROC_READ_ALL, NULL, &err) ==
	    -1) {
		strbuf_adds(sb, "<p>UNKNOWN: ");
		dash_h(sb, err.msg);
		strbuf_adds(sb, "</p>\n");
		proc_table_release(&t);
		dash_page_end(sb);
		return MHD_HTTP_OK;
	}
	proc_table_cpu(&t, NULL);
	n = proc_table_top(&t, DASH_PROCS, top);
	strbuf_printf(sb,
	    "<p>%zu processes; the %zu busiest (CPU over their "
	    "lifetime).</p>\n<table><thead><tr><th>pid</th><th>user</th>"
	    "<th>%%CPU</th><th>RSS KiB</th><th>state</th><th>name</th>"
	    "<th>command</th></tr></thead><tbody>\n",
	    t.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = top[i];
		char st[2] = {p->state, '\0'};

		strbuf_printf(sb, "<tr><td>%d</td><td>", p->pid);
		dash_h(sb, p->user);
		strbuf_printf(sb, "</td><td>%.1f</td><td>%llu</td><td>",
		    p->cpu_pct, (unsigned long long)p->rss_kb);
		dash_h(sb, st);
		strbuf_adds(sb, "</td><td>");
		dash_h(sb, proc_name(p));
		strbuf_adds(sb, "</td><td>");
		dash_h(sb, p->cmdline);
		strbuf_adds(sb, "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
	proc_table_release(&t);
	dash_page_end(sb);
	return MHD_HTTP_OK;
}

/* The active blocks (0), or -1 with err. */
int
dash_blocks(struct agent *a, struct net_ban **b, size_t *n, struct err *err)
{
	struct store st;
	int rc;

	*b = NULL;
	*n = 0;
	if (a->o->state_dir == NULL)
		return 0;
	if (dynlib_require(DYNLIB_SQLITE3, err) == -1 ||
	    store_open(&st, a->o->state_dir, err) == -1)
		return -1;
	rc = net_ban_migrate(&st, err) == -1 ? -1
	                                     : net_ban_list(&st, 0, b, n, err);
	store_close(&st);
	return rc;
}

static void
blocks_table(struct dash *d, struct strbuf *sb)
{
	struct net_ban *b;
	size_t n;
	struct err err = {0};

	strbuf_adds(sb, "<h2>Blocks</h2>\n");
	if (dash_blocks(d->a, &b, &n, &err) == -1) {
		strbuf_adds(sb, "<p>UNKNOWN: ");
		dash_h(sb, err.msg);
		strbuf_adds(sb, "</p>\n");
		return;
	}
	if (n == 0)
		strbuf_adds(sb, "<p>No address is blocked.</p>\n");
	else
		strbuf_adds(sb,
		    "<table><thead><tr><th>prefix</th>"
		    "<th>since</th><th>until</th><th>by</th>"
		    "<th>reason</th><th>unblock</th></tr></thead>"
		    "<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		char p[NET_PREFIX_STRLEN];

		net_prefix_format(&b[i].prefix, p, sizeof(p));
		strbuf_adds(sb, "<tr><td>");
		dash_h(sb, p);
		strbuf_adds(sb, "</td>");
		time_cell(sb, b[i].since);
		time_cell(sb, b[i].until);
		strbuf_adds(sb, "<td>");
		dash_h(sb, b[i].by);
		strbuf_adds(sb, "</td><td>");
		dash_h(sb, b[i].reason);
		strbuf_adds(sb,
		    "</td><td><form method=\"post\" "
		    "action=\"/unblock\">");
		csrf_field(sb, d);
		strbuf_adds(
		    sb, "<input type=\"hidden\" name=\"prefix\" value=\"");
		dash_h(sb, p);
		strbuf_adds(
		    sb, "\"><button type=\"submit\" aria-label=\"unblock ");
		dash_h(sb, p);
		strbuf_adds(sb, "\">Unblock</button></form></td></tr>\n");
	}
	if (n > 0)
		strbuf_adds(sb, "</tbody></table>\n");
	free(b);
}

static unsigned
page_connections(struct dash *d, struct strbuf *sb)
{
	struct sock_table t = {0};
	struct err err = {0};

	dash_page_head(sb, "Connections and blocks");
	blocks_table(d, sb);
	strbuf_adds(sb, "<h2>TCP connections</h2>\n");
	if (sock_connections(SOCK_STATES_ALL, d->a->o->root, &t, &err) == -1) {
		strbuf_adds(sb, "<p>UNKNOWN: ");
		dash_h(sb, err.msg);
		strbuf_adds(sb, "</p>\n");
	} else {
		strbuf_printf(sb,
		    "<p>%zu sockets%s.</p><table><thead><tr><th>state</th>"
		    "<th>local</th><th>remote</th><th>uid</th></tr></thead>"
		    "<tbody>\n",
		    t.n, t.n > DASH_CONNS ? " (the first 1000 listed)" : "");
		for (size_t i = 0; i < t.n && i < DASH_CONNS; i++) {
			const struct sock_entry *e = &t.v[i];
			char l[80], r[80];

			sock_endpoint_format(
			    e->family, e->laddr, e->lport, l, sizeof(l));
			sock_endpoint_format(
			    e->family, e->raddr, e->rport, r, sizeof(r));
			strbuf_printf(sb, "<tr><td>%s</td><td>",
			    sock_state_name(e->state, e->proto));
			dash_h(sb, l);
			strbuf_adds(sb, "</td><td>");
			dash_h(sb, r);
			strbuf_printf(sb, "</td><td>%u</td></tr>\n", e->uid);
		}
		strbuf_adds(sb, "</tbody></table>\n");
	}
	sock_table_release(&t);
	dash_page_end(sb);
	return MHD_HTTP_OK;
}

/* 1 if the form carries the agent's CSRF token (compared in full). */
static int
csrf_ok(const struct dash *d, const char *body, size_t n)
{
	char got[sizeof(d->csrf)];
	unsigned char diff = 0;

	if (dash_form_get(body, n, "csrf", got, sizeof(got)) != 1 ||
	    strlen(got) != strlen(d->csrf))
		return 0;
	for (size_t i = 0; got[i]; i++)
		diff |= (unsigned char)(got[i] ^ d->csrf[i]);
	return diff == 0;
}

static unsigned
post_silence(struct dash *d, const char *body, size_t n, struct strbuf *msg)
{
	char check[64], subject[256], fortxt[32];
	uint64_t secs = 0;
	struct err err = {0};
	time_t now = time(NULL);

	if (dash_form_get(body, n, "check", check, sizeof(check)) != 1 ||
	    check[0] == '\0' ||
	    dash_form_get(body, n, "subject", subject, sizeof(subject)) == -1 ||
	    dash_form_get(body, n, "for", fortxt, sizeof(fortxt)) != 1 ||
	    dur_parse(fortxt, strlen(fortxt), &secs) == -1 ||
	    secs > 366 * 86400) {
		strbuf_adds(msg,
		    "expected check, subject and for (a "
		    "duration up to 366d)\n");
		return MHD_HTTP_BAD_REQUEST;
	}
	if (problems_silence(d->a->pb, check, subject[0] ? subject : NULL,
	        now + (time_t)secs, &err) == -1) {
		strbuf_printf(msg, "cannot silence: %s\n", err.msg);
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	agent_events_flush(d->a);
	log_info("dashboard: %s%s%s silenced for %llu s", check,
	    subject[0] ? "/" : "", subject, (unsigned long long)secs);
	return MHD_HTTP_SEE_OTHER;
}

static unsigned
post_unblock(struct dash *d, const char *body, size_t n, struct strbuf *msg)
{
	char text[NET_PREFIX_STRLEN];
	struct net_block_item it = {0};
	struct net_block_conf bc;
	struct store st;
	struct err err = {0};
	const char *sd = d->a->o->state_dir;
	int rc;

	if (dash_form_get(body, n, "prefix", text, sizeof(text)) != 1 ||
	    net_prefix_parse(text, strlen(text), &it.p, &err) == -1) {
		strbuf_printf(msg, "expected prefix, an address: %s\n",
		    err.msg[0] ? err.msg : "none given");
		return MHD_HTTP_BAD_REQUEST;
	}
	if (sd == NULL || dynlib_require(DYNLIB_SQLITE3, &err) == -1 ||
	    net_block_conf_load(&bc, &d->a->conf, sd, &err) == -1 ||
	    store_open(&st, sd, &err) == -1) {
		strbuf_printf(msg, "cannot unblock: %s\n",
		    sd ? err.msg : "no state directory");
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	}
	bc.by = "dashboard";
	rc = net_block_remove(&st, &bc, &it, 1, &err);
	store_close(&st);
	if (rc < 0) {
		strbuf_printf(msg, "cannot unblock: %s\n", err.msg);
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	log_info("dashboard: unblock %s: %s", text,
	    net_block_status_name(it.status));
	if (it.status == NET_BLOCK_ABSENT) {
		strbuf_printf(msg, "'%s' is not blocked\n", text);
		return MHD_HTTP_NOT_FOUND;
	}
	if (it.status != NET_BLOCK_DONE) {
		strbuf_printf(msg, "unblock '%s': %s\n", text, it.msg);
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	return MHD_HTTP_SEE_OTHER;
}

enum MHD_Result
dash_answer(struct dash *d, struct MHD_Connection *c, const char *url,
    const char *method, const char *body, size_t blen, int truncated)
{
	static const char *const back_home[] = {"Location", "/", NULL};
	static const char *const back_conns[] = {
	    "Location", "/connections", NULL};
	struct strbuf sb = STRBUF_INIT(DASH_BODY_MAX);
	const char *type = "text/html; charset=utf-8";
	const char *const *hdrs = NULL;
	unsigned status = MHD_HTTP_NOT_FOUND;
	enum MHD_Result ret;
	int post = strcmp(method, "POST") == 0;
	int form = strcmp(url, "/silence") == 0 || strcmp(url, "/unblock") == 0;

	if (!dash_host_ok(MHD_lookup_connection_value(
	        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) ||
	    !dash_host_ok(
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"))) {
		static const char refused[] =
		    "refused: the dashboard answers only to its address "
		    "(127.0.0.1:PORT) or localhost in Host and Origin\n";

		return http_respond(c, MHD_HTTP_FORBIDDEN,
		    "text/plain; charset=utf-8", refused, sizeof(refused) - 1,
		    NULL);
	}
	if (post != form) {
		static const char *const allow_get[] = {
		    "Allow", "GET, HEAD", NULL};
		static const char *const allow_post[] = {"Allow", "POST", NULL};

		const char *msg = form ? "only POST changes state\n"
		                       : "only GET and HEAD are served here\n";

		return http_respond(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "text/plain; charset=utf-8", msg, strlen(msg),
		    form ? allow_post : allow_get);
	}
	if (post) {
		type = "text/plain; charset=utf-8";
		if (truncated) {
			strbuf_adds(&sb, "the form is too large\n");
			status = MHD_HTTP_CONTENT_TOO_LARGE;
		} else if (!csrf_ok(d, body, blen)) {
			strbuf_adds(&sb,
			    "refused: the form lacks the "
			    "dashboard's CSRF token\n");
			status = MHD_HTTP_FORBIDDEN;
		} else if (strcmp(url, "/silence") == 0) {
			status = post_silence(d, body, blen, &sb);
			hdrs = back_home;
		} else {
			status = post_unblock(d, body, blen, &sb);
			hdrs = back_conns;
		}
		if (status != MHD_HTTP_SEE_OTHER)
			hdrs = NULL;
	} else if (strcmp(url, "/") == 0) {
		status = page_overview(d, &sb);
	} else if (strcmp(url, "/graphs") == 0) {
		status = page_graphs(d, &sb);
	} else if (prefixed(url, "/graphs/")) {
		status = page_series(d, url + 8, &sb);
	} else if (prefixed(url, "/graph/")) {
		type = "image/png";
		status = graph_png(d, url + 7, &sb);
	} else if (strcmp(url, "/processes") == 0) {
		status = page_processes(d, &sb);
	} else if (strcmp(url, "/connections") == 0) {
		status = page_connections(d, &sb);
	} else if (strcmp(url, "/web") == 0) {
		status = dash_view_web(d->a, &sb);
	} else if (strcmp(url, "/mail") == 0) {
		status = dash_view_mail(d->a, &sb);
	} else if (strcmp(url, "/integrity") == 0) {
		status = dash_view_integrity(d->a, &sb);
	} else if (strcmp(url, "/disks") == 0) {
		status = dash_view_disks(d->a, &sb);
	} else if (strcmp(url, "/servers") == 0) {
		status = dash_view_servers(d->a, &sb);
	} else if (strcmp(url, "/static/dash.css") == 0) {
		type = "text/css; charset=utf-8";
		status = MHD_HTTP_OK;
		strbuf_add(&sb, css, sizeof(css) - 1);
	} else if (strcmp(url, "/static/icon.svg") == 0 ||
	    strcmp(url, "/favicon.ico") == 0) {
		type = "image/svg+xml";
		status = MHD_HTTP_OK;
		strbuf_add(&sb, icon, sizeof(icon) - 1);
	} else if (prefixed(url, "/api/v1/")) {
		type = "application/json";
		status = dash_api(d->a, c, url, &sb);
	}
	if (strbuf_failed(&sb)) {
		strbuf_release(&sb);
		return http_respond(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "text/plain; charset=utf-8", "out of memory\n", 14, NULL);
	}
	if (status != MHD_HTTP_OK && status != MHD_HTTP_SEE_OTHER &&
	    sb.len == 0 && !prefixed(url, "/api/v1/")) {
		type = "text/plain; charset=utf-8";
		strbuf_adds(&sb, "not found\n");
	}
	ret = http_respond(c, status, type, sb.p ? sb.p : "", sb.len, hdrs);
	strbuf_release(&sb);
	return ret;
}
