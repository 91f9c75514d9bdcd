/*
 * check.c - the inventory's part of "sakimori check": take the inventory,
 * report what changed since the previous one (inv_diff), keep the new one.
 * The first run only records.
 */
#include "inv/inventory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/finding.h"

int
inv_check(const struct inv_opts *o, const char *state_dir, struct report *r,
    struct err *err)
{
	struct inventory *old = calloc(1, sizeof(*old));
	struct inventory *cur = calloc(1, sizeof(*cur));
	struct err lerr = {0};
	int rc = -1, have;

	if (old == NULL || cur == NULL) {
		err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	have = inv_state_load(state_dir, old, &lerr);
	if (have == -1 && lerr.code == EPROTO) {
		/* A newer sakimori's: neither compared nor replaced. */
		report_add(r, SEV_UNKNOWN, "inventory-state", "inventory.json",
		    "%s", lerr.msg);
		rc = 0;
		goto out;
	}
	if (have == -1) {
		/* Corrupt: say so once, and start afresh from this inventory. */
		struct finding *f = report_add(r, SEV_WARNING,
		    "inventory-state", "inventory.json",
		    "%s; a fresh inventory was taken", lerr.msg);
		(void)f;
	}
	if (inv_collect(cur, o, err) == -1)
		goto out;
	if (have == 0)
		inv_diff(old, cur, r);
	rc = inv_state_save(state_dir, cur, err);
out:
	free(old);
	free(cur);
	return rc;
}
