/*
 * dl_seccomp.c - the libseccomp functions the agent calls when it builds
 * a child's system-call filter (src/agent/seccomp.c), loaded from
 * libseccomp at their first call (see dynlib.h), so that no other
 * command pays for loading it.  The declarations are libseccomp's own,
 * so a changed signature fails the build.
 */
#include <stddef.h>

#include <seccomp.h>

#include "base/dynlib.h"

#ifndef DL_SECCOMP_SONAME
#define DL_SECCOMP_SONAME "libseccomp.so.2"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define SECCOMP_FUNCS(X, V)                                                    \
	X(int, seccomp_attr_set,                                               \
	    (scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value), \
	    (ctx, attr, value))                                                \
	X(scmp_filter_ctx, seccomp_init, (uint32_t def_action), (def_action))  \
	X(int, seccomp_load, (const scmp_filter_ctx ctx), (ctx))               \
	V(seccomp_release, (scmp_filter_ctx ctx), (ctx))                       \
	X(int, seccomp_rule_add_array,                                         \
	    (scmp_filter_ctx ctx, uint32_t action, int syscall,                \
	        unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array),   \
	    (ctx, action, syscall, arg_cnt, arg_array))                        \
	X(char *, seccomp_syscall_resolve_num_arch,                            \
	    (uint32_t arch_token, int num), (arch_token, num))
/* clang-format on */

DYNLIB_DEFINE(SECCOMP_FUNCS, DL_SECCOMP_SONAME, "libseccomp2", seccomp);
DYNLIB_FORWARD(SECCOMP_FUNCS)
