/*
 * settings.h - the blocking settings of the configuration: the block
 * defaults ("set block-*"), durations, and the allow-list built from
 * "set admin-networks" and "set ssh-ports" with what the system shows
 * (net/allow.h).  Used by "net block|unblock|restore" and the
 * conn-flood block action alike.
 */
#ifndef NET_SETTINGS_H
#define NET_SETTINGS_H

#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"
#include "conf/conf.h"
#include "net/allow.h"
#include "net/block.h"
#include "net/count.h"

/*
 * Every value of every "set KEY ..." (a list setting) into out.  The
 * count, or -1 with err when there are more than max: none is dropped.
 */
ssize_t net_setting_list(const struct conf *c, const char *key,
    const char **out, size_t max, struct err *err);

/*
 * A duration setting in seconds (v as the configuration holds it):
 * 0..NET_BLOCK_MAX_SECS.  0, or -1 with err naming key.
 */
int net_block_secs(double v, const char *key, uint64_t *out, struct err *err);

/*
 * The block settings of c into bc (defaults first; state_dir as given).
 * 0, or -1 with err (a value out of range).
 */
int net_block_conf_load(struct net_block_conf *bc, const struct conf *c,
    const char *state_dir, struct err *err);

/*
 * The allow-list from c (admin-networks, ssh-ports) and the system;
 * ssh_connection is $SSH_CONNECTION or NULL.  0, or -1 with err (EINVAL:
 * a bad admin-networks or ssh-ports value, a configuration error).
 */
int net_allow_from_conf(struct net_allow *allow, const struct conf *c,
    const char *ssh_connection, struct err *err);

/*
 * The counting settings of c into o where the command line left them
 * open: prefix lengths (net-prefix-v4, default 24; net-prefix-v6, 64) and
 * net-bpf.  0, or -1 with err (EINVAL) when a length is out of range.
 */
int net_count_opts_from_conf(
    struct net_count_opts *o, const struct conf *c, struct err *err);

/*
 * --for of "net block": "forever" (0), or a duration whose every number
 * has its unit ("90" alone could be seconds or minutes), 1 s to
 * NET_BLOCK_MAX_SECS.  0 or -1.
 */
int net_block_for_parse(const char *arg, uint64_t *secs);

/*
 * Who blocks, for the state database and the audit log: "user:NAME" of
 * uid, with "(sudo by SUDO_USER)" when sudo_user is set, "uid:N" when uid
 * has no name.
 */
void net_block_actor(char *dst, size_t n, uid_t uid, const char *sudo_user);

#endif
