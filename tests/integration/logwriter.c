/*
 * logwriter.c - the writer of the rotation torture test: appends N
 * numbered lines ("%09u" then padding) to PATH at RATE lines a second, in
 * writes that often end in the middle of a line, and rotates the file
 * ROTATIONS times, alternating rename (PATH -> PATH.1, the older ones
 * shifted up, then a new PATH) and copytruncate (copy PATH to PATH.1, then
 * truncate PATH), as logrotate does with delaycompress: after each
 * rotation PATH.2 is compressed by gzip (PATH.2.gz appears while PATH.2 is
 * still there, then PATH.2 goes) while the writing goes on.  After a
 * rename it goes on writing to the renamed file for a while before it
 * reopens PATH, as a daemon does until it is told to reopen its log.  It
 * pauses only between copytruncate's copy and its truncate, as logrotate's
 * copytruncate would lose lines written there.
 *
 * usage: logwriter PATH N ROTATIONS RATE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
die(const char *what)
{
	fprintf(stderr, "logwriter: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += k;
		n -= (size_t)k;
	}
}

static void
shift(const char *path, int upto)
{
	char a[4096], b[4096];

	for (int k = upto; k >= 1; k--) {
		for (int gz = 0; gz < 2; gz++) {
			const char *ext = gz ? ".gz" : "";

			snprintf(a, sizeof(a), "%s.%d%s", path, k, ext);
			snprintf(b, sizeof(b), "%s.%d%s", path, k + 1, ext);
			if (rename(a, b) == -1 && errno != ENOENT)
				die("rename");
		}
	}
}

/* delaycompress: gzip PATH.2 in the background; 0 if there is none. */
static pid_t
compress_two(const char *path)
{
	char two[4096];
	pid_t pid;

	snprintf(two, sizeof(two), "%s.2", path);
	if (access(two, F_OK) == -1)
		return 0;
	pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0) {
		execlp("gzip", "gzip", "-f", two, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void
reap(pid_t pid)
{
	int st;

	if (pid > 0 &&
	    (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	        WEXITSTATUS(st) != 0)) {
		fprintf(stderr, "logwriter: gzip failed\n");
		exit(1);
	}
}

static void
copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY), out;
	ssize_t k;

	if (in == -1)
		die("open for copy");
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out == -1)
		die("create copy");
	while ((k = read(in, buf, sizeof(buf))) > 0)
		write_all(out, buf, (size_t)k);
	if (k < 0)
		die("read for copy");
	close(in);
	close(out);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *path;
	unsigned long n, rotations, rate, every, written = 0, rotated = 0;
	char *batch;
	size_t cap = 1 << 20;
	double t0;
	int fd;
	pid_t gzip = 0;
	unsigned long reopen_in = 0; /* batches still for the renamed file */

	if (argc != 5) {
		fprintf(stderr, "usage: logwriter PATH N ROTATIONS RATE\n");
		return 64;
	}
	path = argv[1];
	n = strtoul(argv[2], NULL, 10);
	rotations = strtoul(argv[3], NULL, 10);
	rate = strtoul(argv[4], NULL, 10);
	every = n / (rotations + 1);
	if (every == 0 || rate == 0)
		return 64;
	srandom((unsigned)getpid());
	batch = malloc(cap);
	if (batch == NULL)
		die("malloc");
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd == -1)
		die("open");
	t0 = now();
	while (written < n) {
		unsigned long want = 1 + (unsigned long)random() % 400;
		size_t len = 0, cut;

		if (want > n - written)
			want = n - written;
		/* Do not cross a rotation point inside one batch. */
		if (rotated < rotations &&
		    written + want > every * (rotated + 1))
			want = every * (rotated + 1) - written;
		for (unsigned long i = 0; i < want; i++)
			len += (size_t)snprintf(batch + len, cap - len,
			    "%09lu the quick brown fox jumps over the dog\n",
			    written + i + 1);
		/* Often split the write inside a line. */
		cut = (size_t)random() % (len + 1);
		write_all(fd, batch, cut);
		write_all(fd, batch + cut, len - cut);
		written += want;
		if (reopen_in > 0 && --reopen_in == 0) {
			/* told to reopen: a new file */
			close(fd);
			fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd == -1)
				die("reopen");
		}
		if (rotated < rotations && written == every * (rotated + 1)) {
			char one[4096];

			reap(gzip);
			if (reopen_in > 0) {
				close(fd);
				fd = open(
				    path, O_WRONLY | O_CREAT | O_APPEND, 0644);
				if (fd == -1)
					die("reopen");
				reopen_in = 0;
			}
			snprintf(one, sizeof(one), "%s.1", path);
			shift(path, (int)rotated + 1);
			if (rotated % 2 == 0) {
				/* rename; the new file when told to reopen */
				if (rename(path, one) == -1)
					die("rename");
				reopen_in = 1 + (unsigned long)random() % 200;
			} else {
				/* copytruncate: no write between the two */
				copy_file(path, one);
				if (ftruncate(fd, 0) == -1)
					die("truncate");
			}
			gzip = compress_two(path);
			rotated++;
		}
		/* Keep to the rate. */
		{
			double due = t0 + (double)written / (double)rate;
			double d = due - now();

			if (d > 0) {
				struct timespec ts = {(time_t)d,
				    (long)((d - (double)(time_t)d) * 1e9)};

				nanosleep(&ts, NULL);
			}
		}
	}
	reap(gzip);
	close(fd);
	free(batch);
	return 0;
}
