/*
 * query.c - an instant query to Prometheus's HTTP API with libcurl
 * (see prom.h): GET URL/api/v1/query?query=Q, the answer bounded, then
 * parsed.  Prometheus answers its errors (a bad query: 400, 422) with
 * the API's JSON, which says why; other HTTP errors mean something else
 * answered at that address.
 */
#include "fleet/prom.h"

#include <string.h>

#include <curl/curl.h>

#include "base/dynlib.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/strbuf.h"

struct body {
	struct strbuf sb;
	int over; /* more than PROM_MAX_BODY */
};

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct body *b = arg;

	if (b->sb.len + n > PROM_MAX_BODY) {
		b->over = 1;
		return 0;
	}
	strbuf_add(&b->sb, p, n);
	return strbuf_failed(&b->sb) ? 0 : size * n;
}

int
prom_query(const char *url, const char *q, long timeout, struct prom_vec *v,
    struct err *err)
{
	struct body b = {STRBUF_INIT(PROM_MAX_BODY), 0};
	struct strbuf full = STRBUF_INIT(8192);
	char shown[256];
	long status = 0;
	char *eq = NULL;
	CURL *c;
	CURLcode rc;
	int ret = -1;
	size_t ul = strlen(url);

	esc_text_buf(shown, sizeof(shown), url, ul);
	if (dynlib_require(DYNLIB_CURL, err) == -1) {
		err->code = PROM_UNREACHABLE;
		return -1;
	}
	if ((c = curl_easy_init()) == NULL ||
	    (eq = curl_easy_escape(c, q, 0)) == NULL) {
		err_set(err, PROM_UNREACHABLE, "cannot ask '%s': out of memory",
		    shown);
		goto out;
	}
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	strbuf_printf(&full, "%.*s/api/v1/query?query=%s", (int)ul, url, eq);
	if (strbuf_failed(&full)) {
		err_set(err, PROM_UNREACHABLE, "'%s': the query is too long",
		    shown);
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, strbuf_str(&full));
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sakimori-fleet");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		if (b.over)
			err_set(err, PROM_GARBAGE,
			    "'%s' answered more than %u MiB", shown,
			    PROM_MAX_BODY >> 20);
		else
			err_set(err, PROM_UNREACHABLE, "cannot ask '%s': %s",
			    shown, curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (prom_parse(b.sb.p ? b.sb.p : "", b.sb.len, v, err) == 0) {
		ret = 0;
		goto out;
	}
	if (err->code == PROM_REFUSED)
		err_prefix(err, "'%s' refused the query", shown);
	else if (status != 200) {
		err_set(err, PROM_UNREACHABLE,
		    "'%s' answered HTTP %ld: is it Prometheus?", shown, status);
	} else
		err_prefix(err,
		    "'%s' answered something that is not Prometheus's API",
		    shown);
out:
	if (eq != NULL)
		curl_free(eq);
	if (c != NULL)
		curl_easy_cleanup(c);
	strbuf_release(&b.sb);
	strbuf_release(&full);
	return ret;
}
