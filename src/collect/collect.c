/*
 * collect.c - the readers' shared edge (see collect_int.h).
 */
#include <errno.h>
#include <limits.h>

#include "base/err.h"
#include "base/fileio.h"
#include "collect/collect_int.h"

int
collect_file(const char *root, const char *rel, size_t max, struct strbuf *sb,
    struct err *err)
{
	char path[PATH_MAX];

	if (path_join(path, sizeof(path), root, rel) == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", rel);
	return file_read(path, max, sb, NULL, err);
}

int
collect_is_pid(const char *name)
{
	if (*name == '\0' || *name == '0')
		return 0;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return 0;
	return 1;
}
