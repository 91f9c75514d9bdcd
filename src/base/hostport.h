/*
 * hostport.h - a server given as "HOST:PORT" or "[V6ADDR]:PORT".
 */
#ifndef BASE_HOSTPORT_H
#define BASE_HOSTPORT_H

#include <stddef.h>

struct err;

/*
 * Splits s into host (a name or an address, without brackets; no space,
 * control character or bracket in it) and port (1-65535, as digits).  0, or -1 with err ("'x' is not HOST:PORT ...").
 */
int hostport_parse(const char *s, char *host, size_t hostsz, char *port,
    size_t portsz, struct err *err);

#endif
