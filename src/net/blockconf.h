/*
 * blockconf.h - what a block needs from the configuration: the block
 * settings (backend, breadth, cap, repeat growth) and the allow-list's
 * admin networks and SSH ports.  Shared by "net block" and the rule
 * actions, so both refuse and limit the same way.
 */
#ifndef NET_BLOCKCONF_H
#define NET_BLOCKCONF_H

#include <stdint.h>

struct conf;
struct err;
struct net_allow;
struct net_block_conf;

/*
 * A duration setting in seconds (v as the configuration holds it):
 * 0..NET_BLOCK_MAX_SECS into *out.  0, or -1 with err naming key.
 */
int net_block_secs(double v, const char *key, uint64_t *out, struct err *err);

/*
 * The block settings of c into bc (net_block_conf_init's defaults for
 * what is not set), with state_dir for the audit log.  0, or -1 with err
 * (a value out of range).
 */
int net_block_conf_load(const struct conf *c, const char *state_dir,
    struct net_block_conf *bc, struct err *err);

/*
 * The allow-list (net_allow_build) with c's admin-networks and ssh-ports
 * and the client in ssh_connection ($SSH_CONNECTION, or NULL).  0, or -1
 * with err (EINVAL: a bad admin-networks or ssh-ports value).
 */
int net_allow_from_conf(const struct conf *c, const char *ssh_connection,
    struct net_allow *allow, struct err *err);

#endif
