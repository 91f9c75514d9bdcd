/*
 * hostport.c - "HOST:PORT" split (see hostport.h).
 */
#include "base/hostport.h"

#include <errno.h>
#include <string.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"

int
hostport_parse(const char *s, char *host, size_t hostsz, char *port,
    size_t portsz, struct err *err)
{
	const char *cur = s, *end = s + strlen(s), *h, *colon;
	size_t hlen;
	uint64_t p;

	if (cur_char(&cur, end, '[') == 0) {
		hlen = cur_until(&cur, end, ']', &h);
		if (cur_lit(&cur, end, "]:") == -1)
			return err_set(err, EINVAL,
			    "'%s' is not HOST:PORT or [ADDRESS]:PORT", s);
	} else {
		h = cur;
		if ((colon = strrchr(s, ':')) == NULL ||
		    memchr(s, ':', (size_t)(colon - s)) != NULL)
			return err_set(err, EINVAL,
			    "'%s' is not HOST:PORT or [ADDRESS]:PORT", s);
		hlen = (size_t)(colon - h);
		cur = colon + 1;
	}
	if (cur_u64(&cur, end, &p) == -1 || cur != end || p == 0 || p > 65535)
		return err_set(err, EINVAL,
		    "'%s': the port is not a number from 1 to 65535", s);
	if (hlen == 0 || hlen >= hostsz)
		return err_set(err, EINVAL, "'%s': no host, or too long", s);
	for (size_t i = 0; i < hlen; i++)
		if ((unsigned char)h[i] <= ' ' || h[i] == '[' || h[i] == ']' ||
		    h[i] == 0x7f)
			return err_set(err, EINVAL,
			    "'%s': the host has a space, a control "
			    "character or a bracket",
			    s);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	str_printf(port, portsz, "%u", (unsigned)p);
	return 0;
}
