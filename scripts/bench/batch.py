"""Copies an NDJSON stream with some of its events wrapped in batch lines (SPEC §2, batches:
`{"batch":[{…},{…}],"sentAt":"…"}`), for the bench's "with batches" rows.

usage: batch.py IN OUT [SHARE]     (SHARE of the events that go into batches, default 0.25)

Seeded and deterministic: runs of 2–10 consecutive events become one batch line, so the
events, their order and their bytes are the same as in IN, only the line structure differs.
"""
import random
import sys

source, target = sys.argv[1], sys.argv[2]
share = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
rng = random.Random(21)
# A run of k events is started with probability p at each line; runs average 6 events, so
# p·6 / (1 − p + p·6) of the events end up in batches.
p = share / (6 * (1 - share) + share)
with open(source, "rb") as f, open(target, "wb") as out:
    lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    i = 0
    while i < len(lines):
        if rng.random() < p and i + 1 < len(lines):
            k = min(rng.randint(2, 10), len(lines) - i)
            out.write(b'{"batch":[' + b",".join(lines[i:i + k]) +
                      b'],"sentAt":"2026-12-01T00:00:00Z"}\n')
            i += k
        else:
            out.write(lines[i] + b"\n")
            i += 1
