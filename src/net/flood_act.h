/*
 * flood_act.h - the opt-in action of the conn-flood check ("check
 * conn-flood { action block  block-for 1h }", off by default).
 */
#ifndef NET_FLOOD_ACT_H
#define NET_FLOOD_ACT_H

#include <stddef.h>

struct act_ops;
struct conf;
struct err;
struct report;

/*
 * Blocks the address of each CRITICAL conn-flood finding in r from index
 * from on whose port's action is "block", through act->block by
 * "rule:conn-flood", for block-for (else the block-duration setting,
 * else an hour).  Each such finding gets the outcome as its "action"
 * evidence.  0, or -1 with err (no state directory, a bad setting, the
 * state database or the allow-list failed: nothing was blocked; or the
 * audit log could not be written).
 */
int net_flood_act(const struct conf *c, const struct act_ops *act,
    struct report *r, size_t from, struct err *err);

#endif
