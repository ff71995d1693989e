#!/usr/bin/env python3
"""test_gen_events: self-checks of gen_events.py (also run by `gen_events.py --self-test`).

usage: scripts/watools/test_gen_events.py

- determinism: the same arguments give byte-identical output and truth, another seed does not;
- every output line is judged by an independent SPEC §1-2 checker (below, written from the
  spec and the README's decisions, not from the generator) and must match the generator's own
  label: valid events with exactly the expected warnings, blank lines, and each invalid line
  rejected with exactly its intended code (and no other);
- the ground truth (--truth) is recounted from the lines: distinct events by name (with
  wa-aggregate's duplicate keys), duplicates, rejections by code, warnings;
- every rejection code but line_too_long appears in a small stream (line_too_long: --hostile);
- examples/webhook.log and webhook.truth.json are what the recorded command produces.
Python 3 standard library; `phonenumbers`, when installed, adds the country_mismatch check.
"""
import io, json, os, re, sys
from collections import Counter

try:  # imported as watools.test_gen_events
    from . import gen_events as gen
except ImportError:  # run as a file: its folder is on sys.path
    import gen_events as gen

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

MIB = 1 << 20
EVENTS = ("message.received", "message.sent", "message.delivered", "message.read", "chat.resolved",
          "contact.created", "message.failed", "chat.assigned", "campaign.sent")
# The known content types of the contract (docs/contract.md, §2), written out here rather than
# imported, so that the checker stays independent of the generator.
CONTENT_TYPES = {"text", "image", "video", "audio", "document", "sticker", "location", "contacts", "interactive",
                 "button", "reaction", "template", "order", "unsupported", "request_welcome", "system",
                 "ephemeral", "unknown"}
REQUIRED = {"message.received": ("messageId", "chatId"), "message.sent": ("messageId",),
            "message.delivered": ("messageId",), "message.read": ("messageId",), "message.failed": ("messageId",),
            "chat.resolved": ("chatId", "messageCount", "durationMinutes"), "contact.created": (),
            "chat.assigned": ("chatId", "agentId"), "campaign.sent": ("campaignId",)}
CODES = {"invalid_utf8", "invalid_json", "too_deep", "duplicate_key", "not_an_object", "missing_field", "wrong_type",
         "invalid_value", "unknown_event", "invalid_e164", "invalid_timestamp", "invalid_country_code"}
SAMPLE = ["--seed", "1", "--events", "3000", "--invalid-rate", "0.02", "--blank-rate", "0.003", "--duplicate-rate", "0.02",
          "--bsuid-share", "0.2", "--both-share", "0.1", "--pricing-rate", "0.6", "--assign-rate", "0.4",
          "--campaigns"]

ISO_ALPHA2 = set((
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
    "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM "
    "FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN "
    "MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT "
    "PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL "
    "TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VU WF WS YE YT ZA ZM ZW").split())
CALLING_CODES = set((  # ITU-assigned country calling codes (as in libphonenumber 9.0)
    "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 "
    "82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 "
    "235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 "
    "263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 "
    "375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 "
    "592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 "
    "691 692 800 808 850 852 853 855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 "
    "971 972 973 974 975 976 977 979 992 993 994 995 996 998").split())

# --- an independent SPEC §1-2 checker ----------------------------------------------------------
TS_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
                   r"([Zz]|[+-]([0-9]{2}):([0-9]{2}))")
E164_RE = re.compile(r"\+[1-9][0-9]{6,14}")


def rfc3339_ok(s):
    m = TS_RE.fullmatch(s)
    if not m:
        return False
    y, mo, d, h, mi, sec = (int(x) for x in m.groups()[:6])
    if not (1 <= mo <= 12 and 1 <= d <= [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31,
                                        30, 31, 31, 30, 31, 30, 31][mo - 1] and h < 24 and mi < 60 and sec <= 60):
        return False
    return m.group(9) is None or (int(m.group(9)) < 24 and int(m.group(10)) < 60)


BSUID_RE = re.compile(r"([A-Z]{2})\.(ENT\.)?[A-Za-z0-9]{1,128}")


def e164_ok(u):
    return bool(E164_RE.fullmatch(u)) and any(u[1:1 + k] in CALLING_CODES for k in (1, 2, 3))


def bsuid_ok(u):
    """A business-scoped user ID (SPEC §2): an assigned alpha-2 code or ZZ, '.', optionally
    'ENT.', then 1-128 ASCII letters and digits."""
    m = BSUID_RE.fullmatch(u)
    return bool(m) and (m.group(1) in ISO_ALPHA2 or m.group(1) == "ZZ")


def user_id_code(u):
    """None for a valid userId, else its code: invalid_e164 when it looks like a number."""
    if e164_ok(u) or bsuid_ok(u):
        return None
    return "invalid_e164" if u[:1] == "+" or u[:1].isdigit() else "invalid_user_id"


def check_line(raw, region_of=None):
    """(kind, codes, warnings) for one line (bytes, without its \\n), by SPEC §1-2 read
    independently of the generator: kind is blank, event or reject."""
    raw = raw[:-1] if raw.endswith(b"\r") else raw
    if len(raw) > MIB:
        return "reject", ["line_too_long"], []
    if not raw.strip(b" \t"):
        return "blank", [], []
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "reject", ["invalid_utf8"], []
    depth = deepest = 0
    if s.count("[") + s.count("{") > 64:
        quoted = escaped = False
        for ch in s:
            if quoted:
                quoted, escaped = (True, False) if escaped else (ch != '"', ch == "\\")
            elif ch == '"':
                quoted = True
            elif ch in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif ch in "]}":
                depth -= 1
    if deepest > 64:
        return "reject", ["too_deep"], []

    class Dup(Exception):
        pass

    def pairs(kv):
        keys = [k for k, _ in kv]
        if len(set(keys)) != len(keys):
            raise Dup
        return dict(kv)

    def no_constant(x):
        raise ValueError(x)

    try:
        d = json.loads(s, object_pairs_hook=pairs, parse_constant=no_constant)
        json.dumps(d, ensure_ascii=False).encode("utf-8")  # a lone surrogate escape fails here
    except Dup:
        return "reject", ["duplicate_key"], []
    except (ValueError, UnicodeEncodeError):
        return "reject", ["invalid_json"], []
    codes, warns = event_problems(d, region_of)
    return ("reject" if codes else "event"), codes, warns


def event_problems(d, region_of):
    """Rejection codes and warnings of one parsed line (null counts as absent)."""
    if not isinstance(d, dict):
        return ["not_an_object"], []
    codes, warns = [], []
    is_int = lambda v: (type(v) is int) or (type(v) is float and v.is_integer())
    is_num = lambda v: type(v) in (int, float)

    def field(obj, key, typ, rule=None, code="invalid_value", required=True):
        v = obj.get(key)
        if v is None:
            if required:
                codes.append("missing_field")
        elif not typ(v):
            codes.append("wrong_type")
        elif rule and not rule(v):
            codes.append(code)
        return v

    is_str = lambda v: type(v) is str
    field(d, "type", is_str, lambda v: v == "track")
    name = field(d, "event", is_str, lambda v: v in EVENTS, "unknown_event")
    campaign = name == "campaign.sent"
    user = field(d, "userId", is_str, lambda v: v != "", "invalid_value", not campaign)
    if not campaign and type(user) is str and user_id_code(user):
        codes.append(user_id_code(user))
    field(d, "timestamp", is_str, rfc3339_ok, "invalid_timestamp", name in ("message.received", "message.sent"))
    p = field(d, "properties", lambda v: type(v) is dict)
    c = field(d, "context", lambda v: type(v) is dict)
    country = lambda v: v.upper() in ISO_ALPHA2
    if type(c) is dict:
        field(c, "channel", is_str, lambda v: v == "whatsapp")
        field(c, "countryCode", is_str, country, "invalid_country_code", False)
        field(c, "bsuid", is_str, bsuid_ok, "invalid_user_id", False)
        field(c, "username", is_str, None, "invalid_value", False)
    if type(p) is not dict or name not in EVENTS:
        return codes, warns
    ident = (is_str, lambda v: v != "")
    rules = {"messageId": ident, "chatId": ident, "agentId": ident, "templateId": ident, "replyTo": ident,
             "contentType": (is_str, None), "hasMedia": (lambda v: type(v) is bool, None),
             "isAutomated": (lambda v: type(v) is bool, None), "resolution": (is_str, None),
             "messageCount": (is_int, lambda v: v >= 0), "durationMinutes": (is_num, lambda v: v >= 0),
             "source": (is_str, None), "errorCode": (is_int, None), "errorTitle": (is_str, None),
             "campaignId": ident, "campaignName": (is_str, None), "recipientCount": (is_int, lambda v: v >= 0),
             "previousAgentId": (is_str, None), "assignmentType": (is_str, None),
             "pricing": (lambda v: type(v) is dict, lambda v: all(
                 type(v.get(k)) is t for k, t in (("billable", bool), ("model", str), ("category", str),
                                                  ("type", str)) if v.get(k) is not None))}
    optional = {"message.received": ("contentType", "hasMedia", "replyTo"),
                "message.sent": ("chatId", "contentType", "templateId", "agentId", "isAutomated", "campaignId",
                                 "pricing"),
                "message.delivered": ("pricing",), "message.read": ("pricing",),
                "chat.assigned": ("previousAgentId", "assignmentType"),
                "campaign.sent": ("campaignName", "templateId", "recipientCount"),
                "chat.resolved": ("agentId", "resolution"), "contact.created": ("source",),
                "message.failed": ("errorCode", "errorTitle")}
    for k in REQUIRED[name]:
        field(p, k, *rules[k])
    for k in optional.get(name, ()):
        field(p, k, *rules[k], required=False)
    field(p, "countryCode", is_str, country, "invalid_country_code", False)
    if codes:
        return codes, warns
    if name in ("message.received", "message.sent") and p.get("contentType", "text") not in CONTENT_TYPES:
        warns.append("unknown_content_type")
    if name == "chat.resolved" and p.get("agentId") is None:
        warns.append("missing_agent_id")
    if name == "contact.created" and p.get("countryCode") is None and c.get("countryCode") is None:
        warns.append("missing_country_code")
    for cc in (p.get("countryCode"), c.get("countryCode")):
        if cc and region_of and cc.upper() != region_of(user):
            warns.append("country_mismatch")
    return codes, warns


def is_foreign(d):
    """SPEC §2 (version 2): not a WhatsApp track event: another call type, another channel, or
    no channel and a name that is none of ours."""
    if not isinstance(d, dict):
        return False
    channel = (d.get("context") or {}).get("channel") if isinstance(d.get("context"), dict) else None
    return (d.get("type") != "track" or channel is not None and channel != "whatsapp"
            or channel is None and d.get("event") not in EVENTS)


def batch_items(raw):
    """The elements of a batch line, each as bytes, or None when the line is no batch."""
    try:
        d = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(d, dict) or not isinstance(d.get("batch"), list) or set(d) - {"batch", "sentAt"}:
        return None
    return [json.dumps(x, ensure_ascii=False).encode("utf-8") for x in d["batch"]]


def phone_region(uid):
    """Region of a number by libphonenumber (`pip install phonenumbers`), of a BSUID by its
    prefix; None without libphonenumber."""
    try:
        import phonenumbers
    except ImportError:
        return None
    if bsuid_ok(uid):
        return uid[:2]
    return phonenumbers.region_code_for_number(phonenumbers.parse(uid, None))



def sample_is_current():
    """examples/webhook.log and webhook.truth.json are what the recorded command makes now."""
    log, truth_file = (os.path.join(ROOT, "examples", n) for n in ("webhook.log", "webhook.truth.json"))
    if not os.path.exists(log):
        return []
    buf = io.BytesIO()
    truth = gen.generate(gen.parse_args(SAMPLE), buf)
    with open(log, "rb") as f, open(truth_file) as g:
        same = f.read() == buf.getvalue() and json.load(g) == truth
    print("self-test examples/webhook.log: %s" % ("up to date" if same else "STALE"))
    return [] if same else ["examples/webhook.log or webhook.truth.json is stale: regenerate it with "
                            "scripts/watools/gen_events.py %s --out examples/webhook.log "
                            "--truth examples/webhook.truth.json" % " ".join(SAMPLE)]


def self_test():
    """Determinism, every line judged by the independent checker against its label, the truth
    recounted from the lines, coverage of every rejection code."""
    failures = []
    region = phone_region if phone_region("+254712345678") else None
    cases = [["--seed", "7", "--events", "4000", "--invalid-rate", ".06", "--blank-rate", ".01", "--duplicate-rate", ".03"],
             ["--seed", "2", "--events", "1500", "--invalid-rate", ".02", "--hostile"],
             ["--seed", "3", "--events", "800", "--days", "1", "--start", "2026-03-29T00:30:00+02:00"],
             ["--seed", "4", "--events", "2500", "--invalid-rate", ".04", "--bsuid-share", ".2", "--both-share", ".1",
              "--pricing-rate", ".5", "--assign-rate", ".5", "--campaigns"],
             ["--seed", "5", "--events", "2000", "--invalid-rate", ".03", "--blank-rate", ".01",
              "--batch-share", ".3", "--foreign-share", ".1", "--bsuid-share", ".2", "--both-share", ".1"]]
    for argv in cases:
        a = gen.parse_args(argv)
        runs = []
        for _ in range(2):
            buf, labels = io.BytesIO(), []
            truth = gen.generate(a, buf, labels)
            runs.append((buf.getvalue(), truth, labels))
        data, truth, labels = runs[0]
        if runs[1][0] != data or runs[1][1] != truth:
            failures.append("%s: two runs differ" % argv)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        if len(lines) != len(labels) or len(lines) != truth["lines"]:
            failures.append("%s: %d lines, %d labels, truth %d" % (argv, len(lines), len(labels), truth["lines"]))
        kinds, seen, distinct, warns = Counter(), Counter(), Counter(), Counter()
        items, batches, foreign = [], 0, 0
        for i, (raw, label) in enumerate(zip(lines, labels), 1):
            if label.startswith("batch "):  # a collector batch call: each element on its own
                elements = batch_items(raw)
                batches += 1
                inner = json.loads(label[6:])
                if elements is None or len(elements) != len(inner) or len(inner) < 2:
                    failures.append("line %d: label %r but %r" % (i, label, raw[:200]))
                    continue
                items += [(i, e, x) for e, x in zip(elements, inner)]
            else:
                items.append((i, raw, label))
        for i, raw, label in items:
            if label == "foreign":
                foreign += 1
                try:
                    d = json.loads(raw)
                except ValueError:
                    d = None
                if not is_foreign(d):
                    failures.append("line %d: label foreign, not foreign: %r" % (i, raw[:200]))
                continue
            kind, codes, w = check_line(raw, region)
            want = label.split()
            if want[0] == "reject":
                ok = kind == "reject" and codes == [want[1].split("/")[0]]
                seen[want[1].split("/")[0]] += 1
            elif want[0] == "blank":
                ok = kind == "blank"
            else:
                expected = want[1][5:].split(",") if len(want) > 1 else []
                ok = kind == "event" and (w == expected or region is None and
                                          [x for x in w] == [x for x in expected if x != "country_mismatch"])
                warns.update(w)
                if ok:
                    d = json.loads(raw)
                    p = d["properties"]
                    when = d.get("timestamp") or d.get("receivedAt") or i
                    key = ((d["event"], p["messageId"]) if d["event"].startswith("message.") else d["userId"]
                           if d["event"] == "contact.created" else p["campaignId"] if d["event"] == "campaign.sent"
                           else (p["chatId"], p["agentId"], when) if d["event"] == "chat.assigned"
                           else (p["chatId"], when))
                    if key not in distinct:
                        kinds[d["event"]] += 1
                    distinct[key] += 1
            if not ok:
                failures.append("line %d: label %r, checker %s %s %s: %r" % (i, label, kind, codes, w, raw[:200]))
        if (batches, len(items) - len(lines) + batches, foreign) != (
                truth["batches"], truth["batchItems"], truth["foreign"]):
            failures.append("%s: batches %d, items %d, foreign %d != truth %s" % (
                argv, batches, len(items) - len(lines) + batches, foreign,
                [truth[k] for k in ("batches", "batchItems", "foreign")]))
        if truth["lines"] - truth["batches"] + truth["batchItems"] != (
                truth["blank"] + truth["rejected"] + truth["foreign"] + truth["events"]):
            failures.append("%s: the truth does not add up" % argv)
        if dict(sorted(kinds.items())) != truth["distinct"]["byEvent"]:
            failures.append("%s: distinct events %s != truth %s" % (argv, dict(kinds), truth["distinct"]["byEvent"]))
        if sum(distinct.values()) - len(distinct) != truth["duplicates"]:
            failures.append("%s: %d duplicates found, truth %d" % (argv, sum(distinct.values()) - len(distinct), truth["duplicates"]))
        if region and dict(sorted(warns.items())) != truth["warnings"]:
            failures.append("%s: warnings %s != truth %s" % (argv, dict(warns), truth["warnings"]))
        if dict(sorted(seen.items())) != truth["rejectedByCode"]:
            failures.append("%s: rejects %s != truth %s" % (argv, dict(seen), truth["rejectedByCode"]))
        if argv is cases[0] and set(seen) != CODES:
            failures.append("codes not covered: %s" % (CODES - set(seen)))
        print("self-test %s: %d lines, %d events (%d distinct), %d rejected, %d blank, %d warnings"
              % (" ".join(argv), truth["lines"], truth["events"], truth["distinct"]["total"], truth["rejected"],
                 truth["blank"], sum(truth["warnings"].values())))
        if argv is cases[0]:
            first = data
        if "--batch-share" in argv:  # the collector lines change nothing else in the stream
            plain = io.BytesIO()
            gen.generate(gen.parse_args([x for k, x in enumerate(argv) if not {argv[k], argv[k - 1]} &
                                         {"--batch-share", "--foreign-share"}]), plain)

            def parsed(raw):
                try:
                    return json.loads(raw)
                except ValueError:
                    return raw
            ours = [parsed(raw) for _, raw, label in items if label != "foreign"]
            if ours != [parsed(raw) for raw in plain.getvalue().rstrip(b"\n").split(b"\n")]:
                failures.append("%s: the events differ from the stream without collector lines" % argv)
    # Every mutation of every rejection code, on an event whose keys are shuffled with userId
    # first (so a mutation that edits the text next to ',"userId"' has none to edit): the
    # 10M-event soak stream once held such a "block_comment" line that was valid JSON.
    import random
    rng = random.Random(5)
    event = {"userId": "+254712345678", "event": "message.received", "type": "track",
             "timestamp": "2026-11-03T10:00:00.000Z", "context": {"channel": "whatsapp"},
             "properties": {"messageId": "wamid.X1", "chatId": "chat_1", "contentType": "text"}}
    for code, subs in gen.MUTATIONS.items():
        for sub, mutate in subs.items():
            text = mutate(json.loads(json.dumps(event)), rng)
            if not text:
                continue
            kind, codes, _ = check_line(text.encode("utf-8", "surrogateescape"), region)
            if kind != "reject" or codes != [code]:
                failures.append("mutation %s/%s with userId first: %s %s: %r" % (code, sub, kind, codes, text[:200]))
    other = io.BytesIO()
    gen.generate(gen.parse_args(["--seed", "8"] + cases[0][2:]), other)
    if other.getvalue() == first:
        failures.append("another seed gives the same stream")
    failures += sample_is_current()
    for f in failures[:30]:
        print("FAIL", f, file=sys.stderr)
    print("self-test: %s%s" % ("FAILED, %d problems" % len(failures) if failures else "ok",
                               "" if region else " (phonenumbers missing: country_mismatch not checked)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(self_test())
