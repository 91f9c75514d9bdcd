/*
 * rm_tree.h - for unit tests: removes a temporary directory tree (rm -r,
 * without following links; the test fails if it cannot).  Include after
 * <cmocka.h>.
 */
#ifndef TESTS_UNIT_RM_TREE_H
#define TESTS_UNIT_RM_TREE_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static int
rm_tree_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void
rm_tree(const char *dir)
{
	assert_int_equal(nftw(dir, rm_tree_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

#endif
