/*
 * dynlib.c - loads a shared library and its symbols once (see dynlib.h).
 */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static void
fail(const struct dynlib *l, const char *what)
{
	fprintf(stderr, "sakimori: cannot load %s (Debian package %s): %s\n",
	    l->soname, l->package, what != NULL ? what : "unknown error");
	exit(127);
}

void
dynlib_load(struct dynlib *l)
{
	void *h;
	size_t i;

	pthread_mutex_lock(&load_lock);
	if (!__atomic_load_n(&l->ready, __ATOMIC_ACQUIRE)) {
		h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL)
			fail(l, dlerror());
		for (i = 0; l->names[i] != NULL; i++) {
			l->fns[i] = dlsym(h, l->names[i]);
			if (l->fns[i] == NULL)
				fail(l, dlerror());
		}
		__atomic_store_n(&l->ready, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&load_lock);
}
