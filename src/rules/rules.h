/*
 * rules.h - the built-in checks of "sakimori check" (and the findings
 * part of "sakimori status"): a snapshot (collect/snap.h) and the
 * configuration in, findings and performance data out.
 *
 * Each check takes its thresholds from conf_threshold() (schema defaults
 * in src/conf/schema.c, then "check NAME", then "check NAME SUBJECT"):
 *   load           load average (1, 5 or 15 min) per CPU above warn/crit
 *   swap-activity  pages swapped in + out per second over the sample
 *                  above warn (needs a sample: skipped with interval 0)
 *   memory         available memory in percent of the total below warn/crit
 *   fs-blocks      each filesystem's used space in percent above warn/crit
 *   fs-inodes      each filesystem's used inodes in percent above warn/crit
 *   process-count  processes whose command name is SUBJECT above warn/crit;
 *                  httpd and apache2 are built in with warning 150
 * A section the snapshot could not read gives one UNKNOWN finding.
 * Only problems become findings; every measured value becomes perfdata.
 */
#ifndef RULES_RULES_H
#define RULES_RULES_H

struct conf;
struct report;
struct snap;

/* The built-in limit for httpd and apache2 (Apache's default MaxClients). */
#define RULES_HTTPD_LIMIT 150

/* Each check above on s; adds to r (check/check.h runs them). */
void rules_load(const struct conf *c, const struct snap *s, struct report *r);
void rules_swap(const struct conf *c, const struct snap *s, struct report *r);
void rules_memory(const struct conf *c, const struct snap *s, struct report *r);
void rules_fs_blocks(
    const struct conf *c, const struct snap *s, struct report *r);
void rules_fs_inodes(
    const struct conf *c, const struct snap *s, struct report *r);
void rules_process_count(
    const struct conf *c, const struct snap *s, struct report *r);

/*
 * Severity of value against a threshold: "above" checks (warn < crit)
 * fire when value > threshold, "below" checks (low) when value < threshold.
 * NAN thresholds never fire.
 */
int rules_level(double value, double warn, double crit, int low);

#endif
