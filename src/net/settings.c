/*
 * settings.c - the blocking settings of the configuration (settings.h).
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "base/cur.h"
#include "base/esc.h"
#include "base/timeutil.h"
#include "net/settings.h"

ssize_t
net_setting_list(const struct conf *c, const char *key, const char **out,
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
net_block_conf_load(struct net_block_conf *bc, const struct conf *c,
    const char *state_dir, struct err *err)
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
net_allow_from_conf(struct net_allow *allow, const struct conf *c,
    const char *ssh_connection, struct err *err)
{
	const char *admin[256];
	const char *ports[64];
	uint16_t ssh[64];
	ssize_t nadmin, nports;
	struct net_allow_opts ao = {0};

	nadmin =
	    net_setting_list(c, "admin-networks", admin, countof(admin), err);
	nports = nadmin < 0
	    ? -1
	    : net_setting_list(c, "ssh-ports", ports, countof(ports), err);
	if (nports < 0)
		return -1;
	ao.admin = admin;
	ao.nadmin = (size_t)nadmin;
	for (ssize_t i = 0; i < nports; i++) {
		uint64_t v;
		char esc[256];

		if (str_u64(ports[i], &v) == -1 || v > 65535 || v == 0) {
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

int
net_count_opts_from_conf(
    struct net_count_opts *o, const struct conf *c, struct err *err)
{
	if (o->plen4 == 0)
		o->plen4 = (unsigned)conf_setting_num(c, "net-prefix-v4", 24);
	if (o->plen6 == 0)
		o->plen6 = (unsigned)conf_setting_num(c, "net-prefix-v6", 64);
	o->no_bpf = !conf_setting_bool(c, "net-bpf", 1);
	if (o->plen4 > 32 || o->plen6 > 128 || o->plen4 == 0 || o->plen6 == 0)
		return err_set(err, EINVAL,
		    "net-prefix-v4 must be 1..32 and net-prefix-v6 1..128");
	return 0;
}

int
net_block_for_parse(const char *arg, uint64_t *secs)
{
	size_t n = strlen(arg);

	if (strcmp(arg, "forever") == 0) {
		*secs = 0;
		return 0;
	}
	if (n == 0 || (arg[n - 1] >= '0' && arg[n - 1] <= '9') ||
	    dur_parse(arg, n, secs) == -1 || *secs == 0 ||
	    *secs > NET_BLOCK_MAX_SECS)
		return -1;
	return 0;
}

void
net_block_actor(char *dst, size_t n, uid_t uid, const char *sudo_user)
{
	const struct passwd *pw = getpwuid(uid);

	if (sudo_user != NULL && sudo_user[0] != '\0')
		snprintf(dst, n, "user:%s (sudo by %.64s)",
		    pw != NULL ? pw->pw_name : "?", sudo_user);
	else if (pw != NULL)
		snprintf(dst, n, "user:%s", pw->pw_name);
	else
		snprintf(dst, n, "uid:%u", (unsigned)uid);
}
