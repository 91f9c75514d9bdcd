/*
 * conf_of.h - for unit tests: a configuration parsed from a string (the
 * test fails if it does not load).  Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_CONF_OF_H
#define TESTS_UNIT_CONF_OF_H

#include <string.h>

#include "conf/conf.h"
#include "conf/conf_int.h"

static struct conf *
conf_of(const char *text)
{
	static struct conf c;
	struct conf_errs errs = {0};

	conf_init(&c);
	assert_int_equal(
	    conf_load_string(&c, "t", text, strlen(text), &errs), 0);
	conf_errs_release(&errs);
	return &c;
}

#endif
