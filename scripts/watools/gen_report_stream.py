#!/usr/bin/env python3
"""usage: scripts/watools/gen_report_stream.py OUT.ndjson

Writes a large wa-aggregate-shaped stream for sizing wa-report's HTML page and CSV tables:
60 daily window records, 500 conversation records and a final version 2 snapshot, each with
1,000 agents, 500 templates and 200 campaigns (built from Tests/Fixtures/report/
snapshot-v2.ndjson; seeded, so the same file every run). docs/report-html-csv.md quotes the
page size and the render time of its page.
"""
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
import json, copy, random, datetime
if len(sys.argv) != 2:
    sys.exit(__doc__.strip().splitlines()[0])
random.seed(7)
base = json.loads(open(os.path.join(ROOT, 'Tests/Fixtures/report/snapshot-v2.ndjson')).readline())
agent = base["agents"]["agent_789"]
base["agents"] = {f"agent_{i:04d}_" + "x"*random.randint(0, 20): copy.deepcopy(agent) for i in range(1000)}
tpl = base["templates"]["order_update"]
base["templates"] = {f"template_{i:03d}_name": dict(copy.deepcopy(tpl), sent=random.randint(0, 5000)) for i in range(500)}
camp = base["campaigns"]["bf-2026"]
base["campaigns"] = {f"cmp-{i:03d}": dict(copy.deepcopy(camp), name=f"Campaign number {i}") for i in range(200)}
base["cost"]["byTemplate"] = {k: round(random.random()*50, 2) for k in base["templates"]}
lines = []
start = datetime.datetime(2026, 9, 1, tzinfo=datetime.timezone.utc)
for d in range(60):
    w = copy.deepcopy(base)
    w["kind"] = "wa.window"; w.pop("final"); w.pop("eventTime")
    w["input"] = {"events": 400 + d, "duplicates": 2}
    s = start + datetime.timedelta(days=d)
    e = s + datetime.timedelta(days=1)
    w["window"] = {"size": "1d", "tz": "UTC", "start": s.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "end": e.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "complete": d < 59, "revision": 1}
    w["messages"]["received"] = 1000 + random.randint(0, 400)
    w["messages"]["sent"] = 900 + random.randint(0, 400)
    lines.append(json.dumps(w, separators=(",", ":")))
for c in range(500):
    lines.append(json.dumps({"kind":"wa.conversation","version":2,"chatId":f"chat_{c}","resolvedAt":"2026-10-30T10:00:00.000Z","agentId":f"agent_{c%1000:04d}","resolution":"solved","firstInboundAt":None,"firstResponseSeconds":c,"firstResponseBusinessSeconds":None,"messageCount":5,"observedMessageCount":5,"durationMinutes":10,"observedDurationMinutes":10,"handling":"agentOnly","sla":{"firstResponse":"met","resolution":None}}))
lines.append(json.dumps(base, separators=(",", ":")))
open(sys.argv[1], 'w').write("\n".join(lines) + "\n")
