/*
 * policy.h - a problem's policy (agent/problem.h) from the configuration:
 * the per-check keys "for", "clear", "flap-changes" and "flap-window" of
 * "check NAME" and "check NAME SUBJECT" (the latter wins), and the
 * schedule interval "every".
 */
#ifndef AGENT_POLICY_H
#define AGENT_POLICY_H

#include <stdint.h>

#include "agent/problem.h"

struct conf;

/*
 * Fills p for (check, subject) from c: the defaults for p->logged
 * (problem_policy_default), then what c sets.  A check id that has no
 * block of its own ("inventory-listener") takes the block of the
 * longest name it starts with up to a '-' or '.' ("inventory").
 */
void problem_policy_conf(const struct conf *c, const char *check,
    const char *subject, struct problem_policy *p);
/* problem_policy_conf as a problem_policy_fn: arg is the struct conf. */
void problem_policy_conf_fn(void *arg, const char *check, const char *subject,
    struct problem_policy *p);

/* "every DURATION" of check name (dflt when not set): seconds, at least 1. */
uint64_t problem_every(const struct conf *c, const char *name, uint64_t dflt);

#endif
