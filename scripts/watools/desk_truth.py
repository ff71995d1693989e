"""The service desk's ground truth for gen_events.py --desk (issue 18).

An independent reading of the definitions in docs/service-desk.md, in Python over the stream
gen_events writes, line by line in output order (duplicates and rejected lines are not fed):
conversations (by chatId), their first-response clocks (any reply, an agent's, from
assignment), handling, assignments, observed numbers, business time, SLAs at the end of the
stream, and the users waiting. wa-aggregate must give the same numbers
(Tests/EndToEndTests/ServiceDeskTruthTests.swift).

Integer nanoseconds throughout, as wa-aggregate keeps time, so "exactly at the target is met"
means the same here. Business hours are in UTC (no daylight saving to model here; the Swift
tests cover zones).
"""
import calendar, json, math, re

NANOS = 1_000_000_000
DAY = 86_400 * NANOS

# The flags the truth is computed for; the test passes the same to wa-aggregate.
BUSINESS_HOURS = "Mon-Fri 08:00-20:00; Sat 09:00-15:00"
OPEN = {0: [(8, 20)], 1: [(8, 20)], 2: [(8, 20)], 3: [(8, 20)], 4: [(8, 20)], 5: [(9, 15)]}
SLA_FIRST, SLA_RESOLUTION = 15 * 60 * NANOS, 4 * 3600 * NANOS
REPLY_WINDOW = 86_400 * NANOS
FLAGS = ["--tz", "UTC", "--business-hours", BUSINESS_HOURS, "--sla", "first-response=15m,resolution=4h"]

TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def nanos(text):
    m = TIME.match(text)
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = (m.group(7) or "")[:9].ljust(9, "0")
    off = 0 if m.group(8) == "Z" else (1 if m.group(8)[0] == "+" else -1) * (
        int(m.group(8)[1:3]) * 3600 + int(m.group(8)[4:6]) * 60)
    return (calendar.timegm((y, mo, d, h, mi, s)) - off) * NANOS + int(frac)


def business(a, b):
    """Open nanoseconds in [a, b)."""
    total, day = 0, a // DAY
    while day * DAY < b:
        for start, end in OPEN.get((day + 3) % 7, []):
            lo, hi = max(a, day * DAY + start * 3600 * NANOS), min(b, day * DAY + end * 3600 * NANOS)
            total += max(0, hi - lo)
        day += 1
    return total


def quantiles(xs):
    """Nearest-rank p50 and p90 (seconds), as wa-aggregate's exact samples give them."""
    if not xs:
        return None
    s = sorted(xs)
    pick = lambda q: s[max(1, min(len(s), math.ceil(q * len(s) - 1e-9))) - 1]
    return {"count": len(s), "p50Seconds": pick(.5) / NANOS, "p90Seconds": pick(.9) / NANOS,
            "maxSeconds": s[-1] / NANOS}


class Conversation:
    def __init__(self, first_seen):
        self.first_seen, self.first_inbound = first_seen, None
        self.frt_start = self.agent_start = self.assigned_at = None
        self.frt_done = self.agent_done = self.bot = self.agent = self.handed_off = False
        self.messages, self.assignments, self.assigned_agent = 0, 0, None

    def seen(self, t):
        if self.first_seen is None or t < self.first_seen:
            self.first_seen = t


class DeskOracle:
    def __init__(self):
        self.convs, self.latest_conv, self.user_clock = {}, {}, {}
        self.clock = None
        self.started = self.disagree = 0
        self.frt, self.agent_frt, self.assignment, self.frt_business = [], [], [], []
        self.handling = dict(botOnly=0, handedOff=0, agentOnly=0, noReply=0, assignments=0, reassigned=0)
        self.sla = {"firstResponse": dict(met=0, missed=0, pending=0),
                    "resolution": dict(met=0, missed=0, pending=0)}

    def conv(self, key, t):
        c = self.convs.get(key)
        if c is None:
            c = self.convs[key] = Conversation(t)
        c.seen(t)
        return c

    def feed(self, line):
        ev = json.loads(line)
        own = ev.get("timestamp") or ev.get("receivedAt") or ev.get("context", {}).get("receivedAt")
        if own is not None:
            t = nanos(own)
            self.clock = t if self.clock is None else max(self.clock, t)
        else:
            t = self.clock
        name, p, user = ev["event"], ev.get("properties", {}), ev.get("userId")
        chat = p.get("chatId")
        if name == "message.received":
            if user not in self.user_clock or self.user_clock[user] is None or t < self.user_clock[user]:
                self.user_clock[user] = t
            if not isinstance(chat, str):
                return  # gen_events gives every inbound message its chatId
            self.latest_conv[user] = chat
            c = self.conv(chat, t)
            c.messages += 1
            if c.first_inbound is None:
                c.first_inbound = t
                self.started += 1
            elif t < c.first_inbound:
                c.first_inbound = t
            if not c.frt_done and (c.frt_start is None or t < c.frt_start):
                c.frt_start = t
            if not c.agent_done and (c.agent_start is None or t < c.agent_start):
                c.agent_start = t
        elif name == "message.sent":
            agent = p.get("agentId") if isinstance(p.get("agentId"), str) and p.get("isAutomated") is not True else None
            start = self.user_clock.get(user)
            if start is not None and t >= start:
                self.user_clock[user] = None
            # A message sent to a resolved conversation before anything opens it again (a
            # survey after the resolution) belongs to the resolved one: it opens no new one.
            if isinstance(chat, str):
                if chat in self.convs and self.convs[chat].first_seen is None:
                    return
                c = self.conv(chat, t)
                c.messages += 1
            else:
                key = self.latest_conv.get(user)
                if key is None or key not in self.convs or self.convs[key].first_seen is None:
                    return
                c = self.conv(key, t)
            # Handling counts replies: nothing before the first inbound message answers anyone.
            if c.first_inbound is not None and t >= c.first_inbound:
                if agent:
                    if not c.agent:
                        c.agent = True
                        c.handed_off = c.handed_off or c.bot
                else:
                    c.bot = True
            if c.frt_start is not None and t >= c.frt_start:
                self.frt.append(t - c.frt_start)
                self.frt_business.append(business(c.frt_start, t))
                c.frt_done, c.frt_start = True, None
            if not agent:
                return
            if c.agent_start is not None and t >= c.agent_start:
                self.agent_frt.append(t - c.agent_start)
                met = business(c.agent_start, t) <= SLA_FIRST
                self.sla["firstResponse"]["met" if met else "missed"] += 1
                c.agent_done, c.agent_start = True, None
            if c.assigned_at is not None and t >= c.assigned_at and c.assigned_agent == agent:
                self.assignment.append(t - c.assigned_at)
                c.assigned_at = None
        elif name == "chat.assigned":
            c = self.conv(chat, t)
            c.assignments += 1
            c.assigned_agent, c.assigned_at = p["agentId"], t
        elif name == "chat.resolved":
            c = self.convs.get(chat)
            if c is None or c.first_seen is None:  # never seen, or resolved with nothing since
                self.handling["noReply"] += 1
                return
            kind = "handedOff" if c.handed_off else "agentOnly" if c.agent else "botOnly" if c.bot else "noReply"
            self.handling[kind] += 1
            self.handling["assignments"] += c.assignments
            self.handling["reassigned"] += c.assignments > 1
            first = min(c.first_seen, t)
            minutes, count = (t - first) / (60 * NANOS), float(c.messages)
            claimed_count, claimed_minutes = float(p.get("messageCount", 0)), float(p.get("durationMinutes", 0))
            off = lambda a, b: abs(a - b) > 1 and abs(a - b) > .1 * max(a, b)
            self.disagree += off(claimed_count, count) or off(claimed_minutes, minutes)
            if c.first_inbound is not None:
                if not c.agent_done and c.agent_start is not None:
                    met = business(c.agent_start, t) <= SLA_FIRST
                    self.sla["firstResponse"]["met" if met else "missed"] += 1
                met = business(first, t) <= SLA_RESOLUTION
                self.sla["resolution"]["met" if met else "missed"] += 1
            self.convs[chat] = Conversation(None)  # closed: the next inbound message starts anew

    def result(self):
        now = self.clock
        for c in self.convs.values():
            if c.first_inbound is None:
                continue
            if not c.agent_done and c.agent_start is not None:
                late = business(c.agent_start, max(now, c.agent_start)) > SLA_FIRST
                self.sla["firstResponse"]["missed" if late else "pending"] += 1
            start = now if c.first_seen is None else c.first_seen
            late = business(start, max(now, start)) > SLA_RESOLUTION
            self.sla["resolution"]["missed" if late else "pending"] += 1
        waiting = [s for s in self.user_clock.values() if s is not None]
        return {
            "flags": FLAGS,
            "started": self.started,
            "firstResponseTime": quantiles(self.frt),
            "firstResponseBusiness": quantiles(self.frt_business),
            "agentFirstResponseTime": quantiles(self.agent_frt),
            "assignmentResponseTime": quantiles(self.assignment),
            "handling": self.handling,
            "disagree": self.disagree,
            "sla": self.sla,
            "waiting": {"now": len(waiting), "overWindow": sum(now - s > REPLY_WINDOW for s in waiting)},
            "notes": "computed from the written stream by scripts/watools/desk_truth.py with the flags "
                     "above; counts must match exactly, quantiles within the sketch's 1%",
        }
