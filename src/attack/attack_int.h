/*
 * attack_int.h - what attack.c and crs_eval.c share.
 */
#ifndef ATTACK_ATTACK_INT_H
#define ATTACK_ATTACK_INT_H

#include "attack/attack.h"

/*
 * The Core Rule Set's rules on rq: res's crs_score, ncrs and crs[].
 * clean: rq's request line is in the clean table (attack.h): only what
 * has its user agent or referrer is looked at.  Returns the targets
 * (1 << enum crs_target) of the values that matched, an argument name
 * given twice counting as its arguments' names: a request line none of
 * whose targets is there may go into the clean table, and so may a user
 * agent or referrer that is not.
 */
unsigned attack_crs_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res, int clean);

/* Empties the clean table (the CRS rules changed). */
void attack_clean_forget(struct attack_engine *e);
void attack_crs_release(struct attack_engine *e);

#endif
