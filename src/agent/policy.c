/*
 * policy.c - problem policies from the configuration (see policy.h).
 */
#include "agent/policy.h"

#include <string.h>

#include "base/bounded.h"
#include "conf/conf.h"

/* Applies the keys of blk (NULL: none) to p. */
static void
apply(const struct conf_node *blk, struct problem_policy *p)
{
	if (blk == NULL)
		return;
	p->for_secs = (uint64_t)conf_num(blk, "for", (double)p->for_secs);
	p->clear_secs = (uint64_t)conf_num(blk, "clear", (double)p->clear_secs);
	p->flap_changes =
	    (unsigned)conf_num(blk, "flap-changes", (double)p->flap_changes);
	p->flap_secs =
	    (uint64_t)conf_num(blk, "flap-window", (double)p->flap_secs);
}

/* The configured name for check id: itself, or its longest prefix up to
 * a '-' or '.' that has a block. */
static void
conf_name(const struct conf *c, const char *check, const char *subject,
    char *name, size_t namesz)
{
	str_copy(name, namesz, check);
	while (conf_check(c, name, subject) == NULL) {
		char *cut = strrchr(name, '-'), *dot = strrchr(name, '.');

		if (dot > cut)
			cut = dot;
		if (cut == NULL) {
			str_copy(name, namesz, check);
			return;
		}
		*cut = '\0';
	}
}

void
problem_policy_conf(const struct conf *c, const char *check,
    const char *subject, struct problem_policy *p)
{
	char name[64];

	problem_policy_default(p);
	conf_name(c, check, subject, name, sizeof(name));
	apply(conf_check(c, name, NULL), p);
	if (subject != NULL)
		apply(conf_check(c, name, subject), p);
}

void
problem_policy_conf_fn(
    void *arg, const char *check, const char *subject, struct problem_policy *p)
{
	problem_policy_conf(arg, check, subject, p);
}

uint64_t
problem_every(const struct conf *c, const char *name, uint64_t dflt)
{
	double v = conf_num(conf_check(c, name, NULL), "every", (double)dflt);

	return v >= 1 ? (uint64_t)v : 1;
}
