/*
 * cmd_net.h - what "sakimori check" uses of the net command.
 */
#ifndef CLI_CMD_NET_H
#define CLI_CMD_NET_H

#include <stddef.h>

struct cli;
struct err;
struct report;

/*
 * The opt-in action of the conn-flood rule ("check conn-flood { action
 * block  block-for 1h }", off by default): blocks the address of each
 * CRITICAL conn-flood finding in r from index from on, through the same
 * allow-list, breadth limit, cap on active blocks, state database and
 * audit log as "net block", by "rule:conn-flood", for block-for (else the
 * block-duration setting, else an hour).  Each such finding gets the
 * outcome as its "action" evidence.  0, or -1 with err (the state
 * database or the allow-list failed: nothing was blocked).
 */
int cmd_net_flood_act(
    struct cli *cli, struct report *r, size_t from, struct err *err);

#endif
