#!/usr/bin/env python3
"""gen-events: a seeded, realistic stream of WhatsApp `track` events (NDJSON, SPEC §1-2).

usage: scripts/gen-events [--events N] [--seed S] [--start TIME] [--days D]
                          [--invalid-rate R] [--duplicate-rate R] [--blank-rate R] [--hostile]
                          [--bsuid-share R] [--both-share R] [--pricing-rate R] [--assign-rate R]
                          [--campaigns] [--template-rates] [--batch-share R] [--foreign-share R] [--desk] [--out FILE] [--truth FILE] [--truth-tz ZONE] [--labels FILE]
       scripts/gen-events --check-numbers   # verify every phone range with `phonenumbers`
       scripts/gen-events --self-test       # runs scripts/test-gen-events (determinism, an
                                            # independent SPEC §2 checker, the sample up to date)

Version 2 (off unless asked, so older streams stay byte for byte): users known only by a BSUID
(username users) or by number and BSUID, drawn apart from everything else so that the same
events come out under other names; pricing on statuses; chat.assigned; campaign.sent;
--template-rates gives each template its own read and failure rate. The truth has, per template
and campaign, the numbers known exactly here (sent, failed, clicked; audience, name, template).
--desk (issue 18, service desk): chats re-assigned to another agent, every chat event timed,
some producers' durationMinutes wrong; the truth gains `desk`, the numbers wa-aggregate gives
with the flags it names (scripts/watools/desk_truth.py reads them off the written stream).

Users from a weighted country mix (shared calling codes: +1 NANP, +7 RU/KZ, +44 GB/JE/IM/GG,
+358 FI/AX), conversations with bots and agents (business hours in the user's region), template
broadcasts, delivery/read/failed statuses (often without timestamp, some late or out of order),
exact duplicate lines, and, on request, blank lines and invalid lines covering every rejection
code. Same arguments and --seed give byte-identical output. Python 3 standard library only.

The bundled sample was made with:
  scripts/watools/gen_events.py --seed 1 --events 3000 --invalid-rate 0.02 --blank-rate 0.003 \\
      --duplicate-rate 0.02 --bsuid-share 0.2 --both-share 0.1 --pricing-rate 0.6 \\
      --assign-rate 0.4 --campaigns \\
      --out examples/webhook.log --truth examples/webhook.truth.json
"""
import argparse, base64, bisect, datetime, heapq, io, json, math, random, re, sys
from collections import Counter

# --- reference data ------------------------------------------------------------------------
# region, calling code, weight, UTC offset (hours, November), "national-prefix:length ...".
# Prefixes are mobile ranges (Åland: 18x fixed line, the only ranges libphonenumber gives AX);
# `[a-b]` expands to one prefix per digit. `--check-numbers` proves each with libphonenumber.
REGIONS = [
    ("KE", "254", 16, 3, "70:9 71:9 72:9 74:9 75:9 79:9 110:9 111:9"),
    ("NG", "234", 11, 1, "803:10 806:10 813:10 816:10 703:10 706:10 810:10 903:10 905:10 802:10 808:10 701:10 708:10 901:10"),
    ("ZA", "27", 7, 2, "60:9 61:9 63:9 71:9 72:9 73:9 74:9 76:9 78:9 79:9 81:9 82:9 83:9 84:9"),
    ("IN", "91", 9, 5.5, "98:10 99:10 97:10 96:10 95:10 94:10 93:10 90:10 91:10 70:10 72:10 84:10 85:10 60:10"),
    ("BR", "55", 7, -3, "119:11 119:11 119:11 219:11 319:11 419:11 519:11 619:11 719:11 819:11 859:11 929:11 279:11 489:11"),
    ("DE", "49", 3.5, 1, "151:11 152:11 157:11 159:11 162:11 163:11 171:11 172:11 173:11 175:11 176:11 177:11 178:11 179:11 160:10 170:10"),
    ("GB", "44", 5, 0, "740:10 741:10 742:10 743:10 744:10 747:10 748:10 749:10 751:10 753:10 754:10 755:10 757:10 "
                      "759:10 771:10 772:10 773:10 774:10 775:10 776:10 777:10 780:10 784:10 785:10 786:10 787:10 "
                      "788:10 789:10 790:10 792:10 794:10 795:10 796:10 797:10 798:10 799:10"),
    ("JE", "44", 0.6, 0, "7797:10 7797:10 7797:10 77003:10 77007:10 77008:10 7829:10 7937:10"),
    ("IM", "44", 0.4, 0, "7624[0-4]:10 76246:10 7624[8-9]:10 7524:10 7524:10"),
    ("GG", "44", 0.3, 0, "7781:10 7839:10 79111:10 79117:10"),
    ("US", "1", 4, -5, "212[2-9]:10 646[2-9]:10 917[2-9]:10 347[2-9]:10 718[2-9]:10 305[2-9]:10 617[2-9]:10 404[2-9]:10"),
    ("US", "1", 2.5, -8, "415[2-9]:10 213[2-9]:10 310[2-9]:10 206[2-9]:10 503[2-9]:10 650[2-9]:10 408[2-9]:10"),
    ("CA", "1", 1.8, -5, "416[2-9]:10 647[2-9]:10 514[2-9]:10 438[2-9]:10 613[2-9]:10 902[2-9]:10"),
    ("CA", "1", 1.0, -8, "604[2-9]:10 778[2-9]:10 236[2-9]:10 403[2-9]:10 587[2-9]:10 780[2-9]:10"),
    ("JM", "1", 1.2, -5, "8763:10 8764:10 8768:10 87677:10"),
    ("TT", "1", 0.7, -4, "8683:10 86846:10 86847:10 86848:10 86849:10 8687[2-9]:10"),
    ("BS", "1", 0.5, -5, "24247:10 24282:10 24245[1-8]:10"),
    ("PR", "1", 0.6, -4, "787[2-9]:10 939[2-9]:10"),
    ("DO", "1", 0.6, -4, "809[2-9]:10 829[2-9]:10 849[2-9]:10"),
    ("RU", "7", 3, 3, "90:10 91:10 92:10 95:10 96:10 97:10 98:10 99:10"),
    ("KZ", "7", 1.5, 5, "700:10 701:10 702:10 705:10 707:10 708:10 747:10 771:10 775:10 776:10 777:10 778:10"),
    ("FI", "358", 0.8, 2, "40:9 41:9 44:9 45:9 46:9 50:9 40:10 50:10"),
    ("AX", "358", 0.25, 2, "18[1-8]:7 18[1-8]:8"),
    ("ID", "62", 5, 7, "811:11 812:11 813:11 821:11 822:11 852:11 853:11 857:11 877:11 878:11 895:11 896:12 812:12"),
    ("MX", "52", 4, -6, "55:10 55:10 33:10 81:10 442:10 222:10 998:10 664:10"),
    ("GH", "233", 2, 0, "24:9 54:9 55:9 20:9 50:9 26:9 27:9 57:9 59[1-9]:9"),
    ("EG", "20", 2, 2, "10:10 11:10 12:10 15:10"),
    ("AE", "971", 1.5, 4, "50:9 52:9 54:9 55:9 56:9 58:9"),
    ("FR", "33", 2, 1, "6[0-2]:9 6[4-8]:9 7[3-9]:9"),
    ("ES", "34", 1.5, 1, "6[0-9]:9 71:9 72:9 73:9 74:9"),
    ("PK", "92", 2, 5, "30:10 31:10 32:10 34:10 333:10 336:10"),
    ("PH", "63", 2, 8, "905:10 906:10 915:10 917:10 918:10 919:10 920:10 921:10 927:10 935:10 945:10 955:10 966:10 977:10 995:10"),
    ("TZ", "255", 1.5, 3, "71:9 74:9 75:9 76:9 78:9 65:9 68:9 62:9"),
    ("UG", "256", 1.5, 3, "70:9 71:9 74:9 75:9 76:9 77:9 78:9"),
]
NAMES = {  # profile names, some non-ASCII (escaped as \uXXXX on a few lines)
    "KE": "Wanjiru Kamau|Otieno Odhiambo|Achieng’ Atieno", "NG": "Chukwuemeka Obi|Adébáyọ̀ Ọlálékan|Ngozi",
    "ZA": "Thandiwe Nkosi|Pieter van der Merwe", "IN": "प्रिया शर्मा|Rahul Verma|Ananya",
    "BR": "João Conceição|Luíza Araújo|Rafa 🌻", "DE": "Jürgen Weiß|Anna Müller", "GB": "Oliver Smith|Chloë",
    "JE": "Hannah Le Brocq", "IM": "Kerron Quayle", "GG": "Tom Le Page", "US": "Emily Johnson|José García|Mike",
    "CA": "Émilie Tremblay|Liam Wong", "JM": "Shanice Brown", "TT": "Kavita Ramdass", "BS": "Darius Rolle",
    "PR": "Yamilet Rivera", "DO": "Yúnior Peña", "RU": "Иван Петров|Анна Смирнова", "KZ": "Айгерім Нұрланқызы|Dauren",
    "FI": "Päivi Mäkinen", "AX": "Mikael Sjöström", "ID": "Siti Nurhaliza|Budi", "MX": "Sofía Hernández",
    "GH": "Kwame Mensah|Akosua", "EG": "أحمد حسن|Mona", "AE": "فاطمة|Omar", "FR": "Élodie Lefèvre", "ES": "Íñigo Muñoz",
    "PK": "Ayesha Khan", "PH": "Maria Santos|Jun", "TZ": "Neema Mushi", "UG": "Nakato Sarah",
}
MISMATCH = {"JE": "GB", "IM": "GB", "GG": "GB", "KZ": "RU", "CA": "US", "AX": "FI", "PR": "US", "JM": "US"}
# The tools' shared list (Sources/WAKit/Schema/EventKind.swift, ContentTypes.all).
CONTENT_TYPES = {"text", "image", "video", "audio", "document", "sticker", "location", "contacts", "interactive",
                 "button", "reaction", "template", "order", "unsupported", "request_welcome", "system",
                 "ephemeral", "unknown"}
WARNABLE = {"contact.created", "chat.resolved"}
MEDIA = {"image", "video", "audio", "document", "sticker"}
INBOUND_TYPES = ["text"] * 70 + ["image"] * 9 + ["audio"] * 6 + ["sticker"] * 3 + ["document"] * 3 + [
    "video"] * 2 + ["location"] * 2 + ["interactive"] * 2 + ["reaction", "contacts", "button"]
AGENT_TYPES = ["text"] * 86 + ["image"] * 4 + ["document"] * 5 + ["interactive"] * 3 + ["audio", "location"]
ERRORS = [(131049, "This message was not delivered to maintain healthy ecosystem engagement."),
          (131026, "Message undeliverable"), (130472, "User's number is part of an experiment"),
          (131047, "Re-engagement message"), (131000, "Something went wrong"), (131051, "Unsupported message type")]
FRACTION_DIGITS = [3] * 76 + [0] * 12 + [1, 1, 2, 2] + [6] * 6 + [9] * 2
HOURLY = [.25, .15, .1, .08, .08, .15, .35, .6, .85, 1, 1.1, 1.15, 1.1, 1.05, 1, 1, 1, .95, .95, 1, .95, .8, .6, .4]
LIBRARIES = [{"name": "collector", "version": "2.1.0"}, {"name": "collector", "version": "2.0.7"},
             {"name": "wa-outbox", "version": "1.4.2"}]
SOURCES = ["organic"] * 50 + ["ad"] * 24 + ["referral"] * 12 + ["import"] * 8 + [None] * 6
RESOLUTIONS = ["completed"] * 70 + ["escalated"] * 10 + ["abandoned"] * 12 + [None] * 8
BROADCASTS = ["promo_nov", "black_friday_2026", "feedback_survey", "promo_nov_reminder"]
NOTIFICATIONS = ["order_update_v3", "appointment_reminder", "payment_receipt_v1", "delivery_otp"]
# --template-rates: each template's own chance to be read (when the user does not answer) and
# to fail, so that templates differ as real ones do (a one-time password is read, a promotion
# reminder much less). Without the flag every template has the stream's usual rates.
TEMPLATE_RATES = {"promo_nov": (.35, .06), "black_friday_2026": (.5, .03), "feedback_survey": (.7, .02),
                  "promo_nov_reminder": (.25, .09), "order_update_v3": (.8, .01),
                  "appointment_reminder": (.65, .01), "payment_receipt_v1": (.75, .005),
                  "delivery_otp": (.92, .002), "welcome_v2": (.55, .012)}
DAY = 86400.0


def expand(spec):
    """'7624[0-4]:10' -> [('76240', 10), ..., ('76244', 10)]."""
    prefix, length = spec.split(":")
    m = re.fullmatch(r"(\d*)\[(\d)-(\d)\]", prefix)
    if not m:
        return [(prefix, int(length))]
    return [(m.group(1) + str(d), int(length)) for d in range(int(m.group(2)), int(m.group(3)) + 1)]


class Region:
    """One row of REGIONS: where users come from, with their phone ranges and time zone."""
    def __init__(self, index, code, cc, weight, tz, prefixes):
        self.index, self.code, self.cc, self.weight = index, code, cc, weight
        self.tzmin = int(tz * 60)
        self.ranges = [r for spec in prefixes.split() for r in expand(spec)]
        self.names = NAMES[code].split("|")


class User:
    """A WhatsApp user: number, region, the Cloud-API id prefix, their usual agent, and how
    the business knows them (SPEC §2): `phone` (userId is the number), `bsuid` (a username
    user: userId is the business-scoped user ID, the number is never seen) or `both` (the
    number and the BSUID; the first event names both, later ones either)."""
    __slots__ = ("uid", "region", "wa_prefix", "agent", "mode", "bsuid", "username", "linked_at")

    def __init__(self, uid, region):
        self.uid, self.region, self.agent = uid, region, None
        self.mode, self.bsuid, self.username, self.linked_at = "phone", None, None, None
        digits = uid[1:].encode()
        self.wa_prefix = b"\x1c\x18" + bytes([len(digits)]) + digits + b"\x15\x02\x00\x12\x18\x12"


def number(rng, region):
    """A random E.164 number in one of the region's valid ranges."""
    prefix, length = region.ranges[int(rng.random() * len(region.ranges))]
    k = length - len(prefix)
    return "+%s%s%0*d" % (region.cc, prefix, k, rng.randrange(10 ** k))


def accumulate(xs):
    """Running sums, as a list (for bisect)."""
    total, out = 0.0, []
    for x in xs:
        total += x
        out.append(total)
    return out


def compact_encoder():
    """json.dumps(separators=(",", ":"), ensure_ascii=False), with the C encoder built once."""
    from json import encoder
    if encoder.c_make_encoder is None:
        return json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    enc = encoder.c_make_encoder(None, None, encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda ev: "".join(enc(ev, 0))


def offset_text(tzmin):
    """+05:30 for 330 minutes."""
    sign = "+" if tzmin >= 0 else "-"
    return "%s%02d:%02d" % (sign, abs(tzmin) // 60, abs(tzmin) % 60)


# --- the simulation ---------------------------------------------------------------------------
class Stream:
    """Simulates a business's WhatsApp traffic. Every output line is pushed on a heap keyed by
    the time the collector received it; `run` writes the lines in that order, hour by hour."""

    def __init__(self, a):
        self.a = a
        self.rng = random.Random("sim:%s" % a.seed)      # the events themselves
        self.fmt = random.Random("fmt:%s" % a.seed)      # formatting variants
        self.noise = random.Random("noise:%s" % a.seed)  # duplicates, blanks, invalid lines
        # Who is known how (phone, BSUID, both): its own generator, so that the shares change
        # the identifiers of a stream and nothing else (same events, same times).
        self.ident = random.Random("identity:%s" % a.seed)
        # Collector lines (batch calls, other sources' lines): their own generator too, so that
        # --batch-share and --foreign-share change nothing else in the stream.
        self.collector = random.Random("collector:%s" % a.seed)
        self.batches = self.batch_items = self.foreign = 0
        self.phone_of = {}  # userId (a number or a BSUID) -> the person's number
        self.regions = [Region(i, *row) for i, row in enumerate(REGIONS)]
        self.pools = [[] for _ in self.regions]
        self.users, self.numbers, self.user_region = [], set(), {}
        n = self.rng.randint(8, 12)  # agents: id, median response seconds, share of chats
        self.agents = [("agent_%d" % i, math.exp(self.rng.uniform(math.log(20), math.log(900))),
                        self.rng.uniform(.4, 2)) for i in sorted(self.rng.sample(range(101, 990), n))]
        self.agent_cum = accumulate(w for _, _, w in self.agents)
        self.heap, self.seq, self.mids, self.chats, self.campaigns = [], 0, 0, 0, 0
        self.produced = self.sessions = self.session_events = 0
        self.distinct, self.rejects, self.kinds, self.warns = Counter(), Counter(), Counter(), Counter()
        self.lines = self.blank = self.dups = 0
        self.last_label = None
        self.minutes, self.kind_cycle, self.hour_cache = {}, [], {}
        self.encode = compact_encoder()
        self.warn_rate = a.invalid_rate
        self.serialise = self.ndjson_line  # the writer; a Meta-webhook writer would go here
        self.days = {}
        # Per template and per campaign: the numbers the generator knows exactly (sent, failed,
        # clicked; a campaign's audience, name and template), for the truth file.
        self.template_truth, self.campaign_truth, self.labels_of, self.clicked = {}, {}, {}, set()
        self.campaign_names = {}
        self.truth_tz = datetime.timezone.utc
        if getattr(a, "truth_tz", "UTC") not in ("UTC", None):
            import zoneinfo
            self.truth_tz = zoneinfo.ZoneInfo(a.truth_tz)
        self.desk, self.desk_reassignments, self.desk_wrong_durations = None, 0, 0
        if getattr(a, "desk", False):
            try:  # imported as watools.gen_events
                from . import desk_truth
            except ImportError:  # run as a file: its folder is on sys.path
                import desk_truth
            self.desk = desk_truth.DeskOracle()

    # -- formatting -----------------------------------------------------------------------------
    def ts(self, t, tzmin=0):
        """RFC 3339 text for epoch seconds t: mostly Z and milliseconds, sometimes the user's
        offset, 0-2, 6 or 9 fraction digits."""
        rnd = self.fmt.random
        digits = FRACTION_DIGITS[int(rnd() * 100)]
        zone = "Z"
        if tzmin and rnd() < .08:
            t += tzmin * 60
            zone = offset_text(tzmin)
        minute = int(t // 60)
        head = self.minutes.get(minute)
        if head is None:
            if len(self.minutes) > 100000:
                self.minutes.clear()
            head = self.minutes[minute] = datetime.datetime.fromtimestamp(
                minute * 60, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:")
        us = int((t - minute * 60) * 1e6)
        if digits == 3:
            return "%s%02d.%03d%s" % (head, us // 1000000, us // 1000 % 1000, zone)
        if digits == 0:
            return "%s%02d%s" % (head, us // 1000000, zone)
        if digits < 3:
            return "%s%02d.%0*d%s" % (head, us // 1000000, digits, us % 1000000 // 10 ** (6 - digits), zone)
        nine = "%03d" % int(rnd() * 1000) if digits == 9 else ""
        return "%s%02d.%06d%s%s" % (head, us // 1000000, us % 1000000, nine, zone)

    def ndjson_line(self, ev):
        """One NDJSON line for an event dict: compact JSON; a few lines formatted otherwise
        (spaces, key order, \\uXXXX escapes, CRLF, escaped keys, padding), all valid."""
        line = self.encode(ev)
        r = self.fmt.random()
        if r < .96:
            if r < .3 and not line.isascii():
                return json.dumps(ev, separators=(",", ":"))  # non-ASCII as \\uXXXX
            return line
        if r < .975:
            return json.dumps(ev, ensure_ascii=False)  # ", " and ": "
        if r < .985:
            keys = list(ev)
            self.fmt.shuffle(keys)
            props = list(ev["properties"].items())
            self.fmt.shuffle(props)
            return self.encode({k: (dict(props) if k == "properties" else ev[k]) for k in keys})
        if r < .993:
            return line + "\r"
        if r < .997:
            return line.replace('"type":"track"', '"type":"tr\\u0061ck"', 1).replace('"event":', '"\\u0065vent":', 1)
        return " " + line + " \t"

    # -- scheduling -----------------------------------------------------------------------------
    def push(self, t, line, label=None):
        """Schedule a line received at time t (label None: a valid event without warnings)."""
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, line, label))

    def emit(self, ev, t, dup_ok=True, noisy=True):
        """Schedule one valid event received at time t, and its duplicate, invalid and blank
        companions as the rates ask (none when not `noisy`: campaign.sent, whose userId is no
        number to break)."""
        name, p, c = ev["event"], ev["properties"], ev["context"]
        self.distinct[name] += 1
        self.produced += 1
        line = self.serialise(ev)
        label = None
        if name in WARNABLE or "countryCode" in c or p.get("contentType", "text") not in CONTENT_TYPES:
            label = self.warnings_of(ev)
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, line, label))
        a, noise = self.a, self.noise
        if a.duplicate_rate and noise.random() < a.duplicate_rate and dup_ok:
            r = noise.random()
            delay = noise.uniform(.5, 30) if r < .7 else noise.uniform(60, 900) if r < .95 else noise.uniform(3600, 21600)
            self.dups += 1
            if label:
                self.warns.update(label[11:].split(","))
            self.push(t + delay, line, "duplicate" + (label[5:] if label else ""))
        if a.invalid_rate and noisy and noise.random() < a.invalid_rate:
            self.push(t + noise.uniform(0, 5), *self.invalid_line(ev, line))
        if a.blank_rate and noise.random() < a.blank_rate:
            self.blank += 1
            self.push(t + noise.uniform(0, 2), noise.choice(["", "", " ", "\t", "  \t ", "\r"]), "blank")
        if getattr(a, "foreign_share", 0) and self.collector.random() < a.foreign_share:
            self.push(t + self.collector.uniform(0, 5), self.foreign_line(t), "foreign")

    def warnings_of(self, ev):
        """The label of a valid line: None, or 'event warn=' and the warnings it should raise."""
        p, c, w = ev["properties"], ev["context"], []
        name = ev["event"]
        if name in ("message.received", "message.sent") and p.get("contentType", "text") not in CONTENT_TYPES:
            w.append("unknown_content_type")
        if name == "chat.resolved" and "agentId" not in p:
            w.append("missing_agent_id")
        if name == "contact.created" and "countryCode" not in p and "countryCode" not in c:
            w.append("missing_country_code")
        for cc in (p.get("countryCode"), c.get("countryCode")):
            if cc and cc.upper() != self.user_region[ev["userId"]]:
                w.append("country_mismatch")
        if not w:
            return None
        self.warns.update(w)
        return "event warn=" + ",".join(w)

    def flush(self, limit, out, labels):
        """Write every scheduled line received before `limit`."""
        heap, pop, buf, labs = self.heap, heapq.heappop, [], []
        while heap and heap[0][0] < limit:
            item = pop(heap)
            buf.append(item[2])
            labs.append(item[3] or "event")
            self.last_label = item[3]
            if self.desk is not None and (item[3] is None or item[3].startswith("event")):
                self.desk.feed(item[2])
        if buf and getattr(self.a, "batch_share", 0):
            buf, labs = self.batched(buf, labs, min(limit, self.a.start + self.a.days * 86400))
        if labels is not None:
            labels.extend(labs)
        if buf:  # each line but the very last is ended here: see run()
            out.write(("\n" if self.lines else "").encode() + "\n".join(buf).encode("utf-8", "surrogateescape"))
            self.lines += len(buf)

    # -- collector lines: batch calls and other sources (SPEC §2, version 2) ------------------
    def batched(self, buf, labs, t):
        """--batch-share: about that share of the lines that are JSON objects (valid events,
        duplicates, foreign lines; never blank or invalid lines, which could break the whole
        batch line) leave as elements of collector batch calls `{"batch":[…],"sentAt":…}` of 2
        to 8 consecutive lines. A batch line's label: `batch ` and its items' labels as JSON."""
        rng, f = self.collector, self.a.batch_share
        p = f / (5 - 4 * f)  # a batch start per line, for a share f of lines in batches of ~5
        whole = [not x.startswith(("blank", "reject")) and len(b) < 4096 for b, x in zip(buf, labs)]
        lines, out, i = [], [], 0
        while i < len(buf):
            if whole[i] and rng.random() < p:
                n, j = rng.randint(2, 8), i
                while j < len(buf) and j - i < n and whole[j]:
                    j += 1
                if j - i >= 2:
                    # Elements as the lines were (spacing, CR, escapes and all), mostly trimmed.
                    items = [buf[k].strip(" \t\r") if rng.random() < .9 else buf[k] for k in range(i, j)]
                    sent = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                    lines.append('{"batch":[' + ("," if rng.random() < .8 else ", ").join(items)
                                 + '],"sentAt":"%s"}' % sent)
                    out.append("batch " + json.dumps(labs[i:j], separators=(",", ":")))
                    self.batches += 1
                    self.batch_items += j - i
                    i = j
                    continue
            lines.append(buf[i])
            out.append(labs[i])
            i += 1
        return lines, out

    FOREIGN = (
        '{"type":"identify","userId":"web_%d","traits":{"email":"user%d@example.com"}}',
        '{"type":"page","anonymousId":"anon_%d","name":"Pricing","properties":{"path":"/pricing","n":%d}}',
        '{"type":"screen","userId":"app_%d","name":"Home","properties":{"n":%d}}',
        '{"type":"track","event":"Order Completed","userId":"web_%d","properties":{"total":%d}}',
        '{"type":"track","event":"message.read","userId":"web_%d","properties":{"messageId":"m%d"},'
        '"context":{"channel":"web"}}',
        '{"type":"group","userId":"web_%d","groupId":"g%d"}',
        '{"type":"alias","previousId":"anon_%d","userId":"web_%d"}',
    )

    def foreign_line(self, t):
        """A line of another source of the collector's log: identify, page, screen, group,
        alias calls, a web track event, one of our names on another channel (SPEC §2)."""
        rng = self.collector
        self.foreign += 1
        k = rng.randrange(1, 100000)
        return rng.choice(self.FOREIGN) % (k, rng.randrange(1, 1000))

    # -- people and identifiers -----------------------------------------------------------------
    def new_user(self, region):
        """A user with a fresh, unique number of the region."""
        uid = number(self.rng, region)
        while uid in self.numbers:
            uid = number(self.rng, region)
        self.numbers.add(uid)
        self.user_region[uid] = region.code
        self.phone_of[uid] = uid
        u = User(uid, region)
        a = self.a
        if a.bsuid_share or a.both_share:
            r = self.ident.random()
            if r < a.bsuid_share + a.both_share:
                u.mode = "bsuid" if r < a.bsuid_share else "both"
                ent = "ENT." if self.ident.random() < .05 else ""
                u.bsuid = "%s.%s%d" % (region.code, ent, self.ident.randrange(10 ** 15, 10 ** 20))
                self.user_region[u.bsuid] = region.code
                self.phone_of[u.bsuid] = uid
                if self.ident.random() < .6:
                    u.username = "@" + self.ident.choice(region.names).lower() + str(self.ident.randrange(100, 10000))
        self.pools[region.index].append(u)
        self.users.append(u)
        return u

    def pick_user(self, region, p_new=.62):
        """A returning user of the region (older, heavier users more often) or a new one."""
        pool = self.pools[region.index]
        if not pool or self.rng.random() < p_new:
            return self.new_user(region), True
        return pool[int(len(pool) * self.rng.random() ** 1.6)], False

    def pick_agent(self, user):
        """Returning users often get their previous agent."""
        if user.agent is None or self.rng.random() < .4:
            user.agent = self.agents[bisect.bisect(self.agent_cum, self.rng.random() * self.agent_cum[-1])]
        return user.agent

    def wamid(self, user):
        """A Cloud-API-like message id: wamid. + base64 of the number and a unique hex id."""
        self.mids += 1
        raw = user.wa_prefix + (b"%010X%08X\x00" % (self.rng.getrandbits(40), self.mids))
        return "wamid." + base64.b64encode(raw).decode()

    def chat_id(self):
        """A unique conversation id."""
        self.chats += 1
        return "chat_%05x%04x" % (self.rng.getrandbits(20), self.chats)

    # -- time of day ----------------------------------------------------------------------------
    def hour_weights(self, t):
        """Cumulative session weights of the regions for the hour starting at t: users write by
        day in their own time zone, less at weekends."""
        key = int(t // 3600) % 168
        cum = self.hour_cache.get(key)
        if cum is None:
            ws = []
            for reg in self.regions:
                local = t + 1800 + reg.tzmin * 60
                h, dow = int(local // 3600) % 24, (int(local // DAY) + 3) % 7
                ws.append(reg.weight * HOURLY[h] * ((.75 if 8 <= h < 19 else .95) if dow == 5 else
                                                    (.6 if 8 <= h < 19 else .85) if dow == 6 else 1))
            cum = self.hour_cache[key] = accumulate(ws)
        return cum

    @staticmethod
    def desk_opens_in(t, tzmin):
        """Seconds from t until the region's support desk is open: weekdays 8-20, Saturday 9-15,
        Sunday 10-13 (local time); 0 when open."""
        local, wait = t + tzmin * 60, 0.0
        for _ in range(100):
            h, dow = int(local // 3600) % 24, (int(local // DAY) + 3) % 7
            if 8 <= h < 20 if dow < 5 else 9 <= h < 15 if dow == 5 else 10 <= h < 13:
                return wait
            step = 3600 - local % 3600
            local, wait = local + step, wait + step
        return wait

    def agent_delay(self, agent, t, region):
        """Seconds until the agent answers: its own speed, or the morning backlog at night."""
        d = agent[1] * self.rng.lognormvariate(0, .9)
        wait = self.desk_opens_in(t + d, region.tzmin)
        return d + wait + self.rng.lognormvariate(6.5, 1) if wait else d

    def user_delay(self, t, region):
        """Seconds until the user answers: about a minute, a long tail, and they sleep at night."""
        d = self.rng.lognormvariate(4.3, 1.4)
        h = int((t + d + region.tzmin * 60) // 3600) % 24
        return d + (7 - h) * 3600 + self.rng.uniform(0, 7200) if h < 7 else d

    # -- events ---------------------------------------------------------------------------------
    def event(self, name, user, t, props, inbound, timestamp=True, received_at=0.0, cc=True, late=0.0):
        """Assemble an event (key order as collectors write it) and emit it. t is the event time;
        the collector receives it a moment later (`late` seconds more for late senders)."""
        rng = self.rng
        rnd = rng.random
        t_emit = t - math.log(1.0 - rnd()) * .5 + late  # collector latency, mean 0.5 s
        c = {"channel": "whatsapp"}
        r = rnd()
        if r < .12:
            c["library"] = (LIBRARIES[0] if r < .08 else LIBRARIES[1]) if inbound else LIBRARIES[2]
            if inbound and r < .03:
                c["ip"] = "157.240.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
        elif r > .93 and cc:
            c["countryCode"] = user.region.code
        uid = self.user_id(user, c, t_emit)
        if timestamp:
            ev = {"type": "track", "event": name, "userId": uid, "timestamp": self.ts(t, user.region.tzmin),
                  "properties": props, "context": c}
        else:
            ev = {"type": "track", "event": name, "userId": uid, "properties": props, "context": c}
        if received_at and rnd() < received_at:
            ev["receivedAt"] = self.ts(t_emit)
        r = rnd()
        if r < .06:
            if r < .03:
                ev["anonymousId"] = "%08x-%04x-4%03x-a%03x-%012x" % tuple(rng.getrandbits(b) for b in (32, 16, 12, 12, 48))
            elif r < .05:
                ev["messageId"] = "ajs-next-%d-%x" % (int(t * 1000), rng.getrandbits(32))
            else:
                ev["integrations"] = {"All": True, "Mixpanel": False}
        # chat.resolved is deduplicated on chatId + event time: copy it only when that is fixed
        self.emit(ev, t_emit, name != "chat.resolved" or "timestamp" in ev or "receivedAt" in ev)
        self.count_day(name, t)

    def count_day(self, name, t):
        """Per local day (--truth-tz) of the event's own time: distinct received and sent."""
        if name in ("message.received", "message.sent"):
            day = datetime.datetime.fromtimestamp(t, self.truth_tz).date().isoformat()
            self.days.setdefault(day, Counter())[name[8:]] += 1

    def user_id(self, user, c, t_emit):
        """The event's userId, and context.bsuid / context.username as the user's identity
        gives them. A `both` user's first event names the number and the BSUID (the link); a
        later one, received at least a second after it, names either; until then, both."""
        if user.mode == "phone":
            return user.uid
        ident = self.ident
        if user.username and ident.random() < .5:
            c["username"] = user.username
        if user.mode == "bsuid":
            return user.bsuid
        if user.linked_at is None:
            user.linked_at = t_emit
        elif t_emit > user.linked_at + 1 and ident.random() < .5:
            return user.bsuid
        c["bsuid"] = user.bsuid
        return user.uid

    def contact(self, user, t, source):
        """contact.created: usually the right countryCode, sometimes none, rarely lowercase."""
        rng, props = self.rng, {}
        if source:
            props["source"] = source
        r = rng.random()
        if r < .86:
            props["countryCode"] = user.region.code
        elif r < .89:
            props["countryCode"] = user.region.code.lower()
        if self.warn_rate and self.noise.random() < self.warn_rate * 2:
            props["countryCode"] = MISMATCH.get(user.region.code, "US")  # a user's own guess
        if rng.random() < .55:
            props["profileName"] = rng.choice(user.region.names)
        self.event("contact.created", user, t, props, True, rng.random() < .8, .2, cc="countryCode" in props)

    def received(self, user, chat, t, ctype, reply_to=None):
        """message.received; returns its messageId."""
        if self.warn_rate and self.noise.random() < self.warn_rate * .3:
            ctype = self.noise.choice(["unsupported", "ephemeral", "order", "poll"])
        mid = self.wamid(user)
        props = {"messageId": mid}
        r = self.rng.random()
        if r < .97:
            props["contentType"] = ctype
        if r < .94:
            props["hasMedia"] = ctype in MEDIA
        props["chatId"] = chat
        if reply_to:
            props["replyTo"] = reply_to
            # A tap on a template's button or list: its `clicked` (once per message).
            if props.get("contentType") in ("button", "interactive") and reply_to not in self.clicked:
                self.clicked.add(reply_to)
                for row in self.labels_of.get(reply_to, []):
                    row["clicked"] += 1
        self.event("message.received", user, t, props, True, True, .15)
        return mid

    def sent(self, user, chat, t, ctype="text", agent=None, automated=False, template=None, read_at=None, fail=.012,
             campaign=None, category="service"):
        if template and self.a.template_rates:
            fail = TEMPLATE_RATES.get(template, (.55, fail))[1]
        """message.sent and its statuses; returns its messageId, or None when it failed.
        read_at: when the user reads it (None: perhaps later, by chance)."""
        rng = self.rng
        mid = self.wamid(user)
        props = {"messageId": mid}
        if chat and (template is None or rng.random() < .5):
            props["chatId"] = chat
        if rng.random() < .96:
            props["contentType"] = "template" if template else ctype
        if template:
            props["templateId"] = template
        if campaign:
            props["campaignId"] = campaign
        if agent:
            props["agentId"] = agent
            if rng.random() < .1:
                props["isAutomated"] = False
        elif automated or rng.random() < .6:
            props["isAutomated"] = True
        late = rng.uniform(4, 40) if rng.random() < .02 else 0.0  # logged late: statuses come first
        self.event("message.sent", user, t, props, False, True, .1, late=late)
        read_p = TEMPLATE_RATES.get(template, (.55, 0))[0] if template and self.a.template_rates else .55
        done = self.statuses(user, mid, t, read_at, fail, category, read_p)
        rows = ([self.template_truth.setdefault(template, Counter())] if template else []) + \
            ([self.campaign_truth[campaign]] if campaign else [])
        for row in rows:
            row["sent"] += 1
            row["failed"] += done is None
        if rows:
            self.labels_of[mid] = rows
        return done

    def pricing(self, category):
        """Meta's status `pricing` object (--pricing-rate of delivered and read statuses):
        service replies inside the customer-service window are free, templates are billed."""
        if not self.a.pricing_rate or self.rng.random() >= self.a.pricing_rate:
            return {}
        free = category == "service"
        return {"pricing": {"billable": not free, "model": "PMP", "category": category,
                            "type": "free_customer_service" if free else "regular"}}

    def statuses(self, user, mid, t, read_at, fail, category="service", read_p=.55):
        """delivered / read / failed for one sent message, as untidy as Meta's webhooks: mostly
        without timestamp, some missing, some read without delivered, some out of order."""
        rng = self.rng
        if rng.random() < fail:
            code, title = ERRORS[0] if rng.random() < .5 else rng.choice(ERRORS)
            props = {"messageId": mid}
            if rng.random() < .95:
                props["errorCode"] = code
            if rng.random() < .9:
                props["errorTitle"] = title
            self.event("message.failed", user, t + rng.uniform(.5, 30), props, False, rng.random() < .6, .4)
            return None
        td = t + rng.lognormvariate(.5, 1)
        if read_at is None and rng.random() < read_p:
            read_at = td + rng.lognormvariate(6.5, 1.6)
        stamped = rng.random() < .25
        if rng.random() < .93:
            late = 0.0
            if read_at is not None and rng.random() < .03:  # delivered retried after the read
                late = max(0.0, read_at - td) + rng.uniform(1, 90)
            self.event("message.delivered", user, td, {"messageId": mid, **self.pricing(category)}, False, stamped,
                       .4, late=late)
        if read_at is not None and rng.random() < .94:
            self.event("message.read", user, max(read_at, td + .3), {"messageId": mid, **self.pricing(category)},
                       False, stamped, .4)
        return mid

    # -- sessions -------------------------------------------------------------------------------
    def session(self, t, region):
        """A user writes in (most sessions), or gets a transactional template notification."""
        rng = self.rng
        if rng.random() < .85:
            user, new = self.pick_user(region)
            source = None
            if new:
                source = rng.choice(SOURCES)
                self.contact(user, t, source)
                t += rng.uniform(.5, 5)
            self.conversation(t, user, welcome=source == "ad" and rng.random() < .7)
            return
        user, new = self.pick_user(region, .1)
        if new:
            self.contact(user, t, "import")
            t += rng.uniform(5, 120)
        replies = rng.random() < .12
        read_at = t + self.user_delay(t, region) if replies else None
        mid = self.sent(user, None, t, template=rng.choice(NOTIFICATIONS), automated=True, read_at=read_at,
                        category="utility")
        if replies and mid:
            tapped = rng.random() < .6
            self.conversation(read_at + rng.uniform(3, 60), user, mid if tapped else None, "button" if tapped else "text")

    def conversation(self, t, user, reply_to=None, opener="text", welcome=False):
        """Inbound burst, maybe a bot or welcome template, an agent over several rounds, and
        perhaps chat.resolved with messageCount and durationMinutes of what happened."""
        rng, region = self.rng, user.region
        chat, start, count, business = self.chat_id(), t, 0, []
        for i in range(1 if rng.random() < .6 else rng.randint(2, 4)):
            self.received(user, chat, t, opener if i == 0 else rng.choice(INBOUND_TYPES), reply_to if i == 0 else None)
            count += 1
            t += rng.uniform(2, 40)
        last_in = t
        if welcome or rng.random() < .35:  # automated first answer
            kind = "template" if welcome else "interactive" if rng.random() < .45 else "text"
            read = t + rng.uniform(3, 25)
            mid = self.sent(user, chat, t + rng.uniform(.8, 4), kind, automated=True, read_at=read,
                            template="welcome_v2" if welcome else None)
            count += 1
            if mid and kind == "interactive" and rng.random() < .6:  # the user taps a choice
                t = read + rng.uniform(1, 20)
                self.received(user, chat, t, "interactive", mid)
                count += 1
                last_in = t
        agent = self.pick_agent(user)
        if self.a.assign_rate and rng.random() < self.a.assign_rate:
            bot = welcome or rng.random() < .3
            props = {"chatId": chat, "agentId": agent[0], "previousAgentId": None,
                     "assignmentType": "bot_handoff" if bot else rng.choice(["auto", "manual"])}
            at = t + rng.uniform(1, 20)
            timed = rng.random() < .8  # drawn after `at`, as always: older streams stay the same
            self.event("chat.assigned", user, at, props, False, timed or self.a.desk, .3)
            assigned = True
        else:
            assigned = False
        rounds = 0 if rng.random() < .05 else 1 + int(rng.expovariate(.6))
        outcome, end = None, t
        # --desk: a chat handed to another agent between two rounds (sometimes twice)
        reassign = set()
        if self.a.desk and assigned and rounds >= 2 and rng.random() < .35:
            reassign = set(rng.sample(range(1, rounds), min(rounds - 1, 1 if rng.random() < .7 else 2)))
        for r in range(rounds):
            if r in reassign:
                previous, agent = agent, self.agents[bisect.bisect(self.agent_cum, rng.random() * self.agent_cum[-1])]
                props = {"chatId": chat, "agentId": agent[0], "previousAgentId": previous[0],
                         "assignmentType": "manual"}
                self.event("chat.assigned", user, t + rng.uniform(1, 20), props, False, True, .3)
                self.desk_reassignments += 1
            ta = t + self.agent_delay(agent, t, region)
            if ta - t > 1800 and rng.random() < .3:  # "hello??"
                t += rng.uniform(600, 1800)
                self.received(user, chat, t, "text")
                count, last_in = count + 1, t
            if ta - last_in > 86400:  # past the customer-service window: Meta refuses it
                self.sent(user, chat, ta, agent=agent[0], fail=1.0)
                count, end, outcome = count + 1, ta, "abandoned"
                break
            k = 1 if rng.random() < .7 else 2
            answers = rng.random() < (.88 if r < rounds - 1 else .4)
            tu = ta + 60 * k + self.user_delay(ta, region) if answers else None
            for _ in range(k):
                ct = rng.choice(AGENT_TYPES)
                mid = self.sent(user, chat, ta, ct, agent=agent[0], read_at=tu and tu - rng.uniform(1, 30))
                business.append((mid, ct))
                count, end = count + 1, ta
                ta += rng.uniform(3, 60)
            if not answers:
                break
            t = max(tu, ta + 1)
            mid, ct = business[-1]
            tap = mid and ((ct == "interactive" and rng.random() < .7) or rng.random() < .08)
            for i in range(1 if rng.random() < .75 else 2):
                self.received(user, chat, t, ("interactive" if ct == "interactive" else "text") if tap and i == 0
                              else rng.choice(INBOUND_TYPES), mid if tap and i == 0 else None)
                count, last_in, end = count + 1, t, t
                t += rng.uniform(3, 50)
        if rounds == 0:
            outcome = "abandoned"
        if rng.random() < (.7 if outcome is None else .4):
            tr = end + (rng.uniform(30, 1800) if rng.random() < .8 else rng.uniform(3600, 6 * 3600))
            props = {"chatId": chat}
            if rounds and rng.random() < .9:
                props["agentId"] = agent[0]
            if self.a.desk:
                tr += 60  # after any late-logged message.sent of the chat (up to 40 s late)
            props["messageCount"] = count
            minutes = (tr - start) / 60
            props["durationMinutes"] = round(minutes) if rng.random() < .7 else round(minutes, 1)
            if self.a.desk and rng.random() < .08:  # a producer that reports seconds, or nonsense
                props["durationMinutes"] = round(minutes * 60) if rng.random() < .5 else round(minutes * 3 + 30)
                self.desk_wrong_durations += 1
            resolution = outcome or rng.choice(RESOLUTIONS)
            if resolution:
                props["resolution"] = resolution
            timed = rng.random() < .6
            self.event("chat.resolved", user, tr, props, False, timed or self.a.desk, .3)

    def broadcast(self, t, template, size):
        """A marketing template to many users (plus freshly imported contacts); some answer."""
        rng = self.rng
        recipients = rng.sample(self.users, min(size, len(self.users)))
        for _ in range(max(0, size - len(recipients)) + size // 10):
            reg = self.regions[bisect.bisect(self.region_cum, rng.random() * self.region_cum[-1])]
            u = self.new_user(reg)
            self.contact(u, t - rng.uniform(0, 900), "import")
            recipients.append(u)
        spread = rng.uniform(300, 1500)
        campaign = None
        if self.a.campaigns:
            self.campaigns += 1
            campaign = "cmp_%s_%d" % (template, self.campaigns)
            ev = {"type": "track", "event": "campaign.sent", "userId": "system", "timestamp": self.ts(t),
                  "properties": {"campaignId": campaign, "campaignName": template.replace("_", " ").title(),
                                 "templateId": template, "recipientCount": len(recipients)},
                  "context": {"channel": "whatsapp"}}
            self.emit(ev, t + rng.uniform(.1, 2), noisy=False)
            self.campaign_truth[campaign] = Counter(audience=len(recipients))
            self.campaign_names[campaign] = (ev["properties"]["campaignName"], template)
        for i, u in enumerate(recipients):
            ts = t + spread * i / len(recipients)
            replies = rng.random() < .09
            read_at = ts + rng.lognormvariate(5.5, 1.5) if replies else None
            fail = TEMPLATE_RATES[template][1] if self.a.template_rates else .04
            mid = self.sent(u, None, ts, template=template, automated=rng.random() < .5, read_at=read_at, fail=fail,
                            campaign=campaign, category="marketing")
            if replies and mid:
                self.conversation(read_at + rng.uniform(2, 90), u, mid if rng.random() < .8 else None, "button")

    def run(self, out, labels):
        """Hour by hour: start as many sessions as keep the stream on course for --events
        (spread by hour weight), then write every line received within the hour."""
        a, rng = self.a, self.rng
        self.region_cum = accumulate(r.weight for r in self.regions)
        hours = max(1, math.ceil(a.days * 24))
        starts = [a.start + h * 3600 for h in range(hours)]
        cum = accumulate(self.hour_weights(s)[-1] for s in starts)
        campaigns = {}
        n_camp = max(1, round(a.days / 2.5)) if a.events >= 300 else 0
        for i in range(n_camp):
            h = min(hours - 1, int((i + .4) * a.days / n_camp) * 24 + (9, 14, 16)[i % 3])
            campaigns[h] = (BROADCASTS[i % len(BROADCASTS)], max(3, int(a.events * .1 / n_camp / 3)))
        hostile_hour = rng.randrange(hours) if a.hostile else -1
        for h, t_h in enumerate(starts):
            if h in campaigns:
                self.broadcast(t_h + 1200 + rng.uniform(0, 1200), *campaigns[h])
            if h == hostile_hour:
                self.hostile(t_h + rng.uniform(0, 3000))
            if h == min(hours - 1, 11) and a.events >= 1000:  # every region at least once
                for reg in self.regions:
                    if not self.pools[reg.index]:
                        self.session(t_h + rng.uniform(0, 3600), reg)
            x = max(0.0, (a.events * cum[h] / cum[-1] - self.produced) /
                    (self.session_events / self.sessions if self.sessions >= 20 else 9.0))
            weights = self.hour_weights(t_h)
            k = int(x) + (rng.random() < x - int(x))
            if h == hours - 1 and a.events and not self.produced:
                k = 1  # a tiny --events still gives something
            for t0 in sorted(t_h + rng.random() * 3600 for _ in range(k)):
                before = self.produced
                self.session(t0, self.regions[bisect.bisect(weights, rng.random() * weights[-1])])
                self.sessions += 1
                self.session_events += self.produced - before
            self.flush(t_h + 3600, out, labels)
        self.flush(math.inf, out, labels)
        if self.lines and not (a.hostile and self.last_label != "blank"):
            out.write(b"\n")  # --hostile: the last line ends without a newline

    # -- invalid and hostile lines --------------------------------------------------------------
    def invalid_line(self, ev, line):
        """A line derived from a valid event and broken in one way, for one rejection code
        (each code in turn, so a few dozen lines cover them all)."""
        if not self.kind_cycle:
            self.kind_cycle = list(MUTATIONS) + ["invalid_json"]
            self.noise.shuffle(self.kind_cycle)
        code = self.kind_cycle.pop()
        subs = sorted(MUTATIONS[code].items())
        self.noise.shuffle(subs)
        d = json.loads(line)
        if d.get("userId") != self.phone_of.get(d.get("userId")):
            # The mutations break phone numbers: give them the person's number to break.
            d["userId"] = self.phone_of[d["userId"]]
            d["context"].pop("bsuid", None)
            line = compact(d)
        for sub, mutate in subs:
            text = mutate(json.loads(line), self.noise)
            if text:
                break
        self.rejects[code] += 1
        self.kinds["%s/%s" % (code, sub)] += 1
        return text, "reject %s/%s" % (code, sub)

    def hostile(self, t):
        """--hostile: huge, deep, NUL-bearing and terminal-hostile lines, some valid, some not, and
        one event from a device whose clock is decades ahead."""
        u, chat = self.new_user(self.regions[0]), self.chat_id()

        def base(**extra):
            ev = {"type": "track", "event": "message.received", "userId": u.uid, "timestamp": self.ts(t),
                  "properties": {"messageId": self.wamid(u), "contentType": "text", "chatId": chat},
                  "context": {"channel": "whatsapp"}}
            ev["context"].update(extra)
            return ev

        def sized(n, ch):
            ev = base(padding="")
            ev["context"]["padding"] = ch * (n - len(compact(ev)))
            return compact(ev)

        def valid(text, when=t):
            self.distinct["message.received"] += 1
            self.count_day("message.received", when)
            self.produced += 1
            self.push(t, text)

        def reject(code, sub, text):
            self.rejects[code] += 1
            self.kinds["%s/%s" % (code, sub)] += 1
            self.push(t, text, "reject %s/%s" % (code, sub))

        valid(sized(MIB, "x"))  # exactly the default --max-line-bytes: valid
        reject("line_too_long", "one_byte_over", sized(MIB + 1, "x"))
        reject("line_too_long", "three_mib", sized(3 * MIB, "y"))
        valid(sized(200000, "z"))
        valid(compact(base(note="nul\x00inside")))  # written as \u0000: valid
        valid(compact(base(note="\x9b31m\u202eexe.gnp\u2028\u2029\x1b[2J\x7f")))  # C1, bidi, separators
        valid(raw_at(base(), '{"a":' * 58 + "1" + "}" * 58, key="nested"))  # 60 levels in all: valid
        reject("invalid_json", "raw_nul", raw_at(base(), '"nul\x00raw"', key="note"))
        reject("invalid_json", "nul_after_value", compact(base()) + "\x00\x00")
        reject("too_deep", "hundred_thousand", "[" * 100000 + "]" * 100000)
        ev = base()
        ev["timestamp"] = ev["timestamp"].lower()  # RFC 3339 allows t and z
        valid(compact(ev))
        ev = base()
        ev["timestamp"] = "2090-01-01T00:00:00Z"  # a device with a wrong clock: valid, far ahead
        valid(compact(ev), 3786912000.0)


MIB = 1 << 20


def compact(d):
    """Compact JSON, UTF-8 left as is."""
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False)


def raw_at(d, raw, where="context", key="retry"):
    """Compact JSON of d with the raw text `raw` as the value of d[where][key] (or d[key])."""
    (d[where] if where else d)[key] = "@@R@@"
    return compact(d).replace('"@@R@@"', raw, 1)


def in_string(d, raw):
    """Compact JSON of d with raw text inside a string value (context.profileName)."""
    return raw_at(d, '"%s"' % raw, "context", "profileName")


def required_fields(d):
    """The event's required properties that it has (candidates for deletion)."""
    p, name = d["properties"], d["event"]
    return [k for k in REQUIRED.get(name, ()) if k in p]


REQUIRED = {"message.received": ("messageId", "chatId"), "message.sent": ("messageId",),
            "message.delivered": ("messageId",), "message.read": ("messageId",), "message.failed": ("messageId",),
            "chat.resolved": ("chatId", "messageCount", "durationMinutes"), "contact.created": ()}
IDENTIFIERS = ("messageId", "chatId", "agentId", "templateId", "replyTo")
BAD_UTF8 = {"latin1_name": "Jos\udce9 Garc\udceda", "lone_continuation": "caf\udc80", "overlong": "\udcc0\udcaf",
            "truncated_sequence": "caf\udcc3", "utf16_surrogate": "\udced\udca0\udc80",
            "over_max": "\udcf4\udc90\udc80\udc80", "invalid_byte": "\udcff\udcfe"}
BAD_TIMES = {
    "missing_offset": lambda b: b[:19], "ten_fraction_digits": lambda b: b[:19] + ".1234567890Z",
    "impossible_date": lambda b: "2026-02-30" + b[10:], "month_13": lambda b: "2026-13-01" + b[10:],
    "not_leap_year": lambda b: "2027-02-29" + b[10:], "hour_24": lambda b: b[:11] + "24:00:00Z",
    "minute_61": lambda b: b[:11] + "10:61:00Z", "offset_without_colon": lambda b: b[:19] + "+0300",
    "offset_out_of_range": lambda b: b[:19] + "+25:00", "empty_fraction": lambda b: b[:19] + ".Z",
    "epoch_string": lambda b: "1762164000", "http_date": lambda b: "Tue, 03 Nov 2026 10:00:00 GMT",
    "one_digit_day": lambda b: "2026-11-3T10:00:00Z", "space_separator_no_zone": lambda b: b[:10] + " " + b[11:19]}
BAD_E164 = {
    "no_plus": lambda u: u[1:], "double_zero": lambda u: "00" + u[1:], "too_short": lambda u: u[:6],
    "leading_zero": lambda u: "+0" + u[1:], "unassigned_999": lambda u: "+999" + u[-9:],
    "unassigned_289": lambda u: "+289" + u[-8:], "spaces": lambda u: "%s %s %s" % (u[:4], u[4:7], u[7:]),
    "dashes": lambda u: "%s-%s-%s" % (u[:4], u[4:7], u[7:]), "too_long": lambda u: u + "0" * (17 - len(u)),
    "letters": lambda u: u[:5] + "ABC" + u[8:], "trailing_space": lambda u: u + " "}


def _missing(d, path):
    obj = d
    for k in path[:-1]:
        obj = obj[k]
    if path[-1] not in obj:
        return None
    del obj[path[-1]]
    return compact(d)


def _set(d, path, value, when=True):
    if not when:
        return None
    obj = d
    for k in path[:-1]:
        obj = obj[k]
    obj[path[-1]] = value
    return compact(d)


def _ev(d, *names):
    return d["event"] in names


MUTATIONS = {  # code -> subkind -> mutate(event dict, rng) -> line text (None: not applicable)
    "invalid_utf8": {k: (lambda d, R, v=v: in_string(d, v)) for k, v in BAD_UTF8.items()},
    "invalid_json": {
        "truncated": lambda d, R: (lambda s: s[:R.randint(1, len(s) - 2)])(compact(d)),
        "trailing_comma": lambda d, R: compact(d)[:-1] + ",}",
        "trailing_comma_array": lambda d, R: raw_at(d, '["vip","beta",]', key="tags"),
        "single_quotes": lambda d, R: compact(d).replace('"', "'"),
        "nan": lambda d, R: raw_at(d, "NaN", key="sampleRate"),
        "infinity": lambda d, R: raw_at(d, "-Infinity", key="score"),
        # Before userId, or (keys shuffled, userId first) after the opening brace.
        "block_comment": lambda d, R: (lambda s: s.replace(',"userId"', ',/* retried */"userId"', 1)
                                       if ',"userId"' in s else "{/* retried */" + s[1:])(compact(d)),
        "line_comment": lambda d, R: compact(d) + " // retry 2",
        "two_objects": lambda d, R: compact(d) + compact(d),
        "bytes_after_value": lambda d, R: compact(d) + R.choice(["x", "}", " 1", ",", "\x1a"]),
        "unquoted_key": lambda d, R: compact(d).replace('"type":', "type:", 1),
        "raw_tab_in_string": lambda d, R: in_string(d, "Ann\tMarie"),
        "leading_zero": lambda d, R: raw_at(d, "007"),
        "hex_number": lambda d, R: raw_at(d, "0x1F"),
        "plus_number": lambda d, R: raw_at(d, "+1"),
        "python_literal": lambda d, R: raw_at(d, R.choice(["True", "None"]), key="debug"),
        "missing_value": lambda d, R: compact(d).replace('"context":{', '"context":{"retry":,', 1),
        "sse_prefix": lambda d, R: "data: " + compact(d),
        "bad_escape": lambda d, R: in_string(d, "C:\\\\wa\\qid"),
        "bad_unicode_escape": lambda d, R: in_string(d, "\\u12G4"),
        "lone_surrogate_escape": lambda d, R: in_string(d, "Rafa \\ud83c"),
        "bom_mid_stream": lambda d, R: "\ufeff" + compact(d)},
    "too_deep": {
        "objects": lambda d, R: raw_at(d, (lambda n: '{"a":' * n + "0" + "}" * n)(R.randint(66, 400)), None, "integrations"),
        "arrays": lambda d, R: raw_at(d, (lambda n: "[" * n + "]" * n)(R.randint(66, 400)), key="tags"),
        "mixed": lambda d, R: raw_at(d, (lambda n: '[{"a":' * n + "0" + "}]" * n)(R.randint(33, 200)), "properties", "x")},
    "duplicate_key": {
        "type_twice": lambda d, R: '{"type":"track",' + compact(d)[1:],
        "escaped_key_twice": lambda d, R: '{"\\u0074ype":"track",' + compact(d)[1:],
        "user_twice": lambda d, R: '{"userId":"+254712345678",' + compact(d)[1:],
        "channel_twice": lambda d, R: compact(d).replace('"context":{', '"context":{"channel":"whatsapp",', 1),
        "property_twice": lambda d, R: next(iter(d["properties"]), None) and compact(d).replace(
            '"properties":{', '"properties":{%s:%s,' % (json.dumps(next(iter(d["properties"]))),
                                                         json.dumps(next(iter(d["properties"].values())))), 1)},
    "not_an_object": {
        "array": lambda d, R: "[" + compact(d) + "]",
        "double_encoded": lambda d, R: json.dumps(compact(d)),
        "scalar": lambda d, R: R.choice(["42", "null", "true", '"track"', "[]", "-0.5"])},
    "missing_field": dict(
        {k: (lambda d, R, k=k: _missing(d, [k])) for k in ("type", "event", "userId", "context")},
        channel=lambda d, R: _missing(d, ["context", "channel"]),
        properties=lambda d, R: _missing(d, ["properties"]) if _ev(d, "contact.created") else None,
        required_property=lambda d, R: required_fields(d) and _missing(d, ["properties", R.choice(required_fields(d))]),
        timestamp=lambda d, R: _ev(d, "message.received", "message.sent") and _missing(d, ["timestamp"]),
        null_user=lambda d, R: _set(d, ["userId"], None)),
    "wrong_type": {
        "user_number": lambda d, R: _set(d, ["userId"], int(d["userId"][1:])),
        "timestamp_number": lambda d, R: _set(d, ["timestamp"], 1762164000),
        "context_array": lambda d, R: _set(d, ["context"], ["whatsapp"]),
        "properties_string": lambda d, R: _set(d, ["properties"], "organic", _ev(d, "contact.created")),
        "message_id_number": lambda d, R: _set(d, ["properties", "messageId"], 4711, "messageId" in d["properties"]),
        "chat_id_number": lambda d, R: _set(d, ["properties", "chatId"], 456, _ev(d, "message.received", "chat.resolved")),
        "has_media_string": lambda d, R: _set(d, ["properties", "hasMedia"], "false", _ev(d, "message.received")),
        "is_automated_string": lambda d, R: _set(d, ["properties", "isAutomated"], "yes", _ev(d, "message.sent")),
        "content_type_number": lambda d, R: _set(d, ["properties", "contentType"], 1, _ev(d, "message.received", "message.sent")),
        "message_count_string": lambda d, R: _set(d, ["properties", "messageCount"], "8", _ev(d, "chat.resolved")),
        "message_count_fraction": lambda d, R: _set(d, ["properties", "messageCount"], 8.5, _ev(d, "chat.resolved")),
        "duration_string": lambda d, R: _set(d, ["properties", "durationMinutes"], "15", _ev(d, "chat.resolved")),
        "error_code_string": lambda d, R: _set(d, ["properties", "errorCode"], "131049", _ev(d, "message.failed")),
        "agent_id_number": lambda d, R: _set(d, ["properties", "agentId"], 789, _ev(d, "message.sent", "chat.resolved"))},
    "invalid_value": {
        "type_not_track": lambda d, R: _set(d, ["type"], R.choice(["identify", "page", "Track", "TRACK", "screen"])),
        "channel_not_whatsapp": lambda d, R: _set(d, ["context", "channel"], R.choice(["sms", "WhatsApp", "telegram"])),
        "negative_message_count": lambda d, R: _set(d, ["properties", "messageCount"], -3, _ev(d, "chat.resolved")),
        "negative_duration": lambda d, R: _set(d, ["properties", "durationMinutes"], -0.5, _ev(d, "chat.resolved")),
        "empty_identifier": lambda d, R: (lambda ks: ks and _set(d, ["properties", R.choice(ks)], ""))(
            [k for k in IDENTIFIERS if k in d["properties"]])},
    "unknown_event": {"renamed": lambda d, R: _set(d, ["event"], R.choice(
        ["message.deleted", "Message.Received", "message_received", "contact.updated", "chat.opened",
         "message.reaction", " message.read", "message.sent "]))},
    "invalid_e164": {k: (lambda d, R, f=f: _set(d, ["userId"], f(d["userId"]))) for k, f in BAD_E164.items()},
    "invalid_timestamp": {k: (lambda d, R, f=f: _set(d, ["timestamp"], f(d.get("timestamp") or "2026-11-03T10:00:00.000Z")))
                          for k, f in BAD_TIMES.items()},
    "invalid_country_code": {"bad_code": lambda d, R: _set(
        d, ["properties" if _ev(d, "contact.created") else "context", "countryCode"],
        R.choice(["XX", "KEN", "k1", "K", "12", "Kenya", "ke "]))},
}


# --- entry points ------------------------------------------------------------------------------
def generate(a, out, labels=None):
    """Write the stream to the binary file `out`; return the ground truth."""
    s = Stream(a)
    if a.hostile:
        out.write(b"\xef\xbb\xbf")  # a byte-order mark at the start of the stream
    s.run(out, labels)
    rejected = sum(s.rejects.values())
    per_region = Counter(u.region.code for u in s.users)
    truth = {
        "generator": "scripts/gen-events", "version": 1,
        "args": {k: v for k, v in sorted(vars(a).items())
                 if k not in ("out", "truth", "labels", "start", "check_numbers", "self_test", "truth_tz")
                 and not (k == "desk" and not v)},
        "start": datetime.datetime.fromtimestamp(a.start, datetime.timezone.utc).isoformat().replace("+00:00", "Z"),
        "lines": s.lines, "blank": s.blank, "rejected": rejected,
        "events": s.lines - s.batches + s.batch_items - s.blank - rejected - s.foreign,
        # Collector lines (--batch-share, --foreign-share): batch lines and their elements,
        # and lines of other sources (foreign: skipped or passed under --foreign).
        "batches": s.batches, "batchItems": s.batch_items, "foreign": s.foreign,
        "duplicates": s.dups, "distinct": {"total": sum(s.distinct.values()), "byEvent": dict(sorted(s.distinct.items()))},
        "users": len(s.users), "usersByRegion": dict(sorted(per_region.items())),
        # Persons, whatever they are known by; by the form of their first event's userId
        # (a `both` user's first event names the number).
        "persons": len(s.users),
        "usersByIdentity": {"phone": sum(u.mode != "bsuid" for u in s.users),
                            "bsuid": sum(u.mode == "bsuid" for u in s.users)},
        "identities": dict(sorted(Counter(u.mode for u in s.users).items())),
        "rejectedByCode": dict(sorted(s.rejects.items())), "rejectedByKind": dict(sorted(s.kinds.items())),
        "warnings": dict(sorted(s.warns.items())),
        "agents": [ag[0] for ag in s.agents],
        # Per template and campaign (--campaigns): distinct message.sent naming it, those that
        # failed, those tapped (an inbound button/interactive with replyTo); a campaign's
        # audience (recipientCount), name and template. Delivered, read and replied depend on
        # wa-aggregate's reply window and are not predicted here.
        "templates": {k: {n: v[n] for n in ("sent", "failed", "clicked")} for k, v in sorted(s.template_truth.items())},
        "campaigns": {k: {"audience": v["audience"], "name": s.campaign_names[k][0], "templateId": s.campaign_names[k][1],
                          **{n: v[n] for n in ("sent", "failed", "clicked")}}
                      for k, v in sorted(s.campaign_truth.items())},
        "days": {"tz": a.truth_tz, "byDay": {d: {"received": c["received"], "sent": c["sent"]}
                                             for d, c in sorted(s.days.items())}},
        "notes": "lines - batches + batchItems = blank + rejected + foreign + events; events = distinct.total + duplicates; each rejected "
                 "line carries exactly one problem; warnings count lines (duplicates included); days: "
                 "distinct message.received and message.sent by the local day (days.tz) of their own time",
    }
    if s.desk is not None:
        truth["desk"] = s.desk.result()
        truth["desk"]["model"] = {"reassignments": s.desk_reassignments,
                                  "wrongDurationMinutes": s.desk_wrong_durations}
    return truth


def check_numbers(per_range=300):
    """Every embedded range, many numbers each: valid, and of the intended region."""
    import phonenumbers
    rng, bad, total = random.Random(0), 0, 0
    for row in REGIONS:
        reg = Region(0, *row)
        for prefix, length in reg.ranges:
            k = length - len(prefix)
            tails = ["0" * k, "9" * k] + ["%0*d" % (k, rng.randrange(10 ** k)) for _ in range(per_range)]
            for tail in tails:
                num = phonenumbers.parse("+%s%s%s" % (reg.cc, prefix, tail), None)
                total += 1
                if not phonenumbers.is_valid_number(num) or phonenumbers.region_code_for_number(num) != reg.code:
                    bad += 1
                    print("BAD %s +%s%s%s -> %s" % (reg.code, reg.cc, prefix, tail,
                                                    phonenumbers.region_code_for_number(num)), file=sys.stderr)
        print("%-2s +%-4s %3d ranges, %5d numbers" % (reg.code, reg.cc, len(reg.ranges), len(reg.ranges) * len(tails)))
    print("check-numbers: %d numbers, %d bad (phonenumbers %s)" % (total, bad, phonenumbers.__version__))
    return 1 if bad else 0


def parse_time(s):
    t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    if t.tzinfo is None:
        raise argparse.ArgumentTypeError("needs Z or an offset: %s" % s)
    return t.timestamp()


def rate(s):
    r = float(s)
    if not 0 <= r <= 1:
        raise argparse.ArgumentTypeError("a rate is between 0 and 1: %s" % s)
    return r


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="gen-events", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Seeded, realistic WhatsApp track events (NDJSON) for wa-tools.",
        epilog="example:\n  scripts/gen-events --events 1000000 --invalid-rate 0.01 | wa-validate | wa-aggregate")
    p.add_argument("--events", metavar="N", type=int, default=3000, help="about this many distinct valid events (default 3000)")
    p.add_argument("--seed", metavar="S", default="1", help="random seed (default 1); same seed, same bytes")
    p.add_argument("--start", metavar="TIME", type=parse_time, default=parse_time("2026-11-02T00:00:00Z"),
                   help="stream start, RFC 3339 (default 2026-11-02T00:00:00Z)")
    p.add_argument("--days", metavar="D", type=float, default=7, help="time span in days (default 7)")
    p.add_argument("--invalid-rate", metavar="R", type=rate, default=0.0, help="extra invalid lines per event (default 0)")
    p.add_argument("--duplicate-rate", metavar="R", type=rate, default=0.02, help="events re-sent later as the same line (default 0.02)")
    p.add_argument("--blank-rate", metavar="R", type=rate, default=0.0, help="blank lines per event (default 0)")
    p.add_argument("--bsuid-share", metavar="R", type=rate, default=0.0,
                   help="share of users known only by a BSUID (username users; default 0)")
    p.add_argument("--both-share", metavar="R", type=rate, default=0.0,
                   help="share of users known by number and BSUID: the first event names both (default 0)")
    p.add_argument("--pricing-rate", metavar="R", type=rate, default=0.0,
                   help="share of delivered/read statuses carrying Meta's pricing object (default 0)")
    p.add_argument("--assign-rate", metavar="R", type=rate, default=0.0,
                   help="share of conversations with a chat.assigned before the agent answers (default 0)")
    p.add_argument("--desk", action="store_true",
                   help="service desk (issue 18): re-assignments, chat events always timed, some wrong "
                   "durationMinutes; the truth gains `desk` (use with --assign-rate)")
    p.add_argument("--template-rates", action="store_true",
                   help="each template its own read and failure rate (TEMPLATE_RATES); the truth has per-template numbers anyway")
    p.add_argument("--campaigns", action="store_true",
                   help="broadcasts emit campaign.sent and carry campaignId on their messages")
    p.add_argument("--batch-share", metavar="R", type=rate, default=0.0,
                   help="share of event and foreign lines sent inside collector batch calls "
                   "{\"batch\":[...]} of 2-8 elements (default 0)")
    p.add_argument("--foreign-share", metavar="R", type=rate, default=0.0,
                   help="lines of other sources (identify, page, web track...) per event (default 0)")
    p.add_argument("--hostile", action="store_true", help="add a BOM, 1 MiB+ and deeply nested lines, NULs, "
                   "terminal escapes, an event dated 2090; the last line has no newline")
    p.add_argument("--format", choices=["ndjson", "meta"], default="ndjson",
                   help="ndjson: track events; meta: raw Meta webhook bodies for wa-convert, --events "
                   "of them (scripts/gen-meta; --seed, --start, --invalid-rate, --out, --truth apply)")
    p.add_argument("--out", metavar="FILE", help="output file (default standard output)")
    p.add_argument("--truth", metavar="FILE", help="write the ground truth (JSON) to this file")
    p.add_argument("--truth-tz", metavar="ZONE", default="UTC",
                   help="the zone of the truth's per-day numbers (IANA name; default UTC)")
    p.add_argument("--labels", metavar="FILE", help="write one label per output line: event [warn=…], duplicate, blank, reject CODE/KIND")
    p.add_argument("--check-numbers", action="store_true", help="verify the phone ranges with `phonenumbers`, then exit")
    p.add_argument("--self-test", action="store_true", help="run scripts/test-gen-events, then exit")
    a = p.parse_args(argv)
    if a.events < 0 or a.days <= 0:
        p.error("--events must be >= 0 and --days > 0")
    if a.bsuid_share + a.both_share > 1:
        p.error("--bsuid-share and --both-share add up to more than 1")
    return a


def meta_format(a):
    """--format meta: raw WhatsApp Cloud API webhook bodies, one per line (--events of them),
    and with --truth what wa-convert and the pipeline must report. The Meta shapes and that
    truth live in gen_meta.py, next to this file (wa-convert, issue #5)."""
    try:  # imported as watools.gen_events
        from . import gen_meta
    except ImportError:  # run as a file: its folder is on sys.path
        import gen_meta
    return gen_meta.run(a.events, "meta:%s" % a.seed, a.start, a.invalid_rate, a.out, a.truth)


def main(argv):
    a = parse_args(argv)
    if a.format == "meta":
        if a.labels or a.hostile:
            sys.exit("gen-events: --labels and --hostile are for --format ndjson")
        return meta_format(a)
    if a.check_numbers:
        return check_numbers()
    if a.self_test:  # the checks live in test_gen_events.py, next to this file
        import os, subprocess
        here = os.path.dirname(os.path.abspath(__file__))
        return subprocess.call([sys.executable, os.path.join(here, "test_gen_events.py")])
    labels = [] if a.labels else None
    out = open(a.out, "wb") if a.out else sys.stdout.buffer
    try:
        truth = generate(a, out, labels)
        out.flush()
    except BrokenPipeError:  # `gen-events | head`: stop quietly
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if a.out:
        out.close()
    if a.truth:
        with open(a.truth, "w") as f:
            json.dump(truth, f, indent=1)
            f.write("\n")
    if a.labels:
        with open(a.labels, "w") as f:
            f.write("\n".join(labels) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
