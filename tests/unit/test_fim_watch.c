/*
 * test_fim_watch.c - the web-root watch on a real inotify in a temporary
 * directory: a new executable in a directory made after the watch began,
 * a rewritten page, an image that is not reported, the cap on watches.
 */
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rm_tree.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/timeutil.h"
#include "fim/watch.h"

static void
put(const char *path, const char *text, mode_t mode, int trunc)
{
	int fd =
	    open(path, O_WRONLY | O_CREAT | (trunc ? O_TRUNC : O_EXCL), mode);

	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/*
 * Runs the watch as an event loop would for up to secs seconds, or until
 * a finding; how long it took (secs + 1 when nothing came).
 */
static double
run(struct watch *w, struct report *r, double secs)
{
	double t0 = clock_mono(), left;

	while ((left = secs - (clock_mono() - t0)) > 0) {
		struct pollfd pfd = {watch_fd(w), POLLIN, 0};
		double t = watch_timeout(w);

		if (t < 0 || t > left)
			t = left;
		poll(&pfd, 1, (int)(t * 1000) + 1);
		if (watch_step(w, r) > 0)
			return clock_mono() - t0;
	}
	return secs + 1;
}

static void
watch_events(void **state)
{
	char root[] = "/tmp/test_fim_watch.XXXXXX", sub[128], deep[128],
	     exe[160], page[128], img[160], mode[16];
	const char *roots[1] = {root};
	struct watch *w;
	struct report r;
	struct err err = {0};
	double took;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(page, sizeof(page), "%s/index.html", root);
	put(page, "<p>hello</p>\n", 0644, 0);
	w = watch_open(roots, 1, NULL, &err);
	if (w == NULL)
		fail_msg("watch_open: %s", err.msg);
	assert_int_equal(watch_count(w), 1);
	report_init(&r);

	/* Nothing happened: nothing reported. */
	assert_true(run(w, &r, 0.3) > 0.3);
	assert_int_equal(r.nf, 0);

	/* A shell dropped into directories made after the watch began. */
	snprintf(sub, sizeof(sub), "%s/uploads", root);
	snprintf(deep, sizeof(deep), "%s/uploads/2026", root);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(mkdir(deep, 0755), 0);
	snprintf(exe, sizeof(exe), "%s/x.cgi", deep);
	put(exe, "#!/bin/sh\necho pwned\n", 0755, 0);
	took = run(w, &r, 2.0);
	assert_true(took <= 2.0);
	assert_int_equal(r.nf, 1);
	assert_string_equal(r.f[0].check, "web-new-executable");
	assert_int_equal(r.f[0].sev, SEV_CRITICAL);
	assert_string_equal(r.f[0].subject, exe);
	assert_string_equal(finding_ev_get(&r.f[0], "path"), exe);
	assert_string_equal(finding_ev_get(&r.f[0], "mode"), "0755");
	assert_string_equal(finding_ev_get(&r.f[0], "size"), "21");
	assert_non_null(finding_ev_get(&r.f[0], "owner"));
	assert_non_null(finding_ev_get(&r.f[0], "mtime"));
	/* Reported once: the directory scan and the events agree. */
	assert_true(run(w, &r, 1.0) > 1.0);
	assert_int_equal(r.nf, 1);
	assert_int_equal(watch_count(w), 3);

	/* A page rewritten. */
	put(page, "<p>defaced</p>\n", 0644, 1);
	assert_true(run(w, &r, 2.0) <= 2.0);
	assert_int_equal(r.nf, 2);
	assert_string_equal(r.f[1].check, "web-page-changed");
	assert_int_equal(r.f[1].sev, SEV_WARNING);
	assert_string_equal(r.f[1].subject, page);
	assert_string_equal(finding_ev_get(&r.f[1], "size"), "15");

	/* A plain image, new or rewritten: not reported. */
	snprintf(img, sizeof(img), "%s/logo.png", sub);
	put(img, "\x89PNG\r\n", 0644, 0);
	put(img, "\x89PNG\r\n\x1a\n", 0644, 1);
	assert_true(run(w, &r, 1.0) > 1.0);
	assert_int_equal(r.nf, 2);

	/* ... until it is made executable. */
	assert_int_equal(chmod(img, 0755), 0);
	assert_true(run(w, &r, 2.0) <= 2.0);
	assert_int_equal(r.nf, 3);
	assert_string_equal(r.f[2].check, "web-new-executable");
	assert_int_equal(r.f[2].sev, SEV_WARNING);
	snprintf(mode, sizeof(mode), "%s", finding_ev_get(&r.f[2], "mode"));
	assert_string_equal(mode, "0755");

	report_release(&r);
	watch_close(w);
	rm_tree(root);
}

/* A bounded number of watches, and an UNKNOWN finding where it ends. */
static void
watch_cap(void **state)
{
	char root[] = "/tmp/test_fim_watch.XXXXXX", p[160];
	const char *roots[1] = {root};
	struct watch_opts o = {.max_watches = 3};
	struct watch *w;
	struct report r;
	struct err err = {0};
	size_t unknown = 0;

	(void)state;
	assert_non_null(mkdtemp(root));
	for (int i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/d%d", root, i);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	w = watch_open(roots, 1, &o, &err);
	if (w == NULL)
		fail_msg("watch_open: %s", err.msg);
	assert_int_equal(watch_count(w), 3);
	report_init(&r);
	assert_true(watch_timeout(w) == 0);
	assert_true(watch_step(w, &r) >= 1);
	for (size_t i = 0; i < r.nf; i++)
		if (r.f[i].sev == SEV_UNKNOWN &&
		    strstr(r.f[i].message, "not watched") != NULL)
			unknown++;
	assert_int_equal(unknown, 1);
	/* A directory made later is not watched past the cap either. */
	snprintf(p, sizeof(p), "%s/d9", root);
	assert_int_equal(mkdir(p, 0755), 0);
	run(w, &r, 0.3);
	assert_int_equal(watch_count(w), 3);
	report_release(&r);
	watch_close(w);
	rm_tree(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(watch_events),
	    cmocka_unit_test(watch_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
