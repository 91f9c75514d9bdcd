/*
 * esc.c - escaping for terminals, mails and pages (see esc.h).
 */
#include "base/esc.h"

#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"

size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) act as escapes on some terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

int
esc_text(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + n;

	while (p < end) {
		const unsigned char *run = p;

		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '\\')
			p++;
		if (p > run && strbuf_add(sb, run, (size_t)(p - run)) == -1)
			return -1;
		if (p >= end)
			break;
		if (*p == '\\') {
			if (strbuf_add(sb, "\\\\", 2) == -1)
				return -1;
			p++;
			continue;
		}
		if (*p >= 0x80) {
			size_t l = utf8_seq_len(p, (size_t)(end - p));

			if (l > 0) {
				if (strbuf_add(sb, p, l) == -1)
					return -1;
				p += l;
				continue;
			}
		}
		if (strbuf_printf(sb, "\\x%02x", *p) == -1)
			return -1;
		p++;
	}
	return 0;
}

void
esc_text_buf(char *dst, size_t dstsz, const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT(0);
	size_t len;

	if (dstsz == 0)
		return;
	sb.max = dstsz * 4 + 16;
	/* A failure leaves what fitted; we cut below anyway. */
	esc_text(&sb, s, n > dstsz * 4 ? dstsz * 4 : n);
	len = sb.len < dstsz - 1 ? sb.len : dstsz - 1;
	/* Do not cut inside a \xNN or a UTF-8 sequence. */
	while (len > 0 && len < sb.len &&
	    (((unsigned char)sb.p[len] & 0xc0) == 0x80))
		len--;
	if (len)
		memcpy(dst, sb.p, len);
	dst[len] = '\0';
	strbuf_release(&sb);
}

int
esc_html(struct strbuf *sb, const char *s, size_t n)
{
	struct strbuf tmp = STRBUF_INIT(0);
	int rc = 0;

	tmp.max = sb->max;
	if (esc_text(&tmp, s, n) == -1) {
		strbuf_release(&tmp);
		return -1;
	}
	for (size_t i = 0; i < tmp.len && rc == 0; i++) {
		switch (tmp.p[i]) {
		case '&':
			rc = strbuf_adds(sb, "&amp;");
			break;
		case '<':
			rc = strbuf_adds(sb, "&lt;");
			break;
		case '>':
			rc = strbuf_adds(sb, "&gt;");
			break;
		case '"':
			rc = strbuf_adds(sb, "&quot;");
			break;
		case '\'':
			rc = strbuf_adds(sb, "&#39;");
			break;
		default:
			rc = strbuf_addc(sb, tmp.p[i]);
		}
	}
	strbuf_release(&tmp);
	return rc;
}

int
text_is_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		if (*p < 0x80) {
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		size_t l = utf8_seq_len(p, (size_t)(end - p));
		if (l == 0)
			return 0;
		p += l;
	}
	return 1;
}
