/*
 * fuzz_dash_form.c - libFuzzer target: a POST body to the dashboard
 * (from the network) is read field by field without reading out of
 * bounds; a field found is NUL-terminated within its buffer and holds no
 * NUL, and a value too long for its buffer is refused, never cut; the
 * same bytes as a Host or Origin header are judged without reading past
 * their end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/dash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
	    "csrf", "prefix", "check", "subject", "for", ""};
	char v[64], *host;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int rc;

		memset(v, 'x', sizeof(v));
		rc = dash_form_get(
		    (const char *)data, size, keys[i], v, sizeof(v));
		if (rc < -1 || rc > 1)
			abort();
		if (rc == 1 && memchr(v, '\0', sizeof(v)) == NULL)
			abort();
		if (rc == 0 && v[0] != '\0')
			abort();
	}
	if ((host = malloc(size + 1)) == NULL)
		return 0;
	memcpy(host, data, size);
	host[size] = '\0';
	(void)dash_host_ok(host);
	free(host);
	return 0;
}
