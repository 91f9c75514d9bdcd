/*
 * dl_cap.c - the libcap functions the agent calls when it drops a
 * child's capabilities (src/agent/child.c), loaded from libcap at their
 * first call (see dynlib.h), so that no other command pays for loading
 * it.  The declarations are libcap's own, so a changed signature fails
 * the build.
 */
#include <stddef.h>
#include <sys/capability.h>

#include "base/dynlib.h"

#ifndef DL_CAP_SONAME
#define DL_CAP_SONAME "libcap.so.2"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define CAP_FUNCS(X, V)                                                        \
	X(int, cap_drop_bound, (cap_value_t cap), (cap))                       \
	X(int, cap_free, (void *p), (p))                                       \
	X(cap_t, cap_init, (void), ())                                         \
	X(cap_value_t, cap_max_bits, (void), ())                               \
	X(int, cap_reset_ambient, (void), ())                                  \
	X(int, cap_set_proc, (cap_t c), (c))
/* clang-format on */

DYNLIB_DEFINE(CAP_FUNCS, DL_CAP_SONAME, "libcap2", cap);
DYNLIB_FORWARD(CAP_FUNCS)
