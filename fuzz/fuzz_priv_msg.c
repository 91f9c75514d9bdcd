/*
 * fuzz_priv_msg.c - libFuzzer target: priv_msg_decode, what the agent's
 * root parent runs on every datagram of a (possibly compromised) child,
 * never reads out of bounds or crashes, explains every refusal, and what
 * it accepts holds its promises: a type the sender may send, strings
 * terminated within their fields, a clean absolute path, a finding's
 * check an id and its set, severity and evidence count in range, a
 * progress's request counts within its requests and lines analysed, a
 * line's length that of its text and its file in range, from the parent
 * only; a request to show figures with known names and mode, or the
 * machine's series in a known format without names, from the
 * parent, its answer's length that of its text, from a child; an HTTP
 * request from a child with a known route, its strings terminated, a
 * series name only where one is asked and a clean one, a check an id,
 * durations and periods in range; a piece of an HTTP answer from the
 * parent with a status, a known location, a printable content type and
 * the length of its text; a run of checks with an entry and a time, from
 * the parent, a check's finding and end with an entry in range (the
 * finding as a log's, without a set or a line), from a child; a request
 * to sample, bodiless, from the parent, and pieces of values, from a
 * child, each named in the history's charset with a value not infinite;
 * a request of links of /proc/PID, a known link and 1..14 positive pids,
 * from a child, the answer's lengths only with links, from the parent; a
 * stop, a pid past 1, its strings terminated, its user and script without
 * control characters and the script absolute or none, from a child, its
 * outcome a kill result with its evidence counted, from the parent; a
 * request of executables' facts, 1..14 positive pids, from a child, the
 * answer's entries each an errno alone or a link of 1..PRIV_LINK_MAX
 * bytes, a deleted flag and the errno of each stat, from the parent.
 * The first byte chooses the sender and how many descriptors came; the
 * rest is the datagram.
 */
#include <math.h>
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
	case PRIV_PROGRESS: {
		uint64_t hits = 0;

		if (from != PRIV_FROM_CHILD ||
		    m.u.progress.set >= PRIV_SETS_MAX ||
		    m.u.progress.analysed > m.u.progress.lines)
			abort();
		/* each file's counts within its requests, these within the
		 * lines analysed, without wrapping */
		for (size_t i = 0; i < PRIV_WEB_LOGS + 1; i++) {
			const uint64_t *w = m.u.progress.web[i];

			if (w[PRIV_WEB_HITS] > m.u.progress.analysed - hits ||
			    w[PRIV_WEB_PAGES] > w[PRIV_WEB_HITS] ||
			    w[PRIV_WEB_ATTACKS] > w[PRIV_WEB_HITS] ||
			    w[PRIV_WEB_4XX] > w[PRIV_WEB_HITS] ||
			    w[PRIV_WEB_5XX] >
			        w[PRIV_WEB_HITS] - w[PRIV_WEB_4XX])
				abort();
			hits += w[PRIV_WEB_HITS];
		}
		break;
	}
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
		if (from != PRIV_FROM_PARENT)
			abort();
		must_end(m.u.show.analyzers, sizeof(m.u.show.analyzers));
		/* the machine's series: a format, no analyzers */
		if (m.u.show.set == PRIV_SHOW_MACHINE) {
			if (m.u.show.mode > 1 || m.u.show.analyzers[0] != '\0')
				abort();
			break;
		}
		if (m.u.show.set >= PRIV_SETS_MAX || m.u.show.mode > 2)
			abort();
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
	case PRIV_HTTP:
		must_end(m.u.http.name, sizeof(m.u.http.name));
		must_end(m.u.http.check, sizeof(m.u.http.check));
		must_end(m.u.http.subject, sizeof(m.u.http.subject));
		must_end(m.u.http.text, sizeof(m.u.http.text));
		if (from != PRIV_FROM_CHILD || m.u.http.route == 0 ||
		    m.u.http.route >= PRIV_HTTP_ROUTE_MAX ||
		    (m.u.http.name[0] != '\0' &&
		        (m.u.http.name[0] == '.' ||
		            strstr(m.u.http.name, "..") != NULL ||
		            strchr(m.u.http.name, '/') != NULL)) ||
		    strspn(m.u.http.check,
		        "abcdefghijklmnopqrstuvwxyz0123456789._-") !=
		        strlen(m.u.http.check) ||
		    (m.u.http.route == PRIV_HTTP_SILENCE &&
		        (m.u.http.num < 0 ||
		            m.u.http.num > PRIV_HTTP_SILENCE_MAX)) ||
		    (m.u.http.route == PRIV_HTTP_GRAPH &&
		        m.u.http.arg >= PRIV_HTTP_PERIODS) ||
		    (m.u.http.route == PRIV_HTTP_UNBLOCK &&
		        m.u.http.prefix.len > 128))
			abort();
		break;
	case PRIV_HTTP_REP:
		if (from != PRIV_FROM_PARENT || m.u.http_rep.status < 100 ||
		    m.u.http_rep.status > 599 ||
		    m.u.http_rep.loc > PRIV_HTTP_LOC_CONNECTIONS ||
		    m.u.http_rep.last > 1 ||
		    m.u.http_rep.len > PRIV_SHOWN_MAX ||
		    offsetof(struct priv_http_rep, text) + m.u.http_rep.len !=
		        size - 1 - sizeof(struct priv_hdr))
			abort();
		must_end(m.u.http_rep.type, sizeof(m.u.http_rep.type));
		for (const char *c = m.u.http_rep.type; *c != '\0'; c++)
			if (*c < ' ' || *c > '~')
				abort();
		break;
	case PRIV_RUN:
		if (from != PRIV_FROM_PARENT || m.u.run.entries == 0 ||
		    m.u.run.now < 0)
			abort();
		break;
	case PRIV_CHECKED:
		if (from != PRIV_FROM_CHILD ||
		    m.u.checked.entry >= PRIV_ENTRIES_MAX ||
		    m.u.checked.f.set != 0 || m.u.checked.f.line != 0 ||
		    m.u.checked.f.sev > SEV_UNKNOWN ||
		    m.u.checked.f.nev > FINDING_MAX_EV ||
		    m.u.checked.f.check[0] == '\0' ||
		    strspn(m.u.checked.f.check,
		        "abcdefghijklmnopqrstuvwxyz0123456789._-") !=
		        strlen(m.u.checked.f.check))
			abort();
		must_end(m.u.checked.f.check, sizeof(m.u.checked.f.check));
		must_end(m.u.checked.f.subject, sizeof(m.u.checked.f.subject));
		must_end(m.u.checked.f.message, sizeof(m.u.checked.f.message));
		for (unsigned i = 0; i < m.u.checked.f.nev; i++) {
			must_end(m.u.checked.f.ev[i].key,
			    sizeof(m.u.checked.f.ev[i].key));
			must_end(m.u.checked.f.ev[i].val,
			    sizeof(m.u.checked.f.ev[i].val));
		}
		break;
	case PRIV_RAN:
		if (from != PRIV_FROM_CHILD ||
		    m.u.ran.entry >= PRIV_ENTRIES_MAX || m.u.ran.now < 0)
			abort();
		break;
	case PRIV_SAMPLE:
		if (from != PRIV_FROM_PARENT ||
		    size != 1 + sizeof(struct priv_hdr))
			abort();
		break;
	case PRIV_LINKS:
		if (from != PRIV_FROM_CHILD || m.u.links.link >= PRIV_LINK_N ||
		    m.u.links.n == 0 || m.u.links.n > PRIV_LINKS_MAX)
			abort();
		for (unsigned i = 0; i < m.u.links.n; i++)
			if (m.u.links.pid[i] <= 0)
				abort();
		break;
	case PRIV_LINKED:
		if (from != PRIV_FROM_PARENT ||
		    m.u.linked.link >= PRIV_LINK_N || m.u.linked.n == 0 ||
		    m.u.linked.n > PRIV_LINKS_MAX)
			abort();
		for (unsigned i = 0; i < m.u.linked.n; i++)
			if (m.u.linked.l[i].len > PRIV_LINK_MAX ||
			    (m.u.linked.l[i].code == 0) !=
			        (m.u.linked.l[i].len > 0))
				abort();
		break;
	case PRIV_EXEFACTS:
		if (from != PRIV_FROM_CHILD || m.u.exefacts.n == 0 ||
		    m.u.exefacts.n > PRIV_EXEFACTS_MAX)
			abort();
		for (unsigned i = 0; i < m.u.exefacts.n; i++)
			if (m.u.exefacts.pid[i] <= 0)
				abort();
		break;
	case PRIV_FACTS:
		if (from != PRIV_FROM_PARENT || m.u.facts.n == 0 ||
		    m.u.facts.n > PRIV_EXEFACTS_MAX)
			abort();
		for (unsigned i = 0; i < m.u.facts.n; i++) {
			const struct priv_exefact *f = &m.u.facts.f[i];

			if (f->pid <= 0 || f->deleted > 1 ||
			    f->len > PRIV_LINK_MAX || f->file_code < 0 ||
			    f->dir_code < 0 || (f->code == 0) != (f->len > 0) ||
			    (f->code != 0 &&
			        (f->deleted || f->file_code || f->dir_code)))
				abort();
		}
		break;
	case PRIV_STOP:
		if (from != PRIV_FROM_CHILD || m.u.stop.pid <= 1)
			abort();
		must_end(m.u.stop.comm, sizeof(m.u.stop.comm));
		must_end(m.u.stop.user, sizeof(m.u.stop.user));
		must_end(m.u.stop.why, sizeof(m.u.stop.why));
		must_end(m.u.stop.script, sizeof(m.u.stop.script));
		if (m.u.stop.script[0] != '\0' && m.u.stop.script[0] != '/')
			abort();
		for (const char *c = m.u.stop.user; *c != '\0'; c++)
			if ((unsigned char)*c < ' ' || *c == 0x7f)
				abort();
		for (const char *c = m.u.stop.script; *c != '\0'; c++)
			if ((unsigned char)*c < ' ' || *c == 0x7f)
				abort();
		break;
	case PRIV_STOPPED:
		if (from != PRIV_FROM_PARENT || m.u.stopped.result < 0 ||
		    m.u.stopped.result > 2 || m.u.stopped.nev > PRIV_STOP_EV)
			abort();
		must_end(m.u.stopped.msg, sizeof(m.u.stopped.msg));
		break;
	case PRIV_SAMPLES:
		if (from != PRIV_FROM_CHILD || m.u.points.n > PRIV_POINTS_MAX ||
		    m.u.points.last > 1 ||
		    offsetof(struct priv_points, p) +
		            m.u.points.n * sizeof(m.u.points.p[0]) !=
		        size - 1 - sizeof(struct priv_hdr))
			abort();
		for (unsigned i = 0; i < m.u.points.n; i++) {
			const char *nm = m.u.points.p[i].name;

			must_end(nm, sizeof(m.u.points.p[i].name));
			if (nm[0] == '\0' || nm[0] == '.' ||
			    strstr(nm, "..") != NULL ||
			    strspn(nm,
			        "abcdefghijklmnopqrstuvwxyz"
			        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
			        strlen(nm) ||
			    isinf(m.u.points.p[i].v))
				abort();
		}
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
