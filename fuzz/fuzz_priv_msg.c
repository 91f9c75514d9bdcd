/*
 * fuzz_priv_msg.c - libFuzzer target: priv_msg_decode, what the agent's
 * root parent runs on every datagram of a (possibly compromised) child,
 * never reads out of bounds or crashes, explains every refusal, and what
 * it accepts holds its promises: a type the sender may send, strings
 * terminated within their fields, a clean absolute path, a finding's
 * check an id and its set, severity and evidence count in range, a
 * line's length that of its text and its file in range, from the parent
 * only; a request to show figures with known names and mode, from the
 * parent, its answer's length that of its text, from a child.  The
 * first byte chooses the sender and how many descriptors came; the rest
 * is the datagram.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/priv.h"
#include "base/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must_end(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct priv_msg m;
	struct err err = {0};
	enum priv_from from;
	size_t nfds;

	if (size == 0)
		return 0;
	from = (data[0] & 1) ? PRIV_FROM_PARENT : PRIV_FROM_CHILD;
	nfds = (data[0] >> 1) & 3;
	if (priv_msg_decode(data + 1, size - 1, nfds, from, &m, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (m.fd != -1 || (m.type == PRIV_FD) != (nfds == 1))
		abort();
	switch (m.type) {
	case PRIV_OPEN:
		if (from != PRIV_FROM_CHILD || m.u.path[0] != '/' ||
		    strstr(m.u.path, "/../") != NULL ||
		    strstr(m.u.path, "//") != NULL)
			abort();
		must_end(m.u.path, sizeof(m.u.path));
		break;
	case PRIV_NOTE:
		must_end(m.u.text, sizeof(m.u.text));
		break;
	case PRIV_BLOCK:
		if (from != PRIV_FROM_CHILD ||
		    strncmp(m.u.block.by, "rule:", 5))
			abort();
		must_end(m.u.block.reason, sizeof(m.u.block.reason));
		break;
	case PRIV_KILL:
		if (from != PRIV_FROM_CHILD || m.u.kill.pid <= 1 ||
		    !(m.u.kill.grace >= 0 && m.u.kill.grace <= PRIV_GRACE_MAX))
			abort();
		break;
	case PRIV_ALERT:
		if (from != PRIV_FROM_CHILD || m.u.alert.nev > FINDING_MAX_EV)
			abort();
		must_end(m.u.alert.check, sizeof(m.u.alert.check));
		must_end(m.u.alert.subject, sizeof(m.u.alert.subject));
		must_end(m.u.alert.message, sizeof(m.u.alert.message));
		break;
	case PRIV_FINDING:
		if (from != PRIV_FROM_CHILD ||
		    m.u.finding.set >= PRIV_SETS_MAX ||
		    m.u.finding.sev > SEV_UNKNOWN || m.u.finding.time < 0 ||
		    m.u.finding.nev > FINDING_MAX_EV ||
		    m.u.finding.check[0] == '\0' ||
		    strspn(m.u.finding.check,
		        "abcdefghijklmnopqrstuvwxyz0123456789._-") !=
		        strlen(m.u.finding.check))
			abort();
		must_end(m.u.finding.check, sizeof(m.u.finding.check));
		must_end(m.u.finding.subject, sizeof(m.u.finding.subject));
		must_end(m.u.finding.message, sizeof(m.u.finding.message));
		for (unsigned i = 0; i < m.u.finding.nev; i++) {
			must_end(m.u.finding.ev[i].key,
			    sizeof(m.u.finding.ev[i].key));
			must_end(m.u.finding.ev[i].val,
			    sizeof(m.u.finding.ev[i].val));
		}
		break;
	case PRIV_PROGRESS:
		if (from != PRIV_FROM_CHILD ||
		    m.u.progress.set >= PRIV_SETS_MAX ||
		    m.u.progress.analysed > m.u.progress.lines)
			abort();
		break;
	case PRIV_LINE:
		if (from != PRIV_FROM_PARENT || m.u.line.set >= PRIV_SETS_MAX ||
		    m.u.line.cut > 1 || m.u.line.len > PRIV_LINE_MAX ||
		    (m.u.line.file >= PRIV_FILES_MAX &&
		        m.u.line.file != PRIV_FILE_NONE) ||
		    offsetof(struct priv_line, text) + m.u.line.len !=
		        size - 1 - sizeof(struct priv_hdr))
			abort();
		break;
	case PRIV_SYNC:
		if (from != PRIV_FROM_PARENT || m.u.sync.set >= PRIV_SETS_MAX)
			abort();
		break;
	case PRIV_SHOW:
		if (from != PRIV_FROM_PARENT || m.u.show.set >= PRIV_SETS_MAX ||
		    m.u.show.mode > 2)
			abort();
		must_end(m.u.show.analyzers, sizeof(m.u.show.analyzers));
		if (strspn(m.u.show.analyzers, "abcdefghijklmnopqrstuvwxyz,") !=
		    strlen(m.u.show.analyzers))
			abort();
		break;
	case PRIV_SHOWN:
		if (from != PRIV_FROM_CHILD || m.u.shown.last > 1 ||
		    m.u.shown.len > PRIV_SHOWN_MAX ||
		    offsetof(struct priv_shown, text) + m.u.shown.len !=
		        size - 1 - sizeof(struct priv_hdr))
			abort();
		break;
	case PRIV_ERROR:
		if (from != PRIV_FROM_PARENT)
			abort();
		must_end(m.u.error.msg, sizeof(m.u.error.msg));
		break;
	case PRIV_FD:
	case PRIV_BLOCKED:
	case PRIV_DONE:
		if (from != PRIV_FROM_PARENT)
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
