#!/usr/bin/env python3
"""json_validate.py SCHEMA_DIR FILE: every line of FILE (JSON lines) has a
type with a schema in SCHEMA_DIR (docs/schema) and is valid against it
(python3-jsonschema).  Prints one line per problem, nothing when all is
well; the integration tests compare that with nothing."""
import json, os, sys
import jsonschema

d, path = sys.argv[1], sys.argv[2]
schemas = {}
for f in sorted(os.listdir(d)):
    if f.endswith(".json"):
        with open(os.path.join(d, f)) as fp:
            s = json.load(fp)
        jsonschema.Draft202012Validator.check_schema(s)
        schemas[f[:-5]] = jsonschema.Draft202012Validator(
            s, format_checker=jsonschema.FormatChecker())
bad = 0
with open(path) as fp:
    for n, line in enumerate(fp, 1):
        o = json.loads(line)
        t = o.get("type") if isinstance(o, dict) else None
        if t not in schemas:
            print(f"line {n}: no schema for type {t!r}: {line[:200]}")
            bad += 1
            continue
        for e in schemas[t].iter_errors(o):
            print(f"line {n} ({t}): {e.json_path}: {e.message[:200]}")
            bad += 1
        if bad > 20:
            break
