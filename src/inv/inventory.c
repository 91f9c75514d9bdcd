/*
 * inventory.c - take the inventory (see inventory.h).
 */
#include "inv/inventory.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/bounded.h"
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
	/* "set hostname": the name this host is known by (several agents
	 * on one machine are several hosts of a fleet) */
	if (o->hostname != NULL && o->hostname[0] != '\0') {
		str_copy(inv->hostname, sizeof(inv->hostname), o->hostname);
		str_copy(inv->fqdn, sizeof(inv->fqdn), o->hostname);
	}
	inv_resources(inv, o->root);
	inv_services(inv, o->root);
	return 0;
}
