/*
 * inventory.c - take the inventory (see inventory.h).
 */
#include "inv/inventory.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "inv/inv_int.h"

int
inv_collect(struct inventory *inv, const struct inv_opts *o, struct err *err)
{
	(void)err;
	memset(inv, 0, sizeof(*inv));
	inv->taken_at = time(NULL);
	snprintf(inv->location, sizeof(inv->location), "%s",
	    o->location ? o->location : "");
	snprintf(inv->rack, sizeof(inv->rack), "%s", o->rack ? o->rack : "");
	snprintf(
	    inv->owner, sizeof(inv->owner), "%s", o->owner ? o->owner : "");
	inv_host(inv, o->root);
	inv_resources(inv, o->root);
	inv_services(inv, o->root);
	return 0;
}
