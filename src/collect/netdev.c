/*
 * netdev.c - /proc/net/dev (see netdev.h).
 */
#include "collect/netdev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

/* Columns of a line: received 8, then sent 8. */
enum {
	COL_RX_BYTES = 0,
	COL_RX_PACKETS = 1,
	COL_RX_ERRS = 2,
	COL_RX_DROP = 3,
	COL_TX_BYTES = 8,
	COL_TX_PACKETS = 9,
	COL_TX_ERRS = 10,
	COL_TX_DROP = 11,
	NCOLS = 16,
};

/* One interface's line into d; 0 or -1 (malformed). */
static int
parse_line(const char *p, const char *le, struct netdev *d)
{
	const char *name;
	size_t nl;
	uint64_t v[NCOLS];

	cur_spaces(&p, le);
	nl = cur_until(&p, le, ':', &name);
	if (p == le || nl == 0 || nl >= sizeof(d->name))
		return -1;
	/* the kernel's names have no space, '/' or ':'; none has a control */
	for (size_t i = 0; i < nl; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f ||
		    name[i] == '/')
			return -1;
	p++; /* the colon */
	for (size_t i = 0; i < NCOLS; i++) {
		cur_spaces(&p, le);
		if (cur_u64(&p, le, &v[i]) == -1)
			return -1;
	}
	cur_spaces(&p, le);
	if (p != le)
		return -1;
	memset(d, 0, sizeof(*d));
	memcpy(d->name, name, nl);
	d->rx_bytes = v[COL_RX_BYTES];
	d->rx_packets = v[COL_RX_PACKETS];
	d->rx_errs = v[COL_RX_ERRS];
	d->rx_drop = v[COL_RX_DROP];
	d->tx_bytes = v[COL_TX_BYTES];
	d->tx_packets = v[COL_TX_PACKETS];
	d->tx_errs = v[COL_TX_ERRS];
	d->tx_drop = v[COL_TX_DROP];
	return 0;
}

int
netdev_parse(const char *s, size_t n, struct netdevs *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0;
	struct netdev d;

	out->n = 0;
	out->skipped = 0;
	out->first_bad = 0;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		lineno++;
		/* the headings: "Inter-|   Receive ..." and " face |bytes ..." */
		if (ls == le || memchr(ls, '|', (size_t)(le - ls)) != NULL)
			continue;
		if (parse_line(ls, le, &d) == -1 || out->n >= NETDEV_MAX) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		if (mem_grow(&out->d, &out->cap, out->n + 1, sizeof(*out->d)) ==
		    -1)
			return err_sys(err, ENOMEM, "/proc/net/dev");
		out->d[out->n++] = d;
	}
	return 0;
}

int
netdev_read(const char *root, struct netdevs *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(16u << 20);
	int rc = -1;

	if (collect_file(root, "/proc/net/dev", 16u << 20, &sb, err) == 0)
		rc = netdev_parse(sb.p ? sb.p : "", sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}

void
netdev_release(struct netdevs *d)
{
	free(d->d);
	memset(d, 0, sizeof(*d));
}
