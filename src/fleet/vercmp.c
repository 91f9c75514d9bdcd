/*
 * vercmp.c - Debian's version order (deb-version(7)), as dpkg compares:
 * the epoch as a number, then upstream version and revision each in
 * turns of non-digits (letters before non-letters, '~' before all, even
 * the end) and digits (as numbers).
 */
#include "fleet/fleet.h"

#include <string.h>

static int
order(char c)
{
	if (c >= '0' && c <= '9')
		return 0;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return c;
	if (c == '~')
		return -1;
	if (c != '\0')
		return c + 256;
	return 0;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* Compares the parts [a, ae) and [b, be). */
static int
part(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae || b < be) {
		int diff = 0;

		while ((a < ae && !isdig(*a)) || (b < be && !isdig(*b))) {
			int ac = a < ae ? order(*a) : 0;
			int bc = b < be ? order(*b) : 0;

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && isdig(*a) && b < be && isdig(*b)) {
			if (!diff)
				diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && isdig(*a))
			return 1;
		if (b < be && isdig(*b))
			return -1;
		if (diff)
			return diff;
	}
	return 0;
}

struct ver {
	unsigned long long epoch;
	const char *up, *upe, *rev, *reve;
};

static void
split(const char *s, struct ver *v)
{
	const char *colon = strchr(s, ':'), *dash, *end = s + strlen(s);

	v->epoch = 0;
	if (colon != NULL && colon > s &&
	    strspn(s, "0123456789") == (size_t)(colon - s)) {
		for (const char *p = s; p < colon; p++)
			if (v->epoch < 1000000000ULL)
				v->epoch = v->epoch * 10 + (unsigned)(*p - '0');
		s = colon + 1;
	}
	dash = strrchr(s, '-');
	v->up = s;
	v->upe = dash ? dash : end;
	v->rev = dash ? dash + 1 : end;
	v->reve = end;
}

int
fleet_vercmp(const char *a, const char *b)
{
	struct ver x, y;
	int r;

	split(a, &x);
	split(b, &y);
	if (x.epoch != y.epoch)
		return x.epoch < y.epoch ? -1 : 1;
	if ((r = part(x.up, x.upe, y.up, y.upe)) != 0)
		return r;
	return part(x.rev, x.reve, y.rev, y.reve);
}
