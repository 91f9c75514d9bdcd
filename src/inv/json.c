/*
 * json.c - the inventory's stable JSON form, schema 2 (see
 * docs/inventory.md): written by inv_to_json, read back by inv_from_json
 * for the comparison with the previous inventory.
 */
#include "inv/inventory.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/civtime.h"
#include "base/err.h"
#include "base/json.h"

json_t *
inv_to_json(const struct inventory *inv)
{
	json_t *o = json_object(), *host = json_object(), *osj = json_object(),
	       *k = json_object(), *cpu = json_object(), *ifs = json_array(),
	       *dk = json_array(), *fss = json_array(), *sv = json_array();

	jset(o, "type", json_string("inventory"));
	jset(o, "schema", json_integer(INV_SCHEMA));
	jset(o, "taken_at", jtime((int64_t)inv->taken_at));
	jset(host, "hostname", jstr(inv->hostname));
	jset(host, "fqdn", jstr(inv->fqdn));
	jset(host, "ip", jstr(inv_primary_ip(inv)));
	jset(host, "location", jstr(inv->location));
	jset(host, "rack", jstr(inv->rack));
	jset(host, "owner", jstr(inv->owner));
	jset(o, "host", host);
	jset(osj, "id", jstr(inv->os_id));
	jset(osj, "name", jstr(inv->os_name));
	jset(osj, "version", jstr(inv->os_version));
	jset(osj, "pretty_name", jstr(inv->os_pretty));
	jset(o, "os", osj);
	jset(k, "release", jstr(inv->kernel_release));
	jset(k, "version", jstr(inv->kernel_version));
	jset(k, "arch", jstr(inv->arch));
	jset(o, "kernel", k);
	jset(cpu, "model", jstr(inv->cpu_model));
	jset(cpu, "count", json_integer(inv->cpu_count));
	jset(o, "cpu", cpu);
	jset(o, "memory_bytes",
	    json_integer((json_int_t)inv->mem_total_kb * 1024));
	jset(o, "uptime_seconds", json_integer((json_int_t)inv->uptime_s));
	jset(o, "virtualization", jstr(inv->virt));
	for (unsigned i = 0; i < inv->nifaces; i++) {
		const struct inv_iface *f = &inv->ifaces[i];
		json_t *fo = json_object(), *addrs = json_array();

		jset(fo, "name", jstr(f->name));
		jset(fo, "mac", jstr(f->mac));
		for (unsigned j = 0; j < f->naddrs; j++)
			json_array_append_new(addrs, jstr(f->addrs[j]));
		jset(fo, "addresses", addrs);
		json_array_append_new(ifs, fo);
	}
	jset(o, "interfaces", ifs);
	for (unsigned i = 0; i < inv->ndisks; i++) {
		const struct inv_disk *d = &inv->disks[i];
		json_t *d_o = json_object();

		jset(d_o, "device", jstr(d->name));
		jset(
		    d_o, "size_bytes", json_integer((json_int_t)d->size_bytes));
		jset(d_o, "model", jstr(d->model));
		jset(d_o, "rotational",
		    d->rotational < 0 ? json_null()
		                      : json_boolean(d->rotational));
		json_array_append_new(dk, d_o);
	}
	jset(o, "disks", dk);
	for (unsigned i = 0; i < inv->nfs; i++) {
		const struct inv_fs *f = &inv->fs[i];
		json_t *fo = json_object();

		jset(fo, "mount", jstr(f->mount));
		jset(fo, "source", jstr(f->device));
		jset(fo, "fstype", jstr(f->type));
		jset(fo, "size_bytes", json_integer((json_int_t)f->size_bytes));
		jset(fo, "used_bytes", json_integer((json_int_t)f->used_bytes));
		json_array_append_new(fss, fo);
	}
	jset(o, "filesystems", fss);
	for (unsigned i = 0; i < inv->nsvcs; i++) {
		const struct inv_svc *s = &inv->svcs[i];
		json_t *so = json_object(), *pids = json_array(),
		       *ls = json_array();

		jset(so, "name", jstr(s->name));
		jset(so, "package", jstr(s->package));
		jset(so, "package_version", jstr(s->package_version));
		jset(so, "version", jstr(s->version));
		jset(so, "exe", jstr(s->exe));
		jset(so, "process", jstr(s->comm));
		jset(so, "user", jstr(s->user));
		jset(so, "listening", json_boolean(s->listening));
		for (unsigned j = 0; j < s->npids; j++)
			json_array_append_new(pids, json_integer(s->pids[j]));
		jset(so, "pids", pids);
		for (unsigned j = 0; j < s->nlisten; j++) {
			json_t *l = json_object();

			jset(l, "proto", jstr(s->listen[j].proto));
			jset(l, "address", jstr(s->listen[j].addr));
			jset(l, "port", json_integer(s->listen[j].port));
			json_array_append_new(ls, l);
		}
		jset(so, "listen", ls);
		json_array_append_new(sv, so);
	}
	jset(o, "services", sv);
	jset(o, "skipped", json_integer(inv->skipped));
	return o;
}

static void
get(const json_t *o, const char *key, char *dst, size_t dstsz)
{
	const json_t *v = json_object_get(o, key);

	snprintf(
	    dst, dstsz, "%s", json_is_string(v) ? json_string_value(v) : "");
}

int
inv_from_json(struct inventory *inv, const json_t *j, struct err *err)
{
	const json_t *sv, *v;
	size_t i;

	memset(inv, 0, sizeof(*inv));
	if (!json_is_object(j) ||
	    !json_is_integer(v = json_object_get(j, "schema")))
		return err_set(err, EINVAL, "not an inventory (no schema)");
	if (json_integer_value(v) > INV_SCHEMA)
		return err_set(err, EPROTO,
		    "inventory schema %lld is newer than this sakimori reads "
		    "(%d); kept as it is",
		    (long long)json_integer_value(v), INV_SCHEMA);
	if (json_integer_value(v) < 1)
		return err_set(err, EINVAL,
		    "inventory schema %lld, expected %d",
		    (long long)json_integer_value(v), INV_SCHEMA);
	/* Schema 1 kept the time as a number too; 2 has the stamp alone. */
	v = json_object_get(j, "taken_at_epoch");
	if (json_is_integer(v)) {
		inv->taken_at = (time_t)json_integer_value(v);
	} else if (json_is_string(v = json_object_get(j, "taken_at"))) {
		const char *c = json_string_value(v);
		struct civtime t = {0};

		if (civ_iso(&c, c + strlen(c), &t, CIV_ISO_T) == 0)
			inv->taken_at = (time_t)civ_epoch(&t);
	}
	get(json_object_get(j, "host"), "hostname", inv->hostname,
	    sizeof(inv->hostname));
	sv = json_object_get(j, "services");
	if (!json_is_array(sv))
		return err_set(err, EINVAL, "inventory has no services array");
	json_array_foreach(sv, i, v)
	{
		struct inv_svc *s;
		const json_t *ls, *l, *pids, *p;
		size_t k;

		if (inv->nsvcs >= INV_MAX_SVCS)
			break;
		if (!json_is_object(v))
			return err_set(
			    err, EINVAL, "service %zu is not an object", i);
		s = &inv->svcs[inv->nsvcs++];
		get(v, "name", s->name, sizeof(s->name));
		get(v, "package", s->package, sizeof(s->package));
		get(v, "package_version", s->package_version,
		    sizeof(s->package_version));
		get(v, "version", s->version, sizeof(s->version));
		get(v, "exe", s->exe, sizeof(s->exe));
		get(v, "process", s->comm, sizeof(s->comm));
		get(v, "user", s->user, sizeof(s->user));
		s->listening = json_is_true(json_object_get(v, "listening"));
		pids = json_object_get(v, "pids");
		json_array_foreach(pids, k, p)
		{
			if (s->npids < INV_MAX_PIDS && json_is_integer(p))
				s->pids[s->npids++] =
				    (int)json_integer_value(p);
		}
		ls = json_object_get(v, "listen");
		if (ls != NULL && !json_is_array(ls))
			return err_set(err, EINVAL,
			    "service %zu: listen is not an array", i);
		json_array_foreach(ls, k, l)
		{
			struct inv_listen *x;
			const json_t *port = json_object_get(l, "port");

			if (s->nlisten >= INV_MAX_LISTEN)
				break;
			if (!json_is_integer(port))
				return err_set(err, EINVAL,
				    "service %zu: listen entry without a port",
				    i);
			x = &s->listen[s->nlisten++];
			get(l, "proto", x->proto, sizeof(x->proto));
			get(l, "address", x->addr, sizeof(x->addr));
			x->port = (unsigned)json_integer_value(port);
		}
	}
	return 0;
}

_Static_assert(INV_SCHEMA == JSON_SCHEMA,
    "the inventory is written in the contract's own version");
