/*
 * rules.c - the Prometheus alerting rules for a fleet of agents (see
 * fleet.h): one alert per open problem, named by its severity, with the
 * agent's host name joined from sakimori_host_info; an agent that is
 * not scraped; a host whose server table changed.  Alertmanager then
 * groups, deduplicates, silences and routes them.  The caller checks
 * that job and the durations are plain words (no quoting is needed).
 */
#include "fleet/fleet.h"

#include <stddef.h>

#include "base/mem.h"

/* A problem alert: each listed problem of sev, the host's name added. */
static void
problem_rule(FILE *fp, const struct fleet_rules_opts *o, const char *alert,
    const char *sev, const char *label)
{
	fprintf(fp,
	    "      - alert: %s\n"
	    "        expr: |\n"
	    "          sakimori_problem_since_timestamp_seconds"
	    "{job=\"%s\",severity=\"%s\"}\n"
	    "            * on(instance, job) group_left(hostname)"
	    " sakimori_host_info\n"
	    "          or on(instance, job)\n"
	    "          sakimori_problem_since_timestamp_seconds"
	    "{job=\"%s\",severity=\"%s\"}\n"
	    "        labels:\n"
	    "          severity: %s\n"
	    "        annotations:\n"
	    "          summary: '%s: {{ $labels.check }}"
	    "{{ with $labels.subject }} {{ . }}{{ end }} on"
	    " {{ or $labels.hostname $labels.instance }}'\n"
	    "          description: 'open since {{ $value | humanizeTimestamp"
	    " }}; sakimori ctl problems on the host tells more'\n",
	    alert, o->job, sev, o->job, sev, label, sev);
}

void
fleet_rules_write(FILE *fp, const struct fleet_rules_opts *o)
{
	static const struct {
		const char *alert, *sev, *label;
	} sevs[] = {
	    {"SakimoriCritical", "CRITICAL", "critical"},
	    {"SakimoriWarning", "WARNING", "warning"},
	    {"SakimoriUnknown", "UNKNOWN", "unknown"},
	};

	fprintf(fp,
	    "# Alerting rules for sakimori agents scraped by the job \"%s\",\n"
	    "# written by 'sakimori fleet rules'.  Check with\n"
	    "# 'promtool check rules FILE'; see sakimori(8), fleet.\n"
	    "groups:\n"
	    "  - name: sakimori\n"
	    "    rules:\n",
	    o->job);
	for (size_t i = 0; i < countof(sevs); i++)
		problem_rule(fp, o, sevs[i].alert, sevs[i].sev, sevs[i].label);
	fprintf(fp,
	    "      - alert: SakimoriProblemsUnlisted\n"
	    "        expr: sakimori_problems_unlisted{job=\"%s\"} > 0\n"
	    "        labels:\n"
	    "          severity: warning\n"
	    "        annotations:\n"
	    "          summary: '{{ $value }} more open problems on"
	    " {{ $labels.instance }} than /metrics lists one by one'\n"
	    "      - alert: SakimoriAgentDown\n"
	    "        expr: up{job=\"%s\"} == 0\n"
	    "        for: %s\n"
	    "        labels:\n"
	    "          severity: critical\n"
	    "        annotations:\n"
	    "          summary: 'the sakimori agent at {{ $labels.instance }}"
	    " does not answer'\n"
	    "      - alert: SakimoriAgentAbsent\n"
	    "        expr: absent(up{job=\"%s\"})\n"
	    "        for: %s\n"
	    "        labels:\n"
	    "          severity: critical\n"
	    "        annotations:\n"
	    "          summary: 'no sakimori agent is scraped by the job"
	    " %s'\n",
	    o->job, o->job, o->down_for, o->job, o->down_for, o->job);
	/* a series of the server table that is new or gone since window
	 * ago, on a host that was scraped then and is now; a service's
	 * PID alone (a restart) is no change */
	fprintf(fp,
	    "      - alert: SakimoriInventoryChanged\n"
	    "        expr: |\n"
	    "          count by (instance, job) (\n"
	    "            (sakimori_host_info{job=\"%s\"}\n"
	    "              unless sakimori_host_info{job=\"%s\"} offset %s)\n"
	    "            or\n"
	    "            (sakimori_host_info{job=\"%s\"} offset %s\n"
	    "              unless sakimori_host_info{job=\"%s\"})\n"
	    "            or\n"
	    "            (sakimori_service_info{job=\"%s\"}\n"
	    "              unless ignoring(pid)\n"
	    "              sakimori_service_info{job=\"%s\"} offset %s)\n"
	    "            or\n"
	    "            (sakimori_service_info{job=\"%s\"} offset %s\n"
	    "              unless ignoring(pid)\n"
	    "              sakimori_service_info{job=\"%s\"})\n"
	    "          )\n"
	    "          and on(instance, job) (up{job=\"%s\"} == 1)\n"
	    "          and on(instance, job) (up{job=\"%s\"} offset %s == 1)\n"
	    "        labels:\n"
	    "          severity: warning\n"
	    "        annotations:\n"
	    "          summary: 'the server table of {{ $labels.instance }}"
	    " changed in the last %s ({{ $value }} entries)'\n"
	    "          description: 'sakimori fleet table, and sakimori check"
	    " on the host, say what'\n",
	    o->job, o->job, o->window, o->job, o->window, o->job, o->job,
	    o->job, o->window, o->job, o->window, o->job, o->job, o->job,
	    o->window, o->window);
}
