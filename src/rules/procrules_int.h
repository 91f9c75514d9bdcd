/*
 * procrules_int.h - what the process checks' files share.
 */
#ifndef RULES_PROCRULES_INT_H
#define RULES_PROCRULES_INT_H

struct conf;

/* name matches the built-in patterns or an "allow" value of check. */
int procrules_allowed(const struct conf *c, const char *check, const char *name,
    const char *const *builtin);
/* The last component of path. */
const char *procrules_base(const char *path);
/* The check is not disabled in the configuration. */
int procrules_enabled(const struct conf *c, const char *check);

#endif
