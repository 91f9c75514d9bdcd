/*
 * attack_int.h - what attack.c and crs_eval.c share.
 */
#ifndef ATTACK_ATTACK_INT_H
#define ATTACK_ATTACK_INT_H

#include "attack/attack.h"

/* The Core Rule Set's rules on rq: res's crs_score, ncrs and crs[]. */
void attack_crs_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res);
void attack_crs_release(struct attack_engine *e);

#endif
