/*
 * schema.c - what the configuration may say: the global settings and the
 * checks with their built-in thresholds and extra keys.  A module that adds
 * a check or a setting adds its entry here, and conf_threshold() and
 * conf_dump() know it from then on.
 */
#include <math.h>
#include <string.h>

#include "conf/conf_int.h"

static const struct schema_key load_keys[] = {
    {"per-cpu", SK_BOOL},
    {"average", SK_NUM}, /* 1, 5 or 15 minutes */
    {NULL, 0},
};

static const struct schema_key fs_keys[] = {
    {"ignore", SK_LIST}, /* mount points or fstypes to skip */
    {NULL, 0},
};

static const struct schema_key none_keys[] = {
    {NULL, 0},
};

const struct schema_check schema_checks[] = {
    {"load", "load average per CPU above the threshold", 0, 1.00, 2.00,
        load_keys},
    {"swap-activity", "pages swapped in or out per second above the threshold",
        0, 0, NAN, none_keys},
    {"memory", "available memory below the threshold (percent of total)", 0, 10,
        5, none_keys},
    {"fs-blocks", "filesystem space used above the threshold (percent)", 1, 90,
        95, fs_keys},
    {"fs-inodes", "filesystem inodes used above the threshold (percent)", 1, 90,
        95, fs_keys},
    {"process-count", "processes of one name above the threshold", 1, NAN, NAN,
        none_keys},
};
const size_t schema_nchecks = sizeof(schema_checks) / sizeof(schema_checks[0]);

const struct schema_setting schema_settings[] = {
    {"state-dir", SK_STR, "where state is kept"},
    {"mail-to", SK_STR, "address that gets reports and alerts"},
    {"mail-from", SK_STR, "sender address of sakimori's mail"},
    {"sendmail", SK_STR, "the sendmail interface program"},
    {"interval", SK_DUR, "sampling interval for rates"},
    {"hostname", SK_STR, "name to report instead of the host name"},
};
const size_t schema_nsettings =
    sizeof(schema_settings) / sizeof(schema_settings[0]);

const struct schema_check *
schema_check_find(const char *name)
{
	for (size_t i = 0; i < schema_nchecks; i++)
		if (strcmp(schema_checks[i].name, name) == 0)
			return &schema_checks[i];
	return NULL;
}

const struct schema_setting *
schema_setting_find(const char *name)
{
	for (size_t i = 0; i < schema_nsettings; i++)
		if (strcmp(schema_settings[i].name, name) == 0)
			return &schema_settings[i];
	return NULL;
}
