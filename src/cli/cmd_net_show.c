/*
 * cmd_net_show.c - the output of "net": "net conns" (the socket table
 * counted by state, remote address, prefix and local port), "net bans"
 * (the blocks recorded in the state database) and the outcome of each
 * address of "net block" and "net unblock", as tables, lines or JSON.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bounded.h"
#include "base/json.h"
#include "base/log.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/cmd_net_show.h"
#include "collect/sock.h"
#include "net/addr.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/count.h"
#include "net/settings.h"
#include "store/store.h"

static void
print_rows(struct cli *cli, const char *type, const char *hdr,
    const struct hmap *m, size_t top, int json)
{
	struct net_count_row *rows;
	size_t n = net_count_top(m, top, &rows);
	struct table t;
	const char *h[2] = {hdr, "COUNT"};

	if (n == (size_t)-1) {
		log_warnx("out of memory");
		return;
	}
	if (!json)
		table_init(&t, 2, h, "lr");
	for (size_t i = 0; i < n; i++) {
		char key[NET_PREFIX_STRLEN], cnt[24];

		if (strcmp(type, "port") == 0) {
			uint16_t port;

			memcpy(&port, rows[i].key, sizeof(port));
			snprintf(key, sizeof(key), "%u", (unsigned)port);
		} else if (strcmp(type, "prefix") == 0) {
			net_prefix_format_len(rows[i].key, key, sizeof(key));
		} else {
			net_prefix_format(rows[i].key, key, sizeof(key));
		}
		if (json) {
			json_t *o = json_object();
			const char *name =
			    strcmp(type, "addr") == 0 ? "address" : type;
			char tn[32];

			str_printf(tn, sizeof(tn), "net.%s", name);
			jset(o, "type", json_string(tn));
			if (strcmp(type, "port") == 0)
				jset(o, name,
				    json_integer(strtol(key, NULL, 10)));
			else
				jset(o, name, json_string(key));
			jset(o, "count", json_integer((json_int_t)rows[i].n));
			json_line(stdout, o);
		} else {
			const char *cells[2] = {key, cnt};

			snprintf(cnt, sizeof(cnt), "%llu",
			    (unsigned long long)rows[i].n);
			table_row(&t, cells);
		}
	}
	if (!json) {
		if (n > 0) {
			fputc('\n', stdout);
			table_print(&t, stdout, cli->out.color);
		}
		table_release(&t);
	}
	free(rows);
}

int
cmd_net_conns(struct cli *cli, struct net_count_opts *o, size_t top)
{
	struct net_counts c;
	struct err err = {0};
	int json = cli->mode == OUT_JSON;

	if (net_count_opts_from_conf(o, &cli->conf, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	net_counts_init(&c);
	if (net_count_collect(o, cli->root, &c, &err) == -1) {
		log_warnx("cannot read the socket table: %s", err.msg);
		net_counts_release(&c);
		return err.code == EPERM || err.code == EACCES ? EXIT_NOPERM
		                                               : EXIT_OSERR;
	}
	if (json) {
		json_t *o2 = json_object();

		jset(o2, "type", json_string("net.total"));
		jset(o2, "count", json_integer((json_int_t)c.total));
		jset(o2, "source", json_string(c.source));
		jset(o2, "skipped", json_integer((json_int_t)c.skipped));
		jset(o2, "overflow", json_integer((json_int_t)c.overflow));
		json_line(stdout, o2);
		for (int st = 1; st <= SOCK_STATE_MAX; st++) {
			if (c.state[st] == 0)
				continue;
			o2 = json_object();
			jset(o2, "type", json_string("net.state"));
			jset(o2, "state",
			    json_string(sock_state_name(st, IPPROTO_TCP)));
			jset(
			    o2, "count", json_integer((json_int_t)c.state[st]));
			json_line(stdout, o2);
		}
	} else {
		struct table t;
		const char *h[2] = {"STATE", "COUNT"};

		printf("%llu sockets (from %s)", (unsigned long long)c.total,
		    c.source);
		if (c.skipped)
			printf(", %u malformed lines skipped", c.skipped);
		if (c.overflow)
			printf(", %llu past the key limit",
			    (unsigned long long)c.overflow);
		printf("\n\n");
		table_init(&t, 2, h, "lr");
		for (int st = 1; st <= SOCK_STATE_MAX; st++) {
			char cnt[24];
			const char *cells[2] = {
			    sock_state_name(st, IPPROTO_TCP), cnt};

			if (c.state[st] == 0)
				continue;
			snprintf(cnt, sizeof(cnt), "%llu",
			    (unsigned long long)c.state[st]);
			table_row(&t, cells);
		}
		table_print(&t, stdout, cli->out.color);
		table_release(&t);
	}
	print_rows(cli, "addr", "REMOTE ADDRESS", &c.addr, top, json);
	print_rows(cli, "prefix", "REMOTE PREFIX", &c.prefix, top, json);
	print_rows(cli, "port", "LOCAL PORT", &c.port, top, json);
	net_counts_release(&c);
	return EXIT_OK;
}

int
cmd_net_bans(struct cli *cli, int all)
{
	struct store s;
	struct err err = {0};
	struct net_ban *b;
	size_t n;
	time_t now = time(NULL);
	struct table t;
	static const char *const hdr[] = {"PREFIX", "STATE", "SINCE", "UNTIL",
	    "LEFT", "BACKEND", "BY", "REASON"};
	int rc;

	if ((rc = cmd_net_open_store(cli, &s)) != 0)
		return rc;
	if (net_ban_list(&s, all, &b, &n, &err) == -1) {
		log_warnx("%s", err.msg);
		store_close(&s);
		return EXIT_SOFTWARE;
	}
	store_close(&s);
	if (cli->mode != OUT_JSON)
		table_init(&t, 8, hdr, "llllrlll");
	for (size_t i = 0; i < n; i++) {
		char p[NET_PREFIX_STRLEN], since[40], until[40], left[32],
		    be[48];
		int overdue = b[i].state == NET_BAN_ACTIVE && b[i].until != 0 &&
		    b[i].until <= now;

		net_prefix_format(&b[i].prefix, p, sizeof(p));
		time_iso(since, sizeof(since), b[i].since);
		if (b[i].until != 0)
			time_iso(until, sizeof(until), b[i].until);
		else
			snprintf(until, sizeof(until), "never");
		if (b[i].state != NET_BAN_ACTIVE)
			snprintf(left, sizeof(left), "-");
		else if (b[i].until == 0)
			snprintf(left, sizeof(left), "forever");
		else if (overdue)
			snprintf(left, sizeof(left), "due");
		else
			dur_format(
			    left, sizeof(left), (uint64_t)(b[i].until - now));
		snprintf(be, sizeof(be), "%s %s", b[i].backend, b[i].kind);
		if (cli->mode == OUT_JSON) {
			json_t *o = net_ban_json(&b[i]);

			json_line(stdout, o);
		} else {
			const char *cells[8] = {p,
			    net_ban_state_name(b[i].state), since, until, left,
			    be, b[i].by, b[i].reason};

			table_row(&t, cells);
		}
	}
	if (cli->mode != OUT_JSON) {
		if (n == 0)
			printf(all ? "no blocks recorded\n"
			           : "nothing is blocked\n");
		else
			table_print(&t, stdout, cli->out.color);
		table_release(&t);
	}
	free(b);
	return EXIT_OK;
}

void
cmd_net_print_item(
    struct cli *cli, const char *action, const struct net_block_item *x)
{
	char txt[NET_PREFIX_STRLEN];

	net_prefix_format(&x->p, txt, sizeof(txt));
	if (cli->mode == OUT_JSON) {
		json_t *o = json_object();
		char tn[32];

		str_printf(tn, sizeof(tn), "net.%s", action);
		jset(o, "type", json_string(tn));
		jset(o, "prefix", json_string(txt));
		jset(
		    o, "status", json_string(net_block_status_name(x->status)));
		if (x->until != 0) {
			jset(o, "until", jtime((int64_t)x->until));
		} else if (strcmp(action, "block") == 0 &&
		    (x->status == NET_BLOCK_DONE ||
		        x->status == NET_BLOCK_EXTENDED ||
		        x->status == NET_BLOCK_DRYRUN)) {
			jset(o, "until", json_null());
		}
		if (x->repeat > 0)
			jset(o, "earlier_blocks",
			    json_integer((json_int_t)x->repeat));
		jset(o, "message", jstr(x->msg));
		json_line(stdout, o);
		return;
	}
	if (x->status == NET_BLOCK_REFUSED || x->status == NET_BLOCK_FAILED)
		fprintf(stderr, "sakimori net %s: %s\n", action, x->msg);
	else
		printf("%s\n", x->msg);
}
