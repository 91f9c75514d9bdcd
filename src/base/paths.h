/*
 * paths.h - where sakimori keeps its configuration and state.
 *
 * As root: SYSCONFDIR/sakimori/sakimori.conf (SAKIMORI_CONFIG_FILE from
 * meson: /etc with prefix /usr, /usr/local/etc with the default prefix,
 * where the example is installed), /var/lib/sakimori and /run/sakimori
 * (FHS, whatever the install prefix).  As another user:
 * $XDG_CONFIG_HOME/sakimori/sakimori.conf, $XDG_STATE_HOME/sakimori
 * (~/.config and ~/.local/state when unset) and $XDG_RUNTIME_DIR/sakimori.
 * The command line (-f, --state-dir, --run-dir) wins over the environment
 * (SAKIMORI_CONFIG, SAKIMORI_STATE_DIR, SAKIMORI_RUN_DIR), which wins
 * over these defaults.
 */
#ifndef BASE_PATHS_H
#define BASE_PATHS_H

#include <stddef.h>

struct err;

/* The configuration file to read; *explicit set to 1 when the user named it. */
int paths_config(
    char *dst, size_t dstsz, const char *opt, int *explicit_, struct err *err);
/* The state directory (not created). */
int paths_state_dir(char *dst, size_t dstsz, const char *opt, struct err *err);
/* The run directory: the agent's control socket (not created). */
int paths_run_dir(char *dst, size_t dstsz, const char *opt, struct err *err);
/*
 * A file inside the state directory, creating the directory (0700) if
 * needed and checking it (statedir_dir).
 */
int paths_state_file(char *dst, size_t dstsz, const char *state_dir,
    const char *name, struct err *err);

#endif
