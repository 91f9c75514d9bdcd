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
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "collect/proc.h"
#include "collect/sock.h"
#include "hist/hist.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/settings.h"
#include "store/store.h"

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

const char *const dash_periods[PRIV_HTTP_PERIODS] = {
    "day", "week", "month", "year"};

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
	for (size_t i = 0; i < countof(dash_periods); i++) {
		strbuf_printf(sb, "<h2>The last %s</h2><img src=\"/graph/",
		    dash_periods[i]);
		dash_h(sb, name);
		strbuf_printf(sb,
		    "/%s.png\" width=\"597\" height=\"250\" "
		    "alt=\"",
		    dash_periods[i]);
		dash_h(sb, name);
		strbuf_printf(sb, ", the last %s\">\n", dash_periods[i]);
	}
	dash_page_end(sb);
	return MHD_HTTP_OK;
}

/* GET /graph/NAME/PERIOD.png into sb (a PNG). */
static unsigned
graph_png(struct dash *d, const char *name, uint32_t period, struct strbuf *sb)
{
	unsigned long secs;
	struct err err = {0};

	if (d->a->o->state_dir == NULL || period >= countof(dash_periods) ||
	    !hist_name_ok(name) ||
	    (secs = hist_period_secs(dash_periods[period])) == 0)
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

static unsigned
post_silence(struct dash *d, const struct priv_http_req *r, struct strbuf *msg)
{
	const char *check = r->check, *subject = r->subject;
	uint64_t secs = (uint64_t)r->num;
	struct err err = {0};
	time_t now = time(NULL);

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
post_unblock(struct dash *d, const struct priv_http_req *r, struct strbuf *msg)
{
	char text[NET_PREFIX_STRLEN];
	struct net_block_item it = {0};
	struct net_block_conf bc;
	struct store st;
	struct err err = {0};
	const char *sd = d->a->o->state_dir;
	int rc;

	it.p = r->prefix;
	net_prefix_format(&it.p, text, sizeof(text));
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

const char *
dash_csrf(const struct dash *d)
{
	return d->csrf;
}

unsigned
dash_render(struct dash *d, const struct priv_http_req *r, struct strbuf *sb,
    const char **type, enum priv_http_loc *loc)
{
	unsigned status = MHD_HTTP_NOT_FOUND;

	*type = "text/html; charset=utf-8";
	*loc = PRIV_HTTP_LOC_NONE;
	switch ((enum priv_http_route)r->route) {
	case PRIV_HTTP_SILENCE:
	case PRIV_HTTP_UNBLOCK:
		*type = "text/plain; charset=utf-8";
		if (r->route == PRIV_HTTP_SILENCE) {
			status = post_silence(d, r, sb);
			*loc = PRIV_HTTP_LOC_HOME;
		} else {
			status = post_unblock(d, r, sb);
			*loc = PRIV_HTTP_LOC_CONNECTIONS;
		}
		if (status != MHD_HTTP_SEE_OTHER)
			*loc = PRIV_HTTP_LOC_NONE;
		break;
	case PRIV_HTTP_OVERVIEW:
		status = page_overview(d, sb);
		break;
	case PRIV_HTTP_GRAPHS:
		status = page_graphs(d, sb);
		break;
	case PRIV_HTTP_SERIES:
		status = page_series(d, r->name, sb);
		break;
	case PRIV_HTTP_GRAPH:
		*type = "image/png";
		status = graph_png(d, r->name, r->arg, sb);
		break;
	case PRIV_HTTP_PROCESSES:
		status = page_processes(d, sb);
		break;
	case PRIV_HTTP_CONNECTIONS:
		status = page_connections(d, sb);
		break;
	case PRIV_HTTP_WEB:
		status = dash_view_web(d->a, sb);
		break;
	case PRIV_HTTP_MAIL:
		status = dash_view_mail(d->a, sb);
		break;
	case PRIV_HTTP_INTEGRITY:
		status = dash_view_integrity(d->a, sb);
		break;
	case PRIV_HTTP_DISKS:
		status = dash_view_disks(d->a, sb);
		break;
	case PRIV_HTTP_SERVERS:
		status = dash_view_servers(d->a, sb);
		break;
	case PRIV_HTTP_CSS:
		*type = "text/css; charset=utf-8";
		status = MHD_HTTP_OK;
		strbuf_add(sb, css, sizeof(css) - 1);
		break;
	case PRIV_HTTP_ICON:
		*type = "image/svg+xml";
		status = MHD_HTTP_OK;
		strbuf_add(sb, icon, sizeof(icon) - 1);
		break;
	case PRIV_HTTP_METRICS:
	case PRIV_HTTP_ROUTE_MAX:
		break;
	default: /* the API */
		*type = "application/json";
		status = dash_api(d->a, r, sb);
		break;
	}
	if (strbuf_failed(sb))
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	if (status != MHD_HTTP_OK && status != MHD_HTTP_SEE_OTHER &&
	    sb->len == 0 && strcmp(*type, "application/json") != 0) {
		*type = "text/plain; charset=utf-8";
		strbuf_adds(sb, "not found\n");
	}
	return status;
}
