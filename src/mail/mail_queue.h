/*
 * mail_queue.h - the size of postfix's deferred queue, read from its queue
 * directory (ROOT/var/spool/postfix/deferred: one file per message, in
 * hashed subdirectories).  Needs read access to the queue (root or the
 * postfix user); callers fall back to what the log says.
 */
#ifndef MAIL_MAIL_QUEUE_H
#define MAIL_MAIL_QUEUE_H

#include <stdint.h>

struct err;

#define MAIL_QUEUE_MAX 10000000 /* files counted at most */

/*
 * Counts the files under ROOT/QUEUE_DIR/deferred (queue_dir NULL:
 * /var/spool/postfix).  0 and *n, or -1 with err (ENOENT, EACCES).
 */
int mail_queue_deferred(
    const char *root, const char *queue_dir, uint64_t *n, struct err *err);

#endif
