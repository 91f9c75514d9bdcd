/*
 * mail_show.c - the summary of a mail log's counts (mail_run.h): the
 * pflogsumm-like totals and the top lists, as a table or JSON lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/size.h"
#include "base/table.h"
#include "mail/mail_run.h"

static void
fmt_time(char *dst, size_t n, time_t t)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(dst, n, "-");
		return;
	}
	strftime(dst, n, "%Y-%m-%d %H:%M:%S", &tm);
}

struct summary_row {
	const char *key;
	uint64_t v;
};

/*
 * The human table's words for a summary key (the JSON name); sizes are
 * shown as sizes.
 */
static const struct {
	const char *key, *label;
	int size;
} summary_label[] = {
    {"reject_warnings", "reject warnings", 0},
    {"own_bounces", "bounces we sent", 0},
    {"null_sender", "from the null sender <>", 0},
    {"null_sender_not_ours", "  of them not our bounces", 0},
    {"auth_failures", "authentication failures", 0},
    {"bytes_received", "size received", 1},
    {"bytes_delivered", "size delivered", 1},
    {"still_queued", "still queued at the end", 0},
    {"still_deferred", "still deferred at the end", 0},
    {"partial", "partly in this log", 0},
    {"queue_id_reused", "queue IDs reused", 0},
    {"evicted", "not followed (too many)", 0},
    {"lines", "log lines", 0},
    {"mail_lines", "mail log lines", 0},
    {"garbage_lines", "unreadable lines", 0},
};

/* A summary row as the table shows it: its label and its value. */
static void
summary_line(const struct out *out, const struct summary_row *r)
{
	const char *label = r->key;
	char v[SIZE_TEXT_MAX + 8];
	int size = 0;

	for (size_t i = 0; i < countof(summary_label); i++)
		if (strcmp(summary_label[i].key, r->key) == 0) {
			label = summary_label[i].label;
			size = summary_label[i].size;
		}
	if (size)
		out_size(out, v, sizeof(v), (double)r->v);
	else
		snprintf(v, sizeof(v), "%llu", (unsigned long long)r->v);
	fprintf(out->fp, "  %-26s %s\n", label, v);
}

static void
print_top(const struct out *out, const char *list, const char *title,
    const char *col, const struct mail_tally *t, int is_who, int top)
{
	struct mail_top *v;
	size_t n = mail_tally_top(t, is_who, &v);

	if (out->mode == OUT_JSON) {
		for (size_t i = 0; i < n && i < (size_t)top; i++) {
			json_t *o = json_object();

			jset(o, "type", json_string("mail.top"));
			jset(o, "list", json_string(list));
			jset(o, "key", jstr(v[i].key));
			jset(o, "count", json_integer((json_int_t)v[i].n));
			if (is_who) {
				jset(o, "recipients",
				    json_integer((json_int_t)v[i].who->rcpts));
				jset(o, "relay_rejects",
				    json_integer(
				        (json_int_t)v[i]
				            .who->rej[MAIL_REJ_RELAY]));
				jset(o, "unknown_user_rejects",
				    json_integer(
				        (json_int_t)v[i]
				            .who->rej[MAIL_REJ_UNKNOWN_USER]));
			}
			json_line(out->fp, o);
		}
	} else if (n > 0) {
		const char *hdr[] = {col, "count", "recipients", "rejected"};
		struct table tb;

		table_init(&tb, is_who ? 4 : 2, hdr, "lrrr");
		for (size_t i = 0; i < n && i < (size_t)top; i++) {
			char c[24], r[24], j[24];
			uint64_t rej = 0;
			const char *cells[4] = {v[i].key, c, r, j};

			snprintf(
			    c, sizeof(c), "%llu", (unsigned long long)v[i].n);
			if (is_who) {
				for (int k = 0; k < MAIL_REJ_NREJ; k++)
					rej += v[i].who->rej[k];
				snprintf(r, sizeof(r), "%llu",
				    (unsigned long long)v[i].who->rcpts);
				snprintf(j, sizeof(j), "%llu",
				    (unsigned long long)rej);
			}
			table_row(&tb, cells);
		}
		fprintf(out->fp, "\n%s%s%s\n", out->color ? "\033[1m" : "",
		    title, out->color ? "\033[0m" : "");
		table_print(&tb, out->fp, 0);
		table_release(&tb);
	}
	free(v);
}

void
mail_stats_print(const struct mail_stats *s, const struct out *out, int top)
{
	char a[32], b[32];
	const struct summary_row rows[] = {
	    {"received", s->received},
	    {"delivered", s->delivered},
	    {"deferred", s->deferred},
	    {"bounced", s->bounced},
	    {"expired", s->expired},
	    {"rejected", s->rejected},
	    {"reject_warnings", s->reject_warn},
	    {"own_bounces", s->notifications},
	    {"null_sender", s->null_from},
	    {"null_sender_not_ours", s->null_unexplained},
	    {"auth_failures", s->auth_fail},
	    {"connections", s->connects},
	    {"bytes_received", s->bytes_received},
	    {"bytes_delivered", s->bytes_delivered},
	    {"still_queued", s->open_at_end},
	    {"still_deferred", s->open_deferred},
	    {"partial", s->join.partial},
	    {"queue_id_reused", s->join.reused},
	    {"evicted", s->join.evicted},
	    {"lines", s->lines},
	    {"mail_lines", s->mail_lines},
	    {"garbage_lines", s->garbage},
	};

	fmt_time(a, sizeof(a), s->first);
	fmt_time(b, sizeof(b), s->last);
	if (out->mode == OUT_JSON) {
		json_t *o = json_object(), *rj = json_object();

		jset(o, "type", json_string("mail.summary"));
		jset(o, "first", jtime((int64_t)s->first));
		jset(o, "last", jtime((int64_t)s->last));
		for (size_t i = 0; i < countof(rows); i++)
			jset(o, rows[i].key,
			    json_integer((json_int_t)rows[i].v));
		for (int k = 0; k < MAIL_REJ_NREJ; k++)
			jset(rj, mail_rej_name((enum mail_rej)k),
			    json_integer((json_int_t)s->rej[k]));
		jset(o, "rejected_by", rj);
		json_line(out->fp, o);
	} else {
		fprintf(out->fp, "mail log %s .. %s\n\n", a, b);
		for (size_t i = 0; i < countof(rows); i++)
			summary_line(out, &rows[i]);
		fprintf(out->fp, "  %-26s", "rejected by");
		for (int k = 0; k < MAIL_REJ_NREJ; k++)
			if (s->rej[k] > 0)
				fprintf(out->fp, " %s %llu",
				    mail_rej_name((enum mail_rej)k),
				    (unsigned long long)s->rej[k]);
		fprintf(out->fp, "\n");
	}
	print_top(out, "senders", "Top senders", "sender", &s->senders, 0, top);
	print_top(out, "sender_domains", "Top sender domains", "domain",
	    &s->sender_domains, 0, top);
	print_top(out, "recipients", "Top recipients", "recipient", &s->rcpts,
	    0, top);
	print_top(out, "recipient_domains", "Top recipient domains", "domain",
	    &s->rcpt_domains, 0, top);
	print_top(out, "clients", "Top clients", "client",
	    &s->who[MAIL_P_CLIENT], 1, top);
	print_top(
	    out, "sasl", "SASL logins", "login", &s->who[MAIL_P_SASL], 1, top);
	print_top(
	    out, "users", "Local users", "user", &s->who[MAIL_P_USER], 1, top);
	if (out->mode != OUT_JSON)
		fprintf(out->fp, "\n");
}
