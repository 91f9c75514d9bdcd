/*
 * auth.c - the "auth" analyzer: failed logins and probes in
 * authentication logs (parse_auth.c reads the lines), one record per
 * failure, counted per address and per user name; findings for brute
 * force (failures per address within a window), user enumeration (user
 * names per address), distributed guessing (addresses per user name) and
 * a successful login from an address after failures (CRITICAL).
 *
 * sshd writes one connection's story over several lines; a small table
 * of connections (by sshd's pid) gives lines without an address the
 * address of their connection, and holds what counts only in context:
 * PAM failures (sshd repeats them in its own words), keys tried in turn,
 * failures before the address is known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/json.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "base/topk.h"
#include "conf/conf.h"
#include "logs/analyzer.h"
#include "logs/auth.h"
#include "logs/parse_int.h"

#define SESS_N 4096    /* connections remembered (a power of two) */
#define NAME_MAX_ 64   /* address or user name kept */
#define SET_MAX 64     /* distinct users per address, addresses per user */
#define BAD_KEEP 20    /* malformed line numbers kept */
#define SERVICES_MAX 8 /* services named per address */

struct sess {
	uint64_t key; /* 0: free */
	char addr[NAME_MAX_];
	char pam_user[NAME_MAX_];
	unsigned pending; /* failures waiting for the address */
	const char *pending_name;
	int has_pam;
};

/* A small set of hashes: exact up to SET_MAX members, then saturated. */
struct hset {
	uint64_t h[SET_MAX];
	unsigned n;
};

struct addr_info {
	struct hset users;
	const char *services[SERVICES_MAX];
	unsigned nservices;
	const char *file;
	uint64_t first_line, last_line;
	char example[NAME_MAX_]; /* the name of the first failure */
	int reported;            /* live: findings already added (bits) */
};

struct user_info {
	struct hset addrs;
	int reported;
};

struct auth {
	const struct logs_opts *o;
	struct conf empty;
	struct threshold brute, enumer, distrib, success;
	uint64_t window;
	struct topk addr, user;
	struct sess *sess;
	uint64_t seed;
	uint64_t failures, notes, successes, local;
	uint64_t bad, bad_line[BAD_KEEP];
	unsigned nbad;
	const char *bad_file;
};

enum { REP_BRUTE = 1, REP_ENUM = 2, REP_SUCCESS = 4 };

static int
hset_add(struct hset *s, uint64_t h)
{
	for (unsigned i = 0; i < s->n && i < SET_MAX; i++)
		if (s->h[i] == h)
			return 0;
	if (s->n < SET_MAX)
		s->h[s->n] = h;
	if (s->n <= SET_MAX)
		s->n++;
	return 1;
}

static void
auth_free(void *st)
{
	struct auth *a = st;

	if (a == NULL)
		return;
	topk_release(&a->addr);
	topk_release(&a->user);
	free(a->sess);
	conf_release(&a->empty);
	free(a);
}

static void *
auth_create(const struct logs_opts *o, const char **errmsg)
{
	struct auth *a = calloc(1, sizeof(*a));
	const struct conf *c;
	const struct conf_node *blk;

	(void)errmsg;
	if (a == NULL)
		return NULL;
	a->o = o;
	conf_init(&a->empty);
	c = o->conf != NULL ? o->conf : &a->empty;
	conf_threshold(c, "auth-brute-force", NULL, &a->brute);
	conf_threshold(c, "auth-user-enumeration", NULL, &a->enumer);
	conf_threshold(c, "auth-distributed", NULL, &a->distrib);
	conf_threshold(c, "auth-success-after-failures", NULL, &a->success);
	blk = conf_check(c, "auth-brute-force", NULL);
	a->window = (uint64_t)conf_num(blk, "window", 600);
	if (a->window == 0)
		a->window = 1;
	a->seed = hash_seed();
	a->sess = calloc(SESS_N, sizeof(*a->sess));
	if (a->sess == NULL ||
	    topk_init(&a->addr, o->topk_cap, NAME_MAX_) == -1 ||
	    topk_init(&a->user, o->topk_cap, NAME_MAX_) == -1) {
		auth_free(a);
		return NULL;
	}
	a->addr.free_data = free;
	a->user.free_data = free;
	return a;
}

static void
copy_str(char *dst, size_t sz, struct logs_str s)
{
	size_t n = s.n < sz - 1 ? s.n : sz - 1;

	if (n > 0)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
}

static struct sess *
sess_of(struct auth *a, const struct logs_rec *rec, struct logs_str id)
{
	uint64_t k;
	struct sess *s;

	if (id.n == 0)
		return NULL;
	/* the pid, the host and the file: one connection */
	k = hash_bytes(a->seed, id.p, id.n);
	if (rec->kind == LOGS_KIND_SYSLOG && rec->u.s.host.n > 0)
		k = hash_u64(
		    k, hash_bytes(a->seed, rec->u.s.host.p, rec->u.s.host.n));
	k |= 1;
	s = &a->sess[k & (SESS_N - 1)];
	if (s->key != k) {
		memset(s, 0, sizeof(*s));
		s->key = k;
	}
	return s;
}

static int
valid(const struct threshold *t)
{
	return t->enabled && t->warn == t->warn;
}

static enum sev
level(const struct threshold *t, double v)
{
	if (!t->enabled)
		return SEV_OK;
	if (t->crit == t->crit && v >= t->crit)
		return SEV_CRITICAL;
	if (t->warn == t->warn && v >= t->warn)
		return SEV_WARNING;
	return SEV_OK;
}

static void
ev_common(
    struct finding *f, const struct topk_entry *e, const struct addr_info *ai)
{
	char t1[40] = "-", t2[40] = "-", svc[128] = "";
	size_t o = 0;

	if (e->first > 0)
		time_iso(t1, sizeof(t1), (time_t)e->first);
	if (e->last > 0)
		time_iso(t2, sizeof(t2), (time_t)e->last);
	for (unsigned i = 0; i < ai->nservices && o < sizeof(svc); i++) {
		int w = snprintf(svc + o, sizeof(svc) - o, "%s%s", i ? "," : "",
		    ai->services[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	finding_ev(f, "address", "%.*s", (int)e->klen, e->key);
	finding_ev(f, "failures", "%llu", (unsigned long long)e->count);
	finding_ev(f, "services", "%s", svc);
	finding_ev(f, "first", "%s", t1);
	finding_ev(f, "last", "%s", t2);
	finding_ev(f, "lines", "%s:%llu-%llu", ai->file ? ai->file : "-",
	    (unsigned long long)ai->first_line,
	    (unsigned long long)ai->last_line);
	finding_ev(f, "example", "%s", ai->example);
}

static void
add_brute(struct auth *a, struct report *r, const struct topk_entry *e)
{
	const struct addr_info *ai = e->data;
	enum sev sev = level(&a->brute, (double)e->sum);
	char win[32];
	struct finding *f;

	if (sev == SEV_OK)
		return;
	dur_format(win, sizeof(win), a->window);
	f = report_add(r, sev, "auth-brute-force", "",
	    "%.*s: %llu authentication failures, up to %llu within %s",
	    (int)e->klen, e->key, (unsigned long long)e->count,
	    (unsigned long long)e->sum, win);
	if (f == NULL)
		return;
	copy_str(f->subject, sizeof(f->subject), p_str(e->key, e->klen));
	ev_common(f, e, ai);
	finding_ev(f, "peak", "%llu", (unsigned long long)e->sum);
	finding_ev(f, "window", "%s", win);
}

static void
add_enum(struct auth *a, struct report *r, const struct topk_entry *e)
{
	const struct addr_info *ai = e->data;
	enum sev sev = level(&a->enumer, (double)ai->users.n);
	struct finding *f;

	if (sev == SEV_OK)
		return;
	f = report_add(r, sev, "auth-user-enumeration", "",
	    "%.*s: %s%u user names tried", (int)e->klen, e->key,
	    ai->users.n > SET_MAX ? "more than " : "",
	    ai->users.n > SET_MAX ? SET_MAX : ai->users.n);
	if (f == NULL)
		return;
	copy_str(f->subject, sizeof(f->subject), p_str(e->key, e->klen));
	ev_common(f, e, ai);
	finding_ev(f, "users", "%u", ai->users.n);
}

static void
add_distrib(struct auth *a, struct report *r, const struct topk_entry *e)
{
	const struct user_info *ui = e->data;
	enum sev sev = level(&a->distrib, (double)ui->addrs.n);
	struct finding *f;

	if (sev == SEV_OK)
		return;
	f = report_add(r, sev, "auth-distributed", "",
	    "user %.*s: failures from %s%u addresses", (int)e->klen, e->key,
	    ui->addrs.n > SET_MAX ? "more than " : "",
	    ui->addrs.n > SET_MAX ? SET_MAX : ui->addrs.n);
	if (f == NULL)
		return;
	copy_str(f->subject, sizeof(f->subject), p_str(e->key, e->klen));
	finding_ev(f, "user", "%.*s", (int)e->klen, e->key);
	finding_ev(f, "addresses", "%u", ui->addrs.n);
	finding_ev(f, "failures", "%llu", (unsigned long long)e->count);
}

static void
print_record(struct auth *a, const struct logs_rec *rec,
    const struct logs_auth *x, struct logs_str addr, int64_t when)
{
	const struct out *o = a->o->out;
	json_t *j;
	if (o == NULL || o->mode != OUT_JSON)
		return;
	j = json_object();
	jset(j, "type", json_string("auth.event"));
	jset(j, "event", json_string(x->name));
	jset(j, "file", jstr(rec->file ? rec->file : "-"));
	jset(j, "line", json_integer((json_int_t)rec->lineno));
	jset(j, "address", jstrn(addr.p ? addr.p : "", addr.n));
	jset(j, "user",
	    x->user.p != NULL ? jstrn(x->user.p, x->user.n) : json_null());
	jset(j, "service", json_string(x->service));
	jset(j, "time", when > 0 ? jtime((int64_t)when) : json_null());
	json_line(o->fp, j);
}

/* One failure from addr (may be empty: a local failure). */
static void
failure(struct auth *a, const struct logs_rec *rec, const struct logs_auth *x,
    struct logs_str addr, int64_t when, struct report *r)
{
	struct topk_entry *e;
	struct addr_info *ai;
	int fresh;

	a->failures++;
	print_record(a, rec, x, addr, when);
	if (addr.n == 0) {
		a->local++;
		return;
	}
	e = topk_add(&a->addr, addr.p, addr.n < NAME_MAX_ ? addr.n : NAME_MAX_,
	    1, &fresh);
	if (e == NULL)
		return;
	if (fresh || e->data == NULL) {
		e->data = calloc(1, sizeof(*ai));
		e->first = when;
		e->aux[0] = (uint64_t)when;
	}
	ai = e->data;
	if (ai == NULL)
		return;
	if (when > 0) {
		if (e->first == 0)
			e->first = when;
		e->last = when;
	}
	if (when - (int64_t)e->aux[0] >= (int64_t)a->window) {
		e->aux[0] = (uint64_t)when;
		e->aux[1] = 0;
	}
	e->aux[1]++;
	if (e->aux[1] > e->sum)
		e->sum = e->aux[1];
	if (ai->file == NULL) {
		ai->file = rec->file;
		ai->first_line = rec->lineno;
		snprintf(ai->example, sizeof(ai->example), "%s", x->name);
	}
	ai->last_line = rec->lineno;
	{
		unsigned i;

		for (i = 0; i < ai->nservices; i++)
			if (ai->services[i] == x->service)
				break;
		if (i == ai->nservices && i < SERVICES_MAX)
			ai->services[ai->nservices++] = x->service;
	}
	if (x->user.n > 0) {
		struct topk_entry *u;

		hset_add(&ai->users, hash_bytes(a->seed, x->user.p, x->user.n));
		u = topk_add(&a->user, x->user.p,
		    x->user.n < NAME_MAX_ ? x->user.n : NAME_MAX_, 1, &fresh);
		if (u != NULL && (fresh || u->data == NULL))
			u->data = calloc(1, sizeof(struct user_info));
		if (u != NULL && u->data != NULL) {
			struct user_info *ui = u->data;

			hset_add(
			    &ui->addrs, hash_bytes(a->seed, addr.p, addr.n));
			if (a->o->follow && !ui->reported &&
			    level(&a->distrib, (double)ui->addrs.n) ==
			        SEV_CRITICAL) {
				ui->reported = 1;
				add_distrib(a, r, u);
			}
		}
	}
	/* live: report the moment a threshold is crossed, once */
	if (a->o->follow) {
		if (!(ai->reported & REP_BRUTE) && valid(&a->brute) &&
		    (double)e->sum >= a->brute.warn) {
			ai->reported |= REP_BRUTE;
			add_brute(a, r, e);
		}
		if (!(ai->reported & REP_ENUM) && valid(&a->enumer) &&
		    (double)ai->users.n >= a->enumer.warn) {
			ai->reported |= REP_ENUM;
			add_enum(a, r, e);
		}
	}
}

static void
success(struct auth *a, const struct logs_rec *rec, const struct logs_auth *x,
    int64_t when, struct report *r)
{
	struct topk_entry *e;
	struct addr_info *ai;
	struct finding *f;
	char t[40] = "-";

	a->successes++;
	e = topk_get(&a->addr, x->address.p,
	    x->address.n < NAME_MAX_ ? x->address.n : NAME_MAX_);
	if (e == NULL || (ai = e->data) == NULL || (ai->reported & REP_SUCCESS))
		return;
	if (level(&a->success, (double)e->count) != SEV_CRITICAL)
		return;
	ai->reported |= REP_SUCCESS;
	if (when > 0)
		time_iso(t, sizeof(t), (time_t)when);
	f = report_add(r, SEV_CRITICAL, "auth-success-after-failures", "",
	    "%.*s: login of %.*s (%s) after %llu failures", (int)e->klen,
	    e->key, (int)(x->user.n < 64 ? x->user.n : 64),
	    x->user.p ? x->user.p : "", x->service,
	    (unsigned long long)e->count);
	if (f == NULL)
		return;
	copy_str(f->subject, sizeof(f->subject), p_str(e->key, e->klen));
	ev_common(f, e, ai);
	finding_ev(f, "user", "%.*s", (int)(x->user.n < 200 ? x->user.n : 200),
	    x->user.p ? x->user.p : "");
	finding_ev(f, "login", "%s:%llu", rec->file ? rec->file : "-",
	    (unsigned long long)rec->lineno);
	finding_ev(f, "login_time", "%s", t);
}

static void
malformed(struct auth *a, const struct logs_rec *rec)
{
	a->bad++;
	if (a->nbad < BAD_KEEP) {
		if (a->bad_file == NULL)
			a->bad_file = rec->file;
		a->bad_line[a->nbad++] = rec->lineno;
	}
}

static int64_t
time_of(const struct logs_rec *rec, const struct logs_auth *x)
{
	const struct civtime *t = NULL;

	if (x->time > 0)
		return x->time;
	if (rec->kind == LOGS_KIND_SYSLOG)
		t = &rec->u.s.time;
	else if (rec->kind == LOGS_KIND_ERROR)
		t = &rec->u.e.time;
	return t != NULL && t->valid ? civ_epoch(t) : 0;
}

/* What the connection's context makes of a line (see the top). */
static void
in_session(struct auth *a, const struct logs_rec *rec,
    const struct logs_auth *x, int64_t when, struct report *r)
{
	struct sess *s = sess_of(a, rec, x->session);
	struct logs_str addr = x->address, held;
	struct logs_auth y = *x;

	if (s != NULL && addr.n > 0)
		copy_str(s->addr, sizeof(s->addr), addr);
	held = p_str(s != NULL ? s->addr : "", s ? strlen(s->addr) : 0);
	switch (x->kind) {
	case LOGS_AUTH_FAIL:
		if (s != NULL)
			s->pending = 0;
		failure(a, rec, x, addr, when, r);
		break;
	case LOGS_AUTH_PREAUTH_CLOSE:
		failure(a, rec, x, addr, when, r);
		if (s != NULL)
			s->key = 0;
		break;
	case LOGS_AUTH_FAIL_SESSION:
		if (held.n > 0)
			failure(a, rec, x, held, when, r);
		else if (s != NULL && s->pending++ == 0)
			s->pending_name = x->name;
		break;
	case LOGS_AUTH_CLOSE:
		if (s != NULL && s->pending > 0) {
			y.name = s->pending_name ? s->pending_name : x->name;
			failure(a, rec, &y, addr, when, r);
		}
		if (s != NULL)
			s->key = 0;
		break;
	case LOGS_AUTH_PAM_SSHD:
	case LOGS_AUTH_SUCCESS:
		/* another user name on the same connection: a guess */
		if (s != NULL && s->has_pam &&
		    (x->user.n != strlen(s->pam_user) ||
		        memcmp(x->user.p, s->pam_user, x->user.n) != 0)) {
			y.name = x->kind == LOGS_AUTH_SUCCESS
			    ? "sshd.accepted-other-user"
			    : "sshd.pam-user-switch";
			failure(a, rec, &y, addr, when, r);
		}
		if (x->kind == LOGS_AUTH_SUCCESS) {
			success(a, rec, x, when, r);
			if (s != NULL)
				s->key = 0;
		} else if (s != NULL) {
			s->has_pam = 1;
			copy_str(s->pam_user, sizeof(s->pam_user), x->user);
		}
		break;
	case LOGS_AUTH_NOTE:
		a->notes++;
		break;
	default:
		break;
	}
}

static void
auth_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct auth *a = st;
	struct logs_auth x;
	int rc;

	switch (rec->kind) {
	case LOGS_KIND_SYSLOG:
		rc = logs_auth_parse_syslog(&rec->u.s, &x);
		break;
	case LOGS_KIND_ERROR:
		rc = logs_auth_parse_error(&rec->u.e, &x);
		break;
	case LOGS_KIND_RAW:
		rc = logs_auth_parse_raw(rec->line.p, rec->line.n, &x);
		break;
	default:
		return;
	}
	if (rc == 0)
		return;
	if (rc < 0) {
		malformed(a, rec);
		return;
	}
	in_session(a, rec, &x, time_of(rec, &x), r);
}

static void
print_summary(struct auth *a, const struct out *o,
    const struct topk_entry **all, size_t n)
{
	/* nothing about logins (an access log): nothing to say */
	if (a->failures + a->successes + a->notes + a->bad == 0)
		return;
	if (o->mode == OUT_JSON) {
		json_t *j = json_object(), *bl = json_array();

		for (unsigned i = 0; i < a->nbad; i++)
			json_array_append_new(
			    bl, json_integer((json_int_t)a->bad_line[i]));
		jset(j, "type", json_string("auth.summary"));
		jset(j, "failures", json_integer((json_int_t)a->failures));
		jset(j, "addresses", json_integer((json_int_t)a->addr.n));
		jset(j, "local_failures", json_integer((json_int_t)a->local));
		jset(j, "successes", json_integer((json_int_t)a->successes));
		jset(j, "notes", json_integer((json_int_t)a->notes));
		jset(j, "malformed", json_integer((json_int_t)a->bad));
		jset(j, "malformed_lines", bl);
		json_line(o->fp, j);
		return;
	}
	if (o->mode != OUT_TABLE)
		return;
	fprintf(o->fp,
	    "\nAuthentication: %llu failures from %zu addresses, %llu local, "
	    "%llu logins\n",
	    (unsigned long long)a->failures, a->addr.n,
	    (unsigned long long)a->local, (unsigned long long)a->successes);
	if (a->bad > 0) {
		fprintf(o->fp, "  %llu malformed authentication lines:",
		    (unsigned long long)a->bad);
		for (unsigned i = 0; i < a->nbad; i++)
			fprintf(
			    o->fp, " %llu", (unsigned long long)a->bad_line[i]);
		fputc('\n', o->fp);
	}
	if (n > 0) {
		static const char *const hdr[] = {
		    "address", "failures", "peak", "users", "first", "last"};
		struct table t;
		size_t top = a->o->top > 0 ? (size_t)a->o->top : 10;

		table_init(&t, 6, hdr, "lrrrll");
		for (size_t i = 0; i < n && i < top; i++) {
			const struct addr_info *ai = all[i]->data;
			char k[NAME_MAX_ + 1], c1[24], c2[24], c3[24],
			    t1[40] = "-", t2[40] = "-";
			const char *row[6] = {k, c1, c2, c3, t1, t2};

			memcpy(k, all[i]->key, all[i]->klen);
			k[all[i]->klen] = '\0';
			snprintf(c1, sizeof(c1), "%llu",
			    (unsigned long long)all[i]->count);
			snprintf(c2, sizeof(c2), "%llu",
			    (unsigned long long)all[i]->sum);
			snprintf(c3, sizeof(c3), "%u", ai ? ai->users.n : 0);
			if (all[i]->first > 0)
				time_iso(t1, sizeof(t1), (time_t)all[i]->first);
			if (all[i]->last > 0)
				time_iso(t2, sizeof(t2), (time_t)all[i]->last);
			table_row(&t, row);
		}
		table_print(&t, o->fp, o->color);
		table_release(&t);
	}
}

static void
auth_finish(void *st, struct report *r, const struct out *o)
{
	struct auth *a = st;
	const struct topk_entry **all;
	size_t n = 0;

	all = calloc(a->addr.n + a->user.n + 1, sizeof(*all));
	if (all != NULL)
		n = topk_sorted(&a->addr, all, a->addr.n);
	if (!a->o->follow) {
		for (size_t i = 0; i < n; i++) {
			add_brute(a, r, all[i]);
			add_enum(a, r, all[i]);
		}
		if (all != NULL) {
			size_t m = topk_sorted(&a->user, all + n, a->user.n);

			for (size_t i = 0; i < m; i++)
				add_distrib(a, r, all[n + i]);
		}
	}
	print_summary(a, o, all, n);
	free(all);
}

const struct logs_analyzer_ops logs_auth_ops = {
    .name = "auth",
    .help = "failed logins and probes per address (ssh, PAM, mail, ftp, "
            "web)",
    .kinds = LOGS_KIND_SYSLOG | LOGS_KIND_ERROR | LOGS_KIND_RAW,
    .create = auth_create,
    .record = auth_record,
    .finish = auth_finish,
    .free = auth_free,
};
