/*
 * attack_int.h - what attack.c and crs_eval.c share.
 */
#ifndef ATTACK_ATTACK_INT_H
#define ATTACK_ATTACK_INT_H

#include "attack/attack.h"

/*
 * The Core Rule Set's rules on rq: res's crs_score, ncrs and crs[].
 * clean: rq's request line is in the clean table (attack.h): only what
 * has its user agent or referrer is looked at.  1 when nothing but those
 * matched (nor was an argument name given twice): the request line may
 * go into the clean table.
 */
int attack_crs_match(struct attack_engine *e, const struct attack_req *rq,
    struct attack_result *res, int clean);

/* Empties the clean table (the CRS rules changed). */
void attack_clean_forget(struct attack_engine *e);
void attack_crs_release(struct attack_engine *e);

#endif
