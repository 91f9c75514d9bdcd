/*
 * net_flood.c - connection-flood checks (see net_flood.h).
 */
#include "rules/net_flood.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apache/apache.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/mem.h"
#include "collect/procfd.h"
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
	o.no_bpf = !conf_setting_bool(c, "net-bpf", 1);
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

/* What web_share compares: the workers and their limit. */
struct web_limit {
	size_t workers;
	double limit;
	const char *name;         /* "apache2", "httpd" */
	char from[PATH_MAX + 64]; /* where the limit came from */
	int master;               /* the Apache master's pid, or 0 */
};

static const char *const web_names[] = {
    "apache2", "httpd", "httpd.worker", "httpd.event", NULL};

/*
 * The descriptors of the processes named as Apache, picked from the
 * snapshot's process table (the names it read from each stat) rather
 * than by listing /proc and reading every process's comm again.
 */
static int
web_map(struct procfd_map *fm, const struct snap *s, const char *root,
    struct err *e)
{
	int *pids = NULL;
	size_t n = 0;
	int rc;

	if (s->proc1.n > 0 &&
	    (pids = calloc(s->proc1.n, sizeof(*pids))) == NULL)
		return err_set(e, ENOMEM, "out of memory");
	for (size_t i = 0; i < s->proc1.n; i++)
		for (size_t k = 0; web_names[k] != NULL; k++)
			if (strcmp(s->proc1.p[i].comm, web_names[k]) == 0) {
				pids[n++] = s->proc1.p[i].pid;
				break;
			}
	rc = procfd_map_build_pids(fm, root, pids, n, e);
	free(pids);
	return rc;
}

/*
 * The Apache behind the web ports: a process named as Apache that holds
 * a socket listening on one of them (socket inode -> pid), climbed up to
 * its master; its children against the limit of its configuration
 * (MaxRequestWorkers for prefork, MaxRequestWorkers / ThreadsPerChild
 * child processes for the threaded MPMs, as apache-workers counts).
 * 0 when found, -1 when not (no listener of Apache's, no configuration).
 */
static int
web_apache(const struct conf *c, const struct snap *s, const char *root,
    const unsigned *wp, size_t nwp, struct web_limit *w)
{
	const struct conf_node *blk = conf_check(c, "apache-workers", NULL);
	const char *cfg = conf_str(blk, "config", NULL);
	const struct proc *m = NULL, *pp;
	struct proc mc;
	struct sock_table lt = {0};
	struct procfd_map fm;
	struct apache_cmdline cl;
	struct apache_opts o;
	struct apache_conf ac;
	struct apache_limits l;
	struct err e = {0};
	int rc = -1;

	if (sock_listening(root, &lt, &e) == -1)
		return -1;
	if (web_map(&fm, s, root, &e) == -1) {
		sock_table_release(&lt);
		return -1;
	}
	for (size_t i = 0; i < lt.n && m == NULL; i++) {
		const struct procfd_owner *ow;

		if (lt.v[i].proto != IPPROTO_TCP)
			continue;
		for (size_t j = 0; j < nwp && m == NULL; j++)
			if (lt.v[i].lport == wp[j] &&
			    (ow = procfd_map_find(&fm, lt.v[i].inode)) != NULL)
				m = proc_table_find(&s->proc1, ow->pid);
	}
	procfd_map_release(&fm);
	sock_table_release(&lt);
	/* a child holds the listener too: the master is the first ancestor
	 * not named like it */
	for (int depth = 0; m != NULL && depth < 8; depth++) {
		pp = proc_table_find(&s->proc1, m->ppid);
		if (pp == NULL || strcmp(pp->comm, m->comm) != 0)
			break;
		m = pp;
	}
	if (m == NULL)
		return -1;
	/* its command line, when the table was read without them */
	mc = *m;
	if (proc_read_more(root, &s->proc1, &mc, PROC_READ_CMDLINE, NULL) ==
	        -1 ||
	    apache_cmdline_conf(mc.cmdline, root, cfg, &cl, &o) == -1)
		return -1;
	apache_conf_load(&ac, cl.path, &o);
	if (apache_limits(&ac, &l) == 0) {
		w->workers = 0;
		for (size_t i = 0; i < s->proc1.n; i++)
			w->workers += s->proc1.p[i].ppid == m->pid &&
			    strcmp(s->proc1.p[i].comm, m->comm) == 0;
		w->limit = l.threaded ? (double)l.max_processes
		                      : (double)l.max_workers;
		w->master = m->pid;
		for (size_t i = 0; web_names[i] != NULL; i++)
			if (strcmp(m->comm, web_names[i]) == 0)
				w->name = web_names[i];
		if (l.file != NULL)
			str_printf(w->from, sizeof(w->from),
			    "%s MaxRequestWorkers %ld%s (%s:%d)", l.mpm,
			    l.max_workers,
			    l.threaded ? " / ThreadsPerChild" : "", l.file,
			    l.line);
		else
			str_printf(w->from, sizeof(w->from),
			    "%s MaxRequestWorkers %ld%s (the default; %s)",
			    l.mpm, l.max_workers,
			    l.threaded ? " / ThreadsPerChild" : "", cl.path);
		rc = w->name != NULL ? 0 : -1;
	}
	apache_conf_release(&ac);
	return rc;
}

/*
 * Workers of the web server and their limit (w->workers 0 when none
 * run): Apache's own limit when its configuration can be read, else the
 * processes named apache2 or httpd against the process-count threshold.
 */
static void
web_workers(const struct conf *c, const struct snap *s, const char *root,
    const unsigned *wp, size_t nwp, struct web_limit *w)
{
	static const char *const web[] = {"apache2", "httpd"};
	size_t best = 0;

	memset(w, 0, sizeof(*w));
	w->limit = NAN;
	if (s == NULL || !(s->have & SNAP_BIT(SNAP_PROC)))
		return;
	if (web_apache(c, s, root, wp, nwp, w) == 0)
		return;
	memset(w, 0, sizeof(*w));
	w->limit = NAN;
	for (size_t k = 0; k < countof(web); k++) {
		struct threshold t;
		size_t n = 0;

		for (size_t i = 0; i < s->proc1.n; i++)
			n += strcmp(s->proc1.p[i].comm, web[k]) == 0;
		if (n <= best)
			continue;
		best = n;
		w->workers = n;
		w->name = web[k];
		conf_threshold(c, "process-count", web[k], &t);
		w->limit = !isnan(t.warn) ? t.warn
		    : !isnan(t.crit)      ? t.crit
		                          : RULES_HTTPD_LIMIT;
		snprintf(w->from, sizeof(w->from),
		    "the process-count threshold for %s", web[k]);
	}
}

/* A slot's key when it is a connection count on one of the web ports. */
static const struct net_count_key *
web_key(const struct hmap_entry *he, const unsigned *wp, size_t nwp)
{
	const struct net_count_key *k = (const void *)he->key;

	if (k != NULL)
		for (size_t j = 0; j < nwp; j++)
			if (k->port == wp[j])
				return k;
	return NULL;
}

static void
web_share(const struct conf *c, const struct snap *s, const char *root,
    const struct net_counts *nc, struct report *r)
{
	const struct conf_node *blk = conf_check(c, "web-conn-share", NULL);
	const struct conf_node *ports = conf_find(blk, "ports");
	double pct_workers = conf_num(blk, "workers", 80), share;
	struct web_limit w;
	uint64_t total = 0, best = 0;
	struct net_prefix bestp;
	struct threshold t;
	unsigned wp[16];
	size_t nwp = 0;
	enum sev sev;
	struct finding *f;
	char who[NET_PREFIX_STRLEN];

	if (ports != NULL)
		for (size_t i = 0; i < ports->nvals && nwp < 16; i++)
			wp[nwp++] = (unsigned)ports->vals[i].num;
	if (nwp == 0) {
		wp[nwp++] = 80;
		wp[nwp++] = 443;
	}
	web_workers(c, s, root, wp, nwp, &w);
	if (w.workers == 0 || isnan(w.limit) || w.limit <= 0 ||
	    (double)w.workers * 100.0 < pct_workers * w.limit)
		return;
	/* connections to the web ports, and the largest single holder */
	for (size_t i = 0; i < nc->addr_port.cap; i++) {
		const struct hmap_entry *he = &nc->addr_port.slots[i];

		if (web_key(he, wp, nwp) != NULL)
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
			const struct net_count_key *k = web_key(he, wp, nwp);
			struct hmap_entry *e;

			if (k == NULL ||
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
	    w.workers, w.name, w.limit, who, share, (unsigned long long)total);
	if (f == NULL)
		return;
	finding_ev(f, "workers", "%zu", w.workers);
	finding_ev(f, "limit", "%.0f", w.limit);
	finding_ev(f, "limit_from", "%s", w.from);
	if (w.master != 0)
		finding_ev(f, "master", "%d", w.master);
	finding_ev(f, "address", "%s", who);
	finding_ev(f, "count", "%llu", (unsigned long long)best);
	finding_ev(f, "share", "%.1f", share);
	finding_ev(f, "block", "sakimori net block %s", who);
}

void
rules_net_shared_release(struct rules_net_shared *sh)
{
	if (sh->state == 1)
		net_counts_release(&sh->nc);
	memset(sh, 0, sizeof(*sh));
}

int
rules_net_flood(const struct conf *c, const struct snap *s, const char *root,
    enum rules_net_check which, struct rules_net_shared *sh, struct report *r,
    struct err *err)
{
	struct rules_net_shared own = {0};

	if (sh == NULL)
		sh = &own;
	if (sh->state == 0) {
		sh->dumps++;
		sh->state = collect(c, root, &sh->nc, &sh->err) == 0 ? 1 : -1;
	}
	if (sh->state == -1) {
		*err = sh->err;
		return err_prefix(err, "%s: socket table", names[which]);
	}
	switch (which) {
	case RULES_CONN_FLOOD:
		per_service(c, &sh->nc, "conn-flood", &sh->nc.addr_port, r);
		break;
	case RULES_CONN_FLOOD_PREFIX:
		per_service(
		    c, &sh->nc, "conn-flood-prefix", &sh->nc.prefix_port, r);
		break;
	case RULES_SYN_FLOOD:
		syn_flood(c, &sh->nc, r);
		break;
	case RULES_WEB_CONN_SHARE:
		web_share(c, s, root, &sh->nc, r);
		break;
	}
	rules_net_shared_release(&own);
	return 0;
}
