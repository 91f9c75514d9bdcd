/*
 * route.c - blackhole/unreachable/prohibit routes through rtnetlink (see
 * route.h).
 */
#include "net/route.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "base/err.h"

int
net_rt_open(struct net_rt *rt, struct err *err)
{
	memset(rt, 0, sizeof(*rt));
	rt->nl = mnl_socket_open(NETLINK_ROUTE);
	if (rt->nl == NULL)
		return err_sys(err, errno, "cannot open a rtnetlink socket");
	if (mnl_socket_bind(rt->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(rt->nl);
		rt->nl = NULL;
		return err_sys(err, e, "cannot bind a rtnetlink socket");
	}
	rt->portid = mnl_socket_get_portid(rt->nl);
	rt->seq = (unsigned)time(NULL);
	return 0;
}

void
net_rt_close(struct net_rt *rt)
{
	if (rt->nl != NULL)
		mnl_socket_close(rt->nl);
	rt->nl = NULL;
}

int
net_rt_kind(const char *kind)
{
	if (strcmp(kind, "blackhole") == 0)
		return RTN_BLACKHOLE;
	if (strcmp(kind, "unreachable") == 0)
		return RTN_UNREACHABLE;
	if (strcmp(kind, "prohibit") == 0)
		return RTN_PROHIBIT;
	return -1;
}

int
net_rt_block(struct net_rt *rt, const struct net_prefix *p, const char *kind,
    int add, struct err *err)
{
	char buf[8192], txt[NET_PREFIX_STRLEN];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int type = net_rt_kind(kind), ret;
	ssize_t n;

	net_prefix_format_len(p, txt, sizeof(txt));
	if (type < 0)
		return err_set(err, EINVAL, "unknown route type '%s'", kind);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (add)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = ++rt->seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = p->family;
	rtm->rtm_dst_len = p->len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = NET_RTPROT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = (unsigned char)type;
	mnl_attr_put(nlh, RTA_DST, p->family == AF_INET ? 4 : 16, p->addr);
	if (mnl_socket_sendto(rt->nl, nlh, nlh->nlmsg_len) < 0)
		return err_sys(err, errno, "cannot send a route request");
	do {
		n = mnl_socket_recvfrom(rt->nl, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_sys(err, errno, "cannot read the route reply");
	ret = mnl_cb_run(buf, (size_t)n, rt->seq, rt->portid, NULL, NULL);
	if (ret >= 0)
		return 0;
	if (add && errno == EEXIST)
		return 0; /* already blocked */
	if (!add && (errno == ESRCH || errno == ENOENT))
		return 0; /* already gone */
	if (errno == EPERM || errno == EACCES)
		return err_sys(err, errno,
		    "cannot %s the %s route for %s (needs root or "
		    "CAP_NET_ADMIN)",
		    add ? "add" : "remove", kind, txt);
	return err_sys(err, errno, "cannot %s the %s route for %s",
	    add ? "add" : "remove", kind, txt);
}

struct dump_ctx {
	int (*fn)(const struct net_rt_info *, void *);
	void *arg;
	int rc;
};

static void
put_gw(struct net_rt_info *ri, int family, const void *data, size_t len)
{
	if (ri->ngw >= NET_RT_MAXGW || len != (family == AF_INET ? 4u : 16u))
		return;
	{
		uint8_t a[16] = {0};

		memcpy(a, data, len);
		net_prefix_from_bytes(&ri->gw[ri->ngw++], family, a);
	}
}

/* The gateways of an RTA_MULTIPATH attribute: rtnexthop, attributes. */
static void
multipath(struct net_rt_info *ri, int family, const char *p, size_t len)
{
	const char *end = p + len;

	while ((size_t)(end - p) >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const void *)p;
		const char *ap, *aend;

		if (nh->rtnh_len < sizeof(*nh) ||
		    nh->rtnh_len > (size_t)(end - p))
			break;
		ap = p + RTNH_ALIGN(sizeof(*nh));
		aend = p + nh->rtnh_len;
		while (aend - ap >= (ptrdiff_t)sizeof(struct nlattr)) {
			const struct nlattr *na = (const void *)ap;

			if (na->nla_len < sizeof(*na) ||
			    na->nla_len > (size_t)(aend - ap))
				break;
			if ((na->nla_type & NLA_TYPE_MASK) == RTA_GATEWAY)
				put_gw(ri, family, ap + NLA_HDRLEN,
				    na->nla_len - NLA_HDRLEN);
			ap += NLA_ALIGN(na->nla_len);
		}
		p += RTNH_ALIGN(nh->rtnh_len);
	}
}

static int
dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct net_rt_info ri;
	const struct nlattr *a;
	uint8_t dst[16] = {0};

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return MNL_CB_OK;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return MNL_CB_OK;
	memset(&ri, 0, sizeof(ri));
	ri.type = rtm->rtm_type;
	ri.protocol = rtm->rtm_protocol;
	ri.table = rtm->rtm_table;
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
	{
		const void *v = mnl_attr_get_payload(a);
		size_t len = mnl_attr_get_payload_len(a);

		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			if (len <= 16)
				memcpy(dst, v, len);
			break;
		case RTA_GATEWAY:
			put_gw(&ri, rtm->rtm_family, v, len);
			break;
		case RTA_OIF:
			if (len >= 4)
				ri.oif = mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			if (len >= 4)
				ri.table = mnl_attr_get_u32(a);
			break;
		case RTA_MULTIPATH:
			multipath(&ri, rtm->rtm_family, v, len);
			break;
		default:
			break;
		}
	}
	net_prefix_from_bytes(&ri.dst, rtm->rtm_family, dst);
	if (rtm->rtm_family == AF_INET6 && rtm->rtm_dst_len >= 96 &&
	    ri.dst.family == AF_INET)
		ri.dst.len = (uint8_t)(rtm->rtm_dst_len - 96);
	else if (rtm->rtm_dst_len <= net_prefix_maxlen(&ri.dst))
		ri.dst.len = rtm->rtm_dst_len;
	net_prefix_truncate(&ri.dst, ri.dst.len);
	if ((c->rc = c->fn(&ri, c->arg)) != 0)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

int
net_rt_dump(struct net_rt *rt, int family,
    int (*fn)(const struct net_rt_info *ri, void *arg), void *arg,
    struct err *err)
{
	static char buf[65536];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct dump_ctx c = {fn, arg, 0};
	unsigned seq = ++rt->seq;
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	if (mnl_socket_sendto(rt->nl, nlh, nlh->nlmsg_len) < 0)
		return err_sys(err, errno, "cannot send a route dump request");
	for (;;) {
		n = mnl_socket_recvfrom(rt->nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(
			    err, errno, "cannot read the route dump");
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, rt->portid, dump_cb, &c);
		if (ret == MNL_CB_ERROR)
			return err_sys(err, errno, "route dump");
		if (ret == MNL_CB_STOP) {
			if (c.rc != 0) {
				while ((n = mnl_socket_recvfrom(
				            rt->nl, buf, sizeof(buf))) > 0 &&
				    mnl_cb_run(buf, (size_t)n, seq, rt->portid,
				        NULL, NULL) > MNL_CB_STOP)
					;
			}
			return c.rc;
		}
	}
}
