"""The "same work" peer: wa-aggregate's dashboard (SPEC §5, the version 1 snapshot) computed
by DuckDB in SQL, from the NDJSON file, with as many threads as argv[2] (default: all).

usage: dashboard_duckdb.py FILE [THREADS]     (prints the numbers as JSON)

The SQL is dashboard.sql beside this file. What it computes as wa-aggregate does: event time
(timestamp, else receivedAt, else the latest time seen so far), duplicates (SPEC §5 keys),
message counts with the sent split and content types, failures by code, the funnel with
replies (24 h window and replyTo) and rates, response times (all and agent, per agent) with
mean, nearest-rank p50/p90/p99 and max, volume by hour and the weekday × hour heatmap (UTC),
countries (countryCode, else context, else the number's region, else a BSUID's prefix, else
ZZ) with received, sent, contacts and approximate distinct users, agents, conversations,
contacts by source, distinct users. What it leaves out: version 2 sections (identity
linking, first response per conversation, SLA, business hours, pricing, templates,
campaigns, windows), event-time outlier rules, and bounded state: it holds the whole file.
The number→region table is the generator's own phone ranges (exact on generated streams).
"""
import importlib.util
import json
import os
import sys

import duckdb

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1].replace("'", "''")
con = duckdb.connect()
if len(sys.argv) > 2:
    con.execute(f"set threads = {int(sys.argv[2])}")

# Number prefix -> region, from the generator's ranges.
spec = importlib.util.spec_from_file_location(
    "gen_events", os.path.join(here, "..", "watools", "gen_events.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
prefixes = {}
for code, cc, _weight, _tz, ranges in gen.REGIONS:
    for item in ranges.split():
        for prefix, _length in gen.expand(item):
            prefixes["+" + cc + prefix] = code
con.execute("create temp table region_prefix(prefix varchar, plen int, code varchar)")
con.executemany("insert into region_prefix values (?, ?, ?)",
                [(p, len(p), c) for p, c in prefixes.items()])

# Longest prefix first: one equality join per prefix length.
lengths = sorted({len(p) for p in prefixes}, reverse=True)
joins = "\n".join(f"left join region_prefix r{n} on r{n}.plen = {n} and "
                  f"r{n}.prefix = left(d.userId, {n})" for n in lengths)
codes = ", ".join(f"r{n}.code" for n in lengths)
sql = (open(os.path.join(here, "dashboard.sql")).read().replace("{FILE}", path)
       .replace("{REGION_JOINS}", joins).replace("{REGION_CODES}", codes))
out = {}
for statement in [s.strip() for s in sql.split(";") if s.strip()]:
    name = statement.split("\n", 1)[0]
    if name.startswith("-- result "):
        rows = con.sql(statement).fetchall()
        out[name[len("-- result "):]] = [[str(v) if not isinstance(v, (int, float, type(None)))
                                          else v for v in row] for row in rows]
    else:
        con.execute(statement)
print(json.dumps(out))
