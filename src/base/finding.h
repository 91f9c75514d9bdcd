/*
 * finding.h - findings are data: what a check found, how bad, about what,
 * with key/value evidence.  A report collects findings and Nagios-style
 * performance data; output.h prints it.
 *
 * Strings are stored raw (cut to the field size) and escaped only when
 * printed, so every output can escape in its own way.
 */
#ifndef BASE_FINDING_H
#define BASE_FINDING_H

#include <stddef.h>
#include <time.h>

enum sev {
	SEV_OK = 0,
	SEV_WARNING = 1,
	SEV_CRITICAL = 2,
	SEV_UNKNOWN = 3,
};

#define FINDING_MAX_EV 16
#define REPORT_MAX 10000 /* findings kept per report; more are counted */

struct finding_ev {
	char key[32];
	char val[256];
};

struct finding {
	enum sev sev;
	char check[64];    /* check id: "load", "fs.blocks", "proc.count" */
	char subject[256]; /* what it is about: a mount point, a PID */
	char message[512]; /* one line for a human */
	time_t time;
	unsigned nev;
	struct finding_ev ev[FINDING_MAX_EV];
};

struct perf {
	char label[64];
	double value;
	char uom[8];                 /* "", "%", "s", "B", "KB", "c" */
	double warn, crit, min, max; /* NAN when absent */
	int lower; /* warn and crit are lower bounds: bad when below */
};

struct report {
	struct finding *f;
	size_t nf, capf;
	struct perf *p;
	size_t np, capp;
	size_t dropped; /* findings past REPORT_MAX */
};

void report_init(struct report *r);
void report_release(struct report *r);
/*
 * Adds a finding; returns it for evidence, or NULL when the report is full
 * (counted in r->dropped) or memory ran out.
 */
struct finding *report_add(struct report *r, enum sev sev, const char *check,
    const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Adds key=value evidence (printf-style value); silently ignores past FINDING_MAX_EV. */
void finding_ev(struct finding *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The value of evidence key, or NULL. */
const char *finding_ev_get(const struct finding *f, const char *key);
/* Adds a performance datum; NAN for the thresholds and limits that do not apply. */
void report_perf(struct report *r, const char *label, double value,
    const char *uom, double warn, double crit, double min, double max);
/* The same for a value that is bad when low (printed as the range "W:"). */
void report_perf_lower(struct report *r, const char *label, double value,
    const char *uom, double warn, double crit, double min, double max);
/* How bad: OK 0, UNKNOWN 1, WARNING 2, CRITICAL 3. */
int sev_rank(enum sev s);
/* Worst severity: CRITICAL > WARNING > UNKNOWN > OK. */
enum sev sev_worse(enum sev a, enum sev b);
enum sev report_worst(const struct report *r);
/* How many findings have exactly sev. */
size_t report_count(const struct report *r, enum sev sev);
const char *sev_name(enum sev sev); /* "OK", "WARNING", ... */
/* Parses "ok", "warning", "critical", "unknown" (any case); 0 or -1. */
int sev_parse(const char *s, enum sev *out);

#endif
