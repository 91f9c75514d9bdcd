/*
 * net_flood.c - connection-flood checks (see net_flood.h).
 */
#include "rules/net_flood.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/finding.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "net/count.h"
#include "rules/rules.h"

#define FINDINGS_MAX 20

static const char *const names[] = {
    [RULES_CONN_FLOOD] = "conn-flood",
    [RULES_CONN_FLOOD_PREFIX] = "conn-flood-prefix",
    [RULES_SYN_FLOOD] = "syn-flood",
    [RULES_WEB_CONN_SHARE] = "web-conn-share",
};

static int
collect(const struct conf *c, const char *root, struct net_counts *nc,
    struct err *err)
{
	struct net_count_opts o = {0};

	o.port = -1;
	o.per_port_keys = 1;
	o.plen4 = (unsigned)conf_setting_num(c, "net-prefix-v4", 24);
	o.plen6 = (unsigned)conf_setting_num(c, "net-prefix-v6", 64);
	if (o.plen4 < 1 || o.plen4 > 32)
		o.plen4 = 24;
	if (o.plen6 < 1 || o.plen6 > 128)
		o.plen6 = 64;
	o.states = SOCK_STATES_ALL &
	    ~(SOCK_STATE_BIT(SOCK_LISTEN) | SOCK_STATE_BIT(SOCK_TIME_WAIT) |
	        SOCK_STATE_BIT(SOCK_CLOSE));
	net_counts_init(nc);
	if (net_count_collect(&o, root, nc, err) == -1) {
		net_counts_release(nc);
		return -1;
	}
	return 0;
}

/* conn-flood and conn-flood-prefix: (address or prefix, port) counts. */
static void
per_service(const struct conf *c, const struct net_counts *nc,
    const char *check, const struct hmap *m, struct report *r)
{
	struct net_count_row *rows;
	size_t n = net_count_top(m, 0, &rows), shown = 0;
	double top = 0;

	if (n == (size_t)-1)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct net_count_key *k = rows[i].key;
		char port[8], who[NET_PREFIX_STRLEN];
		struct threshold t;
		enum sev sev;
		struct finding *f;

		snprintf(port, sizeof(port), "%u", (unsigned)k->port);
		conf_threshold(c, check, port, &t);
		if ((double)rows[i].n > top)
			top = (double)rows[i].n;
		if (!t.enabled)
			continue;
		sev =
		    (enum sev)rules_level((double)rows[i].n, t.warn, t.crit, 0);
		if (sev == SEV_OK || shown >= FINDINGS_MAX)
			continue;
		shown++;
		net_prefix_format(&k->p, who, sizeof(who));
		f = report_add(r, sev, check, who,
		    "%s holds %llu connections to local port %s, above %.0f",
		    who, (unsigned long long)rows[i].n, port,
		    sev == SEV_CRITICAL ? t.crit : t.warn);
		if (f == NULL)
			continue;
		finding_ev(f, "count", "%llu", (unsigned long long)rows[i].n);
		finding_ev(f, "port", "%s", port);
		finding_ev(f, "address", "%s", who);
		if (!isnan(t.warn))
			finding_ev(f, "warning", "%.0f", t.warn);
		if (!isnan(t.crit))
			finding_ev(f, "critical", "%.0f", t.crit);
		finding_ev(f, "block", "sakimori net block %s", who);
	}
	{
		struct threshold t;
		char label[64];

		conf_threshold(c, check, NULL, &t);
		snprintf(label, sizeof(label), "%s max",
		    strcmp(check, "conn-flood") == 0 ? "conns per addr"
		                                     : "conns per prefix");
		report_perf(r, label, top, "", t.warn, t.crit, 0, NAN);
	}
	(void)nc;
	free(rows);
}

static void
syn_flood(const struct conf *c, const struct net_counts *nc, struct report *r)
{
	struct threshold t;
	double n = (double)nc->state[SOCK_SYN_RECV];
	enum sev sev;
	struct finding *f;

	conf_threshold(c, "syn-flood", NULL, &t);
	report_perf(r, "syn_recv", n, "", t.warn, t.crit, 0, NAN);
	sev = (enum sev)rules_level(n, t.warn, t.crit, 0);
	if (sev == SEV_OK)
		return;
	f = report_add(r, sev, "syn-flood", "SYN_RECV",
	    "%.0f half-open connections (SYN_RECV), above %.0f", n,
	    sev == SEV_CRITICAL ? t.crit : t.warn);
	if (f != NULL)
		finding_ev(f, "count", "%.0f", n);
}

/* Workers of the web server and their limit; 0 when none run. */
static size_t
web_workers(const struct conf *c, const struct snap *s, double *limit,
    const char **name)
{
	static const char *const web[] = {"apache2", "httpd"};
	size_t best = 0;

	*limit = NAN;
	*name = NULL;
	if (s == NULL || !(s->have & SNAP_BIT(SNAP_PROC)))
		return 0;
	for (size_t w = 0; w < sizeof(web) / sizeof(web[0]); w++) {
		struct threshold t;
		size_t n = 0;

		for (size_t i = 0; i < s->proc1.n; i++)
			n += strcmp(s->proc1.p[i].comm, web[w]) == 0;
		if (n <= best)
			continue;
		best = n;
		*name = web[w];
		conf_threshold(c, "process-count", web[w], &t);
		*limit = !isnan(t.warn) ? t.warn
		    : !isnan(t.crit)    ? t.crit
		                        : RULES_HTTPD_LIMIT;
	}
	return best;
}

static void
web_share(const struct conf *c, const struct snap *s,
    const struct net_counts *nc, struct report *r)
{
	const struct conf_node *blk = conf_check(c, "web-conn-share", NULL);
	const struct conf_node *ports = conf_find(blk, "ports");
	double pct_workers = conf_num(blk, "workers", 80), limit, share;
	const char *name;
	size_t workers = web_workers(c, s, &limit, &name);
	uint64_t total = 0, best = 0;
	struct net_prefix bestp;
	struct threshold t;
	unsigned wp[16];
	size_t nwp = 0;
	enum sev sev;
	struct finding *f;
	char who[NET_PREFIX_STRLEN];

	if (workers == 0 || isnan(limit) || limit <= 0 ||
	    (double)workers * 100.0 < pct_workers * limit)
		return;
	if (ports != NULL)
		for (size_t i = 0; i < ports->nvals && nwp < 16; i++)
			wp[nwp++] = (unsigned)ports->vals[i].num;
	if (nwp == 0) {
		wp[nwp++] = 80;
		wp[nwp++] = 443;
	}
	/* connections to the web ports, and the largest single holder */
	for (size_t i = 0; i < nc->addr_port.cap; i++) {
		const struct hmap_entry *he = &nc->addr_port.slots[i];
		const struct net_count_key *k;
		int web = 0;

		if (he->key == NULL)
			continue;
		k = (const void *)he->key;
		for (size_t j = 0; j < nwp; j++)
			web |= k->port == wp[j];
		if (!web)
			continue;
		total += he->val.u;
	}
	if (total == 0)
		return;
	/* per address over all web ports */
	{
		struct hmap per;
		int created;

		hmap_init(&per);
		for (size_t i = 0; i < nc->addr_port.cap; i++) {
			const struct hmap_entry *he = &nc->addr_port.slots[i];
			const struct net_count_key *k;
			struct hmap_entry *e;
			int web = 0;

			if (he->key == NULL)
				continue;
			k = (const void *)he->key;
			for (size_t j = 0; j < nwp; j++)
				web |= k->port == wp[j];
			if (!web ||
			    (e = hmap_put(
			         &per, &k->p, sizeof(k->p), &created)) == NULL)
				continue;
			e->val.u += he->val.u;
			if (e->val.u > best) {
				best = e->val.u;
				bestp = k->p;
			}
		}
		hmap_release(&per);
	}
	if (best == 0)
		return;
	share = 100.0 * (double)best / (double)total;
	conf_threshold(c, "web-conn-share", NULL, &t);
	report_perf(r, "web top share", share, "%", t.warn, t.crit, 0, 100);
	sev = (enum sev)rules_level(share, t.warn, t.crit, 0);
	if (sev == SEV_OK)
		return;
	net_prefix_format(&bestp, who, sizeof(who));
	f = report_add(r, sev, "web-conn-share", who,
	    "%zu %s workers (limit %.0f) while %s holds %.0f%% of the %llu web "
	    "connections",
	    workers, name, limit, who, share, (unsigned long long)total);
	if (f == NULL)
		return;
	finding_ev(f, "workers", "%zu", workers);
	finding_ev(f, "limit", "%.0f", limit);
	finding_ev(f, "address", "%s", who);
	finding_ev(f, "count", "%llu", (unsigned long long)best);
	finding_ev(f, "share", "%.1f", share);
	finding_ev(f, "block", "sakimori net block %s", who);
}

int
rules_net_flood(const struct conf *c, const struct snap *s, const char *root,
    enum rules_net_check which, struct report *r, struct err *err)
{
	struct net_counts nc;

	if (collect(c, root, &nc, err) == -1)
		return err_prefix(err, "%s: socket table", names[which]);
	switch (which) {
	case RULES_CONN_FLOOD:
		per_service(c, &nc, "conn-flood", &nc.addr_port, r);
		break;
	case RULES_CONN_FLOOD_PREFIX:
		per_service(c, &nc, "conn-flood-prefix", &nc.prefix_port, r);
		break;
	case RULES_SYN_FLOOD:
		syn_flood(c, &nc, r);
		break;
	case RULES_WEB_CONN_SHARE:
		web_share(c, s, &nc, r);
		break;
	}
	net_counts_release(&nc);
	return 0;
}
