/*
 * cmd_net_show.h - the parts of "sakimori net" shared between cmd_net.c
 * (options, block, unblock, restore) and cmd_net_show.c (conns, bans).
 */
#ifndef CLI_CMD_NET_SHOW_H
#define CLI_CMD_NET_SHOW_H

#include <stddef.h>

struct cli;
struct net_block_item;
struct net_count_opts;
struct store;

/* Opens the state database for blocks; 0, or the exit status after
 * saying why not. */
int cmd_net_open_store(struct cli *cli, struct store *s);

/* "net conns": the top entries of each table; the exit status. */
int cmd_net_conns(struct cli *cli, struct net_count_opts *o, size_t top);

/* "net bans" (all: ended ones too); the exit status. */
int cmd_net_bans(struct cli *cli, int all);

/* The outcome of one item of "net block" or "net unblock" (action). */
void cmd_net_print_item(
    struct cli *cli, const char *action, const struct net_block_item *x);

#endif
