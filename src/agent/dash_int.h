/*
 * dash_int.h - what the dashboard's files share: the page frame and the
 * escaping (dash.c), the data of the pages that show what the agent's
 * analyzers and collectors hold (dash_data.c) and their HTML
 * (dash_view.c).
 */
#ifndef AGENT_DASH_INT_H
#define AGENT_DASH_INT_H

#include <jansson.h>

struct agent;
struct strbuf;

/* The page's head, its navigation and its <h1>; and its end. */
void dash_page_head(struct strbuf *sb, const char *title);
void dash_page_end(struct strbuf *sb);
/* Appends the NUL-terminated s escaped for HTML. */
void dash_h(struct strbuf *sb, const char *s);

/*
 * The api.web, api.mail, api.integrity, api.disks and api.servers
 * objects (docs/api.md): what the followed logs' analyzers have counted,
 * the file integrity problems, the disks' state, the server table.
 * What the agent does not hold is said, never made up.  NULL only when
 * out of memory.
 */
json_t *dash_web(struct agent *a);
json_t *dash_mail(struct agent *a);
json_t *dash_integrity(struct agent *a);
json_t *dash_disks(struct agent *a);
json_t *dash_servers(struct agent *a);

/* The pages of those objects (dash_view.c): HTTP status, body in sb. */
unsigned dash_view_web(struct agent *a, struct strbuf *sb);
unsigned dash_view_mail(struct agent *a, struct strbuf *sb);
unsigned dash_view_integrity(struct agent *a, struct strbuf *sb);
unsigned dash_view_disks(struct agent *a, struct strbuf *sb);
unsigned dash_view_servers(struct agent *a, struct strbuf *sb);

#endif
