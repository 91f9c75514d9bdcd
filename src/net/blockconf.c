/*
 * blockconf.c - block settings and the allow-list from the configuration
 * (see blockconf.h).
 */
#include "net/blockconf.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "conf/conf.h"
#include "net/allow.h"
#include "net/block.h"

/*
 * Every value of every "set KEY ..." (a list setting) into out.  The
 * count, or -1 with err when there are more than max: none is dropped.
 */
static ssize_t
setting_list(const struct conf *c, const char *key, const char **out,
    size_t max, struct err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *s = &c->root.child[i];

		if (strcmp(s->key, "set") != 0 || s->nvals < 2 ||
		    strcmp(s->vals[0].str, key) != 0)
			continue;
		for (size_t j = 1; j < s->nvals; j++) {
			if (n == max)
				return err_set(err, EINVAL,
				    "%s: more than %zu values", key, max);
			out[n++] = s->vals[j].str;
		}
	}
	return (ssize_t)n;
}

int
net_block_secs(double v, const char *key, uint64_t *out, struct err *err)
{
	if (!(v >= 0) || v > (double)NET_BLOCK_MAX_SECS)
		return err_set(err, EINVAL,
		    "%s: a duration from 0 to 3650d (about ten years), not "
		    "%.0f s",
		    key, v);
	*out = (uint64_t)v;
	return 0;
}

int
net_block_conf_load(const struct conf *c, const char *state_dir,
    struct net_block_conf *bc, struct err *err)
{
	net_block_conf_init(bc);
	bc->backend = conf_setting(c, "block-backend", bc->backend);
	bc->kind = conf_setting(c, "block-route-type", bc->kind);
	bc->broad4 = (unsigned)conf_setting_num(c, "block-broadest-v4", 16);
	bc->broad6 = (unsigned)conf_setting_num(c, "block-broadest-v6", 32);
	bc->max_active =
	    (unsigned)conf_setting_num(c, "block-max-active", 10000);
	bc->repeat_factor = conf_setting_num(c, "block-repeat-factor", 2);
	bc->state_dir = state_dir;
	return net_block_secs(
	    conf_setting_num(c, "block-max-duration", 30 * 86400),
	    "block-max-duration", &bc->max_duration, err);
}

int
net_allow_from_conf(const struct conf *c, const char *ssh_connection,
    struct net_allow *allow, struct err *err)
{
	const char *admin[256];
	const char *ports[64];
	uint16_t ssh[64];
	ssize_t nadmin, nports;
	struct net_allow_opts ao = {0};

	nadmin = setting_list(
	    c, "admin-networks", admin, sizeof(admin) / sizeof(admin[0]), err);
	nports = nadmin < 0 ? -1
	                    : setting_list(c, "ssh-ports", ports,
	                          sizeof(ports) / sizeof(ports[0]), err);
	if (nports < 0)
		return -1;
	ao.admin = admin;
	ao.nadmin = (size_t)nadmin;
	for (ssize_t i = 0; i < nports; i++) {
		uint64_t v;
		char esc[256];

		if (str_u64(ports[i], &v) == -1 || v == 0 || v > 65535) {
			esc_text_buf(
			    esc, sizeof(esc), ports[i], strlen(ports[i]));
			return err_set(err, EINVAL,
			    "ssh-ports: '%s' is not a port (1..65535)", esc);
		}
		ssh[i] = (uint16_t)v;
	}
	if (nports > 0) {
		ao.ssh_ports = ssh;
		ao.nssh = (size_t)nports;
	}
	ao.ssh_connection = ssh_connection;
	return net_allow_build(allow, &ao, err);
}
