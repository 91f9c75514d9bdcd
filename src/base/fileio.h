/*
 * fileio.h - the I/O edge: read a whole (small) file, join a root prefix,
 * write a file atomically.  Readers of /proc and /sys use these with the
 * collector's root prefix so tests can point them at fixture trees.
 */
#ifndef BASE_FILEIO_H
#define BASE_FILEIO_H

#include <stddef.h>

struct err;
struct strbuf;

/*
 * Reads the file at path into out (replacing its contents), at most max
 * bytes; a longer file is cut at max and *truncated set (when not NULL).
 * 0, or -1 with err (err->code is the errno: ENOENT, EACCES, ...).
 */
int file_read(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err);

/* As file_read, but a symbolic link as the last component is refused. */
int file_read_nofollow(const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err);

/* As file_read, from the open descriptor fd (closed); path for messages. */
int file_read_fd(int fd, const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err);

/*
 * As file_read, but gzip-compressed content (told by its first bytes) is
 * decompressed, and a FIFO, pipe or device is read as a stream without
 * blocking in open (base/linesrc.h); a directory is an error.  max and
 * *truncated are about the decompressed bytes.  A corrupt or truncated
 * gzip stream is an error (err->code EBADMSG).
 */
int file_read_any(const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err);

/*
 * Joins root (or a directory) and path into dst with one slash between
 * them ("" or NULL root means none): "/srv" + "/etc/x" and "/srv/" +
 * "etc/x" both give "/srv/etc/x".  0, or -1 (errno ENAMETOOLONG, dst "")
 * when it does not fit: a cut path would name another file.  dst may
 * be root itself (joins build up in one buffer), never path.
 */
int path_join(char *dst, size_t dstsz, const char *root, const char *path);

/*
 * Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename, fsync of the directory.  mode is the new file's mode.
 */
int file_write_atomic(const char *path, const void *data, size_t len,
    unsigned mode, struct err *err);
/*
 * As file_write_atomic; with FILE_NOSYNC neither the file nor the
 * directory is synced: the rename is still atomic for every reader and
 * survives the writer's death, only not a power cut (for state that is
 * not meant to be more durable than an SQLite database in WAL mode with
 * synchronous=NORMAL, which may also lose its last commits then).
 */
#define FILE_NOSYNC 1u
int file_write_atomic_flags(const char *path, const void *data, size_t len,
    unsigned mode, unsigned flags, struct err *err);

/*
 * As file_write_atomic, for name inside the directory open as dirfd (dir
 * names it in messages); neither the temporary file nor name is followed
 * if it is a symbolic link.
 */
int file_write_atomic_at(int dirfd, const char *dir, const char *name,
    const void *data, size_t len, unsigned mode, struct err *err);

/* mkdir -p with mode for the directories it makes.  0 or -1 with err. */
int dir_make(const char *path, unsigned mode, struct err *err);

#endif
