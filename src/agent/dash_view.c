/*
 * dash_view.c - the web, mail, integrity, disks and server table pages:
 * the api.* objects of dash_data.c as HTML tables.  Every string goes
 * through dash_h (esc_html), whatever member it comes from; sizes in
 * bytes are shown in IEC units (size_format).
 */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "agent/dash_int.h"
#include "base/size.h"
#include "base/strbuf.h"

/* A column: the member shown and its heading. */
struct col {
	const char *key, *head;
};

static void value(struct strbuf *sb, const char *key, json_t *v);

/* 1 if key names a size in bytes ("size_bytes", "bytes"). */
static int
is_bytes(const char *key)
{
	size_t n = key ? strlen(key) : 0;

	return n >= 5 && strcmp(key + n - 5, "bytes") == 0;
}

/* The members of o but type and schema: a definition list, or a table
 * of a row each (asrows). */
static void
members(struct strbuf *sb, json_t *o, int asrows)
{
	static const char *const tag[2][5] = {
	    {"<dl>", "<dt>", "</dt><dd>", "</dd>", "</dl>"},
	    {"<table><tbody>\n", "<tr><th>", "</th><td>", "</td></tr>\n",
	        "</tbody></table>\n"}};
	const char *const *t = tag[asrows != 0];
	const char *k;
	json_t *v;

	strbuf_adds(sb, t[0]);
	json_object_foreach(o, k, v)
	{
		if (strcmp(k, "type") == 0 || strcmp(k, "schema") == 0)
			continue;
		strbuf_adds(sb, t[1]);
		dash_h(sb, k);
		strbuf_adds(sb, t[2]);
		value(sb, k, v);
		strbuf_adds(sb, t[3]);
	}
	strbuf_adds(sb, t[4]);
}

/* The objects of arr as a table of cols (all the first one's members but
 * type and schema when cols is NULL); none when it is empty. */
static void
table(struct strbuf *sb, json_t *arr, const struct col *cols, size_t ncols,
    const char *none)
{
	struct col all[32];
	json_t *o;
	size_t i;

	if (json_array_size(arr) == 0) {
		strbuf_adds(sb, "<p>");
		dash_h(sb, none);
		strbuf_adds(sb, "</p>\n");
		return;
	}
	if (cols == NULL) {
		const char *k;
		json_t *v;

		ncols = 0;
		json_object_foreach(json_array_get(arr, 0), k, v)
		{
			if (strcmp(k, "type") != 0 &&
			    strcmp(k, "schema") != 0 &&
			    ncols < sizeof(all) / sizeof(all[0]))
				all[ncols++] = (struct col){k, k};
		}
		cols = all;
	}
	strbuf_adds(sb, "<table><thead><tr>");
	for (size_t c = 0; c < ncols; c++) {
		strbuf_adds(sb, "<th>");
		dash_h(sb, cols[c].head);
		strbuf_adds(sb, "</th>");
	}
	strbuf_adds(sb, "</tr></thead><tbody>\n");
	json_array_foreach(arr, i, o)
	{
		strbuf_adds(sb, "<tr>");
		for (size_t c = 0; c < ncols; c++) {
			strbuf_adds(sb, "<td>");
			value(sb, cols[c].key, json_object_get(o, cols[c].key));
			strbuf_adds(sb, "</td>");
		}
		strbuf_adds(sb, "</tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

/* One value: text escaped, numbers, yes/no, "-" for none; a list of
 * texts joined, of objects as a table; an object as a list. */
static void
value(struct strbuf *sb, const char *key, json_t *v)
{
	char buf[64];
	json_t *x;
	size_t i;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		dash_h(sb, json_string_value(v));
		break;
	case JSON_INTEGER:
		if (is_bytes(key)) {
			size_format(
			    buf, sizeof(buf), (double)json_integer_value(v));
			strbuf_adds(sb, buf);
		} else {
			strbuf_printf(
			    sb, "%lld", (long long)json_integer_value(v));
		}
		break;
	case JSON_REAL:
		strbuf_printf(sb, "%.1f", json_real_value(v));
		break;
	case JSON_TRUE:
		strbuf_adds(sb, "yes");
		break;
	case JSON_FALSE:
		strbuf_adds(sb, "no");
		break;
	case JSON_OBJECT:
		members(sb, v, 0);
		break;
	case JSON_ARRAY:
		if (json_is_object(json_array_get(v, 0))) {
			table(sb, v, NULL, 0, "-");
			break;
		}
		json_array_foreach(v, i, x)
		{
			if (i > 0)
				strbuf_adds(sb, ", ");
			value(sb, key, x);
		}
		if (json_array_size(v) == 0)
			strbuf_adds(sb, "-");
		break;
	default:
		strbuf_adds(sb, "-");
		break;
	}
}

static void
heading(struct strbuf *sb, const char *title)
{
	strbuf_adds(sb, "<h2>");
	dash_h(sb, title);
	strbuf_adds(sb, "</h2>\n");
}

/* A heading and the table under it. */
static void
section(struct strbuf *sb, const char *title, json_t *arr,
    const struct col *cols, size_t ncols, const char *none)
{
	heading(sb, title);
	table(sb, arr, cols, ncols, none);
}

/* The logs an api.web or api.mail object counted from; 0 when none. */
static int
logs_said(struct strbuf *sb, json_t *o, const char *what)
{
	json_t *logs = json_object_get(o, "logs"), *p;
	size_t i;

	if (json_array_size(logs) == 0) {
		strbuf_printf(sb,
		    "<p>The agent follows no %s log: it has nothing to "
		    "show here.  It follows the logs it finds and those of "
		    "<code>logs { follow ... }</code>.</p>\n",
		    what);
		return 0;
	}
	strbuf_printf(sb,
	    "<p>Counted since the agent started, from the %s "
	    "logs it follows (",
	    what);
	json_array_foreach(logs, i, p)
	{
		if (i > 0)
			strbuf_adds(sb, ", ");
		dash_h(sb, json_string_value(p));
	}
	strbuf_printf(sb,
	    "; %lld lines read since they were first "
	    "followed).</p>\n",
	    (long long)json_integer_value(json_object_get(o, "lines")));
	return 1;
}

/* The page of o (NULL: out of memory) drawn by fn. */
static unsigned
page(struct strbuf *sb, const char *title, json_t *o,
    void (*fn)(struct strbuf *sb, json_t *o))
{
	if (o == NULL)
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	dash_page_head(sb, title);
	fn(sb, o);
	dash_page_end(sb);
	json_decref(o);
	return MHD_HTTP_OK;
}

static void
problems(struct strbuf *sb, json_t *o, const char *none)
{
	static const struct col c[] = {{"severity", "severity"},
	    {"check", "check"}, {"subject", "subject"}, {"first", "since"},
	    {"count", "count"}, {"message", "message"},
	    {"evidence", "evidence"}};

	table(sb, json_object_get(o, "problems"), c, sizeof(c) / sizeof(c[0]),
	    none);
}

static void
web(struct strbuf *sb, json_t *o)
{
	static const struct col days[] = {{"date", "day"},
	    {"page_hits", "page hits"}, {"hits", "hits"}, {"bytes", "sent"}};
	static const struct col pages[] = {
	    {"key", "page"}, {"hits", "hits"}, {"bytes", "sent"}};
	static const struct col links[] = {{"path", "missing page"},
	    {"hits", "not found"}, {"linked_from", "linked from"}};
	static const struct col inc[] = {{"rank", "#"}, {"source", "source"},
	    {"first", "first"}, {"last", "last"}, {"attacks", "attacks"},
	    {"requests", "requests"}, {"severity", "severity"},
	    {"succeeded", "succeeded"}, {"classes", "classes"},
	    {"timeline", "timeline"}};

	if (!logs_said(sb, o, "access"))
		return;
	heading(sb, "Hits per day");
	strbuf_adds(sb,
	    "<p>Page hits are the requests for pages (html and the other "
	    "page types, the query left out); hits are all requests.</p>\n");
	table(sb, json_object_get(o, "days"), days, 4, "No request yet.");
	section(sb, "Top pages", json_object_get(o, "pages"), pages, 3,
	    "No page yet.");
	section(sb, "Broken links", json_object_get(o, "broken_links"), links,
	    3, "No missing page linked from the site's own pages.");
	section(sb, "Attack incidents", json_object_get(o, "incidents"), inc,
	    sizeof(inc) / sizeof(inc[0]), "No attack seen.");
}

static void
mail(struct strbuf *sb, json_t *o)
{
	static const struct col top[] = {
	    {"list", "list"}, {"key", "name"}, {"count", "count"}};
	json_t *s = json_object_get(o, "summary");

	if (!logs_said(sb, o, "mail"))
		return;
	heading(sb, "Figures");
	if (json_is_object(s))
		members(sb, s, 1);
	else
		strbuf_adds(sb, "<p>No mail line read yet.</p>\n");
	section(sb, "Top lists", json_object_get(o, "top"), top, 3,
	    "Nothing counted yet.");
}

unsigned
dash_view_web(struct agent *a, struct strbuf *sb)
{
	return page(sb, "Web", dash_web(a), web);
}

unsigned
dash_view_mail(struct agent *a, struct strbuf *sb)
{
	return page(sb, "Mail", dash_mail(a), mail);
}

static void
integrity(struct strbuf *sb, json_t *o)
{
	strbuf_adds(sb,
	    json_is_true(json_object_get(o, "fim_enabled"))
	        ? "<p>The file integrity check runs once a day; the changes "
	          "it found (and those of the web roots' watch) are "
	          "below.</p>\n"
	        : "<p>The file integrity check is off (<code>check fim { "
	          "enable }</code> turns it on); only the web roots' watch "
	          "reports here.</p>\n");
	heading(sb, "Changes");
	problems(sb, o, "No change found.");
}

unsigned
dash_view_integrity(struct agent *a, struct strbuf *sb)
{
	return page(sb, "Integrity", dash_integrity(a), integrity);
}

static void
disks(struct strbuf *sb, json_t *o)
{
	static const struct col fs[] = {{"mount", "mount"},
	    {"source", "device"}, {"fstype", "type"}, {"size_bytes", "size"},
	    {"used_bytes", "used"}, {"used_pct", "used %"},
	    {"inodes_pct", "inodes used %"}, {"readonly", "read-only"}};
	static const struct col st[] = {{"mount", "mount"},
	    {"device", "device"}, {"fstype", "type"}, {"state", "state"},
	    {"error_count", "errors"}, {"last_error_time", "last error"},
	    {"last_check", "last fsck"}, {"note", "note"}};
	static const struct col raid[] = {{"name", "array"}, {"level", "level"},
	    {"state", "state"}, {"in_sync", "in sync"}, {"raid_disks", "disks"},
	    {"action", "action"}, {"verdict", "verdict"}, {"why", "why"}};
	static const struct col dk[] = {{"device", "disk"}, {"model", "model"},
	    {"raid", "array"}, {"kernel_log_errors", "kernel log errors"},
	    {"verdict", "verdict"}, {"advice", "advice"}};

	heading(sb, "Problems");
	problems(sb, o, "No open disk or filesystem problem.");
	section(sb, "Filesystems", json_object_get(o, "filesystems"), fs, 8,
	    "No filesystem could be read.");
	section(sb, "Error state", json_object_get(o, "error_state"), st, 8,
	    "No local filesystem.");
	section(sb, "RAID arrays", json_object_get(o, "raid"), raid, 8,
	    "No md array.");
	heading(sb, "Disks");
	strbuf_adds(sb,
	    "<p>SMART is read by the daily <code>smart</code> check, "
	    "whose problems are above.</p>\n");
	table(sb, json_object_get(o, "disks"), dk, 6, "No disk found.");
}

unsigned
dash_view_disks(struct agent *a, struct strbuf *sb)
{
	return page(sb, "Disks", dash_disks(a), disks);
}

/* Member key of the object member obj of o, or NULL. */
static json_t *
sub(json_t *o, const char *obj, const char *key)
{
	return json_object_get(json_object_get(o, obj), key);
}

static void
servers(struct strbuf *sb, json_t *o)
{
	static const struct col host[] = {{"hostname", "host"},
	    {"ip", "address"}, {"os", "system"}, {"kernel", "kernel"},
	    {"arch", "arch"}, {"cpu", "CPU"}, {"cpus", "CPUs"},
	    {"memory_bytes", "memory"}, {"virtualization", "virtualization"},
	    {"location", "location"}, {"rack", "rack"}, {"owner", "owner"},
	    {"taken_at", "collected"}};
	static const struct col svc[] = {{"name", "service"},
	    {"package", "package"}, {"package_version", "package version"},
	    {"version", "version"}, {"process", "process"}, {"user", "user"},
	    {"pids", "pids"}, {"listen", "listening on"}};
	static const char *const copy[] = {
	    "memory_bytes", "virtualization", "taken_at"};
	json_t *inv = json_object_get(o, "inventory"), *row, *rows;

	if (!json_is_object(inv)) {
		strbuf_adds(sb,
		    "<p>The server table could not be collected (the "
		    "agent's log says why).</p>\n");
		return;
	}
	row = json_object();
	json_object_set(row, "hostname", sub(inv, "host", "hostname"));
	json_object_set(row, "ip", sub(inv, "host", "ip"));
	json_object_set(row, "os", sub(inv, "os", "pretty_name"));
	json_object_set(row, "kernel", sub(inv, "kernel", "release"));
	json_object_set(row, "arch", sub(inv, "kernel", "arch"));
	json_object_set(row, "cpu", sub(inv, "cpu", "model"));
	json_object_set(row, "cpus", sub(inv, "cpu", "count"));
	json_object_set(row, "location", sub(inv, "host", "location"));
	json_object_set(row, "rack", sub(inv, "host", "rack"));
	json_object_set(row, "owner", sub(inv, "host", "owner"));
	for (size_t i = 0; i < sizeof(copy) / sizeof(copy[0]); i++)
		json_object_set(row, copy[i], json_object_get(inv, copy[i]));
	rows = json_array();
	json_array_append_new(rows, row);
	table(sb, rows, host, sizeof(host) / sizeof(host[0]), "-");
	json_decref(rows);
	section(sb, "Services", json_object_get(inv, "services"), svc,
	    sizeof(svc) / sizeof(svc[0]), "No service found.");
	section(sb, "Network interfaces", json_object_get(inv, "interfaces"),
	    NULL, 0, "No interface found.");
	section(sb, "Disks", json_object_get(inv, "disks"), NULL, 0,
	    "No disk found.");
	section(sb, "Filesystems", json_object_get(inv, "filesystems"), NULL, 0,
	    "No filesystem found.");
}

unsigned
dash_view_servers(struct agent *a, struct strbuf *sb)
{
	return page(sb, "Server table", dash_servers(a), servers);
}
