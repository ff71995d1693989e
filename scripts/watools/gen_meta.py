#!/usr/bin/env python3
"""Writes raw WhatsApp webhook bodies, as Meta POSTs them, one JSON body per line.

usage: scripts/watools/gen_meta.py [--bodies N] [--seed S] [--start UNIX] [--invalid-rate R]
                        [--out FILE] [--truth FILE]
       scripts/watools/gen_events.py --format meta --events N …   # the same, through gen-events

Realistic input for wa-convert's tests and benchmarks (SPEC §7): conversations between
users and a few business numbers, turned into Cloud API bodies — inbound messages of every
type (text, media with and without captions, location, contacts, interactive and button
replies with `context`, reactions and their removal, unsupported, system), statuses in both
shapes (pre-v24 with `conversation`/`pricing`, v24 without), delivered, read (sometimes
without delivered), failed with `errors`, played; several items, changes and entries
batched into one body at times; statuses arriving out of order and bodies delivered twice
(Meta delivers at least once); some On-Premises bodies, other `field`s, `value.errors`,
group messages and username-only users (no phone number). Version 2 shapes (SPEC §7): username
users as Meta documents them (`"from": ""` or no `from`, `from_user_id`, `recipient_id": ""` +
`recipient_user_id`, `contacts[].user_id` and `profile.username`), users known by number and
BSUID at once, `edit` and `revoke` messages, `request_welcome` openers, On-Premises `voice`.

--truth FILE writes the ground truth as JSON: what wa-convert must report (events by type,
skipped items by reason, rejected bodies) and the distinct-message counts and funnel that
`wa-convert | wa-validate | wa-aggregate` must give (SPEC §5: funnel.X counts the sent
messages that reached X, replied ⇒ read ⇒ delivered; a message is replied when its user
writes within 24 h after it, or quotes it; funnel.failed counts the sent messages that
failed). The truth assumes wa-convert's default options.

Same seed, same output (Python's `random` with a fixed seed; no clock, no environment).
`scripts/watools/gen_events.py --format meta` runs this generator (`run`), with `--events` bodies.
"""

import argparse
import base64
import bisect
import json
import random
import sys

# Country calling code and a national-number pattern for each market (digits after the code).
MARKETS = [
    ("1", ["650555####", "415555####", "212555####", "416555####"]),
    ("254", ["7########", "110######", "111######"]),
    ("44", ["77########"]),
    ("91", ["98########", "70########"]),
    ("234", ["80########"]),
    ("55", ["119########"]),
    ("49", ["151########"]),
    ("27", ["82#######"]),
    ("52", ["55########", "33########"]),
    ("62", ["812#########"]),
]
INBOUND_TYPES = [  # (type, weight)
    ("text", 52), ("image", 9), ("audio", 6), ("video", 3), ("document", 3), ("sticker", 3),
    ("location", 2), ("contacts", 1), ("interactive", 6), ("button", 4), ("reaction", 5),
    ("reaction_removed", 1), ("unsupported", 2), ("system", 1), ("edit", 1), ("revoke", 1),
]
FAILURES = [
    (131049, "This message was not delivered to maintain healthy ecosystem engagement."),
    (131026, "Message undeliverable"),
    (131047, "Re-engagement message"),
    (131050, "Unable to deliver the message. This recipient has chosen to stop receiving "
             "marketing messages on WhatsApp from your business."),
    (130472, "User's number is part of an experiment"),
]
CATEGORIES = ["marketing", "utility", "service", "authentication"]
SKIP_NAMES = ["reaction", "reaction_removed", "system", "group", "no_user_id",
              "status_sent", "edit", "revoke", "request_welcome", "status_played", "status_unknown", "value_error", "other_field"]
EVENT_NAMES = ["message.received", "message.sent", "message.delivered", "message.read",
               "message.failed"]


REGION_OF_CODE = {"1": "US", "254": "KE", "44": "GB", "91": "IN", "234": "NG", "55": "BR", "49": "DE",
                  "27": "ZA", "52": "MX", "62": "ID"}


def bsuid_prefix(number):
    """A BSUID starts with the user's region (ISO 3166-1) and a dot."""
    for n in (3, 2, 1):
        if number[:n] in REGION_OF_CODE:
            return REGION_OF_CODE[number[:n]] + "."
    return "US."


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class World:
    """Business numbers, users and message ids, all drawn from one seeded generator."""

    def __init__(self, rng):
        self.rng = rng
        self.numbers = [  # (waba id, phone_number_id, display number)
            ("102290129340398", "106540352242922", "15550783881"),
            ("209876543210987", "300000000000001", "15550001111"),
            ("311122233344455", "400000000000777", "254709000111"),
        ]
        self.users = [self.phone() for _ in range(600)]
        self.bsuids = {}
        self.names = ["Sheena Nelson", "Wanjiku", "Aarav", "Chidi", "Lucas", "Mia", "Thabo",
                      "Sofía", "Putri", "Kerry Fisher"]

    def phone(self):
        code, patterns = self.rng.choice(MARKETS)
        national = "".join(str(self.rng.randrange(10)) if c == "#" else c
                           for c in self.rng.choice(patterns))
        return code + national

    def bsuid_of(self, user):
        """The user's BSUID (business-scoped user ID): the region prefix and 15-20 digits."""
        if user not in self.bsuids:
            ent = "ENT." if self.rng.random() < 0.1 else ""
            self.bsuids[user] = bsuid_prefix(user) + ent + str(self.rng.randrange(10**15, 10**20))
        return self.bsuids[user]

    def wamid(self):
        return "wamid." + base64.b64encode(self.rng.randbytes(27)).decode()

    def media(self, mime, caption=None, **extra):
        m = {"mime_type": mime, "sha256": base64.b64encode(self.rng.randbytes(32)).decode(),
             "id": str(self.rng.randrange(10**15, 10**16))}
        if caption:
            m["caption"] = caption
        m.update(extra)
        return m


def inbound(world, user, ts, kind, last_business_id, business_display):
    """One `messages[]` item; returns (item, skip reason or None)."""
    rng = world.rng
    m = {"from": user, "id": world.wamid(), "timestamp": str(ts), "type": kind}
    skip = None
    if kind == "text":
        m["text"] = {"body": rng.choice(["Hi", "Does it come in another color?", "Thanks!",
                                          "When will my order arrive?", "Habari 👋", "ok"])}
        if last_business_id and rng.random() < 0.15:  # a quoted reply
            m["context"] = {"from": business_display, "id": last_business_id}
        elif rng.random() < 0.03:
            m["context"] = {"forwarded": True}
    elif kind == "image":
        m["image"] = world.media("image/jpeg", rng.choice([None, "This is an image caption"]))
    elif kind == "audio":
        m["audio"] = world.media("audio/ogg; codecs=opus", voice=True)
    elif kind == "video":
        m["video"] = world.media("video/mp4", rng.choice([None, "look"]))
    elif kind == "document":
        m["document"] = world.media("application/pdf", None, filename="invoice.pdf")
    elif kind == "sticker":
        m["sticker"] = world.media("image/webp", None, animated=False)
    elif kind == "location":
        m["location"] = {"latitude": 37.483307, "longitude": -122.148981,
                         "name": "Meta Headquarters", "address": "1 Hacker Way, Menlo Park"}
    elif kind == "contacts":
        m["contacts"] = [{"name": {"formatted_name": "John Doe", "first_name": "John"},
                          "phones": [{"phone": "+16505550199", "type": "CELL"}]}]
    elif kind == "interactive":
        m["interactive"] = {"type": "button_reply",
                            "button_reply": {"id": "yes_confirm", "title": "Yes"}}
        if last_business_id:
            m["context"] = {"from": business_display, "id": last_business_id}
    elif kind == "button":
        m["button"] = {"payload": "Unsubscribe", "text": "Unsubscribe"}
        if last_business_id:
            m["context"] = {"from": business_display, "id": last_business_id}
    elif kind == "reaction":
        m["reaction"] = {"message_id": last_business_id or world.wamid(), "emoji": "👍"}
        skip = "reaction"
    elif kind == "reaction_removed":
        m["type"] = "reaction"
        m["reaction"] = {"message_id": last_business_id or world.wamid()}
        skip = "reaction_removed"
    elif kind == "unsupported":
        m["errors"] = [{"code": 131051, "title": "Message type unknown",
                        "message": "Message type unknown",
                        "error_data": {"details": "Message type is currently not supported."}}]
        m["unsupported"] = {"type": rng.choice(["edit", "poll_creation", "gif"])}
        if m["unsupported"]["type"] == "edit":
            skip = "edit"  # an edit of an earlier message, not a new one
    elif kind == "edit":  # Meta's message edit webhook: the new content of an earlier message
        m["edit"] = {"original_message_id": world.wamid(),
                     "message": {"type": "text", "text": {"body": "Does it come in blue?"}}}
        skip = "edit"
    elif kind == "revoke":  # Meta's message deletion webhook
        m["revoke"] = {"original_message_id": world.wamid()}
        skip = "revoke"
    elif kind == "request_welcome":  # a user opening the chat: no content
        skip = "request_welcome"
    elif kind == "system":
        m["system"] = {"body": "User changed number", "wa_id": user, "type": "user_changed_number"}
        skip = "system"
    return m, skip


def status(world, msg_id, user, ts, value, old_shape, category):
    s = {"id": msg_id, "status": value, "timestamp": str(ts), "recipient_id": user}
    if old_shape and value in ("sent", "delivered"):
        if value == "sent":
            s["conversation"] = {"id": base64.b16encode(world.rng.randbytes(16)).decode().lower(),
                                 "expiration_timestamp": str(ts + 86400),
                                 "origin": {"type": category}}
        s["pricing"] = {"billable": True, "pricing_model": "PMP", "type": "regular",
                        "category": category}
    return s


class Truth:
    """What the written lines must become (wa-convert with default options)."""

    def __init__(self):
        self.lines = self.bodies = self.rejected = 0
        self.events = dict.fromkeys(EVENT_NAMES, 0)
        self.skipped = dict.fromkeys(SKIP_NAMES, 0)
        self.ids = {name: set() for name in EVENT_NAMES}
        self.sent_at = {}  # sent message id -> (user, unix seconds)
        self.inbound = {}  # user -> set of unix seconds of their received messages
        self.quoted = set()  # ids named by a received message's replyTo

    def count(self, item):
        if item["skip"]:
            self.skipped[item["skip"]] += item.get("n", 1)
            return
        for name, msg_id in item["events"]:
            self.events[name] += 1
            self.ids[name].add(msg_id)
            obj = item["obj"]
            if name == "message.sent":
                self.sent_at[msg_id] = (obj.get("recipient_id") or obj["recipient_user_id"],
                                        int(obj["timestamp"]))
            elif name == "message.received":
                user = obj.get("from") or obj.get("from_user_id")
                self.inbound.setdefault(user, set()).add(int(obj["timestamp"]))
                if "id" in obj.get("context", {}):
                    self.quoted.add(obj["context"]["id"])

    def replied(self):
        """SPEC §5: a sent message is replied when a message.received from its user has an
        event time within 24 h at or after it, or when a received message quotes it."""
        inbound = {user: sorted(times) for user, times in self.inbound.items()}
        replied = set()
        for msg_id, (user, t) in self.sent_at.items():
            times = inbound.get(user, [])
            i = bisect.bisect_left(times, t)
            if msg_id in self.quoted or (i < len(times) and times[i] - t <= 86400):
                replied.add(msg_id)
        return replied

    def report(self, seed):
        ids = self.ids
        sent = ids["message.sent"]
        # Each stage implies the ones before it: replied ⇒ read ⇒ delivered.
        replied = sent & self.replied()
        reached_read = sent & (ids["message.read"] | replied)
        reached_delivered = sent & (ids["message.delivered"] | reached_read)
        return {
            "generator": "gen-meta", "seed": seed, "lines": self.lines, "bodies": self.bodies,
            "rejected": self.rejected,
            "convert": {"events": {k: v for k, v in self.events.items() if v},
                        "skipped": {k: v for k, v in self.skipped.items() if v}},
            "messages": {"received": len(ids["message.received"]), "sent": len(sent),
                         "delivered": len(ids["message.delivered"]),
                         "read": len(ids["message.read"]), "failed": len(ids["message.failed"])},
            "funnel": {"sent": len(sent), "delivered": len(reached_delivered),
                       "read": len(reached_read), "replied": len(replied),
                       "failed": len(sent & ids["message.failed"])},
        }


def conversation(world, t, push):
    """Pushes the items of one conversation starting at time t (unix seconds)."""
    rng = world.rng
    waba, pnid, display = rng.choice(world.numbers)
    user = rng.choice(world.users)
    name = rng.choice(world.names)
    number = (waba, pnid, display)
    last_business_id = None
    group = rng.random() < 0.01
    username_only = rng.random() < 0.01
    # A user known by number and BSUID (a username user who shares the number): the same BSUID
    # in every conversation; a username-only user: a BSUID of their own for this conversation
    # (never seen with a number, so wa-aggregate and the truth count them apart alike).
    r = rng.random()
    both = not username_only and not group and r < 0.03
    bsuid = (world.bsuid_of(user) if both else
             bsuid_prefix(user) + str(rng.randrange(10**19, 10**20)) if username_only else None)
    username = "@" + name.split()[0].lower() + str(rng.randrange(10, 1000)) if both or username_only else None

    def item(kind, obj, at, events=(), skip=None, contact=None):
        delay = rng.expovariate(1 / 3) + (rng.uniform(60, 600) if rng.random() < 0.02 else 0)
        push({"arrival": at + delay, "number": number, "kind": kind, "obj": obj,
              "events": list(events), "skip": skip, "contact": contact, "username": username,
              "plain": not (group or username_only or both)})

    if rng.random() < 0.04:  # the user opens the chat first (request_welcome)
        t += rng.randint(1, 30)
        m = {"from": user, "id": world.wamid(), "timestamp": str(t), "type": "request_welcome"}
        if bsuid:
            m["from_user_id"] = bsuid
            if username_only:
                m["from"] = ""
        item("messages", m, t, [], "request_welcome", (name, user))

    for turn in range(rng.randint(1, 6)):
        if turn == 0 or rng.random() < 0.6:
            for _ in range(rng.choices([1, 2, 3], [70, 22, 8])[0]):
                t += rng.randint(2, 120)
                kind = rng.choices([k for k, _ in INBOUND_TYPES], [w for _, w in INBOUND_TYPES])[0]
                m, skip = inbound(world, user, t, kind, last_business_id, display)
                if group:
                    m["group_id"] = "Y2FwaV9ncm91cDo" + base64.b32encode(rng.randbytes(10)).decode()
                    skip = "group"
                elif username_only:
                    # A username user: only the BSUID, which becomes the event's userId; Meta
                    # documents `"from": ""`, some senders leave `from` out.
                    m["from"] = ""
                    if rng.random() < 0.3:
                        del m["from"]
                    m["from_user_id"] = bsuid
                elif both:  # number and BSUID: userId the number, context.bsuid the BSUID
                    m["from_user_id"] = bsuid
                item("messages", m, t, [] if skip else [("message.received", m["id"])], skip,
                     (name, user))
        for _ in range(rng.choices([1, 2], [80, 20])[0]):
            t += rng.randint(5, 900)
            outbound(world, user, t, item, group, bsuid, username_only)
            last_business_id = world.last_outbound
    return t


def outbound(world, user, t, item, group, bsuid=None, username_only=False):
    """The status webhooks of one business message sent at t."""
    rng = world.rng
    msg_id = world.wamid()
    world.last_outbound = msg_id
    old = rng.random() < 0.4
    category = rng.choice(CATEGORIES)
    recipient = user

    def emit(value, at, event):
        s = status(world, msg_id, recipient, at, value, old, category)
        if bsuid:  # Meta's statuses to a username user: recipient_user_id, recipient_id "" if hidden
            s["recipient_user_id"] = bsuid
            if username_only:
                s["recipient_id"] = ""
        if group:
            s["recipient_id"] = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
            s["recipient_type"] = "group"
            s["recipient_participant_id"] = user
            item("statuses", s, at, skip="group")
        elif event is None:
            item("statuses", s, at, skip="status_played")
        else:
            item("statuses", s, at, [(event, msg_id)])
        return s

    if rng.random() < 0.06:  # failed, usually after sent, sometimes without it
        if rng.random() < 0.8:
            emit("sent", t, "message.sent")
        code, title = rng.choice(FAILURES)
        s = emit("failed", t + rng.randint(1, 30), "message.failed")
        s["errors"] = [{"code": code, "title": title, "message": title,
                        "error_data": {"details": title},
                        "href": "/documentation/business-messaging/whatsapp/support/error-codes"}]
        return
    emit("sent", t, "message.sent")
    if rng.random() < 0.9:
        at = t + rng.randint(1, 600)
        read = rng.random() < 0.6
        if not read or rng.random() < 0.85:  # Meta omits delivered when both happen at once
            emit("delivered", at, "message.delivered")
        if read:
            emit("read", at + rng.randint(0, 3600), "message.read")
            if rng.random() < 0.05:
                emit("played", at + rng.randint(3600, 4000), None)


def cloud_body(world, items):
    """One Cloud API body holding `items` (same or different business numbers)."""
    rng = world.rng
    entries = {}
    for it in items:
        waba, pnid, display = it["number"]
        changes = entries.setdefault(waba, {})
        split = it["kind"] if rng.random() < 0.3 else "value"  # several changes, one entry
        value = changes.setdefault((pnid, split), {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": display, "phone_number_id": pnid}})
        if it["contact"]:
            name, wa_id = it["contact"]
            contact = {"profile": {"name": name}}
            if it.get("username"):
                contact["profile"]["username"] = it["username"]
            if it["obj"].get("from"):
                contact["wa_id"] = wa_id
            if it["obj"].get("from_user_id"):
                contact["user_id"] = it["obj"]["from_user_id"]
            if contact not in value.setdefault("contacts", []):
                value["contacts"].append(contact)
        value.setdefault(it["kind"], []).append(it["obj"])
    return {"object": "whatsapp_business_account", "entry": [
        {"id": waba, "changes": [{"value": v, "field": "messages"} for v in changes.values()]}
        for waba, changes in entries.items()]}


def special_body(world, truth_items):
    """A body of another field, or of `value.errors`: skipped items only."""
    rng = world.rng
    waba, pnid, display = rng.choice(world.numbers)
    if rng.random() < 0.5:
        errors = [{"code": 131000, "title": "Something went wrong",
                   "message": "Something went wrong",
                   "error_data": {"details": "Unable to process the request"}}]
        truth_items.append({"skip": "value_error", "n": 1})
        change = {"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": display, "phone_number_id": pnid},
            "errors": errors}}
    else:
        truth_items.append({"skip": "other_field", "n": 1})
        change = rng.choice([
            {"field": "account_update", "value": {"phone_number": display,
                                                  "event": "VERIFIED_ACCOUNT"}},
            {"field": "message_template_status_update", "value": {
                "event": "APPROVED", "message_template_id": rng.randrange(10**15, 10**16),
                "message_template_name": "order_confirmation",
                "message_template_language": "en_US", "reason": "NONE"}},
            {"field": "phone_number_quality_update", "value": {
                "display_phone_number": display, "event": "FLAGGED",
                "current_limit": "TIER_10K"}}])
    return {"object": "whatsapp_business_account", "entry": [
        {"id": waba, "time": 1751247548, "changes": [change]}]}


def on_premises_body(it):
    if it["kind"] == "messages":
        name, wa_id = it["contact"]
        if it["obj"]["type"] == "audio":  # the On-Premises API's voice note: `voice`, not `audio`
            m = dict(it["obj"], type="voice")
            audio = m.pop("audio")
            m["voice"] = {"file": "/usr/local/wamedia/shared/" + audio["id"], "id": audio["id"],
                          "mime_type": audio["mime_type"], "sha256": audio["sha256"]}
            return {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [m]}
        return {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [it["obj"]]}
    return {"statuses": [it["obj"]]}


def broken(rng, line):
    """An invalid variant of a body line, for --invalid-rate."""
    choice = rng.randrange(3)
    if choice == 0:
        return line[: len(line) // 2]
    if choice == 1:
        return line.replace('"whatsapp_business_account"', '"page"', 1) \
            if '"object"' in line else "[" + line + "]"
    return "POST /webhook HTTP/1.1"


def generate(rng, bodies, start, invalid_rate, write, truth):
    """Writes `bodies` body lines through `write`, accounting for them in `truth`."""
    import heapq
    world = World(rng)
    world.last_outbound = None
    heap, seq, ready = [], [0], []
    pending = []  # (countdown, line, items): bodies Meta delivers a second time
    written = [0]

    def push(it):
        seq[0] += 1
        heapq.heappush(heap, (it["arrival"], seq[0], it))

    def out(line, items, count=True):
        if written[0] >= bodies:
            return
        written[0] += 1
        truth.lines += 1
        if invalid_rate and rng.random() < invalid_rate:
            truth.rejected += 1
            write(broken(rng, line))
            return
        truth.bodies += 1
        for it in items:
            truth.count(it)
        write(line)
        if rng.random() < 0.03:
            pending.append([rng.randint(1, 40), line, items])

    def drain(final):
        while ready and (final or len(ready) > 6) and written[0] < bodies:
            for p in list(pending):
                p[0] -= 1
                if p[0] <= 0:
                    pending.remove(p)
                    out(p[1], p[2])
            r = rng.random()
            if r < 0.02:
                items = []
                out(dumps(special_body(world, items)), items)
                continue
            first = ready.pop(0)
            # On-Premises bodies: 3% of them, and more of the voice notes (its `voice` type).
            on_premises = r < 0.05 or r < 0.3 and first["obj"].get("type") == "audio"
            if on_premises and first["plain"] and not first["skip"]:
                out(dumps(on_premises_body(first)), [first])
                continue
            batch = [first]
            if rng.random() < 0.25:
                while ready and len(batch) < rng.randint(2, 6):
                    batch.append(ready.pop(0))
            out(dumps(cloud_body(world, batch)), batch)

    t = start
    while written[0] < bodies:
        t = max(t, conversation(world, t, push) - rng.randint(0, 3000))
        t += rng.randint(1, 30)
        while heap and heap[0][0] < t:
            ready.append(heapq.heappop(heap)[2])
        drain(False)
        if not heap and not ready and written[0] < bodies and t > start + 10**9:
            break
    while heap:
        ready.append(heapq.heappop(heap)[2])
    drain(True)


def run(bodies, seed, start, invalid_rate, out=None, truth_path=None):
    """Writes `bodies` lines to `out` (a path; standard output if None) and the truth to
    `truth_path`. Also the entry point of `scripts/watools/gen_events.py --format meta`."""
    rng = random.Random(seed)
    truth = Truth()
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    buffer = []

    def write(line):
        buffer.append(line)
        if len(buffer) >= 4096:
            stream.write("\n".join(buffer) + "\n")
            buffer.clear()

    try:
        generate(rng, bodies, int(start), invalid_rate, write, truth)
        if buffer:
            stream.write("\n".join(buffer) + "\n")
        stream.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    if out:
        stream.close()
    if truth_path:
        with open(truth_path, "w") as f:
            f.write(json.dumps(truth.report(seed), sort_keys=True) + "\n")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bodies", type=int, default=1000, help="body lines to write (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--start", type=int, default=1764547200,
                   help="unix seconds of the first conversation (default 2025-12-01T00:00:00Z)")
    p.add_argument("--invalid-rate", type=float, default=0.0,
                   help="share of bodies made invalid on purpose (default 0)")
    p.add_argument("--out", metavar="FILE", help="output file (default standard output)")
    p.add_argument("--truth", metavar="FILE", help="write the ground truth as JSON to FILE")
    a = p.parse_args()
    return run(a.bodies, a.seed, a.start, a.invalid_rate, a.out, a.truth)


if __name__ == "__main__":
    sys.exit(main())
