#!/usr/bin/env python3
"""usage: scripts/watools/check_report_csv.py TABLE TABLE.csv RECORDS.ndjson

Reads a table written by `wa-report --format csv --table TABLE` back with Python's csv
module and checks it against the records it was made from (wa-aggregate's NDJSON: the last
snapshot; the highest revision of each window; every conversation record), independently
of wa-report's code: every row, every documented column, the numbers equal, text fields
equal once the formula guard (a leading ' before = + - @ tab CR) is taken off, records
ended by CRLF. Prints each difference; exits 0 when there is none, 1 otherwise.
"""
import csv
import io
import json
import re
import sys

GUARDED = ("=", "+", "-", "@", "\t", "\r")
# A UTC offset such as -05:00 (a window's zone) is written as it is: it cannot be a formula.
OFFSET = re.compile(r"[+-][0-9]{2}:[0-9]{2}")


def unguard(text):
    """The text before the guard: a ' followed by one of GUARDED is taken off."""
    if text.startswith("'") and text[1:].startswith(GUARDED):
        return text[1:]
    return text


def unguarded(text, problems):
    if text.startswith(GUARDED) and not OFFSET.fullmatch(text):
        problems.append(f"no formula guard: {text!r}")
    return unguard(text)


def field(value):
    """The CSV text of a JSON value as the docs describe it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    return value


def same(cell, expected):
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return cell != "" and float(cell) == float(expected)
    return cell == expected


def get(obj, *path):
    for key in path:
        if obj is None:
            return None
        obj = obj.get(key)
    return obj


def expected_rows(table, records):
    snapshots = [r for r in records if r["kind"] == "wa.snapshot"]
    s = snapshots[-1] if snapshots else {}
    if table == "agents":
        for name, a in s.get("agents", {}).items():
            r = a["responseTime"]
            yield name, {
                "agent": name, "messages_sent": a["messagesSent"],
                "chats_resolved": a["chatsResolved"],
                "avg_duration_minutes": a["avgDurationMinutes"],
                "avg_message_count": a["avgMessageCount"], "responses": r["count"],
                "response_mean_seconds": r["meanSeconds"], "response_p50_seconds": r["p50Seconds"],
                "response_p90_seconds": r["p90Seconds"], "response_p99_seconds": r["p99Seconds"],
                "response_max_seconds": r["maxSeconds"],
                "response_business_p50_seconds": get(r, "business", "p50Seconds"),
                "assignment_response_p50_seconds": get(a, "assignmentResponseTime", "p50Seconds"),
                "sla_first_response_met": get(a, "sla", "firstResponse", "met"),
                "sla_first_response_missed": get(a, "sla", "firstResponse", "missed"),
                "sla_first_response_pending": get(a, "sla", "firstResponse", "pending"),
                "sla_resolution_met": get(a, "sla", "resolution", "met"),
                "sla_resolution_missed": get(a, "sla", "resolution", "missed"),
                "sla_resolution_pending": get(a, "sla", "resolution", "pending"),
            }
    elif table == "countries":
        for code, c in s.get("countries", {}).items():
            yield code, {"country": code, "received": c["received"], "sent": c["sent"],
                         "contacts": c["contacts"], "users": c["users"],
                         "billable": c.get("billable")}
    elif table in ("templates", "campaigns"):
        for name, t in (s.get(table) or {}).items():
            row = {"template" if table == "templates" else "campaign": name}
            for k in ("sent", "delivered", "read", "replied", "failed", "clicked"):
                row[k] = t.get(k)
            for k in ("delivery", "read", "reply"):
                row[k + "_rate"] = get(t, "rates", k)
            if table == "campaigns":
                row.update({"name": t.get("name"), "template": t.get("templateId"),
                            "audience": t.get("audience")})
            yield name, row
    elif table == "windows":
        best = {}
        for r in records:
            if r["kind"] == "wa.window":
                key = r["window"]["start"]
                if key not in best or r["window"]["revision"] >= best[key]["window"]["revision"]:
                    best[key] = r
        for key in sorted(best):
            w = best[key]
            yield key, {
                "start": w["window"]["start"], "end": w["window"]["end"],
                "size": w["window"]["size"], "complete": field(w["window"]["complete"]),
                "revision": w["window"]["revision"], "received": w["messages"]["received"],
                "sent": w["messages"]["sent"], "delivered": w["funnel"]["delivered"],
                "read": w["funnel"]["read"], "replied": w["funnel"]["replied"],
                "failed": w["funnel"]["failed"], "read_rate": w["rates"]["read"],
                "reply_rate": w["rates"]["reply"],
                "first_response_p50_seconds": get(w, "firstResponseTime", "p50Seconds"),
                "chats_resolved": w["conversations"]["resolved"],
                "users": w["users"]["unique"], "events": w["input"]["events"],
            }
    elif table == "conversations":
        names = {"chat": "chatId", "resolved_at": "resolvedAt", "agent": "agentId",
                 "resolution": "resolution", "first_inbound_at": "firstInboundAt",
                 "first_response_seconds": "firstResponseSeconds",
                 "first_response_business_seconds": "firstResponseBusinessSeconds",
                 "message_count": "messageCount", "observed_message_count": "observedMessageCount",
                 "duration_minutes": "durationMinutes",
                 "observed_duration_minutes": "observedDurationMinutes", "handling": "handling"}
        for n, r in enumerate(x for x in records if x["kind"] == "wa.conversation"):
            row = {col: r.get(key) for col, key in names.items()}
            row["sla_first_response"] = get(r, "sla", "firstResponse")
            row["sla_resolution"] = get(r, "sla", "resolution")
            yield n, row


def records_end_with_crlf(raw):
    """Whether every record ends with CRLF: a line feed outside quotes must follow a CR (a
    quoted field may hold a bare line feed; a doubled quote toggles twice, so it is skipped)."""
    quoted = False
    for i, byte in enumerate(raw):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x0A and not quoted and (i == 0 or raw[i - 1] != 0x0D):
            return False
    return raw.endswith(b"\r\n") and not quoted


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    table, csv_path, ndjson_path = sys.argv[1:]
    raw = open(csv_path, "rb").read()
    problems = []
    if raw and not records_end_with_crlf(raw):
        problems.append("a record is not ended by CRLF")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    records = [json.loads(line) for line in open(ndjson_path, encoding="utf-8") if line.strip()]
    expected = list(expected_rows(table, records))
    if len(rows) != len(expected):
        problems.append(f"{len(rows)} rows, expected {len(expected)}")
    by_key = dict(enumerate(rows))
    key_column = {"agents": "agent", "countries": "country", "templates": "template",
                  "campaigns": "campaign", "windows": "start"}.get(table)
    if key_column:
        by_key = {unguarded(row[key_column], problems): row for row in rows}
    for key, want in expected:
        row = by_key.get(key if key_column else key)
        if row is None:
            problems.append(f"no row for {key!r}")
            continue
        for column, value in want.items():
            if column not in row:
                problems.append(f"no column {column}")
                continue
            cell = row[column]
            if isinstance(value, str):
                cell = unguarded(cell, problems)
            if value is None:
                ok = cell == ""
            else:
                ok = same(cell, value)
            if not ok:
                problems.append(f"{key!r} {column}: CSV {cell!r}, records {value!r}")
    for p in problems:
        print(p)
    print(f"{table}: {len(rows)} rows, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
