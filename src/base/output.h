/*
 * output.h - how a command prints: a human table (colour only on a
 * terminal, and never with NO_COLOR set), JSON lines, or one Nagios plugin
 * line with performance data.
 */
#ifndef BASE_OUTPUT_H
#define BASE_OUTPUT_H

#include <stdio.h>

#include "base/finding.h"

#include <jansson.h>

enum out_mode {
	OUT_TABLE,
	OUT_JSON,
	OUT_NAGIOS,
};

struct out {
	enum out_mode mode;
	FILE *fp;
	int color;
	int human;   /* sizes in IEC units (size_format), else bytes */
	int journal; /* fp is the journal's stream: "<N>" priority prefixes */
};

/*
 * Colour when fp is a terminal, NO_COLOR is unset and TERM is not "dumb";
 * sizes for a human when fp is a terminal (not the journal).
 * When fp is the stream systemd named in JOURNAL_STREAM (a unit's output to
 * the journal), each line of the table mode starts with the sd-daemon
 * priority prefix of its severity ("<2>" critical, "<4>" warning, "<3>"
 * unknown, "<6>" ok), so that the journal keeps it at that priority.
 */
void out_init(struct out *o, enum out_mode mode, FILE *fp);
/*
 * The width tables printed to fp fit in: COLUMNS when set to a number,
 * else the terminal's (80 when it does not say), 0 (no limit) when fp is
 * not a terminal.
 */
size_t out_width(FILE *fp);
/*
 * A size for the table: "1.5 GiB" when o->human (a terminal, or --human),
 * else the number of bytes ("1610612736").
 */
void out_size(const struct out *o, char *dst, size_t dstsz, double bytes);
/* The finding as a JSON object: {"type":"finding","severity":...}. */
json_t *finding_json(const struct finding *f);
/*
 * Prints the report's findings in o's mode; name is the plugin name for
 * the Nagios line ("SAKIMORI").  The table says "no problems found" when
 * the report is empty.
 */
void out_report(const struct out *o, const struct report *r, const char *name);
/*
 * The Nagios line of a run that could not look: "NAME UNKNOWN - reason",
 * the reason escaped as findings are.
 */
void out_nagios_unknown(FILE *fp, const char *name, const char *reason);
/* Escape sequence for a severity's colour ("" without colour). */
const char *out_sev_color(const struct out *o, enum sev sev);
const char *out_reset(const struct out *o);

#endif
