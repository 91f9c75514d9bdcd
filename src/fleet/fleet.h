/*
 * fleet.h - what the fleet commands compute from Prometheus's answers:
 * the order of package versions (Debian's), and the alerting rules.
 */
#ifndef FLEET_FLEET_H
#define FLEET_FLEET_H

#include <stdio.h>

/*
 * Compares two Debian package versions ([epoch:]upstream[-revision],
 * deb-version(7)): <0, 0 or >0 as a is older than, equal to or newer
 * than b.  Anything is compared (a version that is not Debian's is
 * still ordered the same way), never an error.
 */
int fleet_vercmp(const char *a, const char *b);

struct fleet_rules_opts {
	const char *job;      /* the scrape job of the agents ("sakimori") */
	const char *down_for; /* how long up == 0 before "agent down" */
	const char *window;   /* how far back "inventory changed" looks */
};

/* Writes the Prometheus alerting rules (YAML) for the agents to fp. */
void fleet_rules_write(FILE *fp, const struct fleet_rules_opts *o);

#endif
