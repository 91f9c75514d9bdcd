/*
 * hist_collect.c - the values of one step, from what the agent's
 * snapshot read (collect/snap.h), the TCP sockets and the open problems;
 * the writer that keeps them (see hist.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <stdint.h>

#include "base/bounded.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/statedir.h"
#include "base/timeutil.h"
#include "collect/snap.h"
#include "collect/sock.h"
#include "conf/conf.h"
#include "hist/hist.h"
#include "hist/hist_int.h"

static void
procs_release(struct hist *h)
{
	for (size_t i = 0; i < h->nprocs; i++)
		free(h->procs[i]);
	h->nprocs = 0;
}

void
hist_configure(struct hist *h, const struct conf *c)
{
	procs_release(h);
	h->batch = HIST_BATCH_DEFAULT;
	for (size_t i = 0; c != NULL && i < c->root.nchild; i++) {
		const struct conf_node *b = &c->root.child[i];

		if (strcmp(b->key, "history") != 0 || !b->is_block)
			continue;
		for (size_t j = 0; j < b->nchild; j++) {
			const struct conf_node *n = &b->child[j];

			if (strcmp(n->key, "batch") == 0 && n->nvals == 1) {
				double secs = n->vals[0].num / HIST_STEP;

				h->batch = secs < 1         ? 1
				    : secs > HIST_BATCH_MAX ? HIST_BATCH_MAX
				                            : (unsigned)secs;
				continue;
			}
			if (strcmp(n->key, "processes") != 0)
				continue;
			for (size_t k = 0; k < n->nvals; k++) {
				char *p;

				if (h->nprocs >= HIST_PROCS_MAX)
					break;
				if ((p = strdup(n->vals[k].str)) != NULL)
					h->procs[h->nprocs++] = p;
			}
		}
	}
}

int
hist_enabled(const struct conf *c)
{
	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *b = &c->root.child[i];

		if (strcmp(b->key, "history") == 0 && b->is_block &&
		    conf_find(b, "enabled") != NULL)
			return conf_flag(b, "enabled");
	}
	return 1;
}

struct hist *
hist_new(const char *state_dir, const struct conf *c, unsigned flags,
    struct err *err)
{
	struct hist *h;
	int fd;

	if ((flags & HIST_FORK ? dynlib_probe(DYNLIB_RRD, err)
	                       : dynlib_require(DYNLIB_RRD, err)) == -1)
		return NULL;
	if ((fd = statedir_dir(state_dir, HIST_DIR, 1, err)) == -1)
		return NULL;
	close(fd);
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	if (strlen(state_dir) >= sizeof(h->state_dir)) {
		free(h);
		err_set(err, ENAMETOOLONG, "'%s': path too long", state_dir);
		return NULL;
	}
	str_copy(h->state_dir, sizeof(h->state_dir), state_dir);
	hist_sample_init(&h->cur);
	hmap_init(&h->pend);
	hist_configure(h, c);
	hist_set_fork(h, (flags & HIST_FORK) != 0);
	return h;
}

void
hist_free(struct hist *h)
{
	if (h == NULL)
		return;
	procs_release(h);
	hist_sample_release(&h->cur);
	hmap_release_vals(&h->pend);
	diskstats_release(&h->prev_disk);
	netdev_release(&h->prev_net);
	free(h);
}

const struct hist_sample *
hist_current(const struct hist *h)
{
	return &h->cur;
}

unsigned
hist_snap_want(const struct hist *h)
{
	unsigned w = SNAP_BIT(SNAP_LOAD) | SNAP_BIT(SNAP_CPU) |
	    SNAP_BIT(SNAP_MEM) | SNAP_BIT(SNAP_VM) | SNAP_BIT(SNAP_FS) |
	    SNAP_BIT(SNAP_DISK);

	/* the process table only when there are names to count */
	if (h->nprocs > 0)
		w |= SNAP_BIT(SNAP_PROC) | SNAP_PROC_ONCE;
	return w;
}

static void
add(struct hist *h, const char *prefix, const char *subject, const char *what,
    double v)
{
	char name[HIST_NAME_MAX];

	if (hist_name(name, sizeof(name), prefix, subject, what) == -1) {
		h->cur.dropped++;
		return;
	}
	(void)hist_sample_add(&h->cur, name, v);
}

static void
collect_cpu(struct hist *h, const struct snap *s)
{
	struct cpu_usage u;

	if (!(s->have & SNAP_BIT(SNAP_CPU)))
		return;
	if (h->have_prev_cpu) {
		cpu_usage(&h->prev_cpu, &s->cpu1.total, &u);
		if (u.ticks > 0) {
			add(h, "cpu", NULL, "user_pct", u.user);
			add(h, "cpu", NULL, "system_pct", u.system);
			add(h, "cpu", NULL, "iowait_pct", u.iowait);
			add(h, "cpu", NULL, "steal_pct", u.steal);
		}
	}
	h->prev_cpu = s->cpu1.total;
	h->have_prev_cpu = 1;
}

static void
collect_mem(struct hist *h, struct snap *s, double secs)
{
	if (s->have & SNAP_BIT(SNAP_MEM)) {
		const struct mem_summary *m = &s->memsum;

		add(h, "mem", NULL, "used_bytes", (double)m->used * 1024);
		add(h, "mem", NULL, "available_bytes",
		    (double)m->available * 1024);
		add(h, "mem", NULL, "cache_bytes",
		    (double)m->buff_cache * 1024);
		add(h, "swap", NULL, "used_bytes", (double)m->swap_used * 1024);
	}
	if (!(s->have & SNAP_BIT(SNAP_VM)))
		return;
	if (h->have_prev_vm && secs > 0) {
		snap_vm_since(s, &h->prev_vm, secs);
		add(h, "swap", NULL, "in_pages_ps", s->swapin_s);
		add(h, "swap", NULL, "out_pages_ps", s->swapout_s);
	}
	h->prev_vm = s->vm1;
	h->have_prev_vm = 1;
}

static void
collect_fs(struct hist *h, const struct snap *s)
{
	if (!(s->have & SNAP_BIT(SNAP_FS)))
		return;
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *e = &s->mounts.m[i];

		if (!e->shown || !e->have_usage)
			continue;
		add(h, "fs", e->mnt, "used_bytes", (double)e->u.used_kb * 1024);
		if (e->u.inodes > 0)
			add(h, "fs", e->mnt, "inodes_used",
			    (double)e->u.inodes_used);
	}
}

/* Keeps a copy of ds for the next rates. */
static void
keep_disks(struct hist *h, const struct diskstats *ds)
{
	struct diskstats *p = &h->prev_disk;

	p->n = 0;
	if (ds->n == 0 || mem_grow(&p->d, &p->cap, ds->n, sizeof(*p->d)) == -1)
		return;
	memcpy(p->d, ds->d, ds->n * sizeof(*p->d));
	p->n = ds->n;
}

static void
collect_disks(struct hist *h, const struct snap *s, double secs)
{
	if (!(s->have & SNAP_BIT(SNAP_DISK)))
		return;
	for (size_t i = 0; h->have_prev && secs > 0 && i < s->disk1.n; i++) {
		const struct disk_stat *d = &s->disk1.d[i], *b;
		struct disk_rates r;

		if (!disk_stat_shown(d, 0) ||
		    (b = diskstats_find(&h->prev_disk, d->name)) == NULL)
			continue;
		disk_rates(b, d, secs, &r);
		add(h, "disk", d->name, "reads_ps", r.r_s);
		add(h, "disk", d->name, "writes_ps", r.w_s);
		add(h, "disk", d->name, "read_kb_ps", r.rkb_s);
		add(h, "disk", d->name, "write_kb_ps", r.wkb_s);
		add(h, "disk", d->name, "await_ms", r.await);
		add(h, "disk", d->name, "util_pct", r.util);
	}
	keep_disks(h, &s->disk1);
}

static void
collect_procs(struct hist *h, const struct snap *s)
{
	const struct proc_table *t = &s->proc1;

	if (h->nprocs == 0 || !(s->have & SNAP_BIT(SNAP_PROC)))
		return;
	for (size_t i = 0; i < h->nprocs; i++) {
		size_t n = 0;

		for (size_t j = 0; j < t->n; j++)
			if (!(t->p[j].flags & PROC_F_KTHREAD) &&
			    strcmp(t->p[j].comm, h->procs[i]) == 0)
				n++;
		add(h, "procs", h->procs[i], "count", (double)n);
	}
}

/* The rate of a counter over secs; -1 when it went back (a reset). */
static double
counter_rate(uint64_t was, uint64_t now, double secs)
{
	return now < was ? -1 : (double)(now - was) / secs;
}

/*
 * Each network interface's bytes and packets in and out per second, as
 * MRTG's original graph; an interface that appeared since the last step,
 * or whose counters went back, has no value this step.
 */
static void
collect_net(struct hist *h, const char *root, double secs)
{
	struct netdevs cur = {0};
	struct err err = {0};

	if (netdev_read(root, &cur, &err) == -1)
		return;
	for (size_t i = 0; h->have_prev && secs > 0 && i < cur.n; i++) {
		const struct netdev *d = &cur.d[i], *b = NULL;
		double r[4];

		for (size_t j = 0; j < h->prev_net.n && b == NULL; j++)
			if (strcmp(h->prev_net.d[j].name, d->name) == 0)
				b = &h->prev_net.d[j];
		if (b == NULL)
			continue;
		r[0] = counter_rate(b->rx_bytes, d->rx_bytes, secs);
		r[1] = counter_rate(b->tx_bytes, d->tx_bytes, secs);
		r[2] = counter_rate(b->rx_packets, d->rx_packets, secs);
		r[3] = counter_rate(b->tx_packets, d->tx_packets, secs);
		if (r[0] < 0 || r[1] < 0 || r[2] < 0 || r[3] < 0)
			continue;
		add(h, "net", d->name, "in_bytes_ps", r[0]);
		add(h, "net", d->name, "out_bytes_ps", r[1]);
		add(h, "net", d->name, "in_packets_ps", r[2]);
		add(h, "net", d->name, "out_packets_ps", r[3]);
	}
	netdev_release(&h->prev_net);
	h->prev_net = cur;
}

/* TCP sockets by state, and by remote address (connected ones). */
struct tcp_count {
	size_t n[SOCK_STATE_MAX + 1];
	struct hmap by_addr; /* family and address -> count */
	size_t busiest;
};

static int
count_state(const struct sock_entry *e, void *arg)
{
	struct tcp_count *tc = arg;
	uint8_t key[17];
	struct hmap_entry *he;
	int created;

	if (e->state > SOCK_STATE_MAX)
		return 0;
	tc->n[e->state]++;
	if (e->state == SOCK_LISTEN || e->rport == 0)
		return 0;
	key[0] = e->family;
	memcpy(key + 1, e->raddr, 16);
	if ((he = hmap_put(&tc->by_addr, key, sizeof(key), &created)) != NULL &&
	    ++he->val.u > tc->busiest)
		tc->busiest = he->val.u;
	return 0;
}

static void
collect_tcp(struct hist *h, const char *root)
{
	static const int states[] = {SOCK_ESTABLISHED, SOCK_SYN_SENT,
	    SOCK_SYN_RECV, SOCK_FIN_WAIT1, SOCK_FIN_WAIT2, SOCK_TIME_WAIT,
	    SOCK_CLOSE_WAIT, SOCK_LAST_ACK, SOCK_LISTEN, SOCK_CLOSING};
	struct sock_query q = {0};
	struct tcp_count tc = {0};
	struct err err = {0};
	unsigned skipped = 0;
	int rc;

	q.families = SOCK_INET4 | SOCK_INET6;
	q.protos = SOCK_TCP;
	q.states = SOCK_STATES_ALL;
	q.addr_only = 1;
	hmap_init(&tc.by_addr);
	rc = sock_walk(&q, root, count_state, &tc, NULL, &skipped, &err);
	hmap_release(&tc.by_addr);
	if (rc != 0)
		return;
	/* the connections of the remote address that holds the most */
	add(h, "tcp", NULL, "busiest_remote_count", (double)tc.busiest);
	for (size_t i = 0; i < countof(states); i++) {
		char what[32];
		const char *sn = sock_state_name(states[i], IPPROTO_TCP);
		size_t k;

		for (k = 0; sn[k] != '\0' && k + 1 < sizeof(what); k++)
			what[k] = sn[k] >= 'A' && sn[k] <= 'Z'
			    ? (char)(sn[k] - 'A' + 'a')
			    : sn[k] == '-' ? '_'
			                   : sn[k];
		what[k] = '\0';
		add(h, "tcp", what, "count", (double)tc.n[states[i]]);
	}
}

void
hist_collect(struct hist *h, struct snap *s, const char *root,
    const struct hist_extra *x)
{
	double mono = clock_mono();
	double secs = h->have_prev ? mono - h->prev_mono : 0;

	hist_sample_reset(&h->cur);
	if (s->have & SNAP_BIT(SNAP_LOAD))
		add(h, "load", NULL, NULL, s->load.avg1);
	collect_cpu(h, s);
	collect_mem(h, s, secs);
	collect_fs(h, s);
	collect_disks(h, s, secs);
	collect_procs(h, s);
	collect_net(h, root, secs);
	collect_tcp(h, root);
	if (x != NULL && x->have_problems) {
		add(h, "problems", NULL, "critical",
		    (double)x->problems[SEV_CRITICAL]);
		add(h, "problems", NULL, "warning",
		    (double)x->problems[SEV_WARNING]);
		add(h, "problems", NULL, "unknown",
		    (double)x->problems[SEV_UNKNOWN]);
	}
	h->have_prev = 1;
	h->prev_mono = mono;
}
