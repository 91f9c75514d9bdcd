/*
 * metrics.c - the series of /metrics from collected values (see
 * metrics.h).  Units are in the names (_bytes, _seconds), counters end
 * in _total; every label value from outside (mount points, devices,
 * problem subjects, executables) is escaped by the writer.
 */
#include "agent/metrics.h"

#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/expo.h"
#include "base/bounded.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/netdev.h"
#include "collect/snap.h"
#include "inv/inventory.h"

#define KB 1024.0
#define SECTOR 512.0

static void
one(struct expo *e, const char *name, enum expo_type t, const char *help,
    double v)
{
	expo_family(e, name, t, help);
	expo_sample(e, name, NULL, 0, v);
}

static void
load(struct expo *e, const struct snap *s)
{
	if (!(s->have & SNAP_BIT(SNAP_LOAD)))
		return;
	one(e, "sakimori_load1", EXPO_GAUGE, "load average over 1 minute",
	    s->load.avg1);
	one(e, "sakimori_load5", EXPO_GAUGE, "load average over 5 minutes",
	    s->load.avg5);
	one(e, "sakimori_load15", EXPO_GAUGE, "load average over 15 minutes",
	    s->load.avg15);
	one(e, "sakimori_uptime_seconds", EXPO_GAUGE, "seconds since boot",
	    s->up.up);
}

static void
cpu(struct expo *e, const struct snap *s, long hz)
{
	static const struct {
		enum cpu_field f;
		const char *mode;
	} modes[] = {{CPU_USER, "user"}, {CPU_NICE, "nice"},
	    {CPU_SYSTEM, "system"}, {CPU_IDLE, "idle"}, {CPU_IOWAIT, "iowait"},
	    {CPU_IRQ, "irq"}, {CPU_SOFTIRQ, "softirq"}, {CPU_STEAL, "steal"}};
	const struct cpu_times *t = &s->cpu1.total;

	if (!(s->have & SNAP_BIT(SNAP_CPU)) || hz <= 0)
		return;
	expo_family(e, "sakimori_cpu_seconds_total", EXPO_COUNTER,
	    "CPU time spent in each mode, all CPUs together (guest time is "
	    "in user and nice)");
	for (size_t i = 0; i < countof(modes); i++) {
		struct expo_label l = {"mode", modes[i].mode, EXPO_STR};

		expo_sample(e, "sakimori_cpu_seconds_total", &l, 1,
		    (double)t->t[modes[i].f] / (double)hz);
	}
	one(e, "sakimori_cpus", EXPO_GAUGE, "online CPUs", (double)s->ncpu);
}

static void
mem(struct expo *e, const struct snap *s)
{
	const struct mem_summary *m = &s->memsum;

	if (!(s->have & SNAP_BIT(SNAP_MEM)))
		return;
	one(e, "sakimori_memory_total_bytes", EXPO_GAUGE, "usable RAM",
	    (double)m->total * KB);
	one(e, "sakimori_memory_used_bytes", EXPO_GAUGE,
	    "RAM in use (free(1)'s used: total - available)",
	    (double)m->used * KB);
	one(e, "sakimori_memory_free_bytes", EXPO_GAUGE, "RAM unused",
	    (double)m->free * KB);
	one(e, "sakimori_memory_available_bytes", EXPO_GAUGE,
	    "RAM available for new programs without swapping",
	    (double)m->available * KB);
	one(e, "sakimori_memory_cache_bytes", EXPO_GAUGE,
	    "RAM in buffers and page cache", (double)m->buff_cache * KB);
	one(e, "sakimori_memory_shared_bytes", EXPO_GAUGE,
	    "RAM in shared memory and tmpfs", (double)m->shared * KB);
	one(e, "sakimori_swap_total_bytes", EXPO_GAUGE, "swap space",
	    (double)m->swap_total * KB);
	one(e, "sakimori_swap_used_bytes", EXPO_GAUGE, "swap space in use",
	    (double)m->swap_used * KB);
}

static void
vm(struct expo *e, const struct snap *s)
{
	if (!(s->have & SNAP_BIT(SNAP_VM)) || !(s->vm1.have & VMSTAT_SWAP))
		return;
	one(e, "sakimori_swap_in_pages_total", EXPO_COUNTER,
	    "pages swapped in since boot", (double)s->vm1.pswpin);
	one(e, "sakimori_swap_out_pages_total", EXPO_COUNTER,
	    "pages swapped out since boot", (double)s->vm1.pswpout);
}

/* The filesystems df shows, with their usage. */
static void
fs_series(struct expo *e, const struct snap *s, const char *name,
    const char *help, size_t field)
{
	expo_family(e, name, EXPO_GAUGE, help);
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *m = &s->mounts.m[i];
		struct expo_label l[3] = {
		    {"mountpoint", m->mnt, EXPO_STR},
		    {"device", m->source, EXPO_STR},
		    {"fstype", m->fstype, EXPO_STR},
		};
		double v[] = {(double)m->u.size_kb * KB,
		    (double)m->u.used_kb * KB, (double)m->u.avail_kb * KB,
		    (double)m->u.inodes, (double)m->u.inodes_used};

		if (!m->shown || !m->have_usage)
			continue;
		expo_sample(e, name, l, countof(l), v[field]);
	}
}

static void
fs(struct expo *e, const struct snap *s)
{
	if (!(s->have & SNAP_BIT(SNAP_FS)))
		return;
	fs_series(e, s, "sakimori_filesystem_size_bytes", "size", 0);
	fs_series(e, s, "sakimori_filesystem_used_bytes", "bytes in use", 1);
	fs_series(e, s, "sakimori_filesystem_avail_bytes",
	    "bytes an unprivileged user may still use", 2);
	fs_series(e, s, "sakimori_filesystem_inodes", "inodes", 3);
	fs_series(e, s, "sakimori_filesystem_inodes_used", "inodes in use", 4);
}

static void
disk(struct expo *e, const struct snap *s)
{
	static const struct {
		const char *name, *help;
		enum disk_field f;
		double scale;
		enum expo_type t;
	} series[] = {
	    {"sakimori_disk_reads_completed_total", "reads completed",
	        DS_RD_IOS, 1, EXPO_COUNTER},
	    {"sakimori_disk_writes_completed_total", "writes completed",
	        DS_WR_IOS, 1, EXPO_COUNTER},
	    {"sakimori_disk_read_bytes_total", "bytes read", DS_RD_SECTORS,
	        SECTOR, EXPO_COUNTER},
	    {"sakimori_disk_written_bytes_total", "bytes written",
	        DS_WR_SECTORS, SECTOR, EXPO_COUNTER},
	    {"sakimori_disk_read_time_seconds_total",
	        "seconds spent by all reads", DS_RD_TICKS, 1e-3, EXPO_COUNTER},
	    {"sakimori_disk_write_time_seconds_total",
	        "seconds spent by all writes", DS_WR_TICKS, 1e-3, EXPO_COUNTER},
	    {"sakimori_disk_io_time_seconds_total",
	        "seconds the device was busy", DS_IO_TICKS, 1e-3, EXPO_COUNTER},
	    {"sakimori_disk_io_now", "requests in flight", DS_IN_FLIGHT, 1,
	        EXPO_GAUGE},
	};
	const struct diskstats *d = &s->disk1;

	if (!(s->have & SNAP_BIT(SNAP_DISK)))
		return;
	for (size_t k = 0; k < countof(series); k++) {
		expo_family(e, series[k].name, series[k].t, series[k].help);
		for (size_t i = 0; i < d->n; i++) {
			struct expo_label l = {
			    "device", d->d[i].name, EXPO_STR};

			/* whole disks; a partition's I/O is in its disk's */
			if (d->d[i].whole == 0 || d->d[i].nfields < 11)
				continue;
			expo_sample(e, series[k].name, &l, 1,
			    (double)d->d[i].f[series[k].f] * series[k].scale);
		}
	}
}

static void
net(struct expo *e, const struct netdevs *nd)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} series[] = {
	    {"sakimori_network_receive_bytes_total", "bytes received",
	        offsetof(struct netdev, rx_bytes)},
	    {"sakimori_network_transmit_bytes_total", "bytes sent",
	        offsetof(struct netdev, tx_bytes)},
	    {"sakimori_network_receive_packets_total", "packets received",
	        offsetof(struct netdev, rx_packets)},
	    {"sakimori_network_transmit_packets_total", "packets sent",
	        offsetof(struct netdev, tx_packets)},
	    {"sakimori_network_receive_errors_total", "receive errors",
	        offsetof(struct netdev, rx_errs)},
	    {"sakimori_network_transmit_errors_total", "send errors",
	        offsetof(struct netdev, tx_errs)},
	    {"sakimori_network_receive_drop_total", "received packets dropped",
	        offsetof(struct netdev, rx_drop)},
	    {"sakimori_network_transmit_drop_total", "packets not sent",
	        offsetof(struct netdev, tx_drop)},
	};

	for (size_t k = 0; k < countof(series); k++) {
		expo_family(e, series[k].name, EXPO_COUNTER, series[k].help);
		for (size_t i = 0; i < nd->n; i++) {
			const struct netdev *d = &nd->d[i];
			struct expo_label l = {"device", d->name,
			    strnlen(d->name, sizeof(d->name))};
			uint64_t v;

			memcpy(&v, (const char *)d + series[k].off, sizeof(v));
			expo_sample(e, series[k].name, &l, 1, (double)v);
		}
	}
}

static void
tcp(struct expo *e, const uint64_t *n)
{
	expo_family(e, "sakimori_tcp_connections", EXPO_GAUGE,
	    "TCP sockets by state, IPv4 and IPv6");
	for (int st = SOCK_ESTABLISHED; st <= SOCK_CLOSING; st++) {
		struct expo_label l = {
		    "state", sock_state_name(st, SOCK_TCP), EXPO_STR};

		expo_sample(
		    e, "sakimori_tcp_connections", &l, 1, (double)n[st]);
	}
}

static int
cmp_problem(const void *a, const void *b)
{
	const struct problem_info *x = a, *y = b;
	int rx = sev_rank(x->sev), ry = sev_rank(y->sev);

	/* worst first (sev_rank), then the oldest */
	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
problems(struct expo *e, struct problem_info *pr, size_t n)
{
	static const enum sev sevs[] = {SEV_CRITICAL, SEV_WARNING, SEV_UNKNOWN};
	size_t open = 0, listed = 0;

	expo_family(
	    e, "sakimori_problems", EXPO_GAUGE, "open problems by severity");
	for (size_t k = 0; k < countof(sevs); k++) {
		struct expo_label l = {"severity", sev_name(sevs[k]), EXPO_STR};
		size_t c = 0;

		for (size_t i = 0; i < n; i++)
			c += pr[i].open && pr[i].sev == sevs[k];
		expo_sample(e, "sakimori_problems", &l, 1, (double)c);
	}
	if (pr != NULL && n > 1)
		qsort(pr, n, sizeof(*pr), cmp_problem);
	expo_family(e, "sakimori_problem_since_timestamp_seconds", EXPO_GAUGE,
	    "each open problem (the worst, then the oldest, at most 50): "
	    "when its condition was first seen");
	for (size_t i = 0; i < n; i++) {
		struct expo_label l[3] = {
		    {"check", pr[i].check,
		        strnlen(pr[i].check, sizeof(pr[i].check))},
		    {"subject", pr[i].subject,
		        strnlen(pr[i].subject, sizeof(pr[i].subject))},
		    {"severity", sev_name(pr[i].sev), EXPO_STR},
		};

		if (!pr[i].open)
			continue;
		open++;
		if (listed == METRICS_PROBLEMS_MAX)
			continue;
		listed++;
		expo_sample(e, "sakimori_problem_since_timestamp_seconds", l,
		    countof(l), (double)pr[i].first);
	}
	one(e, "sakimori_problems_unlisted", EXPO_GAUGE,
	    "open problems past the 50 listed one by one",
	    (double)(open - listed));
}

/* The host's addresses but loopback and link-local, "192.0.2.1/24 ...". */
static void
addresses(char *dst, size_t sz, const struct inventory *v)
{
	struct strbuf sb = STRBUF_INIT(4096);

	for (unsigned i = 0; i < v->nifaces; i++)
		for (unsigned j = 0; j < v->ifaces[i].naddrs; j++) {
			const char *a = v->ifaces[i].addrs[j];

			if (strncmp(a, "127.", 4) == 0 ||
			    strncmp(a, "::1/", 4) == 0 ||
			    strncmp(a, "fe80:", 5) == 0)
				continue;
			strbuf_printf(&sb, "%s%s", sb.len ? " " : "", a);
		}
	str_copy(dst, sz, strbuf_failed(&sb) ? "" : strbuf_str(&sb));
	strbuf_release(&sb);
}

/* The worst open problem of check k (OK when none). */
static enum sev
check_worst(
    const struct metrics_check *k, const struct problem_info *pr, size_t n)
{
	enum sev w = SEV_OK;

	for (size_t i = 0; i < n; i++) {
		int ours =
		    strncmp(pr[i].check, k->name, sizeof(pr[i].check)) == 0;

		for (size_t j = 0; !ours && k->ids && k->ids[j]; j++)
			ours = strncmp(pr[i].check, k->ids[j],
			           sizeof(pr[i].check)) == 0;
		if (ours && pr[i].open)
			w = sev_worse(w, pr[i].sev);
	}
	return w;
}

/* Each enabled check: its state as a Nagios code, and its last run. */
static void
checks(struct expo *e, const struct metrics_src *m)
{
	static const char *const st = "sakimori_check_status";
	static const char *const lr =
	    "sakimori_check_last_run_timestamp_seconds";

	expo_family(e, st, EXPO_GAUGE,
	    "each enabled check's state: 0 OK, 1 WARNING, 2 CRITICAL, "
	    "3 UNKNOWN (its worst open problem)");
	for (size_t i = 0; i < m->nchecks; i++) {
		enum sev w = check_worst(&m->checks[i], m->pr, m->npr);
		struct expo_label l[2] = {
		    {"check", m->checks[i].name, EXPO_STR},
		    {"state", sev_name(w), EXPO_STR},
		};

		if (m->checks[i].enabled)
			expo_sample(e, st, l, countof(l),
			    w == SEV_CRITICAL      ? 2
			        : w == SEV_WARNING ? 1
			        : w == SEV_UNKNOWN ? 3
			                           : 0);
	}
	expo_family(e, lr, EXPO_GAUGE,
	    "when each enabled check last ran, in seconds since the epoch "
	    "(0: not yet)");
	for (size_t i = 0; i < m->nchecks; i++) {
		struct expo_label l = {"check", m->checks[i].name, EXPO_STR};

		if (m->checks[i].enabled)
			expo_sample(e, lr, &l, 1, (double)m->checks[i].last);
	}
}

static void
host(struct expo *e, const struct inventory *v)
{
	char addrs[1024], ip[64], *slash;
	struct expo_label l[] = {
	    {"hostname", v->hostname, EXPO_STR},
	    {"fqdn", v->fqdn, EXPO_STR},
	    {"ip", ip, EXPO_STR},
	    {"addresses", addrs, EXPO_STR},
	    {"os", v->os_pretty, EXPO_STR},
	    {"os_name", v->os_name, EXPO_STR},
	    {"os_version", v->os_version, EXPO_STR},
	    {"kernel", v->kernel_release, EXPO_STR},
	    {"arch", v->arch, EXPO_STR},
	    {"virt", v->virt, EXPO_STR},
	    {"cpu_model", v->cpu_model, EXPO_STR},
	    {"location", v->location, EXPO_STR},
	    {"rack", v->rack, EXPO_STR},
	    {"owner", v->owner, EXPO_STR},
	    {"agent_version", SAKIMORI_VERSION, EXPO_STR},
	};

	str_copy(ip, sizeof(ip), inv_primary_ip(v));
	if ((slash = strchr(ip, '/')) != NULL)
		*slash = '\0';
	addresses(addrs, sizeof(addrs), v);
	expo_family(
	    e, "sakimori_host_info", EXPO_INFO, "the server table: the host");
	expo_sample(e, "sakimori_host_info", l, countof(l), 1);
}

/* "tcp 0.0.0.0:22 tcp6 [::]:22": a service's sockets, in one label. */
static void
listen_text(char *dst, size_t sz, const struct inv_svc *s)
{
	size_t n = 0;

	dst[0] = '\0';
	for (unsigned i = 0; i < s->nlisten && n < sz; i++) {
		const struct inv_listen *l = &s->listen[i];
		int v6 = strchr(l->addr, ':') != NULL;
		int w = snprintf(dst + n, sz - n, "%s%s %s%s%s:%u",
		    i ? " " : "", l->proto, v6 ? "[" : "", l->addr,
		    v6 ? "]" : "", l->port);

		if (w < 0 || (size_t)w >= sz - n) {
			dst[n] = '\0';
			break;
		}
		n += (size_t)w;
	}
}

static void
services(struct expo *e, const struct inventory *v)
{
	expo_family(e, "sakimori_service_info", EXPO_INFO,
	    "the server table: each service, its package and sockets");
	for (unsigned i = 0; i < v->nsvcs && i < INV_MAX_SVCS; i++) {
		const struct inv_svc *s = &v->svcs[i];
		char listen[512], ports[512], pid[16] = "";
		struct expo_label l[] = {
		    {"name", s->name, EXPO_STR},
		    {"package", s->package, EXPO_STR},
		    {"package_version", s->package_version, EXPO_STR},
		    {"version", s->version, EXPO_STR},
		    {"exe", s->exe, EXPO_STR},
		    {"comm", s->comm, EXPO_STR},
		    {"user", s->user, EXPO_STR},
		    {"pid", pid, EXPO_STR},
		    {"listen", listen, EXPO_STR},
		    {"ports", ports, EXPO_STR},
		};

		if (s->npids > 0)
			snprintf(pid, sizeof(pid), "%d", s->pids[0]);
		listen_text(listen, sizeof(listen), s);
		inv_svc_ports(s, ports, sizeof(ports));
		expo_sample(e, "sakimori_service_info", l, countof(l), 1);
	}
}

void
metrics_write_machine(
    struct expo *e, const struct snap *s, const struct netdevs *nd, long hz)
{
	if (s != NULL) {
		load(e, s);
		cpu(e, s, hz);
		mem(e, s);
		vm(e, s);
		fs(e, s);
		disk(e, s);
	}
	if (nd != NULL)
		net(e, nd);
}

void
metrics_write(struct expo *e, const struct metrics_src *m)
{
	metrics_write_machine(e, m->snap, m->net, m->hz);
	if (m->machine != METRICS_MACHINE_NONE)
		one(e, "sakimori_machine_up", EXPO_GAUGE,
		    "1: the machine's series (load, CPU, memory, swap, "
		    "filesystems, disks, interfaces) are in this exposition, "
		    "0: the agent's parsing child did not give them in time",
		    m->machine == METRICS_MACHINE_UP ? 1 : 0);
	if (m->tcp != NULL)
		tcp(e, m->tcp);
	problems(e, m->pr, m->npr);
	checks(e, m);
	if (m->inv != NULL) {
		host(e, m->inv);
		services(e, m->inv);
	}
	one(e, "sakimori_agent_start_time_seconds", EXPO_GAUGE,
	    "when the agent started, in seconds since the epoch",
	    (double)m->started);
}
