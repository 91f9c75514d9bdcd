/*
 * addr.c - IP addresses and prefixes (see addr.h).
 */
#include "net/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/cur.h"
#include "base/err.h"

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

unsigned
net_prefix_maxlen(const struct net_prefix *p)
{
	return p->family == AF_INET ? 32 : 128;
}

int
net_prefix_is_host(const struct net_prefix *p)
{
	return p->len == net_prefix_maxlen(p);
}

static void
mask_bits(uint8_t addr[16], unsigned len, unsigned max)
{
	for (unsigned bit = len; bit < max; bit++)
		addr[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
}

void
net_prefix_truncate(struct net_prefix *p, unsigned len)
{
	if (len >= p->len)
		return;
	mask_bits(p->addr, len, net_prefix_maxlen(p));
	p->len = (uint8_t)len;
}

static void
unmap(struct net_prefix *p)
{
	if (p->family != AF_INET6 ||
	    memcmp(p->addr, v4mapped, sizeof(v4mapped)) != 0 || p->len < 96)
		return;
	memmove(p->addr, p->addr + 12, 4);
	memset(p->addr + 4, 0, 12);
	p->family = AF_INET;
	p->len = (uint8_t)(p->len - 96);
}

void
net_prefix_from_bytes(struct net_prefix *p, int family, const uint8_t addr[16])
{
	memset(p, 0, sizeof(*p));
	p->family = (uint8_t)family;
	memcpy(p->addr, addr, family == AF_INET ? 4 : 16);
	p->len = (uint8_t)net_prefix_maxlen(p);
	unmap(p);
}

int
net_prefix_parse(const char *s, size_t n, struct net_prefix *p, struct err *err)
{
	char a[INET6_ADDRSTRLEN + 1];
	const char *slash = memchr(s, '/', n);
	size_t alen = slash != NULL ? (size_t)(slash - s) : n;
	uint64_t len;
	struct net_prefix copy;

	memset(p, 0, sizeof(*p));
	if (n == 0)
		return err_set(err, EINVAL, "empty address");
	if (memchr(s, '\0', n) != NULL)
		return err_set(err, EINVAL, "NUL byte in the address");
	if (memchr(s, '%', alen) != NULL)
		return err_set(err, EINVAL,
		    "'%.*s': zone ids (%%IFACE) are not accepted; a blocked "
		    "or counted address is global, give it without the zone",
		    (int)(n > 100 ? 100 : n), s);
	if (s[0] == '[')
		return err_set(err, EINVAL,
		    "'%.*s': give an IPv6 address without brackets",
		    (int)(n > 100 ? 100 : n), s);
	if (alen == 0 || alen >= sizeof(a))
		return err_set(err, EINVAL, "'%.*s' is not an IP address",
		    (int)(n > 100 ? 100 : n), s);
	memcpy(a, s, alen);
	a[alen] = '\0';
	if (inet_pton(AF_INET, a, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, a, p->addr) == 1)
		p->family = AF_INET6;
	else
		return err_set(err, EINVAL,
		    "'%.*s' is not an IPv4 or IPv6 address",
		    (int)(alen > 100 ? 100 : alen), s);
	p->len = (uint8_t)net_prefix_maxlen(p);
	if (slash != NULL) {
		const char *c = slash + 1, *end = s + n;

		if (c == end || *c < '0' || *c > '9' ||
		    (end - c > 1 && *c == '0') ||
		    cur_u64(&c, end, &len) == -1 || c != end)
			return err_set(err, EINVAL,
			    "'%.*s': the prefix length must be a decimal "
			    "number",
			    (int)(n > 100 ? 100 : n), s);
		if (len > net_prefix_maxlen(p))
			return err_set(err, EINVAL,
			    "'%.*s': the prefix length of an %s address is "
			    "at most %u",
			    (int)(n > 100 ? 100 : n), s,
			    p->family == AF_INET ? "IPv4" : "IPv6",
			    net_prefix_maxlen(p));
		p->len = (uint8_t)len;
	}
	copy = *p;
	mask_bits(copy.addr, copy.len, net_prefix_maxlen(&copy));
	if (memcmp(copy.addr, p->addr, 16) != 0) {
		char want[NET_PREFIX_STRLEN];

		unmap(&copy);
		net_prefix_format_len(&copy, want, sizeof(want));
		return err_set(err, EINVAL,
		    "'%.*s': bits are set past the prefix length; did you "
		    "mean %s?",
		    (int)(n > 100 ? 100 : n), s, want);
	}
	/* ::ffff:a.b.c.d/N: N >= 96 here, as bits 80..95 are set */
	unmap(p);
	return 0;
}

void
net_prefix_format(const struct net_prefix *p, char *dst, size_t dstsz)
{
	if (net_prefix_is_host(p)) {
		if (inet_ntop(p->family, p->addr, dst, (socklen_t)dstsz) ==
		    NULL)
			dst[0] = '\0';
		return;
	}
	net_prefix_format_len(p, dst, dstsz);
}

void
net_prefix_format_len(const struct net_prefix *p, char *dst, size_t dstsz)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(p->family, p->addr, a, sizeof(a)) == NULL)
		a[0] = '\0';
	snprintf(dst, dstsz, "%s/%u", a, (unsigned)p->len);
}

int
net_prefix_contains(
    const struct net_prefix *outer, const struct net_prefix *inner)
{
	struct net_prefix t;

	if (outer->family != inner->family || inner->len < outer->len)
		return 0;
	t = *inner;
	net_prefix_truncate(&t, outer->len);
	return memcmp(t.addr, outer->addr, 16) == 0;
}

int
net_prefix_overlaps(const struct net_prefix *a, const struct net_prefix *b)
{
	return net_prefix_contains(a, b) || net_prefix_contains(b, a);
}

int
net_prefix_equal(const struct net_prefix *a, const struct net_prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	    memcmp(a->addr, b->addr, 16) == 0;
}
