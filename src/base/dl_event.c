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

/* X(name): every function forwarded below, in one list. */
#define EVENT_FUNCS(X)                                                         \
	X(bufferevent_disable)                                                 \
	X(bufferevent_enable)                                                  \
	X(bufferevent_free)                                                    \
	X(bufferevent_get_input)                                               \
	X(bufferevent_get_output)                                              \
	X(bufferevent_set_timeouts)                                            \
	X(bufferevent_setcb)                                                   \
	X(bufferevent_setwatermark)                                            \
	X(bufferevent_socket_new)                                              \
	X(bufferevent_write)                                                   \
	X(evbuffer_get_length)                                                 \
	X(evbuffer_readln)                                                     \
	X(event_add)                                                           \
	X(event_base_dispatch)                                                 \
	X(event_base_free)                                                     \
	X(event_base_loopbreak)                                                \
	X(event_base_new)                                                      \
	X(event_free)                                                          \
	X(event_new)                                                           \
	X(evconnlistener_free)                                                 \
	X(evconnlistener_get_base)                                             \
	X(evconnlistener_new)                                                  \
	X(evutil_closesocket)

DYNLIB_DEFINE(EVENT_FUNCS, DL_EVENT_SONAME, "libevent-core-2.1-7", event);

int
bufferevent_disable(struct bufferevent *bev, short event)
{
	return DYNLIB_REAL(bufferevent_disable)(bev, event);
}

int
bufferevent_enable(struct bufferevent *bev, short event)
{
	return DYNLIB_REAL(bufferevent_enable)(bev, event);
}

void
bufferevent_free(struct bufferevent *bev)
{
	DYNLIB_REAL(bufferevent_free)(bev);
}

struct evbuffer *
bufferevent_get_input(struct bufferevent *bev)
{
	return DYNLIB_REAL(bufferevent_get_input)(bev);
}

struct evbuffer *
bufferevent_get_output(struct bufferevent *bev)
{
	return DYNLIB_REAL(bufferevent_get_output)(bev);
}

int
bufferevent_set_timeouts(struct bufferevent *bev,
    const struct timeval *timeout_read, const struct timeval *timeout_write)
{
	return DYNLIB_REAL(bufferevent_set_timeouts)(
	    bev, timeout_read, timeout_write);
}

void
bufferevent_setcb(struct bufferevent *bufev, bufferevent_data_cb readcb,
    bufferevent_data_cb writecb, bufferevent_event_cb eventcb, void *cbarg)
{
	DYNLIB_REAL(bufferevent_setcb)(bufev, readcb, writecb, eventcb, cbarg);
}

void
bufferevent_setwatermark(
    struct bufferevent *bufev, short events, size_t lowmark, size_t highmark)
{
	DYNLIB_REAL(bufferevent_setwatermark)(bufev, events, lowmark, highmark);
}

struct bufferevent *
bufferevent_socket_new(struct event_base *base, evutil_socket_t fd, int options)
{
	return DYNLIB_REAL(bufferevent_socket_new)(base, fd, options);
}

int
bufferevent_write(struct bufferevent *bufev, const void *data, size_t size)
{
	return DYNLIB_REAL(bufferevent_write)(bufev, data, size);
}

size_t
evbuffer_get_length(const struct evbuffer *buf)
{
	return DYNLIB_REAL(evbuffer_get_length)(buf);
}

char *
evbuffer_readln(struct evbuffer *buffer, size_t *n_read_out,
    enum evbuffer_eol_style eol_style)
{
	return DYNLIB_REAL(evbuffer_readln)(buffer, n_read_out, eol_style);
}

int
event_add(struct event *ev, const struct timeval *timeout)
{
	return DYNLIB_REAL(event_add)(ev, timeout);
}

int
event_base_dispatch(struct event_base *base)
{
	return DYNLIB_REAL(event_base_dispatch)(base);
}

void
event_base_free(struct event_base *base)
{
	DYNLIB_REAL(event_base_free)(base);
}

int
event_base_loopbreak(struct event_base *base)
{
	return DYNLIB_REAL(event_base_loopbreak)(base);
}

struct event_base *
event_base_new(void)
{
	return DYNLIB_REAL(event_base_new)();
}

void
event_free(struct event *ev)
{
	DYNLIB_REAL(event_free)(ev);
}

struct event *
event_new(struct event_base *base, evutil_socket_t fd, short events,
    event_callback_fn callback, void *callback_arg)
{
	return DYNLIB_REAL(event_new)(base, fd, events, callback, callback_arg);
}

void
evconnlistener_free(struct evconnlistener *lev)
{
	DYNLIB_REAL(evconnlistener_free)(lev);
}

struct event_base *
evconnlistener_get_base(struct evconnlistener *lev)
{
	return DYNLIB_REAL(evconnlistener_get_base)(lev);
}

struct evconnlistener *
evconnlistener_new(struct event_base *base, evconnlistener_cb cb, void *ptr,
    unsigned flags, int backlog, evutil_socket_t fd)
{
	return DYNLIB_REAL(evconnlistener_new)(
	    base, cb, ptr, flags, backlog, fd);
}

int
evutil_closesocket(evutil_socket_t sock)
{
	return DYNLIB_REAL(evutil_closesocket)(sock);
}
