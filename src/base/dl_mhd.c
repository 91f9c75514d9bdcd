/*
 * dl_mhd.c - the libmicrohttpd functions the agent's HTTP side calls
 * (/metrics), loaded from libmicrohttpd at their first call (see
 * dynlib.h): only the agent serves HTTP, and only when it listens.  The
 * declarations are the library's own, so a changed signature fails the
 * build.
 */
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "base/dynlib.h"

#ifndef DL_MHD_SONAME
#define DL_MHD_SONAME "libmicrohttpd.so.12"
#endif

/*
 * Every function called, once, with its signature (see dynlib.h): those
 * forwarded as they are, and MHD_get_daemon_info, variadic, by hand.
 */
/* clang-format off */
#define MHD_FWD_FUNCS(X, V) \
	X(struct MHD_Daemon *, MHD_start_daemon_va, \
	    (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, \
	    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, \
	    va_list ap), \
	    (flags, port, apc, apc_cls, dh, dh_cls, ap)) \
	V(MHD_stop_daemon, (struct MHD_Daemon *daemon), (daemon)) \
	X(enum MHD_Result, MHD_run, (struct MHD_Daemon *daemon), (daemon)) \
	X(enum MHD_Result, MHD_get_timeout, \
	    (struct MHD_Daemon *daemon, MHD_UNSIGNED_LONG_LONG *timeout), \
	    (daemon, timeout)) \
	X(const char *, MHD_lookup_connection_value, \
	    (struct MHD_Connection *connection, enum MHD_ValueKind kind, \
	    const char *key), \
	    (connection, kind, key)) \
	X(struct MHD_Response *, MHD_create_response_from_buffer, \
	    (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), \
	    (size, buffer, mode)) \
	X(enum MHD_Result, MHD_add_response_header, \
	    (struct MHD_Response *response, const char *header, \
	    const char *content), \
	    (response, header, content)) \
	X(enum MHD_Result, MHD_queue_response, \
	    (struct MHD_Connection *connection, unsigned int status_code, \
	    struct MHD_Response *response), \
	    (connection, status_code, response)) \
	V(MHD_destroy_response, (struct MHD_Response *response), (response)) \
	X(enum MHD_Result, MHD_is_feature_supported, \
	    (enum MHD_FEATURE feature), \
	    (feature))
#define MHD_FUNCS(X, V) \
	MHD_FWD_FUNCS(X, V) \
	X(const union MHD_DaemonInfo *, MHD_get_daemon_info, \
	    (struct MHD_Daemon *daemon, enum MHD_DaemonInfoType info_type, \
	    ...), \
	    (daemon, info_type))
/* clang-format on */

DYNLIB_DEFINE(MHD_FUNCS, DL_MHD_SONAME, "libmicrohttpd12", mhd);
DYNLIB_FORWARD(MHD_FWD_FUNCS)

/* MHD_start_daemon is variadic: its options go through the va_list form. */
struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
    MHD_AcceptPolicyCallback apc, void *apc_cls, MHD_AccessHandlerCallback dh,
    void *dh_cls, ...)
{
	struct MHD_Daemon *d;
	va_list ap;

	va_start(ap, dh_cls);
	d = MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

/* Only the queries without an argument are asked (the epoll fd). */
const union MHD_DaemonInfo *
MHD_get_daemon_info(
    struct MHD_Daemon *daemon, enum MHD_DaemonInfoType info_type, ...)
{
	return DYNLIB_REAL(MHD_get_daemon_info)(daemon, info_type);
}
