/*
 * dl_event.c - the libevent functions the agent calls (its event loop,
 * signals, timers and control socket), loaded from libevent_core at
 * their first call (see dynlib.h): linking it would cost every other
 * command's start-up as much again as the rest of it.  The declarations
 * are libevent's own, so a changed signature fails the build.
 */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "base/dynlib.h"

#ifndef DL_EVENT_SONAME
#define DL_EVENT_SONAME "libevent_core-2.1.so.7"
#endif

/* Every function forwarded, once, with its signature (see dynlib.h). */
/* clang-format off */
#define EVENT_FUNCS(X, V) \
	X(int, bufferevent_disable, \
	    (struct bufferevent *bev, short event), \
	    (bev, event)) \
	X(int, bufferevent_enable, \
	    (struct bufferevent *bev, short event), \
	    (bev, event)) \
	V(bufferevent_free, (struct bufferevent *bev), (bev)) \
	X(struct evbuffer *, bufferevent_get_input, \
	    (struct bufferevent *bev), \
	    (bev)) \
	X(struct evbuffer *, bufferevent_get_output, \
	    (struct bufferevent *bev), \
	    (bev)) \
	X(int, bufferevent_set_timeouts, \
	    (struct bufferevent *bev, const struct timeval *timeout_read, \
	    const struct timeval *timeout_write), \
	    (bev, timeout_read, timeout_write)) \
	V(bufferevent_setcb, \
	    (struct bufferevent *bufev, bufferevent_data_cb readcb, \
	    bufferevent_data_cb writecb, bufferevent_event_cb eventcb, void \
	    *cbarg), \
	    (bufev, readcb, writecb, eventcb, cbarg)) \
	V(bufferevent_setwatermark, \
	    (struct bufferevent *bufev, short events, size_t lowmark, size_t \
	    highmark), \
	    (bufev, events, lowmark, highmark)) \
	X(struct bufferevent *, bufferevent_socket_new, \
	    (struct event_base *base, evutil_socket_t fd, int options), \
	    (base, fd, options)) \
	X(int, bufferevent_write, \
	    (struct bufferevent *bufev, const void *data, size_t size), \
	    (bufev, data, size)) \
	X(size_t, evbuffer_get_length, (const struct evbuffer *buf), (buf)) \
	X(char *, evbuffer_readln, \
	    (struct evbuffer *buffer, size_t *n_read_out, enum \
	    evbuffer_eol_style eol_style), \
	    (buffer, n_read_out, eol_style)) \
	X(int, event_add, \
	    (struct event *ev, const struct timeval *timeout), \
	    (ev, timeout)) \
	X(int, event_base_dispatch, (struct event_base *base), (base)) \
	X(int, event_del, (struct event *ev), (ev)) \
	V(event_base_free, (struct event_base *base), (base)) \
	X(int, event_base_loopbreak, (struct event_base *base), (base)) \
	X(struct event_base *, event_base_new, (void), ()) \
	V(event_free, (struct event *ev), (ev)) \
	X(struct event *, event_new, \
	    (struct event_base *base, evutil_socket_t fd, short events, \
	    event_callback_fn callback, void *callback_arg), \
	    (base, fd, events, callback, callback_arg)) \
	V(evconnlistener_free, (struct evconnlistener *lev), (lev)) \
	X(struct event_base *, evconnlistener_get_base, \
	    (struct evconnlistener *lev), \
	    (lev)) \
	X(struct evconnlistener *, evconnlistener_new, \
	    (struct event_base *base, evconnlistener_cb cb, void *ptr, \
	    unsigned flags, int backlog, evutil_socket_t fd), \
	    (base, cb, ptr, flags, backlog, fd)) \
	X(int, evutil_closesocket, (evutil_socket_t sock), (sock))
/* clang-format on */

DYNLIB_DEFINE(EVENT_FUNCS, DL_EVENT_SONAME, "libevent-core-2.1-7", event);
DYNLIB_FORWARD(EVENT_FUNCS)
