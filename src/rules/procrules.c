/*
 * procrules.c - the process checks together, on a snapshot (for check).
 */
#include "collect/snap.h"
#include "rules/procrules.h"

void
procrules_run(const struct conf *c, const struct snap *s,
    const struct procrules_opts *o, struct report *r)
{
	const struct proc_table *t;

	if (!(s->have & SNAP_BIT(SNAP_PROC)))
		return;
	t = &s->proc1; /* the last sample, with CPU over the interval */
	procrules_suspicious(c, t, o, r);
	procrules_integrity(c, t, o, r);
	procrules_stuck(c, t, o, r);
	procrules_apache(c, t, o, r);
}
