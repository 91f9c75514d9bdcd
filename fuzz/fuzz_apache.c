/*
 * fuzz_apache.c - libFuzzer target: the Apache configuration reader, the
 * limits, the document roots and the audit never crash or leak on any
 * text, and every error names its file:line.  Includes are not followed
 * (no_include), so the target reads no files.  The same text is parsed as
 * the .htaccess of /fuzz too, which the audit applies where the text
 * (ScriptAlias ... /fuzz/, AllowOverride) makes it count.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apache/apache.h"
#include "base/finding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apache_opts o;
	struct apache_conf c;
	struct apache_limits l;
	struct apache_docroot dr[8];
	struct report r;
	int rc;

	memset(&o, 0, sizeof(o));
	o.envvars = "";
	o.no_include = 1;
	rc = apache_conf_load_string(
	    &c, "fuzz.conf", (const char *)data, size, &o);
	if (rc == -1 && c.nerrs == 0 && c.errs_dropped == 0)
		abort();
	if (apache_htaccess_parse(
	        &c, "/fuzz", "/fuzz/.htaccess", (const char *)data, size) != 0)
		abort();
	for (size_t i = 0; i < c.nerrs; i++)
		if (strncmp(c.errs[i], "fuzz.conf:", 10) != 0 &&
		    strncmp(c.errs[i], "/fuzz/.htaccess:", 16) != 0)
			abort();
	apache_limits(&c, &l);
	apache_docroots(&c, dr, 8);
	report_init(&r);
	apache_audit(&c, &r);
	report_release(&r);
	apache_conf_release(&c);
	return 0;
}
