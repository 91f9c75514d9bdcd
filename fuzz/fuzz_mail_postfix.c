/*
 * fuzz_mail_postfix.c - libFuzzer target: the postfix log parser never reads
 * outside its input and every span it returns points into it.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_mail_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum mail_kind
smtpd(const char *p, size_t n, struct mail_event *ev)
{
	return mail_parse_postfix("smtpd", 5, p, n, ev);
}

static enum mail_kind
bounce(const char *p, size_t n, struct mail_event *ev)
{
	return mail_parse_postfix("bounce", 6, p, n, ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(data, size, smtpd);
	return fuzz_parse(data, size, bounce);
}
